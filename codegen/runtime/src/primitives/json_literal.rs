//! Exact JSON numbers without serde_json's `arbitrary_precision` feature.
//!
//! `arbitrary_precision` would keep the text of every number, but Cargo unifies features, so
//! it would also change `serde_json::Value` for every other crate of a user's build. The types
//! that must be exact ([`BigInteger`](super::BigInteger), [`BigDecimal`](super::BigDecimal),
//! epoch-seconds [`DateTime`](super::DateTime)s, the floats of the JSON protocols) instead ask
//! the deserializer for the raw text of the value (serde_json's additive `raw_value` feature)
//! and parse it themselves, and write numbers back with [`RawValue`].

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Unexpected, Visitor};
use serde::ser::{self, Serialize, Serializer};
use serde_json::value::RawValue;

use super::quote;

/// The newtype-struct name for which serde_json's deserializers (of JSON text, and of
/// `serde_json::Value`) hand over the raw JSON text of the next value; `RawValue`'s own
/// `Deserialize` asks for it. Asking for it here, with a visitor that also takes plain numbers,
/// keeps the exact text from serde_json and still reads numbers from any other deserializer,
/// which `RawValue` refuses. Were serde_json to rename it, its deserializers would hand over
/// plain numbers instead (exact for 64-bit integers only); the exactness tests would fail.
pub(crate) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A JSON scalar as a reader of [`deserialize_literal`] gets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Literal<'a> {
    /// A number's text: exactly as written when read from JSON text; as serde_json writes the
    /// number a `serde_json::Value` holds (u64, i64 or f64); the shortest decimal text of a
    /// number another deserializer gives.
    Number(&'a str),
    /// A string's contents, unescaped.
    String(&'a str),
}

/// Reads one JSON scalar with `read`: a number always, a string only when `strings` is set.
///
/// `expecting` ends type errors: ``invalid type: boolean `true`, expected {expecting}``. An
/// error from `read` becomes the deserializer's error as it is.
pub(crate) fn deserialize_literal<'de, D, T>(
    deserializer: D,
    expecting: &dyn fmt::Display,
    strings: bool,
    read: impl FnOnce(Literal<'_>) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, LiteralVisitor { expecting, strings, read })
}

/// Reads one JSON number with `read`, which gets its text (see [`Literal::Number`]).
pub(crate) fn deserialize_number<'de, D, T>(
    deserializer: D,
    expecting: &dyn fmt::Display,
    read: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserialize_literal(deserializer, expecting, false, |literal| match literal {
        Literal::Number(text) => read(text),
        // Not reached: strings are refused before `read` is called.
        Literal::String(text) => Err(format!("expected a number, got the string `{}`", quote(text))),
    })
}

/// Writes `text`, a JSON number, as exactly that number.
///
/// With serde_json's serializer the text goes out as it is. Integers that fit 64 bits are
/// written as integers, which every serializer understands; other numbers go through
/// [`RawValue`], which `serde_json::to_value` reads as the nearest `serde_json::Number` and
/// other serializers see as a one-field struct (as `serde_json::Number` was under
/// `arbitrary_precision`).
pub(crate) fn serialize_number_text<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    // `-0` would come out as `0`: only the raw text keeps its sign.
    if !text.starts_with("-0") {
        if let Ok(n) = text.parse::<u64>() {
            return serializer.serialize_u64(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return serializer.serialize_i64(n);
        }
    }
    // Parsing a `&RawValue` checks the text without copying it.
    match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) if raw.get().starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) => {
            raw.serialize(serializer)
        }
        _ => Err(ser::Error::custom(format!("`{}` is not a JSON number", quote(text)))),
    }
}

/// The visitor of [`deserialize_literal`]: plain numbers and strings from any deserializer,
/// and the raw text serde_json hands over as a one-entry map.
struct LiteralVisitor<'a, F> {
    expecting: &'a dyn fmt::Display,
    strings: bool,
    read: F,
}

impl<T, F: FnOnce(Literal<'_>) -> Result<T, String>> LiteralVisitor<'_, F> {
    fn number<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.read)(Literal::Number(text)).map_err(E::custom)
    }

    fn string<E: de::Error>(self, text: &str) -> Result<T, E> {
        if self.strings {
            (self.read)(Literal::String(text)).map_err(E::custom)
        } else {
            Err(E::invalid_type(Unexpected::Str(text), &self))
        }
    }

    /// One JSON value's raw text, as serde_json hands it over (valid JSON, no outer spaces).
    fn raw<E: de::Error>(self, raw: &str) -> Result<T, E> {
        let unexpected = match raw.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => return self.number(raw),
            Some(b'"') => {
                let text: String = serde_json::from_str(raw).map_err(E::custom)?;
                return self.string(&text);
            }
            Some(b't') => Unexpected::Bool(true),
            Some(b'f') => Unexpected::Bool(false),
            Some(b'[') => Unexpected::Seq,
            Some(b'{') => Unexpected::Map,
            // serde_json words `Unit` as `null`.
            _ => Unexpected::Unit,
        };
        Err(E::invalid_type(unexpected, &self))
    }
}

