//! Retention: personal data is erased when its period ends (`docs/privacy.md`).
//!
//! - Reporter contacts (name, email, phone) of reports closed longer than `contacts_days`.
//! - Attachment files of reports closed longer than `attachments_days`: the file is deleted, its
//!   record stays (name, type, size, SHA-256: what was received) marked `erased_at`.
//! - Sent and given-up emails older than `emails_days` (waiting ones stay).
//! - The free texts of report events (a note, the command's data) of reports closed longer than
//!   `event_texts_days`: erased in place, the event stays (what happened, when, by which role);
//!   only events of format `v3`, whose hash covers the texts' digest, so the chain still
//!   verifies (`audit`). Older events hash their texts and keep them.
//! - Idempotency keys older than `IDEMPOTENCY_DAYS`.
//!
//! A report is closed when nobody holds it any more (archived, resolved, closed unconfirmed);
//! its period runs from its last change. No erasure breaks a hash chain: contacts and files are
//! not in the chains, and event texts are chained by their digest. Each pass takes at
//! most `BATCH` rows of each kind (short transactions; a backlog drains pass after pass), and
//! several instances may run it at once (each row is erased by whichever gets it first; each
//! counts only what it erased). Every pass that erased something writes one audit entry per kind
//! with the count, naming nobody.

use super::entities::{
    attachment, audit_log, idempotent_request, outbox, report, report_event, reporter_contact,
};
use super::files::Files;
use super::internal;
use crate::domain::{AppError, ReportStatus};
use chrono::{DateTime, Duration, Utc};
use object_store::path::Path as ObjectPath;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// How long each kind of personal data is kept, in days (`0`: kept for ever).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Reporter contacts, from the last change of a closed report.
    pub contacts_days: u32,
    /// Attachment files, from the last change of a closed report.
    pub attachments_days: u32,
    /// Sent and given-up emails, from when they were written.
    pub emails_days: u32,
    /// The free texts of report events (notes, command data), from the last change of a
    /// closed report.
    pub event_texts_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            contacts_days: 730,
            attachments_days: 1825,
            emails_days: 90,
            event_texts_days: 3650,
        }
    }
}

/// Idempotency keys only need to outlive a client's retries.
pub const IDEMPOTENCY_DAYS: i64 = 7;

/// Rows of each kind erased per pass at most.
pub const BATCH: u64 = 500;

/// The statuses of a closed report (nobody holds it).
pub const CLOSED: [ReportStatus; 3] = [
    ReportStatus::Archived,
    ReportStatus::Resolved,
    ReportStatus::ClosedUnconfirmed,
];

/// What one pass erased.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub contacts: u64,
    pub attachments: u64,
    pub emails: u64,
    pub idempotency_keys: u64,
    /// Report events whose texts were erased.
    pub event_texts: u64,
}

