//! `/staf` (the work list of everything the signed-in person may see, soonest deadline first),
//! `/staf/laporan/{id}` (one report: details, the reporter as the policy allows, the audited
//! identity reveal, the commands this person may give now) and `/laporan-saya` (a citizen's own
//! reports, and claiming a report sent as a guest).

use crate::act::{refusal_for, DROPPED_FILES};
use crate::api::casework::{get_staff_list, get_staff_report};
use crate::components::act::{act_form, ActFieldMessage, ActHeader, ActSubmit, FormSpec};
use crate::components::fields::{AccessRefused, TextField};
use crate::components::thread::{FileInput, Thread};
use crate::components::{
    Countdown, DangerConfirm, PrivacyPreview, Timeline, DANGER_BUTTON_CLASS, INPUT_CLASS,
    SECONDARY_BUTTON_CLASS,
};
use crate::domain::accounts::{ClaimReport, MarkAllRead};
use crate::domain::casework::{
    AddCoAgency, ListFilter, MarkDuplicate, RaisePrivacy, RemoveView, RequestCoAgency,
    RevealIdentity, SaveView, SetPriority, SetPublicVersion, StaffCommand, UpdateReports,
};
use crate::domain::lifecycle::{ArchiveReason, CommandKind};
use crate::domain::office::{CreateTemplate, RetireTemplate};
use crate::domain::views::{ReporterShown, StaffReportPage, StaffReportRow};
use crate::domain::FieldError;
use crate::domain::{EventKind, Field, ReportStatus};
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

/// The work list's address parameters (Indonesian, as the rest of the site) and the filter
/// they make.
fn filter_of(q: &leptos_router::params::ParamsMap) -> ListFilter {
    let text = |k: &str| q.get(k).filter(|s| !s.trim().is_empty());
    ListFilter {
        status: text("status"),
        overdue: q.get("terlambat").as_deref() == Some("1"),
        kind: text("jenis"),
        category: text("kategori").and_then(|c| c.parse().ok()),
        region: text("wilayah"),
        q: text("q"),
        older_than_days: text("umur").and_then(|c| c.parse().ok()),
        agency: text("instansi").and_then(|c| c.parse().ok()),
        measure: text("ukuran"),
        months: text("bulan"),
        view: text("tampil"),
        assigned: text("tugas"),
        sort: text("urut"),
        after: text("setelah"),
    }
}

/// The address of a work list (`after`: a page's cursor).
fn list_href(f: &ListFilter, after: Option<&str>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut put = |k: &'static str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            pairs.push((k, v.to_string()));
        }
    };
    put("tampil", &f.view);
    put("tugas", &f.assigned);
    put("status", &f.status);
    put("jenis", &f.kind);
    put("wilayah", &f.region);
    put("q", &f.q);
    put("ukuran", &f.measure);
    put("bulan", &f.months);
    put("urut", &f.sort);
    put("setelah", &after.map(str::to_string));
    if f.overdue {
        pairs.push(("terlambat", "1".into()));
    }
    if let Some(c) = f.category {
        pairs.push(("kategori", c.to_string()));
    }
    if let Some(d) = f.older_than_days {
        pairs.push(("umur", d.to_string()));
    }
    if let Some(a) = f.agency {
        pairs.push(("instansi", a.to_string()));
    }
    let query = super::public::query_string(&pairs);
    if query.is_empty() {
        "/staf".into()
    } else {
        format!("/staf?{query}")
    }
}

/// The stage's own clock on a work list: the countdown while staff hold the report, "waiting for
/// the reporter" while the reporter has the next step.
#[component]
fn StageClock(row: StaffReportRow) -> impl IntoView {
    let t = texts();
    match row.time_left {
        Some(tl) => view! { <Countdown time_left=tl/> }.into_any(),
        None if matches!(row.status, ReportStatus::AwaitingReporter | ReportStatus::OnHold) => view! {
            <span class="ml-1 inline-block rounded bg-stone-200 px-2 py-0.5 text-sm font-semibold text-stone-800" data-testid="waiting-reporter">
                {t.tr("Menunggu pelapor", "Waiting for the reporter")}
            </span>
        }
        .into_any(),
        None => ().into_any(),
    }
}

