//! Bodies that stream: [`RequestBody`] (bytes, or chunks produced while the request is in
//! flight) and [`ResponseBody`] (chunks read as they arrive).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use super::{TransportError, TransportErrorKind};

/// A boxed stream of body chunks.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

/// A request body: bytes known up front, or a stream produced while the request is in flight.
pub enum RequestBody {
    /// The whole body.
    Bytes(Bytes),
    /// Chunks sent as they are produced; an error item aborts the request.
    Stream(BodyStream),
}

impl RequestBody {
    /// The whole body, a stream read to its end (so only for finite streams).
    pub(crate) async fn into_bytes(self) -> Result<Bytes, TransportError> {
        match self {
            Self::Bytes(bytes) => Ok(bytes),
            Self::Stream(mut stream) => {
                let mut whole = Collector::default();
                while let Some(chunk) = next(&mut stream).await {
                    whole.push(chunk?);
                }
                Ok(whole.finish())
            }
        }
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(bytes) => f.debug_tuple("Bytes").field(&format_args!("{} bytes", bytes.len())).finish(),
            Self::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// A response body read as it arrives.
///
/// Also a [`Stream`] of the same chunks. Once it has ended it stays ended.
pub struct ResponseBody {
    inner: Inner,
}

enum Inner {
    /// The rest of a body known up front; `None` once handed over (or empty).
    Bytes(Option<Bytes>),
    Stream(BodyStream),
}

impl ResponseBody {
    /// A body of `bytes`, handed over as one chunk (none when empty).
    pub fn from_bytes(bytes: Bytes) -> Self {
        Self { inner: Inner::Bytes(Some(bytes).filter(|bytes| !bytes.is_empty())) }
    }

    /// A body whose chunks are the items of `stream`.
    pub fn from_stream(stream: BodyStream) -> Self {
        Self { inner: Inner::Stream(stream) }
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, TransportError>> {
        next(self).await
    }

    /// Reads the rest into memory, failing with [`TransportErrorKind::ResponseTooLarge`] past
    /// `limit` bytes (for error responses of streaming calls).
    pub async fn collect(mut self, limit: usize) -> Result<Bytes, TransportError> {
        let mut whole = Collector::default();
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            // `whole.len` never exceeds `limit`.
            if chunk.len() > limit - whole.len {
                return Err(TransportError::new(
                    TransportErrorKind::ResponseTooLarge,
                    format!("the response body exceeds {limit} bytes"),
                ));
            }
            whole.push(chunk);
        }
        Ok(whole.finish())
    }
}

impl Stream for ResponseBody {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match &mut this.inner {
            Inner::Bytes(rest) => Poll::Ready(rest.take().map(Ok)),
            Inner::Stream(stream) => {
                let polled = stream.as_mut().poll_next(cx);
                if let Poll::Ready(None) = polled {
                    // A stream polled past its end may panic; this body answers `None` again.
                    this.inner = Inner::Bytes(None);
                }
                polled
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            Inner::Bytes(rest) => {
                let count = usize::from(rest.is_some());
                (count, Some(count))
            }
            Inner::Stream(stream) => stream.size_hint(),
        }
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_tuple("ResponseBody");
        match &self.inner {
            Inner::Bytes(rest) => {
                shown.field(&format_args!("{} bytes", rest.as_ref().map_or(0, Bytes::len)));
            }
            Inner::Stream(_) => {
                shown.field(&format_args!("stream"));
            }
        }
        shown.finish()
    }
}

/// A stream handing over `chunks` in order, as given.
pub(crate) fn chunk_stream(chunks: Vec<Bytes>) -> BodyStream {
    struct Chunks(std::vec::IntoIter<Bytes>);

    impl Stream for Chunks {
        type Item = Result<Bytes, TransportError>;

        fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.next().map(Ok))
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            self.0.size_hint()
        }
    }

    Box::pin(Chunks(chunks.into_iter()))
}

/// The next item of an `Unpin` stream.
async fn next<S: Stream + Unpin + ?Sized>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Joins chunks, copying only when there is more than one.
#[derive(Default)]
struct Collector {
    first: Option<Bytes>,
    joined: BytesMut,
    len: usize,
}

