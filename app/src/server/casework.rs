//! Reports as signed-in people see them: staff work lists and report views, the audited reveal
//! of a reporter's identity, lifecycle commands under the access policy, and a citizen's own
//! reports (including claiming a guest report with its tracking code).
//!
//! Every query starts from `visible_to(actor)`; a report outside it is `NotFound`, never
//! "forbidden", so its existence is not disclosed. The reporter's contact table is read in one
//! place only, `reveal_identity`; staff views read just the name, and only of reports whose
//! reporter chose to be named.

use super::accounts::audit;
use super::entities::attachment;
use super::entities::{account, agency, report, report_agency, reporter_contact};
use super::files::{store_uploads, Files, Upload};
use super::intake::{details, parse_stored, Details};
use super::internal;
use super::lifecycle::{state_of, transition_posting, Posting};
use crate::domain::access::{
    can, can_add_co_agency, can_request_co_agency, can_triage, AccountRole, Action, Actor,
    ReportFacts,
};
use crate::domain::calendar::time_left;
use crate::domain::casework::ListFilter;
use crate::domain::lifecycle::{apply, Command, CommandInput};
use crate::domain::views::{
    AgencyRef, ReporterShown, RevealedIdentity, StaffReportRow, StaffReportView, WorkList,
};
use crate::domain::{AppError, EventKind, Field, FieldError, ReportStatus, TrackingCode};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, TransactionSession, TransactionTrait,
};
use std::collections::HashMap;

/// What the policy needs from a stored report (with the co-agencies of a joint case).
pub async fn facts_of<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
) -> Result<ReportFacts, AppError> {
    let co_agencies = report_agency::Entity::find()
        .filter(report_agency::Column::ReportId.eq(r.id))
        .all(db)
        .await
        .map_err(internal("loading co-agencies"))?
        .into_iter()
        .map(|c| c.agency_id)
        .collect();
    Ok(ReportFacts {
        reporter_account: r.reporter_account_id,
        agency: r.agency_id,
        anonymous: r.anonymous,
        confidential: r.confidential,
        co_agencies,
    })
}

/// The reports `actor` may see, as a query to refine: the same rule as `access::can_view`,
/// in SQL. Deny by default.
pub fn visible_to(actor: &Actor) -> Select<report::Entity> {
    // No report has a null id: an empty result, whatever the data.
    let none = || report::Entity::find().filter(report::Column::Id.is_null());
    match actor {
        Actor::Public => none(),
        Actor::Citizen { account } => {
            report::Entity::find().filter(report::Column::ReporterAccountId.eq(*account))
        }
        Actor::Staff(s) => match s.role {
            AccountRole::Verifier | AccountRole::SystemAdmin => report::Entity::find(),
            AccountRole::AgencyAdmin | AccountRole::AgencyOfficer | AccountRole::Supervisor => {
                // Handled in the subtree, or joined as a co-agency of a joint case.
                let joined = sea_orm::sea_query::Query::select()
                    .column(report_agency::Column::ReportId)
                    .from(report_agency::Entity)
                    .and_where(report_agency::Column::AgencyId.is_in(s.scope.clone()))
                    .to_owned();
                report::Entity::find().filter(
                    sea_orm::Condition::any()
                        .add(report::Column::AgencyId.is_in(s.scope.clone()))
                        .add(report::Column::Id.in_subquery(joined)),
                )
            }
            AccountRole::Citizen => none(),
        },
    }
}

/// Rows on one page of a work list.
pub const PAGE_SIZE: u64 = 50;

/// The statuses in which staff hold a report (its clock is theirs).
const STAFF_STAGES: [ReportStatus; 4] = [
    ReportStatus::AwaitingVerification,
    ReportStatus::Dispatched,
    ReportStatus::InProcess,
    ReportStatus::Appealed,
];

/// What needs `actor` now: verifiers the reports awaiting verification or an appeal decision;
/// an agency's administrators what it holds; officers what it holds that is theirs or nobody's;
/// supervisors what is overdue in their scope. `None`: no narrower view (system administrators).
fn needs_me(actor: &Actor, now: DateTime<Utc>) -> Option<sea_orm::Condition> {
    use sea_orm::Condition;
    let Actor::Staff(s) = actor else {
        return None;
    };
    let statuses = |list: &[ReportStatus]| {
        report::Column::Status.is_in(list.iter().map(|s| s.as_str()).collect::<Vec<_>>())
    };
    let held = [ReportStatus::Dispatched, ReportStatus::InProcess];
    match s.role {
        AccountRole::Verifier => Some(Condition::all().add(statuses(&[
            ReportStatus::AwaitingVerification,
            ReportStatus::Appealed,
        ]))),
        AccountRole::AgencyAdmin => Some(
            Condition::all()
                .add(statuses(&held))
                .add(report::Column::AgencyId.is_in(s.scope.clone())),
        ),
        AccountRole::AgencyOfficer => Some(
            Condition::all()
                .add(statuses(&held))
                .add(report::Column::AgencyId.is_in(s.scope.clone()))
                .add(
                    Condition::any()
                        .add(report::Column::AssignedTo.eq(s.account))
                        .add(report::Column::AssignedTo.is_null()),
                ),
        ),
        AccountRole::Supervisor => Some(
            Condition::all()
                .add(statuses(&STAFF_STAGES))
                .add(report::Column::DueAt.lt(now)),
        ),
        AccountRole::SystemAdmin | AccountRole::Citizen => None,
    }
}

/// The orders a work list can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sort {
    /// Priority (highest first), then the soonest deadline (none last), then the oldest.
    Urgent,
    /// The soonest deadline (none last), then the oldest.
    Deadline,
    Newest,
    Oldest,
}

impl Sort {
    fn parse(s: Option<&str>) -> Sort {
        match s {
            Some("tenggat") => Sort::Deadline,
            Some("terbaru") => Sort::Newest,
            Some("terlama") => Sort::Oldest,
            _ => Sort::Urgent,
        }
    }
}

