use crate::domain::views::ReportFormPage;
use crate::domain::{AppError, FieldErrors, ReportForm};
use leptos::prelude::*;

/// A submission the server refused, provided as context when the form page is rendered again
/// after a plain (no-JavaScript) form post, so nothing typed is lost.
#[derive(Clone, Debug)]
pub struct RefusedSubmission(pub ReportForm, pub FieldErrors, pub Option<&'static str>);

/// Everything the report form needs: categories, regions, and a refused submission if any.
#[server(endpoint = "report_form_page")]
pub async fn get_report_form_page() -> Result<ReportFormPage, AppError> {
    let state = super::state()?;
    let (categories, provinces, regencies) =
        crate::server::reports::form_options(&state.db).await?;
    let refused = use_context::<RefusedSubmission>();
    let notice = refused.as_ref().and_then(|r| r.2).map(str::to_string);
    Ok(ReportFormPage {
        categories,
        provinces,
        regencies,
        refused: refused.map(|r| (r.0, r.1)),
        notice,
    })
}
