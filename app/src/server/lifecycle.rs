//! Applying lifecycle commands to stored reports, and the scheduled jobs (overdue marking and
//! escalation, reporter reminder, closing unconfirmed reports, expiring holds).
//!
//! Concurrency: a transition reads the report outside any transaction, decides with the pure
//! machine, then in one transaction moves the report **only if its chain head is still the one it
//! read** (an optimistic lock that works the same on SQLite and PostgreSQL) and appends the event.
//! A second instance (or job runner) racing on the same report updates nothing and gets
//! `AppError::Conflict`, so every piece of work happens exactly once.

use super::audit::{chain, insert_event, EventRecord};
use super::entities::{message, report};
use super::files::Stored;
use super::internal;
use super::notify::{self, Notices};
use crate::domain::calendar::{add_working_days, end_of_day, local_date, working_days_between};
use crate::domain::lifecycle::{apply, Clock, ClockAction, Command, LifecycleState, Owner, Role};
use crate::domain::{AppError, EventKind, ReportKind, ReportStatus};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};

fn stored<T>(v: Option<T>, what: &'static str) -> Result<T, AppError> {
    v.ok_or_else(|| {
        tracing::error!(what, "unknown value stored in the database");
        AppError::Internal
    })
}

/// The machine's view of a stored report.
pub fn state_of(r: &report::Model) -> Result<LifecycleState, AppError> {
    let status = stored(ReportStatus::parse(&r.status), "status")?;
    Ok(LifecycleState {
        kind: stored(ReportKind::parse(&r.kind), "kind")?,
        status,
        owner: match &r.owner {
            Some(o) => Some(stored(Owner::decode(o), "owner")?),
            None => None,
        },
        agency: r.agency_id,
        needs_investigation: r.needs_investigation,
        bounces: r.bounces.max(0) as u32,
        extensions: r.extensions.clamp(0, 255) as u8,
        disputes: r.disputes.clamp(0, 255) as u8,
        reminded: r.reminded,
    })
}

/// Applies `command`, given by `role`, to report `report_id`: state, deadline and audit event
/// in one transaction. `note` is recorded in the event (a reason, a rating comment).
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    report_id: i64,
    command: &Command,
    role: Role,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    transition_by(db, report_id, command, role, None, note, now).await
}

/// `transition`, recording the acting account in the event. Callers decide first, with
/// `domain::access`, that the account may give the command on this report.
pub async fn transition_by<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    report_id: i64,
    command: &Command,
    role: Role,
    account: Option<i64>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    let posting = Posting {
        note,
        ..Posting::default()
    };
    transition_posting(db, report_id, command, role, account, &posting, now).await
}

/// What a person sends with a command: a message (and files already in the object store) for
/// the report's thread, and the agency they write for.
#[derive(Debug, Default)]
pub struct Posting<'a> {
    pub note: Option<&'a str>,
    pub files: Vec<Stored>,
    pub agency: Option<i32>,
}

/// Whether the reporter reads the message sent with `command` (otherwise it is an internal note
/// among staff: why a report was dispatched, delegated or returned).
pub fn reporter_reads(command: &Command) -> bool {
    !matches!(
        command,
        Command::Dispatch { .. } | Command::Delegate { .. } | Command::ReturnNotOurs
    )
}

fn author_of(role: Role) -> &'static str {
    match role {
        Role::Reporter => "reporter",
        Role::Verifier => "verifier",
        Role::AgencyOfficer | Role::AgencyAdmin => "agency",
        _ => "system",
    }
}

