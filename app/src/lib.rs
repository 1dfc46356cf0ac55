//! Aduan's shared application: domain, texts, components, pages and server functions, compiled
//! for the server (feature `ssr`) and for the browser (feature `hydrate`).

// The reporter's report page nests deep view types (the hydrate build computes their layout).
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use i18n::{Lang, Texts};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// A per-request CSP nonce, put in the request's extensions by the server's security-headers
/// middleware and used for the hydration scripts.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The whole HTML document (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = detect_lang();
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        if let Some(n) = parts.extensions.get::<CspNonce>() {
            provide_context(leptos::nonce::Nonce::from_value(n.0.clone()));
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#065f46"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <leptos_meta::MetaTags/>
            </head>
            <body class="bg-stone-50 text-stone-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The language of this request: `?lang=` first, then the cookie, else Indonesian.
/// In the browser, the language the server rendered (`<html lang>`).
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| {
                i18n::lang_from_request(
                    parts.uri.query(),
                    parts
                        .headers
                        .get(http::header::COOKIE)
                        .and_then(|v| v.to_str().ok()),
                )
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

/// The texts of the current language.
pub fn texts() -> &'static Texts {
    use_context::<Lang>().unwrap_or_default().texts()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(detect_lang());
    let t = texts();
    view! {
        <Stylesheet id="leptos" href="/pkg/aduan.css"/>
        <Title formatter=|text: String| if text.is_empty() { "Aduan".to_string() } else { format!("{text} · Aduan") }/>
        <Meta name="description" content=t.app_tagline/>
        <Router>
            <components::Layout>
                <Routes fallback=pages::NotFound>
                    <Route path=path!("") view=pages::HomePage/>
                    <Route path=path!("/lapor") view=pages::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/lacak") view=pages::TrackLookupPage ssr=SsrMode::Async/>
                    <Route path=path!("/laporan") view=pages::PublicListPage ssr=SsrMode::Async/>
                    <Route path=path!("/laporan/:reference") view=pages::PublicReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/statistik") view=pages::StatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/pengawasan") view=pages::OversightPage ssr=SsrMode::Async/>
                    <Route path=path!("/lacak/:code") view=pages::TrackPage ssr=SsrMode::Async/>
                    <Route path=path!("/masuk") view=pages::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/masuk/kode") view=pages::CodePage ssr=SsrMode::Async/>
                    <Route path=path!("/akun/2fa") view=pages::EnrolPage ssr=SsrMode::Async/>
                    <Route path=path!("/daftar") view=pages::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/undangan/:token") view=pages::InviteAcceptPage ssr=SsrMode::Async/>
                    <Route path=path!("/laporan-saya") view=pages::MyReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/laporan-saya/:id") view=pages::MyReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifikasi") view=pages::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staf/templat") view=pages::TemplatesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rute") view=pages::AdminRoutingPage ssr=SsrMode::Async/>
                    <Route path=path!("/staf") view=pages::StaffListPage ssr=SsrMode::Async/>
                    <Route path=path!("/staf/laporan/:id") view=pages::StaffReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/instansi") view=pages::AdminAgenciesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/instansi/:id") view=pages::AdminAgencyPage ssr=SsrMode::Async/>
                    <Route path=path!("/akun") view=pages::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/pengguna") view=pages::AdminUsersPage ssr=SsrMode::Async/>
                </Routes>
            </components::Layout>
        </Router>
    }
}
