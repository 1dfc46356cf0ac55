//! Idempotent submissions: the same `Idempotency-Key` (API) or form key (`idempotency_key`)
//! sent again is one report and the same answer — after a lost answer, a queued report sent
//! twice, retries racing each other — on SQLite and PostgreSQL.

use crate::common::{send, TestApp};
use app::server::entities::{idempotent_request, report};
use axum::body::Body;
use http::{header, Method, Request, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

fn body(title: &str) -> Value {
    json!({
        "kind": "complaint",
        "title": title,
        "description": "Air PDAM tidak mengalir sejak Senin pagi di seluruh RT 03, warga membeli air galon.",
        "region_code": "76.04",
        "reporter": {"email": "warga@example.org"}
    })
}

fn post(key: Option<&str>, body: &Value) -> Request<Body> {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/reports")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(k) = key {
        b = b.header("idempotency-key", k);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

async fn reports_titled(app: &TestApp, title: &str) -> u64 {
    report::Entity::find()
        .filter(report::Column::Title.eq(title))
        .count(&app.db.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_retry_with_the_same_key_is_the_same_report() {
    for app in TestApp::all().await {
        let key = "3f2b6c1e-8d4a-4f0e-9b7a-1c2d3e4f5a6b";
        let title = "Air PDAM mati di RT 03 Kelurahan Binanga";
        let first = send(&app.router, post(Some(key), &body(title))).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        assert!(first.headers.get("idempotent-replayed").is_none());
        let again = send(&app.router, post(Some(key), &body(title))).await;
        assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
        assert_eq!(
            again.headers["idempotent-replayed"],
            "true",
            "{}",
            app.backend()
        );
        assert_eq!(
            first.json(),
            again.json(),
            "the same answer: {}",
            app.backend()
        );
        assert_eq!(
            first.headers[header::LOCATION],
            again.headers[header::LOCATION]
        );
        assert_eq!(reports_titled(&app, title).await, 1, "{}", app.backend());

        // The same key for another report: refused, and nothing stored.
        let other = "Air PDAM mati di RT 04 Kelurahan Binanga";
        let reused = send(&app.router, post(Some(key), &body(other))).await;
        assert_eq!(
            reused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reused.body
        );
        assert_eq!(reused.json()["error"], "idempotency_key_reused");
        assert_eq!(reports_titled(&app, other).await, 0);

        // A malformed key: 400, nothing stored.
        for bad in ["short", "0123456789abcdef/../x", &"k".repeat(101)] {
            let r = send(&app.router, post(Some(bad), &body(other))).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.body);
        }
        assert_eq!(reports_titled(&app, other).await, 0);

        // A refused report stores no key: the same key works once the report is corrected.
        let key2 = "fresh-key-for-a-corrected-report";
        let short = send(&app.router, post(Some(key2), &body("Pendek"))).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fixed = send(&app.router, post(Some(key2), &body(other))).await;
        assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.body);
        assert!(fixed.headers.get("idempotent-replayed").is_none());

        // Without a key every post is a report (as before).
        let plain = "Air PDAM mati di RT 05 Kelurahan Binanga";
        for _ in 0..2 {
            let r = send(&app.router, post(None, &body(plain))).await;
            assert_eq!(r.status, StatusCode::CREATED);
        }
        assert_eq!(reports_titled(&app, plain).await, 2);
        app.done().await;
    }
}

/// Retries racing each other (a phone that sends again before the first answer came): one
/// report, and every answer names it.
#[tokio::test(flavor = "multi_thread")]
async fn racing_retries_with_one_key_make_one_report() {
    for app in TestApp::all().await {
        let key = "race-key-0123456789abcdef";
        let title = "Jembatan gantung Desa Salutiwo putus sebagian";
        let answers = futures::future::join_all(
            (0..8).map(|_| send(&app.router, post(Some(key), &body(title)))),
        )
        .await;
        let codes: std::collections::BTreeSet<String> = answers
            .iter()
            .map(|r| {
                assert_eq!(
                    r.status,
                    StatusCode::CREATED,
                    "{}: {}",
                    app.backend(),
                    r.body
                );
                r.json()["tracking_code"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(codes.len(), 1, "{}: {codes:?}", app.backend());
        assert_eq!(reports_titled(&app, title).await, 1, "{}", app.backend());
        app.done().await;
    }
}

/// The form without JavaScript: each rendered form carries its own key; posting it twice (the
/// back button, a retry after a lost answer) leads to the same tracking page, one report.
#[tokio::test(flavor = "multi_thread")]
async fn a_form_sent_twice_is_one_report() {
    for app in TestApp::all().await {
        let public = app.public();
        let page = public.get("/lapor").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.headers[header::CACHE_CONTROL],
            "private, no-cache",
            "no shared cache may hand one form key to two people"
        );
        let key_of = |html: &str| {
            let at = html
                .find(r#"name="idempotency_key""#)
                .expect("the form carries a key");
            let rest = &html[at..];
            let v = rest.find(r#"value=""#).unwrap() + 7;
            rest[v..v + rest[v..].find('"').unwrap()].to_string()
        };
        let key = key_of(&page.body);
        assert_eq!(key.len(), 22, "{key}");
        assert_ne!(
            key,
            key_of(&public.get("/lapor").await.body),
            "a key per form"
        );

        let title = "Sampah menumpuk di pasar sentral Mamuju";
        let fields = [
            ("kind", "complaint"),
            ("title", title),
            (
                "description",
                "Sampah pasar tidak diangkut selama seminggu, baunya sampai ke permukiman warga.",
            ),
            ("province", "76"),
            ("regency", "76.04"),
            ("idempotency_key", key.as_str()),
        ];
        let first = public.post_form("/lapor", &fields).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
        let again = public.post_form("/lapor", &fields).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        assert_eq!(
            first.headers[header::LOCATION],
            again.headers[header::LOCATION]
        );
        assert_eq!(reports_titled(&app, title).await, 1, "{}", app.backend());

        // The same form key with other content: the form again, with what was typed and why.
        let mut changed = fields;
        changed[1] = ("title", "Sampah menumpuk di terminal Mamuju");
        let refused = public.post_form("/lapor", &changed).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("sudah pernah terkirim dengan isi lain"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("Sampah menumpuk di terminal Mamuju"));
        assert_ne!(
            key_of(&refused.body),
            key,
            "a fresh key to send it as a new report"
        );
        app.done().await;
    }
}

/// What is stored for a key discloses neither the key nor the tracking code.
#[tokio::test(flavor = "multi_thread")]
async fn the_stored_key_discloses_no_tracking_code() {
    for app in TestApp::all().await {
        let key = "secret-key-abcdefghijklmnop";
        let r = send(
            &app.router,
            post(Some(key), &body("Pipa air bocor di depan kantor camat")),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let code = r.json()["tracking_code"].as_str().unwrap().replace('-', "");
        let rows = idempotent_request::Entity::find()
            .all(&app.db.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        let row = format!("{:?}", rows[0]);
        assert!(!row.contains(key), "{row}");
        assert!(!row.to_uppercase().contains(&code), "{row}");
        assert_eq!(rows[0].action, "submit_report");
        app.done().await;
    }
}
