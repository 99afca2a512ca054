//! The entry point of a client: configuration, credentials, transports, the errors of a call,
//! and what generated operations call to send a request.
//!
//! Users name these items through their generated crate (`aws_lite::client::Config`, ...) and
//! generated code through `::aws_lite_runtime::client`. Each is defined in a private module of
//! its concern (configuration, credentials, endpoints, transports, sending, retries, signing,
//! errors) and re-exported here, its public path.
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

pub use crate::config::{
    new_idempotency_token, AccountIdEndpointMode, Config, ConfigBuilder, ConfigError, ConfigLoader, ServiceSpec,
    TimeoutConfig, ValidationMode,
};
pub use crate::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    SharedCredentialsProvider,
};
pub use crate::endpoint::{resolve_endpoint, EndpointParams, EndpointRules};
pub use crate::error::call::{
    ConstructionError, ResponseParseError, SdkError, ServiceError, TimeoutError, TimeoutKind,
};
pub use crate::error::metadata::{error_metadata, request_id, sanitize_error_code, with_query_error_code};
pub use crate::paginate::{paginate, CallStream, PageToken, PaginationStream, Paging};
pub use crate::protocol::{percent_encode_label, percent_encode_query};
pub use crate::retry::{
    is_retryable_status, is_throttling_code, is_transient_code, RetryConfig, THROTTLING_CODES, TRANSIENT_CODES,
};
pub use crate::send::{send, RequestParts};
pub use crate::transport::{
    BodyStream, HyperTransport, HyperTransportBuilder, InMemoryTransport, ProxyConfig, RequestBody, ResponseBody,
    StreamingFuture, Transport, TransportError, TransportErrorKind, TransportFuture,
};
pub use crate::waiter::{FinalPoll, WaiterError};
pub use aws_lite_endpoint_rules::ParamValue as EndpointParamValue;

/// An independent SigV4 verifier for tests.
#[doc(hidden)]
#[cfg(any(test, feature = "test-util"))]
pub use crate::signing::verify as sigv4_check;
