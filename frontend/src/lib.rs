//! The browser entry point: hydrates the server-rendered page (or, with `csr`, renders it client-side).
// Deeply nested view types (the operator and dashboard pages) need more than the default 128.
#![recursion_limit = "256"]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the script cargo-leptos injects into every server-rendered page.
#[cfg(all(feature = "hydrate", not(feature = "islands")))]
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Every page is a lazily loaded route (`app::routes`): hydration waits for the page's chunks,
    // so it runs as a task; once it is complete the page is marked (the end-to-end tests and the
    // slow-phone measurement wait for the mark).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let owner = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        owner.forget();
        app::ui::start_relative_times();
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The wasm of the pages served as islands (`app::routes::islands_page`), built apart by
/// `make build` with `--features islands`: nothing calls the app from here, so the router and
/// every page's code stay out of it, and Leptos's island script calls each `#[island]`'s own
/// export for its element. The page is marked as soon as the islands are set up.
#[cfg(feature = "islands")]
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::routes::hydrate_islands();
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Entry point of the Trunk (client-side only) build.
#[cfg(all(feature = "csr", not(feature = "hydrate"), not(feature = "islands")))]
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    app::ui::start_relative_times();
}
