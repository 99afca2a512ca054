//! The rule-set syntax tree and its parsing from the JSON of the `smithy.rules#endpointRuleSet`
//! trait.
//!
//! Parsing is forgiving: every structural problem becomes a [`Diagnostic`] and the broken piece
//! an [`Expr::Invalid`], so that one pass reports everything wrong with a rule set (the type
//! checker then runs over the same tree).

use crate::check::Diagnostic;
use crate::functions::Func;
use crate::{ParamValue, ParameterType};
use serde_json::Value as Json;

/// A parameter declared by a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The parameter's name, as referenced by the rules.
    pub name: String,
    /// The parameter's type.
    pub kind: ParameterType,
    /// Whether resolution fails when the parameter is neither given nor defaulted.
    pub required: bool,
    /// The value used when the caller gives none.
    pub default: Option<ParamValue>,
    /// The built-in the parameter is bound to (e.g. `AWS::Region`, `SDK::Endpoint`).
    pub built_in: Option<String>,
    /// The parameter's documentation.
    pub documentation: Option<String>,
    /// Deprecation notice, when the parameter is deprecated.
    pub deprecated: Option<Deprecated>,
}

/// The `deprecated` object of a parameter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deprecated {
    /// What to use instead.
    pub message: Option<String>,
    /// When the parameter was deprecated.
    pub since: Option<String>,
}

/// A rule: conditions and what the rule gives when they all hold.
#[derive(Debug)]
pub(crate) struct Rule {
    pub conditions: Vec<Condition>,
    pub kind: RuleKind,
}

#[derive(Debug)]
pub(crate) enum RuleKind {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

/// A condition: a function call whose result may be assigned to a variable.
#[derive(Debug)]
pub(crate) struct Condition {
    pub expr: Expr,
    pub assign: Option<Assign>,
}

/// The variable a condition assigns; `slot` is filled in by the checker.
#[derive(Debug)]
pub(crate) struct Assign {
    pub name: String,
    pub slot: usize,
}

/// The `endpoint` object of an endpoint rule.
#[derive(Debug)]
pub(crate) struct EndpointTemplate {
    pub url: Expr,
    pub headers: Vec<(String, Vec<Expr>)>,
    pub properties: Vec<(String, Property)>,
}

/// An endpoint property: JSON whose strings are templates.
#[derive(Debug)]
pub(crate) enum Property {
    /// A JSON value without strings (null, boolean or number), kept as written.
    Json(Json),
    Str(Expr),
    Array(Vec<Property>),
    Object(Vec<(String, Property)>),
}

/// An expression.
#[derive(Debug)]
pub(crate) enum Expr {
    /// A string without template parts.
    Str(String),
    /// A string with `{...}` parts.
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Record(Vec<(String, Expr)>),
    Ref(Ref),
    Call(Call),
    /// `getAttr(target, "path")`, with the path parsed; `raw` is the path as written and
    /// `shorthand` tells a template's `{name#path}` from a call.
    GetAttr {
        target: Box<Expr>,
        path: Vec<PathPart>,
        raw: String,
        shorthand: bool,
    },
    /// Stands for a piece that did not parse (already reported).
    Invalid,
}

#[derive(Debug)]
pub(crate) enum TemplatePart {
    Literal(String),
    /// A `{name}` or `{name#path}` part; `raw` is the text between the braces.
    Dynamic {
        raw: String,
        expr: Expr,
    },
}

/// A reference to a parameter or an assigned variable; `slot` is filled in by the checker.
#[derive(Debug)]
pub(crate) struct Ref {
    pub name: String,
    pub slot: usize,
}

#[derive(Debug)]
pub(crate) struct Call {
    pub func: Func,
    pub args: Vec<Expr>,
}

/// A step of a `getAttr` path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathPart {
    Key(String),
    /// An array index; negative indexes are accepted and select nothing.
    Index(i64),
}

