//! JSON API v1 for signed-in people: sessions, the current account, integration tokens, staff
//! work lists and report views, lifecycle commands, the audited identity reveal, a citizen's own
//! reports, accounts, invites and agencies. Thin handlers over `app::server` use cases; the
//! policy decides there, not here.

use crate::acts::{event_body, id_body, json_act, json_act_as, ok_body, serve_as};
use crate::api::error_response;
use crate::auth::AuthState;
use app::domain::access::Actor;
use app::domain::accounts::{
    AcceptInvite, ChangePassword, ChangeRole, ClaimReport, CreateToken, InviteStaff, Register,
    RevokeToken, SetAccountActive, SignOut,
};
use app::domain::casework::{RevealIdentity, StaffCommand};
use app::domain::office::{CreateAgency, ImportAgencies, SetAgencyActive, UpdateAgency};
use app::domain::AppError;
use app::i18n::Lang;
use app::server::accounts::{self, Stage};
use app::server::agencies;
use app::server::auth::RequestAuth;
use app::server::staff::{self, ListFilter};
use app::server::AppState;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::Utc;
use http::request::Parts;
use http::{header, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The language of an API request (`?lang=`, else `Accept-Language`, else Indonesian).
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(crate::api::api_lang(
            parts.uri.query(),
            &parts.headers,
        )))
    }
}

/// The signed-in actor (active session or bearer token); 401 for anyone else.
pub struct SignedIn(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts
            .extensions
            .get::<RequestAuth>()
            .map(|a| a.actor.clone())
        {
            Some(Actor::Public) | None => Err(error_response(
                AppError::Unauthorized,
                crate::api::api_lang(parts.uri.query(), &parts.headers),
            )),
            Some(actor) => Ok(SignedIn(actor)),
        }
    }
}

pub(crate) fn reply<T: Serialize>(lang: Lang, r: Result<T, AppError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => error_response(e, lang),
    }
}

/// Credentials for `POST /api/v1/session`.
#[derive(Deserialize, ToSchema)]
pub struct SessionRequest {
    /// The email address (or, for a citizen, the mobile number) signed in with.
    #[serde(alias = "login")]
    pub email: String,
    pub password: String,
    /// The current 6-digit code (or a recovery code), for roles that need two-factor.
    pub totp: Option<String>,
}

/// Signs in: sets the session cookie. 401 on wrong credentials (or a missing/wrong code for a
/// two-factor role: `error` is `totp_required`), 403 `mfa_enrolment_required` when two-factor
/// must first be set up in the browser, 429 when throttled.
#[utoipa::path(post, path = "/api/v1/session", tag = "access", request_body = SessionRequest,
    responses((status = 200, description = "Signed in, cookie set; the account: id, email, display_name, role, agency, totp_enabled"),
              (status = 401, body = crate::api::ErrorBody), (status = 429, body = crate::api::ErrorBody)))]
async fn create_session(
    State(state): State<AppState>,
    Extension(auth_state): Extension<AuthState>,
    req: Request,
) -> Response {
    let lang = crate::api::api_lang(req.uri().query(), req.headers());
    let addr = auth_state.client_addr(&req);
    let Json(body) = match Json::<SessionRequest>::from_request(req, &()).await {
        Ok(b) => b,
        Err(rejection) => return rejection.into_response(),
    };
    let now = Utc::now();
    let totp = body.totp.as_deref().filter(|t| !t.trim().is_empty());
    let session = match accounts::login(
        &state.db,
        &body.email,
        &body.password,
        totp,
        Some(&addr),
        now,
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return error_response(e, lang),
    };
    if session.stage != Stage::Active {
        // The API keeps no half-way sessions.
        let hash = app::server::credentials::token_hash(&session.token.0);
        if let Err(e) = accounts::end_session(&state.db, &hash).await {
            return error_response(e, lang);
        }
        let (status, error) = if session.stage == Stage::Mfa {
            (StatusCode::UNAUTHORIZED, "totp_required")
        } else {
            (StatusCode::FORBIDDEN, "mfa_enrolment_required")
        };
        return (status, Json(serde_json::json!({ "error": error }))).into_response();
    }
    match accounts::me(&state.db, session.account_id).await {
        Ok(me) => (
            [(
                header::SET_COOKIE,
                auth_state.session_cookie(&session.token),
            )],
            Json(me),
        )
            .into_response(),
        Err(e) => error_response(e, lang),
    }
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "access", responses((status = 204)))]
async fn delete_session(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<SignOut>(&state, req, &[], StatusCode::NO_CONTENT, |()| json!({})).await
}

/// The signed-in account: role and agency.
#[utoipa::path(get, path = "/api/v1/me", tag = "access",
    responses((status = 200, description = "The account: id, email, display_name, role, agency, totp_enabled"),
              (status = 401, body = crate::api::ErrorBody)))]
