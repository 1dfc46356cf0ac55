//! The API's contract, as snapshots (`insta`): the OpenAPI document and the JSON bodies clients
//! read. A change to either shows up as a diff to review; under `CI=true` a snapshot that no
//! longer matches fails instead of being rewritten. To accept an intended change, run
//! `INSTA_UPDATE=always cargo test -p server --test it contract::` and review the `.snap` diff.

use crate::common::TestApp;
use http::StatusCode;
use serde_json::{json, Value};

/// Values that differ on every run (times, references, tracking codes) become placeholders, so
/// the snapshot holds the shape and every stable value.
fn stable(mut v: Value) -> Value {
    fn walk(key: Option<&str>, v: &mut Value) {
        // Working days left depend on the day the test runs (weekends, holidays).
        if matches!(key, Some("working_days_left" | "time_left")) {
            *v = Value::String("[working days left]".into());
            return;
        }
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    walk(Some(k.as_str()), x);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(key, x)),
            Value::String(s) => {
                let placeholder = match key {
                    Some("at" | "created_at" | "due_at" | "updated_at" | "closed_at") => "[time]",
                    Some("reference") => "[reference]",
                    Some("tracking_code") => "[tracking code]",
                    _ => return,
                };
                *s = placeholder.to_string();
            }
            _ => {}
        }
    }
    walk(None, &mut v);
    v
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

/// Every path, method and schema of API v1. `routes!` registers each route with its entry, so
/// this is also the list of routes.
#[test]
fn the_openapi_document() {
    let doc = serde_json::to_value(server::api::openapi_document()).unwrap();
    insta::assert_snapshot!("openapi", pretty(&doc));
}

/// What a client reads after submitting, tracking, and getting a field refused — in both
/// languages.
#[tokio::test(flavor = "multi_thread")]
async fn json_bodies_of_submit_track_and_refusals() {
    for app in TestApp::all().await {
        let public = app.public();
        let created = public
            .post_json(
                "/api/v1/reports",
                json!({
                    "kind": "complaint",
                    "title": "Lampu jalan padam di Jalan Diponegoro",
                    "description": "Sudah tiga minggu lampu jalan di depan pasar padam, jalan gelap dan rawan.",
                    "category_id": 5,
                    "region_code": "76.04",
                    "incident_date": "2026-11-20",
                    "reporter": {"name": "Warga Uji", "email": "warga@example.org"}
                }),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let code = created.json()["tracking_code"]
            .as_str()
            .unwrap()
            .to_string();
        let tracked = public.get(&format!("/api/v1/track/{code}")).await;
        assert_eq!(tracked.status, StatusCode::OK);
        let refused = |lang: &'static str| {
            let public = app.public();
            async move {
                public
                    .post_json(
                        &format!("/api/v1/reports?lang={lang}"),
                        json!({"kind": "complaint", "title": "pendek", "description": "", "region_code": "99"}),
                    )
                    .await
            }
        };
        let (id, en) = (refused("id").await, refused("en").await);
        assert_eq!(id.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
        // One snapshot per body, the same on SQLite and PostgreSQL.
        insta::assert_snapshot!("submit_201", pretty(&stable(created.json())));
        insta::assert_snapshot!("track_200", pretty(&stable(tracked.json())));
        insta::assert_snapshot!("submit_422_id", pretty(&id.json()));
        insta::assert_snapshot!("submit_422_en", pretty(&en.json()));
        app.done().await;
    }
}

/// The staff's view of a report through the API, as a verifier and as an officer, and the
/// officer's refusal: the same JSON on both backends.
#[tokio::test(flavor = "multi_thread")]
async fn json_bodies_of_staff_views() {
    for app in TestApp::all().await {
        let created = app
            .public()
            .post_json(
                "/api/v1/reports",
                json!({
                    "kind": "complaint",
                    "title": "Jalan berlubang di depan sekolah",
                    "description": "Lubang besar di jalan depan SD Negeri 3 membahayakan anak-anak yang menyeberang.",
                    "category_id": 5,
                    "region_code": "76.04",
                    "incident_date": "2026-11-20",
                    "anonymous": true,
                    "reporter": {"name": "Warga Anonim", "email": "anonim@example.org"}
                }),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let reference = created.json()["reference"].as_str().unwrap().to_string();
        let id = crate::common::report_id(&app.db.db, &reference).await;
        let verifier = app.as_verifier().await;
        let seen = verifier.get(&format!("/api/v1/staff/reports/{id}")).await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        let officer = app.as_officer().await;
        let refused = officer
            .post_json(
                &format!("/api/v1/staff/reports/{id}/commands"),
                json!({"command": "dispatch", "agency": 3}),
            )
            .await;
        let mut view = stable(seen.json());
        view["id"] = json!("[id]");
        insta::assert_snapshot!("staff_report_200", pretty(&view));
        insta::assert_snapshot!(
            "officer_command_refused",
            format!("{}\n{}", refused.status, pretty(&refused.json()))
        );
        app.done().await;
    }
}
