//! Server-only code: entities, use cases, state. Never compiled into the browser bundle.

pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod auth;
pub mod conversation;
pub mod credentials;
pub mod entities;
pub mod files;
pub mod inbox;
pub mod lifecycle;
pub mod notify;
pub mod reports;
pub mod routing;
pub mod staff;
pub mod state;
pub mod templates;

pub use state::AppState;

use crate::domain::AppError;

/// Turns an unexpected failure into the opaque `AppError::Internal`, logging its cause.
pub fn internal<E: std::fmt::Display>(context: &'static str) -> impl FnOnce(E) -> AppError {
    move |e| {
        tracing::error!(error = %e, "{context}");
        AppError::Internal
    }
}
