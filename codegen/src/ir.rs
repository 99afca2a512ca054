//! The checked, resolved model the emitters work from: targets exist, mixins and `apply` are
//! folded in, and the traits the generator understands are typed.

use serde_json::Value;
use std::collections::BTreeMap;

/// Every shape of the model, keyed by absolute shape ID.
#[derive(Debug, Default)]
pub struct Model {
    /// Shape ID -> shape.
    pub shapes: BTreeMap<String, Shape>,
    /// Every `pattern` of the model (as written) -> its Rust translation.
    pub patterns: BTreeMap<String, crate::pattern::Translated>,
}

impl Model {
    /// Looks a shape up; lowering guarantees every target resolves.
    pub fn get(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }
}

/// One shape.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Absolute shape ID.
    pub id: String,
    /// The file that defined it.
    pub file: String,
    /// What kind of shape it is.
    pub kind: Kind,
    /// Its traits.
    pub traits: Traits,
}

impl Shape {
    /// The name part of the shape ID (after `#`).
    pub fn name(&self) -> &str {
        local_name(&self.id)
    }
}

/// Why a member cannot target shape `id` of kind `kind`, if it cannot (the same words wherever
/// it is found, so a problem found twice is reported once).
pub fn not_data_shape(id: &str, kind: &Kind) -> Option<String> {
    (!kind.is_data()).then(|| format!("targets `{id}`, {}; a member must target a data shape", kind.described()))
}

/// The name part of a shape ID.
pub fn local_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// Simple (scalar) shape types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simple {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
}

/// Shape kinds with their structure.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A scalar.
    Simple(Simple),
    /// A string enum (`enum` shape, or a string with the legacy `enum` trait).
    Enum(Vec<EnumMember>),
    /// An integer enum.
    IntEnum(Vec<IntEnumMember>),
    /// A list (or set, which is a list with unique items).
    List(Box<Member>),
    /// A map.
    Map {
        /// The key member.
        key: Box<Member>,
        /// The value member.
        value: Box<Member>,
    },
    /// A structure.
    Structure(Vec<Member>),
    /// A tagged union.
    Union(Vec<Member>),
    /// A service.
    Service(Box<Service>),
    /// An operation.
    Operation(Operation),
    /// A resource.
    Resource(Resource),
}

impl Kind {
    /// The shape type as Smithy names it, with its article (`a string`, `an operation`), for
    /// messages.
    pub fn described(&self) -> &'static str {
        match self {
            Kind::Simple(simple) => match simple {
                Simple::Blob => "a blob",
                Simple::Boolean => "a boolean",
                Simple::String => "a string",
                Simple::Byte => "a byte",
                Simple::Short => "a short",
                Simple::Integer => "an integer",
                Simple::Long => "a long",
                Simple::Float => "a float",
                Simple::Double => "a double",
                Simple::BigInteger => "a bigInteger",
                Simple::BigDecimal => "a bigDecimal",
                Simple::Timestamp => "a timestamp",
                Simple::Document => "a document",
            },
            Kind::Enum(_) => "an enum",
            Kind::IntEnum(_) => "an intEnum",
            Kind::List(_) => "a list",
            Kind::Map { .. } => "a map",
            Kind::Structure(_) => "a structure",
            Kind::Union(_) => "a union",
            Kind::Service(_) => "a service",
            Kind::Operation(_) => "an operation",
            Kind::Resource(_) => "a resource",
        }
    }

    /// Whether values of the shape can be held: not a service, operation or resource.
    pub fn is_data(&self) -> bool {
        !matches!(self, Kind::Service(_) | Kind::Operation(_) | Kind::Resource(_))
    }

    /// The members of an aggregate shape (structure, union, list or map), in model order;
    /// none for other shapes.
    pub fn members(&self) -> Vec<&Member> {
        match self {
            Kind::Structure(members) | Kind::Union(members) => members.iter().collect(),
            Kind::List(member) => vec![member],
            Kind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        }
    }
}

/// A member of an aggregate shape.
#[derive(Debug, Clone)]
pub struct Member {
    /// Member name as in the model (`member`, `key` and `value` for lists and maps).
    pub name: String,
    /// The target shape ID.
    pub target: String,
    /// Traits on the member itself.
    pub traits: Traits,
}

