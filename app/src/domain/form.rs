//! How a typed input reads a value that may come from a JSON body (a number, a boolean) or from
//! an HTML form (always text; an empty field, a checkbox that is either `1`/`on` or absent).
//! One decoder for both, so a no-JavaScript post, a hydrated call and a JSON client are parsed by
//! the same `Deserialize` of the same domain type.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// An optional number: a JSON number, a string holding one, or empty/absent/null for `None`.
/// Text that is not a number is an error (the caller's field message), never a sentinel.
pub fn opt_num<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + TryFrom<i64> + TryFrom<u64>,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: FromStr + TryFrom<i64> + TryFrom<u64>> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a number, or nothing")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            T::try_from(v)
                .map(Some)
                .map_err(|_| E::custom("number out of range"))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            T::try_from(v)
                .map(Some)
                .map_err(|_| E::custom("number out of range"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            v.parse().map(Some).map_err(|_| E::custom("not a number"))
        }
    }
    d.deserialize_any(V(PhantomData))
}

/// A required number (an id): as `opt_num`, but absent or empty is an error.
pub fn num<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + TryFrom<i64> + TryFrom<u64>,
{
    opt_num(d)?.ok_or_else(|| de::Error::custom("missing field"))
}

/// A yes/no: a JSON boolean, or a form value (`1`, `on`, `true` for yes; `0`, `false`, empty for
/// no). An absent field is `false` (with `#[serde(default)]`).
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("yes or no")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_none<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<bool, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            match v.trim() {
                "1" | "on" | "true" | "yes" => Ok(true),
                "" | "0" | "off" | "false" | "no" => Ok(false),
                _ => Err(E::custom("not yes or no")),
            }
        }
    }
    d.deserialize_any(V)
}

/// Optional text: absent, null and blank are `None`; otherwise the text as typed.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(v.filter(|s| !s.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct In {
        #[serde(default, deserialize_with = "super::opt_num")]
        n: Option<i32>,
        #[serde(default, deserialize_with = "super::flag")]
        b: bool,
        #[serde(default, deserialize_with = "super::opt_text")]
        s: Option<String>,
    }

    #[test]
    fn json_and_form_values_read_the_same() {
        let json: In = serde_json::from_str(r#"{"n": 5, "b": true, "s": "x"}"#).unwrap();
        let text: In = serde_json::from_str(r#"{"n": "5", "b": "1", "s": "x"}"#).unwrap();
        assert_eq!(json, text);
        assert_eq!(json.n, Some(5));
        let empty: In = serde_json::from_str(r#"{"n": "", "b": "", "s": "  "}"#).unwrap();
        assert_eq!(
            empty,
            In {
                n: None,
                b: false,
                s: None
            }
        );
        let absent: In = serde_json::from_str("{}").unwrap();
        assert_eq!(absent, empty);
        assert!(serde_json::from_str::<In>(r#"{"n": "abc"}"#).is_err());
        assert!(serde_json::from_str::<In>(r#"{"n": 99999999999}"#).is_err());
        assert!(serde_json::from_str::<In>(r#"{"b": "maybe"}"#).is_err());
    }
}

/// A list of ids: a JSON array (of numbers or numeric strings), the repeated values of a form's
/// `name[]` checkboxes, or one value. Nothing chosen is an empty list.
pub fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of numbers")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<i64>, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element::<serde_json::Value>()? {
                out.push(one::<A::Error>(&v)?);
            }
            Ok(out)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<i64>, E> {
            if v.trim().is_empty() {
                return Ok(Vec::new());
            }
            v.trim()
                .parse()
                .map(|n| vec![n])
                .map_err(|_| E::custom("not a number"))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<i64>, E> {
            Ok(vec![v])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<i64>, E> {
            i64::try_from(v)
                .map(|n| vec![n])
                .map_err(|_| E::custom("out of range"))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<i64>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<i64>, E> {
            Ok(Vec::new())
        }
    }
    fn one<E: de::Error>(v: &serde_json::Value) -> Result<i64, E> {
        match v {
            serde_json::Value::Number(n) => {
                n.as_i64().ok_or_else(|| E::custom("not a whole number"))
            }
            serde_json::Value::String(s) => s.trim().parse().map_err(|_| E::custom("not a number")),
            _ => Err(E::custom("not a number")),
        }
    }
    d.deserialize_any(V)
}

/// Percent-encodes everything but the unreserved characters (a query value, a `data:` URI).
pub fn encode(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
