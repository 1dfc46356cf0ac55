//! The identity of the request being served, as the server's authentication middleware found
//! it, for server functions and pages.

use super::accounts::CurrentSession;
use crate::domain::access::Actor;

/// Put in every request's extensions by the server's authentication middleware.
#[derive(Clone, Debug)]
pub struct RequestAuth {
    /// `Actor::Public` unless an active session or a bearer token says otherwise.
    pub actor: Actor,
    /// The browser session, also when it is only half way through sign-in.
    pub session: Option<CurrentSession>,
    /// Whether cookies are set `Secure` (everywhere but local development).
    pub secure_cookies: bool,
}

impl Default for RequestAuth {
    fn default() -> Self {
        Self {
            actor: Actor::Public,
            session: None,
            secure_cookies: true,
        }
    }
}

/// The current request's authentication (public when absent).
pub fn request_auth() -> RequestAuth {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<RequestAuth>().cloned())
        .unwrap_or_default()
}

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
pub fn well_formed_token(t: &str) -> bool {
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
        let bearer = headers.contains_key(http::header::AUTHORIZATION);
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

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, Secure outside local development.
/// No Max-Age: the browser forgets it on close; the server enforces idle and absolute limits.
pub fn session_cookie(secure: bool, token: &super::accounts::SessionToken) -> http::HeaderValue {
    let flag = if secure { "; Secure" } else { "" };
    http::HeaderValue::from_str(&format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax{flag}",
        cookie_name(secure),
        token.0
    ))
    .unwrap_or_else(|_| http::HeaderValue::from_static(""))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> http::HeaderValue {
    let flag = if secure { "; Secure" } else { "" };
    http::HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{flag}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| http::HeaderValue::from_static(""))
}

/// A cookie's value from request headers.
pub fn cookie_in<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The client's address as the authentication middleware resolved it (behind trusted proxies,
/// the forwarded one): what upload budgets and sign-in counting key on.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);
