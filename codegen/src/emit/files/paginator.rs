//! The paginator of a `@paginated` operation: a `paginator` submodule of its operation module
//! with `<Op>Paginator` (the pages) and, when the trait names `items`, `<Op>PaginatorItems`,
//! reached from the fluent builder's `into_paginator()`, as in the AWS SDK for Rust:
//!
//! ```text
//! let mut pages = client.list_things().into_paginator().page_size(50).send();
//! while let Some(page) = pages.next().await { let page = page?; /* ... */ }
//! let things = client.list_things().into_paginator().items().send().try_collect().await?;
//! ```
//!
//! The generated code only says where the tokens, page size and items are; the stream itself
//! (when to stop, errors, flattening) is the runtime's `paginate`.

use crate::emit::context::{ident, path_tokens, Ctx};
use crate::emit::items::rust_type::rust_type;
use crate::plan::{Contents, MemberPlan, OperationPlan, PaginatorPlan, RustType, Step};
use proc_macro2::TokenStream;
use quote::quote;

/// The fluent builder's `into_paginator()`, for a paginated operation.
pub(crate) fn into_paginator(op: &OperationPlan, own_input: bool) -> TokenStream {
    if op.paginator.is_none() {
        return TokenStream::new();
    }
    let paginator = ident(&op.names.paginator);
    let doc = format!(
        " Pages through the results of `{}`: each page's next token is sent back until the service has no more.",
        op.name
    );
    // The client and a plain input builder: from the call slot of an operation's own input
    // builder, or from the fields of a fluent builder around a shared one.
    let split = if own_input {
        quote!(let (client, input) = self.swap_call(());)
    } else {
        quote!(let (client, input) = (self.client, self.inner);)
    };
    quote! {
        #[doc = #doc]
        ///
        /// Nothing is sent until the paginator's `send()` stream is polled.
        pub fn into_paginator(self) -> super::paginator::#paginator {
            #split
            super::paginator::#paginator::new(client, input)
        }
    }
}

