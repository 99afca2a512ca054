//! [`DateTime`], a Smithy `timestamp` kept exactly to the nanosecond, its errors and its
//! textual forms ([`TimestampFormat`]): epoch seconds in `epoch_seconds`, RFC 3339 date-time and
//! RFC 7231 HTTP-date in `calendar`. Its serde implementations are in `serde_format`.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::quote;

mod calendar;
mod epoch_seconds;

use calendar::{parse_date_time, parse_http_date};
pub(crate) use epoch_seconds::{format_epoch_seconds, parse_epoch_seconds};

/// Nanoseconds in one second.
const NANOS_PER_SEC: u32 = 1_000_000_000;

/// Writes `nanos` (less than one second) as a fraction without the leading
/// `.` and without trailing zeros, e.g. `123` for 123 000 000 ns.
fn push_fraction(out: &mut String, nanos: u32) {
    let digits = format!("{nanos:09}");
    out.push_str(digits.trim_end_matches('0'));
}

/// An error parsing, formatting or converting a [`DateTime`] or a
/// [`TimestampFormat`].
///
/// Its message names the input and what is wrong with it, for example
/// ``invalid date-time `2019-13-01T00:00:00Z`: month out of range``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl DateTimeError {
    /// An error for an `input` that is not a valid `what`.
    fn invalid(what: &str, input: &str, reason: impl fmt::Display) -> Self {
        Self { message: format!("invalid {what} `{}`: {reason}", quote(input)) }
    }

    /// An error with a ready-made message.
    fn other(message: String) -> Self {
        Self { message }
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateTimeError {}

/// The textual form of a timestamp: the values of Smithy's `timestampFormat`
/// trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// `epoch-seconds`: seconds since the Unix epoch as a decimal number with
    /// an optional fraction, e.g. `1515531081.123`.
    EpochSeconds,
    /// `date-time`: an RFC 3339 date-time, e.g. `2019-12-16T23:48:18Z`.
    DateTime,
    /// `http-date`: an RFC 7231 IMF-fixdate, e.g.
    /// `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
}

impl TimestampFormat {
    /// The Smithy name of this format: `epoch-seconds`, `date-time` or
    /// `http-date`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::EpochSeconds => "epoch-seconds",
            Self::DateTime => "date-time",
            Self::HttpDate => "http-date",
        }
    }
}

impl fmt::Display for TimestampFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TimestampFormat {
    type Err = DateTimeError;

    /// Parses a Smithy `timestampFormat` value (`epoch-seconds`, `date-time`
    /// or `http-date`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "epoch-seconds" => Ok(Self::EpochSeconds),
            "date-time" => Ok(Self::DateTime),
            "http-date" => Ok(Self::HttpDate),
            _ => Err(DateTimeError::invalid(
                "timestamp format",
                s,
                "expected `epoch-seconds`, `date-time` or `http-date`",
            )),
        }
    }
}

/// A Smithy `timestamp`: an instant as whole seconds since the Unix epoch
/// (1970-01-01T00:00:00Z) plus a nanosecond fraction.
///
/// The fraction always counts forward from `secs()`, so 1.5 seconds before
/// the epoch is `secs() == -2` and `subsec_nanos() == 500_000_000`. The
/// derived ordering is therefore chronological. `Default` is the Unix epoch.
///
/// With serde, a `DateTime` is an exact JSON number of epoch seconds (e.g.
/// `1515531081.123`); use the modules in
/// [`serde_with_format`](crate::primitives::serde_with_format) for members with another
/// `timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

impl DateTime {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { seconds: 0, subsec_nanos: 0 };

