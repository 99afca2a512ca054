//! Rust types and `@default` values as data: the emitters turn them into tokens, so plan needs
//! no token library and every type is resolved (or reported) before emission.

use crate::ir::{Kind, Model, Simple};
use serde_json::Value;
use std::collections::BTreeMap;

/// The Rust type of values of a shape.
#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    /// A scalar (`i32`, `String`, the runtime's `DateTime`, ...).
    Simple(Simple),
    /// `Vec<item>`, or `Vec<Option<item>>` when sparse.
    List {
        /// The item type.
        item: Box<RustType>,
        /// Whether items may be null.
        sparse: bool,
    },
    /// `HashMap<key, value>`, or `HashMap<key, Option<value>>` when sparse.
    Map {
        /// The key type.
        key: Box<RustType>,
        /// The value type.
        value: Box<RustType>,
        /// Whether values may be null.
        sparse: bool,
    },
    /// A generated type, by absolute path (`crate::iot::types::Tag`).
    Named {
        /// The path.
        path: String,
    },
    /// An event stream of the union at `event`: sent by the client (`input`) or received.
    EventStream {
        /// The path of the union's enum.
        event: String,
        /// Whether the client sends it.
        input: bool,
    },
}

/// How deep lists and maps may nest: far beyond real models, and shallow enough that the
/// recursive code generating their types and serializers cannot exhaust the stack.
const MAX_NESTING: usize = 16;

/// The Rust type of every data shape of `closure`; shapes that have none are left out, with
/// why, in `errors` (reported where a member targets them).
pub(super) fn rust_types<'a>(
    model: &Model,
    closure: impl IntoIterator<Item = &'a String>,
    paths: &BTreeMap<String, String>,
) -> (BTreeMap<String, RustType>, BTreeMap<String, String>) {
    let mut typer = Typer { model, paths, known: BTreeMap::new(), failed: BTreeMap::new(), open: Vec::new() };
    let mut errors = BTreeMap::new();
    for id in closure {
        match typer.rust_type(id) {
            Ok(_) => {}
            Err(Untyped::TooDeep) => {
                errors.insert(id.clone(), format!("`{id}` nests lists and maps more than {MAX_NESTING} levels deep"));
            }
            Err(Untyped::Because(why)) => {
                errors.insert(id.clone(), why);
            }
        }
    }
    (typer.known, errors)
}

/// Why a shape has no Rust type.
#[derive(Debug, Clone)]
enum Untyped {
    /// The lists and maps below the shape being typed nest too deep; whether a shape nested
    /// inside is too deep depends on where it was reached from, so this is not remembered.
    TooDeep,
    /// Anything else, which holds wherever the shape is reached from.
    Because(String),
}

/// Types shapes once each, remembering the results: lists and maps can share items, and a
/// malformed model can make them contain themselves.
struct Typer<'a> {
    model: &'a Model,
    paths: &'a BTreeMap<String, String>,
    known: BTreeMap<String, RustType>,
    failed: BTreeMap<String, String>,
    /// The lists and maps being typed, outermost first.
    open: Vec<String>,
}

impl Typer<'_> {
    fn rust_type(&mut self, id: &str) -> Result<RustType, Untyped> {
        if let Some(ty) = self.known.get(id) {
            return Ok(ty.clone());
        }
        if let Some(why) = self.failed.get(id) {
            return Err(Untyped::Because(why.clone()));
        }
        if let Some(start) = self.open.iter().position(|open| open == id) {
            let cycle: Vec<&str> = self.open[start..].iter().map(String::as_str).chain([id]).collect();
            return Err(Untyped::Because(format!(
                "`{id}` contains itself with no structure or union in between ({})",
                cycle.join(" -> ")
            )));
        }
        if self.open.len() > MAX_NESTING {
            return Err(Untyped::TooDeep);
        }
        self.open.push(id.to_owned());
        let result = self.compute(id);
        self.open.pop();
        match &result {
            Ok(ty) => {
                self.known.insert(id.to_owned(), ty.clone());
            }
            Err(Untyped::Because(why)) => {
                self.failed.insert(id.to_owned(), why.clone());
            }
            Err(Untyped::TooDeep) => {}
        }
        result
    }

    fn compute(&mut self, id: &str) -> Result<RustType, Untyped> {
        let model = self.model;
        let shape = model.get(id).ok_or_else(|| Untyped::Because(format!("unknown shape `{id}`")))?;
        Ok(match &shape.kind {
            Kind::Simple(simple) => RustType::Simple(*simple),
            Kind::List(member) => {
                RustType::List { item: Box::new(self.rust_type(&member.target)?), sparse: shape.traits.sparse }
            }
            Kind::Map { key, value } => RustType::Map {
                key: Box::new(self.rust_type(&key.target)?),
                value: Box::new(self.rust_type(&value.target)?),
                sparse: shape.traits.sparse,
            },
            Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) | Kind::IntEnum(_) => match self.paths.get(id) {
                Some(path) => RustType::Named { path: path.clone() },
                None => return Err(Untyped::Because(format!("`{id}` has no Rust type in this service"))),
            },
            kind @ (Kind::Service(_) | Kind::Operation(_) | Kind::Resource(_)) => {
                let why = crate::ir::not_data_shape(id, kind).unwrap_or_default();
                return Err(Untyped::Because(why));
            }
        })
    }
}

