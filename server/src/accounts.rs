//! Accounts: signing in and out (with two-step verification), the current account, its password
//! and integration tokens, citizen registration and claiming a guest report, email
//! verification, and administrators' invites, roles and deactivation. The pages post to
//! `/masuk`, `/masuk/kode`, `/akun/2fa`, `/keluar`, `/daftar`, `/undangan/{token}`,
//! `/lupa-sandi`, `/atur-sandi/{token}`,
//! `/laporan-saya`, `/akun` and `/admin/pengguna`; the JSON routes are `/api/v1/session`,
//! `/api/v1/me` (`DELETE`: erase the account), `/api/v1/me/data`, `/api/v1/tokens`, `/api/v1/accounts`, `/api/v1/invites`, `/api/v1/my/reports`.

use crate::adapters::json::error_response;
use crate::adapters::json::json_act;
use crate::adapters::json::json_act_as;
use crate::adapters::json::ok_body;
use crate::adapters::json::reply;
use crate::adapters::json::ApiLang;
use crate::adapters::json::SignedIn;
use crate::auth::AuthState;
use app::domain::accounts::AcceptInvite;
use app::domain::accounts::ChangePassword;
use app::domain::accounts::ChangeRole;
use app::domain::accounts::ClaimReport;
use app::domain::accounts::CreateToken;
use app::domain::accounts::InviteStaff;
use app::domain::accounts::Register;
use app::domain::accounts::RequestPasswordReset;
use app::domain::accounts::ResetPassword;
use app::domain::accounts::RevokeToken;
use app::domain::accounts::SetAccountActive;
use app::domain::accounts::SignOut;
use app::domain::casework::ListFilter;
use app::domain::AppError;
use app::server::accounts;
use app::server::accounts::Stage;
use app::server::AppState;
use axum::extract::FromRequest;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::Request;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use axum::routing::post;
use axum::Extension;
use axum::Json;
use chrono::Utc;
use http::header;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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
              (status = 401, body = crate::adapters::json::ErrorBody), (status = 429, body = crate::adapters::json::ErrorBody)))]
async fn create_session(
    State(state): State<AppState>,
    Extension(auth_state): Extension<AuthState>,
    req: Request,
) -> Response {
    let lang = crate::adapters::json::api_lang(req.uri().query(), req.headers());
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
              (status = 401, body = crate::adapters::json::ErrorBody)))]
async fn get_me(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    let id = actor.account().unwrap_or_default();
    reply(lang, accounts::me(&state.db, id).await)
}

/// A copy of everything the service holds about the signed-in account (audited:
/// `account.data_exported`).
#[utoipa::path(get, path = "/api/v1/me/data", tag = "access",
    responses((status = 200, description = "The account, its reports with the contacts given and their messages, follows, supports, notifications, sessions, tokens and recorded actions"),
              (status = 401, body = crate::adapters::json::ErrorBody)))]
async fn export_my_data(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    match app::server::personal_data::export_my_data(&state.db, &actor, Utc::now()).await {
        Ok(v) => ([(header::CACHE_CONTROL, "no-store")], Json(v)).into_response(),
        Err(e) => error_response(e, lang),
    }
}

/// `/akun/data-saya`: the same copy as a file to keep (the link on `/akun`); not signed in →
/// the sign-in page.
async fn download_my_data(
    State(state): State<AppState>,
    Extension(auth): Extension<app::server::auth::RequestAuth>,
) -> Response {
    if auth.actor.account().is_none() {
        return axum::response::Redirect::to("/masuk").into_response();
    }
    match app::server::personal_data::export_my_data(&state.db, &auth.actor, Utc::now()).await {
        Ok(v) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"aduan-data-saya.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&v).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => error_response(e, app::i18n::Lang::Id),
    }
}

