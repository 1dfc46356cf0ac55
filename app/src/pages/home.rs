use crate::components::{StageProgress, BUTTON_CLASS};
use crate::texts;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = texts();
    // Arrived here after erasing one's account (`EraseAccount`).
    let erased = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("akun").as_deref() == Some("dihapus"));
    view! {
        <Title text=""/>
        {erased.then(|| view! {
            <p role="status" class="mb-4 border-l-4 border-emerald-700 bg-white p-3 font-semibold" data-testid="account-erased">
                {t.tr(
                    "Akun Anda sudah dihapus. Laporan Anda tetap ditangani tanpa nama; kode lacaknya tetap berlaku.",
                    "Your account has been erased. Your reports are still handled, without a name; their tracking codes keep working.",
                )}
            </p>
        })}
        <h1 class="text-2xl font-bold leading-tight sm:text-3xl">{t.home_title}</h1>
        <p class="mt-3 text-lg">{t.home_lead}</p>
        <div class="mt-6 flex flex-wrap gap-3">
            <a href="/lapor" class=BUTTON_CLASS>{t.nav_report}</a>
            <a href="/lacak" class="inline-block rounded border-2 border-emerald-800 px-5 py-3 font-semibold text-emerald-900 focus:outline-none focus:ring-4 focus:ring-amber-400">
                {t.nav_track}
            </a>
        </div>
        <h2 class="mt-8 text-xl font-bold">{t.home_how}</h2>
        <StageProgress/>
        <p class="mt-6">{t.home_privacy}</p>
    }
}
