//! The input of submitting a report (`/lapor`): the form as typed, with its files. Its service
//! is `server::intake` (`impl Serve for SubmitReport`), its form the report page.

use super::report::ReportForm;
use super::views::SubmitReceipt;
use crate::act::Act;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A report as submitted from the form: read from the posted fields by the same lookup the
/// browser's own checks use (`ReportForm::from_lookup`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BTreeMap<String, String>")]
pub struct SubmitReport {
    pub form: ReportForm,
    /// The form's idempotency key (hidden field `idempotency_key`, made when the form was
    /// rendered or by the phone that queued the report): the same key sent twice is one report.
    /// A malformed key is dropped (only a tampered form sends one).
    pub key: Option<RequestKey>,
}

impl From<BTreeMap<String, String>> for SubmitReport {
    fn from(fields: BTreeMap<String, String>) -> Self {
        SubmitReport {
            form: ReportForm::from_lookup(|name| fields.get(name).cloned()),
            key: fields
                .get(REQUEST_KEY_FIELD)
                .filter(|k| !k.is_empty())
                .and_then(|k| RequestKey::parse(k)),
        }
    }
}

/// The form field that carries the idempotency key.
pub const REQUEST_KEY_FIELD: &str = "idempotency_key";

/// A client's idempotency key (`Idempotency-Key` header, or the form's hidden field): 16 to 100
/// characters of `A-Z a-z 0-9 - _` — a UUID or 16+ random bytes in base64url. Whoever holds it
/// can get the answer again (the tracking code), so it is as secret as the code: made at random
/// and kept on the reporter's device only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestKey(String);

impl RequestKey {
    pub const MIN: usize = 16;
    pub const MAX: usize = 100;

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        ((Self::MIN..=Self::MAX).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Self(s.to_string()))
    }

    /// A new random key (128 bits, base64url without padding: 22 characters).
    #[cfg(feature = "ssr")]
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(data_encoding::BASE64URL_NOPAD.encode(&bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RequestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestKey(<redacted>)")
    }
}

impl Act for SubmitReport {
    type Output = SubmitReceipt;
    const KEY: &'static str = "submit_report";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        let today = super::calendar::latest_local_date(chrono::Utc::now());
        self.form
            .parse(today)
            .map(drop)
            .map_err(crate::domain::AppError::Validation)
    }

    fn next(&self, out: &SubmitReceipt) -> Option<String> {
        Some(format!("/lacak/{}?baru=1", out.tracking_code.as_str()))
    }
}
