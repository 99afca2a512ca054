//! Streamed unions: the error enum of a received stream, and the `Unmarshal` (received) and
//! `Marshal` (sent) impls that map each member to a message: `@eventHeader` members to typed
//! headers, the `@eventPayload` member (blob, string, structure or union) or else the remaining
//! members (as JSON) to the payload.

use crate::emit::context::{ident, path_tokens, Ctx};
use crate::emit::items::error_enum::ErrorVariant;
use crate::emit::items::rust_type::Field;
use crate::ir::{Kind, Shape, Simple};
use crate::plan::EventStreamPlan;
use proc_macro2::TokenStream;
use quote::quote;

/// Whether union member `member` is left out of the event enum: a modeled error of a stream the
/// client only receives arrives as an error, not an event.
pub(crate) fn is_error_member(stream: &EventStreamPlan, member: &str) -> bool {
    !stream.input && stream.errors.iter().any(|error| error.member == member)
}

/// The items a streamed union adds to its enum.
pub(crate) fn stream_items(ctx: &Ctx<'_>, shape: &Shape, stream: &EventStreamPlan) -> TokenStream {
    let union = ident(&ctx.plan.types.get(&shape.id).map_or_else(|| shape.name().to_owned(), |n| n.name.clone()));
    let error = stream.output.then(|| error_enum(ctx, shape, stream));
    let unmarshal = stream.output.then(|| unmarshal_impl(ctx, shape, stream, &union));
    let marshal = stream.input.then(|| marshal_impl(ctx, shape, &union));
    quote!(#error #unmarshal #marshal)
}

/// The event members of the union, each with its variant identifier and event structure.
fn events<'a>(ctx: &'a Ctx<'_>, shape: &'a Shape) -> impl Iterator<Item = (String, proc_macro2::Ident, &'a str)> + 'a {
    ctx.plan.members(&shape.id).iter().filter_map(move |m| {
        let field = ctx.field_of(&shape.id, m);
        m.ty.as_ref()?;
        Some((m.member.name.clone(), field.ident, m.member.target.as_str()))
    })
}

fn error_enum(ctx: &Ctx<'_>, shape: &Shape, stream: &EventStreamPlan) -> TokenStream {
    let doc = format!(" Errors the `{}` event stream can carry.", shape.name());
    let errors: Vec<ErrorVariant<'_>> =
        stream.errors.iter().map(|e| ErrorVariant { id: &e.id, variant: &e.variant, is_fn: &e.is_fn }).collect();
    use crate::emit::items::error_enum::{error_enum, Decoding};
    error_enum(ctx, &ident(&stream.error_name), &doc, &errors, Decoding::Events)
}

/// How one event structure's members map to the message.
struct EventLayout {
    /// `@eventHeader` members.
    headers: Vec<Field>,
    /// The `@eventPayload` member.
    payload: Option<Field>,
    /// Whether members other than headers go to a JSON payload.
    implicit_payload: bool,
}

fn layout(ctx: &Ctx<'_>, event: &str) -> EventLayout {
    let mut headers = Vec::new();
    let mut payload = None;
    let mut others = false;
    for field in ctx.fields_of(event) {
        if field.member.traits.event_header {
            headers.push(field);
        } else if field.member.traits.event_payload {
            payload = Some(field);
        } else {
            others = true;
        }
    }
    EventLayout { implicit_payload: payload.is_none() && others, headers, payload }
}

/// What kind of value a member's target is, for headers and payloads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Blob,
    String,
    /// A string enum or an intEnum (written through serde).
    Enum,
    Json,
    Scalar,
}

fn value_kind(ctx: &Ctx<'_>, target: &str) -> ValueKind {
    match ctx.model.get(target).map(|t| &t.kind) {
        Some(Kind::Simple(Simple::Blob)) => ValueKind::Blob,
        Some(Kind::Simple(Simple::String)) => ValueKind::String,
        Some(Kind::Enum(_) | Kind::IntEnum(_)) => ValueKind::Enum,
        Some(
            Kind::Structure(_) | Kind::Union(_) | Kind::List(_) | Kind::Map { .. } | Kind::Simple(Simple::Document),
        ) => ValueKind::Json,
        _ => ValueKind::Scalar,
    }
}

