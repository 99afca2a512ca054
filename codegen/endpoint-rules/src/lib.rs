//! The Smithy endpoint rules engine.
//!
//! A service's `smithy.rules#endpointRuleSet` trait describes, as data, how a client turns
//! parameters (region, FIPS and dual-stack flags, a custom endpoint, service-specific values)
//! into an endpoint: a URL, headers and properties such as the signing scheme. This crate
//!
//! - parses a rule set from the trait's JSON and type-checks it ([`RuleSet::from_json`]): unknown
//!   functions, references to undefined parameters or to variables out of scope, wrong argument
//!   counts or types are reported as [`Diagnostic`]s with their location in the JSON;
//! - evaluates it ([`RuleSet::resolve`]) with the standard library (`isSet`, `not`,
//!   `booleanEquals`, `stringEquals`, `getAttr`, `isValidHostLabel`, `parseURL`, `substring`,
//!   `uriEncode`, `split`, `coalesce`, `ite`) and the AWS functions (`aws.partition`,
//!   `aws.parseArn`, `aws.isVirtualHostableS3Bucket`).
//!
//! ```
//! use aws_lite_endpoint_rules::{Params, RuleSet};
//!
//! let rules = serde_json::json!({
//!     "version": "1.0",
//!     "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region", "required": true}},
//!     "rules": [{
//!         "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
//!         "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}"},
//!         "type": "endpoint"
//!     }]
//! });
//! let rule_set = RuleSet::from_json(&rules).unwrap();
//! let endpoint = rule_set.resolve(&Params::new().with("Region", "cn-north-1")).unwrap();
//! assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
//! ```
//!
//! # Partitions
//!
//! `aws.partition` uses partition data built into the crate ([`partitions`]), generated from
//! Smithy's `partitions.json`; nothing is read at run time. Refresh it with
//! `cargo xtask partitions [--from FILE]` (the default file is
//! `../shared/endpoint-tests/partitions.json` beside the repository) and commit the regenerated
//! `src/partitions/data.rs`; `cargo xtask partitions --check` fails when the file is stale.
//!
//! # Cost
//!
//! Parsing and checking happen once; resolving walks the checked tree without parsing JSON or
//! compiling patterns (partition patterns are compiled once per process), and strings are
//! borrowed from the rule set and the parameters wherever possible.

#![warn(missing_docs)]

mod check;
mod eval;
mod functions;
mod model;
pub mod partitions;
mod value;

pub use check::Diagnostic;
pub use model::{Deprecated, Parameter};

use std::collections::BTreeMap;
use std::fmt;

/// The type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParameterType::String => "string",
            ParameterType::Boolean => "boolean",
            ParameterType::StringArray => "stringArray",
        })
    }
}

/// A parameter value given to [`RuleSet::resolve`] (or a parameter's default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParamValue {
    /// A `string` parameter's value.
    String(String),
    /// A `boolean` parameter's value.
    Bool(bool),
    /// A `stringArray` parameter's value.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The parameter type this value fits.
    pub fn kind(&self) -> ParameterType {
        match self {
            ParamValue::String(_) => ParameterType::String,
            ParamValue::Bool(_) => ParameterType::Boolean,
            ParamValue::StringArray(_) => ParameterType::StringArray,
        }
    }

    /// A JSON string, boolean or array of strings as a value; `None` for anything else.
    pub fn from_json(json: &serde_json::Value) -> Option<ParamValue> {
        match json {
            serde_json::Value::String(s) => Some(ParamValue::String(s.clone())),
            serde_json::Value::Bool(b) => Some(ParamValue::Bool(*b)),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(ParamValue::StringArray),
            _ => None,
        }
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        ParamValue::StringArray(value)
    }
}

