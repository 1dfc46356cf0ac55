//! Transparency: what anyone may see — public reports (`GET /api/v1/public/reports`, one by its
//! reference), statistics (`GET /api/v1/statistics`), and a signed-in reader's support or follow
//! (`POST /laporan/{reference}` from the page, `POST /api/v1/public/reports/{reference}/actions`).
//! Confidential reports never appear; reporters are never identified.

use crate::adapters::form::post_default;
use crate::adapters::form::Uploaded;
use crate::adapters::json::api_lang;
use crate::adapters::json::error_response;
use app::domain::views::PublicFilter;
use app::domain::views::StatsFilter;
use app::domain::AppError;
use app::server::AppState;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::post;
use axum::Json;
use http::HeaderMap;
use http::Uri;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A signed-in reader supports or follows a public report, or takes that back
/// (`{"action": "support" | "unsupport" | "follow" | "unfollow"}`; audited). 401 for nobody signed
/// in, 404 for a report that is not public.
#[utoipa::path(
    post,
    path = "/api/v1/public/reports/{reference}/actions",
    params(("reference" = String, Path)),
    responses((status = 200), (status = 401, body = crate::adapters::json::ErrorBody), (status = 404, body = crate::adapters::json::ErrorBody)),
    tag = "public"
)]
pub(crate) async fn reader_act(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    req: axum::extract::Request,
) -> Response {
    let path = [("reference", serde_json::json!(reference))];
    crate::adapters::json::json_act::<app::domain::transparency::ReaderAct>(
        &state,
        req,
        &path,
        crate::adapters::json::ok_body,
    )
    .await
}

/// A page of public reports.
#[utoipa::path(
    get,
    path = "/api/v1/public/reports",
    params(("q" = Option<String>, Query, description = "Words (Indonesian affixes tolerated) or a report number"),
           ("instansi" = Option<i32>, Query, description = "An agency and its units"),
           ("setelah" = Option<String>, Query, description = "The `next` cursor of the previous page")),
    responses(
        (status = 200, description = "`{rows, next, refine}`: rows with the public text and highlights; `refine` when the search stopped at its work budget (`next` goes on from there)"),
        (status = 422, description = "A filter was not understood (per field)"),
    ),
    tag = "public"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let filter = PublicFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let lang = api_lang(uri.query(), &headers);
    use app::server::transparency::{list_public_bounded, MAX_WINDOWS, WINDOW};
    match list_public_bounded(&state.db, &filter, WINDOW, MAX_WINDOWS).await {
        Ok(l) if !l.errors.is_empty() => error_response(AppError::Validation(l.errors), lang),
        // `refine`: the search stopped at its work budget; `next` goes on from there.
        Ok(l) => Json(serde_json::json!({ "rows": l.rows, "next": l.next, "refine": l.refine }))
            .into_response(),
        Err(e) => error_response(e, lang),
    }
}

/// One public report: the public text, the timeline and the agency's answers.
#[utoipa::path(
    get,
    path = "/api/v1/public/reports/{reference}",
    params(("reference" = String, Path, description = "The report number, ADU-XXXX-XXXX")),
    responses(
        (status = 200, description = "The public report"),
        (status = 404, description = "No such public report (unknown, not yet verified, or confidential)"),
    ),
    tag = "public"
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let lang = api_lang(uri.query(), &headers);
    match app::server::transparency::public_report(&state.db, &reference, None).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => error_response(e, lang),
    }
}

/// Statistics of an agency (with its units) over a range of months; see docs/transparency.md.
#[utoipa::path(
    get,
    path = "/api/v1/statistics",
    params(("instansi" = Option<i32>, Query, description = "An agency and its units; all when absent"),
           ("dari" = Option<String>, Query, description = "First month, YYYY-MM"),
           ("sampai" = Option<String>, Query, description = "Last month, YYYY-MM")),
    responses(
        (status = 200, description = "Figures, index, ranking, months, categories, regions"),
        (status = 422, description = "A filter was not understood (per field)"),
    ),
    tag = "public"
)]
pub(crate) async fn statistics(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let filter = StatsFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let lang = api_lang(uri.query(), &headers);
    match app::server::stats::page(&state.db, &filter, None, chrono::Utc::now()).await {
        Ok(p) if !p.errors.is_empty() => error_response(AppError::Validation(p.errors), lang),
        Ok(p) => Json(p).into_response(),
        Err(e) => error_response(e, lang),
    }
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
    post_default::<app::domain::transparency::ReaderAct>(
        state,
        Uploaded(parts, fields, files),
        "support-form",
    )
    .await
}

/// Transparency's routes, each JSON route registered with its OpenAPI entry.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one))
        .routes(routes!(reader_act))
        .routes(routes!(statistics))
        .route("/laporan/{reference}", post(post_reader))
}
