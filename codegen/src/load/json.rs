//! Reads a Smithy JSON AST model from its text: JSON first, then each shape on its own, so a
//! shape of the wrong form is reported at its shape ID and member, in Smithy's terms, and the
//! other shapes are still read. Unknown keys are ignored.

use crate::ast::{Member, ModelFile, Shape, Target, Traits};
use crate::diagnostics::{Diagnostics, Location};
use crate::node;
use indexmap::IndexMap;
use serde_json::{Map, Value};

/// The JSON value of `text`; `None` (reported) when it is not JSON.
pub(super) fn parse_json(file: &str, text: &str, diags: &mut Diagnostics) -> Option<Value> {
    match node::from_json(text) {
        Ok(root) => Some(root),
        Err(err) => {
            let message = format!("not valid JSON (line {}, column {}): {}", err.line, err.column, err.reason);
            diags.error(&Location::file(file), message);
            None
        }
    }
}

/// The model in the JSON value `root` (read from file `file`, or translated from the IDL);
/// `None` when it is not a model at all.
pub(super) fn model_value(file: &str, root: Value, diags: &mut Diagnostics) -> Option<ModelFile> {
    let at = Location::file(file);
    let Value::Object(root) = root else {
        diags.error(&at, format!("a Smithy JSON AST model must be a JSON object, found {}", kind_of(&root)));
        return None;
    };
    let smithy = match root.get("smithy") {
        Some(Value::String(version)) => version.clone(),
        Some(other) => {
            diags.error(
                &at,
                format!("`smithy` must be the IDL version as a string (\"2.0\"), found {}", kind_of(other)),
            );
            return None;
        }
        None => {
            diags.error(&at, "not a Smithy JSON AST model: it has no `smithy` version (\"smithy\": \"2.0\")");
            return None;
        }
    };
    if !smithy.starts_with('1') && !smithy.starts_with('2') {
        diags.error(&at, format!("unsupported Smithy IDL version `{smithy}`"));
        return None;
    }
    let mut shapes = IndexMap::new();
    match root.get("shapes") {
        None => {}
        Some(Value::Object(entries)) => {
            for (id, value) in entries {
                if let Some(shape) = shape(value, &Location::shape(file, id), diags) {
                    shapes.insert(id.clone(), shape);
                }
            }
        }
        Some(other) => diags
            .error(&at, format!("`shapes` must be an object mapping shape IDs to shapes, found {}", kind_of(other))),
    }
    Some(ModelFile { smithy, shapes })
}

/// How a JSON value is spelled out in messages.
fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "`null`".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", Value::String(s.clone())),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => match node::as_big_number(value) {
            Some(literal) => format!("the number {literal}"),
            None => "an object".to_owned(),
        },
    }
}

/// One shape; `None` (reported) when it is not an object with a string `type`.
fn shape(value: &Value, at: &Location, diags: &mut Diagnostics) -> Option<Shape> {
    let Value::Object(fields) = value else {
        diags.error(at, format!("a shape must be an object with a `type`, found {}", kind_of(value)));
        return None;
    };
    let kind = match fields.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(other) => {
            let message = format!("`type` must be a shape type such as \"structure\", found {}", kind_of(other));
            diags.error(at, message);
            return None;
        }
        None => {
            diags.error(at, "the shape has no `type`");
            return None;
        }
    };
    let mut read = Fields { fields, at, diags };
    Some(Shape {
        kind,
        traits: read.traits("traits", at),
        members: read.members(),
        member: read.member("member"),
        key: read.member("key"),
        value: read.member("value"),
        mixins: read.targets("mixins"),
        input: read.target("input"),
        output: read.target("output"),
        errors: read.targets("errors"),
        version: read.string("version"),
        operations: read.targets("operations"),
        collection_operations: read.targets("collectionOperations"),
        resources: read.targets("resources"),
        rename: read.rename(),
        create: read.target("create"),
        put: read.target("put"),
        read: read.target("read"),
        update: read.target("update"),
        delete: read.target("delete"),
        list: read.target("list"),
    })
}

/// The fields of one shape, read one property at a time; a property of the wrong form is
/// reported and read as absent.
struct Fields<'a> {
    fields: &'a Map<String, Value>,
    at: &'a Location,
    diags: &'a mut Diagnostics,
}

