//! Sending operations to AWS: configuration, endpoint resolution, SigV4 signing, retries,
//! timeouts and the HTTP transport.
//!
//! Generated operations serialize their input into [`RequestParts`] and hand them to [`send`],
//! which resolves the endpoint, signs and sends each attempt, retries transient failures and
//! returns the final HTTP response for the generated code to parse. Nothing here depends on the
//! wire protocol, except [`error_metadata`], which reads the error shape shared by the AWS JSON
//! protocols.
//!
//! A generated operation uses it roughly like this:
//!
//! ```text
//! let parts = RequestParts { method: Method::POST, path_and_query: "/".into(), headers, body, ..Default::default() };
//! let response = crate::client::send::<CreateDatasetError>(&config, &SERVICE, "CreateDataset", parts).await?;
//! if !response.status().is_success() {
//!     let meta = crate::client::error_metadata(&response);
//!     let err = /* match meta.code() against the modeled errors */;
//!     return Err(SdkError::Service(ServiceError::new(err, meta)));
//! }
//! /* parse the body, mapping failures to SdkError::ResponseParse(ResponseParseError::new(&response, ...)) */
//! ```

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, USER_AGENT};
use http::{HeaderMap, Method, Request, Response, Uri};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::error::ErrorMetadata;
use crate::validation::ValidationError;

// ---------------------------------------------------------------------------
// Service description and configuration
// ---------------------------------------------------------------------------

/// Static description of a service, emitted once per service by the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The service's SDK id, e.g. `Personalize`.
    pub sdk_id: &'static str,
    /// The first label of the service's regional host name, e.g. `personalize`.
    pub endpoint_prefix: &'static str,
    /// The SigV4 signing name, e.g. `personalize`.
    pub signing_name: &'static str,
    /// The model's API version, e.g. `2018-05-22`.
    pub api_version: &'static str,
}

/// How much of `validate()` the client runs before sending a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValidationMode {
    /// Check every modeled constraint (required, length, pattern, range, unique items).
    #[default]
    Full,
    /// Check only that required members are set; the service checks the rest.
    RequiredOnly,
    /// Check nothing; the service is the only judge.
    Off,
}

/// AWS access keys used to sign requests.
///
/// `Debug` shows the access key id but never the secret key or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from an access key pair and, for temporary credentials, a session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self { access_key_id: access_key_id.into(), secret_access_key: secret_access_key.into(), session_token }
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optionally) `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Credentials, ConfigError> {
        Self::from_lookup(&env_var)
    }

    /// [`Credentials::from_env`] over any variable lookup, so tests need not touch the process
    /// environment. Empty values count as unset.
    fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, ConfigError> {
        let access_key_id = lookup("AWS_ACCESS_KEY_ID");
        let secret_access_key = lookup("AWS_SECRET_ACCESS_KEY");
        match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => {
                Ok(Credentials { access_key_id, secret_access_key, session_token: lookup("AWS_SESSION_TOKEN") })
            }
            (Some(_), None) => Err(ConfigError::new("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")),
            (None, Some(_)) => Err(ConfigError::new("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")),
            (None, None) => Err(ConfigError::new("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")),
        }
    }

    /// The access key id, e.g. `AKIDEXAMPLE`.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "** redacted **";
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field("session_token", &self.session_token.as_ref().map(|_| REDACTED))
            .finish()
    }
}

/// Reads an environment variable, treating empty and non-Unicode values as unset.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

/// How failed attempts are retried: the AWS "standard" retry mode.
///
/// Before retry `n` (1 for the first retry) the client sleeps
/// `min(max_backoff, random(0..1) * 2^(n-1) * initial_backoff)` ("full jitter"). The defaults
/// are the official SDKs': 3 attempts in all, an initial backoff of 1 s and a maximum of 20 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(20) }
    }
}

impl RetryConfig {
    /// The standard retry mode with the SDK defaults (same as `Default`).
    pub fn standard() -> Self {
        Self::default()
    }

    /// A single attempt: nothing is retried.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets the total number of attempts, the first one included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the backoff scale of the first retry.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest sleep between two attempts.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The total number of attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff scale of the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest sleep between two attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The sleep before retry number `retry` (1-based), for a `jitter` drawn from `0..1`.
    fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(62);
        let factor = (1u64 << exponent) as f64;
        let seconds = jitter.clamp(0.0, 1.0) * factor * self.initial_backoff.as_secs_f64();
        // `try_from_secs_f64` rather than `from_secs_f64`: a huge product must not panic.
        Duration::try_from_secs_f64(seconds).unwrap_or(self.max_backoff).min(self.max_backoff)
    }
}

/// Time limits of a call.
///
/// Defaults: connect 3.1 s (as the official SDKs), attempt 30 s, operation unlimited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self { connect: Some(Duration::from_millis(3100)), attempt: Some(Duration::from_secs(30)), operation: None }
    }
}

impl TimeoutConfig {
    /// No time limits at all.
    pub fn disabled() -> Self {
        Self { connect: None, attempt: None, operation: None }
    }

    /// Sets how long establishing a connection (TCP and TLS) may take; `None` for no limit.
    /// Used by [`HyperTransport::new`].
    pub fn with_connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect = timeout.into();
        self
    }

    /// Sets how long one attempt (sending the request and reading the whole response) may
    /// take; `None` for no limit. A timed-out attempt is retried.
    pub fn with_attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt = timeout.into();
        self
    }

    /// Sets how long the whole call, retries and backoff included, may take; `None` for no
    /// limit.
    pub fn with_operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation = timeout.into();
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// The whole-call timeout.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }
}

/// A configuration that could not be built; the message says what is missing or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }

    /// What is missing or wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

impl Error for ConfigError {}

/// Everything a client needs to send requests; cheap to clone (the transport is shared).
///
/// `Debug` never shows the secret key or the session token.
#[derive(Debug, Clone)]
pub struct Config {
    region: String,
    credentials: Option<Credentials>,
    endpoint_url: Option<String>,
    endpoint: Option<Uri>,
    disable_host_prefix: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    validation: ValidationMode,
    transport: Arc<dyn Transport>,
    idempotency_token: Option<String>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
}

/// Bodies of operations with `@requestCompression` are gzip-compressed from this size on, as in
/// the official SDKs.
const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;
/// The largest minimum the official SDKs accept (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

impl Config {
    /// A builder with the defaults: no region, no credentials, standard retries, default
    /// timeouts, full validation, [`HyperTransport`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A configuration from the environment: region from `AWS_REGION`, else
    /// `AWS_DEFAULT_REGION`; credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    /// `AWS_SESSION_TOKEN` (both keys are required); endpoint override from
    /// `AWS_ENDPOINT_URL` if set. Everything else takes its default; use
    /// [`Config::to_builder`] to change more.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(&env_var)
    }

    fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let region = lookup("AWS_REGION")
            .or_else(|| lookup("AWS_DEFAULT_REGION"))
            .ok_or_else(|| ConfigError::new("no region: set AWS_REGION (or AWS_DEFAULT_REGION)"))?;
        let mut builder = Config::builder().region(region).credentials(Credentials::from_lookup(lookup)?);
        if let Some(endpoint_url) = lookup("AWS_ENDPOINT_URL") {
            builder = builder.endpoint_url(endpoint_url);
        }
        builder.build()
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: Some(self.region.clone()),
            credentials: self.credentials.clone(),
            endpoint_url: self.endpoint_url.clone(),
            disable_host_prefix: self.disable_host_prefix,
            retry: self.retry.clone(),
            timeouts: self.timeouts.clone(),
            validation: self.validation,
            transport: Some(self.transport.clone()),
            idempotency_token: self.idempotency_token.clone(),
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: Some(self.request_min_compression_size_bytes),
        }
    }

    /// The region, e.g. `us-east-1`.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The credentials; `None` means requests are sent unsigned.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The endpoint override, as given.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether `@endpoint` host prefixes are ignored.
    pub fn disable_host_prefix(&self) -> bool {
        self.disable_host_prefix
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The time limits.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// How much validation runs before sending.
    pub fn validation(&self) -> ValidationMode {
        self.validation
    }

    /// The transport requests are sent through.
    pub fn transport(&self) -> &dyn Transport {
        &*self.transport
    }

    /// The fixed idempotency token, if one was configured (for tests).
    pub fn idempotency_token(&self) -> Option<&str> {
        self.idempotency_token.as_deref()
    }

    /// Whether request bodies are never compressed.
    pub fn disable_request_compression(&self) -> bool {
        self.disable_request_compression
    }

    /// The body size from which requests are compressed.
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_min_compression_size_bytes
    }
}

/// Builds a [`Config`]; only the region is required.
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<Credentials>,
    endpoint_url: Option<String>,
    disable_host_prefix: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    validation: ValidationMode,
    transport: Option<Arc<dyn Transport>>,
    idempotency_token: Option<String>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: Option<u32>,
}

impl ConfigBuilder {
    /// Turns off gzip compression of request bodies (operations with `@requestCompression`).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = disable;
        self
    }

    /// Compresses request bodies from this many bytes on (default 10240, at most 10485760).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// Sets the region, e.g. `us-east-1` (required).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the credentials; without them requests are sent unsigned.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends every request to this URL (scheme, host, port and base path) instead of the
    /// regional AWS endpoint, e.g. `http://127.0.0.1:8080` for a local test server.
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// Ignores the host prefixes of `@endpoint` operations (e.g. the `data-` of IoT data
    /// operations), as the official SDKs' `disable_host_prefix_injection`.
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.disable_host_prefix = disable;
        self
    }

    /// Sets the retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the time limits (the connect timeout only affects the default transport).
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets how much validation runs before sending.
    pub fn validation(mut self, validation: ValidationMode) -> Self {
        self.validation = validation;
        self
    }

    /// Sends requests through `transport` instead of a new [`HyperTransport`].
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Uses this idempotency token for every operation instead of a random UUID (for tests).
    pub fn idempotency_token(mut self, token: impl Into<String>) -> Self {
        self.idempotency_token = Some(token.into());
        self
    }

    /// Checks the settings and builds the configuration.
    ///
    /// Fails when the region is missing or empty, or the endpoint URL is not an absolute
    /// `http`/`https` URL without query or credentials.
    pub fn build(self) -> Result<Config, ConfigError> {
        let region = self
            .region
            .filter(|region| !region.trim().is_empty())
            .ok_or_else(|| ConfigError::new("no region: call ConfigBuilder::region"))?;
        let endpoint = self.endpoint_url.as_deref().map(parse_endpoint_url).transpose()?;
        let min_compression = self.request_min_compression_size_bytes.unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE);
        if min_compression > MAX_MIN_COMPRESSION_SIZE {
            return Err(ConfigError::new(format!(
                "request_min_compression_size_bytes is {min_compression}; it must be at most {MAX_MIN_COMPRESSION_SIZE}"
            )));
        }
        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(HyperTransport::new(&self.timeouts)),
        };
        Ok(Config {
            region,
            credentials: self.credentials,
            endpoint_url: self.endpoint_url,
            endpoint,
            disable_host_prefix: self.disable_host_prefix,
            retry: self.retry,
            timeouts: self.timeouts,
            validation: self.validation,
            transport,
            idempotency_token: self.idempotency_token,
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: min_compression,
        })
    }
}

