//! Reads model files and merges them into one set of shapes: several files, the prelude,
//! `apply` entries and mixins.

mod json;

use crate::ast::{self, Member, Shape, Traits};
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
pub fn read_files(paths: &[impl AsRef<Path>], diags: &mut Diagnostics) -> Vec<(String, ast::ModelFile)> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Err(err) => diags.error(&Location::file(&name), format!("cannot read model file: {err}")),
            Ok(text) => files.extend(parse_file(&name, &text, diags).map(|model| (name, model))),
        }
    }
    files
}

/// Parses the text of model file `file`. `None` when it is not a Smithy JSON AST model at all;
/// shapes of the wrong form are reported (at their shape ID and member) and left out.
pub fn parse_file(file: &str, text: &str, diags: &mut Diagnostics) -> Option<ast::ModelFile> {
    json::model_file(file, text, diags)
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
    let deferred = apply_traits(&mut merged, applies, diags);
    apply_mixins(&mut merged, diags);
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

fn apply_mixins(merged: &mut Merged, diags: &mut Diagnostics) {
    let with_mixins: Vec<String> =
        merged.shapes.iter().filter(|(_, s)| !s.shape.mixins.is_empty()).map(|(id, _)| id.clone()).collect();
    let mut done = BTreeSet::new();
    for id in with_mixins {
        resolve_mixins(merged, &id, &mut done, diags);
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
fn resolve_mixins(merged: &mut Merged, id: &str, done: &mut BTreeSet<String>, diags: &mut Diagnostics) {
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
/// own.
fn flatten(merged: &mut Merged, id: &str, diags: &mut Diagnostics) {
    let Some(sourced) = merged.shapes.get(id) else { return };
    let file = sourced.file.clone();
    let mixins: Vec<String> = sourced.shape.mixins.iter().map(|m| m.target.clone()).collect();
    let mut members: indexmap::IndexMap<String, Member> = indexmap::IndexMap::new();
    let mut traits = Traits::new();
    for mixin_id in &mixins {
        let Some(mixin) = merged.shapes.get(mixin_id) else {
            diags.error(&Location::shape(&file, id), format!("mixin `{mixin_id}` does not exist"));
            continue;
        };
        if !mixin.shape.traits.contains_key("smithy.api#mixin") {
            diags.error(
                &Location::shape(&file, id),
                format!("`{mixin_id}` is used as a mixin but lacks the `smithy.api#mixin` trait"),
            );
        }
        let local: Vec<String> = mixin
            .shape
            .traits
            .get("smithy.api#mixin")
            .and_then(|m| m.get("localTraits"))
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        for (trait_id, value) in &mixin.shape.traits {
            if trait_id != "smithy.api#mixin" && !local.contains(trait_id) {
                traits.insert(trait_id.clone(), value.clone());
            }
        }
        for (name, member) in &mixin.shape.members {
            members.insert(name.clone(), member.clone());
        }
    }
    let Some(sourced) = merged.shapes.get_mut(id) else { return };
    for (name, local) in std::mem::take(&mut sourced.shape.members) {
        match members.get_mut(&name) {
            Some(inherited) => inherited.traits.extend(local.traits),
            None => {
                members.insert(name, local);
            }
        }
    }
    traits.extend(std::mem::take(&mut sourced.shape.traits));
    sourced.shape.members = members;
    sourced.shape.traits = traits;
    sourced.shape.mixins.clear();
}
