//! The waiters of a service (`smithy.waiters#waitable` on its operations), with each
//! acceptor's JMESPath path compiled against the operation's typed input and output: every
//! step names a Rust field, so emission writes plain field accesses and a path the generator
//! cannot follow is a located error before anything is written.
//!
//! Why compiled rather than evaluated over JSON at run time: outputs are Rust structs whose
//! wire form (JSON names, headers, status codes) is not the model's member names the paths
//! use, and a compiled path costs nothing but the fields it reads.

use super::types::RustType;
use super::{OperationPlan, ServicePlan};
use crate::ir::{Kind, Model, Simple};
use crate::jmespath::{self, Comparator, Expr, Function, Projection};
use serde_json::Value;

/// A waiter of an operation.
#[derive(Debug, Clone)]
pub struct WaiterPlan {
    /// The waiter's name in the model (`TableExists`).
    pub name: String,
    /// The client method (`wait_until_table_exists`).
    pub method: String,
    /// The operation polled (its module name).
    pub operation: String,
    /// Its documentation, if the model gives one.
    pub documentation: Option<String>,
    /// Whether the model deprecates it.
    pub deprecated: bool,
    /// `minDelay` in seconds (default 2).
    pub min_delay: u64,
    /// `maxDelay` in seconds (default 120).
    pub max_delay: u64,
    /// The acceptors, in order.
    pub acceptors: Vec<Acceptor>,
}

/// An acceptor: the state it leads to when its matcher matches.
#[derive(Debug, Clone)]
pub struct Acceptor {
    /// `success`, `failure` or `retry`.
    pub state: State,
    /// What it matches.
    pub matcher: Matcher,
}

/// An acceptor's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The wait succeeded.
    Success,
    /// The wait failed.
    Failure,
    /// Call again.
    Retry,
}

/// What an acceptor matches.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A path over the output (or over `{input, output}`) compared with `expected`.
    Path {
        /// The compiled path.
        path: Node,
        /// The comparator's runtime name (`StringEquals`...).
        comparator: &'static str,
        /// The expected text.
        expected: String,
    },
    /// The call succeeded (`true`) or failed (`false`).
    Success(bool),
    /// The call failed with this error code.
    ErrorType(String),
}

/// A compiled path expression: a value computed from typed data.
#[derive(Debug, Clone)]
pub enum Node {
    /// The value at the end of a navigation.
    Nav(Nav),
    /// A literal.
    Literal(Value),
    /// A comparison.
    Compare(Comparator, Box<Node>, Box<Node>),
    /// `a && b`.
    And(Box<Node>, Box<Node>),
    /// `a || b`.
    Or(Box<Node>, Box<Node>),
    /// `!a`.
    Not(Box<Node>),
    /// `length(a)`.
    Length(Box<Node>),
    /// `contains(a, b)`.
    Contains(Box<Node>, Box<Node>),
    /// A projection over a typed list: `each` (and `filter`) evaluated on every element.
    Project {
        /// The navigation to the list.
        list: Nav,
        /// Whether nested lists of results are flattened (`[]`).
        flatten: bool,
        /// Elements kept: those for which this is truthy.
        filter: Option<Box<Node>>,
        /// What each kept element gives.
        each: Box<Node>,
    },
}

/// A walk over typed data from the current value: fields and indexes, ending at `shape`.
#[derive(Debug, Clone)]
pub struct Nav {
    /// Where the walk starts.
    pub root: Root,
    /// The steps.
    pub steps: Vec<Step>,
    /// The shape ID at the end (`smithy.api#...` for prelude scalars).
    pub shape: String,
}

/// Where a navigation starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// The output (`output` matchers).
    Output,
    /// The input (`input.` in `inputOutput` matchers).
    Input,
    /// The current element of a projection.
    Element,
}

/// One step of a navigation.
#[derive(Debug, Clone)]
pub enum Step {
    /// A structure field.
    Field {
        /// The Rust field name.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
        /// Whether it is boxed.
        boxed: bool,
    },
    /// An element of a list (negative counts from the end).
    Index(i64),
}

