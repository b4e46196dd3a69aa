//! The browser entry point: hydrates the server-rendered page (or, with `csr`, renders it client-side).
// Deeply nested view types (the operator and dashboard pages) need more than the default 128.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the script cargo-leptos injects into every server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}

/// Entry point of the Trunk (client-side only) build.
#[cfg(all(feature = "csr", not(feature = "hydrate")))]
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
