//! The no-JavaScript adapter of every typed action (`app::act`): the posted form (with its
//! files and its anti-forgery token), one handler for every page with action forms, and the
//! page rendered again under the error's status with what was typed. Nothing here is written per
//! action; a capability's router only says which page posts which action.

use crate::middleware::simple_page;
use app::act::kept_values;
use app::act::Refused;
use app::act::ACT_FIELD;
use app::act::FORM_FIELD;
use app::server::act::Ctx;
use app::server::files::Upload;
use app::server::AppState;
use axum::extract::Request;
use axum::extract::State;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use axum::Form;
use http::header;
use http::request::Parts;
use http::Method;
use http::StatusCode;
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
    let lang = app::i18n::lang_of(parts.uri.query(), &parts.headers);
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

/// A post to a page with one action: one that names no action (a page rendered before the
/// action forms, still open in a browser; a script written against it) is that action.
pub(crate) async fn post_default<A: app::act::Act>(
    state: State<AppState>,
    Uploaded(parts, mut fields, files): Uploaded,
    form: &'static str,
) -> Response {
    if !fields.0.iter().any(|(k, _)| k == ACT_FIELD) {
        fields.0.push((ACT_FIELD.into(), A::KEY.into()));
        fields.0.push((FORM_FIELD.into(), form.into()));
    }
    post(state, Uploaded(parts, fields, files)).await
}

/// `POST` to a page with action forms.
pub(crate) async fn post(
    State(state): State<AppState>,
    Uploaded(parts, fields, files): Uploaded,
) -> Response {
    let cx = Ctx::of(&state, &parts);
    let lang = cx.lang;
    let key = fields.get(ACT_FIELD);
    let Some(entry) = app::api::acts::registry().iter().find(|e| e.key == key) else {
        tracing::warn!(act = %key, "form post names no known action");
        let t = lang.texts();
        return simple_page(
            StatusCode::BAD_REQUEST,
            lang,
            t.error_page_title,
            t.tr(
                "Formulir ini tidak dikenal. Buka halamannya lagi, lalu kirim ulang.",
                "This form is not known. Open the page again and send it once more.",
            ),
        );
    };
    let page = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    // Files cannot come back in a page rendered in answer: their names can, to ask for them.
    let file_names: Vec<&str> = files
        .iter()
        .filter(|f| !f.bytes.is_empty())
        .map(|f| f.file_name.as_str())
        .collect();
    let dropped = file_names.join(", ");
    match (entry.run)(cx, parts.clone(), fields.0.clone(), files).await {
        Ok(done) => {
            let mut res = match done.show {
                Some(show) => {
                    let status = StatusCode::from_u16(done.status).unwrap_or(StatusCode::OK);
                    render(&state, parts, status, move || show()).await
                }
                None => see_other(done.next.as_deref().unwrap_or(&page)),
            };
            if let Some(cookie) = done.cookie {
                res.headers_mut().append(http::header::SET_COOKIE, cookie);
            }
            res
        }
        Err(app::domain::AppError::Internal) => {
            let t = lang.texts();
            simple_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                t.error_page_title,
                t.error_page_body,
            )
        }
        Err(error) => {
            let status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let refused = Refused {
                act: key,
                form: fields.get(FORM_FIELD),
                values: {
                    let mut values = kept_values(&fields.0, entry.secret);
                    if !dropped.is_empty() {
                        values.push((app::act::DROPPED_FILES.into(), dropped));
                    }
                    values
                },
                error,
            };
            let mut res = render(&state, parts, status, move || {
                provide_context(app::act::PostedRefusal(Some(refused.clone())))
            })
            .await;
            if status == StatusCode::SERVICE_UNAVAILABLE {
                res.headers_mut().insert(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static("60"),
                );
            }
            res
        }
    }
}

/// The bodies of the actions' server functions are read as streams (multipart): this bounds
/// them as the form posts are bounded.
pub(crate) async fn limit_act_bodies(limit: usize, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/act/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// A route (with its OpenAPI entry) that accepts posts with files: its body may be as large as
/// `upload_limit` (the server's default limit is for text).
pub(crate) fn with_upload_limit(
    upload_limit: usize,
    (schemas, paths, router): utoipa_axum::router::UtoipaMethodRouter<app::server::AppState>,
) -> utoipa_axum::router::UtoipaMethodRouter<app::server::AppState> {
    (
        schemas,
        paths,
        router.layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
    )
}
