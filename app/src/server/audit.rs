//! The tamper-evident audit trail: report events hash-chained per report.
//!
//! `hash = SHA-256(prev_hash ‖ 0x0A ‖ canonical(event))`, hex; the first event of a report has
//! an empty `prev_hash`. The canonical encoding is a versioned, unit-separated list of the
//! event's fields with the time in microseconds (the precision both databases keep). The report
//! row keeps the newest hash (`chain_head`), so deleting the last events is detected as well.
//!
//! Since format `v3` (every event written now) the free texts, note and payload, enter the hash
//! as their SHA-256 (`content_digest`, stored beside them), not as themselves: the retention job
//! can erase the texts of an old case (`erased_at`) and its chain still verifies, while a text
//! changed in place no longer matches its digest. Events of formats `v1` and `v2` (written
//! before) hash their texts directly and are never erased.

use super::entities::{report, report_event};
use super::internal;
use crate::domain::AppError;
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

/// The fields of an event that the hash covers.
#[derive(Clone, Debug)]
pub struct EventRecord<'a> {
    pub report_id: i64,
    pub at: DateTime<Utc>,
    pub event: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub actor_role: &'a str,
    pub note: Option<&'a str>,
    /// The command's data as JSON; hashed only when present, so older events keep their hashes.
    pub payload: Option<&'a str>,
    /// The acting account; hashed (format `v2`) only when present, so older events keep theirs.
    pub actor_account: Option<i64>,
}

impl<'a> EventRecord<'a> {
    /// The hashed fields of a stored event.
    pub fn of(e: &'a report_event::Model) -> Self {
        EventRecord {
            report_id: e.report_id,
            at: e.at,
            event: &e.event,
            from_status: e.from_status.as_deref(),
            to_status: &e.to_status,
            actor_role: &e.actor_role,
            note: e.note.as_deref(),
            payload: e.payload.as_deref(),
            actor_account: e.actor_account_id,
        }
    }
}

/// Event times are stored at microsecond precision so that they hash the same after a round trip
/// through either database.
pub fn event_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The report id and the event time (microseconds, UTC) as every format writes them.
fn id_and_time(e: &EventRecord<'_>) -> (String, String) {
    (
        e.report_id.to_string(),
        event_time(e.at)
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
    )
}

fn canonical(e: &EventRecord<'_>) -> String {
    let (id, at) = id_and_time(e);
    let mut fields: Vec<&str> = vec![
        "v1",
        &id,
        &at,
        e.event,
        e.from_status.unwrap_or(""),
        e.to_status,
        e.actor_role,
        e.note.unwrap_or(""),
    ];
    let actor = e.actor_account.map(|a| a.to_string());
    match &actor {
        Some(actor) => {
            fields[0] = "v2";
            fields.push(e.payload.unwrap_or(""));
            fields.push(actor);
        }
        None => {
            if let Some(p) = e.payload {
                fields.push(p);
            }
        }
    }
    fields.join("\u{1f}")
}

/// The SHA-256 (hex) of an event's free texts, as format `v3` hashes them: each present or
/// absent, so "no note" and "an empty note" differ.
pub fn content_digest(note: Option<&str>, payload: Option<&str>) -> String {
    let mut h = Sha256::new();
    for part in [note, payload] {
        match part {
            None => h.update(b"-"),
            Some(text) => {
                h.update(b"+");
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
        }
    }
    hex::encode(h.finalize())
}

/// Format `v3`: the fields without the texts, then the texts' digest.
fn canonical_v3(e: &EventRecord<'_>, digest: &str) -> String {
    let (id, at) = id_and_time(e);
    let actor = e.actor_account.map(|a| a.to_string()).unwrap_or_default();
    [
        "v3",
        &id,
        &at,
        e.event,
        e.from_status.unwrap_or(""),
        e.to_status,
        e.actor_role,
        digest,
        &actor,
    ]
    .join("\u{1f}")
}

fn link(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// The hash of a format `v1`/`v2` event following `prev` (empty for the first event).
pub fn event_hash(prev: &str, e: &EventRecord<'_>) -> String {
    link(prev, &canonical(e))
}

/// The hash of a format `v3` event whose texts have `digest`.
pub fn event_hash_v3(prev: &str, e: &EventRecord<'_>, digest: &str) -> String {
    link(prev, &canonical_v3(e, digest))
}

/// An event with its place in the chain, ready to insert.
#[derive(Clone, Debug)]
pub struct Chained<'a> {
    pub record: EventRecord<'a>,
    pub prev: Option<String>,
    pub hash: String,
    /// The texts' digest (format `v3`).
    pub digest: String,
}

/// Puts `record` after `prev` (the report's current chain head, `None` for a new report).
pub fn chain<'a>(prev: Option<&str>, record: EventRecord<'a>) -> Chained<'a> {
    let record = EventRecord {
        at: event_time(record.at),
        ..record
    };
    let digest = content_digest(record.note, record.payload);
    let hash = event_hash_v3(prev.unwrap_or(""), &record, &digest);
    Chained {
        record,
        prev: prev.map(str::to_string),
        hash,
        digest,
    }
}