/// A location in the rule-set JSON, rendered like `rules[3].conditions[1].argv[0]`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Location(String);

impl Location {
    pub(crate) fn root() -> Self {
        Location(String::new())
    }

    pub(crate) fn field(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Location(name.to_owned())
        } else {
            Location(format!("{}.{name}", self.0))
        }
    }

    pub(crate) fn index(&self, index: usize) -> Self {
        Location(format!("{}[{index}]", self.0))
    }

    pub(crate) fn as_str(&self) -> &str {
        if self.0.is_empty() {
            "<root>"
        } else {
            &self.0
        }
    }
}

/// The parsed parts of a rule set, before checking.
pub(crate) struct Parsed {
    pub version: String,
    pub parameters: Vec<Parameter>,
    pub rules: Vec<Rule>,
}

pub(crate) struct Parser {
    pub diagnostics: Vec<Diagnostic>,
}

impl Parser {
    pub(crate) fn new() -> Self {
        Parser { diagnostics: Vec::new() }
    }

    fn error(&mut self, at: &Location, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic { path: at.as_str().to_owned(), message: message.into() });
    }

    pub(crate) fn rule_set(&mut self, json: &Json) -> Parsed {
        let root = Location::root();
        let mut parsed = Parsed { version: String::new(), parameters: Vec::new(), rules: Vec::new() };
        let Some(object) = json.as_object() else {
            self.error(&root, "a rule set must be a JSON object");
            return parsed;
        };
        match object.get("version") {
            Some(Json::String(version)) => parsed.version = version.clone(),
            Some(_) => self.error(&root.field("version"), "`version` must be a string"),
            None => self.error(&root, "missing `version`"),
        }
        match object.get("parameters") {
            Some(Json::Object(parameters)) => {
                let at = root.field("parameters");
                for (name, parameter) in parameters {
                    if let Some(parameter) = self.parameter(name, parameter, &at.field(name)) {
                        parsed.parameters.push(parameter);
                    }
                }
            }
            Some(_) => self.error(&root.field("parameters"), "`parameters` must be an object"),
            None => self.error(&root, "missing `parameters`"),
        }
        match object.get("rules") {
            Some(Json::Array(rules)) => {
                if rules.is_empty() {
                    self.error(&root.field("rules"), "a rule set needs at least one rule");
                }
                let at = root.field("rules");
                parsed.rules = rules.iter().enumerate().map(|(i, rule)| self.rule(rule, &at.index(i))).collect();
            }
            Some(_) => self.error(&root.field("rules"), "`rules` must be an array"),
            None => self.error(&root, "missing `rules`"),
        }
        parsed
    }

    fn parameter(&mut self, name: &str, json: &Json, at: &Location) -> Option<Parameter> {
        let Some(object) = json.as_object() else {
            self.error(at, "a parameter must be an object");
            return None;
        };
        let kind = match object.get("type").and_then(Json::as_str) {
            Some(kind) if kind.eq_ignore_ascii_case("string") => ParameterType::String,
            Some(kind) if kind.eq_ignore_ascii_case("boolean") => ParameterType::Boolean,
            Some(kind) if kind.eq_ignore_ascii_case("stringArray") => ParameterType::StringArray,
            Some(other) => {
                self.error(
                    &at.field("type"),
                    format!("unknown parameter type `{other}` (expected `string`, `boolean` or `stringArray`)"),
                );
                return None;
            }
            None => {
                self.error(at, "a parameter needs a `type` string");
                return None;
            }
        };
        let required = match object.get("required") {
            None => false,
            Some(Json::Bool(required)) => *required,
            Some(_) => {
                self.error(&at.field("required"), "`required` must be a boolean");
                false
            }
        };
        let default = match object.get("default") {
            None => None,
            Some(value) => match ParamValue::from_json(value) {
                Some(value) if value.kind() == kind => Some(value),
                _ => {
                    self.error(&at.field("default"), format!("the default must be a {kind} like the parameter"));
                    None
                }
            },
        };
        let string = |key: &str, parser: &mut Parser| match object.get(key) {
            None => None,
            Some(Json::String(value)) => Some(value.clone()),
            Some(_) => {
                parser.error(&at.field(key), format!("`{key}` must be a string"));
                None
            }
        };
        let built_in = string("builtIn", self);
        let documentation = string("documentation", self);
        let deprecated = match object.get("deprecated") {
            None => None,
            Some(Json::Object(deprecated)) => Some(Deprecated {
                message: deprecated.get("message").and_then(Json::as_str).map(str::to_owned),
                since: deprecated.get("since").and_then(Json::as_str).map(str::to_owned),
            }),
            Some(_) => {
                self.error(&at.field("deprecated"), "`deprecated` must be an object");
                None
            }
        };
        Some(Parameter { name: name.to_owned(), kind, required, default, built_in, documentation, deprecated })
    }

    fn rule(&mut self, json: &Json, at: &Location) -> Rule {
        let mut rule = Rule { conditions: Vec::new(), kind: RuleKind::Error(Expr::Invalid) };
        let Some(object) = json.as_object() else {
            self.error(at, "a rule must be an object");
            return rule;
        };
        match object.get("conditions") {
            Some(Json::Array(conditions)) => {
                let at = at.field("conditions");
                rule.conditions =
                    conditions.iter().enumerate().filter_map(|(i, c)| self.condition(c, &at.index(i))).collect();
            }
            Some(_) => self.error(&at.field("conditions"), "`conditions` must be an array"),
            None => self.error(at, "a rule needs `conditions` (an empty array when it has none)"),
        }
        rule.kind = match object.get("type").and_then(Json::as_str) {
            Some("endpoint") => match object.get("endpoint") {
                Some(endpoint) => RuleKind::Endpoint(self.endpoint(endpoint, &at.field("endpoint"))),
                None => {
                    self.error(at, "an endpoint rule needs an `endpoint`");
                    RuleKind::Error(Expr::Invalid)
                }
            },
            Some("error") => match object.get("error") {
                Some(error) => RuleKind::Error(self.expr(error, &at.field("error"))),
                None => {
                    self.error(at, "an error rule needs an `error`");
                    RuleKind::Error(Expr::Invalid)
                }
            },
            Some("tree") => match object.get("rules") {
                Some(Json::Array(rules)) => {
                    if rules.is_empty() {
                        self.error(&at.field("rules"), "a tree rule needs at least one rule");
                    }
                    let at = at.field("rules");
                    RuleKind::Tree(rules.iter().enumerate().map(|(i, r)| self.rule(r, &at.index(i))).collect())
                }
                _ => {
                    self.error(at, "a tree rule needs a `rules` array");
                    RuleKind::Tree(Vec::new())
                }
            },
            Some(other) => {
                self.error(
                    &at.field("type"),
                    format!("unknown rule type `{other}` (expected `endpoint`, `error` or `tree`)"),
                );
                RuleKind::Error(Expr::Invalid)
            }
            None => {
                self.error(at, "a rule needs a `type` string");
                RuleKind::Error(Expr::Invalid)
            }
        };
        rule
    }

    fn condition(&mut self, json: &Json, at: &Location) -> Option<Condition> {
        let Some(object) = json.as_object() else {
            self.error(at, "a condition must be an object");
            return None;
        };
        if !object.contains_key("fn") {
            self.error(at, "a condition needs `fn` and `argv`");
            return None;
        }
        let expr = self.call(object, at);
        let assign = match object.get("assign") {
            None => None,
            Some(Json::String(name)) => Some(Assign { name: name.clone(), slot: 0 }),
            Some(_) => {
                self.error(&at.field("assign"), "`assign` must be a string");
                None
            }
        };
        Some(Condition { expr, assign })
    }

    /// A `{"fn": ..., "argv": [...]}` object.
    fn call(&mut self, object: &serde_json::Map<String, Json>, at: &Location) -> Expr {
        let Some(name) = object.get("fn").and_then(Json::as_str) else {
            self.error(&at.field("fn"), "`fn` must be a string");
            return Expr::Invalid;
        };
        let Some(argv) = object.get("argv").and_then(Json::as_array) else {
            self.error(at, format!("the call of `{name}` needs an `argv` array"));
            return Expr::Invalid;
        };
        let Some(func) = Func::from_name(name) else {
            self.error(at, format!("unknown function `{name}`"));
            return Expr::Invalid;
        };
        let argv_at = at.field("argv");
        if func == Func::GetAttr {
            return self.get_attr(argv, &argv_at);
        }
        let args = argv.iter().enumerate().map(|(i, arg)| self.expr(arg, &argv_at.index(i))).collect();
        Expr::Call(Call { func, args })
    }

    /// `getAttr` keeps its path as parsed parts; the path must be a literal string.
    fn get_attr(&mut self, argv: &[Json], at: &Location) -> Expr {
        if argv.len() != 2 {
            self.error(at, format!("`getAttr` takes 2 arguments (a value and a path), found {}", argv.len()));
            return Expr::Invalid;
        }
        let target = self.expr(&argv[0], &at.index(0));
        let Some(path) = argv[1].as_str().filter(|path| !path.contains(['{', '}'])) else {
            self.error(&at.index(1), "the path of `getAttr` must be a literal string (not a template)");
            return Expr::Invalid;
        };
        match parse_path(path) {
            Ok(parts) => {
                Expr::GetAttr { target: Box::new(target), path: parts, raw: path.to_owned(), shorthand: false }
            }
            Err(message) => {
                self.error(&at.index(1), message);
                Expr::Invalid
            }
        }
    }

    /// Any expression: a string template, a literal, a reference or a function call.
    pub(crate) fn expr(&mut self, json: &Json, at: &Location) -> Expr {
        match json {
            Json::String(s) => match parse_template(s) {
                Ok(expr) => expr,
                Err(message) => {
                    self.error(at, message);
                    Expr::Invalid
                }
            },
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Expr::Int(i),
                None => {
                    self.error(at, format!("only integer numbers are supported, found {n}"));
                    Expr::Invalid
                }
            },
            Json::Array(items) => {
                Expr::Array(items.iter().enumerate().map(|(i, item)| self.expr(item, &at.index(i))).collect())
            }
            Json::Object(object) => {
                if let Some(name) = object.get("ref") {
                    match name.as_str() {
                        Some(name) => Expr::Ref(Ref { name: name.to_owned(), slot: 0 }),
                        None => {
                            self.error(&at.field("ref"), "`ref` must be a string");
                            Expr::Invalid
                        }
                    }
                } else if object.contains_key("fn") {
                    self.call(object, at)
                } else {
                    Expr::Record(
                        object.iter().map(|(key, value)| (key.clone(), self.expr(value, &at.field(key)))).collect(),
                    )
                }
            }
            Json::Null => {
                self.error(at, "`null` is not an expression");
                Expr::Invalid
            }
        }
    }

    fn endpoint(&mut self, json: &Json, at: &Location) -> EndpointTemplate {
        let mut endpoint = EndpointTemplate { url: Expr::Invalid, headers: Vec::new(), properties: Vec::new() };
        let Some(object) = json.as_object() else {
            self.error(at, "an endpoint must be an object");
            return endpoint;
        };
        match object.get("url") {
            Some(url) => endpoint.url = self.expr(url, &at.field("url")),
            None => self.error(at, "an endpoint needs a `url`"),
        }
        match object.get("headers") {
            None => {}
            Some(Json::Object(headers)) => {
                let at = at.field("headers");
                for (name, values) in headers {
                    let at = at.field(name);
                    match values.as_array() {
                        Some(values) => {
                            let values = values.iter().enumerate().map(|(i, v)| self.expr(v, &at.index(i))).collect();
                            endpoint.headers.push((name.clone(), values));
                        }
                        None => self.error(&at, "header values must be an array"),
                    }
                }
            }
            Some(_) => self.error(&at.field("headers"), "`headers` must be an object"),
        }
        match object.get("properties") {
            None => {}
            Some(Json::Object(properties)) => {
                let at = at.field("properties");
                endpoint.properties =
                    properties.iter().map(|(key, value)| (key.clone(), self.property(value, &at.field(key)))).collect();
            }
            Some(_) => self.error(&at.field("properties"), "`properties` must be an object"),
        }
        endpoint
    }

    /// Properties are literal JSON (objects are never references or calls) with template strings.
    fn property(&mut self, json: &Json, at: &Location) -> Property {
        match json {
            Json::String(_) => Property::Str(self.expr(json, at)),
            Json::Array(items) => {
                Property::Array(items.iter().enumerate().map(|(i, item)| self.property(item, &at.index(i))).collect())
            }
            Json::Object(object) => Property::Object(
                object.iter().map(|(key, value)| (key.clone(), self.property(value, &at.field(key)))).collect(),
            ),
            other => Property::Json(other.clone()),
        }
    }
}

