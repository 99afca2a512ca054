//! Sending a serialized request: [`send`] resolves the endpoint, compresses the body when the
//! operation and the configuration allow it, then for each attempt builds the HTTP request (SDK
//! headers, user agent), signs it, sends it through the transport under the attempt timeout and
//! decides whether to retry; the whole call runs under the operation timeout.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH, USER_AGENT};
use http::{HeaderMap, Method, Request, Response, Uri};

use crate::config::{AccountIdEndpointMode, Config, ServiceSpec};
use crate::endpoint::{override_endpoint, request_uri, resolve_by_rules, resolve_endpoint, EndpointParams};
use crate::error::call::{ConstructionError, ResponseParseError, SdkError, TimeoutError, TimeoutKind};
use crate::retry::retry_reason;
use crate::sdk_headers;
use crate::signing::{sign_request_with, PathSigning};
use crate::transport::{HyperTransport, TransportError};

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
    /// The operation's endpoint parameters (`@contextParam` members, `staticContextParams`,
    /// `operationContextParams`), for services with an endpoint rule set.
    pub endpoint_params: EndpointParams,
    /// Error codes worth another attempt for this operation, besides the throttling and
    /// transient ones every service retries (botocore's per-service retry entries).
    pub retryable_codes: &'static [&'static str],
    /// The request must go over HTTP/2 (event streams of services whose protocol says so).
    pub http2: bool,
}

/// The request with its body gzip-compressed and `gzip` appended to `Content-Encoding`, when
/// the operation allows it and the configuration asks for it; else `None`.
fn compressed(parts: &RequestParts, config: &Config) -> Result<Option<RequestParts>, ConstructionError> {
    use std::io::Write as _;
    let wanted = parts.request_compression
        && !config.disable_request_compression()
        && parts.body.len() >= config.request_min_compression_size_bytes() as usize;
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
    let started = AtomicU32::new(0);
    let attempts = send_attempts(config, spec, operation, &parts, &started);
    let response = match config.timeouts().operation_timeout() {
        None => attempts.await?,
        Some(limit) => match tokio::time::timeout(limit, attempts).await {
            Ok(outcome) => outcome?,
            Err(_) => {
                tracing::debug!(service = spec.sdk_id, operation, timeout = ?limit, "operation timed out");
                let started = started.load(Ordering::Relaxed).max(1);
                return Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Operation, limit).with_attempts(started)));
            }
        },
    };
    decoded(response).map_err(SdkError::ResponseParse)
}

/// The largest body a compressed response may expand to, as the transport caps bodies.
const MAX_DECODED_BYTES: u64 = HyperTransport::DEFAULT_MAX_RESPONSE_BYTES as u64;

/// The response with a `gzip` body decoded (proxies and some services compress even unasked);
/// any other content coding is reported, not handed to a parser as if it were text.
pub(crate) fn decoded(response: Response<Bytes>) -> Result<Response<Bytes>, ResponseParseError> {
    use std::io::Read as _;
    let encoding = response.headers().get(CONTENT_ENCODING).map(|value| value.to_str().unwrap_or("(not text)").trim());
    match encoding {
        None | Some("" | "identity") => return Ok(response),
        Some(coding) if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") => {}
        Some(coding) => {
            let coding = crate::error::printable::printable(coding, 40);
            return Err(ResponseParseError::new(
                &response,
                format!("the response body is encoded with `{coding}`, which is not supported (only gzip is)"),
            ));
        }
    }
    let mut body = Vec::new();
    let read =
        flate2::read::GzDecoder::new(response.body().as_ref()).take(MAX_DECODED_BYTES + 1).read_to_end(&mut body);
    if let Err(err) = read {
        return Err(
            ResponseParseError::new(&response, "the gzip-encoded response body could not be decoded").with_source(err)
        );
    }
    if body.len() as u64 > MAX_DECODED_BYTES {
        return Err(ResponseParseError::new(
            &response,
            format!("the gzip-encoded response body expands beyond {MAX_DECODED_BYTES} bytes"),
        ));
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(CONTENT_ENCODING);
    parts.headers.remove(CONTENT_LENGTH);
    Ok(Response::from_parts(parts, Bytes::from(body)))
}

/// What one attempt produced.
enum Attempt {
    Response(Response<Bytes>),
    Failed(TransportError),
    TimedOut(Duration),
}

/// Where and how a request goes: its URI, signing scope and extra headers, from the endpoint
/// the request names, the service's rule set or its hostname pattern.
pub(crate) struct Route<'a> {
    uri: Uri,
    pub(crate) signing_region: String,
    pub(crate) signing_name: String,
    pub(crate) path_signing: PathSigning,
    endpoint_headers: Vec<(HeaderName, HeaderValue)>,
    /// The request to send: `parts`, or its gzip-compressed copy.
    parts: std::borrow::Cow<'a, RequestParts>,
}

