//! The type checker: resolves every reference to a parameter or an in-scope variable (and
//! gives it its evaluation slot), checks function names, argument counts and types, and the
//! types of URLs, headers, properties and error messages.
//!
//! Types follow the Smithy rules engine: parameters that are neither required nor defaulted are
//! optional, and an optional value must be proven set before it is used as a plain value, by
//! an `isSet(x)` condition or by `assign`ing it in a condition.

use crate::functions::Func;
use crate::model::{Condition, EndpointTemplate, Expr, Location, Parameter, PathPart, Property, Rule, RuleKind};
use crate::ParameterType;
use std::fmt;

/// A problem found in a rule set, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where, as a path into the rule-set JSON such as `rules[3].rules[0].conditions[1].argv[0]`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The static type of an expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Type {
    String,
    Bool,
    Int,
    Array(Box<Type>),
    Record(Vec<(String, Type)>),
    /// Unknown (a piece already reported as broken): accepted anywhere.
    Any,
    Optional(Box<Type>),
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Array(member) => write!(f, "array<{member}>"),
            Type::Record(fields) => {
                f.write_str("record{")?;
                for (i, (name, _)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(name)?;
                }
                f.write_str("}")
            }
            Type::Any => f.write_str("any"),
            Type::Optional(inner) => write!(f, "option<{inner}>"),
        }
    }
}

impl Type {
    fn optional(inner: Type) -> Type {
        match inner {
            Type::Optional(_) | Type::Any => inner,
            other => Type::Optional(Box::new(other)),
        }
    }

    /// The type once the value is known to be set.
    fn proven(self) -> Type {
        match self {
            Type::Optional(inner) => *inner,
            other => other,
        }
    }

    fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_))
    }

    fn inner(&self) -> &Type {
        match self {
            Type::Optional(inner) => inner,
            other => other,
        }
    }

    /// Whether a value of type `actual` may be used where `self` is expected.
    fn accepts(&self, actual: &Type) -> bool {
        match (self, actual) {
            (Type::Any, _) | (_, Type::Any) => true,
            (Type::Optional(expected), Type::Optional(actual)) => expected.accepts(actual),
            (Type::Optional(expected), actual) => expected.accepts(actual),
            (_, Type::Optional(_)) => false,
            (Type::Array(expected), Type::Array(actual)) => expected.accepts(actual),
            (Type::Record(_), Type::Record(_)) => true,
            (expected, actual) => expected == actual,
        }
    }

    fn record(fields: &[(&str, Type)]) -> Type {
        Type::Record(fields.iter().map(|(name, ty)| ((*name).to_owned(), ty.clone())).collect())
    }

    pub(crate) fn url() -> Type {
        Type::record(&[
            ("scheme", Type::String),
            ("authority", Type::String),
            ("path", Type::String),
            ("normalizedPath", Type::String),
            ("isIp", Type::Bool),
        ])
    }

    pub(crate) fn partition() -> Type {
        Type::record(&[
            ("name", Type::String),
            ("dnsSuffix", Type::String),
            ("dualStackDnsSuffix", Type::String),
            ("supportsFIPS", Type::Bool),
            ("supportsDualStack", Type::Bool),
            // Every partition has one, and rule sets template it directly.
            ("implicitGlobalRegion", Type::String),
        ])
    }

    pub(crate) fn arn() -> Type {
        Type::record(&[
            ("partition", Type::String),
            ("service", Type::String),
            ("region", Type::String),
            ("accountId", Type::String),
            ("resourceId", Type::Array(Box::new(Type::String))),
        ])
    }
}

impl From<ParameterType> for Type {
    fn from(kind: ParameterType) -> Type {
        match kind {
            ParameterType::String => Type::String,
            ParameterType::Boolean => Type::Bool,
            ParameterType::StringArray => Type::Array(Box::new(Type::String)),
        }
    }
}

/// A name in scope. An `isSet` refinement is a later binding of the same name and slot.
struct Binding {
    name: String,
    ty: Type,
    slot: usize,
}

pub(crate) struct Checker {
    pub diagnostics: Vec<Diagnostic>,
    scope: Vec<Binding>,
    /// Slots 0..parameters hold the parameters; each `assign` gets the next one.
    pub slots: usize,
    version: Option<(u32, u32)>,
    version_text: String,
}

