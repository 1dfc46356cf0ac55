//! Atom feeds of public reports: `/laporan.atom` with the public list's filters
//! (`?instansi=…`, `?kategori=…`, `?wilayah=…`, any of them), newest first. Built from the same
//! use case as the list, so a feed can show nothing the list would not.

use crate::middleware::simple_page;
use app::domain::views::{PublicFilter, PublicReportRow};
use app::i18n::Lang;
use app::server::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::{header, StatusCode};

/// The site's public address, for absolute links in feeds.
#[derive(Clone)]
pub struct PublicUrl(pub String);

pub fn routes(public_url: String) -> Router<AppState> {
    Router::new().route(
        "/laporan.atom",
        get(feed).layer(Extension(PublicUrl(public_url))),
    )
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn plain(m: &[(String, bool)]) -> String {
    m.iter().map(|(t, _)| t.as_str()).collect()
}

async fn feed(
    State(state): State<AppState>,
    Extension(PublicUrl(base)): Extension<PublicUrl>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let filter = PublicFilter::from_pairs(
        pairs
            .iter()
            .filter(|(k, _)| k != "setelah" && k != "urut")
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    match app::server::transparency::list_public(&state.db, &filter).await {
        Ok((_, _, errors)) if !errors.is_empty() => simple_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            Lang::Id,
            "Saringan tidak dikenal",
            "Periksa nilai instansi, kategori, wilayah, jenis, status dan tanggal.",
        ),
        Ok((rows, _, _)) => {
            let query = app::pages::public::query_string(&filter.pairs(false));
            let self_url = if query.is_empty() {
                format!("{base}/laporan.atom")
            } else {
                format!("{base}/laporan.atom?{query}")
            };
            (
                [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
                atom(&base, &self_url, &rows),
            )
                .into_response()
        }
        Err(e) => crate::adapters::json::error_response(e, Lang::Id),
    }
}

fn atom(base: &str, self_url: &str, rows: &[PublicReportRow]) -> String {
    let updated = rows
        .iter()
        .map(|r| r.created_at)
        .max()
        .unwrap_or(chrono::DateTime::UNIX_EPOCH);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"id\">\n");
    out.push_str(&format!("<id>{}</id>\n", xml(self_url)));
    out.push_str("<title>Aduan — laporan publik</title>\n");
    out.push_str(&format!("<updated>{}</updated>\n", updated.to_rfc3339()));
    out.push_str(&format!(
        "<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}/laporan\"/>\n",
        xml(self_url),
        xml(base)
    ));
    out.push_str("<author><name>Aduan</name></author>\n");
    for r in rows {
        let url = format!("{base}/laporan/{}", r.reference);
        out.push_str("<entry>\n");
        out.push_str(&format!("<id>{}</id>\n", xml(&url)));
        out.push_str(&format!("<title>{}</title>\n", xml(&plain(&r.title))));
        out.push_str(&format!("<link href=\"{}\"/>\n", xml(&url)));
        out.push_str(&format!(
            "<published>{0}</published>\n<updated>{0}</updated>\n",
            r.created_at.to_rfc3339()
        ));
        if let Some(c) = &r.category {
            out.push_str(&format!("<category term=\"{}\"/>\n", xml(&c.name_id)));
        }
        let mut summary = plain(&r.excerpt);
        if let Some(a) = &r.agency {
            summary = format!("{a}: {summary}");
        }
        out.push_str(&format!("<summary>{}</summary>\n", xml(&summary)));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
