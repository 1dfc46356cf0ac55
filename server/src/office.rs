//! The office: what administrators keep that every case depends on — the agency tree (with CSV
//! import), routing rules, response templates and the holiday calendar behind every working-day
//! deadline. The pages post to `/admin/instansi`, `/admin/rute`, `/admin/libur` and
//! `/staf/templat`; the JSON routes are `/api/v1/agencies`, `/api/v1/routing-rules`,
//! `/api/v1/templates`, `/api/v1/holidays`.

use crate::accounts::ActiveQuery;
use crate::adapters::json::id_body;
use crate::adapters::json::json_act;
use crate::adapters::json::json_act_as;
use crate::adapters::json::ok_body;
use crate::adapters::json::reply;
use crate::adapters::json::serve_as;
use crate::adapters::json::ApiLang;
use crate::adapters::json::SignedIn;
use app::domain::access::Actor;
use app::domain::office::AddRoutingRule;
use app::domain::office::ConfirmHolidayYear;
use app::domain::office::CreateAgency;
use app::domain::office::CreateTemplate;
use app::domain::office::ImportAgencies;
use app::domain::office::RemoveHoliday;
use app::domain::office::RemoveRoutingRule;
use app::domain::office::RetireTemplate;
use app::domain::office::SetAgencyActive;
use app::domain::office::SetHoliday;
use app::domain::office::UpdateAgency;
use app::server::agencies;
use app::server::auth::RequestAuth;
use app::server::routing;
use app::server::templates;
use app::server::AppState;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::Request;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::post;
use http::header;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The agency tree (public: agencies are public bodies). The head's name and address are
/// left empty except for system administrators.
#[utoipa::path(get, path = "/api/v1/agencies", tag = "admin", responses((status = 200)))]
async fn list_agencies(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    auth: Option<axum::Extension<RequestAuth>>,
) -> Response {
    let actor = auth.map(|a| a.0.actor).unwrap_or(Actor::Public);
    reply(lang, agencies::tree_for(&state.db, &actor).await)
}

/// Creates an agency (system administrators).
#[utoipa::path(post, path = "/api/v1/agencies", tag = "admin",
    responses((status = 201), (status = 403, body = crate::adapters::json::ErrorBody), (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn create_agency(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<CreateAgency>(&state, req, &[], StatusCode::CREATED, id_body).await
}

/// Edits or moves an agency (system administrators). A move below itself is refused (422).
#[utoipa::path(put, path = "/api/v1/agencies/{id}", tag = "admin", params(("id" = i32, Path)),
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn update_agency(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    req: Request,
) -> Response {
    json_act::<UpdateAgency>(&state, req, &[("id", json!(id))], ok_body).await
}

/// Deactivates (`?active=false`) or reactivates an agency.
#[utoipa::path(post, path = "/api/v1/agencies/{id}/active", tag = "admin", params(("id" = i32, Path), ("active" = bool, Query)),
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody)))]
async fn set_agency_active(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    Query(q): Query<ActiveQuery>,
    req: Request,
) -> Response {
    let path = [("agency", json!(id)), ("active", json!(q.active))];
    json_act::<SetAgencyActive>(&state, req, &path, ok_body).await
}

#[derive(Deserialize)]
struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
}