async fn get_me(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    let id = actor.account().unwrap_or_default();
    reply(lang, accounts::me(&state.db, id).await)
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the signed-in account's password; every session of the account ends (sign in again).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "access", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = crate::api::ErrorBody)))]
async fn change_password(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<ChangePassword>(&state, req, &[], StatusCode::NO_CONTENT, |()| json!({})).await
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// What the token is for, e.g. "SIMPEG sync".
    pub name: String,
    /// `read` (the default: GET only) or `read_write`.
    #[serde(default)]
    pub scope: String,
    /// Days until it expires, 1–90 (default 90).
    pub days: Option<i64>,
}

/// Issues a bearer token acting as the signed-in staff account (shown once).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "access", request_body = TokenRequest,
    responses((status = 201, description = "`{\"token\": \"adu_…\"}`"), (status = 403, body = crate::api::ErrorBody)))]
async fn create_token(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<CreateToken>(
        &state,
        req,
        &[],
        StatusCode::CREATED,
        |token| json!({ "token": token }),
    )
    .await
}

/// The caller's integration tokens (names and use, never the tokens).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "access", responses((status = 200)))]
async fn list_tokens(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    reply(lang, accounts::list_api_tokens(&state.db, &actor).await)
}

/// Revokes a token (its owner, or a system administrator); it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "access", params(("id" = i64, Path)),
    responses((status = 200), (status = 404, body = crate::api::ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<RevokeToken>(&state, req, &[("id", json!(id))], ok_body).await
}

/// The reports the caller may see in their staff scope, soonest deadline first.
#[utoipa::path(get, path = "/api/v1/staff/reports", tag = "staff",
    params(("status" = Option<String>, Query), ("overdue" = Option<bool>, Query), ("kind" = Option<String>, Query),
           ("category" = Option<i32>, Query), ("region" = Option<String>, Query), ("q" = Option<String>, Query),
           ("older_than_days" = Option<u32>, Query)),
    responses((status = 200), (status = 401, body = crate::api::ErrorBody)))]
async fn list_reports(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
    Query(filter): Query<ListFilter>,
) -> Response {
    reply(
        lang,
        staff::list_reports(&state.db, &actor, &filter, Utc::now()).await,
    )
}

/// The signed-in citizen's own reports (the same list as `/api/v1/staff/reports`, scoped to
/// the reports in their account), soonest deadline first.
#[utoipa::path(get, path = "/api/v1/my/reports", tag = "citizen",
    params(("status" = Option<String>, Query), ("overdue" = Option<bool>, Query), ("kind" = Option<String>, Query),
           ("q" = Option<String>, Query)),
    responses((status = 200), (status = 401, body = crate::api::ErrorBody)))]
async fn list_my_reports(
    state: State<AppState>,
    lang: ApiLang,
    actor: SignedIn,
    filter: Query<ListFilter>,
) -> Response {
    list_reports(state, lang, actor, filter).await
}

/// One report as the caller may see it (404 outside their scope).
#[utoipa::path(get, path = "/api/v1/staff/reports/{id}", tag = "staff",
    params(("id" = i64, Path)),
    responses((status = 200), (status = 404, body = crate::api::ErrorBody)))]
async fn get_report(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    reply(
        lang,
        staff::report_view(&state.db, &actor, id, Utc::now()).await,
    )
}

/// Gives a lifecycle command (`{"command": "dispatch", "agency": 3, "note": "…"}`), as JSON or
/// as `multipart/form-data` with the same field names and files (`files`) for the message.
/// 404 outside scope, 403 when the role may not, 409 when the report's state refuses it.
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/commands", tag = "staff",
    params(("id" = i64, Path)),
    responses((status = 200, description = "`{\"event\": \"dispatched\"}`"), (status = 403, body = crate::api::ErrorBody),
              (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)))]
async fn give_command(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<StaffCommand>(&state, req, &[("report", json!(id))], event_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct RevealRequest {
    /// Why the identity is needed (recorded in the audit log).
    pub reason: String,
}

/// Reveals the reporter's identity (verifiers and system administrators; audited).
#[utoipa::path(post, path = "/api/v1/staff/reports/{id}/identity", tag = "staff",
    params(("id" = i64, Path)), request_body = RevealRequest,
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
async fn reveal(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    json_act::<RevealIdentity>(&state, req, &[("report", json!(id))], |r| json!(r)).await
}

#[derive(Deserialize, ToSchema)]
pub struct ClaimRequest {
    pub tracking_code: String,
}

/// Puts a guest report into the signed-in citizen's account.
#[utoipa::path(post, path = "/api/v1/my/reports/claim", tag = "citizen", request_body = ClaimRequest,
    responses((status = 200, description = "`{\"reference\": \"ADU-…\"}`"), (status = 404, body = crate::api::ErrorBody)))]
async fn claim(State(state): State<AppState>, req: Request) -> Response {
    json_act::<ClaimReport>(
        &state,
        req,
        &[],
        |reference| json!({ "reference": reference }),
    )
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// An email address or a mobile number (`0812…` or `+62812…`).
    #[serde(alias = "email")]
    pub login: String,
    pub display_name: String,
    pub password: String,
}

