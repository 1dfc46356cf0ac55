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
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use std::collections::{BTreeMap, HashMap};

/// The change a lifecycle step makes to the report's case, written in its transaction.
pub(crate) enum CaseWrite {
    Open(report_case::ActiveModel),
    Update(sea_orm::UpdateMany<report_case::Entity>),
}

impl CaseWrite {
    pub(crate) async fn write<C: ConnectionTrait>(self, db: &C) -> Result<(), sea_orm::DbErr> {
        match self {
            CaseWrite::Open(m) => m.insert(db).await.map(|_| ()),
            CaseWrite::Update(u) => u.exec(db).await.map(|_| ()),
        }
    }
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
        return Ok(Some(CaseWrite::Open(report_case::ActiveModel {
            report_id: Set(r.id),
            agency_id: Set(agency),
            month: Set(month_of(now, r.utc_offset_minutes)),
            received_at: Set(now),
            kind: Set(r.kind.clone()),
            category_id: Set(r.category_id),
            region_code: Set(r.region_code.clone()),
            confidential: Set(r.confidential),
            delegated: Set(false),
            bounced: Set(false),
            ..Default::default()
        })));
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
    let update = report_case::Entity::update_many().filter(K::Id.eq(case.id));
    let update = match event {
        EventKind::Delegated => update
            .col_expr(
                K::AgencyId,
                Expr::value(agency_after.unwrap_or(case.agency_id)),
            )
            .col_expr(K::Delegated, Expr::value(true)),
        EventKind::ReturnedNotOurs => update.col_expr(K::Bounced, Expr::value(true)),
        EventKind::FollowedUp if case.first_follow_up_at.is_none() => {
            let days = working_days_between(
                local_date(case.received_at, r.utc_offset_minutes),
                local_date(now, r.utc_offset_minutes),
            );
            update
                .col_expr(K::FirstFollowUpAt, Expr::value(now))
                .col_expr(K::FirstFollowUpDays, Expr::value(days as i32))
        }
        EventKind::Answered if case.completed_at.is_none() => {
            update.col_expr(K::CompletedAt, Expr::value(now)).col_expr(
                K::CompletedOnTime,
                Expr::value(r.due_at.is_none_or(|due| now <= due)),
            )
        }
        EventKind::Confirmed => update
            .col_expr(K::Outcome, Expr::value("confirmed"))
            .col_expr(K::Rating, Expr::value(rating)),
        EventKind::ClosedUnconfirmed | EventKind::AppealRejected => {
            update.col_expr(K::Outcome, Expr::value("closed_unconfirmed"))
        }
        EventKind::Reopened | EventKind::AppealUpheld | EventKind::Disputed => update
            .col_expr(K::Outcome, Expr::value(Option::<String>::None))
            .col_expr(K::Rating, Expr::value(Option::<i32>::None)),
        _ => return Ok(None),
    };
    Ok(Some(CaseWrite::Update(update)))
}

/// A report made confidential: its cases leave the public statistics.
pub(crate) async fn mark_confidential<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
) -> Result<(), AppError> {
    report_case::Entity::update_many()
        .col_expr(report_case::Column::Confidential, Expr::value(true))
        .filter(report_case::Column::ReportId.eq(report_id))
        .exec(db)
        .await
        .map_err(internal("marking cases confidential"))?;
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

/// The counting columns (each a `SUM`/`COUNT` over `report_cases`).
const COUNTS_SQL: &str = "COUNT(*) AS received, \
    COALESCE(SUM(CASE WHEN delegated THEN 1 ELSE 0 END), 0) AS delegated, \
    COALESCE(SUM(CASE WHEN bounced THEN 1 ELSE 0 END), 0) AS bounced, \
    COALESCE(SUM(CASE WHEN first_follow_up_days <= {FU} THEN 1 ELSE 0 END), 0) AS fu_in_time, \
    COUNT(first_follow_up_at) AS followed_up, \
    COUNT(completed_at) AS completed, \
    COALESCE(SUM(CASE WHEN completed_on_time THEN 1 ELSE 0 END), 0) AS on_time, \
    COALESCE(SUM(CASE WHEN outcome = 'confirmed' THEN 1 ELSE 0 END), 0) AS confirmed, \
    COALESCE(SUM(CASE WHEN outcome = 'closed_unconfirmed' THEN 1 ELSE 0 END), 0) AS unconfirmed, \
    COALESCE(SUM(rating), 0) AS rating_sum, \
    COUNT(rating) AS rating_count";

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
        ..Counts::default()
    })
}

/// What to group the counts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Agency,
    Month,
    Category,
    Region,
}

impl GroupBy {
    fn column(self) -> &'static str {
        match self {
            GroupBy::Agency => "agency_id",
            GroupBy::Month => "month",
            GroupBy::Category => "category_id",
            GroupBy::Region => "region_code",
        }
    }
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

