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
pub mod testapp;

pub use testapp::TestApp;

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
    /// The PostgreSQL database's name (none on SQLite).
    pub fn pg_name(&self) -> Option<&str> {
        self.pg.as_ref().map(|(_, name)| name.as_str())
    }

    /// Drops a PostgreSQL test database now (SQLite files go with their temp folder). Without
    /// it, `Drop` does the same when the test ends, also when it panics.
    pub async fn cleanup(mut self) {
        let _ = self.db.clone().close().await;
        if let Some((admin_url, name)) = self.pg.take() {
            drop_pg_database(&admin_url, &name).await;
        }
    }
}

async fn drop_pg_database(admin_url: &str, name: &str) {
    if let Ok(admin) = sea_orm::Database::connect(admin_url).await {
        // FORCE ends the connections the test's pool still holds.
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        let _ = admin.close().await;
    }
}

impl Drop for TestDb {
    /// A test that panics (or forgets `cleanup`) must not leave its PostgreSQL database behind:
    /// the drop runs on a thread of its own, as the test's runtime may be unwinding.
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take() {
            let dropped = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_pg_database(&admin_url, &name));
                }
            })
            .join();
            if dropped.is_err() {
                eprintln!("note: a PostgreSQL test database could not be dropped");
            }
        }
    }
}

/// The PostgreSQL admin URL, when PostgreSQL tests run. Under `CI=true` they must.
pub fn pg_admin_url() -> Option<String> {
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

/// Longest a test may run before the watchdog ends the test binary, naming it
/// (`ADUAN_TEST_TIMEOUT_SECS`, default 900): a hang fails in minutes instead of eating CI.
fn test_limit() -> std::time::Duration {
    std::time::Duration::from_secs(
        std::env::var("ADUAN_TEST_TIMEOUT_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(900),
    )
}

type Running = std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>;

fn running() -> &'static Running {
    static RUNNING: std::sync::OnceLock<Running> = std::sync::OnceLock::new();
    RUNNING.get_or_init(|| {
        // One watchdog thread per test binary.
        std::thread::spawn(|| loop {
            std::thread::sleep(std::time::Duration::from_secs(5));
            let limit = test_limit();
            let late: Vec<(String, u64)> = running()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .filter(|(_, at)| at.elapsed() > limit)
                .map(|(name, at)| (name.clone(), at.elapsed().as_secs()))
                .collect();
            if let Some((name, secs)) = late.first() {
                eprintln!(
                    "\ntest {name} has run {secs} s (limit {} s, ADUAN_TEST_TIMEOUT_SECS): a hang; \
                     ending this test binary so the suite fails now\ntest {name} ... FAILED\n\
                     test result: FAILED. 0 passed; 1 failed",
                    limit.as_secs()
                );
                std::process::exit(101);
            }
        });
        std::sync::Mutex::new(std::collections::HashMap::new())
    })
}

/// Unregisters the test from the watchdog when its thread ends.
struct Watched(String);

impl Drop for Watched {
    fn drop(&mut self) {
        running()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.0);
    }
}

thread_local! {
    static WATCHED: std::cell::RefCell<Option<Watched>> = const { std::cell::RefCell::new(None) };
}

/// Puts the current test (its thread) under the watchdog, once.
pub fn watch_this_test() {
    let name = std::thread::current()
        .name()
        .unwrap_or("unnamed test")
        .to_string();
    WATCHED.with(|w| {
        if w.borrow().is_none() {
            running()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(name.clone(), std::time::Instant::now());
            *w.borrow_mut() = Some(Watched(name));
        }
    });
}

/// A fresh database on every backend that runs here: SQLite always, PostgreSQL when configured.
/// The test is watched from here on (a hang ends the binary within `ADUAN_TEST_TIMEOUT_SECS`).
pub async fn databases() -> Vec<TestDb> {
    watch_this_test();
    let mut v = vec![sqlite().await];
    if let Some(url) = pg_admin_url() {
        v.push(postgres(&url).await);
    }
    v
}

