//! Reads model files and merges them into one set of shapes: several files (Smithy JSON AST
//! `.json`, or the Smithy IDL, `.smithy`), the prelude, `apply` entries and mixins.

pub mod idl;
mod json;

use crate::ast::{self, Member, Shape, Target, Traits};
use crate::diagnostics::{Diagnostics, Location};
use crate::prelude;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A shape together with the file that defined it.
#[derive(Debug, Clone)]
pub struct Sourced {
    /// The model file, as given.
    pub file: String,
    /// The shape, with mixins applied.
    pub shape: Shape,
}

/// Every shape of the loaded model files (plus the prelude), keyed by absolute shape ID.
#[derive(Debug, Default)]
pub struct Merged {
    /// Shape ID -> shape.
    pub shapes: BTreeMap<String, Sourced>,
}

/// Reads and parses each file; unreadable or malformed files and shapes become diagnostics.
/// IDL files are resolved together with all the others, so their relative shape IDs may
/// refer to shapes of any file.
pub fn read_files(paths: &[impl AsRef<Path>], diags: &mut Diagnostics) -> Vec<(String, ast::ModelFile)> {
    let mut texts = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Err(err) => diags.error(&Location::file(&name), format!("cannot read model file: {err}")),
            Ok(text) => texts.push((name, text)),
        }
    }
    parse_texts(&texts, diags)
}

/// Parses model files loaded together, `(file name, text)`: `.smithy` files as the IDL,
/// the others as the JSON AST. Files that are not models are reported and left out.
pub fn parse_texts(texts: &[(String, String)], diags: &mut Diagnostics) -> Vec<(String, ast::ModelFile)> {
    enum Parsed {
        Json(Value),
        Idl(usize),
    }
    let mut parsed = Vec::new();
    let mut documents = Vec::new();
    for (name, text) in texts {
        if idl::is_idl(name) {
            match idl::parse(name, text) {
                Ok(document) => {
                    parsed.push((name, Parsed::Idl(documents.len())));
                    documents.push(document);
                }
                Err(err) => report_idl(diags, &err),
            }
        } else if let Some(value) = json::parse_json(name, text, diags) {
            parsed.push((name, Parsed::Json(value)));
        }
    }
    let others: Vec<&Value> =
        parsed.iter().filter_map(|(_, p)| if let Parsed::Json(v) = p { Some(v) } else { None }).collect();
    let mut translated: Vec<Option<Value>> = idl::to_json_ast(&documents, &others)
        .into_iter()
        .map(|result| match result {
            Ok(value) => Some(value),
            Err(errors) => {
                errors.iter().for_each(|err| report_idl(diags, err));
                None
            }
        })
        .collect();
    let mut files = Vec::new();
    for (name, parsed) in parsed {
        let value = match parsed {
            Parsed::Json(value) => Some(value),
            Parsed::Idl(i) => translated.get_mut(i).and_then(Option::take),
        };
        if let Some(model) = value.and_then(|value| json::model_value(name, value, diags)) {
            files.push((name.clone(), model));
        }
    }
    files
}

/// An IDL error as a diagnostic: `file:line:column: message`.
fn report_idl(diags: &mut Diagnostics, err: &idl::Error) {
    diags.error(&Location::file(format!("{}:{}:{}", err.file, err.line, err.column)), err.message.clone());
}

/// Parses the text of model file `file` on its own (`.smithy`: the IDL, otherwise the JSON
/// AST). `None` when it is not a model at all; shapes of the wrong form are reported (at their
/// shape ID and member) and left out.
pub fn parse_file(file: &str, text: &str, diags: &mut Diagnostics) -> Option<ast::ModelFile> {
    parse_texts(&[(file.to_owned(), text.to_owned())], diags).pop().map(|(_, model)| model)
}