/// The `paginator` module of a paginated operation (nothing for other operations).
pub(crate) fn paginator_module(ctx: &Ctx<'_>, op: &OperationPlan) -> TokenStream {
    let Some(plan) = &op.paginator else { return TokenStream::new() };
    let Some(parts) = Parts::new(ctx, op, plan) else { return TokenStream::new() };
    let module = ident(&ctx.plan.module);
    let name = &op.name;
    let input = ident(&op.names.input);
    let output = ident(&op.names.output);
    let error = ident(&op.names.error);
    let paginator = ident(&op.names.paginator);
    let fluent = &op.names.fluent_builder;
    let Parts { builder, fallible, token, input_token, set_input_token, output_token, page_size, items } = parts;
    let input_token_name = plan.paginated.input_token.as_deref().unwrap_or_default();
    let call =
        crate::emit::protocol::call_expr(ctx, op, &quote!(super), (&quote!(client), &quote!(&client)), &quote!(input));
    let output_token_name = plan.paginated.output_token.as_deref().unwrap_or_default();
    let build = if fallible {
        quote! {
            match self.input.build() {
                ::std::result::Result::Ok(input) => input,
                ::std::result::Result::Err(err) => {
                    return ::aws_lite_runtime::client::PaginationStream::failed(err.into());
                }
            }
        }
    } else {
        quote!(self.input.build())
    };
    let page_size_setter = page_size.map(|(field, ty)| {
        let doc = format!(
            " Sets the page size: the most results one page holds (the `{}` member).",
            plan.paginated.page_size.as_deref().unwrap_or_default()
        );
        quote! {
            #[doc = #doc]
            pub fn page_size(mut self, value: #ty) -> Self {
                self.input = self.input.#field(value);
                self
            }
        }
    });
    let (items_fn, items_items) = match items {
        Some((item_ty, extract)) => {
            let items_ident = ident(&op.names.paginator_items);
            let path = plan.paginated.items.as_deref().unwrap_or_default();
            let items_doc = format!(" The items of the pages, one at a time: the entries of each page's `{path}`.");
            let struct_doc =
                format!(" The items of `{name}` pages (`{path}`), from [`{}::items`].", op.names.paginator);
            let fn_doc = format!(" Takes the items (`{path}`) out of a page.");
            let items_fn = quote! {
                #[doc = #items_doc]
                pub fn items(self) -> #items_ident {
                    #items_ident(self)
                }
            };
            let items_items = quote! {
                #[doc = #struct_doc]
                #[derive(Debug, Clone)]
                pub struct #items_ident(#paginator);
                impl #items_ident {
                    /// Starts the stream of items; nothing is sent until it is polled. An error
                    /// (of any page) is its last item.
                    pub fn send(self) -> ::aws_lite_runtime::client::CallStream<#item_ty, super::#error> {
                        self.0.send().flat_map_items(items)
                    }
                }
                #[doc = #fn_doc]
                fn items(output: super::#output) -> ::std::vec::Vec<#item_ty> {
                    #extract
                }
            };
            (items_fn, items_items)
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let module_doc = format!(" The paginator of `{name}`.");
    let paginator_doc = [
        format!(" The pages of a `{name}` call, from"),
        format!(" [`{fluent}::into_paginator`](super::builders::{fluent}::into_paginator):"),
        format!(" each page's `{output_token_name}` is sent as the next call's `{input_token_name}`."),
    ];
    let input_token_doc = format!(" The token the input sends (`{input_token_name}`).");
    let set_token_doc = format!(" Sets the token of the next page (`{input_token_name}`).");
    let output_token_doc = format!(" The token of the next page (`{output_token_name}`), if any.");
    let paging_doc = format!(" Where the tokens of `{name}` are.");
    quote! {
        #[doc = #module_doc]
        pub mod paginator {
            #(#[doc = #paginator_doc])*
            ///
            /// The stream ends after a page without a next token or with an empty one, after a
            /// page whose token is the one it was sent (unless
            /// [`stop_on_duplicate_token`](Self::stop_on_duplicate_token) says otherwise), and
            /// after an error, which is its last item.
            #[derive(Debug, Clone)]
            pub struct #paginator {
                client: crate::#module::client::Client,
                input: #builder,
                stop_on_duplicate_token: bool,
            }
            impl #paginator {
                pub(crate) fn new(client: crate::#module::client::Client, input: #builder) -> Self {
                    Self { client, input, stop_on_duplicate_token: true }
                }
                #page_size_setter
                /// Whether to stop when the service returns the token it was just sent, which
                /// would otherwise ask for the same page forever (default: `true`, as in the AWS
                /// SDKs). Turn it off for operations that tail a growing resource.
                pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
                    self.stop_on_duplicate_token = stop;
                    self
                }
                #items_fn
                /// Starts the stream of pages; nothing is sent until it is polled. An error is its
                /// last item.
                pub fn send(self) -> ::aws_lite_runtime::client::CallStream<super::#output, super::#error> {
                    let input = #build;
                    let client = self.client;
                    ::aws_lite_runtime::client::paginate(input, PAGING, self.stop_on_duplicate_token, move |input| {
                        let client = client.clone();
                        async move { #call.await }
                    })
                }
            }
            #items_items
            #[doc = #paging_doc]
            const PAGING: ::aws_lite_runtime::client::Paging<super::#input, super::#output, #token> =
                ::aws_lite_runtime::client::Paging { input_token, set_input_token, output_token };
            #[doc = #input_token_doc]
            fn input_token(input: &super::#input) -> ::std::option::Option<&#token> {
                #input_token
            }
            #[doc = #set_token_doc]
            fn set_input_token(input: &mut super::#input, token: #token) {
                #set_input_token
            }
            #[doc = #output_token_doc]
            fn output_token(output: &super::#output) -> ::std::option::Option<&#token> {
                #output_token
            }
        }
    }
}

/// The operation-specific pieces of a paginator, as tokens.
struct Parts {
    /// The input builder's type, from inside the `paginator` module.
    builder: TokenStream,
    /// Whether building the input can fail.
    fallible: bool,
    /// The token type.
    token: TokenStream,
    /// Reads the input's token.
    input_token: TokenStream,
    /// Writes the input's token.
    set_input_token: TokenStream,
    /// Reads the output's token.
    output_token: TokenStream,
    /// The page size setter's name and value type.
    page_size: Option<(proc_macro2::Ident, TokenStream)>,
    /// The item type and the body of `items`.
    items: Option<(TokenStream, TokenStream)>,
}

