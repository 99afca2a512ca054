//! The command-line driver of generated `cli` binaries, in the style of the AWS CLI.
//!
//! ```text
//! <program> <service> <operation> [--cli-input-json <json> | --cli-input-json file://<path>]
//!           [--region <region>] [--endpoint-url <url>] [--no-validate]
//!           [--no-paginate] [--max-items <n>] [--starting-token <token>] [--page-size <n>]
//! <program> <service> wait <waiter> [--cli-input-json ...] [--cli-max-wait <seconds>] [options]
//! <program> [<service> [<operation>]] --help
//! ```
//!
//! Paginated operations fetch every page and print them merged, as the AWS CLI does (see
//! `paginate` for the options that change that).
//!
//! A generated binary holds only what is specific to its model: a table of [`Service`]s with
//! their [`Operation`]s and the input shapes reachable from them ([`Struct`], [`Member`],
//! [`Ty`]), and one `fn` per operation that sends a [`Call`] through the library's fluent
//! builder. Its `main` hands the table to [`main`], which does the rest: argument parsing, the
//! three levels of `--help`, input checks, configuration, the call and printing the response.
//!
//! Everything printed about a model is derived at run time from that table: the member lists
//! and JSON syntax of `--help`, and the checks that serde's derive does not make (it ignores
//! unknown keys and fills missing required members with defaults).
//!
//! Exit status: 0 on success, 1 when the call fails (configuration, validation, transport or
//! service error), 2 when the command line is wrong.

mod args;
mod call;
mod failure;
mod help;
mod input;
mod paginate;
mod run;
mod stream;
mod suggest;
mod syntax;
#[cfg(test)]
mod table;

use std::ffi::OsString;
use std::fmt;
use std::process::ExitCode;

pub use call::Call;
pub use failure::Failure;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub use input::fuzz_cli_input;
pub use stream::stdin_events;

/// A service: its name on the command line, title, documentation and operations.
#[derive(Debug)]
pub struct Service {
    /// The service's module name, e.g. `personalize`.
    pub name: &'static str,
    /// The model's title, e.g. `Amazon Personalize`.
    pub title: &'static str,
    /// The service's documentation, as plain text lines.
    pub doc: &'static [&'static str],
    /// Its operations, sorted by name.
    pub operations: &'static [Operation],
    /// Its waiters, sorted by name, each as the operation it polls (`name` is
    /// `wait <waiter>`, `model_name` the waiter's name).
    pub waiters: &'static [Operation],
}

/// An operation: its names, documentation, input shape and how to send it.
#[derive(Debug)]
pub struct Operation {
    /// The name on the command line, e.g. `create-metric-attribution`.
    pub name: &'static str,
    /// The name in the model, e.g. `CreateMetricAttribution`.
    pub model_name: &'static str,
    /// The operation's documentation, as plain text lines.
    pub doc: &'static [&'static str],
    /// The library's input type name, e.g. `CreateMetricAttributionInput`.
    pub input_type: &'static str,
    /// The input's members.
    pub input: &'static Struct,
    /// Parses the input, checks it, sends it and prints the response, through [`Call::run`].
    pub run: fn(&Call<'_>) -> Result<(), Failure>,
    /// Where its tokens, page size and items are, for a `@paginated` operation.
    pub paginated: Option<&'static Paginated>,
}

/// How a `@paginated` operation pages: the JSON keys of its token, page size and items members
/// (outermost first for output paths such as `Result.NextToken`).
#[derive(Debug)]
pub struct Paginated {
    /// The input member that takes the token of the next page.
    pub input_token: &'static str,
    /// The output members leading to the token of the next page.
    pub output_token: &'static [&'static str],
    /// The output members leading to the page's items (a list or map), if the model names them.
    pub items: Option<&'static [&'static str]>,
    /// The input member that sets the page size, if there is one.
    pub page_size: Option<&'static str>,
}

