//! Aduan's shared application: domain, texts, components, pages and server functions, compiled
//! for the server (feature `ssr`) and for the browser (feature `hydrate`).

// The reporter's report page nests deep view types (the hydrate build computes their layout).
#![recursion_limit = "256"]

pub mod act;
pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use i18n::{Lang, Texts};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

/// Routes whose code the browser loads only when they are opened (signing in, accounts,
/// staff, administration, statistics): the citizen pages' bundle stays small (`cargo leptos build --split`).
mod lazy {
    use leptos::prelude::*;
    use leptos_router::{lazy_route, LazyRoute};

    /// `/staf/templat`.
    pub struct TemplatesPage;

    #[lazy_route]
    impl LazyRoute for TemplatesPage {
        fn data() -> Self {
            TemplatesPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::TemplatesPage/> }.into_any()
        }
    }

    /// `/admin/libur`.
    pub struct AdminHolidaysPage;

    #[lazy_route]
    impl LazyRoute for AdminHolidaysPage {
        fn data() -> Self {
            AdminHolidaysPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::AdminHolidaysPage/> }.into_any()
        }
    }

    /// `/admin/rute`.
    pub struct AdminRoutingPage;

    #[lazy_route]
    impl LazyRoute for AdminRoutingPage {
        fn data() -> Self {
            AdminRoutingPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::AdminRoutingPage/> }.into_any()
        }
    }

    /// `/staf`.
    pub struct StaffListPage;

    #[lazy_route]
    impl LazyRoute for StaffListPage {
        fn data() -> Self {
            StaffListPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::StaffListPage/> }.into_any()
        }
    }

    /// `/staf/laporan/:id`.
    pub struct StaffReportPage;

    #[lazy_route]
    impl LazyRoute for StaffReportPage {
        fn data() -> Self {
            StaffReportPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::StaffReportPage/> }.into_any()
        }
    }

    /// `/admin/instansi`.
    pub struct AdminAgenciesPage;

    #[lazy_route]
    impl LazyRoute for AdminAgenciesPage {
        fn data() -> Self {
            AdminAgenciesPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::AdminAgenciesPage/> }.into_any()
        }
    }

    /// `/admin/instansi/:id`.
    pub struct AdminAgencyPage;

    #[lazy_route]
    impl LazyRoute for AdminAgencyPage {
        fn data() -> Self {
            AdminAgencyPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::AdminAgencyPage/> }.into_any()
        }
    }

    /// `/akun`.
    pub struct AccountPage;

    #[lazy_route]
    impl LazyRoute for AccountPage {
        fn data() -> Self {
            AccountPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::AccountPage/> }.into_any()
        }
    }

    /// `/admin/pengguna`.
    pub struct AdminUsersPage;

    #[lazy_route]
    impl LazyRoute for AdminUsersPage {
        fn data() -> Self {
            AdminUsersPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::AdminUsersPage/> }.into_any()
        }
    }

    /// `/statistik`.
    pub struct StatsPage;

    #[lazy_route]
    impl LazyRoute for StatsPage {
        fn data() -> Self {
            StatsPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::StatsPage/> }.into_any()
        }
    }

    /// `/pengawasan`.
    pub struct OversightPage;

    #[lazy_route]
    impl LazyRoute for OversightPage {
        fn data() -> Self {
            OversightPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::OversightPage/> }.into_any()
        }
    }

    /// `/masuk`.
    pub struct LoginPage;

    #[lazy_route]
    impl LazyRoute for LoginPage {
        fn data() -> Self {
            LoginPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::LoginPage/> }.into_any()
        }
    }

    /// `/masuk/kode`.
    pub struct CodePage;

    #[lazy_route]
    impl LazyRoute for CodePage {
        fn data() -> Self {
            CodePage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::CodePage/> }.into_any()
        }
    }

    /// `/akun/2fa`.
    pub struct EnrolPage;

    #[lazy_route]
    impl LazyRoute for EnrolPage {
        fn data() -> Self {
            EnrolPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::EnrolPage/> }.into_any()
        }
    }

    /// `/daftar`.
    pub struct RegisterPage;

    #[lazy_route]
    impl LazyRoute for RegisterPage {
        fn data() -> Self {
            RegisterPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::RegisterPage/> }.into_any()
        }
    }

    /// `/undangan/{token}`.
    pub struct InviteAcceptPage;

    #[lazy_route]
    impl LazyRoute for InviteAcceptPage {
        fn data() -> Self {
            InviteAcceptPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::InviteAcceptPage/> }.into_any()
        }
    }

    /// `/laporan-saya`.
    pub struct MyReportsPage;

    #[lazy_route]
    impl LazyRoute for MyReportsPage {
        fn data() -> Self {
            MyReportsPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::MyReportsPage/> }.into_any()
        }
    }

    /// `/laporan-saya/{id}`.
    pub struct MyReportPage;

    #[lazy_route]
    impl LazyRoute for MyReportPage {
        fn data() -> Self {
            MyReportPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::MyReportPage/> }.into_any()
        }
    }

    /// `/laporan/{reference}`: one public report, opened from the list or a shared link (its
    /// support and follow forms work before the chunk arrives, as forms).
    pub struct PublicReportPage;

    #[lazy_route]
    impl LazyRoute for PublicReportPage {
        fn data() -> Self {
            PublicReportPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::PublicReportPage/> }.into_any()
        }
    }

    /// `/lupa-sandi`.
    pub struct ForgotPasswordPage;

    #[lazy_route]
    impl LazyRoute for ForgotPasswordPage {
        fn data() -> Self {
            ForgotPasswordPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::ForgotPasswordPage/> }.into_any()
        }
    }

    /// `/atur-sandi/{token}`.
    pub struct ResetPasswordPage;

    #[lazy_route]
    impl LazyRoute for ResetPasswordPage {
        fn data() -> Self {
            ResetPasswordPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::ResetPasswordPage/> }.into_any()
        }
    }

    /// `/notifikasi`.
    pub struct NotificationsPage;

    #[lazy_route]
    impl LazyRoute for NotificationsPage {
        fn data() -> Self {
            NotificationsPage
        }

        fn view(_this: Self) -> AnyView {
            view! { <crate::pages::NotificationsPage/> }.into_any()
        }
    }
}

