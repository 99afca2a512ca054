//! Support for the errors of generated operations: [`ModeledError`], implemented by every
//! modeled error shape to be read from an error response; `modeled_error!`, which gives such a
//! shape its accessors and its `Display` and `Error` impls; and `operation_error!`, which does
//! the same for an operation's error enum.

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
}
