//! Two items that would get the same Rust name, found on the plan's names (exactly what the
//! emitters write): module items and builders, fields and setters, default functions, union
//! and enum variants, and the variants and `is_*` methods of operation error enums.

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Kind, Model};
use crate::plan::{Contents, Named, OperationPlan, Placement, ServicePlan};
use std::collections::{BTreeMap, BTreeSet};

/// One Rust namespace: each name and what has it (a phrase for messages, e.g. ``member `foo` ``).
#[derive(Default)]
struct Namespace {
    names: BTreeMap<String, String>,
}

impl Namespace {
    /// A namespace holding names the generator itself emits there.
    fn reserved(names: &[(&str, &str)]) -> Self {
        Self { names: names.iter().map(|(name, owner)| ((*name).to_owned(), (*owner).to_owned())).collect() }
    }

    /// Claims `name` for `owner`; returns the other owner when something else has it.
    fn claim(&mut self, name: &str, owner: &str) -> Option<String> {
        match self.names.get(name) {
            Some(other) if other != owner => Some(other.clone()),
            Some(_) => None,
            None => {
                self.names.insert(name.to_owned(), owner.to_owned());
                None
            }
        }
    }
}

/// Reports every Rust name of `plan` that two items would share.
pub(super) fn collisions(model: &Model, plan: &ServicePlan, diags: &mut Diagnostics) {
    let lost = module_items(model, plan, diags);
    for (id, named) in &plan.types {
        members(model, plan, id, named, diags);
    }
    let mut reported = BTreeSet::new();
    for op in &plan.operations {
        error_enum(model, op, &lost, &mut reported, diags);
    }
}

fn file_of<'m>(model: &'m Model, id: &str) -> &'m str {
    model.get(id).map_or("", |s| s.file.as_str())
}

/// The items of the service's modules: operation modules, their types and builders, named
/// types and their builders. Returns the shapes whose type name was taken by another.
fn module_items(model: &Model, plan: &ServicePlan, diags: &mut Diagnostics) -> BTreeSet<String> {
    let mut modules: BTreeMap<String, Namespace> = BTreeMap::new();
    let mut lost = BTreeSet::new();
    let mut item = |module: &str, name: &str, id: &str, diags: &mut Diagnostics| -> bool {
        let Some(other) = modules.entry(module.to_owned()).or_default().claim(name, &format!("`{id}`")) else {
            return true;
        };
        diags.error(
            &Location::shape(file_of(model, id), id),
            format!(
                "Rust name `{name}` in module `{module}` is also the name of {other}; add a `rename` to the service"
            ),
        );
        lost.insert(id.to_owned());
        false
    };
    for op in &plan.operations {
        item("operation", &op.module, &op.id, diags);
        let module = format!("operation::{}", op.module);
        let builders = format!("{module}::builders");
        item(&module, &op.names.error, &op.id, diags);
        item(&builders, &op.names.fluent_builder, &op.id, diags);
        let io = [
            (&op.input, &op.names.input, &op.names.input_builder),
            (&op.output, &op.names.output, &op.names.output_builder),
        ];
        for (id, name, builder) in io {
            let here = Placement::Operation(op.module.clone());
            if id.as_deref().and_then(|id| plan.types.get(id)).is_some_and(|named| named.placement == here) {
                // Defined in the module: claimed with the other types below.
                continue;
            }
            // An alias of a shared shape, or an empty struct (with a builder) for Unit.
            item(&module, name, &op.id, diags);
            if id.is_none() {
                item(&builders, builder, &op.id, diags);
            }
        }
    }
    for (id, named) in &plan.types {
        let module = named.placement.module();
        let free = item(&module, &named.name, id, diags);
        if let (true, Contents::Structure { builder, .. }) = (free, &named.contents) {
            item(&format!("{module}::builders"), builder, id, diags);
        }
    }
    lost
}

