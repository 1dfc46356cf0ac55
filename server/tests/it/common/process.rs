//! Real processes for the tests that need them: the `aduan` binary on a free port, and a real
//! SMTP server (Debian's `python3-aiosmtpd`) writing every message it accepts into a Maildir.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The password of every account the process tests create.
pub const PASSWORD: &str = "kata sandi uji 2026";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The repository root (the binary runs there, as `scripts/run` runs it).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn python() -> String {
    std::env::var("ADUAN_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into())
}

/// aiosmtpd on a free port, killed when dropped.
pub struct Smtp {
    pub child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts aiosmtpd and waits until it listens.
pub async fn smtp() -> Smtp {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir.path().join("maildir"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start aiosmtpd with {} ({e}): run `scripts/setup test`",
                python()
            )
        });
    let mut smtp = Smtp { child, port, dir };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return smtp;
        }
        if let Ok(Some(status)) = smtp.child.try_wait() {
            panic!("aiosmtpd exited ({status}): is python3-aiosmtpd installed? run `scripts/setup test`");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = smtp.child.kill();
    panic!("aiosmtpd did not listen on {port}");
}

/// A received email, parsed by Python's `email` package (the real MIME parser).
#[derive(Debug)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

impl Smtp {
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far (repeats kept), in Maildir order.
    pub fn received(&self) -> Vec<Received> {
        const DUMP: &str = r#"
import json, mailbox, sys
from email import policy
from email.parser import BytesParser
out = []
box = mailbox.Maildir(sys.argv[1], create=False)
for key in sorted(box.keys()):
    m = BytesParser(policy=policy.default).parsebytes(box.get_bytes(key))
    text = m.get_body(preferencelist=('plain',))
    html = m.get_body(preferencelist=('html',))
    out.append({"to": str(m["To"]), "subject": str(m["Subject"]), "message_id": str(m["Message-ID"]),
                "text": text.get_content() if text else "", "html": html.get_content() if html else ""})
print(json.dumps(out))
"#;
        let dir = self.dir.path().join("maildir");
        if !dir.exists() {
            return Vec::new();
        }
        let out = Command::new(python())
            .args(["-c", DUMP])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        v.into_iter()
            .map(|m| Received {
                to: m["to"].as_str().unwrap().to_string(),
                subject: m["subject"].as_str().unwrap().to_string(),
                message_id: m["message_id"].as_str().unwrap().to_string(),
                text: m["text"].as_str().unwrap().to_string(),
                html: m["html"].as_str().unwrap().to_string(),
            })
            .collect()
    }

    /// The `Message-ID` of every message received (repeats kept); cheaper than `received`.
    pub fn message_ids(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("maildir/new")) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .filter_map(|text| {
                text.lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
                    .map(|l| l[11..].trim().to_string())
            })
            .collect()
    }
}

/// One `aduan serve` process; killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `aduan serve` on a free port against `database_url`, with `env` on top of the
/// defaults (files in `files`, lookups unthrottled, only errors logged).
pub fn start(database_url: &str, files: &Path, env: &[(&str, String)]) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aduan"));
    cmd.arg("serve")
        .current_dir(repo())
        .env("ADUAN_DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        // The API needs no static files (and CI runs this before the site is built).
        .env("LEPTOS_SITE_ROOT", files)
        .env("ADUAN_FILES_DIR", files)
        .env("ADUAN_TRACK_LOOKUPS_PER_MINUTE", "1000000")
        .env("ADUAN_SECRET_KEY", super::TEST_SECRET_HEX)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // ADUAN_TEST_SERVER_LOG=warn (say) shows the server's log while debugging a test.
    if let Ok(level) = std::env::var("ADUAN_TEST_SERVER_LOG") {
        cmd.env("RUST_LOG", level)
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    Server {
        child: cmd.spawn().expect("start aduan"),
        base: format!("http://127.0.0.1:{port}"),
    }
}

/// Waits until `/readyz` answers 200 (at most a minute).
pub async fn ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("aduan did not become ready at {base}");
}

/// POSTs JSON; `None` when the connection failed. Returns the status, the body as JSON (Null
/// when it is not JSON) and the session cookie if one was set.
pub async fn post(
    client: &reqwest::Client,
    url: String,
    cookie: Option<&str>,
    body: Value,
) -> Option<(u16, Value, Option<String>)> {
    let mut req = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.ok()?;
    let status = res.status().as_u16();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("aduan_session="))
        .map(|v| v.split(';').next().unwrap().to_string());
    let text = res.text().await.ok()?;
    Some((
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        cookie,
    ))
}

/// Signs in through the API and returns the session cookie. With a TOTP secret, a code of the
/// current step; a step already used (replay protection) makes it wait for the next one.
pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    secret: Option<&str>,
) -> String {
    for _ in 0..40 {
        let totp = secret.map(|s| {
            app::server::credentials::totp_at(
                s,
                app::server::credentials::totp_step(chrono::Utc::now().timestamp()),
            )
            .unwrap()
        });
        match post(
            client,
            format!("{base}/api/v1/session"),
            None,
            serde_json::json!({"email": email, "password": PASSWORD, "totp": totp}),
        )
        .await
        {
            Some((200, _, Some(cookie))) => return cookie,
            other => eprintln!("sign-in of {email}: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(800)).await;
    }
    panic!("{email} cannot sign in");
}

/// A report as a citizen's phone would send it to the JSON API.
pub fn report_body(title: &str, email: &str) -> Value {
    serde_json::json!({
        "kind": "complaint",
        "title": title,
        "description": "Laporan uji: jalan berlubang di depan sekolah membahayakan anak-anak.",
        "category_id": 1,
        "region_code": "76.04",
        "reporter": {"email": email}
    })
}

/// The `Message-ID` the outbox gives an email (as the tests expect it, written out here).
pub fn message_id(m: &app::server::entities::outbox::Model) -> String {
    format!(
        "<outbox-{}.{}@aduan.localhost>",
        m.id,
        m.created_at.timestamp()
    )
}

/// SQLite's `PRAGMA integrity_check` verdict ("ok" when the file is sound).
pub async fn sqlite_integrity(url: &str) -> String {
    use sea_orm::ConnectionTrait;
    // A fresh connection, as the next process to open the file would see it: a connection kept
    // open across another process's writes has a stale FTS5 structure cache, and SQLite's
    // integrity check of an FTS5 table then reports blobs that no longer exist (seen in the
    // crash test: the long-lived connection said "corruption", a fresh one "ok", every cycle).
    let db = sea_orm::Database::connect(url).await.unwrap();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap()
        .unwrap();
    let verdict = row.try_get_by_index(0).unwrap();
    let _ = db.close().await;
    verdict
}

/// Creates an active staff account with `PASSWORD`; returns its id.
pub async fn add_staff(
    db: &sea_orm::DatabaseConnection,
    role: &str,
    agency: &str,
    login: &str,
) -> i64 {
    app::server::accounts::create_account(
        db,
        &app::server::accounts::NewAccount {
            login: login.into(),
            display_name: role.into(),
            password: PASSWORD.into(),
            role: role.into(),
            agency_code: Some(agency.into()),
        },
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
}