/// Merges parsed files with the prelude, then applies `apply` entries and mixins.
pub fn merge(files: Vec<(String, ast::ModelFile)>, diags: &mut Diagnostics) -> Merged {
    let mut merged = Merged::default();
    for (id, shape) in prelude::shapes() {
        merged.shapes.insert(id, Sourced { file: prelude::PRELUDE_FILE.to_owned(), shape });
    }
    let mut applies: Vec<(String, String, Traits)> = Vec::new();
    for (file, model) in files {
        for (id, shape) in model.shapes {
            if !id.contains('#') {
                diags.error(&Location::shape(&file, &id), "shape ID is not absolute (expected `namespace#Name`)");
                continue;
            }
            if shape.kind == "apply" {
                applies.push((file.clone(), id, shape.traits));
                continue;
            }
            insert_shape(&mut merged, file.clone(), id, shape, diags);
        }
    }
    // Traits applied to a member a shape inherits from a mixin land as the shape is flattened,
    // over the inherited values, before shapes that mix it in in turn inherit them.
    let mut deferred = Deferred::new();
    for (file, id, traits) in apply_traits(&mut merged, applies, diags) {
        let root = id.split_once('$').map_or(id.as_str(), |(root, _)| root).to_owned();
        deferred.entry(root).or_default().push((file, id, traits));
    }
    apply_mixins(&mut merged, &mut deferred, diags);
    let deferred = deferred.into_values().flatten().collect();
    for (file, id, _) in apply_traits(&mut merged, deferred, diags) {
        diags.error(&Location::shape(&file, &id), "`apply` targets a shape or member that does not exist");
    }
    merged
}

fn insert_shape(merged: &mut Merged, file: String, id: String, shape: Shape, diags: &mut Diagnostics) {
    match merged.shapes.get(&id) {
        None => {
            merged.shapes.insert(id, Sourced { file, shape });
        }
        // Smithy lets several files define the very same shape.
        Some(existing) if existing.shape == shape => {}
        Some(existing) => {
            let message = format!("conflicting definitions of this shape (also defined in {})", existing.file);
            diags.error(&Location::shape(&file, &id), message);
        }
    }
}

/// Applies what it can; returns the entries whose target does not exist yet (a mixin may add it).
fn apply_traits(
    merged: &mut Merged,
    applies: Vec<(String, String, Traits)>,
    diags: &mut Diagnostics,
) -> Vec<(String, String, Traits)> {
    let mut deferred = Vec::new();
    for (file, id, traits) in applies {
        let (shape_id, member) = match id.split_once('$') {
            Some((shape, member)) => (shape.to_owned(), Some(member.to_owned())),
            None => (id.clone(), None),
        };
        let target = merged.shapes.get_mut(&shape_id).and_then(|sourced| match &member {
            None => Some(&mut sourced.shape.traits),
            Some(name) => member_mut(&mut sourced.shape, name).map(|m| &mut m.traits),
        });
        match target {
            None => deferred.push((file, id, traits)),
            Some(existing) => {
                let at = Location { file: file.clone(), shape: Some(shape_id.clone()), member };
                for (trait_id, value) in traits {
                    merge_trait(existing, trait_id, value, &at, diags);
                }
            }
        }
    }
    deferred
}

fn member_mut<'a>(shape: &'a mut Shape, name: &str) -> Option<&'a mut Member> {
    match name {
        "member" if shape.member.is_some() => shape.member.as_mut(),
        "key" if shape.key.is_some() => shape.key.as_mut(),
        "value" if shape.value.is_some() => shape.value.as_mut(),
        _ => shape.members.get_mut(name),
    }
}

/// Adds a trait; list values are concatenated, equal values are fine, anything else conflicts.
fn merge_trait(traits: &mut Traits, id: String, value: Value, at: &Location, diags: &mut Diagnostics) {
    match traits.get_mut(&id) {
        None => {
            traits.insert(id, value);
        }
        Some(existing) if *existing == value => {}
        Some(Value::Array(existing)) if value.is_array() => {
            if let Value::Array(more) = value {
                existing.extend(more);
            }
        }
        Some(_) => diags.error(at, format!("conflicting values for trait `{id}`")),
    }
}

