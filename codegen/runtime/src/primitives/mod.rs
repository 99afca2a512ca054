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
//! * [`with_iso8601_timestamps`] switches, for one closure on one thread,
//!   every timestamp to the ISO 8601 text form people read and type (as the
//!   AWS CLI prints them); the command-line front end uses it.
//!
//! Nothing in this module panics on malformed input: every parser returns an
//! error ([`DateTimeError`] or [`ParseNumberError`]) that names the input and
//! what is wrong with it.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{self, Serializer};
use serde::{Deserialize, Serialize};

/// Nanoseconds in one second.
const NANOS_PER_SEC: u32 = 1_000_000_000;
/// Seconds in one (leap-second free) day.
const SECS_PER_DAY: i64 = 86_400;
/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
/// Longest excerpt of an input quoted in an error message.
const MAX_QUOTED_INPUT: usize = 64;
/// Exponents are clamped to this magnitude while parsing; anything this large
/// is out of range (or rounds to zero) anyway.
const EXPONENT_CLAMP: i64 = 1_000_000_000_000;

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

/// Writes `nanos` (less than one second) as a fraction without the leading
/// `.` and without trailing zeros, e.g. `123` for 123 000 000 ns.
fn push_fraction(out: &mut String, nanos: u32) {
    let digits = format!("{nanos:09}");
    out.push_str(digits.trim_end_matches('0'));
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// TimestampFormat
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// DateTime
// ---------------------------------------------------------------------------

/// A Smithy `timestamp`: an instant as whole seconds since the Unix epoch
/// (1970-01-01T00:00:00Z) plus a nanosecond fraction.
///
/// The fraction always counts forward from `secs()`, so 1.5 seconds before
/// the epoch is `secs() == -2` and `subsec_nanos() == 500_000_000`. The
/// derived ordering is therefore chronological. `Default` is the Unix epoch.
///
/// With serde, a `DateTime` is an exact JSON number of epoch seconds (e.g.
/// `1515531081.123`); use the modules in [`serde_with_format`] for members
/// with another `timestampFormat`.
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

    /// Splits into calendar date and time of day, or explains why not.
    fn civil(&self, format: TimestampFormat) -> Result<(time::Date, u32, u32, u32), DateTimeError> {
        let out_of_range = || {
            DateTimeError::other(format!(
                "cannot format timestamp `{}` as {format}: year out of range (0000-9999)",
                format_epoch_seconds(*self)
            ))
        };
        let days = self.seconds.div_euclid(SECS_PER_DAY);
        let second_of_day = self.seconds.rem_euclid(SECS_PER_DAY);
        // `days` is at most about 1.1e14 in magnitude, so this cannot overflow.
        let julian_day = i32::try_from(days + UNIX_EPOCH_JULIAN_DAY).map_err(|_| out_of_range())?;
        let date = time::Date::from_julian_day(julian_day).map_err(|_| out_of_range())?;
        if !(0..=9999).contains(&date.year()) {
            return Err(out_of_range());
        }
        let second_of_day = u32::try_from(second_of_day).map_err(|_| out_of_range())?;
        Ok((date, second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60))
    }

    fn format_date_time(&self) -> Result<String, DateTimeError> {
        let (date, hour, minute, second) = self.civil(TimestampFormat::DateTime)?;
        let mut out = format!(
            "{:04}-{:02}-{:02}T{hour:02}:{minute:02}:{second:02}",
            date.year(),
            u8::from(date.month()),
            date.day(),
        );
        if self.subsec_nanos != 0 {
            out.push('.');
            push_fraction(&mut out, self.subsec_nanos);
        }
        out.push('Z');
        Ok(out)
    }

    fn format_http_date(&self) -> Result<String, DateTimeError> {
        let (date, hour, minute, second) = self.civil(TimestampFormat::HttpDate)?;
        Ok(format!(
            "{}, {:02} {} {:04} {hour:02}:{minute:02}:{second:02} GMT",
            weekday_name(date.weekday()),
            date.day(),
            month_name(date.month()),
            date.year(),
        ))
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

// ---------------------------------------------------------------------------
// epoch-seconds
// ---------------------------------------------------------------------------

/// Formats exact epoch seconds: `1515531081`, `1515531081.123`, `-1.5`.
fn format_epoch_seconds(value: DateTime) -> String {
    if value.subsec_nanos == 0 {
        return value.seconds.to_string();
    }
    let mut out = String::new();
    let (whole, nanos) = if value.seconds >= 0 {
        (i128::from(value.seconds), value.subsec_nanos)
    } else {
        // secs + nanos/1e9 == -((-secs - 1) + (1e9 - nanos)/1e9)
        out.push('-');
        (-i128::from(value.seconds) - 1, NANOS_PER_SEC - value.subsec_nanos)
    };
    out.push_str(&whole.to_string());
    out.push('.');
    push_fraction(&mut out, nanos);
    out
}

/// The value of decimal digit number `index` of the digit string
/// `int ++ frac`; positions outside it are zeros.
fn digit_at(int: &[u8], frac: &[u8], index: i64) -> u32 {
    let Ok(index) = usize::try_from(index) else {
        return 0;
    };
    let digit = if index < int.len() { int.get(index) } else { frac.get(index - int.len()) };
    digit.map_or(0, |d| u32::from(d.wrapping_sub(b'0')))
}

/// Parses `-?digits[.digits][(e|E)[+-]digits]` exactly, truncating digits
/// past the nanosecond toward zero.
fn parse_epoch_seconds(input: &str) -> Result<DateTime, DateTimeError> {
    let fail = |reason: &str| DateTimeError::invalid("epoch-seconds", input, reason);
    let bytes = input.as_bytes();
    if bytes.is_empty() {
        return Err(fail("empty input"));
    }
    let mut pos = 0;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        pos += 1;
    }
    let take_digits = |pos: &mut usize| {
        let start = *pos;
        while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        }
        bytes.get(start..*pos).unwrap_or(&[])
    };

    let int = take_digits(&mut pos);
    if int.is_empty() {
        return Err(fail("expected a decimal number of seconds"));
    }
    let mut frac: &[u8] = &[];
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        frac = take_digits(&mut pos);
        if frac.is_empty() {
            return Err(fail("expected digits after the decimal point"));
        }
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        let exponent_negative = match bytes.get(pos) {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        let digits = take_digits(&mut pos);
        if digits.is_empty() {
            return Err(fail("expected digits in the exponent"));
        }
        for d in digits {
            exponent = (exponent * 10 + i64::from(d - b'0')).min(EXPONENT_CLAMP);
        }
        if exponent_negative {
            exponent = -exponent;
        }
    }
    if pos != bytes.len() {
        return Err(fail("unexpected character after the number"));
    }

    // The value is 0.DDDD... * 10^point where D is `int ++ frac`.
    let Some(first_nonzero) = int.iter().chain(frac).position(|&d| d != b'0') else {
        return Ok(DateTime::UNIX_EPOCH);
    };
    let first_nonzero = i64::try_from(first_nonzero).map_err(|_| fail("out of range"))?;
    let point = i64::try_from(int.len()).map_err(|_| fail("out of range"))?.saturating_add(exponent);
    // More than 19 significant integer digits cannot fit in an i64.
    if point.saturating_sub(first_nonzero) > 19 {
        return Err(fail("out of range"));
    }
    let mut whole: i128 = 0;
    for index in first_nonzero..point {
        whole = whole * 10 + i128::from(digit_at(int, frac, index));
    }
    let mut nanos: u32 = 0;
    for offset in 0..9 {
        nanos = nanos * 10 + digit_at(int, frac, point.saturating_add(offset));
    }
    let (seconds, nanos) = match (negative, nanos) {
        (false, _) => (whole, nanos),
        (true, 0) => (-whole, 0),
        (true, _) => (-whole - 1, NANOS_PER_SEC - nanos),
    };
    let seconds = i64::try_from(seconds).map_err(|_| fail("out of range"))?;
    Ok(DateTime { seconds, subsec_nanos: nanos })
}

