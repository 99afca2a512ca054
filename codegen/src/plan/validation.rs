//! Which shapes get a `Validate` impl: those whose values can break a constraint somewhere
//! inside.

use crate::ir::{Kind, Member, Model, Traits};
use crate::plan::members::effective_traits;
use std::collections::BTreeSet;

/// Shapes of `closure` whose values can break a constraint somewhere inside (a fixed point, so
/// recursive shapes terminate).
pub(super) fn shapes_needing_validation(model: &Model, closure: &BTreeSet<String>) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    loop {
        let before = set.len();
        for id in closure {
            if !set.contains(id) && shape_needs(model, id, &set) {
                set.insert(id.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn shape_needs(model: &Model, id: &str, known: &BTreeSet<String>) -> bool {
    let Some(shape) = model.get(id) else { return false };
    match &shape.kind {
        Kind::Structure(members) | Kind::Union(members) => members.iter().any(|m| member_needs(model, m, known)),
        Kind::List(member) => has_constraints(&shape.traits) || member_needs(model, member, known),
        Kind::Map { key, value } => {
            has_constraints(&shape.traits) || member_needs(model, key, known) || member_needs(model, value, known)
        }
        _ => has_constraints(&shape.traits),
    }
}

fn member_needs(model: &Model, member: &Member, known: &BTreeSet<String>) -> bool {
    let traits = effective_traits(model, member);
    has_constraints(&traits) || (traits.required && traits.client_optional) || known.contains(&member.target)
}

fn has_constraints(traits: &Traits) -> bool {
    traits.length.is_some() || traits.pattern.is_some() || traits.range.is_some() || traits.unique_items
}
