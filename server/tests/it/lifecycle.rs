//! Lifecycle transitions and scheduled jobs on real databases, with an injected clock.

use crate::common;

use app::domain::calendar::{deadline, end_of_day};
use app::domain::lifecycle::{Command, Refusal, Role};
use app::domain::{AppError, EventKind, ReportForm, ReportStatus};
use app::server::audit::verify_all;
use app::server::entities::{report, report_event};
use app::server::lifecycle::{run_jobs, transition};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

const WITA: i32 = 480;

fn form(kind: &str) -> ReportForm {
    ReportForm {
        kind: kind.into(),
        title: "Lampu jalan padam di jalur poros".into(),
        description: "Sebagian besar lampu jalan di jalur poros padam sejak dua minggu lalu."
            .into(),
        province: "76".into(),
        regency: "76.04".into(),
        ..Default::default()
    }
}

/// 10:00 WITA on a date.
fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

async fn submit(db: &DatabaseConnection, kind: &str, now: DateTime<Utc>) -> i64 {
    let receipt = app::server::intake::submit_form(db, &form(kind), now)
        .await
        .unwrap();
    report::Entity::find()
        .filter(report::Column::Reference.eq(receipt.reference))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn load(db: &DatabaseConnection, id: i64) -> report::Model {
    report::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn events(db: &DatabaseConnection, id: i64) -> u64 {
    report_event::Entity::find()
        .filter(report_event::Column::ReportId.eq(id))
        .count(db)
        .await
        .unwrap()
}

fn dispatch(agency: i32) -> Command {
    Command::Dispatch {
        agency,
        needs_investigation: false,
    }
}

#[tokio::test]
async fn a_report_goes_from_submission_to_confirmation() {
    for t in common::databases().await {
        let db = &t.db;
        let t0 = at(2026, 11, 23); // Monday
        let id = submit(db, "complaint", t0).await;

        // A wrong role is refused and changes nothing.
        assert_eq!(
            transition(db, id, &dispatch(3), Role::Reporter, None, t0).await,
            Err(AppError::Refused(Refusal::RoleNotAllowed))
        );
        assert_eq!(events(db, id).await, 1);

        let t1 = at(2026, 11, 24);
        transition(db, id, &dispatch(3), Role::Verifier, None, t1)
            .await
            .unwrap();
        let r = load(db, id).await;
        assert_eq!(r.status, "dispatched");
        assert_eq!(r.owner.as_deref(), Some("agency:3"));
        assert_eq!(r.due_at, Some(deadline(t1, WITA, 5)), "{}", t.backend);

        let t2 = at(2026, 11, 25);
        transition(
            db,
            id,
            &Command::FollowUp,
            Role::AgencyOfficer,
            Some("Tim sudah ke lokasi"),
            t2,
        )
        .await
        .unwrap();
        assert_eq!(
            load(db, id).await.due_at,
            Some(deadline(t2, WITA, 14)),
            "{}",
            t.backend
        );
        transition(
            db,
            id,
            &Command::Extend,
            Role::AgencyOfficer,
            Some("Menunggu material"),
            t2,
        )
        .await
        .unwrap();
        assert_eq!(
            load(db, id).await.due_at,
            Some(deadline(t2, WITA, 19)),
            "an extension adds five working days ({})",
            t.backend
        );
        transition(
            db,
            id,
            &Command::Answer,
            Role::AgencyOfficer,
            None,
            at(2026, 12, 1),
        )
        .await
        .unwrap();
        transition(
            db,
            id,
            &Command::Confirm { rating: 5 },
            Role::Reporter,
            Some("Terima kasih"),
            at(2026, 12, 2),
        )
        .await
        .unwrap();
        let r = load(db, id).await;
        assert_eq!(
            (r.status.as_str(), r.owner, r.due_at, r.rating),
            ("resolved", None, None, Some(5))
        );
        assert_eq!(events(db, id).await, 6);
        let confirm = report_event::Entity::find()
            .filter(report_event::Column::ReportId.eq(id))
            .filter(report_event::Column::Event.eq("confirmed"))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            confirm.payload.as_deref(),
            Some(r#"{"Confirm":{"rating":5}}"#)
        );
        assert_eq!(confirm.note.as_deref(), Some("Terima kasih"));
        assert_eq!(verify_all(db).await.unwrap().events, 6, "{}", t.backend);

        // Closed: only a supervisor's reopen is accepted.
        assert_eq!(
            transition(
                db,
                id,
                &Command::FollowUp,
                Role::AgencyOfficer,
                None,
                at(2026, 12, 3)
            )
            .await,
            Err(AppError::Refused(Refusal::WrongState))
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_verification_clock_pauses_on_hold_and_resumes() {
    for t in common::databases().await {
        let db = &t.db;
        let id = submit(db, "complaint", at(2026, 11, 23)).await; // Monday: due Thursday 26
        transition(
            db,
            id,
            &Command::Hold,
            Role::Verifier,
            Some("Mohon foto lokasi"),
            at(2026, 11, 24),
        )
        .await
        .unwrap();
        let r = load(db, id).await;
        assert_eq!(r.status, "on_hold");
        assert_eq!(
            r.paused_days,
            Some(2),
            "Wed and Thu were left ({})",
            t.backend
        );
        assert_eq!(r.due_at, Some(deadline(at(2026, 11, 24), WITA, 10)));
        let back = at(2026, 12, 7); // Monday
        transition(db, id, &Command::AnswerHold, Role::Reporter, None, back)
            .await
            .unwrap();
        let r = load(db, id).await;
        assert_eq!(r.status, "awaiting_verification");
        assert_eq!(r.due_at, Some(deadline(back, WITA, 2)), "{}", t.backend);
        assert_eq!(r.paused_days, None);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn jobs_remind_then_close_unconfirmed_escalate_and_expire_holds() {
    for t in common::databases().await {
        let db = &t.db;
        let t0 = at(2026, 11, 23);
        // 1. Answered, the reporter stays silent.
        let silent = submit(db, "aspiration", t0).await;
        for (cmd, role) in [
            (dispatch(3), Role::Verifier),
            (Command::FollowUp, Role::AgencyOfficer),
            (Command::Answer, Role::AgencyOfficer),
        ] {
            transition(db, silent, &cmd, role, None, t0).await.unwrap();
        }
        // 2. Never verified.
        let late = submit(db, "complaint", t0).await;
        // 3. On hold, never answered.
        let held = submit(db, "complaint", t0).await;
        transition(db, held, &Command::Hold, Role::Verifier, None, t0)
            .await
            .unwrap();

        assert_eq!(
            run_jobs(db, t0).await.unwrap(),
            Default::default(),
            "{}",
            t.backend
        );

        // Verification due end of Thu 26 Nov; Friday it is overdue → agency head.
        let fri = at(2026, 11, 27);
        let run = run_jobs(db, fri).await.unwrap();
        assert_eq!(run.escalated, 1, "{}: {run:?}", t.backend);
        assert_eq!(load(db, late).await.overdue_level, 1);
        assert_eq!(
            run_jobs(db, fri).await.unwrap().escalated,
            0,
            "idempotent ({})",
            t.backend
        );
        // Two more working days → supervisor.
        assert_eq!(run_jobs(db, at(2026, 12, 1)).await.unwrap().escalated, 1);
        assert_eq!(load(db, late).await.overdue_level, 2);

        // The reporter's 10 working days end 7 Dec; reminder from 3 working days before.
        let due = load(db, silent).await.due_at.unwrap();
        assert_eq!(
            due,
            end_of_day(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(), WITA)
        );
        let run = run_jobs(db, at(2026, 12, 2)).await.unwrap();
        assert_eq!(run.reminded, 1, "{}: {run:?}", t.backend);
        assert!(load(db, silent).await.reminded);
        let run = run_jobs(db, at(2026, 12, 8)).await.unwrap();
        assert_eq!(run.closed_unconfirmed, 1, "{}: {run:?}", t.backend);
        assert_eq!(run.holds_expired, 1, "{}: {run:?}", t.backend);
        assert_eq!(
            load(db, silent).await.status,
            ReportStatus::ClosedUnconfirmed.as_str()
        );
        assert_eq!(load(db, held).await.status, "archived");
        assert!(verify_all(db).await.is_ok());
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_job_runners_do_each_piece_of_work_exactly_once() {
    for t in common::databases().await {
        let db = &t.db;
        let t0 = at(2026, 11, 23);
        let mut ids = Vec::new();
        for _ in 0..20 {
            ids.push(submit(db, "complaint", t0).await);
        }
        let when = at(2026, 11, 27);
        let (a, b) = tokio::join!(run_jobs(db, when), run_jobs(db, when));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.escalated + b.escalated, 20, "{}: {a:?} {b:?}", t.backend);
        for id in ids {
            assert_eq!(events(db, id).await, 2, "{}", t.backend);
            let kinds: Vec<String> = report_event::Entity::find()
                .filter(report_event::Column::ReportId.eq(id))
                .all(db)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.event)
                .collect();
            assert_eq!(kinds[1], EventKind::MarkedOverdue.as_str());
        }
        assert_eq!(verify_all(db).await.unwrap().events, 40);
        t.cleanup().await;
    }
}
