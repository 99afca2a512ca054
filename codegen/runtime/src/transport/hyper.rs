//! The default transport: hyper 1 with pooled HTTP/1 connections (and HTTP/2 ones for the
//! requests that ask for it, with the `http2` feature), HTTPS through rustls.

use std::error::Error;
use std::fmt;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use http::{Request, Response, Version};

use super::hyper_body::{IncomingChunks, OutgoingBody};
use super::proxy::{ProxyConfig, ProxyConnector};
use super::{
    RequestBody, ResponseBody, StreamingFuture, Transport, TransportError, TransportErrorKind, TransportFuture,
};
use crate::config::TimeoutConfig;
use crate::error::metadata::request_id;
use hyper_util::client::proxy::matcher::Matcher;

type HyperClient = hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<ProxyConnector>, OutgoingBody>;

/// The default transport: hyper 1 with a pooled connection per host, HTTPS through rustls
/// (ring; the platform's root certificates, plus a CA bundle if given) and plain HTTP for
/// `http://` endpoints.
///
/// Requests go over HTTP/1.1, except those whose version is [`Version::HTTP_2`], which need the
/// `http2` feature and go over HTTP/2 (ALPN `h2` on TLS, prior knowledge on `http://`).
///
/// [`send`](Transport::send) reads whole response bodies up to `max_response_bytes` (20 MiB
/// unless changed); [`send_streaming`](Transport::send_streaming) hands them over as they
/// arrive, without a cap, each wait for data bounded by the read timeout (none unless set).
/// Cloning is cheap and clones share the connection pools.
#[derive(Clone)]
pub struct HyperTransport {
    // A set-up failure (a TLS provider problem, a malformed proxy variable) is kept and
    // reported by every `send` rather than panicking in a constructor that cannot fail.
    client: Result<Clients, Arc<str>>,
    /// The proxies, to add `Proxy-Authorization` to plain HTTP requests sent through one.
    proxies: Option<Arc<Matcher>>,
    max_response_bytes: usize,
    read_timeout: Option<Duration>,
}

/// The connection pools, one per protocol.
///
/// HTTP/1.1 requests match the official SDK's byte for byte, so the HTTP/1 client offers no
/// ALPN and never moves a request to HTTP/2. Requests that need HTTP/2 get an h2-only client
/// (ALPN `h2` alone, prior knowledge on `http://`, which a client negotiating both could not
/// speak), built on the first such request: most transports never send one.
#[derive(Clone)]
struct Clients {
    http1: HyperClient,
    #[cfg(feature = "http2")]
    http2: Arc<std::sync::OnceLock<HyperClient>>,
    #[cfg(feature = "http2")]
    settings: ClientSettings,
}

/// What a client is built from.
#[derive(Clone)]
struct ClientSettings {
    connect_timeout: Option<Duration>,
    tls: Arc<rustls::ClientConfig>,
    proxies: Option<Arc<Matcher>>,
}

/// The protocol a client speaks.
#[derive(Clone, Copy)]
enum Protocol {
    Http1,
    #[cfg(feature = "http2")]
    Http2,
}

impl Clients {
    fn new(settings: ClientSettings) -> Self {
        Self {
            http1: hyper_client(&settings, Protocol::Http1),
            #[cfg(feature = "http2")]
            http2: Arc::default(),
            #[cfg(feature = "http2")]
            settings,
        }
    }

    /// The client for requests of `version`.
    fn of(&self, version: Version) -> Result<&HyperClient, TransportError> {
        if version == Version::HTTP_2 {
            self.http2()
        } else {
            Ok(&self.http1)
        }
    }

    #[cfg(feature = "http2")]
    fn http2(&self) -> Result<&HyperClient, TransportError> {
        Ok(self.http2.get_or_init(|| hyper_client(&self.settings, Protocol::Http2)))
    }

    #[cfg(not(feature = "http2"))]
    fn http2(&self) -> Result<&HyperClient, TransportError> {
        Err(TransportError::other("this operation needs HTTP/2: enable the `http2` feature of aws-lite-runtime"))
    }
}

/// Builds a [`HyperTransport`] with a CA bundle or proxies of its own.
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Option<Duration>,
    ca_bundle: Option<Vec<u8>>,
    proxy: ProxyConfig,
}

impl HyperTransportBuilder {
    /// Also trusts the certificates of `pem` (a CA bundle, as `AWS_CA_BUNDLE` names).
    pub fn ca_bundle(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundle = Some(pem.into());
        self
    }