/// A fresh attachment directory for one test application (left in the temp dir).
pub fn files_dir() -> std::path::PathBuf {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(sweep_files_dirs_of_ended_runs);
    let dir = std::env::temp_dir().join(format!(
        "aduan-test-files-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The files folders of test processes that have ended (a test binary has no teardown, so each
/// run removes what earlier runs left in the temporary folder).
fn sweep_files_dirs_of_ended_runs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("aduan-test-files-") else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or_default();
        let ended = pid
            .parse::<u32>()
            .is_ok_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
        if ended {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{}", N.fetch_add(1, Ordering::Relaxed))
}

/// The secret key of the tests (as `ADUAN_SECRET_KEY` for spawned servers: `TEST_SECRET_HEX`).
pub const TEST_SECRET_KEY: [u8; 32] = [42u8; 32];
pub const TEST_SECRET_HEX: &str =
    "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a";

/// The token the tests' scraper presents at `/metrics`.
pub const TEST_METRICS_TOKEN: &str = "test-metrics-token-0123456789abcdef";

pub fn settings(track_lookups_per_minute: u32) -> Settings {
    Settings {
        database_url: DatabaseUrl::parse("sqlite::memory:").unwrap(),
        log_format: LogFormat::Pretty,
        track_lookups_per_minute,
        trusted_proxies: Default::default(),
        secure_cookies: false,
        public_url: "http://aduan.test".into(),
        smtp_url: None,
        mail_from: "Aduan <noreply@aduan.test>".into(),
        files_dir: files_dir(),
        files_url: None,
        files_options: server::config::Secret(Vec::new()),
        attachment_max_bytes: 10 * 1024 * 1024,
        upload_client_mb_per_hour: 1000,
        upload_total_mb_per_hour: 10_000,
        secret_keys: Some(server::config::Secret(app::server::secrets::Keys {
            current: TEST_SECRET_KEY,
            previous: None,
        })),
        demo: false,
        metrics_token: Some(server::config::Secret(TEST_METRICS_TOKEN.into())),
        retention: Default::default(),
        group_commit: None,
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

/// The anti-forgery token the test forms carry (cookie and field), as a browser's would.
pub const CSRF: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The anti-forgery cookie, to add beside a session cookie (`Cookie` headers may repeat).
pub fn csrf_cookie() -> String {
    format!("aduan_csrf={CSRF}")
}

/// A form post as the browser sends it: the fields, the token field and its cookie.
pub fn post_form(uri: &str, body: &str) -> Request<Body> {
    post_form_as(uri, None, body)
}

/// `post_form` with a session cookie.
pub fn post_form_as(uri: &str, session: Option<&str>, body: &str) -> Request<Body> {
    let body = if body.is_empty() {
        format!("csrf={CSRF}")
    } else {
        format!("{body}&csrf={CSRF}")
    };
    let mut b = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, csrf_cookie());
    if let Some(c) = session {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

/// A multipart/form-data body: text fields, then files (field `files`). Returns the
/// content type (with its boundary) and the bytes.
pub fn multipart_body(fields: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----aduan-test-boundary-7d1f";
    let mut body = Vec::new();
    let token = [("csrf", CSRF)];
    for (k, v) in fields.iter().chain(token.iter()) {
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

/// A multipart form post as the browser sends it (the token field and its cookie), with files.
pub fn multipart(
    uri: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    files: &[(&str, Vec<u8>)],
) -> Request<Body> {
    let (content_type, body) = multipart_body(fields, files);
    let mut b = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, csrf_cookie());
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

/// The address of a typed action's server function.
pub fn act_path(key: &str) -> String {
    app::api::acts::paths()
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p.to_string())
        .unwrap_or_else(|| panic!("no server function for action {key}"))
}

/// A small, valid one-page PDF (uploads are parsed to strip their metadata).
pub fn tiny_pdf() -> Vec<u8> {
    pdf_by(None)
}

/// A one-page PDF whose document information (Author, Creator) and XMP name `author`.
pub fn pdf_by(author: Option<&str>) -> Vec<u8> {
    use lopdf::dictionary;
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(lopdf::Stream::new(dictionary! {}, b"BT ET".to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        lopdf::Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if let Some(author) = author {
        let xmp = format!("<x:xmpmeta><dc:creator>{author}</dc:creator></x:xmpmeta>");
        let meta_id = doc.add_object(lopdf::Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.into_bytes(),
        ));
        catalog.set("Metadata", meta_id);
        let info_id = doc.add_object(dictionary! {
            "Author" => lopdf::Object::string_literal(author),
            "Creator" => lopdf::Object::string_literal(format!("Scanner {author}")),
        });
        doc.trailer.set("Info", info_id);
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A small real PNG (the upload path decodes it).
pub fn tiny_png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 3, image::Rgb([200, 40, 40]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A request with an optional cookie and JSON body.
pub fn request(
    method: http::Method,
    uri: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
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
    // Sealed under the tests' key, as enrolment stores it.
    let sealed = app::server::secrets::seal_with(&TEST_SECRET_KEY, &secret).unwrap();
    account::Entity::update_many()
        .col_expr(account::Column::TotpSecret, Expr::value(sealed))
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

/// A verifier dispatches report `id` to `agency` (now), through the lifecycle.
pub async fn dispatch(db: &DatabaseConnection, id: i64, agency: i32) {
    app::server::lifecycle::transition(
        db,
        id,
        &app::domain::lifecycle::Command::Dispatch {
            agency,
            needs_investigation: false,
        },
        app::domain::lifecycle::Role::Verifier,
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
}