/// Parses a string literal: `{{` and `}}` stand for braces, `{name}` references a parameter or
/// variable and `{name#path}` is short for `getAttr(name, "path")`.
pub(crate) fn parse_template(s: &str) -> Result<Expr, String> {
    if !s.contains(['{', '}']) {
        return Ok(Expr::Str(s.to_owned()));
    }
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{{") {
            literal.push('{');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            literal.push('}');
            rest = after;
        } else if c == '{' {
            let inner_and_rest = &rest[1..];
            let Some(end) = inner_and_rest.find('}') else {
                return Err(format!("unmatched `{{` in template \"{s}\""));
            };
            let raw = &inner_and_rest[..end];
            if raw.contains('{') {
                return Err(format!("nested `{{` in template \"{s}\""));
            }
            if !literal.is_empty() {
                parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(TemplatePart::Dynamic { raw: raw.to_owned(), expr: parse_shortform(raw)? });
            rest = &inner_and_rest[end + 1..];
        } else if c == '}' {
            return Err(format!("unmatched `}}` in template \"{s}\""));
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    // A template of escapes only is a plain string.
    match parts.as_slice() {
        [] => Ok(Expr::Str(String::new())),
        [TemplatePart::Literal(only)] => Ok(Expr::Str(only.clone())),
        _ => Ok(Expr::Template(parts)),
    }
}

/// The inside of a template's braces: `name` or `name#path`.
fn parse_shortform(raw: &str) -> Result<Expr, String> {
    let (name, path) = match raw.split_once('#') {
        Some((name, path)) => (name, Some(path)),
        None => (raw, None),
    };
    if name.is_empty() {
        return Err(format!("empty reference in template part `{{{raw}}}`"));
    }
    let reference = Expr::Ref(Ref { name: name.to_owned(), slot: 0 });
    match path {
        None => Ok(reference),
        Some(path) => {
            let parts = parse_path(path).map_err(|e| format!("in template part `{{{raw}}}`: {e}"))?;
            Ok(Expr::GetAttr { target: Box::new(reference), path: parts, raw: path.to_owned(), shorthand: true })
        }
    }
}

/// Parses a `getAttr` path such as `a.b[2]` or `[0]`: keys separated by dots, each optionally
/// followed by one `[index]`.
pub(crate) fn parse_path(path: &str) -> Result<Vec<PathPart>, String> {
    let mut parts = Vec::new();
    for component in path.split('.') {
        let (key, index) = match component.find('[') {
            Some(open) => {
                let Some(number) = component[open + 1..].strip_suffix(']') else {
                    return Err(format!(
                        "invalid path component `{component}` in `{path}`: an index must end with `]`"
                    ));
                };
                let index = number
                    .parse::<i64>()
                    .map_err(|_| format!("invalid index `[{number}]` in path `{path}`: expected an integer"))?;
                (&component[..open], Some(index))
            }
            None => (component, None),
        };
        if key.is_empty() && index.is_none() {
            return Err(format!("empty component in path `{path}`"));
        }
        if !key.is_empty() {
            parts.push(PathPart::Key(key.to_owned()));
        }
        if let Some(index) = index {
            parts.push(PathPart::Index(index));
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template as (is-literal, text) pairs, references shown as `{name}` / `{name#path}`.
    fn parts(s: &str) -> Vec<String> {
        match parse_template(s).unwrap() {
            Expr::Str(s) => vec![format!("lit:{s}")],
            Expr::Template(parts) => parts
                .into_iter()
                .map(|part| match part {
                    TemplatePart::Literal(s) => format!("lit:{s}"),
                    TemplatePart::Dynamic { expr: Expr::Ref(r), .. } => format!("ref:{}", r.name),
                    TemplatePart::Dynamic { expr: Expr::GetAttr { target, path, .. }, .. } => match *target {
                        Expr::Ref(r) => format!("attr:{}#{path:?}", r.name),
                        other => format!("?{other:?}"),
                    },
                    TemplatePart::Dynamic { expr, .. } => format!("?{expr:?}"),
                })
                .collect(),
            other => vec![format!("?{other:?}")],
        }
    }

    #[test]
    fn templates() {
        assert_eq!(parts("https://example.com"), ["lit:https://example.com"]);
        assert_eq!(parts(""), ["lit:"]);
        assert_eq!(parts("https://{Region}.amazonaws.com"), ["lit:https://", "ref:Region", "lit:.amazonaws.com"]);
        assert_eq!(parts("{Region}"), ["ref:Region"]);
        assert_eq!(parts("{a}{b}"), ["ref:a", "ref:b"]);
        assert_eq!(
            parts("{url#scheme}://{p#resourceId[1]}"),
            [r#"attr:url#[Key("scheme")]"#, "lit:://", r#"attr:p#[Key("resourceId"), Index(1)]"#]
        );
        // Doubled braces are literal braces, and a template of escapes only is a plain string.
        assert_eq!(parts("{{literal}}"), ["lit:{literal}"]);
        assert_eq!(parts("a{{{b}}}c"), ["lit:a{", "ref:b", "lit:}c"]);
    }

    #[test]
    fn template_errors() {
        for (template, error) in [
            ("{Region", "unmatched `{`"),
            ("Region}", "unmatched `}`"),
            ("{}", "empty reference"),
            ("{#path}", "empty reference"),
            ("{a{b}}", "nested `{`"),
            ("{a#}", "empty component"),
            ("{a#b[x]}", "invalid index"),
        ] {
            let message = parse_template(template).unwrap_err();
            assert!(message.contains(error), "{template}: {message}");
        }
    }

    #[test]
    fn get_attr_paths() {
        use PathPart::{Index, Key};
        assert_eq!(parse_path("scheme").unwrap(), [Key("scheme".into())]);
        assert_eq!(parse_path("a.b[0]").unwrap(), [Key("a".into()), Key("b".into()), Index(0)]);
        assert_eq!(parse_path("[2]").unwrap(), [Index(2)]);
        assert_eq!(parse_path("resourceId[-1]").unwrap(), [Key("resourceId".into()), Index(-1)]);
        for invalid in ["", "a..b", "a.", "a[0", "a[x]", "a[]"] {
            assert!(parse_path(invalid).is_err(), "{invalid}");
        }
    }

    #[test]
    fn locations() {
        let at = Location::root().field("rules").index(3).field("conditions").index(1).field("argv").index(0);
        assert_eq!(at.as_str(), "rules[3].conditions[1].argv[0]");
        assert_eq!(Location::root().as_str(), "<root>");
    }
}
