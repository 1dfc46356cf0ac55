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

use app::server::auth::well_formed_token;
pub use app::server::auth::{cookie_in, cookie_name, csrf_cookie_name, csrf_ok};

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
        app::server::auth::session_cookie(self.secure_cookies, token)
    }

    /// `Set-Cookie` that removes the session cookie.
    pub fn clear_cookie(&self) -> HeaderValue {
        app::server::auth::clear_session_cookie(self.secure_cookies)
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
    let mut auth = RequestAuth {
        secure_cookies: st.secure_cookies,
        ..RequestAuth::default()
    };
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
    let client = app::server::auth::ClientAddr(st.client_addr(&req));
    req.extensions_mut().insert(client);
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
