//! `/statistik` (public statistics: every agency's figures, the performance index, the ranking,
//! charts drawn on the server, CSV exports, and links to the reports behind each figure) and
//! `/pengawasan` (the same for supervisors, confidential reports included, with the overdue
//! list). Complete in the first HTML; the charts are SVG images, so nothing needs JavaScript.

use super::public::query_string;
use crate::api::transparency::{get_oversight, get_statistics};
use crate::components::fields::AccessRefused;
use crate::components::{BUTTON_CLASS, INPUT_CLASS};
use crate::domain::stats::{Counts, Measure, MIN_CASES};
use crate::domain::views::{StatsFilter, StatsPage as Data};
use crate::domain::Field;
use crate::i18n::Lang;
use crate::texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

const LINK: &str = "font-semibold text-emerald-900 underline underline-offset-4 focus:outline-none focus:ring-4 focus:ring-amber-400";
const TH: &str = "border-b-2 border-stone-400 px-2 py-1 text-left align-bottom";
const TD: &str = "border-b border-stone-200 px-2 py-1 align-top";

fn filter_from_query() -> impl Fn() -> StatsFilter + Copy {
    let query = use_query_map();
    move || {
        query.with(|q| {
            StatsFilter::from_pairs(
                ["instansi", "dari", "sampai"]
                    .into_iter()
                    .filter_map(|k| q.get_str(k).map(|v| (k, v))),
            )
        })
    }
}

