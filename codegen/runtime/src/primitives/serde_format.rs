//! Timestamps with serde: the default [`DateTime`] implementations (exact epoch seconds), the
//! `#[serde(with = "...")]` adapters of [`serde_with_format`] for members with a
//! `timestampFormat`, [`InFormat`] for timestamps inside collections and union variants, and
//! [`with_iso8601_timestamps`], the switch to the text form people read.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{self, Serializer};
use serde::{Deserialize, Serialize};

use super::date_time::{format_epoch_seconds, parse_epoch_seconds};
use super::json_literal::{deserialize_literal, deserialize_number, serialize_number_text, Literal};
use super::{DateTime, TimestampFormat};

impl Serialize for DateTime {
    /// Writes an exact JSON number of epoch seconds, e.g. `1515531081.123`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_with(self, TimestampFormat::EpochSeconds, serializer)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    /// Reads a JSON number of epoch seconds, exactly when read from JSON text. Strings are
    /// rejected.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_with(TimestampFormat::EpochSeconds, deserializer)
    }
}

thread_local! {
    /// Whether [`with_iso8601_timestamps`] is running on this thread.
    static ISO8601_TIMESTAMPS: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every [`DateTime`] in the ISO 8601 text form, for reading
/// and writing JSON that people see rather than the wire.
///
/// While `f` runs, on the current thread only:
///
/// * serializing a `DateTime` writes a `date-time` string such as
///   `"2023-11-14T22:13:20.123Z"`, whatever the member's `timestampFormat`
///   (the form the AWS CLI prints); a year outside 0000-9999, which that
///   form cannot show, is written as epoch seconds instead;
/// * deserializing a `DateTime` also accepts a JSON number of epoch seconds
///   and a `date-time` string, besides the member's own format.
///
/// Outside it, and on every other thread, the serde implementations keep
/// their wire behaviour, so requests and responses are unaffected. Calls
/// nest, and the previous setting comes back even if `f` panics.
///
/// ```text
/// let time = DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000)?;
/// serde_json::to_string(&time)?                                  // 1700000000.123
/// with_iso8601_timestamps(|| serde_json::to_string(&time))?      // "2023-11-14T22:13:20.123Z"
/// ```
pub fn with_iso8601_timestamps<R>(f: impl FnOnce() -> R) -> R {
    /// Puts the previous setting back when dropped.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ISO8601_TIMESTAMPS.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(ISO8601_TIMESTAMPS.with(|flag| flag.replace(true)));
    f()
}

/// Whether [`with_iso8601_timestamps`] is running on this thread.
fn iso8601_timestamps() -> bool {
    ISO8601_TIMESTAMPS.with(Cell::get)
}

/// Serializes `value` in `format`: a number for epoch-seconds, else a string.
/// Inside [`with_iso8601_timestamps`], a `date-time` string.
fn serialize_with<S: Serializer>(value: &DateTime, format: TimestampFormat, serializer: S) -> Result<S::Ok, S::Error> {
    if iso8601_timestamps() {
        if let Ok(text) = value.format_date_time() {
            return serializer.serialize_str(&text);
        }
    }
    match format {
        TimestampFormat::EpochSeconds if value.subsec_nanos() == 0 => serializer.serialize_i64(value.secs()),
        TimestampFormat::EpochSeconds => serialize_number_text(&format_epoch_seconds(*value), serializer),
        _ => serializer.serialize_str(&value.format(format).map_err(ser::Error::custom)?),
    }
}

/// Deserializes a timestamp in `format`: a number for epoch-seconds, else a
/// string. Inside [`with_iso8601_timestamps`], also a number of epoch
/// seconds or a `date-time` string.
fn deserialize_with<'de, D: Deserializer<'de>>(format: TimestampFormat, deserializer: D) -> Result<DateTime, D::Error> {
    if iso8601_timestamps() {
        // A number or a string, then its type decides; numbers keep their text.
        let expecting = "a timestamp (ISO 8601 string or epoch seconds)";
        return deserialize_literal(deserializer, &expecting, true, |literal| {
            match literal {
                Literal::Number(text) => parse_epoch_seconds(text),
                Literal::String(text) => match DateTime::parse(text, TimestampFormat::DateTime) {
                    Err(_) if format == TimestampFormat::HttpDate => DateTime::parse(text, format),
                    parsed => parsed,
                },
            }
            .map_err(|err| err.to_string())
        });
    }
    match format {
        // The number's text is parsed exactly in decimal, never through an f64.
        TimestampFormat::EpochSeconds => deserialize_number(deserializer, &"a JSON number of epoch seconds", |text| {
            parse_epoch_seconds(text).map_err(|err| err.to_string())
        }),
        _ => deserializer.deserialize_str(StrVisitor(format)),
    }
}

/// Reads a timestamp string in the given format.
struct StrVisitor(TimestampFormat);

impl Visitor<'_> for StrVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} timestamp string", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        DateTime::parse(v, self.0).map_err(E::custom)
    }
}

