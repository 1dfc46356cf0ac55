//! Secrets: argon2id password hashes (computed off the async threads), TOTP (RFC 6238, SHA-1,
//! 6 digits, 30 s) with recovery codes, and random tokens stored only as SHA-256.

use crate::domain::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Minimum password length (NIST SP 800-63B: at least 8; we ask for 10).
pub const MIN_PASSWORD_CHARS: usize = 10;

fn argon2() -> Argon2<'static> {
    // argon2id, m = 19 MiB, t = 2, p = 1: the OWASP recommendation.
    Argon2::default()
}

/// argon2 runs at once in this process: one per core (each takes 19 MiB and a core for tens of
/// milliseconds), so a flood of sign-ins or registrations queues instead of exhausting memory
/// and every core. Waiting here is what a flood costs; throttles bound it per client.
fn hash_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    super::per_core(&PERMITS)
}

/// Hashes a password (PHC string) on the blocking pool.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    let _permit = hash_permits()
        .acquire()
        .await
        .map_err(super::internal("waiting for a hashing slot"))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(super::internal("joining the hashing task"))?
    // argon2's error is not a `std::error::Error` without its `std` feature.
    .map_err(|e| super::internal("hashing a password")(std::io::Error::other(e.to_string())))
}

/// Checks a password against a stored hash on the blocking pool. With no stored hash it still
/// spends the same time (against a fixed dummy hash), so unknown accounts are not told apart.
pub async fn verify_password(password: String, stored: Option<String>) -> bool {
    let Ok(_permit) = hash_permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            tracing::error!("stored password hash is not a PHC string");
            return false;
        };
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && known
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(b"no such account", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// A random token of `bytes` bytes, URL-safe (hex).
pub fn random_token(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// The stored form of a token or code.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// TOTP time step length in seconds.
pub const TOTP_STEP: i64 = 30;

/// A new TOTP secret: 20 random bytes, base32 (RFC 4648, no padding) as authenticator apps want.
pub fn new_totp_secret() -> String {
    let mut b = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut b);
    data_encoding::BASE32_NOPAD.encode(&b)
}

/// The 6-digit code for `secret` (base32) at time step `step`.
pub fn totp_at(secret: &str, step: i64) -> Option<String> {
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.trim_end_matches('=').as_bytes())
        .ok()?;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).ok()?;
    mac.update(&(step as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    Some(format!("{:06}", bin % 1_000_000))
}

/// The time step of a Unix time.
pub fn totp_step(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(TOTP_STEP)
}

/// The step at which `code` is valid for `secret`, allowing one step of clock drift either way,
/// and only if it is later than `last_used` (a code cannot be replayed).
pub fn totp_check(secret: &str, code: &str, now_step: i64, last_used: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    (now_step - 1..=now_step + 1)
        .filter(|s| last_used.is_none_or(|l| *s > l))
        .find(|s| totp_at(secret, *s).is_some_and(|c| constant_eq(c.as_bytes(), code.as_bytes())))
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` URI an authenticator app reads (typed in, or from a QR code).
pub fn otpauth_uri(secret: &str, email: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/Aduan:{}?secret={secret}&issuer=Aduan&algorithm=SHA1&digits=6&period=30",
        enc(email)
    )
}

/// The `otpauth://` URI as a QR code, an SVG `data:` URI for an `<img>` (no inline markup, so
/// the CSP stays strict).
pub fn qr_data_uri(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    let encoded: String = svg
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b' '
            | b'='
            | b':'
            | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    Some(format!(
        "data:image/svg+xml,{}",
        encoded.replace(' ', "%20")
    ))
}

/// Ten one-time recovery codes, `xxxxx-xxxxx` from an unambiguous alphabet.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rngs::OsRng;
    (0..10)
        .map(|_| {
            let mut s = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    s.push('-');
                }
                s.push(ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char);
            }
            s
        })
        .collect()
}

/// A recovery code as typed, normalised for hashing.
pub fn normalise_recovery_code(code: &str) -> String {
    let c: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if c.len() == 10 {
        format!("{}-{}", &c[..5], &c[5..])
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, with the secret "12345678901234567890".
    #[test]
    fn totp_matches_rfc_6238_vectors() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(totp_at(&secret, totp_step(t)).unwrap(), code, "t = {t}");
        }
    }

    #[test]
    fn totp_allows_one_step_of_drift_and_no_replay() {
        let secret = new_totp_secret();
        let now = 1_000_000;
        let prev = totp_at(&secret, now - 1).unwrap();
        let far = totp_at(&secret, now - 3).unwrap();
        assert_eq!(totp_check(&secret, &prev, now, None), Some(now - 1));
        assert_eq!(totp_check(&secret, &prev, now, Some(now - 1)), None);
        if far != prev && far != totp_at(&secret, now).unwrap() {
            assert_eq!(totp_check(&secret, &far, now, None), None);
        }
        assert_eq!(totp_check(&secret, "12a456", now, None), None);
    }

    #[test]
    fn the_qr_code_is_an_svg_data_uri_with_no_raw_markup() {
        let uri = otpauth_uri(&new_totp_secret(), "siti@contoh.id");
        let qr = qr_data_uri(&uri).unwrap();
        assert!(qr.starts_with("data:image/svg+xml,%3C"), "{}", &qr[..40]);
        assert!(!qr.contains('<') && !qr.contains('"') && !qr.contains('#'));
    }

    #[test]
    fn recovery_codes_normalise() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        for c in &codes {
            assert_eq!(
                normalise_recovery_code(&c.to_uppercase().replace('-', " ")),
                *c
            );
        }
    }

    #[tokio::test]
    async fn passwords_verify_only_with_the_right_hash() {
        let h = hash_password("benar sekali 123".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("benar sekali 123".into(), Some(h.clone())).await);
        assert!(!verify_password("salah".into(), Some(h)).await);
        assert!(!verify_password("no such account".into(), None).await);
    }
}
