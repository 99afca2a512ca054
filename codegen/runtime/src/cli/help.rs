//! The three levels of `--help`: the services, a service's operations, an operation's input.

use super::syntax::{collect_scalars, label, nested_shapes, push_syntax};
use super::{Operation, Program, Service, Struct, Ty};

/// The options, as every help level ends with them.
const OPTIONS_HELP: &str = "Options:
  --cli-input-json <json>  The operation's input: a JSON object keyed by the model's member names,
                           or file://<path> to read it from a file. Default: {}.
  --profile <name>         The profile of the shared config files to use; its credentials win
                           over AWS_ACCESS_KEY_ID. Default: $AWS_PROFILE, else default.
  --region <region>        The AWS region. Default: $AWS_REGION, else $AWS_DEFAULT_REGION,
                           else the profile's region, else the instance's (EC2).
  --endpoint-url <url>     Send the request to this URL instead of the regional endpoint.
                           Default: $AWS_ENDPOINT_URL_<SERVICE>, $AWS_ENDPOINT_URL, else the
                           profile's endpoint_url (services section first).
  --cli-read-timeout <s>   How long one attempt may take, in seconds (0: no limit). Default: 30.
                           The whole call, retries included, may take 60 s, or this if longer.
  --cli-connect-timeout <s>
                           How long connecting may take, in seconds (0: no limit). Default: 3.1.
  --no-validate            Send the input without checking the model's constraints first.
  --no-paginate            Paginated operations: make one call and print its response as sent,
                           next token included. Default: fetch every page and merge their items.
  --max-items <n>          Paginated operations: print at most n items; when more are left, the
                           output's NextToken resumes after the last one printed.
  --starting-token <token> Paginated operations: start where a NextToken of --max-items left
                           off, or at a token the service returned.
  --page-size <n>          Paginated operations: ask for at most n items per call (the input's
                           page size member); as many calls are made as needed.
  -h, --help               Show help: the services, a service's operations, or an operation's input.
  --version                Show the version.

Credentials come, as in the AWS CLI, from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_SESSION_TOKEN (unless --profile is given), else the profile in $AWS_CONFIG_FILE
(~/.aws/config) and $AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials): static keys,
credential_process, role_arn, web_identity_token_file or SSO (after `aws sso login`), else
AWS_WEB_IDENTITY_TOKEN_FILE, the container endpoint (ECS, EKS) or instance metadata (EC2).
The response is printed as JSON, timestamps in ISO 8601. Exit status: 0 on success,
1 when the call fails (configuration, validation, transport or service error), 2 when
the command line is wrong.
";

/// `--help` without a service: usage, options and the services.
pub(super) fn top_help(program: &Program<'_>) -> String {
    let name = program.name;
    let indent = " ".repeat(name.len() + 8);
    let mut out = format!(
        "Call AWS services from the command line.\n\n\
         Usage: {name} <service> <operation> [--cli-input-json <json> | --cli-input-json file://<path>]\n\
         {indent}[--profile <name>] [--region <region>] [--endpoint-url <url>] [--no-validate]\n       \
         {name} <service> --help\n       \
         {name} <service> <operation> --help\n\n"
    );
    out.push_str(OPTIONS_HELP);
    out.push_str("\nServices:\n");
    let width = program.services.iter().map(|service| service.name.len()).max().unwrap_or(0);
    for service in program.services {
        out.push_str(&format!("  {:width$}  {}\n", service.name, service.title));
    }
    out
}

/// `<service> --help`: the service's documentation and operations.
pub(super) fn service_help(program: &Program<'_>, service: &Service) -> String {
    let name = program.name;
    let mut out = format!("Usage: {name} {} <operation> [options]\n\n{}\n", service.name, service.title);
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
    if !service.waiters.is_empty() {
        out.push_str(&format!("\nWaiters (`{name} {} wait <waiter>`): ", service.name));
        let names: Vec<&str> = service.waiters.iter().map(|w| w.name.strip_prefix("wait ").unwrap_or(w.name)).collect();
        out.push_str(&names.join(", "));
        out.push('\n');
    }
    out.push_str(&format!(
        "\nRun `{name} {} <operation> --help` for an operation's input, `{name} --help` for the options.\n",
        service.name
    ));
    out
}

