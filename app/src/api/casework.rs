//! Server functions of casework: the staff work list and the staff report page (a page-query
//! service, `server::casework::report_page`, assembles it).

#[cfg(feature = "ssr")]
use super::actor;
use crate::domain::casework::ListFilter;
use crate::domain::views::{StaffListPage, StaffReportPage};
use crate::domain::AppError;
use leptos::prelude::*;

/// The staff work list (or a citizen's own reports): one page, with the count of what needs
/// this person now and whom they may assign reports to.
#[server(endpoint = "staff-list")]
pub async fn get_staff_list(filter: ListFilter) -> Result<StaffListPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    let now = chrono::Utc::now();
    let db = &state.db;
    let list = crate::server::casework::work_list(db, &actor, &filter, now).await?;
    let needs_me = crate::server::casework::needs_me_count(db, &actor, now).await?;
    let assignees = crate::server::casework::assignees(db, &actor).await?;
    let (categories, provinces, _) = crate::server::intake::form_options(db).await?;
    let agencies = if actor.role() == Some(crate::domain::access::AccountRole::Verifier) {
        crate::server::agencies::choices(db).await?
    } else {
        Vec::new()
    };
    let views = crate::server::saved_views::list(db, &actor).await?;
    Ok(StaffListPage {
        views,
        agencies,
        list,
        needs_me,
        assignees,
        me: actor.account().unwrap_or_default(),
        role: actor.role().ok_or(AppError::Unauthorized)?,
        categories,
        provinces,
    })
}

/// One report for staff, with dispatch and delegation targets.
#[server(endpoint = "staff-report")]
pub async fn get_staff_report(id: i64, template: Option<i32>) -> Result<StaffReportPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    crate::server::casework::report_page(
        &state.db,
        &actor,
        id,
        template,
        use_context::<crate::domain::views::RevealedIdentity>(),
        chrono::Utc::now(),
    )
    .await
}