    /// Uses these proxies instead of those of the process environment.
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// Builds the transport. Fails when the CA bundle holds no certificate or an invalid one,
    /// or a proxy URL is unusable.
    pub fn build(self) -> Result<HyperTransport, String> {
        let tls = match &self.ca_bundle {
            None => DEFAULT_TLS.clone()?,
            Some(pem) => tls_config(with_bundle(pem)?)?,
        };
        let proxies = self.proxy.matcher()?.map(Arc::new);
        let clients =
            Clients::new(ClientSettings { connect_timeout: self.connect_timeout, tls, proxies: proxies.clone() });
        Ok(HyperTransport {
            client: Ok(clients),
            proxies,
            max_response_bytes: HyperTransport::DEFAULT_MAX_RESPONSE_BYTES,
            read_timeout: None,
        })
    }
}

impl HyperTransport {
    /// The default response size cap.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 20 * 1024 * 1024;

    /// A transport using the connect timeout of `timeouts`, trusting the platform's root
    /// certificates (Mozilla's when the platform has none), through the proxies of
    /// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. Needs no runtime until `send`.
    pub fn new(timeouts: &TimeoutConfig) -> Self {
        Self::builder(timeouts).build().unwrap_or_else(|err| Self {
            client: Err(Arc::from(err)),
            proxies: None,
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
            read_timeout: None,
        })
    }

    /// A builder with the connect timeout of `timeouts`, the platform's roots and the
    /// environment's proxies.
    pub fn builder(timeouts: &TimeoutConfig) -> HyperTransportBuilder {
        HyperTransportBuilder {
            connect_timeout: timeouts.connect_timeout(),
            ca_bundle: None,
            proxy: ProxyConfig::from_env(),
        }
    }

    /// [`HyperTransport::new`], also trusting the certificates of `pem` (a CA bundle, as
    /// `AWS_CA_BUNDLE` names). Fails when `pem` holds no certificate or one that is invalid.
    pub fn with_ca_bundle(timeouts: &TimeoutConfig, pem: &[u8]) -> Result<Self, String> {
        Self::builder(timeouts).ca_bundle(pem).build()
    }

    /// Sets the largest response body accepted; larger ones fail with
    /// [`TransportErrorKind::ResponseTooLarge`].
    pub fn with_max_response_bytes(mut self, max_response_bytes: usize) -> Self {
        self.max_response_bytes = max_response_bytes;
        self
    }

    /// Sets how long a streamed response body may go without data (each wait for a chunk of
    /// [`send_streaming`](Transport::send_streaming)); a longer wait fails the body with
    /// [`TransportErrorKind::Timeout`]. `None`, the default, for no limit. Whole responses of
    /// [`send`](Transport::send) are bounded by the attempt timeout instead.
    pub fn with_read_timeout(mut self, read_timeout: impl Into<Option<Duration>>) -> Self {
        self.read_timeout = read_timeout.into();
        self
    }

    async fn send_request(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let response = self.dispatch(request.map(OutgoingBody::from)).await?;
        let (parts, body) = response.into_parts();
        let body = read_limited(body, &parts, self.max_response_bytes).await?;
        Ok(Response::from_parts(parts, body))
    }

    async fn send_streaming_request(
        &self,
        request: Request<RequestBody>,
    ) -> Result<Response<ResponseBody>, TransportError> {
        let response = self.dispatch(request.map(OutgoingBody::from)).await?;
        let read_timeout = self.read_timeout;
        Ok(response.map(|body| ResponseBody::from_stream(Box::pin(IncomingChunks::new(body, read_timeout)))))
    }

    /// Sends `request` through the client of its version, up to the response head.
    async fn dispatch(
        &self,
        mut request: Request<OutgoingBody>,
    ) -> Result<Response<hyper::body::Incoming>, TransportError> {
        let clients = self
            .client
            .as_ref()
            .map_err(|message| TransportError::other(format!("could not set up the transport: {message}")))?;
        let client = clients.of(request.version())?;
        if request.uri().scheme_str() == Some("http") {
            let proxy = self.proxies.as_ref().and_then(|proxies| proxies.intercept(request.uri()));
            if proxy.is_some() && request.version() == Version::HTTP_2 {
                // A forward proxy takes HTTP/1 requests; prior-knowledge HTTP/2 would be lost on it.
                return Err(TransportError::other(
                    "an HTTP/2 request to an http:// endpoint cannot go through a proxy",
                ));
            }
            // A tunnel authenticates in its CONNECT; a plain request carries the proxy's credentials.
            if let Some(auth) = proxy.as_ref().and_then(|proxy| proxy.basic_auth()) {
                request.headers_mut().insert(http::header::PROXY_AUTHORIZATION, auth.clone());
            }
        }
        client.request(request).await.map_err(classify_hyper_error)
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("max_response_bytes", &self.max_response_bytes)
            .field("read_timeout", &self.read_timeout)
            .field("proxied", &self.proxies.is_some())
            .field("tls", &self.client.as_ref().map(|_| "ready").map_err(|err| &**err))
            .finish()
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: Request<Bytes>) -> TransportFuture<'_> {
        Box::pin(self.send_request(request))
    }

    /// Streams both ways: the request body is sent as it is produced and the response body is
    /// handed over as it arrives, each wait for data bounded by the read timeout. A connection
    /// lost mid-body is an [`Io`](TransportErrorKind::Io) error chunk, then the end.
    fn send_streaming(&self, request: Request<RequestBody>) -> StreamingFuture<'_> {
        Box::pin(self.send_streaming_request(request))
    }
}

