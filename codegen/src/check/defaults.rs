//! `@default` values must be values of their shape: the generated code writes them as Rust
//! literals of the shape's type.

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Kind, Shape, Simple};
use crate::node;
use serde_json::Value;

/// A `@default` on `shape` (or on a member targeting it) must be a value of the shape.
pub(super) fn default_fits(shape: &Shape, value: &Value, at: &Location, diags: &mut Diagnostics) {
    // `null` removes an inherited default.
    if value.is_null() {
        return;
    }
    if let Some(expected) = default_mismatch(shape, value) {
        let value = node::display(value);
        let message = format!("`@default` value {value} does not fit `{}`: expected {expected}", shape.id);
        diags.error(at, message);
    }
}

/// What a `@default` of `shape` should have been, when `value` is not one.
fn default_mismatch(shape: &Shape, value: &Value) -> Option<String> {
    let integer = |min: i64, max: i64| {
        let fits = value.as_i64().is_some_and(|n| (min..=max).contains(&n));
        (!fits).then(|| format!("a whole number from {min} to {max}"))
    };
    let expect = |fits: bool, expected: &str| (!fits).then(|| expected.to_owned());
    match &shape.kind {
        Kind::Simple(simple) => match simple {
            Simple::Boolean => expect(value.is_boolean(), "`true` or `false`"),
            Simple::String => expect(value.is_string(), "a string"),
            Simple::Byte => integer(i8::MIN.into(), i8::MAX.into()),
            Simple::Short => integer(i16::MIN.into(), i16::MAX.into()),
            Simple::Integer => integer(i32::MIN.into(), i32::MAX.into()),
            Simple::Long => integer(i64::MIN, i64::MAX),
            Simple::Float | Simple::Double if node::as_big_number(value).is_some() => {
                Some("a number within the range of a 64-bit float".to_owned())
            }
            Simple::Float | Simple::Double => expect(
                value.is_number() || matches!(value.as_str(), Some("NaN" | "Infinity" | "-Infinity")),
                "a number (or `NaN`, `Infinity`, `-Infinity`)",
            ),
            Simple::BigInteger => expect(node::is_integer(value), "a whole number"),
            Simple::BigDecimal => expect(node::is_number(value), "a number"),
            Simple::Timestamp => {
                expect(value.is_number() || value.is_string(), "epoch seconds or an RFC 3339 date-time string")
            }
            Simple::Blob => {
                use base64::Engine as _;
                let decodes =
                    value.as_str().is_some_and(|text| base64::engine::general_purpose::STANDARD.decode(text).is_ok());
                expect(decodes, "a base64-encoded string")
            }
            Simple::Document => None,
        },
        Kind::Enum(values) => {
            let fits = value.as_str().is_some_and(|text| values.iter().any(|v| v.value == text));
            let names: Vec<String> = values.iter().map(|v| format!("\"{}\"", v.value)).collect();
            expect(fits, &format!("one of the enum's values ({})", names.join(", ")))
        }
        Kind::IntEnum(values) => {
            let fits = value.as_i64().is_some_and(|n| values.iter().any(|v| i64::from(v.value) == n));
            let numbers: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
            expect(fits, &format!("one of the intEnum's values ({})", numbers.join(", ")))
        }
        Kind::List(_) => expect(value.as_array().is_some_and(Vec::is_empty), "an empty list `[]`"),
        Kind::Map { .. } => expect(value.as_object().is_some_and(|o| o.is_empty()), "an empty map `{}`"),
        kind => Some(format!("no default: {} cannot have one", kind.described())),
    }
}
