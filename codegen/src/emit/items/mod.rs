//! The Rust items of each shape kind: value types and how members become fields
//! (`rust_type`), structures with builders, unions and enums (`shapes`), validators
//! (`validate`), error enums (`error_enum`), and the message mapping of streamed unions
//! (`event_stream`).

pub(crate) mod error_enum;
pub(crate) mod event_stream;
pub(crate) mod rust_type;
pub(crate) mod shapes;
pub(crate) mod validate;
