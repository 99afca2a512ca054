//! The check stage: every problem with the planned crate, collected before anything is
//! emitted, so emitters can assume a model they can express. Each diagnostic names the file and
//! shape (and member) it is about.
//!
//! Errors: shapes that break a rule of Smithy the generator relies on (`rules`, `defaults`),
//! lists and maps that contain themselves (`cycles`), an operation selection naming no
//! operation, a service whose protocols the generator does not support, a restJson1 operation
//! without `@http`, a shape or member the plan cannot represent, two items that would get the
//! same Rust name (`collisions`), an endpoint rule set that does not type-check or parameters
//! bound to it that it does not declare with their type (`endpoints`), a waiter whose acceptors
//! or paths cannot be compiled. Warnings: operations left out of the crate (none of the AWS
//! corpus today).

mod collisions;
mod cycles;
mod defaults;
mod endpoints;
mod rules;

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Kind, Model, Protocol};
use crate::plan::{Selection, ServicePlan};
use std::collections::BTreeMap;

/// Protocol traits of AWS services that the generator knows of but cannot generate clients for.
const UNSUPPORTED_PROTOCOLS: &[&str] =
    &["aws.protocols#restXml", "aws.protocols#awsQuery", "aws.protocols#ec2Query", "smithy.protocols#rpcv2Cbor"];

/// Reports every problem of `plans`, planned from `model` with `selection`.
pub fn check(model: &Model, plans: &[ServicePlan], selection: Selection<'_>, diags: &mut Diagnostics) {
    selected_operations_exist(model, selection, diags);
    rules::rules(model, diags);
    cycles::collection_cycles(model, diags);
    let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
    for plan in plans {
        let file = model.get(&plan.id).map_or("", |s| s.file.as_str());
        let at = Location::shape(file, &plan.id);
        if let Some(other) = modules.insert(&plan.module, &plan.id) {
            diags.error(&at, format!("service module name `{}` collides with service `{other}`", plan.module));
        }
        if plan.protocol.is_none() && !plan.operations.is_empty() {
            diags.error(&at, unsupported_protocol(model, &plan.id));
        }
        if plan.protocol == Some(Protocol::RestJson1) {
            for op in &plan.operations {
                let shape = model.get(&op.id);
                if shape.is_some_and(|s| s.traits.http.is_none()) {
                    let file = shape.map_or(file, |s| s.file.as_str());
                    diags.error(&Location::shape(file, &op.id), "restJson1 operation without an `@http` trait");
                }
            }
        }
        for op in &plan.omitted {
            let file = model.get(&op.id).map_or(file, |s| s.file.as_str());
            diags.warning(&Location::shape(file, &op.id), format!("operation left out of the crate: {}", op.reason));
        }
        for problem in &plan.problems {
            let file = model.get(&problem.shape).map_or(file, |s| s.file.as_str());
            let at = Location::shape(file, &problem.shape);
            let at = match &problem.member {
                Some(member) => at.member(member),
                None => at,
            };
            diags.error(&at, problem.message.clone());
        }
        collisions::collisions(model, plan, diags);
        endpoints::endpoints(model, plan, diags);
    }
}

/// Why a service cannot get a client: the protocols it has, and those the generator supports.
fn unsupported_protocol(model: &Model, service: &str) -> String {
    let traits = model.get(service).map(|s| &s.traits);
    let found: Vec<&str> = UNSUPPORTED_PROTOCOLS
        .iter()
        .copied()
        .filter(|id| traits.is_some_and(|t| t.other.contains_key(*id)))
        .map(|id| id.split_once('#').map_or(id, |(_, name)| name))
        .collect();
    let supported = Protocol::ALL.iter().map(|p| p.trait_name()).collect::<Vec<_>>().join(", ");
    if found.is_empty() {
        format!("the service has no protocol trait; the generator supports {supported}")
    } else {
        format!("the service's protocol ({}) is not supported; the generator supports {supported}", found.join(", "))
    }
}

/// Every name of an operation selection must match an operation of the model.
fn selected_operations_exist(model: &Model, selection: Selection<'_>, diags: &mut Diagnostics) {
    let Selection::Only(names) = selection else { return };
    let operations: Vec<(&str, &str)> = model
        .shapes
        .values()
        .filter(|s| matches!(s.kind, Kind::Operation(_)))
        .map(|s| (s.id.as_str(), s.name()))
        .collect();
    for wanted in names {
        if operations.iter().any(|(id, name)| id == wanted || name == wanted) {
            continue;
        }
        let mut close: Vec<(usize, &str)> = operations
            .iter()
            .map(|(_, name)| (edit_distance(&wanted.to_lowercase(), &name.to_lowercase()), *name))
            .filter(|(distance, _)| *distance <= wanted.len().max(3) / 3)
            .collect();
        close.sort();
        close.truncate(5);
        let hint = if close.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = close.iter().map(|(_, name)| format!("`{name}`")).collect();
            format!("; close matches: {}", names.join(", "))
        };
        let file = model.shapes.values().find(|s| matches!(s.kind, Kind::Service(_))).map_or("", |s| s.file.as_str());
        diags.error(&Location::file(file), format!("no operation named `{wanted}` in the model{hint}"));
    }
}

/// Levenshtein distance, for suggestions (also those of `cargo xtask model`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}
