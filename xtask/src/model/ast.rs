//! `cargo xtask model ast FILE...`: model files (IDL or JSON) loaded together as code
//! generation loads them, printed as one Smithy JSON AST document, as `smithy ast` prints one.

use codegen::ast::{Member, Shape, Target};
use codegen::load;
use codegen::Diagnostics;
use serde_json::{json, Map, Value};

/// The JSON AST of `files` loaded together (`apply` merged, mixins flattened and kept as
/// `mixins` lists), prelude shapes left out; the loader's errors, located, otherwise.
pub fn ast(files: &[String]) -> Result<String, String> {
    if files.is_empty() {
        return Err("name at least one model file".to_owned());
    }
    let mut diags = Diagnostics::default();
    let parsed = load::read_files(files, &mut diags);
    // Flattening folds mixins into their users; the lists are printed as written.
    let mixins: std::collections::HashMap<String, Vec<Target>> = parsed
        .iter()
        .flat_map(|(_, file)| file.shapes.iter())
        .filter(|(_, shape)| !shape.mixins.is_empty())
        .map(|(id, shape)| (id.clone(), shape.mixins.clone()))
        .collect();
    let merged = load::merge(parsed, &mut diags);
    if diags.has_errors() {
        return Err(diags.to_string());
    }
    let mut shapes = Map::new();
    for (id, sourced) in merged.shapes.iter().filter(|(id, _)| !id.starts_with("smithy.api#")) {
        let mut value = shape(&sourced.shape);
        if let (Some(list), Some(object)) = (mixins.get(id), value.as_object_mut()) {
            object.insert("mixins".to_owned(), Value::Array(list.iter().map(reference).collect()));
        }
        shapes.insert(id.clone(), value);
    }
    let document = json!({ "smithy": "2.0", "shapes": shapes });
    let mut text = codegen::node::to_json_pretty(&document);
    text.push('\n');
    Ok(text)
}

/// A shape in JSON AST form: only the properties it has.
fn shape(shape: &Shape) -> Value {
    let mut out = Map::new();
    out.insert("type".to_owned(), Value::from(shape.kind.as_str()));
    if let Some(version) = &shape.version {
        out.insert("version".to_owned(), Value::from(version.as_str()));
    }
    for (key, target) in [("input", &shape.input), ("output", &shape.output)] {
        if let Some(target) = target {
            out.insert(key.to_owned(), reference(target));
        }
    }
    for (key, member) in [("member", &shape.member), ("key", &shape.key), ("value", &shape.value)] {
        if let Some(member) = member {
            out.insert(key.to_owned(), self::member(member));
        }
    }
    if !shape.members.is_empty() || matches!(shape.kind.as_str(), "structure" | "union") {
        let members: Map<String, Value> = shape.members.iter().map(|(name, m)| (name.clone(), member(m))).collect();
        out.insert("members".to_owned(), Value::Object(members));
    }
    let lists = [
        ("operations", &shape.operations),
        ("collectionOperations", &shape.collection_operations),
        ("resources", &shape.resources),
        ("errors", &shape.errors),
        ("mixins", &shape.mixins),
    ];
    for (key, targets) in lists {
        if !targets.is_empty() {
            out.insert(key.to_owned(), Value::Array(targets.iter().map(reference).collect()));
        }
    }
    let lifecycle = [
        ("create", &shape.create),
        ("put", &shape.put),
        ("read", &shape.read),
        ("update", &shape.update),
        ("delete", &shape.delete),
        ("list", &shape.list),
    ];
    for (key, target) in lifecycle {
        if let Some(target) = target {
            out.insert(key.to_owned(), reference(target));
        }
    }
    if !shape.rename.is_empty() {
        let rename: Map<String, Value> =
            shape.rename.iter().map(|(id, name)| (id.clone(), Value::from(name.as_str()))).collect();
        out.insert("rename".to_owned(), Value::Object(rename));
    }
    if !shape.traits.is_empty() {
        out.insert(
            "traits".to_owned(),
            Value::Object(shape.traits.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        );
    }
    Value::Object(out)
}

fn reference(target: &Target) -> Value {
    json!({ "target": target.target })
}

fn member(member: &Member) -> Value {
    let mut out = Map::new();
    out.insert("target".to_owned(), Value::from(member.target.as_str()));
    if !member.traits.is_empty() {
        out.insert(
            "traits".to_owned(),
            Value::Object(member.traits.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        );
    }
    Value::Object(out)
}
