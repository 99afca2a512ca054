//! Smithy's own IDL loader conformance cases, read from `../shared/idl-tests/` beside the
//! checkout (skipped with a notice when absent; see its README for the rules):
//!
//! - each valid `X.smithy` with an `X.json` twin, loaded with `__shared.json`, must give the
//!   same model as `X.json` (plus `__shared.json`), compared as Smithy compares models;
//! - every valid `.smithy` file (and each `forwardrefs/` folder, its files together) loads
//!   through the whole loader without an error;
//! - every invalid `.smithy` file is rejected with an error naming the file, line and column.

use codegen::load::{self, idl};
use codegen::node;
use codegen::Diagnostics;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/idl-tests");
    dir.is_dir().then_some(dir)
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "forwardrefs") {
                files(&path, ext, out);
            }
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[test]
fn idl_conformance() {
    let Some(root) = corpus() else {
        println!("skipping: ../shared/idl-tests not found");
        return;
    };
    let shared_path = root.join("valid/__shared.json");
    let shared_text = read(&shared_path);
    let shared: Value = node::from_json(&shared_text).unwrap_or_else(|err| panic!("__shared.json: {err}"));
    let mut failures = Vec::new();

    // Valid files with a JSON twin.
    let mut valid = Vec::new();
    files(&root.join("valid"), "smithy", &mut valid);
    let (mut twins, mut matched) = (0, 0);
    let mut others = (0, 0);
    for path in &valid {
        let name = relative(&root, path);
        let twin = path.with_extension("json");
        // Every valid file goes through the whole loader (JSON reader, merge) without errors.
        let texts = vec![(name.clone(), read(path)), (shared_path.display().to_string(), shared_text.clone())];
        let mut diags = Diagnostics::default();
        let loaded = load::parse_texts(&texts, &mut diags);
        load::merge(loaded, &mut diags);
        let loads = !diags.has_errors();
        if !loads {
            failures.push(format!("{name} does not load:\n{diags}"));
        }
        if !twin.exists() {
            others.0 += 1;
            others.1 += usize::from(loads);
            continue;
        }
        twins += 1;
        let document = match idl::parse(&name, &read(path)) {
            Ok(document) => document,
            Err(err) => {
                failures.push(format!("{name}: {err}"));
                continue;
            }
        };
        let actual = match idl::to_json_ast(std::slice::from_ref(&document), &[&shared]).pop() {
            Some(Ok(actual)) => actual,
            Some(Err(errors)) => {
                failures
                    .push(format!("{name}: {}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")));
                continue;
            }
            None => continue,
        };
        let expected: Value = match node::from_json(&read(&twin)) {
            Ok(expected) => expected,
            Err(err) => {
                failures.push(format!("{}: {err}", twin.display()));
                continue;
            }
        };
        let actual = Model::of(&[actual, shared.clone()]);
        let expected = Model::of(&[expected, shared.clone()]);
        match actual.difference(&expected) {
            None => matched += 1,
            Some(difference) => failures.push(format!("{name} differs from its JSON twin: {difference}")),
        }
    }

    // forwardrefs/: the files of each folder are loaded together.
    let mut folders = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("valid/forwardrefs")) {
        folders = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
        folders.sort();
    }
    let mut forward_ok = 0;
    for folder in &folders {
        let mut paths = Vec::new();
        files(folder, "smithy", &mut paths);
        files(folder, "json", &mut paths);
        let mut diags = Diagnostics::default();
        let loaded = load::read_files(&paths, &mut diags);
        load::merge(loaded, &mut diags);
        if diags.has_errors() {
            failures.push(format!("{} does not load:\n{diags}", relative(&root, folder)));
        } else {
            forward_ok += 1;
        }
    }

    // Invalid files.
    let mut invalid = Vec::new();
    files(&root.join("invalid"), "smithy", &mut invalid);
    let (mut rejected, mut same_line) = (0, 0);
    for path in &invalid {
        let name = relative(&root, path);
        let text = read(path);
        match idl::file_to_json_ast(&name, &text) {
            Ok(_) => {
                failures.push(format!("{name} is accepted; Smithy reports: {}", text.lines().next().unwrap_or("")))
            }
            Err(errors) => {
                let located = errors.iter().all(|e| e.file == name && e.line >= 1 && e.column >= 1);
                if located && !errors.is_empty() {
                    rejected += 1;
                } else {
                    failures.push(format!("{name}: errors without a location: {errors:?}"));
                }
                if let Some(line) = smithy_line(&text) {
                    same_line += usize::from(errors.iter().any(|e| e.line == line));
                }
            }
        }
    }

    println!(
        "valid: {matched}/{twins} match, forwardrefs: {forward_ok}/{} folders load, \
         other valid: {}/{} load, invalid: {rejected}/{} rejected ({same_line} at the line Smithy reports)",
        folders.len(),
        others.1,
        others.0,
        invalid.len()
    );
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    assert_eq!((matched, twins), (62, 62), "the corpus should hold 62 valid files with a JSON twin");
    assert_eq!((rejected, invalid.len()), (181, 181), "the corpus should hold 181 invalid files");
}

