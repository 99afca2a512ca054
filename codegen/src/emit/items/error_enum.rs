//! Error enums: one variant per modeled error (each with its `is_*` method) and `Unhandled`,
//! for an operation's errors and for the exceptions of a received event stream.

use crate::emit::context::{doc_attrs, ident, path_tokens, Ctx};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A modeled error as a variant: the error structure's shape ID, the variant and `is_*` names.
pub(crate) struct ErrorVariant<'a> {
    pub id: &'a str,
    pub variant: &'a str,
    pub is_fn: &'a str,
}

/// How an error enum is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoding {
    /// From an operation's error response, by code (`OperationError`).
    Response,
    /// From the exception messages of an event stream (the stream reads them itself).
    Events,
}

/// The enum `name` (documented by `doc`) of `errors`, with `Unhandled` for any other error,
/// and its impls from `error_enum!` (`meta()`, `code()`, `is_*` methods, `Display`, `Error`)
/// or, for a response's errors, `operation_error!` (those and `OperationError`).
pub(crate) fn error_enum(
    ctx: &Ctx<'_>,
    name: &Ident,
    doc: &str,
    errors: &[ErrorVariant<'_>],
    decoding: Decoding,
) -> TokenStream {
    struct Variant {
        ident: Ident,
        ty: TokenStream,
        doc: TokenStream,
        is_fn: Ident,
        code: String,
    }
    let variants: Vec<Variant> = errors
        .iter()
        .filter_map(|error| {
            let shape = ctx.model.get(error.id)?;
            Some(Variant {
                ident: ident(error.variant),
                ty: path_tokens(&ctx.plan.type_path(error.id)?),
                doc: doc_attrs(shape.traits.documentation.as_deref(), &format!("The `{}` error.", shape.name())),
                is_fn: ident(error.is_fn),
                // The wire code is the shape's own name, whatever the service renames it to.
                code: crate::ir::local_name(error.id).to_owned(),
            })
        })
        .collect();
    let defs = variants.iter().map(|v| {
        let Variant { ident, ty, doc, .. } = v;
        quote!(#doc #ident(#ty),)
    });
    let entries = variants.iter().map(|v| {
        let Variant { ident, is_fn, code, .. } = v;
        quote!(#ident(#code) => #is_fn)
    });
    let implement = match decoding {
        Decoding::Response => quote!(operation_error),
        Decoding::Events => quote!(error_enum),
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        // Error members come from the model; boxing them would make the API depend on it.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#defs)*
            /// An error the model does not describe; its code, message, status and request id are kept.
            Unhandled(::aws_lite_runtime::error::Unhandled),
        }
        ::aws_lite_runtime::#implement!(#name { #(#entries),* });
    }
}
