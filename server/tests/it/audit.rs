//! The hash-chained audit trail: intact chains verify; an event edited or deleted behind the
//! application's back is found, by the library and by `aduan audit verify`.

use crate::common;

use app::domain::ReportForm;
use app::server::audit::{verify_all, VerifyError};
use app::server::entities::report_event;
use chrono::Utc;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

fn form(title: &str) -> ReportForm {
    ReportForm {
        kind: "complaint".into(),
        title: title.into(),
        description: "Deskripsi laporan yang cukup panjang untuk diterima oleh server.".into(),
        ..Default::default()
    }
}

async fn submit_many(db: &sea_orm::DatabaseConnection, n: usize, title: &str) {
    for i in 0..n {
        app::server::intake::submit_form(db, &form(&format!("{title} nomor {i}")), Utc::now())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_edited_event_is_found() {
    for t in common::databases().await {
        submit_many(&t.db, 3, "Laporan untuk audit").await;
        let ok = verify_all(&t.db).await.unwrap();
        assert_eq!((ok.reports, ok.events), (3, 3), "{}", t.backend);

        let second = report_event::Entity::find()
            .order_by_asc(report_event::Column::Id)
            .all(&t.db)
            .await
            .unwrap()[1]
            .id;
        t.db.execute_unprepared(&format!(
            "UPDATE report_events SET note = 'diubah diam-diam' WHERE id = {second}"
        ))
        .await
        .unwrap();
        match verify_all(&t.db).await {
            Err(VerifyError::Broken(b)) => {
                assert_eq!(b.event_id, Some(second), "{}", t.backend);
                assert!(b.to_string().contains(&format!("event {second}")));
            }
            other => panic!("{}: expected a broken chain, got {other:?}", t.backend),
        }
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_deleted_last_event_and_a_forged_status_are_found() {
    for t in common::databases().await {
        app::server::intake::submit_form(&t.db, &form("Laporan untuk uji penghapusan"), Utc::now())
            .await
            .unwrap();
        t.db.execute_unprepared("UPDATE reports SET status = 'resolved'")
            .await
            .unwrap();
        assert!(
            matches!(verify_all(&t.db).await, Err(VerifyError::Broken(_))),
            "{}",
            t.backend
        );
        t.db.execute_unprepared("UPDATE reports SET status = 'awaiting_verification'")
            .await
            .unwrap();
        assert!(verify_all(&t.db).await.is_ok());
        t.db.execute_unprepared("DELETE FROM report_events")
            .await
            .unwrap();
        assert!(
            matches!(verify_all(&t.db).await, Err(VerifyError::Broken(_))),
            "{}",
            t.backend
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_cli_exits_non_zero_naming_the_broken_event() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../Leptos.toml");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_aduan"))
            .args(args)
            .env("ADUAN_CONFIG", config)
            .env("ADUAN_DATABASE_URL", &url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    let seeded = run(&["seed", "--demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let ok = run(&["audit", "verify"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("10 reports, 13 events"));

    let db = server::db::connect(&server::config::DatabaseUrl::parse(&url).unwrap())
        .await
        .unwrap();
    db.execute_unprepared("UPDATE report_events SET actor_role = 'verifier' WHERE id = 4")
        .await
        .unwrap();
    db.close().await.unwrap();
    let broken = run(&["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("event 4") && stderr.contains("does not match its hash"),
        "{stderr}"
    );
}

#[tokio::test]
async fn events_written_before_the_chain_are_backfilled() {
    for t in common::databases().await {
        submit_many(&t.db, 2, "Laporan lama sebelum rantai").await;
        t.db.execute_unprepared("UPDATE report_events SET hash = NULL, prev_hash = NULL")
            .await
            .unwrap();
        t.db.execute_unprepared("UPDATE reports SET chain_head = NULL")
            .await
            .unwrap();
        assert!(verify_all(&t.db).await.is_err(), "{}", t.backend);
        assert_eq!(
            app::server::audit::backfill(&t.db).await.unwrap(),
            2,
            "{}",
            t.backend
        );
        assert_eq!(
            app::server::audit::backfill(&t.db).await.unwrap(),
            0,
            "{}",
            t.backend
        );
        assert_eq!(verify_all(&t.db).await.unwrap().events, 2, "{}", t.backend);
        t.cleanup().await;
    }
}
