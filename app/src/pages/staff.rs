//! `/staf` (the work list of everything the signed-in person may see, soonest deadline first),
//! `/staf/laporan/{id}` (one report: details, the reporter as the policy allows, the audited
//! identity reveal, the commands this person may give now) and `/laporan-saya` (a citizen's own
//! reports, and claiming a report sent as a guest).

use crate::api::access::{get_staff_list, get_staff_report};
use crate::components::fields::{outcome_of, AccessRefused, FormHeader, Submit, TextField};
use crate::components::thread::{FileInput, Thread};
use crate::components::{Countdown, PrivacyPreview, Timeline, INPUT_CLASS};
use crate::domain::views::{ReporterShown, StaffReportPage, StaffReportRow};
use crate::domain::{Field, ReportStatus};
use crate::texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The list as a table (desktop) that stacks on phones.
#[component]
fn ReportTable(
    rows: Vec<StaffReportRow>,
    #[prop(default = "/staf/laporan/")] base: &'static str,
) -> impl IntoView {
    let t = texts();
    if rows.is_empty() {
        return view! { <p class="mt-4" data-testid="empty-list">{t.tr("Tidak ada laporan.", "No reports.")}</p> }.into_any();
    }
    view! {
        <ul class="mt-4 divide-y divide-stone-300 border-y border-stone-300" data-testid="report-list">
            {rows.into_iter().map(|r| {
                let href = format!("{base}{}", r.id);
                view! {
                    <li class="py-3">
                        <a class="font-semibold underline" href=href>{r.title.clone()}</a>
                        <p class="text-sm text-stone-700">
                            <span class="font-mono">{r.reference.clone()}</span>
                            " · " {t.kind(r.kind)}
                            " · " <span data-testid="row-status">{t.status(r.status)}</span>
                            {r.agency.clone().map(|a| view! { " · " {a.name} })}
                            {r.confidential.then(|| view! { " · " <strong>{t.tr("Rahasia", "Confidential")}</strong> })}
                        </p>
                        {r.time_left.map(|tl| view! { <Countdown time_left=tl/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

/// `/staf`.
#[component]
pub fn StaffListPage() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            (
                q.get("status").filter(|s| !s.is_empty()),
                q.get("terlambat").as_deref() == Some("1"),
            )
        })
    };
    let page = Resource::new_blocking(filters, |(status, overdue)| get_staff_list(status, overdue));
    let title = t.tr("Daftar kerja", "Work list");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <form method="get" action="/staf" class="mt-4 flex flex-wrap items-end gap-4" data-testid="filters">
            <div>
                <label for="f-status" class="block font-semibold">{t.tr("Status", "Status")}</label>
                <select id="f-status" name="status" class=INPUT_CLASS>
                    <option value="">{t.tr("Semua", "All")}</option>
                    {ReportStatus::ALL.into_iter().map(|s| {
                        let selected = filters().0.as_deref() == Some(s.as_str());
                        view! { <option value=s.as_str() selected=selected>{t.status(s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="flex items-center gap-2 pb-3">
                <input id="f-overdue" type="checkbox" name="terlambat" value="1" checked=filters().1 class="h-5 w-5"/>
                <label for="f-overdue">{t.tr("Hanya yang terlambat", "Overdue only")}</label>
            </div>
            <button type="submit" class="rounded border-2 border-stone-700 bg-white px-4 py-2 font-semibold focus:outline-none focus:ring-4 focus:ring-amber-400">
                {t.tr("Saring", "Filter")}
            </button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <ReportTable rows=p.rows/> }.into_any(),
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The button label of a command.
pub fn command_text(name: &str) -> &'static str {
    let t = texts();
    match name {
        "dispatch" => t.tr("Teruskan ke instansi", "Dispatch to an agency"),
        "hold" => t.tr("Tunda: minta keterangan pelapor", "Hold: ask the reporter"),
        "archive" => t.tr("Arsipkan", "Archive"),
        "answer_hold" => t.tr("Jawab pertanyaan verifikator", "Answer the verifier"),
        "delegate" => t.tr("Delegasikan ke unit", "Delegate to a unit"),
        "return_not_ours" => t.tr(
            "Kembalikan: bukan kewenangan kami",
            "Return: not our business",
        ),
        "follow_up" => t.tr("Catat tindak lanjut", "Record a follow-up"),
        "interim_reply" => t.tr("Kirim jawaban sementara", "Send an interim reply"),
        "extend" => t.tr("Perpanjang batas waktu", "Extend the deadline"),
        "answer" => t.tr("Tandai sudah dijawab", "Mark as answered"),
        "confirm" => t.tr("Konfirmasi selesai", "Confirm resolved"),
        "add_information" => t.tr("Tambah informasi", "Add information"),
        "dispute" => t.tr("Sanggah jawaban", "Dispute the answer"),
        "reopen" => t.tr("Buka kembali", "Reopen"),
        "uphold_appeal" => t.tr("Terima banding", "Uphold the appeal"),
        "reject_appeal" => t.tr("Tolak banding", "Reject the appeal"),
        _ => "?",
    }
}

/// One form per command this person may give now.
#[component]
fn CommandForms(page: StaffReportPage) -> impl IntoView {
    let t = texts();
    let id = page.view.row.id;
    let action = format!("/staf/laporan/{id}");
    let o = outcome_of(&page.outcome, "command");
    if page.view.commands.is_empty() {
        return view! {
            <p class="mt-2 text-stone-700" data-testid="no-commands">{t.tr(
                "Tidak ada tindakan yang dapat Anda lakukan pada tahap ini.",
                "There is nothing you can do at this stage.",
            )}</p>
        }
        .into_any();
    }
    view! {
        <FormHeader outcome=o.clone()/>
        {page.view.commands.iter().map(|c| {
            let c = c.clone();
            let needs_agency = c == "dispatch";
            let needs_unit = c == "delegate";
            let needs_reason = c == "archive";
            let needs_rating = c == "confirm";
            let note_id = format!("f-note-{c}");
            let mine = o.value("command") == c;
            let note_value = if mine { o.value("note") } else { String::new() };
            let errors = if mine { o.errors.clone() } else { Default::default() };
            // Commands whose message the reporter reads may carry files.
            let with_files = matches!(c.as_str(), "hold" | "follow_up" | "interim_reply" | "extend" | "answer" | "reopen");
            let note_label = match c.as_str() {
                "hold" => t.tr("Pertanyaan untuk pelapor", "Question to the reporter"),
                "follow_up" | "interim_reply" | "answer" => t.tr("Pesan untuk pelapor", "Message to the reporter"),
                "extend" => t.tr("Alasan perpanjangan (dibaca pelapor)", "Reason for the extension (the reporter reads it)"),
                "return_not_ours" => t.tr("Alasan (catatan internal)", "Reason (internal note)"),
                _ => t.tr("Catatan (opsional)", "Note (optional)"),
            };
            view! {
                <form method="post" action=action.clone() enctype=with_files.then_some("multipart/form-data")
                    class="mt-4 rounded border border-stone-300 bg-white p-4" data-testid=format!("command-{c}")>
                    <input type="hidden" name="action" value="command"/>
                    <input type="hidden" name="command" value=c.clone()/>
                    {needs_agency.then(|| view! {
                        <label for="f-agency" class="block font-semibold">{t.field_label(Field::Agency)}</label>
                        <select id="f-agency" name="agency" class=INPUT_CLASS>
                            {page.agencies.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                        </select>
                    })}
                    {needs_unit.then(|| view! {
                        <label for="f-unit" class="block font-semibold">{t.tr("Unit", "Unit")}</label>
                        <select id="f-unit" name="unit" class=INPUT_CLASS>
                            {page.units.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                        </select>
                    })}
                    {needs_reason.then(|| view! {
                        <label for="f-reason" class="block font-semibold">{t.tr("Alasan pengarsipan", "Reason for archiving")}</label>
                        <select id="f-reason" name="reason" class=INPUT_CLASS>
                            <option value="out_of_scope">{t.tr("Di luar kewenangan layanan publik", "Outside public services")}</option>
                            <option value="too_vague">{t.tr("Terlalu samar", "Too vague")}</option>
                            <option value="duplicate">{t.tr("Duplikat", "Duplicate")}</option>
                            <option value="spam">{t.tr("Spam", "Spam")}</option>
                        </select>
                    })}
                    {needs_rating.then(|| view! {
                        <label for="f-rating" class="block font-semibold">{t.tr("Penilaian (1–5)", "Rating (1–5)")}</label>
                        <select id="f-rating" name="rating" class=INPUT_CLASS>
                            {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                        </select>
                    })}
                    <label for=note_id.clone() class="mt-2 block font-semibold">{note_label}</label>
                    <textarea id=note_id.clone() name="note" rows=if with_files { "4" } else { "2" } class=INPUT_CLASS>{note_value}</textarea>
                    {with_files.then(|| view! { <FileInput id=format!("f-files-{c}") errors=errors.clone()/> })}
                    <button type="submit" class="mt-3 rounded bg-emerald-800 px-4 py-2 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400">
                        {command_text(&c)}
                    </button>
                </form>
            }
        }).collect_view()}
    }.into_any()
}

/// The reporter, as the policy lets this person see them, and the reveal.
#[component]
fn ReporterPanel(page: StaffReportPage) -> impl IntoView {
    let t = texts();
    let shown = match &page.view.reporter {
        ReporterShown::Anonymous => t.tr("Anonim", "Anonymous").to_string(),
        ReporterShown::Named { name } => name.clone(),
        ReporterShown::NoName => t.tr("Tanpa nama", "No name given").to_string(),
    };
    let id = page.view.row.id;
    let o = outcome_of(&page.outcome, "reveal");
    let preview_name = match &page.view.reporter {
        ReporterShown::Named { name } => name.clone(),
        _ => String::new(),
    };
    let (anonymous, confidential) = (page.view.anonymous, page.view.row.confidential);
    view! {
        <h2 class="mt-6 text-lg font-bold">{t.tr("Pelapor", "Reporter")}</h2>
        <p data-testid="reporter">{shown}</p>
        {page.view.can_reveal.then(|| view! {
            <PrivacyPreview
                anonymous=Signal::stored(anonymous)
                confidential=Signal::stored(confidential)
                name=Signal::stored(preview_name)
            />
        })}
        {match (page.revealed.clone(), page.view.can_reveal) {
            (Some(r), _) => view! {
                <dl class="mt-2 border-l-4 border-amber-600 bg-white p-3" data-testid="revealed">
                    <dt class="font-semibold">{t.tr("Nama", "Name")}</dt><dd>{r.name.unwrap_or_else(|| "—".into())}</dd>
                    <dt class="font-semibold">{t.tr("Email", "Email")}</dt><dd>{r.email.unwrap_or_else(|| "—".into())}</dd>
                    <dt class="font-semibold">{t.tr("Telepon", "Phone")}</dt><dd>{r.phone.unwrap_or_else(|| "—".into())}</dd>
                    <dt class="font-semibold">{t.tr("Akun", "Account")}</dt><dd>{r.account.unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <p class="text-sm text-stone-600">{t.tr("Pembukaan identitas ini telah dicatat.", "This reveal has been recorded.")}</p>
            }.into_any(),
            (None, true) => view! {
                <form method="post" action=format!("/staf/laporan/{id}") class="mt-2" data-testid="reveal-form">
                    <input type="hidden" name="action" value="reveal"/>
                    <FormHeader outcome=o.clone()/>
                    <TextField field=Field::Reason name="reason" value=o.value("reason")
                        hint=t.tr("Alasan membuka identitas pelapor (dicatat dalam log audit).", "Why you need the reporter's identity (recorded in the audit log).")
                        outcome=o.clone()/>
                    <Submit label=t.tr("Tampilkan identitas pelapor", "Show the reporter's identity")/>
                </form>
            }.into_any(),
            (None, false) => ().into_any(),
        }}
    }
}

/// `/staf/laporan/{id}`.
#[component]
pub fn StaffReportPage() -> impl IntoView {
    let t = texts();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let page = Resource::new_blocking(id, get_staff_report);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let v = p.view.clone();
                        view! {
                            <Title text=v.row.title.clone()/>
                            <p class="font-mono text-sm" data-testid="reference">{v.row.reference.clone()}</p>
                            <h1 class="text-2xl font-bold">{v.row.title.clone()}</h1>
                            <p class="mt-2">
                                {t.kind(v.row.kind)} " · "
                                <strong data-testid="status">{t.status(v.row.status)}</strong>
                                {v.row.time_left.map(|tl| view! { <Countdown time_left=tl/> })}
                            </p>
                            {v.row.confidential.then(|| view! {
                                <p class="mt-2 inline-block rounded bg-amber-100 px-2 py-1 font-semibold text-amber-900">{t.tr("Rahasia: tidak dipublikasikan", "Confidential: never published")}</p>
                            })}
                            <dl class="mt-4 grid grid-cols-1 gap-x-4 sm:grid-cols-3">
                                <dt class="font-semibold">{t.field_label(Field::Agency)}</dt>
                                <dd class="sm:col-span-2" data-testid="agency">{v.row.agency.clone().map(|a| a.name).unwrap_or_else(|| t.tr("Belum diteruskan", "Not dispatched yet").to_string())}</dd>
                                <dt class="font-semibold">{t.category_label}</dt>
                                <dd class="sm:col-span-2">{v.category.clone().map(|c| if t.lang == crate::i18n::Lang::Id { c.name_id } else { c.name_en }).unwrap_or_else(|| "—".into())}</dd>
                                <dt class="font-semibold">{t.tr("Lokasi", "Location")}</dt>
                                <dd class="sm:col-span-2">{v.region_name.clone().unwrap_or_else(|| "—".into())}</dd>
                            </dl>
                            <h2 class="mt-6 text-lg font-bold">{t.description_label}</h2>
                            <p class="whitespace-pre-line" data-testid="description">{v.description.clone()}</p>
                            <ReporterPanel page=p.clone()/>
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Percakapan", "Conversation")}</h2>
                            <Thread messages=v.thread.clone() file_base="/lampiran/".to_string() utc_offset_minutes=v.row.utc_offset_minutes/>
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Tindakan", "Actions")}</h2>
                            <CommandForms page=p.clone()/>
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Riwayat", "History")}</h2>
                            <Timeline entries=v.timeline.clone() utc_offset_minutes=v.row.utc_offset_minutes/>
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/laporan-saya`: a citizen's reports and the claim form.
#[component]
pub fn MyReportsPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| get_staff_list(None, false));
    let title = t.tr("Laporan saya", "My reports");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let o = outcome_of(&p.outcome, "claim");
                        view! {
                            <ReportTable rows=p.rows base="/laporan-saya/"/>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Tambahkan laporan yang dikirim tanpa akun", "Add a report sent without an account")}</h2>
                            <form method="post" action="/laporan-saya" novalidate class="mt-2" data-testid="claim-form">
                                <FormHeader outcome=o.clone()/>
                                <TextField field=Field::TrackingCode name="kode" value=o.value("kode") hint=t.code_hint outcome=o.clone()/>
                                <Submit label=t.tr("Tambahkan", "Add")/>
                            </form>
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/notifikasi`: the bell's list, newest first, and "mark all read".
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| crate::api::access::get_notifications());
    let title = t.tr("Notifikasi", "Notifications");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="mt-4" data-testid="no-notifications">{t.tr("Belum ada notifikasi.", "No notifications yet.")}</p>
                    }.into_any(),
                    Ok(list) => {
                        let unread = list.iter().any(|n| !n.read);
                        view! {
                            {unread.then(|| view! {
                                <form method="post" action="/notifikasi" class="mt-2">
                                    <input type="hidden" name="action" value="read_all"/>
                                    <Submit label=t.tr("Tandai semua sudah dibaca", "Mark all as read")/>
                                </form>
                            })}
                            <ul class="mt-4 divide-y divide-stone-300 border-y border-stone-300" data-testid="notifications">
                                {list.into_iter().map(|n| view! {
                                    <li class=if n.read { "py-3" } else { "py-3 font-semibold" } data-testid="notification">
                                        <a href=n.href class="underline">{n.title.clone()}</a>
                                        <p class="text-sm text-stone-700">
                                            {n.reference.clone()} " · " {t.event(n.event)} " · "
                                            <time datetime=n.at.to_rfc3339()>{t.datetime(n.at, n.utc_offset_minutes)}</time>
                                            {(!n.read).then(|| view! { " · " <span>{t.tr("baru", "new")}</span> })}
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