/// Serializes a timestamp in a given format (for `serialize_some`).
struct Formatted<'a>(&'a DateTime, TimestampFormat);

impl Serialize for Formatted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_with(self.0, self.1, serializer)
    }
}

/// Reads an optional timestamp in a given format.
struct OptionVisitor(TimestampFormat);

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Option<DateTime>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "null or a {} timestamp", self.0)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserialize_with(self.0, deserializer).map(Some)
    }
}

fn serialize_option<S: Serializer>(
    value: &Option<DateTime>,
    format: TimestampFormat,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.serialize_some(&Formatted(value, format)),
        None => serializer.serialize_none(),
    }
}

fn deserialize_option<'de, D: Deserializer<'de>>(
    format: TimestampFormat,
    deserializer: D,
) -> Result<Option<DateTime>, D::Error> {
    deserializer.deserialize_option(OptionVisitor(format))
}

/// The format a [`TimestampValues`] code stands for: 0 epoch seconds, 1 date-time, 2 http-date.
const fn format_of(code: u8) -> TimestampFormat {
    match code {
        0 => TimestampFormat::EpochSeconds,
        1 => TimestampFormat::DateTime,
        _ => TimestampFormat::HttpDate,
    }
}

/// Values holding timestamps (a [`DateTime`], or options, lists and maps of them), written in
/// the format with code `F` (0 epoch seconds, 1 date-time, 2 http-date); used by the
/// `nested` modules of [`serde_with_format`].
pub trait TimestampValues: Sized {
    /// Writes the value with every timestamp in format `F`.
    fn serialize_in<const F: u8, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value with every timestamp in format `F`.
    fn deserialize_in<'de, const F: u8, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Adapts a [`TimestampValues`] to serde's traits (inside collections and union variants),
/// writing and reading its timestamps in the format with code `F`.
pub struct InFormat<T, const F: u8>(pub T);

impl<T: TimestampValues, const F: u8> Serialize for InFormat<&T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_in::<F, S>(serializer)
    }
}

impl<'de, T: TimestampValues, const F: u8> Deserialize<'de> for InFormat<T, F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_in::<F, D>(deserializer).map(InFormat)
    }
}

impl TimestampValues for DateTime {
    fn serialize_in<const F: u8, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_with(self, format_of(F), serializer)
    }
    fn deserialize_in<'de, const F: u8, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_with(format_of(F), deserializer)
    }
}

impl<T: TimestampValues> TimestampValues for Option<T> {
    fn serialize_in<const F: u8, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&InFormat::<&T, F>(value)),
            None => serializer.serialize_none(),
        }
    }
    fn deserialize_in<'de, const F: u8, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<InFormat<T, F>>::deserialize(deserializer)?.map(|w| w.0))
    }
}

impl<T: TimestampValues> TimestampValues for Vec<T> {
    fn serialize_in<const F: u8, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(InFormat::<&T, F>))
    }
    fn deserialize_in<'de, const F: u8, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<InFormat<T, F>>::deserialize(deserializer)?.into_iter().map(|w| w.0).collect())
    }
}

