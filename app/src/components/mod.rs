//! Shared widgets, built once so every page looks and behaves alike (GOV.UK-style patterns:
//! error summary, labelled fields with hints, confirmation panel, timeline).

use crate::domain::calendar::TimeLeft;
use crate::domain::views::TimelineEntry;
use crate::domain::{CitizenStage, Field, FieldErrors};
pub mod act;
pub mod fields;
pub mod thread;

use crate::domain::accounts::SignOut;
use crate::texts;
use act::{act_form, FormSpec};
use leptos::prelude::*;

/// Classes shared by text inputs and selects.
pub const INPUT_CLASS: &str = "mt-1 block min-h-11 w-full rounded border-2 border-stone-700 bg-white px-3 py-2 text-base focus:outline-none focus:ring-4 focus:ring-amber-400";
/// Classes of the one primary button of a page.
pub const BUTTON_CLASS: &str = "inline-block rounded bg-emerald-800 px-5 py-3 text-base font-semibold text-white shadow hover:bg-emerald-900 focus:outline-none focus:ring-4 focus:ring-amber-400";

/// Classes of a secondary button (outlined): the other choices next to the primary one.
pub const SECONDARY_BUTTON_CLASS: &str = "inline-flex min-h-11 items-center rounded border-2 border-stone-700 bg-white px-4 py-2 font-semibold text-stone-900 hover:bg-stone-100 focus:outline-none focus:ring-4 focus:ring-amber-400 disabled:opacity-60";
/// Classes of a button that destroys or takes away (deactivate, remove, archive): red, never
/// the page's primary look, and only behind a confirmation (`DangerConfirm`).
pub const DANGER_BUTTON_CLASS: &str = "inline-flex min-h-11 items-center rounded bg-red-800 px-4 py-2 font-semibold text-white hover:bg-red-900 focus:outline-none focus:ring-4 focus:ring-amber-400 disabled:opacity-60";
/// Classes of a link in a navigation bar: a 44 px tap target.
pub const NAV_LINK_CLASS: &str = "inline-flex min-h-11 items-center px-1 underline-offset-4 hover:underline focus:outline-none focus:ring-4 focus:ring-amber-400";

/// A destructive or privacy-sensitive action behind a confirmation: a red-outlined disclosure
/// that opens on a sentence saying what will happen and the form with its red button. Works
/// without JavaScript (a `<details>`); nothing is sent by opening it.
#[component]
pub fn DangerConfirm(
    /// What the closed disclosure says ("Nonaktifkan…").
    label: String,
    /// What will happen, said before the button.
    explain: String,
    #[prop(optional)] testid: Option<&'static str>,
    /// Open from the start (a refused post of the form inside shows its message).
    #[prop(optional)]
    open: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="group inline-block max-w-full" data-testid=testid open=open>
            <summary class="inline-flex min-h-11 cursor-pointer items-center px-1 font-semibold text-red-800 underline underline-offset-4 hover:text-red-900 focus:outline-none focus:ring-4 focus:ring-amber-400">
                {label}
            </summary>
            <div class="mt-2 max-w-md rounded border-2 border-red-800 bg-red-50 p-3">
                <p class="text-stone-900">{explain}</p>
                {children()}
            </div>
        </details>
    }
}

/// The administrators' pages, as tabs above each of them (the header keeps one "Admin" link).
#[component]
pub fn AdminTabs(current: &'static str, system_admin: bool) -> impl IntoView {
    let t = texts();
    let mut tabs = vec![("/admin/pengguna", t.tr("Pengguna", "Users"))];
    if system_admin {
        tabs.push(("/admin/instansi", t.tr("Instansi", "Agencies")));
        tabs.push(("/admin/rute", t.tr("Rute", "Routing")));
        tabs.push(("/admin/libur", t.tr("Libur", "Holidays")));
    }
    view! {
        <nav aria-label=t.tr("Administrasi", "Administration") class="mb-4 flex flex-wrap gap-2 border-b border-stone-300 pb-2" data-testid="admin-tabs">
            {tabs.into_iter().map(|(href, text)| {
                let here = href == current;
                let cls = if here {
                    "inline-flex min-h-11 items-center rounded bg-emerald-800 px-3 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400"
                } else {
                    "inline-flex min-h-11 items-center rounded px-3 font-semibold text-emerald-900 underline focus:outline-none focus:ring-4 focus:ring-amber-400"
                };
                view! { <a href=href class=cls aria-current=here.then_some("page")>{text}</a> }
            }).collect_view()}
        </nav>
    }
}