/// `transition_by` with a posting: the state change, its audit event, the message with its
/// files, and the notices (in-app and the email outbox) commit together or not at all.
#[tracing::instrument(skip(db, posting), fields(report = report_id, role = role.as_str()))]
pub async fn transition_posting<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    report_id: i64,
    command: &Command,
    role: Role,
    account: Option<i64>,
    posting: &Posting<'_>,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    let note = posting.note;
    let r = report::Entity::find_by_id(report_id)
        .one(db)
        .await
        .map_err(internal("loading report"))?
        .ok_or(AppError::NotFound)?;
    let state = state_of(&r)?;
    let t = apply(&state, command, role).map_err(AppError::Refused)?;
    let Clock {
        due_at,
        paused_days,
    } = Clock {
        due_at: r.due_at,
        paused_days: r.paused_days.map(|d| d.max(0) as u32),
    }
    .after(t.clock, &t.state, now, r.utc_offset_minutes);
    let payload = serde_json::to_string(command).map_err(internal("encoding the command"))?;
    let event = chain(
        r.chain_head.as_deref(),
        EventRecord {
            report_id,
            at: now,
            event: t.event.as_str(),
            from_status: Some(state.status.as_str()),
            to_status: t.state.status.as_str(),
            actor_role: role.as_str(),
            note,
            payload: Some(&payload),
            actor_account: account,
        },
    );
    let rating = match command {
        Command::Confirm { rating } => Some(*rating as i32),
        _ => r.rating,
    };
    let new_stage = !matches!(t.clock, ClockAction::Keep);
    let public = reporter_reads(command);
    let mut effects = Effects {
        message: (note.is_some() || !posting.files.is_empty()).then(|| {
            (
                message::ActiveModel {
                    report_id: Set(report_id),
                    event_hash: Set(event.hash.clone().into()),
                    author: Set(author_of(role).into()),
                    author_account_id: Set(account),
                    agency_id: Set(posting.agency),
                    audience: Set(if public { "reporter" } else { "internal" }.into()),
                    body: Set(note.unwrap_or_default().to_string()),
                    created_at: Set(now),
                    ..Default::default()
                },
                posting.files.clone(),
            )
        }),
        notices: notify::plan(
            db,
            &r,
            t.event,
            t.state.status,
            t.state.agency,
            note.filter(|_| public),
            now,
        )
        .await?,
        search: None,
        case: None,
        co_agencies_end: None,
    };
    // A joint case that leaves its lead agency (returned, dispatched elsewhere, back to the
    // verifiers) ends every co-agency's access; a delegation stays within the lead's subtree.
    if r.agency_id.is_some()
        && t.state.agency != r.agency_id
        && !matches!(command, Command::Delegate { .. })
    {
        effects.co_agencies_end = Some(CoAgenciesEnd {
            report_id,
            reason: t.event.as_str(),
            account,
            actor_role: role.as_str(),
            at: now,
        });
    }

    // The first dispatch of a report that is not confidential makes it public, with the
    // verifier's public version or the automatic proposal (personal data masked).
    let publication =
        if t.event == EventKind::Dispatched && r.published_at.is_none() && !r.confidential {
            Some(super::transparency::publication(db, &r).await?)
        } else {
            None
        };

    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    // The first statement writes, so SQLite takes its write lock before reading anything.
    let mut update = report::Entity::update_many()
        .col_expr(report::Column::Status, Expr::value(t.state.status.as_str()))
        .col_expr(
            report::Column::Owner,
            Expr::value(t.state.owner.map(Owner::encode)),
        )
        .col_expr(report::Column::AgencyId, Expr::value(t.state.agency))
        .col_expr(
            report::Column::NeedsInvestigation,
            Expr::value(t.state.needs_investigation),
        )
        .col_expr(report::Column::Bounces, Expr::value(t.state.bounces as i32))
        .col_expr(
            report::Column::Extensions,
            Expr::value(t.state.extensions as i32),
        )
        .col_expr(
            report::Column::Disputes,
            Expr::value(t.state.disputes as i32),
        )
        .col_expr(report::Column::Reminded, Expr::value(t.state.reminded))
        .col_expr(report::Column::DueAt, Expr::value(due_at))
        .col_expr(
            report::Column::PausedDays,
            Expr::value(paused_days.map(|d| d as i32)),
        )
        .col_expr(report::Column::Rating, Expr::value(rating))
        .col_expr(report::Column::UpdatedAt, Expr::value(now))
        .col_expr(report::Column::ChainHead, Expr::value(event.hash.clone()))
        .filter(report::Column::Id.eq(report_id));
    // A report that changes hands (verifiers ↔ an agency, or another agency) leaves the
    // assignment of the hands it left.
    if hands(state.status, state.agency) != hands(t.state.status, t.state.agency) {
        update = update.col_expr(report::Column::AssignedTo, Expr::value(None::<i64>));
    }
    if new_stage {
        update = update
            .col_expr(report::Column::OverdueLevel, Expr::value(0))
            .col_expr(report::Column::DueSoonWarned, Expr::value(false));
    }
    effects.case = super::stats::plan_case(db, &r, t.event, t.state.agency, rating, now).await?;
    if let Some(p) = publication {
        update = update
            .col_expr(report::Column::PublishedAt, Expr::value(now))
            .col_expr(report::Column::PublicTitle, Expr::value(p.title))
            .col_expr(report::Column::PublicText, Expr::value(p.text));
        effects.search = Some((report_id, p.terms));
    }
    commit_guarded(txn, update, r.chain_head.as_deref(), &event, effects).await?;
    tracing::info!(
        event = t.event.as_str(),
        to = t.state.status.as_str(),
        "report moved"
    );
    Ok(t.event)
}