/// Parses an endpoint override, rejecting what [`resolve_endpoint`] cannot use.
fn parse_endpoint_url(url: &str) -> Result<Uri, ConfigError> {
    let invalid = |why: &str| ConfigError::new(format!("invalid endpoint URL `{url}`: {why}"));
    let uri: Uri = url.parse().map_err(|err: http::uri::InvalidUri| invalid(&err.to_string()))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(_) => return Err(invalid("the scheme must be http or https")),
        None => return Err(invalid("expected an absolute URL such as https://host:port")),
    }
    let authority = uri.authority().ok_or_else(|| invalid("no host"))?;
    if authority.as_str().contains('@') {
        return Err(invalid("credentials in the URL are not supported"));
    }
    if authority.host().is_empty() {
        return Err(invalid("no host"));
    }
    if uri.query().is_some() {
        return Err(invalid("a query string is not supported"));
    }
    Ok(uri)
}

// ---------------------------------------------------------------------------
// Transports
// ---------------------------------------------------------------------------

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<Response<Bytes>, TransportError>> + Send + 'a>>;

/// What sends HTTP requests. Object-safe, so a [`Config`] can hold any transport.
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` (its URI is absolute) and reads the whole response.
    #[allow(clippy::type_complexity)]
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> Pin<Box<dyn Future<Output = Result<Response<Bytes>, TransportError>> + Send + '_>>;
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
}

impl TransportError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), source: None }
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
        write!(f, "{what}: {}", self.message)
    }
}

impl Error for TransportError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|source| &**source as &(dyn Error + 'static))
    }
}

type HyperClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<Bytes>,
>;

/// The default transport: hyper 1 with a pooled connection per host, HTTPS through rustls
/// (ring, Mozilla's root certificates) and plain HTTP for `http://` endpoints.
///
/// Reads whole response bodies up to `max_response_bytes` (20 MiB unless changed). Cloning is
/// cheap and clones share the connection pool.
#[derive(Clone)]
pub struct HyperTransport {
    // A TLS set-up failure (not expected with the bundled provider) is kept and reported by
    // every `send` rather than panicking in a constructor that cannot fail.
    client: Result<HyperClient, Arc<str>>,
    max_response_bytes: usize,
}

impl HyperTransport {
    /// The default response size cap.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 20 * 1024 * 1024;

    /// A transport using the connect timeout of `timeouts`. Needs no runtime until `send`.
    pub fn new(timeouts: &TimeoutConfig) -> Self {
        Self {
            client: hyper_client(timeouts.connect_timeout()).map_err(Arc::from),
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Sets the largest response body accepted; larger ones fail with
    /// [`TransportErrorKind::ResponseTooLarge`].
    pub fn with_max_response_bytes(mut self, max_response_bytes: usize) -> Self {
        self.max_response_bytes = max_response_bytes;
        self
    }

    async fn send_request(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let client = self
            .client
            .as_ref()
            .map_err(|message| TransportError::other(format!("could not set up TLS: {message}")))?;
        let response = client.request(request.map(http_body_util::Full::new)).await.map_err(classify_hyper_error)?;
        let (parts, body) = response.into_parts();
        let body = read_limited(body, &parts, self.max_response_bytes).await?;
        Ok(Response::from_parts(parts, body))
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("max_response_bytes", &self.max_response_bytes)
            .field("tls", &self.client.as_ref().map(|_| "ready").map_err(|err| &**err))
            .finish()
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: Request<Bytes>) -> TransportFuture<'_> {
        Box::pin(self.send_request(request))
    }
}

/// Builds the pooled HTTP/1 client with rustls on ring and webpki roots.
fn hyper_client(connect_timeout: Option<Duration>) -> Result<HyperClient, String> {
    use hyper_rustls::ConfigBuilderExt;

    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(connect_timeout);
    // An explicit provider: the process-wide default may be unset or ambiguous.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|err| err.to_string())?
        .with_webpki_roots()
        .with_no_client_auth();
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_timer(hyper_util::rt::TokioTimer::new())
        .pool_idle_timeout(Duration::from_secs(45))
        .build(connector))
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

/// Maps a hyper client error to a [`TransportErrorKind`] by what it says about itself.
fn classify_hyper_error(err: hyper_util::client::legacy::Error) -> TransportError {
    let message = error_chain(&err);
    let mut kind = if err.is_connect() { TransportErrorKind::Connect } else { TransportErrorKind::Other };
    let mut cause: Option<&(dyn Error + 'static)> = err.source();
    while let Some(current) = cause {
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
fn error_chain(err: &(dyn Error + 'static)) -> String {
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
fn copy_request(request: &Request<Bytes>) -> Request<Bytes> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

// ---------------------------------------------------------------------------
// Errors of a call
// ---------------------------------------------------------------------------

/// The request could not be built: an empty `@httpLabel`, an invalid header value, an
/// endpoint that cannot be resolved, a request that cannot be signed...
#[derive(Debug)]
pub struct ConstructionError {
    message: String,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl ConstructionError {
    /// An error described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), source: None }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not build the request: {}", self.message)
    }
}

impl Error for ConstructionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|source| &**source as &(dyn Error + 'static))
    }
}

/// Which time limit a [`TimeoutError`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// The per-attempt limit, on the last attempt.
    Attempt,
    /// The whole-call limit.
    Operation,
}

/// A call ran out of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    after: Duration,
}

impl TimeoutError {
    /// A `kind` timeout that fired after `after`.
    pub fn new(kind: TimeoutKind, after: Duration) -> Self {
        Self { kind, after }
    }

    /// Which limit was hit.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The limit that was hit.
    pub fn after(&self) -> Duration {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let which = match self.kind {
            TimeoutKind::Attempt => "attempt timeout",
            TimeoutKind::Operation => "operation timeout",
        };
        write!(f, "request timed out after {:?} ({which})", self.after)
    }
}

impl Error for TimeoutError {}

/// An error response of the service, modeled (`E` names it) or not.
#[derive(Debug)]
pub struct ServiceError<E> {
    err: E,
    meta: ErrorMetadata,
}

impl<E> ServiceError<E> {
    /// The parsed error `err` and the response's metadata (see [`error_metadata`]).
    pub fn new(err: E, meta: ErrorMetadata) -> Self {
        Self { err, meta }
    }

    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// The operation's error, by value.
    pub fn into_err(self) -> E {
        self.err
    }

    /// Code, message, status and request id of the response.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The HTTP status of the response.
    pub fn raw_status(&self) -> Option<u16> {
        self.meta.status
    }

    /// The request id of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error: {}", self.meta)
    }
}

impl<E: Error + 'static> Error for ServiceError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.err)
    }
}