/// The line of Smithy's own error, from the first line's comment (`... at line 5, column 10 ...`).
fn smithy_line(text: &str) -> Option<u32> {
    let first = text.lines().next()?;
    let rest = &first[first.find("at line ")? + "at line ".len()..];
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// A loaded model in the form Smithy compares: `apply` merged, mixins flattened (the `mixins`
/// list kept), defaults made explicit, lists of IDs as sets, numbers by value.
#[derive(Debug, PartialEq)]
struct Model {
    shapes: BTreeMap<String, Value>,
    metadata: BTreeMap<String, Value>,
}

impl Model {
    fn of(files: &[Value]) -> Model {
        let mut shapes: BTreeMap<String, Value> = BTreeMap::new();
        let mut metadata = BTreeMap::new();
        let mut applies: Vec<(String, Map<String, Value>)> = Vec::new();
        for file in files {
            if let Some(entries) = file.get("metadata").and_then(Value::as_object) {
                metadata.extend(entries.iter().map(|(k, v)| (k.clone(), canonical(v))));
            }
            for (id, shape) in file.get("shapes").and_then(Value::as_object).into_iter().flatten() {
                if shape["type"] == "apply" {
                    applies.push((id.clone(), shape["traits"].as_object().cloned().unwrap_or_default()));
                } else {
                    shapes.insert(id.clone(), canonical(shape));
                }
            }
        }
        // Traits applied to shapes first (mixins pass them on), to members as their shape is
        // flattened.
        let mut member_applies = MemberApplies::new();
        for (id, traits) in applies {
            match id.split_once('$') {
                None => {
                    if let Some(shape) = shapes.get_mut(&id) {
                        add_traits(shape, &traits);
                    }
                }
                Some((root, member)) => {
                    member_applies.entry(root.to_owned()).or_default().push((member.to_owned(), traits))
                }
            }
        }
        let ids: Vec<String> = shapes.keys().cloned().collect();
        let mut done = BTreeSet::new();
        for id in &ids {
            flatten(&mut shapes, id, &member_applies, &mut done, &mut BTreeSet::new());
        }
        for (id, shape) in &mut shapes {
            normalize(id, shape);
        }
        Model { shapes, metadata }
    }

    fn difference(&self, expected: &Model) -> Option<String> {
        if self.metadata != expected.metadata {
            return Some(format!("metadata {:?}\n  expected {:?}", self.metadata, expected.metadata));
        }
        for (id, shape) in &expected.shapes {
            match self.shapes.get(id) {
                None => return Some(format!("shape {id} is missing")),
                Some(actual) if actual != shape => {
                    return Some(format!("shape {id}\n  is       {actual}\n  expected {shape}"))
                }
                Some(_) => {}
            }
        }
        let extra: Vec<&String> = self.shapes.keys().filter(|id| !expected.shapes.contains_key(*id)).collect();
        (!extra.is_empty()).then(|| format!("unexpected shapes {extra:?}"))
    }
}

/// Numbers compare by value: integral floats become integers, numbers beyond 64 bits their
/// decimal value.
fn canonical(value: &Value) -> Value {
    if let Some(literal) = node::as_big_number(value) {
        return Value::String(format!("number {}", node::decimal(literal)));
    }
    match value {
        Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_none() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Object(entries) => Value::Object(entries.iter().map(|(k, v)| (k.clone(), canonical(v))).collect()),
        other => other.clone(),
    }
}

fn traits_of(holder: &mut Value) -> &mut Map<String, Value> {
    if !holder.get("traits").is_some_and(Value::is_object) {
        holder["traits"] = Value::Object(Map::new());
    }
    holder["traits"].as_object_mut().expect("traits is an object")
}

fn add_traits(holder: &mut Value, traits: &Map<String, Value>) {
    let existing = traits_of(holder);
    for (id, value) in traits {
        match (existing.get_mut(id), value) {
            (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.iter().map(canonical)),
            _ => {
                existing.insert(id.clone(), canonical(value));
            }
        }
    }
}

/// Shape ID -> (member name, traits applied to it).
type MemberApplies = BTreeMap<String, Vec<(String, Map<String, Value>)>>;

const MEMBER_FIELDS: [&str; 3] = ["member", "key", "value"];

/// Folds the (flattened) mixins of `id` into it, then the traits applied to its members.
fn flatten(
    shapes: &mut BTreeMap<String, Value>,
    id: &str,
    applies: &MemberApplies,
    done: &mut BTreeSet<String>,
    visiting: &mut BTreeSet<String>,
) {
    if done.contains(id) || !visiting.insert(id.to_owned()) {
        return;
    }
    let mixins: Vec<String> = shapes
        .get(id)
        .and_then(|s| s.get("mixins"))
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(|t| t["target"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    for mixin in &mixins {
        flatten(shapes, mixin, applies, done, visiting);
    }
    let mut members = Map::new();
    let mut fields = Map::new();
    let mut traits = Map::new();
    for mixin in &mixins {
        let Some(mixin) = shapes.get(mixin) else { continue };
        let local: Vec<&str> = mixin["traits"]["smithy.api#mixin"]["localTraits"]
            .as_array()
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (trait_id, value) in mixin.get("traits").and_then(Value::as_object).into_iter().flatten() {
            if trait_id != "smithy.api#mixin" && !local.contains(&trait_id.as_str()) {
                traits.insert(trait_id.clone(), value.clone());
            }
        }
        for (name, member) in mixin.get("members").and_then(Value::as_object).into_iter().flatten() {
            members.insert(name.clone(), member.clone());
        }
        for (key, value) in mixin.as_object().into_iter().flatten() {
            if matches!(key.as_str(), "type" | "traits" | "members" | "mixins") {
                continue;
            }
            match (fields.get_mut(key), value) {
                (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.iter().cloned()),
                (Some(Value::Object(entries)), Value::Object(more)) if !MEMBER_FIELDS.contains(&key.as_str()) => {
                    entries.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())))
                }
                _ => {
                    fields.insert(key.clone(), value.clone());
                }
            }
        }
    }
    let Some(shape) = shapes.get_mut(id) else { return };
    if !mixins.is_empty() {
        let own = shape.as_object().cloned().unwrap_or_default();
        for (name, local) in own.get("members").and_then(Value::as_object).into_iter().flatten() {
            merge_member(&mut members, name, local);
        }
        for (key, value) in &own {
            if matches!(key.as_str(), "type" | "traits" | "members" | "mixins") {
                continue;
            }
            match (fields.get_mut(key), value) {
                (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.iter().cloned()),
                (Some(inherited), local) if MEMBER_FIELDS.contains(&key.as_str()) => {
                    let mut merged = Map::new();
                    merged.insert(key.clone(), inherited.clone());
                    merge_member(&mut merged, key, local);
                    *inherited = merged.remove(key).unwrap_or_default();
                }
                (Some(Value::Object(entries)), Value::Object(more)) => {
                    entries.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())))
                }
                _ => {
                    fields.insert(key.clone(), value.clone());
                }
            }
        }
        for (trait_id, value) in own.get("traits").and_then(Value::as_object).into_iter().flatten() {
            traits.insert(trait_id.clone(), value.clone());
        }
        if let Some(object) = shape.as_object_mut() {
            object.extend(fields);
            if !members.is_empty() || object.contains_key("members") {
                object.insert("members".to_owned(), Value::Object(members));
            }
            object.insert("traits".to_owned(), Value::Object(traits));
        }
    }
    for (member, traits) in applies.get(id).into_iter().flatten() {
        let holder = if MEMBER_FIELDS.contains(&member.as_str()) && shape.get(member).is_some() {
            shape.get_mut(member)
        } else {
            shape.get_mut("members").and_then(|m| m.get_mut(member))
        };
        if let Some(holder) = holder {
            add_traits(holder, traits);
        }
    }
    visiting.remove(id);
    done.insert(id.to_owned());
}

