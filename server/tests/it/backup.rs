//! The restore drill: serve, submit (with a photo), back up while serving, submit more, restore
//! into a fresh place, and check that the restored copy holds exactly what was backed up — the
//! reports, every event chain and the audit log verified, the photo readable by its reporter —
//! on SQLite and PostgreSQL.

use crate::common::{self, multipart, send, tiny_png};
use app::server::entities::{attachment, report};
use http::{header, StatusCode};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::backup::{backup, restore};
use server::config::DatabaseUrl;

async fn submit(router: &axum::Router, title: &str) -> String {
    let fields = [
        ("kind", "complaint"),
        ("title", title),
        (
            "description",
            "Tiang listrik miring ke arah jalan setelah hujan deras, warga takut tiang roboh.",
        ),
        ("province", "76"),
        ("regency", "76.04"),
    ];
    let res = send(
        router,
        multipart("/lapor", None, &fields, &[("tiang.png", tiny_png())]),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.headers[header::LOCATION].to_str().unwrap();
    location
        .trim_start_matches("/lacak/")
        .trim_end_matches("?baru=1")
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_taken_while_serving_restores_into_a_fresh_place() {
    for db in common::databases().await {
        let files = common::files_dir();
        let mut settings = common::settings(1000);
        settings.files_dir = files.clone();
        let router = server::startup::router(db.db.clone(), &settings).unwrap();
        let code = submit(&router, "Tiang listrik miring di Jalan Ahmad Yani").await;
        submit(&router, "Tiang listrik miring di Jalan Sudirman").await;

        let work = tempfile::tempdir().unwrap();
        let dest = work.path().join("cadangan");
        let url = DatabaseUrl::parse(&db.url).unwrap();
        // Taken while another submission is on its way.
        let (taken, during) = tokio::join!(
            backup(&url, Some(&files), &dest),
            submit(&router, "Tiang listrik miring di Jalan Diponegoro")
        );
        let taken = taken.unwrap();
        assert!(!during.is_empty());
        assert!((2..=3).contains(&taken.reports), "{}: {taken}", db.backend);
        assert!(taken.files >= taken.reports, "{}: {taken}", db.backend);
        // Later work is not in the backup.
        submit(&router, "Tiang listrik miring di Jalan Martadinata").await;
        assert!(
            backup(&url, Some(&files), &dest).await.is_err(),
            "a backup never overwrites another"
        );

        // Restore into a fresh database and folder.
        let (target, pg_target) = match db.pg_name() {
            None => (
                DatabaseUrl::parse(&format!(
                    "sqlite://{}?mode=rwc",
                    work.path().join("pulih.db").display()
                ))
                .unwrap(),
                None,
            ),
            Some(_) => {
                let admin = sea_orm::Database::connect(common::pg_admin_url().unwrap())
                    .await
                    .unwrap();
                let name = format!("{}_pulih", db.pg_name().unwrap());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                let base = db.url.rsplit_once('/').unwrap().0;
                (
                    DatabaseUrl::parse(&format!("{base}/{name}")).unwrap(),
                    Some((admin, name)),
                )
            }
        };
        let restored_files = work.path().join("lampiran-pulih");
        let restored = restore(&target, Some(&restored_files), &dest)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:#}", db.backend));
        assert_eq!(restored.reports, taken.reports, "{}", db.backend);
        assert_eq!(restored.events, taken.events, "{}", db.backend);
        assert_eq!(restored.files, taken.files, "{}", db.backend);
        // A second restore into the same place is refused (nothing overwritten).
        assert!(restore(&target, Some(&restored_files), &dest)
            .await
            .is_err());

        // The restored copy serves: the reporter opens the report and its photo.
        let conn = server::db::connect(&target).await.unwrap();
        let later = report::Entity::find()
            .filter(report::Column::Title.eq("Tiang listrik miring di Jalan Martadinata"))
            .count(&conn)
            .await
            .unwrap();
        assert_eq!(
            later, 0,
            "{}: work after the backup is not in it",
            db.backend
        );
        let mut restored_settings = common::settings(1000);
        restored_settings.files_dir = restored_files.clone();
        let restored_router = server::startup::router(conn.clone(), &restored_settings).unwrap();
        let page = send(&restored_router, common::get(&format!("/lacak/{code}"))).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.backend);
        assert!(page
            .body
            .contains("Tiang listrik miring di Jalan Ahmad Yani"));
        let first = report::Entity::find()
            .filter(report::Column::Title.eq("Tiang listrik miring di Jalan Ahmad Yani"))
            .one(&conn)
            .await
            .unwrap()
            .unwrap();
        let photo = attachment::Entity::find()
            .filter(attachment::Column::ReportId.eq(first.id))
            .one(&conn)
            .await
            .unwrap()
            .expect("the photo's row");
        let file = send(
            &restored_router,
            common::get(&format!("/lacak/{code}/lampiran/{}", photo.id)),
        )
        .await;
        assert_eq!(file.status, StatusCode::OK, "{}: {}", db.backend, file.body);
        conn.close().await.ok();
        if let Some((admin, name)) = pg_target {
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok();
        }
        db.cleanup().await;
    }
}
