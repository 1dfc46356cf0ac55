//! Idempotent submissions: a client that sends the same submission twice — a retry after an
//! answer lost on a bad signal, a report queued offline and sent again, a double tap, the back
//! button — gets the first answer again instead of a second report.
//!
//! The client names the request with a key (`Idempotency-Key` on the JSON API, the form's
//! hidden `idempotency_key`). Stored per key: the SHA-256 of the key (never the key), the
//! SHA-256 of what was asked (the action, the account, the input as typed), the report made, and
//! the answer sealed under a key derived from the client's key — the answer holds the tracking
//! code, and the database alone must not disclose it. The row is written in the transaction
//! that stores the report, so "answered" and "stored" are one fact; a second request racing the
//! first loses on the primary key and answers what the first stored.
//!
//! The same key with a different request is refused (`AppError::KeyReused`): a client that
//! reused a key by mistake learns it, instead of being told a new report was stored.

use super::entities::idempotent_request;
use super::internal;
use crate::domain::intake::RequestKey;
use crate::domain::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One request's claim on its key.
#[derive(Clone)]
pub struct Claim {
    action: &'static str,
    key_hash: String,
    request_hash: String,
    seal_key: [u8; 32],
}

impl std::fmt::Debug for Claim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Claim(<redacted>)")
    }
}

fn digest(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        // Length-prefixed, so no two different sequences of parts hash alike.
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().into()
}

impl Claim {
    /// The claim of `action` by `account` (none: a guest) on `key`, asking `request`.
    pub fn new(
        action: &'static str,
        key: &RequestKey,
        account: Option<i64>,
        request: &impl Serialize,
    ) -> Result<Self, AppError> {
        let body = serde_json::to_vec(request).map_err(internal("encoding the request"))?;
        let account = account.map(|a| a.to_string()).unwrap_or_default();
        Ok(Claim {
            action,
            key_hash: hex::encode(digest(&[
                b"aduan/idempotency/key",
                action.as_bytes(),
                key.as_str().as_bytes(),
            ])),
            request_hash: hex::encode(digest(&[
                b"aduan/idempotency/request",
                action.as_bytes(),
                account.as_bytes(),
                &body,
            ])),
            seal_key: digest(&[b"aduan/idempotency/seal", key.as_str().as_bytes()]),
        })
    }
}

/// The answer already given to this key, if any; `KeyReused` when the key answered a different
/// request.
pub async fn replay<C: ConnectionTrait, T: DeserializeOwned>(
    db: &C,
    claim: &Claim,
) -> Result<Option<T>, AppError> {
    let Some(row) = idempotent_request::Entity::find_by_id(claim.key_hash.clone())
        .one(db)
        .await
        .map_err(internal("loading an idempotency key"))?
    else {
        return Ok(None);
    };
    if row.request_hash != claim.request_hash || row.action != claim.action {
        tracing::info!(
            action = claim.action,
            "idempotency key reused for another request"
        );
        return Err(AppError::KeyReused);
    }
    let answer = super::secrets::open_with(&claim.seal_key, &row.sealed)
        .and_then(|plain| serde_json::from_str(&plain).ok())
        .ok_or_else(|| {
            tracing::error!(
                action = claim.action,
                "a stored idempotent answer does not open"
            );
            AppError::Internal
        })?;
    tracing::info!(
        action = claim.action,
        report = row.report_id,
        "idempotent replay"
    );
    Ok(Some(answer))
}

/// Records `answer` for the claim, in the transaction that stored `report_id`. `Ok(false)` when
/// another request with the same key recorded first (the caller drops its transaction and
/// answers `replay`).
pub async fn record<C: ConnectionTrait, T: Serialize>(
    txn: &C,
    claim: &Claim,
    report_id: i64,
    answer: &T,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let plain = serde_json::to_string(answer).map_err(internal("encoding the answer"))?;
    let sealed = super::secrets::seal_with(&claim.seal_key, &plain).map_err(|e| {
        tracing::error!(error = %e, "sealing an idempotent answer");
        AppError::Internal
    })?;
    let row = idempotent_request::ActiveModel {
        key_hash: Set(claim.key_hash.clone()),
        action: Set(claim.action.to_string()),
        request_hash: Set(claim.request_hash.clone()),
        report_id: Set(report_id),
        sealed: Set(sealed),
        created_at: Set(now),
    };
    match row.insert(txn).await {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(internal("recording an idempotency key")(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> RequestKey {
        RequestKey::parse(s).unwrap()
    }

    #[test]
    fn a_claim_hashes_the_key_and_the_request_apart() {
        let a = Claim::new("submit_report", &key("k-0123456789abcdef"), None, &"one").unwrap();
        let same = Claim::new("submit_report", &key("k-0123456789abcdef"), None, &"one").unwrap();
        let other_body =
            Claim::new("submit_report", &key("k-0123456789abcdef"), None, &"two").unwrap();
        let other_account =
            Claim::new("submit_report", &key("k-0123456789abcdef"), Some(7), &"one").unwrap();
        let other_key =
            Claim::new("submit_report", &key("k-0123456789abcdeX"), None, &"one").unwrap();
        assert_eq!(a.key_hash, same.key_hash);
        assert_eq!(a.request_hash, same.request_hash);
        assert_eq!(a.key_hash, other_body.key_hash);
        assert_ne!(a.request_hash, other_body.request_hash);
        assert_ne!(a.request_hash, other_account.request_hash);
        assert_ne!(a.key_hash, other_key.key_hash);
        // The stored hash is not the key, and the seal key is neither.
        assert!(!a.key_hash.contains("0123456789abcdef"));
        assert_ne!(hex::encode(a.seal_key), a.key_hash);
    }

    #[test]
    fn keys_are_long_random_words_only() {
        assert!(
            RequestKey::parse("0123456789abcde").is_none(),
            "15 characters"
        );
        assert!(RequestKey::parse("0123456789abcdef").is_some());
        assert!(
            RequestKey::parse("3f2b6c1e-8d4a-4f0e-9b7a-1c2d3e4f5a6b").is_some(),
            "a UUID"
        );
        assert!(RequestKey::parse("0123456789abcdef/..").is_none());
        assert!(RequestKey::parse(&"a".repeat(101)).is_none());
        let k = RequestKey::generate();
        assert_eq!(k.as_str().len(), 22);
        assert_ne!(k.as_str(), RequestKey::generate().as_str());
        assert_eq!(format!("{k:?}"), "RequestKey(<redacted>)");
    }
}