/// Bumped when who is signed in changes without a page load (a step of signing in finished in
/// place, its output shown on the page), so the header's account links are fetched again.
#[derive(Clone, Copy)]
pub struct AccountChanged(pub RwSignal<u32>);

/// The page frame: skip link, header with navigation and language switch, main, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    provide_context(AccountChanged(RwSignal::new(0)));
    let t = texts();
    // Staff screens (work lists, tables, figures) use a desktop's width; citizen pages keep a
    // readable column.
    let location = leptos_router::hooks::use_location();
    let width = move || {
        let path = location.pathname.get();
        let wide = ["/staf", "/admin", "/pengawasan", "/statistik"]
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")));
        if wide {
            "max-w-6xl"
        } else {
            "max-w-3xl"
        }
    };
    let other = t.lang.other();
    // The public pages exist in both languages: search engines and browsers are told where.
    let alternates = move || {
        let path = location.pathname.get();
        let public = matches!(
            path.as_str(),
            "/" | "/lapor" | "/lacak" | "/laporan" | "/statistik"
        ) || path.starts_with("/laporan/");
        public.then(|| {
            view! {
                <leptos_meta::Link rel="alternate" hreflang="id" href=format!("{path}?lang=id")/>
                <leptos_meta::Link rel="alternate" hreflang="en" href=format!("{path}?lang=en")/>
                <leptos_meta::Link rel="alternate" hreflang="x-default" href=path.clone()/>
            }
        })
    };
    view! {
        {alternates}
        <a href="#isi" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:bg-amber-300 focus:p-2">
            {t.skip_to_content}
        </a>
        <header class="bg-emerald-800 text-white">
            <div class=move || format!("mx-auto flex {} flex-wrap items-center justify-between gap-2 px-4 py-3", width())>
                <a href="/" class="inline-flex min-h-11 items-center text-xl font-bold tracking-tight focus:outline-none focus:ring-4 focus:ring-amber-400">
                    "Aduan"
                    <span class="sr-only">" — " {t.app_tagline}</span>
                </a>
                <nav aria-label="Menu" class="flex flex-wrap items-center gap-x-3 text-sm">
                    <AccountNav/>
                    <a
                        href=format!("?lang={}", other.tag())
                        hreflang=other.tag()
                        lang=other.tag()
                        rel="external"
                        data-testid="lang-switch"
                        class="inline-flex min-h-11 items-center rounded border border-white/60 px-2 focus:outline-none focus:ring-4 focus:ring-amber-400"
                    >
                        {t.switch_language}
                    </a>
                </nav>
            </div>
        </header>
        <main id="isi" tabindex="-1" class=move || format!("mx-auto {} px-4 py-6", width())>
            // The phone's own notices (a restored draft, reports waiting for a connection):
            // filled by public/offline.js, also before hydration — an element without children
            // in the view, so hydration leaves what the script put in it.
            <div id="phone-notices" class="mb-4 space-y-3 empty:hidden"></div>
            {children()}
        </main>
        <footer class=move || format!("mx-auto {} px-4 pb-8 pt-4 text-sm text-stone-600", width())>
            <p>{t.footer}</p>
        </footer>
    }
}