/// Resolves the endpoint of `parts` and compresses its body when allowed.
pub(crate) async fn route<'a, E>(
    config: &Config,
    spec: &'static ServiceSpec,
    parts: &'a RequestParts,
) -> Result<Route<'a>, SdkError<E>> {
    let prefix = if config.disable_host_prefix() { "" } else { parts.host_prefix.as_deref().unwrap_or("") };
    let mut signing = (config.region(), spec.signing_name);
    let mut path_signing = PathSigning::default();
    let mut endpoint_headers: &[(HeaderName, HeaderValue)] = &[];
    let resolved;
    // A rule set that routes by account needs the credentials' account before the endpoint.
    let account_id = match (&parts.endpoint, spec.endpoint_rules, config.credentials_provider()) {
        (None, Some(rules), Some(provider))
            if config.account_id_endpoint_mode() != AccountIdEndpointMode::Disabled && rules.uses_account_id() =>
        {
            let credentials = provider.load().await.map_err(SdkError::Credentials)?;
            credentials.account_id().map(str::to_owned)
        }
        _ => None,
    };
    let endpoint = match (&parts.endpoint, spec.endpoint_rules) {
        (Some(endpoint), _) => {
            let uri: Uri = endpoint.parse().map_err(|err| {
                ConstructionError::new(format!("the request's endpoint `{endpoint}` is not a URI")).with_source(err)
            })?;
            override_endpoint(&uri, "")?
        }
        (None, Some(rules)) => {
            resolved = resolve_by_rules(spec, rules, config, &parts.endpoint_params, account_id.as_deref())?;
            signing = (
                resolved.signing_region.as_deref().unwrap_or(signing.0),
                resolved.signing_name.as_deref().unwrap_or(signing.1),
            );
            endpoint_headers = &resolved.headers;
            path_signing = PathSigning {
                double_encode: !resolved.disable_double_encoding,
                normalize: !resolved.disable_normalize_path,
            };
            override_endpoint(&resolved.uri, prefix)?
        }
        (None, None) => resolve_endpoint(spec, config, parts.host_prefix.as_deref())?,
    };
    let uri = request_uri(&endpoint, &parts.path_and_query)?;
    let parts = match compressed(parts, config)? {
        Some(compressed) => std::borrow::Cow::Owned(compressed),
        None => std::borrow::Cow::Borrowed(parts),
    };
    Ok(Route {
        uri,
        signing_region: signing.0.to_owned(),
        signing_name: signing.1.to_owned(),
        path_signing,
        endpoint_headers: endpoint_headers.to_vec(),
        parts,
    })
}

impl Route<'_> {
    /// The request of attempt `attempt`, with the SDK and endpoint headers, signed when the
    /// configuration has credentials.
    pub(crate) async fn signed_request<E>(
        &self,
        config: &Config,
        spec: &ServiceSpec,
        invocation_id: &HeaderValue,
        attempt: u32,
        max_attempts: u32,
    ) -> Result<Request<Bytes>, SdkError<E>> {
        let mut request = build_request(&self.parts, &self.uri, spec, invocation_id, attempt, max_attempts);
        for (name, value) in &self.endpoint_headers {
            request.headers_mut().append(name.clone(), value.clone());
        }
        if let Some(provider) = config.credentials_provider() {
            let credentials = provider.load().await.map_err(SdkError::Credentials)?;
            sign_request_with(
                &mut request,
                &credentials,
                &self.signing_region,
                &self.signing_name,
                SystemTime::now(),
                self.path_signing,
            )?;
        }
        Ok(request)
    }
}

