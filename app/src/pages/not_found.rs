use crate::texts;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = texts();
    super::set_status(404);
    view! {
        <Title text=t.not_found_title/>
        <h1 class="text-2xl font-bold">{t.not_found_title}</h1>
        <p class="mt-2">{t.not_found_body}</p>
        <p class="mt-4"><a href="/" class="text-emerald-800 underline">"Aduan"</a></p>
    }
}
