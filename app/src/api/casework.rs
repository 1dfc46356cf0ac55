//! Server functions of casework: the staff work list and the staff report page (a page-query
//! service, `server::casework::report_page`, assembles it).

#[cfg(feature = "ssr")]
use super::actor;
use crate::domain::views::{StaffListPage, StaffReportPage};
use crate::domain::AppError;
use leptos::prelude::*;

/// The staff work list (or a citizen's own reports).
#[server(endpoint = "staff-list")]
pub async fn get_staff_list(
    status: Option<String>,
    overdue: bool,
    kind: Option<String>,
    category: Option<i32>,
    region: Option<String>,
    q: Option<String>,
    older_than_days: Option<u32>,
    agency: Option<i32>,
    measure: Option<String>,
    months: Option<String>,
) -> Result<StaffListPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    let filter = crate::server::casework::ListFilter {
        status,
        overdue,
        kind,
        category,
        region,
        q,
        older_than_days,
        agency,
        measure,
        months,
    };
    let rows =
        crate::server::casework::list_reports(&state.db, &actor, &filter, chrono::Utc::now())
            .await?;
    let (categories, provinces, _) = crate::server::intake::form_options(&state.db).await?;
    Ok(StaffListPage {
        rows,
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
