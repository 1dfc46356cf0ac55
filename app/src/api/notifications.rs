//! Server functions of notifications: the signed-in person's list.

#[cfg(feature = "ssr")]
use super::actor;
use crate::domain::AppError;
use leptos::prelude::*;

/// The signed-in person's notifications (the bell page).
#[server(endpoint = "notifications")]
pub async fn get_notifications() -> Result<Vec<crate::domain::views::NotificationView>, AppError> {
    let state = super::state()?;
    crate::server::inbox::list(&state.db, &actor()?).await
}
