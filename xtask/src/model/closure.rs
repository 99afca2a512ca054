//! What a Smithy JSON AST model holds: its service, the operations bound to it, and the
//! shapes an operation needs.

use serde_json::{Map, Value};
use std::collections::{BTreeSet, VecDeque};

/// Shapes of the Smithy prelude are never copied: every loader has them.
const PRELUDE: &str = "smithy.api#";

/// A parsed model file: its `shapes`, checked to be a Smithy JSON AST.
pub struct Model {
    /// Shape ID -> shape, in file order.
    pub shapes: Map<String, Value>,
}

impl Model {
    /// Reads `text` (from `file`) as a Smithy JSON AST: an object with a `smithy` version and a
    /// `shapes` object whose entries are objects with a `type`.
    pub fn parse(file: &str, text: &str) -> Result<Model, String> {
        let value: Value = codegen::node::from_json(text).map_err(|err| format!("{file}: not valid JSON: {err}"))?;
        let not_ast = |why: &str| format!("{file}: not a Smithy JSON AST model: {why}");
        let object = value.as_object().ok_or_else(|| not_ast("the top level is not an object"))?;
        match object.get("smithy").and_then(Value::as_str) {
            Some(version) if version.starts_with('1') || version.starts_with('2') => {}
            Some(version) => return Err(not_ast(&format!("unknown `smithy` version `{version}`"))),
            None => return Err(not_ast("no `smithy` version string")),
        }
        let shapes = object.get("shapes").and_then(Value::as_object).ok_or_else(|| not_ast("no `shapes` object"))?;
        for (id, shape) in shapes {
            if !id.contains('#') {
                return Err(not_ast(&format!("shape ID `{id}` has no namespace")));
            }
            if shape.get("type").and_then(Value::as_str).is_none() {
                return Err(not_ast(&format!("shape `{id}` has no `type`")));
            }
        }
        Ok(Model { shapes: shapes.clone() })
    }

    /// The one service shape, as (ID, shape); an error names `file` when there is none or more.
    pub fn service(&self, file: &str) -> Result<(&str, &Value), String> {
        let mut services = self.shapes.iter().filter(|(_, shape)| type_of(shape) == "service");
        let Some((id, shape)) = services.next() else {
            return Err(format!("{file}: the model has no service shape"));
        };
        if let Some((other, _)) = services.next() {
            return Err(format!("{file}: the model has more than one service ({id}, {other}); keep one per file"));
        }
        Ok((id, shape))
    }

    /// Every operation bound to `service`, directly or through its (nested) resources.
    pub fn bound_operations(&self, service: &Value) -> BTreeSet<String> {
        let mut operations: BTreeSet<String> = targets(service, "operations").collect();
        let mut resources: Vec<String> = targets(service, "resources").collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = resources.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some(resource) = self.shapes.get(&id) else { continue };
            operations.extend(targets(resource, "operations").chain(targets(resource, "collectionOperations")));
            for key in ["create", "put", "read", "update", "delete", "list"] {
                operations.extend(resource.get(key).and_then(target).map(str::to_owned));
            }
            resources.extend(targets(resource, "resources"));
        }
        operations
    }

    /// The shapes `roots` need, roots included (prelude shapes left out), and the references
    /// to shapes the model does not define, as `(from, target)`.
    pub fn closure(&self, roots: impl IntoIterator<Item = String>) -> (BTreeSet<String>, Vec<(String, String)>) {
        let mut seen = BTreeSet::new();
        let mut dangling = Vec::new();
        let mut queue: VecDeque<(String, String)> = roots.into_iter().map(|id| (String::new(), id)).collect();
        while let Some((from, id)) = queue.pop_front() {
            if id.starts_with(PRELUDE) || seen.contains(&id) {
                continue;
            }
            let Some(shape) = self.shapes.get(&id) else {
                dangling.push((from, id));
                continue;
            };
            seen.insert(id.clone());
            queue.extend(references_of(shape).into_iter().map(|target| (id.clone(), target)));
        }
        (seen, dangling)
    }
}

/// A shape's `type`.
pub fn type_of(shape: &Value) -> &str {
    shape.get("type").and_then(Value::as_str).unwrap_or_default()
}

/// The `target` of a reference object (`{"target": ...}`).
pub fn target(reference: &Value) -> Option<&str> {
    reference.get("target").and_then(Value::as_str)
}

/// The targets of a list of references (`operations`, `errors`, `mixins`...).
pub fn targets<'a>(shape: &'a Value, key: &str) -> impl Iterator<Item = String> + 'a {
    let list = shape.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    list.iter().filter_map(target).map(str::to_owned)
}

/// The shapes a shape refers to: an operation's input, output and errors; members' targets;
/// mixins; a service's common errors and its endpoint discovery operation.
pub fn references_of(shape: &Value) -> Vec<String> {
    let mut out: Vec<String> = targets(shape, "mixins").chain(targets(shape, "errors")).collect();
    for key in ["input", "output", "member", "key", "value"] {
        out.extend(shape.get(key).and_then(target).map(str::to_owned));
    }
    if let Some(members) = shape.get("members").and_then(Value::as_object) {
        out.extend(members.values().filter_map(target).map(str::to_owned));
    }
    let discovery = shape.pointer("/traits/aws.api#clientEndpointDiscovery");
    for key in ["operation", "error"] {
        out.extend(discovery.and_then(|d| d.get(key)).and_then(Value::as_str).map(str::to_owned));
    }
    out
}

/// `name`'s shape ID among `operations`: the ID itself, or the one whose name after `#` it is.
pub fn resolve_operation(name: &str, operations: &BTreeSet<String>) -> Result<String, String> {
    if operations.contains(name) {
        return Ok(name.to_owned());
    }
    let local = |id: &str| id.rsplit('#').next().unwrap_or(id).to_owned();
    if let Some(id) = operations.iter().find(|id| local(id) == name) {
        return Ok(id.clone());
    }
    let mut close: Vec<(usize, String)> = operations
        .iter()
        .map(|id| local(id))
        .map(|candidate| {
            (codegen::check::edit_distance(&candidate.to_ascii_lowercase(), &name.to_ascii_lowercase()), candidate)
        })
        .filter(|(d, candidate)| *d <= 3 || candidate.to_ascii_lowercase().contains(&name.to_ascii_lowercase()))
        .collect();
    close.sort();
    let close: Vec<String> = close.into_iter().take(5).map(|(_, name)| format!("`{name}`")).collect();
    let hint = if close.is_empty() { String::new() } else { format!("; close matches: {}", close.join(", ")) };
    Err(format!("no operation `{name}` in the service{hint}"))
}
