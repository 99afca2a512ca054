//! Rust types for shapes and members: scalars, collections, named types, optionality, boxing
//! and default values.

use super::{path_tokens, Ctx};
use crate::ir::{Kind, Member, Simple, TimestampFormat, Traits};
use crate::naming;
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
    /// Whether `build()` must fail when this member was not set.
    pub required_in_builder: bool,
    /// Whether `Debug` must hide the value.
    pub sensitive: bool,
    /// Effective timestamp format, for timestamp members.
    pub timestamp_format: Option<TimestampFormat>,
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

    /// How a structure member becomes a field.
    pub fn field(&self, structure: &str, member: &Member) -> Field {
        let traits = self.effective_traits(member);
        let unboxed = self.shape_type(&member.target);
        let boxed = self.plan.boxed.contains(&(structure.to_owned(), member.name.clone()));
        let ty = if boxed { quote!(::std::boxed::Box<#unboxed>) } else { unboxed.clone() };
        let default = match &traits.default {
            Some(value) if !traits.client_optional && !boxed => self.default_value(&member.target, value),
            _ => None,
        };
        let required = traits.required && !traits.client_optional && !traits.idempotency_token;
        let optional = !required && default.is_none();
        let timestamp_format = self.model.get(&member.target).and_then(|target| match target.kind {
            Kind::Simple(Simple::Timestamp) => Some(traits.timestamp_format.unwrap_or(TimestampFormat::EpochSeconds)),
            _ => None,
        });
        Field {
            ident: naming::ident(&naming::member_name(&member.name)),
            wire: self.wire_name(member),
            ty,
            unboxed,
            boxed,
            optional,
            required_in_builder: required && default.is_none(),
            default,
            sensitive: traits.sensitive,
            timestamp_format,
            member: member.clone(),
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
            (Kind::Simple(simple), Value::Number(n)) => number_literal(*simple, n)?,
            (Kind::Simple(Simple::Timestamp), Value::String(_)) => return None,
            (Kind::Simple(Simple::Blob), Value::String(s)) => quote!(crate::primitives::Blob::from(#s)),
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
            quote!(crate::primitives::DateTime::from_secs(#secs))
        }
        _ => return None,
    })
}

use quote::ToTokens;

/// The Rust type of a simple shape.
pub(crate) fn simple_type(simple: Simple) -> TokenStream {
    match simple {
        Simple::Blob => quote!(crate::primitives::Blob),
        Simple::Boolean => quote!(bool),
        Simple::String => quote!(::std::string::String),
        Simple::Byte => quote!(i8),
        Simple::Short => quote!(i16),
        Simple::Integer => quote!(i32),
        Simple::Long => quote!(i64),
        Simple::Float => quote!(f32),
        Simple::Double => quote!(f64),
        Simple::BigInteger => quote!(crate::primitives::BigInteger),
        Simple::BigDecimal => quote!(crate::primitives::BigDecimal),
        Simple::Timestamp => quote!(crate::primitives::DateTime),
        Simple::Document => quote!(crate::primitives::Document),
    }
}
