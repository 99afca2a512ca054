//! [`BigInteger`] and [`BigDecimal`], Smithy `bigInteger` and `bigDecimal`, kept as their exact
//! decimal text.

use std::fmt;
use std::str::FromStr;

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::json_literal::{deserialize_number, serialize_number_text};
use super::quote;

/// An error parsing a [`BigInteger`] or a [`BigDecimal`] from text.
///
/// Its message names the input and what is wrong with it, for example
/// ``invalid big integer `1.5`: a fraction or exponent is not allowed``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseNumberError {
    message: String,
}

impl ParseNumberError {
    /// An error for an `input` that is not a valid `what`.
    fn invalid(what: &str, input: &str, reason: &str) -> Self {
        Self { message: format!("invalid {what} `{}`: {reason}", quote(input)) }
    }
}

impl fmt::Display for ParseNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseNumberError {}

/// Checks `input` against `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` (no
/// fraction or exponent unless `decimal`) and returns it in one spelling:
/// redundant leading zeros of the integer part removed and the exponent written
/// `e+N` or `e-N`. The digits themselves are kept, so nothing is rounded.
fn normalize_number(input: &str, decimal: bool) -> Result<String, &'static str> {
    let bytes = input.as_bytes();
    if bytes.is_empty() {
        return Err("empty input");
    }
    let negative = bytes.first() == Some(&b'-');
    let mut pos = usize::from(negative);
    let take_digits = |pos: &mut usize| {
        let start = *pos;
        while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        }
        input.get(start..*pos).unwrap_or("")
    };
    let int = take_digits(&mut pos);
    if int.is_empty() {
        return Err("expected digits");
    }
    let mut out = String::with_capacity(input.len() + 1);
    if negative {
        out.push('-');
    }
    let trimmed = int.trim_start_matches('0');
    out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
    if bytes.get(pos) == Some(&b'.') {
        if !decimal {
            return Err("a fraction or exponent is not allowed");
        }
        pos += 1;
        let frac = take_digits(&mut pos);
        if frac.is_empty() {
            return Err("expected digits after the decimal point");
        }
        out.push('.');
        out.push_str(frac);
    }
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        if !decimal {
            return Err("a fraction or exponent is not allowed");
        }
        pos += 1;
        let sign = match bytes.get(pos) {
            Some(b'-') => {
                pos += 1;
                "-"
            }
            Some(b'+') => {
                pos += 1;
                "+"
            }
            _ => "+",
        };
        let exponent = take_digits(&mut pos);
        if exponent.is_empty() {
            return Err("expected digits in the exponent");
        }
        out.push('e');
        out.push_str(sign);
        out.push_str(exponent);
    }
    if pos != bytes.len() {
        return Err("unexpected character");
    }
    Ok(out)
}