/// The header's account links: sign in, or the person's pages and sign out.
#[component]
fn AccountNav() -> impl IntoView {
    let t = texts();
    // Fetched again after each client-side navigation (sign-in state may have changed).
    let location = leptos_router::hooks::use_location();
    let changed = use_context::<AccountChanged>();
    let ctx = Resource::new_blocking(
        move || (location.pathname.get(), changed.map(|c| c.0.get())),
        |_| crate::api::accounts::get_page_context(),
    );
    let link = NAV_LINK_CLASS;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                use crate::domain::access::AccountRole;
                let ctx = ctx.await.unwrap_or_default();
                let half_way = ctx.stage.is_some();
                // The citizen's two doors; staff have their work list instead.
                let citizen_links = move || view! {
                    <a href="/lapor" class=link>{t.nav_report}</a>
                    <a href="/lacak" class=link>{t.nav_track}</a>
                };
                let public_links = view! {
                    <a href="/laporan" class=link data-testid="nav-public">{t.tr("Laporan publik", "Public reports")}</a>
                    <a href="/statistik" class=link data-testid="nav-stats">{t.tr("Statistik", "Statistics")}</a>
                };
                let staff = ctx.viewer.as_ref().is_some_and(|v| v.role != AccountRole::Citizen);
                let citizen = (!staff).then(citizen_links);
                let rest = match ctx.viewer {
                    Some(v) => {
                        let home = if v.role == AccountRole::Citizen { "/laporan-saya" } else { "/staf" };
                        let home_text = if v.role == AccountRole::Citizen { t.tr("Laporan saya", "My reports") } else { t.tr("Daftar kerja", "Work list") };
                        let admin = matches!(v.role, AccountRole::SystemAdmin | AccountRole::AgencyAdmin);
                        view! {
                            <a href=home class=link data-testid="nav-home">{home_text}</a>
                            <a href="/notifikasi" class=link data-testid="nav-bell">
                                {t.tr("Notifikasi", "Notifications")}
                                {(v.unread > 0).then(|| view! {
                                    " " <span class="rounded-full bg-amber-300 px-2 text-sm font-bold text-stone-900" data-testid="unread">{v.unread}</span>
                                    <span class="sr-only">{t.tr(" belum dibaca", " unread")}</span>
                                })}
                            </a>
                            // One link; the administrators' pages have tabs of their own (`AdminTabs`).
                            {admin.then(|| view! { <a href="/admin/pengguna" class=link data-testid="nav-admin">{t.tr("Admin", "Admin")}</a> })}
                            {matches!(v.role, AccountRole::AgencyAdmin | AccountRole::AgencyOfficer).then(|| view! { <a href="/staf/templat" class=link>{t.tr("Templat", "Templates")}</a> })}
                            {matches!(v.role, AccountRole::Supervisor | AccountRole::Verifier | AccountRole::SystemAdmin).then(|| view! { <a href="/pengawasan" class=link data-testid="nav-oversight">{t.tr("Pengawasan", "Oversight")}</a> })}
                            <a href="/akun" class=link data-testid="nav-account">{t.tr("Akun", "Account")}</a>
                            {act_form(FormSpec::<SignOut>::new("/keluar", "sign-out-form").class("inline"), move |_| view! {
                                <button type="submit" class=link data-testid="sign-out">
                                    {t.tr("Keluar", "Sign out")}<span class="sr-only">" (" {v.name.clone()} ")"</span>
                                </button>
                            })}
                        }.into_any()
                    }
                    // Half way through sign-in (code or two-factor set-up): a way out.
                    None if half_way => view! {
                        {act_form(FormSpec::<SignOut>::new("/keluar", "sign-out-form").class("inline"), move |_| view! {
                            <button type="submit" class=link data-testid="sign-out">{t.tr("Batal masuk", "Cancel sign-in")}</button>
                        })}
                    }.into_any(),
                    None => view! { <a href="/masuk" class=link data-testid="nav-sign-in">{t.tr("Masuk", "Sign in")}</a> }.into_any(),
                };
                view! { {citizen} {public_links} {rest} }
            })}
        </Transition>
    }
}

/// The error summary at the top of a form: a titled list linking to each refused field.
/// Rendered only when there are errors; takes focus so screen readers announce it.
/// The anti-forgery token of every state-changing form (synchronised with the `aduan_csrf`
/// cookie: a page of another site can neither read nor set it). Put it first in each
/// `<form method="post">`.
#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=csrf_token()/> }
}

/// The token: from the request on the server, from the cookie in the browser.
pub fn csrf_token() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<crate::CsrfToken>().map(|t| t.0.clone()))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        browser_csrf_cookie().unwrap_or_default()
    }
}

#[cfg(not(feature = "ssr"))]
fn browser_csrf_cookie() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let cookies = web_sys::window()?
            .document()?
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()?
            .cookie()
            .ok()?;
        cookies.split(';').find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            matches!(k, "aduan_csrf" | "__Host-aduan_csrf").then(|| v.to_string())
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

