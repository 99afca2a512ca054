//! Lists and maps that contain themselves with no structure or union in between.

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Kind, Model};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Lists and maps that contain themselves with no structure or union in between: Smithy
/// forbids them and Rust cannot write their type (`Vec<Vec<...>>` without end). Each cycle is
/// reported once, at its first shape.
pub(super) fn collection_cycles(model: &Model, diags: &mut Diagnostics) {
    let collection = |id: &str| model.get(id).is_some_and(|s| matches!(s.kind, Kind::List(_) | Kind::Map { .. }));
    let inner = |id: &str| -> Vec<&str> {
        let targets = model.get(id).map(|s| s.kind.members()).unwrap_or_default();
        targets.into_iter().map(|m| m.target.as_str()).filter(|target| collection(target)).collect()
    };
    let nodes: Vec<&str> = model.shapes.keys().map(String::as_str).filter(|id| collection(id)).collect();
    let component = crate::graph::shape_components(&nodes, inner);
    let mut reported = BTreeSet::new();
    for id in &nodes {
        let Some(&own) = component.get(id) else { continue };
        let same = |other: &str| component.get(other) == Some(&own);
        if !inner(id).into_iter().any(same) || !reported.insert(own) {
            continue;
        }
        let path = cycle_from(id, |node| inner(node).into_iter().filter(|t| same(t)).collect());
        let Some(shape) = model.get(id) else { continue };
        let message = format!(
            "{} that contains itself with no structure or union in between ({}); Smithy allows \
             recursion only through structures and unions",
            shape.kind.described(),
            path.join(" -> ")
        );
        diags.error(&Location::shape(&shape.file, *id), message);
    }
}

/// The shortest path from `start` back to itself (breadth first), `start` at both ends.
fn cycle_from<'a>(start: &'a str, successors: impl Fn(&'a str) -> Vec<&'a str>) -> Vec<&'a str> {
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for next in successors(node) {
            if next == start {
                let mut path = vec![node];
                while let Some(&previous) = path.last().and_then(|last| parent.get(last)) {
                    path.push(previous);
                }
                path.reverse();
                path.push(start);
                return path;
            }
            if !parent.contains_key(next) {
                parent.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    vec![start]
}
