//! Notifications in the app: the bell's list (`GET /api/v1/notifications`) and marking them read
//! (`POST /api/v1/notifications/read`, `POST /notifikasi` from the page).

use crate::adapters::json::api_lang;
use crate::adapters::json::error_response;
use app::server::auth::RequestAuth;
use app::server::inbox;
use app::server::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::post;
use axum::Extension;
use axum::Json;
use chrono::Utc;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The signed-in person's notifications, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    responses(
        (status = 200, description = "Notifications", body = [NotificationItem]),
        (status = 401, description = "Not signed in"),
    ),
    tag = "notifications"
)]
pub(crate) async fn notifications_api(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    uri: http::Uri,
    headers: http::HeaderMap,
) -> Response {
    let lang = api_lang(uri.query(), &headers);
    match inbox::list(&state.db, &auth.actor).await {
        Ok(list) => Json(
            list.into_iter()
                .map(|n| NotificationItem {
                    id: n.id,
                    report_id: n.report_id,
                    reference: n.reference,
                    title: n.title,
                    event: n.event.as_str().to_string(),
                    at: n.at,
                    read: n.read,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => error_response(e, lang),
    }
}

/// Marks every notification read; answers how many were unread.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read",
    responses(
        (status = 200, description = "Marked", body = MarkedRead),
        (status = 401, description = "Not signed in"),
    ),
    tag = "notifications"
)]
pub(crate) async fn notifications_read_api(
    State(state): State<AppState>,
    req: axum::extract::Request,
) -> Response {
    crate::adapters::json::json_act::<app::domain::accounts::MarkAllRead>(
        &state,
        req,
        &[],
        |marked| serde_json::json!(MarkedRead { marked }),
    )
    .await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationItem {
    pub id: i64,
    pub report_id: i64,
    pub reference: String,
    pub title: String,
    /// The event, e.g. `dispatched`, `followed_up`.
    pub event: String,
    pub at: chrono::DateTime<Utc>,
    pub read: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MarkedRead {
    pub marked: u64,
}

/// The notifications' routes, each JSON route registered with its OpenAPI entry.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notifications_api))
        .routes(routes!(notifications_read_api))
        .route(
            "/notifikasi",
            post(|s, u| {
                crate::adapters::form::post_default::<app::domain::accounts::MarkAllRead>(
                    s,
                    u,
                    "read-all-form",
                )
            }),
        )
}
