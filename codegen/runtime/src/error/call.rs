//! The errors of a call: [`SdkError`], one variant per way a call can fail, and what each
//! variant wraps (the transport's errors are the transport module's, validation errors the
//! validation module's).

use std::error::Error;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::Response;

use super::metadata::request_id;
use super::ErrorMetadata;
use crate::credentials::CredentialsError;
use crate::transport::TransportError;
use crate::validation::ValidationError;

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
    attempts: u32,
}

impl TimeoutError {
    /// A `kind` timeout that fired after `after`, in the first attempt.
    pub fn new(kind: TimeoutKind, after: Duration) -> Self {
        Self { kind, after, attempts: 1 }
    }

    /// The same timeout, having fired after `attempts` attempts were started.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// How many attempts were started before giving up.
    pub fn attempts(&self) -> u32 {
        self.attempts
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
        write!(f, "request timed out after {:?} ({which}", self.after)?;
        match self.attempts {
            1 => f.write_str(")"),
            attempts => write!(f, "; {attempts} attempts)"),
        }
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
    /// The parsed error `err` and the response's metadata (see
    /// [`error_metadata`](crate::client::error_metadata)).
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
    /// No credentials could be loaded to sign the request; nothing was sent.
    Credentials(CredentialsError),
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
            SdkError::Credentials(err) => err.fmt(f),
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
            SdkError::Credentials(err) => err.source(),
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

/// A builder missing required members fails the call before anything is sent.
impl<E> From<crate::error::BuildError> for SdkError<E> {
    fn from(err: crate::error::BuildError) -> Self {
        SdkError::Construction(ConstructionError::new(err.to_string()).with_source(err))
    }
}

impl<E> From<ConstructionError> for SdkError<E> {
    fn from(err: ConstructionError) -> Self {
        SdkError::Construction(err)
    }
}

impl<E> From<CredentialsError> for SdkError<E> {
    fn from(err: CredentialsError) -> Self {
        SdkError::Credentials(err)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Unhandled;
    use crate::test_support::response;

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
}