/// Counts per group (the key as text; `None` for cases without one), with the working-day
/// histogram of each group. Groups without cases are absent.
pub async fn grouped<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    by: GroupBy,
) -> Result<BTreeMap<Option<String>, Counts>, AppError> {
    let key = format!("CAST({} AS TEXT)", by.column());
    let filter = scope.case_filter();
    let counts = COUNTS_SQL.replace("{FU}", &FIRST_FOLLOW_UP_DAYS.to_string());
    let rows = query(
        db,
        format!("SELECT {key} AS k, {counts} FROM report_cases WHERE {filter} GROUP BY {key}"),
        vec![],
    )
    .await?;
    let mut out = BTreeMap::new();
    for row in &rows {
        let k: Option<String> = row.try_get("", "k").map_err(internal("reading a key"))?;
        out.insert(k, counts_from(row)?);
    }
    let days = query(
        db,
        format!(
            "SELECT {key} AS k, first_follow_up_days AS d, COUNT(*) AS n FROM report_cases \
             WHERE {filter} AND first_follow_up_days IS NOT NULL \
             GROUP BY {key}, first_follow_up_days ORDER BY first_follow_up_days"
        ),
        vec![],
    )
    .await?;
    for row in &days {
        let k: Option<String> = row.try_get("", "k").map_err(internal("reading a key"))?;
        let d: i32 = row.try_get("", "d").map_err(internal("reading days"))?;
        let n: i64 = row.try_get("", "n").map_err(internal("reading a count"))?;
        if let Some(c) = out.get_mut(&k) {
            c.follow_up_days.push((d, n));
        }
    }
    Ok(out)
}

/// The counts of the whole scope, with what its agencies hold now.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<Counts, AppError> {
    let filter = scope.case_filter();
    let sql = COUNTS_SQL.replace("{FU}", &FIRST_FOLLOW_UP_DAYS.to_string());
    let rows = query(
        db,
        format!("SELECT {sql} FROM report_cases WHERE {filter}"),
        vec![],
    )
    .await?;
    let mut c = match rows.first() {
        Some(row) => counts_from(row)?,
        None => Counts::default(),
    };
    let days = query(
        db,
        format!(
            "SELECT first_follow_up_days AS d, COUNT(*) AS n FROM report_cases \
             WHERE {filter} AND first_follow_up_days IS NOT NULL \
             GROUP BY first_follow_up_days ORDER BY first_follow_up_days"
        ),
        vec![],
    )
    .await?;
    for row in &days {
        let d: i32 = row.try_get("", "d").map_err(internal("reading days"))?;
        let n: i64 = row.try_get("", "n").map_err(internal("reading a count"))?;
        c.follow_up_days.push((d, n));
    }
    let held = held_now(db, scope, now).await?;
    for (open, overdue) in held.values() {
        c.open_now += open;
        c.overdue_now += overdue;
    }
    Ok(c)
}

/// Reports the agencies of the scope hold now (their clock running): (open, overdue) per agency.
pub async fn held_now<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, (i64, i64)>, AppError> {
    let statuses = HELD
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(",");
    let mut w = format!("status IN ({statuses}) AND agency_id IS NOT NULL");
    if let Some(a) = &scope.agencies {
        w.push_str(&format!(" AND agency_id IN ({})", in_list(a)));
    }
    if !scope.confidential {
        w.push_str(" AND confidential = false");
    }
    let p = match db.get_database_backend() {
        DbBackend::Sqlite => "?",
        _ => "$1",
    };
    let rows = query(
        db,
        format!(
            "SELECT agency_id AS a, COUNT(*) AS open, \
             COALESCE(SUM(CASE WHEN due_at < {p} THEN 1 ELSE 0 END), 0) AS overdue \
             FROM reports WHERE {w} GROUP BY agency_id"
        ),
        vec![now.into()],
    )
    .await?;
    let mut out = HashMap::new();
    for row in &rows {
        let a: i32 = row
            .try_get("", "a")
            .map_err(internal("reading an agency"))?;
        let open: i64 = row
            .try_get("", "open")
            .map_err(internal("reading a count"))?;
        let overdue: i64 = row
            .try_get("", "overdue")
            .map_err(internal("reading a count"))?;
        out.insert(a, (open, overdue));
    }
    Ok(out)
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
    let refs: HashMap<i32, AgencyRef> = nodes
        .iter()
        .map(|a| {
            (
                a.id,
                AgencyRef {
                    id: a.id,
                    code: a.code.clone(),
                    name: a.name.clone(),
                },
            )
        })
        .collect();
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
    let agencies: Vec<AgencyRef> = super::agencies::tree(db)
        .await?
        .into_iter()
        .filter(|n| n.active && visible(n.id))
        .map(|n| AgencyRef {
            id: n.id,
            code: n.code,
            name: format!("{}{}", "· ".repeat(n.depth as usize), n.name),
        })
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
    let per_agency = grouped(db, &scope, GroupBy::Agency).await?;
    let held = held_now(db, &scope, now).await?;
    let mut ranking: Vec<AgencyStats> = children
        .iter()
        .filter_map(|c| {
            let mut total = Counts::default();
            for id in subtree(*c, &edges) {
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

/// Reports held past their deadline in the scope, longest late first (at most 500).
async fn overdue_list<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    nodes: &[agency::Model],
    now: DateTime<Utc>,
) -> Result<Vec<OverdueRow>, AppError> {
    let mut q = report::Entity::find()
        .filter(report::Column::Status.is_in(HELD.iter().map(|s| s.as_str())))
        .filter(report::Column::DueAt.lt(now));
    if let Some(ids) = &scope.agencies {
        q = q.filter(report::Column::AgencyId.is_in(ids.clone()));
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
                status: super::reports::parse_stored(ReportStatus::parse(&r.status), "status")?,
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
