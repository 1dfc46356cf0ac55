//! `/metrics`: answers the operator's scraper only, and its figures are the real ones.

use crate::common::{self, get, post_json, send};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use std::collections::HashMap;

fn scrape_with(token: &str) -> Request<Body> {
    Request::get("/metrics")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// The samples of an exposition: `name{labels}` → value (labels as written, in order).
fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (k, v) = l.rsplit_once(' ')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect()
}

/// The value of the sample `name` whose labels include every one of `labels`.
fn value(all: &HashMap<String, f64>, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    all.iter()
        .filter(|(k, _)| k.as_str() == name || k.starts_with(&format!("{name}{{")))
        .filter(|(k, _)| {
            labels
                .iter()
                .all(|(l, v)| k.contains(&format!("{l}=\"{v}\"")))
        })
        .map(|(_, v)| *v)
        .next()
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_exist_only_with_a_token() {
    let t = common::sqlite().await;
    let mut settings = common::settings(100);
    settings.metrics_token = None;
    let app = server::startup::router(t.db.clone(), &settings).unwrap();
    let r = send(&app, get("/metrics")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("# TYPE"));
    // A bearer token there is taken for an API token, and refused as one.
    let r = send(&app, scrape_with(common::TEST_METRICS_TOKEN)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(!r.body.contains("# TYPE"));
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_answer_the_scraper_only_and_show_what_an_operator_watches() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(100)).unwrap();

        // Refused: no token, a wrong one, a system administrator's session, an API token.
        let r = send(&app, get("/metrics")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", t.backend);
        assert_eq!(
            r.headers[header::WWW_AUTHENTICATE],
            "Bearer realm=\"metrics\""
        );
        assert!(!r.body.contains("# TYPE"));
        let wrong = format!("{}x", common::TEST_METRICS_TOKEN);
        assert_eq!(
            send(&app, scrape_with(&wrong)).await.status,
            StatusCode::UNAUTHORIZED
        );
        let id = common::add_account(db, "system_admin", None, "admin-metrik@aduan.test").await;
        let secret = common::enable_totp(db, id).await;
        let admin = common::session_cookie_totp(
            &app,
            "admin-metrik@aduan.test",
            common::TEST_PASSWORD,
            Some(common::code_now(&secret)),
        )
        .await;
        let r = send(&app, common::get_as("/metrics", Some(&admin))).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "a person's session is not the scraper"
        );

        // A reporter with a marker in every contact field; one report waits for the verifiers,
        // another is with an agency and past its deadline.
        let marker = "KANARIMETRIK";
        let mut report = json!({
            "kind": "complaint",
            "title": "Lampu jalan mati di simpang empat",
            "description": "Lampu jalan di simpang empat mati sejak seminggu, rawan kecelakaan.",
            "category_id": 5,
            "region_code": "76.05",
            "incident_date": "2026-11-20",
            "anonymous": false,
            "confidential": true,
            "reporter": {"name": format!("{marker} Nama"), "email": "kanarimetrik@example.id",
                         "phone": "081200009999"}
        });
        let first = send(&app, post_json("/api/v1/reports", &report.to_string())).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        report["title"] = json!("Jalan berlubang di depan sekolah dasar");
        let second = send(&app, post_json("/api/v1/reports", &report.to_string())).await;
        assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
        let code = first.json()["tracking_code"]
            .as_str()
            .unwrap()
            .replace('-', "");
        let late = common::report_id(db, second.json()["reference"].as_str().unwrap()).await;
        const PUPR: i32 = 3;
        common::dispatch(db, late, PUPR).await;
        // Its deadline passed (arranged: the clock of a test does not wait working days).
        use app::server::entities::report;
        report::Entity::update_many()
            .col_expr(
                report::Column::DueAt,
                sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::days(3)),
            )
            .filter(report::Column::Id.eq(late))
            .exec(db)
            .await
            .unwrap();
        let pupr = app::server::entities::agency::Entity::find_by_id(PUPR)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .code;
        for _ in 0..2 {
            assert_eq!(
                send(&app, get(&format!("/lacak/{code}"))).await.status,
                StatusCode::OK
            );
        }
        let jobs = server::startup::Jobs {
            db: db.clone(),
            files: app::server::files::Files::in_memory(),
            retention: Default::default(),
        };
        server::startup::run_minute_jobs(&jobs, chrono::Utc::now()).await;

        let r = send(&app, scrape_with(common::TEST_METRICS_TOKEN)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", t.backend);
        assert!(r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"));
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
        let body = &r.body;
        // Counts only: no tracking code, no reporter, no title.
        assert!(!body.contains(&code), "a tracking code in the metrics");
        assert!(
            !body.to_lowercase().contains(&marker.to_lowercase()),
            "the reporter leaked"
        );
        assert!(!body.contains("081200009999") && !body.contains("Lampu jalan"));
        let m = samples(body);

        // Requests, under the route's template.
        let lookups = value(
            &m,
            "aduan_http_requests_total",
            &[
                ("method", "GET"),
                ("route", "/lacak/{code}"),
                ("status", "200"),
            ],
        )
        .expect("tracking lookups counted");
        assert!(lookups >= 2.0, "{lookups}");
        assert!(
            value(
                &m,
                "aduan_http_request_duration_seconds_count",
                &[("route", "/lacak/{code}")]
            )
            .unwrap()
                >= 2.0
        );
        assert!(
            value(
                &m,
                "aduan_http_requests_total",
                &[("route", "/api/v1/reports"), ("status", "201")]
            )
            .unwrap()
                >= 2.0
        );
        // On SQLite the submissions went through the group writer (default `auto`); on
        // PostgreSQL each is its own transaction.
        let grouped = value(&m, "aduan_db_group_commit_work_total", &[]).unwrap();
        let groups = value(&m, "aduan_db_group_commits_total", &[]).unwrap();
        if t.backend == "sqlite" {
            assert!(
                grouped >= 2.0 && groups >= 1.0 && groups <= grouped,
                "{body}"
            );
        } else {
            assert_eq!((grouped, groups), (0.0, 0.0), "{body}");
        }
        assert_eq!(value(&m, "aduan_db_group_commit_queued", &[]), Some(0.0));
        // The refusals above were counted too (the scraper's route, 401).
        assert!(
            value(
                &m,
                "aduan_http_requests_total",
                &[("route", "/metrics"), ("status", "401")]
            )
            .unwrap()
                >= 3.0
        );

        // The database's figures, as the database has them.
        assert_eq!(value(&m, "aduan_db_up", &[]), Some(1.0));
        assert!(value(&m, "aduan_db_pool_max_connections", &[]).unwrap() >= 1.0);
        assert!(value(&m, "aduan_db_pool_connections", &[("state", "idle")]).is_some());
        let pending = app::server::entities::outbox::Entity::find()
            .filter(app::server::entities::outbox::Column::Status.eq("pending"))
            .count(db)
            .await
            .unwrap();
        assert!(pending > 0, "the dispatch planned emails");
        assert_eq!(value(&m, "aduan_outbox_pending", &[]), Some(pending as f64));
        assert!(value(&m, "aduan_outbox_oldest_pending_age_seconds", &[]).unwrap() >= 0.0);
        assert_eq!(value(&m, "aduan_outbox_dead", &[]), Some(0.0));
        assert_eq!(value(&m, "aduan_verifier_reports_open", &[]), Some(1.0));
        assert_eq!(value(&m, "aduan_verifier_reports_overdue", &[]), Some(0.0));
        assert_eq!(
            value(&m, "aduan_agency_reports_open", &[("agency", &pupr)]),
            Some(1.0),
            "{body}"
        );
        assert_eq!(
            value(&m, "aduan_agency_reports_overdue", &[("agency", &pupr)]),
            Some(1.0)
        );
        // Every active agency has its line, zero where nothing waits.
        let agencies = app::server::entities::agency::Entity::find()
            .filter(app::server::entities::agency::Column::Active.eq(true))
            .count(db)
            .await
            .unwrap();
        let lines = m
            .keys()
            .filter(|k| k.starts_with("aduan_agency_reports_open{"))
            .count();
        assert_eq!(lines as u64, agencies);

        // The jobs of the minute, counted and timed.
        for job in [
            "lifecycle",
            "weekly_digest",
            "purge_sessions",
            "holidays",
            "audit_seal",
        ] {
            assert!(
                value(
                    &m,
                    "aduan_job_runs_total",
                    &[("job", job), ("outcome", "ok")]
                )
                .unwrap()
                    >= 1.0,
                "{job}"
            );
            let last = value(
                &m,
                "aduan_job_last_success_timestamp_seconds",
                &[("job", job)],
            )
            .unwrap();
            assert!((chrono::Utc::now().timestamp() as f64 - last).abs() < 600.0);
        }

        // The dashboard in docs/ charts only metrics this scrape has.
        let dashboard = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/grafana/aduan-dashboard.json"
        ))
        .unwrap();
        let doc: serde_json::Value = serde_json::from_str(&dashboard).unwrap();
        let mut charted = 0;
        for panel in doc["panels"].as_array().unwrap() {
            for target in panel["targets"].as_array().unwrap() {
                let expr = target["expr"].as_str().unwrap();
                for name in expr
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| w.starts_with("aduan_"))
                {
                    assert!(
                        body.lines().any(|l| l.starts_with(name)),
                        "the dashboard charts {name}, which /metrics does not have"
                    );
                    charted += 1;
                }
            }
        }
        assert!(charted >= 14, "{charted}");
        t.cleanup().await;
    }
}
