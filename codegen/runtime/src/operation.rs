//! Support for generated operations: [`invoke`], the call itself, and their errors:
//! [`ModeledError`], implemented by every
//! modeled error shape to be read from an error response; `modeled_error!`, which gives such a
//! shape its accessors and its `Display` and `Error` impls; `error_enum!`, which does the same
//! with `is_*` methods for an enum of such errors, and `operation_error!`, which adds the
//! [`OperationError`] impl of an operation's error enum; and [`service_error`], which reads
//! an error response into that enum.

use crate::config::{Config, ServiceSpec};
use crate::error::call::{ConstructionError, ResponseParseError, SdkError, ServiceError};
use crate::error::metadata::{error_metadata, with_query_error_code};
use crate::error::ErrorMetadata;
use crate::protocol::check_input;
use crate::send::{send, RequestParts};
use crate::validation::ValidationError;
use bytes::Bytes;
use http::Response;

/// An operation's error enum, whose variant an error response's code picks.
pub trait OperationError: Sized {
    /// The modeled error named `code`, read from `response`, or `Unhandled` with `meta`.
    fn from_code(code: &str, response: &Response<Bytes>, meta: &ErrorMetadata) -> Self;
}

/// Reads an error response: its metadata (code, message, request id) and the error its code
/// names.
pub fn service_error<E: OperationError>(response: &Response<Bytes>) -> SdkError<E> {
    let meta = error_metadata(response);
    let error = E::from_code(meta.code().unwrap_or_default(), response, &meta);
    SdkError::Service(ServiceError::new(error, meta))
}

/// Runs one call of an operation whose request and response are read and written whole:
/// validates `input` as `config` asks, serializes it, sends it (signing, retries and timeouts)
/// and parses the response: the output on success, the operation's error otherwise. Generated
/// operations pass their own functions, so each call is compiled for its own types.
///
/// # Errors
/// Validation, construction, transport, timeout, service and response-parsing failures, each
/// as its own [`SdkError`] variant.
pub async fn invoke<I, O, E: OperationError>(
    config: &Config,
    service: &'static ServiceSpec,
    operation: &'static str,
    input: I,
    validate: fn(&I) -> Result<(), ValidationError>,
    serialize: fn(I) -> Result<RequestParts, ConstructionError>,
    parse: fn(&Response<Bytes>) -> Result<O, ResponseParseError>,
) -> Result<O, SdkError<E>> {
    check_input(config.validation(), || validate(&input))?;
    let parts = serialize(input)?;
    let response = send(config, service, operation, parts).await?;
    if response.status().is_success() {
        parse(&response).map_err(SdkError::ResponseParse)
    } else {
        Err(service_error(&response))
    }
}

/// [`service_error`] for a service with `awsQueryCompatible`: the body's code still picks the
/// error, while the code users see is the query code of `x-amzn-query-error`, as the AWS SDKs
/// give it.
pub fn query_compatible_service_error<E: OperationError>(response: &Response<Bytes>) -> SdkError<E> {
    let wire = error_metadata(response);
    let meta = with_query_error_code(response, wire.clone());
    let error = E::from_code(wire.code().unwrap_or_default(), response, &meta);
    SdkError::Service(ServiceError::new(error, meta))
}

/// A modeled error shape (a structure with `@error`) that can be read from an error response.
pub trait ModeledError: Sized {
    /// Reads the error from `response`, whose metadata `meta` was read already: the members in
    /// the body (zero values when the body is missing or unreadable), members bound to headers,
    /// the message from `meta` when the body has none, and `meta` itself.
    fn from_response(response: &Response<Bytes>, meta: &ErrorMetadata) -> Self;
}

/// Implements `swap_call` for an operation's input builder, whose call slot `call` holds `()`
/// in a plain builder and the client in the fluent builder the client returns: the slot's
/// value, and the same member values (each field named here) in a builder whose slot holds
/// the new value. Moving the members costs no copy of them and no clone of the client.
#[macro_export]
#[doc(hidden)]
macro_rules! call_slot {
    ($builder:ident { $($field:ident),* $(,)? }) => {
        impl<C> $builder<C> {
            /// The call slot's value, and the same member values in a builder whose slot holds
            /// `call`.
            pub(crate) fn swap_call<D>(self, call: D) -> (C, $builder<D>) {
                (self.call, $builder { $($field: self.$field,)* call })
            }
        }
    };
}

