use crate::domain::views::TrackView;
use crate::domain::AppError;
use leptos::prelude::*;

/// The server function path of `get_tracking`, rate-limited like the other tracking lookups.
pub const TRACK_ENDPOINT: &str = "/api/track";

/// The reporter's view of the report a tracking code opens.
#[server(endpoint = "track")]
pub async fn get_tracking(code: String) -> Result<TrackView, AppError> {
    use crate::domain::{Field, FieldError, TrackingCode};
    let code = TrackingCode::parse(&code)
        .map_err(|_| AppError::field(Field::TrackingCode, FieldError::Invalid))?;
    let state = super::state()?;
    crate::server::intake::track_report(&state.db, &code, chrono::Utc::now()).await
}

#[cfg(feature = "ssr")]
use super::actor;

/// A citizen's own report, as the reporter sees it (the thread and what they can do now).
#[server(endpoint = "my-report")]
pub async fn get_my_report(id: i64) -> Result<crate::domain::views::TrackView, AppError> {
    let state = super::state()?;
    crate::server::conversation::my_report(&state.db, &actor()?, id, chrono::Utc::now()).await
}
