//! The bodies [`HyperTransport`](super::HyperTransport) hands to hyper and takes from it: the
//! request body, whole or streamed, and the response body as a stream of chunks.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http_body_util::Full;
use hyper::body::{Body, Frame, Incoming, SizeHint};

use super::hyper::error_chain;
use super::{BodyStream, RequestBody, TransportError};

/// A request body as hyper sends it: a whole body exactly as [`Full`] sends it (its length
/// known, so `send` writes the requests it always has), or chunks as the stream produces them
/// (chunked transfer encoding on HTTP/1.1 unless the request carries a `content-length`, DATA
/// frames on HTTP/2).
pub(crate) enum OutgoingBody {
    Whole(Full<Bytes>),
    Streamed(BodyStream),
}

impl From<Bytes> for OutgoingBody {
    fn from(bytes: Bytes) -> Self {
        Self::Whole(Full::new(bytes))
    }
}

impl From<RequestBody> for OutgoingBody {
    fn from(body: RequestBody) -> Self {
        match body {
            RequestBody::Bytes(bytes) => bytes.into(),
            RequestBody::Stream(stream) => Self::Streamed(stream),
        }
    }
}

impl Body for OutgoingBody {
    type Data = Bytes;
    type Error = TransportError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, TransportError>>> {
        match self.get_mut() {
            Self::Whole(full) => Pin::new(full).poll_frame(cx).map_err(|never| match never {}),
            Self::Streamed(stream) => loop {
                match ready!(stream.as_mut().poll_next(cx)) {
                    // Nothing to send; an empty frame is not a chunk worth a write.
                    Some(Ok(chunk)) if chunk.is_empty() => continue,
                    item => return Poll::Ready(item.map(|chunk| chunk.map(Frame::data))),
                }
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Whole(full) => full.is_end_stream(),
            Self::Streamed(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Whole(full) => full.size_hint(),
            Self::Streamed(_) => SizeHint::default(),
        }
    }
}

/// A response body handed over frame by frame, never buffered whole. Each wait for data is
/// bounded by the read timeout, if any; a failure is one error chunk, then the end.
pub(crate) struct IncomingChunks {
    /// `None` once the body has ended or failed.
    body: Option<Incoming>,
    read_timeout: Option<Duration>,
    /// The deadline of the current wait, armed when a poll finds no data.
    idle: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl IncomingChunks {
    pub(crate) fn new(body: Incoming, read_timeout: Option<Duration>) -> Self {
        Self { body: Some(body), read_timeout, idle: None }
    }

    /// Fails the body once the current wait has lasted the read timeout.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, TransportError>>> {
        let Some(limit) = self.read_timeout else { return Poll::Pending };
        let idle = self.idle.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        ready!(idle.as_mut().poll(cx));
        self.end();
        Poll::Ready(Some(Err(TransportError::timeout(format!("no response data arrived for {limit:?}")))))
    }

    fn end(&mut self) {
        self.body = None;
        self.idle = None;
    }
}

impl Stream for IncomingChunks {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            let Some(body) = this.body.as_mut() else { return Poll::Ready(None) };
            match Pin::new(body).poll_frame(cx) {
                Poll::Pending => return this.poll_idle(cx),
                Poll::Ready(None) => {
                    this.end();
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(err))) => {
                    this.end();
                    let message = format!("reading the response body failed: {}", error_chain(&err));
                    return Poll::Ready(Some(Err(TransportError::io(message).with_source(err))));
                }
                Poll::Ready(Some(Ok(frame))) => {
                    // Data arrived: the next wait gets the whole read timeout.
                    this.idle = None;
                    // Trailers carry nothing a caller reads.
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
            }
        }
    }
}