/// Implements, for a modeled error structure with an `error_metadata` field: `message()`,
/// `meta()`, `Display` (`Name: message`) and `Error`. The message is the structure's
/// `optional` or `required` string member of that name, or else the metadata's.
#[macro_export]
#[doc(hidden)]
macro_rules! modeled_error {
    ($ty:ident, optional $field:ident) => {
        $crate::modeled_error!(@impl $ty, |error| error.$field.as_deref());
    };
    ($ty:ident, required $field:ident) => {
        $crate::modeled_error!(@impl $ty, |error| ::std::option::Option::Some(error.$field.as_str()));
    };
    ($ty:ident) => {
        $crate::modeled_error!(@impl $ty, |error| error.error_metadata.message());
    };
    (@impl $ty:ident, |$error:ident| $message:expr) => {
        impl $ty {
            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                let $error = self;
                $message
            }
            /// Code, status and request id of the response that carried this error.
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.error_metadata
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(::std::stringify!($ty))?;
                if let ::std::option::Option::Some(message) = self.message() {
                    ::std::write!(f, ": {message}")?;
                }
                ::std::result::Result::Ok(())
            }
        }
        impl ::std::error::Error for $ty {}
    };
}

/// Implements [`ModeledError`] for a modeled error structure read from the body alone (no
/// member bound to a header): the body's members, then, with `optional message`, the message
/// from the metadata when the body has none, then the metadata.
#[macro_export]
#[doc(hidden)]
macro_rules! read_modeled_error {
    ($ty:ident, optional $field:ident) => {
        impl $crate::operation::ModeledError for $ty {
            fn from_response(
                response: &$crate::http::Response<$crate::bytes::Bytes>,
                meta: &$crate::error::ErrorMetadata,
            ) -> Self {
                let mut error: Self = $crate::protocol::parse_error_body(response);
                if error.$field.is_none() {
                    error.$field = meta.message.clone();
                }
                error.error_metadata = meta.clone();
                error
            }
        }
    };
    ($ty:ident) => {
        impl $crate::operation::ModeledError for $ty {
            fn from_response(
                response: &$crate::http::Response<$crate::bytes::Bytes>,
                meta: &$crate::error::ErrorMetadata,
            ) -> Self {
                let mut error: Self = $crate::protocol::parse_error_body(response);
                error.error_metadata = meta.clone();
                error
            }
        }
    };
}

/// Implements, for an operation's error enum: everything [`error_enum!`](crate::error_enum)
/// does, and [`OperationError`] (each variant's type read with [`ModeledError`]).
#[macro_export]
#[doc(hidden)]
macro_rules! operation_error {
    ($error:ident { $($variant:ident($code:literal) => $is:ident),* $(,)? }) => {
        $crate::error_enum!($error { $($variant($code) => $is),* });
        impl $crate::operation::OperationError for $error {
            fn from_code(
                code: &str,
                response: &$crate::http::Response<$crate::bytes::Bytes>,
                meta: &$crate::error::ErrorMetadata,
            ) -> Self {
                match code {
                    $($code => Self::$variant($crate::operation::ModeledError::from_response(response, meta)),)*
                    _ => Self::Unhandled($crate::error::Unhandled { meta: meta.clone() }),
                }
            }
        }
    };
}

