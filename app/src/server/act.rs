//! The server side of typed actions (`crate::act`): the request context a service runs in, the
//! reading of a multipart body, and the one function both the hydrated and the no-JavaScript
//! adapters call, so the anti-forgery check, the decoding and the service are the same for
//! both.

use super::accounts::{CurrentSession, SessionToken};
use super::auth::{csrf_ok, ClientAddr, RequestAuth};
use super::files::{Upload, MAX_FILES};
use super::AppState;
use crate::act::{decode, Act};
use crate::domain::access::Actor;
use crate::domain::{AppError, Field, FieldError};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use http::request::Parts;
use std::sync::{Arc, Mutex};

/// Who acts, when, from where, with the application's state: what every service of an action
/// is given.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    pub actor: Actor,
    /// The browser session, also half way through sign-in (none for a bearer token).
    pub session: Option<CurrentSession>,
    /// The client's address (sign-in and registration count against it).
    pub client: Option<String>,
    pub now: DateTime<Utc>,
    pub lang: crate::i18n::Lang,
    secure_cookies: bool,
    /// The session cookie the answer sets or clears (signing in or out), whichever adapter
    /// answers.
    cookie: Arc<Mutex<Option<http::HeaderValue>>>,
}

impl Ctx {
    pub fn of(state: &AppState, parts: &Parts) -> Self {
        let auth = parts
            .extensions
            .get::<RequestAuth>()
            .cloned()
            .unwrap_or_default();
        Ctx {
            state: state.clone(),
            actor: auth.actor,
            session: auth.session,
            client: parts.extensions.get::<ClientAddr>().map(|c| c.0.clone()),
            secure_cookies: auth.secure_cookies,
            cookie: Arc::default(),
            now: Utc::now(),
            lang: crate::i18n::lang_of(parts.uri.query(), &parts.headers),
        }
    }

    /// The answer starts a browser session (the cookie carries its token).
    pub fn start_session(&self, token: &SessionToken) {
        self.set_cookie(super::auth::session_cookie(self.secure_cookies, token));
    }

    /// The answer ends the browser's session (the cookie is removed).
    pub fn clear_session(&self) {
        self.set_cookie(super::auth::clear_session_cookie(self.secure_cookies));
    }

    fn set_cookie(&self, value: http::HeaderValue) {
        if let Ok(mut c) = self.cookie.lock() {
            *c = Some(value);
        }
    }

    /// The `Set-Cookie` the answer must carry, if the service asked for one.
    pub fn cookie(&self) -> Option<http::HeaderValue> {
        self.cookie.lock().ok().and_then(|c| c.clone())
    }

    /// The signed-in actor, or `Unauthorized`.
    pub fn signed_in(&self) -> Result<&Actor, AppError> {
        match &self.actor {
            Actor::Public => Err(AppError::Unauthorized),
            a => Ok(a),
        }
    }
}

/// An action's service: the input served as the context's actor, with the files that came
/// along. Authorization is decided inside, from actor-scoped queries.
pub trait Serve: Act {
    fn serve(
        self,
        cx: &Ctx,
        files: Vec<Upload>,
    ) -> impl std::future::Future<Output = Result<Self::Output, AppError>> + Send;

    /// For an output shown on the page in answer rather than after a redirect (an identity
    /// just revealed): what to put in the render's context.
    fn show(_out: &Self::Output) -> Option<Arc<dyn Fn() + Send + Sync>> {
        None
    }

    /// The status of the page shown in answer (`show`): 201 for what it created, 422 for a
    /// preview with errors.
    fn shown_status(_out: &Self::Output) -> u16 {
        200
    }
}

/// What a no-JavaScript post leads to.
pub struct Done {
    /// Where to go (303); `None`: the page again.
    pub next: Option<String>,
    /// Render the page in answer with this context instead of redirecting…
    pub show: Option<Arc<dyn Fn() + Send + Sync>>,
    /// …under this status.
    pub status: u16,
    /// The session cookie to set or clear.
    pub cookie: Option<http::HeaderValue>,
}