impl Collector {
    fn push(&mut self, chunk: Bytes) {
        self.len += chunk.len();
        if chunk.is_empty() {
            return;
        }
        match self.first.take() {
            None if self.joined.is_empty() => self.first = Some(chunk),
            None => self.joined.extend_from_slice(&chunk),
            Some(first) => {
                self.joined.extend_from_slice(&first);
                self.joined.extend_from_slice(&chunk);
            }
        }
    }

    fn finish(self) -> Bytes {
        self.first.unwrap_or_else(|| self.joined.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static str]) -> Vec<Bytes> {
        parts.iter().map(|part| Bytes::from_static(part.as_bytes())).collect()
    }

    #[tokio::test]
    async fn a_streamed_body_hands_over_its_chunks_then_stays_ended() {
        let mut body = ResponseBody::from_stream(chunk_stream(chunks(&["ab", "", "cd"])));
        assert_eq!(format!("{body:?}"), "ResponseBody(stream)");
        let mut seen = Vec::new();
        while let Some(chunk) = body.next_chunk().await {
            seen.push(chunk.expect("a chunk"));
        }
        assert_eq!(seen, chunks(&["ab", "", "cd"]));
        assert!(body.next_chunk().await.is_none());
        assert_eq!(format!("{body:?}"), "ResponseBody(0 bytes)");
    }

    #[tokio::test]
    async fn a_body_of_bytes_is_one_chunk_and_an_empty_one_none() {
        let mut body = ResponseBody::from_bytes(Bytes::from_static(b"whole"));
        assert_eq!(format!("{body:?}"), "ResponseBody(5 bytes)");
        assert_eq!(body.size_hint(), (1, Some(1)));
        assert_eq!(body.next_chunk().await.transpose().expect("no error"), Some(Bytes::from_static(b"whole")));
        assert!(body.next_chunk().await.is_none());
        assert!(ResponseBody::from_bytes(Bytes::new()).next_chunk().await.is_none());
    }

    #[tokio::test]
    async fn collect_joins_chunks_up_to_the_limit() {
        let body = || ResponseBody::from_stream(chunk_stream(chunks(&["01234", "56789"])));
        assert_eq!(body().collect(10).await.expect("within the limit"), "0123456789");
        let err = body().collect(9).await.expect_err("past the limit");
        assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge);
        assert_eq!(err.to_string(), "response too large: the response body exceeds 9 bytes");
        let err = ResponseBody::from_bytes(Bytes::from_static(b"0123")).collect(3).await.expect_err("one chunk");
        assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge);
        let single = ResponseBody::from_bytes(Bytes::from_static(b"0123")).collect(4).await.expect("exactly");
        assert_eq!(single, "0123");
        assert_eq!(ResponseBody::from_bytes(Bytes::new()).collect(0).await.expect("empty"), "");
    }

    #[tokio::test]
    async fn collect_stops_at_an_error_chunk() {
        let failing: BodyStream = Box::pin(FailAfterOne(false));
        let err = ResponseBody::from_stream(failing).collect(100).await.expect_err("an error chunk");
        assert_eq!(err.kind(), TransportErrorKind::Io);
    }

    #[tokio::test]
    async fn a_request_stream_is_collected_whole() {
        let streamed = RequestBody::Stream(chunk_stream(chunks(&["a", "bc", "", "d"])));
        assert_eq!(format!("{streamed:?}"), "Stream");
        assert_eq!(streamed.into_bytes().await.expect("whole"), "abcd");
        let bytes = RequestBody::Bytes(Bytes::from_static(b"xyz"));
        assert_eq!(format!("{bytes:?}"), "Bytes(3 bytes)");
        assert_eq!(bytes.into_bytes().await.expect("whole"), "xyz");
        let err = RequestBody::Stream(Box::pin(FailAfterOne(false))).into_bytes().await.expect_err("failed");
        assert_eq!(err.message(), "gone");
    }

    /// One chunk, then an I/O error.
    struct FailAfterOne(bool);

    impl Stream for FailAfterOne {
        type Item = Result<Bytes, TransportError>;

        fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let sent = std::mem::replace(&mut self.get_mut().0, true);
            Poll::Ready(Some(if sent { Err(TransportError::io("gone")) } else { Ok(Bytes::from_static(b"x")) }))
        }
    }
}
