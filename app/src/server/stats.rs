//! Statistics: the case facts kept with every lifecycle step (`plan_case`), and the counts the
//! statistics pages, the ranking, the charts and the CSV exports are made of. The public counts
//! leave confidential cases out; the oversight counts (supervisors, scoped to their subtree)
//! include them. Shares, the median and the index are computed by `domain::stats`.

use super::entities::{agency, report, report_case};
use super::internal;
use crate::domain::access::{subtree, AccountRole, Actor};
use crate::domain::calendar::{local_date, working_days_between};
use crate::domain::stats::{month_key, month_text, parse_month, Counts, FIRST_FOLLOW_UP_DAYS};
use crate::domain::views::{
    AgencyRef, AgencyStats, LabelCount, MonthStats, OverdueRow, StatsFilter, StatsPage,
};
use crate::domain::{AppError, EventKind, Field, FieldError, FieldErrors, ReportStatus};
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use std::collections::{BTreeMap, HashMap};

/// The change a lifecycle step makes to the report's case (the case before, if any, and after),
/// written in its transaction with the monthly aggregates it moves.
pub(crate) struct CaseWrite {
    before: Option<report_case::Model>,
    after: report_case::Model,
}

impl CaseWrite {
    pub(crate) async fn write<C: ConnectionTrait>(self, db: &C) -> Result<(), sea_orm::DbErr> {
        let mut am: report_case::ActiveModel = self.after.clone().into();
        match &self.before {
            None => {
                am.id = sea_orm::ActiveValue::NotSet;
                am.insert(db).await?;
            }
            Some(_) => {
                am = am.reset_all();
                am.update(db).await?;
            }
        }
        if let Some(b) = &self.before {
            apply(db, b, -1).await?;
        }
        apply(db, &self.after, 1).await
    }
}