// ---------------------------------------------------------------------------
// date-time and http-date
// ---------------------------------------------------------------------------

/// Names of the days, Monday first.
const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Full names of the days, Monday first.
const LONG_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/// Names of the months, January first.
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn weekday_name(day: time::Weekday) -> &'static str {
    match day {
        time::Weekday::Monday => "Mon",
        time::Weekday::Tuesday => "Tue",
        time::Weekday::Wednesday => "Wed",
        time::Weekday::Thursday => "Thu",
        time::Weekday::Friday => "Fri",
        time::Weekday::Saturday => "Sat",
        time::Weekday::Sunday => "Sun",
    }
}

fn month_name(month: time::Month) -> &'static str {
    MONTHS.get(usize::from(u8::from(month)).wrapping_sub(1)).copied().unwrap_or("???")
}

/// A position in an ASCII input.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str) -> Self {
        Self { bytes: input.as_bytes(), pos: 0 }
    }

    fn is_done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `byte` or reports `reason`.
    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), &'static str> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(reason)
        }
    }

    /// Consumes `word` (ASCII case-insensitive) if it is next.
    fn eat_word(&mut self, word: &str) -> bool {
        let end = self.pos.saturating_add(word.len());
        match self.bytes.get(self.pos..end) {
            Some(next) if next.eq_ignore_ascii_case(word.as_bytes()) => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    /// Consumes a run of ASCII letters.
    fn letters(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or(&[])
    }

    /// Consumes between `min` and `max` decimal digits (as many as there
    /// are, up to `max`) and returns their value and count.
    fn number(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let mut value: u32 = 0;
        let mut count = 0;
        while count < max {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    value = value.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
                    self.pos += 1;
                    count += 1;
                }
                _ => break,
            }
        }
        (count >= min).then_some((value, count))
    }

    /// Consumes exactly `count` digits or reports `reason`.
    fn fixed(&mut self, count: usize, reason: &'static str) -> Result<u32, &'static str> {
        self.number(count, count).map(|(value, _)| value).ok_or(reason)
    }

    /// Consumes an optional `.digits` fraction as nanoseconds, truncating
    /// digits past the nanosecond.
    fn fraction(&mut self) -> Result<u32, &'static str> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let mut nanos: u32 = 0;
        let mut count: usize = 0;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            if count < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            count += 1;
            self.pos += 1;
        }
        if count == 0 {
            return Err("expected digits after the decimal point");
        }
        for _ in count.min(9)..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }

    /// Consumes `HH:MM:SS[.fraction]`.
    fn time_of_day(&mut self) -> Result<TimeOfDay, &'static str> {
        let hour = self.fixed(2, "expected a two-digit hour")?;
        self.expect(b':', "expected `:` after the hour")?;
        let minute = self.fixed(2, "expected two-digit minutes")?;
        self.expect(b':', "expected `:` after the minutes")?;
        let second = self.fixed(2, "expected two-digit seconds")?;
        let nanos = self.fraction()?;
        Ok(TimeOfDay { hour, minute, second, nanos })
    }

    /// Consumes a three-letter month name.
    fn month(&mut self) -> Result<u32, &'static str> {
        let name = self.letters();
        MONTHS
            .iter()
            .position(|m| m.as_bytes().eq_ignore_ascii_case(name))
            .and_then(|index| u32::try_from(index + 1).ok())
            .ok_or("invalid month name")
    }
}

