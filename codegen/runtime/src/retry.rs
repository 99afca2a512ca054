//! How failed attempts are retried: the settings ([`RetryConfig`], the AWS "standard" mode), the
//! backoff between attempts, and which responses are worth another attempt (HTTP 500, 502, 503
//! and 504, throttling and transient error codes). Transport failures say themselves whether
//! they are retryable ([`TransportError::is_retryable`](crate::client::TransportError::is_retryable)).

use std::time::Duration;

use bytes::Bytes;
use http::Response;

use crate::error::metadata::error_metadata;

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
    pub(crate) fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(62);
        let factor = (1u64 << exponent) as f64;
        let seconds = jitter.clamp(0.0, 1.0) * factor * self.initial_backoff.as_secs_f64();
        // `try_from_secs_f64` rather than `from_secs_f64`: a huge product must not panic.
        Duration::try_from_secs_f64(seconds).unwrap_or(self.max_backoff).min(self.max_backoff)
    }
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

/// Why an error response should be retried, if it should: a transient status, a throttling
/// or transient error code, or one of the operation's `extra_codes`.
pub(crate) fn retry_reason(response: &Response<Bytes>, extra_codes: &[&str]) -> Option<String> {
    let status = response.status();
    if status.is_success() || status.is_informational() || status.is_redirection() {
        return None;
    }
    if is_retryable_status(status.as_u16()) {
        return Some(format!("HTTP {}", status.as_u16()));
    }
    let meta = error_metadata(response);
    let code = meta.code()?;
    let retryable = is_throttling_code(code) || is_transient_code(code) || extra_codes.contains(&code);
    retryable.then(|| format!("{code} (HTTP {})", status.as_u16()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::response;

    #[test]
    fn retry_classification() {
        assert!([500, 502, 503, 504].into_iter().all(is_retryable_status));
        assert!(![200, 400, 404, 429, 501].into_iter().any(is_retryable_status));
        assert!(is_throttling_code("ThrottlingException") && is_throttling_code("SlowDown"));
        assert!(is_transient_code("RequestTimeoutException") && !is_transient_code("ValidationException"));
        assert!(retry_reason(&response(200, &[], ""), &[]).is_none());
        assert!(retry_reason(&response(400, &[], r#"{"__type":"ValidationException"}"#), &[]).is_none());
        assert!(retry_reason(&response(400, &[("x-amzn-errortype", "ThrottlingException")], ""), &[]).is_some());
        assert!(retry_reason(&response(503, &[], ""), &[]).is_some());
        // Codes of XML error bodies count too, and an operation may add codes of its own.
        let throttled = "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>";
        assert_eq!(retry_reason(&response(400, &[], throttled), &[]).as_deref(), Some("Throttling (HTTP 400)"));
        let idp = "<ErrorResponse><Error><Code>IDPCommunicationError</Code></Error></ErrorResponse>";
        assert!(retry_reason(&response(400, &[], idp), &[]).is_none());
        assert!(retry_reason(&response(400, &[], idp), &["IDPCommunicationError"]).is_some());
    }

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
}
