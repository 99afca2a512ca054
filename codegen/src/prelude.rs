//! The `smithy.api` prelude shapes every model may target without defining them.

use crate::ast::{Shape, Traits};
use serde_json::{json, Value};

/// The file name diagnostics use for prelude shapes.
pub const PRELUDE_FILE: &str = "<smithy prelude>";

/// Makes the `@default` value of a primitive prelude shape.
type DefaultValue = fn() -> Value;

/// `(shape ID, shape type, default value for the primitive variants)`.
const PRELUDE: &[(&str, &str, Option<DefaultValue>)] = &[
    ("smithy.api#String", "string", None),
    ("smithy.api#Blob", "blob", None),
    ("smithy.api#BigInteger", "bigInteger", None),
    ("smithy.api#BigDecimal", "bigDecimal", None),
    ("smithy.api#Timestamp", "timestamp", None),
    ("smithy.api#Document", "document", None),
    ("smithy.api#Boolean", "boolean", None),
    ("smithy.api#Byte", "byte", None),
    ("smithy.api#Short", "short", None),
    ("smithy.api#Integer", "integer", None),
    ("smithy.api#Long", "long", None),
    ("smithy.api#Float", "float", None),
    ("smithy.api#Double", "double", None),
    ("smithy.api#PrimitiveBoolean", "boolean", Some(|| json!(false))),
    ("smithy.api#PrimitiveByte", "byte", Some(|| json!(0))),
    ("smithy.api#PrimitiveShort", "short", Some(|| json!(0))),
    ("smithy.api#PrimitiveInteger", "integer", Some(|| json!(0))),
    ("smithy.api#PrimitiveLong", "long", Some(|| json!(0))),
    ("smithy.api#PrimitiveFloat", "float", Some(|| json!(0))),
    ("smithy.api#PrimitiveDouble", "double", Some(|| json!(0))),
    ("smithy.api#Unit", "structure", None),
];

/// The prelude shapes, as if they had been read from a model file.
pub fn shapes() -> Vec<(String, Shape)> {
    PRELUDE
        .iter()
        .map(|(id, kind, default)| {
            let mut traits = Traits::new();
            if let Some(default) = default {
                traits.insert("smithy.api#default".to_owned(), default());
            }
            if *id == "smithy.api#Unit" {
                traits.insert("smithy.api#unitType".to_owned(), json!({}));
            }
            let shape = Shape { kind: (*kind).to_owned(), traits, ..Shape::default() };
            ((*id).to_owned(), shape)
        })
        .collect()
}

/// Whether a shape ID belongs to the prelude namespace.
pub fn is_prelude(id: &str) -> bool {
    id.starts_with("smithy.api#")
}