/// Erases the signed-in citizen's account (`{password, confirm: true}`): personal data gone,
/// reports kept anonymised, every session ends. Staff accounts: 403.
#[utoipa::path(delete, path = "/api/v1/me", tag = "access", request_body = EraseRequest,
    responses((status = 204), (status = 403, body = crate::adapters::json::ErrorBody),
              (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn erase_me(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<app::domain::accounts::EraseAccount>(
        &state,
        req,
        &[],
        StatusCode::NO_CONTENT,
        |()| json!({}),
    )
    .await
}

/// The body of `DELETE /api/v1/me`.
#[derive(Deserialize, ToSchema)]
pub struct EraseRequest {
    pub password: String,
    /// `true`: the person understood that the erasure cannot be undone.
    pub confirm: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the signed-in account's password; every session of the account ends (sign in again).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "access", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = crate::adapters::json::ErrorBody)))]
async fn change_password(State(state): State<AppState>, req: Request) -> Response {
    json_act_as::<ChangePassword>(&state, req, &[], StatusCode::NO_CONTENT, |()| json!({})).await
}

/// Issues a bearer token acting as the signed-in staff account (shown once).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "access", request_body = app::domain::accounts::CreateToken,
    responses((status = 201, description = "`{\"token\": \"adu_…\"}`"), (status = 403, body = crate::adapters::json::ErrorBody)))]
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
    responses((status = 200), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    json_act::<RevokeToken>(&state, req, &[("id", json!(id))], ok_body).await
}

/// The signed-in citizen's own reports (the same list as `/api/v1/staff/reports`, scoped to
/// the reports in their account), soonest deadline first.
#[utoipa::path(get, path = "/api/v1/my/reports", tag = "citizen",
    params(("status" = Option<String>, Query), ("overdue" = Option<bool>, Query), ("kind" = Option<String>, Query),
           ("q" = Option<String>, Query)),
    responses((status = 200), (status = 401, body = crate::adapters::json::ErrorBody)))]
async fn list_my_reports(
    state: State<AppState>,
    lang: ApiLang,
    actor: SignedIn,
    filter: Query<ListFilter>,
) -> Response {
    crate::casework::list_reports(state, lang, actor, filter).await
}

#[derive(Deserialize, ToSchema)]
pub struct ClaimRequest {
    pub tracking_code: String,
}

/// Puts a guest report into the signed-in citizen's account.
#[utoipa::path(post, path = "/api/v1/my/reports/claim", tag = "citizen", request_body = ClaimRequest,
    responses((status = 200, description = "`{\"reference\": \"ADU-…\"}`"), (status = 404, body = crate::adapters::json::ErrorBody)))]
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
    responses((status = 201), (status = 422, body = crate::adapters::json::ErrorBody),
              (status = 429, body = crate::adapters::json::ErrorBody)))]
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
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody)))]
async fn list_accounts(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    SignedIn(actor): SignedIn,
) -> Response {
    reply(lang, accounts::list_accounts(&state.db, &actor).await)
}

/// Changes an account's role and agency (audited; its sessions end).
#[utoipa::path(put, path = "/api/v1/accounts/{id}/role", tag = "admin", params(("id" = i64, Path)),
    request_body = app::domain::accounts::ChangeRole, responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody)))]
async fn change_role(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    // An API call naming the role is its own confirmation.
    let path = [("account", json!(id)), ("confirm", json!(true))];
    json_act::<ChangeRole>(&state, req, &path, ok_body).await
}

/// `?active=true|false` of the deactivation routes (accounts here, agencies in `office`).
#[derive(Deserialize)]
pub(crate) struct ActiveQuery {
    pub(crate) active: bool,
}

/// Deactivates (`?active=false`) or reactivates an account: its sessions end at once (audited).
#[utoipa::path(post, path = "/api/v1/accounts/{id}/active", tag = "admin", params(("id" = i64, Path), ("active" = bool, Query)),
    responses((status = 200), (status = 403, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)))]
async fn set_account_active(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ActiveQuery>,
    req: Request,
) -> Response {
    let path = [("account", json!(id)), ("active", json!(q.active))];
    json_act::<SetAccountActive>(&state, req, &path, ok_body).await
}