impl Checker {
    pub(crate) fn new(version: &str, parameters: &[Parameter]) -> Self {
        let scope = parameters
            .iter()
            .enumerate()
            .map(|(slot, p)| {
                let ty = Type::from(p.kind);
                let ty = if p.required || p.default.is_some() { ty } else { Type::optional(ty) };
                Binding { name: p.name.clone(), ty, slot }
            })
            .collect();
        Checker {
            diagnostics: Vec::new(),
            scope,
            slots: parameters.len(),
            version: parse_version(version),
            version_text: version.to_owned(),
        }
    }

    fn error(&mut self, at: &Location, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic { path: at.as_str().to_owned(), message: message.into() });
    }

    pub(crate) fn check_version(&mut self) {
        if !self.version_text.is_empty() && self.version.is_none() {
            self.error(
                &Location::root().field("version"),
                format!("`{}` is not a version like `1.0`", self.version_text),
            );
        }
    }

    pub(crate) fn rules(&mut self, rules: &mut [Rule], at: &Location) {
        for (i, rule) in rules.iter_mut().enumerate() {
            self.rule(rule, &at.index(i));
        }
    }

    fn rule(&mut self, rule: &mut Rule, at: &Location) {
        // Variables assigned (and refinements made) in a rule's conditions end with the rule.
        let mark = self.scope.len();
        let conditions_at = at.field("conditions");
        for (i, condition) in rule.conditions.iter_mut().enumerate() {
            self.condition(condition, &conditions_at.index(i));
        }
        match &mut rule.kind {
            RuleKind::Endpoint(endpoint) => self.endpoint(endpoint, &at.field("endpoint")),
            RuleKind::Error(message) => {
                let at = at.field("error");
                let ty = self.expr(message, &at);
                self.expect(&Type::String, &ty, &at, "the error message", Some(message));
            }
            RuleKind::Tree(rules) => self.rules(rules, &at.field("rules")),
        }
        self.scope.truncate(mark);
    }

    fn condition(&mut self, condition: &mut Condition, at: &Location) {
        let ty = self.expr(&mut condition.expr, at);
        // `isSet(x)` proves `x` set for the rest of the rule.
        if let Expr::Call(call) = &condition.expr {
            if let (Func::IsSet, [Expr::Ref(reference)]) = (call.func, call.args.as_slice()) {
                if let Some(binding) = self.lookup(&reference.name) {
                    if binding.ty.is_optional() {
                        let (name, ty, slot) = (binding.name.clone(), binding.ty.clone().proven(), binding.slot);
                        self.scope.push(Binding { name, ty, slot });
                    }
                }
            }
        }
        if let Some(assign) = &mut condition.assign {
            if self.lookup(&assign.name).is_some() {
                self.error(
                    &at.field("assign"),
                    format!(
                        "`{}` is already a parameter or a variable in scope; assignments must not shadow",
                        assign.name
                    ),
                );
            }
            assign.slot = self.slots;
            self.slots += 1;
            self.scope.push(Binding { name: assign.name.clone(), ty: ty.proven(), slot: assign.slot });
        }
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scope.iter().rev().find(|b| b.name == name)
    }

    fn endpoint(&mut self, endpoint: &mut EndpointTemplate, at: &Location) {
        let url_at = at.field("url");
        let ty = self.expr(&mut endpoint.url, &url_at);
        self.expect(&Type::String, &ty, &url_at, "the URL", Some(&endpoint.url));
        let headers_at = at.field("headers");
        for (name, values) in &mut endpoint.headers {
            let at = headers_at.field(name);
            for (i, value) in values.iter_mut().enumerate() {
                let at = at.index(i);
                let ty = self.expr(value, &at);
                self.expect(&Type::String, &ty, &at, "a header value", Some(value));
            }
        }
        let properties_at = at.field("properties");
        for (name, value) in &mut endpoint.properties {
            self.property(value, &properties_at.field(name));
        }
    }

    fn property(&mut self, property: &mut Property, at: &Location) {
        match property {
            Property::Json(_) => {}
            Property::Str(expr) => {
                let ty = self.expr(expr, at);
                self.expect(&Type::String, &ty, at, "a property string", Some(expr));
            }
            Property::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.property(item, &at.index(i));
                }
            }
            Property::Object(fields) => {
                for (name, value) in fields {
                    self.property(value, &at.field(name));
                }
            }
        }
    }

    /// Reports `actual` where `expected` is needed, with a hint for unproven optionals.
    fn expect(&mut self, expected: &Type, actual: &Type, at: &Location, what: &str, expr: Option<&Expr>) {
        if expected.accepts(actual) {
            return;
        }
        let mut message = format!("{what} must be {expected}, found {actual}");
        if actual.is_optional() && expected.accepts(actual.inner()) {
            let hint = match expr {
                Some(Expr::Ref(reference)) => format!(
                    "; prove `{0}` is set first (an `isSet({0})` condition, or `assign` it in a condition)",
                    reference.name
                ),
                _ => "; `assign` it in a condition to use it only when it is set".to_owned(),
            };
            message.push_str(&hint);
        }
        self.error(at, message);
    }

    pub(crate) fn expr(&mut self, expr: &mut Expr, at: &Location) -> Type {
        match expr {
            Expr::Str(_) => Type::String,
            Expr::Template(parts) => {
                for part in parts {
                    if let crate::model::TemplatePart::Dynamic { raw, expr } = part {
                        let ty = self.expr(expr, at);
                        let what = format!("template part `{{{raw}}}`");
                        self.expect(&Type::String, &ty, at, &what, Some(expr));
                    }
                }
                Type::String
            }
            Expr::Bool(_) => Type::Bool,
            Expr::Int(_) => Type::Int,
            Expr::Array(items) => {
                let mut member: Option<Type> = None;
                for (i, item) in items.iter_mut().enumerate() {
                    let at = at.index(i);
                    let ty = self.expr(item, &at);
                    match &member {
                        None => member = Some(ty),
                        Some(first) if first.accepts(&ty) && ty.accepts(first) => {}
                        Some(first) => {
                            let message = format!("array elements must share one type: {first} then {ty}");
                            self.error(&at, message);
                        }
                    }
                }
                Type::Array(Box::new(member.unwrap_or(Type::Any)))
            }
            Expr::Record(fields) => {
                let mut types = Vec::with_capacity(fields.len());
                for (name, value) in fields {
                    let ty = self.expr(value, &at.field(name));
                    types.push((name.clone(), ty));
                }
                Type::Record(types)
            }
            Expr::Ref(reference) => match self.lookup(&reference.name) {
                Some(binding) => {
                    reference.slot = binding.slot;
                    binding.ty.clone()
                }
                None => {
                    let message = format!("`{}` is not a parameter or a variable in scope", reference.name);
                    self.error(at, message);
                    Type::Any
                }
            },
            Expr::GetAttr { target, path, raw, shorthand } => {
                let argv_at = at.field("argv");
                let (target_at, path_at) =
                    if *shorthand { (at.clone(), at.clone()) } else { (argv_at.index(0), argv_at.index(1)) };
                let ty = self.expr(target, &target_at);
                self.get_attr(ty, path, raw, &path_at)
            }
            Expr::Call(call) => self.call(call.func, &mut call.args, at),
            Expr::Invalid => Type::Any,
        }
    }

    fn get_attr(&mut self, mut ty: Type, path: &[PathPart], raw: &str, at: &Location) -> Type {
        for part in path {
            ty = match (part, ty) {
                (_, Type::Any) => Type::Any,
                (_, optional @ Type::Optional(_)) => {
                    self.error(
                        at,
                        format!(
                            "`getAttr` path `{raw}`: cannot read into {optional}; an index must be the path's last \
                             step and a value must be proven set (`assign` it in a condition) before reading into it"
                        ),
                    );
                    return Type::Any;
                }
                (PathPart::Key(key), Type::Record(fields)) => match fields.iter().find(|(name, _)| name == key) {
                    Some((_, field)) => field.clone(),
                    None => {
                        let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
                        self.error(
                            at,
                            format!("`getAttr` path `{raw}`: no field `{key}` (the record has {})", names.join(", ")),
                        );
                        return Type::Any;
                    }
                },
                (PathPart::Index(_), Type::Array(member)) => Type::optional(*member),
                (PathPart::Key(key), other) => {
                    self.error(at, format!("`getAttr` path `{raw}`: cannot read field `{key}` of {}", a(&other)));
                    return Type::Any;
                }
                (PathPart::Index(index), other) => {
                    self.error(at, format!("`getAttr` path `{raw}`: cannot index `[{index}]` into {}", a(&other)));
                    return Type::Any;
                }
            };
        }
        ty
    }

    fn call(&mut self, func: Func, args: &mut [Expr], at: &Location) -> Type {
        let name = func.name();
        if let Some(version) = self.version {
            if version < func.since() {
                let (major, minor) = func.since();
                let message = format!(
                    "`{name}` needs rules-engine version {major}.{minor} or later; this rule set declares {}",
                    self.version_text
                );
                self.error(at, message);
            }
        }
        let argv_at = at.field("argv");
        let types: Vec<Type> = args.iter_mut().enumerate().map(|(i, arg)| self.expr(arg, &argv_at.index(i))).collect();
        let fixed = |params: &[Type], result: Type, checker: &mut Checker, args: &[Expr]| {
            if types.len() != params.len() {
                checker.error(at, format!("`{name}` takes {} argument(s), found {}", params.len(), types.len()));
                return result;
            }
            for (i, (expected, actual)) in params.iter().zip(&types).enumerate() {
                let what = format!("argument {} of `{name}`", i + 1);
                checker.expect(expected, actual, &argv_at.index(i), &what, args.get(i));
            }
            result
        };
        use Type::{Bool, Int, String};
        match func {
            Func::IsSet => {
                if types.len() != 1 {
                    self.error(at, format!("`isSet` takes 1 argument, found {}", types.len()));
                }
                Bool
            }
            Func::Not => fixed(&[Bool], Bool, self, args),
            Func::BooleanEquals => fixed(&[Bool, Bool], Bool, self, args),
            Func::StringEquals => fixed(&[String, String], Bool, self, args),
            Func::IsValidHostLabel => fixed(&[String, Bool], Bool, self, args),
            Func::ParseUrl => fixed(&[String], Type::optional(Type::url()), self, args),
            Func::Substring => fixed(&[String, Int, Int, Bool], Type::optional(String), self, args),
            Func::UriEncode => fixed(&[String], String, self, args),
            Func::Split => {
                if let Some(Expr::Str(delimiter)) = args.get(1).filter(|_| types.len() == 3) {
                    if delimiter.is_empty() {
                        self.error(&argv_at.index(1), "the delimiter of `split` must not be empty");
                    }
                }
                if let Some(Expr::Int(limit)) = args.get(2).filter(|_| types.len() == 3) {
                    if *limit < 0 {
                        self.error(&argv_at.index(2), "the limit of `split` must not be negative");
                    }
                }
                fixed(&[String, String, Int], Type::Array(Box::new(String)), self, args)
            }
            Func::AwsPartition => fixed(&[String], Type::optional(Type::partition()), self, args),
            Func::AwsParseArn => fixed(&[String], Type::optional(Type::arn()), self, args),
            Func::AwsIsVirtualHostableS3Bucket => fixed(&[String, Bool], Bool, self, args),
            Func::Coalesce => {
                if types.len() < 2 {
                    self.error(at, format!("`coalesce` takes 2 or more arguments, found {}", types.len()));
                    return Type::Any;
                }
                self.same_inner_types(&types, 0, &argv_at, name);
                let inner = types[0].inner().clone();
                if types.iter().all(Type::is_optional) {
                    Type::optional(inner)
                } else {
                    inner
                }
            }
            Func::Ite => {
                if types.len() != 3 {
                    self.error(at, format!("`ite` takes 3 arguments, found {}", types.len()));
                    return Type::Any;
                }
                self.expect(&Bool, &types[0], &argv_at.index(0), "the condition of `ite`", args.first());
                self.same_inner_types(&types, 1, &argv_at, name);
                let inner = types[1].inner().clone();
                if types[1].is_optional() || types[2].is_optional() {
                    Type::optional(inner)
                } else {
                    inner
                }
            }
            // Parsed into `Expr::GetAttr`; never a plain call.
            Func::GetAttr => Type::Any,
        }
    }

    /// `types[from..]` must have the same type once unwrapped from optionals.
    fn same_inner_types(&mut self, types: &[Type], from: usize, argv_at: &Location, name: &str) {
        let first = types[from].inner();
        for (i, ty) in types.iter().enumerate().skip(from + 1) {
            if !(first.accepts(ty.inner()) && ty.inner().accepts(first)) {
                let message = format!("arguments of `{name}` must share one type: {first} and {}", ty.inner());
                self.error(&argv_at.index(i), message);
            }
        }
    }
}

/// The type with its article, for messages.
fn a(ty: &Type) -> String {
    match ty {
        Type::Int | Type::Array(_) | Type::Optional(_) | Type::Any => format!("an {ty}"),
        _ => format!("a {ty}"),
    }
}

/// `major.minor` (a missing minor is 0).
fn parse_version(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.split_once('.').unwrap_or((version, "0"));
    Some((major.parse().ok()?, minor.parse().ok()?))
}