/// Inserts a chained event (the caller moves the report's chain head in the same transaction).
pub async fn insert_event<C: ConnectionTrait>(db: &C, e: &Chained<'_>) -> Result<(), AppError> {
    report_event::ActiveModel {
        report_id: Set(e.record.report_id),
        at: Set(e.record.at),
        event: Set(e.record.event.to_string()),
        from_status: Set(e.record.from_status.map(str::to_string)),
        to_status: Set(e.record.to_status.to_string()),
        actor_role: Set(e.record.actor_role.to_string()),
        note: Set(e.record.note.map(str::to_string)),
        payload: Set(e.record.payload.map(str::to_string)),
        actor_account_id: Set(e.record.actor_account),
        prev_hash: Set(e.prev.clone()),
        hash: Set(Some(e.hash.clone())),
        content_digest: Set(Some(e.digest.clone())),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("inserting report event"))?;
    Ok(())
}

/// Appends the first event of a new report and sets its chain head, inside the caller's
/// transaction.
pub async fn append_first_event<C: ConnectionTrait>(
    db: &C,
    record: EventRecord<'_>,
) -> Result<String, AppError> {
    let e = chain(None, record);
    insert_event(db, &e).await?;
    report::Entity::update_many()
        .col_expr(
            report::Column::ChainHead,
            sea_orm::sea_query::Expr::value(e.hash.clone()),
        )
        .filter(report::Column::Id.eq(e.record.report_id))
        .exec(db)
        .await
        .map_err(internal("setting the chain head"))?;
    Ok(e.hash)
}

/// The first broken link found by `verify_all`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("report {reference} (id {report_id}){}: {reason}", event_id.map(|e| format!(", event {e}")).unwrap_or_default())]
pub struct ChainBreak {
    pub report_id: i64,
    pub reference: String,
    pub event_id: Option<i64>,
    pub reason: &'static str,
}

/// What `verify_all` checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verified {
    pub reports: u64,
    pub events: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("audit chain broken: {0}")]
    Broken(ChainBreak),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

/// Checks every report's chain: links, hashes, the head, and that the report's status is where
/// its last event left it. Reads reports in pages and their events in one query per page.
pub async fn verify_all<C: ConnectionTrait>(db: &C) -> Result<Verified, VerifyError> {
    const PAGE: u64 = 500;
    let mut done = Verified::default();
    let mut after = 0i64;
    loop {
        let reports = report::Entity::find()
            .filter(report::Column::Id.gt(after))
            .order_by_asc(report::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = reports.last() else { break };
        after = last.id;
        let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
        let events = report_event::Entity::find()
            .filter(report_event::Column::ReportId.is_in(ids))
            .order_by_asc(report_event::Column::ReportId)
            .order_by_asc(report_event::Column::Id)
            .all(db)
            .await?;
        let mut events = events.into_iter().peekable();
        for r in &reports {
            let brk = |event_id: Option<i64>, reason: &'static str| {
                VerifyError::Broken(ChainBreak {
                    report_id: r.id,
                    reference: r.reference.clone(),
                    event_id,
                    reason,
                })
            };
            let mut mine = Vec::new();
            while let Some(e) = events.next_if(|e| e.report_id == r.id) {
                mine.push(e);
            }
            let prev = check_chain(&mine).map_err(|(id, reason)| brk(Some(id), reason))?;
            let last_status = mine.last().map(|e| e.to_status.clone());
            done.events += mine.len() as u64;
            if prev.is_none() {
                return Err(brk(None, "report has no events"));
            }
            if r.chain_head != prev {
                return Err(brk(
                    None,
                    "newest event does not match the report's chain head",
                ));
            }
            if last_status.as_deref() != Some(r.status.as_str()) {
                return Err(brk(None, "report status differs from its last event"));
            }
            done.reports += 1;
        }
    }
    Ok(done)
}

