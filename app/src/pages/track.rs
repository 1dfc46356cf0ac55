//! `/lacak` (look up a tracking code) and `/lacak/{code}` (the reporter's view of a report, also
//! the confirmation page right after submitting). Both are complete in the first HTML.

use crate::api::get_tracking;
use crate::components::act::{act_form, ActHeader, ActSubmit, FormSpec};
use crate::components::thread::{FileInput, Thread};
use crate::components::{
    ConfirmationPanel, Countdown, StageProgress, Timeline, BUTTON_CLASS, INPUT_CLASS,
};
use crate::domain::casework::{OwnReportCommand, TrackCommand};
use crate::domain::lifecycle::CommandKind;
use crate::domain::views::TrackView;
use crate::domain::{AppError, EventKind, Field, FieldError, TrackingCode};
use crate::texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The lookup form; `error` is shown next to the field.
#[component]
fn TrackLookupForm(initial: String, error: Option<String>) -> impl IntoView {
    let t = texts();
    let error = RwSignal::new(error);
    let on_submit = move |_ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let value = document()
                .get_element_by_id("f-code")
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            if TrackingCode::parse(&value).is_err() {
                _ev.prevent_default();
                error.set(Some(
                    t.field_error(Field::TrackingCode, FieldError::Invalid),
                ));
            }
        }
    };
    view! {
        <form method="get" action="/lacak" novalidate on:submit=on_submit class="mt-4" data-testid="track-form">
            <label for="f-code" class="block font-semibold">{t.code_label}</label>
            <p id="f-code-hint" class="text-sm text-stone-600">{t.code_hint}</p>
            {move || error.get().map(|e| view! {
                <p id="f-code-error" class="mt-1 font-semibold text-red-800" role="alert">{e}</p>
            })}
            <input
                id="f-code"
                name="kode"
                type="text"
                value=initial
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                class=format!("{INPUT_CLASS} font-mono uppercase tracking-wider")
                aria-describedby=move || if error.get().is_some() { "f-code-hint f-code-error" } else { "f-code-hint" }
                aria-invalid=move || error.get().is_some().then_some("true")
            />
            <button type="submit" class=format!("{BUTTON_CLASS} mt-4")>{t.track_submit}</button>
        </form>
    }
}

/// `/lacak`: look a report up by its tracking code. A well-formed code redirects to
/// `/lacak/{code}`; a malformed one is shown again with a message.
#[component]
pub fn TrackLookupPage() -> impl IntoView {
    let t = texts();
    let typed = use_query_map()
        .with_untracked(|q| q.get("kode"))
        .unwrap_or_default();
    let error = if typed.trim().is_empty() {
        None
    } else {
        match TrackingCode::parse(&typed) {
            Ok(_code) => {
                #[cfg(feature = "ssr")]
                leptos_axum::redirect(&format!("/lacak/{}", _code.as_str()));
                None
            }
            Err(_) => {
                super::set_status(422);
                Some(t.field_error(Field::TrackingCode, FieldError::Invalid))
            }
        }
    };
    // Too many lookups: said where the code is typed (the server answers 429 with this page).
    let error = if use_context::<crate::RateLimited>().is_some() {
        Some(t.rate_limited.to_string())
    } else {
        error
    };
    view! {
        <Title text=t.track_title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{t.track_title}</h1>
        <p class="mt-2">{t.track_lead}</p>
        <TrackLookupForm initial=typed error/>
    }
}

