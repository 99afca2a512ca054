//! Reading frames: one whole frame ([`decode_message`]) or a stream of them as its bytes
//! arrive ([`MessageDecoder`]), the limits every frame is held to, and what is wrong with one
//! that fails ([`FrameError`]).

use std::fmt;

use bytes::{Bytes, BytesMut};

use super::frame::{value_type, Header, HeaderValue, Message};

/// The prelude: total length, headers length, and the CRC of those 8 bytes.
pub(super) const PRELUDE_LEN: usize = 12;
/// What a frame holds besides headers and payload: the prelude and the message CRC.
pub(super) const FRAME_OVERHEAD: usize = PRELUDE_LEN + 4;
/// The longest header section, as the AWS SDKs (CRT, Java, Go) bound it.
pub(super) const MAX_HEADERS_LEN: usize = 128 * 1024;
/// The longest payload, as the AWS SDKs (Java, Go) bound it; the CRT bounds the whole frame to
/// the same 16 MiB.
pub(super) const MAX_PAYLOAD_LEN: usize = 16 * 1024 * 1024;
/// The longest header name: its length is one byte.
pub(super) const MAX_NAME_LEN: usize = u8::MAX as usize;
/// The longest string or byte array value: the length prefix is read as an `i16` by the AWS
/// SDKs.
pub(super) const MAX_VALUE_LEN: usize = i16::MAX as usize;

/// Why a frame could not be read or a message could not be written.
///
/// Its message says what is wrong and where: the frame's position in its stream (from 1) when
/// a [`MessageDecoder`] read it, and the header's byte offset in the frame for a bad header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    origin: Origin,
    problem: Problem,
}

/// What was being done when the problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Reading one frame on its own ([`decode_message`]).
    Frame,
    /// Reading the frame at this position (from 1) of a stream.
    Stream(u64),
    /// Writing a message.
    Encoding,
}

/// What is wrong with a frame or a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Problem {
    PreludeCrc {
        computed: u32,
        declared: u32,
    },
    MessageCrc {
        computed: u32,
        declared: u32,
    },
    TotalTooShort {
        total: u32,
    },
    HeadersPastEnd {
        headers: u32,
        total: u32,
    },
    HeadersTooLong {
        headers: usize,
    },
    TotalTooLong {
        total: u32,
        headers: u32,
    },
    PayloadTooLong {
        payload: usize,
    },
    /// A header that cannot be read (`at`: its offset in the frame) or written; `name` when
    /// it is known.
    Header {
        at: Option<usize>,
        name: Option<String>,
        problem: HeaderProblem,
    },
    /// The input ends inside a frame of `total` bytes (`None`: inside its prelude).
    Truncated {
        have: usize,
        total: Option<u32>,
    },
    TrailingBytes {
        total: u32,
        extra: usize,
    },
}

