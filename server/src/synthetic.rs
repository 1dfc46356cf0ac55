//! Synthetic data for load tests: `aduan seed --synthetic N` adds N reports spread over the last
//! three years, with their statistics cases and search terms, in bulk (not through the
//! lifecycle: no event history, no messages). For a benchmark database only; `aduan bench
//! stats` measures the statistics and search use cases against it.

use app::domain::transparency::index_terms;
use app::server::entities::{report, report_case};
use chrono::{DateTime, Datelike, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QuerySelect, Set, Statement,
    TransactionTrait,
};
use std::time::Instant;

/// Rows per insert statement (parameters stay under SQLite's limit).
const CHUNK: usize = 400;

const PROBLEMS: [&str; 12] = [
    "Jalan rusak",
    "Lampu jalan padam",
    "Sampah menumpuk",
    "Drainase tersumbat",
    "Pelayanan lambat",
    "Pungutan liar",
    "Jembatan retak",
    "Air bersih tidak mengalir",
    "Antrean panjang",
    "Sekolah kekurangan guru",
    "Puskesmas tutup",
    "Banjir berulang",
];
const PLACES: [&str; 12] = [
    "pasar sentral",
    "kantor kelurahan",
    "jalan poros",
    "perumahan",
    "depan sekolah",
    "terminal",
    "pelabuhan",
    "kompleks pertokoan",
    "puskesmas",
    "kantor kecamatan",
    "lapangan",
    "desa",
];
const SENTENCES: [&str; 10] = [
    "Kerusakan ini sudah berlangsung berbulan-bulan dan membahayakan pengendara.",
    "Warga sudah melapor ke kelurahan tetapi belum ada perbaikan.",
    "Mohon segera ditindaklanjuti karena anak-anak melewati tempat ini setiap hari.",
    "Petugas meminta biaya tambahan yang tidak sesuai ketentuan.",
    "Saluran air meluap setiap kali hujan deras sehingga jalanan tergenang.",
    "Pelayanan dibuka terlambat dan antrean mengular sampai siang.",
    "Penerangan yang mati membuat lingkungan rawan kejahatan pada malam hari.",
    "Kebersihan lingkungan memburuk dan baunya mengganggu pedagang.",
    "Pembangunan dihentikan tanpa penjelasan kepada masyarakat sekitar.",
    "Kami berharap dinas terkait memeriksa langsung ke lokasi.",
];
const REGENCIES: [&str; 6] = ["76.01", "76.02", "76.03", "76.04", "76.05", "76.06"];
const KINDS: [&str; 3] = ["complaint", "aspiration", "information_request"];

/// What a run added.
#[derive(Debug)]
pub struct Added {
    pub reports: u64,
    pub seconds: f64,
}