/// `/lacak/{code}`: the report the code opens.
#[component]
pub fn TrackPage() -> impl IntoView {
    let t = texts();
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code")).unwrap_or_default();
    let just_sent = use_query_map().with_untracked(|q| q.get("baru").as_deref() == Some("1"));
    let report = Resource::new_blocking(code, get_tracking);
    let sent = RwSignal::new(false);
    let reload = Callback::new(move |_| report.refetch());
    view! {
        <Title text=t.track_title/>
        <Meta name="robots" content="noindex"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let typed = code();
                match report.await {
                    Ok(view) => {
                        let grouped = TrackingCode::parse(&typed).map(|c| c.grouped()).unwrap_or_default();
                        let raw = TrackingCode::parse(&typed).map(|c| c.as_str().to_string()).unwrap_or_default();
                        view! {
                            <TrackDetails view code=grouped key=ReporterKey::Code(raw.clone())
                                file_base=format!("/lacak/{raw}/lampiran/") just_sent sent reload/>
                        }.into_any()
                    }
                    Err(AppError::NotFound) | Err(AppError::Validation(_)) => {
                        super::set_status(404);
                        view! {
                            <h1 class="text-2xl font-bold">{t.track_title}</h1>
                            <p class="mt-2 border-l-4 border-red-700 bg-white p-3 font-semibold" role="alert" data-testid="not-found">
                                {t.code_not_found}
                            </p>
                            <TrackLookupForm initial=typed error=None/>
                        }
                        .into_any()
                    }
                    Err(AppError::RateLimited) => {
                        super::set_status(429);
                        view! { <p role="alert" class="border-l-4 border-red-700 bg-white p-3">{t.rate_limited}</p> }.into_any()
                    }
                    Err(_) => view! { <super::ErrorMessage/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A report as its reporter sees it: details, stages, the conversation with the forms for what
/// they can do now (posted to `action`), and the history. Shared by `/lacak/{code}` and
/// `/laporan-saya/{id}`.
#[component]
pub fn TrackDetails(
    view: TrackView,
    code: String,
    key: ReporterKey,
    file_base: String,
    just_sent: bool,
    sent: RwSignal<bool>,
    reload: Callback<()>,
) -> impl IntoView {
    let t = texts();
    let tz = view.utc_offset_minutes;
    let region = view.region_name.clone();
    let category = view.category.clone().map(|c| {
        if t.lang == crate::i18n::Lang::En {
            c.name_en
        } else {
            c.name_id
        }
    });
    let privacy = match (view.anonymous, view.confidential) {
        (false, false) => t.privacy_public.to_string(),
        (true, false) => t.privacy_anonymous.to_string(),
        (false, true) => t.privacy_confidential.to_string(),
        (true, true) => format!("{}, {}", t.privacy_anonymous, t.privacy_confidential),
    };
    let row = |label: &'static str, value: String, testid: &'static str| {
        view! {
            <div class="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
                <dt class="font-semibold">{label}</dt>
                <dd class="sm:col-span-2" data-testid=testid>{value}</dd>
            </div>
        }
    };
    view! {
        {just_sent.then(|| view! {
            <ConfirmationPanel reference=view.reference.clone() code=code.clone()/>
            <section class="mt-6" aria-labelledby="next-title">
                <h2 id="next-title" class="text-xl font-bold">{t.next_title}</h2>
                <p class="mt-2">{t.next_body}</p>
            </section>
        })}
        <section class="mt-6" aria-labelledby="report-title">
            <p class="text-sm text-stone-600">{t.reference_label} " " <span data-testid="report-reference">{view.reference.clone()}</span></p>
            {if just_sent {
                view! { <h2 id="report-title" class="text-xl font-bold">{view.title.clone()}</h2> }.into_any()
            } else {
                view! { <h1 id="report-title" class="text-2xl font-bold">{view.title.clone()}</h1> }.into_any()
            }}
        </section>
        // What the reporter must do now, first: the banner and its forms, before anything else.
        <div id="tindakan" class=(!view.actions.is_empty()).then_some("mt-4")>
            {(!view.actions.is_empty()).then(|| view! {
                <div class="rounded border-l-8 border-amber-500 bg-amber-50 p-4" data-testid="act-banner">
                    <h2 id="act-title" class="text-lg font-bold">{banner_title(&view.actions)}</h2>
                    // The question, or the answer, to act on: right here, not in the thread below.
                    {asked(&view.actions, &view.thread).map(|(by, body)| view! {
                        <figure class="mt-2 rounded bg-white p-3" data-testid="banner-message">
                            <figcaption class="text-sm font-semibold text-stone-700">{by}</figcaption>
                            <blockquote class="mt-1 whitespace-pre-line break-words">{body}</blockquote>
                        </figure>
                    })}
                    <p class="mt-2">{banner_body(&view.actions)}</p>
                </div>
            })}
            <ReporterForms actions=ordered(view.actions.clone()) key sent reload/>
        </div>
        <section class="mt-6" aria-label=t.tr("Rincian laporan", "Report details")>
            <dl class="mt-3 divide-y divide-stone-200 rounded border border-stone-300 bg-white px-4">
                <div class="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
                    <dt class="font-semibold">{t.status_label}</dt>
                    <dd class="sm:col-span-2">
                        <strong data-testid="status">{t.status_for_reporter(view.status)}</strong>
                    </dd>
                </div>
                {view.due_at.map(|due| view! {
                    <div class="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
                        <dt class="font-semibold">{t.due_label}</dt>
                        <dd class="sm:col-span-2" data-testid="due">
                            <time datetime=due.to_rfc3339()>
                                {t.date(crate::domain::calendar::local_date(due - chrono::Duration::seconds(1), tz))}
                            </time>
                            {view.time_left.map(|tl| view! { <Countdown time_left=tl/> })}
                        </dd>
                    </div>
                })}
                {row(t.kind_label, t.kind(view.kind).to_string(), "kind")}
                {category.map(|c| row(t.category_label, c, "category"))}
                {region.map(|r| row(t.region_label, r, "region"))}
                {view.incident_date.map(|d| row(t.incident_date_label, t.date(d), "incident-date"))}
                {row(t.submitted_at, t.datetime(view.created_at, tz), "submitted-at")}
                {row(t.privacy_label, privacy, "privacy")}
                {view.rating.map(|n| row(t.tr("Penilaian Anda", "Your rating"), format!("{n} / 5"), "rating"))}
            </dl>
            <details class="mt-3 rounded border border-stone-300 bg-white p-3" open=view.thread.is_empty()>
                <summary class="cursor-pointer py-2.5 font-semibold">{t.tr("Yang Anda tulis", "What you wrote")}</summary>
                <p class="mt-2 whitespace-pre-line break-words" data-testid="own-text">{view.description.clone()}</p>
            </details>
        </section>
        <section class="mt-6" aria-labelledby="stages-title">
            <h2 id="stages-title" class="text-xl font-bold">{t.stages_title}</h2>
            <StageProgress current=view.stage/>
        </section>
        <section id="percakapan" class="mt-6" aria-labelledby="thread-title">
            <h2 id="thread-title" class="text-xl font-bold">{t.tr("Percakapan", "Conversation")}</h2>
            <Thread messages=view.thread.clone() file_base utc_offset_minutes=tz/>
        </section>
        <section class="mt-6" aria-labelledby="timeline-title">
            <h2 id="timeline-title" class="text-xl font-bold">{t.timeline_title}</h2>
            <Timeline entries=view.timeline.clone() utc_offset_minutes=tz rating=view.rating/>
        </section>
    }
}

/// The reporter's forms in the order a reporter decides: is it solved (confirm, or say what is
/// not), then an answer the verifier asked for, then more information.
fn ordered(mut actions: Vec<CommandKind>) -> Vec<CommandKind> {
    let rank = |a: &CommandKind| match a {
        CommandKind::Confirm => 0,
        CommandKind::Dispute => 1,
        CommandKind::AnswerHold => 2,
        _ => 3,
    };
    actions.sort_by_key(rank);
    actions
}

/// The verifier's question (on hold) or the agency's answer (to confirm or dispute), with who
/// wrote it: the latest such message of the thread.
fn asked(
    actions: &[CommandKind],
    thread: &[crate::domain::views::ThreadMessage],
) -> Option<(String, String)> {
    use crate::domain::views::MessageAuthor;
    let t = texts();
    let wanted = if actions.contains(&CommandKind::AnswerHold) {
        EventKind::PutOnHold
    } else if actions.contains(&CommandKind::Confirm) {
        EventKind::Answered
    } else {
        return None;
    };
    let m = thread
        .iter()
        .rev()
        .find(|m| m.event == Some(wanted) && !m.internal && !m.body.is_empty())?;
    let by = match &m.author {
        MessageAuthor::Agency { name } => name.clone(),
        _ => t.tr("Verifikator", "The verifier").to_string(),
    };
    Some((by, m.body.clone()))
}

/// The banner's title when the reporter has something to do.
fn banner_title(actions: &[CommandKind]) -> &'static str {
    let t = texts();
    if actions.contains(&CommandKind::AnswerHold) {
        t.tr(
            "Verifikator menunggu jawaban Anda",
            "The verifier is waiting for your answer",
        )
    } else if actions.contains(&CommandKind::Confirm) {
        t.tr(
            "Instansi sudah menjawab: apakah masalahnya selesai?",
            "The agency has answered: is the problem solved?",
        )
    } else {
        t.tr("Anda dapat menambah informasi", "You can add information")
    }
}

fn banner_body(actions: &[CommandKind]) -> &'static str {
    let t = texts();
    if actions.contains(&CommandKind::AnswerHold) {
        t.tr(
            "Laporan Anda belum diteruskan sampai pertanyaan di percakapan di bawah dijawab. Tulis jawaban Anda di sini.",
            "Your report is not dispatched until the question in the conversation below is answered. Write your answer here.",
        )
    } else if actions.contains(&CommandKind::Confirm) {
        t.tr(
            "Baca jawaban instansi di percakapan di bawah, lalu konfirmasi dan beri penilaian, atau jelaskan apa yang belum selesai.",
            "Read the agency's answer in the conversation below, then confirm and rate it, or say what is not solved yet.",
        )
    } else {
        t.tr(
            "Misalnya foto terbaru atau detail yang terlupa; instansi akan menerimanya.",
            "For example a newer photo or a detail you forgot; the agency will receive it.",
        )
    }
}

/// Which key the reporter's forms act with: the tracking code, or the report in their account.
#[derive(Clone, Debug, PartialEq)]
pub enum ReporterKey {
    Code(String),
    Report(i64),
}

impl ReporterKey {
    /// The page's own address (where the forms post without JavaScript).
    fn page(&self) -> String {
        match self {
            ReporterKey::Code(code) => format!("/lacak/{code}"),
            ReporterKey::Report(id) => format!("/laporan-saya/{id}"),
        }
    }
}

/// The reporter's forms for what they can do now, posted to the page's own address (multipart,
/// for the files). A refused post keeps the message typed and says what is wrong per field.
#[component]
fn ReporterForms(
    actions: Vec<CommandKind>,
    key: ReporterKey,
    sent: RwSignal<bool>,
    reload: Callback<()>,
) -> impl IntoView {
    let t = texts();
    // Sent just now (hydrated), or the page after the redirect of a post without JavaScript.
    let query = use_query_map();
    let shown = move || sent.get() || query.with(|q| q.get("terkirim").as_deref() == Some("1"));
    view! {
        {move || shown().then(|| view! {
            <p class="mt-3 border-l-4 border-emerald-700 bg-white p-3 font-semibold" role="status" data-testid="sent">
                {t.tr("Terkirim. Terima kasih.", "Sent. Thank you.")}
            </p>
        })}
        {actions.into_iter().map(|a| {
            let form = format!("reporter-{}", a.name());
            let done = move |_| {
                sent.set(true);
                reload.run(());
            };
            match &key {
                ReporterKey::Code(code) => {
                    let code = code.clone();
                    let spec = FormSpec::<TrackCommand>::new(key.page(), form).on_done(done);
                    reporter_form(spec, a, view! { <input type="hidden" name="code" value=code/> }).into_any()
                }
                ReporterKey::Report(id) => {
                    let id = *id;
                    let spec = FormSpec::<OwnReportCommand>::new(key.page(), form).on_done(done);
                    reporter_form(spec, a, view! { <input type="hidden" name="report" value=id.to_string()/> }).into_any()
                }
            }
        }).collect_view()}
    }
}

/// One of the reporter's forms (`a` is one of `CommandKind::REPORTER`), for either key.
fn reporter_form<A: crate::act::ActCall>(
    spec: FormSpec<A>,
    a: CommandKind,
    key_field: impl IntoView + 'static,
) -> impl IntoView {
    let t = texts();
    let (title, lead, submit) = match a {
        CommandKind::AnswerHold => (
            t.tr(
                "Jawab pertanyaan verifikator",
                "Answer the verifier's question",
            ),
            t.tr(
                "Laporan Anda menunggu jawaban ini sebelum diteruskan.",
                "Your report waits for this answer before it is dispatched.",
            ),
            t.tr("Kirim jawaban", "Send answer"),
        ),
        CommandKind::AddInformation => (
            t.tr("Tambah informasi", "Add information"),
            t.tr(
                "Misalnya foto terbaru atau detail yang terlupa.",
                "For example a newer photo or a detail you forgot.",
            ),
            t.tr("Kirim informasi", "Send information"),
        ),
        CommandKind::Confirm => (
            t.tr("Masalah sudah selesai?", "Is the problem solved?"),
            t.tr(
                "Konfirmasi dan beri penilaian untuk tindak lanjut instansi.",
                "Confirm and rate the agency's follow-up.",
            ),
            t.tr("Konfirmasi selesai", "Confirm it is solved"),
        ),
        _ => (
            t.tr("Belum selesai?", "Not solved?"),
            t.tr(
                "Jelaskan apa yang belum beres; laporan dikembalikan ke instansi.",
                "Say what is still wrong; the report goes back to the agency.",
            ),
            t.tr("Kirim sanggahan", "Send dispute"),
        ),
    };
    let rating = a.needs().rating;
    let name = a.name();
    let note_id = format!("f-note-{name}");
    let note_label = if rating {
        t.tr("Komentar (opsional)", "Comment (optional)")
    } else {
        t.field_label(Field::Message)
    };
    let spec = spec
        .files(true)
        .class("mt-4 rounded border border-stone-300 bg-white p-4");
    act_form(spec, move |st| {
        let chosen = st.value("rating");
        let note_value = st.value("note");
        let error_of = move |f: Field| move || st.outcome.with(|o| o.errors.get(&f).copied());
        let note_error = error_of(Field::Message);
        let rating_error = error_of(Field::Rating);
        view! {
            <h3 class="text-lg font-bold">{title}</h3>
            <p class="text-sm text-stone-700">{lead}</p>
            <ActHeader state=st shown=&[Field::Message, Field::Rating, Field::Attachments]/>
            {key_field}
            <input type="hidden" name="command" value=name/>
            {rating.then(|| view! {
                <fieldset class="mt-3" aria-describedby=move || rating_error().map(|_| "f-rating-error")>
                    <legend class="font-semibold">{t.tr("Penilaian", "Rating")}</legend>
                    {move || rating_error().map(|e| view! { <p id="f-rating-error" class="font-semibold text-red-800" role="alert">{t.field_error(Field::Rating, e)}</p> })}
                    <div class="mt-1 flex flex-wrap gap-2">
                        {(1..=5).map(|n| {
                            let id = format!("f-rating-{n}");
                            let label = match n {
                                1 => t.tr("1 — sangat buruk", "1 — very poor"),
                                2 => t.tr("2 — buruk", "2 — poor"),
                                3 => t.tr("3 — cukup", "3 — fair"),
                                4 => t.tr("4 — baik", "4 — good"),
                                _ => t.tr("5 — sangat baik", "5 — very good"),
                            };
                            view! {
                                <label for=id.clone() class="flex min-h-11 items-center gap-2 rounded border border-stone-400 px-3">
                                    <input id=id.clone() type="radio" name="rating" value=n.to_string() checked=chosen == n.to_string()/>
                                    {label}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            })}
            <label for=note_id.clone() class="mt-3 block font-semibold">{note_label}</label>
            {
                let id = note_id.clone();
                move || note_error().map(|e| view! { <p id=format!("{id}-error") class="mt-1 font-semibold text-red-800" role="alert">{t.field_error(Field::Message, e)}</p> })
            }
            <textarea id=note_id.clone() name="note" rows="4" class=INPUT_CLASS
                aria-invalid=move || note_error().map(|_| "true")
                aria-describedby={
                    let id = note_id.clone();
                    move || note_error().map(|_| format!("{id}-error"))
                }>{note_value}</textarea>
            <FileInput id=format!("f-files-{name}") errors=st.errors() dropped=st.value(crate::act::DROPPED_FILES)/>
            <ActSubmit state=st label=submit/>
        }
    })
}

/// `/laporan-saya/{id}`: a citizen's own report, with the same conversation and forms as the
/// tracking page (no code needed: the account is the key).
#[component]
pub fn MyReportPage() -> impl IntoView {
    let t = texts();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let report = Resource::new_blocking(id, crate::api::conversation::get_my_report);
    let sent = RwSignal::new(false);
    let reload = Callback::new(move |_| report.refetch());
    view! {
        <Title text=t.tr("Laporan saya", "My report")/>
        <Meta name="robots" content="noindex"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(view) => {
                        view! {
                            <p><a href="/laporan-saya" class="underline">{t.tr("← Semua laporan saya", "← All my reports")}</a></p>
                            <TrackDetails view code=String::new() key=ReporterKey::Report(id()) file_base="/lampiran/".to_string() just_sent=false sent reload/>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::components::fields::AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