/// What is wrong with one header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum HeaderProblem {
    EmptyName,
    NameTooLong { len: usize },
    NamePastEnd { len: u8, left: usize },
    LengthPastEnd { kind: &'static str, left: usize },
    NameNotUtf8,
    MissingType,
    UnknownType(u8),
    ValuePastEnd { kind: &'static str, len: usize, left: usize },
    ValueTooLong { kind: &'static str, len: usize },
    ValueNotUtf8,
}

impl FrameError {
    pub(super) fn encoding(problem: Problem) -> Self {
        Self { origin: Origin::Encoding, problem }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.origin {
            Origin::Frame => write!(f, "event stream frame: {}", self.problem),
            Origin::Stream(index) => write!(f, "event stream frame {index}: {}", self.problem),
            Origin::Encoding => write!(f, "cannot encode event stream message: {}", self.problem),
        }
    }
}

impl std::error::Error for FrameError {}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PreludeCrc { computed, declared } => {
                write!(f, "prelude CRC mismatch (computed {computed:#010x}, frame says {declared:#010x})")
            }
            Self::MessageCrc { computed, declared } => {
                write!(f, "message CRC mismatch (computed {computed:#010x}, frame says {declared:#010x})")
            }
            Self::TotalTooShort { total } => {
                write!(f, "total length {total} is less than the {FRAME_OVERHEAD}-byte minimum")
            }
            Self::HeadersPastEnd { headers, total } => {
                write!(f, "headers length {headers} runs past the end of a frame of total length {total}")
            }
            Self::HeadersTooLong { headers } => {
                write!(f, "headers length {headers} exceeds the {MAX_HEADERS_LEN}-byte limit")
            }
            Self::TotalTooLong { total, headers } => write!(
                f,
                "total length {total} exceeds the {}-byte limit (a payload of at most {MAX_PAYLOAD_LEN} bytes \
                 after {headers} bytes of headers)",
                max_total(*headers)
            ),
            Self::PayloadTooLong { payload } => {
                write!(f, "payload of {payload} bytes exceeds the {MAX_PAYLOAD_LEN}-byte limit")
            }
            Self::Header { at, name, problem } => {
                f.write_str("header")?;
                if let Some(name) = name {
                    write!(f, " `{name}`")?;
                }
                if let Some(at) = at {
                    write!(f, " at byte {at}")?;
                }
                write!(f, ": {problem}")
            }
            Self::Truncated { have, total: Some(total) } => write!(f, "truncated: {have} of {total} bytes"),
            Self::Truncated { have, total: None } => {
                write!(f, "truncated: {have} bytes, not yet the {PRELUDE_LEN}-byte prelude")
            }
            Self::TrailingBytes { total, extra } => {
                write!(f, "{extra} bytes after the end of the frame (total length {total})")
            }
        }
    }
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyName => f.write_str("name length 0"),
            Self::NameTooLong { len } => write!(f, "name of {len} bytes exceeds the {MAX_NAME_LEN}-byte limit"),
            Self::NamePastEnd { len, left } => write!(f, "name needs {len} bytes, the headers have {left} left"),
            Self::LengthPastEnd { kind, left } => {
                write!(f, "{kind} length needs 2 bytes, the headers have {left} left")
            }
            Self::NameNotUtf8 => f.write_str("name is not UTF-8"),
            Self::MissingType => f.write_str("the headers end before the value type"),
            Self::UnknownType(value_type) => write!(f, "unknown value type {value_type}"),
            Self::ValuePastEnd { kind, len, left } => {
                write!(f, "{kind} value needs {len} bytes, the headers have {left} left")
            }
            Self::ValueTooLong { kind, len } => {
                write!(f, "{kind} value of {len} bytes exceeds the {MAX_VALUE_LEN}-byte limit")
            }
            Self::ValueNotUtf8 => f.write_str("string value is not UTF-8"),
        }
    }
}

/// The largest total length of a frame with `headers` bytes of headers.
fn max_total(headers: u32) -> u64 {
    // u64: no overflow whatever `headers` is.
    FRAME_OVERHEAD as u64 + u64::from(headers) + MAX_PAYLOAD_LEN as u64
}

/// The two lengths of a frame's prelude, checked.
#[derive(Debug, Clone, Copy)]
struct Prelude {
    total: u32,
    headers: u32,
}

impl Prelude {
    /// Reads and checks a prelude: its CRC, then that the lengths fit each other and the limits.
    fn read(prelude: &[u8; PRELUDE_LEN]) -> Result<Self, Problem> {
        let [t0, t1, t2, t3, h0, h1, h2, h3, c0, c1, c2, c3] = *prelude;
        let computed = crc32fast::hash(&[t0, t1, t2, t3, h0, h1, h2, h3]);
        let declared = u32::from_be_bytes([c0, c1, c2, c3]);
        if computed != declared {
            return Err(Problem::PreludeCrc { computed, declared });
        }
        let total = u32::from_be_bytes([t0, t1, t2, t3]);
        let headers = u32::from_be_bytes([h0, h1, h2, h3]);
        let room = u64::from(total).checked_sub(FRAME_OVERHEAD as u64).ok_or(Problem::TotalTooShort { total })?;
        if u64::from(headers) > room {
            return Err(Problem::HeadersPastEnd { headers, total });
        }
        if u64::from(headers) > MAX_HEADERS_LEN as u64 {
            return Err(Problem::HeadersTooLong { headers: usize::try_from(headers).unwrap_or(usize::MAX) });
        }
        if u64::from(total) > max_total(headers) {
            return Err(Problem::TotalTooLong { total, headers });
        }
        Ok(Self { total, headers })
    }

