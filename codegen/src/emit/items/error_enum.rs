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

/// The enum `name` (documented by `doc`) of `errors`, with `Unhandled` for any other error,
/// its `operation_error!` impls (`meta()`, `code()`, `Display`, `Error`) and `is_*` methods.
pub(crate) fn error_enum(ctx: &Ctx<'_>, name: &Ident, doc: &str, errors: &[ErrorVariant<'_>]) -> TokenStream {
    struct Variant {
        ident: Ident,
        ty: TokenStream,
        doc: TokenStream,
        is_fn: Ident,
        is_doc: String,
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
                is_doc: format!(" Whether this is a `{}` error.", shape.name()),
            })
        })
        .collect();
    let defs = variants.iter().map(|v| {
        let Variant { ident, ty, doc, .. } = v;
        quote!(#doc #ident(#ty),)
    });
    let names: Vec<&Ident> = variants.iter().map(|v| &v.ident).collect();
    let is_fns = variants.iter().map(|v| {
        let Variant { ident: variant, is_fn, is_doc, .. } = v;
        quote! {
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug)]
        #[non_exhaustive]
        // Error members come from the model; boxing them would make the API depend on it.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#defs)*
            /// An error the model does not describe; its code, message, status and request id are kept.
            Unhandled(::aws_lite_runtime::error::Unhandled),
        }
        // `meta()`, `code()`, `Display` and `Error`, delegating to the variant's error.
        ::aws_lite_runtime::operation_error!(#name { #(#names),* });
        impl #name {
            #(#is_fns)*
        }
    }
}
