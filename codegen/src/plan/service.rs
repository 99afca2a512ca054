//! One service's plan, in dependency order: operations, closure, type names and places, Rust
//! types, members, error enums, validation, patterns and protocol cases.

use crate::ir::{Kind, Model, Service, Shape};
use crate::plan::closure::{collect_operations, member_targets, recursive_members, walk};
use crate::plan::event_streams::{plan_event_streams, stream_member};
use crate::plan::members::{collection, member_plan, Inputs, Owner};
use crate::plan::{
    cases, names, paginators, types, validation, Contents, Named, OmittedOperation, OperationError, OperationPlan,
    Placement, Problem, Selection, ServicePlan,
};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn plan_service(model: &Model, service: &Shape, svc: &Service, selection: Selection<'_>) -> ServicePlan {
    let module_source = service.traits.sdk_id.clone().unwrap_or_else(|| service.name().to_owned());
    let module = names::module(&module_source);
    let protocol = service.traits.protocols.first().copied();
    let local_name = |id: &str| svc.rename.get(id).cloned().unwrap_or_else(|| crate::ir::local_name(id).to_owned());

    let operation_ids = collect_operations(model, svc);
    let mut operations = Vec::new();
    let mut error_ids = BTreeMap::new();
    let omitted: Vec<OmittedOperation> = Vec::new();
    for op_id in &operation_ids {
        let Some(Shape { kind: Kind::Operation(op), .. }) = model.get(op_id) else { continue };
        if !selection.keeps(op_id, &local_name(op_id)) {
            continue;
        }
        let mut errors: Vec<String> = op.errors.iter().chain(&svc.errors).cloned().collect();
        errors.sort_by_key(|id| local_name(id));
        errors.dedup();
        error_ids.insert(op_id.clone(), errors);
        let name = local_name(op_id);
        operations.push(OperationPlan {
            id: op_id.clone(),
            module: names::module(&name),
            names: names::operation(&name),
            name,
            input: op.input.clone(),
            output: op.output.clone(),
            errors: Vec::new(),
            paginator: None,
            input_stream: stream_member(model, op.input.as_deref()),
            output_stream: stream_member(model, op.output.as_deref()),
            http2: false,
        });
        if let Some(op) = operations.last_mut() {
            op.http2 = service.traits.event_stream_http2 && op.has_event_stream();
        }
    }
    operations.sort_by(|a, b| a.module.cmp(&b.module));

    let mut closure = BTreeSet::new();
    for op in &operations {
        let errors = error_ids.get(&op.id).into_iter().flatten();
        for id in op.input.iter().chain(&op.output).chain(errors) {
            walk(model, id, &mut closure);
        }
    }

    // Only inputs are validated (before a call is sent): the shapes they reach are the ones that
    // need checks and pattern statics.
    let mut input_closure = BTreeSet::new();
    for id in operations.iter().filter_map(|op| op.input.as_ref()) {
        walk(model, id, &mut input_closure);
    }

    let placements = placements(model, &operations, &closure, &local_name);
    let paths: BTreeMap<String, String> = placements
        .iter()
        .map(|(id, (name, placement))| (id.clone(), format!("crate::{module}::{}::{name}", placement.module())))
        .collect();
    let (rust_types, untyped) = types::rust_types(model, &closure, &paths);
    let boxed = recursive_members(model, &closure);
    let mut problems = Vec::new();
    let operation_inputs: BTreeSet<String> = operations.iter().filter_map(|op| op.input.clone()).collect();
    let inputs = Inputs {
        model,
        protocol,
        rust_types: &rust_types,
        untyped: &untyped,
        boxed: &boxed,
        operation_inputs: &operation_inputs,
    };
    let mut types = BTreeMap::new();
    for (id, (name, placement)) in placements {
        let Some(shape) = model.get(&id) else { continue };
        let Some(contents) =
            contents(&inputs, shape, &name, &format!("crate::{module}::{}", placement.module()), &mut problems)
        else {
            continue;
        };
        let path = paths.get(&id).cloned().unwrap_or_default();
        types.insert(id, Named { name, placement, path, contents });
    }

    for op in &mut operations {
        for id in error_ids.get(&op.id).into_iter().flatten() {
            match types.get(id) {
                Some(named) => {
                    let (variant, is_fn) = names::error_variant(&named.name);
                    op.errors.push(OperationError { id: id.clone(), variant, is_fn });
                }
                None => problems.push(Problem {
                    shape: id.clone(),
                    member: None,
                    message: format!("an error of operation `{}` that is not a structure", op.name),
                }),
            }
        }
    }

    for op in &mut operations {
        let defaults = service.traits.paginated.as_ref();
        let (input, output) = (op.input.as_deref(), op.output.as_deref());
        match paginators::paginator(model, defaults, &op.id, input, output, &types) {
            Ok(paginator) => op.paginator = paginator,
            Err(messages) => problems.extend(messages.into_iter().map(|message| Problem {
                shape: op.id.clone(),
                member: None,
                message,
            })),
        }
    }

    let event_streams = plan_event_streams(model, &operations, &types, &mut problems);
    let collections = closure.iter().filter_map(|id| Some((id.clone(), collection(model, id)?))).collect();
    let validated = validation::shapes_needing_validation(model, &input_closure);
    let mut plan = ServicePlan {
        id: service.id.clone(),
        module,
        protocol,
        text_rules: validation::text_rules(model, &validated),
        validated,
        patterns: names::pattern_statics(model, &input_closure),
        protocol_tests: cases::cases(model, protocol, &operations, &omitted, &types),
        cli_inputs: names::cli_inputs(model, &operations, &types),
        operations,
        closure,
        types,
        rust_types,
        collections,
        boxed,
        omitted,
        problems,
        waiters: Vec::new(),
        event_streams,
    };
    // Waiter paths are typed against the planned fields, so they come last.
    let (waiters, waiter_problems) = super::waiters::waiters(model, &plan);
    plan.waiters = waiters;
    plan.problems.extend(waiter_problems.into_iter().map(|problem| Problem {
        shape: problem.operation,
        member: None,
        message: problem.message,
    }));
    plan
}