impl Fields<'_> {
    fn wrong(&mut self, at: &Location, property: &str, expected: &str, found: &Value) {
        self.diags.error(at, format!("`{property}` must be {expected}, found {}", kind_of(found)));
    }

    fn string(&mut self, property: &str) -> Option<String> {
        match self.fields.get(property)? {
            Value::String(text) => Some(text.clone()),
            other => {
                self.wrong(self.at, property, "a string", other);
                None
            }
        }
    }

    fn traits(&mut self, property: &str, at: &Location) -> Traits {
        traits_of(self.fields.get(property), at, self.diags)
    }

    fn members(&mut self) -> IndexMap<String, Member> {
        let Some(value) = self.fields.get("members") else { return IndexMap::new() };
        let Value::Object(entries) = value else {
            self.wrong(self.at, "members", "an object mapping member names to members", value);
            return IndexMap::new();
        };
        entries
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), member(value, &self.at.member(name), self.diags)?)))
            .collect()
    }

    fn member(&mut self, name: &str) -> Option<Member> {
        member(self.fields.get(name)?, &self.at.member(name), self.diags)
    }

    fn target(&mut self, property: &str) -> Option<Target> {
        let value = self.fields.get(property)?;
        let target = reference(value);
        if target.is_none() {
            self.wrong(self.at, property, "an object with a `target` shape ID", value);
        }
        target
    }

    fn targets(&mut self, property: &str) -> Vec<Target> {
        let Some(value) = self.fields.get(property) else { return Vec::new() };
        let Value::Array(items) = value else {
            self.wrong(self.at, property, "an array of objects with a `target` shape ID", value);
            return Vec::new();
        };
        let mut targets = Vec::new();
        for (position, item) in items.iter().enumerate() {
            match reference(item) {
                Some(target) => targets.push(target),
                None => {
                    let entry = format!("{property}[{position}]");
                    self.wrong(self.at, &entry, "an object with a `target` shape ID", item);
                }
            }
        }
        targets
    }

    fn rename(&mut self) -> IndexMap<String, String> {
        let Some(value) = self.fields.get("rename") else { return IndexMap::new() };
        let Value::Object(entries) = value else {
            self.wrong(self.at, "rename", "an object mapping shape IDs to names", value);
            return IndexMap::new();
        };
        let mut renames = IndexMap::new();
        for (id, name) in entries {
            match name {
                Value::String(name) => {
                    renames.insert(id.clone(), name.clone());
                }
                other => self.wrong(self.at, &format!("rename[\"{id}\"]"), "a name (a string)", other),
            }
        }
        renames
    }
}

/// `{ "target": "ns#Shape" }`.
fn reference(value: &Value) -> Option<Target> {
    let target = value.as_object()?.get("target")?.as_str()?;
    Some(Target { target: target.to_owned() })
}

/// A member: an object with a `target` shape ID and optional `traits`.
fn member(value: &Value, at: &Location, diags: &mut Diagnostics) -> Option<Member> {
    let Value::Object(fields) = value else {
        diags.error(at, format!("a member must be an object with a `target` shape ID, found {}", kind_of(value)));
        return None;
    };
    let target = match fields.get("target") {
        Some(Value::String(target)) => target.clone(),
        Some(other) => {
            diags.error(at, format!("`target` must be a shape ID (a string), found {}", kind_of(other)));
            return None;
        }
        None => {
            diags.error(at, "the member has no `target` shape ID");
            return None;
        }
    };
    Some(Member { target, traits: traits_of(fields.get("traits"), at, diags) })
}

/// `traits`: an object mapping trait IDs to values (absent: none).
fn traits_of(value: Option<&Value>, at: &Location, diags: &mut Diagnostics) -> Traits {
    match value {
        None => Traits::new(),
        Some(Value::Object(entries)) => entries.iter().map(|(id, value)| (id.clone(), value.clone())).collect(),
        Some(other) => {
            let message = format!("`traits` must be an object mapping trait IDs to values, found {}", kind_of(other));
            diags.error(at, message);
            Traits::new()
        }
    }
}
