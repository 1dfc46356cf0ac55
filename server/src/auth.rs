//! Authentication of every request: a bearer token (integrations) or the session cookie
//! (browsers) becomes an `Actor` in the request's extensions; nothing else decides who is asking.

use crate::middleware::{client_ip, simple_page};
use app::domain::access::Actor;
use app::server::accounts::{actor_of, resolve_bearer, resolve_session, SessionToken};
use app::server::auth::RequestAuth;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use sea_orm::DatabaseConnection;

/// The anti-forgery cookie's name (readable by the page's own script, which puts it into forms
/// rendered in the browser; `__Host-` whenever cookies are Secure, so no other host sets it).
pub fn csrf_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-aduan_csrf"
    } else {
        "aduan_csrf"
    }
}

/// A well-formed anti-forgery token: 64 lowercase hex characters.
fn well_formed_token(t: &str) -> bool {
    t.len() == 64
        && t.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether a state-changing form request carries its anti-forgery token: the field `csrf` (or
/// the header `X-CSRF-Token`) equal to the `aduan_csrf` cookie. JSON-API requests that carry no
/// ambient credential (a bearer token, or no session cookie at all) need none: a page of
/// another site cannot make a browser send them with the victim's authority.
pub fn csrf_ok(parts: &http::request::Parts, field: Option<&str>) -> bool {
    let headers = &parts.headers;
    if parts.uri.path().starts_with("/api/") {
        let bearer = headers.contains_key(header::AUTHORIZATION);
        let session = cookie_in(headers, cookie_name(true)).is_some()
            || cookie_in(headers, cookie_name(false)).is_some();
        if bearer || !session {
            return true;
        }
    }
    let cookie = cookie_in(headers, csrf_cookie_name(true))
        .or_else(|| cookie_in(headers, csrf_cookie_name(false)));
    let sent = field.or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()));
    match (cookie, sent) {
        (Some(c), Some(s)) => well_formed_token(c) && constant_time_eq(c.as_bytes(), s.as_bytes()),
        _ => false,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session cookie's name: `__Host-` (Secure, host-only, path /) whenever cookies are Secure.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-aduan_session"
    } else {
        "aduan_session"
    }
}

#[derive(Clone)]
pub struct AuthState {
    pub db: DatabaseConnection,
    pub secure_cookies: bool,
    pub proxies: crate::net::TrustedProxies,
}

impl AuthState {
    /// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, Secure outside local development.
    /// No Max-Age: the browser forgets it on close; the server enforces idle and absolute limits.
    pub fn session_cookie(&self, token: &SessionToken) -> HeaderValue {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
            cookie_name(self.secure_cookies),
            token.0
        ))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// `Set-Cookie` that removes the session cookie.
    pub fn clear_cookie(&self) -> HeaderValue {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
            cookie_name(self.secure_cookies)
        ))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    pub fn client_addr(&self, req: &Request) -> String {
        client_ip(req, &self.proxies).to_string()
    }

    /// `client_addr` from a request's parts.
    pub fn client_addr_of(&self, parts: &http::request::Parts) -> String {
        crate::middleware::client_ip_of(&parts.headers, &parts.extensions, &self.proxies)
            .to_string()
    }
}

/// The value of cookie `name` in a request.
pub fn cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    cookie_in(req.headers(), name)
}

/// A cookie's value from request headers.
pub fn cookie_in<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn unauthorized_token() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        axum::Json(serde_json::json!({"error": "unauthorized"})),
    )
        .into_response()
}

/// Resolves the bearer token or session cookie into `RequestAuth`. A bearer token that is not
/// valid is refused at once (401); a stale cookie is simply ignored (the request is public).
pub async fn authenticate(State(st): State<AuthState>, mut req: Request, next: Next) -> Response {
    let now = chrono::Utc::now();
    let mut auth = RequestAuth::default();
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let failed = |lang| {
        simple_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            lang,
            app::i18n::Lang::texts(lang).error_page_title,
            app::i18n::Lang::texts(lang).error_page_body,
        )
    };
    let lang = crate::middleware::request_lang(&req);
    if let Some(token) = bearer {
        match resolve_bearer(&st.db, &token, now).await {
            Ok(Some((a, scope))) => match actor_of(&st.db, &a).await {
                Ok(actor @ Actor::Staff(_)) => {
                    // A read-only token reads: anything but GET and HEAD is refused.
                    let reads = matches!(*req.method(), http::Method::GET | http::Method::HEAD);
                    if scope == app::server::accounts::TokenScope::Read && !reads {
                        return (
                            StatusCode::FORBIDDEN,
                            axum::Json(serde_json::json!({"error": "token_read_only"})),
                        )
                            .into_response();
                    }
                    auth.actor = actor
                }
                Ok(_) => return unauthorized_token(),
                Err(_) => return failed(lang),
            },
            Ok(None) => return unauthorized_token(),
            Err(_) => return failed(lang),
        }
    } else if let Some(token) = cookie(&req, cookie_name(st.secure_cookies)).map(str::to_string) {
        match resolve_session(&st.db, &token, now).await {
            Ok(Some((session, account))) => {
                if session.stage == app::server::accounts::Stage::Active {
                    match actor_of(&st.db, &account).await {
                        Ok(actor) => auth.actor = actor,
                        Err(_) => return failed(lang),
                    }
                }
                auth.session = Some(session);
            }
            Ok(None) => {}
            Err(_) => return failed(lang),
        }
    }
    let private = auth.session.is_some() && !req.uri().path().starts_with("/pkg/");
    req.extensions_mut().insert(auth);
    // The anti-forgery token: the browser's, or a new one set with the page.
    let csrf_name = csrf_cookie_name(st.secure_cookies);
    let (csrf, fresh) = match cookie(&req, csrf_name).filter(|t| well_formed_token(t)) {
        Some(t) => (t.to_string(), false),
        None => {
            use rand::RngCore;
            let mut b = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut b);
            (hex::encode(b), true)
        }
    };
    req.extensions_mut().insert(app::CsrfToken(csrf.clone()));
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if fresh && html {
        let secure = if st.secure_cookies { "; Secure" } else { "" };
        if let Ok(v) =
            HeaderValue::from_str(&format!("{csrf_name}={csrf}; Path=/; SameSite=Lax{secure}"))
        {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    if st.secure_cookies {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if private {
        // Pages for a signed-in person are private: never cached by shared caches.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    res
}
