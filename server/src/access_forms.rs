//! The HTML form posts of the signed-in pages (they work without JavaScript). Success redirects
//! (303) to the next page; a refused post renders the same page again, with the typed values
//! (never passwords) and a message per field, under the right status (401, 403, 422, 429).

use crate::auth::AuthState;
use crate::middleware::simple_page;
use app::api::access::RecoveryCodes;
use app::domain::access::Actor;
use app::domain::views::FormOutcome;
use app::domain::{AppError, Field, FieldError, TrackingCode};
use app::server::accounts::{self, NewAccount, Stage};
use app::server::auth::RequestAuth;
use app::server::files::Upload;
use app::server::{staff, AppState};
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Form, Router};
use chrono::Utc;
use http::{header, request::Parts, HeaderValue, Method, StatusCode};
use leptos::prelude::provide_context;

/// The posted fields, by name.
pub(crate) struct Fields(pub(crate) Vec<(String, String)>);

impl Fields {
    pub(crate) fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The values to show again: everything but passwords and codes.
    fn keep(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "password" | "new_password" | "code"))
            .cloned()
            .collect()
    }
}

/// A posted form: the request's parts (to render the page again) and its fields.
struct Posted(Parts, Fields);

impl<S: Send + Sync> axum::extract::FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        match <Form<Vec<(String, String)>> as axum::extract::FromRequest<()>>::from_request(
            Request::from_parts(parts.clone(), body),
            &(),
        )
        .await
        {
            Ok(Form(pairs)) => {
                let fields = Fields(pairs);
                forged(&parts, &fields)?;
                Ok(Posted(parts, fields))
            }
            Err(rejection) => Err(rejection.into_response()),
        }
    }
}

/// A posted form that may carry files (`multipart/form-data`, or a plain form): the request's
/// parts, the text fields and the files. Each file is read up to the size limit plus one byte,
/// so that an oversized file is refused with a field message rather than a broken connection.
pub(crate) struct Uploaded(pub(crate) Parts, pub(crate) Fields, pub(crate) Vec<Upload>);

impl axum::extract::FromRequest<AppState> for Uploaded {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Posted(parts, fields) = Posted::from_request(req, state).await?;
            return Ok(Uploaded(parts, fields, Vec::new()));
        }
        let (parts, body) = req.into_parts();
        let mut form =
            axum::extract::Multipart::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(IntoResponse::into_response)?;
        let cap = state.files.max_bytes + 1;
        // The client network the files count against (the hourly upload budget).
        let client = {
            let proxies = parts
                .extensions
                .get::<crate::auth::AuthState>()
                .map(|a| a.proxies.clone())
                .unwrap_or_default();
            let ip = crate::middleware::client_ip_of(&parts.headers, &parts.extensions, &proxies);
            app::server::accounts::client_network(&ip.to_string())
        };
        let mut fields = Vec::new();
        let mut files = Vec::new();
        let too_big = || StatusCode::PAYLOAD_TOO_LARGE.into_response();
        while let Some(mut field) = form.next_field().await.map_err(|_| too_big())? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let mut bytes = Vec::new();
                    while let Some(chunk) = field.chunk().await.map_err(|_| too_big())? {
                        if bytes.len() < cap {
                            let room = cap - bytes.len();
                            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                        }
                    }
                    files.push(Upload {
                        file_name,
                        bytes,
                        client: Some(client.clone()),
                    });
                }
                None => {
                    let value = field.text().await.map_err(|_| too_big())?;
                    fields.push((name, value));
                }
            }
        }
        let fields = Fields(fields);
        forged(&parts, &fields)?;
        Ok(Uploaded(parts, fields, files))
    }
}

/// Refuses a form without its anti-forgery token (403, a page of the site with a way back).
fn forged(parts: &Parts, fields: &Fields) -> Result<(), Response> {
    let sent = fields
        .0
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    if crate::auth::csrf_ok(parts, sent) {
        return Ok(());
    }
    tracing::warn!(
        path = %crate::telemetry::redacted_path(parts.uri.path()),
        "form without a valid anti-forgery token refused"
    );
    let lang = app::i18n::lang_from_request(
        parts.uri.query(),
        parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok()),
    );
    let t = lang.texts();
    Err(crate::middleware::simple_page(
        StatusCode::FORBIDDEN,
        lang,
        t.tr("Formulir kedaluwarsa", "The form has expired"),
        t.tr(
            "Formulir ini tidak dapat diterima (halaman terlalu lama dibuka, atau kuki dimatikan). Buka halamannya lagi, lalu kirim ulang.",
            "This form could not be accepted (the page was open too long, or cookies are off). Open the page again and send it once more.",
        ),
    ))
}

/// Renders the page of `parts.uri` again (as a GET) with extra context.
pub(crate) async fn render(
    state: &AppState,
    mut parts: Parts,
    status: StatusCode,
    provide: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    parts.method = Method::GET;
    let leptos_options = state.leptos_options.clone();
    let st = state.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(st.clone());
            provide();
        },
        move || app::shell(leptos_options.clone()),
    );
    let mut res = render(Request::from_parts(parts, axum::body::Body::empty())).await;
    *res.status_mut() = status;
    res
}