/// A response that could not be parsed: malformed or truncated body, unexpected content
/// type, missing or invalid header...
#[derive(Debug)]
pub struct ResponseParseError {
    status: u16,
    request_id: Option<String>,
    message: String,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl ResponseParseError {
    /// An error about `response`, described by `message`.
    pub fn new(response: &Response<Bytes>, message: impl Into<String>) -> Self {
        Self::from_parts(response.status().as_u16(), request_id(response.headers()), message)
    }

    /// An error about a response with this status and request id.
    pub fn from_parts(status: u16, request_id: Option<String>, message: impl Into<String>) -> Self {
        Self { status, request_id, message: message.into(), source: None }
    }

    /// Attaches the underlying error (e.g. the JSON error).
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// What is wrong with the response.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResponseParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not parse the response (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        write!(f, "): {}", self.message)
    }
}

impl Error for ResponseParseError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|source| &**source as &(dyn Error + 'static))
    }
}

/// Everything that can go wrong in a call; `E` is the operation's modeled error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input broke model constraints; nothing was sent.
    Validation(ValidationError),
    /// The request could not be built; nothing was sent.
    Construction(ConstructionError),
    /// The attempt or operation time limit was hit.
    Timeout(TimeoutError),
    /// The request could not be sent or the response not received, after all retries.
    Transport(TransportError),
    /// The service answered with an error.
    Service(ServiceError<E>),
    /// The service's response could not be parsed.
    ResponseParse(ResponseParseError),
}

impl<E> SdkError<E> {
    /// The operation's error, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(service) => Some(service.into_err()),
            _ => None,
        }
    }

    /// The operation's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(service) => Some(service.err()),
            _ => None,
        }
    }

    /// The error response's metadata, if the service answered with an error.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            SdkError::Service(service) => Some(service.meta()),
            _ => None,
        }
    }

    /// The request id of the response, if one was received.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(service) => service.request_id(),
            SdkError::ResponseParse(parse) => parse.request_id(),
            _ => None,
        }
    }
}

impl<E> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(err) => err.fmt(f),
            SdkError::Construction(err) => err.fmt(f),
            SdkError::Timeout(err) => err.fmt(f),
            SdkError::Transport(err) => err.fmt(f),
            SdkError::Service(err) => err.fmt(f),
            SdkError::ResponseParse(err) => err.fmt(f),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    // Display already shows each wrapped error, so the chain continues below it.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::Validation(err) => err.source(),
            SdkError::Construction(err) => err.source(),
            SdkError::Timeout(err) => err.source(),
            SdkError::Transport(err) => err.source(),
            SdkError::Service(err) => err.source(),
            SdkError::ResponseParse(err) => err.source(),
        }
    }
}

impl<E> From<ValidationError> for SdkError<E> {
    fn from(err: ValidationError) -> Self {
        SdkError::Validation(err)
    }
}

impl<E> From<ConstructionError> for SdkError<E> {
    fn from(err: ConstructionError) -> Self {
        SdkError::Construction(err)
    }
}

impl<E> From<TimeoutError> for SdkError<E> {
    fn from(err: TimeoutError) -> Self {
        SdkError::Timeout(err)
    }
}

impl<E> From<TransportError> for SdkError<E> {
    fn from(err: TransportError) -> Self {
        SdkError::Transport(err)
    }
}

impl<E> From<ServiceError<E>> for SdkError<E> {
    fn from(err: ServiceError<E>) -> Self {
        SdkError::Service(err)
    }
}

impl<E> From<ResponseParseError> for SdkError<E> {
    fn from(err: ResponseParseError) -> Self {
        SdkError::ResponseParse(err)
    }
}

// ---------------------------------------------------------------------------
// Error responses and their classification
// ---------------------------------------------------------------------------

/// Reads the error metadata of an error response as the AWS JSON protocols define it.
///
/// The code comes from the `X-Amzn-Errortype` header, else the body's `code`, else its
/// `__type`, cleaned by [`sanitize_error_code`]; the message from the body's `message`,
/// `Message` or `errorMessage`; the request id from [`request_id`]. Never fails: a body that is
/// not a JSON object just gives fewer fields.
pub fn error_metadata(response: &Response<Bytes>) -> ErrorMetadata {
    let body =
        serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(response.body()).unwrap_or_default();
    let body_string = |key: &str| body.get(key).and_then(|value| value.as_str());
    let code = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|value| value.to_str().ok())
        .or_else(|| body_string("code"))
        .or_else(|| body_string("__type"))
        .map(sanitize_error_code)
        .filter(|code| !code.is_empty())
        .map(str::to_owned);
    let message = ["message", "Message", "errorMessage"].into_iter().find_map(body_string).map(str::to_owned);
    ErrorMetadata {
        code,
        message,
        status: Some(response.status().as_u16()),
        request_id: request_id(response.headers()),
    }
}

/// Reduces a raw error code to the shape name: keeps what precedes the first `:`, then what
/// follows the first `#`, e.g. `aws.protocoltests.restjson#FooError:http://...` -> `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.split_once('#').map_or(code, |(_, name)| name);
    code.trim()
}

/// The request id of a response: `x-amzn-requestid`, else `x-amz-request-id`.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .into_iter()
        .filter_map(|name| headers.get(name))
        .find_map(|value| value.to_str().ok())
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Error codes the official SDKs treat as throttling (always retried).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient service-side failures (always retried).
pub const TRANSIENT_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "PriorRequestNotComplete"];

/// Whether an HTTP status is a transient server failure: 500, 502, 503 or 504.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504)
}

/// Whether an error code means the caller is being throttled (see [`THROTTLING_CODES`]).
pub fn is_throttling_code(code: &str) -> bool {
    THROTTLING_CODES.contains(&code)
}

/// Whether an error code is a transient failure (see [`TRANSIENT_CODES`]).
pub fn is_transient_code(code: &str) -> bool {
    TRANSIENT_CODES.contains(&code)
}