/// Checks one report's events, oldest first: each links to its predecessor's hash and matches
/// its own. Returns the newest hash, or the id of the first bad event and why.
pub fn check_chain(events: &[report_event::Model]) -> Result<Option<String>, (i64, &'static str)> {
    let mut prev: Option<String> = None;
    for e in events {
        if e.prev_hash != prev {
            return Err((e.id, "link to the previous event does not match"));
        }
        let record = EventRecord::of(e);
        let expected = match &e.content_digest {
            None => event_hash(prev.as_deref().unwrap_or(""), &record),
            Some(digest) => {
                if e.erased_at.is_none() {
                    if content_digest(e.note.as_deref(), e.payload.as_deref()) != *digest {
                        return Err((e.id, "event text does not match its digest"));
                    }
                } else if e.note.is_some() || e.payload.is_some() {
                    return Err((e.id, "an erased event still holds text"));
                }
                event_hash_v3(prev.as_deref().unwrap_or(""), &record, digest)
            }
        };
        if e.hash.as_deref() != Some(expected.as_str()) {
            return Err((e.id, "event content does not match its hash"));
        }
        prev = Some(expected);
    }
    Ok(prev)
}

/// Gives hashes to events written before the chain existed (oldest first, per report). Runs at
/// start-up after the migrations; a no-op once every event has a hash.
pub async fn backfill<C: ConnectionTrait>(db: &C) -> Result<u64, sea_orm::DbErr> {
    let pending = report_event::Entity::find()
        .filter(report_event::Column::Hash.is_null())
        .order_by_asc(report_event::Column::ReportId)
        .order_by_asc(report_event::Column::Id)
        .all(db)
        .await?;
    let mut n = 0;
    let mut prev: Option<(i64, String)> = None;
    for e in pending {
        let prev_hash = match &prev {
            Some((rid, h)) if *rid == e.report_id => Some(h.clone()),
            _ => None,
        };
        let record = EventRecord::of(&e);
        let hash = match &e.content_digest {
            None => event_hash(prev_hash.as_deref().unwrap_or(""), &record),
            Some(d) => event_hash_v3(prev_hash.as_deref().unwrap_or(""), &record, d),
        };
        let report_id = e.report_id;
        let mut am: report_event::ActiveModel = e.into();
        am.prev_hash = Set(prev_hash);
        am.hash = Set(Some(hash.clone()));
        am.update(db).await?;
        report::Entity::update_many()
            .col_expr(
                report::Column::ChainHead,
                sea_orm::sea_query::Expr::value(hash.clone()),
            )
            .filter(report::Column::Id.eq(report_id))
            .exec(db)
            .await?;
        prev = Some((report_id, hash));
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn stored_chain(
        notes: &[Option<String>],
        statuses: &[&'static str],
    ) -> Vec<report_event::Model> {
        let mut prev: Option<String> = None;
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        notes
            .iter()
            .enumerate()
            .map(|(i, note)| {
                let c = chain(
                    prev.as_deref(),
                    EventRecord {
                        report_id: 1,
                        at: t0 + chrono::Duration::microseconds(i as i64 * 1_000_003),
                        event: "followed_up",
                        from_status: Some(statuses[i % statuses.len()]),
                        to_status: statuses[(i + 1) % statuses.len()],
                        actor_role: "agency_officer",
                        note: note.as_deref(),
                        payload: None,
                        actor_account: None,
                    },
                );
                prev = Some(c.hash.clone());
                report_event::Model {
                    id: i as i64 + 1,
                    report_id: 1,
                    at: c.record.at,
                    event: c.record.event.to_string(),
                    from_status: c.record.from_status.map(str::to_string),
                    to_status: c.record.to_status.to_string(),
                    actor_role: c.record.actor_role.to_string(),
                    note: c.record.note.map(str::to_string),
                    payload: c.record.payload.map(str::to_string),
                    actor_account_id: c.record.actor_account,
                    prev_hash: c.prev,
                    hash: Some(c.hash),
                    content_digest: Some(c.digest),
                    erased_at: None,
                }
            })
            .collect()
    }

    proptest! {
        /// A chain built by `chain` verifies; changing any field of any one event is caught at
        /// that event.
        #[test]
        fn chains_verify_and_any_edit_is_caught(
            notes in proptest::collection::vec(proptest::option::of("\\PC{0,20}"), 1..12),
            victim in any::<prop::sample::Index>(),
            field in 0usize..6,
        ) {
            let statuses = ["awaiting_verification", "dispatched", "in_process"];
            let mut events = stored_chain(&notes, &statuses);
            prop_assert_eq!(check_chain(&events).unwrap(), events.last().unwrap().hash.clone());
            let i = victim.index(events.len());
            let e = &mut events[i];
            match field {
                0 => e.note = Some(format!("{}!", e.note.clone().unwrap_or_default())),
                1 => e.event = "confirmed".into(),
                2 => e.to_status = "resolved".into(),
                3 => e.actor_role = "verifier".into(),
                4 => e.at += chrono::Duration::seconds(1),
                _ => e.prev_hash = Some("0".repeat(64)),
            }
            let id = e.id;
            prop_assert_eq!(check_chain(&events).map_err(|(bad, _)| bad), Err(id));
        }
    }

    fn rec(note: Option<&str>) -> EventRecord<'_> {
        EventRecord {
            report_id: 7,
            at: Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap()
                + chrono::Duration::nanoseconds(123_456_789),
            event: "submitted",
            from_status: None,
            to_status: "awaiting_verification",
            actor_role: "reporter",
            note,
            payload: None,
            actor_account: None,
        }
    }

    #[test]
    fn an_erased_event_still_verifies_and_its_fields_stay_guarded() {
        let statuses = ["awaiting_verification", "dispatched"];
        let notes = [
            None,
            Some("Pak Budi di RT 3 tahu lokasinya".to_string()),
            None,
        ];
        let mut events = stored_chain(&notes, &statuses);
        let head = check_chain(&events).unwrap();
        // Erased as the retention job does: the texts go, the digest and the hash stay.
        events[1].note = None;
        events[1].payload = None;
        events[1].erased_at = Some(Utc::now());
        assert_eq!(check_chain(&events).unwrap(), head);
        // The same texts gone without the erasure mark: the digest no longer matches.
        events[1].erased_at = None;
        assert_eq!(check_chain(&events).unwrap_err().0, 2);
        events[1].erased_at = Some(Utc::now());
        // A text put back into an erased event, or a field changed, is caught.
        events[1].note = Some("lain".into());
        assert_eq!(check_chain(&events).unwrap_err().0, 2);
        events[1].note = None;
        events[1].to_status = "resolved".into();
        assert_eq!(check_chain(&events).unwrap_err().0, 2);
        events[1].to_status = statuses[0].into();
        events[1].content_digest = Some(content_digest(None, None));
        assert_eq!(check_chain(&events).unwrap_err().0, 2);
    }

    #[test]
    fn the_digest_tells_absent_from_empty_and_note_from_payload() {
        let d = |n, p| content_digest(n, p);
        assert_ne!(d(None, None), d(Some(""), None));
        assert_ne!(d(Some("a"), None), d(None, Some("a")));
        assert_ne!(d(Some("ab"), Some("")), d(Some("a"), Some("b")));
        assert_eq!(d(Some("x"), None), d(Some("x"), None));
    }

    #[test]
    fn hashes_depend_on_every_field_and_on_the_chain() {
        let a = event_hash("", &rec(None));
        assert_eq!(a.len(), 64);
        assert_eq!(a, event_hash("", &rec(None)));
        assert_ne!(a, event_hash("", &rec(Some("x"))));
        assert_ne!(a, event_hash("00", &rec(None)));
        // Sub-microsecond differences are not stored, so they must not count.
        let mut r = rec(None);
        r.at += chrono::Duration::nanoseconds(100);
        assert_eq!(a, event_hash("", &r));
    }
}

// ---------------------------------------------------------------------------------------------
// The audit log's own chain (identity reveals, role changes, moderation, priority…).
//
// Entries are written by many code paths, inside their own transactions; they are chained after
// the fact, in commit order, by `seal_log` (run by the job loop every minute, and by `aduan audit
// head`): each unsealed entry, oldest id first, gets the next `seq` and
// `chain_hash = SHA-256(previous chain hash ‖ "\n" ‖ canonical entry)`, and `audit_log_head`
// moves under an optimistic guard (several instances: one seals, the others find nothing).
// `verify_log` recomputes the whole chain; a deleted, changed or inserted entry breaks it, and a
// rewrite of the whole chain shows against a head published earlier.

use super::entities::{audit_log, audit_log_head};

fn log_canonical(e: &audit_log::Model) -> String {
    [
        "a1".to_string(),
        e.id.to_string(),
        event_time(e.at)
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
        e.actor_account_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        e.actor_role.clone(),
        e.action.clone(),
        e.subject.clone(),
        e.detail.clone().unwrap_or_default(),
    ]
    .join("\u{1f}")
}

/// The chain hash of entry `e` after `prev`.
pub fn log_hash(prev: &str, e: &audit_log::Model) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(log_canonical(e).as_bytes());
    hex::encode(h.finalize())
}