/// The parameters of one resolution, by name. Names the rule set does not declare are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: Vec<(String, ParamValue)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Params::default()
    }

    /// The parameters set, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.values.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// Sets `name` (replacing an earlier value).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> &mut Self {
        let (name, value) = (name.into(), value.into());
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name, value)),
        }
        self
    }

    /// `self` with `name` set.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.set(name, value);
        self
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Parameters from a JSON object of strings, booleans and string arrays (the `params` of
    /// an endpoint test case); the error names the first member that is none of those.
    pub fn from_json(json: &serde_json::Value) -> Result<Params, String> {
        let object = json.as_object().ok_or_else(|| "parameters must be a JSON object".to_owned())?;
        let mut params = Params::new();
        for (name, value) in object {
            let value = ParamValue::from_json(value)
                .ok_or_else(|| format!("parameter `{name}`: {value} is not a string, boolean or string array"))?;
            params.set(name.clone(), value);
        }
        Ok(params)
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Endpoint {
    /// The endpoint's URL.
    pub url: String,
    /// Headers to send to it, by name.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Endpoint properties such as `authSchemes`.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// Why [`RuleSet::resolve`] gave no endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    /// An error rule matched; this is its message.
    Rule(String),
    /// No rule matched (the rule set's rules, or those of a matching tree rule, ran out).
    NoRuleMatched,
    /// A required parameter without default was not given.
    MissingParameter(String),
    /// A parameter was given a value of the wrong type.
    InvalidParameter {
        /// The parameter.
        name: String,
        /// Its declared type.
        expected: ParameterType,
    },
    /// Evaluation met a value the checked rule set cannot produce (a bug in the rule set's
    /// functions or in this crate).
    Evaluation(String),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Rule(message) => f.write_str(message),
            EndpointError::NoRuleMatched => f.write_str("no endpoint rule matched the parameters"),
            EndpointError::MissingParameter(name) => write!(f, "missing required endpoint parameter `{name}`"),
            EndpointError::InvalidParameter { name, expected } => {
                write!(f, "endpoint parameter `{name}` must be a {expected}")
            }
            EndpointError::Evaluation(message) => write!(f, "endpoint rules evaluation failed: {message}"),
        }
    }
}

impl std::error::Error for EndpointError {}

/// Why a rule set was rejected: every problem found, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetError {
    /// The problems, each with its location.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid endpoint rule set ({} problem(s))", self.diagnostics.len())?;
        for diagnostic in &self.diagnostics {
            write!(f, "\n  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleSetError {}

/// A parsed and checked endpoint rule set, ready to resolve endpoints.
#[derive(Debug)]
pub struct RuleSet {
    version: String,
    parameters: Vec<Parameter>,
    rules: Vec<model::Rule>,
    /// Parameters and assigned variables: the size of an evaluation's scope.
    slots: usize,
}

impl RuleSet {
    /// Parses and checks the value of a `smithy.rules#endpointRuleSet` trait.
    pub fn from_json(json: &serde_json::Value) -> Result<RuleSet, RuleSetError> {
        let mut parser = model::Parser::new();
        let mut parsed = parser.rule_set(json);
        let mut checker = check::Checker::new(&parsed.version, &parsed.parameters);
        checker.check_version();
        checker.rules(&mut parsed.rules, &model::Location::root().field("rules"));
        let mut diagnostics = parser.diagnostics;
        diagnostics.append(&mut checker.diagnostics);
        if !diagnostics.is_empty() {
            return Err(RuleSetError { diagnostics });
        }
        Ok(RuleSet {
            version: parsed.version,
            parameters: parsed.parameters,
            rules: parsed.rules,
            slots: checker.slots,
        })
    }

    /// [`RuleSet::from_json`] of a JSON text.
    pub fn from_json_str(json: &str) -> Result<RuleSet, RuleSetError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| RuleSetError {
            diagnostics: vec![Diagnostic { path: "<root>".to_owned(), message: format!("invalid JSON: {e}") }],
        })?;
        RuleSet::from_json(&value)
    }

    /// The rules-engine version the rule set declares.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The declared parameters, in declaration order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// Resolves the endpoint for `params`: parameters left out take their defaults, then the
    /// rules are evaluated in order until an endpoint or error rule matches.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        eval::resolve(self, params)
    }
}
