//! Server functions: one file per action, each a thin edge over a use case in `server/`.

pub mod access;
pub mod acts;
pub mod public;
mod report_form;
mod track;

pub use report_form::get_report_form_page;
pub use track::{get_tracking, TRACK_ENDPOINT};

/// The application state, from the server function's context.
#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<crate::server::AppState, crate::domain::AppError> {
    leptos::prelude::use_context::<crate::server::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from server function context");
        crate::domain::AppError::Internal
    })
}
