//! What the instance metadata and container providers share: a request sent straight through
//! the shared transport with a deadline per attempt and a bounded number of attempts, and the
//! credentials JSON both services answer with
//! (`{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`).
//!
//! These calls bypass `crate::send::send`: they are unsigned, go to link-local or loopback
//! addresses, and need deadlines far shorter than a service call's, so that the default chain
//! gives up quickly where no such service exists.

use std::time::{Duration, SystemTime};

pub(crate) use crate::error::printable::printable;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method, Request, Response, Uri};
use serde_json::{Map, Value};

use crate::credentials::Credentials;
use crate::primitives::{DateTime, TimestampFormat};
use crate::transport::Transport;

/// The largest response body these providers parse; credentials documents are about 1 KiB.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

/// How many times a request is sent, how long each attempt may take, and the pause between
/// attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attempts {
    pub(crate) count: u32,
    pub(crate) timeout: Duration,
    pub(crate) pause: Duration,
}

/// A request that can be sent again: `http::Request` is not `Clone`.
///
/// `Debug` shows header values marked sensitive (tokens) as `Sensitive`.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl Call {
    /// A `method` request to `uri` without headers or body.
    pub(crate) fn new(method: Method, uri: Uri) -> Self {
        Self { method, uri, headers: HeaderMap::new() }
    }

    /// Adds a header.
    pub(crate) fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// The request for one attempt.
    pub(crate) fn request(&self) -> Request<Bytes> {
        let mut request = Request::new(Bytes::new());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// Why no response came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Every attempt failed to connect, broke off or passed its deadline; holds the last
    /// reason.
    Unreachable(String),
    /// The transport failed in a way another attempt would not fix (e.g. a response that is
    /// not HTTP, or one too large).
    Broken(String),
}

impl Failure {
    /// The reason, for messages.
    pub(crate) fn reason(&self) -> &str {
        match self {
            Failure::Unreachable(reason) | Failure::Broken(reason) => reason,
        }
    }
}

/// Whether a status is worth another attempt: the service is overloaded or failing.
fn retryable_status(status: http::StatusCode) -> bool {
    status.is_server_error() || status.as_u16() == 429
}

/// `1 s`, `0.25 s`.
pub(crate) fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

/// Sends `call` through `transport` up to `attempts.count` times. Connection failures,
/// deadlines, 5xx and 429 are retried; the response of the last attempt is returned whatever
/// its status, so the caller can report it.
pub(crate) async fn exchange(
    transport: &dyn Transport,
    call: &Call,
    attempts: Attempts,
) -> Result<Response<Bytes>, Failure> {
    let count = attempts.count.max(1);
    let mut last = String::new();
    for attempt in 1..=count {
        if attempt > 1 && !attempts.pause.is_zero() {
            tokio::time::sleep(attempts.pause).await;
        }
        let more = attempt < count;
        match tokio::time::timeout(attempts.timeout, transport.send(call.request())).await {
            Ok(Ok(response)) if more && retryable_status(response.status()) => {
                tracing::debug!(status = response.status().as_u16(), attempt, "retrying a metadata request");
                last = format!("HTTP {}", response.status().as_u16());
            }
            Ok(Ok(response)) => return Ok(response),
            Ok(Err(err)) if err.is_retryable() => {
                tracing::debug!(error = %err, attempt, "a metadata request failed");
                last = err.to_string();
            }
            Ok(Err(err)) => return Err(Failure::Broken(err.to_string())),
            Err(_) => {
                tracing::debug!(attempt, "a metadata request timed out");
                last = format!("no answer within {}", seconds(attempts.timeout));
            }
        }
    }
    Err(Failure::Unreachable(last))
}

/// The body of `response`, or what is wrong with its size.
pub(crate) fn bounded_body(response: &Response<Bytes>) -> Result<&[u8], String> {
    let body = response.body();
    if body.len() > MAX_BODY_BYTES {
        return Err(format!("a response body of {} bytes (more than the {MAX_BODY_BYTES} accepted)", body.len()));
    }
    Ok(body)
}

/// `body` as a JSON object, or a description of what it is instead (never its text).
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    if body.len() > MAX_BODY_BYTES {
        return Err(format!("a response body of {} bytes (more than the {MAX_BODY_BYTES} accepted)", body.len()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err("JSON that is not an object".to_owned()),
        Err(_) if body.iter().all(u8::is_ascii_whitespace) => Err("an empty body".to_owned()),
        Err(_) => Err("a body that is not JSON".to_owned()),
    }
}

/// The non-empty string member `key` of `object`.
fn required_text<'a>(object: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    match object.get(key) {
        None | Some(Value::Null) => Err(format!("credentials without {key}")),
        Some(Value::String(text)) if text.trim().is_empty() => Err(format!("credentials with an empty {key}")),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(format!("credentials whose {key} is not a string")),
    }
}

