//! Smithy primitive types shared by the generated code.
//!
//! * [`DateTime`] is a Smithy `timestamp`, kept exactly to the nanosecond,
//!   with [`TimestampFormat`] describing its textual forms and
//!   [`serde_with_format`] giving `#[serde(with = "...")]` helpers for members
//!   that carry a `timestampFormat` trait.
//! * [`Blob`] is a Smithy `blob`, written in JSON as a base64 string.
//! * [`Document`] is a Smithy `document`, an untyped JSON value.
//! * [`BigInteger`] and [`BigDecimal`] are Smithy `bigInteger` and
//!   `bigDecimal`, kept as their exact decimal text.
//!
//! Big numbers and epoch seconds are read from the literal text of the JSON
//! number and written back as that text (serde_json's `raw_value` feature), so
//! they never pass through an `f64`.
//! * [`with_iso8601_timestamps`] switches, for one closure on one thread,
//!   every timestamp to the ISO 8601 text form people read and type (as the
//!   AWS CLI prints them); the command-line front end uses it.
//!
//! Nothing in this module panics on malformed input: every parser returns an
//! error ([`DateTimeError`] or [`ParseNumberError`]) that names the input and
//! what is wrong with it.

mod blob;
mod date_time;
mod document;
mod enums;
pub(crate) mod json_literal;
mod number;
mod serde_format;

pub use blob::Blob;
pub use date_time::{DateTime, DateTimeError, TimestampFormat};
pub use document::Document;
pub use number::{BigDecimal, BigInteger, ParseNumberError};
pub use serde_format::{serde_with_format, with_iso8601_timestamps, InFormat, TimestampValues};

/// Longest excerpt of an input quoted in an error message.
const MAX_QUOTED_INPUT: usize = 64;

/// Quotes at most [`MAX_QUOTED_INPUT`] bytes of `input` (on a character
/// boundary), so that huge inputs do not produce huge error messages.
fn quote(input: &str) -> String {
    if input.len() <= MAX_QUOTED_INPUT {
        return input.to_owned();
    }
    let mut end = MAX_QUOTED_INPUT;
    while end > 0 && !input.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", input.get(..end).unwrap_or(""))
}