/// Why an error response should be retried, if it should.
fn retry_reason(response: &Response<Bytes>) -> Option<String> {
    let status = response.status();
    if status.is_success() || status.is_informational() || status.is_redirection() {
        return None;
    }
    if is_retryable_status(status.as_u16()) {
        return Some(format!("HTTP {}", status.as_u16()));
    }
    let meta = error_metadata(response);
    let code = meta.code()?;
    let retryable = is_throttling_code(code) || is_transient_code(code);
    retryable.then(|| format!("{code} (HTTP {})", status.as_u16()))
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

/// The endpoint of a call: the override if set (scheme, host, port and base path kept,
/// `host_prefix` prepended to the host unless it is an IP address), else
/// `https://{host_prefix}{endpoint_prefix}.{region}.{dns suffix}`.
///
/// The DNS suffix follows the region's partition: `amazonaws.com` (also for `us-gov-*`),
/// `amazonaws.com.cn` for `cn-*`, `c2s.ic.gov` for `us-iso-*`, `sc2s.sgov.gov` for
/// `us-isob-*`, `cloud.adc-e.uk` for `eu-isoe-*` and `csp.hci.ic.gov` for `us-isof-*`. FIPS,
/// dual-stack and global endpoints are not modeled. Fails when the region is not a valid host
/// label or the host prefix makes an invalid host name.
pub fn resolve_endpoint(
    spec: &ServiceSpec,
    config: &Config,
    host_prefix: Option<&str>,
) -> Result<Uri, ConstructionError> {
    let region = config.region();
    if !is_valid_host_label(region) {
        return Err(ConstructionError::new(format!(
            "invalid region `{region}`: a region must be a valid host label (letters, digits, `-`)"
        )));
    }
    let prefix = if config.disable_host_prefix() { "" } else { host_prefix.unwrap_or("") };
    match &config.endpoint {
        Some(endpoint) => override_endpoint(endpoint, prefix),
        None => {
            let host = format!("{prefix}{}.{region}.{}", spec.endpoint_prefix, dns_suffix(region));
            check_host(&host)?;
            Uri::builder()
                .scheme("https")
                .authority(host.as_str())
                .path_and_query("/")
                .build()
                .map_err(|err| ConstructionError::new(format!("invalid endpoint host `{host}`")).with_source(err))
        }
    }
}

/// Applies the host prefix to an endpoint override.
fn override_endpoint(endpoint: &Uri, prefix: &str) -> Result<Uri, ConstructionError> {
    let authority = endpoint.authority().map(|a| a.as_str()).unwrap_or_default();
    let host = endpoint.host().unwrap_or_default();
    // An IP address cannot take a prefix; local test servers are usually addressed by IP.
    let is_ip = host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok();
    let authority = if prefix.is_empty() || is_ip {
        authority.to_owned()
    } else {
        check_host(&format!("{prefix}{host}"))?;
        format!("{prefix}{authority}")
    };
    let path = endpoint.path();
    let path = if path.is_empty() { "/" } else { path };
    Uri::builder()
        .scheme(endpoint.scheme_str().unwrap_or("https"))
        .authority(authority.as_str())
        .path_and_query(path)
        .build()
        .map_err(|err| ConstructionError::new(format!("invalid endpoint `{authority}{path}`")).with_source(err))
}

/// The DNS suffix of the partition a region belongs to.
fn dns_suffix(region: &str) -> &'static str {
    const PARTITIONS: &[(&str, &str)] = &[
        ("cn-", "amazonaws.com.cn"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("us-isof-", "csp.hci.ic.gov"),
        ("us-iso-", "c2s.ic.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
    ];
    PARTITIONS.iter().find(|(prefix, _)| region.starts_with(prefix)).map_or("amazonaws.com", |(_, suffix)| suffix)
}

/// RFC 1123 host label: 1 to 63 letters, digits or `-`, not starting or ending with `-`.
fn is_valid_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

fn check_host(host: &str) -> Result<(), ConstructionError> {
    if host.len() <= 253 && host.split('.').all(is_valid_host_label) {
        Ok(())
    } else {
        Err(ConstructionError::new(format!("invalid endpoint host name `{host}`")))
    }
}

/// Joins the endpoint's base path and the operation's path and query.
fn request_uri(endpoint: &Uri, path_and_query: &str) -> Result<Uri, ConstructionError> {
    if !path_and_query.starts_with('/') {
        return Err(ConstructionError::new(format!("the request path `{path_and_query}` does not start with `/`")));
    }
    let base = endpoint.path().trim_end_matches('/');
    let joined = format!("{base}{path_and_query}");
    let mut parts = endpoint.clone().into_parts();
    parts.path_and_query = Some(
        joined
            .parse()
            .map_err(|err| ConstructionError::new(format!("invalid request path `{joined}`")).with_source(err))?,
    );
    Uri::from_parts(parts).map_err(|err| ConstructionError::new("invalid request URI").with_source(err))
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

/// The serialized request an operation produced, before endpoint resolution and signing.
#[derive(Debug, Clone, Default)]
pub struct RequestParts {
    /// The HTTP method.
    pub method: Method,
    /// Path and query, starting with `/`, already percent-encoded.
    pub path_and_query: String,
    /// Protocol headers (content type, `x-amz-target`, bound members...).
    pub headers: HeaderMap,
    /// The serialized body.
    pub body: Bytes,
    /// The `@endpoint` host prefix with its labels substituted, e.g. `data-`.
    pub host_prefix: Option<String>,
    /// An endpoint the request itself names (e.g. Machine Learning's `PredictEndpoint`),
    /// used instead of the configured or resolved one.
    pub endpoint: Option<String>,
    /// The operation accepts a gzip-compressed body (`@requestCompression`).
    pub request_compression: bool,
}

/// The request with its body gzip-compressed and `gzip` appended to `Content-Encoding`, when
/// the operation allows it and the configuration asks for it; else `None`.
fn compressed(parts: &RequestParts, config: &Config) -> Result<Option<RequestParts>, ConstructionError> {
    use std::io::Write as _;
    let wanted = parts.request_compression
        && !config.disable_request_compression
        && parts.body.len() >= config.request_min_compression_size_bytes as usize;
    if !wanted {
        return Ok(None);
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let body = encoder
        .write_all(&parts.body)
        .and_then(|()| encoder.finish())
        .map_err(|err| ConstructionError::new("cannot gzip the request body").with_source(err))?;
    let mut compressed = parts.clone();
    compressed.body = Bytes::from(body);
    let encoding = match parts.headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
        Some(existing) if !existing.trim().is_empty() => format!("{existing}, gzip"),
        _ => "gzip".to_owned(),
    };
    let value = HeaderValue::from_str(&encoding)
        .map_err(|err| ConstructionError::new("invalid Content-Encoding header").with_source(err))?;
    compressed.headers.insert(http::header::CONTENT_ENCODING, value);
    Ok(Some(compressed))
}

/// Sends a serialized request: resolves the endpoint, then for each attempt adds the SDK
/// headers, signs with SigV4 (unsigned without credentials), sends through the transport under
/// the attempt timeout and retries transport failures, timeouts, HTTP 500/502/503/504 and
/// throttling or transient error codes with exponential backoff and full jitter. The whole call
/// is bounded by the operation timeout.
///
/// Returns the final response, success or error status (the caller parses it), or the error
/// that prevented getting one.
pub async fn send<E>(
    config: &Config,
    spec: &'static ServiceSpec,
    operation: &'static str,
    parts: RequestParts,
) -> Result<Response<Bytes>, SdkError<E>> {
    let attempts = send_attempts(config, spec, operation, &parts);
    match config.timeouts().operation_timeout() {
        None => attempts.await,
        Some(limit) => match tokio::time::timeout(limit, attempts).await {
            Ok(outcome) => outcome,
            Err(_) => {
                tracing::debug!(service = spec.sdk_id, operation, timeout = ?limit, "operation timed out");
                Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Operation, limit)))
            }
        },
    }
}

/// What one attempt produced.
enum Attempt {
    Response(Response<Bytes>),
    Failed(TransportError),
    TimedOut(Duration),
}

/// The retry loop of [`send`], without the operation timeout.
async fn send_attempts<E>(
    config: &Config,
    spec: &'static ServiceSpec,
    operation: &'static str,
    parts: &RequestParts,
) -> Result<Response<Bytes>, SdkError<E>> {
    let endpoint = match &parts.endpoint {
        Some(endpoint) => {
            let uri: Uri = endpoint.parse().map_err(|err| {
                ConstructionError::new(format!("the request's endpoint `{endpoint}` is not a URI")).with_source(err)
            })?;
            override_endpoint(&uri, "")?
        }
        None => resolve_endpoint(spec, config, parts.host_prefix.as_deref())?,
    };
    let uri = request_uri(&endpoint, &parts.path_and_query)?;
    let compressed = compressed(parts, config)?;
    let parts = compressed.as_ref().unwrap_or(parts);
    let invocation_id = uuid::Uuid::new_v4().to_string();
    let max_attempts = config.retry().max_attempts();
    let mut attempt = 1;
    loop {
        let mut request = build_request(parts, &uri, spec, &invocation_id, attempt, max_attempts)?;
        if let Some(credentials) = config.credentials() {
            sign_request(&mut request, credentials, config.region(), spec.signing_name, SystemTime::now())?;
        }
        let outcome = attempt_once(config, request).await;
        let reason = match &outcome {
            Attempt::Response(response) => {
                tracing::debug!(
                    service = spec.sdk_id,
                    operation,
                    attempt,
                    max_attempts,
                    status = response.status().as_u16(),
                    "attempt finished"
                );
                retry_reason(response)
            }
            Attempt::Failed(err) => {
                tracing::debug!(service = spec.sdk_id, operation, attempt, max_attempts, error = %err, "attempt failed");
                err.is_retryable().then(|| err.to_string())
            }
            Attempt::TimedOut(after) => {
                tracing::debug!(service = spec.sdk_id, operation, attempt, max_attempts, timeout = ?after, "attempt timed out");
                Some(format!("attempt timed out after {after:?}"))
            }
        };
        match reason {
            Some(reason) if attempt < max_attempts => {
                let delay = config.retry().backoff(attempt, fastrand::f64());
                tracing::debug!(service = spec.sdk_id, operation, attempt, %reason, delay = ?delay, "retrying");
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            _ => {
                return match outcome {
                    Attempt::Response(response) => Ok(response),
                    Attempt::Failed(err) => Err(SdkError::Transport(err)),
                    Attempt::TimedOut(after) => Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Attempt, after))),
                };
            }
        }
    }
}

/// Sends one request under the attempt timeout.
async fn attempt_once(config: &Config, request: Request<Bytes>) -> Attempt {
    let sent = config.transport().send(request);
    let outcome = match config.timeouts().attempt_timeout() {
        None => sent.await,
        Some(limit) => match tokio::time::timeout(limit, sent).await {
            Ok(outcome) => outcome,
            Err(_) => return Attempt::TimedOut(limit),
        },
    };
    match outcome {
        Ok(response) => Attempt::Response(response),
        Err(err) => Attempt::Failed(err),
    }
}

/// The value of `user-agent` and `x-amz-user-agent`.
fn user_agent(spec: &ServiceSpec) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let service = spec.sdk_id.to_ascii_lowercase().replace(' ', "-");
    let os = match std::env::consts::OS {
        os @ ("linux" | "macos" | "windows" | "ios" | "android") => os,
        _ => "other",
    };
    format!("aws-lite/{version} ua/2.1 api/{service}#{version} os/{os} lang/rust")
}