/// A wall-clock time of day.
struct TimeOfDay {
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

/// Builds a timestamp from a calendar date, a time of day and the offset of
/// that wall clock from UTC, validating every field.
fn compose(
    year: u32,
    month: u32,
    day: u32,
    time_of_day: &TimeOfDay,
    offset_seconds: i64,
) -> Result<DateTime, &'static str> {
    let month = u8::try_from(month).ok().and_then(|m| time::Month::try_from(m).ok()).ok_or("month out of range")?;
    let year = i32::try_from(year).map_err(|_| "year out of range")?;
    let day = u8::try_from(day).map_err(|_| "day out of range for the month")?;
    let date = time::Date::from_calendar_date(year, month, day).map_err(|_| "day out of range for the month")?;
    let TimeOfDay { hour, minute, second, nanos } = *time_of_day;
    if hour > 23 {
        return Err("hour out of range");
    }
    if minute > 59 {
        return Err("minute out of range");
    }
    // A leap second can only be the last second of a minute.
    if second > 60 || (second == 60 && minute != 59) {
        return Err("second out of range");
    }
    let days = i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY;
    let seconds =
        days * SECS_PER_DAY + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second) - offset_seconds;
    Ok(DateTime { seconds, subsec_nanos: nanos })
}

/// Parses an RFC 3339 date-time.
fn parse_date_time(input: &str) -> Result<DateTime, &'static str> {
    if input.is_empty() {
        return Err("empty input");
    }
    let mut c = Cursor::new(input);
    let year = c.fixed(4, "expected a four-digit year")?;
    c.expect(b'-', "expected `-` after the year")?;
    let month = c.fixed(2, "expected a two-digit month")?;
    c.expect(b'-', "expected `-` after the month")?;
    let day = c.fixed(2, "expected a two-digit day")?;
    if !(c.eat(b'T') || c.eat(b't')) {
        return Err("expected `T` between the date and the time");
    }
    let time_of_day = c.time_of_day()?;
    let offset_seconds = if c.eat(b'Z') || c.eat(b'z') {
        0
    } else if let Some(sign @ (b'+' | b'-')) = c.peek() {
        c.pos += 1;
        let hours = c.fixed(2, "expected a two-digit offset hour")?;
        c.expect(b':', "expected `:` in the offset")?;
        let minutes = c.fixed(2, "expected two-digit offset minutes")?;
        if hours > 23 || minutes > 59 {
            return Err("offset out of range");
        }
        let magnitude = i64::from(hours * 3600 + minutes * 60);
        if sign == b'-' {
            -magnitude
        } else {
            magnitude
        }
    } else if c.is_done() {
        return Err("missing time zone offset (`Z` or `+HH:MM`)");
    } else {
        return Err("expected a time zone offset (`Z` or `+HH:MM`)");
    };
    if !c.is_done() {
        return Err("unexpected characters after the time zone offset");
    }
    compose(year, month, day, &time_of_day, offset_seconds)
}

