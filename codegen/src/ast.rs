//! A plain mirror of the Smithy JSON AST 2.0, with no logic.
//!
//! `load` reads it from JSON (ignoring unknown keys) and every trait value is kept as raw JSON;
//! meaning is given to them later, in `lower`.

use indexmap::IndexMap;
use serde_json::Value;

/// Trait ID -> trait value, in model order.
pub type Traits = IndexMap<String, Value>;

/// One model file.
#[derive(Debug, Clone)]
pub struct ModelFile {
    /// The IDL version, `"2.0"` (or `"1.0"`).
    pub smithy: String,
    /// Absolute shape ID -> shape.
    pub shapes: IndexMap<String, Shape>,
}

/// A reference to another shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Absolute shape ID.
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The shape the member targets.
    pub target: String,
    /// Traits applied to the member.
    pub traits: Traits,
}

/// Any shape, including `apply` entries; which fields are meaningful depends on `kind`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// The shape type (`structure`, `string`, `apply`, ...).
    pub kind: String,
    /// Traits applied to the shape.
    pub traits: Traits,
    /// Members of structures, unions, enums and intEnums.
    pub members: IndexMap<String, Member>,
    /// The member of a list or set.
    pub member: Option<Member>,
    /// The key of a map.
    pub key: Option<Member>,
    /// The value of a map.
    pub value: Option<Member>,
    /// Mixins applied to the shape.
    pub mixins: Vec<Target>,
    /// Operation input.
    pub input: Option<Target>,
    /// Operation output.
    pub output: Option<Target>,
    /// Errors of an operation or of a service.
    pub errors: Vec<Target>,
    /// Service version.
    pub version: Option<String>,
    /// Operations bound to a service or resource.
    pub operations: Vec<Target>,
    /// Operations bound to a resource's collection.
    pub collection_operations: Vec<Target>,
    /// Resources bound to a service or resource.
    pub resources: Vec<Target>,
    /// Shape ID -> local name, resolving name conflicts in a service closure.
    pub rename: IndexMap<String, String>,
    /// Resource lifecycle operation `create`.
    pub create: Option<Target>,
    /// Resource lifecycle operation `put`.
    pub put: Option<Target>,
    /// Resource lifecycle operation `read`.
    pub read: Option<Target>,
    /// Resource lifecycle operation `update`.
    pub update: Option<Target>,
    /// Resource lifecycle operation `delete`.
    pub delete: Option<Target>,
    /// Resource lifecycle operation `list`.
    pub list: Option<Target>,
}

impl Shape {
    /// The lifecycle operations of a resource, in a fixed order.
    pub fn lifecycle_operations(&self) -> impl Iterator<Item = &Target> {
        [&self.create, &self.put, &self.read, &self.update, &self.delete, &self.list].into_iter().flatten()
    }
}