/// Where a page ends: the sort keys of its last row (`priority.deadline.id`, the deadline in
/// microseconds or `-` for none).
fn cursor_of(r: &report::Model) -> String {
    let due = r
        .due_at
        .map(|d| d.timestamp_micros().to_string())
        .unwrap_or_else(|| "-".into());
    format!("{}.{due}.{}", r.priority, r.id)
}

/// The keys of a cursor (`None`: not one of ours).
fn parse_cursor(c: &str) -> Option<(i32, Option<DateTime<Utc>>, i64)> {
    let mut parts = c.trim().split('.');
    let priority = parts.next()?.parse().ok()?;
    let due = match parts.next()? {
        "-" => None,
        micros => Some(DateTime::from_timestamp_micros(micros.parse().ok()?)?),
    };
    let id = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((priority, due, id))
}

/// The rows after a cursor, in the order of `sort`.
fn after_cursor(
    sort: Sort,
    (priority, due, id): (i32, Option<DateTime<Utc>>, i64),
) -> sea_orm::Condition {
    use report::Column as R;
    use sea_orm::Condition;
    // After (due, id) with the deadline ascending, none last.
    let by_deadline = || match due {
        Some(d) => Condition::any()
            .add(R::DueAt.gt(d))
            .add(Condition::all().add(R::DueAt.eq(d)).add(R::Id.gt(id)))
            .add(R::DueAt.is_null()),
        None => Condition::all().add(R::DueAt.is_null()).add(R::Id.gt(id)),
    };
    match sort {
        Sort::Newest => Condition::all().add(R::Id.lt(id)),
        Sort::Oldest => Condition::all().add(R::Id.gt(id)),
        Sort::Deadline => by_deadline(),
        Sort::Urgent => Condition::any().add(R::Priority.lt(priority)).add(
            Condition::all()
                .add(R::Priority.eq(priority))
                .add(by_deadline()),
        ),
    }
}

/// The order of `sort`, last row first.
fn reversed(q: Select<report::Entity>, sort: Sort) -> Select<report::Entity> {
    use report::Column as R;
    let none_last = || Expr::cust("CASE WHEN reports.due_at IS NULL THEN 1 ELSE 0 END");
    match sort {
        Sort::Newest => q.order_by_asc(R::Id),
        Sort::Oldest => q.order_by_desc(R::Id),
        Sort::Deadline => q
            .order_by_desc(none_last())
            .order_by_desc(R::DueAt)
            .order_by_desc(R::Id),
        Sort::Urgent => q
            .order_by_asc(R::Priority)
            .order_by_desc(none_last())
            .order_by_desc(R::DueAt)
            .order_by_desc(R::Id),
    }
}

fn ordered(q: Select<report::Entity>, sort: Sort) -> Select<report::Entity> {
    use report::Column as R;
    let none_last = || Expr::cust("CASE WHEN reports.due_at IS NULL THEN 1 ELSE 0 END");
    match sort {
        Sort::Newest => q.order_by_desc(R::Id),
        Sort::Oldest => q.order_by_asc(R::Id),
        Sort::Deadline => q
            .order_by_asc(none_last())
            .order_by_asc(R::DueAt)
            .order_by_asc(R::Id),
        Sort::Urgent => q
            .order_by_desc(R::Priority)
            .order_by_asc(none_last())
            .order_by_asc(R::DueAt)
            .order_by_asc(R::Id),
    }
}

/// The name a report's reporter gave, for views: read only when the reporter chose to be named
/// (`None` for an anonymous report, whatever is stored).
pub(crate) async fn shown_name<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
) -> Result<Option<String>, AppError> {
    if r.anonymous {
        return Ok(None);
    }
    contact_name(db, r.id).await
}

/// The name stored with the reporter's contact (also of an anonymous report: for masking it).
pub(crate) async fn contact_name<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
) -> Result<Option<String>, AppError> {
    Ok(reporter_contact::Entity::find_by_id(report_id)
        .select_only()
        .column(reporter_contact::Column::Name)
        .into_tuple::<Option<String>>()
        .one(db)
        .await
        .map_err(internal("loading reporter name"))?
        .flatten())
}

/// Every agency as shown to staff, by id.
pub(crate) async fn agency_refs<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<i32, AgencyRef>, AppError> {
    Ok(refs_of(
        &agency::Entity::find()
            .all(db)
            .await
            .map_err(internal("loading agencies"))?,
    ))
}

/// Loaded agencies as `AgencyRef`s, by id.
pub(crate) fn refs_of(agencies: &[agency::Model]) -> HashMap<i32, AgencyRef> {
    agencies
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
        .collect()
}

fn row(
    r: &report::Model,
    agencies: &HashMap<i32, AgencyRef>,
    names: &HashMap<i64, String>,
    now: DateTime<Utc>,
) -> Result<StaffReportRow, AppError> {
    let status = parse_stored(ReportStatus::parse(&r.status), "status")?;
    Ok(StaffReportRow {
        id: r.id,
        reference: r.reference.clone(),
        kind: parse_stored(crate::domain::ReportKind::parse(&r.kind), "kind")?,
        title: r.title.clone(),
        status,
        agency: r.agency_id.and_then(|a| agencies.get(&a).cloned()),
        confidential: r.confidential,
        created_at: r.created_at,
        due_at: r.due_at,
        utc_offset_minutes: r.utc_offset_minutes,
        time_left: r
            .due_at
            .filter(|_| STAFF_STAGES.contains(&status))
            .map(|due| time_left(now, due, r.utc_offset_minutes)),
        priority: r.priority,
        assignee: r.assigned_to.and_then(|a| names.get(&a).cloned()),
    })
}

/// The display names of staff accounts, by id.
async fn staff_names<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Role.ne(AccountRole::Citizen.as_str()))
        .select_only()
        .column(account::Column::Id)
        .column(account::Column::DisplayName)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
        .map_err(internal("loading staff names"))?
        .into_iter()
        .collect())
}