/// What a change writes besides the report row and its event.
#[derive(Default)]
struct Effects {
    message: Option<(message::ActiveModel, Vec<Stored>)>,
    notices: Notices,
    /// The report went public: its search terms.
    search: Option<(i64, String)>,
    /// The statistics case the step opens or changes.
    case: Option<super::stats::CaseWrite>,
    /// The case left its lead agency: the co-agencies' access ends.
    co_agencies_end: Option<CoAgenciesEnd>,
}

/// Ending the co-agencies of a joint case, with who and why.
struct CoAgenciesEnd {
    report_id: i64,
    reason: &'static str,
    account: Option<i64>,
    actor_role: &'static str,
    at: DateTime<Utc>,
}

impl CoAgenciesEnd {
    /// Moves every co-agency of the report to the history (who added it and when, when and why
    /// it ended) and audits each end, inside the change's transaction.
    async fn write<C: ConnectionTrait>(&self, txn: &C) -> Result<(), AppError> {
        use super::entities::{audit_log, report_agency, report_agency_history};
        let rows = report_agency::Entity::find()
            .filter(report_agency::Column::ReportId.eq(self.report_id))
            .all(txn)
            .await
            .map_err(conflict_or_internal)?;
        for row in rows {
            report_agency_history::ActiveModel {
                report_id: Set(row.report_id),
                agency_id: Set(row.agency_id),
                added_by: Set(row.added_by),
                added_at: Set(row.added_at),
                ended_at: Set(self.at),
                ended_by: Set(self.account),
                ended_reason: Set(self.reason.to_string()),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(conflict_or_internal)?;
            audit_log::ActiveModel {
                at: Set(self.at),
                actor_account_id: Set(self.account),
                actor_role: Set(self.actor_role.to_string()),
                action: Set("report.co_agency_ended".into()),
                subject: Set(format!("report:{}", self.report_id)),
                detail: Set(Some(format!(
                    "agency:{} reason={}",
                    row.agency_id, self.reason
                ))),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(conflict_or_internal)?;
        }
        report_agency::Entity::delete_many()
            .filter(report_agency::Column::ReportId.eq(self.report_id))
            .exec(txn)
            .await
            .map_err(conflict_or_internal)?;
        Ok(())
    }
}

/// Moves the report with `update` only if its chain head is still `head` (the one read before
/// deciding), appends `event` and the effects, and commits; `Conflict` when another writer got
/// there first.
async fn commit_guarded<T: ConnectionTrait + TransactionSession>(
    txn: T,
    update: sea_orm::UpdateMany<report::Entity>,
    head: Option<&str>,
    event: &super::audit::Chained<'_>,
    effects: Effects,
) -> Result<(), AppError> {
    let update = match head {
        Some(head) => update.filter(report::Column::ChainHead.eq(head)),
        None => update.filter(report::Column::ChainHead.is_null()),
    };
    let moved = update.exec(&txn).await.map_err(conflict_or_internal)?;
    if moved.rows_affected != 1 {
        let _ = txn.rollback().await;
        return Err(AppError::Conflict);
    }
    insert_event(&txn, event).await?;
    if let Some((message, files)) = effects.message {
        let report_id = message.report_id.clone().unwrap();
        let at = message.created_at.clone().unwrap();
        let saved = message.insert(&txn).await.map_err(conflict_or_internal)?;
        for f in &files {
            let mut row = super::files::row(report_id, f, at);
            row.message_id = Set(Some(saved.id));
            row.insert(&txn).await.map_err(conflict_or_internal)?;
        }
    }
    effects.notices.write(&txn).await?;
    if let Some(end) = &effects.co_agencies_end {
        end.write(&txn).await?;
    }
    if let Some((id, terms)) = &effects.search {
        super::transparency::index(&txn, *id, terms).await?;
    }
    if let Some(case) = effects.case {
        case.write(&txn).await.map_err(conflict_or_internal)?;
    }
    txn.commit().await.map_err(conflict_or_internal)
}

/// Whose hands a report is in, for its assignment: the verifiers' (`None`) or an agency's
/// (closed reports keep the agency that last held them).
fn hands(status: ReportStatus, agency: Option<i32>) -> Option<i32> {
    match status {
        ReportStatus::AwaitingVerification
        | ReportStatus::OnHold
        | ReportStatus::Archived
        | ReportStatus::Appealed => None,
        _ => agency,
    }
}

/// A lock or serialization failure means another writer won: a conflict, not a fault.
fn conflict_or_internal(e: sea_orm::DbErr) -> AppError {
    let text = e.to_string().to_lowercase();
    if text.contains("database is locked")
        || text.contains("busy")
        || text.contains("could not serialize")
    {
        AppError::Conflict
    } else {
        super::internal("writing a transition")(e)
    }
}

/// Working days after the deadline before an overdue stage goes up to the supervisor.
pub const ESCALATE_AFTER_DAYS: u32 = 2;
/// Working days before the reporter's deadline when the reminder goes out.
pub const REMIND_BEFORE_DAYS: i64 = 3;

/// What one job run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobRun {
    pub escalated: u32,
    pub reminded: u32,
    pub closed_unconfirmed: u32,
    pub holds_expired: u32,
    /// "Deadline is near" warnings sent.
    pub warned: u32,
    /// Work another runner did first.
    pub conflicts: u32,
}

/// Working days left (today included) at which the holder of a stage is warned.
pub const WARN_WITHIN_DAYS: i64 = 1;

/// Records the "deadline is near" warning with its audit event and notices, once per stage.
async fn warn_due_soon<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    r: &report::Model,
    status: ReportStatus,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let event = chain(
        r.chain_head.as_deref(),
        EventRecord {
            report_id: r.id,
            at: now,
            event: EventKind::DueSoon.as_str(),
            from_status: Some(&r.status),
            to_status: &r.status,
            actor_role: Role::System.as_str(),
            note: None,
            payload: None,
            actor_account: None,
        },
    );
    let effects = Effects {
        message: None,
        notices: notify::plan_due_soon(db, r, status, now).await?,
        search: None,
        case: None,
        co_agencies_end: None,
    };
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let update = report::Entity::update_many()
        .col_expr(report::Column::DueSoonWarned, Expr::value(true))
        .col_expr(report::Column::ChainHead, Expr::value(event.hash.clone()))
        .filter(report::Column::Id.eq(r.id));
    commit_guarded(txn, update, r.chain_head.as_deref(), &event, effects).await
}

