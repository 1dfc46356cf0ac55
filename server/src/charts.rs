//! The statistics' SVG charts and CSV files: `/statistik/grafik/{tren|kategori|peringkat|peta}.svg`
//! and `/statistik/{ringkasan|peringkat|tren|kategori|wilayah}.csv` for everyone; the same under
//! `/pengawasan/…` for those who may see the oversight figures (plus `terlambat.csv`).

use app::domain::views::StatsFilter;
use app::i18n::Lang;
use app::server::auth::RequestAuth;
use app::server::{charts, stats, AppState};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::{header, HeaderMap, StatusCode, Uri};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statistik/grafik/{name}", get(serve_file))
        .route("/pengawasan/grafik/{name}", get(serve_file))
        .route("/statistik/{name}", get(serve_file))
        .route("/pengawasan/{name}", get(serve_file))
}

fn lang(uri: &Uri, headers: &HeaderMap) -> Lang {
    app::i18n::lang_of(uri.query(), headers)
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
        Ok(_) => Err(crate::adapters::json::error_response(
            app::domain::AppError::Validation(Default::default()),
            lang,
        )),
        Err(e) => Err(crate::adapters::json::error_response(e, lang)),
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

/// A chart (`grafik/{name}.svg`) or a table (`{table}.csv`) of the public statistics or, when
/// `oversight`, of the oversight dashboard (for whoever may see it).
async fn file(
    state: &AppState,
    auth: &RequestAuth,
    oversight: bool,
    chart: bool,
    name: &str,
    pairs: &[(String, String)],
    lang: Lang,
) -> Response {
    let actor = oversight.then_some(&auth.actor);
    let p = match page(state, pairs, actor, lang).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (prefix, cache) = if oversight {
        ("pengawasan", "private, no-store")
    } else {
        ("statistik", "public, max-age=300")
    };
    if chart {
        reply(svg(&p, name, lang), SVG, cache, None)
    } else {
        match name.strip_suffix(".csv") {
            Some(table) => reply(
                charts::csv(&p, table),
                CSV,
                cache,
                Some(format!("{prefix}-{table}.csv")),
            ),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

/// Every route of this module: the path says which dashboard and whether a chart or a table.
async fn serve_file(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(name): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let oversight = uri.path().starts_with("/pengawasan/");
    let chart = uri.path().contains("/grafik/");
    file(
        &state,
        &auth,
        oversight,
        chart,
        &name,
        &pairs,
        lang(&uri, &headers),
    )
    .await
}