/// A local member over an inherited one: its target, the inherited traits then its own.
fn merge_member(members: &mut Map<String, Value>, name: &str, local: &Value) {
    match members.get_mut(name) {
        Some(inherited) => {
            if let Some(target) = local.get("target") {
                inherited["target"] = target.clone();
            }
            let own = local.get("traits").and_then(Value::as_object).cloned().unwrap_or_default();
            traits_of(inherited).extend(own);
        }
        None => {
            members.insert(name.to_owned(), local.clone());
        }
    }
}

/// Makes Smithy's defaults explicit and orders what compares as a set.
fn normalize(_id: &str, shape: &mut Value) {
    let kind = shape["type"].as_str().unwrap_or_default().to_owned();
    let Some(object) = shape.as_object_mut() else { return };
    if matches!(kind.as_str(), "structure" | "union" | "enum" | "intEnum") {
        object.entry("members").or_insert_with(|| Value::Object(Map::new()));
    }
    if kind == "operation" {
        for key in ["input", "output"] {
            object.entry(key).or_insert_with(|| serde_json::json!({ "target": "smithy.api#Unit" }));
        }
    }
    for key in ["errors", "operations", "resources", "collectionOperations"] {
        if let Some(Value::Array(items)) = object.get_mut(key) {
            items.sort_by_key(ToString::to_string);
            items.dedup();
            if items.is_empty() {
                object.remove(key);
            }
        }
    }
    for (name, member) in object.get_mut("members").and_then(Value::as_object_mut).into_iter().flatten() {
        if kind == "enum" {
            traits_of(member).entry("smithy.api#enumValue").or_insert_with(|| Value::String(name.clone()));
        }
        if member.get("traits").and_then(Value::as_object).is_some_and(Map::is_empty) {
            member.as_object_mut().map(|m| m.remove("traits"));
        }
    }
    for key in MEMBER_FIELDS {
        if let Some(member) = object.get_mut(key) {
            if member.get("traits").and_then(Value::as_object).is_some_and(Map::is_empty) {
                member.as_object_mut().map(|m| m.remove("traits"));
            }
        }
    }
    if object.get("traits").and_then(Value::as_object).is_some_and(Map::is_empty) {
        object.remove("traits");
    }
}