/// The credentials of a JSON document with `AccessKeyId`, `SecretAccessKey`, `Token` and
/// `Expiration` (RFC 3339); other members (`Code`, `AccountId`, ...) are ignored. The error
/// names what is missing or malformed, never a value.
pub(crate) fn credentials_from(object: &Map<String, Value>) -> Result<Credentials, String> {
    let access_key_id = required_text(object, "AccessKeyId")?;
    let secret_access_key = required_text(object, "SecretAccessKey")?;
    let token = required_text(object, "Token")?;
    let expiration = required_text(object, "Expiration")?;
    let expiry = DateTime::parse(expiration.trim(), TimestampFormat::DateTime)
        .ok()
        .and_then(|expiry| SystemTime::try_from(expiry).ok())
        .ok_or_else(|| "credentials whose Expiration is not an RFC 3339 date-time".to_owned())?;
    Ok(Credentials::new(access_key_id, secret_access_key, Some(token.to_owned())).with_expiry(expiry))
}

/// The string member named by one of `keys`, made safe to print by [`printable`].
pub(crate) fn printable_member(object: &Map<String, Value>, keys: &[&str], max_chars: usize) -> Option<String> {
    keys.iter()
        .find_map(|key| object.get(*key).and_then(Value::as_str))
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| printable(text, max_chars))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::fake_server::{FakeServer, Reply};
    use crate::transport::HyperTransport;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn object(json: &str) -> Map<String, Value> {
        json_object(json.as_bytes()).expect("a JSON object")
    }

    #[test]
    fn credentials_with_expiry() {
        let found = credentials_from(&object(
            r#"{"AccessKeyId":"ASIA1","SecretAccessKey":"s3cr3t","Token":"t0k3n","Expiration":"2030-01-02T03:04:05Z","AccountId":"123"}"#,
        ))
        .expect("complete credentials");
        assert_eq!(
            (found.access_key_id(), found.secret_access_key(), found.session_token()),
            ("ASIA1", "s3cr3t", Some("t0k3n"))
        );
        let expected = SystemTime::try_from(DateTime::from_secs(1_893_553_445)).expect("in range");
        assert_eq!(found.expiry(), Some(expected));
    }

    #[test]
    fn malformed_credentials_are_named_without_values() {
        let cases = [
            (
                r#"{"SecretAccessKey":"s3cr3t","Token":"t0k3n","Expiration":"2030-01-02T03:04:05Z"}"#,
                "without AccessKeyId",
            ),
            (r#"{"AccessKeyId":"A","SecretAccessKey":"s3cr3t","Expiration":"2030-01-02T03:04:05Z"}"#, "without Token"),
            (
                r#"{"AccessKeyId":"A","SecretAccessKey":5,"Token":"t0k3n","Expiration":"x"}"#,
                "SecretAccessKey is not a string",
            ),
            (
                r#"{"AccessKeyId":" ","SecretAccessKey":"s3cr3t","Token":"t0k3n","Expiration":"x"}"#,
                "an empty AccessKeyId",
            ),
            (r#"{"AccessKeyId":"A","SecretAccessKey":"s3cr3t","Token":"t0k3n"}"#, "without Expiration"),
            (
                r#"{"AccessKeyId":"A","SecretAccessKey":"s3cr3t","Token":"t0k3n","Expiration":"tomorrow s3cr3t"}"#,
                "Expiration is not an RFC 3339",
            ),
        ];
        for (json, expected) in cases {
            let err = credentials_from(&object(json)).expect_err(json);
            assert!(err.contains(expected), "{json}: {err}");
            assert!(!err.contains("s3cr3t") && !err.contains("t0k3n"), "{err}");
        }
    }

    #[test]
    fn bodies_that_are_not_json_objects_are_described_not_quoted() {
        assert_eq!(json_object(b"<html>s3cr3t</html>").expect_err("html"), "a body that is not JSON");
        assert_eq!(json_object(b"[1]").expect_err("array"), "JSON that is not an object");
        assert_eq!(json_object(b"  ").expect_err("blank"), "an empty body");
        let huge = vec![b' '; MAX_BODY_BYTES + 1];
        assert!(json_object(&huge).expect_err("huge").contains("more than the 65536 accepted"));
    }

    #[test]
    fn sensitive_headers_stay_out_of_debug() {
        let mut token = HeaderValue::from_static("very-secret-token");
        token.set_sensitive(true);
        let call =
            Call::new(Method::GET, Uri::from_static("http://127.0.0.1/x")).header(http::header::AUTHORIZATION, token);
        for text in [format!("{call:?}"), format!("{:?}", call.request())] {
            assert!(!text.contains("very-secret-token"), "{text}");
        }
    }

    #[tokio::test]
    async fn server_errors_are_retried_and_the_last_response_returned() {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let server = FakeServer::start(move |_| match seen.fetch_add(1, Ordering::SeqCst) {
            0 => Reply::new(503, "busy"),
            _ => Reply::new(200, "ok"),
        })
        .await;
        let transport = HyperTransport::new(&crate::config::TimeoutConfig::default());
        let uri: Uri = format!("{}/x", server.url()).parse().expect("a URL");
        let attempts = Attempts { count: 2, timeout: Duration::from_secs(5), pause: Duration::ZERO };
        let response = exchange(&transport, &Call::new(Method::GET, uri.clone()), attempts).await.expect("answered");
        assert_eq!((response.status().as_u16(), calls.load(Ordering::SeqCst)), (200, 2));
        let once = Attempts { count: 1, ..attempts };
        calls.store(0, Ordering::SeqCst);
        let response = exchange(&transport, &Call::new(Method::GET, uri), once).await.expect("answered");
        assert_eq!(response.status().as_u16(), 503);
    }
}
