//! JSON API v1: thin handlers over the same use cases as the pages, and its OpenAPI document.

use app::domain::calendar::TimeLeft;
use app::domain::views::{SubmitReceipt, TrackView};
use app::domain::{AppError, ReportForm, TrackingCode};
use app::i18n::Lang;
use app::server::{reports, AppState};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use chrono::{DateTime, NaiveDate, Utc};
use http::{header, StatusCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{OpenApi, ToSchema};

/// A new report. Missing text fields count as empty; unknown `kind` values and out-of-range
/// fields are refused with 422.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CreateReport {
    /// `complaint`, `aspiration` or `information_request`.
    #[schema(example = "complaint")]
    pub kind: Option<String>,
    /// 10–150 characters.
    pub title: Option<String>,
    /// 30–5,000 characters.
    pub description: Option<String>,
    pub category_id: Option<i32>,
    /// Kemendagri code of a province (`76`) or regency/city (`76.04`).
    #[schema(example = "76.04")]
    pub region_code: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(example = "2026-11-20")]
    pub incident_date: Option<String>,
    /// Hide the reporter's identity from the public and from the agency.
    pub anonymous: Option<bool>,
    /// Do not publish the report at all.
    pub confidential: Option<bool>,
    /// Show the reporter's name on the public report (default: no; ignored when anonymous).
    pub show_name: Option<bool>,
    pub reporter: Option<ReporterIn>,
}

/// The reporter's contact details (all optional). Email and phone are never shown to the public
/// or to agencies; the name is shown to the agency unless anonymous, and to the public only
/// with `show_name`.
#[derive(Default, Deserialize, ToSchema)]
pub struct ReporterIn {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl std::fmt::Debug for ReporterIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReporterIn(<redacted>)")
    }
}

impl From<CreateReport> for ReportForm {
    fn from(r: CreateReport) -> Self {
        let reporter = r.reporter.unwrap_or_default();
        ReportForm {
            kind: r.kind.unwrap_or_default(),
            title: r.title.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            category_id: r.category_id.map(|c| c.to_string()).unwrap_or_default(),
            province: String::new(),
            regency: r.region_code.unwrap_or_default(),
            incident_date: r.incident_date.unwrap_or_default(),
            anonymous: r.anonymous.unwrap_or(false),
            confidential: r.confidential.unwrap_or(false),
            name: reporter.name.unwrap_or_default(),
            show_name: r.show_name.unwrap_or(false),
            email: reporter.email.unwrap_or_default(),
            phone: reporter.phone.unwrap_or_default(),
        }
    }
}

/// The answer to a submission. `tracking_code` is shown this once: keep it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportCreated {
    #[schema(example = "ADU-7K2M-9QXP")]
    pub reference: String,
    #[schema(example = "7K2M-9QXP-AB12-CDEF")]
    pub tracking_code: String,
    #[schema(example = "awaiting_verification")]
    pub status: String,
    pub due_at: Option<DateTime<Utc>>,
}

impl From<SubmitReceipt> for ReportCreated {
    fn from(r: SubmitReceipt) -> Self {
        Self {
            reference: r.reference,
            tracking_code: r.tracking_code.grouped(),
            status: r.status.as_str().to_string(),
            due_at: r.due_at,
        }
    }
}

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

/// A file of a message; fetch it at `/lacak/{code}/lampiran/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentItem {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
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

/// An error. `fields` is present for `validation` errors: one message per refused field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    #[schema(example = "validation")]
    pub error: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// `AppError` as an HTTP answer in the client's language; causes of internal errors stay in
/// the log.
pub fn error_response(e: AppError, lang: Lang) -> Response {
    let t = lang.texts();
    let (status, body) = match e {
        AppError::Validation(fields) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorBody {
                error: "validation",
                message: Some(t.error_summary_title.to_string()),
                fields: Some(
                    fields
                        .into_iter()
                        .map(|(f, err)| (f.name().to_string(), t.field_error(f, err)))
                        .collect(),
                ),
            },
        ),
        AppError::NotFound => (
            StatusCode::NOT_FOUND,
            ErrorBody {
                error: "not_found",
                // Tracking and staff routes alike: the code, the report or the thing named in the
                // address does not exist, or is outside what the caller may see (one answer).
                message: Some(
                    t.tr(
                        "Tidak ditemukan. Periksa kembali kode atau alamatnya; bisa jadi juga di luar yang boleh Anda buka.",
                        "Not found. Check the code or the address; it may also be outside what you may open.",
                    )
                    .to_string(),
                ),
                fields: None,
            },
        ),
        AppError::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            ErrorBody {
                error: "rate_limited",
                message: Some(t.rate_limited.to_string()),
                fields: None,
            },
        ),
        // In the request's language, from the pages' catalogue (not the refusal's English
        // `Display`).
        AppError::Refused(_) => (
            StatusCode::CONFLICT,
            ErrorBody {
                error: "refused",
                message: Some(t.form_message("refused").to_string()),
                fields: None,
            },
        ),
        AppError::Conflict => (
            StatusCode::CONFLICT,
            ErrorBody {
                error: "conflict",
                message: Some(t.form_message("conflict").to_string()),
                fields: None,
            },
        ),
        AppError::Unauthorized | AppError::BadCredentials => (
            StatusCode::UNAUTHORIZED,
            ErrorBody {
                error: "unauthorized",
                message: Some(
                    t.tr(
                        "Email, kata sandi atau kode salah, atau sesi berakhir",
                        "Wrong email, password or code, or the session has ended",
                    )
                    .to_string(),
                ),
                fields: None,
            },
        ),
        AppError::Forbidden => (
            StatusCode::FORBIDDEN,
            ErrorBody {
                error: "forbidden",
                message: Some(
                    t.tr(
                        "Anda tidak berwenang melakukan ini",
                        "You are not allowed to do this",
                    )
                    .to_string(),
                ),
                fields: None,
            },
        ),
        AppError::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorBody {
                error: "internal",
                message: Some(t.error_page_body.to_string()),
                fields: None,
            },
        ),
        AppError::StorageFull => {
            let body = ErrorBody {
                error: "storage_full",
                message: Some(t.storage_full_body.to_string()),
                fields: None,
            };
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "60")],
                Json(body),
            )
                .into_response();
        }
    };
    (status, Json(body)).into_response()
}