/// The reports `actor` may see that `filter` selects (`None`: a filter value that matches
/// nothing), unordered.
async fn filtered<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ListFilter,
    now: DateTime<Utc>,
) -> Result<Option<Select<report::Entity>>, AppError> {
    let mut q = visible_to(actor);
    if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        let Some(status) = ReportStatus::parse(status) else {
            return Ok(None);
        };
        q = q.filter(report::Column::Status.eq(status.as_str()));
    }
    if filter.overdue {
        q = q.filter(report::Column::DueAt.lt(now));
    }
    if let Some(kind) = filter.kind.as_deref().filter(|k| !k.is_empty()) {
        q = q.filter(report::Column::Kind.eq(kind));
    }
    if let Some(c) = filter.category {
        q = q.filter(report::Column::CategoryId.eq(c));
    }
    if let Some(region) = filter
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        q = q.filter(
            sea_orm::Condition::any()
                .add(report::Column::RegionCode.eq(region))
                .add(report::Column::RegionCode.starts_with(format!("{region}."))),
        );
    }
    if let Some(days) = filter.older_than_days {
        q = q.filter(report::Column::CreatedAt.lte(now - chrono::Duration::days(days as i64)));
    }
    // A report number, or words (Indonesian affixes tolerated) in the staff search index,
    // always within `visible_to` above.
    if let Some(words) = filter.q.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        match super::transparency::as_reference(words) {
            Some(reference) => q = q.filter(report::Column::Reference.eq(reference)),
            None => {
                let search = crate::domain::transparency::SearchQuery::parse(words);
                if !search.is_empty() {
                    q = q.filter(super::transparency::matching_in(
                        db.get_database_backend(),
                        super::transparency::SearchIndex::Staff,
                        &search,
                    ));
                }
            }
        }
    }
    if filter.agency.is_some() || filter.measure.is_some() {
        match by_measure(db, filter, now).await? {
            Some(cond) => q = q.filter(cond),
            None => return Ok(None),
        }
    }
    let me = match actor {
        Actor::Staff(s) => Some(s.account),
        _ => None,
    };
    match filter.assigned.as_deref().map(str::trim) {
        Some("saya") => q = q.filter(report::Column::AssignedTo.eq(me)),
        Some("belum") => q = q.filter(report::Column::AssignedTo.is_null()),
        Some("") | None => {}
        Some(_) => return Ok(None),
    }
    if filter.view.as_deref() == Some("perlu") {
        if let Some(cond) = needs_me(actor, now) {
            q = q.filter(cond);
        }
    }
    Ok(Some(q))
}

/// One page of the reports `actor` may see that `filter` selects, in the order it asks for
/// (most urgent first by default), with the number of all of them.
pub async fn work_list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ListFilter,
    now: DateTime<Utc>,
) -> Result<WorkList, AppError> {
    use sea_orm::PaginatorTrait;
    let Some(q) = filtered(db, actor, filter, now).await? else {
        return Ok(WorkList::default());
    };
    let total = q
        .clone()
        .count(db)
        .await
        .map_err(internal("counting reports"))?;
    let sort = Sort::parse(filter.sort.as_deref());
    let mut page = ordered(q, sort);
    if let Some(after) = filter.after.as_deref().filter(|a| !a.trim().is_empty()) {
        let Some(cursor) = parse_cursor(after) else {
            return Err(AppError::field(Field::Command, FieldError::Invalid));
        };
        page = page.filter(after_cursor(sort, cursor));
    }
    let mut reports = page
        .limit(PAGE_SIZE + 1)
        .all(db)
        .await
        .map_err(internal("listing reports"))?;
    let more = reports.len() as u64 > PAGE_SIZE;
    reports.truncate(PAGE_SIZE as usize);
    let next = more.then(|| reports.last().map(cursor_of)).flatten();
    let agencies = agency_refs(db).await?;
    let names = staff_names(db, reports.iter().filter_map(|r| r.assigned_to).collect()).await?;
    let rows = reports
        .iter()
        .map(|r| row(r, &agencies, &names, now))
        .collect::<Result<_, _>>()?;
    Ok(WorkList { rows, total, next })
}

/// How many reports need `actor` now (the default view's count).
pub async fn needs_me_count<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    let mut q = visible_to(actor);
    if let Some(cond) = needs_me(actor, now) {
        q = q.filter(cond);
    }
    q.count(db).await.map_err(internal("counting reports"))
}

/// The first page of the reports `actor` may see (the JSON list).
pub async fn list_reports<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ListFilter,
    now: DateTime<Utc>,
) -> Result<Vec<StaffReportRow>, AppError> {
    Ok(work_list(db, actor, filter, now).await?.rows)
}

/// The statuses in which the verifiers hold a report (for assignment).
const VERIFIER_HANDS: [ReportStatus; 3] = [
    ReportStatus::AwaitingVerification,
    ReportStatus::OnHold,
    ReportStatus::Appealed,
];

/// The statuses in which an agency holds a report (for assignment).
const AGENCY_HANDS: [ReportStatus; 3] = [
    ReportStatus::Dispatched,
    ReportStatus::InProcess,
    ReportStatus::AwaitingReporter,
];

/// Whom `actor` may assign reports to: a verifier any active verifier; an agency's
/// administrator the active officers and administrators of the agency and its units; an officer
/// only themselves. Nobody for other roles.
pub async fn assignees<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<crate::domain::views::Assignee>, AppError> {
    let Actor::Staff(s) = actor else {
        return Ok(Vec::new());
    };
    let q = account::Entity::find().filter(account::Column::Active.eq(true));
    let q = match s.role {
        AccountRole::Verifier => q.filter(account::Column::Role.eq(AccountRole::Verifier.as_str())),
        AccountRole::AgencyAdmin => q
            .filter(account::Column::Role.is_in([
                AccountRole::AgencyOfficer.as_str(),
                AccountRole::AgencyAdmin.as_str(),
            ]))
            .filter(account::Column::AgencyId.is_in(s.scope.clone())),
        AccountRole::AgencyOfficer => q.filter(account::Column::Id.eq(s.account)),
        _ => return Ok(Vec::new()),
    };
    Ok(q.order_by_asc(account::Column::DisplayName)
        .all(db)
        .await
        .map_err(internal("loading assignees"))?
        .into_iter()
        .map(|a| crate::domain::views::Assignee {
            account: a.id,
            name: a.display_name,
        })
        .collect())
}