/// Implements, for an error enum with one variant per modeled error (each holding a type with
/// a `meta()` method, written `Variant("WireCode") => is_variant`) and an `Unhandled` variant:
/// `meta()`, `code()`, an `is_*` method per variant, `Display` (the error's own message) and
/// `Error::source` (the error itself). Event streams' exception enums use it alone: their
/// errors arrive as messages, not responses.
#[macro_export]
#[doc(hidden)]
macro_rules! error_enum {
    ($error:ident { $($variant:ident($code:literal) => $is:ident),* $(,)? }) => {
        impl $error {
            /// Code, message, status and request id of the error response.
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                match self {
                    $(Self::$variant(error) => error.meta(),)*
                    Self::Unhandled(error) => &error.meta,
                }
            }
            /// The error code, e.g. the modeled error's shape name.
            pub fn code(&self) -> ::std::option::Option<&str> {
                self.meta().code()
            }
            $(
                #[doc = ::std::concat!("Whether this is a `", $code, "` error.")]
                pub fn $is(&self) -> bool {
                    ::std::matches!(self, Self::$variant(_))
                }
            )*
        }
        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$variant(error) => ::std::fmt::Display::fmt(error, f),)*
                    Self::Unhandled(error) => ::std::fmt::Display::fmt(error, f),
                }
            }
        }
        impl ::std::error::Error for $error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(error) => ::std::option::Option::Some(error),)*
                    Self::Unhandled(error) => ::std::option::Option::Some(error),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::ModeledError;
    use crate::error::{ErrorMetadata, Unhandled};
    use std::error::Error as _;

    /// A modeled error as the generator writes one.
    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    struct NotFound {
        message: Option<String>,
        #[serde(skip)]
        error_metadata: ErrorMetadata,
    }

    crate::modeled_error!(NotFound, optional message);
    crate::read_modeled_error!(NotFound, optional message);

    /// A modeled error without a message member: its message is the metadata's.
    #[derive(Debug, Default)]
    struct Conflict {
        error_metadata: ErrorMetadata,
    }

    crate::modeled_error!(Conflict);

    #[derive(Debug)]
    enum GetThingError {
        NotFound(NotFound),
        Unhandled(Unhandled),
    }

    crate::operation_error!(GetThingError { NotFound("NotFound") => is_not_found });

    fn meta(code: &str) -> ErrorMetadata {
        ErrorMetadata { code: Some(code.to_owned()), message: Some("from meta".to_owned()), ..Default::default() }
    }

    #[test]
    fn modeled_variants_delegate_to_their_error() {
        let response = http::Response::new(bytes::Bytes::from_static(br#"{"message":"no such thing"}"#));
        let error = GetThingError::NotFound(NotFound::from_response(&response, &meta("NotFound")));
        assert_eq!(error.to_string(), "NotFound: no such thing");
        assert_eq!(error.code(), Some("NotFound"));
        assert_eq!(error.source().map(ToString::to_string).as_deref(), Some("NotFound: no such thing"));
    }

    #[test]
    fn a_body_without_a_message_takes_the_metadata_s() {
        let response = http::Response::new(bytes::Bytes::new());
        let error = NotFound::from_response(&response, &meta("NotFound"));
        assert_eq!(error.message(), Some("from meta"));
        assert_eq!(error.meta().code(), Some("NotFound"));
    }

    #[test]
    fn modeled_errors_show_their_name_and_message() {
        let conflict = Conflict { error_metadata: meta("Conflict") };
        assert_eq!(conflict.to_string(), "Conflict: from meta");
        assert_eq!(conflict.meta().code(), Some("Conflict"));
        let quiet = NotFound::default();
        assert_eq!((quiet.to_string(), quiet.message()), ("NotFound".to_owned(), None));
    }

    #[test]
    fn unhandled_variant_shows_the_metadata() {
        let error = GetThingError::Unhandled(Unhandled { meta: meta("Throttled") });
        assert_eq!(error.code(), Some("Throttled"));
        assert_eq!(error.meta().message(), Some("from meta"));
        assert!(error.to_string().starts_with("unmodeled service error Throttled: from meta"), "{error}");
    }

    #[test]
    fn service_error_picks_the_variant_by_code() {
        let reply = |code: &str, body: &'static str| {
            http::Response::builder()
                .status(400)
                .header("x-amzn-errortype", code)
                .body(bytes::Bytes::from_static(body.as_bytes()))
                .expect("a response")
        };
        let error = match super::service_error::<GetThingError>(&reply("NotFound", r#"{"message":"gone"}"#)) {
            crate::error::call::SdkError::Service(service) => service,
            other => panic!("not a service error: {other}"),
        };
        let error = error.err();
        assert!(error.is_not_found(), "{error:?}");
        assert_eq!(error.to_string(), "NotFound: gone");
        let error = match super::service_error::<GetThingError>(&reply("Throttled", "{}")) {
            crate::error::call::SdkError::Service(service) => service,
            other => panic!("not a service error: {other}"),
        };
        let error = error.err();
        assert!(!error.is_not_found() && matches!(error, GetThingError::Unhandled(_)), "{error:?}");
        assert_eq!(error.code(), Some("Throttled"));
    }
}