impl<K, T> TimestampValues for std::collections::HashMap<K, T>
where
    K: Serialize + serde::de::DeserializeOwned + Eq + std::hash::Hash,
    T: TimestampValues,
{
    fn serialize_in<const F: u8, S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, InFormat::<&T, F>(v))))
    }
    fn deserialize_in<'de, const F: u8, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = std::collections::HashMap::<K, InFormat<T, F>>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|(k, w)| (k, w.0)).collect())
    }
}

/// `#[serde(with = "...")]` helpers for [`DateTime`] members that carry a
/// Smithy `timestampFormat`.
///
/// ```text
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Example {
///     #[serde(with = "crate::primitives::serde_with_format::date_time")]
///     created: DateTime,
///     #[serde(
///         default,
///         skip_serializing_if = "Option::is_none",
///         with = "crate::primitives::serde_with_format::http_date::option"
///     )]
///     expires: Option<DateTime>,
/// }
/// ```
///
/// The `option` modules read JSON `null` as `None` and write `None` as
/// `null`; pair them with `skip_serializing_if = "Option::is_none"` to leave
/// the member out instead, and with `default` so a missing member is `None`.
pub mod serde_with_format {
    /// Epoch seconds as an exact JSON number (the same as the default
    /// [`DateTime`](super::DateTime) serde implementation).
    pub mod epoch_seconds {
        use super::super::{deserialize_with, serialize_with, DateTime, TimestampFormat};
        use serde::{Deserializer, Serializer};

        /// Writes `value` as an exact JSON number of epoch seconds.
        pub fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_with(value, TimestampFormat::EpochSeconds, serializer)
        }

        /// Reads a JSON number of epoch seconds exactly.
        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
            deserialize_with(TimestampFormat::EpochSeconds, deserializer)
        }

        /// The same for `Option<DateTime>`; `null` is `None`.
        pub mod option {
            use super::super::super::{deserialize_option, serialize_option, DateTime, TimestampFormat};
            use serde::{Deserializer, Serializer};

            /// Writes `Some` as an exact JSON number of epoch seconds and
            /// `None` as `null`.
            pub fn serialize<S: Serializer>(value: &Option<DateTime>, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_option(value, TimestampFormat::EpochSeconds, serializer)
            }

            /// Reads `null` as `None`, else a JSON number of epoch seconds.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime>, D::Error> {
                deserialize_option(TimestampFormat::EpochSeconds, deserializer)
            }
        }
    }

    /// RFC 3339 date-time strings, e.g. `"2019-12-16T23:48:18Z"`.
    pub mod date_time {
        use super::super::{deserialize_with, serialize_with, DateTime, TimestampFormat};
        use serde::{Deserializer, Serializer};

        /// Writes `value` as a UTC RFC 3339 string; fails outside years
        /// 0000-9999.
        pub fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_with(value, TimestampFormat::DateTime, serializer)
        }

        /// Reads an RFC 3339 string (any offset).
        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
            deserialize_with(TimestampFormat::DateTime, deserializer)
        }

        /// The same for `Option<DateTime>`; `null` is `None`.
        pub mod option {
            use super::super::super::{deserialize_option, serialize_option, DateTime, TimestampFormat};
            use serde::{Deserializer, Serializer};

            /// Writes `Some` as a UTC RFC 3339 string and `None` as `null`.
            pub fn serialize<S: Serializer>(value: &Option<DateTime>, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_option(value, TimestampFormat::DateTime, serializer)
            }

            /// Reads `null` as `None`, else an RFC 3339 string.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime>, D::Error> {
                deserialize_option(TimestampFormat::DateTime, deserializer)
            }
        }
        /// The same for timestamps inside lists, maps and options (`Vec<DateTime>`,
        /// `HashMap<String, Vec<DateTime>>`, ...): each timestamp as RFC 3339 strings.
        pub mod nested {
            use super::super::super::TimestampValues;
            use serde::{Deserializer, Serializer};

            /// Writes every timestamp in `value` as RFC 3339 strings.
            pub fn serialize<T: TimestampValues, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
                value.serialize_in::<1, S>(serializer)
            }

            /// Reads every timestamp in the value from RFC 3339 strings.
            pub fn deserialize<'de, T: TimestampValues, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
                T::deserialize_in::<1, D>(deserializer)
            }
        }
    }

    /// HTTP-date strings, e.g. `"Mon, 16 Dec 2019 23:48:18 GMT"`.
    pub mod http_date {
        use super::super::{deserialize_with, serialize_with, DateTime, TimestampFormat};
        use serde::{Deserializer, Serializer};

        /// Writes `value` as an IMF-fixdate string (dropping the fraction of
        /// a second); fails outside years 0000-9999.
        pub fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_with(value, TimestampFormat::HttpDate, serializer)
        }

        /// Reads an HTTP-date string (fractional seconds allowed).
        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
            deserialize_with(TimestampFormat::HttpDate, deserializer)
        }

        /// The same for `Option<DateTime>`; `null` is `None`.
        pub mod option {
            use super::super::super::{deserialize_option, serialize_option, DateTime, TimestampFormat};
            use serde::{Deserializer, Serializer};

            /// Writes `Some` as an IMF-fixdate string and `None` as `null`.
            pub fn serialize<S: Serializer>(value: &Option<DateTime>, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_option(value, TimestampFormat::HttpDate, serializer)
            }

            /// Reads `null` as `None`, else an HTTP-date string.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime>, D::Error> {
                deserialize_option(TimestampFormat::HttpDate, deserializer)
            }
        }
        /// The same for timestamps inside lists, maps and options (`Vec<DateTime>`,
        /// `HashMap<String, Vec<DateTime>>`, ...): each timestamp as HTTP-date strings.
        pub mod nested {
            use super::super::super::TimestampValues;
            use serde::{Deserializer, Serializer};

            /// Writes every timestamp in `value` as HTTP-date strings.
            pub fn serialize<T: TimestampValues, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
                value.serialize_in::<2, S>(serializer)
            }

            /// Reads every timestamp in the value from HTTP-date strings.
            pub fn deserialize<'de, T: TimestampValues, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
                T::deserialize_in::<2, D>(deserializer)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{DateTimeError, Document};
    use std::error::Error;

    type TestResult = Result<(), Box<dyn Error>>;

    fn epoch(s: &str) -> Result<DateTime, DateTimeError> {
        DateTime::parse(s, TimestampFormat::EpochSeconds)
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Stamped {
        t: DateTime,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Formats {
        #[serde(with = "serde_with_format::epoch_seconds")]
        epoch: DateTime,
        #[serde(with = "serde_with_format::date_time")]
        date_time: DateTime,
        #[serde(with = "serde_with_format::http_date")]
        http_date: DateTime,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_with_format::epoch_seconds::option")]
        opt_epoch: Option<DateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_with_format::date_time::option")]
        opt_date_time: Option<DateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_with_format::http_date::option")]
        opt_http_date: Option<DateTime>,
    }

    #[test]
    fn iso8601_timestamps_switch_is_scoped() -> TestResult {
        let t = epoch("1700000000.123")?;
        let formats = Formats {
            epoch: t,
            date_time: t,
            http_date: DateTime::from_secs(1_700_000_000),
            opt_epoch: Some(t),
            opt_date_time: None,
            opt_http_date: Some(DateTime::from_secs(1_700_000_000)),
        };
        let wire = serde_json::to_string(&formats)?;
        let shown = with_iso8601_timestamps(|| serde_json::to_string(&formats))?;
        assert_eq!(
            shown,
            r#"{"epoch":"2023-11-14T22:13:20.123Z","date_time":"2023-11-14T22:13:20.123Z","http_date":"2023-11-14T22:13:20Z","opt_epoch":"2023-11-14T22:13:20.123Z","opt_http_date":"2023-11-14T22:13:20Z"}"#
        );
        // Restored afterwards, also after a panic inside.
        assert_eq!(serde_json::to_string(&formats)?, wire);
        assert!(std::panic::catch_unwind(|| with_iso8601_timestamps(|| panic!("boom"))).is_err());
        assert_eq!(serde_json::to_string(&Stamped { t })?, r#"{"t":1700000000.123}"#);
        // Nested calls keep the switch on until the outer one ends.
        let nested = with_iso8601_timestamps(|| {
            with_iso8601_timestamps(|| ());
            serde_json::to_string(&Stamped { t })
        })?;
        assert_eq!(nested, r#"{"t":"2023-11-14T22:13:20.123Z"}"#);
        // Other threads are unaffected.
        let other =
            with_iso8601_timestamps(|| std::thread::spawn(move || serde_json::to_string(&Stamped { t })).join());
        assert_eq!(other.map_err(|_| "thread panicked")??, r#"{"t":1700000000.123}"#);
        // Years the text form cannot show stay epoch seconds.
        let far = Stamped { t: DateTime::from_secs(-62_167_219_201) };
        assert_eq!(with_iso8601_timestamps(|| serde_json::to_string(&far))?, r#"{"t":-62167219201}"#);

        // Reading accepts text, epoch seconds and each member's own format.
        let read: Stamped =
            with_iso8601_timestamps(|| serde_json::from_str(r#"{"t":"2023-11-14T23:13:20.123+01:00"}"#))?;
        assert_eq!(read.t, t);
        let read: Stamped = with_iso8601_timestamps(|| serde_json::from_str(r#"{"t":1700000000.123}"#))?;
        assert_eq!(read.t, t);
        let read: Formats = with_iso8601_timestamps(|| serde_json::from_str(&wire))?;
        assert_eq!(read, formats);
        let read: Formats = with_iso8601_timestamps(|| serde_json::from_str(&shown))?;
        assert_eq!(read, formats);
        let read: Formats = with_iso8601_timestamps(|| {
            serde_json::from_str(
                r#"{"epoch":1700000000.123,"date_time":1700000000.123,"http_date":"Tue, 14 Nov 2023 22:13:20 GMT","opt_epoch":null}"#,
            )
        })?;
        assert_eq!((read.date_time, read.http_date, read.opt_epoch), (t, DateTime::from_secs(1_700_000_000), None));
        let err = with_iso8601_timestamps(|| serde_json::from_str::<Stamped>(r#"{"t":"yesterday"}"#)).err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("invalid date-time `yesterday`"), "{message}");
        let err = with_iso8601_timestamps(|| serde_json::from_str::<Stamped>(r#"{"t":true}"#)).err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("invalid type: boolean `true`, expected a timestamp"), "{message}");
        // Outside the switch, text is still rejected where the wire wants a number.
        assert!(serde_json::from_str::<Stamped>(r#"{"t":"2023-11-14T22:13:20Z"}"#).is_err());
        Ok(())
    }

    #[test]
    fn json_epoch_seconds_are_exact() -> TestResult {
        for json in [
            r#"{"t":1515531081.123}"#,
            r#"{"t":0}"#,
            r#"{"t":-1.5}"#,
            r#"{"t":1.000000001}"#,
            r#"{"t":253402300799}"#,
            r#"{"t":-9223372036854775808}"#,
            r#"{"t":9223372036854775807.999999999}"#,
        ] {
            let value: Stamped = serde_json::from_str(json)?;
            assert_eq!(serde_json::to_string(&value)?, json);
        }
        let value: Stamped = serde_json::from_str(r#"{"t":1.515531081123E9}"#)?;
        assert_eq!(serde_json::to_string(&value)?, r#"{"t":1515531081.123}"#);
        // Through a Value, which holds an f64: written back in the shortest form that reads as
        // the same f64, so a millisecond fraction survives.
        let value: Document = serde_json::from_str(r#"{"t":1515531081.123}"#)?;
        let stamped: Stamped = serde_json::from_value(value)?;
        assert_eq!(stamped.t, epoch("1515531081.123")?);
        let value = serde_json::to_value(&stamped)?;
        assert_eq!(value.to_string(), r#"{"t":1515531081.123}"#);
        // Plain numeric visitors (no JSON text available).
        use serde::de::value::{Error as ValueError, F64Deserializer, I64Deserializer, U64Deserializer};
        let t = DateTime::deserialize(I64Deserializer::<ValueError>::new(-3))?;
        assert_eq!(t, DateTime::from_secs(-3));
        let t = DateTime::deserialize(U64Deserializer::<ValueError>::new(7))?;
        assert_eq!(t, DateTime::from_secs(7));
        let t = DateTime::deserialize(F64Deserializer::<ValueError>::new(1_515_531_081.123))?;
        assert_eq!(t, epoch("1515531081.123")?);
        Ok(())
    }

    #[test]
    fn json_epoch_seconds_rejects_bad_input() {
        for json in [
            r#"{"t":"1515531081"}"#,
            r#"{"t":"2019-12-16T23:48:18Z"}"#,
            r#"{"t":1e400}"#,
            r#"{"t":99999999999999999999999999}"#,
            r#"{"t":null}"#,
            r#"{"t":true}"#,
            r#"{"t":[]}"#,
        ] {
            assert!(serde_json::from_str::<Stamped>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn json_with_formats() -> TestResult {
        let json = concat!(
            r#"{"epoch":1576540098.52,"date_time":"2019-12-16T23:48:18.52Z","#,
            r#""http_date":"Mon, 16 Dec 2019 23:48:18 GMT","opt_epoch":-1.5,"#,
            r#""opt_date_time":"1969-12-31T23:59:58.5Z","#,
            r#""opt_http_date":"Wed, 31 Dec 1969 23:59:58 GMT"}"#
        );
        let value: Formats = serde_json::from_str(json)?;
        assert_eq!(value.epoch, value.date_time);
        assert_eq!(value.http_date, DateTime::from_secs(1_576_540_098));
        assert_eq!(value.opt_epoch, value.opt_date_time);
        assert_eq!(serde_json::to_string(&value)?, json);

        let sparse = r#"{"epoch":0,"date_time":"1970-01-01T00:00:00Z","http_date":"Thu, 01 Jan 1970 00:00:00 GMT"}"#;
        let value: Formats = serde_json::from_str(sparse)?;
        assert_eq!(value.opt_epoch, None);
        assert_eq!(serde_json::to_string(&value)?, sparse);
        let nulls = r#"{"epoch":0,"date_time":"1970-01-01T00:00:00Z","http_date":"Thu, 01 Jan 1970 00:00:00 GMT","opt_epoch":null,"opt_date_time":null,"opt_http_date":null}"#;
        let value: Formats = serde_json::from_str(nulls)?;
        assert_eq!(value.opt_http_date, None);
        assert_eq!(serde_json::to_string(&value)?, sparse);

        for bad in [
            r#"{"epoch":0,"date_time":0,"http_date":"Thu, 01 Jan 1970 00:00:00 GMT"}"#,
            r#"{"epoch":0,"date_time":"1970-01-01T00:00:00Z","http_date":"1970-01-01T00:00:00Z"}"#,
            r#"{"epoch":0,"date_time":"2019-02-30T00:00:00Z","http_date":"Thu, 01 Jan 1970 00:00:00 GMT"}"#,
        ] {
            assert!(serde_json::from_str::<Formats>(bad).is_err(), "{bad}");
        }
        // Out-of-range years cannot be written as strings.
        let far = Formats {
            epoch: DateTime::from_secs(i64::MAX),
            date_time: DateTime::from_secs(i64::MAX),
            http_date: DateTime::UNIX_EPOCH,
            opt_epoch: None,
            opt_date_time: None,
            opt_http_date: None,
        };
        assert!(serde_json::to_string(&far).is_err());
        Ok(())
    }
}
