//! The canonical request and string to sign of SigV4, as for every service but S3 (path
//! normalized and encoded twice), written into a caller's buffer without intermediate strings.
//!
//! The rules are those of the SigV4 specification ("Create a canonical request"), with the
//! choices aws-sigv4 makes where the specification leaves room (which headers are never
//! signed, how a query string that is not valid UTF-8 once decoded is read).

use std::ops::Range;
use std::time::{SystemTime, UNIX_EPOCH};

use http::header::{HeaderMap, HeaderName, HOST};
use sha2::{Digest, Sha256};

use crate::error::call::ConstructionError;

/// The algorithm named in the string to sign and the `authorization` header.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers never signed, the set aws-sigv4 and the official SDKs leave out: `authorization`
/// is what signing produces, `user-agent` is rewritten by proxies, `x-amzn-trace-id` by
/// tracing, and `transfer-encoding` is hop by hop. Sorted.
const UNSIGNED_HEADERS: [&str; 4] = ["authorization", "transfer-encoding", "user-agent", "x-amzn-trace-id"];

const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";

/// The upper-case hex digits of percent-encoding (SigV4 requires upper case there).
const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
/// The lower-case hex digits of hashes and signatures.
const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// A signing time as `x-amz-date` writes it, `YYYYMMDD'T'HHMMSS'Z'` in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AmzDate([u8; 16]);

impl AmzDate {
    /// The `x-amz-date` of `time` (sub-seconds dropped), or `None` outside years 0000-9999.
    pub(crate) fn new(time: SystemTime) -> Option<Self> {
        let seconds = unix_seconds(time)?;
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        if !(0..=9999).contains(&year) {
            return None;
        }
        let second_of_day = seconds.rem_euclid(86_400);
        let mut text = [0u8; 16];
        put_digits(&mut text[0..4], year);
        put_digits(&mut text[4..6], month);
        put_digits(&mut text[6..8], day);
        text[8] = b'T';
        put_digits(&mut text[9..11], second_of_day / 3600);
        put_digits(&mut text[11..13], second_of_day / 60 % 60);
        put_digits(&mut text[13..15], second_of_day % 60);
        text[15] = b'Z';
        Some(Self(text))
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and letters are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// `YYYYMMDD`, the date of the credential scope.
    pub(crate) fn date(&self) -> &str {
        self.as_str().get(..8).unwrap_or_default()
    }
}

/// The whole seconds of `time` since 1970, rounded down (the second `AmzDate` writes).
pub(crate) fn unix_seconds(time: SystemTime) -> Option<i64> {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).ok(),
        // Before 1970: round down to the whole second.
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).ok()?;
            whole.checked_neg()?.checked_sub(i64::from(before.subsec_nanos() > 0))
        }
    }
}

/// Writes `value` (in `0..10^digits.len()`) as zero-padded decimal digits.
fn put_digits(digits: &mut [u8], mut value: i64) {
    for digit in digits.iter_mut().rev() {
        // `rem_euclid` keeps the digit in 0..10 whatever the value.
        *digit = b'0' + u8::try_from(value.rem_euclid(10)).unwrap_or(0);
        value /= 10;
    }
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// What a canonical request is built from.
pub(crate) struct CanonicalRequest<'a> {
    /// The HTTP method.
    pub(crate) method: &'a str,
    /// The path as sent, already percent-encoded once.
    pub(crate) path: &'a str,
    /// The query string as sent, without `?`.
    pub(crate) query: Option<&'a str>,
    /// The request's headers; every one is signed but [`UNSIGNED_HEADERS`].
    pub(crate) headers: &'a HeaderMap,
    /// The host to sign when `headers` has no `host` (see [`uri_host`]).
    pub(crate) host: Option<&'a str>,
    /// The signing time, signed as `x-amz-date` whatever `headers` holds.
    pub(crate) amz_date: &'a AmzDate,
    /// A session token to sign as `x-amz-security-token`, replacing any in `headers`.
    pub(crate) security_token: Option<&'a str>,
    /// The body, whose SHA-256 is the payload hash.
    pub(crate) payload: &'a [u8],
    /// A payload hash given in place of the body's (`x-amz-content-sha256`), e.g.
    /// `STREAMING-AWS4-HMAC-SHA256-EVENTS` for a body of signed event-stream messages.
    pub(crate) payload_hash: Option<&'a str>,
    /// Whether to remove `.`, `..` and empty segments from the path, as SigV4 requires of
    /// every service but S3 (the signer always does; the test suite has cases without).
    pub(crate) normalize_path: bool,
    /// Whether to URI-encode the (already encoded) path again, as SigV4 requires of every
    /// service but S3 (the signer always does; the test suite has cases without).
    pub(crate) double_encode_path: bool,
}