macro_rules! big_number {
    ($name:ident, $what:literal, $decimal:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The decimal text of the number.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            /// Zero (`0`).
            fn default() -> Self {
                Self("0".to_owned())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = ParseNumberError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                normalize_number(s, $decimal)
                    .map(Self)
                    .map_err(|reason| ParseNumberError::invalid($what, s, reason))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            /// Writes the exact JSON number (its text as it is, with serde_json).
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_number_text(&self.0, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// Reads a JSON number, keeping its exact text when read from JSON text. From a
            /// `serde_json::Value`, which holds numbers as u64, i64 or f64, only what it holds.
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_number(deserializer, &concat!("a JSON number (", $what, ")"), |text| {
                    text.parse().map_err(|err: ParseNumberError| err.to_string())
                })
            }
        }

        big_number!(@from_int $name, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
    };
    (@from_int $name:ident, $($int:ty),*) => {
        $(
            impl From<$int> for $name {
                fn from(value: $int) -> Self {
                    Self(value.to_string())
                }
            }
        )*
    };
}

big_number!(
    BigInteger,
    "big integer",
    false,
    "A Smithy `bigInteger`: an arbitrary-precision integer kept as its decimal \
     text (`-?[0-9]+`, leading zeros removed).\n\nWith serde it is an exact JSON \
     number; a literal with a fraction or exponent is rejected. Equality compares \
     the text."
);

big_number!(
    BigDecimal,
    "big decimal",
    true,
    "A Smithy `bigDecimal`: an arbitrary-precision decimal kept as its text \
     (`-?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?`, leading zeros of the integer part \
     removed and the exponent spelled `e+N`/`e-N`).\n\nWith serde it is an exact JSON \
     number; integer literals are accepted. Equality compares the text, so `1.5` and \
     `1.50` differ."
);

impl From<BigInteger> for BigDecimal {
    fn from(value: BigInteger) -> Self {
        Self(value.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    type TestResult = Result<(), Box<dyn Error>>;

    #[test]
    fn big_numbers_are_exact() -> TestResult {
        let big: BigInteger = "123456789012345678901234567890".parse()?;
        assert_eq!(big.as_str(), "123456789012345678901234567890");
        let json = serde_json::to_string(&big)?;
        assert_eq!(json, "123456789012345678901234567890");
        assert_eq!(serde_json::from_str::<BigInteger>(&json)?, big);

        let dec: BigDecimal = "1.00000000000000000000000000001e-5".parse()?;
        let json = serde_json::to_string(&dec)?;
        assert_eq!(json, "1.00000000000000000000000000001e-5");
        assert_eq!(serde_json::from_str::<BigDecimal>(&json)?, dec);
        let dec: BigDecimal = serde_json::from_str("123456789012345678901234567890")?;
        assert_eq!(dec.to_string(), "123456789012345678901234567890");
        // Exponents are spelled as serde_json keeps them: `e+N` / `e-N`.
        let dec: BigDecimal = serde_json::from_str("-1E400")?;
        assert_eq!(dec.as_str(), "-1e+400");
        assert_eq!(serde_json::to_string(&dec)?, "-1e+400");
        for (text, spelled) in [
            ("-1E400", "-1e+400"),
            ("1e5", "1e+5"),
            ("1.5E-3", "1.5e-3"),
            ("1e+2", "1e+2"),
            ("-0", "-0"),
            ("0.0", "0.0"),
            ("1.0E400", "1.0e+400"),
            ("12e05", "12e+05"),
        ] {
            let dec: BigDecimal = serde_json::from_str(text)?;
            assert_eq!((dec.as_str(), serde_json::to_string(&dec)?.as_str()), (spelled, spelled));
        }

        assert_eq!(BigInteger::default().as_str(), "0");
        assert_eq!(BigDecimal::default().as_str(), "0");
        assert_eq!("007".parse::<BigInteger>()?.as_str(), "7");
        assert_eq!("-000".parse::<BigInteger>()?.as_str(), "-0");
        assert_eq!("00.50".parse::<BigDecimal>()?.as_str(), "0.50");
        assert_eq!(BigInteger::from(-5i64).as_str(), "-5");
        assert_eq!(BigInteger::from(u128::MAX).as_str(), u128::MAX.to_string());
        assert_eq!(BigDecimal::from(big.clone()).as_str(), big.as_str());

        for bad in ["", "-", "1.5", "1e5", "abc", "+1", " 1", "1 ", "0x1", "NaN"] {
            assert!(bad.parse::<BigInteger>().is_err(), "{bad:?}");
        }
        for bad in ["", "-", "1.", ".5", "1e", "1e+", "abc", "+1", "1.5.2", "Infinity"] {
            assert!(bad.parse::<BigDecimal>().is_err(), "{bad:?}");
        }
        let message = serde_json::from_str::<BigInteger>("1.5").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("invalid big integer `1.5`: a fraction or exponent is not allowed"), "{message}");
        assert!(serde_json::from_str::<BigInteger>(r#""123""#).is_err());
        assert!(serde_json::from_str::<BigDecimal>("null").is_err());
        Ok(())
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Numbers {
        int: BigInteger,
        dec: BigDecimal,
        list: Vec<BigDecimal>,
    }

    #[test]
    fn big_numbers_inside_structures_are_exact() -> TestResult {
        let json =
            r#"{"int":-123456789012345678901234567890,"dec":0.100000000000000000000000000001,"list":[1e-400,2.50]}"#;
        let numbers: Numbers = serde_json::from_str(json)?;
        assert_eq!(numbers.int.as_str(), "-123456789012345678901234567890");
        assert_eq!(numbers.dec.as_str(), "0.100000000000000000000000000001");
        assert_eq!(serde_json::to_string(&numbers)?, json);
        let from_bytes: Numbers = serde_json::from_slice(json.as_bytes())?;
        assert_eq!(from_bytes, numbers);
        let from_reader: Numbers = serde_json::from_reader(json.as_bytes())?;
        assert_eq!(from_reader, numbers);
        // A `Value` holds what fits in a u64, i64 or f64 only.
        let value = serde_json::json!({"int": -5, "dec": 2.5, "list": [u64::MAX]});
        let numbers: Numbers = serde_json::from_value(value)?;
        assert_eq!((numbers.int.as_str(), numbers.dec.as_str()), ("-5", "2.5"));
        assert_eq!(numbers.list[0].as_str(), u64::MAX.to_string());
        assert_eq!(serde_json::to_value(&numbers)?["list"][0], serde_json::json!(u64::MAX));
        // Plain numbers from other deserializers.
        use serde::de::value::{Error as ValueError, F64Deserializer, I64Deserializer};
        assert_eq!(BigInteger::deserialize(I64Deserializer::<ValueError>::new(-3))?.as_str(), "-3");
        assert_eq!(BigDecimal::deserialize(F64Deserializer::<ValueError>::new(0.25))?.as_str(), "0.25");
        assert!(BigInteger::deserialize(F64Deserializer::<ValueError>::new(0.25)).is_err());
        let message = serde_json::from_str::<BigDecimal>("true").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("invalid type: boolean `true`, expected a JSON number (big decimal)"), "{message}");
        Ok(())
    }
}