/// A value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumMember {
    /// The member name (an identifier-ish name; for legacy enums the `name`, else the value).
    pub name: String,
    /// The wire value.
    pub value: String,
    /// Documentation of the value.
    pub documentation: Option<String>,
    /// Whether the value is deprecated.
    pub deprecated: bool,
}

/// A value of an integer enum.
#[derive(Debug, Clone)]
pub struct IntEnumMember {
    /// The member name.
    pub name: String,
    /// The wire value.
    pub value: i32,
    /// Documentation of the value.
    pub documentation: Option<String>,
}

/// A service shape.
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// The API version.
    pub version: String,
    /// Operations bound directly.
    pub operations: Vec<String>,
    /// Resources bound directly.
    pub resources: Vec<String>,
    /// Errors every operation can return.
    pub errors: Vec<String>,
    /// Shape ID -> local name, for conflicting names in the closure.
    pub rename: BTreeMap<String, String>,
}

/// An operation shape.
#[derive(Debug, Clone, Default)]
pub struct Operation {
    /// Input structure (`None` for `smithy.api#Unit`).
    pub input: Option<String>,
    /// Output structure (`None` for `smithy.api#Unit`).
    pub output: Option<String>,
    /// Modeled errors.
    pub errors: Vec<String>,
}

/// A resource shape (only its bindings matter to a client).
#[derive(Debug, Clone, Default)]
pub struct Resource {
    /// Every operation bound to it (lifecycle, instance and collection operations).
    pub operations: Vec<String>,
    /// Child resources.
    pub resources: Vec<String>,
}

/// Inclusive bounds of `length` or `range`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    /// Lower bound as written in the model.
    pub min: Option<serde_json::Number>,
    /// Upper bound as written in the model.
    pub max: Option<serde_json::Number>,
}

/// The `smithy.api#http` trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http {
    /// HTTP method.
    pub method: String,
    /// URI pattern with `{label}` and `{greedy+}` segments and an optional literal query.
    pub uri: String,
    /// Success status code.
    pub code: u16,
}

/// `smithy.api#timestampFormat` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `epoch-seconds`
    EpochSeconds,
    /// `date-time`
    DateTime,
    /// `http-date`
    HttpDate,
}

/// Which side an error is blamed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFault {
    /// `client`
    Client,
    /// `server`
    Server,
}

/// The protocols the generator knows, from the service's protocol traits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`
    AwsJson1_1,
    /// `aws.protocols#restJson1`
    RestJson1,
}

impl Protocol {
    /// Every protocol the generator supports.
    pub const ALL: [Protocol; 3] = [Protocol::AwsJson1_0, Protocol::AwsJson1_1, Protocol::RestJson1];

    /// The protocol trait's name without its namespace, e.g. `restJson1`.
    pub fn trait_name(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
            Protocol::RestJson1 => "restJson1",
        }
    }
}

/// The `smithy.api#paginated` trait as written: on an operation, or on a service, whose values
/// are defaults its operations' own traits override member by member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paginated {
    /// `inputToken`: the input member that takes the token of the next page.
    pub input_token: Option<String>,
    /// `outputToken`: the output member (or path, `Result.NextToken`) holding that token.
    pub output_token: Option<String>,
    /// `items`: the output member (or path) holding the page's list or map of results.
    pub items: Option<String>,
    /// `pageSize`: the input member that caps the number of results per page.
    pub page_size: Option<String>,
}

impl Paginated {
    /// The operation's values, each falling back to the service's (`defaults`).
    pub fn merged_over(&self, defaults: Option<&Paginated>) -> Paginated {
        let pick = |own: &Option<String>, default: Option<&Option<String>>| {
            own.clone().or_else(|| default.and_then(Clone::clone))
        };
        Paginated {
            input_token: pick(&self.input_token, defaults.map(|d| &d.input_token)),
            output_token: pick(&self.output_token, defaults.map(|d| &d.output_token)),
            items: pick(&self.items, defaults.map(|d| &d.items)),
            page_size: pick(&self.page_size, defaults.map(|d| &d.page_size)),
        }
    }
}

