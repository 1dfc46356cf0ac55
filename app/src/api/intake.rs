use crate::domain::views::ReportFormPage;
use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::domain::{FieldErrors, ReportForm};
use leptos::prelude::*;

/// Everything the report form needs: categories, regions, and a refused submission if any.
#[server(endpoint = "report_form_page")]
pub async fn get_report_form_page() -> Result<ReportFormPage, AppError> {
    let state = super::state()?;
    let (categories, provinces, regencies) = crate::server::intake::form_options(&state.db).await?;
    // A submission refused without JavaScript: everything typed, and why (the page answers the
    // post; the hydrated page gets the same from this resource).
    let refused = use_context::<crate::act::PostedRefusal>()
        .and_then(|p| p.0)
        .filter(|r| r.act == <crate::domain::intake::SubmitReport as crate::act::Act>::KEY);
    let notice = refused
        .as_ref()
        .filter(|r| !matches!(r.error, AppError::Validation(_)))
        .and_then(|r| r.error.message_key())
        .map(str::to_string);
    let dropped_files = refused
        .as_ref()
        .and_then(|r| {
            r.values
                .iter()
                .find(|(k, _)| k == crate::act::DROPPED_FILES)
                .map(|(_, v)| v.clone())
        })
        .unwrap_or_default();
    let refused = refused.map(|r| {
        let form = ReportForm::from_lookup(|name| {
            r.values
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        });
        let errors: FieldErrors = match r.error {
            AppError::Validation(e) => e,
            _ => FieldErrors::new(),
        };
        (form, errors)
    });
    Ok(ReportFormPage {
        categories,
        provinces,
        regencies,
        refused,
        notice,
        dropped_files,
        // Fresh for every form shown: nothing was stored under a refused post's key.
        request_key: crate::domain::intake::RequestKey::generate()
            .as_str()
            .to_string(),
    })
}