/// One retention pass at `now`.
pub async fn run<C: ConnectionTrait>(
    db: &C,
    files: &Files,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Erased, AppError> {
    let mut out = Erased::default();
    if policy.contacts_days > 0 {
        let ids = closed_before(
            db,
            now - Duration::days(policy.contacts_days.into()),
            Kind::Contacts,
        )
        .await?;
        if !ids.is_empty() {
            out.contacts = reporter_contact::Entity::delete_many()
                .filter(reporter_contact::Column::ReportId.is_in(ids))
                .exec(db)
                .await
                .map_err(internal("erasing reporter contacts"))?
                .rows_affected;
        }
    }
    if policy.attachments_days > 0 {
        let reports = closed_before(
            db,
            now - Duration::days(policy.attachments_days.into()),
            Kind::Attachments,
        )
        .await?;
        if !reports.is_empty() {
            let due = attachment::Entity::find()
                .filter(attachment::Column::ReportId.is_in(reports))
                .filter(attachment::Column::ErasedAt.is_null())
                .order_by_asc(attachment::Column::Id)
                .limit(BATCH)
                .all(db)
                .await
                .map_err(internal("loading attachments past retention"))?;
            for a in due {
                // Marked first, under a guard: of several instances, one erases the file.
                let took = attachment::Entity::update_many()
                    .col_expr(attachment::Column::ErasedAt, Expr::value(now))
                    .filter(attachment::Column::Id.eq(a.id))
                    .filter(attachment::Column::ErasedAt.is_null())
                    .exec(db)
                    .await
                    .map_err(internal("marking an attachment erased"))?
                    .rows_affected;
                if took == 0 {
                    continue;
                }
                match files
                    .store
                    .delete(&ObjectPath::from(a.object_key.as_str()))
                    .await
                {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => out.attachments += 1,
                    Err(e) => {
                        // The file could not be deleted now: unmark it, the next pass retries.
                        tracing::error!(error = %e, attachment = a.id, "erasing an attachment file failed");
                        attachment::Entity::update_many()
                            .col_expr(
                                attachment::Column::ErasedAt,
                                Expr::value(Option::<DateTime<Utc>>::None),
                            )
                            .filter(attachment::Column::Id.eq(a.id))
                            .exec(db)
                            .await
                            .map_err(internal("unmarking an attachment"))?;
                    }
                }
            }
        }
    }
    if policy.event_texts_days > 0 {
        let ids = closed_before(
            db,
            now - Duration::days(policy.event_texts_days.into()),
            Kind::EventTexts,
        )
        .await?;
        if !ids.is_empty() {
            out.event_texts = report_event::Entity::update_many()
                .col_expr(
                    report_event::Column::Note,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(
                    report_event::Column::Payload,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(report_event::Column::ErasedAt, Expr::value(now))
                .filter(report_event::Column::ReportId.is_in(ids))
                .filter(erasable_event_texts())
                .exec(db)
                .await
                .map_err(internal("erasing report event texts"))?
                .rows_affected;
        }
    }
    if policy.emails_days > 0 {
        let ids: Vec<i64> = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Id)
            .filter(outbox::Column::Status.is_in(["sent", "dead"]))
            .filter(outbox::Column::CreatedAt.lt(now - Duration::days(policy.emails_days.into())))
            .order_by_asc(outbox::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await
            .map_err(internal("loading old emails"))?;
        if !ids.is_empty() {
            out.emails = outbox::Entity::delete_many()
                .filter(outbox::Column::Id.is_in(ids))
                .exec(db)
                .await
                .map_err(internal("erasing old emails"))?
                .rows_affected;
        }
    }
    let keys: Vec<String> = idempotent_request::Entity::find()
        .select_only()
        .column(idempotent_request::Column::KeyHash)
        .filter(idempotent_request::Column::CreatedAt.lt(now - Duration::days(IDEMPOTENCY_DAYS)))
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading old idempotency keys"))?;
    if !keys.is_empty() {
        out.idempotency_keys = idempotent_request::Entity::delete_many()
            .filter(idempotent_request::Column::KeyHash.is_in(keys))
            .exec(db)
            .await
            .map_err(internal("erasing old idempotency keys"))?
            .rows_affected;
    }
    for (action, n) in [
        ("retention.contacts_erased", out.contacts),
        ("retention.attachments_erased", out.attachments),
        ("retention.emails_erased", out.emails),
        ("retention.event_texts_erased", out.event_texts),
    ] {
        if n > 0 {
            audit_log::ActiveModel {
                at: Set(now),
                actor_account_id: Set(None),
                actor_role: Set("system".into()),
                action: Set(action.into()),
                subject: Set("retention".into()),
                detail: Set(Some(format!("count={n}"))),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(internal("writing the audit log"))?;
        }
    }
    Ok(out)
}

enum Kind {
    Contacts,
    Attachments,
    EventTexts,
}

/// Events of format `v3` with a text not yet erased.
fn erasable_event_texts() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(report_event::Column::ContentDigest.is_not_null())
        .add(report_event::Column::ErasedAt.is_null())
        .add(
            sea_orm::Condition::any()
                .add(report_event::Column::Note.is_not_null())
                .add(report_event::Column::Payload.is_not_null()),
        )
}

/// Closed reports last changed before `cutoff` that still have what `kind` erases (at most
/// `BATCH`).
async fn closed_before<C: ConnectionTrait>(
    db: &C,
    cutoff: DateTime<Utc>,
    kind: Kind,
) -> Result<Vec<i64>, AppError> {
    let q = report::Entity::find()
        .select_only()
        .column(report::Column::Id)
        .filter(report::Column::Status.is_in(CLOSED.iter().map(|s| s.as_str())))
        .filter(report::Column::UpdatedAt.lt(cutoff));
    let q = match kind {
        Kind::Contacts => q.filter(
            report::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(reporter_contact::Column::ReportId)
                    .from(reporter_contact::Entity)
                    .to_owned(),
            ),
        ),
        Kind::Attachments => q.filter(
            report::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(attachment::Column::ReportId)
                    .from(attachment::Entity)
                    .and_where(attachment::Column::ErasedAt.is_null())
                    .to_owned(),
            ),
        ),
        Kind::EventTexts => q.filter(
            report::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(report_event::Column::ReportId)
                    .from(report_event::Entity)
                    .cond_where(erasable_event_texts())
                    .to_owned(),
            ),
        ),
    };
    q.order_by_asc(report::Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("finding reports past retention"))
}