    /// The prelude at the start of `bytes`, or `None` when fewer than 12 bytes are there.
    fn read_start(bytes: &[u8]) -> Option<Result<Self, Problem>> {
        bytes.first_chunk::<PRELUDE_LEN>().map(Self::read)
    }

    /// The total length as a count of bytes (the limits keep it far below `usize::MAX`).
    fn total_len(&self) -> usize {
        usize::try_from(self.total).unwrap_or(usize::MAX)
    }
}

/// Reads the one frame `frame` holds (no more, no less).
pub fn decode_message(frame: &[u8]) -> Result<Message, FrameError> {
    decode_whole(frame).map_err(|problem| FrameError { origin: Origin::Frame, problem })
}

fn decode_whole(frame: &[u8]) -> Result<Message, Problem> {
    let prelude = match Prelude::read_start(frame) {
        Some(prelude) => prelude?,
        None => return Err(Problem::Truncated { have: frame.len(), total: None }),
    };
    let total = prelude.total_len();
    if frame.len() < total {
        return Err(Problem::Truncated { have: frame.len(), total: Some(prelude.total) });
    }
    if frame.len() > total {
        return Err(Problem::TrailingBytes { total: prelude.total, extra: frame.len() - total });
    }
    read_frame(&Bytes::copy_from_slice(frame), prelude)
}

/// Reads a frame whose prelude has been checked and whose length is the prelude's total: the
/// message CRC first (so a corrupted frame is reported as such, not by the header it garbles),
/// then the headers. The payload shares `frame`'s memory.
fn read_frame(frame: &Bytes, prelude: Prelude) -> Result<Message, Problem> {
    let truncated = || Problem::Truncated { have: frame.len(), total: Some(prelude.total) };
    let (covered, declared) = frame.split_last_chunk::<4>().ok_or_else(truncated)?;
    let computed = crc32fast::hash(covered);
    let declared = u32::from_be_bytes(*declared);
    if computed != declared {
        return Err(Problem::MessageCrc { computed, declared });
    }
    let headers_end = usize::try_from(prelude.headers).ok().and_then(|len| len.checked_add(PRELUDE_LEN));
    let (headers, payload) = headers_end
        .and_then(|end| Some((covered.get(PRELUDE_LEN..end)?, covered.get(end..)?)))
        .ok_or_else(truncated)?;
    Ok(Message::from_parts(read_headers(headers)?, frame.slice_ref(payload)))
}

/// Reads a header section (which starts at byte 12 of its frame).
fn read_headers(section: &[u8]) -> Result<Vec<Header>, Problem> {
    let mut reader = Reader { bytes: section, pos: 0 };
    let mut headers = Vec::new();
    while reader.left() > 0 {
        let at = PRELUDE_LEN + reader.pos;
        let name = read_name(&mut reader).map_err(|problem| Problem::Header { at: Some(at), name: None, problem })?;
        let value = read_value(&mut reader).map_err(|problem| Problem::Header {
            at: Some(at),
            name: Some(name.clone()),
            problem,
        })?;
        headers.push(Header { name, value });
    }
    Ok(headers)
}

fn read_name(reader: &mut Reader<'_>) -> Result<String, HeaderProblem> {
    let len = match reader.byte() {
        Some(0) | None => return Err(HeaderProblem::EmptyName),
        Some(len) => len,
    };
    let left = reader.left();
    let name = reader.take(usize::from(len)).ok_or(HeaderProblem::NamePastEnd { len, left })?;
    String::from_utf8(name.to_vec()).map_err(|_| HeaderProblem::NameNotUtf8)
}