/// Records an escalation (overdue level up) with its audit event, under the same optimistic lock.
async fn escalate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    r: &report::Model,
    level: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let event = chain(
        r.chain_head.as_deref(),
        EventRecord {
            report_id: r.id,
            at: now,
            event: if level == 1 {
                EventKind::MarkedOverdue.as_str()
            } else {
                EventKind::EscalatedToSupervisor.as_str()
            },
            from_status: Some(&r.status),
            to_status: &r.status,
            actor_role: Role::System.as_str(),
            note: None,
            payload: None,
            actor_account: None,
        },
    );
    let kind = if level == 1 {
        EventKind::MarkedOverdue
    } else {
        EventKind::EscalatedToSupervisor
    };
    let status = stored(ReportStatus::parse(&r.status), "status")?;
    let effects = Effects {
        message: None,
        notices: notify::plan(db, r, kind, status, r.agency_id, None, now).await?,
        search: None,
        case: super::stats::plan_case(db, r, kind, r.agency_id, None, now).await?,
        co_agencies_end: None,
    };
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let update = report::Entity::update_many()
        .col_expr(report::Column::OverdueLevel, Expr::value(level))
        .col_expr(report::Column::ChainHead, Expr::value(event.hash.clone()))
        .filter(report::Column::Id.eq(r.id));
    commit_guarded(txn, update, r.chain_head.as_deref(), &event, effects).await?;
    Ok(())
}