/// Changes several reports at once (`UpdateReports`): the assignment and/or the priority, all or
/// none, each change audited.
pub async fn update_reports<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    ids: &[i64],
    assign: crate::domain::casework::Assign,
    priority: Option<i32>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    use crate::domain::casework::Assign;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let mut changed = std::collections::BTreeSet::new();
    let assignee = match assign {
        Assign::Keep => None,
        Assign::Release => Some(None),
        Assign::To(a) => Some(Some(a)),
    };
    if let Some(assignee) = assignee {
        changed.extend(assign_reports(&txn, actor, ids, assignee, now).await?);
    }
    if let Some(p) = priority {
        for &id in ids {
            let before = load_visible(&txn, actor, id).await?.priority;
            set_priority(&txn, actor, id, p, now).await?;
            if before != p {
                changed.insert(id);
            }
        }
    }
    txn.commit()
        .await
        .map_err(internal("committing the changes"))?;
    Ok(changed.len())
}

/// Dispatches several reports to one agency at once (`UpdateReports` with `teruskan`): each
/// through the same service as one report's dispatch (policy, lifecycle, public version,
/// audit, notices), all or none.
pub async fn dispatch_reports<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    ids: &[i64],
    agency: i32,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let input = CommandInput {
        agency: Some(agency),
        ..CommandInput::of(crate::domain::lifecycle::CommandKind::Dispatch)
    };
    let ids: std::collections::BTreeSet<i64> = ids.iter().copied().collect();
    for &id in &ids {
        command(&txn, actor, id, &input, now).await?;
    }
    txn.commit()
        .await
        .map_err(internal("committing the dispatches"))?;
    Ok(ids.len())
}

/// Assigns reports to `assignee` (or releases them: `None`), each audited; the ids of those
/// that changed. The reports must be in the actor's hands (a verifier: awaiting verification,
/// on hold, appealed; an agency's staff: held by the agency or its units); the assignee must be
/// someone the actor may assign to (`assignees`) who can see the report. An officer may only
/// take reports, or release their own. Run it in a transaction: a refusal leaves nothing.
async fn assign_reports<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    ids: &[i64],
    assignee: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    let Actor::Staff(s) = actor else {
        return Err(AppError::Forbidden);
    };
    let hands: &[ReportStatus] = match s.role {
        AccountRole::Verifier => &VERIFIER_HANDS,
        AccountRole::AgencyAdmin | AccountRole::AgencyOfficer => &AGENCY_HANDS,
        _ => return Err(AppError::Forbidden),
    };
    if let Some(a) = assignee {
        if !assignees(db, actor).await?.iter().any(|x| x.account == a) {
            return Err(AppError::field(Field::Assignee, FieldError::Unknown));
        }
    }
    // The assignee's own scope (an agency account sees its agency's subtree only).
    let assignee_scope = match (assignee, s.role) {
        (Some(a), AccountRole::AgencyAdmin | AccountRole::AgencyOfficer) => {
            let agency = account::Entity::find_by_id(a)
                .one(db)
                .await
                .map_err(internal("loading the assignee"))?
                .and_then(|a| a.agency_id)
                .ok_or(AppError::field(Field::Assignee, FieldError::Unknown))?;
            Some(crate::domain::access::subtree(
                agency,
                &super::accounts::agency_tree(db).await?,
            ))
        }
        _ => None,
    };
    let mut changed = Vec::new();
    for &id in ids {
        let r = load_visible(db, actor, id).await?;
        let status = parse_stored(ReportStatus::parse(&r.status), "status")?;
        let in_hands = hands.contains(&status)
            && match s.role {
                AccountRole::Verifier => true,
                _ => r.agency_id.is_some_and(|a| s.in_scope(a)),
            };
        if !in_hands {
            return Err(AppError::Refused(
                crate::domain::lifecycle::Refusal::WrongState,
            ));
        }
        if let Some(scope) = &assignee_scope {
            if !r.agency_id.is_some_and(|a| scope.contains(&a)) {
                return Err(AppError::field(Field::Assignee, FieldError::Invalid));
            }
        }
        // An officer releases only what is theirs.
        if s.role == AccountRole::AgencyOfficer
            && assignee.is_none()
            && r.assigned_to.is_some_and(|a| a != s.account)
        {
            return Err(AppError::Forbidden);
        }
        if r.assigned_to == assignee {
            continue;
        }
        report::Entity::update_many()
            .col_expr(report::Column::AssignedTo, Expr::value(assignee))
            .filter(report::Column::Id.eq(id))
            .exec(db)
            .await
            .map_err(internal("assigning a report"))?;
        let show = |a: Option<i64>| a.map(|a| a.to_string()).unwrap_or_else(|| "-".into());
        audit(
            db,
            actor,
            "report.assigned",
            format!("report:{id}"),
            Some(format!("{} -> {}", show(r.assigned_to), show(assignee))),
            now,
        )
        .await?;
        changed.push(id);
    }
    Ok(changed)
}