/// The names inside one type: fields, setters and associated functions of a structure, the
/// variants of a union or enum.
fn members(model: &Model, plan: &ServicePlan, id: &str, named: &Named, diags: &mut Diagnostics) {
    let Some(shape) = model.get(id) else { return };
    let at = Location::shape(&shape.file, id);
    let mut report = |member: &str, name: &str, other: String| {
        diags.error(&at.member(member), format!("Rust name `{name}` is also the name of {other}"));
    };
    let unknown = [("Unknown", "the variant for values this version of the crate does not know")];
    match &named.contents {
        Contents::Structure { members, .. } => {
            let input = plan.operations.iter().any(|op| op.input.as_deref() == Some(id));
            let mut fields = Namespace::default();
            let mut setters = Namespace::reserved(&[("build", "the builder's `build` method")]);
            if input {
                setters.claim("send", "the fluent builder's `send` method");
                setters.claim("new", "the fluent builder's `new` function");
                setters.claim("swap_call", "the input builder's `swap_call` method");
                fields.claim("call", "the input builder's call slot");
            }
            let mut functions = Namespace::reserved(&[("builder", "the `builder` function")]);
            if shape.traits.error.is_some() {
                functions.claim("message", "the error's `message` method");
                functions.claim("meta", "the error's `meta` method");
            }
            if input {
                functions.claim("validate", "the input's `validate` method");
            }
            for m in members {
                let owner = format!("member `{}`", m.member.name);
                // A setter has its field's name: it collides on its own only with what the
                // builders add.
                let taken = fields.claim(&m.rust_name, &owner).or_else(|| setters.claim(&m.rust_name, &owner));
                if let Some(other) = taken {
                    report(&m.member.name, &m.rust_name, other);
                }
                if let Some(function) = &m.default_fn {
                    let owner = format!("the default function of member `{}`", m.member.name);
                    if let Some(other) = functions.claim(function, &owner) {
                        report(&m.member.name, function, other);
                    }
                }
            }
        }
        Contents::Union { members } => {
            let mut variants = Namespace::reserved(&unknown);
            for m in members {
                if let Some(other) = variants.claim(&m.rust_name, &format!("member `{}`", m.member.name)) {
                    report(&m.member.name, &m.rust_name, other);
                }
            }
        }
        Contents::Enum { variants } | Contents::IntEnum { variants } => {
            let names: Vec<&str> = match &shape.kind {
                Kind::Enum(values) => values.iter().map(|v| v.name.as_str()).collect(),
                Kind::IntEnum(values) => values.iter().map(|v| v.name.as_str()).collect(),
                _ => Vec::new(),
            };
            let mut taken = Namespace::reserved(&unknown);
            for (name, variant) in names.into_iter().zip(variants) {
                if let Some(other) = taken.claim(variant, &format!("member `{name}`")) {
                    report(name, variant, other);
                }
            }
        }
    }
}

/// The variants and `is_*` methods of an operation's error enum (a variant and its method are
/// reported apart: they are two compile errors). An error whose type name already collided
/// (`lost`) is left to that report, and each clash is reported once however many operations
/// share the errors (`reported`).
fn error_enum(
    model: &Model,
    op: &OperationPlan,
    lost: &BTreeSet<String>,
    reported: &mut BTreeSet<(String, String)>,
    diags: &mut Diagnostics,
) {
    let scope = format!("operation::{}::{}", op.module, op.names.error);
    let mut variants = Namespace::reserved(&[("Unhandled", "the variant for errors the model does not describe")]);
    let mut methods = Namespace::reserved(&[("meta", "the `meta` method"), ("code", "the `code` method")]);
    for error in op.errors.iter().filter(|e| !lost.contains(&e.id)) {
        let owner = format!("`{}`", error.id);
        let clashes = [
            (&error.variant, "variant", variants.claim(&error.variant, &owner)),
            (&error.is_fn, "method", methods.claim(&error.is_fn, &owner)),
        ];
        for (name, what, other) in clashes {
            let Some(other) = other else { continue };
            if reported.insert((error.id.clone(), name.clone())) {
                diags.error(
                    &Location::shape(file_of(model, &error.id), &error.id),
                    format!(
                        "Rust name `{name}` ({what} of `{scope}`) is also the name of {other}; add a `rename` to the service"
                    ),
                );
            }
        }
    }
}
