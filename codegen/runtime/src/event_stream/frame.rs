//! Messages, their typed headers, and how they are written as frames.

use bytes::Bytes;

use super::decode::{
    FrameError, HeaderProblem, Problem, FRAME_OVERHEAD, MAX_HEADERS_LEN, MAX_PAYLOAD_LEN, MAX_VALUE_LEN,
};

/// The type byte of each kind of header value.
pub(super) mod value_type {
    pub(crate) const TRUE: u8 = 0;
    pub(crate) const FALSE: u8 = 1;
    pub(crate) const BYTE: u8 = 2;
    pub(crate) const INT16: u8 = 3;
    pub(crate) const INT32: u8 = 4;
    pub(crate) const INT64: u8 = 5;
    pub(crate) const BYTE_ARRAY: u8 = 6;
    pub(crate) const STRING: u8 = 7;
    pub(crate) const TIMESTAMP: u8 = 8;
    pub(crate) const UUID: u8 = 9;
}

/// One event stream message: headers, in the order they are written, and a payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    headers: Vec<Header>,
    payload: Bytes,
}

/// A header of a [`Message`]: a name (1 to 255 bytes of UTF-8) and a typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The header's name.
    pub name: String,
    /// The header's value.
    pub value: HeaderValue,
}

/// The value of a [`Header`], one of the ten types of the encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// A boolean (type 0 for `true`, 1 for `false`).
    Bool(bool),
    /// A signed byte (type 2).
    Byte(i8),
    /// A 16-bit integer (type 3).
    Int16(i16),
    /// A 32-bit integer (type 4).
    Int32(i32),
    /// A 64-bit integer (type 5).
    Int64(i64),
    /// Bytes (type 6), at most 32767 of them.
    ByteArray(Bytes),
    /// A UTF-8 string (type 7), at most 32767 bytes long.
    String(String),
    /// A time (type 8), in milliseconds since 1970-01-01T00:00:00Z.
    Timestamp(i64),
    /// A UUID (type 9), its 16 bytes in network order.
    Uuid([u8; 16]),
}

impl Message {
    /// A message with `payload` and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Self { headers: Vec::new(), payload: payload.into() }
    }

    /// A message from its parts, as read from a frame.
    pub(super) fn from_parts(headers: Vec<Header>, payload: Bytes) -> Self {
        Self { headers, payload }
    }

    /// This message with one more header, after the others (an existing header of the same
    /// name is kept: the encoding allows both, though services expect names to be unique).
    pub fn with_header(mut self, name: impl Into<String>, value: HeaderValue) -> Self {
        self.headers.push(Header { name: name.into(), value });
        self
    }

    /// The headers, in frame order.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|header| header.name == name).map(|header| &header.value)
    }

    /// The value of the first header named `name` when it is a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(HeaderValue::as_str)
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The payload, without copying it.
    pub fn into_payload(self) -> Bytes {
        self.payload
    }

    /// The whole frame of this message, checksums included.
    ///
    /// Fails when a header name is empty or longer than 255 bytes, a string or byte array value
    /// is longer than 32767 bytes, the encoded headers take more than 128 KiB or the payload
    /// more than 16 MiB: limits of the AWS SDKs' decoders, which would reject such a frame.
    pub fn encode(&self) -> Result<Bytes, FrameError> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(Bytes::from(out))
    }

    /// Appends the frame of this message to `out`, as [`Message::encode`] writes it. On error
    /// `out` is left as it was.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), FrameError> {
        self.write_frame(out).map_err(FrameError::encoding)
    }

    fn write_frame(&self, out: &mut Vec<u8>) -> Result<(), Problem> {
        if self.payload.len() > MAX_PAYLOAD_LEN {
            return Err(Problem::PayloadTooLong { payload: self.payload.len() });
        }
        // The headers are written apart first: their length leads the frame, and a header that
        // cannot be written must leave `out` untouched.
        let mut headers = Vec::new();
        write_headers(&self.headers, &mut headers)?;
        if headers.len() > MAX_HEADERS_LEN {
            return Err(Problem::HeadersTooLong { headers: headers.len() });
        }
        // Both are within their limits, so the sum fits a u32 by far.
        let total = FRAME_OVERHEAD + headers.len() + self.payload.len();
        let total_field = u32::try_from(total).map_err(|_| Problem::PayloadTooLong { payload: self.payload.len() })?;
        let headers_field =
            u32::try_from(headers.len()).map_err(|_| Problem::HeadersTooLong { headers: headers.len() })?;

        let mut lengths = [0u8; 8];
        let (total_bytes, headers_bytes) = lengths.split_at_mut(4);
        total_bytes.copy_from_slice(&total_field.to_be_bytes());
        headers_bytes.copy_from_slice(&headers_field.to_be_bytes());
        let prelude_crc = crc32fast::hash(&lengths).to_be_bytes();

        let mut crc = crc32fast::Hasher::new();
        out.reserve(total);
        for part in [&lengths[..], &prelude_crc, &headers, &self.payload] {
            crc.update(part);
            out.extend_from_slice(part);
        }
        out.extend_from_slice(&crc.finalize().to_be_bytes());
        Ok(())
    }
}