/// Parses an RFC 7231 HTTP-date (IMF-fixdate, RFC 850 or asctime).
fn parse_http_date(input: &str) -> Result<DateTime, &'static str> {
    if input.is_empty() {
        return Err("empty input");
    }
    let mut c = Cursor::new(input);
    let name = c.letters();
    let is_short = SHORT_DAYS.iter().any(|d| d.as_bytes().eq_ignore_ascii_case(name));
    let is_long = LONG_DAYS.iter().any(|d| d.as_bytes().eq_ignore_ascii_case(name));
    const EXPECTED: &str = "expected a date like `Tue, 29 Apr 2014 18:30:38 GMT`";

    let comma = c.eat(b',');
    let (year, month, day, time_of_day) = if comma && is_short {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        c.expect(b' ', EXPECTED)?;
        let (day, _) = c.number(1, 2).ok_or("expected a two-digit day")?;
        c.expect(b' ', EXPECTED)?;
        let month = c.month()?;
        c.expect(b' ', EXPECTED)?;
        let year = c.fixed(4, "expected a four-digit year")?;
        c.expect(b' ', EXPECTED)?;
        let time_of_day = c.time_of_day()?;
        if !(c.eat(b' ') && c.eat_word("GMT")) {
            return Err("expected ` GMT` after the time");
        }
        (year, month, day, time_of_day)
    } else if comma && is_long {
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        c.expect(b' ', EXPECTED)?;
        let (day, _) = c.number(1, 2).ok_or("expected a two-digit day")?;
        c.expect(b'-', "expected `-` after the day")?;
        let month = c.month()?;
        c.expect(b'-', "expected `-` after the month")?;
        let year = match c.number(2, 4) {
            Some((yy, 2)) if yy >= 70 => 1900 + yy,
            Some((yy, 2)) => 2000 + yy,
            Some((yyyy, 4)) => yyyy,
            _ => return Err("expected a two-digit year"),
        };
        c.expect(b' ', EXPECTED)?;
        let time_of_day = c.time_of_day()?;
        if !(c.eat(b' ') && c.eat_word("GMT")) {
            return Err("expected ` GMT` after the time");
        }
        (year, month, day, time_of_day)
    } else if !comma && is_short && c.eat(b' ') {
        // asctime: Sun Nov  6 08:49:37 1994
        let month = c.month()?;
        c.expect(b' ', EXPECTED)?;
        let day = if c.eat(b' ') { c.fixed(1, "expected a day")? } else { c.number(1, 2).ok_or("expected a day")?.0 };
        c.expect(b' ', EXPECTED)?;
        let time_of_day = c.time_of_day()?;
        c.expect(b' ', EXPECTED)?;
        let year = c.fixed(4, "expected a four-digit year")?;
        (year, month, day, time_of_day)
    } else if !name.is_empty() && !is_short && !is_long {
        return Err("invalid day name");
    } else {
        return Err(EXPECTED);
    };
    if !c.is_done() {
        return Err("unexpected characters at the end");
    }
    compose(year, month, day, &time_of_day, 0)
}

// ---------------------------------------------------------------------------
// serde
// ---------------------------------------------------------------------------