/// The retry loop of [`send`], without the operation timeout.
async fn send_attempts<E>(
    config: &Config,
    spec: &'static ServiceSpec,
    operation: &'static str,
    parts: &RequestParts,
    started: &AtomicU32,
) -> Result<Response<Bytes>, SdkError<E>> {
    let route = route(config, spec, parts).await?;
    let parts = &*route.parts;
    let invocation_id = sdk_headers::invocation_id();
    let max_attempts = config.retry().max_attempts();
    let mut attempt = 1;
    loop {
        started.store(attempt, Ordering::Relaxed);
        let request = route.signed_request(config, spec, &invocation_id, attempt, max_attempts).await?;
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
                retry_reason(response, parts.retryable_codes)
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
                    Attempt::Failed(err) => Err(SdkError::Transport(err.with_attempts(attempt))),
                    Attempt::TimedOut(after) => {
                        Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Attempt, after).with_attempts(attempt)))
                    }
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

/// The HTTP request of one attempt, before signing.
fn build_request(
    parts: &RequestParts,
    uri: &Uri,
    spec: &ServiceSpec,
    invocation_id: &HeaderValue,
    attempt: u32,
    max_attempts: u32,
) -> Request<Bytes> {
    let mut request = Request::new(parts.body.clone());
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = uri.clone();
    // Room for the headers added here and by signing, so none of them grows the map.
    let headers = request.headers_mut();
    headers.reserve(parts.headers.len() + 10);
    for (name, value) in &parts.headers {
        headers.append(name.clone(), value.clone());
    }
    let agent = sdk_headers::user_agent(spec);
    headers.insert(USER_AGENT, agent.clone());
    headers.insert(HeaderName::from_static("x-amz-user-agent"), agent);
    headers.insert(HeaderName::from_static("amz-sdk-invocation-id"), invocation_id.clone());
    headers.insert(HeaderName::from_static("amz-sdk-request"), sdk_headers::attempt_header(attempt, max_attempts));
    // Servers may answer 411 to a body-carrying method without a length, even an empty one.
    let has_body_method = matches!(parts.method, Method::POST | Method::PUT | Method::PATCH);
    if !parts.body.is_empty() || has_body_method {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(parts.body.len()));
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigBuilder, TimeoutConfig};
    use crate::credentials::Credentials;
    use crate::endpoint::EndpointRules;
    use crate::error::metadata::error_metadata;
    use crate::error::Unhandled;
    use crate::retry::RetryConfig;
    use crate::signing::verify as sigv4_check;
    use crate::test_support::{config_with, header, parts, response, SECRET, SPEC};
    use crate::transport::{InMemoryTransport, Transport, TransportErrorKind, TransportFuture};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

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
        assert_eq!(err.to_string(), "could not connect: connection refused (after 3 attempts)");
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
        assert_eq!(err.to_string(), "request timed out after 2s (attempt timeout; 3 attempts)");
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
        assert_eq!(err.to_string(), "request timed out after 3s (operation timeout; 2 attempts)");
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

    /// A rule set: FIPS hosts, an override through `SDK::Endpoint`, a global endpoint signed as
    /// `us-east-1` with a header, and an error rule.
    static RULES: EndpointRules = EndpointRules::new(
        r#"{"version": "1.0",
            "parameters": {
              "Region": {"type": "String", "builtIn": "AWS::Region"},
              "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
              "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"},
              "Thing": {"type": "String"}},
            "rules": [
              {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
               "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"},
              {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "type": "tree", "rules": [
                {"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "aws-global"]}],
                 "endpoint": {"url": "https://global.example.com",
                   "headers": {"x-global": ["yes"]},
                   "properties": {"authSchemes": [{"name": "sigv4a"}, {"name": "sigv4", "signingName": "other", "signingRegion": "us-east-1"}]}},
                 "type": "endpoint"},
                {"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "nowhere"]}],
                 "error": "no endpoint in {Region}", "type": "error"},
                {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                 "endpoint": {"url": "https://svc-fips.{Region}.example.com"}, "type": "endpoint"},
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Thing"}]}],
                 "endpoint": {"url": "https://{Thing}.svc.{Region}.example.com"}, "type": "endpoint"},
                {"conditions": [], "endpoint": {"url": "https://svc.{Region}.example.com"}, "type": "endpoint"}]},
              {"conditions": [], "error": "a region is required", "type": "error"}]}"#,
    );

    static RULED: ServiceSpec = ServiceSpec {
        sdk_id: "Ruled",
        endpoint_prefix: "ruled",
        signing_name: "ruled",
        api_version: "2024-01-01",
        endpoint_rules: Some(&RULES),
    };

    #[tokio::test]
    async fn rule_sets_give_the_url_headers_and_signing_scope() {
        let call = |config: ConfigBuilder, params: EndpointParams| async move {
            let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
            let config = config.transport(transport.clone()).build().expect("valid config");
            let mut request = parts();
            request.endpoint_params = params;
            let sent =
                send::<Unhandled>(&config, &RULED, "GetThing", request).await.map(|_| transport.requests().remove(0));
            sent.map_err(|err| err.to_string())
        };
        let url = |request: &Request<Bytes>| request.uri().to_string();
        let scope = |request: &Request<Bytes>| {
            let authorization = header(request, "authorization");
            authorization.split('/').skip(2).take(2).collect::<Vec<_>>().join("/")
        };

        let request = call(config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused")))), vec![]).await;
        let request = request.expect("regional");
        assert_eq!(
            (url(&request), scope(&request)),
            ("https://svc.us-west-2.example.com/".into(), "us-west-2/ruled".into())
        );
        sigv4_check::verify(&request, SECRET).expect("signed");

        let request =
            call(config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused")))).use_fips(true), vec![])
                .await;
        assert_eq!(url(&request.expect("fips")), "https://svc-fips.us-west-2.example.com/");

        let params: EndpointParams = vec![("Thing", "blue".into())];
        let request = call(config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused")))), params).await;
        assert_eq!(url(&request.expect("context parameter")), "https://blue.svc.us-west-2.example.com/");

        let global = config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused")))).region("aws-global");
        let request = call(global, vec![]).await.expect("global");
        assert_eq!((url(&request), scope(&request)), ("https://global.example.com/".into(), "us-east-1/other".into()));
        assert_eq!(header(&request, "x-global"), "yes");
        sigv4_check::verify(&request, SECRET).expect("the endpoint header is signed");

        let overridden = config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused"))))
            .endpoint_url("http://127.0.0.1:9000/base");
        assert_eq!(url(&call(overridden, vec![]).await.expect("override")), "http://127.0.0.1:9000/base/");

        let nowhere = config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused")))).region("nowhere");
        let err = call(nowhere, vec![]).await.expect_err("an error rule");
        assert!(
            err.contains(
                "cannot resolve an endpoint for Ruled (Region = `nowhere`, UseFIPS = false): no endpoint in nowhere"
            ),
            "{err}"
        );
    }

    /// An S3-like rule set: path-style addressing as a client context parameter bound to an S3
    /// built-in, the account id endpoint mode, and single-encoded signing.
    static S3_LIKE_RULES: EndpointRules = EndpointRules::new(
        r#"{"version": "1.0",
            "parameters": {
              "Region": {"type": "String", "builtIn": "AWS::Region", "required": true},
              "ForcePathStyle": {"type": "Boolean", "builtIn": "AWS::S3::ForcePathStyle", "required": true, "default": false},
              "AccountIdEndpointMode": {"type": "String", "builtIn": "AWS::Auth::AccountIdEndpointMode"}},
            "rules": [
              {"conditions": [{"fn": "isSet", "argv": [{"ref": "AccountIdEndpointMode"}]},
                              {"fn": "stringEquals", "argv": [{"ref": "AccountIdEndpointMode"}, "required"]}],
               "error": "AccountIdEndpointMode is required but no AccountID was provided", "type": "error"},
              {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "ForcePathStyle"}, true]}],
               "endpoint": {"url": "https://s3.{Region}.example.com/bucket",
                 "properties": {"authSchemes": [{"name": "sigv4", "signingName": "s3", "disableDoubleEncoding": true, "disableNormalizePath": true}]}},
               "type": "endpoint"},
              {"conditions": [], "endpoint": {"url": "https://bucket.s3.{Region}.example.com"}, "type": "endpoint"}]}"#,
    );

    static S3_LIKE: ServiceSpec = ServiceSpec {
        sdk_id: "S3Like",
        endpoint_prefix: "s3",
        signing_name: "s3",
        api_version: "2006-03-01",
        endpoint_rules: Some(&S3_LIKE_RULES),
    };

    #[tokio::test]
    async fn client_context_params_built_ins_and_single_encoded_signing() {
        let call = |config: ConfigBuilder| async move {
            let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
            let config = config.transport(transport.clone()).build().expect("valid config");
            let mut request = parts();
            request.method = Method::GET;
            request.body = Bytes::new();
            request.path_and_query = "/a%2Fb/./c".into();
            let sent = send::<Unhandled>(&config, &S3_LIKE, "GetObject", request).await;
            sent.map(|_| transport.requests().remove(0)).map_err(|err| err.to_string())
        };
        let base = || config_with(InMemoryTransport::new(|_| Err(TransportError::other("replaced below"))));

        let virtual_hosted = call(base()).await.expect("virtual-hosted");
        assert_eq!(virtual_hosted.uri().to_string(), "https://bucket.s3.us-west-2.example.com/a%2Fb/./c");
        sigv4_check::verify(&virtual_hosted, SECRET).expect("double-encoded and normalized by default");

        let path_style = call(base().client_context_param("ForcePathStyle", true)).await.expect("path style");
        assert_eq!(path_style.uri().to_string(), "https://s3.us-west-2.example.com/bucket/a%2Fb/./c");
        sigv4_check::verify_single_encoded(&path_style, SECRET).expect("signed as sent, encoded once");
        let err = sigv4_check::verify(&path_style, SECRET).expect_err("not double-encoded");
        assert!(err.contains("signature mismatch"), "{err}");

        let undeclared = base().client_context_param("NotDeclared", "x").client_context_param("ForcePathStyle", false);
        let request = call(undeclared).await.expect("undeclared parameters are ignored, the last value wins");
        assert_eq!(request.uri().host(), Some("bucket.s3.us-west-2.example.com"));

        let required = base().account_id_endpoint_mode(AccountIdEndpointMode::Required);
        let err = call(required).await.expect_err("an error rule");
        assert!(err.contains("cannot resolve an endpoint for S3Like ("), "{err}");
        assert!(err.contains("Region = `us-west-2`") && err.contains("AccountIdEndpointMode = `required`"), "{err}");
        assert!(err.ends_with("): AccountIdEndpointMode is required but no AccountID was provided"), "{err}");
    }

    /// A DynamoDB-like rule set: account-based endpoints from the credentials' account.
    static BY_ACCOUNT_RULES: EndpointRules = EndpointRules::new(
        r#"{"version": "1.0",
            "parameters": {
              "Region": {"type": "String", "builtIn": "AWS::Region", "required": true},
              "AccountId": {"type": "String", "builtIn": "AWS::Auth::AccountId"},
              "AccountIdEndpointMode": {"type": "String", "builtIn": "AWS::Auth::AccountIdEndpointMode"}},
            "rules": [
              {"conditions": [{"fn": "isSet", "argv": [{"ref": "AccountId"}]},
                              {"fn": "isSet", "argv": [{"ref": "AccountIdEndpointMode"}]},
                              {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "AccountIdEndpointMode"}, "disabled"]}]}],
               "endpoint": {"url": "https://{AccountId}.ddb.{Region}.example.com"}, "type": "endpoint"},
              {"conditions": [{"fn": "isSet", "argv": [{"ref": "AccountIdEndpointMode"}]},
                              {"fn": "stringEquals", "argv": [{"ref": "AccountIdEndpointMode"}, "required"]}],
               "error": "AccountIdEndpointMode is required but no AccountID was provided", "type": "error"},
              {"conditions": [], "endpoint": {"url": "https://ddb.{Region}.example.com"}, "type": "endpoint"}]}"#,
    );

    static BY_ACCOUNT: ServiceSpec = ServiceSpec {
        sdk_id: "ByAccount",
        endpoint_prefix: "ddb",
        signing_name: "ddb",
        api_version: "2012-08-10",
        endpoint_rules: Some(&BY_ACCOUNT_RULES),
    };

    #[tokio::test]
    async fn the_credentials_account_id_reaches_account_based_endpoints() {
        let host = |config: ConfigBuilder| async move {
            let transport = InMemoryTransport::new(|_| Ok(response(200, &[], "{}")));
            let config = config.transport(transport.clone()).build().expect("valid config");
            let sent = send::<Unhandled>(&config, &BY_ACCOUNT, "GetItem", parts()).await;
            sent.map(|_| transport.requests().remove(0).uri().host().unwrap_or_default().to_owned())
                .map_err(|err| err.to_string())
        };
        let base = || config_with(InMemoryTransport::new(|_| Err(TransportError::other("replaced below"))));
        let of_account = || Credentials::new("AKID", SECRET, None).with_account_id("123456789012");

        let host_of = host(base().credentials(of_account())).await.expect("account endpoint");
        assert_eq!(host_of, "123456789012.ddb.us-west-2.example.com");
        let disabled = base().credentials(of_account()).account_id_endpoint_mode(AccountIdEndpointMode::Disabled);
        assert_eq!(host(disabled).await.expect("regional"), "ddb.us-west-2.example.com");
        assert_eq!(host(base()).await.expect("no account id: regional"), "ddb.us-west-2.example.com");
        let required = base().account_id_endpoint_mode(AccountIdEndpointMode::Required);
        let err = host(required).await.expect_err("required without an account");
        assert!(err.ends_with("AccountIdEndpointMode is required but no AccountID was provided"), "{err}");
        // Another account is another endpoint, not the cached one.
        let config = base().credentials(Credentials::new("AKID", SECRET, None).with_account_id("210987654321"));
        assert_eq!(host(config).await.expect("account endpoint"), "210987654321.ddb.us-west-2.example.com");
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
    async fn gzip_responses_are_decoded_and_other_codings_reported() {
        use std::io::Write as _;
        let gzip = |text: &[u8]| {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(text).and_then(|()| encoder.finish()).expect("gzip")
        };
        let answer = |coding: &'static str, body: Vec<u8>| {
            let transport = InMemoryTransport::new(move |_| {
                let response = Response::builder().status(200).header("content-encoding", coding);
                Ok(response.body(Bytes::from(body.clone())).expect("a response"))
            });
            config_with(transport).build().expect("valid config")
        };
        let config = answer("gzip", gzip(br#"{"ok":true}"#));
        let response = send::<Unhandled>(&config, &SPEC, "GetThing", parts()).await.expect("decoded");
        assert_eq!(response.body().as_ref(), br#"{"ok":true}"#);
        assert!(response.headers().get("content-encoding").is_none());

        let config = answer("br", b"\x0b\x02".to_vec());
        let err = send::<Unhandled>(&config, &SPEC, "GetThing", parts()).await.expect_err("brotli");
        assert!(err.to_string().contains("encoded with `br`, which is not supported (only gzip is)"), "{err}");
        let config = answer("gzip", b"not gzip at all".to_vec());
        let err = send::<Unhandled>(&config, &SPEC, "GetThing", parts()).await.expect_err("garbage");
        assert!(err.to_string().contains("gzip-encoded response body could not be decoded"), "{err}");
        // A small bomb: 30 MiB of zeros compress to about 30 KiB.
        let config = answer("gzip", gzip(&vec![0u8; 30 * 1024 * 1024]));
        let err = send::<Unhandled>(&config, &SPEC, "GetThing", parts()).await.expect_err("too large");
        assert!(err.to_string().contains("expands beyond 20971520 bytes"), "{err}");
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
}
