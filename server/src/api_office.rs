//! JSON API v1 of the back office beyond lifecycle commands: verifier triage (priority, raising
//! privacy, duplicates), joint cases, routing rules and response templates. Each endpoint calls
//! the same typed action (`app::domain::casework`) as the staff pages, through `acts::json_act`.

use crate::acts::{id_body, json_act, json_act_as, ok_body};
use crate::api_access::{reply, ApiLang, SignedIn};
use app::domain::casework::{
    AddCoAgency, MarkDuplicate, RaisePrivacy, RequestCoAgency, SetPriority, SetPublicVersion,
};
use app::domain::office::{
    AddRoutingRule, ConfirmHolidayYear, CreateTemplate, RemoveHoliday, RemoveRoutingRule,
    RetireTemplate, SetHoliday,
};
use app::server::routing;
use app::server::templates;
use app::server::{staff, AppState};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct PriorityRequest {
    /// 0 normal, 1 high, 2 urgent.
    pub priority: i32,
}

/// Sets a report's priority (verifiers; audited).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/priority", tag = "staff",
    params(("id" = i64, Path)), request_body = PriorityRequest,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
async fn set_priority(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<SetPriority>(&state, req, &[("report", json!(id))], ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct PrivacyRequest {
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub confidential: bool,
}

/// Makes a report anonymous and/or confidential; privacy is never lowered (verifiers; audited).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/privacy", tag = "staff",
    params(("id" = i64, Path)), request_body = PrivacyRequest,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
async fn raise_privacy(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<RaisePrivacy>(&state, req, &[("report", json!(id))], ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct DuplicateRequest {
    /// The reference of the original report.
    pub reference: String,
}

/// Merges a report awaiting verification into the report it duplicates (verifiers).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/duplicate", tag = "staff",
    params(("id" = i64, Path)), request_body = DuplicateRequest,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody),
              (status = 409, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
async fn mark_duplicate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<MarkDuplicate>(&state, req, &[("report", json!(id))], ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct CoAgencyRequest {
    pub agency: i32,
}

/// Adds a co-agency to a joint case (verifiers; audited). Its access ends when the case leaves
/// the lead agency.
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/co-agencies", tag = "staff",
    params(("id" = i64, Path)), request_body = CoAgencyRequest,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody),
              (status = 422, body = crate::api::ErrorBody)))]
async fn add_co_agency(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<AddCoAgency>(&state, req, &[("report", json!(id))], ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct CoAgencyAsk {
    pub agency: i32,
    /// Why the other agency is needed (at least 5 characters).
    pub reason: String,
}

/// Asks the verifiers to add a co-agency (the lead agency's administrators; audited). Grants
/// nothing by itself.
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/co-agency-requests", tag = "staff",
    params(("id" = i64, Path)), request_body = CoAgencyAsk,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody),
              (status = 422, body = crate::api::ErrorBody)))]
async fn request_co_agency(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<RequestCoAgency>(&state, req, &[("report", json!(id))], ok_body).await
}

/// The dispatch suggestion and similar earlier reports for a report (verifiers).
#[utoipa::path(get, path = "/api/v1/staff/reports/{id}/dispatch-help", tag = "staff",
    params(("id" = i64, Path)),
    responses((status = 200), (status = 404, body = crate::api::ErrorBody)))]
async fn dispatch_help(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    reply(lang, staff::dispatch_help(&state.db, &actor, id).await)
}

#[derive(Deserialize, ToSchema)]
pub struct RuleRequest {
    pub category_id: Option<i32>,
    /// A province (`76`) or regency (`76.04`) code.
    pub region_code: Option<String>,
    pub agency_id: i32,
}

/// The routing rules, most specific first (system administrators, as on the page).
#[utoipa::path(get, path = "/api/v1/routing-rules", tag = "admin",
    responses((status = 200), (status = 401, body = crate::api::ErrorBody),
              (status = 403, body = crate::api::ErrorBody)))]
async fn list_rules(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    reply(lang, routing::list(&state.db, &actor).await)
}

/// Adds a routing rule (system administrators; audited).
#[utoipa::path(post, path = "/api/v1/routing-rules", tag = "admin", request_body = RuleRequest,
    responses((status = 201, description = "`{\"id\": 1}`"), (status = 403, body = crate::api::ErrorBody),
              (status = 422, body = crate::api::ErrorBody)))]
async fn add_rule(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<AddRoutingRule>(&state, req, &[], StatusCode::CREATED, id_body).await
}