/// Imports agencies from a CSV body (`text/csv`; `?dry_run=true` previews), or from JSON with
/// the page's own fields (`{"csv": "…", "mode": "preview" | "apply"}`). Rows with errors block the whole
/// import (200 with `applied: false` and per-row errors).
#[utoipa::path(post, path = "/api/v1/agencies/import", tag = "admin", params(("dry_run" = Option<bool>, Query)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody)))]
async fn import_agencies(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    Query(q): Query<ImportQuery>,
    req: Request,
) -> Response {
    let t = lang.texts();
    let shape = move |p: app::domain::views::ImportPreview| {
        serde_json::json!({
            "applied": p.applied,
            "file_error": p.file_error,
            "rows": p.rows.iter().map(|row| serde_json::json!({
                "line": row.line,
                "code": row.code,
                "errors": row.errors.iter().map(|(f, e)| serde_json::json!({
                    "field": f.name(),
                    "message": t.field_error(*f, *e),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    };
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        // `{"csv": "…", "mode": "preview" | "apply"}`: the form's own fields.
        return json_act::<ImportAgencies>(&state, req, &[], shape).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::startup::BODY_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let input = ImportAgencies {
        csv: String::from_utf8_lossy(&bytes).into_owned(),
        mode: if q.dry_run { "preview" } else { "apply" }.into(),
    };
    reply(lang, serve_as(&state, &parts, input).await.map(shape))
}

/// The routing rules, most specific first (system administrators, as on the page).
#[utoipa::path(get, path = "/api/v1/routing-rules", tag = "admin",
    responses((status = 200), (status = 401, body = crate::adapters::json::ErrorBody),
              (status = 403, body = crate::adapters::json::ErrorBody)))]
async fn list_rules(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    reply(lang, routing::list(&state.db, &actor).await)
}

/// Adds a routing rule (system administrators; audited).
#[utoipa::path(post, path = "/api/v1/routing-rules", tag = "admin", request_body = app::domain::office::AddRoutingRule,
    responses((status = 201, description = "`{\"id\": 1}`"), (status = 403, body = crate::adapters::json::ErrorBody),
              (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn add_rule(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<AddRoutingRule>(&state, req, &[], StatusCode::CREATED, id_body).await
}

/// Removes a routing rule (system administrators; audited).
#[utoipa::path(delete, path = "/api/v1/routing-rules/{id}", tag = "admin", params(("id" = i32, Path)),
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn remove_rule(State(state): State<AppState>, Path(id): Path<i32>, req: Request) -> Response {
    json_act::<RemoveRoutingRule>(&state, req, &[("id", json!(id))], ok_body).await
}

/// The templates of the caller's agency subtree (agency staff).
#[utoipa::path(get, path = "/api/v1/templates", tag = "staff",
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody)))]
async fn list_templates(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    reply(lang, templates::list(&state.db, &actor).await)
}

/// A new template of the caller's agency (agency administrators; audited).
#[utoipa::path(post, path = "/api/v1/templates", tag = "staff", request_body = app::domain::office::CreateTemplate,
    responses((status = 201, description = "`{\"id\": 1}`"), (status = 403, body = crate::adapters::json::ErrorBody),
              (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn create_template(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<CreateTemplate>(&state, req, &[], StatusCode::CREATED, id_body).await
}

/// Retires a template (agency administrators of its subtree; audited).
#[utoipa::path(delete, path = "/api/v1/templates/{id}", tag = "staff", params(("id" = i32, Path)),
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn retire_template(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    req: Request,
) -> Response {
    json_act::<RetireTemplate>(&state, req, &[("id", json!(id))], ok_body).await
}

/// Sets one day of the holiday calendar behind every working-day deadline (system
/// administrators; audited). Deadlines computed afterwards count it.
#[utoipa::path(put, path = "/api/v1/holidays/{day}", tag = "admin", params(("day" = String, Path, description = "YYYY-MM-DD")),
    request_body = app::domain::office::SetHoliday,
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 422, body = crate::adapters::json::ErrorBody)))]
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
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)))]
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
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn confirm_holiday_year(
    State(state): State<AppState>,
    Path(year): Path<String>,
    req: Request,
) -> Response {
    json_act::<ConfirmHolidayYear>(&state, req, &[("year", json!(year))], ok_body).await
}

/// The office's routes, each JSON route registered with its OpenAPI entry.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agencies, create_agency))
        .routes(routes!(update_agency))
        .routes(routes!(set_agency_active))
        .routes(routes!(import_agencies))
        .routes(routes!(list_rules, add_rule))
        .routes(routes!(remove_rule))
        .routes(routes!(list_templates, create_template))
        .routes(routes!(retire_template))
        .routes(routes!(set_holiday, remove_holiday))
        .routes(routes!(confirm_holiday_year))
        .route("/admin/instansi", post(crate::adapters::form::post))
        .route("/admin/instansi/{id}", post(crate::adapters::form::post))
        .route("/admin/rute", post(crate::adapters::form::post))
        .route("/admin/libur", post(crate::adapters::form::post))
        .route("/staf/templat", post(crate::adapters::form::post))
}
