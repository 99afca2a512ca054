//! Support for the errors of generated operations: [`ModeledError`], implemented by every
//! modeled error shape to be read from an error response, and `operation_error!`, which gives
//! an operation's error enum its accessors and its `Display` and `Error` impls.

use crate::error::ErrorMetadata;
use bytes::Bytes;
use http::Response;

/// A modeled error shape (a structure with `@error`) that can be read from an error response.
pub trait ModeledError: Sized {
    /// Reads the error from `response`, whose metadata `meta` was read already: the members in
    /// the body (zero values when the body is missing or unreadable), members bound to headers,
    /// the message from `meta` when the body has none, and `meta` itself.
    fn from_response(response: &Response<Bytes>, meta: &ErrorMetadata) -> Self;
}

/// Implements, for an operation's error enum with one variant per modeled error (each holding
/// a type with a `meta()` method) and an `Unhandled` variant: `meta()`, `code()`, `Display`
/// (the error's own message) and `Error::source` (the error itself).
#[macro_export]
#[doc(hidden)]
macro_rules! operation_error {
    ($error:ident { $($variant:ident),* $(,)? }) => {
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
    #[derive(Debug, Default)]
    struct NotFound {
        message: Option<String>,
        error_metadata: ErrorMetadata,
    }

    impl NotFound {
        fn meta(&self) -> &ErrorMetadata {
            &self.error_metadata
        }
    }

    impl std::fmt::Display for NotFound {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "NotFound: {}", self.message.as_deref().unwrap_or("-"))
        }
    }

    impl std::error::Error for NotFound {}

    impl ModeledError for NotFound {
        fn from_response(response: &http::Response<bytes::Bytes>, meta: &ErrorMetadata) -> Self {
            let message = serde_json::from_slice::<serde_json::Value>(response.body())
                .ok()
                .and_then(|body| body["message"].as_str().map(str::to_owned));
            NotFound { message: message.or_else(|| meta.message.clone()), error_metadata: meta.clone() }
        }
    }

    #[derive(Debug)]
    enum GetThingError {
        NotFound(NotFound),
        Unhandled(Unhandled),
    }

    crate::operation_error!(GetThingError { NotFound });

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
    fn unhandled_variant_shows_the_metadata() {
        let error = GetThingError::Unhandled(Unhandled { meta: meta("Throttled") });
        assert_eq!(error.code(), Some("Throttled"));
        assert_eq!(error.meta().message(), Some("from meta"));
        assert!(error.to_string().starts_with("unmodeled service error Throttled: from meta"), "{error}");
    }
}