/// A waiter or acceptor the generator cannot express, by operation shape ID.
#[derive(Debug, Clone)]
pub struct WaiterProblem {
    /// The operation shape ID.
    pub operation: String,
    /// What is wrong, naming the waiter.
    pub message: String,
}

/// The waiters of `plan`'s operations, and the problems of those it cannot compile.
pub fn waiters(model: &Model, plan: &ServicePlan) -> (Vec<WaiterPlan>, Vec<WaiterProblem>) {
    let mut waiters = Vec::new();
    let mut problems = Vec::new();
    for op in &plan.operations {
        let Some(trait_value) = model.get(&op.id).and_then(|s| s.traits.other.get("smithy.waiters#waitable")) else {
            continue;
        };
        let Some(object) = trait_value.as_object() else {
            problems.push(WaiterProblem {
                operation: op.id.clone(),
                message: "`smithy.waiters#waitable` is not an object".into(),
            });
            continue;
        };
        for (name, waiter) in object {
            let compiler = Compiler { model, plan, op };
            match compiler.waiter(name, waiter) {
                Ok(waiter) => waiters.push(waiter),
                Err(message) => problems
                    .push(WaiterProblem { operation: op.id.clone(), message: format!("waiter `{name}`: {message}") }),
            }
        }
    }
    waiters.sort_by(|a, b| a.method.cmp(&b.method));
    (waiters, problems)
}

struct Compiler<'a> {
    model: &'a Model,
    plan: &'a ServicePlan,
    op: &'a OperationPlan,
}

/// What a path expression is at, while compiling.
enum At {
    /// Typed data: a navigation ending at a shape.
    Typed(Nav),
    /// A computed value.
    Value(Node),
    /// The `{input, output}` object of an `inputOutput` matcher.
    InputOutput,
}

