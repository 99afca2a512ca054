//! Smithy node values (trait values, defaults, metadata) as `serde_json::Value`s, with room
//! for the numbers a `Value` cannot hold.
//!
//! A `bigInteger` or `bigDecimal` trait value may be any number (`9223372036854775808000`,
//! `2e+308`); serde_json keeps only 64-bit integers and finite doubles. Such a number is kept
//! as its literal text in a one-entry object, `{"$smithy.bigNumber": "2e+308"}`, the way
//! serde_json's own `arbitrary_precision` feature keeps its numbers. That feature is not used:
//! cargo turns a feature on for every crate of a build, so it would change how the numbers of
//! the generated runtime (and of any crate built beside the generator) behave.
//!
//! The object stands for a number only when its one entry is a literal that no 64-bit value
//! holds; any other object with that key is an ordinary object.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// The key of the one-entry object that holds a number beyond 64 bits.
pub const BIG_NUMBER_KEY: &str = "$smithy.bigNumber";

/// The node value of number literal `literal` (JSON number grammar, as [`is_number_literal`]
/// accepts): a `Value::Number` when 64 bits hold it, its text otherwise.
pub fn number(literal: &str) -> Option<Value> {
    if !is_number_literal(literal) {
        return None;
    }
    if exceeds_64_bits(literal) {
        let mut object = Map::new();
        object.insert(BIG_NUMBER_KEY.to_owned(), Value::String(literal.to_owned()));
        return Some(Value::Object(object));
    }
    let integral = !literal.contains(['.', 'e', 'E']);
    let exact = if integral {
        literal.parse::<i64>().map(serde_json::Number::from).or_else(|_| literal.parse::<u64>().map(Into::into)).ok()
    } else {
        None
    };
    exact.or_else(|| literal.parse::<f64>().ok().and_then(serde_json::Number::from_f64)).map(Value::Number)
}

/// The literal of a number beyond 64 bits held in `value`; `None` for any other value.
pub fn as_big_number(value: &Value) -> Option<&str> {
    let object = value.as_object().filter(|object| object.len() == 1)?;
    let literal = object.get(BIG_NUMBER_KEY)?.as_str()?;
    (is_number_literal(literal) && exceeds_64_bits(literal)).then_some(literal)
}

/// Whether `value` is a number, of 64 bits or beyond.
pub fn is_number(value: &Value) -> bool {
    value.is_number() || as_big_number(value).is_some()
}

/// Whether `value` is an integer literal (no fraction, no exponent, as Smithy reads integers),
/// of 64 bits or beyond.
pub fn is_integer(value: &Value) -> bool {
    value.is_i64() || value.is_u64() || as_big_number(value).is_some_and(|literal| !literal.contains(['.', 'e', 'E']))
}

/// Whether `literal` follows the JSON number grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
pub fn is_number_literal(literal: &str) -> bool {
    let bytes = literal.as_bytes();
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    let whole = digits(&mut at);
    if whole == 0 || (whole > 1 && bytes[at - whole] == b'0') {
        return false;
    }
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        if digits(&mut at) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == bytes.len()
}

/// Whether a number literal has no 64-bit value: an integer beyond `i64` and `u64`, or a
/// decimal that overflows a double or underflows it to zero.
pub fn exceeds_64_bits(literal: &str) -> bool {
    if !literal.contains(['.', 'e', 'E']) {
        return literal.parse::<i64>().is_err() && literal.parse::<u64>().is_err();
    }
    match literal.parse::<f64>() {
        Ok(value) if value.is_infinite() => true,
        Ok(value) => value == 0.0 && !decimal(literal).digits.is_empty(),
        Err(_) => false,
    }
}

/// A number literal reduced to sign, significant digits and exponent, so that literals of the
/// same value (`2e+308`, `2E308`, `20e307`) compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    /// Negative (never for zero).
    pub negative: bool,
    /// The significant digits, without leading or trailing zeros; empty for zero.
    pub digits: String,
    /// The value is `digits × 10^exponent`.
    pub exponent: i64,
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        let sign = if self.negative { "-" } else { "" };
        write!(f, "{sign}{}e{}", self.digits, self.exponent)
    }
}

