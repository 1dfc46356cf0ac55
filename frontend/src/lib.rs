//! The browser entry point: hydrates the server-rendered HTML.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets end-to-end tests (and anyone curious) know the page is interactive.
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"__aduan_hydrated".into(), &true.into());
    }
}
