//! Decides everything the emitters write, once: the selected operations, the closure of shapes
//! a service needs, every Rust name, where each type lives, and how each member is represented
//! (traits, wire name, Rust type, optionality, boxing, default, formats). Problems with the
//! result are the `check` stage's to report; the emitters only turn this data into tokens.
//!
//! - `closure`: operations, the shapes they reach, recursion that needs a `Box`;
//! - `names`: every Rust name, from the `naming` rules;
//! - `types`: Rust types and `@default` values as data;
//! - `members`: how each member is represented;
//! - `validation`: which shapes get a `Validate` impl;
//! - `cases`: the protocol compliance cases;
//! - `endpoint`: the endpoint parameters operations bind from their input;
//! - `paginators`: what each `@paginated` operation's paginator reads and writes;
//! - `service`: one service's plan, assembled from the above.

mod cases;
mod closure;
mod endpoint;
pub mod event_streams;
mod members;
mod names;
mod paginators;
mod service;
mod types;
mod validation;
pub mod waiters;

pub use cases::{CaseKind, Subject, TestCase};
pub use closure::{is_simple, member_targets};
pub use endpoint::{context_path, parameter_type, ContextPath, PathStep};
pub use event_streams::{EventStreamPlan, StreamError, StreamMember};
pub use members::{effective_traits, Collection, MemberPlan};
pub use names::OperationNames;
pub use paginators::{PaginatorPlan, Step};
pub use types::{DefaultValue, RustType};
pub use validation::TextRule;

use crate::ir::{Kind, Model, Protocol};
use std::collections::{BTreeMap, BTreeSet};

/// Where a generated type lives inside its service module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `types`
    Types,
    /// `types::error`
    Error,
    /// `operation::<module>` (operation inputs and outputs used nowhere else).
    Operation(String),
}

impl Placement {
    /// The module path inside the service module, e.g. `types::error`.
    pub fn module(&self) -> String {
        match self {
            Placement::Types => "types".to_owned(),
            Placement::Error => "types::error".to_owned(),
            Placement::Operation(op) => format!("operation::{op}"),
        }
    }
}

/// A named Rust type for a shape.
#[derive(Debug, Clone)]
pub struct Named {
    /// The Rust type name.
    pub name: String,
    /// Its module.
    pub placement: Placement,
    /// Its absolute path, e.g. `crate::iot::types::Tag`.
    pub path: String,
    /// What it is made of.
    pub contents: Contents,
}

/// The parts of a named type.
#[derive(Debug, Clone)]
pub enum Contents {
    /// A structure: its builder (in the `builders` submodule of its module) and its fields.
    Structure {
        /// The builder's type name.
        builder: String,
        /// The builder's absolute path.
        builder_path: String,
        /// The fields, in model order.
        members: Vec<MemberPlan>,
    },
    /// A union: its variants, in model order.
    Union {
        /// The variants.
        members: Vec<MemberPlan>,
    },
    /// A string enum: the Rust name of each value, in model order.
    Enum {
        /// The variant names.
        variants: Vec<String>,
    },
    /// An intEnum: the Rust name of each value, in model order.
    IntEnum {
        /// The variant names.
        variants: Vec<String>,
    },
}

impl Named {
    /// The members of a structure or union (none for enums).
    pub fn members(&self) -> &[MemberPlan] {
        match &self.contents {
            Contents::Structure { members, .. } | Contents::Union { members } => members,
            Contents::Enum { .. } | Contents::IntEnum { .. } => &[],
        }
    }
}

/// A modeled error of an operation, as a variant of the operation's error enum.
#[derive(Debug, Clone)]
pub struct OperationError {
    /// The error structure's shape ID.
    pub id: String,
    /// The variant name.
    pub variant: String,
    /// The name of the enum's `is_*` method for this variant.
    pub is_fn: String,
}

/// An operation as emitted.
#[derive(Debug, Clone)]
pub struct OperationPlan {
    /// Operation shape ID.
    pub id: String,
    /// The operation's name in the model (after service renames).
    pub name: String,
    /// Rust module name.
    pub module: String,
    /// The names of the module's items.
    pub names: OperationNames,
    /// Input structure shape ID, `None` for Unit.
    pub input: Option<String>,
    /// Output structure shape ID, `None` for Unit.
    pub output: Option<String>,
    /// Error structures (operation errors, then service errors), sorted by name.
    pub errors: Vec<OperationError>,
    /// The paginator, for a `@paginated` operation.
    pub paginator: Option<PaginatorPlan>,
    /// The input member that streams events to the service.
    pub input_stream: Option<StreamMember>,
    /// The output member that streams events from the service.
    pub output_stream: Option<StreamMember>,
    /// The service's protocol requires HTTP/2 for event streams, and this operation has one.
    pub http2: bool,
}