/// A parameter of a service's endpoint rule set that users set on the client
/// (`smithy.rules#clientContextParams`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientContextParam {
    /// The rule set parameter's name, e.g. `ForcePathStyle`.
    pub name: String,
    /// `string`, `boolean` or `stringArray`, as written.
    pub kind: String,
    /// What the parameter does (HTML).
    pub documentation: Option<String>,
}

/// The traits the generator understands, typed; anything else is kept in `other`.
#[derive(Debug, Clone, Default)]
pub struct Traits {
    /// `documentation` (HTML).
    pub documentation: Option<String>,
    /// `required`
    pub required: bool,
    /// `clientOptional`
    pub client_optional: bool,
    /// `default` (`Some(Value::Null)` for an explicit null).
    pub default: Option<Value>,
    /// `length`
    pub length: Option<Bounds>,
    /// `range`
    pub range: Option<Bounds>,
    /// `pattern` (Java dialect, as written).
    pub pattern: Option<String>,
    /// `uniqueItems`
    pub unique_items: bool,
    /// `sparse`
    pub sparse: bool,
    /// `sensitive`
    pub sensitive: bool,
    /// `streaming`
    pub streaming: bool,
    /// `idempotencyToken`
    pub idempotency_token: bool,
    /// `deprecated` (its message, possibly empty).
    pub deprecated: Option<String>,
    /// `timestampFormat`
    pub timestamp_format: Option<TimestampFormat>,
    /// `jsonName`
    pub json_name: Option<String>,
    /// `mediaType`
    pub media_type: Option<String>,
    /// `error`
    pub error: Option<ErrorFault>,
    /// `httpError`
    pub http_error: Option<u16>,
    /// `http`
    pub http: Option<Http>,
    /// `httpLabel`
    pub http_label: bool,
    /// `httpQuery` (the parameter name).
    pub http_query: Option<String>,
    /// `httpQueryParams`
    pub http_query_params: bool,
    /// `httpHeader` (the header name).
    pub http_header: Option<String>,
    /// `httpPrefixHeaders` (the prefix).
    pub http_prefix_headers: Option<String>,
    /// `httpPayload`
    pub http_payload: bool,
    /// `httpResponseCode`
    pub http_response_code: bool,
    /// `httpChecksumRequired`
    pub http_checksum_required: bool,
    /// `eventHeader`: the member travels in an event message's headers.
    pub event_header: bool,
    /// `eventPayload`: the member is an event message's whole payload.
    pub event_payload: bool,
    /// The protocol trait's `eventStreamHttp` puts `h2` first: event streams need HTTP/2.
    pub event_stream_http2: bool,
    /// `endpoint` host prefix.
    pub host_prefix: Option<String>,
    /// `hostLabel`
    pub host_label: bool,
    /// `input`
    pub input: bool,
    /// `output`
    pub output: bool,
    /// `mixin`: an abstract shape that is never emitted.
    pub mixin: bool,
    /// `title` of a service.
    pub title: Option<String>,
    /// Protocol traits on a service, in a fixed order.
    pub protocols: Vec<Protocol>,
    /// `aws.auth#sigv4` signing name.
    pub sigv4_name: Option<String>,
    /// `aws.api#service` sdkId.
    pub sdk_id: Option<String>,
    /// `aws.api#service` endpointPrefix.
    pub endpoint_prefix: Option<String>,
    /// `retryable`: `Some(throttling)` when present.
    pub retryable_throttling: Option<bool>,
    /// `paginated`, as written on an operation or (as defaults) on a service.
    pub paginated: Option<Paginated>,
    /// `smithy.rules#endpointRuleSet` of a service, as written (checked in `check`).
    pub endpoint_rule_set: Option<Value>,
    /// `smithy.rules#clientContextParams` of a service, in model order.
    pub client_context_params: Vec<ClientContextParam>,
    /// `smithy.rules#staticContextParams` of an operation: parameter name -> constant value.
    pub static_context_params: Vec<(String, Value)>,
    /// `smithy.rules#operationContextParams` of an operation: parameter name -> path over the
    /// input.
    pub operation_context_params: Vec<(String, String)>,
    /// `smithy.rules#contextParam` of an input member: the parameter it binds.
    pub context_param: Option<String>,
    /// Every other trait, by ID.
    pub other: BTreeMap<String, Value>,
}