/// Removes a routing rule (system administrators; audited).
#[utoipa::path(delete, path = "/api/v1/routing-rules/{id}", tag = "admin", params(("id" = i32, Path)),
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
async fn remove_rule(State(state): State<AppState>, Path(id): Path<i32>, req: Request) -> Response {
    json_act::<RemoveRoutingRule>(&state, req, &[("id", json!(id))], ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateRequest {
    pub title: String,
    /// The text; `{nomor}`, `{judul}`, `{instansi}`, `{tanggal}` are filled from the report.
    pub body: String,
}

/// The templates of the caller's agency subtree (agency staff).
#[utoipa::path(get, path = "/api/v1/templates", tag = "staff",
    responses((status = 200), (status = 403, body = crate::api::ErrorBody)))]
async fn list_templates(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    reply(lang, templates::list(&state.db, &actor).await)
}

/// A new template of the caller's agency (agency administrators; audited).
#[utoipa::path(post, path = "/api/v1/templates", tag = "staff", request_body = TemplateRequest,
    responses((status = 201, description = "`{\"id\": 1}`"), (status = 403, body = crate::api::ErrorBody),
              (status = 422, body = crate::api::ErrorBody)))]
async fn create_template(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<CreateTemplate>(&state, req, &[], StatusCode::CREATED, id_body).await
}

/// Retires a template (agency administrators of its subtree; audited).
#[utoipa::path(delete, path = "/api/v1/templates/{id}", tag = "staff", params(("id" = i32, Path)),
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
async fn retire_template(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    req: Request,
) -> Response {
    json_act::<RetireTemplate>(&state, req, &[("id", json!(id))], ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct PublicVersionRequest {
    /// The public title (personal data removed).
    pub title: String,
    /// The public text (personal data removed).
    pub description: String,
}

/// Sets the public version of a report: what the public reads once it is dispatched (verifiers;
/// audited). The agency keeps the original.
#[utoipa::path(put, path = "/api/v1/staff/reports/{id}/public-version", tag = "staff",
    params(("id" = i64, Path)), request_body = PublicVersionRequest,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody),
              (status = 422, body = crate::api::ErrorBody)))]
async fn set_public_version(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<SetPublicVersion>(&state, req, &[("report", json!(id))], ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct HolidayRequest {
    /// `holiday` (national holiday), `cuti_bersama` (collective leave) or `working_day` (a
    /// correction: a built-in holiday that is worked).
    pub kind: String,
    /// E.g. "Idul Fitri 1448 H", as in the decree.
    pub name: String,
}

/// Sets one day of the holiday calendar behind every working-day deadline (system
/// administrators; audited). Deadlines computed afterwards count it.
#[utoipa::path(put, path = "/api/v1/holidays/{day}", tag = "admin", params(("day" = String, Path, description = "YYYY-MM-DD")),
    request_body = HolidayRequest,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
async fn set_holiday(
    State(state): State<AppState>,
    Path(day): Path<String>,
    req: Request,
) -> Response {
    json_act::<SetHoliday>(&state, req, &[("day", json!(day))], ok_body).await
}

/// Removes a day's correction: the built-in calendar applies to it again (system
/// administrators; audited).
#[utoipa::path(delete, path = "/api/v1/holidays/{day}", tag = "admin", params(("day" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
async fn remove_holiday(
    State(state): State<AppState>,
    Path(day): Path<String>,
    req: Request,
) -> Response {
    json_act::<RemoveHoliday>(&state, req, &[("day", json!(day))], ok_body).await
}

/// Confirms a year's calendar complete once its decree is entered (system administrators;
/// audited).
#[utoipa::path(post, path = "/api/v1/holidays/years/{year}/confirm", tag = "admin", params(("year" = i32, Path)),
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
async fn confirm_holiday_year(
    State(state): State<AppState>,
    Path(year): Path<String>,
    req: Request,
) -> Response {
    json_act::<ConfirmHolidayYear>(&state, req, &[("year", json!(year))], ok_body).await
}

/// The routes of the back office beyond lifecycle commands, each registered with its OpenAPI
/// entry (`routes!` reads the handler's `#[utoipa::path]`), so none exists undocumented.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_priority))
        .routes(routes!(raise_privacy))
        .routes(routes!(mark_duplicate))
        .routes(routes!(add_co_agency))
        .routes(routes!(request_co_agency))
        .routes(routes!(set_public_version))
        .routes(routes!(dispatch_help))
        .routes(routes!(list_rules, add_rule))
        .routes(routes!(remove_rule))
        .routes(routes!(list_templates, create_template))
        .routes(routes!(retire_template))
        .routes(routes!(set_holiday, remove_holiday))
        .routes(routes!(confirm_holiday_year))
}