/// The TLS settings of [`HyperTransport::new`], made once: loading the platform's store takes
/// milliseconds, and every configuration without a transport of its own makes a transport.
static DEFAULT_TLS: LazyLock<Result<Arc<rustls::ClientConfig>, String>> =
    LazyLock::new(|| tls_config(trusted_roots().as_ref().clone()));

/// The platform's root certificates, else Mozilla's (bundled); loaded once.
fn trusted_roots() -> &'static Arc<rustls::RootCertStore> {
    static ROOTS: LazyLock<Arc<rustls::RootCertStore>> = LazyLock::new(|| {
        let mut roots = rustls::RootCertStore::empty();
        let native = rustls_native_certs::load_native_certs();
        for error in &native.errors {
            tracing::debug!(%error, "a platform root certificate could not be loaded");
        }
        let (added, ignored) = roots.add_parsable_certificates(native.certs);
        tracing::debug!(added, ignored, "platform root certificates");
        if roots.is_empty() {
            tracing::debug!("the platform has no root certificates; using the bundled Mozilla roots");
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        Arc::new(roots)
    });
    &ROOTS
}

/// The platform's roots and the certificates of the PEM `pem`.
fn with_bundle(pem: &[u8]) -> Result<rustls::RootCertStore, String> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::CertificateDer;

    let mut roots = trusted_roots().as_ref().clone();
    let mut added = 0;
    for (index, certificate) in CertificateDer::pem_slice_iter(pem).enumerate() {
        let certificate = certificate.map_err(|err| format!("certificate {} is not valid PEM: {err}", index + 1))?;
        roots.add(certificate).map_err(|err| format!("certificate {} cannot be trusted: {err}", index + 1))?;
        added += 1;
    }
    if added == 0 {
        return Err("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned());
    }
    Ok(roots)
}

/// rustls on ring, trusting `roots`.
fn tls_config(roots: rustls::RootCertStore) -> Result<Arc<rustls::ClientConfig>, String> {
    // An explicit provider: the process-wide default may be unset or ambiguous.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|err| err.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(tls))
}

/// Builds a pooled client of `protocol` over the TLS settings, through the proxies when set.
fn hyper_client(settings: &ClientSettings, protocol: Protocol) -> HyperClient {
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(settings.connect_timeout);
    let tls = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(Arc::unwrap_or_clone(settings.tls.clone()))
        .https_or_http();
    let proxied = ProxyConnector { http, proxies: settings.proxies.clone() };
    let mut builder = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new());
    builder.pool_timer(hyper_util::rt::TokioTimer::new()).pool_idle_timeout(Duration::from_secs(45));
    match protocol {
        // No ALPN offered: the server cannot pick HTTP/2.
        Protocol::Http1 => builder.build(tls.enable_http1().wrap_connector(proxied)),
        #[cfg(feature = "http2")]
        Protocol::Http2 => builder.http2_only(true).build(tls.enable_http2().wrap_connector(proxied)),
    }
}

/// Reads a response body, failing as soon as it exceeds `limit` bytes.
async fn read_limited(
    body: hyper::body::Incoming,
    parts: &http::response::Parts,
    limit: usize,
) -> Result<Bytes, TransportError> {
    use http_body_util::BodyExt;

    let too_large = || {
        let mut message = format!("the response body exceeds {limit} bytes (HTTP {}", parts.status.as_u16());
        if let Some(id) = request_id(&parts.headers) {
            message.push_str(&format!(", request id {id}"));
        }
        message.push(')');
        TransportError::new(TransportErrorKind::ResponseTooLarge, message)
    };
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|declared| declared > limit as u64) {
        return Err(too_large());
    }
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(err) => {
            Err(TransportError::io(format!("reading the response body failed: {}", error_chain(&*err)))
                .with_source(err))
        }
    }
}

