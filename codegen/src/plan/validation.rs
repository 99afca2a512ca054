//! Which shapes get a `Validate` impl: those whose values can break a constraint somewhere
//! inside.

use crate::ir::{Kind, Member, Model, Traits};
use crate::plan::members::effective_traits;
use std::collections::{BTreeMap, BTreeSet};

/// Shapes of `closure` whose values can break a constraint somewhere inside: those with a
/// constraint of their own or on a member, then, walking member targets backwards, every shape
/// that contains one of them (each shape once, so recursive shapes terminate).
pub(super) fn shapes_needing_validation(model: &Model, closure: &BTreeSet<String>) -> BTreeSet<String> {
    let mut containers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    // An event stream is not validated as a member: its events are checked as they come.
    let streamed = |id: &str| model.get(id).is_some_and(|s| s.traits.streaming && matches!(s.kind, Kind::Union(_)));
    for id in closure {
        for target in crate::plan::member_targets(model, id) {
            if !streamed(target) {
                containers.entry(target).or_default().push(id);
            }
        }
    }
    let mut set = BTreeSet::new();
    let mut stack: Vec<&str> = closure.iter().map(String::as_str).filter(|id| shape_needs(model, id)).collect();
    while let Some(id) = stack.pop() {
        if set.insert(id.to_owned()) {
            stack.extend(containers.get(id).into_iter().flatten().copied());
        }
    }
    set
}

/// Whether the shape, or one of its members, has a constraint of its own.
fn shape_needs(model: &Model, id: &str) -> bool {
    let Some(shape) = model.get(id) else { return false };
    match &shape.kind {
        Kind::Structure(members) | Kind::Union(members) => members.iter().any(|m| member_needs(model, m)),
        Kind::List(member) => has_constraints(&shape.traits) || member_needs(model, member),
        Kind::Map { key, value } => {
            has_constraints(&shape.traits) || member_needs(model, key) || member_needs(model, value)
        }
        _ => has_constraints(&shape.traits),
    }
}

fn member_needs(model: &Model, member: &Member) -> bool {
    let traits = effective_traits(model, member);
    has_constraints(&traits) || (traits.required && traits.client_optional)
}

fn has_constraints(traits: &Traits) -> bool {
    traits.length.is_some() || traits.pattern.is_some() || traits.range.is_some() || traits.unique_items
}