/// The monthly aggregates one case contributes to (`sign` 1 to add it, -1 to take it out).
async fn apply<C: ConnectionTrait>(
    db: &C,
    c: &report_case::Model,
    sign: i64,
) -> Result<(), sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let flag = |b: bool| sign * i64::from(b);
    let key: [sea_orm::Value; 3] = [c.agency_id.into(), c.month.into(), c.confidential.into()];
    let counts = [
        sign,
        flag(c.delegated),
        flag(c.bounced),
        flag(
            c.first_follow_up_days
                .is_some_and(|d| d <= FIRST_FOLLOW_UP_DAYS),
        ),
        flag(c.first_follow_up_at.is_some()),
        flag(c.completed_at.is_some()),
        flag(c.completed_on_time == Some(true)),
        flag(c.outcome.as_deref() == Some("confirmed")),
        flag(c.outcome.as_deref() == Some("closed_unconfirmed")),
        sign * i64::from(c.rating.unwrap_or(0)),
        flag(c.rating.is_some()),
        flag(c.first_follow_up_at.is_some() || (c.fu_lapsed && !c.bounced)),
        flag(c.completed_at.is_some() || (c.done_lapsed && !c.bounced)),
    ];
    let cols = AGG_COLUMNS.join(", ");
    let set = AGG_COLUMNS
        .iter()
        .map(|c| format!("{c} = stat_months.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut values: Vec<sea_orm::Value> = key.to_vec();
    values.extend(counts.iter().map(|v| sea_orm::Value::from(*v)));
    let sql = format!(
        "INSERT INTO stat_months (agency_id, month, confidential, {cols}) VALUES ({}) \
         ON CONFLICT (agency_id, month, confidential) DO UPDATE SET {set}",
        params(backend, values.len())
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    if let Some(d) = c.first_follow_up_days {
        let mut values: Vec<sea_orm::Value> = key.to_vec();
        values.push(d.into());
        values.push(sign.into());
        let sql = format!(
            "INSERT INTO stat_days (agency_id, month, confidential, days, n) VALUES ({}) \
             ON CONFLICT (agency_id, month, confidential, days) DO UPDATE SET n = stat_days.n + excluded.n",
            params(backend, 5)
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    for (dim, k) in [
        (
            "c",
            c.category_id.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("r", c.region_code.clone().unwrap_or_default()),
    ] {
        let mut values: Vec<sea_orm::Value> = key.to_vec();
        values.push(dim.into());
        values.push(k.into());
        values.push(sign.into());
        let sql = format!(
            "INSERT INTO stat_groups (agency_id, month, confidential, dim, k, n) VALUES ({}) \
             ON CONFLICT (agency_id, month, confidential, dim, k) DO UPDATE SET n = stat_groups.n + excluded.n",
            params(backend, 6)
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// `?, ?, …` or `$1, $2, …`.
fn params(backend: DbBackend, n: usize) -> String {
    (1..=n)
        .map(|i| match backend {
            DbBackend::Sqlite => "?".to_string(),
            _ => format!("${i}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The counters of `stat_months`, in the order `Counts` is read.
const AGG_COLUMNS: [&str; 13] = [
    "received",
    "delegated",
    "bounced",
    "fu_in_time",
    "followed_up",
    "completed",
    "on_time",
    "confirmed",
    "unconfirmed",
    "rating_sum",
    "rating_count",
    "fu_decided",
    "done_decided",
];

/// Recomputes the monthly aggregates from the cases (after a bulk load; also how tests check
/// that the aggregates kept step by step are right).
pub async fn rebuild_aggregates<C: ConnectionTrait>(db: &C) -> Result<(), AppError> {
    let fu = FIRST_FOLLOW_UP_DAYS;
    for sql in [
        "DELETE FROM stat_months".to_string(),
        "DELETE FROM stat_days".to_string(),
        "DELETE FROM stat_groups".to_string(),
        format!(
            "INSERT INTO stat_months (agency_id, month, confidential, {}) \
             SELECT agency_id, month, confidential, COUNT(*), \
             SUM(CASE WHEN delegated THEN 1 ELSE 0 END), SUM(CASE WHEN bounced THEN 1 ELSE 0 END), \
             SUM(CASE WHEN first_follow_up_days <= {fu} THEN 1 ELSE 0 END), COUNT(first_follow_up_at), \
             COUNT(completed_at), SUM(CASE WHEN completed_on_time THEN 1 ELSE 0 END), \
             SUM(CASE WHEN outcome = 'confirmed' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN outcome = 'closed_unconfirmed' THEN 1 ELSE 0 END), \
             COALESCE(SUM(rating), 0), COUNT(rating), \
             SUM(CASE WHEN first_follow_up_at IS NOT NULL OR (fu_lapsed AND NOT bounced) THEN 1 ELSE 0 END), \
             SUM(CASE WHEN completed_at IS NOT NULL OR (done_lapsed AND NOT bounced) THEN 1 ELSE 0 END) \
             FROM report_cases GROUP BY agency_id, month, confidential",
            AGG_COLUMNS.join(", ")
        ),
        "INSERT INTO stat_days (agency_id, month, confidential, days, n) \
         SELECT agency_id, month, confidential, first_follow_up_days, COUNT(*) FROM report_cases \
         WHERE first_follow_up_days IS NOT NULL \
         GROUP BY agency_id, month, confidential, first_follow_up_days"
            .to_string(),
        "INSERT INTO stat_groups (agency_id, month, confidential, dim, k, n) \
         SELECT agency_id, month, confidential, 'c', COALESCE(CAST(category_id AS TEXT), ''), COUNT(*) \
         FROM report_cases GROUP BY agency_id, month, confidential, category_id"
            .to_string(),
        "INSERT INTO stat_groups (agency_id, month, confidential, dim, k, n) \
         SELECT agency_id, month, confidential, 'r', COALESCE(region_code, ''), COUNT(*) \
         FROM report_cases GROUP BY agency_id, month, confidential, region_code"
            .to_string(),
    ] {
        db.execute_unprepared(&sql)
            .await
            .map_err(internal("rebuilding statistics"))?;
    }
    Ok(())
}

/// The month (`YYYYMM`) of an instant in the report's time zone.
fn month_of(at: DateTime<Utc>, utc_offset_minutes: i32) -> i32 {
    let d = local_date(at, utc_offset_minutes);
    month_key(d.year(), d.month())
}

/// What `event` (moving report `r`, now held by `agency_after`) changes in its case. `r` is the
/// report before the step (its `due_at` is the deadline the step is judged against).
pub(crate) async fn plan_case<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
    event: EventKind,
    agency_after: Option<i32>,
    rating: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Option<CaseWrite>, AppError> {
    use report_case::Column as K;
    if event == EventKind::Dispatched {
        let Some(agency) = agency_after else {
            return Ok(None);
        };
        return Ok(Some(CaseWrite {
            before: None,
            after: report_case::Model {
                id: 0,
                report_id: r.id,
                agency_id: agency,
                month: month_of(now, r.utc_offset_minutes),
                received_at: now,
                kind: r.kind.clone(),
                category_id: r.category_id,
                region_code: r.region_code.clone(),
                confidential: r.confidential,
                delegated: false,
                bounced: false,
                first_follow_up_at: None,
                first_follow_up_days: None,
                completed_at: None,
                completed_on_time: None,
                outcome: None,
                rating: None,
                fu_lapsed: false,
                done_lapsed: false,
            },
        }));
    }
    let Some(case) = report_case::Entity::find()
        .filter(K::ReportId.eq(r.id))
        .filter(K::Bounced.eq(false))
        .order_by_desc(K::Id)
        .one(db)
        .await
        .map_err(internal("loading the report's case"))?
    else {
        return Ok(None);
    };
    let mut after = case.clone();
    match event {
        EventKind::Delegated => {
            after.agency_id = agency_after.unwrap_or(case.agency_id);
            after.delegated = true;
        }
        EventKind::ReturnedNotOurs => after.bounced = true,
        EventKind::FollowedUp if case.first_follow_up_at.is_none() => {
            let days = working_days_between(
                local_date(case.received_at, r.utc_offset_minutes),
                local_date(now, r.utc_offset_minutes),
            );
            after.first_follow_up_at = Some(now);
            after.first_follow_up_days = Some(days as i32);
        }
        EventKind::Answered if case.completed_at.is_none() => {
            after.completed_at = Some(now);
            after.completed_on_time = Some(r.due_at.is_none_or(|due| now <= due));
        }
        EventKind::Confirmed => {
            after.outcome = Some("confirmed".into());
            after.rating = rating;
        }
        EventKind::ClosedUnconfirmed | EventKind::AppealRejected => {
            after.outcome = Some("closed_unconfirmed".into());
        }
        // The stage's deadline passed (the overdue job): a dispatched report's first follow-up,
        // an in-process report's completion answer is now late.
        EventKind::MarkedOverdue | EventKind::EscalatedToSupervisor => {
            match ReportStatus::parse(&r.status) {
                Some(ReportStatus::Dispatched) if case.first_follow_up_at.is_none() => {
                    after.fu_lapsed = true
                }
                Some(ReportStatus::InProcess) if case.completed_at.is_none() => {
                    after.done_lapsed = true
                }
                _ => return Ok(None),
            }
        }
        EventKind::Reopened | EventKind::AppealUpheld | EventKind::Disputed => {
            after.outcome = None;
            after.rating = None;
        }
        _ => return Ok(None),
    }
    if after == case {
        return Ok(None);
    }
    Ok(Some(CaseWrite {
        before: Some(case),
        after,
    }))
}

/// A report made confidential: its cases (and their aggregates) leave the public statistics.
pub(crate) async fn mark_confidential<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
) -> Result<(), AppError> {
    let cases = report_case::Entity::find()
        .filter(report_case::Column::ReportId.eq(report_id))
        .filter(report_case::Column::Confidential.eq(false))
        .all(db)
        .await
        .map_err(internal("loading cases"))?;
    for case in cases {
        let after = report_case::Model {
            confidential: true,
            ..case.clone()
        };
        CaseWrite {
            before: Some(case),
            after,
        }
        .write(db)
        .await
        .map_err(internal("marking cases confidential"))?;
    }
    Ok(())
}

/// Which cases a figure counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The agencies (an agency and its units); `None`: all.
    pub agencies: Option<Vec<i32>>,
    /// Months `YYYYMM`, inclusive.
    pub from: i32,
    pub to: i32,
    /// Oversight: confidential cases count too.
    pub confidential: bool,
}

impl Scope {
    fn case_filter(&self) -> String {
        let mut w = format!("month BETWEEN {} AND {}", self.from, self.to);
        if let Some(a) = &self.agencies {
            w.push_str(&format!(" AND agency_id IN ({})", in_list(a)));
        }
        if !self.confidential {
            w.push_str(" AND confidential = false");
        }
        w
    }
}

fn in_list(ids: &[i32]) -> String {
    if ids.is_empty() {
        // Matches nothing (no agency has id 0... or any negative id).
        return "-1".into();
    }
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// The statuses in which an agency holds a report (its clock runs).
pub const HELD: [ReportStatus; 2] = [ReportStatus::Dispatched, ReportStatus::InProcess];

/// The sums of the aggregates' counters, named as `counts_from` reads them.
fn sums_sql() -> String {
    AGG_COLUMNS
        .iter()
        .map(|c| format!("CAST(COALESCE(SUM({c}), 0) AS BIGINT) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn counts_from(row: &sea_orm::QueryResult) -> Result<Counts, AppError> {
    let get = |c: &str| {
        row.try_get::<i64>("", c)
            .map_err(internal("reading a statistic"))
    };
    Ok(Counts {
        received: get("received")?,
        delegated: get("delegated")?,
        bounced: get("bounced")?,
        first_follow_up_in_time: get("fu_in_time")?,
        followed_up: get("followed_up")?,
        completed: get("completed")?,
        completed_on_time: get("on_time")?,
        confirmed: get("confirmed")?,
        closed_unconfirmed: get("unconfirmed")?,
        rating_sum: get("rating_sum")?,
        rating_count: get("rating_count")?,
        first_follow_up_decided: get("fu_decided")?,
        completion_decided: get("done_decided")?,
        ..Counts::default()
    })
}

/// What to group the counts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Agency,
    Month,
    /// Received only.
    Category,
    /// Received only.
    Region,
}

async fn query<C: ConnectionTrait>(
    db: &C,
    sql: String,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<sea_orm::QueryResult>, AppError> {
    db.query_all_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        values,
    ))
    .await
    .map_err(internal("counting statistics"))
}

/// The working-day histogram (days, cases) of the scope, optionally per key column.
async fn days<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    key: Option<&str>,
) -> Result<Vec<(Option<String>, i32, i64)>, AppError> {
    let filter = scope.case_filter();
    let (select, group) = match key {
        Some(k) => (format!("CAST({k} AS TEXT) AS k, "), format!("{k}, ")),
        None => (String::new(), String::new()),
    };
    let rows = query(
        db,
        format!(
            "SELECT {select}days AS d, CAST(SUM(n) AS BIGINT) AS n FROM stat_days WHERE {filter} \
             GROUP BY {group}days HAVING SUM(n) > 0 ORDER BY days"
        ),
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            let k: Option<String> = if key.is_some() {
                row.try_get("", "k").map_err(internal("reading a key"))?
            } else {
                None
            };
            let d: i32 = row.try_get("", "d").map_err(internal("reading days"))?;
            let n: i64 = row.try_get("", "n").map_err(internal("reading a count"))?;
            Ok((k, d, n))
        })
        .collect()
}

/// Counts per group (the key as text; `None` for cases without one), from the monthly
/// aggregates, with the working-day histogram of each group (agency and month groups).
pub async fn grouped<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    by: GroupBy,
) -> Result<BTreeMap<Option<String>, Counts>, AppError> {
    let filter = scope.case_filter();
    let mut out = BTreeMap::new();
    let key = match by {
        GroupBy::Agency => "agency_id",
        GroupBy::Month => "month",
        GroupBy::Category | GroupBy::Region => {
            let dim = if by == GroupBy::Category { "c" } else { "r" };
            let rows = query(
                db,
                format!(
                    "SELECT k, CAST(SUM(n) AS BIGINT) AS n FROM stat_groups \
                     WHERE {filter} AND dim = '{dim}' GROUP BY k HAVING SUM(n) > 0"
                ),
                vec![],
            )
            .await?;
            for row in &rows {
                let k: String = row.try_get("", "k").map_err(internal("reading a key"))?;
                let n: i64 = row.try_get("", "n").map_err(internal("reading a count"))?;
                out.insert(
                    Some(k).filter(|k| !k.is_empty()),
                    Counts {
                        received: n,
                        ..Counts::default()
                    },
                );
            }
            return Ok(out);
        }
    };
    let rows = query(
        db,
        format!(
            "SELECT CAST({key} AS TEXT) AS k, {} FROM stat_months WHERE {filter} GROUP BY {key}",
            sums_sql()
        ),
        vec![],
    )
    .await?;
    for row in &rows {
        let k: Option<String> = row.try_get("", "k").map_err(internal("reading a key"))?;
        out.insert(k, counts_from(row)?);
    }
    for (k, d, n) in days(db, scope, Some(key)).await? {
        if let Some(c) = out.get_mut(&k) {
            c.follow_up_days.push((d, n));
        }
    }
    Ok(out)
}

/// The counts of the whole scope (from the monthly aggregates), with what its agencies hold now.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<Counts, AppError> {
    let filter = scope.case_filter();
    let rows = query(
        db,
        format!("SELECT {} FROM stat_months WHERE {filter}", sums_sql()),
        vec![],
    )
    .await?;
    let mut c = match rows.first() {
        Some(row) => counts_from(row)?,
        None => Counts::default(),
    };
    c.follow_up_days = days(db, scope, None)
        .await?
        .into_iter()
        .map(|(_, d, n)| (d, n))
        .collect();
    let held = held_now(db, scope, now).await?;
    for (open, overdue) in held.values() {
        c.open_now += open;
        c.overdue_now += overdue;
    }
    if scope.agencies.is_none() {
        // All agencies together: the verifiers' stages are part of the service too.
        let (open, overdue) = with_verifiers_now(db, scope, now).await?;
        c.open_now += open;
        c.overdue_now += overdue;
    }
    Ok(c)
}

/// The statuses in which the verifiers hold a report (awaiting verification, an appeal).
const WITH_VERIFIERS: [ReportStatus; 2] =
    [ReportStatus::AwaitingVerification, ReportStatus::Appealed];

/// Reports the verifiers hold now, and of those past their deadline.
async fn with_verifiers_now<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<(i64, i64), AppError> {
    let w = format!("status IN ({})", quoted(&WITH_VERIFIERS));
    let rows = open_and_overdue(db, scope, w, "", "", now).await?;
    rows.first().map(counts_of).unwrap_or(Ok((0, 0)))
}

/// What is waiting now across the whole service, confidential reports included (counts only):
/// the verifiers' (open, overdue) and each agency's. For operators' metrics.
pub async fn workload_now<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<((i64, i64), HashMap<i32, (i64, i64)>), AppError> {
    let everything = Scope {
        agencies: None,
        from: 0,
        to: 0,
        confidential: true,
    };
    Ok((
        with_verifiers_now(db, &everything, now).await?,
        held_now(db, &everything, now).await?,
    ))
}

/// Reports the agencies of the scope hold now (their clock running): (open, overdue) per agency.
pub async fn held_now<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, (i64, i64)>, AppError> {
    let mut w = format!("status IN ({}) AND agency_id IS NOT NULL", quoted(&HELD));
    if let Some(a) = &scope.agencies {
        w.push_str(&format!(" AND agency_id IN ({})", in_list(a)));
    }
    let rows =
        open_and_overdue(db, scope, w, "agency_id AS a, ", "GROUP BY agency_id", now).await?;
    let mut out = HashMap::new();
    for row in &rows {
        let a: i32 = row
            .try_get("", "a")
            .map_err(internal("reading an agency"))?;
        out.insert(a, counts_of(row)?);
    }
    Ok(out)
}

/// `'a','b'` for an SQL `IN` list of statuses.
fn quoted(statuses: &[ReportStatus]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reports matching `w` (and the scope's confidentiality) counted as open and overdue at `now`,
/// with `key` selected before the counts and `group` after the condition.
async fn open_and_overdue<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    mut w: String,
    key: &str,
    group: &str,
    now: DateTime<Utc>,
) -> Result<Vec<sea_orm::QueryResult>, AppError> {
    if !scope.confidential {
        w.push_str(" AND confidential = false");
    }
    let p = match db.get_database_backend() {
        DbBackend::Sqlite => "?",
        _ => "$1",
    };
    query(
        db,
        format!(
            "SELECT {key}COUNT(*) AS open, \
             COALESCE(SUM(CASE WHEN due_at < {p} THEN 1 ELSE 0 END), 0) AS overdue \
             FROM reports WHERE {w} {group}"
        ),
        vec![now.into()],
    )
    .await
}

/// (open, overdue) of a row of `open_and_overdue`.
fn counts_of(row: &sea_orm::QueryResult) -> Result<(i64, i64), AppError> {
    let get = |c: &str| {
        row.try_get::<i64>("", c)
            .map_err(internal("reading a count"))
    };
    Ok((get("open")?, get("overdue")?))
}

/// The agency tree as (id, parent).
pub async fn tree<C: ConnectionTrait>(db: &C) -> Result<Vec<agency::Model>, AppError> {
    agency::Entity::find()
        .order_by_asc(agency::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading agencies"))
}

/// The default period: the twelve months up to this one (WIB).
fn default_months(now: DateTime<Utc>) -> (i32, i32) {
    let d = local_date(now, crate::domain::calendar::WIB_OFFSET_MINUTES);
    let to = month_key(d.year(), d.month());
    let from = month_key(d.year() - 1, d.month()) + 1;
    let from = if from % 100 == 13 {
        (from / 100 + 1) * 100 + 1
    } else {
        from
    };
    (from, to)
}

/// Who may see the oversight figures, and over which agencies (`None`: all).
pub fn oversight_scope(actor: &Actor) -> Result<Option<Vec<i32>>, AppError> {
    match actor {
        Actor::Staff(s) => match s.role {
            AccountRole::Verifier | AccountRole::SystemAdmin => Ok(None),
            AccountRole::Supervisor => Ok(Some(s.scope.clone())),
            _ => Err(AppError::Forbidden),
        },
        Actor::Citizen { .. } => Err(AppError::Forbidden),
        Actor::Public => Err(AppError::Unauthorized),
    }
}

/// The statistics page: for the public (`oversight` = `None`), or the oversight dashboard of an
/// actor allowed to see it (confidential cases included, limited to their subtree).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    filter: &StatsFilter,
    oversight: Option<&Actor>,
    now: DateTime<Utc>,
) -> Result<StatsPage, AppError> {
    let allowed = match oversight {
        Some(actor) => Some(oversight_scope(actor)?),
        None => None,
    };
    let mut errors = FieldErrors::new();
    let (default_from, default_to) = default_months(now);
    let mut month = |v: &str, field: Field, default: i32| -> i32 {
        if v.is_empty() {
            return default;
        }
        parse_month(v).unwrap_or_else(|| {
            errors.insert(field, FieldError::Invalid);
            default
        })
    };
    let from = month(&filter.from, Field::PeriodFrom, default_from);
    let to = month(&filter.to, Field::PeriodTo, default_to);
    if from > to {
        errors.insert(Field::PeriodTo, FieldError::Invalid);
    }
    let nodes = tree(db).await?;
    let edges: Vec<(i32, Option<i32>)> = nodes.iter().map(|a| (a.id, a.parent_id)).collect();
    let refs = super::casework::refs_of(&nodes);
    let visible = |id: i32| match &allowed {
        Some(Some(scope)) => scope.contains(&id),
        _ => true,
    };
    let selected = if filter.agency.is_empty() {
        // A supervisor's dashboard opens on their own agency.
        match oversight {
            Some(Actor::Staff(s)) if s.role == AccountRole::Supervisor => s.agency,
            _ => None,
        }
    } else {
        match filter.agency.parse::<i32>() {
            Ok(id) if refs.contains_key(&id) && visible(id) => Some(id),
            Ok(id) if refs.contains_key(&id) => return Err(AppError::Forbidden),
            _ => {
                errors.insert(Field::Agency, FieldError::Invalid);
                None
            }
        }
    };
    let confidential = oversight.is_some();
    let scope_of = |id: Option<i32>| Scope {
        agencies: id.map(|id| subtree(id, &edges)),
        from: from.min(to),
        to,
        confidential,
    };
    let scope = scope_of(selected);
    let agencies: Vec<AgencyRef> = super::agencies::choices(db)
        .await?
        .into_iter()
        .filter(|a| visible(a.id))
        .collect();
    let normalized = StatsFilter {
        agency: selected.map(|a| a.to_string()).unwrap_or_default(),
        from: month_text(from),
        to: month_text(to),
    };
    if !errors.is_empty() {
        return Ok(StatsPage {
            filter: StatsFilter {
                agency: filter.agency.clone(),
                ..normalized
            },
            errors,
            selected: selected.and_then(|a| refs.get(&a).cloned()),
            counts: Counts::default(),
            index: None,
            ranking: Vec::new(),
            trend: Vec::new(),
            categories: Vec::new(),
            regions: Vec::new(),
            agencies,
            oversight: confidential,
            overdue: Vec::new(),
        });
    }
    let counts = self::counts(db, &scope, now).await?;

    // The ranking: the agencies one level below the selected one (or below the roots).
    let children: Vec<i32> = match selected {
        Some(p) => nodes
            .iter()
            .filter(|a| a.parent_id == Some(p))
            .map(|a| a.id)
            .collect(),
        None => {
            let roots: Vec<i32> = nodes
                .iter()
                .filter(|a| a.parent_id.is_none())
                .map(|a| a.id)
                .collect();
            nodes
                .iter()
                .filter(|a| a.parent_id.is_some_and(|p| roots.contains(&p)))
                .map(|a| a.id)
                .collect()
        }
    };
    let children: Vec<i32> = children.into_iter().filter(|c| visible(*c)).collect();
    let ranking = rank(db, &scope, &children, &edges, &refs, now).await?;

    let per_month = grouped(db, &scope, GroupBy::Month).await?;
    let trend = crate::domain::stats::months(from, to)
        .into_iter()
        .map(|m| MonthStats {
            month: month_text(m),
            counts: per_month
                .get(&Some(m.to_string()))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let categories = {
        let names: HashMap<i32, (String, String)> = super::entities::category::Entity::find()
            .all(db)
            .await
            .map_err(internal("loading categories"))?
            .into_iter()
            .map(|c| (c.id, (c.name_id, c.name_en)))
            .collect();
        let mut v: Vec<LabelCount> = grouped(db, &scope, GroupBy::Category)
            .await?
            .into_iter()
            .map(|(k, c)| {
                let (label_id, label_en) = k
                    .as_deref()
                    .and_then(|k| k.parse::<i32>().ok())
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_else(|| ("Tanpa kategori".into(), "No category".into()));
                LabelCount {
                    key: k.unwrap_or_default(),
                    label_id,
                    label_en,
                    count: c.received,
                }
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
        v
    };
    let regions = {
        let names: HashMap<String, String> = super::entities::region::Entity::find()
            .all(db)
            .await
            .map_err(internal("loading regions"))?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect();
        grouped(db, &scope, GroupBy::Region)
            .await?
            .into_iter()
            .map(|(k, c)| {
                let key = k.unwrap_or_default();
                let label = names
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| "Tanpa wilayah".into());
                LabelCount {
                    key,
                    label_en: if label == "Tanpa wilayah" {
                        "No region".into()
                    } else {
                        label.clone()
                    },
                    label_id: label,
                    count: c.received,
                }
            })
            .collect()
    };
    let overdue = if confidential {
        overdue_list(db, &scope, &nodes, now).await?
    } else {
        Vec::new()
    };
    Ok(StatsPage {
        filter: normalized,
        errors,
        selected: selected.and_then(|a| refs.get(&a).cloned()),
        index: counts.index(),
        counts,
        ranking,
        trend,
        categories,
        regions,
        agencies,
        oversight: confidential,
        overdue,
    })
}

/// The agencies `children` (each with its units) over `scope` (which covers them all), best index
/// first, ranked when they have an index.
async fn rank<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    children: &[i32],
    edges: &[(i32, Option<i32>)],
    refs: &HashMap<i32, AgencyRef>,
    now: DateTime<Utc>,
) -> Result<Vec<AgencyStats>, AppError> {
    let per_agency = grouped(db, scope, GroupBy::Agency).await?;
    let held = held_now(db, scope, now).await?;
    let mut ranking: Vec<AgencyStats> = children
        .iter()
        .filter_map(|c| {
            let mut total = Counts::default();
            for id in subtree(*c, edges) {
                if let Some(x) = per_agency.get(&Some(id.to_string())) {
                    total.add(x);
                }
                if let Some((open, overdue)) = held.get(&id) {
                    total.open_now += open;
                    total.overdue_now += overdue;
                }
            }
            Some(AgencyStats {
                agency: refs.get(c)?.clone(),
                index: total.index(),
                counts: total,
                rank: None,
            })
        })
        .collect();
    ranking.sort_by(|a, b| {
        b.index
            .partial_cmp(&a.index)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.counts.received.cmp(&a.counts.received))
            .then(a.agency.name.cmp(&b.agency.name))
    });
    let mut rank = 0;
    for row in &mut ranking {
        if row.index.is_some() {
            rank += 1;
            row.rank = Some(rank);
        }
    }

    Ok(ranking)
}

/// What the weekly digest tells an agency's head: the agency's figures (confidential included)
/// over `from..=to`, its rank among its sibling agencies (rank, ranked), and its overdue reports.
pub async fn digest_data<C: ConnectionTrait>(
    db: &C,
    agency: i32,
    from: i32,
    to: i32,
    now: DateTime<Utc>,
) -> Result<(Counts, Option<(u32, usize)>, Vec<OverdueRow>), AppError> {
    let nodes = tree(db).await?;
    let edges: Vec<(i32, Option<i32>)> = nodes.iter().map(|a| (a.id, a.parent_id)).collect();
    let refs = super::casework::refs_of(&nodes);
    let own = Scope {
        agencies: Some(subtree(agency, &edges)),
        from,
        to,
        confidential: true,
    };
    let counts = counts(db, &own, now).await?;
    let parent = nodes
        .iter()
        .find(|a| a.id == agency)
        .and_then(|a| a.parent_id);
    let rank_of = match parent {
        Some(p) => {
            let siblings: Vec<i32> = nodes
                .iter()
                .filter(|a| a.parent_id == Some(p))
                .map(|a| a.id)
                .collect();
            let all = Scope {
                agencies: Some(subtree(p, &edges)),
                ..own.clone()
            };
            let ranking = rank(db, &all, &siblings, &edges, &refs, now).await?;
            let ranked = ranking.iter().filter(|r| r.rank.is_some()).count();
            ranking
                .iter()
                .find(|r| r.agency.id == agency)
                .and_then(|r| r.rank)
                .map(|n| (n, ranked))
        }
        None => None,
    };
    let overdue = overdue_list(db, &own, &nodes, now).await?;
    Ok((counts, rank_of, overdue))
}

/// Reports held past their deadline in the scope, longest late first (at most 500).
async fn overdue_list<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    nodes: &[agency::Model],
    now: DateTime<Utc>,
) -> Result<Vec<OverdueRow>, AppError> {
    let mut q = report::Entity::find().filter(report::Column::DueAt.lt(now));
    if let Some(ids) = &scope.agencies {
        q = q
            .filter(report::Column::Status.is_in(HELD.iter().map(|s| s.as_str())))
            .filter(report::Column::AgencyId.is_in(ids.clone()));
    } else {
        // Everything: the verifiers' overdue stages too.
        q = q.filter(
            report::Column::Status.is_in(HELD.iter().chain(&WITH_VERIFIERS).map(|s| s.as_str())),
        );
    }
    let rows = q
        .order_by_asc(report::Column::DueAt)
        .limit(500)
        .all(db)
        .await
        .map_err(internal("loading overdue reports"))?;
    let by_id: HashMap<i32, &agency::Model> = nodes.iter().map(|a| (a.id, a)).collect();
    rows.into_iter()
        .map(|r| {
            let holder = r.agency_id.and_then(|a| by_id.get(&a).copied());
            let due = r.due_at.unwrap_or(now);
            Ok(OverdueRow {
                id: r.id,
                status: super::intake::parse_stored(ReportStatus::parse(&r.status), "status")?,
                reference: r.reference,
                title: r.title,
                agency: holder.map(|a| a.name.clone()).unwrap_or_default(),
                head: holder.and_then(|a| a.head_name.clone()),
                due_at: due,
                utc_offset_minutes: r.utc_offset_minutes,
                days_late: working_days_between(
                    local_date(due, r.utc_offset_minutes),
                    local_date(now, r.utc_offset_minutes),
                ),
                confidential: r.confidential,
            })
        })
        .collect()
}
