//! The command-line front end: `src/bin/<package>.rs`, a binary behind the crate's `cli`
//! feature, in the style of the AWS CLI.
//!
//! ```text
//! <package> <service> <operation> [--cli-input-json <json> | --cli-input-json file://<path>]
//!           [--region <region>] [--endpoint-url <url>] [--no-validate]
//! ```
//!
//! The file has two halves:
//!
//! - model data, generated per service: every operation (its kebab-case name, documentation and
//!   a `fn` that sends it through the library's fluent builder) and a table of the input shapes
//!   (`Struct`, `Member`, `Ty`) reachable from operation inputs, with wire names, types,
//!   `@required` and documentation;
//! - a fixed, model-independent driver (`driver`): argument parsing, the three levels of
//!   `--help`, input checks (unknown members, missing required members) and the call itself.
//!
//! Everything the driver prints about a model is derived at run time from that one table: the
//! member lists and JSON syntax of `--help`, and the checks that serde's derive does not make
//! (it ignores unknown keys and fills missing required members with defaults).
//!
//! The binary only uses the library's public API, through the library crate's name.

use crate::emit::context::{header, path_tokens, render, Ctx, Files};
use crate::emit::items::rust_type::Field;
use crate::emit::options::CrateOptions;
use crate::ir::{Kind, Simple};
use crate::naming;
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Where the binary's source goes, relative to the crate root (also its `[[bin]]` path).
pub(crate) fn bin_path(package_name: &str) -> String {
    format!("src/bin/{package_name}.rs")
}