/// `/staf`: the work list. By default what needs this person now (by role), most urgent first;
/// tabs for everything, "assigned to me" and "unassigned"; filters and the order in a GET form;
/// 50 rows a page (keyset paging); rows chosen with checkboxes are assigned or prioritised at
/// once. All of it works without JavaScript.
#[component]
pub fn StaffListPage() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    // Without any filter the list opens on what needs this person now.
    let filter = move || {
        query.with(|q| {
            let mut f = filter_of(q);
            if f.view.is_none() && !f.narrows() {
                f.view = Some("perlu".into());
            }
            f
        })
    };
    let page = Resource::new_blocking(filter, get_staff_list);
    // What the last change of ticked reports did (hydrated; it stays while the list reloads).
    let changed = RwSignal::new(None::<usize>);
    let reload = Callback::new(move |n: usize| {
        changed.set(Some(n));
        page.refetch();
    });
    let refresh = Callback::new(move |_: ()| page.refetch());
    let title = t.tr("Daftar kerja", "Work list");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        {move || changed.get().map(|n| view! {
            <p class="mt-3 border-l-4 border-emerald-700 bg-white p-3 font-semibold" role="status" data-testid="list-notice">
                {match t.lang {
                    crate::i18n::Lang::En => format!("Done: {n} report(s) changed."),
                    _ => format!("Selesai: {n} laporan diubah."),
                }}
            </p>
        })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let f = filter();
                match page.await {
                    Ok(p) => view! { <WorkListBody p f reload refresh/> }.into_any(),
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkListBody(
    p: crate::domain::views::StaffListPage,
    f: ListFilter,
    reload: Callback<usize>,
    /// Read the list again (after a saved view changed).
    refresh: Callback<()>,
) -> impl IntoView {
    let t = texts();
    let label = "block font-semibold";
    let view_is = |v: &str, a: Option<&str>| {
        f.view.as_deref() == Some(v) && f.assigned.as_deref() == a && !f.narrows_beyond_tabs()
    };
    let can_assign = !p.assignees.is_empty();
    let tabs: Vec<(String, String, bool)> = {
        let mut v = vec![(
            format!(
                "{} ({})",
                t.tr("Perlu tindakan saya", "Needs me now"),
                p.needs_me
            ),
            "/staf".to_string(),
            f.view.as_deref() == Some("perlu") && !f.narrows(),
        )];
        if can_assign {
            v.push((
                t.tr("Ditugaskan ke saya", "Assigned to me").to_string(),
                "/staf?tampil=semua&tugas=saya".into(),
                view_is("semua", Some("saya")),
            ));
            v.push((
                t.tr("Belum ditugaskan", "Unassigned").to_string(),
                "/staf?tampil=semua&tugas=belum".into(),
                view_is("semua", Some("belum")),
            ));
        }
        v.push((
            t.tr("Semua", "All").to_string(),
            "/staf?tampil=semua".into(),
            view_is("semua", None),
        ));
        v
    };
    let here = list_href(&f, f.after.as_deref());
    let next = p.list.next.clone().map(|c| list_href(&f, Some(&c)));
    let first = f.after.is_some().then(|| list_href(&f, None));
    let shown = p.list.rows.len();
    let total = p.list.total;
    let rows = p.list.rows.clone();
    let verifier = p.role == crate::domain::access::AccountRole::Verifier;
    let me = p.me;
    let assignees = p.assignees.clone();
    let dispatch_to = p.agencies.clone();
    let filters_open = f.narrows() || f.sort.is_some();
    view! {
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
        // One row of tabs; on a phone it scrolls sideways instead of stacking.
        <nav aria-label=t.tr("Tampilan daftar", "List views") class="relative mt-4 flex gap-2 overflow-x-auto p-1" data-testid="list-tabs">
            {tabs.into_iter().map(|(text, href, current)| {
                let cls = if current {
                    "inline-flex min-h-11 shrink-0 items-center whitespace-nowrap rounded border-2 border-emerald-800 bg-emerald-800 px-3 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400"
                } else {
                    "inline-flex min-h-11 shrink-0 items-center whitespace-nowrap rounded border-2 border-stone-400 bg-white px-3 font-semibold text-stone-900 hover:border-emerald-800 focus:outline-none focus:ring-4 focus:ring-amber-400"
                };
                view! { <a href=href class=cls aria-current=current.then_some("page")>{text}</a> }
            }).collect_view()}
        </nav>
        <SavedViews views=p.views.clone() refresh/>
        <details class="mt-4 rounded border border-stone-300 bg-white p-3" open=filters_open>
            <summary class="cursor-pointer py-2.5 font-semibold">{t.tr("Saring dan urutkan", "Filter and sort")}</summary>
            <form method="get" action="/staf" class="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="filters">
                {f.measure.clone().map(|m| view! { <input type="hidden" name="ukuran" value=m/> })}
                {f.months.clone().map(|m| view! { <input type="hidden" name="bulan" value=m/> })}
                {f.agency.map(|a| view! { <input type="hidden" name="instansi" value=a.to_string()/> })}
                {f.view.clone().filter(|v| v == "semua").map(|v| view! { <input type="hidden" name="tampil" value=v/> })}
                {f.assigned.clone().map(|v| view! { <input type="hidden" name="tugas" value=v/> })}
                <div>
                    <label for="f-q" class=label>{t.tr("Cari", "Search")}</label>
                    <input id="f-q" name="q" type="search" value=f.q.clone().unwrap_or_default() class=INPUT_CLASS/>
                </div>
                <div>
                    <label for="f-sort" class=label>{t.tr("Urutkan", "Sort by")}</label>
                    <select id="f-sort" name="urut" class=INPUT_CLASS>
                        {[
                            ("mendesak", t.tr("Paling mendesak", "Most urgent")),
                            ("tenggat", t.tr("Tenggat terdekat", "Soonest deadline")),
                            ("terbaru", t.tr("Terbaru", "Newest")),
                            ("terlama", t.tr("Terlama", "Oldest")),
                        ].into_iter().map(|(v, text)| {
                            let selected = f.sort.as_deref().unwrap_or("mendesak") == v;
                            view! { <option value=v selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
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
                // A province filter only helps whoever sees reports from many provinces.
                {verifier.then(|| view! {
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
                })}
                <div>
                    <label for="f-age" class=label>{t.tr("Umur laporan", "Age")}</label>
                    <select id="f-age" name="umur" class=INPUT_CLASS>
                        <option value="">{t.tr("Semua", "All")}</option>
                        {[3u32, 7, 14, 30].into_iter().map(|d| {
                            let text = if t.lang == crate::i18n::Lang::En { format!("{d} days or older") } else { format!("{d} hari atau lebih") };
                            view! { <option value=d.to_string() selected=f.older_than_days == Some(d)>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="flex min-h-11 items-center gap-2 sm:pt-6">
                    <input id="f-overdue" type="checkbox" name="terlambat" value="1" checked=f.overdue class="h-6 w-6"/>
                    <label for="f-overdue">{t.tr("Hanya yang terlambat", "Overdue only")}</label>
                </div>
                <div class="sm:pt-5">
                    <button type="submit" class="min-h-11 rounded border-2 border-stone-700 bg-white px-4 py-2 font-semibold focus:outline-none focus:ring-4 focus:ring-amber-400">
                        {t.tr("Terapkan", "Apply")}
                    </button>
                </div>
            </form>
            // The filters in use, kept under a name for one-click return.
            {(f.narrows() || f.sort.is_some() || f.view.as_deref() == Some("semua")).then(|| {
                let query = list_href(&f, None).trim_start_matches("/staf").trim_start_matches('?').to_string();
                act_form(
                    FormSpec::<SaveView>::new(here.clone(), "save-view-form").class("mt-4 border-t border-stone-300 pt-3").on_done(move |_| refresh.run(())),
                    move |st| view! {
                        <ActHeader state=st shown=&[Field::Name]/>
                        <input type="hidden" name="query" value=query/>
                        <label for="f-view-name" class=label>{t.tr("Simpan saringan ini sebagai", "Save these filters as")}</label>
                        <div class="flex flex-wrap items-start gap-2">
                            <input id="f-view-name" name="name" maxlength="60" value=st.value("name") class=format!("{INPUT_CLASS} sm:max-w-xs") aria-describedby="f-view-name-error"/>
                            <button type="submit" disabled=move || st.pending.get() class=SECONDARY_BUTTON_CLASS>{t.tr("Simpan tampilan", "Save the view")}</button>
                        </div>
                        <ActFieldMessage state=st field=Field::Name id="f-view-name-error"/>
                    },
                )
            })}
        </details>
        <p class="mt-4 font-semibold" data-testid="list-count" role="status">
            {match t.lang {
                crate::i18n::Lang::En => format!("{total} reports{}", if f.after.is_some() || next.is_some() { format!(" · showing {shown} on this page") } else { String::new() }),
                _ => format!("{total} laporan{}", if f.after.is_some() || next.is_some() { format!(" · {shown} di halaman ini") } else { String::new() }),
            }}
        </p>
        {if rows.is_empty() {
            view! {
                <div class="mt-4 rounded border border-stone-300 bg-white p-4" data-testid="empty-list">
                    <p class="font-semibold">{if f.view.as_deref() == Some("perlu") && !f.narrows() {
                        t.tr("Tidak ada laporan yang menunggu Anda. Kerja bagus!", "Nothing is waiting for you. Well done!")
                    } else {
                        t.tr("Tidak ada laporan yang cocok.", "No reports match.")
                    }}</p>
                    <p class="mt-1"><a href="/staf?tampil=semua" class="font-semibold text-emerald-900 underline">{t.tr("Lihat semua laporan yang dapat Anda lihat", "See every report you can see")}</a></p>
                </div>
            }.into_any()
        } else {
            act_form(
                FormSpec::<UpdateReports>::new(here, "bulk-form").class("mt-2").on_done(move |n| reload.run(n)),
                move |st| view! {
                    <ActHeader state=st shown=&[Field::Reports, Field::Assignee, Field::Command, Field::Agency]/>
                    {(can_assign || verifier).then(|| view! {
                        <fieldset class="grid grid-cols-2 items-end gap-3 rounded border border-stone-300 bg-stone-50 p-3 sm:flex sm:flex-wrap" data-testid="bulk-bar">
                            <legend class="px-1 font-semibold">{t.tr("Untuk laporan yang dicentang", "For the reports ticked")}</legend>
                            {can_assign.then(|| view! {
                                <div class="min-w-0">
                                    <label for="f-assignee" class="block text-sm font-semibold">{t.tr("Petugas", "Assignee")}</label>
                                    <select id="f-assignee" name="assign" class=INPUT_CLASS aria-describedby="f-assignee-error">
                                        <option value="">{t.tr("— tidak diubah —", "— unchanged —")}</option>
                                        {assignees.iter().map(|a| {
                                            let text = if a.account == me { format!("{} ({})", a.name, t.tr("saya", "me")) } else { a.name.clone() };
                                            view! { <option value=a.account.to_string()>{text}</option> }
                                        }).collect_view()}
                                        <option value="lepas">{t.tr("Lepaskan (tanpa petugas)", "Release (nobody)")}</option>
                                    </select>
                                    <ActFieldMessage state=st field=Field::Assignee id="f-assignee-error"/>
                                </div>
                            })}
                            {verifier.then(|| view! {
                                <div class="min-w-0">
                                    <label for="f-bulk-priority" class="block text-sm font-semibold">{t.tr("Prioritas", "Priority")}</label>
                                    <select id="f-bulk-priority" name="priority" class=INPUT_CLASS>
                                        <option value="">{t.tr("— tidak diubah —", "— unchanged —")}</option>
                                        <option value="0">{t.tr("Normal", "Normal")}</option>
                                        <option value="1">{t.tr("Tinggi", "High")}</option>
                                        <option value="2">{t.tr("Mendesak", "Urgent")}</option>
                                    </select>
                                </div>
                            })}
                            <div class="col-span-2 sm:col-span-1">
                                <button type="submit" name="action" value="ubah" disabled=move || st.pending.get()
                                    class="min-h-11 rounded bg-emerald-800 px-4 py-2 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400 disabled:opacity-60" data-testid="bulk-apply">
                                    {move || if st.pending.get() { t.tr("Menyimpan…", "Saving…") } else { t.tr("Terapkan ke yang dicentang", "Apply to the ticked reports") }}
                                </button>
                            </div>
                            <div class="col-span-2 sm:basis-full">
                                <ActFieldMessage state=st field=Field::Reports id="f-reports-error"/>
                                <ActFieldMessage state=st field=Field::Command id="f-command-error"/>
                            </div>
                            // Several reports for one agency: one choice, one confirmation.
                            {(!dispatch_to.is_empty()).then(|| {
                                let refused = st.outcome.with_untracked(|o| o.errors.contains_key(&Field::Agency) || o.value("action") == "teruskan");
                                view! {
                                <details class="col-span-2 rounded border border-stone-300 bg-white p-3 sm:basis-full" open=refused data-testid="bulk-dispatch">
                                    <summary class="cursor-pointer py-2.5 font-semibold">{t.tr("Teruskan yang dicentang ke satu instansi…", "Dispatch the ticked reports to one agency…")}</summary>
                                    <label for="f-bulk-agency" class="mt-2 block text-sm font-semibold">{t.tr("Instansi tujuan", "Agency")}</label>
                                    <select id="f-bulk-agency" name="agency" class=INPUT_CLASS aria-describedby="f-bulk-agency-error f-bulk-agency-hint">
                                        <option value="">{t.tr("— pilih instansi —", "— choose an agency —")}</option>
                                        {dispatch_to.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                                    </select>
                                    <ActFieldMessage state=st field=Field::Agency id="f-bulk-agency-error"/>
                                    <p id="f-bulk-agency-hint" class="mt-2 text-sm">{t.tr(
                                        "Setiap laporan yang dicentang diteruskan ke instansi ini, pelapornya diberi tahu, dan versi publiknya (data pribadi disamarkan otomatis) terbit kecuali laporan rahasia. Buka laporan satu per satu bila versi publiknya perlu diperiksa.",
                                        "Every ticked report goes to this agency, its reporter is told, and its public version (personal data masked automatically) is published unless the report is confidential. Open reports one by one when their public version needs a look.",
                                    )}</p>
                                    <button type="submit" name="action" value="teruskan" disabled=move || st.pending.get()
                                        class="mt-2 min-h-11 rounded bg-emerald-800 px-4 py-2 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400 disabled:opacity-60" data-testid="bulk-dispatch-confirm">
                                        {move || if st.pending.get() { t.tr("Meneruskan…", "Dispatching…") } else { t.tr("Ya, teruskan semua yang dicentang", "Yes, dispatch every ticked report") }}
                                    </button>
                                </details>
                            }})}
                        </fieldset>
                    })}
                    <WorkTable rows=rows.clone() selectable=can_assign || verifier/>
                }
            ).into_any()
        }}
        <nav aria-label=t.tr("Halaman", "Pages") class="mt-4 flex flex-wrap gap-3">
            {first.map(|href| view! { <a href=href class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline">{t.tr("← Ke awal daftar", "← Back to the start")}</a> })}
            {next.map(|href| view! { <a href=href rel="next" class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline" data-testid="next-page">{t.tr("50 laporan berikutnya →", "Next 50 reports →")}</a> })}
        </nav>
    }
}

/// The person's saved views: one link each, and a way to remove it.
#[component]
fn SavedViews(views: Vec<crate::domain::views::SavedView>, refresh: Callback<()>) -> impl IntoView {
    let t = texts();
    (!views.is_empty()).then(|| view! {
        <nav aria-label=t.tr("Tampilan tersimpan", "Saved views") class="mt-2 flex flex-wrap items-center gap-2" data-testid="saved-views">
            <span class="text-sm font-semibold">{t.tr("Tersimpan:", "Saved:")}</span>
            {views.into_iter().map(|v| {
                let label = format!("{}{}", t.tr("Hapus tampilan ", "Remove the view "), v.name);
                let remove = act_form(
                    FormSpec::<RemoveView>::new("/staf", format!("remove-view-{}", v.id)).class("inline").on_done(move |_| refresh.run(())),
                    move |st| view! {
                        <input type="hidden" name="view" value=v.id.to_string()/>
                        <button type="submit" disabled=move || st.pending.get() class="inline-flex min-h-11 min-w-11 items-center justify-center rounded-r-full text-lg hover:bg-red-100 focus:outline-none focus:ring-4 focus:ring-amber-400"
                            aria-label=label>"×"</button>
                    },
                );
                view! {
                    <span class="inline-flex max-w-full items-center rounded-full border-2 border-stone-400 bg-white">
                        <a href=format!("/staf?{}", v.query) class="inline-flex min-h-11 min-w-0 items-center truncate pl-3 pr-1 font-semibold text-emerald-900 underline">{v.name.clone()}</a>
                        {remove}
                    </span>
                }
            }).collect_view()}
        </nav>
    })
}

/// The rows of a work list: a dense table on a desktop, one card per report on a phone (the
/// same cells, stacked), with a checkbox per row when rows can be changed together.
#[component]
pub(crate) fn WorkTable(rows: Vec<StaffReportRow>, selectable: bool) -> impl IntoView {
    let t = texts();
    let th = "border-b-2 border-stone-400 px-2 py-2 text-left align-bottom text-sm";
    let td = "px-1 sm:border-b sm:border-stone-200 sm:px-2 sm:py-2 sm:align-top";
    view! {
        <table class="mt-3 block w-full sm:table sm:bg-white" data-testid="report-list">
            <caption class="sr-only">{t.tr("Laporan", "Reports")}</caption>
            <thead class="hidden sm:table-header-group">
                <tr>
                    {selectable.then(|| view! { <th scope="col" class=th><span class="sr-only">{t.tr("Pilih", "Choose")}</span></th> })}
                    <th scope="col" class=th>{t.tr("Laporan", "Report")}</th>
                    <th scope="col" class=th>{t.tr("Status", "Status")}</th>
                    <th scope="col" class=th>{t.tr("Tenggat tahap ini", "This stage's deadline")}</th>
                    <th scope="col" class=th>{t.tr("Instansi", "Agency")}</th>
                    <th scope="col" class=th>{t.tr("Petugas", "Assignee")}</th>
                </tr>
            </thead>
            <tbody class="block sm:table-row-group">
                {rows.into_iter().map(|r| {
                    let href = format!("/staf/laporan/{}", r.id);
                    let check_id = format!("pilih-{}", r.id);
                    let title_id = format!("judul-{}", r.id);
                    view! {
                        <tr class="flex flex-wrap items-center gap-y-1 border-b border-stone-300 py-3 sm:table-row sm:py-0">
                            {selectable.then(|| view! {
                                <td class=format!("{td} order-first")>
                                    <input type="checkbox" id=check_id.clone() name="reports[]" value=r.id.to_string() class="h-6 w-6 align-middle" aria-labelledby=title_id.clone()/>
                                </td>
                            })}
                            <td class=format!("{td} basis-[calc(100%-3rem)] sm:basis-auto")>
                                <a id=title_id href=href class="font-semibold text-emerald-900 underline">{r.title.clone()}</a>
                                <span class="block text-sm text-stone-700">
                                    <span class="font-mono">{r.reference.clone()}</span>
                                    " · " {t.kind(r.kind)}
                                    {r.confidential.then(|| view! { " · " <strong>{t.tr("Rahasia", "Confidential")}</strong> })}
                                    {(r.priority > 0).then(|| view! { " " <PriorityBadge priority=r.priority/> })}
                                </span>
                            </td>
                            <td class=format!("{td} text-sm") data-testid="row-status">{t.status(r.status)}</td>
                            <td class=td><StageClock row=r.clone()/></td>
                            <td class=format!("{td} text-sm")>{r.agency.clone().map(|a| view! { <abbr title=a.name.clone() class="no-underline">{a.code}</abbr> })}</td>
                            <td class=format!("{td} text-sm") data-testid="row-assignee">
                                {match r.assignee.clone() {
                                    Some(n) => view! { <span><span class="sm:hidden">{t.tr("Petugas: ", "Assignee: ")}</span>{n}</span> }.into_any(),
                                    None => view! { <span class="text-stone-600">{t.tr("belum ditugaskan", "unassigned")}</span> }.into_any(),
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// "High" or "urgent", for reports a verifier raised.
#[component]
pub(crate) fn PriorityBadge(priority: i32) -> impl IntoView {
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
fn CommandForms(
    page: StaffReportPage,
    reload: Callback<()>,
    acted: RwSignal<Option<(i64, Option<EventKind>)>>,
) -> impl IntoView {
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
    // The agency's messages to the reporter are one form with a choice of what the message is.
    let is_message = |c: &CommandKind| {
        matches!(
            c,
            CommandKind::FollowUp
                | CommandKind::InterimReply
                | CommandKind::Extend
                | CommandKind::Answer
        )
    };
    let messages: Vec<CommandKind> = page
        .view
        .commands
        .iter()
        .copied()
        .filter(is_message)
        .collect();
    let message_form = (!messages.is_empty()).then(|| {
        let spec = FormSpec::<StaffCommand>::new(to.clone(), "command-message")
            .files(true)
            .class("mt-4 rounded border border-stone-300 bg-white p-4")
            .on_done(move |out| {
                acted.set(Some((id, Some(out))));
                reload.run(())
            });
        let template = page.template_text.clone().unwrap_or_default();
        act_form(spec, move |st| {
            let typed = st.value("note");
            let note_value = if typed.is_empty() { template } else { typed };
            let chosen = CommandKind::parse(&st.value("command")).filter(|c| messages.contains(c)).unwrap_or(messages[0]);
            view! {
                <h3 class="mb-2 font-bold">{t.tr("Tanggapi pelapor", "Respond to the reporter")}</h3>
                <ActHeader state=st shown=&[Field::Message, Field::Attachments]/>
                <input type="hidden" name="report" value=id.to_string()/>
                <fieldset>
                    <legend class="font-semibold">{t.tr("Jenis pesan", "What this message is")}</legend>
                    {messages.iter().map(|&c| {
                        let radio = format!("f-kind-{}", c.name());
                        let hint = format!("{radio}-hint");
                        view! {
                            <div class="mt-1 flex items-start gap-2">
                                <input type="radio" id=radio.clone() name="command" value=c.name() checked=c == chosen aria-describedby=hint.clone() class="mt-1 h-6 w-6 shrink-0"/>
                                <div class="min-w-0">
                                    <label for=radio class="font-semibold">{command_text(c)}</label>
                                    <p id=hint class="text-sm text-stone-700">{message_kind_hint(c)}</p>
                                </div>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <label for="f-note-message" class="mt-3 block font-semibold">{t.tr("Pesan untuk pelapor", "Message to the reporter")}</label>
                {move || st.outcome.with(|o| o.errors.get(&Field::Message).copied()).filter(|e| *e != FieldError::NearDuplicate).map(|e| view! {
                    <p class="mt-1 font-semibold text-red-800" role="alert">{t.field_error(Field::Message, e)}</p>
                })}
                <textarea id="f-note-message" name="note" rows="5" class=INPUT_CLASS>{note_value}</textarea>
                <NearDuplicateHold st name="message"/>
                <FileInput id="f-files-message".to_string() errors=st.errors() dropped=st.value(DROPPED_FILES)/>
                <ActSubmit state=st label=t.tr("Kirim pesan", "Send the message") working=t.tr("Mengirim…", "Sending…")/>
            }
        })
    });
    let others = page
        .view
        .commands
        .iter()
        .copied()
        .filter(|c| !is_message(c))
        .collect::<Vec<_>>();
    let other_forms = others.into_iter().map(|c| {
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
        // Closing without dispatching, or handing back: red, and behind a confirmation.
        let danger = matches!(c, CommandKind::Archive | CommandKind::ReturnNotOurs);
        let form_name = format!("command-{name}");
        let refused = !refusal_for::<StaffCommand>(&form_name).form.is_empty();
        let spec = FormSpec::<StaffCommand>::new(to.clone(), form_name)
            .files(with_files)
            .class("mt-4 rounded border border-stone-300 bg-white p-4")
            .on_done(move |out| {
                acted.set(Some((id, Some(out))));
                reload.run(())
            });
        let form = act_form(spec, move |st| {
            let typed = st.value("note");
            let note_value = if typed.is_empty() { template } else { typed };
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
                <NearDuplicateHold st name/>
                {with_files.then(|| view! { <FileInput id=format!("f-files-{name}") errors=st.errors() dropped=st.value(DROPPED_FILES)/> })}
                <ActSubmit state=st label=command_text(c)
                    class=if danger { DANGER_BUTTON_CLASS } else { "rounded bg-emerald-800 px-4 py-2 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400" }/>
            }
        });
        if danger {
            let explain = match c {
                CommandKind::Archive => t.tr(
                    "Laporan ditutup tanpa diteruskan ke instansi; pelapor diberi tahu alasannya.",
                    "The report is closed without being dispatched; the reporter is told why.",
                ),
                _ => t.tr(
                    "Laporan kembali ke verifikator untuk diteruskan ke instansi lain, dan tercatat sebagai dikembalikan dalam statistik instansi Anda.",
                    "The report goes back to the verifiers to be sent elsewhere, and counts as returned in your agency's statistics.",
                ),
            };
            view! {
                <div class="mt-4">
                    <DangerConfirm label=format!("{}…", command_text(c)) explain=explain.to_string() open=refused>
                        {form}
                    </DangerConfirm>
                </div>
            }
            .into_any()
        } else {
            form.into_any()
        }
    }).collect_view();
    view! { {message_form} {other_forms} }.into_any()
}

/// What each kind of message to the reporter does.
fn message_kind_hint(kind: CommandKind) -> &'static str {
    let t = texts();
    match kind {
        CommandKind::FollowUp => t.tr(
            "Kabar kemajuan; laporan tetap ditindaklanjuti.",
            "News of progress; the report stays in follow-up.",
        ),
        CommandKind::InterimReply => t.tr(
            "Jawaban awal sementara penanganan berlanjut.",
            "A first answer while the work goes on.",
        ),
        CommandKind::Extend => t.tr(
            "Pesan ini menjadi alasan perpanjangan yang dibaca pelapor.",
            "This message is the reason for the extension, read by the reporter.",
        ),
        _ => t.tr(
            "Jawaban akhir: pelapor diminta mengonfirmasi selesai atau menyanggah.",
            "The final answer: the reporter is asked to confirm or dispute.",
        ),
    }
}

/// A reply held back as nearly the same as one sent on another report: said so plainly (not
/// sent), with the choice to send it anyway.
#[component]
pub(crate) fn NearDuplicateHold(
    st: crate::components::act::ActState,
    name: &'static str,
) -> impl IntoView {
    let t = texts();
    let held = move || {
        st.outcome
            .with(|o| o.errors.get(&Field::Message) == Some(&FieldError::NearDuplicate))
    };
    move || {
        held().then(|| view! {
        <div class="mt-2 rounded border-2 border-amber-600 bg-amber-50 p-3" role="alert" data-testid="near-duplicate">
            <p class="text-lg font-bold">{t.tr("Belum terkirim", "Not sent yet")}</p>
            <p class="mt-1">{t.tr(
                "Balasan ini hampir sama persis dengan balasan yang sudah dikirim pada laporan lain (juga bila dari templat). Sesuaikan dengan laporan ini, atau centang di bawah bila memang sama, lalu kirim lagi.",
                "This reply is nearly identical to one already sent on another report (templates too). Make it fit this report, or tick below if it really is the same, then send again.",
            )}</p>
            <div class="mt-2 flex min-h-11 items-center gap-2">
                <input id=format!("f-confirm-{name}") type="checkbox" name="confirm_similar" value="1" class="h-6 w-6"/>
                <label for=format!("f-confirm-{name}") class="font-semibold">{t.tr("Tetap kirim balasan ini", "Send this reply anyway")}</label>
            </div>
        </div>
    })
    }
}

/// Said after a command was recorded: what the report's status is now, and the way on to the
/// next report that needs this person.
#[component]
pub(crate) fn ActedNotice(
    /// The command recorded; `None`: a change that is not a step (priority, privacy…).
    event: Option<EventKind>,
    status: ReportStatus,
    next: Option<(i64, String)>,
) -> impl IntoView {
    let t = texts();
    let node = NodeRef::<leptos::html::Div>::new();
    // Once hydrated the page changed in place: bring the notice into view.
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            el.scroll_into_view();
        }
    });
    view! {
        <div node_ref=node class="mt-3 border-l-4 border-emerald-700 bg-emerald-50 p-3" role="status" data-testid="acted">
            <p class="font-semibold">"✓ " {t.tr("Tersimpan.", "Saved.")} {event.map(|_| view! { " " {t.tr("Status kini: ", "The status is now: ")} {t.status(status)} })}</p>
            {event.is_some().then(|| match next {
                Some((id, title)) => view! {
                    <a href=format!("/staf/laporan/{id}") class="mt-2 inline-flex min-h-11 max-w-full items-center gap-1 rounded bg-emerald-800 px-4 py-2 font-semibold text-white focus:outline-none focus:ring-4 focus:ring-amber-400" data-testid="acted-next">
                        <span class="truncate">{t.tr("Laporan berikutnya: ", "Next report: ")}{title}</span>"→"
                    </a>
                }.into_any(),
                None => view! {
                    <a href="/staf" class="mt-2 inline-flex min-h-11 items-center font-semibold text-emerald-900 underline">{t.tr("Tidak ada lagi yang menunggu Anda — ke daftar kerja", "Nothing else is waiting for you — to the work list")}</a>
                }.into_any(),
            })}
        </div>
    }
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
                <ActSubmit state=st label=t.tr("Tampilkan identitas pelapor", "Show the reporter's identity") class=DANGER_BUTTON_CLASS/>
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
            // Privacy-sensitive: behind a confirmation that says what it means.
            (None, true) => {
                let reveal_refused = !refusal_for::<RevealIdentity>("reveal-form").form.is_empty();
                view! {
                <div class="mt-2">
                    <DangerConfirm
                        open=reveal_refused
                        label=format!("{}…", t.tr("Buka identitas pelapor", "Reveal the reporter's identity"))
                        explain=t.tr(
                            "Hanya bila benar-benar perlu untuk menindaklanjuti. Nama dan kontak pelapor akan tampil untuk Anda saja; alasan Anda dicatat dalam log audit dan dapat diperiksa.",
                            "Only when it is truly needed to follow up. The reporter's name and contacts show to you alone; your reason is recorded in the audit log and can be checked.",
                        ).to_string()
                        testid="reveal"
                    >
                        {reveal_form()}
                    </DangerConfirm>
                </div>
            }.into_any()
            }
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
    // What was just recorded here: said by the page once hydrated, by the address without
    // JavaScript (`?tercatat=`).
    let acted = RwSignal::new(None::<(i64, Option<EventKind>)>);
    let recorded = move |report: i64| {
        acted
            .get()
            .filter(|(i, _)| *i == report)
            .map(|(_, k)| k)
            .or_else(|| {
                query.with(|q| {
                    q.get("tercatat")
                        .and_then(|s| EventKind::parse(&s))
                        .map(Some)
                })
            })
    };
    view! {
        <Meta name="robots" content="noindex"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let v = p.view.clone();
                        view! {
                            <Title text=v.row.title.clone()/>
                            // Back to the list, or on to the next report that needs this person
                            // (also from the keyboard: the browser's access key N).
                            <nav aria-label=t.tr("Navigasi laporan", "Report navigation") class="mb-3 flex flex-wrap items-center justify-between gap-2 text-sm" data-testid="report-nav">
                                <a href="/staf" class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline">{t.tr("← Daftar kerja", "← Work list")}</a>
                                <span class="flex min-w-0 max-w-full flex-wrap gap-x-4">
                                {p.previous.clone().map(|(id, _)| view! {
                                    <a href=format!("/staf/laporan/{id}") rel="prev" accesskey="p" aria-keyshortcuts="Alt+Shift+P" title=t.tr("Pintasan: Alt+Shift+P", "Shortcut: Alt+Shift+P") class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline" data-testid="previous-report">
                                        {t.tr("← Sebelumnya", "← Previous")}
                                    </a>
                                })}
                                {p.next.clone().map(|(id, title)| view! {
                                    <a href=format!("/staf/laporan/{id}") rel="next" accesskey="n" aria-keyshortcuts="Alt+Shift+N" title=t.tr("Pintasan: Alt+Shift+N", "Shortcut: Alt+Shift+N") class="inline-flex min-h-11 min-w-0 max-w-full items-center gap-1 font-semibold text-emerald-900 underline" data-testid="next-report">
                                        <span class="truncate">{t.tr("Berikutnya: ", "Next: ")}{title}</span>" →"
                                    </a>
                                })}
                                </span>
                            </nav>
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
                            // On a phone the actions come after the report; a shortcut leads there.
                            <p class="mt-3 lg:hidden"><a href="#tindakan" class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline">{t.tr("Ke tindakan ↓", "To the actions ↓")}</a></p>
                            // On a desktop: the report on the left, what to do with it on the right.
                            <div class="lg:grid lg:grid-cols-[minmax(0,1fr)_26rem] lg:items-start lg:gap-8">
                            <div>
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
                            </div>
                            <section id="tindakan" aria-labelledby="actions-title" class="mt-6 lg:mt-4 lg:rounded lg:border lg:border-stone-300 lg:bg-white lg:p-4">
                            <h2 id="actions-title" class="text-lg font-bold">{t.tr("Tindakan", "Actions")}</h2>
                            {recorded(v.row.id).map(|event| view! { <ActedNotice event status=v.row.status next=p.next.clone()/> })}
                            {p.help.clone().map(|help| view! { <DispatchHelpPanel help/> })}
                            <TemplateLinks id=v.row.id templates=p.templates.clone()/>
                            // What goes public on dispatch is read before the dispatch button.
                            <PublicVersionPanel page=p.clone()/>
                            <CommandForms page=p.clone() reload acted/>
                            <TriagePanel page=p.clone() reload acted/>
                            </section>
                            </div>
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
    // Newest first, 50 a page (`?setelah=` the page's cursor).
    let query = use_query_map();
    let filter = move || ListFilter {
        sort: Some("terbaru".into()),
        after: query.with(|q| q.get("setelah")),
        ..Default::default()
    };
    let page = Resource::new_blocking(filter, get_staff_list);
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
                            <p class="mt-4 font-semibold" data-testid="list-count">{match t.lang {
                                crate::i18n::Lang::En => format!("{} reports", p.list.total),
                                _ => format!("{} laporan", p.list.total),
                            }}</p>
                            <ReportTable rows=p.list.rows base="/laporan-saya/"/>
                            <nav aria-label=t.tr("Halaman", "Pages") class="mt-3 flex flex-wrap gap-4">
                                {query.with_untracked(|q| q.get("setelah")).map(|_| view! {
                                    <a href="/laporan-saya" class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline">{t.tr("← Ke awal daftar", "← Back to the start")}</a>
                                })}
                                {p.list.next.map(|c| view! {
                                    <a href=format!("/laporan-saya?setelah={}", super::public::encode(&c)) rel="next" class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline" data-testid="next-page">{t.tr("50 laporan berikutnya →", "Next 50 reports →")}</a>
                                })}
                            </nav>
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
            <summary class="cursor-pointer py-2.5 font-semibold">{t.tr("Mulai dari templat jawaban", "Start from a reply template")}</summary>
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
fn TriagePanel(
    page: StaffReportPage,
    reload: Callback<()>,
    acted: RwSignal<Option<(i64, Option<EventKind>)>>,
) -> impl IntoView {
    let t = texts();
    let v = page.view.clone();
    let id = v.row.id;
    // Saved: said at the top of the actions, the page's data read again.
    let reload = Callback::new(move |_: ()| {
        acted.set(Some((id, None)));
        reload.run(())
    });
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
            <div class="mt-2 grid grid-cols-1 gap-3 md:grid-cols-3 lg:grid-cols-1">
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
