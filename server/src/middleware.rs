//! Cross-cutting HTTP behaviour: security headers with a per-request CSP nonce, the language
//! cookie, cache and robots rules for tracking pages, and the tracking-lookup rate limit.

use crate::net::TrustedProxies;
use crate::rate_limit::RateLimiter;
use app::i18n::{query_lang, Lang, LANG_COOKIE};
use app::CspNonce;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use rand::RngCore;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

fn set(res: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut().insert(name, v);
    }
}

/// Adds the security headers every response carries, and the CSP nonce the HTML needs.
pub async fn security_headers(mut req: Request, next: Next) -> Response {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = req.uri().path().to_string();
    let lang_choice = query_lang(req.uri().query());

    let mut res = next.run(req).await;
    // A handler that set a stricter policy (attachment downloads: sandboxed) keeps it.
    if !res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        set(
            &mut res,
            header::CONTENT_SECURITY_POLICY,
            &format!(
                "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            ),
        );
    }
    set(&mut res, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(&mut res, header::X_FRAME_OPTIONS, "DENY");
    // Our own pages' requests carry our origin (so form posts carry a real `Origin`, never
    // `null`); nothing, not even the origin, goes to another site: a tracking code in the URL
    // never leaves.
    set(&mut res, header::REFERRER_POLICY, "same-origin");
    set(
        &mut res,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(self)",
    );
    if is_tracking_path(&path) || path == "/lacak" {
        set(&mut res, header::CACHE_CONTROL, "no-store");
        set(
            &mut res,
            header::HeaderName::from_static("x-robots-tag"),
            "noindex, nofollow",
        );
    }
    if path == "/lapor" && !res.headers().contains_key(header::CACHE_CONTROL) {
        // The form carries a fresh idempotency key: no shared cache may hand one key to two
        // people (the phone's own service worker keeps a copy; its script gives each draft a
        // key of its own).
        set(&mut res, header::CACHE_CONTROL, "private, no-cache");
    }
    // A page is in the language of the address, the cookie or the browser's Accept-Language.
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        res.headers_mut().append(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    if let Some(lang) = lang_choice {
        // Appended: the response may already set the session or anti-forgery cookie.
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            lang.tag()
        )) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Paths whose URL or body carries a tracking code.
pub fn is_tracking_path(path: &str) -> bool {
    path.strip_prefix("/lacak/").is_some_and(|r| !r.is_empty())
        || path.starts_with("/api/v1/track/")
        || path == app::api::TRACK_ENDPOINT
}

/// How a request spends tracking-code lookups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Not a tracking-code request.
    None,
    /// A page, an API call, a claim: every place a code is accepted counts one.
    Counted,
    /// A file of a tracking page (`/lacak/{code}/lampiran/{id}`): the page already counted the
    /// code, so only a code that does not resolve counts.
    FileOfPage,
}

pub fn lookup_of(method: &http::Method, path: &str) -> Lookup {
    if let Some(rest) = path.strip_prefix("/lacak/") {
        if rest.contains("/lampiran/") {
            return Lookup::FileOfPage;
        }
    }
    // The reporter's action by tracking code (the hydrated page's server function) tries a code.
    let track_act = path == <app::api::acts::ActTrackCommand as leptos::server_fn::ServerFn>::PATH;
    let claim = *method == http::Method::POST
        && (matches!(path, "/api/v1/my/reports/claim" | "/laporan-saya") || track_act);
    if claim || is_tracking_path(path) {
        Lookup::Counted
    } else {
        Lookup::None
    }
}

/// Shared by the rate-limit middleware.
#[derive(Clone)]
pub struct LimitState {
    pub limiter: Arc<RateLimiter>,
    pub proxies: TrustedProxies,
    /// To render the 429 page as a page of the site.
    pub app: app::server::AppState,
}

pub fn client_ip(req: &Request, proxies: &TrustedProxies) -> IpAddr {
    client_ip_of(req.headers(), req.extensions(), proxies)
}

/// `client_ip` from a request's headers and extensions: the peer, or behind trusted proxies the
/// rightmost `X-Forwarded-For` address that is not one of them.
pub fn client_ip_of(
    headers: &http::HeaderMap,
    extensions: &http::Extensions,
    proxies: &TrustedProxies,
) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if proxies.is_empty() {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    proxies.client(peer, &forwarded)
}

/// Limits tracking-code lookups per client: HTML, JSON API, server function and claims alike.
/// Past the limit, a page of the site (the lookup form, saying why and when to try again), or
/// JSON for the API.
pub async fn limit_tracking(State(st): State<LimitState>, req: Request, next: Next) -> Response {
    let kind = lookup_of(req.method(), req.uri().path());
    if kind == Lookup::None {
        return next.run(req).await;
    }
    let ip = client_ip(&req, &st.proxies);
    let now = Instant::now();
    let allowed = match kind {
        Lookup::FileOfPage => st.limiter.allows(ip, now),
        _ => st.limiter.check(ip, now),
    };
    if allowed {
        let res = next.run(req).await;
        if kind == Lookup::FileOfPage && res.status() == StatusCode::NOT_FOUND {
            st.limiter.check(ip, now);
        }
        return res;
    }
    tracing::warn!(client = %ip, "tracking lookups rate-limited");
    let lang = request_lang(&req);
    let mut res = if req.uri().path().starts_with("/api/") {
        (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(
                serde_json::json!({"error": "rate_limited", "message": lang.texts().rate_limited}),
            ),
        )
            .into_response()
    } else {
        // The lookup page of the site, with the reason where the code goes.
        let (mut parts, _) = req.into_parts();
        parts.uri = http::Uri::from_static("/lacak");
        crate::adapters::form::render(&st.app, parts, StatusCode::TOO_MANY_REQUESTS, || {
            leptos::prelude::provide_context(app::RateLimited)
        })
        .await
    };
    set(&mut res, header::RETRY_AFTER, "60");
    res
}

/// The language of a request, from `?lang=`, the cookie, or the browser's `Accept-Language`.
pub fn request_lang(req: &Request) -> Lang {
    app::i18n::lang_of(req.uri().query(), req.headers())
}

/// The address of the site's stylesheet (content-hashed in a release build), set when the
/// router is built; the plain name until then.
static STYLESHEET: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Remembers the stylesheet's address for `simple_page` (the first router built sets it).
pub fn set_stylesheet(href: String) {
    let _ = STYLESHEET.set(href);
}

/// A small self-contained HTML page, for answers given outside the Leptos app (rate limits,
/// unexpected failures). No user input is ever interpolated into it.
pub fn simple_page(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    let stylesheet = STYLESHEET
        .get()
        .map(String::as_str)
        .unwrap_or("/pkg/aduan.css");
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Aduan</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body class=\"bg-stone-50 text-stone-900\"><main class=\"mx-auto max-w-3xl px-4 py-6\">\
         <h1 class=\"text-2xl font-bold\">{title}</h1><p class=\"mt-2\" role=\"alert\">{body}</p>\
         <p class=\"mt-4\"><a class=\"underline\" href=\"/\">Aduan</a></p></main></body></html>",
        lang.tag()
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// Refuses state-changing requests that a browser marks as coming from another site (CSRF), the
/// first line before every form's anti-forgery token (`auth::csrf_ok`). `Sec-Fetch-Site`
/// decides when present (only `same-origin` and `none` pass); otherwise an `Origin` naming
/// another host, or `null` (a sandboxed frame, a `data:` page), is refused. Our own pages send
/// their real origin (`Referrer-Policy: same-origin`).
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    let method = req.method();
    if method == http::Method::GET
        || method == http::Method::HEAD
        || method == http::Method::OPTIONS
    {
        return next.run(req).await;
    }
    let headers = req.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let refused = match text(header::HeaderName::from_static("sec-fetch-site")) {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => match (text(header::ORIGIN), text(header::HOST)) {
            (Some("null"), _) => true,
            (Some(origin), Some(host)) => {
                origin
                    .split_once("://")
                    .map(|(_, rest)| rest.trim_end_matches('/'))
                    != Some(host)
            }
            _ => false,
        },
    };
    if refused {
        tracing::warn!(path = %crate::telemetry::redacted_path(req.uri().path()), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}