/// The condition of the agency and statistic filters (`None`: a value not understood, so
/// nothing matches).
async fn by_measure<C: ConnectionTrait>(
    db: &C,
    filter: &ListFilter,
    now: DateTime<Utc>,
) -> Result<Option<sea_orm::Condition>, AppError> {
    use crate::domain::stats::{parse_months, Measure};
    let agencies = match filter.agency {
        Some(id) => Some(crate::domain::access::subtree(
            id,
            &super::accounts::agency_tree(db).await?,
        )),
        None => None,
    };
    let in_list = |ids: &[i32]| ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
    let measure = match filter.measure.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => match Measure::parse(m) {
            Some(m) => Some(m),
            None => return Ok(None),
        },
        None => None,
    };
    let (from, to) = match filter.months.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => match parse_months(m) {
            Some(r) => r,
            None => return Ok(None),
        },
        None => (0, 999_999),
    };
    let mut cond = sea_orm::Condition::all();
    match measure.and_then(|m| m.case_condition().map(|c| (m, c))) {
        Some((_, case)) => {
            let mut w = format!("month BETWEEN {from} AND {to} AND ({case})");
            if let Some(ids) = &agencies {
                w.push_str(&format!(" AND agency_id IN ({})", in_list(ids)));
            }
            cond = cond.add(Expr::cust(format!(
                "reports.id IN (SELECT report_id FROM report_cases WHERE {w})"
            )));
        }
        None => {
            if let Some(ids) = &agencies {
                cond = cond.add(report::Column::AgencyId.is_in(ids.clone()));
            }
            if let Some(m) = measure {
                cond = cond.add(
                    report::Column::Status.is_in(super::stats::HELD.iter().map(|s| s.as_str())),
                );
                if m == Measure::OverdueNow {
                    cond = cond.add(report::Column::DueAt.lt(now));
                }
            }
        }
    }
    Ok(Some(cond))
}

pub(crate) async fn load_visible<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<report::Model, AppError> {
    let r = visible_to(actor)
        .filter(report::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(internal("loading report"))?
        .ok_or(AppError::NotFound)?;
    // The query and the policy state the same rule; both must agree.
    if !can(actor, Action::View, &facts_of(db, &r).await?) {
        tracing::error!(report = id, "visible_to and can_view disagree");
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// The staff report page, as `actor` may see it: the report (actor-scoped, `report_view`), and
/// what its forms offer — dispatch help and the agencies to dispatch to when the report can be
/// dispatched, the units below the holder for a delegation, co-agencies, the reply templates
/// (one filled in when asked for), the public version. `revealed` is the identity an audited
/// reveal just returned, shown once.
pub async fn report_page<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    template: Option<i32>,
    revealed: Option<crate::domain::views::RevealedIdentity>,
    now: DateTime<Utc>,
) -> Result<crate::domain::views::StaffReportPage, AppError> {
    use crate::domain::lifecycle::CommandKind;
    let view = report_view(db, actor, id, now).await?;
    let tree = super::agencies::tree(db).await?;
    let dispatching = view.commands.contains(&CommandKind::Dispatch);
    let help = if dispatching {
        Some(dispatch_help(db, actor, id).await?)
    } else {
        None
    };
    let templates = super::templates::list(db, actor).await.unwrap_or_default();
    let template_text = match template {
        Some(t) => template_for(db, actor, id, t).await.ok(),
        None => None,
    };
    let agencies = if dispatching || view.can_add_co_agency || view.can_request_co_agency {
        tree.iter()
            .filter(|n| n.active)
            .map(|n| n.choice())
            .collect()
    } else {
        Vec::new()
    };
    let holder = view.row.agency.as_ref().map(|a| a.id);
    let units = match (actor, view.commands.contains(&CommandKind::Delegate)) {
        (Actor::Staff(s), true) => tree
            .iter()
            .filter(|n| n.active && s.in_scope(n.id) && Some(n.id) != holder)
            .map(|n| n.choice())
            .collect(),
        _ => Vec::new(),
    };
    let public = super::transparency::draft_for(db, actor, id).await?;
    let (previous, next) = neighbours(db, actor, id, now).await?;
    Ok(crate::domain::views::StaffReportPage {
        next,
        previous,
        public,
        view,
        agencies,
        units,
        revealed,
        help,
        templates,
        template_text,
    })
}

/// The reports to open before and after `current` in the list of what needs `actor` now (the
/// work list's default view and order): the next is the one after it, else the list's first
/// (also when `current` has left the list, having just been acted on); the previous is the one
/// before it.
async fn neighbours<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: i64,
    now: DateTime<Utc>,
) -> Result<(Option<(i64, String)>, Option<(i64, String)>), AppError> {
    let Some(needs) = needs_me(actor, now) else {
        return Ok((None, None));
    };
    let base = || {
        visible_to(actor)
            .filter(needs.clone())
            .filter(report::Column::Id.ne(current))
    };
    // Its place in that list; a report no longer in it (just acted on) has none.
    let here = visible_to(actor)
        .filter(needs.clone())
        .filter(report::Column::Id.eq(current))
        .one(db)
        .await
        .map_err(internal("loading the report"))?;
    let key = here.map(|r| (r.priority, r.due_at, r.id));
    let after = match key {
        Some(k) => ordered(base().filter(after_cursor(Sort::Urgent, k)), Sort::Urgent)
            .one(db)
            .await
            .map_err(internal("finding the next report"))?,
        None => None,
    };
    let next = match after {
        Some(r) => Some(r),
        None => ordered(base(), Sort::Urgent)
            .one(db)
            .await
            .map_err(internal("finding the next report"))?,
    };
    let previous = match key {
        Some(k) => reversed(
            base().filter(after_cursor(Sort::Urgent, k).not()),
            Sort::Urgent,
        )
        .one(db)
        .await
        .map_err(internal("finding the previous report"))?,
        None => None,
    };
    let pair = |r: report::Model| (r.id, r.title);
    Ok((previous.map(pair), next.map(pair)))
}

/// A report as `actor` sees it, with the commands they may try now.
pub async fn report_view<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<StaffReportView, AppError> {
    let r = load_visible(db, actor, id).await?;
    let f = facts_of(db, &r).await?;
    let name = shown_name(db, &r).await?;
    let state = state_of(&r)?;
    let role = actor.role().and_then(AccountRole::lifecycle_role);
    let allowed = |c: &Command| match c {
        // Delegation is offered when some unit of the actor's subtree may receive it.
        Command::Delegate { .. } => actor.staff().is_some_and(|s| {
            s.scope
                .iter()
                .any(|u| can(actor, Action::Command(&Command::Delegate { unit: *u }), &f))
        }),
        _ => can(actor, Action::Command(c), &f),
    };
    let commands = Command::examples(r.agency_id)
        .into_iter()
        .filter(|c| allowed(c) && role.is_some_and(|role| apply(&state, c, role).is_ok()))
        .map(|c| c.kind())
        .collect();
    let agencies = agency_refs(db).await?;
    let Details {
        category,
        region_name,
        timeline,
        ..
    } = details(db, &r).await?;
    let names = staff_names(db, r.assigned_to.into_iter().collect()).await?;
    Ok(StaffReportView {
        row: row(&r, &agencies, &names, now)?,
        description: r.description.clone(),
        category,
        region_name,
        incident_date: r.incident_date,
        anonymous: r.anonymous,
        name_public: r.name_public && !r.anonymous,
        reporter: ReporterShown::of(r.anonymous, name),
        timeline,
        thread: super::conversation::thread(db, r.id, !matches!(actor, Actor::Citizen { .. }))
            .await?,
        priority: r.priority,
        duplicate_of: match r.duplicate_of {
            Some(d) => report::Entity::find_by_id(d)
                .one(db)
                .await
                .map_err(internal("loading the original report"))?
                .map(|o| o.reference),
            None => None,
        },
        co_agencies: f
            .co_agencies
            .iter()
            .filter_map(|a| agencies.get(a).cloned())
            .collect(),
        can_triage: can_triage(actor, &f),
        can_add_co_agency: can_add_co_agency(actor, &f),
        can_request_co_agency: can_request_co_agency(actor, &f),
        can_reveal: can(actor, Action::RevealIdentity, &f),
        commands,
    })
}

/// Reveals the reporter's identity to a verifier or system administrator, and records who saw
/// it, when, and why in the audit log (in the same transaction: no reveal without its record).
pub async fn reveal_identity<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<RevealedIdentity, AppError> {
    let r = load_visible(db, actor, id).await?;
    if !can(actor, Action::RevealIdentity, &facts_of(db, &r).await?) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(AppError::field(
            Field::Reason,
            FieldError::TooShort { min: 5 },
        ));
    }
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let contact = reporter_contact::Entity::find_by_id(r.id)
        .one(&txn)
        .await
        .map_err(internal("loading reporter contact"))?;
    let account = match r.reporter_account_id {
        Some(a) => account::Entity::find_by_id(a)
            .one(&txn)
            .await
            .map_err(internal("loading reporter account"))?
            .map(|a| super::accounts::login_name(&a).to_string()),
        None => None,
    };
    audit(
        &txn,
        actor,
        "identity.revealed",
        format!("report:{}", r.id),
        Some(reason.chars().take(500).collect()),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing reveal"))?;
    tracing::info!(report = r.id, "reporter identity revealed");
    Ok(RevealedIdentity {
        name: contact.as_ref().and_then(|c| c.name.clone()),
        email: contact.as_ref().and_then(|c| c.email.clone()),
        phone: contact.and_then(|c| c.phone),
        account,
    })
}

/// Gives a lifecycle command on a report as `actor`: invisible → `NotFound`, not allowed by the
/// policy → `Forbidden`, refused by the lifecycle → `Refused`.
pub async fn command<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    input: &CommandInput,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    command_with_files(db, None, actor, id, input, Vec::new(), now).await
}

