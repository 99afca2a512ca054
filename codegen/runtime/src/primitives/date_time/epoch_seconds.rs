//! Timestamps as epoch seconds (`1515531081.123`, `-1.5`, `1.515531081123E9`), formatted and
//! parsed exactly in decimal.

use super::{push_fraction, DateTime, DateTimeError, NANOS_PER_SEC};

/// Exponents are clamped to this magnitude while parsing; anything this large
/// is out of range (or rounds to zero) anyway.
const EXPONENT_CLAMP: i64 = 1_000_000_000_000;

/// Formats exact epoch seconds: `1515531081`, `1515531081.123`, `-1.5`.
pub(crate) fn format_epoch_seconds(value: DateTime) -> String {
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
pub(crate) fn parse_epoch_seconds(input: &str) -> Result<DateTime, DateTimeError> {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{dt, epoch, TestResult};
    use super::*;
    use crate::primitives::TimestampFormat;

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
}
