//! Rust types for shapes and members: scalars, collections, named types, optionality, boxing
//! and default values.

use crate::emit::context::{path_tokens, Ctx};
use crate::ir::{Kind, Member, Simple, TimestampFormat, Traits};
use crate::naming;
use crate::plan::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// A `@default` value as a Rust expression.
pub(crate) struct DefaultValue {
    /// The expression.
    pub expr: TokenStream,
    /// Whether it is a constant (no allocation), so `unwrap_or` needs no closure.
    pub constant: bool,
}

/// How one structure member is represented.
pub(crate) struct Field {
    /// The member as in the model.
    pub member: Member,
    /// Field and setter identifier.
    pub ident: proc_macro2::Ident,
    /// Name on the wire (JSON key).
    pub wire: String,
    /// The value type, without `Option` (boxed when recursive).
    pub ty: TokenStream,
    /// The value type without `Box`.
    pub unboxed: TokenStream,
    /// Whether the member is boxed.
    pub boxed: bool,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// The default value expression, for non-optional members with a `@default`.
    pub default: Option<DefaultValue>,
    /// Path of the generated function returning `default` (serde calls it for absent members).
    pub default_fn: Option<String>,
    /// Whether `build()` must fail when this member was not set.
    pub required_in_builder: bool,
    /// Whether `Debug` must hide the value.
    pub sensitive: bool,
    /// Effective timestamp format, for timestamp members.
    pub timestamp_format: Option<TimestampFormat>,
    /// Whether the value holds floats (directly or in lists and maps), which JSON writes
    /// specially when they are not finite.
    pub json_float: bool,
    /// The format of timestamps inside lists and maps, when it is not epoch seconds.
    pub nested_timestamp_format: Option<TimestampFormat>,
}

