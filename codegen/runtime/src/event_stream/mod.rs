//! The `application/vnd.amazon.eventstream` message codec and chained event signatures.
//!
//! An event stream is a sequence of binary frames, each one [`Message`]: typed headers and a
//! payload, framed with their lengths and two CRC32 checksums (see the Smithy specification,
//! "Amazon Event Stream Specification"):
//!
//! ```text
//! total length u32 | headers length u32 | prelude CRC u32 | headers | payload | message CRC u32
//! ```
//!
//! [`Message::encode`] writes one frame, [`decode_message`] reads one, and [`MessageDecoder`]
//! reads frames from a body that arrives in chunks of any size. Every length a frame declares
//! is checked against the limits of the AWS SDKs (headers up to 128 KiB, payload up to 16 MiB)
//! as soon as its 12-byte prelude is in, so a corrupt or hostile frame fails with a
//! [`FrameError`] before anything is allocated for it.
//!
//! An event a client sends is wrapped by [`EventSigner`] in an envelope message whose headers
//! sign it, each signature chained to the previous one and the first to the signature of the
//! HTTP request that opened the stream.
//!
//! On top of the codec, the typed streams of generated operations: an [`EventReceiver`] reads
//! a response body as it arrives and turns each message into an event of the operation's union
//! (generated [`Unmarshal`]) or one of its modeled errors; an [`EventStreamInput`] holds the
//! events a call sends (generated [`Marshal`]), which [`send_streaming`] signs and frames into
//! the request body.

mod call;
mod decode;
mod frame;
mod input;
mod receive;
mod sign;
#[doc(hidden)]
pub mod wire;

#[cfg(test)]
mod compliance_tests;
#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod sign_tests;
#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;

pub use call::{collect_response, send_streaming, EventBody};
pub use decode::{decode_message, FrameError, MessageDecoder};
pub use frame::{Header, HeaderValue, Message};
pub use input::{EventStreamInput, Marshal};
pub use receive::{split_response, EventReceiver, Unmarshal};
pub use sign::{EventSigner, SignError};