/// Maps a hyper client error to a [`TransportErrorKind`] by what it says about itself; a
/// failed request body stream keeps the kind of its own error.
fn classify_hyper_error(err: hyper_util::client::legacy::Error) -> TransportError {
    let message = error_chain(&err);
    let mut kind = if err.is_connect() { TransportErrorKind::Connect } else { TransportErrorKind::Other };
    let mut cause: Option<&(dyn Error + 'static)> = err.source();
    while let Some(current) = cause {
        if let Some(body_err) = current.downcast_ref::<TransportError>() {
            return TransportError::new(body_err.kind(), message).with_source(err);
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                kind = TransportErrorKind::Timeout;
            }
        }
        if let Some(hyper_err) = current.downcast_ref::<hyper::Error>() {
            if hyper_err.is_timeout() {
                kind = TransportErrorKind::Timeout;
            } else if kind == TransportErrorKind::Other && !hyper_err.is_user() && !hyper_err.is_parse() {
                // Closed or reset connections and truncated messages.
                kind = TransportErrorKind::Io;
            }
        }
        cause = current.source();
    }
    TransportError::new(kind, message).with_source(err)
}

/// `outer: inner: innermost`, skipping a cause whose text its parent already shows.
pub(super) fn error_chain(err: &(dyn Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(current) = cause {
        let part = current.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = current.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::credentials::Credentials;
    use crate::error::Unhandled;
    use crate::send::send;
    use crate::signing::verify as sigv4_check;
    use crate::test_support::{header, parts, SECRET, SPEC};

    /// Serves `count` connections on 127.0.0.1, one request each, answering with `reply` and
    /// sending each raw request back through the channel.
    fn loopback_server(count: usize, reply: &'static [u8]) -> (u16, std::sync::mpsc::Receiver<Vec<u8>>) {
        use std::io::{Read, Write};

        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(count) {
                let Ok(mut stream) = stream else { return };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut raw = Vec::new();
                let mut chunk = [0u8; 4096];
                while let Ok(read @ 1..) = stream.read(&mut chunk) {
                    raw.extend_from_slice(&chunk[..read]);
                    if request_complete(&raw) {
                        break;
                    }
                }
                let _ = stream.write_all(reply);
                let _ = sender.send(raw);
            }
        });
        (port, receiver)
    }

    fn request_complete(raw: &[u8]) -> bool {
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
        let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        raw.len() >= end + 4 + length
    }

    /// Parses a raw HTTP/1.1 request into an `http::Request` as a server sees it.
    fn parse_raw_request(raw: &[u8]) -> Request<Bytes> {
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("complete head");
        let head = std::str::from_utf8(&raw[..end]).expect("ASCII head");
        let mut lines = head.split("\r\n");
        let mut start = lines.next().expect("request line").split(' ');
        let mut builder = Request::builder().method(start.next().expect("method")).uri(start.next().expect("target"));
        for line in lines {
            let (name, value) = line.split_once(':').expect("header line");
            builder = builder.header(name.trim(), value.trim());
        }
        builder.body(Bytes::copy_from_slice(&raw[end + 4..])).expect("valid request")
    }

    #[tokio::test]
    async fn hyper_transport_round_trip_verifies_on_the_server() {
        let (port, received) = loopback_server(
            1,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: loop\r\ncontent-length: 2\r\n\r\n{}",
        );
        let config = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .build()
            .expect("valid config");
        let response = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.expect("success");
        assert_eq!(response.status(), 200);
        assert_eq!(response.body().as_ref(), b"{}");
        assert_eq!(request_id(response.headers()).as_deref(), Some("loop"));

        let raw = received.recv_timeout(Duration::from_secs(5)).expect("server saw the request");
        let request = parse_raw_request(&raw);
        assert_eq!(header(&request, "host"), format!("127.0.0.1:{port}"));
        assert_eq!(request.body(), &parts().body);
        sigv4_check::verify(&request, SECRET).expect("the server-side signature verifies");
    }

    #[tokio::test]
    async fn hyper_transport_caps_the_response_size() {
        let (port, _received) = loopback_server(
            1,
            b"HTTP/1.1 200 OK\r\nx-amzn-requestid: big\r\ncontent-length: 64\r\n\r\n0123456789012345678901234567890123456789012345678901234567890123",
        );
        let transport = HyperTransport::new(&TimeoutConfig::default()).with_max_response_bytes(16);
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = format!("http://127.0.0.1:{port}/").parse().expect("uri");
        let err = transport.send(request).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::ResponseTooLarge, "{err}");
        assert!(err.to_string().contains("request id big"), "{err}");
        assert!(!err.is_retryable());
    }

    #[tokio::test]
    async fn hyper_transport_reports_refused_connections() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
            listener.local_addr().expect("local address").port()
        };
        let transport = HyperTransport::new(&TimeoutConfig::default());
        assert!(format!("{transport:?}").contains("Ok(\"ready\")"), "{transport:?}");
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = format!("http://127.0.0.1:{port}/").parse().expect("uri");
        let err = transport.send(request).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
        assert!(err.is_retryable());
    }
}
