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

/// Formats a timestamp for a URI, query string or header.
pub fn timestamp(value: &DateTime, format: TimestampFormat) -> Result<String, ConstructionError> {
    value.format(format).map_err(|err| ConstructionError::new(err.to_string()))
}

/// Formats a float as the AWS protocols write it (`NaN`, `Infinity`, `-Infinity`).
pub fn float(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
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