impl Parts {
    /// The pieces of `op`'s paginator; `None` if the plan lacks a member it names (which the
    /// check stage reports).
    fn new(ctx: &Ctx<'_>, op: &OperationPlan, plan: &PaginatorPlan) -> Option<Parts> {
        let input_id = op.input.as_deref()?;
        let member = |step: &Step| ctx.plan.member(&step.owner, &step.member);
        let token_member = member(&plan.input_token)?;
        let token = rust_type(token_member.ty.as_ref()?);
        let field = ident(&token_member.rust_name);
        let (input_token, set_input_token) = if token_member.optional {
            (quote!(input.#field.as_ref()), quote!(input.#field = ::std::option::Option::Some(token);))
        } else {
            (quote!(::std::option::Option::Some(&input.#field)), quote!(input.#field = token;))
        };
        let output_members: Vec<&MemberPlan> = plan.output_token.iter().map(member).collect::<Option<_>>()?;
        let output_token = borrowed_path(&output_members);
        let page_size = match &plan.page_size {
            Some(step) => {
                let size = member(step)?;
                Some((ident(&size.rust_name), rust_type(size.ty.as_ref()?)))
            }
            None => None,
        };
        let items = match &plan.items {
            Some(steps) => {
                let members: Vec<&MemberPlan> = steps.iter().map(member).collect::<Option<_>>()?;
                Some(items(&members)?)
            }
            None => None,
        };
        let shared_builder = ctx.plan.input_is_shared(op).then(|| match &ctx.plan.types.get(input_id)?.contents {
            Contents::Structure { builder_path, .. } => Some(path_tokens(builder_path)),
            _ => None,
        });
        let builder = match shared_builder {
            Some(path) => path?,
            None => {
                let builder = ident(&op.names.input_builder);
                quote!(super::builders::#builder)
            }
        };
        let fallible = ctx.input_fields(op).iter().any(|field| field.required_in_builder);
        Some(Parts { builder, fallible, token, input_token, set_input_token, output_token, page_size, items })
    }
}

/// `Option<&T>` of the member at the end of `members`, from `output: &Output`.
fn borrowed_path(members: &[&MemberPlan]) -> TokenStream {
    let mut expr = quote!(output);
    let mut optional = false;
    for member in members {
        let field = ident(&member.rust_name);
        expr = match (optional, member.optional) {
            (false, false) => quote!(#expr.#field),
            (false, true) => quote!(#expr.#field.as_ref()),
            (true, false) => quote!(#expr.map(|value| &value.#field)),
            (true, true) => quote!(#expr.and_then(|value| value.#field.as_ref())),
        };
        optional |= member.optional;
    }
    if optional {
        expr
    } else {
        quote!(::std::option::Option::Some(&#expr))
    }
}

/// The item type and the body of `items(output)`, which takes the list (or the map's entries)
/// at the end of `members` out of a page.
fn items(members: &[&MemberPlan]) -> Option<(TokenStream, TokenStream)> {
    let mut expr = quote!(output);
    let mut optional = false;
    for member in members {
        let field = ident(&member.rust_name);
        expr = match (optional, member.optional) {
            (false, _) => quote!(#expr.#field),
            (true, false) => quote!(#expr.map(|value| value.#field)),
            (true, true) => quote!(#expr.and_then(|value| value.#field)),
        };
        optional |= member.optional;
    }
    if optional {
        expr = quote!(#expr.unwrap_or_default());
    }
    match members.last()?.ty.as_ref()? {
        RustType::List { item, sparse } => {
            let item = rust_type(item);
            let item = if *sparse { quote!(::std::option::Option<#item>) } else { item };
            Some((item, expr))
        }
        RustType::Map { key, value, sparse } => {
            let key = rust_type(key);
            let value = rust_type(value);
            let value = if *sparse { quote!(::std::option::Option<#value>) } else { value };
            Some((quote!((#key, #value)), quote!(#expr.into_iter().collect())))
        }
        _ => None,
    }
}
