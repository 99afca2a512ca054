//! The Smithy rules-engine standard library, on plain Rust values.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;

/// Whether `value` is an RFC 1123 host label (1 to 63 ASCII letters, digits and hyphens, not
/// starting with a hyphen); with `allow_subdomains`, dot-separated labels that each are one.
pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_host_label)
    } else {
        is_host_label(value)
    }
}

fn is_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    matches!(bytes.first(), Some(first) if first.is_ascii_alphanumeric())
        && bytes.len() <= 63
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// The parts of a URL, as `parseURL` returns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url<'a> {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Host and port as written, without user information.
    pub authority: &'a str,
    /// The path as written (empty when the URL has none).
    pub path: &'a str,
    /// The path, starting and ending with `/`.
    pub normalized_path: Cow<'a, str>,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// Parses an `http` or `https` URL; `None` for anything else, including URLs with a query.
pub(crate) fn parse_url(value: &str) -> Option<Url<'_>> {
    let (scheme, rest) = value.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    if after[path_end..].starts_with('?') {
        return None;
    }
    let path = &after[..path_end];
    // User information never belongs in an endpoint's authority.
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    if let Some(port) = port {
        if !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u32>().map_or(!port.is_empty(), |p| p > 65535) {
            return None;
        }
    }
    let is_ip = host.starts_with('[') || is_ipv4(host);
    let normalized_path = if path.trim().is_empty() {
        Cow::Borrowed("/")
    } else {
        let mut normalized = String::with_capacity(path.len() + 2);
        if !path.starts_with('/') {
            normalized.push('/');
        }
        normalized.push_str(path);
        if !path.ends_with('/') {
            normalized.push('/');
        }
        Cow::Owned(normalized)
    };
    Some(Url { scheme, authority, path, normalized_path, is_ip })
}

/// Splits `host[:port]`, where the host may be a bracketed IPv6 address (which must be valid).
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if let Some(inner) = authority.strip_prefix('[') {
        let close = inner.find(']')?;
        inner[..close].parse::<std::net::Ipv6Addr>().ok()?;
        let host = &authority[..close + 2];
        let rest = &authority[close + 2..];
        if rest.is_empty() {
            Some((host, None))
        } else {
            rest.strip_prefix(':').map(|port| (host, Some(port)))
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => Some((host, Some(port))),
            None => Some((authority, None)),
        }
    }
}

/// Four dot-separated decimal numbers from 0 to 255.
pub(crate) fn is_ipv4(host: &str) -> bool {
    let mut count = 0;
    for part in host.split('.') {
        count += 1;
        let valid = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u16>().is_ok_and(|n| n <= 255);
        if !valid || count > 4 {
            return false;
        }
    }
    count == 4
}

/// `input[start..stop]`, or counted from the end with `reverse`; `None` when the input is not
/// ASCII or too short, or the range is empty or negative.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    if !input.is_ascii() {
        return None;
    }
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    if start >= stop || input.len() < stop {
        return None;
    }
    if reverse {
        input.get(input.len() - stop..input.len() - start)
    } else {
        input.get(start..stop)
    }
}

/// Everything but RFC 3986's unreserved characters.
const URI_ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// RFC 3986 percent-encoding with upper-case hex digits, UTF-8 for non-ASCII characters.
pub(crate) fn uri_encode(value: &str) -> Cow<'_, str> {
    utf8_percent_encode(value, URI_ENCODE).into()
}