fn placeholders(backend: DbBackend, rows: usize, cols: usize) -> String {
    let mut n = 0;
    (0..rows)
        .map(|_| {
            let cells: Vec<String> = (0..cols)
                .map(|_| {
                    n += 1;
                    match backend {
                        DbBackend::Sqlite => "?".to_string(),
                        _ => format!("${n}"),
                    }
                })
                .collect();
            format!("({})", cells.join(","))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Adds `n` synthetic reports (deterministic for a given `seed`), `CHUNK` rows per statement.
pub async fn generate(db: &DatabaseConnection, n: u64, seed: u64) -> anyhow::Result<Added> {
    let started = Instant::now();
    let backend = db.get_database_backend();
    let mut rng = StdRng::seed_from_u64(seed);
    // Every agency but the roots receives reports; some far more than others.
    let agencies: Vec<(i32, Option<i32>)> = app::server::accounts::agency_tree(db)
        .await
        .map_err(|e| anyhow::anyhow!("loading agencies: {e:?}"))?;
    let targets: Vec<i32> = agencies
        .iter()
        .filter(|(_, p)| p.is_some())
        .map(|(id, _)| *id)
        .collect();
    anyhow::ensure!(
        !targets.is_empty(),
        "no agency below a root to send reports to"
    );
    let first_id: i64 = report::Entity::find()
        .select_only()
        .column_as(
            sea_orm::sea_query::Expr::from(sea_orm::sea_query::Func::max(
                sea_orm::sea_query::Expr::col(report::Column::Id),
            )),
            "m",
        )
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten()
        .unwrap_or(0)
        + 1;
    let now = Utc::now();
    let span = Duration::days(3 * 365);
    let start = now - span;
    let mut done = 0u64;
    while done < n {
        let batch = (n - done).min(CHUNK as u64 * 10) as usize;
        let txn = db.begin().await?;
        let mut reports = Vec::with_capacity(batch);
        let mut cases = Vec::with_capacity(batch);
        let mut search: Vec<(i64, String)> = Vec::with_capacity(batch);
        let mut staff_search: Vec<(i64, String)> = Vec::with_capacity(batch);
        for i in 0..batch {
            let k = done + i as u64;
            let id = first_id + k as i64;
            // Evenly through time, so ids follow dates as real reports do.
            let created = start
                + Duration::seconds((span.num_seconds() as f64 * (k as f64 / n as f64)) as i64);
            let age_days = (now - created).num_days();
            let agency =
                targets[(rng.gen::<f64>().powi(2) * targets.len() as f64) as usize % targets.len()];
            let problem = PROBLEMS[rng.gen_range(0..PROBLEMS.len())];
            let place = PLACES[rng.gen_range(0..PLACES.len())];
            let title = format!("{problem} di {place}");
            let description = (0..rng.gen_range(2..4))
                .map(|_| SENTENCES[rng.gen_range(0..SENTENCES.len())])
                .collect::<Vec<_>>()
                .join(" ");
            let confidential = rng.gen_bool(0.03);
            let kind = KINDS[if rng.gen_bool(0.8) {
                0
            } else {
                rng.gen_range(1..3)
            }];
            let category = rng.gen_range(1..=12);
            let region = REGENCIES[rng.gen_range(0..REGENCIES.len())];
            let received = created + Duration::hours(rng.gen_range(4..72));
            let bounced = rng.gen_bool(0.05);
            // Older reports are mostly done; recent ones still open.
            let fu_days: Option<i32> = (!bounced && (age_days > 10 || rng.gen_bool(0.5)))
                .then(|| (rng.gen::<f64>().powi(2) * 15.0) as i32);
            let completed = fu_days.is_some() && age_days > 20 && rng.gen_bool(0.85);
            let on_time = completed && rng.gen_bool(0.7);
            let outcome = if completed && age_days > 35 {
                Some(if rng.gen_bool(0.7) {
                    "confirmed"
                } else {
                    "closed_unconfirmed"
                })
            } else {
                None
            };
            let rating = (outcome == Some("confirmed")).then(|| rng.gen_range(1..=5));
            let status = match (bounced, fu_days.is_some(), completed, outcome) {
                (true, _, _, _) => "awaiting_verification",
                (_, false, _, _) => "dispatched",
                (_, true, false, _) => "in_process",
                (_, true, true, None) => "awaiting_reporter",
                (_, _, _, Some("confirmed")) => "resolved",
                _ => "closed_unconfirmed",
            };
            let closed = matches!(status, "resolved" | "closed_unconfirmed");
            let due = (!closed).then(|| received + Duration::days(rng.gen_range(5..30)));
            let month = {
                let d = app::domain::calendar::local_date(received, 480);
                d.year() * 100 + d.month() as i32
            };
            let first_fu_at =
                fu_days.map(|d| received + Duration::days(d as i64 + d as i64 / 5 * 2));
            reports.push(report::ActiveModel {
                id: Set(id),
                reference: Set(format!("SYN-{:04X}-{:04X}", (k >> 16) & 0xffff, k & 0xffff)),
                tracking_hash: Set(format!("{:064x}", 0x5e_0000_0000u64 + k)),
                kind: Set(kind.into()),
                title: Set(title.clone()),
                description: Set(description.clone()),
                category_id: Set(Some(category)),
                region_code: Set(Some(region.into())),
                incident_date: Set(None),
                anonymous: Set(rng.gen_bool(0.2)),
                confidential: Set(confidential),
                name_public: Set(false),
                status: Set(status.into()),
                utc_offset_minutes: Set(480),
                due_at: Set(due),
                created_at: Set(created),
                updated_at: Set(created),
                chain_head: Set(None),
                owner: Set((!closed).then(|| {
                    if bounced {
                        "verifiers".to_string()
                    } else {
                        format!("agency:{agency}")
                    }
                })),
                agency_id: Set((!bounced).then_some(agency)),
                needs_investigation: Set(false),
                bounces: Set(bounced as i32),
                extensions: Set(0),
                disputes: Set(0),
                reminded: Set(false),
                paused_days: Set(None),
                overdue_level: Set(0),
                rating: Set(rating),
                reporter_account_id: Set(None),
                lang: Set("id".into()),
                priority: Set(0),
                duplicate_of: Set(None),
                due_soon_warned: Set(false),
                public_title: Set((!confidential).then(|| title.clone())),
                public_text: Set((!confidential).then(|| description.clone())),
                published_at: Set((!confidential).then_some(received)),
                supporters: Set((rng.gen::<f64>().powi(6) * 200.0) as i32),
                assigned_to: Set(None),
            });
            cases.push(report_case::ActiveModel {
                report_id: Set(id),
                agency_id: Set(agency),
                month: Set(month),
                received_at: Set(received),
                kind: Set(kind.into()),
                category_id: Set(Some(category)),
                region_code: Set(Some(region.into())),
                confidential: Set(confidential),
                delegated: Set(false),
                bounced: Set(bounced),
                first_follow_up_at: Set(first_fu_at),
                first_follow_up_days: Set(fu_days),
                completed_at: Set(completed.then(|| received + Duration::days(12))),
                completed_on_time: Set(completed.then_some(on_time)),
                outcome: Set(outcome.map(str::to_string)),
                rating: Set(rating),
                ..Default::default()
            });
            let terms = index_terms(&format!("{title}\n{description}"));
            if !confidential {
                search.push((id, terms.clone()));
            }
            staff_search.push((id, terms));
        }
        for chunk in reports.chunks(CHUNK) {
            report::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        for chunk in cases.chunks(CHUNK) {
            report_case::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        let tables = [
            ("report_search", &search),
            ("report_search_staff", &staff_search),
        ];
        for (table, chunk) in tables
            .iter()
            .flat_map(|(t, rows)| rows.chunks(CHUNK).map(move |c| (*t, c)))
        {
            let cols = match backend {
                DbBackend::Sqlite => "rowid, terms",
                _ => "report_id, terms",
            };
            let sql = format!(
                "INSERT INTO {table} ({cols}) VALUES {}",
                placeholders(backend, chunk.len(), 2)
            );
            let values: Vec<sea_orm::Value> = chunk
                .iter()
                .flat_map(|(id, terms)| [(*id).into(), terms.clone().into()])
                .collect();
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
        txn.commit().await?;
        done += batch as u64;
        if done % 100_000 < batch as u64 || done == n {
            eprintln!(
                "{done} / {n} synthetic reports ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    app::server::stats::rebuild_aggregates(db)
        .await
        .map_err(|e| anyhow::anyhow!("rebuilding statistics: {e:?}"))?;
    if backend == DbBackend::Postgres {
        db.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('reports', 'id'), (SELECT MAX(id) FROM reports))",
        )
        .await?;
    }
    for table in [
        "reports",
        "report_cases",
        "stat_months",
        "stat_days",
        "stat_groups",
    ] {
        db.execute_unprepared(&format!("ANALYZE {table}")).await?;
    }
    Ok(Added {
        reports: n,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One timing series: p50, p95, max in milliseconds.
fn summary(mut ms: Vec<f64>) -> (f64, f64, f64) {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let at = |q: f64| {
        ms[((ms.len() as f64 * q).ceil() as usize)
            .saturating_sub(1)
            .min(ms.len() - 1)]
    };
    (at(0.5), at(0.95), *ms.last().unwrap_or(&0.0))
}

/// Times the statistics and search use cases on the database as it is (after `generate`):
/// an agency's figures (`stats::counts`), the whole statistics page (`stats::page`: figures,
/// ranking, months, categories, regions) for agencies and periods in turn, and public searches.
/// Prints a Markdown table.
pub async fn bench_stats(db: &DatabaseConnection, rounds: usize) -> anyhow::Result<String> {
    use app::domain::views::{PublicFilter, StatsFilter};
    use app::server::stats::{counts, page, Scope};
    let tree = app::server::accounts::agency_tree(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let now = Utc::now();
    let to = app::domain::calendar::local_date(now, 480);
    let month = |d: DateTime<Utc>| {
        let d = app::domain::calendar::local_date(d, 480);
        d.year() * 100 + d.month() as i32
    };
    let periods = [
        (
            month(now - Duration::days(365)),
            to.year() * 100 + to.month() as i32,
        ),
        (
            month(now - Duration::days(90)),
            to.year() * 100 + to.month() as i32,
        ),
        (
            month(now - Duration::days(3 * 365)),
            to.year() * 100 + to.month() as i32,
        ),
    ];
    let agencies: Vec<i32> = tree.iter().map(|(id, _)| *id).collect();
    let mut figures = Vec::new();
    let mut pages = Vec::new();
    for r in 0..rounds {
        let agency = agencies[r % agencies.len()];
        let (from, to) = periods[r % periods.len()];
        let scope = Scope {
            agencies: Some(app::domain::access::subtree(agency, &tree)),
            from,
            to,
            confidential: false,
        };
        let t = Instant::now();
        counts(db, &scope, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        figures.push(t.elapsed().as_secs_f64() * 1000.0);
        let filter = StatsFilter {
            agency: agency.to_string(),
            from: app::domain::stats::month_text(from),
            to: app::domain::stats::month_text(to),
        };
        let t = Instant::now();
        page(db, &filter, None, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        pages.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let queries = [
        "jalan",
        "kerusakan",
        "perbaikan jalan",
        "sampah pasar",
        "pungutan",
        "antrean puskesmas",
        "banjir",
        "lampu padam",
        "air bersih",
        "guru",
        "jembatan retak",
        "kebersihan",
    ];
    let mut searches = Vec::new();
    for r in 0..rounds {
        let f = PublicFilter {
            q: queries[r % queries.len()].into(),
            ..Default::default()
        };
        let t = Instant::now();
        app::server::transparency::list_public(db, &f)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        searches.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let total: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM reports",
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let mut out = format!(
        "| {} reports, {rounds} rounds | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|\n",
        total
    );
    for (name, series) in [
        ("an agency's figures (`stats::counts`)", figures),
        ("the whole statistics page (`stats::page`)", pages),
        (
            "a public search, first page (`public::list_public`)",
            searches,
        ),
    ] {
        let (p50, p95, max) = summary(series);
        out.push_str(&format!("| {name} | {p50:.1} | {p95:.1} | {max:.1} |\n"));
    }
    Ok(out)
}