impl Serialize for DateTime {
    /// Writes an exact JSON number of epoch seconds, e.g. `1515531081.123`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_with(self, TimestampFormat::EpochSeconds, serializer)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    /// Reads a JSON number of epoch seconds exactly. Strings are rejected.
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
        TimestampFormat::EpochSeconds if value.subsec_nanos == 0 => serializer.serialize_i64(value.seconds),
        TimestampFormat::EpochSeconds => format_epoch_seconds(*value)
            .parse::<serde_json::Number>()
            .map_err(ser::Error::custom)?
            .serialize(serializer),
        _ => serializer.serialize_str(&value.format(format).map_err(ser::Error::custom)?),
    }
}

/// Deserializes a timestamp in `format`: a number for epoch-seconds, else a
/// string. Inside [`with_iso8601_timestamps`], also a number of epoch
/// seconds or a `date-time` string.
fn deserialize_with<'de, D: Deserializer<'de>>(format: TimestampFormat, deserializer: D) -> Result<DateTime, D::Error> {
    if iso8601_timestamps() {
        // Any JSON value, then its type decides; `Value` keeps numbers exact
        // under `arbitrary_precision`.
        return match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Number(number) => parse_epoch_seconds(&number.to_string()).map_err(de::Error::custom),
            serde_json::Value::String(text) => match DateTime::parse(&text, TimestampFormat::DateTime) {
                Err(_) if format == TimestampFormat::HttpDate => DateTime::parse(&text, format),
                parsed => parsed,
            }
            .map_err(de::Error::custom),
            other => {
                Err(de::Error::invalid_type(unexpected(&other), &"a timestamp (ISO 8601 string or epoch seconds)"))
            }
        };
    }
    match format {
        TimestampFormat::EpochSeconds => {
            // Under serde_json's `arbitrary_precision` a Number keeps the
            // literal text, which is then parsed exactly.
            let number = serde_json::Number::deserialize(deserializer)?;
            parse_epoch_seconds(&number.to_string()).map_err(de::Error::custom)
        }
        _ => deserializer.deserialize_str(StrVisitor(format)),
    }
}

/// What a JSON value is, for an `invalid type` error.
fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(b) => de::Unexpected::Bool(*b),
        serde_json::Value::Number(_) => de::Unexpected::Other("number"),
        serde_json::Value::String(s) => de::Unexpected::Str(s),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
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

// ---------------------------------------------------------------------------
// Blob
// ---------------------------------------------------------------------------

/// A Smithy `blob`: opaque bytes, written in JSON as a standard (padded)
/// base64 string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// A blob holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self { inner: bytes.into() }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.inner
    }

    /// Takes the bytes out.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self { inner: bytes }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self { inner: bytes.to_vec() }
    }
}

impl From<&str> for Blob {
    /// The UTF-8 bytes of the string.
    fn from(text: &str) -> Self {
        Self { inner: text.as_bytes().to_vec() }
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.inner
    }
}

impl Serialize for Blob {
    /// Writes a standard, padded base64 string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.inner))
    }
}

impl<'de> Deserialize<'de> for Blob {
    /// Reads a standard, padded base64 string; anything else is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlobVisitor;

        impl Visitor<'_> for BlobVisitor {
            type Value = Blob;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map(Blob::from)
                    .map_err(|e| E::custom(format_args!("invalid base64 blob `{}`: {e}", quote(v))))
            }
        }

        deserializer.deserialize_str(BlobVisitor)
    }
}

// ---------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------

/// A Smithy `document`: an untyped JSON value.
///
/// With serde_json's `arbitrary_precision` feature, numbers inside keep their
/// exact literal text, so they round-trip without loss.
pub type Document = serde_json::Value;

// ---------------------------------------------------------------------------
// BigInteger and BigDecimal
// ---------------------------------------------------------------------------

/// Checks `input` against `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` (no
/// fraction or exponent unless `decimal`) and returns it in the spelling
/// serde_json keeps under `arbitrary_precision`: redundant leading zeros of the
/// integer part removed and the exponent written `e+N` or `e-N`.
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

/// Writes a validated number literal as an exact JSON number.
fn serialize_number<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    text.parse::<serde_json::Number>().map_err(ser::Error::custom)?.serialize(serializer)
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
            /// Writes the exact JSON number.
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_number(&self.0, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// Reads a JSON number, keeping its exact text.
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let number = serde_json::Number::deserialize(deserializer)?;
                number.to_string().parse().map_err(de::Error::custom)
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
     removed and the exponent spelled `e+N`/`e-N`, as serde_json keeps it).\n\nWith serde it is an exact JSON number; integer literals are \
     accepted. Equality compares the text, so `1.5` and `1.50` differ."
);