/// The name and module of every structure, union, enum and intEnum of the closure. Operation
/// inputs and outputs live in their operation module unless something else uses them.
fn placements(
    model: &Model,
    operations: &[OperationPlan],
    closure: &BTreeSet<String>,
    local_name: &dyn Fn(&str) -> String,
) -> BTreeMap<String, (String, Placement)> {
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for id in closure {
        for target in member_targets(model, id) {
            *uses.entry(target).or_default() += 1;
        }
    }
    for op in operations {
        for id in op.input.iter().chain(&op.output) {
            *uses.entry(id.as_str()).or_default() += 1;
        }
    }
    let mut placed = BTreeMap::new();
    for op in operations {
        for (id, name) in [(&op.input, &op.names.input), (&op.output, &op.names.output)] {
            if let Some(id) = id {
                if uses.get(id.as_str()) == Some(&1) {
                    placed.insert(id.clone(), (name.clone(), Placement::Operation(op.module.clone())));
                }
            }
        }
    }
    for id in closure {
        let Some(shape) = model.get(id) else { continue };
        let named_kind = matches!(shape.kind, Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) | Kind::IntEnum(_));
        if !named_kind || placed.contains_key(id) {
            continue;
        }
        let placement = if shape.traits.error.is_some() { Placement::Error } else { Placement::Types };
        placed.insert(id.clone(), (names::type_name(&local_name(id)), placement));
    }
    placed
}

/// The parts of type `name` (in module `module_path`) for `shape`; members that cannot be
/// represented are left out and go to `problems`.
fn contents(
    inputs: &Inputs<'_>,
    shape: &Shape,
    name: &str,
    module_path: &str,
    problems: &mut Vec<Problem>,
) -> Option<Contents> {
    let mut members = |members: &[crate::ir::Member], owner: Owner| -> Vec<_> {
        members
            .iter()
            .filter_map(|m| match member_plan(inputs, &shape.id, owner, m) {
                Ok(plan) => Some(plan),
                Err(message) => {
                    problems.push(Problem { shape: shape.id.clone(), member: Some(m.name.clone()), message });
                    None
                }
            })
            .collect()
    };
    Some(match &shape.kind {
        Kind::Structure(list) => {
            let builder = names::builder(name);
            Contents::Structure {
                builder_path: format!("{module_path}::builders::{builder}"),
                builder,
                members: members(list, Owner::Structure),
            }
        }
        Kind::Union(list) => Contents::Union { members: members(list, Owner::Union) },
        Kind::Enum(values) => Contents::Enum { variants: values.iter().map(|v| names::variant(&v.name)).collect() },
        Kind::IntEnum(values) => {
            Contents::IntEnum { variants: values.iter().map(|v| names::variant(&v.name)).collect() }
        }
        _ => return None,
    })
}
