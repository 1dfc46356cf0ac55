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
    crate::server::reports::track_report(&state.db, &code, chrono::Utc::now()).await
}
