//! Support for the generated Smithy protocol compliance tests (`smithy.test#httpRequestTests`
//! and `httpResponseTests`): the test client configuration and the assertions on requests and
//! parsed values. Behind the `test-util` feature.

use crate::client::{Config, Credentials, InMemoryTransport, TransportError, ValidationMode};
use bytes::Bytes;
use http::{Request, Response};
use std::fmt::Debug;

/// The idempotency token the protocol tests expect a client to generate.
pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// A client configuration for a test: fixed region, credentials and idempotency token, the
/// endpoint `https://{host}` (default `example.com`), the given transport, no retries.
pub fn config(transport: &InMemoryTransport, host: Option<&str>, validation: ValidationMode) -> Config {
    let host = host.unwrap_or("example.com");
    let result = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
        .endpoint_url(format!("https://{host}"))
        .idempotency_token(IDEMPOTENCY_TOKEN)
        .retry(crate::client::RetryConfig::disabled())
        .validation(validation)
        .transport(transport.clone())
        .build();
    match result {
        Ok(config) => config,
        Err(err) => panic!("test configuration: {err}"),
    }
}

/// A transport that records requests and answers each with an empty `200 OK`.
pub fn capturing_transport() -> InMemoryTransport {
    InMemoryTransport::new(|_| response(200, &[], Bytes::new()))
}

/// A transport answering every request with the given response.
pub fn responding_transport(
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static [u8],
) -> InMemoryTransport {
    InMemoryTransport::new(move |_| response(status, headers, Bytes::from_static(body)))
}

fn response(status: u16, headers: &[(&str, &str)], body: Bytes) -> Result<Response<Bytes>, TransportError> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body).map_err(|err| {
        TransportError::new(crate::client::TransportErrorKind::Other, format!("invalid canned response: {err}"))
    })
}

/// The one request the client sent, or a panic that says why there is none.
pub fn sent_request<T: Debug, E: Debug>(transport: &InMemoryTransport, result: &Result<T, E>) -> Request<Bytes> {
    let mut requests = transport.requests();
    match (requests.len(), result) {
        (1, _) => requests.remove(0),
        (0, Err(err)) => panic!("no request was sent: {err:?}"),
        (n, _) => panic!("expected one request, {n} were sent"),
    }
}

/// The request's method.
pub fn assert_method(request: &Request<Bytes>, expected: &str) {
    assert_eq!(request.method().as_str(), expected, "method");
}

/// The request's path (without the query).
pub fn assert_uri(request: &Request<Bytes>, expected: &str) {
    assert_eq!(request.uri().path(), expected, "URI path");
}

/// The host the request went to.
pub fn assert_host(request: &Request<Bytes>, expected: &str) {
    assert_eq!(request.uri().host().unwrap_or_default(), expected, "resolved host");
}

fn query_pairs(request: &Request<Bytes>) -> Vec<&str> {
    request.uri().query().map(|q| q.split('&').filter(|p| !p.is_empty()).collect()).unwrap_or_default()
}

fn query_name(pair: &str) -> &str {
    pair.split_once('=').map_or(pair, |(name, _)| name)
}

/// Every `name=value` pair (as on the wire) is in the query, as often as listed.
pub fn assert_query_params(request: &Request<Bytes>, expected: &[&str]) {
    let mut actual = query_pairs(request);
    for pair in expected {
        match actual.iter().position(|p| p == pair) {
            Some(index) => {
                actual.remove(index);
            }
            None => panic!("query parameter `{pair}` missing from `{}`", request.uri()),
        }
    }
}

/// None of the names is in the query.
pub fn assert_forbidden_query_params(request: &Request<Bytes>, names: &[&str]) {
    for pair in query_pairs(request) {
        assert!(!names.contains(&query_name(pair)), "query parameter `{pair}` must not be sent");
    }
}

/// Every name is in the query.
pub fn assert_required_query_params(request: &Request<Bytes>, names: &[&str]) {
    let actual = query_pairs(request);
    for name in names {
        assert!(actual.iter().any(|p| query_name(p) == *name), "query parameter `{name}` missing");
    }
}

/// Every header has exactly this value (repeated headers compared comma-joined).
pub fn assert_headers(message: &http::HeaderMap, expected: &[(&str, &str)]) {
    for (name, value) in expected {
        let values: Vec<&str> = message.get_all(*name).iter().filter_map(|v| v.to_str().ok()).collect();
        assert!(!values.is_empty(), "header `{name}` missing");
        assert_eq!(values.join(", "), *value, "header `{name}`");
    }
}

/// None of the headers is present.
pub fn assert_forbidden_headers(message: &http::HeaderMap, names: &[&str]) {
    for name in names {
        assert!(!message.contains_key(*name), "header `{name}` must not be sent");
    }
}

/// Every header is present.
pub fn assert_required_headers(message: &http::HeaderMap, names: &[&str]) {
    for name in names {
        assert!(message.contains_key(*name), "header `{name}` missing");
    }
}