/// Splits `value` on `delimiter`: all occurrences for `limit` 0, otherwise into at most `limit`
/// parts. `None` for an empty delimiter or a negative limit, which rule sets must not use.
pub(crate) fn split<'v>(value: &'v str, delimiter: &str, limit: i64) -> Option<Vec<&'v str>> {
    if delimiter.is_empty() {
        return None;
    }
    match usize::try_from(limit).ok()? {
        0 => Some(value.split(delimiter).collect()),
        limit => Some(value.splitn(limit, delimiter).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        for valid in ["us-east-1", "3aws4", "a", "a-", &"a".repeat(63)] {
            assert!(is_valid_host_label(valid, false), "{valid}");
        }
        for invalid in ["", "-a", "part1 part2", "a_b", "a.b", &"a".repeat(64), "é"] {
            assert!(!is_valid_host_label(invalid, false), "{invalid}");
        }
        assert!(is_valid_host_label("part1.part2", true));
        for invalid in ["part1.", ".part1", "part1..part2", "part1.-part2", ""] {
            assert!(!is_valid_host_label(invalid, true), "{invalid}");
        }
    }

    #[test]
    fn urls() {
        let url = parse_url("https://example.com").unwrap();
        assert_eq!(
            url,
            Url {
                scheme: "https",
                authority: "example.com",
                path: "",
                normalized_path: Cow::Borrowed("/"),
                is_ip: false
            }
        );
        let url = parse_url("http://example.com:80/foo/bar").unwrap();
        assert_eq!((url.authority, url.path, &*url.normalized_path), ("example.com:80", "/foo/bar", "/foo/bar/"));
        let url = parse_url("https://authority.com/").unwrap();
        assert_eq!((url.path, &*url.normalized_path), ("/", "/"));
        assert!(parse_url("https://127.0.0.1").unwrap().is_ip);
        assert!(parse_url("http://192.168.1.1:1234/foo/").unwrap().is_ip);
        let url = parse_url("https://[fe80::1]:443").unwrap();
        assert_eq!((url.authority, url.is_ip), ("[fe80::1]:443", true));
        assert!(!parse_url("https://999.999.abc.blah").unwrap().is_ip);
        assert!(!parse_url("https://1.2.3.256").unwrap().is_ip);
        assert_eq!(parse_url("http://99_ab-.com").unwrap().authority, "99_ab-.com");
        assert_eq!(parse_url("https://user:pw@example.com/x").unwrap().authority, "example.com");
        assert_eq!(parse_url("HTTPS://example.com").unwrap().scheme, "https");
    }

    #[test]
    fn rejected_urls() {
        for invalid in [
            "acbd://example.com",
            "example.com",
            "http://abc.com:a/foo",
            "http://abc.com:99999",
            "https://example.com/path?query1=foo",
            "https://example.com:8443?foo=bar",
            "https://example.com?",
            "https://",
            "https://[zz]/",
            "https://[::1]x",
            "https://a b.com",
        ] {
            assert_eq!(parse_url(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 4, false), None);
        assert_eq!(substring("\u{fdfd}", 0, 4, false), None);
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 1, 3, false), Some("ef"));
        assert_eq!(substring("abcdef", 2, 2, false), None);
        assert_eq!(substring("abcdef", 3, 2, false), None);
        assert_eq!(substring("abcdef", -1, 2, false), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(uri_encode("0123456789.underscore_dash-Tilda~"), "0123456789.underscore_dash-Tilda~");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("\u{1f639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn splits() {
        let split = |v, d, l| split(v, d, l).unwrap();
        assert_eq!(split("a--b--c", "--", 0), ["a", "b", "c"]);
        assert_eq!(split("", "--", 0), [""]);
        assert_eq!(split("----", "--", 0), ["", "", ""]);
        assert_eq!(split("aaa", "aa", 0), ["", "a"]);
        assert_eq!(split("--both--", "--", 2), ["", "both--"]);
        assert_eq!(split("a--b--c", "--", 1), ["a--b--c"]);
        assert_eq!(split("a--b--c--d", "--", 3), ["a", "b", "c--d"]);
        assert_eq!(split("a\u{1f31f}b\u{1f31f}c", "\u{1f31f}", 0), ["a", "b", "c"]);
        assert_eq!(super::split("a", "", 0), None);
        assert_eq!(super::split("a", "-", -1), None);
    }
}