/// Registers a citizen account (201) and signs it in (the session cookie), with field errors as 422; 429 past 10 registrations an
/// hour from one client network.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "citizen", request_body = RegisterRequest,
    responses((status = 201), (status = 422, body = crate::api::ErrorBody),
              (status = 429, body = crate::api::ErrorBody)))]
async fn register(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<Register>(
        &state,
        req,
        &[],
        StatusCode::CREATED,
        |id| json!({ "id": id }),
    )
    .await
}

/// The accounts the caller may manage.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "admin",
    responses((status = 200), (status = 403, body = crate::api::ErrorBody)))]
async fn list_accounts(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    reply(lang, accounts::list_accounts(&state.db, &actor).await)
}

#[derive(Deserialize, ToSchema)]
pub struct RoleRequest {
    pub role: String,
    pub agency_code: Option<String>,
}

/// Changes an account's role and agency (audited; its sessions end).
#[utoipa::path(put, path = "/api/v1/accounts/{id}/role", tag = "admin", params(("id" = i64, Path)),
    request_body = RoleRequest, responses((status = 200), (status = 403, body = crate::api::ErrorBody)))]
async fn change_role(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    // An API call naming the role is its own confirmation.
    let path = [("account", json!(id)), ("confirm", json!(true))];
    json_act::<ChangeRole>(&state, req, &path, ok_body).await
}

#[derive(Deserialize)]
struct ActiveQuery {
    active: bool,
}

/// Deactivates (`?active=false`) or reactivates an account: its sessions end at once (audited).
#[utoipa::path(post, path = "/api/v1/accounts/{id}/active", tag = "admin", params(("id" = i64, Path), ("active" = bool, Query)),
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody)))]
async fn set_account_active(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ActiveQuery>,
    req: Request,
) -> Response {
    let path = [("account", json!(id)), ("active", json!(q.active))];
    json_act::<SetAccountActive>(&state, req, &path, ok_body).await
}

#[derive(Deserialize, ToSchema)]
pub struct InviteRequest {
    pub email: String,
    pub role: String,
    pub agency_code: Option<String>,
}

/// Invites a staff member: returns the one-time link (valid 7 days).
#[utoipa::path(post, path = "/api/v1/invites", tag = "admin", request_body = InviteRequest,
    responses((status = 201, description = "`{\"url\": \"/undangan/…\"}`"), (status = 403, body = crate::api::ErrorBody)))]
async fn invite(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<InviteStaff>(
        &state,
        req,
        &[],
        StatusCode::CREATED,
        |url| json!({ "url": url }),
    )
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptInviteRequest {
    pub display_name: String,
    pub password: String,
}

/// Accepts an invite: creates the staff account.
#[utoipa::path(post, path = "/api/v1/invites/{token}/accept", tag = "admin", params(("token" = String, Path)),
    request_body = AcceptInviteRequest, responses((status = 201), (status = 404, body = crate::api::ErrorBody)))]
async fn accept_invite(
    State(state): State<AppState>,
    Path(token): Path<String>,
    req: Request,
) -> Response {
    let path = [("token", json!(token))];
    json_act_as::<AcceptInvite>(
        &state,
        req,
        &path,
        StatusCode::CREATED,
        |id| json!({ "id": id }),
    )
    .await
}

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
    responses((status = 201), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
async fn create_agency(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<CreateAgency>(&state, req, &[], StatusCode::CREATED, id_body).await
}

/// Edits or moves an agency (system administrators). A move below itself is refused (422).
#[utoipa::path(put, path = "/api/v1/agencies/{id}", tag = "admin", params(("id" = i32, Path)),
    responses((status = 200), (status = 403, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)))]
async fn update_agency(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    req: Request,
) -> Response {
    json_act::<UpdateAgency>(&state, req, &[("id", json!(id))], ok_body).await
}

/// Deactivates (`?active=false`) or reactivates an agency.
#[utoipa::path(post, path = "/api/v1/agencies/{id}/active", tag = "admin", params(("id" = i32, Path), ("active" = bool, Query)),
    responses((status = 200), (status = 403, body = crate::api::ErrorBody)))]
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
    responses((status = 200), (status = 403, body = crate::api::ErrorBody)))]
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

/// The routes for signed-in people, each registered with its OpenAPI entry.
pub fn routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    let (schemas, paths, commands) = routes!(give_command);
    let commands = (
        schemas,
        paths,
        commands.layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
    );
    OpenApiRouter::new()
        .routes(routes!(create_session, delete_session))
        .routes(routes!(get_me))
        .routes(routes!(change_password))
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(list_reports))
        .routes(routes!(get_report))
        .routes(commands)
        .routes(routes!(reveal))
        .routes(routes!(list_my_reports))
        .routes(routes!(claim))
        .routes(routes!(register, list_accounts))
        .routes(routes!(change_role))
        .routes(routes!(set_account_active))
        .routes(routes!(invite))
        .routes(routes!(accept_invite))
        .routes(routes!(list_agencies, create_agency))
        .routes(routes!(update_agency))
        .routes(routes!(set_agency_active))
        .routes(routes!(import_agencies))
}
