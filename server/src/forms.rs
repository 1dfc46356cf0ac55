//! The HTML form post of `/lapor` (works without JavaScript): success redirects to the
//! confirmation page; refused input renders the form again with every typed value and a
//! message per field.

use crate::middleware::{request_lang, simple_page};
use app::api::RefusedSubmission;
use app::domain::{AppError, ReportForm};
use app::server::{reports, AppState};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use http::{Method, StatusCode};
use leptos::prelude::provide_context;

pub async fn submit_report_form(State(state): State<AppState>, req: Request) -> Response {
    let lang = request_lang(&req);
    let (mut parts, body) = req.into_parts();
    let form = match <Form<Vec<(String, String)>> as axum::extract::FromRequest<()>>::from_request(
        Request::from_parts(parts.clone(), body),
        &(),
    )
    .await
    {
        Ok(Form(pairs)) => ReportForm::from_lookup(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }),
        Err(rejection) => return rejection.into_response(),
    };

    match reports::submit_form_in(&state.db, &form, None, lang, chrono::Utc::now()).await {
        Ok(receipt) => Redirect::to(&format!("/lacak/{}?baru=1", receipt.tracking_code.as_str()))
            .into_response(),
        Err(AppError::Validation(errors)) => {
            // Render /lapor again, as a GET, with the refused submission in context.
            parts.method = Method::GET;
            let leptos_options = state.leptos_options.clone();
            let refused = RefusedSubmission(form, errors);
            let render = leptos_axum::render_app_async_with_context(
                move || {
                    provide_context(state.clone());
                    provide_context(refused.clone());
                },
                move || app::shell(leptos_options.clone()),
            );
            let mut res = render(Request::from_parts(parts, axum::body::Body::empty())).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(_) => simple_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            lang,
            lang.texts().error_page_title,
            lang.texts().error_page_body,
        ),
    }
}
