//! The command-line front end: `src/bin/<package>.rs`, a binary behind the crate's `cli`
//! feature, in the style of the AWS CLI.
//!
//! ```text
//! <package> <service> <operation> [--cli-input-json <json> | --cli-input-json file://<path>]
//!           [--region <region>] [--endpoint-url <url>] [--no-validate]
//!           [--no-paginate] [--max-items <n>] [--starting-token <token>] [--page-size <n>]
//! <package> <service> wait <waiter> [--cli-input-json ...] [--cli-max-wait <seconds>]
//! ```
//!
//! The binary holds only model data, generated per service: every operation (its kebab-case
//! name, documentation and a `fn` that sends it through the library's fluent builder) and a
//! table of the input shapes (`Struct`, `Member`, `Ty`) reachable from operation inputs, with
//! wire names, types, `@required` and documentation, and for a paginated operation the JSON keys
//! of its tokens, page size and items. Its `main` hands that table to
//! `aws_lite_runtime::cli::main`, the model-independent driver (argument parsing, the three
//! levels of `--help`, input checks, the call itself) in the runtime's `cli` feature.
//!
//! The operation `fn`s reach the library only through its public API, by the library crate's name.

use crate::emit::context::{header, ident, path_tokens, render, Ctx, Files};
use crate::emit::items::rust_type::Field;
use crate::emit::options::CrateOptions;
use crate::ir::{Kind, Simple};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Where the binary's source goes, relative to the crate root (also its `[[bin]]` path).
pub(crate) fn bin_path(package_name: &str) -> String {
    format!("src/bin/{package_name}.rs")
}