impl<'de, T, F: FnOnce(Literal<'_>) -> Result<T, String>> Visitor<'de> for LiteralVisitor<'_, F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expecting.fmt(f)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.number(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.number(&v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        self.number(&v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        self.number(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        if v.is_finite() {
            // `Display` writes the shortest text that reads back as the same `f64`.
            self.number(&v.to_string())
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.string(v)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        // A deserializer that does not know the raw-value name wraps the value instead.
        deserializer.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // serde_json answers the raw-value request with a one-entry map: the name, then the
        // text. Any other map is simply not a scalar.
        if map.next_key_seed(RawValueKey)? != Some(true) {
            return Err(de::Error::invalid_type(Unexpected::Map, &self));
        }
        map.next_value_seed(RawText(self))
    }
}

/// Reads a map key: whether it is [`RAW_VALUE_TOKEN`].
struct RawValueKey;

impl<'de> DeserializeSeed<'de> for RawValueKey {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for RawValueKey {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == RAW_VALUE_TOKEN)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
}

/// Reads the raw text of the entry serde_json hands over, and passes it to the visitor.
struct RawText<'a, F>(LiteralVisitor<'a, F>);

impl<'de, T, F: FnOnce(Literal<'_>) -> Result<T, String>> DeserializeSeed<'de> for RawText<'_, F> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, T, F: FnOnce(Literal<'_>) -> Result<T, String>> Visitor<'de> for RawText<'_, F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the raw text of a JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.0.raw(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error as ValueError, F64Deserializer, I64Deserializer, StrDeserializer, U64Deserializer};
    use std::error::Error;

    type TestResult = Result<(), Box<dyn Error>>;

    /// What `deserialize_literal` hands to its reader for `json`, strings allowed.
    fn literal_of(json: &str) -> Result<String, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        deserialize_literal(&mut de, &"a literal", true, |literal| Ok(format!("{literal:?}")))
    }

    #[test]
    fn json_text_gives_the_literal_as_written() -> TestResult {
        for text in ["123456789012345678901234567890", "1.50", "-0", "1E400", "1.000000000000000000001e-3"] {
            assert_eq!(literal_of(text)?, format!("Number({text:?})"));
            assert_eq!(literal_of(&format!(" {text}\n"))?, format!("Number({text:?})"));
            // From a reader too (serde_json copies the text then).
            let mut de = serde_json::Deserializer::from_reader(text.as_bytes());
            let read = deserialize_number(&mut de, &"a number", |t| Ok(t.to_owned()))?;
            assert_eq!(read, text);
        }
        assert_eq!(literal_of(r#""a\"b""#)?, r#"String("a\"b")"#);
        // A `Value` holds numbers as u64, i64 or f64: the text of what it holds.
        let value: serde_json::Value = serde_json::from_str("[1.50, 18446744073709551616, -7]")?;
        let read =
            |v: &serde_json::Value| deserialize_literal(v, &"a literal", true, |literal| Ok(format!("{literal:?}")));
        assert_eq!(read(&value[0])?, r#"Number("1.5")"#);
        assert_eq!(read(&value[1])?, r#"Number("1.8446744073709552e+19")"#);
        assert_eq!(read(&value[2])?, r#"Number("-7")"#);
        Ok(())
    }

    #[test]
    fn other_deserializers_give_plain_numbers() -> TestResult {
        let read = |literal: Literal<'_>| Ok(format!("{literal:?}"));
        assert_eq!(deserialize_literal(I64Deserializer::<ValueError>::new(-3), &"x", true, read)?, r#"Number("-3")"#);
        assert_eq!(deserialize_literal(U64Deserializer::<ValueError>::new(7), &"x", true, read)?, r#"Number("7")"#);
        let f = F64Deserializer::<ValueError>::new(1e-7);
        assert_eq!(deserialize_literal(f, &"x", true, read)?, r#"Number("0.0000001")"#);
        assert_eq!(deserialize_literal(StrDeserializer::<ValueError>::new("s"), &"x", true, read)?, r#"String("s")"#);
        assert!(deserialize_literal(StrDeserializer::<ValueError>::new("s"), &"x", false, read).is_err());
        assert!(deserialize_literal(F64Deserializer::<ValueError>::new(f64::NAN), &"x", true, read).is_err());
        Ok(())
    }

    #[test]
    fn other_json_values_are_type_errors() {
        for (json, found) in [
            ("true", "boolean `true`"),
            ("false", "boolean `false`"),
            ("null", "null"),
            ("[1]", "sequence"),
            (r#"{"a":1}"#, "map"),
            (r#""1""#, "string \"1\""),
        ] {
            let mut de = serde_json::Deserializer::from_str(json);
            let result = deserialize_number(&mut de, &"a number of things", |t| Ok(t.to_owned()));
            let message = result.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.starts_with(&format!("invalid type: {found}, expected a number of things")), "{message}");
        }
        // The reader's own error comes through as it is.
        let mut de = serde_json::Deserializer::from_str("12");
        let result: Result<(), _> = deserialize_number(&mut de, &"x", |t| Err(format!("no `{t}` here")));
        assert!(result.err().map(|e| e.to_string()).unwrap_or_default().starts_with("no `12` here"));
    }

    #[test]
    fn numbers_are_written_exactly() -> TestResult {
        struct Exact(&'static str);
        impl Serialize for Exact {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_number_text(self.0, serializer)
            }
        }
        for text in ["0", "-0", "7", "-7", "18446744073709551616", "1.50", "-1e+400", "1.000000000000000000001"] {
            assert_eq!(serde_json::to_string(&Exact(text))?, text);
        }
        assert_eq!(serde_json::to_value(Exact("18446744073709551615"))?, serde_json::json!(u64::MAX));
        assert_eq!(serde_json::to_value(Exact("1.5"))?, serde_json::json!(1.5));
        for bad in ["", "abc", "\"1\"", "1 2", "null"] {
            assert!(serde_json::to_string(&Exact(bad)).is_err(), "{bad:?}");
        }
        Ok(())
    }
}