    /// A timestamp `seconds` whole seconds after (or, if negative, before)
    /// the Unix epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        Self { seconds, subsec_nanos: 0 }
    }

    /// A timestamp `seconds` plus `subsec_nanos` nanoseconds after the Unix
    /// epoch; the nanoseconds count forward even when `seconds` is negative.
    ///
    /// Fails if `subsec_nanos` is not less than 1 000 000 000.
    pub fn from_secs_and_nanos(seconds: i64, subsec_nanos: u32) -> Result<Self, DateTimeError> {
        if subsec_nanos >= NANOS_PER_SEC {
            return Err(DateTimeError::invalid(
                "subsecond nanoseconds",
                &subsec_nanos.to_string(),
                "must be less than 1000000000",
            ));
        }
        Ok(Self { seconds, subsec_nanos })
    }

    /// A timestamp `millis` milliseconds after (or, if negative, before) the
    /// Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            seconds: millis.div_euclid(1000),
            // rem_euclid is in 0..1000, so this neither truncates nor overflows.
            subsec_nanos: millis.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// A timestamp from fractional epoch seconds.
    ///
    /// The value is taken as its shortest decimal representation (the one
    /// Rust prints, which reads back as the same `f64`), so
    /// `from_secs_f64(1515531081.123)` is exactly 123 ms past the second;
    /// digits past the nanosecond are truncated toward zero.
    ///
    /// Fails for NaN, infinities and values outside the `i64` seconds range.
    pub fn from_secs_f64(value: f64) -> Result<Self, DateTimeError> {
        if !value.is_finite() {
            return Err(DateTimeError::invalid("epoch-seconds", &value.to_string(), "not a finite number"));
        }
        parse_epoch_seconds(&value.to_string())
    }

    /// Whole seconds since the Unix epoch (rounded toward negative infinity).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`secs`](Self::secs), in `0..1_000_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the Unix epoch as the nearest `f64`.
    pub fn as_secs_f64(&self) -> f64 {
        // Parsing the exact decimal text rounds correctly, once.
        format_epoch_seconds(*self)
            .parse::<f64>()
            .unwrap_or_else(|_| self.seconds as f64 + f64::from(self.subsec_nanos) / 1e9)
    }

    /// Parses `input` in the given format.
    ///
    /// * With [`TimestampFormat::EpochSeconds`], `-?digits[.digits][(e|E)[+-]digits]`,
    ///   e.g. `1515531081`, `1515531081.123`, `-1.5`, `1.515531081123E9`.
    ///   Parsed exactly in decimal; digits past the nanosecond are truncated
    ///   toward zero.
    /// * With [`TimestampFormat::DateTime`], RFC 3339, e.g. `2019-12-16T23:48:18Z`,
    ///   `2019-12-16T23:48:18.123Z`, `2019-12-17T00:48:18+01:00`; `t` and `z`
    ///   may be lowercase; offsets are converted to UTC; a leap second
    ///   (`:60`, only at the end of a minute) is read as the next second.
    /// * With [`TimestampFormat::HttpDate`], RFC 7231 IMF-fixdate
    ///   `Mon, 16 Dec 2019 23:48:18 GMT`, optionally with fractional seconds
    ///   (`23:48:18.123`); also the obsolete RFC 850
    ///   (`Monday, 16-Dec-19 23:48:18 GMT`, two-digit years 70-99 are 19xx and
    ///   00-69 are 20xx) and asctime (`Mon Dec 16 23:48:18 2019`) forms. Names
    ///   are matched case-insensitively; the weekday is not cross-checked.
    pub fn parse(input: &str, format: TimestampFormat) -> Result<Self, DateTimeError> {
        match format {
            TimestampFormat::EpochSeconds => parse_epoch_seconds(input),
            TimestampFormat::DateTime => {
                parse_date_time(input).map_err(|reason| DateTimeError::invalid("date-time", input, reason))
            }
            TimestampFormat::HttpDate => {
                parse_http_date(input).map_err(|reason| DateTimeError::invalid("http-date", input, reason))
            }
        }
    }

    /// Formats this timestamp in the given format.
    ///
    /// * With [`TimestampFormat::EpochSeconds`], an integer when there is no
    ///   fraction, else the exact fraction with trailing zeros trimmed, e.g.
    ///   `1515531081.123` or `-1.5`. Never fails.
    /// * With [`TimestampFormat::DateTime`], UTC RFC 3339, e.g.
    ///   `2019-12-16T23:48:18Z` or `2019-12-16T23:48:18.52Z`.
    /// * With [`TimestampFormat::HttpDate`], IMF-fixdate, e.g.
    ///   `Mon, 16 Dec 2019 23:48:18 GMT`; the fraction of a second is dropped.
    ///
    /// `date-time` and `http-date` fail for years outside 0000-9999.
    pub fn format(&self, format: TimestampFormat) -> Result<String, DateTimeError> {
        match format {
            TimestampFormat::EpochSeconds => Ok(format_epoch_seconds(*self)),
            TimestampFormat::DateTime => self.format_date_time(),
            TimestampFormat::HttpDate => self.format_http_date(),
        }
    }
}

