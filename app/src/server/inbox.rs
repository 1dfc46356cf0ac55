//! The bell: a signed-in person's in-app notifications, newest first, only about reports they
//! can still see (a report delegated away drops out), and marking them read.

use super::casework::visible_to;
use super::entities::{notification, report};
use super::internal;
use crate::domain::access::Actor;
use crate::domain::views::NotificationView;
use crate::domain::{AppError, EventKind};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// How many notifications the list shows.
pub const LIST_LIMIT: u64 = 50;

/// Unread notifications of the signed-in `actor`, counted under the rule the list shows them
/// by: about a report they can see, or a public one they follow.
pub async fn unread<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<u64, AppError> {
    use sea_orm::QueryTrait;
    let Some(account) = actor.account() else {
        return Ok(0);
    };
    let visible = visible_to(actor)
        .select_only()
        .column(report::Column::Id)
        .into_query();
    let public = super::transparency::public_reports()
        .select_only()
        .column(report::Column::Id)
        .into_query();
    notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account))
        .filter(notification::Column::ReadAt.is_null())
        .filter(
            sea_orm::Condition::any()
                .add(notification::Column::ReportId.in_subquery(visible))
                .add(notification::Column::ReportId.in_subquery(public)),
        )
        .count(db)
        .await
        .map_err(internal("counting notifications"))
}

/// The newest notifications of the signed-in `actor`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<NotificationView>, AppError> {
    let Some(account) = actor.account() else {
        return Err(AppError::Unauthorized);
    };
    let rows = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account))
        .order_by_desc(notification::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await
        .map_err(internal("loading notifications"))?;
    let ids: Vec<i64> = rows.iter().map(|n| n.report_id).collect();
    let reports: HashMap<i64, report::Model> = visible_to(actor)
        .filter(report::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(internal("loading notified reports"))?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    // Reports followed but not otherwise visible: their public version, on the public page.
    let missing: Vec<i64> = rows
        .iter()
        .map(|n| n.report_id)
        .filter(|id| !reports.contains_key(id))
        .collect();
    let followed: HashMap<i64, report::Model> = if missing.is_empty() {
        HashMap::new()
    } else {
        super::transparency::public_reports()
            .filter(report::Column::Id.is_in(missing))
            .all(db)
            .await
            .map_err(internal("loading followed reports"))?
            .into_iter()
            .map(|r| (r.id, r))
            .collect()
    };
    let citizen = matches!(actor, Actor::Citizen { .. });
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            if let Some(r) = followed.get(&n.report_id) {
                return Some(NotificationView {
                    id: n.id,
                    report_id: r.id,
                    reference: r.reference.clone(),
                    title: r.public_title.clone().unwrap_or_default(),
                    event: EventKind::parse(&n.event)?,
                    at: n.created_at,
                    read: n.read_at.is_some(),
                    href: format!("/laporan/{}", r.reference),
                    utc_offset_minutes: r.utc_offset_minutes,
                });
            }
            let r = reports.get(&n.report_id)?;
            Some(NotificationView {
                id: n.id,
                report_id: r.id,
                reference: r.reference.clone(),
                title: r.title.clone(),
                event: EventKind::parse(&n.event)?,
                at: n.created_at,
                read: n.read_at.is_some(),
                href: if citizen {
                    format!("/laporan-saya/{}", r.id)
                } else {
                    format!("/staf/laporan/{}", r.id)
                },
                utc_offset_minutes: r.utc_offset_minutes,
            })
        })
        .collect())
}

/// Marks every notification of `account` read.
pub async fn mark_all_read<C: ConnectionTrait>(
    db: &C,
    account: i64,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::AccountId.eq(account))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await
        .map_err(internal("marking notifications read"))?
        .rows_affected)
}
