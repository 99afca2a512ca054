//! Timestamps as calendar text: RFC 3339 `date-time` (`2019-12-16T23:48:18Z`) and RFC 7231
//! `http-date` (`Mon, 16 Dec 2019 23:48:18 GMT`, also the obsolete RFC 850 and asctime forms),
//! formatted and parsed.

use super::{format_epoch_seconds, push_fraction, DateTime, DateTimeError, TimestampFormat};

/// Seconds in one (leap-second free) day.
const SECS_PER_DAY: i64 = 86_400;
/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

impl DateTime {
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

    pub(crate) fn format_date_time(&self) -> Result<String, DateTimeError> {
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

    pub(super) fn format_http_date(&self) -> Result<String, DateTimeError> {
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
pub(super) fn parse_date_time(input: &str) -> Result<DateTime, &'static str> {
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
pub(super) fn parse_http_date(input: &str) -> Result<DateTime, &'static str> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{epoch, TestResult};
    use super::*;

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
}