fn unmarshal_impl(ctx: &Ctx<'_>, shape: &Shape, stream: &EventStreamPlan, union: &proc_macro2::Ident) -> TokenStream {
    let wire = quote!(::aws_lite_runtime::event_stream::wire);
    let arms =
        events(ctx, shape).filter(|(member, ..)| !is_error_member(stream, member)).map(|(member, variant, target)| {
            let event_ty = path_tokens(&ctx.plan.type_path(target).unwrap_or_default());
            let EventLayout { headers, payload, implicit_payload } = layout(ctx, target);
            let base = if implicit_payload {
                quote!(#wire::json_payload(message)?)
            } else {
                quote!(::std::default::Default::default())
            };
            // A member read from the message; an absent non-optional one takes its default.
            let settle = |f: &Field, read: TokenStream| -> TokenStream {
                let read = if f.boxed { quote!(#read.map(::std::boxed::Box::new)) } else { read };
                match (&f.default_fn, f.optional) {
                    (_, true) => read,
                    (Some(default), false) => quote!(#read.unwrap_or_else(<#event_ty>::#default)),
                    (None, false) => quote!(#read.unwrap_or_default()),
                }
            };
            let payload = payload.map(|f| {
                let field = &f.ident;
                let read = match value_kind(ctx, &f.member.target) {
                    ValueKind::Blob => quote!(::std::option::Option::Some(#wire::blob_payload(message))),
                    ValueKind::String => quote!(::std::option::Option::Some(#wire::string_payload(message)?)),
                    _ => quote!(::std::option::Option::Some(#wire::json_payload(message)?)),
                };
                let value = settle(&f, read);
                quote!(#field: #value,)
            });
            let headers = headers.iter().map(|f| {
                let field = &f.ident;
                let name = &f.member.name;
                let read = match value_kind(ctx, &f.member.target) {
                    ValueKind::Enum => {
                        let ty = &f.unboxed;
                        let wire_ty = match ctx.model.get(&f.member.target).map(|t| &t.kind) {
                            Some(Kind::IntEnum(_)) => quote!(i32),
                            _ => quote!(::std::string::String),
                        };
                        quote!(#wire::header::<#wire_ty>(message, #name)?.map(<#ty>::from))
                    }
                    _ => quote!(#wire::header(message, #name)?),
                };
                let value = settle(f, read);
                quote!(#field: #value,)
            });
            let headers: Vec<TokenStream> = headers.collect();
            let covered = usize::from(payload.is_some()) + headers.len();
            let start = if covered == 0 {
                quote!(let value: #event_ty = #base;)
            } else if !implicit_payload && covered == ctx.fields_of(target).len() {
                quote!(let value = #event_ty { #payload #(#headers)* };)
            } else {
                quote!(let value = #event_ty { #payload #(#headers)* ..#base };)
            };
            quote! {
                #member => {
                    #start
                    Self::#variant(value)
                }
            }
        });
    let error_ty = path_tokens(&stream.error_path);
    let error_arms = stream.errors.iter().filter_map(|error| {
        let member = &error.member;
        let variant = ident(&error.variant);
        let ty = path_tokens(&ctx.plan.type_path(&error.id)?);
        Some(quote!(#member => #error_ty::#variant(#wire::modeled_error::<#ty>(message, &meta)),))
    });
    let error_arms: Vec<TokenStream> = error_arms.collect();
    let message_arg = if error_arms.is_empty() { quote!(_message) } else { quote!(message) };
    let exception = if error_arms.is_empty() {
        quote! {
            let _ = code;
            #error_ty::Unhandled(::aws_lite_runtime::error::Unhandled { meta })
        }
    } else {
        quote! {
            match code {
                #(#error_arms)*
                _ => #error_ty::Unhandled(::aws_lite_runtime::error::Unhandled { meta }),
            }
        }
    };
    quote! {
        impl ::aws_lite_runtime::event_stream::Unmarshal for #union {
            type Error = #error_ty;
            fn unmarshal_event(event_type: &str, message: &::aws_lite_runtime::event_stream::Message) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(match event_type {
                    #(#arms)*
                    _ => Self::Unknown,
                })
            }
            fn unmarshal_exception(code: &str, #message_arg: &::aws_lite_runtime::event_stream::Message, meta: ::aws_lite_runtime::error::ErrorMetadata) -> #error_ty {
                #exception
            }
        }
    }
}

fn marshal_impl(ctx: &Ctx<'_>, shape: &Shape, union: &proc_macro2::Ident) -> TokenStream {
    let wire = quote!(::aws_lite_runtime::event_stream::wire);
    let error_members: Vec<&str> = ctx
        .plan
        .event_streams
        .get(&shape.id)
        .map(|s| s.errors.iter().map(|e| e.member.as_str()).collect())
        .unwrap_or_default();
    let arms = events(ctx, shape).map(|(member, variant, target)| {
        let EventLayout { headers, payload, implicit_payload } = layout(ctx, target);
        let binding =
            if payload.is_some() || implicit_payload || !headers.is_empty() { quote!(value) } else { quote!(_) };
        let start = if error_members.contains(&member.as_str()) {
            quote!(let message = #wire::exception_message(#member);)
        } else {
            quote!(let message = #wire::event_message(#member);)
        };
        let payload = if let Some(f) = payload {
            let field = &f.ident;
            let value = if f.optional {
                quote!(value.#field.as_ref())
            } else {
                quote!(::std::option::Option::Some(&value.#field))
            };
            let write = match value_kind(ctx, &f.member.target) {
                ValueKind::Blob => quote!(#wire::with_blob_payload(message, payload)),
                ValueKind::String => quote!(#wire::with_string_payload(message, payload)),
                _ => quote!(#wire::with_json_payload(message, payload, &[])?),
            };
            quote! {
                let message = match #value {
                    ::std::option::Option::Some(payload) => #write,
                    ::std::option::Option::None => message,
                };
            }
        } else if implicit_payload {
            let names = headers.iter().map(|f| f.wire.clone());
            quote!(let message = #wire::with_json_payload(message, value, &[#(#names),*])?;)
        } else {
            TokenStream::new()
        };
        let headers = headers.iter().map(|f| {
            let field = &f.ident;
            let name = &f.member.name;
            let value = if f.optional {
                quote!(value.#field.as_ref())
            } else {
                quote!(::std::option::Option::Some(&value.#field))
            };
            match value_kind(ctx, &f.member.target) {
                ValueKind::Enum => quote!(let message = #wire::with_enum_header(message, #name, #value);),
                _ => quote!(let message = #wire::with_header(message, #name, #value);),
            }
        });
        quote! {
            Self::#variant(#binding) => {
                #start
                #payload
                #(#headers)*
                ::std::result::Result::Ok(message)
            }
        }
    });
    let unknown = format!("cannot send {union}::Unknown: the variant is not known to this client");
    quote! {
        impl ::aws_lite_runtime::event_stream::Marshal for #union {
            fn marshal(&self) -> ::std::result::Result<::aws_lite_runtime::event_stream::Message, ::aws_lite_runtime::client::ConstructionError> {
                match self {
                    #(#arms)*
                    Self::Unknown => ::std::result::Result::Err(::aws_lite_runtime::client::ConstructionError::new(#unknown)),
                }
            }
        }
    }
}