/// The value of number literal `literal` (JSON number grammar) as a [`Decimal`].
pub fn decimal(literal: &str) -> Decimal {
    let (negative, rest) = literal.strip_prefix('-').map_or((false, literal), |rest| (true, rest));
    let (mantissa, exponent) = rest.split_once(['e', 'E']).unwrap_or((rest, "0"));
    // Exponents past i64 are clamped: no literal a file can hold gets there from the digits.
    let exponent = exponent.trim_start_matches('+').parse::<i64>().unwrap_or(if exponent.starts_with('-') {
        i64::MIN / 2
    } else {
        i64::MAX / 2
    });
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = whole.chars().chain(fraction.chars()).collect();
    let leading = all.len() - all.trim_start_matches('0').len();
    let significant = all[leading..].trim_end_matches('0');
    let trailing = all.len() - leading - significant.len();
    let exponent = exponent.saturating_sub(i64::try_from(fraction.len()).unwrap_or(i64::MAX / 2));
    let exponent = exponent.saturating_add(i64::try_from(trailing).unwrap_or(0));
    if significant.is_empty() {
        return Decimal { negative: false, digits: String::new(), exponent: 0 };
    }
    Decimal { negative, digits: significant.to_owned(), exponent }
}

/// `value` as compact JSON text for messages, numbers beyond 64 bits written as numbers.
pub fn display(value: &Value) -> String {
    // Serializing a `Value` into a `String` cannot fail.
    serde_json::to_string(&Node(value)).unwrap_or_default()
}

/// Why JSON text could not be read, and where (1-based line and byte column of the text);
/// displayed as serde_json displays its errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// serde_json's reason, without its position.
    pub reason: String,
    /// The line of the error.
    pub line: usize,
    /// The column of the error.
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.reason, self.line, self.column)
    }
}

/// Reads JSON text as node values: numbers beyond 64 bits are kept as their literals, where
/// serde_json alone would round them (integers) or reject them (decimals out of a double's range).
pub fn from_json(text: &str) -> Result<Value, JsonError> {
    let big = big_literals(text);
    if big.is_empty() {
        return serde_json::from_str(text).map_err(|err| json_error(&err, text, &[]));
    }
    // Each big literal becomes the object that holds it; the text keeps its lines.
    let mut rewritten = String::with_capacity(text.len() + big.len() * (BIG_NUMBER_KEY.len() + 8));
    let mut edits = Vec::with_capacity(big.len());
    let mut copied = 0;
    for range in big {
        rewritten.push_str(&text[copied..range.start]);
        let start = rewritten.len();
        rewritten.push_str(&format!("{{\"{BIG_NUMBER_KEY}\":\"{}\"}}", &text[range.clone()]));
        edits.push(Edit { start, added: rewritten.len() - start - range.len() });
        copied = range.end;
    }
    rewritten.push_str(&text[copied..]);
    serde_json::from_str(&rewritten).map_err(|err| json_error(&err, &rewritten, &edits))
}

/// A literal replaced in [`from_json`]: where its replacement starts in the new text, and how
/// many bytes longer the replacement is.
struct Edit {
    start: usize,
    added: usize,
}

/// `err` at its position in the text as given to [`from_json`].
fn json_error(err: &serde_json::Error, text: &str, edits: &[Edit]) -> JsonError {
    let message = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    let reason = message.strip_suffix(&position).unwrap_or(&message).to_owned();
    let line_start: usize = text.split_inclusive('\n').take(err.line().saturating_sub(1)).map(str::len).sum();
    let offset = line_start + err.column().saturating_sub(1);
    // Replacements hold no line breaks: only those earlier on the same line move the column.
    let shift: usize =
        edits.iter().filter(|edit| edit.start >= line_start && edit.start < offset).map(|e| e.added).sum();
    JsonError { reason, line: err.line(), column: err.column().saturating_sub(shift).max(1) }
}

/// The byte ranges of the number literals in JSON `text` (outside strings) that 64 bits do
/// not hold.
fn big_literals(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                // Strings are most of a model (documentation): jump between quotes and escapes.
                at += 1;
                loop {
                    match bytes.get(at..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
                        Some(found) if bytes[at + found] == b'"' => break at += found + 1,
                        Some(found) => at += found + 2,
                        None => break at = bytes.len(),
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = at;
                while at < bytes.len() && matches!(bytes[at], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                    at += 1;
                }
                let literal = &text[start..at];
                // Only a long literal can leave 64 bits behind; the check is for those.
                let may_be_big = literal.len() >= 19 || literal.contains(['e', 'E']);
                if may_be_big && is_number_literal(literal) && exceeds_64_bits(literal) {
                    found.push(start..at);
                }
            }
            _ => at += 1,
        }
    }
    found
}

/// `value` as pretty JSON text (two-space indent), numbers beyond 64 bits written as numbers.
pub fn to_json_pretty(value: &Value) -> String {
    // Serializing a `Value` into a `String` cannot fail.
    serde_json::to_string_pretty(&Node(value)).unwrap_or_default()
}

