//! The HTML form post of `/lapor` (works without JavaScript; a multipart form, so photos and
//! PDFs can come with the report): success redirects to the confirmation page; refused input
//! renders the form again with every typed value and a message per field.

use crate::access_forms::Uploaded;
use crate::middleware::simple_page;
use app::api::RefusedSubmission;
use app::domain::{AppError, FieldErrors, ReportForm};
use app::server::{files, reports, AppState};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::request::Parts;
use http::{Method, StatusCode};
use leptos::prelude::provide_context;

pub(crate) async fn submit_report_form(
    State(state): State<AppState>,
    Uploaded(parts, fields, uploads): Uploaded,
) -> Response {
    let lang = app::i18n::lang_from_request(
        parts.uri.query(),
        parts
            .headers
            .get(http::header::COOKIE)
            .and_then(|v| v.to_str().ok()),
    );
    let form = ReportForm::from_lookup(|name| {
        fields
            .0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    });
    let now = chrono::Utc::now();
    // The text first, then the files: nothing is stored while anything is refused.
    if let Err(errors) = form.parse(app::domain::calendar::latest_local_date(now)) {
        return refused(state, parts, form, errors, None).await;
    }
    let stored = match files::store_uploads(&state.files, 0, uploads).await {
        Ok(stored) => stored,
        Err(AppError::Validation(errors)) => {
            return refused(state, parts, form, errors, None).await
        }
        Err(AppError::StorageFull) => {
            return refused(state, parts, form, FieldErrors::new(), Some("storage_full")).await
        }
        Err(_) => return opaque(lang),
    };
    // The report and its files in one transaction.
    let submitted = reports::submit_form_in(&state.db, &form, None, &stored, lang, now).await;
    match submitted {
        Ok(receipt) => Redirect::to(&format!("/lacak/{}?baru=1", receipt.tracking_code.as_str()))
            .into_response(),
        Err(AppError::Validation(errors)) => refused(state, parts, form, errors, None).await,
        // The disk is full: the form again, everything typed kept, with a 503 and the reason.
        Err(AppError::StorageFull) => {
            refused(state, parts, form, FieldErrors::new(), Some("storage_full")).await
        }
        Err(_) => opaque(lang),
    }
}

fn opaque(lang: app::i18n::Lang) -> Response {
    simple_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        lang.texts().error_page_title,
        lang.texts().error_page_body,
    )
}

/// Renders `/lapor` again, as a GET, with the refused submission in context.
async fn refused(
    state: AppState,
    mut parts: Parts,
    form: ReportForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
) -> Response {
    parts.method = Method::GET;
    let leptos_options = state.leptos_options.clone();
    let status = if notice.is_some() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let refused = RefusedSubmission(form, errors, notice);
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(refused.clone());
        },
        move || app::shell(leptos_options.clone()),
    );
    let mut res = render(Request::from_parts(parts, axum::body::Body::empty())).await;
    *res.status_mut() = status;
    if notice.is_some() {
        res.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("60"),
        );
    }
    res
}
