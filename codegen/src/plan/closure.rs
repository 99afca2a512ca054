//! The operations and shapes a service needs: selected operations and the resources that
//! bind them, the closure of shapes they reach, and the members that must be boxed.

use crate::ir::{Kind, Model, Shape, Simple};
use std::collections::BTreeSet;

/// The operations bound to a service: directly, or through its resources and theirs. A
/// resource bound more than once (even to itself) is visited once.
pub(super) fn collect_operations(model: &Model, service: &crate::ir::Service) -> BTreeSet<String> {
    let mut operations: BTreeSet<String> = service.operations.iter().cloned().collect();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = service.resources.iter().map(String::as_str).collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(Shape { kind: Kind::Resource(resource), .. }) = model.get(id) {
            operations.extend(resource.operations.iter().cloned());
            stack.extend(resource.resources.iter().map(String::as_str));
        }
    }
    operations
}

/// The targets of a shape's members (for aggregates), in member order.
pub fn member_targets<'m>(model: &'m Model, id: &str) -> Vec<&'m str> {
    model.get(id).map(|s| s.kind.members()).unwrap_or_default().into_iter().map(|m| m.target.as_str()).collect()
}

pub(super) fn walk(model: &Model, id: &str, closure: &mut BTreeSet<String>) {
    let mut stack = vec![id.to_owned()];
    while let Some(id) = stack.pop() {
        if id == "smithy.api#Unit" || !closure.insert(id.clone()) {
            continue;
        }
        stack.extend(member_targets(model, &id).into_iter().map(str::to_owned));
    }
}

/// Members whose target can contain the member's own structure without a list or map in
/// between: those need a `Box`. Such a member and its structure are in the same strongly
/// connected component of the graph of structure and union members.
pub(super) fn recursive_members(model: &Model, closure: &BTreeSet<String>) -> BTreeSet<(String, String)> {
    let aggregate = |id: &str| model.get(id).is_some_and(|s| matches!(s.kind, Kind::Structure(_) | Kind::Union(_)));
    let direct = |id: &str| -> Vec<&crate::ir::Member> {
        match model.get(id).map(|s| &s.kind) {
            Some(Kind::Structure(members) | Kind::Union(members)) => {
                members.iter().filter(|m| aggregate(&m.target)).collect()
            }
            _ => Vec::new(),
        }
    };
    let nodes: Vec<&str> = closure.iter().map(String::as_str).filter(|id| aggregate(id)).collect();
    let component = crate::graph::shape_components(&nodes, |id| direct(id).iter().map(|m| m.target.as_str()).collect());
    let mut boxed = BTreeSet::new();
    for id in &nodes {
        for member in direct(id) {
            if component.get(member.target.as_str()).is_some_and(|c| component.get(id) == Some(c)) {
                boxed.insert(((*id).to_owned(), member.name.clone()));
            }
        }
    }
    boxed
}

/// Whether a shape is a simple type of the given kind.
pub fn is_simple(model: &Model, id: &str, simple: Simple) -> bool {
    model.get(id).is_some_and(|s| matches!(s.kind, Kind::Simple(k) if k == simple))
}
