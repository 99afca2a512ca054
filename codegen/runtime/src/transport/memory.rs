//! A transport for tests: answers every request with a closure and records the requests.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{Request, Response};

use super::body::chunk_stream;
use super::{RequestBody, ResponseBody, StreamingFuture, Transport, TransportError, TransportFuture};

type Handler = dyn Fn(&Request<Bytes>) -> Result<Response<Bytes>, TransportError> + Send + Sync;
type ChunkedHandler = dyn Fn(&Request<Bytes>) -> Result<Response<Vec<Bytes>>, TransportError> + Send + Sync;

/// A transport for tests: answers every request with a closure and records the requests.
///
/// Clones share the closure and the recorded list.
#[derive(Clone)]
pub struct InMemoryTransport {
    handler: Answer,
    requests: Arc<Mutex<Vec<Request<Bytes>>>>,
}

/// The closure answering requests: with whole bodies, or with bodies in chunks.
#[derive(Clone)]
enum Answer {
    Whole(Arc<Handler>),
    Chunked(Arc<ChunkedHandler>),
}

impl Answer {
    /// The response with its body whole (chunks joined).
    fn whole(&self, request: &Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        match self {
            Self::Whole(handler) => handler(request),
            Self::Chunked(handler) => Ok(handler(request)?.map(|chunks| Bytes::from(chunks.concat()))),
        }
    }

    /// The response with its body as a stream (a whole body is one chunk).
    fn streamed(&self, request: &Request<Bytes>) -> Result<Response<ResponseBody>, TransportError> {
        match self {
            Self::Whole(handler) => Ok(handler(request)?.map(ResponseBody::from_bytes)),
            Self::Chunked(handler) => {
                Ok(handler(request)?.map(|chunks| ResponseBody::from_stream(chunk_stream(chunks))))
            }
        }
    }
}

impl InMemoryTransport {
    /// A transport answering with `handler`.
    pub fn new(
        handler: impl Fn(&Request<Bytes>) -> Result<Response<Bytes>, TransportError> + Send + Sync + 'static,
    ) -> Self {
        Self { handler: Answer::Whole(Arc::new(handler)), requests: Arc::default() }
    }

    /// A transport answering with `handler`, whose response bodies are the chunks a
    /// [`send_streaming`](Transport::send_streaming) caller reads one by one, as given
    /// (`send` joins them).
    pub fn streaming(
        handler: impl Fn(&Request<Bytes>) -> Result<Response<Vec<Bytes>>, TransportError> + Send + Sync + 'static,
    ) -> Self {
        Self { handler: Answer::Chunked(Arc::new(handler)), requests: Arc::default() }
    }

    /// Copies of every request sent so far, oldest first (extensions are not copied).
    pub fn requests(&self) -> Vec<Request<Bytes>> {
        self.recorded().iter().map(copy_request).collect()
    }

    fn recorded(&self) -> std::sync::MutexGuard<'_, Vec<Request<Bytes>>> {
        // A panicking handler in another test thread must not make this one panic too.
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for InMemoryTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemoryTransport").field("requests", &self.recorded().len()).finish()
    }
}

impl Transport for InMemoryTransport {
    fn send(&self, request: Request<Bytes>) -> TransportFuture<'_> {
        let outcome = self.handler.whole(&request);
        self.recorded().push(request);
        Box::pin(std::future::ready(outcome))
    }

    /// Collects a streamed request body (a failing stream fails the call, recording nothing),
    /// records the request with the whole body and answers like `send`, chunk by chunk.
    fn send_streaming(&self, request: Request<RequestBody>) -> StreamingFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = Request::from_parts(parts, body.into_bytes().await?);
            let outcome = self.handler.streamed(&request);
            self.recorded().push(request);
            outcome
        })
    }
}

/// `http::Request` is not `Clone`; this copies everything but the extensions.
pub(crate) fn copy_request(request: &Request<Bytes>) -> Request<Bytes> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}