/// A per-request CSP nonce, put in the request's extensions by the server's security-headers
/// middleware and used for the hydration scripts.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The request's anti-forgery token (the value of the `aduan_csrf` cookie, set by the server's
/// middleware when missing): every state-changing form carries it back in the field `csrf`.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// Put in context when a page is rendered because the client made too many tracking-code
/// lookups: the lookup page says so where the code is typed.
#[derive(Clone, Copy, Debug)]
pub struct RateLimited;

/// The address of the site's stylesheet: `/pkg/aduan.<hash>.css` when the release build named
/// its files by their content (`hash-files` in Leptos.toml: `hash.txt` beside the binary), so
/// browsers may keep them for a year; `/pkg/aduan.css` otherwise.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    let name = &options.output_name;
    let pkg = &options.site_pkg_dir;
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|d| d.join(options.hash_file.as_ref())))
            .and_then(|file| std::fs::read_to_string(file).ok())
            .unwrap_or_default();
        if let Some(hash) = hashes
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(kind, _)| kind.trim() == "css")
            .map(|(_, hash)| hash.trim().to_string())
        {
            return format!("/{pkg}/{name}.{hash}.css");
        }
    }
    format!("/{pkg}/{name}.css")
}

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
                <link rel="apple-touch-icon" href="/icon-192.png"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options)/>
                // Drafts, the offline queue and the service worker (public/offline.js): before
                // the WASM, so what is typed early is kept.
                <script src="/offline.js" defer></script>
                <HydrationScripts options/>
                <leptos_meta::MetaTags/>
            </head>
            <body class="bg-stone-50 text-stone-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The language of this request: `?lang=` first, then the cookie, then `Accept-Language`, else
/// Indonesian.
/// In the browser, the language the server rendered (`<html lang>`).
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| i18n::lang_of(parts.uri.query(), &parts.headers))
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
        <Title formatter=|text: String| if text.is_empty() { "Aduan".to_string() } else { format!("{text} · Aduan") }/>
        <Meta name="description" content=t.app_tagline/>
        <Router>
            <components::Layout>
                <Routes fallback=pages::NotFound>
                    <Route path=path!("") view=pages::HomePage/>
                    <Route path=path!("/lapor") view=pages::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/lacak") view=pages::TrackLookupPage ssr=SsrMode::Async/>
                    <Route path=path!("/laporan") view=pages::PublicListPage ssr=SsrMode::Async/>
                    <Route path=path!("/laporan/:reference") view={Lazy::<lazy::PublicReportPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/statistik") view={Lazy::<lazy::StatsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/pengawasan") view={Lazy::<lazy::OversightPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/lacak/:code") view=pages::TrackPage ssr=SsrMode::Async/>
                    <Route path=path!("/masuk") view={Lazy::<lazy::LoginPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/masuk/kode") view={Lazy::<lazy::CodePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/akun/2fa") view={Lazy::<lazy::EnrolPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/daftar") view={Lazy::<lazy::RegisterPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/lupa-sandi") view={Lazy::<lazy::ForgotPasswordPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/atur-sandi/:token") view={Lazy::<lazy::ResetPasswordPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/undangan/:token") view={Lazy::<lazy::InviteAcceptPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/laporan-saya") view={Lazy::<lazy::MyReportsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/laporan-saya/:id") view={Lazy::<lazy::MyReportPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/notifikasi") view={Lazy::<lazy::NotificationsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/staf/templat") view={Lazy::<lazy::TemplatesPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rute") view={Lazy::<lazy::AdminRoutingPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/libur") view={Lazy::<lazy::AdminHolidaysPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/staf") view={Lazy::<lazy::StaffListPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/staf/laporan/:id") view={Lazy::<lazy::StaffReportPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/instansi") view={Lazy::<lazy::AdminAgenciesPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/instansi/:id") view={Lazy::<lazy::AdminAgencyPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/akun") view={Lazy::<lazy::AccountPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/pengguna") view={Lazy::<lazy::AdminUsersPage>::new()} ssr=SsrMode::Async/>
                </Routes>
            </components::Layout>
        </Router>
    }
}
