//! Personal-data duties (`docs/privacy.md`), on SQLite and PostgreSQL: the retention pass erases
//! what expired and nothing else, without breaking a chain; a citizen downloads their data and
//! erases their account, the reports staying anonymised.

use crate::common::{self, get_as, multipart, send, tiny_png};
use app::server::entities::{
    account, attachment, audit_log, idempotent_request, outbox, report, report_event,
    reporter_contact,
};
use app::server::retention::{self, Policy};
use chrono::{Duration, Utc};
use http::{header, Request, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

/// Submits a report with a contact and a photo through the no-JavaScript form; its id and
/// tracking code.
async fn submit(
    router: &axum::Router,
    db: &DatabaseConnection,
    title: &str,
    email: &str,
    session: Option<&str>,
) -> (i64, String) {
    let fields = [
        ("kind", "complaint"),
        ("title", title),
        (
            "description",
            "Saluran air tersumbat sampah sehingga jalan tergenang setiap kali hujan turun.",
        ),
        ("province", "76"),
        ("regency", "76.04"),
        ("name", "Siti Kanari"),
        ("email", email),
        ("phone", "081233334444"),
    ];
    let res = send(
        router,
        multipart("/lapor", session, &fields, &[("saluran.png", tiny_png())]),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let code = res.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .trim_start_matches("/lacak/")
        .trim_end_matches("?baru=1")
        .to_string();
    let id = report::Entity::find()
        .filter(report::Column::Title.eq(title))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    (id, code)
}

/// The verifiers archive the report (through the lifecycle, so its chain holds), and that was
/// `days` ago (arranged: a test cannot wait two years).
/// Changes one field of a stored event behind the application's back (a tamperer's edit).
async fn set_event(
    db: &DatabaseConnection,
    id: i64,
    column: report_event::Column,
    value: impl Into<sea_orm::Value>,
) {
    report_event::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(report_event::Column::Id.eq(id))
        .exec(db)
        .await
        .unwrap();
}

async fn closed_days_ago(db: &DatabaseConnection, id: i64, days: i64) {
    let r = report::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    if r.status != "archived" {
        app::server::lifecycle::transition(
            db,
            id,
            &app::domain::lifecycle::Command::Archive {
                reason: app::domain::lifecycle::ArchiveReason::OutOfScope,
            },
            app::domain::lifecycle::Role::Verifier,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
    }
    report::Entity::update_many()
        .col_expr(
            report::Column::UpdatedAt,
            Expr::value(Utc::now() - Duration::days(days)),
        )
        .filter(report::Column::Id.eq(id))
        .exec(db)
        .await
        .unwrap();
}

async fn contact_of(db: &DatabaseConnection, id: i64) -> Option<reporter_contact::Model> {
    reporter_contact::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
}

async fn files_of(db: &DatabaseConnection, id: i64) -> Vec<attachment::Model> {
    attachment::Entity::find()
        .filter(attachment::Column::ReportId.eq(id))
        .all(db)
        .await
        .unwrap()
}

async fn audit_count(db: &DatabaseConnection, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_erases_what_expired_and_nothing_else_and_keeps_the_chains() {
    for t in common::databases().await {
        let db = &t.db;
        let dir = common::files_dir();
        let mut settings = common::settings(1000);
        settings.files_dir = dir.clone();
        let router = server::startup::router(db.clone(), &settings).unwrap();
        let files = server::startup::files_of(&settings).unwrap();
        let (old, old_code) = submit(
            &router,
            db,
            "Saluran tersumbat di Jalan Kenari",
            "lama@example.id",
            None,
        )
        .await;
        let (mid, _) = submit(
            &router,
            db,
            "Saluran tersumbat di Jalan Melati",
            "tengah@example.id",
            None,
        )
        .await;
        let (open, _) = submit(
            &router,
            db,
            "Saluran tersumbat di Jalan Mawar",
            "baru@example.id",
            None,
        )
        .await;
        // The open one is dispatched (the reporter and the agency are emailed); the others are
        // archived (the reporter is told why):
        // Closed 1,900 days ago (past both periods), 800 days ago (past the contacts' 730 only);
        // the third is still open however old it is.
        common::dispatch(db, open, 3).await;
        closed_days_ago(db, old, 1900).await;
        closed_days_ago(db, mid, 800).await;
        report::Entity::update_many()
            .col_expr(
                report::Column::UpdatedAt,
                Expr::value(Utc::now() - Duration::days(3000)),
            )
            .filter(report::Column::Id.eq(open))
            .exec(db)
            .await
            .unwrap();
        // Emails: the sent ones written 100 days ago expire, a waiting one never does.
        let mails = outbox::Entity::find().all(db).await.unwrap();
        assert!(
            mails.len() >= 2,
            "the submissions were acknowledged by email"
        );
        let waiting = mails[0].id;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value("sent"))
            .col_expr(
                outbox::Column::CreatedAt,
                Expr::value(Utc::now() - Duration::days(100)),
            )
            .filter(outbox::Column::Id.ne(waiting))
            .exec(db)
            .await
            .unwrap();
        outbox::Entity::update_many()
            .col_expr(
                outbox::Column::CreatedAt,
                Expr::value(Utc::now() - Duration::days(400)),
            )
            .filter(outbox::Column::Id.eq(waiting))
            .exec(db)
            .await
            .unwrap();
        // An idempotency key from last week, and one from today.
        let keyed = |key: &str| {
            Request::post("/api/v1/reports")
                .header(header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", key)
                .body(axum::body::Body::from(
                    json!({"kind": "complaint", "title": format!("Lampu taman mati {key}"),
                        "description": "Lampu taman di alun-alun mati sejak minggu lalu dan gelap.",
                        "category_id": 5, "region_code": "76.05"})
                    .to_string(),
                ))
                .unwrap()
        };
        assert_eq!(
            send(&router, keyed("kunci-lama-0123456789")).await.status,
            StatusCode::CREATED
        );
        idempotent_request::Entity::update_many()
            .col_expr(
                idempotent_request::Column::CreatedAt,
                Expr::value(Utc::now() - Duration::days(8)),
            )
            .exec(db)
            .await
            .unwrap();
        assert_eq!(
            send(&router, keyed("kunci-baru-0123456789")).await.status,
            StatusCode::CREATED
        );
        let sent_before = outbox::Entity::find().count(db).await.unwrap();

        let now = Utc::now();
        let erased = retention::run(db, &files, &Policy::default(), now)
            .await
            .unwrap();
        assert_eq!(erased.contacts, 2, "{}: {erased:?}", t.backend);
        assert_eq!(erased.attachments, 1, "{}: {erased:?}", t.backend);
        assert_eq!(erased.idempotency_keys, 1);
        assert!(erased.emails >= 1);
        // Contacts: gone where the period ended, kept on the open report.
        assert!(contact_of(db, old).await.is_none());
        assert!(contact_of(db, mid).await.is_none());
        assert_eq!(
            contact_of(db, open).await.unwrap().email.as_deref(),
            Some("baru@example.id")
        );
        // Files: the oldest report's is deleted, its record kept and marked; the others stay.
        let gone = &files_of(db, old).await[0];
        assert!(gone.erased_at.is_some());
        assert!(
            !gone.sha256.is_empty(),
            "the record of what was received stays"
        );
        assert!(!dir.join(&gone.object_key).exists(), "the file is deleted");
        for id in [mid, open] {
            let f = &files_of(db, id).await[0];
            assert!(f.erased_at.is_none());
            assert!(dir.join(&f.object_key).exists());
        }
        // Emails: the waiting one stays however old.
        assert!(outbox::Entity::find_by_id(waiting)
            .one(db)
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            outbox::Entity::find().count(db).await.unwrap(),
            sent_before - erased.emails
        );
        assert_eq!(
            idempotent_request::Entity::find().count(db).await.unwrap(),
            1
        );
        // Accounted for, naming nobody.
        for action in [
            "retention.contacts_erased",
            "retention.attachments_erased",
            "retention.emails_erased",
        ] {
            assert_eq!(audit_count(db, action).await, 1, "{action}");
        }
        let entry = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("retention.contacts_erased"))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(entry.detail.as_deref(), Some("count=2"));
        // The chains still verify.
        app::server::audit::seal_log(db).await.unwrap();
        app::server::audit::verify_all(db).await.unwrap();
        app::server::audit::verify_log(db).await.unwrap();
        // The reporter still reads the report; the deleted file says so, and is gone (410).
        let page = send(&router, common::get(&format!("/lacak/{old_code}"))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("dihapus: masa simpannya berakhir"),
            "{}",
            t.backend
        );
        let file = send(
            &router,
            common::get(&format!("/lacak/{old_code}/lampiran/{}", gone.id)),
        )
        .await;
        assert_eq!(file.status, StatusCode::GONE);
        assert!(file.body.contains("masa simpannya berakhir"));
        // A second pass finds nothing more; nothing is erased twice.
        let again = retention::run(db, &files, &Policy::default(), now)
            .await
            .unwrap();
        assert_eq!(again, Default::default());

        // Event texts (kept 3,650 days by default, so none went above): with a shorter period
        // the archived report's note and command data are erased, the events stay, and the
        // chain still verifies because it covers the texts' digest.
        assert_eq!(erased.event_texts, 0);
        let texts = Policy {
            event_texts_days: 1000,
            ..Policy::default()
        };
        let with_text = |id| {
            report_event::Entity::find()
                .filter(report_event::Column::ReportId.eq(id))
                .all(db)
        };
        let before_old = with_text(old).await.unwrap();
        let archived = before_old.iter().find(|e| e.event == "archived").unwrap();
        assert!(
            archived.payload.is_some(),
            "the archive reason is in the event"
        );
        let erased_texts = retention::run(db, &files, &texts, now).await.unwrap();
        let after_old = with_text(old).await.unwrap();
        assert_eq!(after_old.len(), before_old.len(), "no event removed");
        let with_texts_before = before_old
            .iter()
            .filter(|e| e.note.is_some() || e.payload.is_some())
            .count() as u64;
        assert_eq!(erased_texts.event_texts, with_texts_before, "{}", t.backend);
        for (b, a) in before_old.iter().zip(&after_old) {
            assert!(a.note.is_none() && a.payload.is_none(), "{a:?}");
            assert_eq!(
                (&a.event, &a.to_status, &a.hash),
                (&b.event, &b.to_status, &b.hash)
            );
            assert_eq!(
                a.erased_at.is_some(),
                b.note.is_some() || b.payload.is_some()
            );
        }
        // The report closed 800 days ago keeps its texts.
        assert!(with_text(mid)
            .await
            .unwrap()
            .iter()
            .any(|e| e.payload.is_some() && e.erased_at.is_none()));
        assert_eq!(audit_count(db, "retention.event_texts_erased").await, 1);
        app::server::audit::verify_all(db).await.unwrap();
        // Still tamper-evident: a status changed on an erased event, or a text changed on a
        // kept one, breaks the chain at that event.
        let victim = after_old.iter().find(|e| e.erased_at.is_some()).unwrap();
        set_event(
            db,
            victim.id,
            report_event::Column::ActorRole,
            "agency_admin",
        )
        .await;
        let broken = app::server::audit::verify_all(db)
            .await
            .unwrap_err()
            .to_string();
        assert!(broken.contains(&format!("event {}", victim.id)), "{broken}");
        set_event(
            db,
            victim.id,
            report_event::Column::ActorRole,
            victim.actor_role.clone(),
        )
        .await;
        let kept = with_text(mid)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.payload.is_some())
            .unwrap();
        set_event(
            db,
            kept.id,
            report_event::Column::Payload,
            "{\"reason\":\"spam\"}",
        )
        .await;
        let broken = app::server::audit::verify_all(db)
            .await
            .unwrap_err()
            .to_string();
        assert!(broken.contains("does not match its digest"), "{broken}");
        set_event(
            db,
            kept.id,
            report_event::Column::Payload,
            kept.payload.clone(),
        )
        .await;
        app::server::audit::verify_all(db).await.unwrap();
        // `0` keeps a kind for ever.
        let keep = Policy {
            contacts_days: 0,
            attachments_days: 0,
            emails_days: 0,
            event_texts_days: 0,
        };
        report::Entity::update_many()
            .col_expr(report::Column::Status, Expr::value("resolved"))
            .filter(report::Column::Id.eq(open))
            .exec(db)
            .await
            .unwrap();
        assert_eq!(
            retention::run(db, &files, &keep, now).await.unwrap(),
            Default::default()
        );
        assert!(contact_of(db, open).await.is_some());
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_downloads_their_data_and_erases_their_account() {
    for t in common::databases().await {
        let db = &t.db;
        let router = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let email = "warga.kanari@example.id";
        let id = common::add_account(db, "citizen", None, email).await;
        let cookie = common::session_cookie(&router, email, common::TEST_PASSWORD).await;
        let (report_id, code) = submit(
            &router,
            db,
            "Saluran tersumbat di Jalan Cempaka",
            email,
            Some(&cookie),
        )
        .await;
        // Put into the account with its tracking code (as the citizen's "my reports" page does).
        let claimed = send(
            &router,
            common::request(
                http::Method::POST,
                "/api/v1/my/reports/claim",
                Some(&cookie),
                Some(json!({"tracking_code": code})),
            ),
        )
        .await;
        assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.body);
        // Dispatched: the reporter is emailed (at the contact given, and at the account), and
        // so is the agency's officer.
        common::add_account(
            db,
            "agency_officer",
            Some("76-PUPR"),
            "petugas.pupr@example.id",
        )
        .await;
        common::dispatch(db, report_id, 3).await;
        assert_eq!(
            report::Entity::find_by_id(report_id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .reporter_account_id,
            Some(id)
        );

        // The copy, as a file from /akun and through the API: the same document.
        let before = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq(email))
            .count(db)
            .await
            .unwrap();
        assert!(before > 0, "the reporter was emailed");
        let file = send(&router, get_as("/akun/data-saya", Some(&cookie))).await;
        assert_eq!(file.status, StatusCode::OK, "{}", t.backend);
        assert!(file.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"aduan-data-saya.json\""));
        assert!(file.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("no-store"));
        let data: Value = serde_json::from_str(&file.body).unwrap();
        assert_eq!(data["account"]["email"], email);
        let mine = &data["reports"][0];
        assert_eq!(mine["title"], "Saluran tersumbat di Jalan Cempaka");
        assert_eq!(mine["contact"]["phone"], "081233334444");
        assert_eq!(mine["attachments"][0]["media_type"], "image/png");
        assert!(data["sessions"].as_array().unwrap().len() >= 1);
        let api = send(&router, get_as("/api/v1/me/data", Some(&cookie))).await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.json()["reports"], data["reports"]);
        assert_eq!(audit_count(db, "account.data_exported").await, 2);
        // Not signed in: nothing (the API says 401; the link leads to the sign-in page).
        assert_eq!(
            send(&router, common::get("/api/v1/me/data")).await.status,
            StatusCode::UNAUTHORIZED
        );
        let anon = send(&router, common::get("/akun/data-saya")).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
        assert_eq!(anon.headers[header::LOCATION], "/masuk");

        // Staff cannot erase themselves (an administrator deactivates them).
        common::add_account(db, "verifier", None, "verifikator.kanari@example.id").await;
        let vid = account::Entity::find()
            .filter(account::Column::Email.eq("verifikator.kanari@example.id"))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let secret = common::enable_totp(db, vid).await;
        let staff = common::session_cookie_totp(
            &router,
            "verifikator.kanari@example.id",
            common::TEST_PASSWORD,
            Some(common::code_now(&secret)),
        )
        .await;
        let erase = |cookie: &str, body: Value| {
            Request::delete("/api/v1/me")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, cookie.to_string())
                .body(axum::body::Body::from(body.to_string()))
                .unwrap()
        };
        let r = send(
            &router,
            erase(
                &staff,
                json!({"password": common::TEST_PASSWORD, "confirm": true}),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // Refusals say which field, and erase nothing.
        let r = send(
            &router,
            erase(
                &cookie,
                json!({"password": "salah sekali", "confirm": true}),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()["fields"]["password"].is_string(), "{}", r.body);
        let r = send(
            &router,
            erase(&cookie, json!({"password": common::TEST_PASSWORD})),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()["fields"]["confirm"].is_string(), "{}", r.body);
        assert!(account::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .erased_at
            .is_none());

        // Erased through the page's form (no JavaScript).
        let res = send(
            &router,
            multipart(
                "/akun",
                Some(&cookie),
                &[
                    ("_act", "erase_account"),
                    ("_form", "erase-form"),
                    ("password", common::TEST_PASSWORD),
                    ("confirm", "yes"),
                ],
                &[],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(res.headers[header::LOCATION], "/?akun=dihapus");
        let home = send(&router, common::get("/?akun=dihapus")).await;
        assert!(home.body.contains("Akun Anda sudah dihapus"));
        // The account is an anonymous row; its session ended; it cannot sign in again.
        let a = account::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(a.erased_at.is_some() && !a.active);
        assert_eq!(
            (a.email, a.phone, a.display_name.as_str()),
            (None, None, "")
        );
        assert_eq!(
            send(&router, get_as("/api/v1/me", Some(&cookie)))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let again = send(
            &router,
            common::request(
                http::Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"email": email, "password": common::TEST_PASSWORD})),
            ),
        )
        .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        // The report stays, anonymised: no contact, no account; its tracking code still works.
        let r = report::Entity::find_by_id(report_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.reporter_account_id, None);
        assert!(contact_of(db, report_id).await.is_none());
        assert_eq!(
            send(&router, common::get(&format!("/lacak/{code}")))
                .await
                .status,
            StatusCode::OK
        );
        // No email to the person is left.
        let left = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq(email))
            .count(db)
            .await
            .unwrap();
        assert_eq!(left, 0);
        let to_agency = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq("petugas.pupr@example.id"))
            .count(db)
            .await
            .unwrap();
        assert!(to_agency > 0, "the agency's emails stay");
        assert_eq!(audit_count(db, "account.erased").await, 1);
        app::server::audit::seal_log(db).await.unwrap();
        app::server::audit::verify_all(db).await.unwrap();
        app::server::audit::verify_log(db).await.unwrap();
        t.cleanup().await;
    }
}
