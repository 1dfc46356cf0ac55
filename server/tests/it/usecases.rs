//! The reporter's use cases against real SQLite and PostgreSQL databases.

use crate::common;

use app::domain::{AppError, Field, FieldError, ReportForm, ReportStatus, TrackingCode};
use app::server::entities::{report, report_event, reporter_contact};
use app::server::intake::{form_options, submit_form, track_report};
use chrono::{TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn form() -> ReportForm {
    ReportForm {
        kind: "complaint".into(),
        title: "Jalan berlubang di depan SDN 1 Mamuju".into(),
        description: "Lubang besar di jalan depan sekolah sudah tiga bulan tidak diperbaiki."
            .into(),
        category_id: "1".into(),
        province: "76".into(),
        regency: "76.04".into(),
        incident_date: "2026-11-20".into(),
        anonymous: true,
        name: "Siti Aminah".into(),
        email: "siti@example.id".into(),
        phone: "0812 3456 7890".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn submit_then_track_on_every_backend() {
    // Friday 27 Nov 2026, 10:00 WITA.
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap();
    for t in common::databases().await {
        let receipt = submit_form(&t.db, &form(), now).await.expect(t.backend);
        assert_eq!(receipt.status, ReportStatus::AwaitingVerification);
        assert!(receipt.reference.starts_with("ADU-"), "{}", t.backend);
        // Three working days in WITA: Mon, Tue, Wed → due at Thu 3 Dec 00:00 WITA.
        assert_eq!(
            receipt.due_at,
            Some(Utc.with_ymd_and_hms(2026, 12, 2, 16, 0, 0).unwrap()),
            "{}",
            t.backend
        );

        // The code works however it is written.
        let typed = receipt.tracking_code.grouped().to_lowercase();
        let code = TrackingCode::parse(&typed).unwrap();
        let later = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap(); // Monday
        let view = track_report(&t.db, &code, later).await.expect(t.backend);
        assert_eq!(view.reference, receipt.reference);
        assert_eq!(view.title, "Jalan berlubang di depan SDN 1 Mamuju");
        assert_eq!(view.status, ReportStatus::AwaitingVerification);
        assert_eq!(
            view.region_name.as_deref(),
            Some("Kabupaten Mamuju, Sulawesi Barat")
        );
        assert_eq!(view.utc_offset_minutes, 480);
        assert_eq!(view.timeline.len(), 1);
        assert_eq!(
            view.time_left,
            Some(app::domain::calendar::TimeLeft::WorkingDays(2)),
            "{}",
            t.backend
        );
        assert!(view.anonymous && !view.confidential);

        // Only the hash of the code is stored; the contact is in its own table.
        let row = report::Entity::find()
            .filter(report::Column::Reference.eq(&receipt.reference))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.tracking_hash, code.lookup_hash());
        assert!(!format!("{row:?}").contains(code.as_str()));
        let contact = reporter_contact::Entity::find_by_id(row.id)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(contact.phone.as_deref(), Some("081234567890"));
        assert_eq!(
            report_event::Entity::find()
                .filter(report_event::Column::ReportId.eq(row.id))
                .count(&t.db)
                .await
                .unwrap(),
            1
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn unknown_codes_categories_and_regions_are_refused() {
    let now = Utc::now();
    for t in common::databases().await {
        let unknown = TrackingCode::parse("0000-0000-0000-0000").unwrap();
        assert_eq!(
            track_report(&t.db, &unknown, now).await.unwrap_err(),
            AppError::NotFound
        );

        let bad = ReportForm {
            category_id: "999".into(),
            province: "".into(),
            regency: "76.99".into(),
            ..form()
        };
        match submit_form(&t.db, &bad, now).await {
            Err(AppError::Validation(e)) => {
                assert_eq!(
                    e.get(&Field::CategoryId),
                    Some(&FieldError::Unknown),
                    "{}",
                    t.backend
                );
                assert_eq!(
                    e.get(&Field::RegionCode),
                    Some(&FieldError::Unknown),
                    "{}",
                    t.backend
                );
            }
            other => panic!("{}: expected validation error, got {other:?}", t.backend),
        }
        // Nothing was stored.
        assert_eq!(
            report::Entity::find().count(&t.db).await.unwrap(),
            0,
            "{}",
            t.backend
        );

        let invalid = ReportForm {
            title: "short".into(),
            ..form()
        };
        assert!(matches!(
            submit_form(&t.db, &invalid, now).await,
            Err(AppError::Validation(_))
        ));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn reference_data_is_loaded_by_the_migrations() {
    for t in common::databases().await {
        let (categories, provinces, regencies) = form_options(&t.db).await.unwrap();
        assert!(categories.len() >= 10, "{}", t.backend);
        assert_eq!(provinces.len(), 38, "{}", t.backend);
        let sulbar: Vec<_> = regencies
            .iter()
            .filter(|r| r.parent.as_deref() == Some("76"))
            .collect();
        assert_eq!(sulbar.len(), 6, "{}", t.backend);
        let agencies = app::server::entities::agency::Entity::find()
            .all(&t.db)
            .await
            .unwrap();
        let root = agencies
            .iter()
            .find(|a| a.code == "PROV-76")
            .expect("provincial government");
        assert!(
            agencies
                .iter()
                .filter(|a| a.parent_id == Some(root.id))
                .count()
                >= 8
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn demo_seed_is_idempotent_and_its_first_code_tracks() {
    for t in common::databases().await {
        assert_eq!(server::seed::seed_demo(&t.db).await.unwrap(), 10);
        assert_eq!(server::seed::seed_demo(&t.db).await.unwrap(), 0);
        let view = track_report(&t.db, &server::seed::first_demo_code(), Utc::now())
            .await
            .unwrap();
        assert_eq!(view.title, "Jalan berlubang di depan SDN 1 Mamuju");
        t.cleanup().await;
    }
}

/// A report and the files sent with it are one transaction: when a file cannot be linked, no
/// report exists either (before, the report was committed first and a failure after it left a
/// report without its files, answered with a 500 the reporter would retry).
#[tokio::test]
async fn a_report_and_its_files_are_saved_together_or_not_at_all() {
    use app::server::entities::attachment;
    let now = Utc::now();
    for t in common::databases().await {
        let stored = |name: &str| app::server::files::Stored {
            object_key: format!("uji/{}", "a".repeat(16)),
            media_type: "image/png",
            size_bytes: 3,
            file_name: name.into(),
            sha256: "00".repeat(32),
        };
        let mut f = form();
        f.title = "Laporan dengan dua berkas berkunci sama".into();
        // Two files under the same object key: the second link fails (the key is unique).
        // Through the group committer on SQLite (as the server runs): the failed work is
        // undone alone.
        let commits = app::server::commits::Committer::new(t.db.clone());
        let r = app::server::intake::submit_form_in(
            &commits,
            &f,
            None,
            &[stored("a.png"), stored("b.png")],
            app::i18n::Lang::Id,
            None,
            now,
        )
        .await;
        assert_eq!(r.unwrap_err(), AppError::Internal, "{}", t.backend);
        let reports = report::Entity::find()
            .filter(report::Column::Title.eq(f.title.clone()))
            .count(&t.db)
            .await
            .unwrap();
        assert_eq!(reports, 0, "{}: no report without its files", t.backend);
        assert_eq!(attachment::Entity::find().count(&t.db).await.unwrap(), 0);
        // The same report with one file: both there, linked to the reporter's message.
        let receipt = app::server::intake::submit_form_in(
            &commits,
            &f,
            None,
            &[stored("a.png")],
            app::i18n::Lang::Id,
            None,
            now,
        )
        .await
        .expect(t.backend);
        let id = common::report_id(&t.db, &receipt.reference).await;
        let files = attachment::Entity::find()
            .filter(attachment::Column::ReportId.eq(id))
            .all(&t.db)
            .await
            .unwrap();
        assert_eq!(files.len(), 1, "{}", t.backend);
        assert!(files[0].message_id.is_some());
        t.cleanup().await;
    }
}