impl Compiler<'_> {
    fn waiter(&self, name: &str, waiter: &Value) -> Result<WaiterPlan, String> {
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric())
            || !name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return Err("a waiter name is an upper camel case identifier".into());
        }
        let delay = |key: &str, default: u64| match waiter.get(key) {
            None => Ok(default),
            Some(value) => value
                .as_u64()
                .filter(|d| *d >= 1)
                .ok_or(format!("`{key}` must be a whole number of seconds, at least 1")),
        };
        let (min_delay, max_delay) = (delay("minDelay", 2)?, delay("maxDelay", 120)?);
        if max_delay < min_delay {
            return Err(format!("`maxDelay` ({max_delay}) is less than `minDelay` ({min_delay})"));
        }
        let acceptors = waiter.get("acceptors").and_then(Value::as_array).filter(|a| !a.is_empty());
        let acceptors = acceptors.ok_or("`acceptors` must be a non-empty list")?;
        let acceptors = acceptors
            .iter()
            .enumerate()
            .map(|(index, acceptor)| self.acceptor(acceptor).map_err(|why| format!("acceptor {}: {why}", index + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WaiterPlan {
            name: name.to_owned(),
            method: format!("wait_until_{}", crate::naming::unraw(&crate::naming::module_name(name))),
            operation: self.op.module.clone(),
            documentation: waiter.get("documentation").and_then(Value::as_str).map(str::to_owned),
            deprecated: waiter.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
            min_delay,
            max_delay,
            acceptors,
        })
    }

    fn acceptor(&self, acceptor: &Value) -> Result<Acceptor, String> {
        let state = match acceptor.get("state").and_then(Value::as_str) {
            Some("success") => State::Success,
            Some("failure") => State::Failure,
            Some("retry") => State::Retry,
            other => return Err(format!("unknown state {other:?}")),
        };
        let matcher = acceptor.get("matcher").and_then(Value::as_object).filter(|m| m.len() == 1);
        let (kind, value) = matcher.and_then(|m| m.iter().next()).ok_or("`matcher` must have exactly one member")?;
        let matcher = match kind.as_str() {
            "success" => Matcher::Success(value.as_bool().ok_or("a `success` matcher is a boolean")?),
            "errorType" => {
                let code = value.as_str().ok_or("an `errorType` matcher is a string")?;
                Matcher::ErrorType(crate::ir::local_name(code).to_owned())
            }
            "output" | "inputOutput" => {
                let text = value.get("path").and_then(Value::as_str).ok_or("the matcher has no `path`")?;
                let expected = value.get("expected").and_then(Value::as_str).ok_or("the matcher has no `expected`")?;
                let comparator = match value.get("comparator").and_then(Value::as_str) {
                    Some("stringEquals") => "StringEquals",
                    Some("booleanEquals") => "BooleanEquals",
                    Some("allStringEquals") => "AllStringEquals",
                    Some("anyStringEquals") => "AnyStringEquals",
                    other => return Err(format!("unknown comparator {other:?}")),
                };
                let expr = jmespath::parse(text).map_err(|err| format!("path `{text}`: {err}"))?;
                let root = if kind == "output" { self.output_root()? } else { At::InputOutput };
                let path = self.value(self.expr(&expr, root).map_err(|err| format!("path `{text}`: {err}"))?)?;
                Matcher::Path { path, comparator, expected: expected.to_owned() }
            }
            other => return Err(format!("unknown matcher `{other}`")),
        };
        Ok(Acceptor { state, matcher })
    }

    fn output_root(&self) -> Result<At, String> {
        let shape = self.op.output.clone().ok_or("the operation has no output to match")?;
        Ok(At::Typed(Nav { root: Root::Output, steps: Vec::new(), shape }))
    }

    /// Compiles `expr` evaluated at `at`.
    fn expr(&self, expr: &Expr, at: At) -> Result<At, String> {
        match expr {
            Expr::Current => Ok(at),
            Expr::Field(name) => self.field(at, name),
            Expr::Sub(lhs, rhs) => {
                let lhs = self.expr(lhs, at)?;
                self.expr(rhs, lhs)
            }
            Expr::Index(lhs, index) => match self.expr(lhs, at)? {
                At::Typed(mut nav) => {
                    let item = self.list_item(&nav.shape)?;
                    nav.steps.push(Step::Index(*index));
                    nav.shape = item;
                    Ok(At::Typed(nav))
                }
                _ => Err("indexes apply to lists of the output only".into()),
            },
            Expr::Project { lhs, kind, rhs } => {
                let At::Typed(list) = self.expr(lhs, at)? else {
                    return Err("projections apply to lists of the output only".into());
                };
                let item = self.list_item(&list.shape)?;
                let element = || At::Typed(Nav { root: Root::Element, steps: Vec::new(), shape: item.clone() });
                let filter = match kind {
                    Projection::Filter(filter) => Some(Box::new(self.value(self.expr(filter, element())?)?)),
                    _ => None,
                };
                let each = Box::new(self.value(self.expr(rhs, element())?)?);
                Ok(At::Value(Node::Project { list, flatten: *kind == Projection::Flatten, filter, each }))
            }
            Expr::Compare(op, lhs, rhs) => {
                let (lhs, rhs) = (self.sub_value(lhs, &at)?, self.sub_value(rhs, &at)?);
                Ok(At::Value(Node::Compare(*op, Box::new(lhs), Box::new(rhs))))
            }
            Expr::And(lhs, rhs) => {
                let (lhs, rhs) = (self.sub_value(lhs, &at)?, self.sub_value(rhs, &at)?);
                Ok(At::Value(Node::And(Box::new(lhs), Box::new(rhs))))
            }
            Expr::Or(lhs, rhs) => {
                let (lhs, rhs) = (self.sub_value(lhs, &at)?, self.sub_value(rhs, &at)?);
                Ok(At::Value(Node::Or(Box::new(lhs), Box::new(rhs))))
            }
            Expr::Not(inner) => Ok(At::Value(Node::Not(Box::new(self.sub_value(inner, &at)?)))),
            Expr::Literal(value) => Ok(At::Value(Node::Literal(value.clone()))),
            Expr::Function(Function::Length, args) => {
                Ok(At::Value(Node::Length(Box::new(self.sub_value(&args[0], &at)?))))
            }
            Expr::Function(Function::Contains, args) => {
                let (subject, search) = (self.sub_value(&args[0], &at)?, self.sub_value(&args[1], &at)?);
                Ok(At::Value(Node::Contains(Box::new(subject), Box::new(search))))
            }
        }
    }

    /// `expr` evaluated at (a copy of) `at`, as a value.
    fn sub_value(&self, expr: &Expr, at: &At) -> Result<Node, String> {
        let at = match at {
            At::Typed(nav) => At::Typed(nav.clone()),
            At::Value(node) => At::Value(node.clone()),
            At::InputOutput => At::InputOutput,
        };
        self.value(self.expr(expr, at)?)
    }

    fn value(&self, at: At) -> Result<Node, String> {
        match at {
            At::Typed(nav) => {
                self.convertible(&nav.shape, 0)?;
                Ok(Node::Nav(nav))
            }
            At::Value(node) => Ok(node),
            At::InputOutput => Err("the `{input, output}` object itself cannot be compared".into()),
        }
    }

    /// Checks that the generator can turn a value of `shape` into a path value.
    fn convertible(&self, shape: &str, depth: usize) -> Result<(), String> {
        if depth > 8 {
            return Err(format!("`{shape}` nests too deep for a path value"));
        }
        match self.kind(shape)? {
            Kind::Simple(Simple::String | Simple::Boolean)
            | Kind::Simple(
                Simple::Byte | Simple::Short | Simple::Integer | Simple::Long | Simple::Float | Simple::Double,
            )
            | Kind::Enum(_)
            | Kind::IntEnum(_)
            | Kind::Structure(_)
            | Kind::Union(_)
            | Kind::Map { .. } => Ok(()),
            Kind::List(_) => self.convertible(&self.list_item(shape)?, depth + 1),
            _ => Err(format!("`{shape}` is {}, which a path cannot compare", self.kind(shape)?.described())),
        }
    }

    fn kind(&self, shape: &str) -> Result<&Kind, String> {
        self.model.get(shape).map(|s| &s.kind).ok_or_else(|| format!("`{shape}` is not defined"))
    }

    /// The item shape of list `shape` (dense lists only).
    fn list_item(&self, shape: &str) -> Result<String, String> {
        let Kind::List(member) = self.kind(shape)? else {
            return Err(format!("`{shape}` is not a list"));
        };
        if matches!(self.plan.rust_types.get(shape), Some(RustType::List { sparse: true, .. })) {
            return Err(format!("`{shape}` is a sparse list, which paths do not support"));
        }
        Ok(member.target.clone())
    }

    /// Member `name` of what `at` is.
    fn field(&self, at: At, name: &str) -> Result<At, String> {
        let mut nav = match at {
            At::InputOutput => {
                let (root, shape) = match name {
                    "input" => (Root::Input, self.op.input.clone()),
                    "output" => (Root::Output, self.op.output.clone()),
                    other => return Err(format!("`{other}` is neither `input` nor `output`")),
                };
                let shape = shape.ok_or_else(|| format!("the operation has no {name}"))?;
                return Ok(At::Typed(Nav { root, steps: Vec::new(), shape }));
            }
            At::Value(_) => return Err(format!("`{name}` is read from a computed value")),
            At::Typed(nav) => nav,
        };
        if !matches!(self.kind(&nav.shape)?, Kind::Structure(_)) {
            return Err(format!("`{name}` is read from `{}`, which is not a structure", nav.shape));
        }
        let member =
            self.plan.member(&nav.shape, name).ok_or_else(|| format!("`{}` has no member `{name}`", nav.shape))?;
        nav.steps.push(Step::Field { field: member.rust_name.clone(), optional: member.optional, boxed: member.boxed });
        nav.shape = member.member.target.clone();
        Ok(At::Typed(nav))
    }
}