/// `/statistik`.
#[component]
pub fn StatsPage() -> impl IntoView {
    let t = texts();
    let filter = filter_from_query();
    let page = Resource::new_blocking(filter, get_statistics);
    let title = t.tr(
        "Statistik kinerja instansi",
        "Agency performance statistics",
    );
    view! {
        <Title text=title/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Seberapa cepat dan tuntas setiap instansi menindaklanjuti laporan warga. Laporan rahasia tidak dihitung di halaman publik.",
            "How fast and how completely every agency follows up citizens' reports. Confidential reports are not counted on this public page.",
        )}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <StatsBody p base="/statistik"/> }.into_any(),
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/pengawasan`: the oversight dashboard.
#[component]
pub fn OversightPage() -> impl IntoView {
    let t = texts();
    let filter = filter_from_query();
    let page = Resource::new_blocking(filter, get_oversight);
    let title = t.tr("Pengawasan", "Oversight");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Angka yang sama dengan statistik publik, termasuk laporan rahasia, untuk instansi di bawah pengawasan Anda, dan daftar laporan yang melewati tenggat.",
            "The same figures as the public statistics, confidential reports included, for the agencies you oversee, and the reports past their deadline.",
        )}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <StatsBody p base="/pengawasan"/> }.into_any(),
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatsBody(p: Data, base: &'static str) -> impl IntoView {
    let t = texts();
    if !p.errors.is_empty() {
        super::set_status(422);
    }
    let query = query_string(&p.filter.pairs());
    let with_query = |path: String| {
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    let months = format!("{}..{}", p.filter.from, p.filter.to);
    let scope_name = p
        .selected
        .as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| t.tr("Semua instansi", "All agencies").to_string());
    let period = format!("{} – {}", t.month(&p.filter.from), t.month(&p.filter.to));
    let drill = {
        let agency = p.filter.agency.clone();
        let months = months.clone();
        move |m: Measure| {
            let mut pairs = vec![("ukuran", m.as_str().to_string())];
            if !agency.is_empty() {
                pairs.push(("instansi", agency.clone()));
            }
            if !matches!(m, Measure::OpenNow | Measure::OverdueNow) {
                pairs.push(("bulan", months.clone()));
            }
            // Oversight: the work list, confidential reports included (within the actor's scope).
            let list = if base == "/pengawasan" {
                "/staf"
            } else {
                "/laporan"
            };
            format!("{list}?{}", query_string(&pairs))
        }
    };
    let c = p.counts.clone();
    let errors = p.errors.clone();
    let err = move |f: Field| {
        errors.get(&f).map(|e| view! { <p id=format!("{}-error", f.input_id()) class="mt-1 font-semibold text-red-800">{t.field_error(f, *e)}</p> })
    };
    let oversight = p.oversight;
    let chart = |name: &str| with_query(format!("{base}/grafik/{name}.svg"));
    let csv = |name: &str| with_query(format!("{base}/{name}.csv"));
    view! {
        <form method="get" action=base class="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-3" data-testid="stats-filters">
            <div class="sm:col-span-3">
                <label for="f-agency" class="block font-semibold">{t.tr("Instansi", "Agency")}</label>
                <select id="f-agency" name="instansi" class=INPUT_CLASS>
                    <option value="">{t.tr("Semua", "All")}</option>
                    {p.agencies.iter().map(|a| {
                        let v = a.id.to_string();
                        view! { <option value=v.clone() selected=v == p.filter.agency>{a.name.clone()}</option> }
                    }).collect_view()}
                </select>
                {err(Field::Agency)}
            </div>
            <div>
                <label for="f-from" class="block font-semibold">{t.tr("Dari bulan", "From month")}</label>
                <input id="f-from" name="dari" type="month" value=p.filter.from.clone() class=INPUT_CLASS placeholder="2026-01"/>
                {err(Field::PeriodFrom)}
            </div>
            <div>
                <label for="f-to" class="block font-semibold">{t.tr("Sampai bulan", "To month")}</label>
                <input id="f-to" name="sampai" type="month" value=p.filter.to.clone() class=INPUT_CLASS placeholder="2026-12"/>
                {err(Field::PeriodTo)}
            </div>
            <div class="pt-1 sm:pt-7">
                <button type="submit" class=BUTTON_CLASS>{t.tr("Tampilkan", "Show")}</button>
            </div>
        </form>

        <section aria-labelledby="summary-title" class="mt-6">
            <h2 id="summary-title" class="text-xl font-bold">{scope_name.clone()} <span class="font-normal">" · " {period}</span></h2>
            <p class="mt-2 text-lg" data-testid="index">
                {t.tr("Indeks kinerja: ", "Performance index: ")}
                <strong class="text-2xl">{t.decimal(p.index)}</strong>
                {p.index.is_some().then(|| view! { <span class="text-base">" / 100"</span> })}
                {p.index.is_none().then(|| view! {
                    <span class="text-base">{match t.lang {
                        Lang::Id => format!(" (perlu sedikitnya {MIN_CASES} laporan, dan laporan yang sudah ditindaklanjuti atau melewati tenggat)"),
                        Lang::En => format!(" (needs at least {MIN_CASES} reports, some followed up or past their deadline)"),
                    }}</span>
                })}
            </p>
            <p class="mt-1 text-sm text-stone-700" data-testid="index-meaning">{t.tr(
                "Skala 0–100: 100 berarti setiap laporan ditindaklanjuti dan diselesaikan tepat waktu, dikonfirmasi dan dinilai 5 oleh pelapor. Laporan yang masih dalam tenggat belum dihitung.",
                "Scale 0–100: 100 means every report was followed up and completed on time, confirmed and rated 5 by its reporter. Reports still inside their deadline are not counted yet.",
            )}</p>
            <FiguresTable c drill/>
            <p class="mt-2 text-sm"><a href=csv("ringkasan") class=LINK>{t.tr("Unduh CSV", "Download CSV")}</a></p>
            <details class="mt-3 rounded border border-stone-300 bg-white p-3">
                <summary class="cursor-pointer py-2.5 font-semibold">{t.tr("Cara menghitung indeks", "How the index is computed")}</summary>
                <IndexExplained/>
            </details>
        </section>

        <section aria-labelledby="ranking-title" class="mt-8">
            <h2 id="ranking-title" class="text-xl font-bold">{t.tr("Peringkat instansi", "Agency ranking")}</h2>
            <figure class="mt-2">
                <img src=chart("peringkat") width="340" height="300" class="h-auto w-full max-w-lg" alt=t.tr("Grafik batang indeks kinerja setiap instansi; angkanya ada di tabel di bawah.", "Bar chart of each agency's performance index; the figures are in the table below.")/>
            </figure>
            // On a phone: one card per agency (a ten-column table would squeeze the names).
            <ol class="mt-2 space-y-2 sm:hidden" data-testid="ranking-cards">
                {p.ranking.iter().map(|r| {
                    let href = format!("{base}?{}", query_string(&[("instansi", r.agency.id.to_string()), ("dari", p.filter.from.clone()), ("sampai", p.filter.to.clone())]));
                    view! {
                        <li class="rounded border border-stone-300 bg-white p-3">
                            <p class="flex items-baseline justify-between gap-3">
                                <a href=href class=format!("{LINK} inline-flex min-h-11 items-center")>{r.rank.map(|n| format!("{n}. ")).unwrap_or_default()}{r.agency.name.clone()}</a>
                                <span class="shrink-0 text-lg font-bold">{t.decimal(r.index)}</span>
                            </p>
                            <dl class="mt-1 grid grid-cols-2 gap-x-3 text-sm">
                                <dt>{t.tr("Diterima", "Received")}</dt><dd class="text-right">{r.counts.received}</dd>
                                <dt>{t.tr("Tindak lanjut ≤5 hari", "Follow-up ≤5 days")}</dt><dd class="text-right">{t.percent(r.counts.first_follow_up_share())}</dd>
                                <dt>{t.tr("Selesai tepat waktu", "Completed on time")}</dt><dd class="text-right">{t.percent(r.counts.on_time_share())}</dd>
                                <dt>{t.tr("Terlambat kini", "Overdue now")}</dt><dd class="text-right">{r.counts.overdue_now}</dd>
                            </dl>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="relative mt-2 hidden overflow-x-auto sm:block">
                <table class="min-w-full bg-white text-sm" data-testid="ranking">
                    <thead><tr>
                        <th scope="col" class=TH>"#"</th>
                        <th scope="col" class=TH>{t.tr("Instansi", "Agency")}</th>
                        <th scope="col" class=TH>{t.tr("Diterima", "Received")}</th>
                        <th scope="col" class=TH>{t.tr("Tindak lanjut ≤5 hari", "Follow-up ≤5 days")}</th>
                        <th scope="col" class=TH>{t.tr("Median hari", "Median days")}</th>
                        <th scope="col" class=TH>{t.tr("Selesai tepat waktu", "Completed on time")}</th>
                        <th scope="col" class=TH>{t.tr("Dikonfirmasi", "Confirmed")}</th>
                        <th scope="col" class=TH>{t.tr("Nilai", "Rating")}</th>
                        <th scope="col" class=TH>{t.tr("Terlambat kini", "Overdue now")}</th>
                        <th scope="col" class=TH>{t.tr("Indeks", "Index")}</th>
                    </tr></thead>
                    <tbody>
                        {p.ranking.iter().map(|r| {
                            let href = format!("{base}?{}", query_string(&[("instansi", r.agency.id.to_string()), ("dari", p.filter.from.clone()), ("sampai", p.filter.to.clone())]));
                            view! {
                                <tr>
                                    <td class=TD>{r.rank.map(|n| n.to_string()).unwrap_or_else(|| "–".into())}</td>
                                    <th scope="row" class=format!("{TD} text-left font-normal")><a href=href class=LINK>{r.agency.name.clone()}</a></th>
                                    <td class=TD>{r.counts.received}</td>
                                    <td class=TD>{t.percent(r.counts.first_follow_up_share())}</td>
                                    <td class=TD>{t.decimal(r.counts.median_follow_up_days())}</td>
                                    <td class=TD>{t.percent(r.counts.on_time_share())}</td>
                                    <td class=TD>{t.percent(r.counts.confirmed_share())}</td>
                                    <td class=TD>{t.decimal(r.counts.average_rating())}</td>
                                    <td class=TD>{r.counts.overdue_now}</td>
                                    <td class=TD><strong>{t.decimal(r.index)}</strong></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="mt-2 text-sm"><a href=csv("peringkat") class=LINK>{t.tr("Unduh CSV", "Download CSV")}</a></p>
        </section>

        <section aria-labelledby="trend-title" class="mt-8">
            <h2 id="trend-title" class="text-xl font-bold">{t.tr("Per bulan", "By month")}</h2>
            <figure class="mt-2">
                <img src=chart("tren") width="340" height="250" class="h-auto w-full max-w-lg" alt=t.tr("Grafik laporan diterima per bulan dan yang ditindaklanjuti dalam 5 hari kerja; angkanya ada di tabel di bawah.", "Chart of reports received per month and those followed up within 5 working days; the figures are in the table below.")/>
            </figure>
            <div class="relative mt-2 overflow-x-auto">
                <table class="min-w-full bg-white text-sm" data-testid="trend">
                    <thead><tr>
                        <th scope="col" class=TH>{t.tr("Bulan", "Month")}</th>
                        <th scope="col" class=TH>{t.tr("Diterima", "Received")}</th>
                        <th scope="col" class=TH>{t.tr("Tindak lanjut ≤5 hari", "Follow-up ≤5 days")}</th>
                        <th scope="col" class=TH>{t.tr("Selesai tepat waktu", "Completed on time")}</th>
                    </tr></thead>
                    <tbody>
                        {p.trend.iter().map(|m| view! {
                            <tr>
                                <th scope="row" class=format!("{TD} text-left font-normal")>{t.month(&m.month)}</th>
                                <td class=TD>{m.counts.received}</td>
                                <td class=TD>{t.percent(m.counts.first_follow_up_share())}</td>
                                <td class=TD>{t.percent(m.counts.on_time_share())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="mt-2 text-sm"><a href=csv("tren") class=LINK>{t.tr("Unduh CSV", "Download CSV")}</a></p>
        </section>

        <section aria-labelledby="category-title" class="mt-8">
            <h2 id="category-title" class="text-xl font-bold">{t.tr("Menurut kategori", "By category")}</h2>
            <figure class="mt-2">
                <img src=chart("kategori") width="340" height="300" class="h-auto w-full max-w-lg" alt=t.tr("Grafik batang laporan menurut kategori; angkanya ada di tabel di bawah.", "Bar chart of reports by category; the figures are in the table below.")/>
            </figure>
            <LabelTable rows=p.categories.clone() testid="categories" head=t.tr("Kategori", "Category")/>
            <p class="mt-2 text-sm"><a href=csv("kategori") class=LINK>{t.tr("Unduh CSV", "Download CSV")}</a></p>
        </section>

        <section aria-labelledby="map-title" class="mt-8">
            <h2 id="map-title" class="text-xl font-bold">{t.tr("Menurut wilayah", "By region")}</h2>
            <figure class="mt-2">
                <img src=chart("peta") width="340" height="340" class="h-auto w-full max-w-md" alt=t.tr("Peta skematis kabupaten di Sulawesi Barat, diwarnai menurut jumlah laporan; angkanya ada di tabel di bawah.", "Schematic map of the regencies of West Sulawesi, shaded by number of reports; the figures are in the table below.")/>
                <figcaption class="text-sm text-stone-600">{t.tr("Peta skematis: letak kabupaten disederhanakan, bukan batas wilayah resmi.", "Schematic map: regencies are placed approximately, not on official boundaries.")}</figcaption>
            </figure>
            <LabelTable rows=p.regions.clone() testid="regions" head=t.tr("Wilayah", "Region")/>
            <p class="mt-2 text-sm"><a href=csv("wilayah") class=LINK>{t.tr("Unduh CSV", "Download CSV")}</a></p>
        </section>

        {oversight.then(|| view! { <OverdueList rows=p.overdue.clone() csv=csv("terlambat")/> })}
    }
}

#[component]
fn FiguresTable<F>(c: Counts, drill: F) -> impl IntoView
where
    F: Fn(Measure) -> String + 'static,
{
    let t = texts();
    let rows: Vec<(&'static str, String, Option<Measure>)> = vec![
        (
            t.tr("Diterima", "Received"),
            c.received.to_string(),
            Some(Measure::Received),
        ),
        (
            t.tr("Diteruskan ke unit", "Passed on to a unit"),
            c.delegated.to_string(),
            Some(Measure::Delegated),
        ),
        (
            t.tr(
                "Dikembalikan (bukan wewenang)",
                "Returned (not its business)",
            ),
            format!("{} ({})", c.bounced, t.percent(c.bounce_share())),
            Some(Measure::Bounced),
        ),
        (
            t.tr(
                "Tindak lanjut pertama ≤5 hari kerja",
                "First follow-up within 5 working days",
            ),
            format!(
                "{} ({})",
                c.first_follow_up_in_time,
                t.percent(c.first_follow_up_share())
            ),
            Some(Measure::FirstFollowUpInTime),
        ),
        (
            t.tr(
                "Tindak lanjut pertama terlambat (atau tidak ada sampai tenggat)",
                "First follow-up late (or none by the deadline)",
            ),
            c.first_follow_up_late().to_string(),
            Some(Measure::FirstFollowUpLate),
        ),
        (
            t.tr(
                "Median hari kerja sampai tindak lanjut pertama",
                "Median working days to the first follow-up",
            ),
            t.decimal(c.median_follow_up_days()),
            None,
        ),
        (
            t.tr("Selesai dalam tenggat", "Completed within the deadline"),
            format!("{} ({})", c.completed_on_time, t.percent(c.on_time_share())),
            Some(Measure::CompletedOnTime),
        ),
        (
            t.tr(
                "Selesai terlambat (atau belum selesai saat tenggat)",
                "Completed late (or not by the deadline)",
            ),
            c.completed_late().to_string(),
            Some(Measure::CompletedLate),
        ),
        (
            t.tr("Dikonfirmasi pelapor", "Confirmed by the reporter"),
            format!("{} ({})", c.confirmed, t.percent(c.confirmed_share())),
            Some(Measure::Confirmed),
        ),
        (
            t.tr("Ditutup tanpa konfirmasi", "Closed without confirmation"),
            format!(
                "{} ({})",
                c.closed_unconfirmed,
                t.percent(c.closed_unconfirmed_share())
            ),
            Some(Measure::ClosedUnconfirmed),
        ),
        (
            t.tr("Nilai rata-rata (1–5)", "Average rating (1–5)"),
            t.decimal(c.average_rating()),
            None,
        ),
        (
            t.tr("Sedang ditangani kini", "Being handled now"),
            c.open_now.to_string(),
            Some(Measure::OpenNow),
        ),
        (
            t.tr("Melewati tenggat kini", "Past the deadline now"),
            c.overdue_now.to_string(),
            Some(Measure::OverdueNow),
        ),
    ];
    view! {
        <table class="mt-3 w-full bg-white text-sm" data-testid="figures">
            <thead><tr>
                <th scope="col" class=TH>{t.tr("Ukuran", "Measure")}</th>
                <th scope="col" class=TH>{t.tr("Angka", "Figure")}</th>
                <th scope="col" class=TH><span class="sr-only">{t.tr("Laporan", "Reports")}</span></th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(label, value, m)| view! {
                    <tr>
                        <th scope="row" class=format!("{TD} text-left font-normal")>{label}</th>
                        <td class=TD><strong>{value}</strong></td>
                        <td class=TD>{m.map(|m| {
                            let see = t.tr("lihat laporan", "see reports");
                            view! { <a href=drill(m) class=LINK aria-label=format!("{see}: {label}")>{see}</a> }
                        })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn LabelTable(
    rows: Vec<crate::domain::views::LabelCount>,
    testid: &'static str,
    head: &'static str,
) -> impl IntoView {
    let t = texts();
    view! {
        <div class="relative mt-2 overflow-x-auto">
            <table class="min-w-full bg-white text-sm" data-testid=testid>
                <thead><tr>
                    <th scope="col" class=TH>{head}</th>
                    <th scope="col" class=TH>{t.tr("Diterima", "Received")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row" class=format!("{TD} text-left font-normal")>{if t.lang == Lang::En { r.label_en } else { r.label_id }}</th>
                            <td class=TD>{r.count}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OverdueList(rows: Vec<crate::domain::views::OverdueRow>, csv: String) -> impl IntoView {
    let t = texts();
    view! {
        <section aria-labelledby="overdue-title" class="mt-8">
            <h2 id="overdue-title" class="text-xl font-bold">{t.tr("Melewati tenggat", "Past the deadline")}</h2>
            {if rows.is_empty() {
                view! { <p class="mt-2">{t.tr("Tidak ada laporan yang melewati tenggat.", "No report is past its deadline.")}</p> }.into_any()
            } else {
                view! {
                    <div class="relative mt-2 overflow-x-auto">
                        <table class="min-w-full bg-white text-sm" data-testid="overdue">
                            <thead><tr>
                                <th scope="col" class=TH>{t.tr("Laporan", "Report")}</th>
                                <th scope="col" class=TH>{t.tr("Dipegang oleh", "Held by")}</th>
                                <th scope="col" class=TH>{t.tr("Tenggat", "Deadline")}</th>
                                <th scope="col" class=TH>{t.tr("Hari kerja terlambat", "Working days late")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row" class=format!("{TD} text-left font-normal")>
                                            <a href=format!("/staf/laporan/{}", r.id) class=LINK>{r.reference.clone()}</a>
                                            " " {r.title.clone()}
                                            {r.confidential.then(|| view! { " " <strong class="rounded bg-amber-100 px-1 text-amber-900">{t.tr("rahasia", "confidential")}</strong> })}
                                        </th>
                                        <td class=TD>{if r.agency.is_empty() { t.tr("Verifikator", "Verifiers").to_string() } else { r.agency.clone() }}{r.head.clone().map(|h| format!(" ({h})"))}</td>
                                        <td class=TD>{t.datetime(r.due_at, r.utc_offset_minutes)}</td>
                                        <td class=TD><strong>{r.days_late}</strong></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="mt-2 text-sm"><a href=csv class=LINK>{t.tr("Unduh CSV", "Download CSV")}</a></p>
        </section>
    }
}

#[component]
fn IndexExplained() -> impl IntoView {
    let t = texts();
    view! {
        <div class="mt-2 space-y-2 text-sm">
            <p>{t.tr(
                "Satu laporan yang diteruskan ke sebuah instansi dihitung pada bulan diteruskannya, untuk instansi itu dan instansi di atasnya. Indeks (0–100) adalah rata-rata berbobot dari:",
                "A report dispatched to an agency counts in the month it was dispatched, for that agency and those above it. The index (0–100) is the weighted mean of:",
            )}</p>
            <ul class="ml-5 list-disc">
                <li>{t.tr("30% — dari laporan yang tindak lanjut pertamanya sudah datang atau tenggatnya (5 hari kerja) sudah lewat, bagian yang ditindaklanjuti dalam 5 hari kerja;", "30% — of the reports followed up or past their 5-working-day follow-up deadline, the share followed up within 5 working days;")}</li>
                <li>{t.tr("30% — dari laporan yang sudah dijawab selesai atau tenggat penyelesaiannya sudah lewat, bagian yang selesai dalam tenggat;", "30% — of the reports answered or past their completion deadline, the share completed within the deadline;")}</li>
                <li>{t.tr("20% — bagian laporan yang ditutup dengan konfirmasi pelapor;", "20% — share of closed reports the reporter confirmed;")}</li>
                <li>{t.tr("10% — nilai rata-rata pelapor, (nilai − 1) / 4;", "10% — the reporters' average rating, (rating − 1) / 4;")}</li>
                <li>{t.tr("10% — bagian laporan yang tidak dikembalikan sebagai bukan wewenang.", "10% — share of reports not returned as not the agency's business.")}</li>
            </ul>
            <p>{t.tr(
                "Laporan yang masih dalam tenggatnya belum dinilai: tidak dihitung tepat waktu maupun terlambat. Bagian yang belum ada datanya (misalnya belum ada nilai) tidak dihitung dan bobotnya dibagi ke bagian lain. Instansi dengan kurang dari 5 laporan, atau yang belum punya laporan yang sudah dinilai, tidak diberi indeks dan peringkat.",
                "Reports still inside their deadline are not judged yet: they count neither as on time nor as late. A component without data yet (no rating, say) is left out and its weight shared by the others. Agencies with fewer than 5 reports, or none judged yet, get no index and no rank.",
            )}</p>
        </div>
    }
}
