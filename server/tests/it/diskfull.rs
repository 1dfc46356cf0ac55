//! A full disk: the real `aduan` binary with its SQLite file on a 24 MB tmpfs, filled to the
//! last byte while citizens keep submitting. Submissions get a clear 503 (JSON and the HTML
//! form, which comes back with everything typed), reads keep working, nothing acknowledged is
//! lost, and the service takes reports again as soon as space returns, without a restart.

use crate::common;

use app::server::entities::report;
use common::process::{post, ready, report_body, start};
use sea_orm::EntityTrait;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Unmounts the test's file system however the test ends.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Writes a file that takes every byte left on the file system holding `dir`.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    for chunk in [1 << 16, 4096, 512, 1] {
        let buf = vec![0u8; chunk];
        while f.write_all(&buf).and_then(|_| f.sync_all()).is_ok() {}
    }
    path
}

async fn submit(client: &reqwest::Client, base: &str, n: u32) -> (u16, serde_json::Value) {
    let (status, body, _) = post(
        client,
        format!("{base}/api/v1/reports"),
        None,
        report_body(
            &format!("Laporan saat disk penuh nomor {n}"),
            &format!("warga-{n}@example.org"),
        ),
    )
    .await
    .expect("the server answers");
    (status, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_refuses_with_503_loses_nothing_and_recovers() {
    if !is_root() {
        // Stated skip: mounting a size-limited tmpfs needs root; CI (`.ci/run`) runs as root.
        eprintln!("SKIPPED: this test mounts a tmpfs and needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=24m,mode=0700", "aduan-diskfull"])
        .arg(dir.path())
        .status()
        .unwrap()
        .success();
    assert!(ok, "mount -t tmpfs failed although running as root");
    let _mount = Mount(dir.path().to_path_buf());
    let url = format!("sqlite://{}/aduan.db?mode=rwc", dir.path().display());
    let files = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut server = start(&url, files.path(), &[]);
    ready(&client, &server.base).await;

    // Room enough: acknowledged.
    let mut acked: Vec<(String, String)> = Vec::new();
    for n in 0..5 {
        let (status, body) = submit(&client, &server.base, n).await;
        assert_eq!(status, 201, "{body}");
        acked.push((
            body["reference"].as_str().unwrap().into(),
            body["tracking_code"].as_str().unwrap().into(),
        ));
    }

    // No room: what still fits (free pages, the WAL) is acknowledged, then a clear 503.
    let filler = fill(dir.path());
    let mut refused = 0;
    for n in 5..5000 {
        let (status, body) = submit(&client, &server.base, n).await;
        match status {
            201 => acked.push((
                body["reference"].as_str().unwrap().into(),
                body["tracking_code"].as_str().unwrap().into(),
            )),
            503 => {
                assert_eq!(body["error"], "storage_full", "{body}");
                assert!(
                    body["message"].as_str().unwrap().contains("penuh"),
                    "{body}"
                );
                refused += 1;
                if refused == 3 {
                    break;
                }
            }
            other => panic!("a full disk must give 201 or 503, got {other}: {body}"),
        }
    }
    assert_eq!(refused, 3, "the disk never filled");

    // The API says when to come back; the HTML form keeps what was typed.
    let res = client
        .post(format!("{}/api/v1/reports", server.base))
        .header("content-type", "application/json")
        .header("accept-language", "en")
        .body(report_body("Laporan dalam bahasa Inggris", "warga@example.org").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "60");
    let body: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("storage is full"),
        "{body}"
    );
    let form = "kind=complaint&title=Lampu+jalan+padam+di+Simboro&description=Sudah+dua+minggu+lampu+jalan+di+Simboro+padam+dan+rawan.&category_id=1&province=76&regency=76.04&incident_date=&name=&email=&phone=";
    let res = client
        .post(format!("{}/lapor", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", common::csrf_cookie())
        .body(format!("{form}&csrf={}", common::CSRF))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Penyimpanan server sedang penuh"),
        "the reason, in Indonesian"
    );
    assert!(
        page.contains("Lampu jalan padam di Simboro")
            && page.contains("Sudah dua minggu lampu jalan di Simboro padam dan rawan."),
        "what was typed comes back"
    );

    // Reads keep working while the disk is full.
    let code = acked[0].1.replace('-', "");
    let res = client
        .get(format!("{}/api/v1/track/{code}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Space returns: reports are taken again, no restart.
    std::fs::remove_file(&filler).unwrap();
    let (status, body) = submit(&client, &server.base, 9000).await;
    assert_eq!(status, 201, "recovers when space returns: {body}");
    acked.push((
        body["reference"].as_str().unwrap().into(),
        body["tracking_code"].as_str().unwrap().into(),
    ));

    // Another connection sees every acknowledged report while the server still runs (a
    // connection left inside a failed transaction would hide them: see `server::db`).
    let probe = sea_orm::Database::connect(&url).await.unwrap();
    let visible = report::Entity::find().all(&probe).await.unwrap().len();
    assert_eq!(
        visible,
        acked.len(),
        "acknowledged reports visible to others"
    );
    probe.close().await.unwrap();

    // A hard stop, then the file as the next start finds it.
    server.kill();
    let db = sea_orm::Database::connect(&url).await.unwrap();
    let stored: std::collections::HashMap<String, String> = report::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.reference, r.tracking_hash))
        .collect();
    for (reference, code) in &acked {
        let hash = stored
            .get(reference)
            .unwrap_or_else(|| panic!("acknowledged report {reference} lost"));
        let parsed = app::domain::TrackingCode::parse(code).unwrap();
        assert_eq!(hash, &parsed.lookup_hash(), "{reference}");
    }
    assert_eq!(
        stored.len(),
        acked.len(),
        "exactly the acknowledged reports: nothing refused was stored"
    );
    let verdict = common::process::sqlite_integrity(&url).await;
    assert_eq!(verdict, "ok");
    app::server::audit::verify_all(&db).await.unwrap();
    println!(
        "disk full: {} reports acknowledged (before and while filling, and after space returned), {refused} refused with 503, all stored, integrity ok",
        acked.len()
    );
    db.close().await.unwrap();
}
