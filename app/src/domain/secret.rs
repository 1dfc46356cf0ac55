//! A value that must never reach a log, an error message or a page by accident: passwords,
//! sign-in codes, invite tokens. `Debug` prints `<redacted>`, there is no `Display`, and reading
//! it takes `expose()` — one word to look for in review (as the `secrecy` crate does; that crate
//! refuses to serialize, and these inputs travel from the browser as server-function arguments,
//! so this type serializes transparently and keeps the rest of its rules).

use serde::{Deserialize, Serialize};

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself, for the one place that needs it (hashing, comparing a code).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl Secret<String> {
    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl<T> std::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for Secret<String> {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

/// An optional secret from a form: an empty field is none.
pub fn opt_secret<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Secret<String>>, D::Error> {
    Ok(super::form::opt_text(d)?.map(Secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_in_debug_and_travels_as_the_plain_value() {
        let s = Secret::from("kata sandi rahasia");
        assert_eq!(format!("{s:?}"), "<redacted>");
        #[derive(Debug, Serialize, Deserialize)]
        struct Input {
            login: String,
            password: Secret<String>,
        }
        let input: Input =
            serde_json::from_str(r#"{"login":"a@b.id","password":"kata sandi rahasia"}"#).unwrap();
        assert_eq!(input.password.expose(), "kata sandi rahasia");
        let logged = format!("{input:?}");
        assert!(!logged.contains("rahasia"), "{logged}");
        assert!(
            logged.contains("a@b.id"),
            "the rest of the input still shows: {logged}"
        );
        assert_eq!(
            serde_json::to_string(&input).unwrap(),
            r#"{"login":"a@b.id","password":"kata sandi rahasia"}"#
        );
    }
}