/// The language of an API request: `?lang=`, else `Accept-Language`, else Indonesian.
pub(crate) fn api_lang(req_query: Option<&str>, headers: &http::HeaderMap) -> Lang {
    app::i18n::query_lang(req_query).unwrap_or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    })
}

/// Submit a report.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    request_body = CreateReport,
    responses(
        (status = 201, description = "Report stored; keep the tracking code", body = ReportCreated),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 422, description = "Some fields were refused", body = ErrorBody),
    ),
    tag = "reports"
)]
async fn create_report(
    State(state): State<AppState>,
    uri: http::Uri,
    headers: http::HeaderMap,
    body: Result<Json<CreateReport>, JsonRejection>,
) -> Response {
    let lang = api_lang(uri.query(), &headers);
    let Json(input) = match body {
        Ok(b) => b,
        Err(rejection) => {
            let status = match rejection {
                JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                _ => StatusCode::BAD_REQUEST,
            };
            return (
                status,
                Json(ErrorBody {
                    error: "malformed",
                    message: Some(rejection.body_text()),
                    fields: None,
                }),
            )
                .into_response();
        }
    };
    match reports::submit_form_in(
        &state.db,
        &ReportForm::from(input),
        None,
        &[],
        lang,
        Utc::now(),
    )
    .await
    {
        Ok(receipt) => {
            let location = format!("/api/v1/track/{}", receipt.tracking_code.as_str());
            (
                StatusCode::CREATED,
                [
                    (header::LOCATION, location),
                    (header::CACHE_CONTROL, "no-store".into()),
                ],
                Json(ReportCreated::from(receipt)),
            )
                .into_response()
        }
        Err(e) => error_response(e, lang),
    }
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
    match reports::track_report(&state.db, &code, Utc::now()).await {
        Ok(v) => Json(TrackedReport::from(v)).into_response(),
        Err(e) => error_response(e, lang),
    }
}

/// The document's head: what `routes!` cannot know (title, version, tag descriptions). Every
/// path and schema comes from the routes themselves.
#[derive(OpenApi)]
#[openapi(
    info(title = "Aduan API", version = "1", description = "Public-service complaint management: submit and track reports."),
    tags((name = "reports", description = "Citizen reports"), (name = "public", description = "Public reports and statistics"),
         (name = "notifications", description = "In-app notifications"),
         (name = "access", description = "Sessions, the current account, integration tokens"),
         (name = "staff", description = "Scoped report work for staff"),
         (name = "citizen", description = "Citizen accounts and their reports"),
         (name = "admin", description = "Accounts, invites, agencies, routing rules and the holiday calendar"))
)]
pub struct ApiDoc;

/// Every JSON route of API v1 (and the pages' posts that live beside them), each registered
/// together with its OpenAPI entry: a route cannot exist without its documentation.
pub fn documented_routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(create_report))
        .routes(routes!(track))
        .merge(crate::conversation::routes(upload_limit))
        .merge(crate::api_office::routes())
        .merge(crate::api_access::routes(upload_limit))
        .merge(crate::api_public::routes())
}

/// The OpenAPI document served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    documented_routes(1).into_openapi()
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// `/api/v1/*` with `/api/v1/openapi.json`, `/healthz` and `/readyz`.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    let (router, doc) = documented_routes(upload_limit).split_for_parts();
    let doc = std::sync::Arc::new(serde_json::to_string(&doc).expect("the OpenAPI document serializes"));
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], doc.as_str().to_owned()) }
            }),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_is_3_1_and_lists_both_endpoints() {
        let doc = serde_json::to_value(openapi_document()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(doc["paths"]["/api/v1/reports"]["post"].is_object());
        assert!(doc["paths"]["/api/v1/track/{tracking_code}"]["get"].is_object());
    }
}
