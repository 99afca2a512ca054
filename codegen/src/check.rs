//! The check stage: every problem with the planned crate, collected before anything is
//! emitted, so emitters can assume a model they can express. Each diagnostic names the file and
//! shape (and member) it is about.
//!
//! Errors: an operation selection naming no operation, a service whose protocols the generator
//! does not support, a restJson1 operation without `@http`, a shape or member the plan cannot
//! represent, two items that would get the same Rust name. Warnings: operations left out
//! of the crate (event streams today).

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Kind, Model, Protocol};
use crate::naming;
use crate::plan::{Placement, Selection, ServicePlan};
use std::collections::BTreeMap;

/// Protocol traits of AWS services that the generator knows of but cannot generate clients for.
const UNSUPPORTED_PROTOCOLS: &[&str] =
    &["aws.protocols#restXml", "aws.protocols#awsQuery", "aws.protocols#ec2Query", "smithy.protocols#rpcv2Cbor"];

/// Reports every problem of `plans`, planned from `model` with `selection`.
pub fn check(model: &Model, plans: &[ServicePlan], selection: Selection<'_>, diags: &mut Diagnostics) {
    selected_operations_exist(model, selection, diags);
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
        collisions(model, plan, diags);
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

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
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

/// Reports two shapes (or members, or enum values) that would get the same Rust name.
fn collisions(model: &Model, plan: &ServicePlan, diags: &mut Diagnostics) {
    let mut items: BTreeMap<(String, String), String> = BTreeMap::new();
    // Returns whether the name was free (so derived names are only checked for free names).
    let mut claim = |module: String, name: String, id: &str, diags: &mut Diagnostics| -> bool {
        match items.get(&(module.clone(), name.clone())) {
            Some(other) if other == id => true,
            Some(other) => {
                let file = model.get(id).map_or("", |s| s.file.as_str());
                diags.error(
                    &Location::shape(file, id),
                    format!("Rust name `{name}` in module `{module}` is also the name of `{other}`; add a `rename` to the service"),
                );
                false
            }
            None => {
                items.insert((module, name), id.to_owned());
                true
            }
        }
    };
    for op in &plan.operations {
        claim("operation".into(), op.module.clone(), &op.id, diags);
        let base = naming::type_name(&op.name);
        for suffix in ["Error", "FluentBuilder"] {
            claim(format!("operation::{}", op.module), format!("{base}{suffix}"), &op.id, diags);
        }
    }
    for (id, named) in &plan.types {
        let module = match &named.placement {
            Placement::Types => "types".to_owned(),
            Placement::Error => "types::error".to_owned(),
            Placement::Operation(op) => format!("operation::{op}"),
        };
        let free = claim(module.clone(), named.name.clone(), id, diags);
        if free && model.get(id).is_some_and(|s| matches!(s.kind, Kind::Structure(_))) {
            claim(format!("{module}::builders"), naming::builder_name(&named.name), id, diags);
        }
    }
    for id in plan.types.keys() {
        let Some(shape) = model.get(id) else { continue };
        let names: Vec<(String, String)> = match &shape.kind {
            Kind::Structure(members) | Kind::Union(members) => {
                let union = matches!(shape.kind, Kind::Union(_));
                members
                    .iter()
                    .map(|m| {
                        let rust =
                            if union { naming::enum_variant_name(&m.name) } else { naming::member_name(&m.name) };
                        (m.name.clone(), rust)
                    })
                    .collect()
            }
            Kind::Enum(values) => values.iter().map(|v| (v.name.clone(), naming::enum_variant_name(&v.name))).collect(),
            Kind::IntEnum(values) => {
                values.iter().map(|v| (v.name.clone(), naming::enum_variant_name(&v.name))).collect()
            }
            _ => Vec::new(),
        };
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (model_name, rust) in &names {
            if let Some(other) = seen.insert(rust, model_name) {
                diags.error(
                    &Location::shape(&shape.file, id).member(model_name),
                    format!("Rust name `{rust}` is also the name of member `{other}`"),
                );
            }
        }
    }
}
