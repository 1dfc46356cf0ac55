//! Server functions, by capability (the same names as `domain` and the server's HTTP routes):
//! page reads, each a thin edge over a use case in `server/`, and `acts` (one line per typed
//! action).

pub mod accounts;
pub mod acts;
pub mod casework;
pub mod conversation;
pub mod intake;
pub mod notifications;
pub mod office;
pub mod transparency;

pub use conversation::{get_tracking, TRACK_ENDPOINT};
pub use intake::get_report_form_page;

/// The signed-in actor of a server function's request; `Unauthorized` for nobody.
#[cfg(feature = "ssr")]
pub(crate) fn actor() -> Result<crate::domain::access::Actor, crate::domain::AppError> {
    match crate::server::auth::request_auth().actor {
        crate::domain::access::Actor::Public => Err(crate::domain::AppError::Unauthorized),
        a => Ok(a),
    }
}

/// The application state, from the server function's context.
#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<crate::server::AppState, crate::domain::AppError> {
    leptos::prelude::use_context::<crate::server::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from server function context");
        crate::domain::AppError::Internal
    })
}