impl From<BigInteger> for BigDecimal {
    fn from(value: BigInteger) -> Self {
        Self(value.0)
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    type TestResult = Result<(), Box<dyn Error>>;

    fn epoch(s: &str) -> Result<DateTime, DateTimeError> {
        DateTime::parse(s, TimestampFormat::EpochSeconds)
    }

    fn dt(secs: i64, nanos: u32) -> Result<DateTime, DateTimeError> {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    #[test]
    fn epoch_seconds_round_trips_exactly() -> TestResult {
        for text in [
            "0",
            "1515531081",
            "1515531081.123",
            "-1.5",
            "-0.5",
            "1.000000001",
            "-1.000000001",
            "253402300799",
            "1576540098.52",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775807.999999999",
            "-9223372036854775807.000000001",
        ] {
            assert_eq!(epoch(text)?.format(TimestampFormat::EpochSeconds)?, text);
        }
        Ok(())
    }

    #[test]
    fn epoch_seconds_values() -> TestResult {
        assert_eq!(epoch("-1.5")?, dt(-2, 500_000_000)?);
        assert_eq!(epoch("1.000000001")?, dt(1, 1)?);
        assert_eq!(epoch("1515531081.123")?, dt(1_515_531_081, 123_000_000)?);
        assert_eq!(epoch("1.515531081123E9")?, dt(1_515_531_081, 123_000_000)?);
        assert_eq!(epoch("1515531081123e-3")?, dt(1_515_531_081, 123_000_000)?);
        assert_eq!(epoch("15e+1")?, DateTime::from_secs(150));
        assert_eq!(epoch("-0")?, DateTime::UNIX_EPOCH);
        assert_eq!(epoch("0e999999999999999999999")?, DateTime::UNIX_EPOCH);
        assert_eq!(epoch("1e-400")?, DateTime::UNIX_EPOCH);
        assert_eq!(epoch("007.25")?, dt(7, 250_000_000)?);
        // More than nine fractional digits are truncated toward zero.
        assert_eq!(epoch("1.1234567899")?, dt(1, 123_456_789)?);
        assert_eq!(epoch("-1.1234567899")?, dt(-2, 876_543_211)?);
        assert_eq!(epoch("1.0000000001")?, DateTime::from_secs(1));
        let zeros = format!("0.{}1", "0".repeat(10_000));
        assert_eq!(epoch(&zeros)?, DateTime::UNIX_EPOCH);
        let leading = format!("{}42", "0".repeat(10_000));
        assert_eq!(epoch(&leading)?, DateTime::from_secs(42));
        Ok(())
    }

    #[test]
    fn malformed_epoch_seconds_are_errors() {
        let huge = "9".repeat(10_000);
        for text in [
            "",
            "abc",
            "NaN",
            "nan",
            "inf",
            "-Infinity",
            "1e400",
            "-1e400",
            huge.as_str(),
            "9223372036854775808",
            "-9223372036854775808.5",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "1e+",
            "1.5.2",
            " 1",
            "1 ",
            "0x10",
            "2019-12-16T23:48:18Z",
        ] {
            assert!(epoch(text).is_err(), "{text:?} should be rejected");
        }
        let message = epoch(&huge).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with("invalid epoch-seconds `999"), "{message}");
        assert!(message.len() < 200, "message too long: {message}");
    }

    #[test]
    fn date_time_examples() -> TestResult {
        let t = DateTime::parse("2019-12-16T23:48:18Z", TimestampFormat::DateTime)?;
        assert_eq!(t, DateTime::from_secs(1_576_540_098));
        assert_eq!(t.format(TimestampFormat::DateTime)?, "2019-12-16T23:48:18Z");
        let t = DateTime::parse("2019-12-16T23:48:18.52Z", TimestampFormat::DateTime)?;
        assert_eq!(t, epoch("1576540098.52")?);
        assert_eq!(t.format(TimestampFormat::DateTime)?, "2019-12-16T23:48:18.52Z");
        let t = DateTime::parse("2000-01-02T20:34:56.123Z", TimestampFormat::DateTime)?;
        assert_eq!(t.format(TimestampFormat::EpochSeconds)?, "946845296.123");
        let cases = [
            ("2019-12-16t23:48:18z", "2019-12-16T23:48:18Z"),
            ("2019-12-17T00:48:18+01:00", "2019-12-16T23:48:18Z"),
            ("2019-12-16T18:18:18-05:30", "2019-12-16T23:48:18Z"),
            ("2019-12-16T23:48:18.520000000000Z", "2019-12-16T23:48:18.52Z"),
            ("2019-12-16T23:48:18.1234567899Z", "2019-12-16T23:48:18.123456789Z"),
            ("1969-12-31T23:59:58.5Z", "1969-12-31T23:59:58.5Z"),
            ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
            ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
            ("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z"),
            ("2020-02-29T00:00:00Z", "2020-02-29T00:00:00Z"),
        ];
        for (input, output) in cases {
            let t = DateTime::parse(input, TimestampFormat::DateTime)?;
            assert_eq!(t.format(TimestampFormat::DateTime)?, output, "{input}");
        }
        assert_eq!(DateTime::parse("1969-12-31T23:59:58.5Z", TimestampFormat::DateTime)?, epoch("-1.5")?);
        assert_eq!(DateTime::from_secs(253_402_300_799).format(TimestampFormat::DateTime)?, "9999-12-31T23:59:59Z");
        Ok(())
    }

    #[test]
    fn malformed_date_times_are_errors() {
        for text in [
            "",
            "abc",
            "2019-02-30T00:00:00Z",
            "2019-02-29T00:00:00Z",
            "2019-13-01T00:00:00Z",
            "2019-00-01T00:00:00Z",
            "2019-12-00T00:00:00Z",
            "2019-12-16T24:00:00Z",
            "2019-12-16T23:60:00Z",
            "2019-12-16T23:58:60Z",
            "2019-12-16T23:48:61Z",
            "2019-12-16T23:48:18",
            "2019-12-16T23:48:18.Z",
            "2019-12-16T23:48:18+0100",
            "2019-12-16T23:48:18+24:00",
            "2019-12-16 23:48:18Z",
            "2019-12-16",
            "2019-12-16T23:48Z",
            "2019-12-16T23:48:18ZZ",
            "19-12-16T23:48:18Z",
            "+2019-12-16T23:48:18Z",
            "2019-12-16T23:48:18.123",
            "Mon, 16 Dec 2019 23:48:18 GMT",
            "1576540098",
            "２019-12-16T23:48:18Z",
        ] {
            assert!(DateTime::parse(text, TimestampFormat::DateTime).is_err(), "{text:?} should be rejected");
        }
        let message = DateTime::parse("2019-13-01T00:00:00Z", TimestampFormat::DateTime).err().map(|e| e.to_string());
        assert_eq!(message.as_deref(), Some("invalid date-time `2019-13-01T00:00:00Z`: month out of range"));
        let message = DateTime::parse("2019-02-30T00:00:00Z", TimestampFormat::DateTime).err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("invalid date-time `2019-02-30T00:00:00Z`: day out of range for the month")
        );
    }