/// Emits `src/bin/<package>.rs`.
pub(crate) fn emit_cli(contexts: &[Ctx<'_>], options: &CrateOptions, files: &mut Files) -> Result<(), String> {
    let program = options.package_name.as_str();
    let krate = ident(&program.replace('-', "_"));
    let entries = contexts.iter().map(service_entry);
    let modules = contexts.iter().map(|ctx| service_module(ctx, &krate));
    let crate_doc = [
        format!(" `{program}`: call the services of the `{program}` crate from the command line, in the style"),
        " of the AWS CLI. Generated from the same Smithy models as the library; built with the".to_owned(),
        " crate's `cli` feature.".to_owned(),
        String::new(),
        " ```text".to_owned(),
        format!(" {program} <service> <operation> [--cli-input-json <json> | --cli-input-json file://<path>]"),
        format!(" {}[--region <region>] [--endpoint-url <url>] [--no-validate]", " ".repeat(program.len() + 1)),
    ];
    let paginated = contexts.iter().any(|ctx| ctx.plan.operations.iter().any(|op| op.paginator.is_some()));
    let mut crate_doc = crate_doc.to_vec();
    if paginated {
        crate_doc.push(format!(
            " {}[--no-paginate] [--max-items <n>] [--starting-token <token>] [--page-size <n>]",
            " ".repeat(program.len() + 1)
        ));
    }
    crate_doc.extend([
        format!(" {program} [<service> [<operation>]] --help"),
        " ```".to_owned(),
        String::new(),
        " The input is a JSON object keyed by the model's member names (as the library's serde".to_owned(),
        " derives read it); the response is printed as JSON with timestamps in ISO 8601. Exit".to_owned(),
        " status: 0 on success, 1 when the call fails, 2 when the command line is wrong.".to_owned(),
    ]);
    if paginated {
        crate_doc.extend([
            String::new(),
            " Paginated operations fetch every page and print their items merged, as the AWS CLI does;".to_owned(),
            " `--no-paginate` prints one page as sent, `--max-items` stops early with a `NextToken`".to_owned(),
            " that `--starting-token` resumes from.".to_owned(),
        ]);
    }
    let tokens = quote! {
        #( #![doc = #crate_doc] )*

        /// Every service of the crate, in module order.
        static SERVICES: &[::aws_lite_runtime::cli::Service] = &[ #(#entries),* ];

        /// Model data and operation calls, one module per service. Deprecated inputs are still
        /// callable, so using them is allowed here.
        #[allow(deprecated)]
        mod services {
            #(#modules)*
        }

        /// Runs the command line; the exit status says how it went.
        fn main() -> ::std::process::ExitCode {
            ::aws_lite_runtime::cli::main(#program, ::std::env!("CARGO_PKG_VERSION"), SERVICES)
        }
    };
    let path = bin_path(program);
    let header = header(options);
    files.insert(path.clone(), render(&path, tokens, &header)?);
    Ok(())
}

/// The name of a service or operation on the command line: its module name in kebab case
/// (`create_metric_attribution` -> `create-metric-attribution`), without the `_` that module
/// names of Rust keywords get.
fn command_name(module: &str) -> String {
    module.trim_end_matches('_').replace('_', "-")
}

/// A `Service` literal for the `SERVICES` table.
fn service_entry(ctx: &Ctx<'_>) -> TokenStream {
    let service = ctx.model.get(&ctx.plan.id);
    // Kebab case, as AWS CLI users type service names (`acm-pca`); the runtime also accepts
    // the module name (`acm_pca`).
    let name = command_name(&ctx.plan.module);
    let title = service
        .and_then(|s| s.traits.title.clone().or_else(|| s.traits.sdk_id.clone()))
        .unwrap_or_else(|| crate::ir::local_name(&ctx.plan.id).to_owned());
    let doc = plain_doc(service.and_then(|s| s.traits.documentation.as_deref()));
    let module = ident(&ctx.plan.module);
    let operations = ctx.plan.operations.iter().map(|op| {
        let name = command_name(&op.module);
        let model_name = &op.name;
        let doc = ctx.model.get(&op.id).map(|s| help_doc(&s.traits)).unwrap_or_default();
        let input_type = &op.names.input;
        let input = input_table(ctx, op, &module);
        let run = ident(&op.module);
        let paginated = paginated(ctx, op);
        quote! {
            ::aws_lite_runtime::cli::Operation {
                name: #name,
                model_name: #model_name,
                doc: &[ #(#doc),* ],
                input_type: #input_type,
                input: #input,
                run: services::#module::#run,
                paginated: #paginated,
            }
        }
    });
    let waiters = ctx.plan.waiters.iter().filter_map(|waiter| {
        let op = ctx.plan.operations.iter().find(|op| op.module == waiter.operation)?;
        let name = format!("wait {}", command_name(waiter.method.trim_start_matches("wait_until_")));
        let model_name = &waiter.name;
        let first = match &waiter.documentation {
            Some(text) => plain_doc(Some(text)),
            None => vec![format!("Until {} says so.", op.name)],
        };
        let doc = first.into_iter().chain([String::new(), format!("Calls `{}` until its acceptors match.", op.name)]);
        let input_type = &op.names.input;
        let input = input_table(ctx, op, &module);
        let run = ident(&waiter.method);
        Some(quote! {
            ::aws_lite_runtime::cli::Operation {
                name: #name,
                model_name: #model_name,
                doc: &[ #(#doc),* ],
                input_type: #input_type,
                input: #input,
                run: services::#module::#run,
                paginated: ::std::option::Option::None,
            }
        })
    });
    quote! {
        ::aws_lite_runtime::cli::Service {
            name: #name,
            title: #title,
            doc: &[ #(#doc),* ],
            operations: &[ #(#operations),* ],
            waiters: &[ #(#waiters),* ],
        }
    }
}

/// The `paginated` field of an operation: the JSON keys (wire names) of its token, page size and
/// items members, which the driver reads and writes in the input and output JSON.
fn paginated(ctx: &Ctx<'_>, op: &crate::plan::OperationPlan) -> TokenStream {
    let wire = |step: &crate::plan::Step| ctx.plan.member(&step.owner, &step.member).map(|m| m.wire.clone());
    let Some(plan) = &op.paginator else { return quote!(::std::option::Option::None) };
    let path = |steps: &[crate::plan::Step]| steps.iter().map(wire).collect::<Option<Vec<String>>>();
    let (Some(input_token), Some(output_token)) = (wire(&plan.input_token), path(&plan.output_token)) else {
        return quote!(::std::option::Option::None);
    };
    let items = match plan.items.as_deref().and_then(path) {
        Some(items) => quote!(::std::option::Option::Some(&[ #(#items),* ])),
        None => quote!(::std::option::Option::None),
    };
    let page_size = match plan.page_size.as_ref().and_then(wire) {
        Some(member) => quote!(::std::option::Option::Some(#member)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        ::std::option::Option::Some(&::aws_lite_runtime::cli::Paginated {
            input_token: #input_token,
            output_token: &[ #(#output_token),* ],
            items: #items,
            page_size: #page_size,
        })
    }
}

/// The table entry of `op`'s input: its `static` in the service's module, or an empty one.
fn input_table(ctx: &Ctx<'_>, op: &crate::plan::OperationPlan, module: &Ident) -> TokenStream {
    match op.input.as_ref().and_then(|id| ctx.plan.cli_inputs.get(id)) {
        Some(name) => {
            let ident = ident(name);
            quote!(&services::#module::#ident)
        }
        None => {
            let input_type = &op.names.input;
            quote!(&::aws_lite_runtime::cli::Struct { name: #input_type, members: &[] })
        }
    }
}

/// `mod <service>`: one `static` per input structure or union and one `fn` per operation.
fn service_module(ctx: &Ctx<'_>, krate: &Ident) -> TokenStream {
    let module = ident(&ctx.plan.module);
    let statics = ctx.plan.cli_inputs.iter().map(|(id, static_name)| {
        let is_union = ctx.model.get(id).is_some_and(|s| matches!(s.kind, Kind::Union(_)));
        // An event stream is read from standard input, not from the input JSON.
        let members = ctx.plan.members(id).iter().filter(|m| !matches!(m.ty, Some(crate::plan::RustType::EventStream { .. }))).map(|member| {
            let name = &member.wire;
            let ty = ty(ctx, &member.member.target);
            // What a caller must set: `@required`, unless the client fills it in (idempotency
            // tokens) or the model gives a default. Members of a union are never required.
            let traits = &member.traits;
            let required = !is_union && traits.required && !traits.idempotency_token && member.default.is_none();
            let doc = help_doc(traits);
            quote!(::aws_lite_runtime::cli::Member { name: #name, ty: #ty, required: #required, doc: &[ #(#doc),* ] })
        });
        let name = ctx.plan.types.get(id).map_or_else(|| crate::ir::local_name(id).to_owned(), |named| named.name.clone());
        let doc = format!(" The `{name}` shape (`{id}`).");
        let static_ident = ident(static_name);
        quote! {
            #[doc = #doc]
            pub(crate) static #static_ident: ::aws_lite_runtime::cli::Struct = ::aws_lite_runtime::cli::Struct { name: #name, members: &[ #(#members),* ] };
        }
    });
    let calls = ctx.plan.operations.iter().map(|op| {
        let run = ident(&op.module);
        let method = ident(&op.module);
        let input = path_tokens(&format!("{krate}::{}::operation::{}::{}", ctx.plan.module, op.module, op.names.input));
        // The input is sent whole with `Client::send` when its type has the `Request` impl;
        // an input structure shared with another operation (one impl per type) or one with an
        // event stream (fed from stdin) goes through the fluent builder, member by member.
        let fields: Vec<Field> = ctx.input_fields(op);
        let whole = !ctx.plan.input_is_shared(op) && !fields.iter().any(|f| f.event_stream);
        let setters = fields.iter().map(|field| {
            let ident = &field.ident;
            let value = if field.boxed { quote!(*value) } else { quote!(value) };
            if field.event_stream {
                return quote!(let request = request.#ident(::aws_lite_runtime::cli::stdin_events()););
            }
            if field.optional {
                quote! {
                    let request = match input.#ident {
                        ::std::option::Option::Some(value) => request.#ident(#value),
                        ::std::option::Option::None => request,
                    };
                }
            } else {
                let value = if field.boxed { quote!(*input.#ident) } else { quote!(input.#ident) };
                quote!(let request = request.#ident(#value);)
            }
        });
        let reads_input = fields.iter().any(|f| !f.event_stream);
        let input_name = if reads_input { quote!(input) } else { quote!(_input) };
        let doc = format!(" Runs `{}` as the command line asks.", op.name);
        let send = if whole {
            quote! {
                |config: ::#krate::client::Config, input: ::#input| async move {
                    ::#krate::#module::client::Client::new(config).send(input).await
                }
            }
        } else {
            quote! {
                |config: ::#krate::client::Config, #input_name: ::#input| async move {
                    let client = ::#krate::#module::client::Client::new(config);
                    let request = client.#method();
                    #(#setters)*
                    request.send().await
                }
            }
        };
        let stream_out = op.output.as_deref().and_then(|id| ctx.fields_of(id).into_iter().find(|f| f.event_stream));
        let body = match stream_out {
            Some(field) => {
                let field = field.ident;
                let output = path_tokens(&format!("{krate}::{}::operation::{}::{}", ctx.plan.module, op.module, op.names.output));
                quote!(call.run_streaming(::#input::validate, #send, |output: &mut ::#output| &mut output.#field))
            }
            None => quote!(call.run(::#input::validate, #send)),
        };
        quote! {
            #[doc = #doc]
            pub(crate) fn #run(call: &::aws_lite_runtime::cli::Call<'_>) -> ::std::result::Result<(), ::aws_lite_runtime::cli::Failure> {
                #body
            }
        }
    });
    let waits = ctx.plan.waiters.iter().filter_map(|waiter| {
        let op = ctx.plan.operations.iter().find(|op| op.module == waiter.operation)?;
        let run = ident(&waiter.method);
        let input = path_tokens(&format!("{krate}::{}::operation::{}::{}", ctx.plan.module, op.module, op.names.input));
        let doc = format!(" Runs waiter `{}` as the command line asks.", waiter.name);
        let deprecated = waiter.deprecated.then(|| quote!(#[allow(deprecated)]));
        Some(quote! {
            #[doc = #doc]
            #deprecated
            pub(crate) fn #run(call: &::aws_lite_runtime::cli::Call<'_>) -> ::std::result::Result<(), ::aws_lite_runtime::cli::Failure> {
                call.wait(::#input::validate, |config: ::#krate::client::Config, input: ::#input, max_wait| async move {
                    ::#krate::#module::client::Client::new(config).#run(input, max_wait).await
                })
            }
        })
    });
    let doc = format!(" The `{}` service: its input shapes, operation calls and waiters.", ctx.plan.id);
    quote! {
        #[doc = #doc]
        pub(crate) mod #module {
            #(#statics)*
            #(#calls)*
            #(#waits)*
        }
    }
}

/// A `Ty` expression for values of shape `id`.
fn ty(ctx: &Ctx<'_>, id: &str) -> TokenStream {
    let Some(shape) = ctx.model.get(id) else { return quote!(::aws_lite_runtime::cli::Ty::Scalar("unknown")) };
    match &shape.kind {
        Kind::Simple(simple) => {
            let label = scalar_label(*simple);
            quote!(::aws_lite_runtime::cli::Ty::Scalar(#label))
        }
        Kind::Enum(values) => {
            let values = values.iter().map(|v| &v.value);
            quote!(::aws_lite_runtime::cli::Ty::Enum(&[ #(#values),* ]))
        }
        Kind::IntEnum(values) => {
            let values = values.iter().map(|v| v.value.to_string());
            quote!(::aws_lite_runtime::cli::Ty::IntEnum(&[ #(#values),* ]))
        }
        Kind::List(member) => {
            let item = ty(ctx, &member.target);
            quote!(::aws_lite_runtime::cli::Ty::List(&#item))
        }
        Kind::Map { key, value } => {
            let key = ty(ctx, &key.target);
            let value = ty(ctx, &value.target);
            quote!(::aws_lite_runtime::cli::Ty::Map(&#key, &#value))
        }
        Kind::Structure(_) | Kind::Union(_) => {
            let Some(name) = ctx.plan.cli_inputs.get(id) else {
                return quote!(::aws_lite_runtime::cli::Ty::Scalar("unknown"));
            };
            let ident = ident(name);
            if matches!(shape.kind, Kind::Union(_)) {
                quote!(::aws_lite_runtime::cli::Ty::Union(&#ident))
            } else {
                quote!(::aws_lite_runtime::cli::Ty::Structure(&#ident))
            }
        }
        Kind::Service(_) | Kind::Operation(_) | Kind::Resource(_) => {
            quote!(::aws_lite_runtime::cli::Ty::Scalar("unknown"))
        }
    }
}

/// The Smithy name of a simple type, as help shows it.
fn scalar_label(simple: Simple) -> &'static str {
    match simple {
        Simple::Blob => "blob",
        Simple::Boolean => "boolean",
        Simple::String => "string",
        Simple::Byte => "byte",
        Simple::Short => "short",
        Simple::Integer => "integer",
        Simple::Long => "long",
        Simple::Float => "float",
        Simple::Double => "double",
        Simple::BigInteger => "bigInteger",
        Simple::BigDecimal => "bigDecimal",
        Simple::Timestamp => "timestamp",
        Simple::Document => "document",
    }
}

/// Model documentation as plain text lines for a terminal: the rustdoc Markdown of
/// [`crate::docs::doc_lines`] without its backslash escapes.
fn plain_doc(documentation: Option<&str>) -> Vec<String> {
    documentation.map(crate::docs::doc_lines).unwrap_or_default().iter().map(|line| unescape(line)).collect()
}

/// An operation's or member's documentation for help, with a last line saying whether it is
/// deprecated.
fn help_doc(traits: &crate::ir::Traits) -> Vec<String> {
    let mut lines = plain_doc(traits.documentation.as_deref());
    match traits.deprecated.as_deref() {
        None => {}
        Some("") => lines.push("Deprecated.".to_owned()),
        Some(message) => lines.push(format!("Deprecated: {message}")),
    }
    lines
}

/// Drops the `\` before escaped ASCII punctuation.
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}
