//! Evaluation of a checked rule set against parameters.
//!
//! Every parameter and assigned variable has a slot (given by the checker), so scopes are a
//! flat array: a variable can only be read where the checker proved it assigned, so values left
//! behind by rules that did not match are never seen.

use crate::functions::{aws, standard, Func};
use crate::model::{Call, EndpointTemplate, Expr, PathPart, Property, Rule, RuleKind, TemplatePart};
use crate::partitions::{self, PartitionOutputs};
use crate::value::{Text, Value};
use crate::{Endpoint, EndpointError, ParamValue, Params, RuleSet};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

type Result<T> = std::result::Result<T, EndpointError>;

enum Outcome<'a> {
    Endpoint(&'a EndpointTemplate),
    Error(&'a Expr),
}

pub(crate) fn resolve(rule_set: &RuleSet, params: &Params) -> Result<Endpoint> {
    let mut slots: Vec<Option<Value<'_>>> = vec![None; rule_set.slots];
    for (slot, parameter) in rule_set.parameters.iter().enumerate() {
        let value = match params.get(&parameter.name) {
            Some(value) if value.kind() != parameter.kind => {
                return Err(EndpointError::InvalidParameter { name: parameter.name.clone(), expected: parameter.kind })
            }
            Some(value) => Some(value),
            None => parameter.default.as_ref(),
        };
        match value {
            Some(value) => {
                if let Some(slot) = slots.get_mut(slot) {
                    *slot = Some(param_value(value));
                }
            }
            None if parameter.required => return Err(EndpointError::MissingParameter(parameter.name.clone())),
            None => {}
        }
    }
    let mut evaluator = Evaluator { slots };
    match evaluator.rules(&rule_set.rules)? {
        Some(Outcome::Endpoint(endpoint)) => evaluator.endpoint(endpoint),
        Some(Outcome::Error(message)) => Err(EndpointError::Rule(evaluator.string(message)?.into_string())),
        None => Err(EndpointError::NoRuleMatched),
    }
}

fn param_value(value: &ParamValue) -> Value<'_> {
    match value {
        ParamValue::String(s) => Value::str(s),
        ParamValue::Bool(b) => Value::Bool(*b),
        ParamValue::StringArray(items) => Value::Array(items.iter().map(|s| Value::str(s)).collect()),
    }
}

fn internal(message: String) -> EndpointError {
    EndpointError::Evaluation(message)
}

struct Evaluator<'a> {
    slots: Vec<Option<Value<'a>>>,
}

