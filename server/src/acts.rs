//! The no-JavaScript adapter of every typed action (`app::act`): one handler for the form posts
//! of the pages that carry action forms. It reads the form (with its files), finds the action
//! the form names in the registry the actions are declared in, and calls the same function as
//! the hydrated server function does; then it redirects (303) or renders the page again, under
//! the error's status, with the refusal and what was typed. Nothing here is written per action.

use crate::access_forms::{render, see_other, Uploaded};
use crate::middleware::simple_page;
use app::act::{kept_values, Refused, ACT_FIELD, FORM_FIELD};
use app::domain::AppError;
use app::server::act::Ctx;
use app::server::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use leptos::prelude::provide_context;

/// `POST /lapor`: the report form; a post that names no action (a client written before the
/// action forms) is a submission.
pub(crate) async fn post_report(state: State<AppState>, uploaded: Uploaded) -> Response {
    post_default::<app::domain::intake::SubmitReport>(state, uploaded, "report-form").await
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

/// `POST /laporan/{reference}`: a reader's support or follow; the report is the one the
/// address names, and a post that names no action (a page rendered before the action forms)
/// is this one.
pub(crate) async fn post_reader(
    axum::extract::Path(reference): axum::extract::Path<String>,
    state: State<AppState>,
    Uploaded(parts, mut fields, files): Uploaded,
) -> Response {
    fields.0.retain(|(k, _)| k != "reference");
    fields.0.push(("reference".into(), reference));
    post_default::<app::domain::public::ReaderAct>(
        state,
        Uploaded(parts, fields, files),
        "support-form",
    )
    .await
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
                values: kept_values(&fields.0, entry.secret),
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

/// The JSON adapter: the action's input from a JSON body (or `multipart/form-data` with the
/// same field names and files, `files`), with the values the address carries (`path`, e.g. the
/// report id) put in; decoded by the same decoder and served by the same service as the other
/// adapters; `out` shapes the success body. Errors in the request's language.
pub(crate) async fn json_act<A: app::server::act::Serve>(
    state: &AppState,
    req: Request,
    path: &[(&str, serde_json::Value)],
    out: impl FnOnce(A::Output) -> serde_json::Value,
) -> Response {
    json_act_as::<A>(state, req, path, StatusCode::OK, out).await
}

/// `json_act` answering success with `status` (201 for what it creates).
pub(crate) async fn json_act_as<A: app::server::act::Serve>(
    state: &AppState,
    req: Request,
    path: &[(&str, serde_json::Value)],
    status: StatusCode,
    out: impl FnOnce(A::Output) -> serde_json::Value,
) -> Response {
    use axum::extract::FromRequest;
    let lang = crate::api::api_lang(req.uri().query(), req.headers());
    let multipart = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (parts, input, files) = if multipart {
        let Uploaded(parts, mut fields, files) = match Uploaded::from_request(req, state).await {
            Ok(u) => u,
            Err(res) => return res,
        };
        fields.0.retain(|(k, _)| !path.iter().any(|(p, _)| p == k));
        for (k, v) in path {
            let text = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            fields.0.push((k.to_string(), text));
        }
        (parts, app::act::decode::<A>(&fields.0), files)
    } else {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, crate::startup::BODY_LIMIT).await else {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        let input = if bytes.iter().all(u8::is_ascii_whitespace) {
            Ok(serde_json::Value::Object(Default::default()))
        } else {
            serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|_| {
                AppError::field(app::domain::Field::Kind, app::domain::FieldError::Invalid)
            })
        }
        .and_then(|mut body| {
            if let Some(map) = body.as_object_mut() {
                for (k, v) in path {
                    map.insert(k.to_string(), v.clone());
                }
            }
            app::act::decode_value::<A>(body)
        });
        (parts, input, Vec::new())
    };
    let input = match input {
        Ok(input) => input,
        Err(e) => return crate::api::error_response(e, lang),
    };
    let cx = Ctx::of(state, &parts);
    match input.serve(&cx, files).await {
        Ok(v) => {
            let mut res = if status == StatusCode::NO_CONTENT {
                status.into_response()
            } else {
                (status, axum::Json(out(v))).into_response()
            };
            if let Some(cookie) = cx.cookie() {
                res.headers_mut().append(http::header::SET_COOKIE, cookie);
            }
            res
        }
        Err(e) => crate::api::error_response(e, lang),
    }
}

/// Serves an input built from a request that is not a form or JSON (a CSV body), as the
/// request's actor.
pub(crate) async fn serve_as<A: app::server::act::Serve>(
    state: &AppState,
    parts: &http::request::Parts,
    input: A,
) -> Result<A::Output, AppError> {
    input.check()?;
    input.serve(&Ctx::of(state, parts), Vec::new()).await
}

/// `{"ok": true}`: the body of an action that returns nothing.
pub(crate) fn ok_body(_: ()) -> serde_json::Value {
    serde_json::json!({ "ok": true })
}

/// `{"event": "dispatched"}`: the body of a lifecycle command.
pub(crate) fn event_body(event: app::domain::EventKind) -> serde_json::Value {
    serde_json::json!({ "event": event.as_str() })
}

/// `{"id": …}`: the body of an action that creates something.
pub(crate) fn id_body(id: i32) -> serde_json::Value {
    serde_json::json!({ "id": id })
}