/// The newest sealed place and hash.
pub async fn log_head<C: ConnectionTrait>(db: &C) -> Result<(i64, String), sea_orm::DbErr> {
    Ok(audit_log_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .map(|h| (h.seq, h.hash))
        .unwrap_or((0, String::new())))
}

/// Seals the entries written since the last pass (at most 5000 per call). Returns how many.
pub async fn seal_log<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::TransactionSession;
    let txn = db.begin().await?;
    let (seq0, hash0) = log_head(&txn).await?;
    let pending = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.is_null())
        .order_by_asc(audit_log::Column::Id)
        .limit(5000)
        .all(&txn)
        .await?;
    if pending.is_empty() {
        txn.rollback().await?;
        return Ok(0);
    }
    // Take the head first: another sealer that read the same head finds it moved.
    let (mut seq, mut hash) = (seq0, hash0.clone());
    let mut rows = Vec::with_capacity(pending.len());
    for e in pending {
        seq += 1;
        hash = log_hash(&hash, &e);
        rows.push((e.id, seq, hash.clone()));
    }
    let moved = audit_log_head::Entity::update_many()
        .col_expr(
            audit_log_head::Column::Seq,
            sea_orm::sea_query::Expr::value(seq),
        )
        .col_expr(
            audit_log_head::Column::Hash,
            sea_orm::sea_query::Expr::value(hash.clone()),
        )
        .filter(audit_log_head::Column::Id.eq(1))
        .filter(audit_log_head::Column::Seq.eq(seq0))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(0);
    }
    let n = rows.len() as u64;
    for (id, seq, hash) in rows {
        audit_log::ActiveModel {
            id: Set(id),
            seq: Set(Some(seq)),
            chain_hash: Set(Some(hash)),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}

/// What `verify_log` checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogVerified {
    pub sealed: u64,
    /// Written but not sealed yet (sealed within a minute by the job loop).
    pub unsealed: u64,
    pub head: String,
}