/// A `@default` value the generated code can write.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// `true` / `false`.
    Bool(bool),
    /// An `i8`.
    Byte(i8),
    /// An `i16`.
    Short(i16),
    /// An `i32`.
    Integer(i32),
    /// An `i64`.
    Long(i64),
    /// A finite `f32`.
    Float(f32),
    /// A finite `f64`.
    Double(f64),
    /// A timestamp, in seconds since the epoch.
    Timestamp(i64),
    /// A string.
    String(String),
    /// Bytes (written base64-encoded in the model).
    Blob(Vec<u8>),
    /// A document number, as its JSON text.
    DocumentNumber(String),
    /// A document boolean.
    DocumentBool(bool),
    /// A document string.
    DocumentString(String),
    /// An empty document array.
    DocumentArray,
    /// An empty document object.
    DocumentObject,
    /// A string enum value (its wire value).
    Enum(String),
    /// An intEnum value.
    IntEnum(i32),
    /// An empty list.
    EmptyList,
    /// An empty map.
    EmptyMap,
}

impl DefaultValue {
    /// Whether the value is a constant (no allocation), so `unwrap_or` needs no closure.
    pub fn is_constant(&self) -> bool {
        matches!(
            self,
            Self::Bool(_)
                | Self::Byte(_)
                | Self::Short(_)
                | Self::Integer(_)
                | Self::Long(_)
                | Self::Float(_)
                | Self::Double(_)
                | Self::DocumentBool(_)
        )
    }

    /// Whether the value is its type's `Default` (an empty list or map), so `unwrap_or_default`
    /// says it best.
    pub fn is_type_default(&self) -> bool {
        matches!(self, Self::EmptyList | Self::EmptyMap)
    }
}

/// The value of a `@default` on a member targeting `target`, or `None` when it cannot be
/// written (the member then stays optional).
pub(super) fn default_value(model: &Model, target: &str, value: &Value) -> Option<DefaultValue> {
    let shape = model.get(target)?;
    Some(match (&shape.kind, value) {
        (_, Value::Null) => return None,
        (Kind::Simple(Simple::Boolean), Value::Bool(b)) => DefaultValue::Bool(*b),
        (Kind::Simple(Simple::String), Value::String(s)) => DefaultValue::String(s.clone()),
        (Kind::Simple(Simple::Document), Value::Number(n)) => DefaultValue::DocumentNumber(n.to_string()),
        (Kind::Simple(simple), Value::Number(n)) => number(*simple, n)?,
        (Kind::Simple(Simple::Timestamp), Value::String(_)) => return None,
        (Kind::Simple(Simple::Blob), Value::String(s)) => {
            use base64::Engine as _;
            DefaultValue::Blob(base64::engine::general_purpose::STANDARD.decode(s).ok()?)
        }
        (Kind::Simple(Simple::Document), Value::Bool(b)) => DefaultValue::DocumentBool(*b),
        (Kind::Simple(Simple::Document), Value::String(s)) => DefaultValue::DocumentString(s.clone()),
        (Kind::Simple(Simple::Document), Value::Array(items)) if items.is_empty() => DefaultValue::DocumentArray,
        (Kind::Simple(Simple::Document), Value::Object(entries)) if entries.is_empty() => DefaultValue::DocumentObject,
        (Kind::Enum(_), Value::String(s)) => DefaultValue::Enum(s.clone()),
        (Kind::IntEnum(_), Value::Number(n)) => DefaultValue::IntEnum(i32::try_from(n.as_i64()?).ok()?),
        (Kind::List(_), Value::Array(items)) if items.is_empty() => DefaultValue::EmptyList,
        (Kind::Map { .. }, Value::Object(entries)) if entries.is_empty() => DefaultValue::EmptyMap,
        _ => return None,
    })
}

fn number(simple: Simple, n: &serde_json::Number) -> Option<DefaultValue> {
    Some(match simple {
        Simple::Byte => DefaultValue::Byte(i8::try_from(n.as_i64()?).ok()?),
        Simple::Short => DefaultValue::Short(i16::try_from(n.as_i64()?).ok()?),
        Simple::Integer => DefaultValue::Integer(i32::try_from(n.as_i64()?).ok()?),
        Simple::Long => DefaultValue::Long(n.as_i64()?),
        // A literal must be finite: a value out of `f32`'s range cannot be written.
        Simple::Float => DefaultValue::Float(Some(n.as_f64()? as f32).filter(|f| f.is_finite())?),
        Simple::Double => DefaultValue::Double(n.as_f64().filter(|f| f.is_finite())?),
        Simple::Timestamp => DefaultValue::Timestamp(n.as_i64()?),
        _ => return None,
    })
}