/// `<service> wait --help`: the waiters, what each waits for and how long it may take.
pub(super) fn waiters_help(program: &Program<'_>, service: &Service) -> String {
    let name = program.name;
    let mut out = format!(
        "Usage: {name} {} wait <waiter> [--cli-input-json <json>] [--cli-max-wait <seconds>] [options]\n\n\
         Calls an operation until the resource reaches the waiter's state; exits 0 then, 1 when it\n\
         cannot or --cli-max-wait (default {} seconds) runs out.\n\nWaiters:\n",
        service.name,
        super::call::DEFAULT_MAX_WAIT.as_secs()
    );
    let names = service.waiters.iter().map(|w| w.name.strip_prefix("wait ").unwrap_or(w.name));
    let width = names.clone().map(str::len).max().unwrap_or(0);
    for (waiter, short) in service.waiters.iter().zip(names) {
        let summary = waiter.doc.first().copied().unwrap_or("");
        out.push_str(format!("  {short:width$}  {summary}").trim_end());
        out.push('\n');
    }
    if service.waiters.is_empty() {
        out.push_str("  (none)\n");
    }
    out.push_str(&format!("\nRun `{name} {} wait <waiter> --help` for a waiter's input.\n", service.name));
    out
}

/// `<service> <operation> --help`: usage, documentation, input members, the shapes they use and
/// the input's JSON syntax.
pub(super) fn operation_help(program: &Program<'_>, service: &Service, operation: &Operation) -> String {
    let command = format!("{} {} {}", program.name, service.name, operation.name);
    let indent = " ".repeat(command.len() + 8);
    let mut out = format!(
        "Usage: {command} [--cli-input-json <json> | --cli-input-json file://<path>]\n\
         {indent}[--region <region>] [--endpoint-url <url>] [--no-validate]\n"
    );
    if let Some(paginated) = operation.paginated {
        // `--max-items` counts the items the trait names; without them pages cannot be merged.
        let max_items = if paginated.items.is_some() { " [--max-items <n>]" } else { "" };
        let page_size = if paginated.page_size.is_some() { " [--page-size <n>]" } else { "" };
        out.push_str(&format!("{indent}[--no-paginate]{max_items} [--starting-token <token>]{page_size}\n"));
    }
    if !operation.doc.is_empty() {
        out.push('\n');
        push_lines(&mut out, operation.doc, "");
    }
    let input = operation.input;
    if input.members.is_empty() {
        out.push_str(&format!("\n{} takes no input members.\n", operation.model_name));
    } else {
        out.push_str(&format!("\nInput members ({}), the keys of --cli-input-json:\n", operation.input_type));
        push_input(&mut out, input);
    }
    out.push('\n');
    out.push_str(OPTIONS_HELP);
    out
}