/// `apply` entries whose target did not exist before mixins were applied, by root shape ID.
type Deferred = BTreeMap<String, Vec<(String, String, Traits)>>;

fn apply_mixins(merged: &mut Merged, deferred: &mut Deferred, diags: &mut Diagnostics) {
    let with_mixins: Vec<String> =
        merged.shapes.iter().filter(|(_, s)| !s.shape.mixins.is_empty()).map(|(id, _)| id.clone()).collect();
    let mut done = BTreeSet::new();
    for id in with_mixins {
        resolve_mixins(merged, &id, &mut done, deferred, diags);
    }
}

/// A shape whose mixins are being resolved: the mixins still to visit come after `next`.
struct Pending {
    id: String,
    mixins: Vec<String>,
    next: usize,
}

/// Flattens the mixins of `id`, a mixin's own mixins before it. Depth first with an explicit
/// stack: a model may chain thousands of mixins.
fn resolve_mixins(
    merged: &mut Merged,
    id: &str,
    done: &mut BTreeSet<String>,
    deferred: &mut Deferred,
    diags: &mut Diagnostics,
) {
    let pending = |merged: &Merged, id: &str| {
        let mixins = merged.shapes.get(id)?.shape.mixins.iter().map(|m| m.target.clone()).collect();
        Some(Pending { id: id.to_owned(), mixins, next: 0 })
    };
    if done.contains(id) {
        return;
    }
    let Some(root) = pending(merged, id) else { return };
    let mut stack = vec![root];
    let mut on_stack: BTreeSet<String> = BTreeSet::from([id.to_owned()]);
    while let Some(top) = stack.last_mut() {
        let Some(mixin_id) = top.mixins.get(top.next).cloned() else {
            let finished = stack.pop().map(|p| p.id).unwrap_or_default();
            on_stack.remove(&finished);
            flatten(merged, &finished, diags);
            apply_inherited(merged, &finished, deferred);
            done.insert(finished);
            continue;
        };
        top.next += 1;
        if done.contains(&mixin_id) {
            continue;
        }
        if on_stack.contains(&mixin_id) {
            let path: Vec<&str> = stack.iter().map(|p| p.id.as_str()).collect();
            let file = merged.shapes.get(&mixin_id).map(|s| s.file.clone()).unwrap_or_default();
            let message = format!("mixin cycle: {} -> {mixin_id}", path.join(" -> "));
            diags.error(&Location::shape(file, &mixin_id), message);
            continue;
        }
        if let Some(next) = pending(merged, &mixin_id) {
            on_stack.insert(mixin_id);
            stack.push(next);
        }
    }
}

