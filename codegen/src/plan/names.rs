//! The Rust names of a service's items, each made once from the `naming` rules so that the
//! check stage compares exactly what the emitters write.

use crate::ir::Model;
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// The names of the items of an operation module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// The input type (`FooInput`): defined, aliased or empty.
    pub input: String,
    /// The output type (`FooOutput`).
    pub output: String,
    /// The error enum (`FooError`).
    pub error: String,
    /// The fluent builder the client returns (`FooFluentBuilder`).
    pub fluent_builder: String,
    /// The builder of an input defined in the module (`FooInputBuilder`).
    pub input_builder: String,
    /// The builder of an output defined in the module (`FooOutputBuilder`).
    pub output_builder: String,
    /// The paginator of a paginated operation (`FooPaginator`, in the `paginator` submodule).
    pub paginator: String,
    /// Its view of the items (`FooPaginatorItems`).
    pub paginator_items: String,
}

/// The names of operation `name`'s items.
pub(super) fn operation(name: &str) -> OperationNames {
    let base = naming::type_name(name);
    let input = format!("{base}Input");
    let output = format!("{base}Output");
    OperationNames {
        input_builder: naming::builder_name(&input),
        output_builder: naming::builder_name(&output),
        error: format!("{base}Error"),
        fluent_builder: format!("{base}FluentBuilder"),
        paginator: format!("{base}Paginator"),
        paginator_items: format!("{base}PaginatorItems"),
        input,
        output,
    }
}

/// A module name (service or operation).
pub(super) fn module(name: &str) -> String {
    naming::module_name(name)
}

/// A type name (structure, union, enum, intEnum).
pub(super) fn type_name(name: &str) -> String {
    naming::type_name(name)
}

/// The builder of a structure named `type_name`.
pub(super) fn builder(type_name: &str) -> String {
    naming::builder_name(type_name)
}

/// A structure field (and its setter).
pub(super) fn field(member: &str) -> String {
    naming::member_name(member)
}

/// A union or enum variant.
pub(super) fn variant(member: &str) -> String {
    naming::enum_variant_name(member)
}

/// The variant of an operation error enum for error type `type_name`, and its `is_*` method.
pub(super) fn error_variant(type_name: &str) -> (String, String) {
    let is_fn = format!("is_{}", naming::unraw(&naming::field_name(type_name)));
    (naming::enum_variant_name(type_name), is_fn)
}

/// The associated function returning the `@default` of field `field`.
pub(super) fn default_fn(field: &str) -> String {
    format!("default_{}", naming::unraw(field).trim_end_matches('_'))
}

/// The name of a protocol compliance test for case `id` of kind `suffix`.
pub(super) fn test_fn(id: &str, suffix: &str) -> String {
    format!("{}_{suffix}", naming::unraw(&naming::field_name(id)))
}

/// Pattern source -> name of its compiled static, for every pattern in `closure`: derived from
/// the first shape (in ID order) that uses it, with a numeric suffix on a clash.
pub(super) fn pattern_statics(model: &Model, closure: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut taken = BTreeSet::new();
    let mut add = |source: &str, owner: String| {
        if names.contains_key(source) {
            return;
        }
        names.insert(source.to_owned(), static_name(&owner, "PATTERN", &mut taken));
    };
    for id in closure {
        let Some(shape) = model.get(id) else { continue };
        if let Some(p) = &shape.traits.pattern {
            add(p, shape.name().to_owned());
        }
        for m in shape.kind.members() {
            if let Some(p) = &m.traits.pattern {
                add(p, format!("{}_{}", shape.name(), m.name));
            }
        }
    }
    names
}

/// A name for a `static` of `owner` (a shape, or a shape and member): SCREAMING_SNAKE_CASE with
/// `_{suffix}`, a numeric suffix when `taken` has it already (the name is then taken).
pub(super) fn static_name(owner: &str, suffix: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = heck::AsShoutySnakeCase(owner).to_string();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    let base = format!("{}_{suffix}", name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_'));
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

/// The structures and unions reachable from operation inputs, each with the name of its
/// `static` in the command-line binary: the Rust type name in SCREAMING_SNAKE_CASE, with a
/// numeric suffix on a clash.
pub(super) fn cli_inputs(
    model: &Model,
    operations: &[super::OperationPlan],
    types: &BTreeMap<String, super::Named>,
) -> BTreeMap<String, String> {
    // Every shape is visited once: lists and maps can be recursive too (in an invalid model).
    let mut visited = BTreeSet::new();
    let mut stack: Vec<&str> = operations.iter().filter_map(|op| op.input.as_deref()).collect();
    // Event streams are read from standard input, not from the input JSON.
    let streamed =
        |id: &str| model.get(id).is_some_and(|s| s.traits.streaming && matches!(s.kind, crate::ir::Kind::Union(_)));
    while let Some(id) = stack.pop() {
        if !streamed(id) && visited.insert(id) {
            stack.extend(super::member_targets(model, id));
        }
    }
    let aggregates = visited.into_iter().filter(|id| {
        model.get(id).is_some_and(|s| matches!(s.kind, crate::ir::Kind::Structure(_) | crate::ir::Kind::Union(_)))
    });
    let mut taken = BTreeSet::new();
    aggregates
        .map(|id| {
            let type_name =
                types.get(id).map_or_else(|| naming::type_name(crate::ir::local_name(id)), |n| n.name.clone());
            let base = naming::module_name(&type_name).trim_end_matches('_').to_uppercase();
            let mut name = base.clone();
            let mut suffix = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{suffix}");
                suffix += 1;
            }
            (id.to_owned(), name)
        })
        .collect()
}