impl Ctx<'_> {
    /// The Rust type of values of shape `id`.
    pub fn shape_type(&self, id: &str) -> TokenStream {
        let Some(shape) = self.model.get(id) else {
            let message = format!("unknown shape {id}");
            return quote!(compile_error!(#message));
        };
        match &shape.kind {
            Kind::Simple(simple) => simple_type(*simple),
            Kind::List(member) => {
                let item = self.shape_type(&member.target);
                if shape.traits.sparse {
                    quote!(::std::vec::Vec<::std::option::Option<#item>>)
                } else {
                    quote!(::std::vec::Vec<#item>)
                }
            }
            Kind::Map { key, value } => {
                let key = self.shape_type(&key.target);
                let value = self.shape_type(&value.target);
                if shape.traits.sparse {
                    quote!(::std::collections::HashMap<#key, ::std::option::Option<#value>>)
                } else {
                    quote!(::std::collections::HashMap<#key, #value>)
                }
            }
            Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) | Kind::IntEnum(_) => match self.plan.type_path(id) {
                Some(path) => path_tokens(&path),
                None => {
                    let message = format!("shape {id} has no Rust type in this service");
                    quote!(compile_error!(#message))
                }
            },
            Kind::Service(_) | Kind::Operation(_) | Kind::Resource(_) => {
                let message = format!("{id} is not a data shape");
                quote!(compile_error!(#message))
            }
        }
    }

    /// Traits of a member merged over its target's: the member's win (Smithy semantics).
    pub fn effective_traits(&self, member: &Member) -> Traits {
        let mut traits = self.model.get(&member.target).map(|t| t.traits.clone()).unwrap_or_default();
        let own = &member.traits;
        macro_rules! overlay {
            ($($field:ident),*) => { $( if own.$field.is_some() { traits.$field = own.$field.clone(); } )* };
        }
        overlay!(length, range, pattern, timestamp_format, default, documentation, json_name, media_type, deprecated);
        traits.required = own.required;
        traits.client_optional = own.client_optional;
        traits.idempotency_token = own.idempotency_token;
        traits.sensitive |= own.sensitive;
        traits.unique_items |= own.unique_items;
        traits
    }

    /// The JSON key of a structure or union member for this service's protocol.
    pub fn wire_name(&self, member: &Member) -> String {
        match (&member.traits.json_name, self.plan.protocol) {
            (Some(json_name), Some(crate::ir::Protocol::RestJson1)) => json_name.clone(),
            _ => member.name.clone(),
        }
    }

    /// The fields of a structure (none for other shapes).
    pub fn fields_of(&self, id: &str) -> Vec<Field> {
        match self.model.get(id).map(|s| &s.kind) {
            Some(Kind::Structure(members)) => members.iter().map(|m| self.field(id, m)).collect(),
            _ => Vec::new(),
        }
    }

    /// The fields of an operation's input (none for `smithy.api#Unit`).
    pub fn input_fields(&self, op: &OperationPlan) -> Vec<Field> {
        op.input.as_deref().map(|id| self.fields_of(id)).unwrap_or_default()
    }

    /// How a structure member becomes a field.
    pub fn field(&self, structure: &str, member: &Member) -> Field {
        let traits = self.effective_traits(member);
        let unboxed = self.shape_type(&member.target);
        let boxed = self.plan.boxed.contains(&(structure.to_owned(), member.name.clone()));
        let ty = if boxed { quote!(::std::boxed::Box<#unboxed>) } else { unboxed.clone() };
        // Members of operation inputs are implicitly client-optional: a default the caller
        // did not set is the service's to apply, so it is not sent.
        let in_input = self.model.get(structure).is_some_and(|s| s.traits.input);
        let default = match &traits.default {
            Some(value) if !traits.client_optional && !boxed && !in_input => self.default_value(&member.target, value),
            _ => None,
        };
        let field_name = naming::member_name(&member.name);
        let default_fn = default
            .as_ref()
            .and_then(|_| self.plan.type_path(structure))
            .map(|path| format!("{path}::{}", default_fn_name(&field_name)));
        let required = traits.required && !traits.client_optional && !traits.idempotency_token;
        let optional = !required && default.is_none();
        let timestamp_format = self.model.get(&member.target).and_then(|target| match target.kind {
            Kind::Simple(Simple::Timestamp) => Some(traits.timestamp_format.unwrap_or(TimestampFormat::EpochSeconds)),
            _ => None,
        });
        Field {
            ident: naming::ident(&field_name),
            default_fn,
            wire: self.wire_name(member),
            ty,
            unboxed,
            boxed,
            optional,
            required_in_builder: required && default.is_none(),
            default,
            sensitive: traits.sensitive,
            timestamp_format,
            json_float: self.holds_floats(&member.target, 0),
            nested_timestamp_format: self
                .nested_timestamp_format(&member.target, 0)
                .filter(|format| *format != TimestampFormat::EpochSeconds),
            member: member.clone(),
        }
    }

    /// The format of the timestamps in a list or map shape (`None` when it holds none): the
    /// item member's `timestampFormat`, else the timestamp shape's, else epoch seconds.
    pub(crate) fn nested_timestamp_format(&self, id: &str, depth: usize) -> Option<TimestampFormat> {
        if depth > 8 {
            return None;
        }
        let item = match self.model.get(id).map(|s| &s.kind) {
            Some(Kind::List(item)) => item,
            Some(Kind::Map { value, .. }) => value,
            _ => return None,
        };
        match self.model.get(&item.target) {
            Some(target) if matches!(target.kind, Kind::Simple(Simple::Timestamp)) => Some(
                item.traits
                    .timestamp_format
                    .or(target.traits.timestamp_format)
                    .unwrap_or(TimestampFormat::EpochSeconds),
            ),
            _ => self.nested_timestamp_format(&item.target, depth + 1),
        }
    }

    /// Whether values of shape `id` are floats or collections of them.
    pub(crate) fn holds_floats(&self, id: &str, depth: usize) -> bool {
        // Collections cannot recurse without a structure in between; the bound is a backstop.
        if depth > 8 {
            return false;
        }
        match self.model.get(id).map(|s| &s.kind) {
            Some(Kind::Simple(Simple::Float | Simple::Double)) => true,
            Some(Kind::List(item)) => self.holds_floats(&item.target, depth + 1),
            Some(Kind::Map { value, .. }) => self.holds_floats(&value.target, depth + 1),
            _ => false,
        }
    }

    /// A Rust expression for a `@default` value, or `None` when it cannot be written
    /// (the member then stays optional).
    pub fn default_value(&self, target: &str, value: &Value) -> Option<DefaultValue> {
        let shape = self.model.get(target)?;
        let ty = self.shape_type(target);
        let constant = matches!(
            shape.kind,
            Kind::Simple(
                Simple::Boolean
                    | Simple::Byte
                    | Simple::Short
                    | Simple::Integer
                    | Simple::Long
                    | Simple::Float
                    | Simple::Double
            )
        );
        let expr = match (&shape.kind, value) {
            (_, Value::Null) => return None,
            (Kind::Simple(Simple::Boolean), Value::Bool(b)) => quote!(#b),
            (Kind::Simple(Simple::String), Value::String(s)) => quote!(::std::string::String::from(#s)),
            (Kind::Simple(Simple::Document), Value::Number(n)) => {
                let text = n.to_string();
                quote!(::aws_lite_runtime::serde_json::Value::Number(::std::str::FromStr::from_str(#text).unwrap_or_else(|_| ::aws_lite_runtime::serde_json::Number::from(0))))
            }
            (Kind::Simple(simple), Value::Number(n)) => number_literal(*simple, n)?,
            (Kind::Simple(Simple::Timestamp), Value::String(_)) => return None,
            // Blob defaults are written base64-encoded in the model.
            (Kind::Simple(Simple::Blob), Value::String(s)) => {
                use base64::Engine as _;
                let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
                let bytes = proc_macro2::Literal::byte_string(&bytes);
                quote!(::aws_lite_runtime::primitives::Blob::new(#bytes.to_vec()))
            }
            (Kind::Simple(Simple::Document), Value::Bool(b)) => quote!(::aws_lite_runtime::serde_json::Value::Bool(#b)),
            (Kind::Simple(Simple::Document), Value::String(s)) => {
                quote!(::aws_lite_runtime::serde_json::Value::String(::std::string::String::from(#s)))
            }
            (Kind::Simple(Simple::Document), Value::Array(items)) if items.is_empty() => {
                quote!(::aws_lite_runtime::serde_json::Value::Array(::std::vec::Vec::new()))
            }
            (Kind::Simple(Simple::Document), Value::Object(entries)) if entries.is_empty() => {
                quote!(::aws_lite_runtime::serde_json::Value::Object(::aws_lite_runtime::serde_json::Map::new()))
            }
            (Kind::Enum(_), Value::String(s)) => quote!(<#ty>::from(#s)),
            (Kind::IntEnum(_), Value::Number(n)) => {
                let n = i32::try_from(n.as_i64()?).ok()?;
                quote!(<#ty>::from(#n))
            }
            (Kind::List(_), Value::Array(items)) if items.is_empty() => quote!(::std::vec::Vec::new()),
            (Kind::Map { .. }, Value::Object(entries)) if entries.is_empty() => {
                quote!(::std::collections::HashMap::new())
            }
            _ => return None,
        };
        Some(DefaultValue { expr, constant })
    }
}

fn number_literal(simple: Simple, n: &serde_json::Number) -> Option<TokenStream> {
    use proc_macro2::Literal;
    Some(match simple {
        Simple::Byte => Literal::i8_suffixed(i8::try_from(n.as_i64()?).ok()?).into_token_stream(),
        Simple::Short => Literal::i16_suffixed(i16::try_from(n.as_i64()?).ok()?).into_token_stream(),
        Simple::Integer => Literal::i32_suffixed(i32::try_from(n.as_i64()?).ok()?).into_token_stream(),
        Simple::Long => Literal::i64_suffixed(n.as_i64()?).into_token_stream(),
        Simple::Float => Literal::f32_suffixed(n.as_f64()? as f32).into_token_stream(),
        Simple::Double => Literal::f64_suffixed(n.as_f64()?).into_token_stream(),
        Simple::Timestamp => {
            let secs = n.as_i64()?;
            quote!(::aws_lite_runtime::primitives::DateTime::from_secs(#secs))
        }
        _ => return None,
    })
}

use quote::ToTokens;

/// Name of the function returning a member's `@default` (an associated function of its structure).
pub(crate) fn default_fn_name(field_name: &str) -> String {
    format!("default_{}", field_name.trim_start_matches("r#").trim_end_matches('_'))
}

/// The Rust type of a simple shape.
pub(crate) fn simple_type(simple: Simple) -> TokenStream {
    match simple {
        Simple::Blob => quote!(::aws_lite_runtime::primitives::Blob),
        Simple::Boolean => quote!(bool),
        Simple::String => quote!(::std::string::String),
        Simple::Byte => quote!(i8),
        Simple::Short => quote!(i16),
        Simple::Integer => quote!(i32),
        Simple::Long => quote!(i64),
        Simple::Float => quote!(f32),
        Simple::Double => quote!(f64),
        Simple::BigInteger => quote!(::aws_lite_runtime::primitives::BigInteger),
        Simple::BigDecimal => quote!(::aws_lite_runtime::primitives::BigDecimal),
        Simple::Timestamp => quote!(::aws_lite_runtime::primitives::DateTime),
        Simple::Document => quote!(::aws_lite_runtime::primitives::Document),
    }
}
