//! What sends HTTP requests: the [`Transport`] trait a configuration holds, its errors, the
//! bodies of streamed requests and responses ([`RequestBody`], [`ResponseBody`]), and the two
//! transports the runtime ships: [`HyperTransport`] (the default) and [`InMemoryTransport`]
//! (for tests).

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use http::{Request, Response};

mod body;
mod hyper;
mod hyper_body;
mod memory;
mod proxy;
#[cfg(test)]
mod streaming_tests;

pub use self::body::{BodyStream, RequestBody, ResponseBody};
pub use self::hyper::{HyperTransport, HyperTransportBuilder};
#[cfg(test)]
pub(crate) use self::memory::copy_request;
pub use self::memory::InMemoryTransport;
pub use self::proxy::ProxyConfig;

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<Response<Bytes>, TransportError>> + Send + 'a>>;

/// The future [`Transport::send_streaming`] returns; it resolves when the response head
/// arrives.
pub type StreamingFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Response<ResponseBody>, TransportError>> + Send + 'a>>;

/// What sends HTTP requests. Object-safe, so a [`Config`](crate::client::Config) can hold any
/// transport.
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` (its URI is absolute) and reads the whole response.
    #[allow(clippy::type_complexity)]
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> Pin<Box<dyn Future<Output = Result<Response<Bytes>, TransportError>> + Send + '_>>;

    /// Sends a request whose response body (and possibly request body) streams. The future
    /// resolves when the response head arrives; the body is then read chunk by chunk.
    ///
    /// By default a [`RequestBody::Bytes`] request goes through [`send`](Transport::send) and
    /// its whole response body becomes a one-chunk [`ResponseBody`]; a [`RequestBody::Stream`]
    /// is collected first (fine for finite streams, e.g. in tests) and then sent the same way.
    fn send_streaming(&self, request: Request<RequestBody>) -> StreamingFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = Request::from_parts(parts, body.into_bytes().await?);
            let response = self.send(request).await?;
            Ok(response.map(ResponseBody::from_bytes))
        })
    }
}

/// What kind of failure a [`TransportError`] is; decides whether it is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, TCP, TLS); retried.
    Connect,
    /// The transport's own timeout fired; retried.
    Timeout,
    /// The connection failed while sending or receiving, e.g. it was closed mid-response;
    /// retried.
    Io,
    /// The response body was larger than the transport accepts; not retried.
    ResponseTooLarge,
    /// Anything else, e.g. an invalid request or response; not retried.
    Other,
}

/// A request could not be sent or its response could not be received.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn Error + Send + Sync>>,
    /// How many attempts ended this way, when more than one was made.
    attempts: u32,
}

impl TransportError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), source: None, attempts: 1 }
    }

    /// A connection failure.
    pub fn connect(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Connect, message)
    }

    /// A transport-level timeout.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Timeout, message)
    }

    /// A failure while sending or receiving.
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Io, message)
    }

    /// Any other failure.
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Other, message)
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The same failure, the last of `attempts` attempts.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The description of the failure.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether another attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "transport timed out",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::ResponseTooLarge => "response too large",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.message)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|source| &**source as &(dyn Error + 'static))
    }
}