impl fmt::Display for DateTime {
    /// Writes the `date-time` form, or the `epoch-seconds` form when the year
    /// is outside 0000-9999.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format_date_time() {
            Ok(text) => f.write_str(&text),
            Err(_) => f.write_str(&format_epoch_seconds(*self)),
        }
    }
}

impl From<SystemTime> for DateTime {
    /// Converts a `SystemTime`, saturating at the `i64` seconds range.
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => {
                Self { seconds: i64::try_from(after.as_secs()).unwrap_or(i64::MAX), subsec_nanos: after.subsec_nanos() }
            }
            Err(before) => {
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => Self::from_secs(-whole),
                    nanos => Self { seconds: (-whole).saturating_sub(1), subsec_nanos: NANOS_PER_SEC - nanos },
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    /// Converts to a `SystemTime`; fails if the platform cannot represent it.
    fn try_from(value: DateTime) -> Result<Self, Self::Error> {
        let magnitude = Duration::from_secs(value.seconds.unsigned_abs());
        let whole =
            if value.seconds >= 0 { UNIX_EPOCH.checked_add(magnitude) } else { UNIX_EPOCH.checked_sub(magnitude) };
        whole.and_then(|t| t.checked_add(Duration::from_nanos(u64::from(value.subsec_nanos)))).ok_or_else(|| {
            DateTimeError::other(format!("timestamp `{}` is out of range for SystemTime", format_epoch_seconds(value)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    // Shared with the tests of `epoch_seconds` and `calendar`.
    pub(super) type TestResult = Result<(), Box<dyn Error>>;

    /// Parses epoch seconds.
    pub(super) fn epoch(s: &str) -> Result<DateTime, DateTimeError> {
        DateTime::parse(s, TimestampFormat::EpochSeconds)
    }

    /// A timestamp from seconds and nanoseconds.
    pub(super) fn dt(secs: i64, nanos: u32) -> Result<DateTime, DateTimeError> {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    #[test]
    fn timestamp_format_names() -> TestResult {
        for format in [TimestampFormat::EpochSeconds, TimestampFormat::DateTime, TimestampFormat::HttpDate] {
            assert_eq!(format.as_str().parse::<TimestampFormat>()?, format);
            assert_eq!(format.to_string(), format.as_str());
        }
        assert!("iso8601".parse::<TimestampFormat>().is_err());
        Ok(())
    }

    #[test]
    fn constructors_and_conversions() -> TestResult {
        assert_eq!(DateTime::default(), DateTime::UNIX_EPOCH);
        assert!(DateTime::from_secs_and_nanos(0, 1_000_000_000).is_err());
        assert_eq!(DateTime::from_millis(-1500), dt(-2, 500_000_000)?);
        assert_eq!(DateTime::from_millis(1_515_531_081_123), epoch("1515531081.123")?);
        assert_eq!(DateTime::from_secs_f64(-1.5)?, dt(-2, 500_000_000)?);
        assert_eq!(DateTime::from_secs_f64(1_515_531_081.123)?, epoch("1515531081.123")?);
        assert_eq!(DateTime::from_secs_f64(-0.0)?, DateTime::UNIX_EPOCH);
        assert_eq!(DateTime::from_secs_f64(1e-300)?, DateTime::UNIX_EPOCH);
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e19, -1e19, f64::MAX] {
            assert!(DateTime::from_secs_f64(bad).is_err(), "{bad}");
        }
        assert_eq!(epoch("-1.5")?.as_secs_f64(), -1.5);
        assert_eq!(epoch("1515531081.123")?.as_secs_f64(), 1_515_531_081.123);
        assert!(dt(-2, 500_000_000)? < dt(-1, 0)?);
        assert!(dt(-1, 999_999_999)? < DateTime::UNIX_EPOCH);

        for t in [epoch("1515531081.123")?, epoch("-1.5")?, DateTime::UNIX_EPOCH] {
            let system = SystemTime::try_from(t)?;
            assert_eq!(DateTime::from(system), t);
        }
        let before = UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(DateTime::from(before), epoch("-1.5")?);
        // Whether these fit is platform-dependent; they must not panic.
        let _ = SystemTime::try_from(DateTime::from_secs(i64::MAX));
        let _ = SystemTime::try_from(DateTime::from_secs(i64::MIN));
        let _ = SystemTime::try_from(dt(i64::MIN, 999_999_999)?);
        assert_eq!(DateTime::from_secs(1_576_540_098).to_string(), "2019-12-16T23:48:18Z");
        Ok(())
    }
}