/// Invites a staff member: returns the one-time link (valid 7 days).
#[utoipa::path(post, path = "/api/v1/invites", tag = "admin", request_body = app::domain::accounts::InviteStaff,
    responses((status = 201, description = "`{\"url\": \"/undangan/…\"}`"), (status = 403, body = crate::adapters::json::ErrorBody)))]
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
    request_body = AcceptInviteRequest, responses((status = 201), (status = 404, body = crate::adapters::json::ErrorBody)))]
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

/// `GET /verifikasi-email/{token}`: the link of a verification email.
async fn verify_email(
    State(state): State<AppState>,
    Path(token): Path<String>,
    uri: http::Uri,
    headers: http::HeaderMap,
) -> Response {
    let lang = app::i18n::lang_of(uri.query(), &headers);
    let t = lang.texts();
    match accounts::verify_email(&state.db, &token, Utc::now()).await {
        Ok(()) => crate::middleware::simple_page(
            StatusCode::OK,
            lang,
            t.tr("Email terverifikasi", "Email verified"),
            t.tr(
                "Terima kasih. Dukungan Anda pada laporan publik kini ikut dihitung.",
                "Thank you. Your support for public reports counts from now on.",
            ),
        ),
        Err(AppError::NotFound) => crate::middleware::simple_page(
            StatusCode::NOT_FOUND,
            lang,
            t.tr("Tautan tidak berlaku", "The link is not valid"),
            t.tr(
                "Tautan ini sudah dipakai, kedaluwarsa, atau tidak dikenal.",
                "This link was already used, has expired, or is not known.",
            ),
        ),
        Err(e) => {
            tracing::error!(error = %e, "email verification failed");
            crate::middleware::simple_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                t.error_page_title,
                t.error_page_body,
            )
        }
    }
}

/// The accounts' routes, each JSON route registered with its OpenAPI entry.
pub fn routes() -> OpenApiRouter<AppState> {
    use crate::adapters::form::post_default;
    use app::domain::accounts::{
        AcceptInvite, ClaimReport, ConfirmEnrolment, Register, SignIn, SignInCode, SignOut,
    };
    OpenApiRouter::new()
        .routes(routes!(create_session, delete_session))
        .routes(routes!(get_me, erase_me))
        .routes(routes!(export_my_data))
        .routes(routes!(change_password))
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(list_my_reports))
        .routes(routes!(claim))
        .routes(routes!(register, list_accounts))
        .routes(routes!(change_role))
        .routes(routes!(set_account_active))
        .routes(routes!(invite))
        .routes(routes!(accept_invite))
        .route(
            "/masuk",
            post(|s, u| post_default::<SignIn>(s, u, "login-form")),
        )
        .route(
            "/masuk/kode",
            post(|s, u| post_default::<SignInCode>(s, u, "code-form")),
        )
        .route(
            "/akun/2fa",
            post(|s, u| post_default::<ConfirmEnrolment>(s, u, "enrol-form")),
        )
        .route(
            "/keluar",
            post(|s, u| post_default::<SignOut>(s, u, "sign-out-form")),
        )
        .route(
            "/daftar",
            post(|s, u| post_default::<Register>(s, u, "register-form")),
        )
        .route(
            "/undangan/{token}",
            post(|s, u| post_default::<AcceptInvite>(s, u, "invite-form")),
        )
        .route(
            "/laporan-saya",
            post(|s, u| post_default::<ClaimReport>(s, u, "claim-form")),
        )
        .route(
            "/lupa-sandi",
            post(|s, u| post_default::<RequestPasswordReset>(s, u, "forgot-form")),
        )
        .route(
            "/atur-sandi/{token}",
            post(|s, u| post_default::<ResetPassword>(s, u, "reset-form")),
        )
        .route("/akun", post(crate::adapters::form::post))
        .route("/akun/data-saya", get(download_my_data))
        .route("/admin/pengguna", post(crate::adapters::form::post))
        .route("/verifikasi-email/{token}", get(verify_email))
}