/// Appends the members of `input` and of every shape they use, its JSON syntax and notes on
/// the text forms of timestamps and blobs.
fn push_input(out: &mut String, input: &'static Struct) {
    push_members(out, input);
    for shape in nested_shapes(input) {
        let (kind, rule, nested) = match shape {
            Ty::Union(nested) => ("union", ", exactly one member set", nested),
            Ty::Structure(nested) => ("structure", "", nested),
            _ => continue,
        };
        if nested.members.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{} ({kind}{rule}):\n", nested.name));
        push_members(out, nested);
    }
    out.push_str("\nJSON syntax:\n");
    push_syntax(out, &Ty::Structure(input), 0, &mut Vec::new());
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

/// Appends one entry per member: JSON key, type, whether required, documentation and the values
/// of an enum.
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

#[cfg(test)]
mod tests {
    use super::super::table::{PROGRAM, SERVICES};
    use super::*;

    /// `text` without the options every level ends with.
    fn without_options(text: &str) -> &str {
        let Some(text) = text.strip_suffix(OPTIONS_HELP) else { panic!("help does not end with the options:\n{text}") };
        text
    }

    #[test]
    fn top_help_lists_usage_options_and_the_services() {
        let help = top_help(&PROGRAM);
        let (head, services) = help.split_once(OPTIONS_HELP).expect("the options");
        assert_eq!(
            head,
            "Call AWS services from the command line.\n\n\
             Usage: demo <service> <operation> [--cli-input-json <json> | --cli-input-json file://<path>]\n            \
             [--profile <name>] [--region <region>] [--endpoint-url <url>] [--no-validate]\n       \
             demo <service> --help\n       \
             demo <service> <operation> --help\n\n"
        );
        assert_eq!(services, "\nServices:\n  things        Thing Store\n  widget-store  Widgets\n");
    }

    #[test]
    fn service_help_lists_the_operations_with_their_first_line() {
        assert_eq!(
            service_help(&PROGRAM, &SERVICES[0]),
            "Usage: demo things <operation> [options]\n\nThing Store\n\n\
             Stores things.\n\nThings are kept forever.\n\n\
             Operations:\n  list-things\n  put-thing    Stores a thing.\n\n\
             Waiters (`demo things wait <waiter>`): thing-stored\n\n\
             Run `demo things <operation> --help` for an operation's input, `demo --help` for the options.\n"
        );
        assert_eq!(
            service_help(&PROGRAM, &SERVICES[1]),
            "Usage: demo widget-store <operation> [options]\n\nWidgets\n\n\
             Operations:\n  get-widget  Deprecated: use things.\n\n\
             Run `demo widget-store <operation> --help` for an operation's input, `demo --help` for the options.\n"
        );
    }

    #[test]
    fn operation_help_without_input_members_says_so() {
        let things = &SERVICES[0];
        assert_eq!(
            without_options(&operation_help(&PROGRAM, things, &things.operations[0])),
            "Usage: demo things list-things [--cli-input-json <json> | --cli-input-json file://<path>]\n\
             \x20                              [--region <region>] [--endpoint-url <url>] [--no-validate]\n\
             \x20                              [--no-paginate] [--max-items <n>] [--starting-token <token>]\n\n\
             ListThings takes no input members.\n\n"
        );
    }

    #[test]
    fn operation_help_describes_members_nested_shapes_and_syntax() {
        let things = &SERVICES[0];
        let help = operation_help(&PROGRAM, things, &things.operations[1]);
        let expected = r#"Usage: demo things put-thing [--cli-input-json <json> | --cli-input-json file://<path>]
                             [--region <region>] [--endpoint-url <url>] [--no-validate]

Stores a thing.

A thing with the same name is replaced.

Input members (PutThingInput), the keys of --cli-input-json:
  name (string, required)
      The thing's name.

      Unique.
  size (integer)
  color (string)
      Its color.
      Possible values: red | dark-blue
  levels (list of integer)
      Possible values: 1 | 10
  tags (list of Tag)
  labels (map of string to list of string)
  parts (map of string to Tag)
  shape (Shape)
  tree (Tree)
  when (timestamp)
  flag (boolean)
  nothing ({})

Tag (structure):
  Key (string, required)
      The tag's key.
  Value (string)

Shape (union, exactly one member set):
  circle (Circle)
  side (double)

Circle (structure):
  radius (integer, required)

Tree (structure):
  name (string, required)
  left (Tree)
  children (list of Tree)

JSON syntax:
{
    "name": "string",
    "size": integer,
    "color": "red"|"dark-blue",
    "levels": [1|10, ...],
    "tags": [
        {
            "Key": "string",
            "Value": "string"
        }
        ...
    ],
    "labels": {
        "string": ["string", ...]
        ...
    },
    "parts": {
        "string": {
            "Key": "string",
            "Value": "string"
        }
        ...
    },
    "shape": {
        "circle": {
            "radius": integer
        },
        "side": double
    },
    "tree": {
        "name": "string",
        "left": {...},
        "children": [
            {...}
            ...
        ]
    },
    "when": timestamp,
    "flag": true|false,
    "nothing": {}
}

Timestamps are ISO 8601 strings, e.g. "2023-11-14T22:13:20Z", or epoch seconds.

"#;
        assert_eq!(without_options(&help), expected);
    }

    #[test]
    fn operation_help_notes_blobs() {
        let widgets = &SERVICES[1];
        let help = operation_help(&PROGRAM, widgets, &widgets.operations[0]);
        let syntax = "JSON syntax:\n{\n    \"id\": blob,\n    \"extra\": {...}\n}\n\nBlobs are base64 strings.\n\n";
        assert!(without_options(&help).ends_with(syntax), "{help}");
    }
}
