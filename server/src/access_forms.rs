//! The HTML form posts of the signed-in pages (they work without JavaScript). Success redirects
//! (303) to the next page; a refused post renders the same page again, with the typed values
//! (never passwords) and a message per field, under the right status (401, 403, 422, 429).

use app::domain::AppError;
use app::server::accounts::{self};
use app::server::files::Upload;
use app::server::AppState;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use chrono::Utc;
use http::{header, request::Parts, Method, StatusCode};
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

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The form posts of the sign-in, account, staff and administration pages.
/// The largest form with files: five files of the largest size allowed
/// (`ADUAN_ATTACHMENT_MAX_MB`, 10 MB by default) and the text. Larger posts are cut off with
/// 413.
pub fn upload_limit(max_file_bytes: usize) -> usize {
    app::server::files::MAX_FILES * max_file_bytes + 256 * 1024
}

pub fn routes(upload_limit: usize) -> Router<AppState> {
    use crate::acts::post_default;
    use app::domain::accounts::{
        AcceptInvite, ClaimReport, ConfirmEnrolment, Register, SignIn, SignInCode, SignOut,
    };
    Router::new()
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
        .route("/laporan/{reference}", post(crate::acts::post_reader))
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