/// Folds the (already flattened) mixins of `id` into it: their members first, then its own
/// (whose traits override the inherited member's); their traits except `localTraits`, then its
/// own; their bound operations, resources and errors before its own; the other properties
/// (service version, lifecycle operations, ...) where it has none.
fn flatten(merged: &mut Merged, id: &str, diags: &mut Diagnostics) {
    let Some(sourced) = merged.shapes.get(id) else { return };
    let file = sourced.file.clone();
    let mixins: Vec<String> = sourced.shape.mixins.iter().map(|m| m.target.clone()).collect();
    let mut inherited = Shape::default();
    for mixin_id in &mixins {
        let Some(mixin) = merged.shapes.get(mixin_id) else {
            diags.error(&Location::shape(&file, id), format!("mixin `{mixin_id}` does not exist"));
            continue;
        };
        let mixin = &mixin.shape;
        if !mixin.traits.contains_key("smithy.api#mixin") {
            diags.error(
                &Location::shape(&file, id),
                format!("`{mixin_id}` is used as a mixin but lacks the `smithy.api#mixin` trait"),
            );
        }
        let local: Vec<String> = mixin
            .traits
            .get("smithy.api#mixin")
            .and_then(|m| m.get("localTraits"))
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        for (trait_id, value) in &mixin.traits {
            if trait_id != "smithy.api#mixin" && !local.contains(trait_id) {
                inherited.traits.insert(trait_id.clone(), value.clone());
            }
        }
        for (name, member) in &mixin.members {
            inherited.members.insert(name.clone(), member.clone());
        }
        for (slot, member) in [
            (&mut inherited.member, &mixin.member),
            (&mut inherited.key, &mixin.key),
            (&mut inherited.value, &mixin.value),
        ] {
            if member.is_some() {
                slot.clone_from(member);
            }
        }
        fold_properties(&mut inherited, mixin);
    }
    let Some(sourced) = merged.shapes.get_mut(id) else { return };
    let mut shape = std::mem::take(&mut sourced.shape);
    let mut members = std::mem::take(&mut inherited.members);
    for (name, local) in std::mem::take(&mut shape.members) {
        match members.get_mut(&name) {
            Some(member) => override_member(member, local),
            None => {
                members.insert(name, local);
            }
        }
    }
    shape.members = members;
    for (slot, inherited) in [
        (&mut shape.member, inherited.member.take()),
        (&mut shape.key, inherited.key.take()),
        (&mut shape.value, inherited.value.take()),
    ] {
        if let Some(mut member) = inherited {
            if let Some(local) = slot.take() {
                override_member(&mut member, local);
            }
            *slot = Some(member);
        }
    }
    fold_properties(&mut shape, &inherited);
    let mut traits = std::mem::take(&mut inherited.traits);
    traits.extend(std::mem::take(&mut shape.traits));
    shape.traits = traits;
    shape.mixins.clear();
    sourced.shape = shape;
}

/// A member redefined over an inherited one: its own target, the inherited traits then its own.
fn override_member(inherited: &mut Member, local: Member) {
    inherited.target = local.target;
    inherited.traits.extend(local.traits);
}

/// Adds the bindings and properties a shape inherits from `from` to `into`: lists of targets
/// are joined without repeats, the rest is set where `into` has none.
fn fold_properties(into: &mut Shape, from: &Shape) {
    fn join(into: &mut Vec<Target>, from: &[Target]) {
        for target in from {
            if !into.contains(target) {
                into.push(target.clone());
            }
        }
    }
    fn fill<T: Clone>(into: &mut Option<T>, from: &Option<T>) {
        if into.is_none() {
            into.clone_from(from);
        }
    }
    join(&mut into.errors, &from.errors);
    join(&mut into.operations, &from.operations);
    join(&mut into.collection_operations, &from.collection_operations);
    join(&mut into.resources, &from.resources);
    for (id, name) in &from.rename {
        into.rename.insert(id.clone(), name.clone());
    }
    for (slot, value) in [
        (&mut into.input, &from.input),
        (&mut into.output, &from.output),
        (&mut into.create, &from.create),
        (&mut into.put, &from.put),
        (&mut into.read, &from.read),
        (&mut into.update, &from.update),
        (&mut into.delete, &from.delete),
        (&mut into.list, &from.list),
    ] {
        fill(slot, value);
    }
    fill(&mut into.version, &from.version);
}

/// Applies the deferred `apply` entries of `id`'s members now that it has its inherited
/// members: their values replace inherited ones. Entries whose member still does not exist
/// stay deferred (and are reported at the end).
fn apply_inherited(merged: &mut Merged, id: &str, deferred: &mut Deferred) {
    let Some(entries) = deferred.remove(id) else { return };
    let Some(sourced) = merged.shapes.get_mut(id) else {
        deferred.insert(id.to_owned(), entries);
        return;
    };
    let mut left = Vec::new();
    for (file, target, traits) in entries {
        let member = target.split_once('$').map(|(_, member)| member);
        match member.and_then(|name| member_mut(&mut sourced.shape, name)) {
            Some(member) => member.traits.extend(traits),
            None => left.push((file, target, traits)),
        }
    }
    if !left.is_empty() {
        deferred.insert(id.to_owned(), left);
    }
}
