//! The Rust items of each shape kind: value types and how members become fields
//! (`rust_type`), structures with builders, unions and enums (`shapes`), and validators
//! (`validate`).

pub(crate) mod rust_type;
pub(crate) mod shapes;
pub(crate) mod validate;
