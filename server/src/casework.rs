//! Casework: staff work on reports in their scope — the work list, a report, lifecycle commands,
//! the audited identity reveal, and the verifier's triage (priority, privacy, duplicates, joint
//! cases, the public version, dispatch help). The staff report page posts to
//! `/staf/laporan/{id}`; the JSON routes are `/api/v1/staff/reports/...`.

use crate::adapters::form::with_upload_limit;
use crate::adapters::json::event_body;
use crate::adapters::json::json_act;
use crate::adapters::json::ok_body;
use crate::adapters::json::reply;
use crate::adapters::json::ApiLang;
use crate::adapters::json::SignedIn;
use app::domain::casework::AddCoAgency;
use app::domain::casework::ListFilter;
use app::domain::casework::MarkDuplicate;
use app::domain::casework::RaisePrivacy;
use app::domain::casework::RequestCoAgency;
use app::domain::casework::RevealIdentity;
use app::domain::casework::SetPublicVersion;
use app::domain::casework::StaffCommand;
use app::domain::casework::{SetPriority, UpdateReports};
use app::server::casework;
use app::server::AppState;
use axum::extract::DefaultBodyLimit;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::Request;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The reports the caller may see in their staff scope, soonest deadline first.
#[utoipa::path(get, path = "/api/v1/staff/reports", tag = "staff",
    params(("status" = Option<String>, Query), ("overdue" = Option<bool>, Query), ("kind" = Option<String>, Query),
           ("category" = Option<i32>, Query), ("region" = Option<String>, Query), ("q" = Option<String>, Query),
           ("older_than_days" = Option<u32>, Query), ("view" = Option<String>, Query, description = "perlu: only what needs the caller now"),
           ("assigned" = Option<String>, Query, description = "saya: assigned to the caller; belum: to nobody"),
           ("sort" = Option<String>, Query, description = "mendesak (default), tenggat, terbaru, terlama"),
           ("after" = Option<String>, Query, description = "the cursor of the next page (50 rows a page)")),
    responses((status = 200, description = "One page (50 rows); `X-Total-Count` says how many match, `X-Next-Cursor` (when there are more) is the `after` of the next page."),
              (status = 401, body = crate::adapters::json::ErrorBody)))]
pub(crate) async fn list_reports(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
    Query(filter): Query<ListFilter>,
) -> Response {
    match casework::work_list(&state.db, &actor, &filter, Utc::now()).await {
        Ok(page) => {
            let mut res = reply(lang, Ok(page.rows));
            let headers = res.headers_mut();
            headers.insert("x-total-count", http::HeaderValue::from(page.total));
            if let Some(next) = page.next.and_then(|n| http::HeaderValue::from_str(&n).ok()) {
                headers.insert("x-next-cursor", next);
            }
            res
        }
        Err(e) => reply::<()>(lang, Err(e)),
    }
}

/// One report as the caller may see it (404 outside their scope).
#[utoipa::path(get, path = "/api/v1/staff/reports/{id}", tag = "staff",
    params(("id" = i64, Path)),
    responses((status = 200), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn get_report(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    reply(
        lang,
        casework::report_view(&state.db, &actor, id, Utc::now()).await,
    )
}

/// Gives a lifecycle command (`{"command": "dispatch", "agency": 3, "note": "…"}`), as JSON or
/// as `multipart/form-data` with the same field names and files (`files`) for the message.
/// 404 outside scope, 403 when the role may not, 409 when the report's state refuses it.
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/commands", tag = "staff",
    params(("id" = i64, Path)),
    responses((status = 200, description = "`{\"event\": \"dispatched\"}`"), (status = 403, body = crate::adapters::json::ErrorBody),
              (status = 404, body = crate::adapters::json::ErrorBody), (status = 409, body = crate::adapters::json::ErrorBody)))]
async fn give_command(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<StaffCommand>(&state, req, &[("report", json!(id))], event_body).await
}

/// Reveals the reporter's identity (verifiers and system administrators; audited).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/identity", tag = "staff",
    params(("id" = i64, Path)), request_body = app::domain::casework::RevealIdentity,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn reveal(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    json_act::<RevealIdentity>(&state, req, &[("report", json!(id))], |r| json!(r)).await
}

