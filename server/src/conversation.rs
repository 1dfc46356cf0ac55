//! The reporter's side of a report's thread and the attachment downloads:
//! - `POST /lacak/{code}`: answer a question, add information, confirm with a rating, dispute,
//!   with a message and files (a plain or multipart form; works without JavaScript);
//! - `POST /api/v1/track/{code}/actions`: the same in JSON;
//! - `GET /lacak/{code}/lampiran/{id}`: a file, for the holder of the tracking code;
//! - `GET /lampiran/{id}`: a file, for a signed-in person who may see the report.

use crate::api::{api_lang, error_response};
use app::domain::casework::{OwnReportCommand, TrackCommand};
use app::domain::{AppError, TrackingCode};
use app::server::auth::RequestAuth;
use app::server::conversation;
use app::server::entities::attachment;
use app::server::{files, inbox, staff, AppState};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;
use chrono::Utc;
use http::{header, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};

/// The reporter's pages' posts and downloads, and the JSON routes (each with its OpenAPI entry).
pub fn routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    let limited = |(schemas, paths, router): UtoipaMethodRouter<AppState>| {
        (schemas, paths, router.layer(DefaultBodyLimit::max(upload_limit)))
    };
    OpenApiRouter::new()
        .route(
            "/lacak/{code}",
            post(crate::acts::post).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/lacak/{code}/lampiran/{id}", get(reporter_file))
        .route("/lampiran/{id}", get(signed_in_file))
        .route(
            "/laporan-saya/{id}",
            post(crate::acts::post).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/notifikasi",
            post(|s, u| {
                crate::acts::post_default::<app::domain::accounts::MarkAllRead>(
                    s,
                    u,
                    "read-all-form",
                )
            }),
        )
        .routes(routes!(notifications_api))
        .routes(routes!(notifications_read_api))
        .routes(limited(routes!(my_report_api)))
        .routes(limited(routes!(reporter_api)))
}

fn parse_code(code: &str) -> Result<TrackingCode, AppError> {
    TrackingCode::parse(code).map_err(|_| AppError::NotFound)
}

/// What the reporter sends through the API.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReporterAction {
    /// `answer_hold`, `add_information`, `confirm` or `dispute`.
    pub action: String,
    /// The message (required except for `confirm`).
    #[serde(default)]
    pub note: String,
    /// 1 to 5, for `confirm`.
    pub rating: Option<u8>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionDone {
    /// The event recorded, e.g. `hold_answered`.
    pub event: String,
}

/// The reporter answers, adds information, confirms or disputes (the tracking code is the key):
/// JSON, or `multipart/form-data` with the same fields and files (`files`).
#[utoipa::path(
    post,
    path = "/api/v1/track/{tracking_code}/actions",
    params(("tracking_code" = String, Path, description = "The tracking code")),
    request_body = ReporterAction,
    responses(
        (status = 200, description = "Recorded", body = ActionDone),
        (status = 404, description = "Unknown code"),
        (status = 409, description = "The report is not at a stage that accepts this"),
        (status = 422, description = "Some fields were refused"),
        (status = 429, description = "Too many lookups"),
    ),
    tag = "reports"
)]
pub(crate) async fn reporter_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> Response {
    crate::acts::json_act::<TrackCommand>(
        &state,
        req,
        &[("code", code.into())],
        crate::acts::event_body,
    )
    .await
}

/// The citizen answers, adds information, confirms or disputes their own report.
#[utoipa::path(
    post,
    path = "/api/v1/my/reports/{id}/actions",
    params(("id" = i64, Path, description = "The report")),
    request_body = ReporterAction,
    responses(
        (status = 200, description = "Recorded", body = ActionDone),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "Not one of my reports"),
        (status = 409, description = "The report is not at a stage that accepts this"),
        (status = 422, description = "Some fields were refused"),
    ),
    tag = "reports"
)]
pub(crate) async fn my_report_api(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Response {
    crate::acts::json_act::<OwnReportCommand>(
        &state,
        req,
        &[("report", id.into())],
        crate::acts::event_body,
    )
    .await
}

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
    crate::acts::json_act::<app::domain::accounts::MarkAllRead>(&state, req, &[], |marked| {
        serde_json::json!(MarkedRead { marked })
    })
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

async fn reporter_file(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, i64)>,
) -> Response {
    let r = async {
        let code = parse_code(&code)?;
        conversation::reporter_attachment(&state.db, &code, id).await
    }
    .await;
    serve(&state, r).await
}

async fn signed_in_file(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(id): Path<i64>,
) -> Response {
    let r = staff::attachment_for(&state.db, &auth.actor, id).await;
    serve(&state, r).await
}

/// The file with its real type, never sniffed by the browser, never cached by shared caches,
/// and sandboxed (a PDF is downloaded rather than shown inline).
async fn serve(state: &AppState, a: Result<attachment::Model, AppError>) -> Response {
    let a = match a {
        Ok(a) => a,
        Err(AppError::Internal) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        // Not there and not allowed look the same.
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let bytes = match files::read(&state.files, &a).await {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let disposition = if a.media_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&a.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{disposition}; filename=\"{}\"",
        app::server::files::shown_name(&a)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}