    #[test]
    fn out_of_range_years_do_not_format() {
        for t in [
            DateTime::from_secs(253_402_300_800),
            DateTime::from_secs(-62_167_219_201),
            DateTime::from_secs(i64::MAX),
            DateTime::from_secs(i64::MIN),
        ] {
            assert!(t.format(TimestampFormat::DateTime).is_err());
            assert!(t.format(TimestampFormat::HttpDate).is_err());
            assert!(t.format(TimestampFormat::EpochSeconds).is_ok());
            assert!(!t.to_string().is_empty());
        }
    }

    #[test]
    fn http_date_examples() -> TestResult {
        let t = DateTime::from_secs(1_576_540_098);
        assert_eq!(t.format(TimestampFormat::HttpDate)?, "Mon, 16 Dec 2019 23:48:18 GMT");
        let cases = [
            ("Mon, 16 Dec 2019 23:48:18 GMT", "1576540098"),
            ("Tue, 29 Apr 2014 18:30:38 GMT", "1398796238"),
            ("Tue, 29 Apr 2014 18:30:38.123 GMT", "1398796238.123"),
            ("Sun, 02 Jan 2000 20:34:56.456 GMT", "946845296.456"),
            ("tue, 29 apr 2014 18:30:38 gmt", "1398796238"),
            ("Tue, 9 Apr 2014 18:30:38 GMT", "1397068238"),
            ("Tuesday, 29-Apr-14 18:30:38 GMT", "1398796238"),
            ("Sunday, 06-Nov-94 08:49:37 GMT", "784111777"),
            ("Sun Nov  6 08:49:37 1994", "784111777"),
            ("Sun Nov 16 08:49:37 1994", "784975777"),
            ("Thu, 01 Jan 1970 00:00:00 GMT", "0"),
            ("Wed, 31 Dec 1969 23:59:58.5 GMT", "-1.5"),
            ("Fri, 31 Dec 9999 23:59:59 GMT", "253402300799"),
        ];
        for (input, seconds) in cases {
            let t = DateTime::parse(input, TimestampFormat::HttpDate)?;
            assert_eq!(t.format(TimestampFormat::EpochSeconds)?, seconds, "{input}");
        }
        // The fraction is dropped when formatting.
        assert_eq!(epoch("1398796238.999")?.format(TimestampFormat::HttpDate)?, "Tue, 29 Apr 2014 18:30:38 GMT");
        assert_eq!(epoch("-1.5")?.format(TimestampFormat::HttpDate)?, "Wed, 31 Dec 1969 23:59:58 GMT");
        Ok(())
    }

