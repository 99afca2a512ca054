//! Wire helpers shared by the generated serializers and parsers of the AWS JSON protocols
//! (public only so generated code in any module can reach them; not a stable API)
//! (awsJson1_0, awsJson1_1, restJson1).

use crate::client::{ConstructionError, ResponseParseError, SdkError, ValidationMode};
use crate::primitives::{Blob, DateTime, TimestampFormat};
use crate::validation::{Constraint, ValidationError};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Runs `validate` as the configured mode asks; the violations come back in one error.
pub fn check_input<E>(
    mode: ValidationMode,
    validate: impl FnOnce() -> Result<(), ValidationError>,
) -> Result<(), SdkError<E>> {
    let result = match mode {
        ValidationMode::Off => return Ok(()),
        ValidationMode::Full => validate(),
        ValidationMode::RequiredOnly => validate().or_else(|mut err| {
            err.violations.retain(|v| v.constraint == Constraint::Required);
            if err.violations.is_empty() {
                Ok(())
            } else {
                Err(err)
            }
        }),
    };
    result.map_err(SdkError::Validation)
}

/// Serializes a JSON body.
pub fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, ConstructionError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|err| ConstructionError::new(format!("cannot serialize the request body: {err}")))
}

/// Parses a JSON body; an empty body reads as `{}` (a response with no members).
pub fn parse_json<T: DeserializeOwned>(response: &Response<Bytes>) -> Result<T, ResponseParseError> {
    check_json_content_type(response)?;
    let body = response.body();
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    serde_json::from_slice(body).map_err(|err| ResponseParseError::new(response, format!("invalid JSON body: {err}")))
}

/// Parses the body of a modeled error; a missing or unparsable body gives the error's zero
/// value (the code and message are still in the metadata).
pub fn parse_error_body<T: DeserializeOwned + Default>(response: &Response<Bytes>) -> T {
    serde_json::from_slice(response.body()).unwrap_or_default()
}

fn check_json_content_type(response: &Response<Bytes>) -> Result<(), ResponseParseError> {
    let Some(value) = response.headers().get(http::header::CONTENT_TYPE) else { return Ok(()) };
    let value = value.to_str().unwrap_or_default().to_ascii_lowercase();
    if response.body().is_empty() || value.contains("json") {
        Ok(())
    } else {
        Err(ResponseParseError::new(response, format!("expected a JSON response, got content type `{value}`")))
    }
}

/// Percent-encodes an `@httpLabel` value; labels must not be empty.
pub fn label(value: &str, member: &str, greedy: bool) -> Result<String, ConstructionError> {
    if value.is_empty() {
        return Err(ConstructionError::new(format!("`{member}` is bound to the URI and must not be empty")));
    }
    Ok(crate::client::percent_encode_label(value, greedy))
}

/// Appends `name=value` to a query string being built (without the leading `?`).
pub fn push_query(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&crate::client::percent_encode_query(name));
    query.push('=');
    query.push_str(&crate::client::percent_encode_query(value));
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

/// Formats a float as the AWS protocols write it (`NaN`, `Infinity`, `-Infinity`).
pub fn float<F: Into<f64> + std::fmt::Display + Copy>(value: F) -> String {
    let wide: f64 = value.into();
    if wide.is_nan() {
        "NaN".to_owned()
    } else if wide.is_infinite() {
        if wide > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// `#[serde(with = "crate::protocol::json_float")]` for members holding floats (also in
/// lists and maps): the AWS JSON protocols write `NaN` and the infinities as the strings
/// `"NaN"`, `"Infinity"` and `"-Infinity"`, which JSON numbers cannot express.
pub mod json_float {
    use serde::{Deserializer, Serializer};

    /// Serializes a float-holding value.
    pub fn serialize<T: super::JsonFloat, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize_json(serializer)
    }

    /// Deserializes a float-holding value.
    pub fn deserialize<'de, T: super::JsonFloat, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize_json(deserializer)
    }
}