impl<'a> Evaluator<'a> {
    /// The first rule whose conditions hold; a tree that matches but whose rules do not is an
    /// error, as tree rules are terminal.
    fn rules(&mut self, rules: &'a [Rule]) -> Result<Option<Outcome<'a>>> {
        for rule in rules {
            if !self.conditions(rule)? {
                continue;
            }
            return match &rule.kind {
                RuleKind::Endpoint(endpoint) => Ok(Some(Outcome::Endpoint(endpoint))),
                RuleKind::Error(message) => Ok(Some(Outcome::Error(message))),
                RuleKind::Tree(rules) => match self.rules(rules)? {
                    Some(outcome) => Ok(Some(outcome)),
                    None => Err(EndpointError::NoRuleMatched),
                },
            };
        }
        Ok(None)
    }

    /// Whether every condition holds: a condition fails when its value is unset or `false`.
    fn conditions(&mut self, rule: &'a Rule) -> Result<bool> {
        for condition in &rule.conditions {
            let value = match self.expr(&condition.expr)? {
                None | Some(Value::Bool(false)) => return Ok(false),
                Some(value) => value,
            };
            if let Some(assign) = &condition.assign {
                if let Some(slot) = self.slots.get_mut(assign.slot) {
                    *slot = Some(value);
                }
            }
        }
        Ok(true)
    }

    fn endpoint(&mut self, endpoint: &'a EndpointTemplate) -> Result<Endpoint> {
        let url = self.string(&endpoint.url)?.into_string();
        let mut headers = BTreeMap::new();
        for (name, values) in &endpoint.headers {
            let values = values.iter().map(|v| Ok(self.string(v)?.into_string())).collect::<Result<Vec<_>>>()?;
            headers.insert(name.clone(), values);
        }
        let mut properties = serde_json::Map::new();
        for (name, value) in &endpoint.properties {
            properties.insert(name.clone(), self.property(value)?);
        }
        Ok(Endpoint { url, headers, properties })
    }

    fn property(&mut self, property: &'a Property) -> Result<serde_json::Value> {
        Ok(match property {
            Property::Json(json) => json.clone(),
            Property::Str(expr) => serde_json::Value::String(self.string(expr)?.into_string()),
            Property::Array(items) => {
                serde_json::Value::Array(items.iter().map(|item| self.property(item)).collect::<Result<_>>()?)
            }
            Property::Object(fields) => serde_json::Value::Object(
                fields.iter().map(|(k, v)| Ok((k.clone(), self.property(v)?))).collect::<Result<_>>()?,
            ),
        })
    }

    /// An expression that must give a string (URLs, headers, messages, template parts).
    fn string(&mut self, expr: &'a Expr) -> Result<Text<'a>> {
        match self.expr(expr)? {
            Some(Value::Str(text)) => Ok(text),
            Some(other) => Err(internal(format!("expected a string, found a {}", other.kind()))),
            None => Err(internal("expected a string, found an unset value".to_owned())),
        }
    }

    fn expr(&mut self, expr: &'a Expr) -> Result<Option<Value<'a>>> {
        Ok(Some(match expr {
            Expr::Str(s) => Value::str(s),
            Expr::Template(parts) => Value::Str(self.template(parts)?),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Int(i) => Value::Int(*i),
            Expr::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match self.expr(item)? {
                        Some(value) => values.push(value),
                        None => return Err(internal("an array element is unset".to_owned())),
                    }
                }
                Value::Array(Rc::from(values))
            }
            Expr::Record(fields) => {
                let mut values = Vec::with_capacity(fields.len());
                for (name, value) in fields {
                    match self.expr(value)? {
                        Some(value) => values.push((name.as_str(), value)),
                        None => return Err(internal(format!("record field `{name}` is unset"))),
                    }
                }
                Value::record(values)
            }
            Expr::Ref(reference) => return Ok(self.slots.get(reference.slot).cloned().flatten()),
            Expr::GetAttr { target, path, .. } => {
                let Some(mut value) = self.expr(target)? else {
                    return Ok(None);
                };
                for part in path {
                    let next = match part {
                        PathPart::Key(key) => value.field(key),
                        PathPart::Index(index) => value.element(*index),
                    };
                    match next {
                        Some(next) => value = next.clone(),
                        None => return Ok(None),
                    }
                }
                value
            }
            Expr::Call(call) => return self.call(call),
            Expr::Invalid => return Err(internal("the rule set has an invalid expression".to_owned())),
        }))
    }

    fn template(&mut self, parts: &'a [TemplatePart]) -> Result<Text<'a>> {
        if let [TemplatePart::Dynamic { expr, .. }] = parts {
            return self.string(expr);
        }
        let mut out = String::new();
        for part in parts {
            match part {
                TemplatePart::Literal(literal) => out.push_str(literal),
                TemplatePart::Dynamic { expr, .. } => out.push_str(&self.string(expr)?),
            }
        }
        Ok(Text::from(out))
    }

    fn arg(&mut self, call: &'a Call, index: usize) -> Result<Value<'a>> {
        let name = call.func.name();
        let Some(arg) = call.args.get(index) else {
            return Err(internal(format!("`{name}` is missing argument {}", index + 1)));
        };
        self.expr(arg)?.ok_or_else(|| internal(format!("argument {} of `{name}` is unset", index + 1)))
    }

    fn str_arg(&mut self, call: &'a Call, index: usize) -> Result<Text<'a>> {
        match self.arg(call, index)? {
            Value::Str(text) => Ok(text),
            other => Err(internal(format!("argument {} of `{}` is a {}", index + 1, call.func.name(), other.kind()))),
        }
    }

    fn bool_arg(&mut self, call: &'a Call, index: usize) -> Result<bool> {
        match self.arg(call, index)? {
            Value::Bool(b) => Ok(b),
            other => Err(internal(format!("argument {} of `{}` is a {}", index + 1, call.func.name(), other.kind()))),
        }
    }

    fn int_arg(&mut self, call: &'a Call, index: usize) -> Result<i64> {
        match self.arg(call, index)? {
            Value::Int(i) => Ok(i),
            other => Err(internal(format!("argument {} of `{}` is a {}", index + 1, call.func.name(), other.kind()))),
        }
    }

    fn call(&mut self, call: &'a Call) -> Result<Option<Value<'a>>> {
        Ok(Some(match call.func {
            Func::IsSet => {
                let arg = call.args.first().ok_or_else(|| internal("`isSet` needs an argument".to_owned()))?;
                Value::Bool(self.expr(arg)?.is_some())
            }
            Func::Not => Value::Bool(!self.bool_arg(call, 0)?),
            Func::BooleanEquals => Value::Bool(self.bool_arg(call, 0)? == self.bool_arg(call, 1)?),
            Func::StringEquals => Value::Bool(*self.str_arg(call, 0)? == *self.str_arg(call, 1)?),
            Func::IsValidHostLabel => {
                let (label, subdomains) = (self.str_arg(call, 0)?, self.bool_arg(call, 1)?);
                Value::Bool(standard::is_valid_host_label(&label, subdomains))
            }
            Func::AwsIsVirtualHostableS3Bucket => {
                let (bucket, dots) = (self.str_arg(call, 0)?, self.bool_arg(call, 1)?);
                Value::Bool(aws::is_virtual_hostable_s3_bucket(&bucket, dots))
            }
            Func::UriEncode => match self.str_arg(call, 0)? {
                Text::Borrowed(s) => Value::Str(cow_text(standard::uri_encode(s))),
                Text::Owned(s) => Value::owned(standard::uri_encode(&s).into_owned()),
            },
            Func::Substring => {
                let input = self.str_arg(call, 0)?;
                let (start, stop, reverse) = (self.int_arg(call, 1)?, self.int_arg(call, 2)?, self.bool_arg(call, 3)?);
                return Ok(map_text(&input, |s| standard::substring(s, start, stop, reverse)).map(Value::Str));
            }
            Func::Split => {
                let input = self.str_arg(call, 0)?;
                let (delimiter, limit) = (self.str_arg(call, 1)?, self.int_arg(call, 2)?);
                let invalid = || internal(format!("`split` with delimiter {:?} and limit {limit}", &*delimiter));
                let parts: Vec<Value<'a>> = match &input {
                    Text::Borrowed(s) => {
                        standard::split(s, &delimiter, limit).ok_or_else(invalid)?.into_iter().map(Value::str).collect()
                    }
                    Text::Owned(s) => standard::split(s, &delimiter, limit)
                        .ok_or_else(invalid)?
                        .into_iter()
                        .map(|part| Value::owned(part.to_owned()))
                        .collect(),
                };
                Value::Array(Rc::from(parts))
            }
            Func::ParseUrl => {
                let input = self.str_arg(call, 0)?;
                return Ok(match &input {
                    Text::Borrowed(s) => standard::parse_url(s).map(|url| url_value(url, Text::Borrowed)),
                    Text::Owned(s) => standard::parse_url(s).map(|url| url_value(url, owned_text)),
                });
            }
            Func::AwsParseArn => {
                let input = self.str_arg(call, 0)?;
                return Ok(match &input {
                    Text::Borrowed(s) => aws::parse_arn(s).map(|arn| arn_value(arn, Text::Borrowed)),
                    Text::Owned(s) => aws::parse_arn(s).map(|arn| arn_value(arn, owned_text)),
                });
            }
            Func::AwsPartition => {
                let region = self.str_arg(call, 0)?;
                return Ok(partitions::partition(&region).map(partition_value));
            }
            Func::Coalesce => {
                // Later arguments are only evaluated when the earlier ones are unset.
                for arg in &call.args {
                    if let Some(value) = self.expr(arg)? {
                        return Ok(Some(value));
                    }
                }
                return Ok(None);
            }
            Func::Ite => {
                let branch = if self.bool_arg(call, 0)? { 1 } else { 2 };
                let arg = call.args.get(branch).ok_or_else(|| internal("`ite` needs 3 arguments".to_owned()))?;
                return self.expr(arg);
            }
            Func::GetAttr => return Err(internal("`getAttr` without a parsed path".to_owned())),
        }))
    }
}

fn owned_text<'a>(s: &str) -> Text<'a> {
    Text::from(s.to_owned())
}

fn cow_text(s: Cow<'_, str>) -> Text<'_> {
    match s {
        Cow::Borrowed(s) => Text::Borrowed(s),
        Cow::Owned(s) => Text::from(s),
    }
}

/// Applies `f` to the text, keeping a borrowed result borrowed.
fn map_text<'a>(text: &Text<'a>, f: impl for<'s> Fn(&'s str) -> Option<&'s str>) -> Option<Text<'a>> {
    match text {
        Text::Borrowed(s) => f(s).map(Text::Borrowed),
        Text::Owned(s) => f(s).map(owned_text),
    }
}

fn url_value<'s, 'a>(url: standard::Url<'s>, text: impl Fn(&'s str) -> Text<'a>) -> Value<'a> {
    let normalized_path = match url.normalized_path {
        Cow::Borrowed(s) => text(s),
        Cow::Owned(s) => Text::from(s),
    };
    Value::Record(Rc::from([
        ("scheme", Value::str(url.scheme)),
        ("authority", Value::Str(text(url.authority))),
        ("path", Value::Str(text(url.path))),
        ("normalizedPath", Value::Str(normalized_path)),
        ("isIp", Value::Bool(url.is_ip)),
    ]))
}

fn arn_value<'s, 'a>(arn: aws::Arn<'s>, text: impl Fn(&'s str) -> Text<'a>) -> Value<'a> {
    let resource_id: Rc<[Value<'a>]> = arn.resource_id.into_iter().map(|part| Value::Str(text(part))).collect();
    Value::Record(Rc::from([
        ("partition", Value::Str(text(arn.partition))),
        ("service", Value::Str(text(arn.service))),
        ("region", Value::Str(text(arn.region))),
        ("accountId", Value::Str(text(arn.account_id))),
        ("resourceId", Value::Array(resource_id)),
    ]))
}

fn partition_value<'a>(outputs: PartitionOutputs) -> Value<'a> {
    let fields = [
        ("name", Value::str(outputs.name)),
        ("dnsSuffix", Value::str(outputs.dns_suffix)),
        ("dualStackDnsSuffix", Value::str(outputs.dual_stack_dns_suffix)),
        ("supportsFIPS", Value::Bool(outputs.supports_fips)),
        ("supportsDualStack", Value::Bool(outputs.supports_dual_stack)),
    ];
    // A partition without an implicit global region leaves the field unset.
    match outputs.implicit_global_region {
        Some(region) => {
            let [a, b, c, d, e] = fields;
            Value::Record(Rc::from([a, b, c, d, e, ("implicitGlobalRegion", Value::str(region))]))
        }
        None => Value::Record(Rc::from(fields)),
    }
}