/// The body as the media type compares it: JSON by value, anything else byte for byte.
pub fn assert_body(actual: &[u8], expected: &str, media_type: Option<&str>) {
    let is_json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if is_json && !(expected.is_empty() && actual.is_empty()) {
        let actual_json: serde_json::Value = match serde_json::from_slice(actual) {
            Ok(value) => value,
            Err(err) => panic!("the body is not JSON ({err}): {}", String::from_utf8_lossy(actual)),
        };
        let expected_json: serde_json::Value = match serde_json::from_str(expected) {
            Ok(value) => value,
            Err(err) => panic!("the expected body is not JSON ({err}): {expected}"),
        };
        assert!(
            json_equal(&actual_json, &expected_json),
            "JSON body differs\n  actual: {actual_json}\nexpected: {expected_json}"
        );
    } else {
        assert_eq!(String::from_utf8_lossy(actual), expected, "body");
    }
}

/// JSON equality with numbers compared by value (`1.0` equals `1`), as the tests mean it.
fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Parsed values equal; `NaN` equals `NaN` (the tests expect a parsed `NaN` to be `NaN`).
pub fn assert_same<T: PartialEq + Debug>(actual: &T, expected: &T) {
    if actual == expected {
        return;
    }
    let (actual, expected) = (format!("{actual:#?}"), format!("{expected:#?}"));
    // `PartialEq` says NaN != NaN; their debug forms agree when everything else does.
    assert!(
        actual == expected && actual.contains("NaN"),
        "parsed value differs\n  actual: {actual}\nexpected: {expected}"
    );
}

/// A document (`serde_json::Value`) from JSON text.
pub fn document(json: &str) -> crate::primitives::Document {
    match serde_json::from_str(json) {
        Ok(value) => value,
        Err(err) => panic!("document parameter is not JSON ({err}): {json}"),
    }
}

/// A transport answering every request with `status`, `headers` and, as the body, the decoded
/// `frames` (base64 event-stream messages, each its own chunk) or else `body`.
pub fn event_stream_transport(
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    frames: &'static [&'static str],
) -> InMemoryTransport {
    let chunks: Vec<Bytes> = if frames.is_empty() {
        vec![Bytes::from_static(body.as_bytes())]
    } else {
        frames.iter().map(|frame| Bytes::from(base64_frame(frame))).collect()
    };
    InMemoryTransport::streaming(move |_| {
        let mut builder = Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(chunks.clone()).map_err(|err| {
            TransportError::new(crate::client::TransportErrorKind::Other, format!("invalid canned response: {err}"))
        })
    })
}

fn base64_frame(frame: &str) -> Vec<u8> {
    use base64::Engine as _;
    match base64::engine::general_purpose::STANDARD.decode(frame) {
        Ok(bytes) => bytes,
        Err(err) => panic!("the case's message is not base64 ({err}): {frame}"),
    }
}

/// The event messages in a request body: signed envelopes (with `:chunk-signature`) are opened
/// and the empty one that ends the stream is dropped; each must equal the case's message
/// (base64): the same headers, and the same payload (compared as JSON for JSON payloads).
pub fn assert_sent_events(body: &[u8], expected: &[&str]) {
    use crate::event_stream::{decode_message, MessageDecoder};
    let mut decoder = MessageDecoder::new();
    decoder.push(body);
    let mut sent = Vec::new();
    loop {
        match decoder.next_message() {
            Ok(Some(message)) => sent.push(message),
            Ok(None) => break,
            Err(err) => panic!("the request body is not event-stream messages: {err}"),
        }
    }
    if let Err(err) = decoder.finish() {
        panic!("the request body ends inside a message: {err}");
    }
    let inner: Vec<_> = sent
        .into_iter()
        .filter_map(|message| {
            if message.header(":chunk-signature").is_none() {
                return Some(message);
            }
            if message.payload().is_empty() {
                return None;
            }
            match decode_message(message.payload()) {
                Ok(inner) => Some(inner),
                Err(err) => panic!("a signed envelope does not hold a message: {err}"),
            }
        })
        .collect();
    assert_eq!(inner.len(), expected.len(), "number of events sent");
    for (index, (actual, frame)) in inner.iter().zip(expected).enumerate() {
        let expected = match decode_message(&base64_frame(frame)) {
            Ok(message) => message,
            Err(err) => panic!("the case's message {index} does not decode: {err}"),
        };
        let mut actual_headers: Vec<String> =
            actual.headers().iter().map(|h| format!("{}={:?}", h.name, h.value)).collect();
        let mut expected_headers: Vec<String> =
            expected.headers().iter().map(|h| format!("{}={:?}", h.name, h.value)).collect();
        actual_headers.sort();
        expected_headers.sort();
        assert_eq!(actual_headers, expected_headers, "headers of event {index}");
        let media_type = expected.header_str(":content-type");
        let expected_payload = String::from_utf8_lossy(expected.payload());
        assert_body(actual.payload(), &expected_payload, media_type);
    }
}

/// Any failure of an event-stream call: of the call itself or of its stream.
#[derive(Debug)]
pub struct AnyError {
    /// The `Debug` form of the modeled error the service sent, if any.
    service_error: Option<String>,
    /// The `Debug` form of the whole error.
    description: String,
}

impl<E: Debug> From<crate::client::SdkError<E>> for AnyError {
    fn from(err: crate::client::SdkError<E>) -> Self {
        Self { service_error: err.as_service_error().map(|e| format!("{e:?}")), description: format!("{err:?}") }
    }
}

impl AnyError {
    /// The failure is the modeled error `name` (its error enum's variant of that name).
    pub fn assert_modeled(&self, name: &str) {
        let matches = self.service_error.as_deref().is_some_and(|e| e.starts_with(&format!("{name}(")));
        assert!(matches, "expected the modeled error `{name}`, got {}", self.description);
    }
}
