//! The plan's Rust types, defaults and members as tokens: one small function per concept.

use crate::emit::context::{ident, path_tokens, Ctx};
use crate::ir::{Member, Simple, TimestampFormat, Traits};
use crate::plan::{DefaultValue, MemberPlan, OperationPlan, RustType};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};

/// A `@default` value as a Rust expression.
pub(crate) struct DefaultExpr {
    /// The expression.
    pub expr: TokenStream,
    /// Whether it is a constant (no allocation), so `unwrap_or` needs no closure.
    pub constant: bool,
    /// Whether it is the type's `Default`, so `unwrap_or_default` writes it.
    pub type_default: bool,
}

/// A structure member (or union variant) as tokens: the plan's [`MemberPlan`] with its
/// identifier, types and default written out.
pub(crate) struct Field {
    /// The member as in the model.
    pub member: Member,
    /// The member's traits over its target's.
    pub traits: Traits,
    /// Field and setter identifier (variant identifier for union members).
    pub ident: Ident,
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
    pub default: Option<DefaultExpr>,
    /// The structure's associated function returning `default`.
    pub default_fn: Option<Ident>,
    /// Path of that function (serde calls it for absent members).
    pub default_fn_path: Option<String>,
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
    /// The member is an event stream (sent or received), not a value.
    pub event_stream: bool,
}

impl Field {
    /// The field's declared type: the value type, in an `Option` when the field is optional.
    pub fn declared_type(&self) -> TokenStream {
        let ty = &self.ty;
        if self.optional {
            quote!(::std::option::Option<#ty>)
        } else {
            ty.clone()
        }
    }
}

impl Ctx<'_> {
    /// The Rust type of values of shape `id`, if the plan gives it one.
    pub fn shape_type(&self, id: &str) -> Option<TokenStream> {
        self.plan.rust_types.get(id).map(rust_type)
    }

    /// The fields of a structure (none for other shapes).
    pub fn fields_of(&self, id: &str) -> Vec<Field> {
        self.plan.members(id).iter().map(|m| self.field_of(id, m)).collect()
    }

    /// The fields of an operation's input (none for `smithy.api#Unit`).
    pub fn input_fields(&self, op: &OperationPlan) -> Vec<Field> {
        op.input.as_deref().map(|id| self.fields_of(id)).unwrap_or_default()
    }

    /// Member `plan` of structure or union `owner` as tokens.
    pub fn field_of(&self, owner: &str, plan: &MemberPlan) -> Field {
        let unboxed = plan.ty.as_ref().map_or_else(|| quote!(()), rust_type);
        let ty = if plan.boxed { quote!(::std::boxed::Box<#unboxed>) } else { unboxed.clone() };
        let default_fn_path =
            plan.default_fn.as_ref().and_then(|name| Some(format!("{}::{name}", self.plan.type_path(owner)?)));
        Field {
            member: plan.member.clone(),
            traits: plan.traits.clone(),
            ident: ident(&plan.rust_name),
            wire: plan.wire.clone(),
            default: plan.default.as_ref().map(|value| DefaultExpr {
                expr: default_expr(value, &unboxed),
                constant: value.is_constant(),
                type_default: value.is_type_default(),
            }),
            default_fn: plan.default_fn.as_deref().map(ident),
            default_fn_path,
            ty,
            unboxed,
            boxed: plan.boxed,
            optional: plan.optional,
            required_in_builder: plan.required_in_builder,
            sensitive: plan.sensitive,
            timestamp_format: plan.timestamp_format,
            json_float: plan.json_float,
            nested_timestamp_format: plan.nested_timestamp_format,
            event_stream: matches!(plan.ty, Some(RustType::EventStream { .. })),
        }
    }
}

/// A Rust type as tokens.
pub(crate) fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::Simple(simple) => simple_type(*simple),
        RustType::List { item, sparse } => {
            let item = rust_type(item);
            if *sparse {
                quote!(::std::vec::Vec<::std::option::Option<#item>>)
            } else {
                quote!(::std::vec::Vec<#item>)
            }
        }
        RustType::Map { key, value, sparse } => {
            let key = rust_type(key);
            let value = rust_type(value);
            if *sparse {
                quote!(::std::collections::HashMap<#key, ::std::option::Option<#value>>)
            } else {
                quote!(::std::collections::HashMap<#key, #value>)
            }
        }
        RustType::Named { path } => path_tokens(path),
        RustType::EventStream { event, input: true } => {
            let event = path_tokens(event);
            quote!(::aws_lite_runtime::event_stream::EventStreamInput<#event>)
        }
        RustType::EventStream { event, input: false } => {
            let event = path_tokens(event);
            quote!(::aws_lite_runtime::event_stream::EventReceiver<#event>)
        }
    }
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

/// A `@default` value as an expression of type `ty`.
pub(crate) fn default_expr(value: &DefaultValue, ty: &TokenStream) -> TokenStream {
    let json = quote!(::aws_lite_runtime::serde_json);
    match value {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Byte(n) => Literal::i8_suffixed(*n).into_token_stream(),
        DefaultValue::Short(n) => Literal::i16_suffixed(*n).into_token_stream(),
        DefaultValue::Integer(n) => Literal::i32_suffixed(*n).into_token_stream(),
        DefaultValue::Long(n) => Literal::i64_suffixed(*n).into_token_stream(),
        DefaultValue::Float(n) => Literal::f32_suffixed(*n).into_token_stream(),
        DefaultValue::Double(n) => Literal::f64_suffixed(*n).into_token_stream(),
        DefaultValue::Timestamp(secs) => quote!(::aws_lite_runtime::primitives::DateTime::from_secs(#secs)),
        DefaultValue::String(s) => quote!(::std::string::String::from(#s)),
        DefaultValue::Blob(bytes) => {
            let bytes = Literal::byte_string(bytes);
            quote!(::aws_lite_runtime::primitives::Blob::new(#bytes.to_vec()))
        }
        DefaultValue::DocumentNumber(text) => {
            quote!(#json::Value::Number(::std::str::FromStr::from_str(#text).unwrap_or_else(|_| #json::Number::from(0))))
        }
        DefaultValue::DocumentBool(b) => quote!(#json::Value::Bool(#b)),
        DefaultValue::DocumentString(s) => quote!(#json::Value::String(::std::string::String::from(#s))),
        DefaultValue::DocumentArray => quote!(#json::Value::Array(::std::vec::Vec::new())),
        DefaultValue::DocumentObject => quote!(#json::Value::Object(#json::Map::new())),
        DefaultValue::Enum(s) => quote!(<#ty>::from(#s)),
        DefaultValue::IntEnum(n) => quote!(<#ty>::from(#n)),
        DefaultValue::EmptyList => quote!(::std::vec::Vec::new()),
        DefaultValue::EmptyMap => quote!(::std::collections::HashMap::new()),
    }
}
