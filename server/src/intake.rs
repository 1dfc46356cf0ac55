//! Intake: a citizen submits a report — `POST /lapor` (the form, with files; works without
//! JavaScript) and `POST /api/v1/reports` (JSON).

use crate::adapters::form::post_default;
use crate::adapters::form::Uploaded;
use crate::adapters::json::api_lang;
use crate::adapters::json::error_response;
use crate::adapters::json::ErrorBody;
use app::domain::intake::RequestKey;
use app::domain::views::SubmitReceipt;
use app::domain::ReportForm;
use app::server::intake;
use app::server::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::post;
use axum::Json;
use chrono::DateTime;
use chrono::Utc;
use http::header;
use http::StatusCode;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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

/// The header that makes a submission idempotent.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Submit a report.
///
/// Send an `Idempotency-Key` (a UUID, or 16+ random bytes in base64url) to make retries safe:
/// the same key again gets the same answer (201, the same tracking code, header
/// `Idempotent-Replayed: true`) and no second report; the same key with a different report is
/// refused (422 `idempotency_key_reused`). Keep the key as secret as the tracking code.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    request_body = CreateReport,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key gets the same answer"),
    ),
    responses(
        (status = 201, description = "Report stored (or, for a key already answered, the same answer again); keep the tracking code", body = ReportCreated),
        (status = 400, description = "Malformed JSON or Idempotency-Key", body = ErrorBody),
        (status = 422, description = "Some fields were refused, or the Idempotency-Key was used for another report", body = ErrorBody),
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
    let key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(v) => match v.to_str().ok().and_then(RequestKey::parse) {
            Some(k) => Some(k),
            None => return malformed_key(lang),
        },
    };
    match intake::submit_form_in(
        &state.commits,
        &ReportForm::from(input),
        None,
        &[],
        lang,
        key.as_ref(),
        Utc::now(),
    )
    .await
    {
        Ok(receipt) => {
            let location = format!("/api/v1/track/{}", receipt.tracking_code.as_str());
            let replayed = receipt.replayed;
            let mut res = (
                StatusCode::CREATED,
                [
                    (header::LOCATION, location),
                    (header::CACHE_CONTROL, "no-store".into()),
                ],
                Json(ReportCreated::from(receipt)),
            )
                .into_response();
            if replayed {
                res.headers_mut().insert(
                    "idempotent-replayed",
                    http::HeaderValue::from_static("true"),
                );
            }
            res
        }
        Err(e) => error_response(e, lang),
    }
}

/// 400 for an `Idempotency-Key` that is not one (in the request's language).
fn malformed_key(lang: app::i18n::Lang) -> Response {
    let message = lang.texts().tr(
        "Idempotency-Key: 16–100 karakter A-Z, a-z, 0-9, - dan _ (UUID, atau 16 bita acak dalam base64url)",
        "Idempotency-Key: 16 to 100 characters of A-Z, a-z, 0-9, - and _ (a UUID, or 16 random bytes in base64url)",
    );
    (
        StatusCode::BAD_REQUEST,
        Json(ErrorBody {
            error: "malformed",
            message: Some(message.into()),
            fields: None,
        }),
    )
        .into_response()
}

/// `POST /lapor`: the report form; a post that names no action (a client written before the
/// action forms) is a submission.
pub(crate) async fn post_report(state: State<AppState>, uploaded: Uploaded) -> Response {
    post_default::<app::domain::intake::SubmitReport>(state, uploaded, "report-form").await
}

/// Intake's routes, each JSON route registered with its OpenAPI entry.
pub fn routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_report)).route(
        "/lapor",
        post(post_report).layer(DefaultBodyLimit::max(upload_limit)),
    )
}
