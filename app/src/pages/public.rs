//! `/laporan` (public reports: search, filters, pages) and `/laporan/{reference}` (one public
//! report: its moderated text, the agency's answers, the timeline, support and follow). Both are
//! complete in the first HTML and work without JavaScript (GET filters, POST forms).

use crate::api::transparency::{get_public_list, get_public_report};
use crate::components::act::{act_form, ActHeader, FormSpec};
use crate::components::{StageProgress, Timeline, BUTTON_CLASS, INPUT_CLASS};
use crate::domain::transparency::ReaderAct;
use crate::domain::views::{
    Marked, PublicFilter, PublicListPage as ListData, PublicReportRow, PublicReportView,
    PublicSort, ReporterShown,
};
use crate::domain::{AppError, Field, FieldErrors, ReportKind, ReportStatus};
use crate::i18n::Lang;
use crate::texts;
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

const LABEL: &str = "block font-semibold";
const LINK: &str = "font-semibold text-emerald-900 underline underline-offset-4 focus:outline-none focus:ring-4 focus:ring-amber-400";

/// Text with the runs the search matched highlighted.
fn marked(m: Marked) -> impl IntoView {
    m.into_iter()
        .map(|(text, hit)| {
            if hit {
                view! { <mark class="bg-amber-200 text-stone-900">{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}

/// `name=value&…`, URL-encoded.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub use crate::domain::form::encode;

fn category_name(c: &crate::domain::views::CategoryOption) -> String {
    if texts().lang == Lang::En {
        c.name_en.clone()
    } else {
        c.name_id.clone()
    }
}

/// The message under a filter field the server did not understand.
fn field_error(errors: &FieldErrors, field: Field) -> impl IntoView {
    let t = texts();
    errors.get(&field).map(|e| {
        view! { <p id=format!("{}-error", field.input_id()) class="mt-1 font-semibold text-red-800">{t.field_error(field, *e)}</p> }
    })
}

/// `/laporan`: public reports, newest first, with search and filters.
#[component]
pub fn PublicListPage() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            PublicFilter::from_pairs(
                PublicFilter::PARAMS
                    .iter()
                    .filter_map(|k| q.get_str(k).map(|v| (*k, v))),
            )
        })
    };
    let page = Resource::new_blocking(filter, get_public_list);
    let title = t.tr("Laporan publik", "Public reports");
    view! {
        <Title text=title/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Laporan warga dan tindak lanjut setiap instansi, terbuka untuk semua. Data pribadi pelapor tidak ditampilkan; laporan rahasia tidak dipublikasikan.",
            "Citizens' reports and every agency's follow-up, open to all. Reporters' personal data is not shown; confidential reports are not published.",
        )}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let typed = filter();
                match page.await {
                    Ok(p) => view! { <ListBody p typed/> }.into_any(),
                    Err(_) => view! { <super::ErrorMessage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ListBody(p: ListData, typed: PublicFilter) -> impl IntoView {
    let t = texts();
    if !p.errors.is_empty() {
        super::set_status(422);
    }
    let f = p.filter.clone();
    let sel = |a: &str, b: &str| a == b;
    let feed = {
        let q = query_string(&f.pairs(false));
        if q.is_empty() {
            "/laporan.atom".to_string()
        } else {
            format!("/laporan.atom?{q}")
        }
    };
    let next = p.next.clone().map(|cursor| {
        let mut pairs = f.pairs(false);
        pairs.push(("setelah", cursor));
        format!("/laporan?{}", query_string(&pairs))
    });
    let first = (!typed.after.is_empty()).then(|| {
        let q = query_string(&f.pairs(false));
        format!("/laporan?{q}")
    });
    let errors = p.errors.clone();
    let in_use = [
        &f.agency,
        &f.category,
        &f.region,
        &f.kind,
        &f.status,
        &f.from,
        &f.to,
    ]
    .iter()
    .filter(|v| !v.is_empty())
    .count()
        + usize::from(!f.sort.is_empty());
    let more_open = in_use > 0 || !errors.is_empty();
    let more_label = match (t.lang, in_use) {
        (_, 0) => t.tr("Saringan lainnya", "More filters").to_string(),
        (Lang::En, n) => format!("More filters ({n} in use)"),
        (_, n) => format!("Saringan lainnya ({n} dipakai)"),
    };
    let described = |field: Field| {
        errors
            .get(&field)
            .map(|_| format!("{}-error", field.input_id()))
    };
    view! {
        <Link rel="alternate" type_="application/atom+xml" href=feed.clone()/>
        {(!f.measure.is_empty()).then(|| {
            let label = crate::domain::stats::Measure::parse(&f.measure).map(measure_text).unwrap_or("");
            view! {
                <p class="mt-4 border-l-4 border-emerald-700 bg-white p-3" role="status" data-testid="drill-down">
                    {t.tr("Laporan di balik angka statistik: ", "Reports behind the statistic: ")}
                    <strong>{label}</strong>
                    {(!f.months.is_empty()).then(|| format!(" ({})", f.months.replace("..", " – ")))}
                    " · " <a href="/laporan" class=LINK>{t.tr("tampilkan semua", "show all")}</a>
                </p>
            }
        })}
        <form method="get" action="/laporan" class="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2" data-testid="public-filters">
            {(!f.measure.is_empty()).then(|| view! {
                <input type="hidden" name="ukuran" value=f.measure.clone()/>
                <input type="hidden" name="bulan" value=f.months.clone()/>
            })}
            <div class="sm:col-span-2">
                <label for="f-q" class=LABEL>{t.tr("Cari", "Search")}</label>
                <p id="f-q-hint" class="text-sm text-stone-600">{t.tr("Kata dalam judul atau isi, atau nomor laporan (ADU-…).", "Words in the title or text, or a report number (ADU-…).")}</p>
                <input id="f-q" name="q" type="search" value=f.q.clone() class=INPUT_CLASS aria-describedby="f-q-hint"/>
            </div>
            // The other filters fold away on a phone so the results come first; open when one
            // is in use or refused.
            <details class="sm:col-span-2" open=more_open data-testid="more-filters">
                <summary class="cursor-pointer py-2.5 font-semibold">{more_label}</summary>
                <div class="mt-2 grid grid-cols-1 gap-3 sm:grid-cols-2">
            <div>
                <label for="f-agency" class=LABEL>{t.tr("Instansi", "Agency")}</label>
                <select id="f-agency" name="instansi" class=INPUT_CLASS aria-describedby=described(Field::Agency)>
                    <option value="">{t.tr("Semua", "All")}</option>
                    {p.agencies.iter().map(|a| {
                        let v = a.id.to_string();
                        view! { <option value=v.clone() selected=sel(&v, &f.agency)>{a.name.clone()}</option> }
                    }).collect_view()}
                </select>
                {field_error(&errors, Field::Agency)}
            </div>
            <div>
                <label for="f-category" class=LABEL>{t.category_label}</label>
                <select id="f-category" name="kategori" class=INPUT_CLASS aria-describedby=described(Field::CategoryId)>
                    <option value="">{t.tr("Semua", "All")}</option>
                    {p.categories.iter().map(|c| {
                        let v = c.id.to_string();
                        view! { <option value=v.clone() selected=sel(&v, &f.category)>{category_name(c)}</option> }
                    }).collect_view()}
                </select>
                {field_error(&errors, Field::CategoryId)}
            </div>
            <div>
                <label for="f-region" class=LABEL>{t.tr("Wilayah", "Region")}</label>
                <select id="f-region" name="wilayah" class=INPUT_CLASS>
                    <option value="">{t.tr("Semua", "All")}</option>
                    {p.provinces.iter().map(|prov| {
                        let regencies: Vec<_> = p.regencies.iter().filter(|r| r.parent.as_deref() == Some(prov.code.as_str())).cloned().collect();
                        view! {
                            <option value=prov.code.clone() selected=sel(&prov.code, &f.region)>{prov.name.clone()}</option>
                            {regencies.into_iter().map(|r| view! {
                                <option value=r.code.clone() selected=sel(&r.code, &f.region)>{format!("· {}", r.name)}</option>
                            }).collect_view()}
                        }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="f-kind" class=LABEL>{t.tr("Jenis", "Kind")}</label>
                <select id="f-kind" name="jenis" class=INPUT_CLASS aria-describedby=described(Field::Kind)>
                    <option value="">{t.tr("Semua", "All")}</option>
                    {ReportKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=sel(k.as_str(), &f.kind)>{t.kind(k)}</option>
                    }).collect_view()}
                </select>
                {field_error(&errors, Field::Kind)}
            </div>
            <div>
                <label for="f-status" class=LABEL>{t.tr("Status", "Status")}</label>
                <select id="f-status" name="status" class=INPUT_CLASS>
                    <option value="">{t.tr("Semua", "All")}</option>
                    {ReportStatus::ALL.into_iter().filter(|s| !matches!(s, ReportStatus::OnHold | ReportStatus::Archived)).map(|s| view! {
                        <option value=s.as_str() selected=sel(s.as_str(), &f.status)>{t.status(s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="f-sort" class=LABEL>{t.tr("Urutkan", "Sort by")}</label>
                <select id="f-sort" name="urut" class=INPUT_CLASS>
                    {PublicSort::ALL.into_iter().map(|s| {
                        let text = match s {
                            PublicSort::Newest => t.tr("Terbaru", "Newest"),
                            PublicSort::Oldest => t.tr("Terlama", "Oldest"),
                            PublicSort::MostSupported => t.tr("Paling didukung", "Most supported"),
                        };
                        view! { <option value=s.as_str() selected=f.sort() == s>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="f-from" class=LABEL>{t.field_label(Field::PeriodFrom)}</label>
                <input id="f-from" name="dari" type="date" value=f.from.clone() class=INPUT_CLASS
                    aria-invalid=errors.get(&Field::PeriodFrom).map(|_| "true") aria-describedby=described(Field::PeriodFrom)/>
                {field_error(&errors, Field::PeriodFrom)}
            </div>
            <div>
                <label for="f-to" class=LABEL>{t.field_label(Field::PeriodTo)}</label>
                <input id="f-to" name="sampai" type="date" value=f.to.clone() class=INPUT_CLASS
                    aria-invalid=errors.get(&Field::PeriodTo).map(|_| "true") aria-describedby=described(Field::PeriodTo)/>
                {field_error(&errors, Field::PeriodTo)}
            </div>
                </div>
            </details>
            <div class="sm:col-span-2">
                <button type="submit" class=BUTTON_CLASS>{t.tr("Terapkan", "Apply")}</button>
                " "
                <a href="/laporan" class=LINK>{t.tr("Hapus saringan", "Clear filters")}</a>
            </div>
        </form>
        <section aria-labelledby="results-title" class="mt-6">
            <h2 id="results-title" class="text-xl font-bold">{t.tr("Hasil", "Results")}</h2>
            {p.refine.then(|| view! {
                <p role="status" class="mt-2 border-l-4 border-amber-600 bg-amber-50 p-3" data-testid="refine">
                    {t.tr(
                        "Pencarian ini terlalu luas untuk diperiksa sekaligus. Persempit kata kuncinya atau saringannya, atau buka halaman berikutnya untuk melanjutkan.",
                        "This search is too broad to check at once. Narrow its words or filters, or open the next page to go on.",
                    )}
                </p>
            })}
            {if p.rows.is_empty() && !p.refine {
                view! {
                    <div class="mt-2 rounded border border-stone-300 bg-white p-4" data-testid="no-results">
                        <p class="font-semibold">{t.tr("Tidak ada laporan yang cocok.", "No report matches.")}</p>
                        <p class="mt-1">{t.tr("Coba kata lain, atau ", "Try other words, or ")}<a href="/laporan" class=LINK>{t.tr("lihat semua laporan", "see every report")}</a>"."</p>
                        <p class="mt-1">{t.tr("Masalah Anda belum dilaporkan? ", "Your problem is not reported yet? ")}<a href="/lapor" class=LINK>{t.tr("Laporkan sekarang", "Report it now")}</a></p>
                    </div>
                }.into_any()
            } else {
                let n = p.rows.len();
                // A count without counting every match (the search has a work budget): what this
                // page holds, and whether more follow.
                let count = match (t.lang, next.is_some()) {
                    (crate::i18n::Lang::En, true) => format!("{n} reports on this page; more on the next"),
                    (crate::i18n::Lang::En, false) => format!("{n} reports on this page"),
                    (_, true) => format!("{n} laporan di halaman ini; masih ada di halaman berikutnya"),
                    (_, false) => format!("{n} laporan di halaman ini"),
                };
                view! {
                    <p class="mt-2 font-semibold" role="status" data-testid="result-count">{count}</p>
                    <ol class="mt-2 space-y-3" data-testid="public-results">
                        {p.rows.into_iter().map(|r| view! { <PublicRow r/> }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <nav aria-label=t.tr("Halaman", "Pages") class="mt-4 flex flex-wrap gap-4">
                {first.map(|href| view! { <a href=href class=LINK>{t.tr("« Halaman pertama", "« First page")}</a> })}
                {next.map(|href| view! { <a href=href class=format!("{LINK} inline-flex min-h-11 items-center") rel="next" data-testid="next-page">{t.tr("Halaman berikutnya »", "Next page »")}</a> })}
            </nav>
            <p class="mt-4 text-sm">
                <a href=feed class=LINK>{t.tr("Umpan Atom untuk saringan ini", "Atom feed for these filters")}</a>
            </p>
        </section>
    }
}

/// The name of a statistic, for the drill-down notice.
pub fn measure_text(m: crate::domain::stats::Measure) -> &'static str {
    use crate::domain::stats::Measure::*;
    let t = texts();
    match m {
        Received => t.tr("diterima", "received"),
        Delegated => t.tr("diteruskan ke unit", "passed on to a unit"),
        Bounced => t.tr(
            "dikembalikan (bukan wewenang)",
            "returned (not its business)",
        ),
        FirstFollowUpInTime => t.tr(
            "tindak lanjut pertama ≤5 hari kerja",
            "first follow-up within 5 working days",
        ),
        FirstFollowUpLate => t.tr(
            "tindak lanjut terlambat atau belum ada",
            "follow-up late or missing",
        ),
        CompletedOnTime => t.tr("selesai dalam tenggat", "completed within the deadline"),
        CompletedLate => t.tr(
            "belum/tidak selesai dalam tenggat",
            "not completed within the deadline",
        ),
        Confirmed => t.tr("dikonfirmasi pelapor", "confirmed by the reporter"),
        ClosedUnconfirmed => t.tr("ditutup tanpa konfirmasi", "closed without confirmation"),
        OpenNow => t.tr("sedang ditangani kini", "being handled now"),
        OverdueNow => t.tr("melewati tenggat kini", "past the deadline now"),
    }
}

#[component]
fn PublicRow(r: PublicReportRow) -> impl IntoView {
    let t = texts();
    let href = format!("/laporan/{}", r.reference);
    let supporters = match t.lang {
        Lang::En => format!("{} supporters", r.supporters),
        Lang::Id => format!("{} dukungan", r.supporters),
    };
    let meta = [
        Some(r.reference.clone()),
        Some(t.status(r.status).to_string()),
        r.category.as_ref().map(category_name),
        r.region_name.clone(),
        r.agency.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="rounded border border-stone-300 bg-white p-3" data-testid="public-row">
            <h3 class="text-lg font-semibold">
                <a href=href class=LINK>{marked(r.title)}</a>
            </h3>
            <p class="text-sm text-stone-700">{meta}</p>
            <p class="mt-1">{marked(r.excerpt)}</p>
            <p class="mt-1 text-sm text-stone-700">
                <time datetime=r.created_at.to_rfc3339()>{t.datetime(r.created_at, r.utc_offset_minutes)}</time>
                " · " {supporters}
            </p>
        </li>
    }
}

/// `/laporan/{reference}`: one public report.
#[component]
pub fn PublicReportPage() -> impl IntoView {
    let t = texts();
    let params = use_params_map();
    let reference = move || params.with(|p| p.get("reference")).unwrap_or_default();
    let report = Resource::new_blocking(reference, get_public_report);
    let reload = Callback::new(move |_| report.refetch());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(view) => view! { <PublicReportBody view reload/> }.into_any(),
                    Err(AppError::NotFound) | Err(AppError::Validation(_)) => {
                        super::set_status(404);
                        view! {
                            <Title text=t.tr("Laporan tidak ditemukan", "Report not found")/>
                            <h1 class="text-2xl font-bold">{t.tr("Laporan tidak ditemukan", "Report not found")}</h1>
                            <p class="mt-2" data-testid="not-found">{t.tr(
                                "Laporan ini tidak ada atau tidak dipublikasikan.",
                                "This report does not exist or is not public.",
                            )}</p>
                            <p class="mt-2"><a href="/laporan" class=LINK>{t.tr("Lihat laporan publik", "See public reports")}</a></p>
                        }.into_any()
                    }
                    Err(_) => view! { <super::ErrorMessage/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PublicReportBody(view: PublicReportView, reload: Callback<()>) -> impl IntoView {
    let t = texts();
    let v = view;
    let action = format!("/laporan/{}", v.reference);
    let reporter = match &v.reporter {
        ReporterShown::Anonymous => t.tr("Anonim", "Anonymous").to_string(),
        ReporterShown::Named { name } => name.clone(),
        ReporterShown::NoName => t.tr("Tanpa nama", "No name given").to_string(),
    };
    let supporters = match t.lang {
        Lang::En => format!("{} people support this report", v.supporters),
        Lang::Id => format!("{} orang mendukung laporan ini", v.supporters),
    };
    let button = "rounded border-2 border-emerald-800 bg-white px-4 py-2 font-semibold text-emerald-900 focus:outline-none focus:ring-4 focus:ring-amber-400";
    let meta: Vec<(&'static str, String)> = [
        (
            t.tr("Nomor laporan", "Report number"),
            Some(v.reference.clone()),
        ),
        (t.tr("Jenis", "Kind"), Some(t.kind(v.kind).to_string())),
        (
            t.tr("Status", "Status"),
            Some(t.status(v.status).to_string()),
        ),
        (t.category_label, v.category.as_ref().map(category_name)),
        (t.tr("Wilayah", "Region"), v.region_name.clone()),
        (t.tr("Instansi", "Agency"), v.agency.clone()),
        (t.tr("Pelapor", "Reporter"), Some(reporter)),
        (
            t.tr("Dikirim", "Sent"),
            Some(t.datetime(v.created_at, v.utc_offset_minutes)),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    view! {
        <Title text=v.title.clone()/>
        <p class="text-sm"><a href="/laporan" class=LINK>{t.tr("« Laporan publik", "« Public reports")}</a></p>
        <h1 class="mt-2 text-2xl font-bold" data-testid="public-title">{v.title.clone()}</h1>
        <dl class="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]" data-testid="public-meta">
            {meta.into_iter().map(|(k, val)| view! {
                <dt class="font-semibold">{k}</dt>
                <dd>{val}</dd>
            }).collect_view()}
        </dl>
        <StageProgress current=v.stage/>
        <section aria-labelledby="text-title" class="mt-4">
            <h2 id="text-title" class="text-xl font-bold">{t.tr("Isi laporan", "The report")}</h2>
            <p class="mt-2 whitespace-pre-line break-words" data-testid="public-text">{v.text.clone()}</p>
        </section>
        <section aria-labelledby="support-title" class="mt-6 rounded border border-stone-300 bg-white p-4">
            <h2 id="support-title" class="text-xl font-bold">{t.tr("Dukung dan ikuti", "Support and follow")}</h2>
            <p class="mt-1" data-testid="supporters">{supporters}</p>
            {if v.viewer.signed_in {
                let (support_value, support_text) = if v.viewer.supported {
                    ("unsupport", t.tr("Batalkan dukungan", "Withdraw support"))
                } else {
                    ("support", t.tr("Dukung laporan ini", "Support this report"))
                };
                let (follow_value, follow_text) = if v.viewer.following {
                    ("unfollow", t.tr("Berhenti mengikuti", "Stop following"))
                } else {
                    ("follow", t.tr("Ikuti perkembangannya", "Follow its progress"))
                };
                let reference = v.reference.clone();
                let reader_form = move |form: &'static str, value: &'static str, text: &'static str, class: &'static str, testid: &'static str| {
                    let reference = reference.clone();
                    act_form(
                        FormSpec::<ReaderAct>::new(action.clone(), form).on_done(move |_| reload.run(())),
                        move |st| view! {
                            <ActHeader state=st/>
                            <input type="hidden" name="reference" value=reference.clone()/>
                            <input type="hidden" name="action" value=value/>
                            <button type="submit" class=format!("{class} disabled:opacity-60") disabled=move || st.pending.get() data-testid=testid>{text}</button>
                        },
                    )
                };
                view! {
                    <div class="mt-3 flex flex-wrap gap-3">
                        {reader_form("support-form", support_value, support_text, BUTTON_CLASS, "support")}
                        {reader_form("follow-form", follow_value, follow_text, button, "follow")}
                    </div>
                    {(v.viewer.supported && !v.viewer.support_counts).then(|| view! {
                        <p class="mt-2 text-sm" role="status" data-testid="support-pending">{t.tr(
                            "Dukungan Anda tercatat dan akan dihitung setelah alamat email Anda terverifikasi (buka tautan yang kami kirim ke email Anda).",
                            "Your support is recorded and will count once your email address is verified (open the link we sent to your email).",
                        )}</p>
                    })}
                }.into_any()
            } else {
                view! {
                    <p class="mt-2">
                        <a href="/masuk" class=LINK>{t.tr("Masuk", "Sign in")}</a>
                        {t.tr(" untuk mendukung atau mengikuti laporan ini.", " to support or follow this report.")}
                    </p>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="answers-title" class="mt-6">
            <h2 id="answers-title" class="text-xl font-bold">{t.tr("Tanggapan instansi", "The agency's answers")}</h2>
            {if v.answers.is_empty() {
                view! { <p class="mt-2">{t.tr("Belum ada tanggapan.", "No answer yet.")}</p> }.into_any()
            } else {
                let offset = v.utc_offset_minutes;
                view! {
                    <ol class="mt-2 space-y-3" data-testid="public-answers">
                        {v.answers.into_iter().map(|a| view! {
                            <li class="rounded border border-stone-300 bg-white p-3">
                                <p class="text-sm text-stone-700">
                                    <strong>{a.agency}</strong>
                                    {a.event.map(|e| format!(" · {}", t.event(e)))}
                                    " · "
                                    <time datetime=a.at.to_rfc3339()>{t.datetime(a.at, offset)}</time>
                                </p>
                                <p class="mt-1 whitespace-pre-line break-words">{a.body}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="history-title" class="mt-6">
            <h2 id="history-title" class="text-xl font-bold">{t.tr("Riwayat", "History")}</h2>
            <Timeline entries=v.timeline utc_offset_minutes=v.utc_offset_minutes/>
        </section>
    }
}
