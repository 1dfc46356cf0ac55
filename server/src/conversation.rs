//! The conversation between a reporter and the staff, on the reporter's side, and the files of a
//! report:
//! - `GET /api/v1/track/{code}`: the reporter's view of a report (tracking);
//! - `POST /lacak/{code}`, `POST /laporan-saya/{id}`: answer a question, add information, confirm
//!   with a rating, dispute, with a message and files (works without JavaScript);
//! - `POST /api/v1/track/{code}/actions`, `POST /api/v1/my/reports/{id}/actions`: the same in JSON;
//! - `GET /lacak/{code}/lampiran/{id}`: a file, for the holder of the tracking code;
//! - `GET /lampiran/{id}`: a file, for a signed-in person who may see the report.

use crate::adapters::form::with_upload_limit;
use crate::adapters::json::api_lang;
use crate::adapters::json::error_response;
use crate::adapters::json::ErrorBody;
use app::domain::calendar::TimeLeft;
use app::domain::casework::OwnReportCommand;
use app::domain::casework::TrackCommand;
use app::domain::views::TrackView;
use app::domain::AppError;
use app::domain::TrackingCode;
use app::server::auth::RequestAuth;
use app::server::casework;
use app::server::conversation;
use app::server::entities::attachment;
use app::server::files;
use app::server::intake;
use app::server::AppState;
use axum::extract::DefaultBodyLimit;
use axum::extract::Path;
use axum::extract::Request;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use axum::routing::post;
use axum::Extension;
use axum::Json;
use chrono::DateTime;
use chrono::NaiveDate;
use chrono::Utc;
use http::header;
use http::HeaderValue;
use http::StatusCode;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    pub at: DateTime<Utc>,
    #[schema(example = "submitted")]
    pub event: String,
    #[schema(example = "awaiting_verification")]
    pub status: String,
}

/// The reporter's view of a report. It has no field for the reporter's identity.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackedReport {
    pub reference: String,
    #[schema(example = "complaint")]
    pub kind: String,
    pub title: String,
    #[schema(example = "awaiting_verification")]
    pub status: String,
    /// `written`, `verification`, `follow_up`, `response` or `done`.
    pub stage: String,
    pub category_id: Option<i32>,
    pub region: Option<String>,
    #[schema(value_type = Option<String>)]
    pub incident_date: Option<NaiveDate>,
    pub anonymous: bool,
    pub confidential: bool,
    pub created_at: DateTime<Utc>,
    /// The current stage's deadline.
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    /// Working days left after today in the current stage, when not overdue.
    pub working_days_left: Option<i64>,
    pub timeline: Vec<TimelineItem>,
    /// The messages between the reporter and the staff.
    pub messages: Vec<MessageItem>,
    /// What the reporter can do now through `POST /api/v1/track/{code}/actions`.
    pub actions: Vec<String>,
}

impl From<TrackView> for TrackedReport {
    fn from(v: TrackView) -> Self {
        let stage = match v.stage {
            app::domain::CitizenStage::Written => "written",
            app::domain::CitizenStage::Verification => "verification",
            app::domain::CitizenStage::FollowUp => "follow_up",
            app::domain::CitizenStage::Response => "response",
            app::domain::CitizenStage::Done => "done",
        };
        Self {
            reference: v.reference,
            kind: v.kind.as_str().to_string(),
            title: v.title,
            status: v.status.as_str().to_string(),
            stage: stage.to_string(),
            category_id: v.category.map(|c| c.id),
            region: v.region_name,
            incident_date: v.incident_date,
            anonymous: v.anonymous,
            confidential: v.confidential,
            created_at: v.created_at,
            due_at: v.due_at,
            overdue: v.time_left == Some(TimeLeft::Overdue),
            working_days_left: match v.time_left {
                Some(TimeLeft::WorkingDays(n)) => Some(n),
                Some(TimeLeft::DueToday) => Some(0),
                _ => None,
            },
            messages: v.thread.into_iter().map(MessageItem::from).collect(),
            actions: v.actions.iter().map(|a| a.name().to_string()).collect(),
            timeline: v
                .timeline
                .into_iter()
                .map(|e| TimelineItem {
                    at: e.at,
                    event: e.event.as_str().to_string(),
                    status: e.status.as_str().to_string(),
                })
                .collect(),
        }
    }
}

