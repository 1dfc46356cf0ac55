//! The tracking code: a bearer secret that lets a reporter follow a report without an account.
//!
//! 16 symbols of Crockford base32 = 80 random bits, shown in four groups of four for reading aloud
//! (`7K2M-9QXP-…`). Input is accepted in any case, with or without dashes or spaces, and with the
//! usual misreadings (`O` for `0`, `I`/`L` for `1`). The server stores only a SHA-256 hash of it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The Crockford base32 alphabet (no I, L, O, U).
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a code.
pub const LEN: usize = 16;

/// A well-formed tracking code in canonical form (16 upper-case symbols, no dashes).
/// `Debug` redacts it: it must never appear whole in logs.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode(String);

/// Why a string is not a tracking code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TrackingCodeError {
    #[error("a tracking code has 16 symbols")]
    Length,
    #[error("a tracking code uses only digits and the letters A–Z without U")]
    Symbol,
}

fn canonical_symbol(c: char) -> Option<char> {
    let c = c.to_ascii_uppercase();
    match c {
        'O' => Some('0'),
        'I' | 'L' => Some('1'),
        c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
        _ => None,
    }
}

impl TrackingCode {
    /// Parses a code as a person may type it.
    pub fn parse(input: &str) -> Result<Self, TrackingCodeError> {
        let mut out = String::with_capacity(LEN);
        for c in input.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            out.push(canonical_symbol(c).ok_or(TrackingCodeError::Symbol)?);
            if out.len() > LEN {
                return Err(TrackingCodeError::Length);
            }
        }
        if out.len() != LEN {
            return Err(TrackingCodeError::Length);
        }
        Ok(Self(out))
    }

    /// Builds a code from 80 random bits (the low 80 bits of `bits`).
    pub fn from_bits(bits: u128) -> Self {
        let s = (0..LEN)
            .rev()
            .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
            .collect();
        Self(s)
    }

    /// A fresh code from a cryptographically secure generator.
    #[cfg(feature = "ssr")]
    pub fn generate<R: rand::RngCore + rand::CryptoRng>(rng: &mut R) -> Self {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes[..10]);
        Self::from_bits(u128::from_le_bytes(bytes))
    }

    /// The canonical 16 symbols, no dashes (for URLs).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code in four dash-separated groups, for reading and copying.
    pub fn grouped(&self) -> String {
        let b = self.0.as_bytes();
        b.chunks(4)
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect::<Vec<_>>()
            .join("-")
    }

    /// SHA-256 of the canonical code, hex: the only form the database keeps.
    #[cfg(feature = "ssr")]
    pub fn lookup_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// A short, non-reversible fingerprint that logs may carry instead of the code.
    #[cfg(feature = "ssr")]
    pub fn fingerprint(&self) -> String {
        self.lookup_hash()[..8].to_string()
    }
}

impl fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TrackingCode(<redacted>)")
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = TrackingCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<TrackingCode> for String {
    fn from(c: TrackingCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_what_people_type() {
        let c = TrackingCode::parse("7k2m-9qxp-ab12-cdef").unwrap();
        assert_eq!(c.as_str(), "7K2M9QXPAB12CDEF");
        assert_eq!(c.grouped(), "7K2M-9QXP-AB12-CDEF");
        assert_eq!(TrackingCode::parse(" 7K2M 9QXP AB12 CDEF ").unwrap(), c);
        // O → 0, I/L → 1
        assert_eq!(
            TrackingCode::parse("OOOO-IIII-LLLL-0000").unwrap().as_str(),
            "0000111111110000"
        );
    }

    #[test]
    fn refuses_malformed_codes() {
        assert_eq!(TrackingCode::parse(""), Err(TrackingCodeError::Length));
        assert_eq!(
            TrackingCode::parse("7K2M-9QXP-AB12"),
            Err(TrackingCodeError::Length)
        );
        assert_eq!(
            TrackingCode::parse("7K2M-9QXP-AB12-CDEF0"),
            Err(TrackingCodeError::Length)
        );
        assert_eq!(
            TrackingCode::parse("7K2M-9QXP-AB12-CDEU"),
            Err(TrackingCodeError::Symbol)
        );
        assert_eq!(
            TrackingCode::parse("7K2M/9QXP/AB12/CDEF"),
            Err(TrackingCodeError::Symbol)
        );
    }

    #[test]
    fn debug_does_not_show_the_code() {
        let c = TrackingCode::parse("7K2M9QXPAB12CDEF").unwrap();
        assert!(!format!("{c:?}").contains("7K2M"));
    }

    proptest! {
        #[test]
        fn bits_round_trip_through_every_written_form(bits in 0u128..(1u128 << 80), lower in any::<bool>()) {
            let c = TrackingCode::from_bits(bits);
            prop_assert_eq!(c.as_str().len(), LEN);
            let written = if lower { c.grouped().to_lowercase() } else { c.grouped() };
            prop_assert_eq!(TrackingCode::parse(&written).unwrap(), c.clone());
            // decode back to the same bits
            let decoded = c.as_str().bytes().fold(0u128, |acc, b| {
                (acc << 5) | ALPHABET.iter().position(|a| *a == b).unwrap() as u128
            });
            prop_assert_eq!(decoded, bits);
        }

        #[test]
        fn parse_never_panics_and_output_is_canonical(s in "\\PC{0,40}") {
            if let Ok(c) = TrackingCode::parse(&s) {
                prop_assert_eq!(c.as_str().len(), LEN);
                prop_assert!(c.as_str().bytes().all(|b| ALPHABET.contains(&b)));
            }
        }

        #[test]
        fn distinct_bits_give_distinct_codes(a in 0u128..(1u128 << 80), b in 0u128..(1u128 << 80)) {
            prop_assume!(a != b);
            prop_assert_ne!(TrackingCode::from_bits(a), TrackingCode::from_bits(b));
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn generated_codes_use_80_bits_and_hash_stably() {
        let mut rng = rand::rngs::OsRng;
        let a = TrackingCode::generate(&mut rng);
        let b = TrackingCode::generate(&mut rng);
        assert_ne!(a, b);
        assert_eq!(a.lookup_hash().len(), 64);
        assert_eq!(
            a.lookup_hash(),
            TrackingCode::parse(&a.grouped()).unwrap().lookup_hash()
        );
        assert_eq!(a.fingerprint(), a.lookup_hash()[..8]);
    }
}
