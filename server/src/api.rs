//! API v1 as a whole: one OpenAPI document made from the capabilities' routes (each JSON route is
//! registered with its entry, so none exists undocumented), `/api/v1/openapi.json`, `/healthz`
//! and `/readyz`.

use app::server::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use http::header;
use http::StatusCode;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// The document's head: what `routes!` cannot know (title, version, tag descriptions). Every
/// path and schema comes from the routes themselves.
#[derive(OpenApi)]
#[openapi(
    info(title = "Aduan API", version = "1", description = "Public-service complaint management: submit and track reports."),
    tags((name = "reports", description = "Citizen reports"), (name = "public", description = "Public reports and statistics"),
         (name = "notifications", description = "In-app notifications"),
         (name = "access", description = "Sessions, the current account, integration tokens"),
         (name = "staff", description = "Scoped report work for staff"),
         (name = "citizen", description = "Citizen accounts and their reports"),
         (name = "admin", description = "Accounts, invites, agencies, routing rules and the holiday calendar"))
)]
pub struct ApiDoc;

/// Every capability's routes: the JSON routes of API v1, each registered together with its
/// OpenAPI entry (a route cannot exist without its documentation), and the pages' posts.
pub fn documented_routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::intake::routes(upload_limit))
        .merge(crate::conversation::routes(upload_limit))
        .merge(crate::casework::routes(upload_limit))
        .merge(crate::accounts::routes())
        .merge(crate::office::routes())
        .merge(crate::transparency::routes())
        .merge(crate::notifications::routes())
}

/// The OpenAPI document served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    documented_routes(1).into_openapi()
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers and the attachment store takes a write (a balancer stops
/// sending work to an instance that could not store a report's files).
async fn readyz(State(state): State<AppState>) -> Response {
    if let Err(e) = state.db.ping().await {
        tracing::error!(error = %e, "readiness check failed: database");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response();
    }
    if let Err(e) = state.files.ready().await {
        tracing::error!(error = %e, "readiness check failed: attachment store");
        return (StatusCode::SERVICE_UNAVAILABLE, "file store unreachable").into_response();
    }
    (StatusCode::OK, "ready").into_response()
}

/// `/api/v1/*` with `/api/v1/openapi.json`, `/healthz` and `/readyz`.
pub fn routes(upload_limit: usize) -> Router<AppState> {
    let (router, doc) = documented_routes(upload_limit).split_for_parts();
    let doc =
        std::sync::Arc::new(serde_json::to_string(&doc).expect("the OpenAPI document serializes"));
    router
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        doc.as_str().to_owned(),
                    )
                }
            }),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_is_3_1_and_lists_both_endpoints() {
        let doc = serde_json::to_value(openapi_document()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(doc["paths"]["/api/v1/reports"]["post"].is_object());
        assert!(doc["paths"]["/api/v1/track/{tracking_code}"]["get"].is_object());
    }
}
