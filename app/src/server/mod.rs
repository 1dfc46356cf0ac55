//! Server-only code: entities, use cases, state. Never compiled into the browser bundle.

pub mod accounts;
pub mod act;
pub mod agencies;
pub mod audit;
pub mod auth;
pub mod charts;
pub mod conversation;
pub mod credentials;
pub mod digest;
pub mod entities;
pub mod files;
pub mod holidays;
pub mod inbox;
pub mod lifecycle;
pub mod notify;
pub mod public;
pub mod reports;
pub mod routing;
pub mod secrets;
pub mod staff;
pub mod state;
pub mod stats;
pub mod templates;

pub use state::AppState;

use crate::domain::AppError;

/// Turns an unexpected failure into the opaque `AppError::Internal`, logging its cause; a full
/// disk becomes `AppError::StorageFull` (a 503 the user can act on: nothing saved, try later).
pub fn internal<E: std::fmt::Display>(context: &'static str) -> impl FnOnce(E) -> AppError {
    move |e| {
        let text = e.to_string();
        tracing::error!(error = %text, "{context}");
        if storage_full(&text) {
            AppError::StorageFull
        } else {
            AppError::Internal
        }
    }
}

/// Whether a database or file-system error says the storage is full: SQLite's `SQLITE_FULL`,
/// PostgreSQL's `could not extend file` / `No space left on device` (SQLSTATE 53100), ENOSPC.
pub fn storage_full(error_text: &str) -> bool {
    let t = error_text.to_ascii_lowercase();
    t.contains("database or disk is full")
        || t.contains("no space left on device")
        || t.contains("could not extend file")
        || t.contains("53100")
        || t.contains("disk quota exceeded")
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