/// The HTTP request of one attempt, before signing.
fn build_request(
    parts: &RequestParts,
    uri: &Uri,
    spec: &ServiceSpec,
    invocation_id: &str,
    attempt: u32,
    max_attempts: u32,
) -> Result<Request<Bytes>, ConstructionError> {
    let header_value = |name: &str, value: String| {
        HeaderValue::try_from(value)
            .map_err(|err| ConstructionError::new(format!("invalid value for header `{name}`")).with_source(err))
    };
    let mut request = Request::new(parts.body.clone());
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = uri.clone();
    *request.headers_mut() = parts.headers.clone();
    let agent = header_value("user-agent", user_agent(spec))?;
    let invocation = header_value("amz-sdk-invocation-id", invocation_id.to_owned())?;
    let attempts = header_value("amz-sdk-request", format!("attempt={attempt}; max={max_attempts}"))?;
    let headers = request.headers_mut();
    headers.insert(USER_AGENT, agent.clone());
    headers.insert(HeaderName::from_static("x-amz-user-agent"), agent);
    headers.insert(HeaderName::from_static("amz-sdk-invocation-id"), invocation);
    headers.insert(HeaderName::from_static("amz-sdk-request"), attempts);
    // Servers may answer 411 to a body-carrying method without a length, even an empty one.
    let has_body_method = matches!(parts.method, Method::POST | Method::PUT | Method::PATCH);
    if !parts.body.is_empty() || has_body_method {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(parts.body.len()));
    }
    Ok(request)
}

/// Signs `request` in place with SigV4 at `time`: adds `x-amz-date`, `authorization` and, for
/// temporary credentials, `x-amz-security-token`. Every header present is signed except
/// `user-agent` (proxies rewrite it), and so is the host derived from the URI.
fn sign_request(
    request: &mut Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), ConstructionError> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};

    let failed = |err: &dyn fmt::Display| ConstructionError::new(format!("could not sign the request: {err}"));
    let identity: aws_smithy_runtime_api::client::identity::Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token.clone(),
        None,
        "aws-lite",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|err| failed(&err))?
        .into();
    let mut headers = Vec::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        let value = std::str::from_utf8(value.as_bytes())
            .map_err(|_| ConstructionError::new(format!("header `{name}` is not valid UTF-8 and cannot be signed")))?;
        headers.push((name.as_str(), value));
    }
    let uri = request.uri().to_string();
    let signable =
        SignableRequest::new(request.method().as_str(), uri, headers.into_iter(), SignableBody::Bytes(request.body()))
            .map_err(|err| failed(&err))?;
    let (instructions, _signature) = sign(signable, &params).map_err(|err| failed(&err))?.into_parts();
    // Applied by hand: `apply_to_request_http1x` unwraps header values.
    let (new_headers, _query) = instructions.into_parts();
    for header in new_headers {
        let name = HeaderName::try_from(header.name()).map_err(|err| failed(&err))?;
        let mut value = HeaderValue::try_from(header.value()).map_err(|err| failed(&err))?;
        value.set_sensitive(header.sensitive());
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Helpers for generated (de)serializers
// ---------------------------------------------------------------------------

/// A fresh idempotency token: the configured fixed token, else a random UUID v4.
pub fn new_idempotency_token(config: &Config) -> String {
    match config.idempotency_token() {
        Some(token) => token.to_owned(),
        None => uuid::Uuid::new_v4().to_string(),
    }
}

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// [`RESERVED`] but keeping `/`, for greedy labels.
const RESERVED_BUT_SLASH: &AsciiSet = &RESERVED.remove(b'/');

/// Percent-encodes an `@httpLabel` value (UTF-8, every byte but unreserved characters);
/// a greedy label (`{Key+}`) keeps its `/` separators.
pub fn percent_encode_label(value: &str, greedy: bool) -> String {
    let set = if greedy { RESERVED_BUT_SLASH } else { RESERVED };
    percent_encoding::utf8_percent_encode(value, set).to_string()
}

/// Percent-encodes a query parameter name or value (every byte but unreserved characters, so
/// a space is `%20`, never `+`).
pub fn percent_encode_query(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, RESERVED).to_string()
}

// ---------------------------------------------------------------------------
// Independent SigV4 verifier for tests
// ---------------------------------------------------------------------------

/// An independent SigV4 verifier for tests: recomputes the signature of a request as received
/// from the SigV4 specification (it shares no code with the signer) and compares.
#[doc(hidden)]
#[cfg(any(test, feature = "test-util"))]
pub mod sigv4_check {
    use bytes::Bytes;
    use http::Request;

