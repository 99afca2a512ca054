//! HTTP bindings: `@httpLabel` and `@httpQuery` encoding, headers (`@httpHeader`, lists,
//! timestamps, base64), and the `Content-MD5` and Glacier checksums.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::error::call::{ConstructionError, ResponseParseError};
use crate::primitives::{Blob, DateTime, TimestampFormat};

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// [`RESERVED`] but keeping `/`, for greedy labels.
const RESERVED_BUT_SLASH: &AsciiSet = &RESERVED.remove(b'/');

/// Percent-encodes an `@httpLabel` value (UTF-8, every byte but unreserved characters);
/// a greedy label (`{Key+}`) keeps its `/` separators.
pub fn percent_encode_label(value: &str, greedy: bool) -> String {
    let set = if greedy { RESERVED_BUT_SLASH } else { RESERVED };
    percent_encoding::utf8_percent_encode(value, set).to_string()
}

/// Percent-encodes a query parameter name or value (every byte but unreserved characters, so
/// a space is `%20`, never `+`).
pub fn percent_encode_query(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, RESERVED).to_string()
}

/// Percent-encodes an `@httpLabel` value; labels must not be empty.
pub fn label(value: &str, member: &str, greedy: bool) -> Result<String, ConstructionError> {
    if value.is_empty() {
        return Err(ConstructionError::new(format!("`{member}` is bound to the URI and must not be empty")));
    }
    Ok(percent_encode_label(value, greedy))
}

/// Appends `name=value` to a query string being built (without the leading `?`).
pub fn push_query(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&percent_encode_query(name));
    query.push('=');
    query.push_str(&percent_encode_query(value));
}

/// Joins a path and a query string.
pub fn path_and_query(path: String, query: &str) -> String {
    if query.is_empty() {
        path
    } else if path.contains('?') {
        format!("{path}&{query}")
    } else {
        format!("{path}?{query}")
    }
}

/// Sets a header, rejecting values HTTP cannot carry.
pub fn set_header(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), ConstructionError> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| ConstructionError::new(format!("`{name}` is not a valid header name")))?;
    let value = HeaderValue::from_str(value)
        .map_err(|_| ConstructionError::new(format!("the value of header `{name}` contains invalid characters")))?;
    headers.insert(name, value);
    Ok(())
}

/// Sets `Content-MD5` to the base64 MD5 digest of the body (`@httpChecksumRequired`).
pub fn set_content_md5(headers: &mut HeaderMap, body: &[u8]) {
    use base64::Engine as _;
    use md5::Digest as _;
    let digest = md5::Md5::digest(body);
    let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
    if let Ok(value) = HeaderValue::from_str(&encoded) {
        headers.insert("content-md5", value);
    }
}

/// Glacier's payload checksums, unless the caller set them: `x-amz-content-sha256` (SHA-256 of
/// the body, hex) and `x-amz-sha256-tree-hash` (the SHA-256 tree hash over 1 MiB chunks).
pub fn glacier_checksums(headers: &mut HeaderMap, body: &[u8]) {
    use sha2::{Digest as _, Sha256};
    const CHUNK: usize = 1024 * 1024;
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let mut level: Vec<[u8; 32]> = body.chunks(CHUNK).map(|chunk| Sha256::digest(chunk).into()).collect();
    if level.is_empty() {
        level.push(Sha256::digest(b"").into());
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => Sha256::new().chain_update(left).chain_update(right).finalize().into(),
                // An odd hash out moves up a level unchanged.
                _ => pair.first().copied().unwrap_or_default(),
            })
            .collect();
    }
    let entries = [("x-amz-content-sha256", hex(&Sha256::digest(body))), ("x-amz-sha256-tree-hash", hex(&level[0]))];
    for (name, value) in entries {
        if !headers.contains_key(name) {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
}

/// Formats a timestamp for a URI, query string or header.
pub fn timestamp(value: &DateTime, format: TimestampFormat) -> Result<String, ConstructionError> {
    value.format(format).map_err(|err| ConstructionError::new(err.to_string()))
}

/// Base64 of a blob, for headers.
pub fn base64(value: &Blob) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(value.as_ref())
}

/// A response header as text.
pub fn header<'a>(response: &'a Response<Bytes>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Parses a response header value with `parse`, naming the header when it fails.
pub fn parse_header<T, Err: std::fmt::Display>(
    response: &Response<Bytes>,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, Err>,
) -> Result<Option<T>, ResponseParseError> {
    match header(response, name) {
        None => Ok(None),
        Some(text) => parse(text.trim())
            .map(Some)
            .map_err(|err| ResponseParseError::new(response, format!("invalid `{name}` header `{text}`: {err}"))),
    }
}

/// Splits a list header into its items: commas separate items except inside double-quoted
/// strings (which are unquoted and unescaped) and, for http-dates, the comma after the weekday.
pub fn split_header_list(text: &str, http_date: bool) -> Vec<String> {
    if http_date {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        return parts.chunks(2).map(|pair| pair.join(", ")).collect();
    }
    let mut items = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => item.extend(chars.next()),
                    '"' => break,
                    c => item.push(c),
                }
            }
            // Anything between the closing quote and the next comma is not part of the item.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            items.push(item);
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                item.push(c);
            }
            items.push(item.trim().to_owned());
            if ended {
                break;
            }
            continue;
        }
        if chars.peek().is_none() {
            break;
        }
    }
    items
}

/// Decodes a base64 header into a blob.
pub fn decode_base64(text: &str) -> Result<Blob, String> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map(Blob::new)
        .map_err(|err| format!("invalid base64: {err}"))
}

/// Decodes a base64 header into text (JSON strings travel this way in headers).
pub fn decode_base64_text(text: &str) -> Result<String, String> {
    let bytes = decode_base64(text)?.into_inner();
    String::from_utf8(bytes).map_err(|_| "the decoded value is not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(percent_encode_label("a b/c%d~e_f.g-h", false), "a%20b%2Fc%25d~e_f.g-h");
        assert_eq!(percent_encode_label("a b/c", true), "a%20b/c");
        assert_eq!(percent_encode_label("é:+*", false), "%C3%A9%3A%2B%2A");
        assert_eq!(percent_encode_query("a+b=c&d e"), "a%2Bb%3Dc%26d%20e");
    }
}
