//! Typed actions: everything a person does is one input type (declared in the domain, decoded
//! and checked there) served by one actor-scoped service. Three adapters are derived from that
//! pair, never written per action:
//!
//! - hydrated: a server function per action (`api::acts`), called by `components::act::ActForm`
//!   without reloading the page, with pending state and typed, per-field errors;
//! - without JavaScript: the same `<form>` posts to the page's own address; one generic handler
//!   (`server/src/adapters/form.rs`) decodes the same type with the same decoder, calls the same service,
//!   and redirects (303) or renders the page again with the refusal (`Refused`) and every value
//!   typed (never a secret);
//! - JSON API v1: the same input type from a JSON body, the same service.
//!
//! See `docs/architecture.md` for the walk-through of adding an action.

use crate::domain::{AppError, Field, FieldError};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// What a refused form post leaves for the page rendered in answer: the values typed (never a
/// password), the field errors, and a form-level message key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormOutcome {
    /// Which form on the page was posted.
    pub form: String,
    pub values: Vec<(String, String)>,
    pub errors: crate::domain::FieldErrors,
    /// `bad_credentials`, `throttled`, `forbidden`, `refused`, `conflict`, `done`.
    pub message: Option<String>,
}

impl FormOutcome {
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// The hidden field naming the action a form serves.
pub const ACT_FIELD: &str = "_act";
/// The hidden field naming which form on the page was posted (several may serve one action).
pub const FORM_FIELD: &str = "_form";
/// After a refused post without JavaScript: the names of the files that came with it, which a
/// page cannot put back into its file input (the form asks for them again, by name).
pub const DROPPED_FILES: &str = "files_dropped";

/// A person's action: its input type, what it returns, and where the person goes next.
pub trait Act: Clone + Serialize + DeserializeOwned + Send + Sync + 'static {
    type Output: Clone + Serialize + DeserializeOwned + Send + Sync + 'static;
    /// The action's name (the `_act` field; the key of its refusal).
    const KEY: &'static str;
    /// Posted fields never shown again after a refusal (passwords, codes).
    const SECRET: &'static [&'static str] = &[];
    /// Whether it changes who is signed in: the browser then loads the next page afresh
    /// (the whole page, its menu included, belongs to someone else now).
    const RELOADS: bool = false;

    /// What the input itself can tell is wrong, before anything is asked of the database: the
    /// browser runs it before sending, the server again before serving.
    fn check(&self) -> Result<(), AppError> {
        Ok(())
    }

    /// Where the person goes after success; `None`: they stay on the page, whose data is read
    /// again.
    fn next(&self, _out: &Self::Output) -> Option<String> {
        None
    }
}

/// What an action's server function answers: the output, and where the person goes next
/// (decided by the server from the input, so the browser need not decode it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acted<O> {
    pub out: O,
    pub next: Option<String>,
}

/// How the browser calls an action's server function (declared with the action in
/// `api::acts`).
pub trait ActCall: Act {
    #[cfg(feature = "hydrate")]
    fn call(
        form: web_sys::FormData,
    ) -> impl std::future::Future<Output = Result<Acted<Self::Output>, AppError>>;
}

/// Decodes posted text fields into an input: one decoder for the no-JavaScript post, the
/// hydrated call and the browser's pre-check. A value of the wrong shape is a message on its
/// field, never a sentinel.
pub fn decode<A: DeserializeOwned>(fields: &[(String, String)]) -> Result<A, AppError> {
    use serde_json::Value;
    let mut map = serde_json::Map::new();
    for (k, v) in fields
        .iter()
        .filter(|(k, _)| !k.starts_with('_') && k != "csrf")
    {
        // `name[]` (checkboxes of a list): every value, in order, under `name`.
        match k.strip_suffix("[]") {
            Some(list) => match map
                .entry(list.to_string())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(values) => values.push(Value::String(v.clone())),
                other => *other = Value::Array(vec![Value::String(v.clone())]),
            },
            None => {
                map.insert(k.clone(), Value::String(v.clone()));
            }
        }
    }
    serde_path_to_error::deserialize(Value::Object(map)).map_err(field_of)
}

/// Decodes a JSON body into an input (the JSON API): the same type, the same field messages.
pub fn decode_value<A: DeserializeOwned>(body: serde_json::Value) -> Result<A, AppError> {
    serde_path_to_error::deserialize(body).map_err(field_of)
}

/// The field a decoding error is about, as a field message.
fn field_of(e: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let name = e.path().iter().next().map(|s| s.to_string());
    let field = name
        .as_deref()
        .and_then(Field::from_name)
        .unwrap_or(Field::Command);
    let missing = e.inner().to_string().starts_with("missing field");
    AppError::field(
        field,
        if missing {
            FieldError::Required
        } else {
            FieldError::Invalid
        },
    )
}

/// The values to show again after a refusal: everything typed but secrets and tokens.
pub fn kept<A: Act>(fields: &[(String, String)]) -> Vec<(String, String)> {
    kept_values(fields, A::SECRET)
}

/// `kept` for an action known by its secret fields only.
pub fn kept_values(fields: &[(String, String)], secret: &[&str]) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(k, _)| {
            !k.starts_with('_')
                && k != "csrf"
                && !secret.contains(&k.as_str())
                && !matches!(k.as_str(), "password" | "new_password")
        })
        .cloned()
        .collect()
}

/// A refused post, for the page rendered in answer (no JavaScript): which action and form,
/// what was typed, and why. Pages read it through `refusal_for::<A>` only, so an outcome cannot
/// land on another action's form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    pub act: String,
    pub form: String,
    pub values: Vec<(String, String)>,
    pub error: AppError,
}

/// The refusal of the current request, as shared by the server render with the hydrating page.
#[derive(Clone, Debug, Default)]
pub struct PostedRefusal(pub Option<Refused>);

/// What form `form` of action `A` shows: the refusal of the post this page answers, if it
/// was that form's.
pub fn refusal_for<A: Act>(form: &str) -> FormOutcome {
    leptos::prelude::use_context::<PostedRefusal>()
        .and_then(|p| p.0)
        .filter(|r| r.act == A::KEY && r.form == form)
        .map(|r| refusal_outcome(&r.error, r.form, r.values))
        .unwrap_or_default()
}

/// The outcome a form shows for `error`, with the values typed.
pub fn refusal_outcome(
    error: &AppError,
    form: String,
    values: Vec<(String, String)>,
) -> FormOutcome {
    FormOutcome {
        form,
        values,
        errors: match error {
            AppError::Validation(e) => e.clone(),
            _ => Default::default(),
        },
        message: error.message_key().map(str::to_string),
    }
}