/// `command` with files for the message (stored only once everything else is accepted).
pub async fn command_with_files<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    files: Option<&Files>,
    actor: &Actor,
    id: i64,
    input: &CommandInput,
    uploads: Vec<Upload>,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    let r = load_visible(db, actor, id).await?;
    // What the kind needs (agency, unit, reason, rating, words) is checked by the input itself.
    let command = input.to_command().map_err(AppError::Validation)?;
    if !can(actor, Action::Command(&command), &facts_of(db, &r).await?) {
        return Err(AppError::Forbidden);
    }
    let target = match &command {
        Command::Dispatch { agency, .. } => Some(*agency),
        Command::Delegate { unit } => Some(*unit),
        _ => None,
    };
    if let Some(target) = target {
        let active = agency::Entity::find_by_id(target)
            .one(db)
            .await
            .map_err(internal("loading agency"))?
            .is_some_and(|a| a.active);
        if !active {
            return Err(AppError::field(Field::Agency, FieldError::Unknown));
        }
    }
    let role = actor
        .role()
        .and_then(AccountRole::lifecycle_role)
        .ok_or(AppError::Forbidden)?;
    let note = input.note();
    apply(&state_of(&r)?, &command, role).map_err(AppError::Refused)?;
    // Copy-paste answers: a reply nearly identical to one this agency sent on another report
    // is held back once, with a warning, unless the sender confirms.
    if let (Some(text), Some(s), false) = (note, actor.staff(), input.confirm_similar) {
        if command.kind().needs().reply
            && super::templates::near_duplicate(db, &s.scope, r.id, text)
                .await?
                .is_some()
        {
            return Err(AppError::field(Field::Message, FieldError::NearDuplicate));
        }
    }
    let stored = match files {
        Some(files) => store_uploads(files, r.id, uploads).await?,
        None if uploads.iter().any(|u| !u.bytes.is_empty()) => {
            return Err(AppError::field(Field::Attachments, FieldError::WrongType))
        }
        None => Vec::new(),
    };
    let posting = Posting {
        note,
        files: stored,
        agency: actor.staff().and_then(|s| s.agency),
    };
    transition_posting(db, r.id, &command, role, actor.account(), &posting, now).await
}

/// An attachment `actor` may open: on a report they can see, and (for a citizen) not on an
/// internal note. Anything else is `NotFound`.
pub async fn attachment_for<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<attachment::Model, AppError> {
    let a = attachment::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("loading attachment"))?
        .ok_or(AppError::NotFound)?;
    load_visible(db, actor, a.report_id).await?;
    if matches!(actor, Actor::Citizen { .. })
        && !super::conversation::reporter_reads_message(db, a.message_id).await?
    {
        return Err(AppError::NotFound);
    }
    Ok(a)
}

