//! The browser entry point: hydrates the server-rendered HTML. Some routes' code is loaded only
//! when they are opened (`cargo leptos build --split`), so hydration waits for the current
//! route's code first (`hydrate_from_async`).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("the page has a body");
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        // Lets end-to-end tests (and anyone curious) know the page is interactive.
        if let Some(w) = web_sys::window() {
            let _ = js_sys::Reflect::set(&w, &"__aduan_hydrated".into(), &true.into());
        }
    });
}