/// One pass of the scheduled work at `now` (injectable, so tests move the clock). Safe to run on
/// several instances at once: each change is taken by exactly one runner.
pub async fn run_jobs<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<JobRun, AppError> {
    const BATCH: u64 = 500;
    let mut run = JobRun::default();
    // Reports with a deadline past or near (the reminder looks a few working days ahead; three
    // weeks covers the longest holiday stretch), in keyset pages by id.
    let horizon = now + Duration::days(21);
    let mut after = 0i64;
    let count =
        |r: Result<(), AppError>, done: &mut u32, conflicts: &mut u32| -> Result<(), AppError> {
            match r {
                Ok(()) => {
                    *done += 1;
                    Ok(())
                }
                Err(AppError::Conflict) | Err(AppError::Refused(_)) => {
                    *conflicts += 1;
                    Ok(())
                }
                Err(e) => Err(e),
            }
        };
    loop {
        let page = report::Entity::find()
            .filter(report::Column::DueAt.is_not_null())
            .filter(report::Column::DueAt.lte(horizon))
            .filter(report::Column::Id.gt(after))
            .order_by_asc(report::Column::Id)
            .limit(BATCH)
            .all(db)
            .await
            .map_err(internal("loading reports with deadlines"))?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for r in page {
            let Some(due) = r.due_at else { continue };
            let tz = r.utc_offset_minutes;
            let status = stored(ReportStatus::parse(&r.status), "status")?;
            let overdue = now >= due;
            match status {
                ReportStatus::OnHold if overdue => {
                    let res = transition(db, r.id, &Command::ExpireHold, Role::System, None, now)
                        .await
                        .map(|_| ());
                    count(res, &mut run.holds_expired, &mut run.conflicts)?;
                }
                ReportStatus::AwaitingReporter if overdue && r.reminded => {
                    let res = transition(
                        db,
                        r.id,
                        &Command::CloseUnconfirmed,
                        Role::System,
                        None,
                        now,
                    )
                    .await
                    .map(|_| ());
                    count(res, &mut run.closed_unconfirmed, &mut run.conflicts)?;
                }
                ReportStatus::AwaitingReporter if !r.reminded => {
                    let left = working_days_between(
                        local_date(now, tz),
                        local_date(due - Duration::seconds(1), tz),
                    );
                    if overdue || left <= REMIND_BEFORE_DAYS {
                        let res =
                            transition(db, r.id, &Command::RemindReporter, Role::System, None, now)
                                .await
                                .map(|_| ());
                        count(res, &mut run.reminded, &mut run.conflicts)?;
                    }
                }
                ReportStatus::AwaitingVerification
                | ReportStatus::Dispatched
                | ReportStatus::InProcess
                | ReportStatus::Appealed
                    if !overdue && !r.due_soon_warned =>
                {
                    let left = working_days_between(
                        local_date(now, tz),
                        local_date(due - Duration::seconds(1), tz),
                    );
                    if left <= WARN_WITHIN_DAYS {
                        let res = warn_due_soon(db, &r, status, now).await;
                        count(res, &mut run.warned, &mut run.conflicts)?;
                    }
                }
                _ if overdue => {
                    let escalate_at = end_of_day(
                        add_working_days(
                            local_date(due - Duration::seconds(1), tz),
                            ESCALATE_AFTER_DAYS,
                        ),
                        tz,
                    );
                    let level = if now >= escalate_at { 2 } else { 1 };
                    if r.overdue_level < level {
                        let res = escalate(db, &r, level, now).await;
                        count(res, &mut run.escalated, &mut run.conflicts)?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(run)
}