/// Puts a guest report into a citizen's account, with its tracking code (audited). A code for a
/// report already in another account is `NotFound`, like an unknown code.
pub async fn claim_report<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    code: &TrackingCode,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let Actor::Citizen { account } = actor else {
        return Err(AppError::Forbidden);
    };
    let r = report::Entity::find()
        .filter(report::Column::TrackingHash.eq(code.lookup_hash()))
        .one(db)
        .await
        .map_err(internal("loading report by tracking code"))?
        .ok_or(AppError::NotFound)?;
    match r.reporter_account_id {
        Some(a) if a == *account => return Ok(r.reference),
        Some(_) => return Err(AppError::NotFound),
        None => {}
    }
    let claimed = report::Entity::update_many()
        .col_expr(report::Column::ReporterAccountId, Expr::value(*account))
        .filter(report::Column::Id.eq(r.id))
        .filter(report::Column::ReporterAccountId.is_null())
        .exec(db)
        .await
        .map_err(internal("claiming report"))?;
    if claimed.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    audit(
        db,
        actor,
        "report.claimed",
        format!("report:{}", r.id),
        None,
        now,
    )
    .await?;
    Ok(r.reference)
}

/// Sets a report's priority (verifiers; audited): 0 normal, 1 high, 2 urgent.
pub async fn set_priority<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    priority: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = load_visible(db, actor, id).await?;
    if !can_triage(actor, &facts_of(db, &r).await?) {
        return Err(AppError::Forbidden);
    }
    if !(0..=2).contains(&priority) {
        return Err(AppError::field(Field::Command, FieldError::Invalid));
    }
    report::Entity::update_many()
        .col_expr(report::Column::Priority, Expr::value(priority))
        .filter(report::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(internal("setting priority"))?;
    audit(
        db,
        actor,
        "report.priority_set",
        format!("report:{id}"),
        Some(format!("{} -> {priority}", r.priority)),
        now,
    )
    .await
}

/// Makes a report anonymous and/or confidential (verifiers; audited). Privacy only goes up:
/// nothing here can make a report less private.
pub async fn raise_privacy<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    anonymous: bool,
    confidential: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = load_visible(db, actor, id).await?;
    if !can_triage(actor, &facts_of(db, &r).await?) {
        return Err(AppError::Forbidden);
    }
    let anonymous = r.anonymous || anonymous;
    let confidential = r.confidential || confidential;
    if (anonymous, confidential) == (r.anonymous, r.confidential) {
        return Ok(());
    }
    report::Entity::update_many()
        .col_expr(report::Column::Anonymous, Expr::value(anonymous))
        .col_expr(report::Column::Confidential, Expr::value(confidential))
        .filter(report::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(internal("raising privacy"))?;
    if confidential {
        super::transparency::unindex(db, id).await?;
        super::stats::mark_confidential(db, id).await?;
    }
    audit(
        db,
        actor,
        "report.privacy_raised",
        format!("report:{id}"),
        Some(format!("anonymous={anonymous} confidential={confidential}")),
        now,
    )
    .await
}

/// Merges a report awaiting verification into an earlier one it duplicates: it is archived
/// (reason: duplicate) with a message telling the reporter which report carries on, and keeps
/// the link. Verifiers; audited by its event.
pub async fn mark_duplicate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    original: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = load_visible(db, actor, id).await?;
    if !can_triage(actor, &facts_of(db, &r).await?) {
        return Err(AppError::Forbidden);
    }
    let original = original.trim().to_uppercase();
    let o = visible_to(actor)
        .filter(report::Column::Reference.eq(original.clone()))
        .one(db)
        .await
        .map_err(internal("loading the original report"))?
        .filter(|o| o.id != r.id)
        .ok_or(AppError::field(Field::Reference, FieldError::Unknown))?;
    let note = format!(
        "Laporan ini sama dengan laporan {} dan digabungkan ke sana; tindak lanjut dicatat pada laporan tersebut. / This report duplicates report {} and was merged into it.",
        o.reference, o.reference
    );
    transition_posting(
        db,
        r.id,
        &Command::Archive {
            reason: crate::domain::lifecycle::ArchiveReason::Duplicate,
        },
        crate::domain::lifecycle::Role::Verifier,
        actor.account(),
        &Posting {
            note: Some(&note),
            ..Posting::default()
        },
        now,
    )
    .await?;
    report::Entity::update_many()
        .col_expr(report::Column::DuplicateOf, Expr::value(o.id))
        .filter(report::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(internal("linking the duplicate"))?;
    Ok(())
}

/// An agency that may join report `r` as a co-agency: active, neither its lead nor already a
/// co-agency (else a field message).
async fn co_agency_target<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
    f: &ReportFacts,
    agency_id: i32,
) -> Result<agency::Model, AppError> {
    agency::Entity::find_by_id(agency_id)
        .one(db)
        .await
        .map_err(internal("loading agency"))?
        .filter(|a| a.active)
        .filter(|_| r.agency_id != Some(agency_id) && !f.co_agencies.contains(&agency_id))
        .ok_or(AppError::field(Field::Agency, FieldError::Unknown))
}

/// Adds a co-agency to a joint case (verifiers; audited): its staff see the report, write
/// follow-ups in its thread and are notified, until the case leaves the lead agency.
pub async fn add_co_agency<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    agency_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = load_visible(db, actor, id).await?;
    let f = facts_of(db, &r).await?;
    if !can_add_co_agency(actor, &f) {
        return Err(AppError::Forbidden);
    }
    co_agency_target(db, &r, &f, agency_id).await?;
    let status = parse_stored(ReportStatus::parse(&r.status), "status")?;
    let notices =
        super::notify::plan_for_agency(db, &r, EventKind::Dispatched, status, agency_id, now)
            .await?;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    report_agency::ActiveModel {
        report_id: sea_orm::Set(r.id),
        agency_id: sea_orm::Set(agency_id),
        added_by: sea_orm::Set(actor.account()),
        added_at: sea_orm::Set(now),
    }
    .insert(&txn)
    .await
    .map_err(internal("adding a co-agency"))?;
    notices.write(&txn).await?;
    audit(
        &txn,
        actor,
        "report.co_agency_added",
        format!("report:{id}"),
        Some(format!("agency:{agency_id}")),
        now,
    )
    .await?;
    txn.commit()
        .await
        .map_err(internal("committing a co-agency"))
}

