//! Crash safety: the real `aduan` binary under concurrent submissions, dispatches and follow-ups,
//! killed with SIGKILL at random moments and restarted, on SQLite and PostgreSQL. After every
//! cycle: every acknowledged report and transition is there, tracking codes are unique, the
//! audit chains verify, SQLite's `integrity_check` is ok. At the end the outbox is drained into
//! a real SMTP server: no email lost. Sessions are made once and survive every kill (they live in
//! the database). A kill between the SMTP server's acceptance and the `sent` mark delivers that
//! email again after its lease, with the same `Message-ID` (counted and printed, not hidden).
//!
//! `ADUAN_CRASH_CYCLES` (default 20, what CI runs) sets the cycles per database; the bench runs
//! more: `ADUAN_CRASH_CYCLES=200 cargo test --release -p server --test it crash:: -- --nocapture`
//! (`bench/run crash`); `ADUAN_CRASH_BACKEND=sqlite` or `postgres` runs one database only.

use crate::common;

use common::process::{
    add_staff, message_id, post, ready, report_body, sign_in, smtp, sqlite_integrity, start,
};

use app::server::entities::{outbox, report, report_event};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PUPR: i32 = 3;

/// What the clients were told succeeded.
#[derive(Default)]
struct Acks {
    /// reference → tracking code
    submitted: HashMap<String, String>,
    /// report id (by reference) dispatched
    dispatched: HashSet<String>,
    /// reference → follow-ups acknowledged
    followed: HashMap<String, usize>,
}

/// A staff command through the API; whether it was acknowledged (200).
async fn staff_command(
    client: &reqwest::Client,
    base: &str,
    id: i64,
    cookie: &str,
    body: serde_json::Value,
) -> bool {
    let url = format!("{base}/api/v1/staff/reports/{id}/commands");
    matches!(
        post(client, url, Some(cookie), body).await,
        Some((200, _, _))
    )
}