/// Sets a report's priority (verifiers; audited).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/priority", tag = "staff",
    params(("id" = i64, Path)), request_body = app::domain::casework::SetPriority,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn set_priority(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<SetPriority>(&state, req, &[("report", json!(id))], ok_body).await
}

/// Changes several reports at once: assigns them to a staff member (`assign`: an account id) or
/// releases them (`lepas`), and/or sets their priority (verifiers). All or none, each change
/// audited. Verifiers assign what awaits verification; an agency's administrators what it
/// holds, to its officers; an officer takes reports or releases their own.
#[utoipa::path(post, path = "/api/v1/staff/reports/bulk", tag = "staff",
    request_body = app::domain::casework::UpdateReports,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody), (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn update_reports(State(state): State<AppState>, req: Request) -> Response {
    json_act::<UpdateReports>(&state, req, &[], |n| json!({ "changed": n })).await
}

/// Makes a report anonymous and/or confidential; privacy is never lowered (verifiers; audited).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/privacy", tag = "staff",
    params(("id" = i64, Path)), request_body = app::domain::casework::RaisePrivacy,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn raise_privacy(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<RaisePrivacy>(&state, req, &[("report", json!(id))], ok_body).await
}

/// Merges a report awaiting verification into the report it duplicates (verifiers).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/duplicate", tag = "staff",
    params(("id" = i64, Path)), request_body = app::domain::casework::MarkDuplicate,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody),
              (status = 409, body = crate::adapters::json::ErrorBody), (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn mark_duplicate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<MarkDuplicate>(&state, req, &[("report", json!(id))], ok_body).await
}

/// Adds a co-agency to a joint case (verifiers; audited). Its access ends when the case leaves
/// the lead agency.
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/co-agencies", tag = "staff",
    params(("id" = i64, Path)), request_body = app::domain::casework::AddCoAgency,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody),
              (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn add_co_agency(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<AddCoAgency>(&state, req, &[("report", json!(id))], ok_body).await
}

/// Asks the verifiers to add a co-agency (the lead agency's administrators; audited). Grants
/// nothing by itself.
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/co-agency-requests", tag = "staff",
    params(("id" = i64, Path)), request_body = app::domain::casework::RequestCoAgency,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody),
              (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn request_co_agency(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<RequestCoAgency>(&state, req, &[("report", json!(id))], ok_body).await
}

/// Sets the public version of a report: what the public reads once it is dispatched (verifiers;
/// audited). The agency keeps the original.
#[utoipa::path(put, path = "/api/v1/staff/reports/{id}/public-version", tag = "staff",
    params(("id" = i64, Path)), request_body = app::domain::casework::SetPublicVersion,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody),
              (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn set_public_version(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<SetPublicVersion>(&state, req, &[("report", json!(id))], ok_body).await
}

/// The dispatch suggestion and similar earlier reports for a report (verifiers).
#[utoipa::path(get, path = "/api/v1/staff/reports/{id}/dispatch-help", tag = "staff",
    params(("id" = i64, Path)),
    responses((status = 200), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn dispatch_help(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    reply(lang, casework::dispatch_help(&state.db, &actor, id).await)
}

/// Casework's routes, each JSON route registered with its OpenAPI entry.
pub fn routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reports))
        .routes(routes!(get_report))
        .routes(with_upload_limit(upload_limit, routes!(give_command)))
        .routes(routes!(reveal))
        .routes(routes!(set_priority))
        .routes(routes!(update_reports))
        .routes(routes!(raise_privacy))
        .routes(routes!(mark_duplicate))
        .routes(routes!(add_co_agency))
        .routes(routes!(request_co_agency))
        .routes(routes!(set_public_version))
        .routes(routes!(dispatch_help))
        .route("/staf", post(crate::adapters::form::post))
        .route(
            "/staf/laporan/{id}",
            post(crate::adapters::form::post).layer(DefaultBodyLimit::max(upload_limit)),
        )
}