/// Values that hold floats, serialized the way [`json_float`] describes.
pub trait JsonFloat: Sized {
    /// Writes the value.
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value.
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Adapts a [`JsonFloat`] to serde's traits (inside collections and union variants).
pub struct JsonFloatValue<T>(pub T);

impl<T: JsonFloat> Serialize for JsonFloatValue<&T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_json(serializer)
    }
}

impl<'de, T: JsonFloat> serde::Deserialize<'de> for JsonFloatValue<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_json(deserializer).map(JsonFloatValue)
    }
}

fn read_float<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    use serde::de::Error as _;
    // Read through `Value`: with exact numbers a JSON number is not handed to `visit_f64`.
    match <serde_json::Value as serde::Deserialize>::deserialize(deserializer)? {
        serde_json::Value::Number(n) => n.as_f64().ok_or_else(|| D::Error::custom(format!("`{n}` is not a float"))),
        serde_json::Value::String(s) => parse_float(&s).map_err(|_| D::Error::custom(format!("`{s}` is not a float"))),
        other => Err(D::Error::custom(format!("expected a float, got `{other}`"))),
    }
}

impl JsonFloat for f64 {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            serializer.serialize_f64(*self)
        } else {
            serializer.serialize_str(&float(*self))
        }
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_float(deserializer)
    }
}

impl JsonFloat for f32 {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            serializer.serialize_f32(*self)
        } else {
            serializer.serialize_str(&float(*self))
        }
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Narrowing is the point: the member is a 32-bit float.
        read_float(deserializer).map(|v| v as f32)
    }
}

impl<T: JsonFloat> JsonFloat for Option<T> {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&JsonFloatValue(value)),
            None => serializer.serialize_none(),
        }
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(<Option<JsonFloatValue<T>> as serde::Deserialize>::deserialize(deserializer)?.map(|w| w.0))
    }
}

impl<T: JsonFloat> JsonFloat for Vec<T> {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(JsonFloatValue))
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = <Vec<JsonFloatValue<T>> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|w| w.0).collect())
    }
}

impl<K, T> JsonFloat for std::collections::HashMap<K, T>
where
    K: Serialize + DeserializeOwned + Eq + std::hash::Hash,
    T: JsonFloat,
{
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, JsonFloatValue(v))))
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries =
            <std::collections::HashMap<K, JsonFloatValue<T>> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|(k, w)| (k, w.0)).collect())
    }
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

/// Reads a float as the AWS protocols write it (`NaN`, `Infinity`, `-Infinity` included).
pub fn parse_float(text: &str) -> Result<f64, String> {
    match text {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => text.parse::<f64>().map_err(|err| err.to_string()),
    }
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

/// Implemented by generated structures: builds the value from the members of a JSON object.
pub trait FromMap: Sized {
    /// Reads the structure's members from `map`.
    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes a structure from a JSON object only: serde's derive would also read a JSON
/// array positionally, which no AWS JSON protocol allows.
pub fn deserialize_object<'de, D: serde::Deserializer<'de>, T: FromMap>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectOnly<T>(std::marker::PhantomData<T>);
    impl<'de, T: FromMap> serde::de::Visitor<'de> for ObjectOnly<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    deserializer.deserialize_map(ObjectOnly(std::marker::PhantomData))
}

/// Implements `Serialize`, `Deserialize` and [`FromMap`] for a generated structure whose serde
/// derives carry `#[serde(remote = "Self")]` (so they became inherent functions): serializing
/// uses the derive as is, deserializing accepts a JSON object only (see [`deserialize_object`]).
#[macro_export]
#[doc(hidden)]
macro_rules! json_object {
    ($ty:ident) => {
        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $ty::serialize(self, serializer)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::protocol::deserialize_object(deserializer)
            }
        }
        impl $crate::protocol::FromMap for $ty {
            fn from_map<'de, A: $crate::serde::de::MapAccess<'de>>(map: A) -> ::std::result::Result<Self, A::Error> {
                $ty::deserialize($crate::serde::de::value::MapAccessDeserializer::new(map))
            }
        }
    };
}