fn read_value(reader: &mut Reader<'_>) -> Result<HeaderValue, HeaderProblem> {
    use value_type::*;
    let value_type = reader.byte().ok_or(HeaderProblem::MissingType)?;
    Ok(match value_type {
        TRUE => HeaderValue::Bool(true),
        FALSE => HeaderValue::Bool(false),
        BYTE => HeaderValue::Byte(i8::from_be_bytes(reader.array("byte")?)),
        INT16 => HeaderValue::Int16(i16::from_be_bytes(reader.array("int16")?)),
        INT32 => HeaderValue::Int32(i32::from_be_bytes(reader.array("int32")?)),
        INT64 => HeaderValue::Int64(i64::from_be_bytes(reader.array("int64")?)),
        BYTE_ARRAY => HeaderValue::ByteArray(Bytes::copy_from_slice(reader.sized("byte array")?)),
        STRING => HeaderValue::String(
            String::from_utf8(reader.sized("string")?.to_vec()).map_err(|_| HeaderProblem::ValueNotUtf8)?,
        ),
        TIMESTAMP => HeaderValue::Timestamp(i64::from_be_bytes(reader.array("timestamp")?)),
        UUID => HeaderValue::Uuid(reader.array("uuid")?),
        other => return Err(HeaderProblem::UnknownType(other)),
    })
}

/// A cursor over a header section; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let taken = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    /// A fixed-size value of `kind`.
    fn array<const N: usize>(&mut self, kind: &'static str) -> Result<[u8; N], HeaderProblem> {
        let left = self.left();
        self.take(N).and_then(|bytes| bytes.try_into().ok()).ok_or(HeaderProblem::ValuePastEnd { kind, len: N, left })
    }

    /// A value of `kind` after its two-byte length.
    fn sized(&mut self, kind: &'static str) -> Result<&'a [u8], HeaderProblem> {
        let left = self.left();
        let len = self.array(kind).map_err(|_| HeaderProblem::LengthPastEnd { kind, left })?;
        let len = usize::from(u16::from_be_bytes(len));
        if len > MAX_VALUE_LEN {
            return Err(HeaderProblem::ValueTooLong { kind, len });
        }
        let left = self.left();
        self.take(len).ok_or(HeaderProblem::ValuePastEnd { kind, len, left })
    }
}

/// Reads the frames of a stream as its bytes arrive, in chunks of any size.
///
/// [`push`](Self::push) each chunk, then call [`next_message`](Self::next_message) until it
/// answers `Ok(None)`; at the end of the body, [`finish`](Self::finish) tells whether a frame
/// was cut short. A frame's declared lengths are checked once its 12-byte prelude is in, so a
/// hostile length fails before its bytes are waited for. After an error the stream cannot be
/// trusted: the decoder keeps answering that error and ignores further input.
///
/// Payloads are not copied: they share the memory the input was buffered in, so a payload
/// kept long after its stream may keep that of neighbouring frames alive too
/// (`Bytes::copy_from_slice` detaches it).
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    /// Frames decoded so far.
    decoded: u64,
    failed: Option<FrameError>,
}

impl MessageDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Buffers the next bytes of the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.failed.is_none() {
            self.buffer.extend_from_slice(chunk);
        }
    }

    /// The next whole message, `Ok(None)` when more bytes are needed first.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        match self.read_next() {
            Ok(message) => Ok(message),
            Err(problem) => {
                let error = self.error(problem);
                self.failed = Some(error.clone());
                Err(error)
            }
        }
    }

    fn read_next(&mut self) -> Result<Option<Message>, Problem> {
        let Some(prelude) = Prelude::read_start(&self.buffer) else { return Ok(None) };
        let prelude = prelude?;
        if self.buffer.len() < prelude.total_len() {
            return Ok(None);
        }
        let frame = self.buffer.split_to(prelude.total_len()).freeze();
        let message = read_frame(&frame, prelude)?;
        self.decoded += 1;
        Ok(Some(message))
    }

    /// At the end of the stream: an error when part of a frame is still buffered (or the
    /// stream already failed).
    pub fn finish(&self) -> Result<(), FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.buffer.is_empty() {
            return Ok(());
        }
        let total = match Prelude::read_start(&self.buffer) {
            Some(Ok(prelude)) => Some(prelude.total),
            Some(Err(problem)) => return Err(self.error(problem)),
            None => None,
        };
        Err(self.error(Problem::Truncated { have: self.buffer.len(), total }))
    }

    /// How many bytes are buffered: the start of a frame not yet complete (or not yet asked
    /// for).
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// `problem` in the frame being read.
    fn error(&self, problem: Problem) -> FrameError {
        FrameError { origin: Origin::Stream(self.decoded.saturating_add(1)), problem }
    }
}
