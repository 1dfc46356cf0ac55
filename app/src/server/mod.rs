//! Server-only code: entities, use cases, state. Never compiled into the browser bundle.

pub mod accounts;
pub mod act;
pub mod agencies;
pub mod audit;
pub mod auth;
pub mod casework;
pub mod charts;
pub mod commits;
pub mod conversation;
pub mod credentials;
pub mod digest;
pub mod entities;
pub mod failure;
pub mod files;
pub mod holidays;
pub mod idempotency;
pub mod inbox;
pub mod intake;
pub mod lifecycle;
pub mod notify;
pub mod personal_data;
pub mod retention;
pub mod routing;
pub mod saved_views;
pub mod secrets;
pub mod state;
pub mod stats;
pub mod templates;
pub mod transparency;

pub use state::AppState;

use crate::domain::AppError;

/// Turns an unexpected failure into the opaque `AppError::Internal`, logging its cause chain;
/// a full disk (by its SQLSTATE, SQLite code or OS error number: `failure::storage_full`)
/// becomes `AppError::StorageFull` (a 503 the user can act on: nothing saved, try later).
pub fn internal<E: std::error::Error + 'static>(
    context: &'static str,
) -> impl FnOnce(E) -> AppError {
    move |e| {
        tracing::error!(error = %failure::chain(&e), "{context}");
        if failure::storage_full(&e) {
            AppError::StorageFull
        } else {
            AppError::Internal
        }
    }
}

/// A semaphore with one permit per core, made once in `cell`: CPU- and memory-heavy work
/// (argon2, image decoding) queues behind it instead of taking every core at once.
pub(crate) fn per_core(
    cell: &'static std::sync::OnceLock<tokio::sync::Semaphore>,
) -> &'static tokio::sync::Semaphore {
    cell.get_or_init(|| {
        tokio::sync::Semaphore::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
    })
}
