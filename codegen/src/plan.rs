//! Decides what each service module contains and what every Rust item is called: the selected
//! operations, the closure of shapes a service needs, where each type lives and which members
//! are boxed. Problems with the result are the `check` stage's to report.

use crate::ir::{Kind, Model, Protocol, Service, Shape, Simple};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// Where a generated type lives inside its service module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `types`
    Types,
    /// `types::error`
    Error,
    /// `operation::<module>` (operation inputs and outputs used nowhere else).
    Operation(String),
}

/// A named Rust type for a shape.
#[derive(Debug, Clone)]
pub struct Named {
    /// The Rust type name.
    pub name: String,
    /// Its module.
    pub placement: Placement,
}

/// An operation as emitted.
#[derive(Debug, Clone)]
pub struct OperationPlan {
    /// Operation shape ID.
    pub id: String,
    /// The operation's name in the model (after service renames).
    pub name: String,
    /// Rust module name.
    pub module: String,
    /// Input structure shape ID, `None` for Unit.
    pub input: Option<String>,
    /// Output structure shape ID, `None` for Unit.
    pub output: Option<String>,
    /// Error structures (operation errors, then service errors), sorted by name.
    pub errors: Vec<String>,
}

/// An operation the generator cannot express yet, left out of the crate.
#[derive(Debug, Clone)]
pub struct OmittedOperation {
    /// Operation shape ID.
    pub id: String,
    /// The operation's name in the model (after service renames).
    pub name: String,
    /// Why it was left out.
    pub reason: String,
}

/// Everything the emitters need to know about one service.
#[derive(Debug)]
pub struct ServicePlan {
    /// Service shape ID.
    pub id: String,
    /// Rust module name.
    pub module: String,
    /// Wire protocol, if the generator knows one of the service's protocols.
    pub protocol: Option<Protocol>,
    /// Operations, sorted by module name.
    pub operations: Vec<OperationPlan>,
    /// Every shape ID the service needs.
    pub closure: BTreeSet<String>,
    /// Rust types by shape ID (structures, unions, enums, intEnums).
    pub types: BTreeMap<String, Named>,
    /// `(structure ID, member name)` pairs that must be boxed to break recursion.
    pub boxed: BTreeSet<(String, String)>,
    /// Operations left out of the crate (each also reported as a warning).
    pub omitted: Vec<OmittedOperation>,
}

impl ServicePlan {
    /// Whether the operation's input structure is shared with something else (so it lives in
    /// `types` and the operation module only aliases it).
    pub fn input_is_shared(&self, op: &OperationPlan) -> bool {
        op.input
            .as_deref()
            .and_then(|id| self.types.get(id))
            .is_some_and(|named| named.placement != Placement::Operation(op.module.clone()))
    }

    /// The absolute Rust path of a named shape, e.g. `crate::iot::types::Tag`.
    pub fn type_path(&self, id: &str) -> Option<String> {
        let named = self.types.get(id)?;
        let module = &self.module;
        Some(match &named.placement {
            Placement::Types => format!("crate::{module}::types::{}", named.name),
            Placement::Error => format!("crate::{module}::types::error::{}", named.name),
            Placement::Operation(op) => format!("crate::{module}::operation::{op}::{}", named.name),
        })
    }
}

/// Which operations to generate: all of them, or those named (by model name, like
/// `CreateCustomMetric`, or by shape ID). A service none of whose operations is selected is
/// left out.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Every operation of every service.
    All,
    /// Only the named operations.
    Only(&'a [String]),
}

impl Selection<'_> {
    fn keeps(&self, id: &str, name: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only(names) => names.iter().any(|n| n == name || n == id),
        }
    }
}

/// Plans every service of the model; problems go to `diags`.
pub fn plan(model: &Model, selection: Selection<'_>) -> Vec<ServicePlan> {
    let mut plans: Vec<ServicePlan> = model
        .shapes
        .values()
        .filter_map(|shape| match &shape.kind {
            Kind::Service(svc) => Some((shape, svc)),
            _ => None,
        })
        .map(|(shape, svc)| plan_service(model, shape, svc, selection))
        .filter(|plan| matches!(selection, Selection::All) || !plan.operations.is_empty() || !plan.omitted.is_empty())
        .collect();
    plans.sort_by(|a, b| a.module.cmp(&b.module));
    plans
}

