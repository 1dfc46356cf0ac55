//! The statistics' SVG charts and CSV files: `/statistik/grafik/{tren|kategori|peringkat|peta}.svg`
//! and `/statistik/{ringkasan|peringkat|tren|kategori|wilayah}.csv` for everyone; the same under
//! `/pengawasan/…` for those who may see the oversight figures (plus `terlambat.csv`).

use app::domain::views::StatsFilter;
use app::i18n::{lang_from_request, Lang};
use app::server::auth::RequestAuth;
use app::server::{charts, stats, AppState};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::{header, HeaderMap, StatusCode, Uri};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statistik/grafik/{name}", get(public_chart))
        .route("/pengawasan/grafik/{name}", get(oversight_chart))
        .route("/statistik/{file}", get(public_csv))
        .route("/pengawasan/{file}", get(oversight_csv))
}

fn lang(uri: &Uri, headers: &HeaderMap) -> Lang {
    lang_from_request(
        uri.query(),
        headers.get(header::COOKIE).and_then(|v| v.to_str().ok()),
    )
}

fn filter(pairs: &[(String, String)]) -> StatsFilter {
    StatsFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

async fn page(
    state: &AppState,
    pairs: &[(String, String)],
    actor: Option<&app::domain::access::Actor>,
    lang: Lang,
) -> Result<app::domain::views::StatsPage, Response> {
    match stats::page(&state.db, &filter(pairs), actor, chrono::Utc::now()).await {
        Ok(p) if p.errors.is_empty() => Ok(p),
        Ok(_) => Err(crate::api::error_response(
            app::domain::AppError::Validation(Default::default()),
            lang,
        )),
        Err(e) => Err(crate::api::error_response(e, lang)),
    }
}

fn svg(p: &app::domain::views::StatsPage, name: &str, lang: Lang) -> Option<String> {
    Some(match name {
        "tren.svg" => charts::trend(p, lang),
        "kategori.svg" => charts::categories(p, lang),
        "peringkat.svg" => charts::ranking(p, lang),
        "peta.svg" => charts::map(p, lang),
        _ => return None,
    })
}

fn reply(
    body: Option<String>,
    kind: &'static str,
    cache: &'static str,
    file: Option<String>,
) -> Response {
    match body {
        Some(body) => {
            let mut res = (
                [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, cache)],
                body,
            )
                .into_response();
            if let Some(name) = file {
                if let Ok(v) = format!("attachment; filename=\"{name}\"").parse() {
                    res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
            }
            res
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

const SVG: &str = "image/svg+xml";
const CSV: &str = "text/csv; charset=utf-8";
const PUBLIC: &str = "public, max-age=300";
const PRIVATE: &str = "private, no-store";

async fn public_chart(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let lang = lang(&uri, &headers);
    match page(&state, &pairs, None, lang).await {
        Ok(p) => reply(svg(&p, &name, lang), SVG, PUBLIC, None),
        Err(r) => r,
    }
}

async fn oversight_chart(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(name): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let lang = lang(&uri, &headers);
    match page(&state, &pairs, Some(&auth.actor), lang).await {
        Ok(p) => reply(svg(&p, &name, lang), SVG, PRIVATE, None),
        Err(r) => r,
    }
}

async fn public_csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(table) = file.strip_suffix(".csv") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let lang = lang(&uri, &headers);
    match page(&state, &pairs, None, lang).await {
        Ok(p) => reply(
            charts::csv(&p, table),
            CSV,
            PUBLIC,
            Some(format!("statistik-{table}.csv")),
        ),
        Err(r) => r,
    }
}

async fn oversight_csv(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(file): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(table) = file.strip_suffix(".csv") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let lang = lang(&uri, &headers);
    match page(&state, &pairs, Some(&auth.actor), lang).await {
        Ok(p) => reply(
            charts::csv(&p, table),
            CSV,
            PRIVATE,
            Some(format!("pengawasan-{table}.csv")),
        ),
        Err(r) => r,
    }
}
