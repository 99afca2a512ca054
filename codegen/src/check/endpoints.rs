//! Endpoint rule sets and the parameters bound to them: the service's
//! `smithy.rules#endpointRuleSet` is type-checked with `aws-lite-endpoint-rules` (each problem
//! located by its path in the rule set), and every parameter a client or an operation binds
//! (`clientContextParams`, `staticContextParams`, `operationContextParams`, `@contextParam`
//! members) must be declared by the rule set with the same type.

use crate::diagnostics::{Diagnostics, Location};
use crate::ir::Model;
use crate::plan::{context_path, parameter_type, ServicePlan};
use aws_lite_endpoint_rules::{ParamValue, ParameterType, RuleSet};

const RULE_SET: &str = "smithy.rules#endpointRuleSet";

/// Reports the problems of the rule set of `plan`'s service and of the parameters bound to it.
pub(super) fn endpoints(model: &Model, plan: &ServicePlan, diags: &mut Diagnostics) {
    let Some(service) = model.get(&plan.id) else { return };
    let at = Location::shape(&service.file, &service.id);
    let rule_set = match &service.traits.endpoint_rule_set {
        None => None,
        Some(json) => match RuleSet::from_json(json) {
            Ok(rule_set) => Some(rule_set),
            Err(err) => {
                for problem in err.diagnostics {
                    diags.error(&at, format!("`{RULE_SET}` at {}: {}", problem.path, problem.message));
                }
                // The parameters cannot be trusted; bindings are checked once the rule set is fixed.
                return;
            }
        },
    };
    let binds = Binds { rule_set: rule_set.as_ref(), service: &service.id };
    for param in &service.traits.client_context_params {
        let kind = match param.kind.as_str() {
            "string" => Some(ParameterType::String),
            "boolean" => Some(ParameterType::Boolean),
            "stringArray" => Some(ParameterType::StringArray),
            other => {
                let message = format!(
                    "`smithy.rules#clientContextParams` gives `{}` the type `{other}`; expected `string`, `boolean` \
                     or `stringArray`",
                    param.name
                );
                diags.error(&at, message);
                None
            }
        };
        binds.check(&param.name, kind, "`smithy.rules#clientContextParams`", &at, diags);
    }
    for op in &plan.operations {
        let Some(shape) = model.get(&op.id) else { continue };
        let op_at = Location::shape(&shape.file, &shape.id);
        for (name, value) in &shape.traits.static_context_params {
            let kind = ParamValue::from_json(value).map(|v| v.kind());
            if kind.is_none() {
                let message = format!(
                    "`smithy.rules#staticContextParams` gives `{name}` the value {value}; expected a string, a \
                     boolean or a list of strings"
                );
                diags.error(&op_at, message);
                continue;
            }
            binds.check(name, kind, "`smithy.rules#staticContextParams`", &op_at, diags);
        }
        for (name, path) in &shape.traits.operation_context_params {
            let Some(input) = &op.input else {
                let message =
                    format!("`smithy.rules#operationContextParams` binds `{name}`, but the operation has no input");
                diags.error(&op_at, message);
                continue;
            };
            match context_path(model, input, path) {
                Ok(resolved) => {
                    let how = format!("`smithy.rules#operationContextParams` (path `{path}`)");
                    binds.check(name, Some(resolved.kind), &how, &op_at, diags);
                }
                Err(why) => {
                    let message =
                        format!("`smithy.rules#operationContextParams` binds `{name}` to the path `{path}`: {why}");
                    diags.error(&op_at, message);
                }
            }
        }
        let Some(input) = op.input.as_deref().and_then(|id| model.get(id)) else { continue };
        for member in input.kind.members() {
            let Some(name) = &member.traits.context_param else { continue };
            let member_at = Location::shape(&input.file, &input.id).member(&member.name);
            let kind = parameter_type(model, &member.target);
            if kind.is_none() || kind == Some(ParameterType::StringArray) {
                let described = model.get(&member.target).map_or("a missing shape", |t| t.kind.described());
                let message = format!(
                    "`smithy.rules#contextParam` binds `{name}` to a member targeting `{}`, {described}; it must \
                     target a string or a boolean",
                    member.target
                );
                diags.error(&member_at, message);
                continue;
            }
            binds.check(name, kind, "`smithy.rules#contextParam`", &member_at, diags);
        }
    }
}

/// What parameters are bound against.
struct Binds<'a> {
    rule_set: Option<&'a RuleSet>,
    service: &'a str,
}

impl Binds<'_> {
    /// `name` must be a parameter of the rule set of type `kind` (`None`: already reported).
    fn check(&self, name: &str, kind: Option<ParameterType>, how: &str, at: &Location, diags: &mut Diagnostics) {
        let Some(rule_set) = self.rule_set else {
            let message =
                format!("{how} binds the endpoint parameter `{name}`, but `{}` has no `{RULE_SET}`", self.service);
            diags.error(at, message);
            return;
        };
        let Some(parameter) = rule_set.parameter(name) else {
            let declared: Vec<String> = rule_set.parameters().iter().map(|p| format!("`{}`", p.name)).collect();
            let message = format!(
                "{how} binds the endpoint parameter `{name}`, which the rule set of `{}` does not declare (it declares \
                 {})",
                self.service,
                if declared.is_empty() { "none".to_owned() } else { declared.join(", ") }
            );
            diags.error(at, message);
            return;
        };
        if let Some(kind) = kind.filter(|kind| *kind != parameter.kind) {
            let message = format!(
                "{how} binds the endpoint parameter `{name}` to a {kind}, but the rule set declares it a {}",
                parameter.kind
            );
            diags.error(at, message);
        }
    }
}