impl CanonicalRequest<'_> {
    /// Appends the canonical request to `out` and returns where in `out` its signed headers
    /// list (`host;x-amz-date;...`) is, for the `authorization` header.
    pub(crate) fn write(&self, out: &mut String) -> Result<Range<usize>, ConstructionError> {
        // CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
        //   CanonicalHeaders \n SignedHeaders \n HexEncode(Hash(RequestPayload))
        out.push_str(self.method);
        out.push('\n');
        match (self.normalize_path, self.double_encode_path) {
            (true, double) => push_normalized_path(out, self.path, double),
            (false, true) => push_encoded(out, self.path.as_bytes(), true),
            (false, false) => out.push_str(self.path),
        }
        out.push('\n');
        if let Some(query) = self.query {
            push_canonical_query(out, query);
        }
        out.push('\n');
        let signed = self.push_canonical_headers(out)?;
        out.push('\n');
        match self.payload_hash {
            Some(hash) => out.push_str(hash),
            None => push_hex(out, &Sha256::digest(self.payload)),
        }
        Ok(signed)
    }

    /// Appends `name:value\n` per signed header, sorted by name, a blank line and the signed
    /// header names joined by `;`; returns where those names are.
    fn push_canonical_headers(&self, out: &mut String) -> Result<Range<usize>, ConstructionError> {
        let has_host = self.headers.contains_key(HOST);
        // Each name with the request's own header name, so values are looked up without
        // parsing the name again; the signer's own headers have none.
        let mut names: Vec<(&str, Option<&HeaderName>)> = Vec::with_capacity(self.headers.keys_len() + 3);
        names
            .extend(self.headers.keys().map(|name| (name.as_str(), Some(name))).filter(|(name, _)| !is_unsigned(name)));
        if !has_host {
            names.push(("host", None));
        }
        names.push((X_AMZ_DATE, None));
        if self.security_token.is_some() {
            names.push((X_AMZ_SECURITY_TOKEN, None));
        }
        // Header names are already lower case (`http` keeps them so); SigV4 sorts them by
        // character code.
        names.sort_unstable_by_key(|(name, _)| *name);
        names.dedup_by_key(|(name, _)| *name);
        for &(name, header) in &names {
            out.push_str(name);
            out.push(':');
            match (name, self.security_token, header) {
                // Values the signer sets are signed as set, not trimmed (as aws-sigv4 does).
                (X_AMZ_DATE, _, _) => out.push_str(self.amz_date.as_str()),
                (X_AMZ_SECURITY_TOKEN, Some(token), _) => out.push_str(token),
                (_, _, Some(header)) => self.push_header_values(out, header)?,
                _ => {
                    let host = self.host.ok_or_else(|| {
                        ConstructionError::new(
                            "could not sign the request: its URI has no host and it has no `host` header",
                        )
                    })?;
                    out.push_str(host);
                }
            }
            out.push('\n');
        }
        out.push('\n');
        let start = out.len();
        for (index, (name, _)) in names.iter().enumerate() {
            if index > 0 {
                out.push(';');
            }
            out.push_str(name);
        }
        Ok(start..out.len())
    }

    /// Every value of `name` in order, each trimmed with inner runs of spaces collapsed to one
    /// (SigV4's `Trimall`; only spaces, not tabs), joined by `,`.
    fn push_header_values(&self, out: &mut String, name: &HeaderName) -> Result<(), ConstructionError> {
        for (index, value) in self.headers.get_all(name).iter().enumerate() {
            let value = std::str::from_utf8(value.as_bytes()).map_err(|_| {
                ConstructionError::new(format!("header `{name}` is not valid UTF-8 and cannot be signed"))
            })?;
            if index > 0 {
                out.push(',');
            }
            for (word_index, word) in value.split(' ').filter(|word| !word.is_empty()).enumerate() {
                if word_index > 0 {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
        Ok(())
    }
}

/// Whether a header is left out of the signature.
fn is_unsigned(name: &str) -> bool {
    UNSIGNED_HEADERS.binary_search(&name).is_ok()
}

/// The host to sign for a request sent to `uri`, as aws-sigv4 derives it: the authority, less
/// the port when it is the scheme's default (`https://h:443` signs `h`, `https://h:8443`
/// signs `h:8443`), since clients leave a default port out of the `Host` they send.
pub(crate) fn uri_host(uri: &http::Uri) -> Option<&str> {
    let authority = uri.authority()?;
    let default_port = matches!(
        (uri.scheme_str(), authority.port().as_ref().map(|port| port.as_str())),
        (Some("http"), Some("80")) | (Some("https"), Some("443"))
    );
    Some(if default_port { authority.host() } else { authority.as_str() })
}

/// The canonical URI: the path with dot segments and empty segments removed (RFC 3986
/// 5.2.4, as SigV4 normalizes for every service but S3), then, when `double_encode`, each
/// segment URI-encoded again (SigV4 encodes the already encoded path a second time for every
/// service but S3, so `%3D` becomes `%253D`).
///
/// Written straight into `out`: a `..` truncates `out` back to the previous `/`.
fn push_normalized_path(out: &mut String, path: &str, double_encode: bool) {
    let start = out.len();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if let Some(slash) = out[start..].rfind('/') {
                    out.truncate(start + slash);
                }
            }
            segment => {
                out.push('/');
                if double_encode {
                    push_encoded(out, segment.as_bytes(), false);
                } else {
                    out.push_str(segment);
                }
            }
        }
    }
    // A path ending in a slash, or in `.` or `..` that stand for a directory, keeps its
    // trailing slash; an empty result is `/`.
    let trailing = ["/", "/.", "/..", "/./", "/../"].iter().any(|end| path.ends_with(end));
    if out.len() == start || (trailing && !out.ends_with('/')) {
        out.push('/');
    }
}

