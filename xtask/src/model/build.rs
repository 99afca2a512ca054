//! The content of a `model/` file: a service with some of its upstream operations and every
//! shape they need, taken from the upstream model, with this repository's documentation.

use super::closure::{self, Model};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The documentation trait: the one fact `model/` may word its own way.
pub const DOC: &str = "smithy.api#documentation";

/// Whose documentation the written shapes carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Docs {
    /// The local wording, where `model/` has the shape; upstream's for new shapes.
    Local,
    /// Upstream's everywhere.
    Upstream,
}

/// A model file to write.
pub struct Built {
    /// Its shapes, sorted by ID.
    pub shapes: Map<String, Value>,
    /// Shapes and members (`ID` or `ID$member`) whose upstream documentation differs from the
    /// local wording, which was kept.
    pub docs_kept: Vec<String>,
}

impl Built {
    /// The file's text: pretty JSON, shapes sorted by ID, keys in upstream order.
    pub fn text(&self) -> String {
        let mut root = Map::new();
        root.insert("smithy".to_owned(), Value::from("2.0"));
        root.insert("shapes".to_owned(), Value::Object(self.shapes.clone()));
        let mut text = codegen::node::to_json_pretty(&Value::Object(root));
        text.push('\n');
        text
    }
}

/// `operations` of `upstream`'s service (shape IDs bound to it) and their closure, with the
/// documentation of `local` kept as `docs` says.
pub fn build(
    upstream: &Model,
    upstream_file: &str,
    operations: &BTreeSet<String>,
    local: Option<&Model>,
    docs: Docs,
) -> Result<Built, String> {
    let (service_id, service) = upstream.service(upstream_file)?;
    let mut service = service.clone();
    let listed: Vec<Value> = operations.iter().map(|id| serde_json::json!({ "target": id })).collect();
    if let Some(object) = service.as_object_mut() {
        // Operations are listed on the service directly; resources would pull in others.
        object.shift_remove("resources");
        object.insert("operations".to_owned(), Value::Array(listed));
    }
    let roots = operations.iter().cloned().chain(closure::references_of(&service));
    let (ids, dangling) = upstream.closure(roots);
    if let Some((from, target)) = dangling.first() {
        return Err(format!("{upstream_file}: `{from}` refers to `{target}`, which the model does not define"));
    }
    let mut sorted: BTreeMap<String, Value> = BTreeMap::new();
    sorted.insert(service_id.to_owned(), service);
    for id in ids {
        sorted.insert(id.clone(), upstream.shapes[&id].clone());
    }
    let mut docs_kept = Vec::new();
    if let (Some(local), Docs::Local) = (local, docs) {
        for (id, shape) in &mut sorted {
            if let Some(local_shape) = local.shapes.get(id) {
                keep_local_docs(id, shape, local_shape, &mut docs_kept);
            }
        }
    }
    Ok(Built { shapes: sorted.into_iter().collect(), docs_kept })
}

/// Gives `shape` (and its members) the documentation of `local`, noting in `kept` where
/// upstream's differed.
fn keep_local_docs(id: &str, shape: &mut Value, local: &Value, kept: &mut Vec<String>) {
    set_doc(id, shape, local, kept);
    for key in ["member", "key", "value"] {
        if let (Some(member), Some(local_member)) = (shape.get_mut(key), local.get(key)) {
            set_doc(&format!("{id}${key}"), member, local_member, kept);
        }
    }
    let Some(members) = shape.get_mut("members").and_then(Value::as_object_mut) else { return };
    for (name, member) in members {
        if let Some(local_member) = local.get("members").and_then(|m| m.get(name)) {
            set_doc(&format!("{id}${name}"), member, local_member, kept);
        }
    }
}

/// Sets the documentation trait of `target` to that of `local` (or removes it).
fn set_doc(what: &str, target: &mut Value, local: &Value, kept: &mut Vec<String>) {
    let wanted = local.pointer(&format!("/traits/{DOC}")).cloned();
    let Some(object) = target.as_object_mut() else { return };
    let current = object.get("traits").and_then(|t| t.get(DOC)).cloned();
    if current == wanted {
        return;
    }
    kept.push(what.to_owned());
    let traits = object.entry("traits").or_insert_with(|| Value::Object(Map::new()));
    let Some(traits) = traits.as_object_mut() else { return };
    match wanted {
        Some(doc) => {
            traits.insert(DOC.to_owned(), doc);
        }
        None => {
            traits.shift_remove(DOC);
            if traits.is_empty() {
                object.shift_remove("traits");
            }
        }
    }
}

/// Removes the documentation of `shape` and of its members.
fn strip_docs(shape: &mut Value) {
    let remove = |value: &mut Value| {
        if let Some(traits) = value.get_mut("traits").and_then(Value::as_object_mut) {
            traits.shift_remove(DOC);
        }
        if value.get("traits").and_then(Value::as_object).is_some_and(Map::is_empty) {
            if let Some(object) = value.as_object_mut() {
                object.shift_remove("traits");
            }
        }
    };
    remove(shape);
    for key in ["member", "key", "value"] {
        if let Some(member) = shape.get_mut(key) {
            remove(member);
        }
    }
    if let Some(members) = shape.get_mut("members").and_then(Value::as_object_mut) {
        members.values_mut().for_each(remove);
    }
}

/// The shapes of `local` that `built` changes other than in documentation (and, for the
/// service, in its list of operations): conflicts for `model add`.
pub fn conflicts(local: &Model, built: &Built) -> Vec<String> {
    let strip = |shape: &Value| {
        let mut shape = shape.clone();
        if closure::type_of(&shape) == "service" {
            if let Some(object) = shape.as_object_mut() {
                object.shift_remove("operations");
            }
        }
        strip_docs(&mut shape);
        shape
    };
    local
        .shapes
        .iter()
        .filter_map(|(id, shape)| {
            let new = built.shapes.get(id)?;
            (strip(shape) != strip(new)).then(|| id.clone())
        })
        .collect()
}
