//! What generated `Marshal` and `Unmarshal` impls call: typed header values, payloads in each
//! form (`@eventPayload` blob, string or JSON, or the members left after the headers), and the
//! message kinds.

use bytes::Bytes;
use http::Response;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{HeaderValue, Message};
use crate::error::call::ConstructionError;
use crate::error::ErrorMetadata;
use crate::operation::ModeledError;
use crate::primitives::{Blob, DateTime};

/// `:content-type` of a JSON payload.
const JSON: &str = "application/json";
/// `:content-type` of a blob payload.
const OCTET_STREAM: &str = "application/octet-stream";
/// `:content-type` of a string payload.
const TEXT: &str = "text/plain";

/// A member type that an event header carries.
pub trait HeaderType: Sized {
    /// The value as a header.
    fn to_header(&self) -> HeaderValue;
    /// The value of a header, if it has this type.
    fn from_header(value: &HeaderValue) -> Option<Self>;
    /// The header type's name, for errors.
    const NAME: &'static str;
}

macro_rules! header_type {
    ($ty:ty, $variant:ident, $name:literal) => {
        impl HeaderType for $ty {
            const NAME: &'static str = $name;
            fn to_header(&self) -> HeaderValue {
                HeaderValue::$variant(self.clone())
            }
            fn from_header(value: &HeaderValue) -> Option<Self> {
                match value {
                    HeaderValue::$variant(v) => Some(v.clone()),
                    _ => None,
                }
            }
        }
    };
}

header_type!(bool, Bool, "boolean");
header_type!(i8, Byte, "byte");
header_type!(i16, Int16, "short");
header_type!(i32, Int32, "integer");
header_type!(i64, Int64, "long");
header_type!(String, String, "string");

impl HeaderType for Blob {
    const NAME: &'static str = "byte array";
    fn to_header(&self) -> HeaderValue {
        HeaderValue::ByteArray(Bytes::copy_from_slice(self.as_bytes()))
    }
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::ByteArray(bytes) => Some(Blob::new(bytes.to_vec())),
            _ => None,
        }
    }
}

impl HeaderType for DateTime {
    const NAME: &'static str = "timestamp";
    fn to_header(&self) -> HeaderValue {
        // Headers carry whole milliseconds.
        let millis = self.secs().saturating_mul(1000).saturating_add(i64::from(self.subsec_nanos() / 1_000_000));
        HeaderValue::Timestamp(millis)
    }
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Timestamp(millis) => Some(DateTime::from_millis(*millis)),
            _ => None,
        }
    }
}

/// The value of header `name`, if the message has it; an error when it has another type.
pub fn header<T: HeaderType>(message: &Message, name: &str) -> Result<Option<T>, String> {
    match message.header(name) {
        None => Ok(None),
        Some(value) => T::from_header(value).map(Some).ok_or_else(|| format!("header `{name}` is not a {}", T::NAME)),
    }
}

/// `message` with header `name` set to `value`, when there is one (`Option` members).
pub fn with_header<T: HeaderType>(message: Message, name: &str, value: Option<&T>) -> Message {
    match value {
        Some(value) => message.with_header(name, value.to_header()),
        None => message,
    }
}

/// `message` with header `name` set to an enum value (its wire string or integer).
pub fn with_enum_header<T: Serialize>(message: Message, name: &str, value: Option<&T>) -> Message {
    match value.map(serde_json::to_value) {
        Some(Ok(serde_json::Value::String(text))) => message.with_header(name, HeaderValue::String(text)),
        Some(Ok(serde_json::Value::Number(number))) => match number.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => message.with_header(name, HeaderValue::Int32(n)),
            None => message,
        },
        _ => message,
    }
}

/// An event message of type `event_type`, without payload.
pub fn event_message(event_type: &str) -> Message {
    Message::new(Bytes::new())
        .with_header(":message-type", HeaderValue::String("event".to_owned()))
        .with_header(":event-type", HeaderValue::String(event_type.to_owned()))
}

/// An exception message of type `exception_type`, without payload.
pub fn exception_message(exception_type: &str) -> Message {
    Message::new(Bytes::new())
        .with_header(":message-type", HeaderValue::String("exception".to_owned()))
        .with_header(":exception-type", HeaderValue::String(exception_type.to_owned()))
}

/// `message` (which has no payload yet) with `payload` of `content_type`.
pub(crate) fn with_content(message: Message, payload: Bytes, content_type: &str) -> Message {
    with_payload(&message, payload, content_type)
}

/// `message` (which has no payload yet) with `payload` and its `:content-type`.
fn with_payload(message: &Message, payload: Bytes, content_type: &str) -> Message {
    let mut framed = Message::new(payload);
    for header in message.headers() {
        framed = framed.with_header(header.name.clone(), header.value.clone());
    }
    framed.with_header(":content-type", HeaderValue::String(content_type.to_owned()))
}

/// `message` with a blob payload.
pub fn with_blob_payload(message: Message, value: &Blob) -> Message {
    with_payload(&message, Bytes::copy_from_slice(value.as_bytes()), OCTET_STREAM)
}

/// `message` with a string payload.
pub fn with_string_payload(message: Message, value: &str) -> Message {
    with_payload(&message, Bytes::copy_from_slice(value.as_bytes()), TEXT)
}

/// `message` with `value` as its JSON payload, leaving out the members named in `headers`
/// (they travel as headers).
///
/// # Errors
/// `value` cannot be serialized.
pub fn with_json_payload<T: Serialize>(
    message: Message,
    value: &T,
    headers: &[&str],
) -> Result<Message, ConstructionError> {
    let cannot = |err: serde_json::Error| ConstructionError::new(format!("cannot serialize an event: {err}"));
    let payload = if headers.is_empty() {
        serde_json::to_vec(value).map_err(cannot)?
    } else {
        let mut json = serde_json::to_value(value).map_err(cannot)?;
        if let Some(object) = json.as_object_mut() {
            object.retain(|key, _| !headers.contains(&key.as_str()));
        }
        serde_json::to_vec(&json).map_err(cannot)?
    };
    Ok(with_payload(&message, Bytes::from(payload), JSON))
}

/// The payload as a blob.
pub fn blob_payload(message: &Message) -> Blob {
    Blob::new(message.payload().to_vec())
}

/// The payload as UTF-8 text.
pub fn string_payload(message: &Message) -> Result<String, String> {
    String::from_utf8(message.payload().to_vec()).map_err(|_| "the payload is not UTF-8 text".to_owned())
}

/// The JSON payload as `T`; an empty payload is `T`'s default.
pub fn json_payload<T: DeserializeOwned + Default>(message: &Message) -> Result<T, String> {
    let payload = message.payload();
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(payload).map_err(|err| format!("invalid JSON payload: {err}"))
}

/// A modeled error read from an exception message's JSON payload, as from an error response.
pub fn modeled_error<E: ModeledError>(message: &Message, meta: &ErrorMetadata) -> E {
    let response = Response::new(message.payload().clone());
    E::from_response(&response, meta)
}