/// The canonical query string: each parameter decoded as a form (`+` is a space), then
/// URI-encoded strictly, the pairs sorted by encoded name then value and joined by `&`; a
/// parameter without `=` has an empty value.
///
/// The pairs are first encoded at the end of `out`, then appended in sorted order and the
/// unsorted copy drained, so the sort needs no string per pair.
fn push_canonical_query(out: &mut String, query: &str) {
    let start = out.len();
    // (start of name, end of name, end of value) in `out`.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    let mut scratch = Vec::new();
    // Empty sequences between `&` are no parameter.
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name_start = out.len();
        push_query_component(out, name, &mut scratch);
        let name_end = out.len();
        push_query_component(out, value, &mut scratch);
        pairs.push((name_start, name_end, out.len()));
    }
    let sorted_start = out.len();
    {
        let encoded = &out[start..sorted_start];
        let name = |&(begin, end, _): &(usize, usize, usize)| &encoded[begin - start..end - start];
        let value = |&(_, begin, end): &(usize, usize, usize)| &encoded[begin - start..end - start];
        pairs.sort_unstable_by(|a, b| name(a).cmp(name(b)).then_with(|| value(a).cmp(value(b))));
    }
    for (index, &(name_start, name_end, value_end)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        // Copies within `out`: the encoded text is ASCII, so the ranges are on char boundaries.
        out.extend_from_within(name_start..name_end);
        out.push('=');
        out.extend_from_within(name_end..value_end);
    }
    out.drain(start..sorted_start);
}