/// Appends the encoding of `headers` to `out`: per header, the name's length (one byte), the
/// name, the value's type byte and the value. On error `out` may hold part of the headers.
pub(super) fn write_headers(headers: &[Header], out: &mut Vec<u8>) -> Result<(), Problem> {
    for header in headers {
        write_header(header, out).map_err(|problem| {
            let name = Some(header.name.clone()).filter(|name| !name.is_empty());
            Problem::Header { at: None, name, problem }
        })?;
    }
    Ok(())
}

fn write_header(header: &Header, out: &mut Vec<u8>) -> Result<(), HeaderProblem> {
    let name = header.name.as_bytes();
    // The length is one byte, so the 255-byte limit is the conversion's.
    let name_len = match u8::try_from(name.len()) {
        Ok(0) => return Err(HeaderProblem::EmptyName),
        Ok(len) => len,
        Err(_) => return Err(HeaderProblem::NameTooLong { len: name.len() }),
    };
    out.push(name_len);
    out.extend_from_slice(name);
    write_value(&header.value, out)
}

fn write_value(value: &HeaderValue, out: &mut Vec<u8>) -> Result<(), HeaderProblem> {
    use value_type::*;
    match value {
        HeaderValue::Bool(true) => out.push(TRUE),
        HeaderValue::Bool(false) => out.push(FALSE),
        HeaderValue::Byte(byte) => put(out, BYTE, &byte.to_be_bytes()),
        HeaderValue::Int16(int) => put(out, INT16, &int.to_be_bytes()),
        HeaderValue::Int32(int) => put(out, INT32, &int.to_be_bytes()),
        HeaderValue::Int64(int) => put(out, INT64, &int.to_be_bytes()),
        HeaderValue::ByteArray(bytes) => put_sized(out, BYTE_ARRAY, "byte array", bytes)?,
        HeaderValue::String(text) => put_sized(out, STRING, "string", text.as_bytes())?,
        HeaderValue::Timestamp(millis) => put(out, TIMESTAMP, &millis.to_be_bytes()),
        HeaderValue::Uuid(uuid) => put(out, UUID, uuid),
    }
    Ok(())
}

fn put(out: &mut Vec<u8>, value_type: u8, bytes: &[u8]) {
    out.push(value_type);
    out.extend_from_slice(bytes);
}

/// A value with a two-byte length prefix. The prefix could say 65535, but the AWS SDKs read it
/// as a signed 16-bit number, so longer values are refused rather than sent to be rejected.
fn put_sized(out: &mut Vec<u8>, value_type: u8, kind: &'static str, bytes: &[u8]) -> Result<(), HeaderProblem> {
    let len = u16::try_from(bytes.len())
        .ok()
        .filter(|&len| usize::from(len) <= MAX_VALUE_LEN)
        .ok_or(HeaderProblem::ValueTooLong { kind, len: bytes.len() })?;
    out.push(value_type);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

impl HeaderValue {
    /// The text of a [`HeaderValue::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value of a [`HeaderValue::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The value of any of the integer types ([`Byte`](Self::Byte), [`Int16`](Self::Int16),
    /// [`Int32`](Self::Int32), [`Int64`](Self::Int64)), widened.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Self::Byte(value) => Some(i64::from(*value)),
            Self::Int16(value) => Some(i64::from(*value)),
            Self::Int32(value) => Some(i64::from(*value)),
            Self::Int64(value) => Some(*value),
            _ => None,
        }
    }

    /// The bytes of a [`HeaderValue::ByteArray`].
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Self::ByteArray(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The milliseconds since 1970 of a [`HeaderValue::Timestamp`].
    pub fn as_timestamp_millis(&self) -> Option<i64> {
        match self {
            Self::Timestamp(millis) => Some(*millis),
            _ => None,
        }
    }

    /// The bytes of a [`HeaderValue::Uuid`].
    pub fn as_uuid(&self) -> Option<&[u8; 16]> {
        match self {
            Self::Uuid(uuid) => Some(uuid),
            _ => None,
        }
    }

    /// The name of the value's type, for messages: `bool`, `byte`, `int16`, `int32`, `int64`,
    /// `byte array`, `string`, `timestamp` or `uuid`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Bool(_) => "bool",
            Self::Byte(_) => "byte",
            Self::Int16(_) => "int16",
            Self::Int32(_) => "int32",
            Self::Int64(_) => "int64",
            Self::ByteArray(_) => "byte array",
            Self::String(_) => "string",
            Self::Timestamp(_) => "timestamp",
            Self::Uuid(_) => "uuid",
        }
    }
}
