//! What the protocol compliance tests are built from: the fields of a case, the client and
//! operation paths, and Rust expressions for the case's parameter values.

use crate::emit::context::{ident, Ctx};
use crate::ir::{local_name, Kind, Simple};
use crate::plan::{Contents, OperationPlan};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

pub(crate) fn str_field<'s>(spec: &'s Map<String, Value>, key: &str) -> Option<&'s str> {
    spec.get(key).and_then(Value::as_str)
}

pub(crate) fn header_pairs(spec: &Map<String, Value>) -> Vec<TokenStream> {
    let headers = spec.get("headers").and_then(Value::as_object);
    headers
        .into_iter()
        .flatten()
        .filter_map(|(name, value)| value.as_str().map(|value| quote!((#name, #value))))
        .collect()
}

pub(crate) fn client_path(ctx: &Ctx<'_>) -> TokenStream {
    let module = ident(&ctx.plan.module);
    quote!(crate::#module::client::Client)
}

pub(crate) fn operation_path(ctx: &Ctx<'_>, op: &OperationPlan) -> TokenStream {
    let module = ident(&ctx.plan.module);
    let op_module = ident(&op.module);
    quote!(crate::#module::operation::#op_module)
}

/// `Type::builder().member(value)...build()` for a structure's parameters.
pub(crate) fn struct_expr(
    ctx: &Ctx<'_>,
    id: &str,
    ty: TokenStream,
    params: &Map<String, Value>,
) -> Result<TokenStream, String> {
    let Some(Contents::Structure { .. }) = ctx.plan.types.get(id).map(|named| &named.contents) else {
        return Err(format!("`{id}` is not a structure"));
    };
    let fields = ctx.fields_of(id);
    let mut expr = quote!(<#ty>::builder());
    for (name, value) in params {
        if value.is_null() {
            continue;
        }
        let field = fields
            .iter()
            .find(|f| &f.member.name == name)
            .ok_or_else(|| format!("`{}` has no member `{name}`", local_name(id)))?;
        let setter = &field.ident;
        let value = value_expr(ctx, &field.member.target, value)?;
        expr = quote!(#expr.#setter(#value));
    }
    Ok(if fields.iter().any(|f| f.required_in_builder) {
        let message = format!("the parameters set every required member of {}", local_name(id));
        quote!(#expr.build().expect(#message))
    } else {
        quote!(#expr.build())
    })
}

/// A Rust expression of the shape's type for a test parameter value.
pub(crate) fn value_expr(ctx: &Ctx<'_>, id: &str, value: &Value) -> Result<TokenStream, String> {
    let shape = ctx.model.get(id).ok_or_else(|| format!("unknown shape `{id}`"))?;
    let ty = ctx.shape_type(id).ok_or_else(|| format!("`{id}` has no Rust type"))?;
    let mismatch = || format!("`{value}` is not a value of `{id}`");
    Ok(match (&shape.kind, value) {
        (Kind::Simple(Simple::String), Value::String(s)) => quote!(::std::string::String::from(#s)),
        (Kind::Simple(Simple::Boolean), Value::Bool(b)) => quote!(#b),
        (Kind::Simple(Simple::Blob), Value::String(s)) => quote!(::aws_lite_runtime::primitives::Blob::from(#s)),
        (Kind::Simple(Simple::Document), document) => {
            let text = document.to_string();
            quote!(::aws_lite_runtime::protocol_test::document(#text))
        }
        (Kind::Simple(Simple::Timestamp), Value::String(text)) => {
            quote!(::aws_lite_runtime::primitives::DateTime::parse(#text, ::aws_lite_runtime::primitives::TimestampFormat::DateTime).expect("a date-time"))
        }
        (Kind::Simple(Simple::Timestamp), Value::Number(n)) => {
            let text = n.to_string();
            quote!(::aws_lite_runtime::primitives::DateTime::parse(#text, ::aws_lite_runtime::primitives::TimestampFormat::EpochSeconds).expect("epoch seconds"))
        }
        (Kind::Simple(simple @ (Simple::Float | Simple::Double)), _) => {
            float_expr(*simple, value).ok_or_else(mismatch)?
        }
        (Kind::Simple(simple @ (Simple::Byte | Simple::Short | Simple::Integer | Simple::Long)), Value::Number(n)) => {
            let suffix = match simple {
                Simple::Byte => "i8",
                Simple::Short => "i16",
                Simple::Integer => "i32",
                _ => "i64",
            };
            let n = n.as_i64().ok_or_else(mismatch)?;
            parse_expr(&format!("{n}{suffix}"))?
        }
        (Kind::Simple(Simple::BigInteger | Simple::BigDecimal), Value::Number(_) | Value::String(_)) => {
            let text = match value {
                Value::String(s) => s.clone(),
                _ => value.to_string(),
            };
            quote!(#text.parse::<#ty>().expect("a number"))
        }
        (Kind::Enum(_), Value::String(s)) => quote!(<#ty>::from(#s)),
        (Kind::IntEnum(_), Value::Number(n)) => {
            let n = n.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(mismatch)?;
            quote!(<#ty>::from(#n))
        }
        (Kind::List(item), Value::Array(items)) => {
            let sparse = shape.traits.sparse;
            let items = items
                .iter()
                .map(|v| optional_expr(ctx, &item.target, v, sparse))
                .collect::<Result<Vec<_>, String>>()?;
            if sparse || items.is_empty() {
                quote!(<#ty>::from([#(#items),*]))
            } else {
                quote!(::std::vec![#(#items),*])
            }
        }
        (Kind::Map { key, value: item }, Value::Object(entries)) => {
            let sparse = shape.traits.sparse;
            let entries = entries
                .iter()
                .map(|(k, v)| {
                    let k = value_expr(ctx, &key.target, &Value::String(k.clone()))?;
                    let v = optional_expr(ctx, &item.target, v, sparse)?;
                    Ok(quote!((#k, #v)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(<#ty>::from([#(#entries),*]))
        }
        (Kind::Structure(_), Value::Object(params)) => struct_expr(ctx, id, ty, params)?,
        (Kind::Union(_), Value::Object(params)) => {
            let [(name, inner)] = params.iter().collect::<Vec<_>>()[..] else {
                return Err(format!("a `{id}` value must set exactly one member"));
            };
            let member = ctx.plan.member(id, name).ok_or_else(|| format!("`{id}` has no member `{name}`"))?;
            let variant = ident(&member.rust_name);
            if member.ty.is_none() {
                quote!(<#ty>::#variant)
            } else {
                let inner = value_expr(ctx, &member.member.target, inner)?;
                if member.boxed {
                    quote!(<#ty>::#variant(::std::boxed::Box::new(#inner)))
                } else {
                    quote!(<#ty>::#variant(#inner))
                }
            }
        }
        _ => return Err(mismatch()),
    })
}

/// A list item or map value: wrapped in `Option` for sparse collections.
fn optional_expr(ctx: &Ctx<'_>, id: &str, value: &Value, sparse: bool) -> Result<TokenStream, String> {
    match (sparse, value) {
        (true, Value::Null) => Ok(quote!(::std::option::Option::None)),
        (true, _) => {
            let inner = value_expr(ctx, id, value)?;
            Ok(quote!(::std::option::Option::Some(#inner)))
        }
        (false, _) => value_expr(ctx, id, value),
    }
}

fn float_expr(simple: Simple, value: &Value) -> Option<TokenStream> {
    let ty = if simple == Simple::Float { quote!(f32) } else { quote!(f64) };
    Some(match value {
        Value::String(s) if s == "NaN" => quote!(#ty::NAN),
        Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
        Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
        Value::Number(n) => {
            let v = n.as_f64()?;
            let text = if simple == Simple::Float { format!("{:?}f32", v as f32) } else { format!("{v:?}f64") };
            parse_expr(&text).ok()?
        }
        _ => return None,
    })
}

fn parse_expr(text: &str) -> Result<TokenStream, String> {
    syn::parse_str::<syn::Expr>(text).map(|e| quote!(#e)).map_err(|err| format!("`{text}`: {err}"))
}