/// Recomputes the audit log's chain from the first entry: `Err` names the first entry (by
/// place) that does not follow.
pub async fn verify_log<C: ConnectionTrait>(db: &C) -> Result<LogVerified, VerifyError> {
    let brk = |seq: i64, reason: &'static str| {
        VerifyError::Broken(ChainBreak {
            report_id: 0,
            reference: format!("audit log entry #{seq}"),
            event_id: None,
            reason,
        })
    };
    let mut done = LogVerified::default();
    let mut prev = String::new();
    let mut expect = 1i64;
    let mut after = 0i64;
    loop {
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(after + 1))
            .order_by_asc(audit_log::Column::Seq)
            .limit(1000)
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq.unwrap_or(after + 1);
        for e in &page {
            let seq = e.seq.unwrap_or(0);
            if seq != expect {
                return Err(brk(expect, "an entry is missing from the audit log"));
            }
            let h = log_hash(&prev, e);
            if e.chain_hash.as_deref() != Some(h.as_str()) {
                return Err(brk(seq, "audit log entry does not match its chain hash"));
            }
            prev = h;
            expect += 1;
            done.sealed += 1;
        }
    }
    let (head_seq, head_hash) = log_head(db).await?;
    if head_seq != done.sealed as i64 || head_hash != prev {
        return Err(brk(
            head_seq,
            "the audit log head does not match its newest entry",
        ));
    }
    done.unsealed = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.is_null())
        .count(db)
        .await?;
    done.head = prev;
    Ok(done)
}

/// One digest of every report chain's head (SHA-256 over `id:head` lines in id order), to
/// publish beside the audit log's head: any later change to any report's chain changes it.
pub async fn newest_report_heads<C: ConnectionTrait>(db: &C) -> Result<String, sea_orm::DbErr> {
    let mut h = Sha256::new();
    let mut after = 0i64;
    let mut n = 0u64;
    loop {
        let page: Vec<(i64, Option<String>)> = report::Entity::find()
            .select_only()
            .column(report::Column::Id)
            .column(report::Column::ChainHead)
            .filter(report::Column::Id.gt(after))
            .order_by_asc(report::Column::Id)
            .limit(5000)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.0;
        for (id, head) in page {
            h.update(format!("{id}:{}\n", head.unwrap_or_default()).as_bytes());
            n += 1;
        }
    }
    Ok(format!("{n} reports, digest {}", hex::encode(h.finalize())))
}