/// Emits `src/bin/<package>.rs`.
pub(crate) fn emit_cli(contexts: &[Ctx<'_>], options: &CrateOptions, files: &mut Files) -> Result<(), String> {
    let program = options.package_name.as_str();
    let krate = naming::ident(&program.replace('-', "_"));
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
        format!(" {program} [<service> [<operation>]] --help"),
        " ```".to_owned(),
        String::new(),
        " The input is a JSON object keyed by the model's member names (as the library's serde".to_owned(),
        " derives read it); the response is printed as JSON with timestamps in ISO 8601. Exit".to_owned(),
        " status: 0 on success, 1 when the call fails, 2 when the command line is wrong.".to_owned(),
    ];
    let driver = driver(&krate, program);
    let tokens = quote! {
        #( #![doc = #crate_doc] )*

        /// Every service of the crate, in module order.
        static SERVICES: &[Service] = &[ #(#entries),* ];

        /// Model data and operation calls, one module per service. Deprecated inputs are still
        /// callable, so using them is allowed here.
        #[allow(deprecated)]
        mod services {
            #(#modules)*
        }

        #driver
    };
    let path = bin_path(program);
    let header = header(&options.sources);
    files.insert(path.clone(), render(&path, tokens, &header)?);
    Ok(())
}

/// The operation's name on the command line: its module name in kebab case
/// (`CreateMetricAttribution` -> `create-metric-attribution`), without the `_` that module
/// names of Rust keywords get.
fn command_name(module: &str) -> String {
    module.trim_end_matches('_').replace('_', "-")
}

/// A `Service` literal for the `SERVICES` table.
fn service_entry(ctx: &Ctx<'_>) -> TokenStream {
    let statics = static_names(ctx);
    let shape = &ctx.model.shapes[&ctx.plan.id];
    let name = &ctx.plan.module;
    let title =
        shape.traits.title.clone().or_else(|| shape.traits.sdk_id.clone()).unwrap_or_else(|| shape.name().to_owned());
    let doc = plain_doc(shape.traits.documentation.as_deref());
    let module = naming::ident(&ctx.plan.module);
    let operations = ctx.plan.operations.iter().map(|op| {
        let name = command_name(&op.module);
        let model_name = &op.name;
        let doc = help_doc(&ctx.model.shapes[&op.id].traits);
        let input_type = format!("{}Input", naming::type_name(&op.name));
        let input = match &op.input {
            Some(id) => {
                let ident = &statics[id];
                quote!(&services::#module::#ident)
            }
            None => quote!(&Struct { name: #input_type, members: &[] }),
        };
        let run = naming::ident(&op.module);
        quote! {
            Operation {
                name: #name,
                model_name: #model_name,
                doc: &[ #(#doc),* ],
                input_type: #input_type,
                input: #input,
                run: services::#module::#run,
            }
        }
    });
    quote! {
        Service {
            name: #name,
            title: #title,
            doc: &[ #(#doc),* ],
            operations: &[ #(#operations),* ],
        }
    }
}

/// `mod <service>`: one `static` per input structure or union and one `fn` per operation.
fn service_module(ctx: &Ctx<'_>, krate: &Ident) -> TokenStream {
    let module = naming::ident(&ctx.plan.module);
    let names = static_names(ctx);
    let statics = names.iter().map(|(id, ident)| {
        let shape = &ctx.model.shapes[id];
        let members = match &shape.kind {
            Kind::Structure(members) | Kind::Union(members) => members.as_slice(),
            _ => &[],
        };
        let is_union = matches!(shape.kind, Kind::Union(_));
        let members = members.iter().map(|member| {
            let traits = ctx.effective_traits(member);
            let field = ctx.field(id, member);
            let name = field.wire;
            let ty = ty(ctx, &member.target, &names);
            // What a caller must set: `@required`, unless the client fills it in (idempotency
            // tokens) or the model gives a default. Members of a union are never required.
            let required = !is_union && traits.required && !traits.idempotency_token && field.default.is_none();
            let doc = help_doc(&traits);
            quote!(crate::Member { name: #name, ty: #ty, required: #required, doc: &[ #(#doc),* ] })
        });
        let name = ctx.plan.types.get(id).map_or_else(|| shape.name().to_owned(), |named| named.name.clone());
        let doc = format!(" The `{name}` shape (`{id}`).");
        quote! {
            #[doc = #doc]
            pub(crate) static #ident: crate::Struct = crate::Struct { name: #name, members: &[ #(#members),* ] };
        }
    });
    let calls = ctx.plan.operations.iter().map(|op| {
        let run = naming::ident(&op.module);
        let method = naming::ident(&op.module);
        let input = path_tokens(&format!(
            "{krate}::{}::operation::{}::{}Input",
            ctx.plan.module,
            op.module,
            naming::type_name(&op.name)
        ));
        // The input goes through the operation's fluent builder, member by member: unlike
        // `Client::send`, which needs the input type's `Request` impl, that works for every
        // operation, including those whose input structure is shared with another one.
        let fields: Vec<Field> = match op.input.as_deref().map(|id| (id, ctx.model.get(id))) {
            Some((id, Some(crate::ir::Shape { kind: Kind::Structure(members), .. }))) => {
                members.iter().map(|member| ctx.field(id, member)).collect()
            }
            _ => Vec::new(),
        };
        let setters = fields.iter().map(|field| {
            let ident = &field.ident;
            let value = if field.boxed { quote!(*value) } else { quote!(value) };
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
        let input_name = if fields.is_empty() { quote!(_input) } else { quote!(input) };
        let doc = format!(" Runs `{}` as the command line asks.", op.name);
        quote! {
            #[doc = #doc]
            pub(crate) fn #run(call: &crate::Call<'_>) -> ::std::result::Result<(), crate::Failure> {
                call.run(::#input::validate, |config: ::#krate::client::Config, #input_name: ::#input| async move {
                    let client = ::#krate::#module::client::Client::new(config);
                    let request = client.#method();
                    #(#setters)*
                    request.send().await
                })
            }
        }
    });
    let doc = format!(" The `{}` service: its input shapes and operation calls.", ctx.plan.id);
    quote! {
        #[doc = #doc]
        pub(crate) mod #module {
            #(#statics)*
            #(#calls)*
        }
    }
}

/// The structures and unions reachable from operation inputs, each with the name of its
/// `static`: the Rust type name in SCREAMING_SNAKE_CASE, with a numeric suffix on a clash.
fn static_names(ctx: &Ctx<'_>) -> BTreeMap<String, Ident> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = ctx.plan.operations.iter().filter_map(|op| op.input.clone()).collect();
    while let Some(id) = stack.pop() {
        let Some(shape) = ctx.model.get(&id) else { continue };
        let aggregate = matches!(shape.kind, Kind::Structure(_) | Kind::Union(_));
        if aggregate && !seen.insert(id.clone()) {
            continue;
        }
        stack.extend(crate::plan::member_targets(ctx.model, &id).into_iter().map(str::to_owned));
    }
    let mut taken = BTreeSet::new();
    seen.into_iter()
        .map(|id| {
            let type_name = ctx
                .plan
                .types
                .get(&id)
                .map_or_else(|| naming::type_name(crate::ir::local_name(&id)), |n| n.name.clone());
            let base = naming::module_name(&type_name).trim_end_matches('_').to_uppercase();
            let mut name = base.clone();
            let mut suffix = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{suffix}");
                suffix += 1;
            }
            (id, naming::ident(&name))
        })
        .collect()
}

/// A `Ty` expression for values of shape `id`.
fn ty(ctx: &Ctx<'_>, id: &str, statics: &BTreeMap<String, Ident>) -> TokenStream {
    let Some(shape) = ctx.model.get(id) else { return quote!(crate::Ty::Scalar("unknown")) };
    match &shape.kind {
        Kind::Simple(simple) => {
            let label = scalar_label(*simple);
            quote!(crate::Ty::Scalar(#label))
        }
        Kind::Enum(values) => {
            let values = values.iter().map(|v| &v.value);
            quote!(crate::Ty::Enum(&[ #(#values),* ]))
        }
        Kind::IntEnum(values) => {
            let values = values.iter().map(|v| v.value.to_string());
            quote!(crate::Ty::IntEnum(&[ #(#values),* ]))
        }
        Kind::List(member) => {
            let item = ty(ctx, &member.target, statics);
            quote!(crate::Ty::List(&#item))
        }
        Kind::Map { key, value } => {
            let key = ty(ctx, &key.target, statics);
            let value = ty(ctx, &value.target, statics);
            quote!(crate::Ty::Map(&#key, &#value))
        }
        Kind::Structure(_) | Kind::Union(_) => {
            let Some(ident) = statics.get(id) else { return quote!(crate::Ty::Scalar("unknown")) };
            if matches!(shape.kind, Kind::Union(_)) {
                quote!(crate::Ty::Union(&#ident))
            } else {
                quote!(crate::Ty::Structure(&#ident))
            }
        }
        Kind::Service(_) | Kind::Operation(_) | Kind::Resource(_) => quote!(crate::Ty::Scalar("unknown")),
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

/// The model-independent half of the binary: data types, argument parsing, help, input
/// checks, configuration and the call. It lives at the crate root, where every name is its own,
/// so it uses the prelude (the service modules, which hold model-named items, do not).
fn driver(krate: &Ident, program: &str) -> TokenStream {
    quote! {
        /// The program's name, as used in messages and help.
        const PROGRAM: &str = #program;

        /// Exit status when the call fails: configuration, validation, transport or service error.
        const EXIT_FAILURE: u8 = 1;

        /// Exit status when the command line is wrong: unknown service, operation or option, or
        /// an input that is not JSON or does not fit the operation's input.
        const EXIT_USAGE: u8 = 2;

        /// Every long option, for suggestions.
        const OPTIONS: &[&str] = &["--cli-input-json", "--region", "--endpoint-url", "--no-validate", "--help", "--version"];

        /// The options, as every help level ends with them.
        const OPTIONS_HELP: &str = "Options:
  --cli-input-json <json>  The operation's input: a JSON object keyed by the model's member names,
                           or file://<path> to read it from a file. Default: {}.
  --region <region>        The AWS region. Default: $AWS_REGION, else $AWS_DEFAULT_REGION.
  --endpoint-url <url>     Send the request to this URL instead of the regional endpoint.
                           Default: $AWS_ENDPOINT_URL.
  --no-validate            Send the input without checking the model's constraints first.
  -h, --help               Show help: the services, a service's operations, or an operation's input.
  --version                Show the version.

Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
The response is printed as JSON, timestamps in ISO 8601. Exit status: 0 on success,
1 when the call fails (configuration, validation, transport or service error), 2 when
the command line is wrong.
";

        /// A service: its name on the command line, title, documentation and operations.
        struct Service {
            /// The service's module name, e.g. `personalize`.
            name: &'static str,
            /// The model's title, e.g. `Amazon Personalize`.
            title: &'static str,
            /// The service's documentation, as plain text lines.
            doc: &'static [&'static str],
            /// Its operations, sorted by name.
            operations: &'static [Operation],
        }

        /// An operation: its names, documentation, input shape and how to send it.
        struct Operation {
            /// The name on the command line, e.g. `create-metric-attribution`.
            name: &'static str,
            /// The name in the model, e.g. `CreateMetricAttribution`.
            model_name: &'static str,
            /// The operation's documentation, as plain text lines.
            doc: &'static [&'static str],
            /// The library's input type name, e.g. `CreateMetricAttributionInput`.
            input_type: &'static str,
            /// The input's members.
            input: &'static Struct,
            /// Parses the input, checks it, sends it and prints the response.
            run: fn(&Call<'_>) -> Result<(), Failure>,
        }

        /// A structure or union of the model.
        struct Struct {
            /// The library's type name.
            name: &'static str,
            /// Its members, in model order.
            members: &'static [Member],
        }

        /// A member of a structure or union.
        struct Member {
            /// The JSON key.
            name: &'static str,
            /// What its values look like.
            ty: Ty,
            /// Whether the caller must set it.
            required: bool,
            /// The member's documentation, as plain text lines.
            doc: &'static [&'static str],
        }

        /// What the values of a member look like. Which variants a model uses varies, so some
        /// may never be built.
        #[allow(dead_code)]
        enum Ty {
            /// A simple type, by its Smithy name (`string`, `integer`, `timestamp`...).
            Scalar(&'static str),
            /// A string enum and its values.
            Enum(&'static [&'static str]),
            /// An integer enum and its values.
            IntEnum(&'static [&'static str]),
            /// A list of the item type.
            List(&'static Ty),
            /// A map from the key type to the value type.
            Map(&'static Ty, &'static Ty),
            /// A structure.
            Structure(&'static Struct),
            /// A union: exactly one member is set.
            Union(&'static Struct),
        }

        /// Why the program stops early: the message for stderr and the exit status.
        #[derive(Debug)]
        struct Failure {
            /// The exit status: `EXIT_FAILURE` or `EXIT_USAGE`.
            status: u8,
            /// What went wrong, possibly several lines; printed after the program's name.
            message: String,
        }

        impl Failure {
            /// A wrong command line (exit status 2).
            fn usage(message: impl Into<String>) -> Self {
                Self { status: EXIT_USAGE, message: message.into() }
            }

            /// A failed call (exit status 1).
            fn call(message: impl Into<String>) -> Self {
                Self { status: EXIT_FAILURE, message: message.into() }
            }

            /// Prints the message on stderr and gives the exit status.
            fn report(self) -> ::std::process::ExitCode {
                let mut stderr = ::std::io::stderr().lock();
                let _ = ::std::io::Write::write_all(&mut stderr, format!("{PROGRAM}: {}\n", self.message).as_bytes());
                ::std::process::ExitCode::from(self.status)
            }
        }

        /// The parsed command line.
        #[derive(Debug, Default)]
        struct Args {
            /// Service, operation and any further words, in order.
            words: Vec<String>,
            /// `--cli-input-json`, as given.
            input: Option<String>,
            /// `--region`.
            region: Option<String>,
            /// `--endpoint-url`.
            endpoint_url: Option<String>,
            /// `--no-validate`.
            no_validate: bool,
            /// `--help`, `-h` or a final `help` word.
            help: bool,
            /// `--version`.
            version: bool,
        }

        impl Args {
            /// Reads the arguments (without the program name). Options may come anywhere, as
            /// `--name value` or `--name=value`.
            fn parse(raw: Vec<String>) -> Result<Args, Failure> {
                let mut args = Args::default();
                let mut raw = raw.into_iter();
                while let Some(arg) = raw.next() {
                    match arg.as_str() {
                        "-h" | "--help" => args.help = true,
                        "--version" => args.version = true,
                        "--no-validate" => args.no_validate = true,
                        word if !word.starts_with('-') || word == "-" => args.words.push(arg),
                        option => {
                            let (name, inline) = match option.split_once('=') {
                                Some((name, value)) => (name, Some(value.to_owned())),
                                None => (option, None),
                            };
                            let slot = match name {
                                "--cli-input-json" => &mut args.input,
                                "--region" => &mut args.region,
                                "--endpoint-url" => &mut args.endpoint_url,
                                _ => {
                                    let mut message = format!("unknown option `{option}`");
                                    if let Some(best) = suggest(name, OPTIONS.iter().copied()) {
                                        message.push_str(&format!("; did you mean `{best}`?"));
                                    }
                                    message.push_str(&format!("\nRun `{PROGRAM} --help` to list the options."));
                                    return Err(Failure::usage(message));
                                }
                            };
                            // A missing value must not swallow the next option.
                            let value = inline.or_else(|| raw.next()).filter(|value| value != "-h" && !OPTIONS.contains(&value.as_str()));
                            let Some(value) = value else {
                                return Err(Failure::usage(format!("`{name}` needs a value")));
                            };
                            if slot.is_some() {
                                return Err(Failure::usage(format!("`{name}` is given more than once")));
                            }
                            *slot = Some(value);
                        }
                    }
                }
                if args.words.len() <= 3 && args.words.last().is_some_and(|word| word == "help") {
                    args.words.pop();
                    args.help = true;
                }
                Ok(args)
            }
        }

        /// Runs the command line; the exit status says how it went.
        fn main() -> ::std::process::ExitCode {
            let mut raw = Vec::new();
            for arg in ::std::env::args_os().skip(1) {
                match arg.into_string() {
                    Ok(arg) => raw.push(arg),
                    Err(arg) => {
                        return Failure::usage(format!("argument {arg:?} is not valid Unicode")).report();
                    }
                }
            }
            match run(raw) {
                Ok(()) => ::std::process::ExitCode::SUCCESS,
                Err(failure) => failure.report(),
            }
        }

        /// Does what the command line asks: help, version, or one operation call.
        fn run(raw: Vec<String>) -> Result<(), Failure> {
            let args = Args::parse(raw)?;
            if args.version {
                return print(&format!("{PROGRAM} {}\n", env!("CARGO_PKG_VERSION")));
            }
            let Some(service) = args.words.first() else {
                if args.help {
                    return print(&top_help());
                }
                return Err(Failure::usage(format!(
                    "no service given\nUsage: {PROGRAM} <service> <operation> [options]\nRun `{PROGRAM} --help` to list the services and options."
                )));
            };
            let service = find_service(service)?;
            let Some(operation) = args.words.get(1) else {
                if args.help {
                    return print(&service_help(service));
                }
                return Err(Failure::usage(format!(
                    "no operation given\nUsage: {PROGRAM} {} <operation> [options]\nRun `{PROGRAM} {} --help` to list its operations.",
                    service.name, service.name
                )));
            };
            let operation = find_operation(service, operation)?;
            if let Some(extra) = args.words.get(2) {
                return Err(Failure::usage(format!(
                    "unexpected argument `{extra}`\nRun `{PROGRAM} {} {} --help` for usage.",
                    service.name, operation.name
                )));
            }
            if args.help {
                return print(&operation_help(service, operation));
            }
            (operation.run)(&Call { service, operation, args: &args })
        }

        /// The service called `name`, or a usage error that suggests a close name.
        fn find_service(name: &str) -> Result<&'static Service, Failure> {
            if let Some(service) = SERVICES.iter().find(|service| service.name == name) {
                return Ok(service);
            }
            let mut message = format!("unknown service `{name}`");
            if let Some(best) = suggest(name, SERVICES.iter().map(|service| service.name)) {
                message.push_str(&format!("; did you mean `{best}`?"));
            }
            message.push_str(&format!("\nRun `{PROGRAM} --help` to list the services."));
            Err(Failure::usage(message))
        }

        /// The operation of `service` called `name`, or a usage error that suggests a close name.
        fn find_operation(service: &'static Service, name: &str) -> Result<&'static Operation, Failure> {
            if let Some(operation) = service.operations.iter().find(|operation| operation.name == name) {
                return Ok(operation);
            }
            let mut message = format!("unknown operation `{name}` for service `{}`", service.name);
            if let Some(best) = suggest(name, service.operations.iter().map(|operation| operation.name)) {
                message.push_str(&format!("; did you mean `{best}`?"));
            }
            message.push_str(&format!("\nRun `{PROGRAM} {} --help` to list its operations.", service.name));
            Err(Failure::usage(message))
        }

        /// The candidate closest to `given`, if one is close. Letters and digits are compared
        /// ignoring case and punctuation (so `CreateCustomMetric` finds `create-custom-metric`);
        /// a candidate is close when at most a third of them (and not all) differ, or when `given`
        /// is the start of it (`--endpoint`).
        fn suggest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
            let key = |text: &str| -> Vec<char> {
                text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
            };
            let given = key(given);
            if given.is_empty() {
                return None;
            }
            let limit = (given.len() / 3).max(1);
            candidates
                .filter_map(|candidate| {
                    let other = key(candidate);
                    let distance = if other.starts_with(&given) { 0 } else { edit_distance(&given, &other) };
                    (distance <= limit && distance < given.len()).then_some((distance, candidate))
                })
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, candidate)| candidate)
        }

        /// Edit distance with insertions, deletions, substitutions and swaps of two neighbours
        /// (optimal string alignment).
        fn edit_distance(a: &[char], b: &[char]) -> usize {
            let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for (i, row) in rows.iter_mut().enumerate() {
                row[0] = i;
            }
            for (j, cell) in rows[0].iter_mut().enumerate() {
                *cell = j;
            }
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        best = best.min(rows[i - 2][j - 2] + 1);
                    }
                    rows[i][j] = best;
                }
            }
            rows[a.len()][b.len()]
        }

        /// Writes `text` to stdout.
        fn print(text: &str) -> Result<(), Failure> {
            let mut stdout = ::std::io::stdout().lock();
            ::std::io::Write::write_all(&mut stdout, text.as_bytes())
                .and_then(|()| ::std::io::Write::flush(&mut stdout))
                .map_err(|err| Failure::call(format!("cannot write to stdout: {err}")))
        }

        /// `--help` without a service: usage, options and the services.
        fn top_help() -> String {
            let indent = " ".repeat(PROGRAM.len() + 8);
            let mut out = format!(
                "Call AWS services from the command line.\n\nUsage: {PROGRAM} <service> <operation> [--cli-input-json <json> | --cli-input-json file://<path>]\n{indent}[--region <region>] [--endpoint-url <url>] [--no-validate]\n       {PROGRAM} <service> --help\n       {PROGRAM} <service> <operation> --help\n\n"
            );
            out.push_str(OPTIONS_HELP);
            out.push_str("\nServices:\n");
            let width = SERVICES.iter().map(|service| service.name.len()).max().unwrap_or(0);
            for service in SERVICES {
                out.push_str(&format!("  {:width$}  {}\n", service.name, service.title));
            }
            out
        }

        /// `<service> --help`: the service's documentation and operations.
        fn service_help(service: &Service) -> String {
            let mut out = format!("Usage: {PROGRAM} {} <operation> [options]\n\n{}\n", service.name, service.title);
            if !service.doc.is_empty() {
                out.push('\n');
                push_lines(&mut out, service.doc, "");
            }
            out.push_str("\nOperations:\n");
            let width = service.operations.iter().map(|operation| operation.name.len()).max().unwrap_or(0);
            for operation in service.operations {
                let summary = operation.doc.first().copied().unwrap_or("");
                out.push_str(format!("  {:width$}  {summary}", operation.name).trim_end());
                out.push('\n');
            }
            out.push_str(&format!(
                "\nRun `{PROGRAM} {} <operation> --help` for an operation's input, `{PROGRAM} --help` for the options.\n",
                service.name
            ));
            out
        }

        /// `<service> <operation> --help`: usage, documentation, input members, the shapes
        /// they use and the input's JSON syntax.
        fn operation_help(service: &Service, operation: &Operation) -> String {
            let command = format!("{PROGRAM} {} {}", service.name, operation.name);
            let indent = " ".repeat(command.len() + 8);
            let mut out = format!(
                "Usage: {command} [--cli-input-json <json> | --cli-input-json file://<path>]\n{indent}[--region <region>] [--endpoint-url <url>] [--no-validate]\n"
            );
            if !operation.doc.is_empty() {
                out.push('\n');
                push_lines(&mut out, operation.doc, "");
            }
            let input = operation.input;
            if input.members.is_empty() {
                out.push_str(&format!("\n{} takes no input members.\n", operation.model_name));
            } else {
                out.push_str(&format!("\nInput members ({}), the keys of --cli-input-json:\n", operation.input_type));
                push_members(&mut out, input);
                for shape in nested_shapes(input) {
                    let (kind, rule) = match shape {
                        Ty::Union(_) => ("union", ", exactly one member set"),
                        _ => ("structure", ""),
                    };
                    let (Ty::Structure(nested) | Ty::Union(nested)) = shape else { continue };
                    if nested.members.is_empty() {
                        continue;
                    }
                    out.push_str(&format!("\n{} ({kind}{rule}):\n", nested.name));
                    push_members(&mut out, nested);
                }
                out.push_str("\nJSON syntax:\n");
                let mut stack = Vec::new();
                push_syntax(&mut out, &Ty::Structure(input), 0, &mut stack);
                out.push('\n');
                let mut scalars = Vec::new();
                collect_scalars(&Ty::Structure(input), &mut Vec::new(), &mut scalars);
                let mut notes = Vec::new();
                if scalars.contains(&"timestamp") {
                    notes.push("Timestamps are ISO 8601 strings, e.g. \"2023-11-14T22:13:20Z\", or epoch seconds.");
                }
                if scalars.contains(&"blob") {
                    notes.push("Blobs are base64 strings.");
                }
                if !notes.is_empty() {
                    out.push_str(&format!("\n{}\n", notes.join(" ")));
                }
            }
            out.push('\n');
            out.push_str(OPTIONS_HELP);
            out
        }

        /// Appends `lines`, each after `indent` (empty lines stay empty).
        fn push_lines(out: &mut String, lines: &[&str], indent: &str) {
            for line in lines {
                if !line.is_empty() {
                    out.push_str(indent);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }

        /// Appends one entry per member: JSON key, type, whether required, documentation and
        /// the values of an enum.
        fn push_members(out: &mut String, shape: &Struct) {
            for member in shape.members {
                let required = if member.required { ", required" } else { "" };
                out.push_str(&format!("  {} ({}{required})\n", member.name, label(&member.ty)));
                push_lines(out, member.doc, "      ");
                let mut ty = &member.ty;
                while let Ty::List(item) | Ty::Map(_, item) = ty {
                    ty = item;
                }
                if let Ty::Enum(values) | Ty::IntEnum(values) = ty {
                    out.push_str(&format!("      Possible values: {}\n", values.join(" | ")));
                }
            }
        }

        /// How help names a type: `string`, `list of Tag`, `map of string to integer`...
        fn label(ty: &Ty) -> String {
            match ty {
                Ty::Scalar(name) => (*name).to_owned(),
                Ty::Enum(_) => "string".to_owned(),
                Ty::IntEnum(_) => "integer".to_owned(),
                Ty::List(item) => format!("list of {}", label(item)),
                Ty::Map(key, value) => format!("map of {} to {}", label(key), label(value)),
                Ty::Structure(shape) | Ty::Union(shape) if shape.members.is_empty() => "{}".to_owned(),
                Ty::Structure(shape) | Ty::Union(shape) => shape.name.to_owned(),
            }
        }

        /// The structures and unions used by `input`'s members, at any depth, in the order
        /// they are first met.
        fn nested_shapes(input: &'static Struct) -> Vec<&'static Ty> {
            fn visit(ty: &'static Ty, found: &mut Vec<&'static Ty>, input: &'static Struct) {
                match ty {
                    Ty::List(item) => visit(item, found, input),
                    Ty::Map(key, value) => {
                        visit(key, found, input);
                        visit(value, found, input);
                    }
                    Ty::Structure(shape) | Ty::Union(shape) => {
                        let known = ::std::ptr::eq(*shape, input)
                            || found.iter().any(|seen| matches!(seen, Ty::Structure(other) | Ty::Union(other) if ::std::ptr::eq(*other, *shape)));
                        if !known {
                            found.push(ty);
                            for member in shape.members {
                                visit(&member.ty, found, input);
                            }
                        }
                    }
                    Ty::Scalar(_) | Ty::Enum(_) | Ty::IntEnum(_) => {}
                }
            }
            let mut found = Vec::new();
            for member in input.members {
                visit(&member.ty, &mut found, input);
            }
            found
        }

        /// The scalar types used anywhere in `ty`.
        fn collect_scalars(ty: &Ty, seen: &mut Vec<*const Struct>, found: &mut Vec<&'static str>) {
            match ty {
                Ty::Scalar(name) => found.push(*name),
                Ty::List(item) => collect_scalars(item, seen, found),
                Ty::Map(key, value) => {
                    collect_scalars(key, seen, found);
                    collect_scalars(value, seen, found);
                }
                Ty::Structure(shape) | Ty::Union(shape) => {
                    let pointer: *const Struct = *shape;
                    if !seen.contains(&pointer) {
                        seen.push(pointer);
                        for member in shape.members {
                            collect_scalars(&member.ty, seen, found);
                        }
                    }
                }
                Ty::Enum(_) | Ty::IntEnum(_) => {}
            }
        }

        /// Appends the JSON syntax of `ty` in the AWS CLI's notation, the first line unindented
        /// and the others at `depth` levels of four spaces. A structure inside itself is `{...}`.
        fn push_syntax(out: &mut String, ty: &Ty, depth: usize, stack: &mut Vec<*const Struct>) {
            let pad = |depth: usize| "    ".repeat(depth);
            match ty {
                Ty::Scalar("string") => out.push_str("\"string\""),
                Ty::Scalar("boolean") => out.push_str("true|false"),
                Ty::Scalar("document") => out.push_str("{...}"),
                Ty::Scalar(name) => out.push_str(name),
                Ty::Enum(values) => {
                    let quoted: Vec<String> = values.iter().map(|value| format!("{value:?}")).collect();
                    out.push_str(&quoted.join("|"));
                }
                Ty::IntEnum(values) => out.push_str(&values.join("|")),
                Ty::List(item) if is_scalar(item) => {
                    out.push('[');
                    push_syntax(out, item, depth, stack);
                    out.push_str(", ...]");
                }
                Ty::List(item) => {
                    out.push_str(&format!("[\n{}", pad(depth + 1)));
                    push_syntax(out, item, depth + 1, stack);
                    out.push_str(&format!("\n{}...\n{}]", pad(depth + 1), pad(depth)));
                }
                Ty::Map(key, value) if is_scalar(value) => {
                    out.push('{');
                    push_syntax(out, key, depth, stack);
                    out.push_str(": ");
                    push_syntax(out, value, depth, stack);
                    out.push_str(", ...}");
                }
                Ty::Map(key, value) => {
                    out.push_str(&format!("{{\n{}", pad(depth + 1)));
                    push_syntax(out, key, depth + 1, stack);
                    out.push_str(": ");
                    push_syntax(out, value, depth + 1, stack);
                    out.push_str(&format!("\n{}...\n{}}}", pad(depth + 1), pad(depth)));
                }
                Ty::Structure(shape) | Ty::Union(shape) => {
                    let pointer: *const Struct = *shape;
                    if shape.members.is_empty() {
                        out.push_str("{}");
                    } else if stack.contains(&pointer) {
                        out.push_str("{...}");
                    } else {
                        stack.push(pointer);
                        out.push_str("{\n");
                        for (index, member) in shape.members.iter().enumerate() {
                            out.push_str(&format!("{}{:?}: ", pad(depth + 1), member.name));
                            push_syntax(out, &member.ty, depth + 1, stack);
                            out.push_str(if index + 1 < shape.members.len() { ",\n" } else { "\n" });
                        }
                        out.push_str(&pad(depth));
                        out.push('}');
                        stack.pop();
                    }
                }
            }
        }

        /// Whether a type's syntax fits on one line.
        fn is_scalar(ty: &Ty) -> bool {
            matches!(ty, Ty::Scalar(_) | Ty::Enum(_) | Ty::IntEnum(_))
        }

        /// `path.name`, or `name` at the root (as validation paths are written).
        fn member_path(path: &str, name: &str) -> String {
            if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
        }

        /// What the input JSON says that its typed parsing would not: keys that are not
        /// members (serde ignores them) and required members left out (serde fills in a
        /// default). Type mismatches are left to serde, which names their line and column.
        fn inspect(
            ty: &Ty,
            value: &::aws_lite_runtime::serde_json::Value,
            path: &str,
            unknown: &mut Vec<String>,
            missing: &mut Vec<String>,
        ) {
            match (ty, value) {
                (Ty::Structure(shape) | Ty::Union(shape), ::aws_lite_runtime::serde_json::Value::Object(object)) => {
                    for key in object.keys() {
                        if shape.members.iter().any(|member| member.name == key) {
                            continue;
                        }
                        let at = if path.is_empty() { String::from("the input") } else { format!("`{path}`") };
                        let mut message = format!("unknown member `{key}` in {at}");
                        let names = shape.members.iter().map(|member| member.name);
                        if let Some(best) = suggest(key, names.clone()) {
                            message.push_str(&format!(" (did you mean `{best}`?)"));
                        }
                        let names: Vec<&str> = names.collect();
                        message.push_str(&format!("; {} has: {}", shape.name, names.join(", ")));
                        unknown.push(message);
                    }
                    for member in shape.members {
                        match object.get(member.name) {
                            Some(item) if !item.is_null() => {
                                inspect(&member.ty, item, &member_path(path, member.name), unknown, missing);
                            }
                            _ if member.required => missing.push(member_path(path, member.name)),
                            _ => {}
                        }
                    }
                }
                (Ty::List(item), ::aws_lite_runtime::serde_json::Value::Array(items)) => {
                    for (index, value) in items.iter().enumerate() {
                        inspect(item, value, &format!("{path}[{index}]"), unknown, missing);
                    }
                }
                (Ty::Map(_, item), ::aws_lite_runtime::serde_json::Value::Object(object)) => {
                    for (key, value) in object {
                        inspect(item, value, &format!("{path}[{key:?}]"), unknown, missing);
                    }
                }
                _ => {}
            }
        }

        /// One operation call, as the command line asks for it.
        struct Call<'a> {
            /// The service named on the command line.
            service: &'static Service,
            /// The operation named on the command line.
            operation: &'static Operation,
            /// Everything else the command line says.
            args: &'a Args,
        }

        impl Call<'_> {
            /// Reads and checks the input, sends it with `send` on a current-thread runtime and
            /// prints the response. `validate` is the input type's `validate`.
            fn run<I, O, E, F, Fut>(
                &self,
                validate: fn(&I) -> Result<(), ::#krate::validation::ValidationError>,
                send: F,
            ) -> Result<(), Failure>
            where
                I: ::aws_lite_runtime::serde::de::DeserializeOwned,
                O: ::aws_lite_runtime::serde::Serialize,
                F: FnOnce(::#krate::client::Config, I) -> Fut,
                Fut: ::std::future::Future<Output = Result<O, ::#krate::client::SdkError<E>>>,
            {
                let operation = self.operation;
                let (text, source) = self.input_text()?;
                let hint = format!("Run `{PROGRAM} {} {} --help` for its input members.", self.service.name, operation.name);
                let value: ::aws_lite_runtime::serde_json::Value = ::aws_lite_runtime::serde_json::from_str(&text)
                    .map_err(|err| Failure::usage(format!("{source} is not valid JSON: {err}")))?;
                if !value.is_object() {
                    return Err(Failure::usage(format!("{source} must be a JSON object\n{hint}")));
                }
                let mut unknown = Vec::new();
                let mut missing = Vec::new();
                inspect(&Ty::Structure(operation.input), &value, "", &mut unknown, &mut missing);
                if !unknown.is_empty() {
                    let list: Vec<String> = unknown.iter().map(|problem| format!("  - {problem}")).collect();
                    return Err(Failure::usage(format!(
                        "{source} does not fit the input of {}:\n{}\n{hint}",
                        operation.model_name,
                        list.join("\n")
                    )));
                }
                let input: I = ::#krate::primitives::with_iso8601_timestamps(|| ::aws_lite_runtime::serde_json::from_str(&text))
                    .map_err(|err| Failure::usage(format!("{source} does not fit the input of {}: {err}\n{hint}", operation.model_name)))?;
                if !self.args.no_validate {
                    self.check(&input, validate, missing)?;
                }
                let config = self.config()?;
                let runtime = ::aws_lite_runtime::tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|err| Failure::call(format!("cannot start the async runtime: {err}")))?;
                match runtime.block_on(send(config, input)) {
                    Ok(output) => print_output(&output),
                    Err(err) => {
                        Err(Failure::call(format!("{} failed: {err}", operation.model_name)))
                    }
                }
            }

            /// The input JSON and how to name where it came from: `--cli-input-json`, its
            /// `file://` file, or `{}` when it is not given.
            fn input_text(&self) -> Result<(String, String), Failure> {
                let Some(given) = &self.args.input else {
                    return Ok(("{}".to_owned(), "the input".to_owned()));
                };
                match given.strip_prefix("file://") {
                    Some(path) => ::std::fs::read_to_string(path)
                        .map(|text| (text, format!("--cli-input-json file://{path}")))
                        .map_err(|err| Failure::usage(format!("cannot read --cli-input-json file `{path}`: {err}"))),
                    None => Ok((given.clone(), "--cli-input-json".to_owned())),
                }
            }

            /// Fails, listing every violation, when required members are missing or `validate`
            /// finds broken constraints: nothing is sent then. What `validate` says about the
            /// default that stands in for a missing member is left out.
            fn check<I>(
                &self,
                input: &I,
                validate: fn(&I) -> Result<(), ::#krate::validation::ValidationError>,
                missing: Vec<String>,
            ) -> Result<(), Failure> {
                let mut violations: Vec<::#krate::validation::Violation> = missing
                    .into_iter()
                    .map(|path| ::#krate::validation::Violation {
                        path,
                        constraint: ::#krate::validation::Constraint::Required,
                        message: "a value is required".to_owned(),
                    })
                    .collect();
                if let Err(err) = validate(input) {
                    let missing = violations.len();
                    for violation in err.violations {
                        let inside = |path: &str| {
                            violation.path.strip_prefix(path).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                        };
                        if !violations[..missing].iter().any(|seen| inside(&seen.path)) {
                            violations.push(violation);
                        }
                    }
                }
                if violations.is_empty() {
                    return Ok(());
                }
                let err: ::#krate::client::SdkError<::std::convert::Infallible> =
                    ::#krate::client::SdkError::Validation(::#krate::validation::ValidationError { input: self.operation.input_type, violations });
                Err(Failure::call(format!(
                    "{} failed: {err}\nNothing was sent; --no-validate sends the input as it is.",
                    self.operation.model_name
                )))
            }

            /// The client configuration: region from `--region`, `AWS_REGION` or
            /// `AWS_DEFAULT_REGION`; credentials from the environment; endpoint from
            /// `--endpoint-url` or `AWS_ENDPOINT_URL`; no validation with `--no-validate`.
            fn config(&self) -> Result<::#krate::client::Config, Failure> {
                let env = |name: &str| ::std::env::var(name).ok().filter(|value| !value.trim().is_empty());
                let region = self
                    .args
                    .region
                    .clone()
                    .or_else(|| env("AWS_REGION"))
                    .or_else(|| env("AWS_DEFAULT_REGION"))
                    .ok_or_else(|| Failure::call("no region: pass --region or set AWS_REGION (or AWS_DEFAULT_REGION)"))?;
                let credentials = ::#krate::client::Credentials::from_env().map_err(|err| Failure::call(err.to_string()))?;
                let mut builder = ::#krate::client::Config::builder().region(region).credentials(credentials);
                if let Some(url) = self.args.endpoint_url.clone().or_else(|| env("AWS_ENDPOINT_URL")) {
                    builder = builder.endpoint_url(url);
                }
                if self.args.no_validate {
                    builder = builder.validation(::#krate::client::ValidationMode::Off);
                }
                builder.build().map_err(|err| Failure::call(err.to_string()))
            }
        }

        /// Prints the response as JSON (four-space indent, timestamps in ISO 8601), or nothing
        /// when it has no members.
        fn print_output<O: ::aws_lite_runtime::serde::Serialize>(output: &O) -> Result<(), Failure> {
            let mut text = Vec::new();
            let formatter = ::aws_lite_runtime::serde_json::ser::PrettyFormatter::with_indent(b"    ");
            let mut serializer = ::aws_lite_runtime::serde_json::Serializer::with_formatter(&mut text, formatter);
            ::#krate::primitives::with_iso8601_timestamps(|| ::aws_lite_runtime::serde::Serialize::serialize(output, &mut serializer))
                .map_err(|err| Failure::call(format!("cannot print the response: {err}")))?;
            if text == b"{}" {
                return Ok(());
            }
            text.push(b'\n');
            print(&String::from_utf8_lossy(&text))
        }
    }
}