/// Appends one query name or value, form-decoded then strictly encoded. Bytes that do not
/// decode to UTF-8 become U+FFFD, as aws-sigv4 (through `form_urlencoded`) reads them.
fn push_query_component(out: &mut String, raw: &str, scratch: &mut Vec<u8>) {
    if !raw.contains(['%', '+']) {
        push_encoded(out, raw.as_bytes(), false);
        return;
    }
    scratch.clear();
    let mut bytes = raw.as_bytes().iter();
    while let Some(&byte) = bytes.next() {
        match byte {
            b'+' => scratch.push(b' '),
            b'%' => {
                let rest = bytes.as_slice();
                match (rest.first().and_then(|&high| hex_value(high)), rest.get(1).and_then(|&low| hex_value(low))) {
                    (Some(high), Some(low)) => {
                        scratch.push((high << 4) | low);
                        bytes.nth(1);
                    }
                    // Not an escape: a literal `%`.
                    _ => scratch.push(b'%'),
                }
            }
            other => scratch.push(other),
        }
    }
    for chunk in scratch.utf8_chunks() {
        push_encoded(out, chunk.valid().as_bytes(), false);
        if !chunk.invalid().is_empty() {
            out.push_str("%EF%BF%BD");
        }
    }
}

/// The value of one hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).and_then(|value| u8::try_from(value).ok())
}

/// SigV4's `UriEncode`: every byte but the unreserved characters (`A-Za-z0-9-._~`), and `/`
/// when `keep_slash`, as `%XX` with upper-case hex.
pub(crate) fn push_encoded(out: &mut String, bytes: &[u8], keep_slash: bool) {
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(UPPER_HEX[usize::from(byte >> 4)]));
            out.push(char::from(UPPER_HEX[usize::from(byte & 0xf)]));
        }
    }
}

/// Appends `bytes` as lower-case hex.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    for &byte in bytes {
        out.push(char::from(LOWER_HEX[usize::from(byte >> 4)]));
        out.push(char::from(LOWER_HEX[usize::from(byte & 0xf)]));
    }
}

/// Appends the credential scope, `YYYYMMDD/region/service/aws4_request`.
pub(crate) fn push_scope(out: &mut String, amz_date: &AmzDate, region: &str, service: &str) {
    out.push_str(amz_date.date());
    out.push('/');
    out.push_str(region);
    out.push('/');
    out.push_str(service);
    out.push_str("/aws4_request");
}

