//! One module per operation: its input and output types, its error enum and `validate()`.

use crate::emit::context::{doc_attrs, ident, inner_doc_attrs, path_tokens, render, Ctx, Files};
use crate::emit::files::types::shape_items;
use crate::emit::items::error_enum::ErrorVariant;
use crate::emit::items::shapes::Items;
use crate::emit::items::validate::input_validate;
use crate::emit::protocol;
use crate::ir::Protocol;
use crate::plan::{Contents, OperationPlan, Placement};
use proc_macro2::TokenStream;
use quote::quote;

/// Emits `operation/mod.rs`, which declares one module per operation.
pub(crate) fn emit_operation_index(ctx: &Ctx<'_>, files: &mut Files) -> Result<(), String> {
    let module = &ctx.plan.module;
    let mods = ctx.plan.operations.iter().map(|op| {
        let ident = ident(&op.module);
        let doc = format!(" The `{}` operation.", op.name);
        quote!(#[doc = #doc] pub mod #ident;)
    });
    let doc = format!(" Operations of the `{module}` service, one module each.");
    let path = format!("src/{module}/operation/mod.rs");
    files.insert(path.clone(), render(&path, quote!(#![doc = #doc] #(#mods)*), &ctx.header())?);
    Ok(())
}

/// Emits the files of `operations`, one per operation.
pub(crate) fn emit_operation_files(
    ctx: &Ctx<'_>,
    operations: &[OperationPlan],
    files: &mut Files,
) -> Result<(), String> {
    let header = ctx.header();
    for op in operations {
        let path = format!("src/{}/operation/{}.rs", ctx.plan.module, op.module);
        files.insert(path.clone(), render(&path, operation(ctx, op), &header)?);
    }
    Ok(())
}

fn operation(ctx: &Ctx<'_>, op: &OperationPlan) -> TokenStream {
    let documentation = ctx.model.get(&op.id).and_then(|shape| shape.traits.documentation.as_deref());
    let doc = inner_doc_attrs(documentation, &format!("The `{}` operation.", op.name));
    let names = &op.names;
    let input = io_type(ctx, op, op.input.as_deref(), &names.input, &names.input_builder);
    let output = io_type(ctx, op, op.output.as_deref(), &names.output, &names.output_builder);
    let input_ident = ident(&names.input);
    // An input structure has its `validate()` beside its `builder()`, wherever it is defined.
    let input_struct = op.input.as_deref().is_some_and(|id| {
        matches!(ctx.plan.types.get(id).map(|named| &named.contents), Some(Contents::Structure { .. }))
    });
    let validate =
        if input_struct { TokenStream::new() } else { input_validate(ctx, op.input.as_deref(), &input_ident) };
    let error_ident = ident(&names.error);
    let error = error_enum(ctx, op, &error_ident);
    let Items { main: call, builders: fluent } = call(ctx, op);
    let fluent = Items { main: TokenStream::new(), builders: fluent };
    let body = Items::module(vec![input, output, fluent], " Builders for the input, the output and the call.");
    let paginator = crate::emit::files::paginator::paginator_module(ctx, op);
    quote! {
        #doc
        #body
        #validate
        #error
        #call
        #paginator
    }
}

/// The call itself: `invoke` (token, validation, serialization, send, parsing), the
/// `Request` impl and the fluent builder the client returns.
fn call(ctx: &Ctx<'_>, op: &OperationPlan) -> Items {
    let module = ident(&ctx.plan.module);
    let input = ident(&op.names.input);
    let output = ident(&op.names.output);
    let error = ident(&op.names.error);
    let fluent = ident(&op.names.fluent_builder);
    let shared_builder = op.input.as_deref().filter(|_| ctx.plan.input_is_shared(op)).and_then(|id| {
        match &ctx.plan.types.get(id)?.contents {
            Contents::Structure { builder_path, .. } => Some(builder_path),
            _ => None,
        }
    });
    let input_builder = match shared_builder {
        Some(path) => path_tokens(path),
        None => {
            let ident = ident(&op.names.input_builder);
            quote!(#ident)
        }
    };
    // `Request` can be implemented once per type: a shared input is sent with the fluent builder.
    let request_impl = (!ctx.plan.input_is_shared(op)).then(|| {
        quote! {
            impl crate::#module::client::Request for #input {
                type Output = #output;
                type Error = #error;
                async fn invoke(self, client: &crate::#module::client::Client) -> crate::#module::client::CallResult<Self> {
                    invoke(client, self).await
                }
            }
        }
    });
    let name = &op.name;
    let fields = ctx.input_fields(op);
    let tokens = fields.iter().filter(|f| f.member.traits.idempotency_token && f.optional).map(|f| {
        let ident = &f.ident;
        quote! {
            if input.#ident.is_none() {
                input.#ident = ::std::option::Option::Some(::aws_lite_runtime::client::new_idempotency_token(config));
            }
        }
    });
    let serializer = protocol::serializer(ctx, op, &quote!(#input));
    let output_parser = protocol::output_parser(ctx, op, &quote!(#output));
    let read_error = protocol::error_reader(protocol::query_compatible(ctx));
    let streams_in = fields.iter().find(|f| f.event_stream).map(|f| f.ident.clone());
    let input_mut = if streams_in.is_some() || fields.iter().any(|f| f.member.traits.idempotency_token && f.optional) {
        quote!(mut input)
    } else {
        quote!(input)
    };
    let send = if op.has_event_stream() {
        streaming_send(ctx, op, streams_in.as_ref())
    } else {
        quote! {
            let parts = serialize(input).map_err(::aws_lite_runtime::client::SdkError::Construction)?;
            let response = ::aws_lite_runtime::client::send(config, &crate::#module::client::SERVICE, #name, parts).await?;
            if response.status().is_success() {
                deserialize_output(&response).map_err(::aws_lite_runtime::client::SdkError::ResponseParse)
            } else {
                ::std::result::Result::Err(#read_error(&response))
            }
        }
    };
    let compact = protocol::calls_through_request(ctx, op);
    let main = if compact {
        let tokens = fields.iter().filter(|f| f.member.traits.idempotency_token && f.optional).map(|f| {
            let ident = &f.ident;
            quote!(self.#ident.get_or_insert_with(|| ::aws_lite_runtime::client::new_idempotency_token(client.config()));)
        });
        let self_mut = if fields.iter().any(|f| f.member.traits.idempotency_token && f.optional) {
            quote!(mut self)
        } else {
            quote!(self)
        };
        let (parse, output_parser) = match protocol::runtime_output_parser(ctx, op) {
            Some(path) => (path, TokenStream::new()),
            None => (quote!(deserialize_output), output_parser),
        };
        let (serialize, serializer) = match serializer.closure {
            Some(closure) => (closure, TokenStream::new()),
            None => (quote!(serialize), serializer.item),
        };
        quote! {
            impl crate::#module::client::Request for #input {
                type Output = #output;
                type Error = #error;
                async fn invoke(#self_mut, client: &crate::#module::client::Client) -> crate::#module::client::CallResult<Self> {
                    #(#tokens)*
                    ::aws_lite_runtime::operation::invoke(
                        client.config(), &crate::#module::client::SERVICE, #name, self, Self::validate, #serialize, #parse,
                    ).await
                }
            }

            #serializer
            #output_parser
        }
    } else {
        let serializer_item = serializer.item;
        let invoke_doc = format!(
            " Runs a `{name}` call: fills idempotency tokens, validates, serializes, sends (with signing, retries and timeouts) and parses the response."
        );
        quote! {
            #[doc = #invoke_doc]
            pub(crate) async fn invoke(
                client: &crate::#module::client::Client,
                #input_mut: #input,
            ) -> ::std::result::Result<#output, ::aws_lite_runtime::client::SdkError<#error>> {
                let config = client.config();
                #(#tokens)*
                ::aws_lite_runtime::protocol::check_input(config.validation(), || input.validate())?;
                #send
            }

            #request_impl

            #serializer_item
            #output_parser
        }
    };
    // An input structure of this operation's own is the fluent builder itself (shapes.rs).
    let own_input = !ctx.plan.input_is_shared(op)
        && op.input.as_deref().is_some_and(|id| {
            matches!(ctx.plan.types.get(id).map(|named| &named.contents), Some(Contents::Structure { .. }))
        });
    // The input from a builder (`builder`, or the fluent builder's `self.inner`), a missing
    // required member failing the call.
    let fallible = fields.iter().any(|f| f.required_in_builder);
    let build_from = |builder: TokenStream| {
        if fallible {
            quote!(#builder.build()?)
        } else {
            quote!(#builder.build())
        }
    };
    // The input's `Request` impl names the output and error once.
    let send_result = if compact {
        quote!(crate::#module::client::CallResult<super::#input>)
    } else {
        quote!(::std::result::Result<super::#output, ::aws_lite_runtime::client::SdkError<super::#error>>)
    };
    let send_signature = quote! {
        /// Sends the call.
        ///
        /// # Errors
        /// A missing required member, validation, transport, timeout, service and
        /// response-parsing failures, each as its own [`SdkError`](::aws_lite_runtime::client::SdkError) variant.
        pub async fn send(self) -> #send_result
    };
    if own_input {
        let build = build_from(quote!(builder));
        let send_own = if compact {
            quote!(client.send(#build).await)
        } else {
            quote!(let input = #build; super::invoke(&client, input).await)
        };
        let into_paginator = crate::emit::files::paginator::into_paginator(op, true);
        let fluent_doc = format!(
            " A `{name}` call being prepared: the input builder holding the client; set members, then `.send().await`."
        );
        let fluent_items = quote! {
            #[doc = #fluent_doc]
            pub type #fluent = #input_builder<crate::#module::client::Client>;
            impl #input_builder<crate::#module::client::Client> {
                pub(crate) fn new(client: crate::#module::client::Client) -> Self {
                    #input_builder::<()>::default().swap_call(client).1
                }
                #send_signature {
                    let (client, builder) = self.swap_call(());
                    #send_own
                }
                #into_paginator
            }
        };
        return Items { main, builders: fluent_items };
    }
    let setters = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.unboxed;
        let doc = doc_attrs(f.traits.documentation.as_deref(), &format!("Sets the `{}` member.", f.member.name));
        quote! {
            #doc
            pub fn #field(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.inner = self.inner.#field(value);
                self
            }
        }
    });
    let build = build_from(quote!(self.inner));
    let send_wrapped =
        if compact { quote!(self.client.send(input).await) } else { quote!(super::invoke(&self.client, input).await) };
    let into_paginator = crate::emit::files::paginator::into_paginator(op, false);
    // Events cannot be copied: a call with an input stream is prepared once.
    let fluent_clone = streams_in.is_none().then(|| quote!(, Clone));
    let fluent_doc = format!(" A `{name}` call being prepared: set members, then [`send`]({fluent}::send).");
    let fluent_items = quote! {
        #[doc = #fluent_doc]
        #[derive(Debug #fluent_clone)]
        pub struct #fluent {
            client: crate::#module::client::Client,
            inner: #input_builder,
        }
        impl #fluent {
            pub(crate) fn new(client: crate::#module::client::Client) -> Self {
                Self { client, inner: ::std::default::Default::default() }
            }
            #(#setters)*
            #send_signature {
                let input = #build;
                #send_wrapped
            }
            #into_paginator
        }
    };
    Items { main, builders: fluent_items }
}

/// The send and parse statements of an event-stream call: the input's events become the request
/// body, and the output's stream reads the response body as it arrives.
fn streaming_send(ctx: &Ctx<'_>, op: &OperationPlan, streams_in: Option<&proc_macro2::Ident>) -> TokenStream {
    let read_error = protocol::error_reader(protocol::query_compatible(ctx));
    let module = ident(&ctx.plan.module);
    let name = &op.name;
    // awsJson sends the other members in an `initial-request` message, and receives them in an
    // `initial-response` message; restJson1 binds them to the request and response heads.
    let aws_json = matches!(ctx.plan.protocol, Some(Protocol::AwsJson1_0 | Protocol::AwsJson1_1));
    let (take_stream, events) = match streams_in {
        Some(field) if aws_json => (
            quote!(let stream = ::std::mem::take(&mut input.#field);),
            quote! {
                let content_type = parts.headers.insert(
                    ::aws_lite_runtime::http::header::CONTENT_TYPE,
                    ::aws_lite_runtime::http::HeaderValue::from_static("application/vnd.amazon.eventstream"),
                );
                let content_type = content_type.as_ref().and_then(|value| value.to_str().ok()).unwrap_or("application/json");
                let events = ::std::option::Option::Some(::aws_lite_runtime::event_stream::EventBody::with_initial_request(
                    stream,
                    ::std::mem::take(&mut parts.body),
                    content_type,
                ));
            },
        ),
        Some(field) => (
            quote!(let stream = ::std::mem::take(&mut input.#field);),
            quote!(let events = ::std::option::Option::Some(::aws_lite_runtime::event_stream::EventBody::new(stream));),
        ),
        None => (TokenStream::new(), quote!(let events = ::std::option::Option::None;)),
    };
    let http2 = op.http2.then(|| quote!(parts.http2 = true;));
    let parts_mut = (op.http2 || (aws_json && streams_in.is_some())).then(|| quote!(mut));
    let output_fields = op.output.as_deref().map(|id| ctx.fields_of(id)).unwrap_or_default();
    let stream_out = output_fields.iter().find(|f| f.event_stream).map(|f| {
        let field = &f.ident;
        let initial = (aws_json && output_fields.iter().any(|f| !f.event_stream)).then(|| {
            quote! {
                if let ::std::option::Option::Some(initial) = output.#field.initial_response().await {
                    let stream = ::std::mem::take(&mut output.#field);
                    output = ::aws_lite_runtime::event_stream::wire::json_payload(&initial).map_err(|why| {
                        ::aws_lite_runtime::client::SdkError::ResponseParse(::aws_lite_runtime::client::ResponseParseError::new(
                            &head,
                            format!("the initial-response message: {why}"),
                        ))
                    })?;
                    output.#field = stream;
                }
            }
        });
        quote! {
            output.#field = ::aws_lite_runtime::event_stream::EventReceiver::new(&head, body);
            #initial
        }
    });
    let (output_mut, body) = match &stream_out {
        Some(_) => (quote!(mut), quote!(body)),
        None => (TokenStream::new(), quote!(_body)),
    };
    quote! {
        #take_stream
        let #parts_mut parts = serialize(input).map_err(::aws_lite_runtime::client::SdkError::Construction)?;
        #events
        #http2
        let response = ::aws_lite_runtime::event_stream::send_streaming(config, &crate::#module::client::SERVICE, #name, parts, events).await?;
        if response.status().is_success() {
            let (head, #body) = ::aws_lite_runtime::event_stream::split_response(response);
            let #output_mut output = deserialize_output(&head).map_err(::aws_lite_runtime::client::SdkError::ResponseParse)?;
            #stream_out
            ::std::result::Result::Ok(output)
        } else {
            let response = ::aws_lite_runtime::event_stream::collect_response(response).await?;
            ::std::result::Result::Err(#read_error(&response))
        }
    }
}

/// The input or output type: defined here when only this operation uses the shape, an alias
/// when it is shared, an empty struct for `smithy.api#Unit`.
fn io_type(ctx: &Ctx<'_>, op: &OperationPlan, id: Option<&str>, name: &str, builder: &str) -> Items {
    let ident = ident(name);
    let planned = id.and_then(|id| Some((id, ctx.plan.types.get(id)?, ctx.model.get(id)?)));
    match planned {
        Some((_, named, shape)) if named.placement == Placement::Operation(op.module.clone()) => {
            shape_items(ctx, shape, named)
        }
        Some((id, named, _)) => {
            let target = path_tokens(&named.path);
            let doc = format!(" `{name}` is the shared shape `{id}`.");
            Items { main: quote!(#[doc = #doc] pub type #ident = #target;), ..Items::default() }
        }
        _ => {
            let doc = format!(" `{}` takes no members.", op.name);
            let builder = crate::emit::context::ident(builder);
            let builder_doc = format!(" A builder for [`{name}`](super::{name}).");
            let main = quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq, Default)]
                #[derive(::aws_lite_runtime::serde::Serialize, ::aws_lite_runtime::serde::Deserialize)]
                #[serde(crate = "::aws_lite_runtime::serde")]
                #[non_exhaustive]
                pub struct #ident {}
                impl #ident {
                    /// Starts building the (empty) value.
                    pub fn builder() -> builders::#builder {
                        builders::#builder::default()
                    }
                }
            };
            let builders = quote! {
                #[doc = #builder_doc]
                #[derive(Debug, Clone, Default)]
                pub struct #builder {}
                impl #builder {
                    /// Builds the value.
                    pub fn build(self) -> super::#ident {
                        super::#ident {}
                    }
                }
            };
            Items { main, builders }
        }
    }
}

fn error_enum(ctx: &Ctx<'_>, op: &OperationPlan, ident: &proc_macro2::Ident) -> TokenStream {
    let doc = format!(" Errors `{}` can return.", op.name);
    let errors: Vec<ErrorVariant<'_>> =
        op.errors.iter().map(|e| ErrorVariant { id: &e.id, variant: &e.variant, is_fn: &e.is_fn }).collect();
    use crate::emit::items::error_enum::{error_enum, Decoding};
    error_enum(ctx, ident, &doc, &errors, Decoding::Response)
}
