//! A plain mirror of the Smithy JSON AST 2.0, with no logic.
//!
//! Unknown keys are ignored and every trait value is kept as raw JSON; meaning is given to them
//! later, in `lower`.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// Trait ID -> trait value, in model order.
pub type Traits = IndexMap<String, Value>;

/// One model file.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelFile {
    /// The IDL version, `"2.0"` (or `"1.0"`).
    pub smithy: String,
    /// Absolute shape ID -> shape.
    #[serde(default)]
    pub shapes: IndexMap<String, Shape>,
}

/// A reference to another shape.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Target {
    /// Absolute shape ID.
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Member {
    /// The shape the member targets.
    pub target: String,
    /// Traits applied to the member.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub traits: Traits,
}

/// Any shape, including `apply` entries; which fields are meaningful depends on `kind`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct Shape {
    /// The shape type (`structure`, `string`, `apply`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Traits applied to the shape.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub traits: Traits,
    /// Members of structures, unions, enums and intEnums.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub members: IndexMap<String, Member>,
    /// The member of a list or set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Member>,
    /// The key of a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Member>,
    /// The value of a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Member>,
    /// Mixins applied to the shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mixins: Vec<Target>,
    /// Operation input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Target>,
    /// Operation output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Target>,
    /// Errors of an operation or of a service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Target>,
    /// Service version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Operations bound to a service or resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Target>,
    /// Operations bound to a resource's collection.
    #[serde(default, rename = "collectionOperations", skip_serializing_if = "Vec::is_empty")]
    pub collection_operations: Vec<Target>,
    /// Resources bound to a service or resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Target>,
    /// Shape ID -> local name, resolving name conflicts in a service closure.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub rename: IndexMap<String, String>,
    /// Resource lifecycle operation `create`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<Target>,
    /// Resource lifecycle operation `put`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put: Option<Target>,
    /// Resource lifecycle operation `read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Target>,
    /// Resource lifecycle operation `update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<Target>,
    /// Resource lifecycle operation `delete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete: Option<Target>,
    /// Resource lifecycle operation `list`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<Target>,
}

impl Shape {
    /// The lifecycle operations of a resource, in a fixed order.
    pub fn lifecycle_operations(&self) -> impl Iterator<Item = &Target> {
        [&self.create, &self.put, &self.read, &self.update, &self.delete, &self.list].into_iter().flatten()
    }
}