/// Appends the string to sign: `AWS4-HMAC-SHA256 \n x-amz-date \n scope \n
/// HexEncode(Hash(CanonicalRequest))`.
pub(crate) fn push_string_to_sign(
    out: &mut String,
    amz_date: &AmzDate,
    region: &str,
    service: &str,
    canonical_request_hash: &[u8],
) {
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(amz_date.as_str());
    out.push('\n');
    push_scope(out, amz_date, region, service);
    out.push('\n');
    push_hex(out, canonical_request_hash);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(seconds: i64) -> SystemTime {
        let magnitude = Duration::from_secs(seconds.unsigned_abs());
        if seconds >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }

    #[test]
    fn amz_date_matches_the_calendar_over_the_supported_years() {
        assert_eq!(
            AmzDate::new(at(1_440_938_160)).map(|date| date.as_str().to_owned()).as_deref(),
            Some("20150830T123600Z")
        );
        assert_eq!(AmzDate::new(at(0)).map(|date| date.date().to_owned()).as_deref(), Some("19700101"));
        let mut rng = fastrand::Rng::with_seed(7);
        // Years 0000 to 9999, against the `time` crate.
        for _ in 0..20_000 {
            let seconds = rng.i64(-62_167_219_200..253_402_300_800);
            let expected = time::OffsetDateTime::from_unix_timestamp(seconds).expect("in range");
            let expected = format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                expected.year(),
                u8::from(expected.month()),
                expected.day(),
                expected.hour(),
                expected.minute(),
                expected.second()
            );
            assert_eq!(AmzDate::new(at(seconds)).map(|date| date.as_str().to_owned()), Some(expected), "{seconds}");
        }
        assert_eq!(AmzDate::new(at(-62_167_219_201)), None);
        assert_eq!(AmzDate::new(at(253_402_300_800)), None);
        assert_eq!(
            AmzDate::new(UNIX_EPOCH - Duration::from_millis(1)).map(|date| date.as_str().to_owned()).as_deref(),
            Some("19691231T235959Z")
        );
    }

    fn normalized(path: &str) -> String {
        let mut out = String::from("x");
        push_normalized_path(&mut out, path, true);
        out.split_off(1)
    }

    #[test]
    fn paths_are_normalized_then_encoded_again() {
        for (path, expected) in [
            ("", "/"),
            ("/", "/"),
            ("foo", "/foo"),
            ("/foo/bar/", "/foo/bar/"),
            ("//example//", "/example/"),
            ("/a/./b/../c", "/a/c"),
            ("/a/b/..", "/a/"),
            ("/a/b/.", "/a/b/"),
            ("/../..", "/"),
            ("/..", "/"),
            ("/a/..b/.c", "/a/..b/.c"),
            ("/%2E%2E/a%2Fb", "/%252E%252E/a%252Fb"),
            ("/a b/é", "/a%20b/%C3%A9"),
        ] {
            assert_eq!(normalized(path), expected, "{path}");
        }
    }

    #[test]
    fn paths_encoded_once_are_normalized_as_they_are() {
        let mut out = String::new();
        push_normalized_path(&mut out, "/a%20b/./c/../%E1%88%B4//", false);
        assert_eq!(out, "/a%20b/%E1%88%B4/");
    }

    fn canonical_query(query: &str) -> String {
        let mut out = String::from("prefix\n");
        push_canonical_query(&mut out, query);
        out.split_off(7)
    }

    #[test]
    fn queries_are_decoded_encoded_and_sorted() {
        for (query, expected) in [
            ("", ""),
            ("&&", ""),
            ("b=2&a=1&a=0", "a=0&a=1&b=2"),
            ("a&=v&k=", "=v&a=&k="),
            ("a+b=c%20d&x=%2B+", "a%20b=c%20d&x=%2B%20"),
            ("%zz=%4&p=%41%e9%ff", "%25zz=%254&p=A%EF%BF%BD%EF%BF%BD"),
            ("a=b=c&A=1&-=~", "-=~&A=1&a=b%3Dc"),
            ("k=/?:@", "k=%2F%3F%3A%40"),
            ("é=%C3%A9", "%C3%A9=%C3%A9"),
        ] {
            assert_eq!(canonical_query(query), expected, "{query}");
        }
    }

    #[test]
    fn uri_hosts_keep_non_default_ports() {
        for (uri, expected) in [
            ("https://example.com/", Some("example.com")),
            ("https://example.com:443/", Some("example.com")),
            ("http://example.com:80/", Some("example.com")),
            ("http://example.com:443/", Some("example.com:443")),
            ("https://127.0.0.1:8443/", Some("127.0.0.1:8443")),
            ("http://[::1]:8080/", Some("[::1]:8080")),
            ("/relative", None),
        ] {
            let uri: http::Uri = uri.parse().expect("uri");
            assert_eq!(uri_host(&uri), expected, "{uri}");
        }
    }
}
