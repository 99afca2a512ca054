//! A transport for tests: answers every request with a closure and records the requests.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{Request, Response};

use super::{Transport, TransportError, TransportFuture};

type Handler = dyn Fn(&Request<Bytes>) -> Result<Response<Bytes>, TransportError> + Send + Sync;

/// A transport for tests: answers every request with a closure and records the requests.
///
/// Clones share the closure and the recorded list.
#[derive(Clone)]
pub struct InMemoryTransport {
    handler: Arc<Handler>,
    requests: Arc<Mutex<Vec<Request<Bytes>>>>,
}

impl InMemoryTransport {
    /// A transport answering with `handler`.
    pub fn new(
        handler: impl Fn(&Request<Bytes>) -> Result<Response<Bytes>, TransportError> + Send + Sync + 'static,
    ) -> Self {
        Self { handler: Arc::new(handler), requests: Arc::default() }
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
        let outcome = (self.handler)(&request);
        self.recorded().push(request);
        Box::pin(std::future::ready(outcome))
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