/// One client doing a mix of work until `stop`.
async fn client_loop(
    client: reqwest::Client,
    base: String,
    verifier: String,
    officer: String,
    acks: Arc<Mutex<Acks>>,
    ids: Arc<Mutex<HashMap<String, i64>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    tag: String,
) {
    let mut n = 0u32;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        n += 1;
        let pick = rand::thread_rng().gen_range(0..3);
        match pick {
            0 => {
                let body = report_body(
                    &format!("Uji ketahanan {tag} nomor {n}"),
                    &format!("warga-{tag}-{n}@example.org"),
                );
                if let Some((201, v, _)) =
                    post(&client, format!("{base}/api/v1/reports"), None, body).await
                {
                    let reference = v["reference"].as_str().unwrap().to_string();
                    let code = v["tracking_code"].as_str().unwrap().to_string();
                    acks.lock().unwrap().submitted.insert(reference, code);
                }
            }
            1 => {
                let target = {
                    let a = acks.lock().unwrap();
                    let ids = ids.lock().unwrap();
                    a.submitted
                        .keys()
                        .find(|r| !a.dispatched.contains(*r) && ids.contains_key(*r))
                        .map(|r| (r.clone(), ids[r]))
                };
                if let Some((reference, id)) = target {
                    let body = json!({"command": "dispatch", "agency": PUPR});
                    if staff_command(&client, &base, id, &verifier, body).await {
                        acks.lock().unwrap().dispatched.insert(reference);
                    }
                }
            }
            _ => {
                let target = {
                    let a = acks.lock().unwrap();
                    let ids = ids.lock().unwrap();
                    a.dispatched
                        .iter()
                        .find(|r| ids.contains_key(*r))
                        .map(|r| (r.clone(), ids[r]))
                };
                if let Some((reference, id)) = target {
                    let body = json!({"command": "follow_up", "note": format!("Tindak lanjut {n}"), "confirm_similar": true});
                    if staff_command(&client, &base, id, &officer, body).await {
                        *acks.lock().unwrap().followed.entry(reference).or_default() += 1;
                    }
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_at_random_moments_loses_nothing() {
    let cycles: u32 = std::env::var("ADUAN_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let smtp = smtp().await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    // ADUAN_CRASH_BACKEND=sqlite|postgres runs one database only (long bench runs).
    let only = std::env::var("ADUAN_CRASH_BACKEND").ok();
    for t in common::databases().await {
        if only.as_deref().is_some_and(|b| b != t.backend) {
            t.cleanup().await;
            continue;
        }
        let db = t.db.clone();
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let files = tempfile::tempdir().unwrap();
        // Staff with known two-factor secrets.
        let verifier_email = format!("verifier-{tag}@uji.example.org");
        let verifier_id = add_staff(&db, "verifier", "PROV-76", &verifier_email).await;
        let officer_email = format!("agency_officer-{tag}@uji.example.org");
        add_staff(&db, "agency_officer", "76-PUPR", &officer_email).await;
        let secret = app::server::credentials::new_totp_secret();
        app::server::entities::account::Entity::update_many()
            .col_expr(
                app::server::entities::account::Column::TotpSecret,
                sea_orm::sea_query::Expr::value(secret.clone()),
            )
            .col_expr(
                app::server::entities::account::Column::TotpEnabled,
                sea_orm::sea_query::Expr::value(true),
            )
            .filter(app::server::entities::account::Column::Id.eq(verifier_id))
            .exec(&db)
            .await
            .unwrap();

        let acks = Arc::new(Mutex::new(Acks::default()));
        let ids: Arc<Mutex<HashMap<String, i64>>> = Arc::new(Mutex::new(HashMap::new()));
        let started = Instant::now();
        let mut sessions: Option<(String, String)> = None;
        for cycle in 0..cycles {
            let mut server = start(&t.url, files.path(), &[("ADUAN_SMTP_URL", smtp.url())]);
            ready(&client, &server.base).await;
            // Sessions live in the database: signed in once, they survive every kill.
            if sessions.is_none() {
                let officer = sign_in(&client, &server.base, &officer_email, None).await;
                let verifier = sign_in(&client, &server.base, &verifier_email, Some(&secret)).await;
                sessions = Some((verifier, officer));
            }
            let (verifier, officer) = sessions.clone().unwrap();
            // Ids of acknowledged reports (the API answers with references).
            for r in report::Entity::find().all(&db).await.unwrap() {
                ids.lock().unwrap().insert(r.reference, r.id);
            }
            let run_for = Duration::from_millis(rand::thread_rng().gen_range(150..900));
            let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let mut workers = Vec::new();
            for _ in 0..4 {
                workers.push(tokio::spawn(client_loop(
                    client.clone(),
                    server.base.clone(),
                    verifier.clone(),
                    officer.clone(),
                    acks.clone(),
                    ids.clone(),
                    stop.clone(),
                    tag.clone(),
                )));
            }
            tokio::time::sleep(run_for).await;
            // SIGKILL, in the middle of the work.
            server.kill();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            for w in workers {
                let _ = w.await;
            }
            check(&t, &db, &acks, cycle).await;
        }
        // Drain the outbox with a last, clean run.
        let mut server = start(&t.url, files.path(), &[("ADUAN_SMTP_URL", smtp.url())]);
        ready(&client, &server.base).await;
        // The lease of rows a killed sender held (1 min), then the backlog at SMTP speed: wait
        // while emails keep going out; fail when nothing was sent for two minutes.
        let mut last = (u64::MAX, Instant::now());
        loop {
            let pending = outbox::Entity::find()
                .filter(outbox::Column::Status.ne("sent"))
                .count(&db)
                .await
                .unwrap();
            if pending == 0 {
                break;
            }
            if pending < last.0 {
                last = (pending, Instant::now());
            }
            assert!(
                last.1.elapsed() < Duration::from_secs(120),
                "{}: {pending} emails left unsent, none sent for two minutes",
                t.backend
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let drained = started.elapsed();
        server.kill();
        let sent = outbox::Entity::find().all(&db).await.unwrap();
        let expected: HashSet<String> = sent.iter().map(message_id).collect();
        // This database's deliveries (the mailbox is shared by both databases' runs).
        let received: Vec<String> = smtp
            .message_ids()
            .into_iter()
            .filter(|id| expected.contains(id))
            .collect();
        let distinct: HashSet<&String> = received.iter().collect();
        for id in &expected {
            assert!(
                distinct.contains(id),
                "{}: {id} was never received",
                t.backend
            );
        }
        // Repeats only come from kills: each kill can catch at most the emails in flight.
        let repeats = received.len() - distinct.len();
        assert!(
            repeats <= cycles as usize * app::server::notify::SEND_AT_ONCE,
            "{}: {repeats} repeated deliveries for {cycles} kills",
            t.backend
        );
        let a = acks.lock().unwrap();
        println!(
            "crash test on {}: {cycles} SIGKILL cycles and the outbox drained in {:.1}s; acknowledged {} reports, {} dispatches, {} follow-ups; {} emails, {} deliveries ({} repeated after a kill, same Message-ID)",
            t.backend,
            drained.as_secs_f64(),
            a.submitted.len(),
            a.dispatched.len(),
            a.followed.values().sum::<usize>(),
            sent.len(),
            received.len(),
            repeats,
        );
        assert!(a.submitted.len() as u32 >= cycles, "the load did real work");
        drop(a);
        t.cleanup().await;
    }
}

/// Everything acknowledged is stored; codes unique; chains verify; SQLite intact.
async fn check(
    t: &common::TestDb,
    db: &sea_orm::DatabaseConnection,
    acks: &Mutex<Acks>,
    cycle: u32,
) {
    let reports: HashMap<String, report::Model> = report::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.reference.clone(), r))
        .collect();
    let a = acks.lock().unwrap();
    for (reference, code) in &a.submitted {
        let r = reports.get(reference).unwrap_or_else(|| {
            panic!(
                "{} cycle {cycle}: acknowledged report {reference} lost",
                t.backend
            )
        });
        let parsed = app::domain::TrackingCode::parse(code).unwrap();
        assert_eq!(
            r.tracking_hash,
            parsed.lookup_hash(),
            "{}: code of {reference}",
            t.backend
        );
    }
    for reference in &a.dispatched {
        assert!(
            reports[reference].agency_id.is_some(),
            "{} cycle {cycle}: acknowledged dispatch of {reference} lost",
            t.backend
        );
    }
    // Follow-ups stored per report, in one query.
    let mut stored: HashMap<i64, usize> = HashMap::new();
    for e in report_event::Entity::find()
        .filter(report_event::Column::Event.eq("followed_up"))
        .all(db)
        .await
        .unwrap()
    {
        *stored.entry(e.report_id).or_default() += 1;
    }
    for (reference, n) in &a.followed {
        let stored = stored.get(&reports[reference].id).copied().unwrap_or(0);
        assert!(
            stored >= *n,
            "{} cycle {cycle}: {n} follow-ups acknowledged on {reference}, {stored} stored",
            t.backend
        );
    }
    let hashes: HashSet<&String> = reports.values().map(|r| &r.tracking_hash).collect();
    assert_eq!(
        hashes.len(),
        reports.len(),
        "{}: duplicate tracking codes",
        t.backend
    );
    app::server::audit::verify_all(db)
        .await
        .unwrap_or_else(|e| panic!("{} cycle {cycle}: audit chain broken: {e:?}", t.backend));
    if t.backend == "sqlite" {
        let verdict = sqlite_integrity(&t.url).await;
        assert_eq!(verdict, "ok", "cycle {cycle}");
    }
}
