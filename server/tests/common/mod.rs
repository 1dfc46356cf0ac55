//! Test helpers: a fresh, migrated database per test on every backend that runs here, and the
//! real router.
#![allow(dead_code)]

use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use leptos::prelude::LeptosOptions;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;
use server::config::{DatabaseUrl, LogFormat, Settings};
use tower::ServiceExt;

pub mod process;

/// One fresh database, migrated.
pub struct TestDb {
    pub backend: &'static str,
    pub db: DatabaseConnection,
    /// The URL another process may connect with.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// Drops a PostgreSQL test database (SQLite files go with their temp folder).
    pub async fn cleanup(self) {
        let _ = self.db.close().await;
        if let Some((admin_url, name)) = self.pg {
            if let Ok(admin) = sea_orm::Database::connect(admin_url).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

/// The PostgreSQL admin URL, when PostgreSQL tests run. Under `CI=true` they must.
fn pg_admin_url() -> Option<String> {
    match std::env::var("ADUAN_TEST_PG_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but ADUAN_TEST_PG_URL is not set: PostgreSQL tests must run in CI")
        }
        _ => {
            eprintln!("note: ADUAN_TEST_PG_URL not set; PostgreSQL tests skipped (set it, or run scripts/test)");
            None
        }
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    let db = server::db::connect(&DatabaseUrl::parse(&url).unwrap())
        .await
        .expect("sqlite");
    server::db::migrate(&db)
        .await
        .expect("migrations on sqlite");
    TestDb {
        backend: "sqlite",
        url,
        db,
        _dir: Some(dir),
        pg: None,
    }
}

pub async fn postgres(admin_url: &str) -> TestDb {
    let name = format!("aduan_test_{}", hex_id());
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let _ = admin.close().await;
    let (base, _) = admin_url.rsplit_once('/').expect("URL has a database name");
    let url = format!("{base}/{name}");
    let db = server::db::connect(&DatabaseUrl::parse(&url).unwrap())
        .await
        .expect("postgres");
    server::db::migrate(&db)
        .await
        .expect("migrations on postgres");
    TestDb {
        backend: "postgres",
        url,
        db,
        _dir: None,
        pg: Some((admin_url.to_string(), name)),
    }
}

fn hex_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A fresh database on every backend that runs here: SQLite always, PostgreSQL when configured.
pub async fn databases() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(url) = pg_admin_url() {
        v.push(postgres(&url).await);
    }
    v
}

/// A fresh attachment directory for one test application (left in the temp dir).
pub fn files_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "aduan-test-files-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{}", N.fetch_add(1, Ordering::Relaxed))
}

pub fn settings(track_lookups_per_minute: u32) -> Settings {
    Settings {
        database_url: DatabaseUrl::parse("sqlite::memory:").unwrap(),
        log_format: LogFormat::Pretty,
        track_lookups_per_minute,
        trust_forwarded_for: false,
        secure_cookies: false,
        public_url: "http://aduan.test".into(),
        smtp_url: None,
        mail_from: "Aduan <noreply@aduan.test>".into(),
        files_dir: files_dir(),
        files_url: None,
        files_options: server::config::Secret(Vec::new()),
        attachment_max_bytes: 10 * 1024 * 1024,
        leptos: LeptosOptions::builder()
            .output_name("aduan")
            .site_root("target/site")
            .build(),
    }
}

/// A response, read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Res {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn send(app: &Router, req: Request<Body>) -> Res {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    Res {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

pub fn post_json(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub fn post_form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A multipart/form-data body: text fields, then files (field `files`). Returns the
/// content type (with its boundary) and the bytes.
pub fn multipart_body(fields: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----aduan-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The id of the report with this reference.
pub async fn report_id(db: &DatabaseConnection, reference: &str) -> i64 {
    use app::server::entities::report;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    report::Entity::find()
        .filter(report::Column::Reference.eq(reference))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Turns two-factor on with a known secret (as enrolment would).
pub async fn enable_totp(db: &DatabaseConnection, id: i64) -> String {
    use app::server::entities::account;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let secret = app::server::credentials::new_totp_secret();
    account::Entity::update_many()
        .col_expr(account::Column::TotpSecret, Expr::value(secret.clone()))
        .col_expr(account::Column::TotpEnabled, Expr::value(true))
        .filter(account::Column::Id.eq(id))
        .exec(db)
        .await
        .unwrap();
    secret
}

/// The authenticator code of `secret` now.
pub fn code_now(secret: &str) -> String {
    use app::server::credentials::{totp_at, totp_step};
    totp_at(secret, totp_step(chrono::Utc::now().timestamp())).unwrap()
}

/// Signs in through the JSON API and returns the `aduan_session=…` cookie to send back.
pub async fn session_cookie(app: &Router, email: &str, password: &str) -> String {
    session_cookie_totp(app, email, password, None).await
}

/// `session_cookie` for a two-factor account (`totp`: the current code).
pub async fn session_cookie_totp(
    app: &Router,
    email: &str,
    password: &str,
    totp: Option<String>,
) -> String {
    let body = serde_json::json!({"email": email, "password": password, "totp": totp}).to_string();
    let res = send(app, post_json("/api/v1/session", &body)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("aduan_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("session cookie")
}

/// The password of accounts made by tests.
pub const TEST_PASSWORD: &str = "kata sandi uji 2026";

/// An account with `role` (in the agency with code `agency`), password `TEST_PASSWORD`.
pub async fn add_account(
    db: &DatabaseConnection,
    role: &str,
    agency: Option<&str>,
    email: &str,
) -> i64 {
    app::server::accounts::create_account(
        db,
        &app::server::accounts::NewAccount {
            login: email.into(),
            display_name: format!("Uji {role}"),
            password: TEST_PASSWORD.into(),
            role: role.into(),
            agency_code: agency.map(str::to_string),
        },
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
}

/// A GET, with a session cookie when given.
pub fn get_as(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}
