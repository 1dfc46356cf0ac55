//! `/staf` (the work list of everything the signed-in person may see, soonest deadline first),
//! `/staf/laporan/{id}` (one report: details, the reporter as the policy allows, the audited
//! identity reveal, the commands this person may give now) and `/laporan-saya` (a citizen's own
//! reports, and claiming a report sent as a guest).

use crate::act::refusal_for;
use crate::api::casework::{get_staff_list, get_staff_report};
use crate::components::act::{act_form, ActFieldMessage, ActHeader, ActSubmit, FormSpec};
use crate::components::fields::{AccessRefused, TextField};
use crate::components::thread::{FileInput, Thread};
use crate::components::{Countdown, PrivacyPreview, Timeline, INPUT_CLASS};
use crate::domain::accounts::{ClaimReport, MarkAllRead};
use crate::domain::casework::{
    AddCoAgency, MarkDuplicate, RaisePrivacy, RequestCoAgency, RevealIdentity, SetPriority,
    SetPublicVersion, StaffCommand,
};
use crate::domain::lifecycle::{ArchiveReason, CommandKind};
use crate::domain::office::{CreateTemplate, RetireTemplate};
use crate::domain::views::{ReporterShown, StaffReportPage, StaffReportRow};
use crate::domain::FieldError;
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
                            {(r.priority > 0).then(|| view! { " · " <PriorityBadge priority=r.priority/> })}
                        </p>
                        {r.time_left.map(|tl| view! { <Countdown time_left=tl/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}

/// The filters of the work list, as in the address (`/staf?status=…&jenis=…`).
#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    status: Option<String>,
    overdue: bool,
    kind: Option<String>,
    category: Option<i32>,
    region: Option<String>,
    q: Option<String>,
    older: Option<u32>,
    agency: Option<i32>,
    measure: Option<String>,
    months: Option<String>,
}

/// `/staf`: the queue, most urgent first (priority, then the soonest deadline), with filters
/// that work without JavaScript (a GET form).
#[component]
pub fn StaffListPage() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            let text = |k: &str| q.get(k).filter(|s| !s.trim().is_empty());
            Filters {
                status: text("status"),
                overdue: q.get("terlambat").as_deref() == Some("1"),
                kind: text("jenis"),
                category: text("kategori").and_then(|c| c.parse().ok()),
                region: text("wilayah"),
                q: text("q"),
                older: text("umur").and_then(|c| c.parse().ok()),
                agency: text("instansi").and_then(|c| c.parse().ok()),
                measure: text("ukuran"),
                months: text("bulan"),
            }
        })
    };
    let page = Resource::new_blocking(filters, |f| {
        get_staff_list(
            f.status, f.overdue, f.kind, f.category, f.region, f.q, f.older, f.agency, f.measure,
            f.months,
        )
    });
    let title = t.tr("Daftar kerja", "Work list");
    let label = "block font-semibold";
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let f = filters();
                match page.await {
                    Ok(p) => view! {
                        {f.measure.clone().map(|m| {
                            let label = crate::domain::stats::Measure::parse(&m).map(super::public::measure_text).unwrap_or("");
                            view! {
                                <p class="mt-4 border-l-4 border-emerald-700 bg-white p-3" role="status" data-testid="drill-down">
                                    {t.tr("Laporan di balik angka statistik: ", "Reports behind the statistic: ")}
                                    <strong>{label}</strong>
                                    {f.months.clone().map(|m| format!(" ({})", m.replace("..", " – ")))}
                                    " · " <a href="/staf" class="font-semibold underline">{t.tr("tampilkan semua", "show all")}</a>
                                </p>
                            }
                        })}
                        <form method="get" action="/staf" class="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="filters">
                            {f.measure.clone().map(|m| view! { <input type="hidden" name="ukuran" value=m/> })}
                            {f.months.clone().map(|m| view! { <input type="hidden" name="bulan" value=m/> })}
                            {f.agency.map(|a| view! { <input type="hidden" name="instansi" value=a.to_string()/> })}
                            <div>
                                <label for="f-q" class=label>{t.tr("Cari", "Search")}</label>
                                <input id="f-q" name="q" type="search" value=f.q.clone().unwrap_or_default() class=INPUT_CLASS/>
                            </div>
                            <div>
                                <label for="f-status" class=label>{t.tr("Status", "Status")}</label>
                                <select id="f-status" name="status" class=INPUT_CLASS>
                                    <option value="">{t.tr("Semua", "All")}</option>
                                    {ReportStatus::ALL.into_iter().map(|s| {
                                        let selected = f.status.as_deref() == Some(s.as_str());
                                        view! { <option value=s.as_str() selected=selected>{t.status(s)}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="f-kind" class=label>{t.tr("Jenis", "Kind")}</label>
                                <select id="f-kind" name="jenis" class=INPUT_CLASS>
                                    <option value="">{t.tr("Semua", "All")}</option>
                                    {crate::domain::ReportKind::ALL.into_iter().map(|k| {
                                        let selected = f.kind.as_deref() == Some(k.as_str());
                                        view! { <option value=k.as_str() selected=selected>{t.kind(k)}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="f-category" class=label>{t.category_label}</label>
                                <select id="f-category" name="kategori" class=INPUT_CLASS>
                                    <option value="">{t.tr("Semua", "All")}</option>
                                    {p.categories.iter().map(|c| {
                                        let selected = f.category == Some(c.id);
                                        let name = if t.lang == crate::i18n::Lang::En { c.name_en.clone() } else { c.name_id.clone() };
                                        view! { <option value=c.id.to_string() selected=selected>{name}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="f-region" class=label>{t.tr("Provinsi", "Province")}</label>
                                <select id="f-region" name="wilayah" class=INPUT_CLASS>
                                    <option value="">{t.tr("Semua", "All")}</option>
                                    {p.provinces.iter().map(|r| {
                                        let selected = f.region.as_deref() == Some(r.code.as_str());
                                        view! { <option value=r.code.clone() selected=selected>{r.name.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="f-age" class=label>{t.tr("Umur laporan", "Age")}</label>
                                <select id="f-age" name="umur" class=INPUT_CLASS>
                                    <option value="">{t.tr("Semua", "All")}</option>
                                    {[3u32, 7, 14, 30].into_iter().map(|d| {
                                        let text = if t.lang == crate::i18n::Lang::En { format!("{d} days or older") } else { format!("{d} hari atau lebih") };
                                        view! { <option value=d.to_string() selected=f.older == Some(d)>{text}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="flex items-center gap-2 pt-6">
                                <input id="f-overdue" type="checkbox" name="terlambat" value="1" checked=f.overdue class="h-5 w-5"/>
                                <label for="f-overdue">{t.tr("Hanya yang terlambat", "Overdue only")}</label>
                            </div>
                            <div class="pt-5">
                                <button type="submit" class="rounded border-2 border-stone-700 bg-white px-4 py-2 font-semibold focus:outline-none focus:ring-4 focus:ring-amber-400">
                                    {t.tr("Saring", "Filter")}
                                </button>
                            </div>
                        </form>
                        <ReportTable rows=p.rows/>
                    }.into_any(),
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "High" or "urgent", for reports a verifier raised.
#[component]
fn PriorityBadge(priority: i32) -> impl IntoView {
    let t = texts();
    let text = if priority >= 2 {
        t.tr("Mendesak", "Urgent")
    } else {
        t.tr("Prioritas tinggi", "High priority")
    };
    view! { <strong class="rounded bg-red-100 px-2 text-red-900" data-testid="priority">{text}</strong> }
}

/// The button label of a command.
pub fn command_text(kind: CommandKind) -> &'static str {
    let t = texts();
    use CommandKind as K;
    match kind {
        K::Dispatch => t.tr("Teruskan ke instansi", "Dispatch to an agency"),
        K::Hold => t.tr("Tunda: minta keterangan pelapor", "Hold: ask the reporter"),
        K::Archive => t.tr("Arsipkan", "Archive"),
        K::AnswerHold => t.tr("Jawab pertanyaan verifikator", "Answer the verifier"),
        K::Delegate => t.tr("Delegasikan ke unit", "Delegate to a unit"),
        K::ReturnNotOurs => t.tr(
            "Kembalikan: bukan kewenangan kami",
            "Return: not our business",
        ),
        K::FollowUp => t.tr("Catat tindak lanjut", "Record a follow-up"),
        K::InterimReply => t.tr("Kirim jawaban sementara", "Send an interim reply"),
        K::Extend => t.tr("Perpanjang batas waktu", "Extend the deadline"),
        K::Answer => t.tr("Tandai sudah dijawab", "Mark as answered"),
        K::Confirm => t.tr("Konfirmasi selesai", "Confirm resolved"),
        K::AddInformation => t.tr("Tambah informasi", "Add information"),
        K::Dispute => t.tr("Sanggah jawaban", "Dispute the answer"),
        K::Reopen => t.tr("Buka kembali", "Reopen"),
        K::UpholdAppeal => t.tr("Terima banding", "Uphold the appeal"),
        K::RejectAppeal => t.tr("Tolak banding", "Reject the appeal"),
        K::ExpireHold | K::RemindReporter | K::CloseUnconfirmed => "?",
    }
}

/// The label of an archive reason.
pub fn archive_reason_text(reason: ArchiveReason) -> &'static str {
    let t = texts();
    match reason {
        ArchiveReason::OutOfScope => t.tr(
            "Di luar kewenangan layanan publik",
            "Outside public services",
        ),
        ArchiveReason::TooVague => t.tr("Terlalu samar", "Too vague"),
        ArchiveReason::Duplicate => t.tr("Duplikat", "Duplicate"),
        ArchiveReason::Spam => t.tr("Spam", "Spam"),
    }
}

/// One form per command this person may give now, each built from what its kind needs.
#[component]
fn CommandForms(page: StaffReportPage, reload: Callback<()>) -> impl IntoView {
    let t = texts();
    let id = page.view.row.id;
    let to = format!("/staf/laporan/{id}");
    if page.view.commands.is_empty() {
        return view! {
            <p class="mt-2 text-stone-700" data-testid="no-commands">{t.tr(
                "Tidak ada tindakan yang dapat Anda lakukan pada tahap ini.",
                "There is nothing you can do at this stage.",
            )}</p>
        }
        .into_any();
    }
    page.view.commands.iter().map(|&c| {
        let needs = c.needs();
        let name = c.name();
        let note_id = format!("f-note-{name}");
        let suggested = page.help.as_ref().and_then(|h| h.suggestion.as_ref()).map(|a| a.id);
        let template = if needs.reply { page.template_text.clone().unwrap_or_default() } else { String::new() };
        let with_files = c.takes_files();
        let note_label = match c {
            CommandKind::Hold => t.tr("Pertanyaan untuk pelapor", "Question to the reporter"),
            _ if needs.reply => t.tr("Pesan untuk pelapor", "Message to the reporter"),
            CommandKind::Extend => t.tr("Alasan perpanjangan (dibaca pelapor)", "Reason for the extension (the reporter reads it)"),
            CommandKind::ReturnNotOurs => t.tr("Alasan (catatan internal)", "Reason (internal note)"),
            _ => t.tr("Catatan (opsional)", "Note (optional)"),
        };
        let agencies = page.agencies.clone();
        let units = page.units.clone();
        let spec = FormSpec::<StaffCommand>::new(to.clone(), format!("command-{name}"))
            .files(with_files)
            .class("mt-4 rounded border border-stone-300 bg-white p-4")
            .on_done(move |_| reload.run(()));
        act_form(spec, move |st| {
            let typed = st.value("note");
            let note_value = if typed.is_empty() { template } else { typed };
            let near_duplicate = move || st.outcome.with(|o| o.errors.get(&Field::Message) == Some(&FieldError::NearDuplicate));
            view! {
                <h3 class="mb-2 font-bold">{command_text(c)}</h3>
                <ActHeader state=st shown=&[Field::Message, Field::Attachments]/>
                <input type="hidden" name="report" value=id.to_string()/>
                <input type="hidden" name="command" value=name/>
                {needs.agency.then(|| view! {
                    <label for="f-agency" class="block font-semibold">{t.field_label(Field::Agency)}</label>
                    <select id="f-agency" name="agency" class=INPUT_CLASS>
                        {agencies.iter().map(|a| view! { <option value=a.id.to_string() selected=suggested == Some(a.id)>{a.name.clone()}</option> }).collect_view()}
                    </select>
                })}
                {needs.unit.then(|| view! {
                    <label for="f-unit" class="block font-semibold">{t.tr("Unit", "Unit")}</label>
                    <select id="f-unit" name="unit" class=INPUT_CLASS>
                        {units.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                    </select>
                })}
                {needs.archive_reason.then(|| view! {
                    <label for="f-reason" class="block font-semibold">{t.tr("Alasan pengarsipan", "Reason for archiving")}</label>
                    <select id="f-reason" name="reason" class=INPUT_CLASS>
                        {ArchiveReason::ALL.into_iter().map(|r| view! { <option value=r.name()>{archive_reason_text(r)}</option> }).collect_view()}
                    </select>
                })}
                {needs.rating.then(|| view! {
                    <label for="f-rating" class="block font-semibold">{t.tr("Penilaian (1–5)", "Rating (1–5)")}</label>
                    <select id="f-rating" name="rating" class=INPUT_CLASS>
                        {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    </select>
                })}
                <label for=note_id.clone() class="mt-2 block font-semibold">{note_label}</label>
                {move || st.outcome.with(|o| o.errors.get(&Field::Message).copied()).filter(|e| *e != FieldError::NearDuplicate).map(|e| view! {
                    <p class="mt-1 font-semibold text-red-800" role="alert">{t.field_error(Field::Message, e)}</p>
                })}
                <textarea id=note_id.clone() name="note" rows=if with_files { "4" } else { "2" } class=INPUT_CLASS>{note_value}</textarea>
                {move || near_duplicate().then(|| view! {
                    <p class="mt-2 border-l-4 border-amber-600 bg-amber-50 p-2 font-semibold" role="alert" data-testid="near-duplicate">
                        {t.tr(
                            "Balasan ini hampir sama persis dengan balasan yang sudah dikirim pada laporan lain. Sesuaikan dengan laporan ini, atau centang di bawah bila memang sama.",
                            "This reply is nearly identical to one already sent on another report. Make it fit this report, or tick below if it really is the same.",
                        )}
                    </p>
                    <div class="mt-1 flex items-center gap-2">
                        <input id=format!("f-confirm-{name}") type="checkbox" name="confirm_similar" value="1" class="h-5 w-5"/>
                        <label for=format!("f-confirm-{name}")>{t.tr("Tetap kirim balasan ini", "Send this reply anyway")}</label>
                    </div>
                })}
                {with_files.then(|| view! { <FileInput id=format!("f-files-{name}") errors=st.errors()/> })}
                <ActSubmit state=st label=command_text(c)
                    class="rounded bg-emerald-800 px-4 py-2 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400"/>
            }
        })
    }).collect_view().into_any()
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
    let preview_name = match &page.view.reporter {
        ReporterShown::Named { name } => name.clone(),
        _ => String::new(),
    };
    let (anonymous, confidential) = (page.view.anonymous, page.view.row.confidential);
    let can_reveal = page.view.can_reveal;
    // Shown in answer to the reveal (never in a URL, never cached).
    let revealed = RwSignal::new(page.revealed.clone());
    let reveal_form = move || {
        let spec = FormSpec::<RevealIdentity>::new(format!("/staf/laporan/{id}"), "reveal-form")
            .class("mt-2")
            .on_done(move |r| revealed.set(Some(r)));
        act_form(spec, move |st| {
            view! {
                <input type="hidden" name="report" value=id.to_string()/>
                <ActHeader state=st shown=&[Field::Reason]/>
                <TextField field=Field::Reason name="reason" value=st.value("reason")
                    hint=t.tr("Alasan membuka identitas pelapor (dicatat dalam log audit).", "Why you need the reporter's identity (recorded in the audit log).")
                    outcome=Default::default() act=st/>
                <ActSubmit state=st label=t.tr("Tampilkan identitas pelapor", "Show the reporter's identity")/>
            }
        })
    };
    view! {
        <h2 class="mt-6 text-lg font-bold">{t.tr("Pelapor", "Reporter")}</h2>
        <p data-testid="reporter">{shown}</p>
        {can_reveal.then(|| view! {
            <PrivacyPreview
                anonymous=Signal::stored(anonymous)
                confidential=Signal::stored(confidential)
                name_public=Signal::stored(page.view.name_public)
                name=Signal::stored(preview_name)
            />
        })}
        {move || match (revealed.get(), can_reveal) {
            (Some(r), _) => view! {
                <dl class="mt-2 border-l-4 border-amber-600 bg-white p-3" data-testid="revealed">
                    <dt class="font-semibold">{t.tr("Nama", "Name")}</dt><dd>{r.name.unwrap_or_else(|| "—".into())}</dd>
                    <dt class="font-semibold">{t.tr("Email", "Email")}</dt><dd>{r.email.unwrap_or_else(|| "—".into())}</dd>
                    <dt class="font-semibold">{t.tr("Telepon", "Phone")}</dt><dd>{r.phone.unwrap_or_else(|| "—".into())}</dd>
                    <dt class="font-semibold">{t.tr("Akun", "Account")}</dt><dd>{r.account.unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <p class="text-sm text-stone-600">{t.tr("Pembukaan identitas ini telah dicatat.", "This reveal has been recorded.")}</p>
            }.into_any(),
            (None, true) => reveal_form().into_any(),
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
    let query = use_query_map();
    let key = move || {
        (
            id(),
            query.with(|q| q.get("templat").and_then(|t| t.parse::<i32>().ok())),
        )
    };
    let page = Resource::new_blocking(key, |(id, template)| get_staff_report(id, template));
    // After an action done without leaving the page: its data again (the old stays shown).
    let reload = Callback::new(move |_| page.refetch());
    view! {
        <Meta name="robots" content="noindex"/>
        <Transition fallback=|| ()>
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
                            {(v.priority > 0).then(|| view! { <p class="mt-2"><PriorityBadge priority=v.priority/></p> })}
                            {v.duplicate_of.clone().map(|d| view! {
                                <p class="mt-2" data-testid="duplicate-of">{t.tr("Duplikat dari", "Duplicate of")} " " <strong>{d}</strong></p>
                            })}
                            <dl class="mt-4 grid grid-cols-1 gap-x-4 sm:grid-cols-3">
                                <dt class="font-semibold">{t.field_label(Field::Agency)}</dt>
                                <dd class="sm:col-span-2" data-testid="agency">{v.row.agency.clone().map(|a| a.name).unwrap_or_else(|| t.tr("Belum diteruskan", "Not dispatched yet").to_string())}</dd>
                                {(!v.co_agencies.is_empty()).then(|| view! {
                                    <dt class="font-semibold">{t.tr("Instansi pendamping", "Co-agencies")}</dt>
                                    <dd class="sm:col-span-2" data-testid="co-agencies">{v.co_agencies.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("; ")}</dd>
                                })}
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
                            <h2 id="tindakan" class="mt-6 text-lg font-bold">{t.tr("Tindakan", "Actions")}</h2>
                            {p.help.clone().map(|help| view! { <DispatchHelpPanel help/> })}
                            <TemplateLinks id=v.row.id templates=p.templates.clone()/>
                            <CommandForms page=p.clone() reload/>
                            <TriagePanel page=p.clone() reload/>
                            <PublicVersionPanel page=p.clone()/>
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Riwayat", "History")}</h2>
                            <Timeline entries=v.timeline.clone() utc_offset_minutes=v.row.utc_offset_minutes/>
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/laporan-saya`: a citizen's reports and the claim form.
#[component]
pub fn MyReportsPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(
        || (),
        |_| get_staff_list(None, false, None, None, None, None, None, None, None, None),
    );
    let reload = Callback::new(move |_| page.refetch());
    let title = t.tr("Laporan saya", "My reports");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        view! {
                            <ReportTable rows=p.rows base="/laporan-saya/"/>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Tambahkan laporan yang dikirim tanpa akun", "Add a report sent without an account")}</h2>
                            {act_form(
                                FormSpec::<ClaimReport>::new("/laporan-saya", "claim-form").class("mt-2").on_done(move |_| reload.run(())),
                                move |st| view! {
                                <ActHeader state=st/>
                                <TextField field=Field::TrackingCode name="kode" value=st.value("kode") hint=t.code_hint outcome=Default::default() act=st/>
                                <ActSubmit state=st label=t.tr("Tambahkan", "Add")/>
                                },
                            )}
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/notifikasi`: the bell's list, newest first, and "mark all read".
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| crate::api::notifications::get_notifications());
    let reload = Callback::new(move |_| page.refetch());
    let title = t.tr("Notifikasi", "Notifications");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="mt-4" data-testid="no-notifications">{t.tr("Belum ada notifikasi.", "No notifications yet.")}</p>
                    }.into_any(),
                    Ok(list) => {
                        let unread = list.iter().any(|n| !n.read);
                        view! {
                            {unread.then(|| act_form(
                                FormSpec::<MarkAllRead>::new("/notifikasi", "read-all-form").class("mt-2").on_done(move |_| reload.run(())),
                                move |st| view! {
                                    <ActHeader state=st/>
                                    <ActSubmit state=st label=t.tr("Tandai semua sudah dibaca", "Mark all as read")/>
                                },
                            ))}
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
        </Transition>
    }
}

/// Where a verifier's dispatch may go: the routing rule's suggestion and similar reports.
#[component]
fn DispatchHelpPanel(help: crate::domain::views::DispatchHelp) -> impl IntoView {
    let t = texts();
    view! {
        <section class="mt-4 rounded border border-sky-300 bg-sky-50 p-3" data-testid="dispatch-help">
            {match help.suggestion {
                Some(a) => view! {
                    <p><strong>{t.tr("Saran aturan rute:", "Routing rule suggests:")}</strong> " " <span data-testid="suggestion">{a.name}</span></p>
                }.into_any(),
                None => view! { <p>{t.tr("Tidak ada aturan rute yang cocok.", "No routing rule matches.")}</p> }.into_any(),
            }}
            {(!help.similar.is_empty()).then(|| view! {
                <p class="mt-2 font-semibold">{t.tr("Laporan serupa sebelumnya (kategori dan wilayah sama):", "Similar earlier reports (same category and region):")}</p>
                <ul class="list-disc pl-5" data-testid="similar">
                    {help.similar.into_iter().map(|s| view! {
                        <li>
                            <a class="underline" href=format!("/staf/laporan/{}", s.id)>{s.reference.clone()}</a>
                            " " {s.title.clone()} " → " <strong>{s.agency.name.clone()}</strong>
                            " (" {t.status(s.status)} ")"
                            {(s.bounces > 0).then(|| view! { " · " {t.tr("pernah dikembalikan", "was returned")} })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// Templates the agency keeps: each opens this page with the reply prefilled (no JavaScript).
#[component]
fn TemplateLinks(id: i64, templates: Vec<crate::domain::views::TemplateView>) -> impl IntoView {
    let t = texts();
    (!templates.is_empty()).then(|| view! {
        <details class="mt-4 rounded border border-stone-300 bg-white p-3" data-testid="templates">
            <summary class="cursor-pointer font-semibold">{t.tr("Mulai dari templat jawaban", "Start from a reply template")}</summary>
            <ul class="mt-2 list-disc pl-5">
                {templates.into_iter().map(|tpl| view! {
                    <li><a class="underline" href=format!("/staf/laporan/{id}?templat={}#tindakan", tpl.id)>{tpl.title.clone()}</a></li>
                }).collect_view()}
            </ul>
            <p class="mt-2 text-sm text-stone-600">{t.tr(
                "Templat mengisi kotak pesan; sesuaikan isinya dengan laporan ini sebelum mengirim.",
                "A template fills the message box; make it fit this report before sending.",
            )}</p>
        </details>
    })
}

/// Verifier triage: priority, raising privacy (never lowering), merging a duplicate; and adding
/// a co-agency (verifiers, the lead agency's administrators).
#[component]
fn TriagePanel(page: StaffReportPage, reload: Callback<()>) -> impl IntoView {
    let t = texts();
    let v = page.view.clone();
    let id = v.row.id;
    let to = format!("/staf/laporan/{id}");
    let lead = v.row.agency.as_ref().map(|a| a.id);
    let co: Vec<i32> = v.co_agencies.iter().map(|a| a.id).collect();
    let candidates: Vec<_> = page
        .agencies
        .iter()
        .filter(|a| Some(a.id) != lead && !co.contains(&a.id))
        .cloned()
        .collect();
    let box_class = "rounded border border-stone-300 bg-white p-3";
    let report = move || view! { <input type="hidden" name="report" value=id.to_string()/> };
    let priority = v.priority;
    let priority_form = {
        let spec = FormSpec::<SetPriority>::new(to.clone(), "priority-form")
            .class(box_class)
            .on_done(move |_| reload.run(()));
        act_form(spec, move |st| {
            view! {
                {report()}
                <ActHeader state=st/>
                <label for="f-priority" class="block font-semibold">{t.tr("Prioritas", "Priority")}</label>
                <select id="f-priority" name="priority" class=INPUT_CLASS>
                    <option value="0" selected=priority == 0>{t.tr("Biasa", "Normal")}</option>
                    <option value="1" selected=priority == 1>{t.tr("Tinggi", "High")}</option>
                    <option value="2" selected=priority == 2>{t.tr("Mendesak", "Urgent")}</option>
                </select>
                <ActSubmit state=st label=t.tr("Simpan prioritas", "Save priority")/>
            }
        })
    };
    let (anonymous, confidential) = (v.anonymous, v.row.confidential);
    let privacy_form = {
        let spec = FormSpec::<RaisePrivacy>::new(to.clone(), "privacy-form")
            .class(box_class)
            .on_done(move |_| reload.run(()));
        act_form(spec, move |st| {
            view! {
                {report()}
                <ActHeader state=st/>
                <p class="font-semibold">{t.tr("Naikkan kerahasiaan", "Raise privacy")}</p>
                <p class="text-sm text-stone-600">{t.tr("Kerahasiaan hanya dapat dinaikkan, tidak diturunkan.", "Privacy can only be raised, never lowered.")}</p>
                {(!anonymous).then(|| view! {
                    <div class="mt-1 flex items-center gap-2">
                        <input id="f-make-anonymous" type="checkbox" name="anonymous" value="1" class="h-5 w-5"/>
                        <label for="f-make-anonymous">{t.tr("Jadikan anonim", "Make anonymous")}</label>
                    </div>
                })}
                {(!confidential).then(|| view! {
                    <div class="mt-1 flex items-center gap-2">
                        <input id="f-make-confidential" type="checkbox" name="confidential" value="1" class="h-5 w-5"/>
                        <label for="f-make-confidential">{t.tr("Jadikan rahasia", "Make confidential")}</label>
                    </div>
                })}
                <ActSubmit state=st label=t.tr("Naikkan", "Raise")/>
            }
        })
    };
    let duplicate_form = v.commands.contains(&CommandKind::Archive).then(|| {
        let spec = FormSpec::<MarkDuplicate>::new(to.clone(), "duplicate-form").class(box_class).on_done(move |_| reload.run(()));
        act_form(spec, move |st| view! {
            {report()}
            <ActHeader state=st shown=&[Field::Reference]/>
            <TextField field=Field::Reference name="reference" value=st.value("reference")
                hint=t.tr("Nomor laporan asli; laporan ini diarsipkan dan pelapor diberi tahu.", "The original's number; this report is archived and its reporter told.")
                outcome=Default::default() act=st/>
            <ActSubmit state=st label=t.tr("Gabungkan sebagai duplikat", "Merge as a duplicate")/>
        })
    });
    let options = move |list: &Vec<crate::domain::views::AgencyRef>| {
        list.iter()
            .map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> })
            .collect_view()
    };
    let co_agency_form = (v.can_add_co_agency && !candidates.is_empty()).then(|| {
        let spec = FormSpec::<AddCoAgency>::new(to.clone(), "co-agency-form")
            .class("mt-3 rounded border border-stone-300 bg-white p-3")
            .on_done(move |_| reload.run(()));
        let list = options(&candidates);
        act_form(spec, move |st| view! {
            {report()}
            <ActHeader state=st/>
            <label for="f-co-agency" class="block font-semibold">{t.tr("Tambah instansi pendamping (kasus bersama)", "Add a co-agency (joint case)")}</label>
            <select id="f-co-agency" name="agency" class=INPUT_CLASS>{list}</select>
            <ActSubmit state=st label=t.tr("Tambahkan", "Add")/>
        })
    });
    let co_agency_request_form = (v.can_request_co_agency && !candidates.is_empty()).then(|| {
        let spec = FormSpec::<RequestCoAgency>::new(to.clone(), "co-agency-request-form")
            .class("mt-3 rounded border border-stone-300 bg-white p-3")
            .on_done(move |_| reload.run(()));
        let list = options(&candidates);
        act_form(spec, move |st| view! {
            {report()}
            <ActHeader state=st shown=&[Field::Reason]/>
            <p class="font-semibold">{t.tr("Minta instansi pendamping (kasus bersama)", "Ask for a co-agency (joint case)")}</p>
            <p class="text-sm text-stone-600">{t.tr("Verifikator memutuskan; instansi itu baru dapat membuka laporan setelah ditambahkan.", "The verifiers decide; that agency can open the report only once added.")}</p>
            <label for="f-co-agency-ask" class="mt-2 block font-semibold">{t.tr("Instansi", "Agency")}</label>
            <select id="f-co-agency-ask" name="agency" class=INPUT_CLASS>{list}</select>
            <TextField field=Field::Reason name="reason" value=st.value("reason")
                hint=t.tr("Mengapa instansi ini diperlukan.", "Why this agency is needed.")
                outcome=Default::default() act=st/>
            <ActSubmit state=st label=t.tr("Kirim permintaan", "Send the request")/>
        })
    });
    view! {
        {v.can_triage.then(|| view! {
            <div class="mt-2 grid grid-cols-1 gap-3 md:grid-cols-3">
                {priority_form}
                {privacy_form}
                {duplicate_form}
            </div>
        })}
        {co_agency_form}
        {co_agency_request_form}
    }
}

/// The public version of the report, for verifiers: the text the public will read, with the
/// personal data found in the original masked (proposed automatically) and what is still found.
#[component]
fn PublicVersionPanel(page: StaffReportPage) -> impl IntoView {
    let t = texts();
    let Some(d) = page.public.clone() else {
        return ().into_any();
    };
    let id = page.view.row.id;
    // After a refused post without JavaScript: what the verifier typed.
    let o = refusal_for::<SetPublicVersion>("public-version-form");
    let typed = !o.values.is_empty();
    let title = if typed {
        o.value("title")
    } else {
        d.title.clone()
    };
    let text = if typed {
        o.value("description")
    } else {
        d.text.clone()
    };
    let kind_text = |k: &str| match k {
        "nik" => "NIK",
        "phone" => t.tr("Nomor telepon", "Phone number"),
        "email" => "Email",
        "plate" => t.tr("Pelat nomor", "Number plate"),
        _ => t.tr("Nama pelapor", "Reporter's name"),
    };
    let list = move |items: Vec<crate::domain::views::FoundPii>| {
        items
            .into_iter()
            .map(|f| view! { <li><strong>{kind_text(&f.kind)}</strong> ": " <span class="font-mono">{f.text}</span></li> })
            .collect_view()
    };
    let state = if d.confidential {
        t.tr(
            "Rahasia: laporan ini tidak akan dipublikasikan.",
            "Confidential: this report will not be published.",
        )
    } else if d.published {
        t.tr(
            "Sudah publik di /laporan. Perubahan langsung tampil.",
            "Public at /laporan. Changes show at once.",
        )
    } else {
        t.tr(
            "Menjadi publik saat diteruskan ke instansi. Jika tidak diubah, usulan otomatis ini yang dipakai.",
            "Goes public when dispatched to an agency. Unless changed, this automatic proposal is used.",
        )
    };
    view! {
        <section class="mt-6 rounded border border-stone-300 bg-white p-3" aria-labelledby="public-version-title" data-testid="public-version">
            <h2 id="public-version-title" class="text-lg font-bold">{t.tr("Versi publik", "Public version")}</h2>
            <p class="mt-1">{state}</p>
            {(!d.found.is_empty()).then(|| view! {
                <p class="mt-2 font-semibold">{t.tr("Data pribadi yang ditemukan di teks asli (disamarkan dalam usulan):", "Personal data found in the original (masked in the proposal):")}</p>
                <ul class="ml-5 list-disc" data-testid="pii-found">{list(d.found.clone())}</ul>
            })}
            {(!d.remaining.is_empty()).then(|| view! {
                <p class="mt-2 border-l-4 border-red-700 pl-2 font-semibold" role="alert" data-testid="pii-remaining">
                    {t.tr("Masih ada data pribadi di versi publik:", "Personal data is still in the public version:")}
                </p>
                <ul class="ml-5 list-disc">{list(d.remaining.clone())}</ul>
            })}
            {act_form(
                FormSpec::<SetPublicVersion>::new(format!("/staf/laporan/{id}"), "public-version-form"),
                move |st| view! {
                    <input type="hidden" name="report" value=id.to_string()/>
                    <ActHeader state=st shown=&[Field::Title, Field::Description]/>
                    <label for="f-title" class="mt-3 block font-semibold">{t.tr("Judul publik", "Public title")}</label>
                    <ActFieldMessage state=st field=Field::Title id="f-title-error"/>
                    <input id="f-title" name="title" type="text" value=title class=INPUT_CLASS/>
                    <label for="f-description" class="mt-3 block font-semibold">{t.tr("Isi publik", "Public text")}</label>
                    <ActFieldMessage state=st field=Field::Description id="f-description-error"/>
                    <textarea id="f-description" name="description" rows="6" class=INPUT_CLASS>{text}</textarea>
                    <ActSubmit state=st label=t.tr("Simpan versi publik", "Save the public version")/>
                },
            )}
        </section>
    }
    .into_any()
}

/// `/staf/templat`: the agency's reply templates; administrators add and retire them.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| crate::api::office::get_templates_page());
    let reload = Callback::new(move |_| page.refetch());
    let title = t.tr("Templat jawaban", "Reply templates");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Penanda {nomor}, {judul}, {instansi} dan {tanggal} diisi dari laporan. Sesuaikan setiap jawaban dengan laporannya: jawaban yang hampir sama dengan jawaban lain akan diperingatkan.",
            "The markers {nomor}, {judul}, {instansi} and {tanggal} are filled from the report. Make every reply fit its report: a reply nearly the same as another is flagged.",
        )}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        view! {
                            <ul class="mt-4 space-y-3" data-testid="template-list">
                                {p.templates.iter().map(|tpl| view! {
                                    <li class="rounded border border-stone-300 bg-white p-3" data-testid="template">
                                        <p class="font-semibold">{tpl.title.clone()} <span class="text-sm font-normal text-stone-600">" · " {tpl.agency.clone()}</span></p>
                                        <p class="mt-1 whitespace-pre-line">{tpl.body.clone()}</p>
                                        {tpl.can_edit.then(|| {
                                            let id = tpl.id;
                                            let spec = FormSpec::<RetireTemplate>::new("/staf/templat", format!("retire-{id}"))
                                                .class("mt-2")
                                                .on_done(move |_| reload.run(()));
                                            act_form(spec, move |st| view! {
                                                <ActHeader state=st/>
                                                <input type="hidden" name="id" value=id.to_string()/>
                                                <ActSubmit state=st label=t.tr("Hapus templat", "Retire template") class="underline"/>
                                            })
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            {p.can_edit.then(|| view! {
                                <h2 class="mt-6 text-lg font-bold">{t.tr("Templat baru", "New template")}</h2>
                                {act_form(
                                    FormSpec::<CreateTemplate>::new("/staf/templat", "template-form")
                                        .class("mt-2 max-w-xl")
                                        .on_done(move |_| reload.run(())),
                                    move |st| view! {
                                        <ActHeader state=st shown=&[Field::Title, Field::Message]/>
                                        <TextField field=Field::Title name="title" value=st.value("title") outcome=Default::default() act=st/>
                                        <label for="f-note" class="mt-2 block font-semibold">{t.field_label(Field::Message)}</label>
                                        <ActFieldMessage state=st field=Field::Message id="f-note-error"/>
                                        <textarea id="f-note" name="body" rows="5" class=INPUT_CLASS>{st.value("body")}</textarea>
                                        <ActSubmit state=st label=t.tr("Simpan templat", "Save template")/>
                                    },
                                )}
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