/// The page again with `error` explained on form `form`.
pub(crate) async fn refused(
    state: &AppState,
    parts: Parts,
    form: &'static str,
    fields: &Fields,
    error: AppError,
) -> Response {
    let lang = app::i18n::lang_from_request(
        parts.uri.query(),
        parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok()),
    );
    let (status, errors, message) = match error {
        AppError::Validation(e) => (StatusCode::UNPROCESSABLE_ENTITY, e, None),
        AppError::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            Default::default(),
            Some("bad_credentials"),
        ),
        AppError::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            Default::default(),
            Some("throttled"),
        ),
        AppError::Forbidden => (StatusCode::FORBIDDEN, Default::default(), Some("forbidden")),
        AppError::Refused(_) => (StatusCode::CONFLICT, Default::default(), Some("refused")),
        AppError::Conflict => (StatusCode::CONFLICT, Default::default(), Some("conflict")),
        AppError::NotFound => (StatusCode::NOT_FOUND, Default::default(), Some("not_found")),
        AppError::StorageFull => (
            StatusCode::SERVICE_UNAVAILABLE,
            Default::default(),
            Some("storage_full"),
        ),
        AppError::Internal => {
            let t = lang.texts();
            return simple_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                t.error_page_title,
                t.error_page_body,
            );
        }
    };
    let outcome = FormOutcome {
        form: form.to_string(),
        values: fields.keep(),
        errors,
        message: message.map(str::to_string),
    };
    render(state, parts, status, move || {
        provide_context(outcome.clone())
    })
    .await
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn with_cookie(mut res: Response, cookie: HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res
}

async fn after_sign_in(state: &AppState, account_id: i64) -> &'static str {
    match accounts::me(&state.db, account_id).await {
        Ok(me) if me.role == app::domain::access::AccountRole::Citizen => "/laporan-saya",
        _ => "/staf",
    }
}

/// `POST /masuk`.
async fn sign_in(
    State(state): State<AppState>,
    Extension(auth_state): Extension<AuthState>,
    Posted(parts, f): Posted,
) -> Response {
    let addr = auth_state.client_addr_of(&parts);
    // Required fields are checked by the service (the same for the JSON API).
    match accounts::login(
        &state.db,
        &f.get("login"),
        &f.get("password"),
        None,
        Some(&addr),
        Utc::now(),
    )
    .await
    {
        Ok(s) => {
            let to = match s.stage {
                Stage::Active => after_sign_in(&state, s.account_id).await,
                Stage::Mfa => "/masuk/kode",
                Stage::Enrol => "/akun/2fa",
            };
            with_cookie(see_other(to), auth_state.session_cookie(&s.token))
        }
        Err(e) => refused(&state, parts, "login", &f, e).await,
    }
}

/// `POST /masuk/kode`.
async fn sign_in_code(
    State(state): State<AppState>,
    Extension(auth_state): Extension<AuthState>,
    Extension(auth): Extension<RequestAuth>,
    Posted(parts, f): Posted,
) -> Response {
    let addr = auth_state.client_addr_of(&parts);
    let Some(session) = auth.session.filter(|s| s.stage == Stage::Mfa) else {
        return see_other("/masuk");
    };
    match accounts::complete_mfa(&state.db, &session, &f.get("code"), Some(&addr), Utc::now()).await
    {
        Ok(token) => with_cookie(
            see_other(after_sign_in(&state, session.account_id).await),
            auth_state.session_cookie(&token),
        ),
        Err(e) => refused(&state, parts, "code", &f, e).await,
    }
}

/// `POST /akun/2fa`: confirms set-up and shows the recovery codes once.
async fn enrol(
    State(state): State<AppState>,
    Extension(auth_state): Extension<AuthState>,
    Extension(auth): Extension<RequestAuth>,
    Posted(parts, f): Posted,
) -> Response {
    let Some(session) = auth.session else {
        return see_other("/masuk");
    };
    match accounts::confirm_enrolment(&state.db, &session, &f.get("code"), Utc::now()).await {
        Ok((token, codes)) => {
            let codes = RecoveryCodes(codes);
            let res = render(&state, parts, StatusCode::OK, move || {
                provide_context(codes.clone())
            })
            .await;
            with_cookie(res, auth_state.session_cookie(&token))
        }
        Err(e) => refused(&state, parts, "enrol", &f, e).await,
    }
}

/// `POST /keluar`.
async fn sign_out(
    State(state): State<AppState>,
    Extension(auth_state): Extension<AuthState>,
    Extension(auth): Extension<RequestAuth>,
) -> Response {
    if let Some(s) = &auth.session {
        if accounts::end_session(&state.db, &s.id_hash).await.is_err() {
            let lang = app::i18n::Lang::default();
            return simple_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                lang.texts().error_page_title,
                lang.texts().error_page_body,
            );
        }
    }
    with_cookie(see_other("/"), auth_state.clear_cookie())
}