/// Asks the verifiers to add a co-agency (the lead agency's administrators): an internal note on
/// the report naming the agency and why, a notice to the verifiers, and an audit entry. It
/// grants nothing; a verifier decides with `add_co_agency`.
pub async fn request_co_agency<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    agency_id: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = load_visible(db, actor, id).await?;
    let f = facts_of(db, &r).await?;
    if !can_request_co_agency(actor, &f) {
        return Err(AppError::Forbidden);
    }
    let target = co_agency_target(db, &r, &f, agency_id).await?;
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(AppError::field(
            Field::Reason,
            FieldError::TooShort { min: 5 },
        ));
    }
    let status = parse_stored(ReportStatus::parse(&r.status), "status")?;
    let notices = super::notify::plan(
        db,
        &r,
        EventKind::CoAgencyRequested,
        status,
        r.agency_id,
        None,
        now,
    )
    .await?;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    super::entities::message::ActiveModel {
        report_id: sea_orm::Set(r.id),
        author: sea_orm::Set("agency".into()),
        author_account_id: sea_orm::Set(actor.account()),
        agency_id: sea_orm::Set(actor.staff().and_then(|s| s.agency)),
        audience: sea_orm::Set("internal".into()),
        body: sea_orm::Set(format!(
            "Permintaan instansi pendamping / Co-agency requested: {} ({}). {}",
            target.name,
            target.code,
            reason.chars().take(1000).collect::<String>()
        )),
        created_at: sea_orm::Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal("writing the request"))?;
    notices.write(&txn).await?;
    audit(
        &txn,
        actor,
        "report.co_agency_requested",
        format!("report:{id}"),
        Some(format!("agency:{agency_id}")),
        now,
    )
    .await?;
    txn.commit()
        .await
        .map_err(internal("committing a co-agency request"))
}

/// The dispatch suggestion and similar reports, for those who triage (verifiers): the similar
/// reports come from what `actor` may see, never confidential ones.
pub async fn dispatch_help<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<crate::domain::views::DispatchHelp, AppError> {
    let r = load_visible(db, actor, id).await?;
    if !can_triage(actor, &facts_of(db, &r).await?) {
        return Err(AppError::Forbidden);
    }
    super::routing::help(db, actor, &r).await
}

/// Template `template` filled for report `id`, for agency staff who may use it.
pub async fn template_for<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    template: i32,
) -> Result<String, AppError> {
    let r = load_visible(db, actor, id).await?;
    super::templates::fill(db, actor, template, &r).await
}

mod acts {
    //! The services of the staff report page's actions (`domain::casework`).
    use super::*;
    use crate::domain::casework::*;
    use crate::server::act::{Ctx, Serve};
    use std::sync::Arc;

    impl Serve for StaffCommand {
        async fn serve(self, cx: &Ctx, files: Vec<Upload>) -> Result<EventKind, AppError> {
            let actor = cx.signed_in()?;
            let store = &cx.state.files;
            command_with_files(
                &cx.state.db,
                Some(store),
                actor,
                self.report,
                &self.command,
                files,
                cx.now,
            )
            .await
        }
    }

    impl Serve for RevealIdentity {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<RevealedIdentity, AppError> {
            let actor = cx.signed_in()?;
            reveal_identity(&cx.state.db, actor, self.report, &self.reason, cx.now).await
        }

        fn show(out: &RevealedIdentity) -> Option<Arc<dyn Fn() + Send + Sync>> {
            let out = out.clone();
            Some(Arc::new(move || {
                leptos::prelude::provide_context(out.clone())
            }))
        }
    }

    impl Serve for SetPriority {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            let priority = self
                .priority
                .ok_or(AppError::field(Field::Command, FieldError::Required))?;
            set_priority(&cx.state.db, actor, self.report, priority, cx.now).await
        }
    }

    impl Serve for UpdateReports {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<usize, AppError> {
            let actor = cx.signed_in()?;
            if self.dispatches() {
                let agency = self
                    .agency
                    .ok_or(AppError::field(Field::Agency, FieldError::Required))?;
                return dispatch_reports(&cx.state.db, actor, &self.reports, agency, cx.now).await;
            }
            let assign = self.assign()?;
            update_reports(
                &cx.state.db,
                actor,
                &self.reports,
                assign,
                self.priority,
                cx.now,
            )
            .await
        }
    }

    impl Serve for RaisePrivacy {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            let db = &cx.state.db;
            raise_privacy(
                db,
                actor,
                self.report,
                self.anonymous,
                self.confidential,
                cx.now,
            )
            .await
        }
    }

    impl Serve for MarkDuplicate {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            mark_duplicate(&cx.state.db, actor, self.report, &self.reference, cx.now).await
        }
    }

    impl Serve for AddCoAgency {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            let agency = self
                .agency
                .ok_or(AppError::field(Field::Agency, FieldError::Required))?;
            add_co_agency(&cx.state.db, actor, self.report, agency, cx.now).await
        }
    }

    impl Serve for RequestCoAgency {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            let agency = self
                .agency
                .ok_or(AppError::field(Field::Agency, FieldError::Required))?;
            let db = &cx.state.db;
            request_co_agency(db, actor, self.report, agency, &self.reason, cx.now).await
        }
    }

    impl Serve for SetPublicVersion {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            let db = &cx.state.db;
            crate::server::transparency::set_public_version(
                db,
                actor,
                self.report,
                &self.title,
                &self.description,
                cx.now,
            )
            .await
        }
    }
}
