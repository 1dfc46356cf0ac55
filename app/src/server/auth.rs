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
}

impl Default for RequestAuth {
    fn default() -> Self {
        Self {
            actor: Actor::Public,
            session: None,
        }
    }
}

/// The current request's authentication (public when absent).
pub fn request_auth() -> RequestAuth {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<RequestAuth>().cloned())
        .unwrap_or_default()
}
