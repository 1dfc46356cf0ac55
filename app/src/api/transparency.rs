//! Server functions of the public pages: anyone may call them; what they return is built only
//! from public reports (`server::transparency`).

use crate::domain::views::{PublicFilter, PublicListPage, PublicReportView};
use crate::domain::AppError;
use leptos::prelude::*;

/// One page of public reports, with the filter form's options.
#[server(endpoint = "public-reports")]
pub async fn get_public_list(filter: PublicFilter) -> Result<PublicListPage, AppError> {
    let state = super::state()?;
    crate::server::transparency::list_page(&state.db, filter).await
}

/// A public report, as the signed-in reader (if any) sees it.
#[server(endpoint = "public-report")]
pub async fn get_public_report(reference: String) -> Result<PublicReportView, AppError> {
    let state = super::state()?;
    let viewer = crate::server::auth::request_auth().actor.account();
    crate::server::transparency::public_report(&state.db, &reference, viewer).await
}

/// The public statistics (confidential cases left out).
#[server(endpoint = "statistics")]
pub async fn get_statistics(
    filter: crate::domain::views::StatsFilter,
) -> Result<crate::domain::views::StatsPage, AppError> {
    let state = super::state()?;
    crate::server::stats::page(&state.db, &filter, None, chrono::Utc::now()).await
}

/// The oversight dashboard: the same figures with confidential cases, the overdue list, for
/// supervisors (their subtree), verifiers and system administrators.
#[server(endpoint = "oversight")]
pub async fn get_oversight(
    filter: crate::domain::views::StatsFilter,
) -> Result<crate::domain::views::StatsPage, AppError> {
    let state = super::state()?;
    let actor = crate::server::auth::request_auth().actor;
    crate::server::stats::page(&state.db, &filter, Some(&actor), chrono::Utc::now()).await
}