    /// The fields of an `Authorization: AWS4-HMAC-SHA256 ...` header.
    struct Authorization<'a> {
        access_key_id: &'a str,
        date: &'a str,
        region: &'a str,
        service: &'a str,
        signed_headers: Vec<&'a str>,
        signature: &'a str,
    }

    /// Checks the SigV4 signature of `request` (absolute URI, or origin-form with a `host`
    /// header as a server receives it) against the secret key. The error says what differs and
    /// shows the canonical request that was verified.
    pub fn verify(request: &Request<Bytes>, secret: &str) -> Result<(), String> {
        let header = request
            .headers()
            .get("authorization")
            .ok_or("no authorization header")?
            .to_str()
            .map_err(|_| "the authorization header is not ASCII")?;
        let auth = parse_authorization(header)?;
        for required in ["host", "x-amz-date"] {
            if !auth.signed_headers.contains(&required) {
                return Err(format!("`{required}` is not a signed header"));
            }
        }
        let amz_date = header_values(request, "x-amz-date")?;
        if !amz_date.starts_with(auth.date) || amz_date.len() != 16 {
            return Err(format!("x-amz-date `{amz_date}` does not match the scope date {}", auth.date));
        }
        let canonical = canonical_request(request, &auth.signed_headers)?;
        let scope = format!("{}/{}/{}/aws4_request", auth.date, auth.region, auth.service);
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes()).as_ref())
        );
        let mut key = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
        for part in [auth.region, auth.service, "aws4_request"] {
            key = hmac(&key, part.as_bytes());
        }
        let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
        if expected == auth.signature {
            Ok(())
        } else {
            Err(format!(
                "signature mismatch for {}: got {}, expected {expected}\ncanonical request:\n{canonical}",
                auth.access_key_id, auth.signature
            ))
        }
    }

    fn parse_authorization(header: &str) -> Result<Authorization<'_>, String> {
        let rest = header
            .strip_prefix("AWS4-HMAC-SHA256 ")
            .ok_or_else(|| format!("not a SigV4 authorization header: `{header}`"))?;
        let (mut credential, mut signed, mut signature) = (None, None, None);
        for field in rest.split(',') {
            let (name, value) = field.trim().split_once('=').ok_or("malformed authorization field")?;
            match name {
                "Credential" => credential = Some(value),
                "SignedHeaders" => signed = Some(value),
                "Signature" => signature = Some(value),
                _ => return Err(format!("unknown authorization field `{name}`")),
            }
        }
        let credential = credential.ok_or("no Credential")?;
        let scope: Vec<&str> = credential.split('/').collect();
        let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
            return Err(format!("malformed credential scope `{credential}`"));
        };
        let signed_headers: Vec<&str> = signed.ok_or("no SignedHeaders")?.split(';').collect();
        let mut sorted = signed_headers.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted != signed_headers || signed_headers.iter().any(|name| name.is_empty()) {
            return Err("SignedHeaders are not sorted, unique, lowercase names".to_owned());
        }
        Ok(Authorization {
            access_key_id,
            date,
            region,
            service,
            signed_headers,
            signature: signature.ok_or("no Signature")?,
        })
    }

    /// The canonical request of the SigV4 specification, for services other than S3 (path
    /// normalized and encoded twice).
    fn canonical_request(request: &Request<Bytes>, signed: &[&str]) -> Result<String, String> {
        let mut headers = String::new();
        for name in signed {
            let value = if *name == "host" { host(request)? } else { header_values(request, name)? };
            headers.push_str(&format!("{name}:{value}\n"));
        }
        Ok(format!(
            "{}\n{}\n{}\n{headers}\n{}\n{}",
            request.method(),
            canonical_path(request.uri().path()),
            canonical_query(request.uri().query().unwrap_or("")),
            signed.join(";"),
            hex(ring::digest::digest(&ring::digest::SHA256, request.body()).as_ref())
        ))
    }

    /// The `host` header, else the URI's host with a non-default port.
    fn host(request: &Request<Bytes>) -> Result<String, String> {
        if request.headers().contains_key("host") {
            return header_values(request, "host");
        }
        let uri = request.uri();
        let host = uri.host().ok_or("no host header and no host in the URI")?;
        let default_port = match uri.scheme_str() {
            Some("http") => Some(80),
            Some("https") => Some(443),
            _ => None,
        };
        Ok(match uri.port_u16() {
            Some(port) if Some(port) != default_port => format!("{host}:{port}"),
            _ => host.to_owned(),
        })
    }

    /// All values of a header, each trimmed with inner runs of spaces collapsed, joined by `,`.
    fn header_values(request: &Request<Bytes>, name: &str) -> Result<String, String> {
        let mut values = Vec::new();
        for value in request.headers().get_all(name) {
            let text = std::str::from_utf8(value.as_bytes()).map_err(|_| format!("header `{name}` is not UTF-8"))?;
            values.push(text.split(' ').filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" "));
        }
        if values.is_empty() {
            return Err(format!("signed header `{name}` is missing"));
        }
        Ok(values.join(","))
    }

    /// RFC 3986 dot-segment removal (empty segments dropped too), then every byte but
    /// unreserved characters and `/` percent-encoded (so `%2F` becomes `%252F`).
    fn canonical_path(path: &str) -> String {
        let mut segments: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                other => segments.push(other),
            }
        }
        let mut normalized = format!("/{}", segments.join("/"));
        let trailing = ["/", "/.", "/..", "/./", "/../"].iter().any(|end| path.ends_with(end));
        if trailing && !normalized.ends_with('/') {
            normalized.push('/');
        }
        encode(normalized.as_bytes(), true)
    }

    /// Parameters decoded (`+` is a space, as form encoding has it), encoded strictly, sorted.
    fn canonical_query(query: &str) -> String {
        let mut pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (encode(&decode(name), false), encode(&decode(value), false))
            })
            .collect();
        pairs.sort();
        pairs.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
    }

    fn decode(text: &str) -> Vec<u8> {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            let escaped = bytes
                .get(i + 1..i + 3)
                .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match (byte, escaped) {
                (b'%', Some(decoded)) => {
                    out.push(decoded);
                    i += 3;
                }
                (b'+', _) => {
                    out.push(b' ');
                    i += 1;
                }
                (other, _) => {
                    out.push(other);
                    i += 1;
                }
            }
        }
        out
    }

    fn encode(bytes: &[u8], keep_slash: bool) -> String {
        let mut out = String::with_capacity(bytes.len());
        for &byte in bytes {
            let unreserved = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
            if unreserved || (keep_slash && byte == b'/') {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }

    fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
        ring::hmac::sign(&key, data).as_ref().to_vec()
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Unhandled;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static SPEC: ServiceSpec = ServiceSpec {
        sdk_id: "Personalize",
        endpoint_prefix: "personalize",
        signing_name: "personalize",
        api_version: "2018-05-22",
    };

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response<Bytes> {
        let mut builder = Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_owned())).expect("valid test response")
    }

    fn config_with(transport: impl Transport) -> ConfigBuilder {
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
            .transport(transport)
    }

    fn parts() -> RequestParts {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/x-amz-json-1.1"));
        headers.insert("x-amz-target", HeaderValue::from_static("AmazonPersonalize.ListDatasets"));
        RequestParts {
            method: Method::POST,
            path_and_query: "/".to_owned(),
            headers,
            body: Bytes::from_static(b"{\"maxResults\":10}"),
            host_prefix: None,
            endpoint: None,
            request_compression: false,
        }
    }

    fn header<'a>(request: &'a Request<Bytes>, name: &str) -> &'a str {
        request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    // --- error metadata -----------------------------------------------------------------

    #[test]
    fn error_code_header_wins_over_body() {
        let meta = error_metadata(&response(
            400,
            &[
                ("X-Amzn-Errortype", "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
                ("x-amzn-requestid", "req-1"),
            ],
            r#"{"code": "BarError", "__type": "BazError", "message": "boom"}"#,
        ));
        assert_eq!(meta.code(), Some("FooError"));
        assert_eq!(meta.message(), Some("boom"));
        assert_eq!(meta.status, Some(400));
        assert_eq!(meta.request_id(), Some("req-1"));
    }

    #[test]
    fn error_code_from_namespaced_type_and_code_member() {
        let meta = error_metadata(&response(
            404,
            &[],
            r#"{"__type": "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/", "Message": "gone"}"#,
        ));
        assert_eq!(meta.code(), Some("FooError"));
        assert_eq!(meta.message(), Some("gone"));

        let meta =
            error_metadata(&response(400, &[], r#"{"code": "BarError", "__type": "Other", "errorMessage": "e"}"#));
        assert_eq!(meta.code(), Some("BarError"));
        assert_eq!(meta.message(), Some("e"));
    }

    #[test]
    fn garbage_error_body_still_gives_status_and_request_id() {
        let meta = error_metadata(&response(502, &[("x-amz-request-id", "req-2")], "<html>Bad Gateway"));
        assert_eq!(
            meta,
            ErrorMetadata { code: None, message: None, status: Some(502), request_id: Some("req-2".into()) }
        );
        // Non-string members are ignored rather than failing.
        let meta = error_metadata(&response(400, &[], r#"{"code": 12, "message": null}"#));
        assert_eq!((meta.code(), meta.message()), (None, None));
    }

    #[test]
    fn sanitizing_error_codes() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(sanitize_error_code("ns.a#FooError"), "FooError");
        assert_eq!(sanitize_error_code("FooError:http://internal.amazon.com/coral/x#y"), "FooError");
        assert_eq!(sanitize_error_code("ns#FooError:http://x"), "FooError");
    }

    #[test]
    fn request_id_prefers_amzn_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_id(&headers), None);
        headers.insert("x-amz-request-id", HeaderValue::from_static("b"));
        assert_eq!(request_id(&headers).as_deref(), Some("b"));
        headers.insert("x-amzn-RequestId", HeaderValue::from_static("a"));
        assert_eq!(request_id(&headers).as_deref(), Some("a"));
    }

    #[test]
    fn retry_classification() {
        assert!([500, 502, 503, 504].into_iter().all(is_retryable_status));
        assert!(![200, 400, 404, 429, 501].into_iter().any(is_retryable_status));
        assert!(is_throttling_code("ThrottlingException") && is_throttling_code("SlowDown"));
        assert!(is_transient_code("RequestTimeoutException") && !is_transient_code("ValidationException"));
        assert!(retry_reason(&response(200, &[], "")).is_none());
        assert!(retry_reason(&response(400, &[], r#"{"__type":"ValidationException"}"#)).is_none());
        assert!(retry_reason(&response(400, &[("x-amzn-errortype", "ThrottlingException")], "")).is_some());
        assert!(retry_reason(&response(503, &[], "")).is_some());
    }

    // --- configuration ------------------------------------------------------------------

    #[test]
    fn backoff_is_exponential_jittered_and_capped() {
        let retry = RetryConfig::default();
        assert_eq!(retry.max_attempts(), 3);
        assert_eq!(retry.backoff(1, 0.5), Duration::from_millis(500));
        assert_eq!(retry.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(retry.backoff(3, 0.0), Duration::ZERO);
        assert_eq!(retry.backoff(10, 0.99), Duration::from_secs(20));
        assert_eq!(retry.backoff(u32::MAX, 1.0), Duration::from_secs(20));
        let huge = RetryConfig::default().with_initial_backoff(Duration::MAX).with_max_backoff(Duration::MAX);
        assert_eq!(huge.backoff(60, 1.0), Duration::MAX);
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(RetryConfig::default().with_max_attempts(0).max_attempts(), 1);
    }

    #[test]
    fn config_requires_a_region_and_a_usable_endpoint() {
        let err = Config::builder().build().unwrap_err();
        assert!(err.to_string().contains("no region"), "{err}");
        for (url, why) in [
            ("localhost:8080", "absolute"),
            ("ftp://example.com", "scheme"),
            ("/just/a/path", "absolute"),
            ("http://user:pw@example.com", "credentials"),
            ("http://example.com/?a=b", "query"),
            ("http://exa mple.com", "invalid"),
        ] {
            let err = Config::builder().region("us-east-1").endpoint_url(url).build().unwrap_err();
            assert!(err.to_string().contains(why), "{url}: {err}");
        }
        let config = Config::builder().region("us-east-1").build().expect("valid config");
        assert_eq!(config.validation(), ValidationMode::Full);
        assert_eq!(config.timeouts().connect_timeout(), Some(Duration::from_millis(3100)));
        assert!(config.credentials().is_none());
    }

    #[test]
    fn config_from_env_lookup() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string())
        };
        let config = Config::from_lookup(&env(&[
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
        ]))
        .expect("complete environment");
        assert_eq!(config.region(), "eu-west-1");
        let credentials = config.credentials().expect("credentials");
        assert_eq!((credentials.access_key_id(), credentials.session_token()), ("AKID", Some("token")));

        let config = Config::from_lookup(&env(&[
            ("AWS_REGION", "us-east-2"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
        ]))
        .expect("complete environment");
        assert_eq!(config.region(), "us-east-2");
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9000"));

        let err = Config::from_lookup(&env(&[("AWS_ACCESS_KEY_ID", "AKID")])).unwrap_err();
        assert!(err.to_string().contains("AWS_REGION"), "{err}");
        let err = Config::from_lookup(&env(&[("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "AKID")])).unwrap_err();
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{err}");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let credentials = Credentials::new("AKIDVISIBLE", "very-secret-key", Some("session-token-value".into()));
        let config = config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused"))))
            .credentials(credentials.clone());
        let texts = [
            format!("{credentials:?}"),
            format!("{config:?}"),
            format!("{:?}", config.clone().build().expect("valid config")),
        ];
        for text in texts {
            assert!(text.contains("AKIDVISIBLE"), "{text}");
            assert!(!text.contains("very-secret-key") && !text.contains("session-token-value"), "{text}");
        }
    }

    #[test]
    fn idempotency_tokens() {
        let random = Config::builder().region("us-east-1").build().expect("valid config");
        let (a, b) = (new_idempotency_token(&random), new_idempotency_token(&random));
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let fixed = random.to_builder().idempotency_token("fixed").build().expect("valid config");
        assert_eq!(new_idempotency_token(&fixed), "fixed");
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(percent_encode_label("a b/c%d~e_f.g-h", false), "a%20b%2Fc%25d~e_f.g-h");
        assert_eq!(percent_encode_label("a b/c", true), "a%20b/c");
        assert_eq!(percent_encode_label("é:+*", false), "%C3%A9%3A%2B%2A");
        assert_eq!(percent_encode_query("a+b=c&d e"), "a%2Bb%3Dc%26d%20e");
    }

    // --- endpoints ----------------------------------------------------------------------

    fn endpoint(region: &str, url: Option<&str>, prefix: Option<&str>) -> Result<String, ConstructionError> {
        let mut builder = Config::builder().region(region);
        if let Some(url) = url {
            builder = builder.endpoint_url(url);
        }
        let config = builder.build().expect("valid config");
        resolve_endpoint(&SPEC, &config, prefix).map(|uri| uri.to_string())
    }

    #[test]
    fn regional_endpoints_per_partition() {
        let cases = [
            ("us-east-1", "https://personalize.us-east-1.amazonaws.com/"),
            ("cn-north-1", "https://personalize.cn-north-1.amazonaws.com.cn/"),
            ("us-gov-west-1", "https://personalize.us-gov-west-1.amazonaws.com/"),
            ("us-iso-east-1", "https://personalize.us-iso-east-1.c2s.ic.gov/"),
            ("us-isob-east-1", "https://personalize.us-isob-east-1.sc2s.sgov.gov/"),
        ];
        for (region, expected) in cases {
            assert_eq!(endpoint(region, None, None).expect(region), expected);
        }
        assert_eq!(
            endpoint("us-east-1", None, Some("data-")).expect("prefixed"),
            "https://data-personalize.us-east-1.amazonaws.com/"
        );
    }

    #[test]
    fn endpoint_overrides_keep_scheme_port_and_base_path() {
        assert_eq!(endpoint("us-east-1", Some("http://127.0.0.1:8080"), None).expect("ip"), "http://127.0.0.1:8080/");
        assert_eq!(
            endpoint("us-east-1", Some("http://127.0.0.1:8080/base/"), Some("data-")).expect("ip"),
            "http://127.0.0.1:8080/base/"
        );
        assert_eq!(
            endpoint("us-east-1", Some("https://example.com:8443/base"), Some("data-")).expect("named"),
            "https://data-example.com:8443/base"
        );
        let uri: Uri = "https://example.com:8443/base".parse().expect("uri");
        assert_eq!(request_uri(&uri, "/x/y?z=1").expect("joined").to_string(), "https://example.com:8443/base/x/y?z=1");
        let uri: Uri = "https://example.com/".parse().expect("uri");
        assert_eq!(request_uri(&uri, "/").expect("joined").to_string(), "https://example.com/");
        assert!(request_uri(&uri, "x").is_err());
    }

    #[test]
    fn invalid_regions_and_prefixes_are_construction_errors() {
        for region in ["us east", "us-east-1/../x", "-us", "a.b"] {
            let err = endpoint(region, None, None).unwrap_err();
            assert!(err.to_string().contains("invalid region"), "{err}");
        }
        assert!(endpoint("us-east-1", None, Some("bad prefix.")).is_err());
        let config = Config::builder().region("us-east-1").disable_host_prefix(true).build().expect("valid config");
        assert_eq!(
            resolve_endpoint(&SPEC, &config, Some("data-")).expect("resolved").to_string(),
            "https://personalize.us-east-1.amazonaws.com/"
        );
    }

    // --- send ---------------------------------------------------------------------------

    #[tokio::test(start_paused = true)]
    async fn send_signs_and_numbers_attempts() {
        let transport = InMemoryTransport::new(|request| {
            let attempt = request.headers().get("amz-sdk-request").and_then(|v| v.to_str().ok());
            Ok(if attempt == Some("attempt=1; max=3") { response(503, &[], "") } else { response(200, &[], "{}") })
        });
        let config = config_with(transport.clone()).build().expect("valid config");
        let result = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await;
        assert_eq!(result.expect("success").status(), 200);

        let requests = transport.requests();
        assert_eq!(requests.len(), 2);
        for (index, request) in requests.iter().enumerate() {
            assert_eq!(request.uri().to_string(), "https://personalize.us-west-2.amazonaws.com/");
            assert_eq!(header(request, "amz-sdk-request"), format!("attempt={}; max=3", index + 1));
            let auth = header(request, "authorization");
            let date = &header(request, "x-amz-date")[..8];
            assert!(
                auth.contains(&format!("Credential=AKIDEXAMPLE/{date}/us-west-2/personalize/aws4_request")),
                "{auth}"
            );
            let signed = auth.split("SignedHeaders=").nth(1).and_then(|s| s.split(',').next()).unwrap_or_default();
            assert!(signed.split(';').any(|h| h == "host") && signed.split(';').any(|h| h == "x-amz-date"), "{signed}");
            assert!(!signed.split(';').any(|h| h == "user-agent"), "{signed}");
            assert!(header(request, "x-amz-user-agent").starts_with("aws-lite/"));
            assert_eq!(header(request, "content-length"), "17");
            assert_eq!(request.body(), &parts().body);
            sigv4_check::verify(request, SECRET).expect("valid signature");
        }
        let id = header(&requests[0], "amz-sdk-invocation-id");
        assert_eq!(id.len(), 36);
        assert_eq!(id, header(&requests[1], "amz-sdk-invocation-id"));
    }

    #[tokio::test(start_paused = true)]
    async fn send_with_session_token_signs_the_token() {
        let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
        let config = config_with(transport.clone())
            .credentials(Credentials::new("ASIAEXAMPLE", SECRET, Some("the-token".into())))
            .build()
            .expect("valid config");
        send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.expect("success");
        let request = &transport.requests()[0];
        assert_eq!(header(request, "x-amz-security-token"), "the-token");
        assert!(header(request, "authorization").contains("x-amz-security-token"));
        sigv4_check::verify(request, SECRET).expect("valid signature");
    }

    #[tokio::test(start_paused = true)]
    async fn send_without_credentials_is_unsigned() {
        let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
        let config = Config::builder().region("us-east-1").transport(transport.clone()).build().expect("valid config");
        send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.expect("success");
        let request = &transport.requests()[0];
        assert!(request.headers().get("authorization").is_none());
        assert!(request.headers().get("x-amz-date").is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_is_retried_until_attempts_run_out() {
        let transport = InMemoryTransport::new(|_| {
            Ok(response(
                400,
                &[("x-amzn-requestid", "r")],
                r#"{"__type":"com.amazonaws#ThrottlingException","message":"slow down"}"#,
            ))
        });
        let config = config_with(transport.clone())
            .retry(RetryConfig::default().with_max_attempts(4))
            .build()
            .expect("valid config");
        let response = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.expect("a response");
        assert_eq!(response.status(), 400);
        assert_eq!(error_metadata(&response).code(), Some("ThrottlingException"));
        assert_eq!(transport.requests().len(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn modeled_client_errors_are_not_retried() {
        let transport = InMemoryTransport::new(|_| Ok(response(404, &[], r#"{"__type":"ResourceNotFoundException"}"#)));
        let config = config_with(transport.clone()).build().expect("valid config");
        let response = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.expect("a response");
        assert_eq!(response.status(), 404);
        assert_eq!(transport.requests().len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn transport_errors_are_retried() {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let transport = InMemoryTransport::new(move |_| match seen.fetch_add(1, Ordering::SeqCst) {
            0 => Err(TransportError::connect("refused")),
            1 => Err(TransportError::io("reset")),
            _ => Ok(response(200, &[], "{}")),
        });
        let config = config_with(transport.clone()).build().expect("valid config");
        send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.expect("third attempt succeeds");
        assert_eq!(calls.load(Ordering::SeqCst), 3);

        let failing = InMemoryTransport::new(|_| Err(TransportError::connect("connection refused")));
        let config = config_with(failing.clone()).build().expect("valid config");
        let err = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.unwrap_err();
        assert!(matches!(&err, SdkError::Transport(e) if e.kind() == TransportErrorKind::Connect), "{err}");
        assert_eq!(err.to_string(), "could not connect: connection refused");
        assert_eq!(failing.requests().len(), 3);

        let other = InMemoryTransport::new(|_| Err(TransportError::other("bad request")));
        let config = config_with(other.clone()).build().expect("valid config");
        assert!(send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.is_err());
        assert_eq!(other.requests().len(), 1);
    }

    /// A transport that never answers within `delay`.
    #[derive(Debug)]
    struct Slow {
        delay: Duration,
        calls: Arc<AtomicUsize>,
    }

    impl Transport for Slow {
        fn send(&self, _request: Request<Bytes>) -> TransportFuture<'_> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let delay = self.delay;
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                Ok(response(200, &[], "{}"))
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn attempt_timeouts_are_retried_then_reported() {
        let calls = Arc::new(AtomicUsize::new(0));
        let config = config_with(Slow { delay: Duration::from_secs(60), calls: calls.clone() })
            .timeouts(TimeoutConfig::default().with_attempt_timeout(Duration::from_secs(2)))
            .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(1)))
            .build()
            .expect("valid config");
        let err = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.unwrap_err();
        assert!(matches!(&err, SdkError::Timeout(t) if t.kind() == TimeoutKind::Attempt), "{err}");
        assert_eq!(err.to_string(), "request timed out after 2s (attempt timeout)");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn operation_timeout_bounds_the_whole_call() {
        let calls = Arc::new(AtomicUsize::new(0));
        let config = config_with(Slow { delay: Duration::from_secs(60), calls: calls.clone() })
            .timeouts(
                TimeoutConfig::default()
                    .with_attempt_timeout(Duration::from_secs(2))
                    .with_operation_timeout(Duration::from_secs(3)),
            )
            .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(1)))
            .build()
            .expect("valid config");
        let err = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.unwrap_err();
        assert_eq!(err.to_string(), "request timed out after 3s (operation timeout)");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn construction_errors_send_nothing() {
        let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
        let config = config_with(transport.clone()).region("us east").build().expect("valid config");
        let err = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts()).await.unwrap_err();
        assert!(matches!(err, SdkError::Construction(_)), "{err}");
        let config = config_with(transport.clone()).build().expect("valid config");
        let mut bad = parts();
        bad.path_and_query = "no-slash".into();
        let err = send::<Unhandled>(&config, &SPEC, "ListDatasets", bad).await.unwrap_err();
        assert!(err.to_string().starts_with("could not build the request: "), "{err}");
        assert!(transport.requests().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn send_uses_host_prefix_and_endpoint_base_path() {
        let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
        let config =
            config_with(transport.clone()).endpoint_url("https://example.com/base").build().expect("valid config");
        let mut prefixed = parts();
        prefixed.method = Method::GET;
        prefixed.body = Bytes::new();
        prefixed.path_and_query = "/things/a%2Fb?x=1%202".into();
        prefixed.host_prefix = Some("data-".into());
        send::<Unhandled>(&config, &SPEC, "GetThing", prefixed).await.expect("success");
        let request = &transport.requests()[0];
        assert_eq!(request.uri().to_string(), "https://data-example.com/base/things/a%2Fb?x=1%202");
        assert!(request.headers().get("content-length").is_none());
        sigv4_check::verify(request, SECRET).expect("valid signature");
    }

    #[tokio::test]
    async fn request_compression_gzips_large_bodies_only_when_enabled() {
        use std::io::Read as _;
        let large = Bytes::from(vec![b'a'; 20_000]);
        let base = || config_with(InMemoryTransport::new(|_| Err(TransportError::other("replaced below"))));
        let sent = |config: ConfigBuilder, compressible: bool, body: Bytes| async move {
            let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
            let config = config.transport(transport.clone()).build().expect("valid config");
            let mut request = parts();
            request.body = body;
            request.request_compression = compressible;
            request.headers.insert("content-encoding", HeaderValue::from_static("custom"));
            send::<Unhandled>(&config, &SPEC, "PutThing", request).await.expect("success");
            transport.requests().remove(0)
        };
        let request = sent(base(), true, large.clone()).await;
        assert_eq!(header(&request, "content-encoding"), "custom, gzip");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&request.body()[..]).read_to_end(&mut decoded).expect("valid gzip");
        assert_eq!(decoded, large.to_vec());
        sigv4_check::verify(&request, SECRET).expect("the compressed body is what is signed");

        let small = sent(base(), true, Bytes::from_static(b"{}")).await;
        assert_eq!((header(&small, "content-encoding"), &small.body()[..]), ("custom", &b"{}"[..]));
        let disabled = sent(base().disable_request_compression(true), true, large.clone()).await;
        assert_eq!(disabled.body(), &large);
        let not_modeled = sent(base(), false, large.clone()).await;
        assert_eq!(not_modeled.body(), &large);
        let lowered = base().request_min_compression_size_bytes(1);
        assert_eq!(header(&sent(lowered, true, Bytes::from_static(b"{}")).await, "content-encoding"), "custom, gzip");
        let too_large = base().request_min_compression_size_bytes(10_485_761).build();
        assert!(too_large.is_err());
    }

    #[test]
    fn send_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let config =
            config_with(InMemoryTransport::new(|_| Err(TransportError::other("x")))).build().expect("valid config");
        let future = send::<Unhandled>(&config, &SPEC, "ListDatasets", parts());
        assert_send(&future);
    }

    #[test]
    fn sdk_error_display_says_what_happened() {
        let meta = ErrorMetadata {
            code: Some("ResourceNotFoundException".into()),
            message: Some("Could not find dataset".into()),
            status: Some(404),
            request_id: Some("abc".into()),
        };
        let err: SdkError<Unhandled> = SdkError::Service(ServiceError::new(Unhandled { meta: meta.clone() }, meta));
        assert_eq!(
            err.to_string(),
            "service error: ResourceNotFoundException: Could not find dataset (HTTP 404, request id abc)"
        );
        assert_eq!(err.meta().and_then(|m| m.code()), Some("ResourceNotFoundException"));
        assert_eq!(err.request_id(), Some("abc"));
        assert!(err.as_service_error().is_some());
        assert!(err.source().is_some());
        assert!(err.into_service_error().is_some());

        let parse = ResponseParseError::new(
            &response(200, &[("x-amzn-requestid", "x")], "nope"),
            "expected value at line 1 column 1",
        );
        let err: SdkError<Unhandled> = parse.into();
        assert_eq!(
            err.to_string(),
            "could not parse the response (HTTP 200, request id x): expected value at line 1 column 1"
        );
        assert!(err.as_service_error().is_none());

        let validation = ValidationError {
            input: "CreateMetricAttributionInput",
            violations: vec![crate::validation::Violation {
                path: "name".into(),
                constraint: crate::validation::Constraint::Required,
                message: "a value is required".into(),
            }],
        };
        let err: SdkError<Unhandled> = validation.into();
        assert!(err.to_string().starts_with("invalid CreateMetricAttributionInput: 1 constraint violation"));
    }

    // --- SigV4 --------------------------------------------------------------------------

    /// 2015-08-30T12:36:00Z, the time of the AWS SigV4 test suite.
    fn suite_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    #[test]
    fn signer_matches_the_aws_test_suite_get_vanilla() {
        // Known answer from the AWS SigV4 test suite (`get-vanilla`): independent of both the
        // signer and the verifier.
        let expected = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                        SignedHeaders=host;x-amz-date, \
                        Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "https://example.amazonaws.com/".parse().expect("uri");
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        sign_request(&mut request, &credentials, "us-east-1", "service", suite_time()).expect("signed");
        assert_eq!(header(&request, "x-amz-date"), "20150830T123600Z");
        assert_eq!(header(&request, "authorization"), expected);

        // The verifier accepts the suite's request as a server receives it.
        let mut received = Request::new(Bytes::new());
        *received.uri_mut() = "/".parse().expect("uri");
        received.headers_mut().insert("host", HeaderValue::from_static("example.amazonaws.com"));
        received.headers_mut().insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        received.headers_mut().insert("authorization", HeaderValue::from_static(expected));
        sigv4_check::verify(&received, SECRET).expect("suite request verifies");
        assert!(sigv4_check::verify(&received, "wrong").is_err());
    }

    #[test]
    fn verifier_agrees_with_signer_on_awkward_requests() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("tok/en+=".into()));
        let mut request = Request::new(Bytes::from_static(b"{\"a\": \"b c\"}"));
        *request.method_mut() = Method::PUT;
        *request.uri_mut() =
            "http://127.0.0.1:8080/base/./a%2Fb/%C3%A9/../c%20d/?z=2&a=%2B&a=1&empty&sp=x%20y".parse().expect("uri");
        let headers = request.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("x-amz-meta", HeaderValue::from_static("  spaced   out  value "));
        headers.append("x-amz-multi", HeaderValue::from_static("one"));
        headers.append("x-amz-multi", HeaderValue::from_static("two"));
        sign_request(&mut request, &credentials, "eu-central-1", "iot", suite_time()).expect("signed");
        sigv4_check::verify(&request, SECRET).expect("valid signature");

        let mut tampered = copy_request(&request);
        *tampered.body_mut() = Bytes::from_static(b"{}");
        assert!(sigv4_check::verify(&tampered, SECRET).unwrap_err().contains("signature mismatch"));
        let mut tampered = copy_request(&request);
        tampered.headers_mut().insert("x-amz-meta", HeaderValue::from_static("other"));
        assert!(sigv4_check::verify(&tampered, SECRET).is_err());
        let mut tampered = copy_request(&request);
        *tampered.uri_mut() = "http://127.0.0.1:8080/base/a%2Fb/c%20d/?z=2&a=1".parse().expect("uri");
        assert!(sigv4_check::verify(&tampered, SECRET).is_err());
    }

    // --- the hyper transport, against a loopback server ---------------------------------

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