/// One registered action, for the generic no-JavaScript adapter.
pub struct Entry {
    pub key: &'static str,
    /// Fields never shown again after a refusal.
    pub secret: &'static [&'static str],
    pub run: fn(
        Ctx,
        Parts,
        Vec<(String, String)>,
        Vec<Upload>,
    ) -> BoxFuture<'static, Result<Done, AppError>>,
}

impl Entry {
    pub const fn of<A: Serve>() -> Self {
        Entry {
            key: A::KEY,
            secret: A::SECRET,
            run: run_entry::<A>,
        }
    }
}

fn run_entry<A: Serve>(
    cx: Ctx,
    parts: Parts,
    fields: Vec<(String, String)>,
    files: Vec<Upload>,
) -> BoxFuture<'static, Result<Done, AppError>> {
    Box::pin(async move {
        let input: A = checked(&parts, &fields)?;
        let out = input.clone().serve(&cx, files).await?;
        Ok(Done {
            next: input.next(&out),
            show: A::show(&out),
            status: A::shown_status(&out),
            cookie: cx.cookie(),
        })
    })
}

/// The anti-forgery check and the decoding, shared by both adapters.
fn checked<A: Act>(parts: &Parts, fields: &[(String, String)]) -> Result<A, AppError> {
    let sent = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    if !csrf_ok(parts, sent) {
        tracing::warn!(
            act = A::KEY,
            "action without a valid anti-forgery token refused"
        );
        return Err(AppError::Forbidden);
    }
    let input = decode::<A>(fields)?;
    input.check()?;
    Ok(input)
}

/// The hydrated adapter: the body of every action's server function.
pub async fn serve_multipart<A: Serve>(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<crate::act::Acted<A::Output>, AppError> {
    let parts = leptos::prelude::use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from server function context");
        AppError::Internal
    })?;
    let state = crate::api::state()?;
    let Some(mut body) = data.into_inner() else {
        return Err(AppError::Internal);
    };
    let cx = Ctx::of(&state, &parts);
    let result: Result<crate::act::Acted<A::Output>, AppError> = async {
        let (fields, files) =
            read_multipart(&mut body, state.files.max_bytes, cx.client.clone()).await?;
        let input: A = checked(&parts, &fields)?;
        let out = input.clone().serve(&cx, files).await?;
        let next = input.next(&out);
        Ok(crate::act::Acted { out, next })
    }
    .await;
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        // The same status as the other adapters give (the body is the typed error).
        if let Err(e) = &result {
            if let Ok(status) = http::StatusCode::from_u16(e.status()) {
                options.set_status(status);
            }
        }
        if let Some(cookie) = cx.cookie() {
            options.append_header(http::header::SET_COOKIE, cookie);
        }
    }
    result
}

/// Text fields at most this long (a message is 5,000 characters; Unicode takes up to 4 bytes).
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Reads a multipart body: text fields, and files each read to one byte past `max_file_bytes`
/// (so an oversized file is a field message, not a broken connection). More than
/// `MAX_FILES` files, or an oversized text field, is refused before anything is stored.
pub async fn read_multipart(
    body: &mut multer::Multipart<'static>,
    max_file_bytes: usize,
    client: Option<String>,
) -> Result<(Vec<(String, String)>, Vec<Upload>), AppError> {
    let cap = max_file_bytes + 1;
    let network = client.map(|c| super::accounts::client_network(&c));
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let bad = |_| AppError::field(Field::Attachments, FieldError::Invalid);
    while let Some(mut field) = body.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            // An empty file input posts a part with no name and no bytes: not a file.
            Some(file_name) => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if bytes.len() < cap {
                        let room = cap - bytes.len();
                        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    }
                }
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                if files.len() == MAX_FILES {
                    return Err(AppError::field(
                        Field::Attachments,
                        FieldError::TooMany { max: MAX_FILES },
                    ));
                }
                files.push(Upload {
                    file_name,
                    bytes,
                    client: network.clone(),
                });
            }
            None => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_TEXT_BYTES {
                        let f = Field::from_name(&name).unwrap_or(Field::Kind);
                        return Err(AppError::field(
                            f,
                            FieldError::TooLong {
                                max: MAX_TEXT_BYTES,
                            },
                        ));
                    }
                }
                fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    Ok((fields, files))
}
