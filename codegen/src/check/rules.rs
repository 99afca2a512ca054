//! Rules of Smithy that the generator relies on, checked over the whole model: what members,
//! operations, services and resources may target, enums with values, labels with members, and
//! (in `defaults`) `@default` values that fit their shape. Targets that do not exist are
//! `lower`'s to report.

use crate::check::defaults;
use crate::diagnostics::{Diagnostics, Location};
use crate::ir::{Kind, Model, Operation, Shape};

/// Reports every shape of `model` that breaks a rule.
pub(super) fn rules(model: &Model, diags: &mut Diagnostics) {
    for shape in model.shapes.values() {
        let at = Location::shape(&shape.file, &shape.id);
        for member in shape.kind.members() {
            let member_at = at.member(&member.name);
            let Some(target) = model.get(&member.target) else { continue };
            if let Some(problem) = crate::ir::not_data_shape(&target.id, &target.kind) {
                diags.error(&member_at, problem);
            }
            if let Some(value) = &member.traits.default {
                defaults::default_fits(target, value, &member_at, diags);
            }
        }
        if let Some(value) = &shape.traits.default {
            defaults::default_fits(shape, value, &at, diags);
        }
        match &shape.kind {
            Kind::Enum(values) if values.is_empty() && !shape.traits.mixin => {
                diags.error(&at, "an enum needs at least one member");
            }
            Kind::IntEnum(values) if values.is_empty() && !shape.traits.mixin => {
                diags.error(&at, "an intEnum needs at least one member");
            }
            Kind::Operation(op) => {
                for (side, target) in [("input", &op.input), ("output", &op.output)] {
                    let Some(target) = target.as_deref().and_then(|id| model.get(id)) else { continue };
                    if !matches!(target.kind, Kind::Structure(_)) {
                        let message = format!(
                            "`{side}` targets `{}`, {}; an operation's {side} must be a structure",
                            target.id,
                            target.kind.described()
                        );
                        diags.error(&at, message);
                    }
                }
                errors_are_errors(model, &op.errors, &at, diags);
                labels_have_members(model, shape, op, &at, diags);
            }
            Kind::Service(service) => {
                bindings(model, "operations", &service.operations, Binding::Operation, &at, diags);
                bindings(model, "resources", &service.resources, Binding::Resource, &at, diags);
                errors_are_errors(model, &service.errors, &at, diags);
            }
            Kind::Resource(resource) => {
                bindings(model, "operations", &resource.operations, Binding::Operation, &at, diags);
                bindings(model, "resources", &resource.resources, Binding::Resource, &at, diags);
            }
            _ => {}
        }
    }
}

/// Every shape an operation or service lists under `errors` must be a structure with `@error`.
fn errors_are_errors(model: &Model, errors: &[String], at: &Location, diags: &mut Diagnostics) {
    for target in errors.iter().filter_map(|id| model.get(id)) {
        if !matches!(target.kind, Kind::Structure(_)) {
            let described = target.kind.described();
            let message = format!("`errors` lists `{}`, {described}; an error must be a structure", target.id);
            diags.error(at, message);
        } else if target.traits.error.is_none() {
            diags.error(at, format!("`errors` lists `{}`, which has no `@error` trait", target.id));
        }
    }
}

/// Every `{label}` of an operation's `@endpoint` host prefix and `@http` URI must name an input
/// member bound to it (`@hostLabel`, `@httpLabel`): the request is built from those members.
fn labels_have_members(model: &Model, shape: &Shape, op: &Operation, at: &Location, diags: &mut Diagnostics) {
    let input = op.input.as_deref().and_then(|id| model.get(id)).map(|s| s.kind.members()).unwrap_or_default();
    let bound = |name: &str, host: bool| {
        input.iter().any(|m| m.name == name && if host { m.traits.host_label } else { m.traits.http_label })
    };
    if let Some(prefix) = &shape.traits.host_prefix {
        for label in labels(prefix).filter(|label| !bound(label, true)) {
            let message = format!("host prefix label `{{{label}}}` has no input member with `@hostLabel`");
            diags.error(at, message);
        }
    }
    if let Some(http) = &shape.traits.http {
        let path = http.uri.split_once('?').map_or(http.uri.as_str(), |(path, _)| path);
        for label in labels(path) {
            let name = label.strip_suffix('+').unwrap_or(label);
            if !bound(name, false) {
                diags.error(at, format!("`@http` URI label `{{{label}}}` has no input member with `@httpLabel`"));
            }
        }
    }
}

/// The `{label}` names of a URI or host prefix template.
fn labels(template: &str) -> impl Iterator<Item = &str> {
    template.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(label, _)| label))
}

/// What a service or resource binds.
#[derive(Clone, Copy)]
enum Binding {
    Operation,
    Resource,
}

/// Every shape a service or resource lists under `property` must be of the kind it binds.
fn bindings(model: &Model, property: &str, ids: &[String], binding: Binding, at: &Location, diags: &mut Diagnostics) {
    for target in ids.iter().filter_map(|id| model.get(id)) {
        let (fits, expected) = match binding {
            Binding::Operation => (matches!(target.kind, Kind::Operation(_)), "an operation"),
            Binding::Resource => (matches!(target.kind, Kind::Resource(_)), "a resource"),
        };
        if !fits {
            let message = format!("`{property}` lists `{}`, {}, not {expected}", target.id, target.kind.described());
            diags.error(at, message);
        }
    }
}