fn plan_service(model: &Model, service: &Shape, svc: &Service, selection: Selection<'_>) -> ServicePlan {
    let module_source = service.traits.sdk_id.clone().unwrap_or_else(|| service.name().to_owned());
    let protocol = service.traits.protocols.first().copied();
    let local_name = |id: &str| svc.rename.get(id).cloned().unwrap_or_else(|| crate::ir::local_name(id).to_owned());

    let mut operation_ids = BTreeSet::new();
    collect_operations(model, &svc.operations, &svc.resources, &mut operation_ids);
    let mut operations = Vec::new();
    let mut omitted = Vec::new();
    for op_id in &operation_ids {
        let Some(Shape { kind: Kind::Operation(op), .. }) = model.get(op_id) else { continue };
        if !selection.keeps(op_id, &local_name(op_id)) {
            continue;
        }
        if let Some(reason) = unsupported(model, op) {
            omitted.push(OmittedOperation { id: op_id.clone(), name: local_name(op_id), reason });
            continue;
        }
        let mut errors: Vec<String> = op.errors.iter().chain(&svc.errors).cloned().collect();
        errors.sort_by_key(|id| local_name(id));
        errors.dedup();
        let name = local_name(op_id);
        operations.push(OperationPlan {
            id: op_id.clone(),
            module: naming::module_name(&name),
            name,
            input: op.input.clone(),
            output: op.output.clone(),
            errors,
        });
    }
    operations.sort_by(|a, b| a.module.cmp(&b.module));

    let mut closure = BTreeSet::new();
    for op in &operations {
        for id in op.input.iter().chain(&op.output).chain(&op.errors) {
            walk(model, id, &mut closure);
        }
    }

    // Operation inputs and outputs live in their operation module unless something else uses them.
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for id in &closure {
        for target in member_targets(model, id) {
            *uses.entry(target).or_default() += 1;
        }
    }
    for op in &operations {
        for id in op.input.iter().chain(&op.output) {
            *uses.entry(id.as_str()).or_default() += 1;
        }
    }
    let mut types = BTreeMap::new();
    for op in &operations {
        let operation_name = naming::type_name(&op.name);
        for (id, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
            if let Some(id) = id {
                if uses.get(id.as_str()) == Some(&1) {
                    let name = format!("{operation_name}{suffix}");
                    types.insert(id.clone(), Named { name, placement: Placement::Operation(op.module.clone()) });
                }
            }
        }
    }
    for id in &closure {
        let Some(shape) = model.get(id) else { continue };
        let named_kind = matches!(shape.kind, Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) | Kind::IntEnum(_));
        if !named_kind || types.contains_key(id) {
            continue;
        }
        let placement = if shape.traits.error.is_some() { Placement::Error } else { Placement::Types };
        types.insert(id.clone(), Named { name: naming::type_name(&local_name(id)), placement });
    }

    let mut plan = ServicePlan {
        id: service.id.clone(),
        module: naming::module_name(&module_source),
        protocol,
        operations,
        closure,
        types,
        boxed: BTreeSet::new(),
        omitted,
    };
    plan.boxed = recursive_members(model, &plan);
    plan
}

/// Why an operation cannot be generated yet, if it cannot.
fn unsupported(model: &Model, op: &crate::ir::Operation) -> Option<String> {
    for (side, id) in [("input", &op.input), ("output", &op.output)] {
        let Some(Shape { kind: Kind::Structure(members), .. }) = id.as_deref().and_then(|id| model.get(id)) else {
            continue;
        };
        for member in members {
            let streaming_union =
                model.get(&member.target).is_some_and(|t| matches!(t.kind, Kind::Union(_)) && t.traits.streaming);
            if streaming_union {
                return Some(format!(
                    "its {side} member `{}` is an event stream, which is not supported yet",
                    member.name
                ));
            }
        }
    }
    None
}

fn collect_operations(model: &Model, operations: &[String], resources: &[String], out: &mut BTreeSet<String>) {
    out.extend(operations.iter().cloned());
    for id in resources {
        if let Some(Shape { kind: Kind::Resource(resource), .. }) = model.get(id) {
            collect_operations(model, &resource.operations, &resource.resources, out);
        }
    }
}

/// The targets of a shape's members (for aggregates), in member order.
pub fn member_targets<'m>(model: &'m Model, id: &str) -> Vec<&'m str> {
    match model.get(id).map(|s| &s.kind) {
        Some(Kind::Structure(members) | Kind::Union(members)) => members.iter().map(|m| m.target.as_str()).collect(),
        Some(Kind::List(member)) => vec![member.target.as_str()],
        Some(Kind::Map { key, value }) => vec![key.target.as_str(), value.target.as_str()],
        _ => Vec::new(),
    }
}

fn walk(model: &Model, id: &str, closure: &mut BTreeSet<String>) {
    let mut stack = vec![id.to_owned()];
    while let Some(id) = stack.pop() {
        if id == "smithy.api#Unit" || !closure.insert(id.clone()) {
            continue;
        }
        stack.extend(member_targets(model, &id).into_iter().map(str::to_owned));
    }
}

/// Members whose target can contain the member's own structure without a list or map in
/// between: those need a `Box`.
fn recursive_members(model: &Model, plan: &ServicePlan) -> BTreeSet<(String, String)> {
    let direct = |id: &str| -> Vec<(String, String)> {
        match model.get(id).map(|s| &s.kind) {
            Some(Kind::Structure(members) | Kind::Union(members)) => members
                .iter()
                .filter(|m| model.get(&m.target).is_some_and(|t| matches!(t.kind, Kind::Structure(_) | Kind::Union(_))))
                .map(|m| (m.name.clone(), m.target.clone()))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut boxed = BTreeSet::new();
    for id in &plan.closure {
        for (member, target) in direct(id) {
            // Does `target` reach `id` through direct members?
            let mut seen = BTreeSet::new();
            let mut stack = vec![target.clone()];
            while let Some(next) = stack.pop() {
                if next == *id {
                    boxed.insert((id.clone(), member.clone()));
                    break;
                }
                if seen.insert(next.clone()) {
                    stack.extend(direct(&next).into_iter().map(|(_, t)| t));
                }
            }
        }
    }
    boxed
}

/// Whether a shape is a simple type of the given kind.
pub fn is_simple(model: &Model, id: &str, simple: Simple) -> bool {
    model.get(id).is_some_and(|s| matches!(s.kind, Kind::Simple(k) if k == simple))
}
