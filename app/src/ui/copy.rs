//! "Copy": a button, there once the page's script runs, that puts a text (a link to share) on the clipboard and says whether it did.

use leptos::prelude::*;

/// A "Copy" button for `text`, and a line saying what happened. Without JavaScript there is no
/// button: the text stands on the page to select. `label` names it for a screen reader, e.g.
/// "Copy your invite link" (it starts with the button's word, as WCAG 2.5.3 asks).
#[component]
pub fn CopyButton(text: String, #[prop(into)] label: String) -> impl IntoView {
    // Shown after hydration only: a button that cannot work is not offered.
    let mounted = RwSignal::new(false);
    Effect::new(move || mounted.set(true));
    let said = RwSignal::new("");
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = text.clone();
            leptos::task::spawn_local(async move {
                said.set(if write(&text).await {
                    "Copied."
                } else {
                    "Could not copy: select the link and copy it."
                });
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <Show when=move || mounted.get()>
            <button type="button" class="button small-button copy-button" aria-label=label.clone() on:click=copy.clone()>"Copy"</button>
        </Show>
        <span class="small muted copy-said" role="status">{move || said.get()}</span>
    }
}

/// `navigator.clipboard.writeText(text)`, false when the browser has no clipboard here (an
/// insecure origin) or refuses.
#[cfg(feature = "hydrate")]
async fn write(text: &str) -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return false;
    };
    let nav = window.navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard")) else {
        return false;
    };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let Ok(write_text) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    else {
        return false;
    };
    let Ok(promise) = write_text
        .call1(&clipboard, &JsValue::from_str(text))
        .and_then(|p| p.dyn_into::<js_sys::Promise>())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