    #[test]
    fn malformed_http_dates_are_errors() {
        for text in [
            "",
            "abc",
            ",",
            "Mon",
            "Mon,",
            "Xyz, 16 Dec 2019 23:48:18 GMT",
            "Mon, 16 Dec 2019 23:48:18",
            "Mon, 16 Dec 2019 23:48:18 UTC",
            "Mon, 16 Dex 2019 23:48:18 GMT",
            "Mon, 30 Feb 2019 23:48:18 GMT",
            "Mon, 16 Dec 2019 24:48:18 GMT",
            "Mon, 16 Dec 19 23:48:18 GMT",
            "Mon, 16 Dec 2019 23:48:18 GMT ",
            "Mon, 16 Dec 2019 23:48:18. GMT",
            "Monday, 16 Dec 2019 23:48:18 GMT",
            "Mon, 16-Dec-19 23:48:18 GMT",
            "Mon Dec 16 23:48:18 19",
            "2019-12-16T23:48:18Z",
            "1576540098",
        ] {
            assert!(DateTime::parse(text, TimestampFormat::HttpDate).is_err(), "{text:?} should be rejected");
        }
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
        // Through a Value (numbers keep their text there too).
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

    #[test]
    fn blob_base64() -> TestResult {
        let blob = Blob::new("hello, world");
        assert_eq!(blob.as_ref(), b"hello, world");
        let json = serde_json::to_string(&blob)?;
        assert_eq!(json, r#""aGVsbG8sIHdvcmxk""#);
        let back: Blob = serde_json::from_str(&json)?;
        assert_eq!(back, blob);
        assert_eq!(back.into_inner(), b"hello, world".to_vec());
        let all: Vec<u8> = (0..=255).collect();
        let blob = Blob::from(all.as_slice());
        let back: Blob = serde_json::from_str(&serde_json::to_string(&blob)?)?;
        assert_eq!(back.as_bytes(), all.as_slice());
        assert_eq!(serde_json::to_string(&Blob::default())?, r#""""#);
        assert_eq!(serde_json::from_str::<Blob>(r#""""#)?, Blob::default());
        assert_eq!(Blob::from(vec![1, 2]), Blob::new([1u8, 2]));

        for bad in [r#""not base64!""#, r#""YmxvYg""#, r#""Ymxv=Yg==""#, "123", "null"] {
            assert!(serde_json::from_str::<Blob>(bad).is_err(), "{bad}");
        }
        let message = serde_json::from_str::<Blob>(r#""a*b=""#).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("invalid base64 blob `a*b=`"), "{message}");
        Ok(())
    }

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
        for text in ["-1E400", "1e5", "1.5E-3", "1e+2", "-0", "0.0", "1.0E400", "12e05"] {
            let number: serde_json::Number = text.parse()?;
            assert_eq!(text.parse::<BigDecimal>()?.as_str(), number.to_string());
        }

        let doc: Document =
            serde_json::from_str(r#"{"a":[1.00000000000000000000000000001e-5,123456789012345678901234567890]}"#)?;
        assert_eq!(doc.to_string(), r#"{"a":[1.00000000000000000000000000001e-5,123456789012345678901234567890]}"#);

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
}
