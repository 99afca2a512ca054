//! The endpoint parameters a request carries (`RequestParts::endpoint_params`): the operation's
//! `smithy.rules#staticContextParams` as constants, then the values its
//! `smithy.rules#operationContextParams` paths select from the input, then its `@contextParam`
//! input members; a later binding of a name replaces an earlier one when the endpoint is
//! resolved. Absent values are left out, so the rule set's default applies.

use crate::emit::context::{ident, Ctx};
use crate::ir::{Kind, Model};
use crate::plan::{context_path, OperationPlan, PathStep, RustType, ServicePlan};
use aws_lite_endpoint_rules::ParameterType;
use proc_macro2::TokenStream;
use quote::quote;

/// A value reached by following members from the input.
enum Chain {
    /// Always there: a place expression (`input.a.b`, `v.c`).
    Present(TokenStream),
    /// Maybe there: an `Option<&T>` expression.
    Maybe(TokenStream),
}

/// The statements computing `endpoint_params` from `input` (read, not moved), and whether
/// they read the input; `None` when the operation binds no endpoint parameter.
pub(crate) fn endpoint_params(ctx: &Ctx<'_>, op: &OperationPlan) -> Option<(TokenStream, bool)> {
    let service = ctx.model.get(&ctx.plan.id)?;
    service.traits.endpoint_rule_set.as_ref()?;
    let shape = ctx.model.get(&op.id)?;
    let value = quote!(::aws_lite_runtime::client::EndpointParamValue);
    // Bindings that are always present go into the `vec!`; the others are pushed when set.
    let mut always: Vec<TokenStream> = Vec::new();
    let mut sometimes: Vec<TokenStream> = Vec::new();
    for (name, constant) in &shape.traits.static_context_params {
        let constant = match constant {
            serde_json::Value::String(text) => quote!(#value::String(::std::string::String::from(#text))),
            serde_json::Value::Bool(flag) => quote!(#value::Bool(#flag)),
            serde_json::Value::Array(items) => {
                let items = items.iter().filter_map(serde_json::Value::as_str);
                quote!(#value::StringArray(::std::vec![#(::std::string::String::from(#items)),*]))
            }
            _ => continue,
        };
        always.push(quote!((#name, #constant)));
    }
    let mut reads_input = false;
    if let Some(input) = &op.input {
        for (name, path) in &shape.traits.operation_context_params {
            let Ok(path) = context_path(ctx.model, input, path) else { continue };
            reads_input = true;
            let binding = bind_path(ctx.model, ctx.plan, name, &path.steps, &path.target, path.kind);
            match binding {
                Some(Binding::Always(expr)) => always.push(expr),
                Some(Binding::Sometimes(statement)) => sometimes.push(statement),
                None => {}
            }
        }
        let members = ctx.model.get(input).map(|s| s.kind.members()).unwrap_or_default();
        for member in members {
            let Some(name) = &member.traits.context_param else { continue };
            let kind = crate::plan::parameter_type(ctx.model, &member.target);
            let Some(kind) = kind.filter(|kind| *kind != ParameterType::StringArray) else { continue };
            reads_input = true;
            let steps = [PathStep::Member { owner: input.clone(), member: member.name.clone() }];
            match bind_path(ctx.model, ctx.plan, name, &steps, &member.target, kind) {
                Some(Binding::Always(expr)) => always.push(expr),
                Some(Binding::Sometimes(statement)) => sometimes.push(statement),
                None => {}
            }
        }
    }
    if always.is_empty() && sometimes.is_empty() {
        return None;
    }
    // An array rather than `vec!`, so that the values are formatted as expressions.
    let statements = match (always.is_empty(), sometimes.is_empty()) {
        (_, true) => quote!(let endpoint_params = ::std::vec::Vec::from([#(#always),*]);),
        (true, false) => quote! {
            let mut endpoint_params: ::aws_lite_runtime::client::EndpointParams = ::std::vec::Vec::new();
            #(#sometimes)*
        },
        (false, false) => quote! {
            let mut endpoint_params: ::aws_lite_runtime::client::EndpointParams = ::std::vec::Vec::from([#(#always),*]);
            #(#sometimes)*
        },
    };
    Some((statements, reads_input))
}

/// How a binding is added.
enum Binding {
    /// A `(name, value)` tuple expression.
    Always(TokenStream),
    /// A statement pushing onto `endpoint_params` when the value is set.
    Sometimes(TokenStream),
}

/// The binding of `name` to the value `steps` select from `input`; `target` is the shape of
/// the value (of each item for string arrays, of the map for `keys`).
fn bind_path(
    model: &Model,
    plan: &ServicePlan,
    name: &str,
    steps: &[PathStep],
    target: &str,
    kind: ParameterType,
) -> Option<Binding> {
    let value = quote!(::aws_lite_runtime::client::EndpointParamValue);
    let split = steps.iter().position(|s| matches!(s, PathStep::Each { .. } | PathStep::Keys { .. }));
    let (before, after) = steps.split_at(split.unwrap_or(steps.len()));
    let chain = follow(plan, Chain::Present(quote!(input)), before)?;
    let is_enum = |id: &str| model.get(id).is_some_and(|s| matches!(s.kind, Kind::Enum(_)));
    let (collection, rest) = match after.split_first() {
        None => {
            let to_value = |reference: TokenStream, place: bool| match kind {
                ParameterType::Boolean if place => quote!(#value::Bool(#reference)),
                ParameterType::Boolean => quote!(#value::Bool(*#reference)),
                _ if is_enum(target) => quote!(#value::String(#reference.as_str().to_owned())),
                _ => quote!(#value::String(#reference.clone())),
            };
            return Some(match chain {
                Chain::Present(place) => {
                    let converted = to_value(place, true);
                    Binding::Always(quote!((#name, #converted)))
                }
                Chain::Maybe(option) => {
                    let converted = to_value(quote!(value), false);
                    Binding::Sometimes(quote! {
                        if let ::std::option::Option::Some(value) = #option {
                            endpoint_params.push((#name, #converted));
                        }
                    })
                }
            });
        }
        Some(split) => split,
    };
    // Strings from an iterator of references (`item` is `None` for the items themselves).
    let texts = |iterator: TokenStream, item: Option<TokenStream>, enumerated: bool| match (item, enumerated) {
        (None, true) => quote!(#iterator.map(|v| v.as_str().to_owned())),
        (None, false) => quote!(#iterator.cloned()),
        (Some(item), true) => quote!(#iterator.map(|v| #item.as_str().to_owned())),
        (Some(item), false) => quote!(#iterator.map(|v| #item.clone())),
    };
    // The collection: its place when always there, else the variable bound to it.
    let source = match &chain {
        Chain::Present(place) => place.clone(),
        Chain::Maybe(_) => quote!(collection),
    };
    let array = match collection {
        PathStep::Keys { map } => {
            let key_enum = match plan.rust_types.get(map) {
                Some(RustType::Map { key, .. }) => matches!(**key, RustType::Named { .. }),
                _ => false,
            };
            let keys = texts(quote!(#source.keys()), None, key_enum);
            quote!({
                let mut keys: ::std::vec::Vec<::std::string::String> = #keys.collect();
                keys.sort();
                keys
            })
        }
        PathStep::Each { list } => {
            let sparse = matches!(plan.rust_types.get(list), Some(RustType::List { sparse: true, .. }));
            let iterator = if sparse { quote!(#source.iter().flatten()) } else { quote!(#source.iter()) };
            let items = match follow(plan, Chain::Present(quote!(v)), rest)? {
                Chain::Present(_) if rest.is_empty() => texts(iterator, None, is_enum(target)),
                Chain::Present(item) => texts(iterator, Some(item), is_enum(target)),
                Chain::Maybe(option) => texts(quote!(#iterator.filter_map(|v| #option)), None, is_enum(target)),
            };
            quote!(#items.collect())
        }
        PathStep::Member { .. } => return None,
    };
    Some(match chain {
        Chain::Present(_) => Binding::Always(quote!((#name, #value::StringArray(#array)))),
        Chain::Maybe(option) => Binding::Sometimes(quote! {
            if let ::std::option::Option::Some(collection) = #option {
                endpoint_params.push((#name, #value::StringArray(#array)));
            }
        }),
    })
}

/// `chain` followed through the structure members of `steps`.
fn follow(plan: &ServicePlan, mut chain: Chain, steps: &[PathStep]) -> Option<Chain> {
    for step in steps {
        let PathStep::Member { owner, member } = step else { return None };
        let field = plan.member(owner, member)?;
        let name = ident(&field.rust_name);
        let take = if field.boxed { quote!(as_deref) } else { quote!(as_ref) };
        chain = match (chain, field.optional) {
            (Chain::Present(place), false) => Chain::Present(quote!(#place.#name)),
            (Chain::Present(place), true) => Chain::Maybe(quote!(#place.#name.#take())),
            (Chain::Maybe(option), false) if field.boxed => Chain::Maybe(quote!(#option.map(|v| &*v.#name))),
            (Chain::Maybe(option), false) => Chain::Maybe(quote!(#option.map(|v| &v.#name))),
            (Chain::Maybe(option), true) => Chain::Maybe(quote!(#option.and_then(|v| v.#name.#take()))),
        };
    }
    Some(chain)
}
