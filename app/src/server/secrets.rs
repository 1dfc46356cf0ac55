//! Secrets at rest: TOTP secrets are sealed with ChaCha20-Poly1305 under the deployment's key
//! (`ADUAN_SECRET_KEY`, 32 bytes as 64 hex characters), and recovery codes are stored as an
//! HMAC-SHA-256 under the same key, so a copy of the database alone opens neither.
//!
//! Rotation: start with the new key in `ADUAN_SECRET_KEY` and the old one in
//! `ADUAN_SECRET_KEY_PREVIOUS`; everything sealed under either opens, and `aduan secrets
//! rotate` seals every TOTP secret again under the new key. Recovery codes hashed under the
//! previous key keep working while it is set (their owners can make new ones at any time).
//! Values written before encryption (no `v1:` prefix) still open, and `rotate` seals them.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::sync::OnceLock;

/// The keys of this process: the current one, and the previous one during a rotation.
#[derive(Clone)]
pub struct Keys {
    pub current: [u8; 32],
    pub previous: Option<[u8; 32]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

static KEYS: OnceLock<Keys> = OnceLock::new();

/// Sets the keys once at start (later calls with other keys are ignored and reported).
pub fn install(keys: Keys) {
    if KEYS.set(keys.clone()).is_err() && KEYS.get().map(|k| k.current) != Some(keys.current) {
        tracing::error!("a different secret key was installed again; the first one stays");
    }
}

fn keys() -> Option<&'static Keys> {
    KEYS.get()
}

/// Parses a key: 64 hex characters.
pub fn parse_key(text: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(text.trim())
        .map_err(|_| "must be 64 hexadecimal characters (32 random bytes)".to_string())?;
    bytes
        .try_into()
        .map_err(|_| "must be 64 hexadecimal characters (32 random bytes)".to_string())
}

const PREFIX: &str = "v1:";

/// Seals a secret under the current key: `v1:` + hex(nonce ‖ ciphertext).
pub fn seal(plain: &str) -> Result<String, String> {
    let k = keys().ok_or("no secret key installed")?;
    seal_with(&k.current, plain)
}

pub fn seal_with(key: &[u8; 32], plain: &str) -> Result<String, String> {
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
        .map_err(|_| "sealing failed".to_string())?;
    Ok(format!(
        "{PREFIX}{}{}",
        hex::encode(nonce),
        hex::encode(sealed)
    ))
}

/// Opens what `seal_with(key, …)` sealed; `None` when it was sealed under another key.
pub fn open_with(key: &[u8; 32], stored: &str) -> Option<String> {
    let bytes = hex::decode(stored.strip_prefix(PREFIX)?).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(12);
    ChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt(Nonce::from_slice(nonce), sealed)
        .ok()
        .and_then(|p| String::from_utf8(p).ok())
}

/// `seal` for the use cases: a missing key is an internal error (logged), never a user's.
pub fn sealed(plain: &str) -> Result<String, crate::domain::AppError> {
    seal(plain).map_err(unavailable)
}

/// Logs why a secret operation could not run and answers an opaque internal error.
pub fn unavailable(e: String) -> crate::domain::AppError {
    tracing::error!(error = %e, "secret key unavailable");
    crate::domain::AppError::Internal
}

/// Opens a stored secret (sealed under the current or previous key, or a legacy plain value).
pub fn open(stored: &str) -> Option<String> {
    let Some(rest) = stored.strip_prefix(PREFIX) else {
        return Some(stored.to_string());
    };
    let bytes = hex::decode(rest).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let (nonce, sealed) = bytes.split_at(12);
    let k = keys()?;
    [Some(k.current), k.previous]
        .into_iter()
        .flatten()
        .find_map(|key| {
            ChaCha20Poly1305::new(Key::from_slice(&key))
                .decrypt(Nonce::from_slice(nonce), sealed)
                .ok()
                .and_then(|p| String::from_utf8(p).ok())
        })
}

/// Whether a stored value is already sealed under the current key.
pub fn sealed_under_current(stored: &str) -> bool {
    let Some(rest) = stored.strip_prefix(PREFIX) else {
        return false;
    };
    let (Some(k), Ok(bytes)) = (keys(), hex::decode(rest)) else {
        return false;
    };
    bytes.len() >= 12
        && ChaCha20Poly1305::new(Key::from_slice(&k.current))
            .decrypt(Nonce::from_slice(&bytes[..12]), &bytes[12..])
            .is_ok()
}

/// The stored forms a recovery code may have: keyed hashes under the current and previous key,
/// and the bare SHA-256 of older versions (checked, never written).
pub fn code_hashes(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(k) = keys() {
        out.push(keyed_hash(&k.current, code));
        if let Some(p) = k.previous {
            out.push(keyed_hash(&p, code));
        }
    }
    out.push(super::credentials::token_hash(code));
    out
}

/// The stored form of a new recovery code.
pub fn code_hash(code: &str) -> Result<String, String> {
    let k = keys().ok_or("no secret key installed")?;
    Ok(keyed_hash(&k.current, code))
}

fn keyed_hash(key: &[u8; 32], code: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(b"aduan recovery code\n");
    mac.update(code.as_bytes());
    format!("h1:{}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_the_key_and_rotate() {
        let old = [7u8; 32];
        let new = [9u8; 32];
        let sealed = seal_with(&old, "JBSWY3DPEHPK3PXP").unwrap();
        assert!(sealed.starts_with("v1:") && !sealed.contains("JBSWY3DP"));
        install(Keys {
            current: new,
            previous: Some(old),
        });
        assert_eq!(
            open(&sealed).as_deref(),
            Some("JBSWY3DPEHPK3PXP"),
            "previous key opens"
        );
        assert!(!sealed_under_current(&sealed));
        let resealed = seal("JBSWY3DPEHPK3PXP").unwrap();
        assert!(sealed_under_current(&resealed));
        assert_ne!(
            resealed,
            seal("JBSWY3DPEHPK3PXP").unwrap(),
            "a fresh nonce each time"
        );
        // Tampering is detected; a legacy plain value still opens.
        let mut bad = resealed.clone();
        bad.pop();
        bad.push('0');
        assert!(open(&bad).is_none() || bad == resealed);
        assert_eq!(open("PLAINLEGACY").as_deref(), Some("PLAINLEGACY"));
        // Recovery codes: keyed, not bare SHA-256; old forms still recognised.
        let h = code_hash("abcd-efgh").unwrap();
        assert!(h.starts_with("h1:"));
        assert_ne!(h, super::super::credentials::token_hash("abcd-efgh"));
        assert!(code_hashes("abcd-efgh").contains(&h));
        assert!(code_hashes("abcd-efgh").contains(&keyed_hash(&old, "abcd-efgh")));
        assert!(parse_key("00").is_err() && parse_key(&"ab".repeat(32)).is_ok());
    }
}