#[component]
pub fn ErrorSummary(errors: Signal<FieldErrors>) -> impl IntoView {
    let t = texts();
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            view! {
                <div
                    id="error-summary"
                    role="alert"
                    tabindex="-1"
                    aria-labelledby="error-summary-title"
                    class="mb-6 border-4 border-red-700 bg-white p-4 focus:outline-none focus:ring-4 focus:ring-amber-400"
                >
                    <h2 id="error-summary-title" class="text-lg font-bold">{t.error_summary_title}</h2>
                    <ul class="mt-2 list-none space-y-1">
                        {errors
                            .into_iter()
                            .map(|(field, err)| {
                                view! {
                                    <li>
                                        <a href=format!("#{}", field.input_id()) class="font-semibold text-red-800 underline">
                                            {t.field_error(field, err)}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The message next to a refused field (empty when the field is fine).
#[component]
pub fn FieldMessage(field: Field, errors: Signal<FieldErrors>) -> impl IntoView {
    let t = texts();
    move || {
        errors.get().get(&field).map(|e| {
            view! {
                <p id=format!("{}-error", field.input_id()) class="mt-1 font-semibold text-red-800">
                    <span class="sr-only">"! "</span>
                    {t.field_error(field, *e)}
                </p>
            }
        })
    }
}

/// `aria-describedby` for an input: its hint and, when refused, its error.
pub fn described_by(
    field: Field,
    errors: Signal<FieldErrors>,
    has_hint: bool,
) -> impl Fn() -> String {
    move || {
        let id = field.input_id();
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if errors.get().contains_key(&field) {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }
}

/// The five stages a citizen sees, with the current one (if any) marked.
#[component]
pub fn StageProgress(#[prop(optional)] current: Option<CitizenStage>) -> impl IntoView {
    let t = texts();
    view! {
        <ol class="mt-2 grid grid-cols-1 gap-1 sm:grid-cols-5" aria-label=t.stages_title>
            {CitizenStage::ALL
                .into_iter()
                .map(|s| {
                    let is_current = Some(s) == current;
                    let (cls, marker) = if current.is_some_and(|c| s < c) {
                        ("border-emerald-700 bg-emerald-50 text-emerald-900", "✓ ")
                    } else if is_current {
                        ("border-emerald-800 bg-emerald-800 text-white font-bold", "● ")
                    } else {
                        ("border-stone-300 bg-white text-stone-600", "")
                    };
                    view! {
                        <li
                            class=format!("rounded border-2 px-2 py-1 text-sm {cls}")
                            aria-current=is_current.then_some("step")
                        >
                            <span aria-hidden="true">{marker}</span>
                            {t.stage(s)}
                            {is_current.then(|| view! { <span class="sr-only">" (" {t.current_stage} ")"</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// Time left in the current stage: "sisa 2 hari kerja", "due today", or overdue.
#[component]
pub fn Countdown(time_left: TimeLeft) -> impl IntoView {
    let t = texts();
    let (text, cls) = match time_left {
        TimeLeft::WorkingDays(n) => ((t.days_left)(n), "bg-emerald-100 text-emerald-900"),
        TimeLeft::DueToday => (t.due_today.to_string(), "bg-amber-100 text-amber-900"),
        TimeLeft::Overdue => (t.overdue.to_string(), "bg-red-100 text-red-900"),
    };
    view! {
        <span data-testid="countdown" class=format!("ml-1 inline-block whitespace-nowrap rounded px-2 py-0.5 text-sm font-semibold {cls}")>
            {text}
        </span>
    }
}

/// A report's history, oldest first.
#[component]
pub fn Timeline(
    entries: Vec<TimelineEntry>,
    utc_offset_minutes: i32,
    /// The reporter's rating, shown with the confirmation it came with.
    #[prop(default = None)]
    rating: Option<i32>,
) -> impl IntoView {
    let t = texts();
    view! {
        <ol class="mt-2 border-l-4 border-emerald-700 pl-4" data-testid="timeline">
            {entries
                .into_iter()
                .map(|e| {
                    view! {
                        <li class="mb-3">
                            <p class="font-semibold">
                                {t.event(e.event)}
                                {(e.event == crate::domain::EventKind::Confirmed).then_some(rating).flatten().map(|n| {
                                    view! { <span data-testid="timeline-rating">{format!(" · {} {n}/5", t.tr("penilaian", "rating"))}</span> }
                                })}
                            </p>
                            <p class="text-sm text-stone-600">
                                <time datetime=e.at.to_rfc3339()>{t.datetime(e.at, utc_offset_minutes)}</time>
                                " · "
                                {t.status(e.status)}
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// A button that copies `text` to the clipboard and says so; hidden until the page is
/// interactive (without JavaScript the text can be selected, or downloaded where offered).
#[component]
pub fn CopyButton(
    text: String,
    label: &'static str,
    done: &'static str,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let interactive = RwSignal::new(false);
    let copied = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    let on_copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <button
            type="button"
            class=class.unwrap_or(SECONDARY_BUTTON_CLASS)
            hidden=move || !interactive.get()
            on:click=on_copy
            data-testid=testid
        >
            {move || if copied.get() { done } else { label }}
        </button>
    }
}

/// A secret shown in groups of four characters that never break inside a group (a key typed
/// into an authenticator app by hand).
pub fn grouped(secret: &str) -> Vec<String> {
    secret
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect())
        .collect()
}

/// A prominent panel confirming a submission, with the tracking code and a copy button.
/// The button is hidden until the page is interactive; without JavaScript the code can still be
/// selected and written down.
#[component]
pub fn ConfirmationPanel(reference: String, code: String) -> impl IntoView {
    let t = texts();
    let copy_text = code.clone();
    view! {
        <section class="rounded bg-emerald-800 p-5 text-center text-white" aria-labelledby="sent-title" data-testid="confirmation">
            <h1 id="sent-title" class="text-2xl font-bold">{t.sent_title}</h1>
            <p class="mt-3">{t.reference_label} ": " <strong data-testid="reference">{reference}</strong></p>
            <p class="mt-4 text-sm">{t.sent_code_label}</p>
            <p class="mt-1 select-all whitespace-nowrap font-mono text-xl font-bold tracking-wide sm:text-3xl sm:tracking-wider" data-testid="tracking-code">
                {code}
            </p>
            <CopyButton
                text=copy_text
                label=t.copy_code
                done=t.copied
                class="mt-3 min-h-11 rounded border-2 border-white px-4 py-2 font-semibold hover:bg-emerald-900 focus:outline-none focus:ring-4 focus:ring-amber-400"
                testid="copy-code"
            />
            <p class="mt-4 text-sm">{t.sent_keep_code}</p>
        </section>
    }
}

/// What the public, the agency and the verifier will see of the reporter: the reporter sees it
/// before sending (it follows the privacy choices as they change), the verifier on the report.
#[component]
pub fn PrivacyPreview(
    anonymous: Signal<bool>,
    confidential: Signal<bool>,
    name_public: Signal<bool>,
    name: Signal<String>,
) -> impl IntoView {
    use crate::domain::views::{privacy_preview, Audience, ReporterShown};
    let t = texts();
    let rows = move || {
        let name = Some(name.get()).filter(|n| !n.trim().is_empty());
        privacy_preview(anonymous.get(), confidential.get(), name_public.get(), name)
            .into_iter()
            .map(|v| {
                let who = match v.audience {
                    Audience::Public => t.tr("Publik", "The public"),
                    Audience::Agency => t.tr("Instansi yang menangani", "The agency handling it"),
                    Audience::Verifier => t.tr("Verifikator", "Verifiers"),
                };
                let what = if !v.sees_report {
                    t.tr("Tidak melihat laporan ini sama sekali", "Does not see this report at all").to_string()
                } else {
                    let reporter = match v.reporter {
                        ReporterShown::Anonymous => t.tr("pelapor: Anonim", "reporter: Anonymous").to_string(),
                        ReporterShown::Named { name } => format!("{}{name}", t.tr("pelapor: ", "reporter: ")),
                        ReporterShown::NoName => t.tr("pelapor: tanpa nama", "reporter: no name").to_string(),
                    };
                    let reveal = if v.can_reveal_contact {
                        t.tr("; kontak hanya dapat dibuka dengan alasan, dan tercatat", "; contact details only opened with a reason, and recorded")
                    } else {
                        t.tr("; tanpa kontak", "; no contact details")
                    };
                    format!("{}{reporter}{reveal}", t.tr("Laporan, ", "The report, "))
                };
                view! {
                    <div class="border-t border-stone-200 py-1">
                        <dt class="font-semibold">{who}</dt>
                        <dd data-testid=format!("preview-{:?}", v.audience).to_lowercase()>{what}</dd>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="mt-4 rounded border border-stone-300 bg-white p-3" aria-labelledby="privacy-preview-title" data-testid="privacy-preview">
            <h2 id="privacy-preview-title" class="font-semibold">{t.tr("Siapa melihat apa", "Who sees what")}</h2>
            <dl class="mt-1 text-sm">{rows}</dl>
        </section>
    }
}