impl OperationPlan {
    /// Whether the operation streams events either way.
    pub fn has_event_stream(&self) -> bool {
        self.input_stream.is_some() || self.output_stream.is_some()
    }
}

/// An operation the generator cannot express yet, left out of the crate.
#[derive(Debug, Clone)]
pub struct OmittedOperation {
    /// Operation shape ID.
    pub id: String,
    /// The operation's name in the model (after service renames).
    pub name: String,
    /// Why it was left out.
    pub reason: String,
}

/// Something the plan cannot express, for the check stage to report.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The shape it is about.
    pub shape: String,
    /// The member, if it is about one.
    pub member: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Everything the emitters need to know about one service.
#[derive(Debug)]
pub struct ServicePlan {
    /// Service shape ID.
    pub id: String,
    /// Rust module name.
    pub module: String,
    /// Wire protocol, if the generator knows one of the service's protocols.
    pub protocol: Option<Protocol>,
    /// Operations, sorted by module name.
    pub operations: Vec<OperationPlan>,
    /// Every shape ID the service needs.
    pub closure: BTreeSet<String>,
    /// Rust types by shape ID (structures, unions, enums, intEnums).
    pub types: BTreeMap<String, Named>,
    /// The Rust type of every data shape of the closure.
    pub rust_types: BTreeMap<String, RustType>,
    /// The lists and maps of the closure.
    pub collections: BTreeMap<String, Collection>,
    /// `(structure ID, member name)` pairs that must be boxed to break recursion.
    pub boxed: BTreeSet<(String, String)>,
    /// Shapes that get an `impl Validate`.
    pub validated: BTreeSet<String>,
    /// Pattern source -> name of its compiled static in `patterns.rs`.
    pub patterns: BTreeMap<String, String>,
    /// The constraints of checked string members -> name of their `TextRules` static in
    /// `patterns.rs`.
    pub text_rules: BTreeMap<TextRule, String>,
    /// The model's client protocol compliance cases.
    pub protocol_tests: Vec<TestCase>,
    /// Structures and unions reachable from operation inputs -> name of the `static` describing
    /// them in the command-line binary.
    pub cli_inputs: BTreeMap<String, String>,
    /// Operations left out of the crate (each also reported as a warning).
    pub omitted: Vec<OmittedOperation>,
    /// What the plan cannot express (each reported as an error).
    pub problems: Vec<Problem>,
    /// The waiters of the operations, sorted by method name.
    pub waiters: Vec<waiters::WaiterPlan>,
    /// The unions streamed by operations, by shape ID.
    pub event_streams: BTreeMap<String, EventStreamPlan>,
}

impl ServicePlan {
    /// Whether the operation's input structure is shared with something else (so it lives in
    /// `types` and the operation module only aliases it).
    pub fn input_is_shared(&self, op: &OperationPlan) -> bool {
        op.input
            .as_deref()
            .and_then(|id| self.types.get(id))
            .is_some_and(|named| named.placement != Placement::Operation(op.module.clone()))
    }

    /// The absolute Rust path of a named shape, e.g. `crate::iot::types::Tag`.
    pub fn type_path(&self, id: &str) -> Option<String> {
        self.types.get(id).map(|named| named.path.clone())
    }

    /// The members of a structure or union (none for other shapes).
    pub fn members(&self, id: &str) -> &[MemberPlan] {
        self.types.get(id).map_or(&[], Named::members)
    }

    /// The plan of member `member` of structure or union `id`.
    pub fn member(&self, id: &str, member: &str) -> Option<&MemberPlan> {
        self.members(id).iter().find(|m| m.member.name == member)
    }

    /// The operation with shape ID `id`.
    pub fn operation(&self, id: &str) -> Option<&OperationPlan> {
        self.operations.iter().find(|op| op.id == id)
    }
}

/// Which operations to generate: all of them, or those named (by model name, like
/// `CreateCustomMetric`, or by shape ID). A service none of whose operations is selected is
/// left out.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Every operation of every service.
    All,
    /// Only the named operations.
    Only(&'a [String]),
}

impl Selection<'_> {
    fn keeps(&self, id: &str, name: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only(names) => names.iter().any(|n| n == name || n == id),
        }
    }
}

/// Plans every service of the model.
pub fn plan(model: &Model, selection: Selection<'_>) -> Vec<ServicePlan> {
    let mut plans: Vec<ServicePlan> = model
        .shapes
        .values()
        .filter_map(|shape| match &shape.kind {
            Kind::Service(svc) => Some((shape, svc)),
            _ => None,
        })
        .map(|(shape, svc)| service::plan_service(model, shape, svc, selection))
        .filter(|plan| matches!(selection, Selection::All) || !plan.operations.is_empty() || !plan.omitted.is_empty())
        .collect();
    plans.sort_by(|a, b| a.module.cmp(&b.module));
    plans
}