/// One message of the thread. `author` is `reporter`, `agency`, `verifier` or `system`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageItem {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub author: String,
    /// The agency's name when an agency wrote it.
    pub agency: Option<String>,
    pub event: Option<String>,
    pub body: String,
    pub attachments: Vec<AttachmentItem>,
}

impl From<app::domain::views::ThreadMessage> for MessageItem {
    fn from(m: app::domain::views::ThreadMessage) -> Self {
        use app::domain::views::MessageAuthor as A;
        let (author, agency) = match m.author {
            A::Reporter => ("reporter", None),
            A::Agency { name } => ("agency", Some(name)),
            A::Verifier => ("verifier", None),
            A::System => ("system", None),
        };
        Self {
            id: m.id,
            at: m.at,
            author: author.into(),
            agency,
            event: m.event.map(|e| e.as_str().to_string()),
            body: m.body,
            attachments: m
                .attachments
                .into_iter()
                .map(|a| AttachmentItem {
                    id: a.id,
                    file_name: a.file_name,
                    media_type: a.media_type,
                    size_bytes: a.size_bytes,
                })
                .collect(),
        }
    }
}

/// A file of a message; fetch it at `/lacak/{code}/lampiran/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentItem {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
}

/// Track a report by its tracking code (any case, dashes optional). Rate-limited per client.
#[utoipa::path(
    get,
    path = "/api/v1/track/{tracking_code}",
    params(("tracking_code" = String, Path, description = "The tracking code")),
    responses(
        (status = 200, description = "The report", body = TrackedReport),
        (status = 404, description = "No report has this code", body = ErrorBody),
        (status = 429, description = "Too many lookups from this client", body = ErrorBody),
    ),
    tag = "reports"
)]
async fn track(State(state): State<AppState>, Path(code): Path<String>, req: Request) -> Response {
    let lang = api_lang(req.uri().query(), req.headers());
    // Malformed and unknown codes get the same answer.
    let Ok(code) = TrackingCode::parse(&code) else {
        return error_response(AppError::NotFound, lang);
    };
    match intake::track_report(&state.db, &code, Utc::now()).await {
        Ok(v) => Json(TrackedReport::from(v)).into_response(),
        Err(e) => error_response(e, lang),
    }
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
    crate::adapters::json::json_act::<TrackCommand>(
        &state,
        req,
        &[("code", code.into())],
        crate::adapters::json::event_body,
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
    crate::adapters::json::json_act::<OwnReportCommand>(
        &state,
        req,
        &[("report", id.into())],
        crate::adapters::json::event_body,
    )
    .await
}

async fn reporter_file(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let r = async {
        let code = parse_code(&code)?;
        conversation::reporter_attachment(&state.db, &code, id).await
    }
    .await;
    serve(&state, r, crate::middleware::request_lang(&req)).await
}

async fn signed_in_file(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let r = casework::attachment_for(&state.db, &auth.actor, id).await;
    serve(&state, r, crate::middleware::request_lang(&req)).await
}

/// The file with its real type, never sniffed by the browser, never cached by shared caches,
/// and sandboxed (a PDF is downloaded rather than shown inline).
async fn serve(
    state: &AppState,
    a: Result<attachment::Model, AppError>,
    lang: app::i18n::Lang,
) -> Response {
    let a = match a {
        Ok(a) => a,
        Err(AppError::Internal) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        // Not there and not allowed look the same.
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    if a.erased_at.is_some() {
        // Someone allowed to see it asks for a file deleted under the retention policy.
        let en = lang == app::i18n::Lang::En;
        return crate::middleware::simple_page(
            StatusCode::GONE,
            lang,
            if en {
                "File deleted"
            } else {
                "Berkas sudah dihapus"
            },
            if en {
                "This attachment was deleted when its retention period ended. Its record (type, size, fingerprint) stays with the report."
            } else {
                "Lampiran ini dihapus ketika masa simpannya berakhir. Catatannya (jenis, ukuran, sidik berkas) tetap tersimpan pada laporan."
            },
        );
    }
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

/// The conversation's routes, each JSON route registered with its OpenAPI entry.
pub fn routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(track))
        .routes(with_upload_limit(upload_limit, routes!(reporter_api)))
        .routes(with_upload_limit(upload_limit, routes!(my_report_api)))
        .route(
            "/lacak/{code}",
            post(crate::adapters::form::post).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/laporan-saya/{id}",
            post(crate::adapters::form::post).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/lacak/{code}/lampiran/{id}", get(reporter_file))
        .route("/lampiran/{id}", get(signed_in_file))
}
