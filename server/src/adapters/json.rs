//! The JSON adapter of every typed action, and what every JSON route shares: the request's
//! language, the signed-in actor, and one error body in the request's language.

use crate::adapters::form::Uploaded;
use app::domain::access::Actor;
use app::domain::AppError;
use app::i18n::Lang;
use app::server::act::Ctx;
use app::server::auth::RequestAuth;
use app::server::AppState;
use axum::extract::FromRequestParts;
use axum::extract::Request;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use http::header;
use http::request::Parts;
use http::StatusCode;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// An error. `fields` is present for `validation` errors: one message per refused field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    #[schema(example = "validation")]
    pub error: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// `AppError` as an HTTP answer in the client's language; causes of internal errors stay in
/// the log.
pub fn error_response(e: AppError, lang: Lang) -> Response {
    let t = lang.texts();
    let (status, body) = match e {
        AppError::Validation(fields) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorBody {
                error: "validation",
                message: Some(t.error_summary_title.to_string()),
                fields: Some(
                    fields
                        .into_iter()
                        .map(|(f, err)| (f.name().to_string(), t.field_error(f, err)))
                        .collect(),
                ),
            },
        ),
        AppError::NotFound => (
            StatusCode::NOT_FOUND,
            ErrorBody {
                error: "not_found",
                // Tracking and staff routes alike: the code, the report or the thing named in the
                // address does not exist, or is outside what the caller may see (one answer).
                message: Some(
                    t.tr(
                        "Tidak ditemukan. Periksa kembali kode atau alamatnya; bisa jadi juga di luar yang boleh Anda buka.",
                        "Not found. Check the code or the address; it may also be outside what you may open.",
                    )
                    .to_string(),
                ),
                fields: None,
            },
        ),
        AppError::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            ErrorBody {
                error: "rate_limited",
                message: Some(t.rate_limited.to_string()),
                fields: None,
            },
        ),
        // In the request's language, from the pages' catalogue (not the refusal's English
        // `Display`).
        AppError::Refused(_) => (
            StatusCode::CONFLICT,
            ErrorBody {
                error: "refused",
                message: Some(t.form_message("refused").to_string()),
                fields: None,
            },
        ),
        // Made in the browser only; a server never answers it, but every error has an answer.
        AppError::Unreachable => (
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorBody {
                error: "unreachable",
                message: Some(t.form_message("unreachable").to_string()),
                fields: None,
            },
        ),
        AppError::KeyReused => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorBody {
                error: "idempotency_key_reused",
                message: Some(
                    t.tr(
                        "Idempotency-Key ini sudah dipakai untuk laporan lain: buat kunci baru untuk laporan baru",
                        "This Idempotency-Key was already used for a different report: make a new key for a new report",
                    )
                    .to_string(),
                ),
                fields: None,
            },
        ),
        AppError::Conflict => (
            StatusCode::CONFLICT,
            ErrorBody {
                error: "conflict",
                message: Some(t.form_message("conflict").to_string()),
                fields: None,
            },
        ),
        AppError::Unauthorized | AppError::BadCredentials => (
            StatusCode::UNAUTHORIZED,
            ErrorBody {
                error: "unauthorized",
                message: Some(
                    t.tr(
                        "Email, kata sandi atau kode salah, atau sesi berakhir",
                        "Wrong email, password or code, or the session has ended",
                    )
                    .to_string(),
                ),
                fields: None,
            },
        ),
        AppError::Forbidden => (
            StatusCode::FORBIDDEN,
            ErrorBody {
                error: "forbidden",
                message: Some(
                    t.tr(
                        "Anda tidak berwenang melakukan ini",
                        "You are not allowed to do this",
                    )
                    .to_string(),
                ),
                fields: None,
            },
        ),
        AppError::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorBody {
                error: "internal",
                message: Some(t.error_page_body.to_string()),
                fields: None,
            },
        ),
        AppError::StorageFull => {
            let body = ErrorBody {
                error: "storage_full",
                message: Some(t.storage_full_body.to_string()),
                fields: None,
            };
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "60")],
                Json(body),
            )
                .into_response();
        }
    };
    (status, Json(body)).into_response()
}

/// The language of an API request: `?lang=`, else `Accept-Language`, else Indonesian.
pub(crate) fn api_lang(req_query: Option<&str>, headers: &http::HeaderMap) -> Lang {
    app::i18n::query_lang(req_query).unwrap_or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    })
}

/// The language of an API request (`?lang=`, else `Accept-Language`, else Indonesian).
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(crate::adapters::json::api_lang(
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
                crate::adapters::json::api_lang(parts.uri.query(), &parts.headers),
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
    let lang = crate::adapters::json::api_lang(req.uri().query(), req.headers());
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
        Err(e) => return crate::adapters::json::error_response(e, lang),
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
        Err(e) => crate::adapters::json::error_response(e, lang),
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