/// A node value that serializes numbers beyond 64 bits as their literals.
struct Node<'a>(&'a Value);

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(literal) = as_big_number(self.0) {
            let raw =
                serde_json::value::RawValue::from_string(literal.to_owned()).map_err(serde::ser::Error::custom)?;
            return raw.serialize(serializer);
        }
        match self.0 {
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Node(item))?;
                }
                seq.end()
            }
            Value::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, item) in entries {
                    map.serialize_entry(key, &Node(item))?;
                }
                map.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_follow_the_json_grammar() {
        for good in ["0", "-0", "10", "1.5", "1e5", "1E+5", "-2.25e-3", "9223372036854775808"] {
            assert!(is_number_literal(good), "{good}");
        }
        for bad in ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1-2", "0x10", "1.5.5", "--1"] {
            assert!(!is_number_literal(bad), "{bad}");
        }
    }

    #[test]
    fn only_numbers_without_a_64_bit_value_are_big() {
        for small in ["9223372036854775807", "-9223372036854775808", "18446744073709551615", "1.7976931348623157E+308"]
        {
            assert!(!exceeds_64_bits(small), "{small}");
        }
        for big in ["18446744073709551616", "-9223372036854775809", "2e+308", "1.7976931348623157E+309", "1e-400"] {
            assert!(exceeds_64_bits(big), "{big}");
        }
        assert!(!exceeds_64_bits("0e-400"), "zero is zero");
    }

    #[test]
    fn decimals_compare_by_value() {
        assert_eq!(decimal("2e+308"), decimal("2E308"));
        assert_eq!(decimal("2e+308"), decimal("20e307"));
        assert_eq!(decimal("2e+308"), decimal("0.2e309"));
        assert_eq!(decimal("-0.0"), decimal("0"));
        assert_eq!(decimal("1.7976931348623157E+309").to_string(), "17976931348623157e293");
        assert_eq!(decimal("-1200").to_string(), "-12e2");
    }

    #[test]
    fn json_keeps_big_numbers_and_writes_them_back() {
        let text = r#"{"a": [1, 2e+308, "9e999"], "b": 123456789012345678901234567890, "c": 1.5}"#;
        let value = from_json(text).expect("JSON");
        assert_eq!(as_big_number(&value["a"][1]), Some("2e+308"));
        assert_eq!(value["a"][2], Value::from("9e999"), "strings stay strings");
        assert_eq!(as_big_number(&value["b"]), Some("123456789012345678901234567890"));
        assert!(is_integer(&value["b"]) && is_number(&value["a"][1]) && !is_integer(&value["a"][1]));
        assert_eq!(value["c"], Value::from(1.5));
        let written = to_json_pretty(&value);
        assert!(written.contains("2e+308") && written.contains("123456789012345678901234567890"), "{written}");
        assert_eq!(from_json(&written).expect("again"), value);
        assert_eq!(display(&value["b"]), "123456789012345678901234567890");
        assert_eq!(display(&value["a"]), r#"[1,2e+308,"9e999"]"#);
    }

    #[test]
    fn numbers_inside_strings_are_text() {
        let value = from_json(r#"["a\" 1e999 \\", 1e999]"#).expect("JSON");
        assert_eq!(value[0], Value::from("a\" 1e999 \\"));
        assert_eq!(as_big_number(&value[1]), Some("1e999"));
        assert!(from_json(r#"["open 1e999"#).is_err());
        assert!(from_json(r#"["\"#).is_err());
    }

    #[test]
    fn an_object_that_only_looks_like_a_big_number_is_an_object() {
        let value = from_json(r#"{"$smithy.bigNumber": "12"}"#).expect("JSON");
        assert_eq!(as_big_number(&value), None);
        assert_eq!(to_json_pretty(&value), "{\n  \"$smithy.bigNumber\": \"12\"\n}");
        assert_eq!(number("12"), Some(Value::from(12)));
        assert_eq!(number("1x"), None);
    }

    #[test]
    fn errors_keep_the_position_of_the_text_as_given() {
        let err = from_json("{\"a\": 2e+308, \"b\": ]}").expect_err("invalid");
        assert_eq!((err.line, err.column), (1, 20), "{err}");
        let err = from_json("{\"a\": 2e+308,\n \"b\" ]}").expect_err("invalid");
        assert_eq!((err.line, err.column), (2, 6), "{err}");
        let err = from_json("[1, 2,]").expect_err("invalid");
        assert_eq!((err.line, err.column), (1, 7), "{err}");
    }
}