/// A structure or union of the model.
#[derive(Debug)]
pub struct Struct {
    /// The library's type name.
    pub name: &'static str,
    /// Its members, in model order.
    pub members: &'static [Member],
}

/// A member of a structure or union.
#[derive(Debug)]
pub struct Member {
    /// The JSON key.
    pub name: &'static str,
    /// What its values look like.
    pub ty: Ty,
    /// Whether the caller must set it.
    pub required: bool,
    /// The member's documentation, as plain text lines.
    pub doc: &'static [&'static str],
}

/// What the values of a member look like.
pub enum Ty {
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

impl fmt::Debug for Ty {
    /// Shows the structures and unions inside a type by name: a structure may hold itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Scalar(name) => f.debug_tuple("Scalar").field(name).finish(),
            Ty::Enum(values) => f.debug_tuple("Enum").field(values).finish(),
            Ty::IntEnum(values) => f.debug_tuple("IntEnum").field(values).finish(),
            Ty::List(item) => f.debug_tuple("List").field(item).finish(),
            Ty::Map(key, value) => f.debug_tuple("Map").field(key).field(value).finish(),
            Ty::Structure(shape) => f.debug_tuple("Structure").field(&shape.name).finish(),
            Ty::Union(shape) => f.debug_tuple("Union").field(&shape.name).finish(),
        }
    }
}

/// Runs the command line of the binary `program` (its name in messages and help), version
/// `version`, over the services of `services`; the exit status says how it went.
///
/// A generated binary's `main` is this one call:
///
/// ```text
/// fn main() -> std::process::ExitCode {
///     aws_lite_runtime::cli::main("aws-lite", env!("CARGO_PKG_VERSION"), SERVICES)
/// }
/// ```
pub fn main(program: &str, version: &str, services: &'static [Service]) -> ExitCode {
    let program = Program { name: program, version, services };
    let outcome = arguments(std::env::args_os().skip(1)).and_then(|raw| run::run(&program, raw));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(program.name),
    }
}

/// The binary the driver runs in.
struct Program<'a> {
    /// Its name, as messages and help use it.
    name: &'a str,
    /// Its version, as `--version` shows it.
    version: &'a str,
    /// Every service it calls, in module order.
    services: &'static [Service],
}

/// The arguments as text; options and JSON are matched as text, so other bytes are a usage error.
fn arguments(raw: impl IntoIterator<Item = OsString>) -> Result<Vec<String>, Failure> {
    raw.into_iter()
        .map(|arg| arg.into_string().map_err(|arg| Failure::usage(format!("argument {arg:?} is not valid Unicode"))))
        .collect()
}

/// Writes `text` to stdout.
fn print(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|err| Failure::call(format!("cannot write to stdout: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_kept_in_order() {
        let raw = ["iot", "--region", "eu-west-1"].map(OsString::from);
        assert_eq!(arguments(raw).expect("valid Unicode"), ["iot", "--region", "eu-west-1"]);
    }

    #[test]
    fn types_show_the_shapes_inside_them_by_name() {
        // `Tree` holds itself: showing it in full would never end.
        let tree = table::PUT_THING_INPUT.members.iter().find(|member| member.name == "tree").expect("a tree member");
        assert_eq!(format!("{:?}", tree.ty), r#"Structure("Tree")"#);
        static MAP: Ty = Ty::Map(&Ty::Scalar("string"), &Ty::List(&Ty::Union(&table::PUT_THING_INPUT)));
        assert_eq!(format!("{MAP:?}"), r#"Map(Scalar("string"), List(Union("PutThingInput")))"#);
    }

    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_unicode_is_a_usage_error() {
        use std::os::unix::ffi::OsStringExt;
        let raw = [OsString::from("iot"), OsString::from_vec(vec![b'a', 0xff])];
        let failure = arguments(raw).expect_err("not Unicode");
        assert_eq!(failure.status(), failure::EXIT_USAGE);
        assert_eq!(failure.message(), r#"argument "a\xFF" is not valid Unicode"#);
    }
}
