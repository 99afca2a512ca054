//! [`Document`], a Smithy `document`: an untyped JSON value.

/// A Smithy `document`: an untyped JSON value.
///
/// With serde_json's `arbitrary_precision` feature, numbers inside keep their
/// exact literal text, so they round-trip without loss.
pub type Document = serde_json::Value;
