//! The runtime of the clients `aws-lite` generates from Smithy models.
//!
//! A generated crate holds only what is specific to its model (types, builders, validators,
//! serializers and parsers, one `Client` per service) and calls into this crate for the rest.
//! Its root re-exports the modules users name ([`client`], [`error`], [`primitives`],
//! [`validation`]), so `aws_lite::client::Config` and `aws_lite_runtime::client::Config` are the
//! same type, and two generated crates share one `Config`, `Credentials` and `SdkError`.
//!
//! The generator and this crate are released together: a generated manifest pins the exact
//! version of the runtime it was generated for.

#![warn(missing_docs)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod error;
pub mod event_stream;
pub mod operation;
pub mod primitives;
#[doc(hidden)]
pub mod protocol;
pub mod validation;
pub mod waiter;

/// Support code for the generated protocol compliance tests.
#[cfg(feature = "test-util")]
pub mod protocol_test;

/// Entry points of the fuzz targets in `fuzz/`, for code that is otherwise private; not a
/// stable API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::cli::fuzz_cli_input as cli_input;
    pub use crate::profile::fuzz_shared_files as shared_files;
}

// What `client` re-exports, one concern a module.
mod config;
mod credentials;
mod endpoint;
mod paginate;
mod profile;
mod retry;
mod sdk_headers;
mod send;
mod signing;
mod transport;

#[cfg(test)]
mod test_support;

// Crates that generated code names, re-exported so a generated crate depends on this crate
// alone and always on the versions the runtime was built with.
#[doc(hidden)]
pub use {bytes, futures_core, http, serde, serde_json, tokio};