/// `POST /daftar`: registers and signs in.
async fn register(
    State(state): State<AppState>,
    Extension(auth_state): Extension<AuthState>,
    Posted(parts, f): Posted,
) -> Response {
    let input = NewAccount {
        login: f.get("login"),
        display_name: f.get("name"),
        password: f.get("password"),
        role: "citizen".into(),
        agency_code: None,
    };
    let now = Utc::now();
    let addr = auth_state.client_addr_of(&parts);
    let created = async {
        let id = accounts::register_citizen(&state.db, &input, Some(&addr), now).await?;
        accounts::session_after_registration(&state.db, id, now).await
    }
    .await;
    match created {
        Ok(token) => with_cookie(
            see_other("/laporan-saya"),
            auth_state.session_cookie(&token),
        ),
        Err(e) => refused(&state, parts, "register", &f, e).await,
    }
}

/// `POST /undangan/{token}`.
async fn accept_invite(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Posted(parts, f): Posted,
) -> Response {
    match accounts::accept_invite(
        &state.db,
        &token,
        &f.get("name"),
        &f.get("password"),
        Utc::now(),
    )
    .await
    {
        Ok(_) => see_other("/masuk"),
        Err(e) => refused(&state, parts, "invite", &f, e).await,
    }
}

fn signed_in(auth: &RequestAuth) -> Result<&Actor, AppError> {
    match &auth.actor {
        Actor::Public => Err(AppError::Unauthorized),
        a => Ok(a),
    }
}

/// `POST /laporan-saya`: claims a report with its tracking code.
async fn claim(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Posted(parts, f): Posted,
) -> Response {
    let r = async {
        let actor = signed_in(&auth)?;
        let code = TrackingCode::parse(&f.get("kode"))
            .map_err(|_| AppError::field(Field::TrackingCode, FieldError::Invalid))?;
        staff::claim_report(&state.db, actor, &code, Utc::now()).await
    }
    .await;
    match r {
        Ok(_) => see_other("/laporan-saya"),
        Err(AppError::NotFound) => {
            let e = AppError::field(Field::TrackingCode, FieldError::Unknown);
            refused(&state, parts, "claim", &f, e).await
        }
        Err(e) => refused(&state, parts, "claim", &f, e).await,
    }
}

/// `POST /laporan/{reference}`: a signed-in reader supports or follows a public report
/// (`action=dukung|batal_dukung|ikuti|berhenti_ikuti`). Nobody signed in: off to sign-in.
async fn public_report_post(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(reference): Path<String>,
    Posted(parts, f): Posted,
) -> Response {
    use app::server::public::{reader_action, ReaderAction};
    let Ok(actor) = signed_in(&auth) else {
        return see_other("/masuk");
    };
    let Some(action) = ReaderAction::parse(&f.get("action")) else {
        return refused(&state, parts, "reader", &f, AppError::Forbidden).await;
    };
    match reader_action(&state.db, actor, &reference, action, Utc::now()).await {
        Ok(()) => see_other(&format!("/laporan/{}", reference.trim().to_uppercase())),
        Err(e) => refused(&state, parts, "reader", &f, e).await,
    }
}

/// The form posts of the sign-in, account, staff and administration pages.
/// The largest form with files: five files of the largest size allowed
/// (`ADUAN_ATTACHMENT_MAX_MB`, 10 MB by default) and the text. Larger posts are cut off with
/// 413.
pub fn upload_limit(max_file_bytes: usize) -> usize {
    app::server::files::MAX_FILES * max_file_bytes + 256 * 1024
}

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/masuk", post(sign_in))
        .route("/masuk/kode", post(sign_in_code))
        .route("/akun/2fa", post(enrol))
        .route("/keluar", post(sign_out))
        .route("/daftar", post(register))
        .route("/undangan/{token}", post(accept_invite))
        .route("/laporan-saya", post(claim))
        .route("/laporan/{reference}", post(public_report_post))
        .route(
            "/staf/laporan/{id}",
            post(crate::acts::post).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/admin/instansi", post(crate::acts::post))
        .route("/admin/instansi/{id}", post(crate::acts::post))
        .route("/admin/pengguna", post(crate::acts::post))
        .route("/akun", post(crate::acts::post))
        .route("/admin/rute", post(crate::acts::post))
        .route("/admin/libur", post(crate::acts::post))
        .route(
            "/verifikasi-email/{token}",
            axum::routing::get(verify_email),
        )
        .route("/staf/templat", post(crate::acts::post))
}

/// `GET /verifikasi-email/{token}`: the link of a verification email.
async fn verify_email(
    State(state): State<AppState>,
    Path(token): Path<String>,
    uri: http::Uri,
    headers: http::HeaderMap,
) -> Response {
    let lang = app::i18n::lang_from_request(
        uri.query(),
        headers.get(header::COOKIE).and_then(|v| v.to_str().ok()),
    );
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
