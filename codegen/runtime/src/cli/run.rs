//! What the command line asks for: help, the version, or one operation call.

use super::args::Args;
use super::help::{operation_help, service_help, top_help, waiters_help};
use super::suggest::suggest;
use super::{print, Call, Failure, Operation, Program, Service};

/// What the command line asks for, once it is known to make sense.
#[derive(Debug)]
enum Action<'a> {
    /// Print this text on stdout: help or the version.
    Print(String),
    /// Call an operation.
    Call(Call<'a>),
}

/// Does what the arguments `raw` (without the program name) ask of `program`.
pub(super) fn run(program: &Program<'_>, raw: Vec<String>) -> Result<(), Failure> {
    let args = Args::parse(program.name, raw)?;
    match action(program, &args)? {
        Action::Print(text) => print(&text),
        Action::Call(call) => (call.operation().run)(&call),
    }
}

/// What `args` ask of `program`, or a usage error.
fn action<'a>(program: &'a Program<'a>, args: &'a Args) -> Result<Action<'a>, Failure> {
    let name = program.name;
    if args.version {
        return Ok(Action::Print(format!("{name} {}\n", program.version)));
    }
    let Some(service) = args.words.first() else {
        if args.help {
            return Ok(Action::Print(top_help(program)));
        }
        return Err(Failure::usage(format!(
            "no service given\nUsage: {name} <service> <operation> [options]\n\
             Run `{name} --help` to list the services and options."
        )));
    };
    let service = find_service(program, service)?;
    let Some(operation) = args.words.get(1) else {
        if args.help {
            return Ok(Action::Print(service_help(program, service)));
        }
        return Err(Failure::usage(format!(
            "no operation given\nUsage: {name} {0} <operation> [options]\n\
             Run `{name} {0} --help` to list its operations.",
            service.name
        )));
    };
    let (operation, extra) = if operation == "wait" {
        let Some(waiter) = args.words.get(2) else {
            if args.help {
                return Ok(Action::Print(waiters_help(program, service)));
            }
            return Err(Failure::usage(format!(
                "no waiter given\nUsage: {name} {0} wait <waiter> [options]\n\
                 Run `{name} {0} wait --help` to list its waiters.",
                service.name
            )));
        };
        (find_waiter(program, service, waiter)?, args.words.get(3))
    } else {
        (find_operation(program, service, operation)?, args.words.get(2))
    };
    if let Some(extra) = extra {
        return Err(Failure::usage(format!(
            "unexpected argument `{extra}`\nRun `{name} {} {} --help` for usage.",
            service.name, operation.name
        )));
    }
    if args.help {
        return Ok(Action::Print(operation_help(program, service, operation)));
    }
    Ok(Action::Call(Call::new(program, service, operation, args)))
}

/// The service called `name`, or a usage error that suggests a close name.
fn find_service(program: &Program<'_>, name: &str) -> Result<&'static Service, Failure> {
    // `acm_pca` (the module name) is accepted for `acm-pca`.
    let same = |service: &Service| {
        service.name.len() == name.len()
            && service.name.bytes().zip(name.bytes()).all(|(a, b)| a == b || (a == b'-' && b == b'_'))
    };
    if let Some(service) = program.services.iter().find(|service| same(service)) {
        return Ok(service);
    }
    let mut message = format!("unknown service `{name}`");
    if let Some(best) = suggest(name, program.services.iter().map(|service| service.name)) {
        message.push_str(&format!("; did you mean `{best}`?"));
    }
    message.push_str(&format!("\nRun `{} --help` to list the services.", program.name));
    Err(Failure::usage(message))
}

/// The operation of `service` called `name`, or a usage error that suggests a close name.
fn find_operation(program: &Program<'_>, service: &'static Service, name: &str) -> Result<&'static Operation, Failure> {
    if let Some(operation) = service.operations.iter().find(|operation| operation.name == name) {
        return Ok(operation);
    }
    let mut message = format!("unknown operation `{name}` for service `{}`", service.name);
    if let Some(best) = suggest(name, service.operations.iter().map(|operation| operation.name)) {
        message.push_str(&format!("; did you mean `{best}`?"));
    }
    message.push_str(&format!("\nRun `{} {} --help` to list its operations.", program.name, service.name));
    Err(Failure::usage(message))
}

/// The waiter of `service` called `name`, or a usage error that suggests a close name.
fn find_waiter(program: &Program<'_>, service: &'static Service, name: &str) -> Result<&'static Operation, Failure> {
    let waiter_name = |waiter: &'static Operation| waiter.name.strip_prefix("wait ").unwrap_or(waiter.name);
    if let Some(waiter) = service.waiters.iter().find(|waiter| waiter_name(waiter) == name) {
        return Ok(waiter);
    }
    let mut message = format!("unknown waiter `{name}` for service `{}`", service.name);
    if let Some(best) = suggest(name, service.waiters.iter().map(waiter_name)) {
        message.push_str(&format!("; did you mean `{best}`?"));
    }
    message.push_str(&format!("\nRun `{} {} wait --help` to list its waiters.", program.name, service.name));
    Err(Failure::usage(message))
}

#[cfg(test)]
mod tests {
    use super::super::table::{PROGRAM, SERVICES};
    use super::*;

    fn args(raw: &[&str]) -> Args {
        Args::parse(PROGRAM.name, raw.iter().map(|arg| (*arg).to_owned())).expect("valid arguments")
    }

    /// The text `raw` asks to print.
    fn printed(raw: &[&str]) -> String {
        match action(&PROGRAM, &args(raw)) {
            Ok(Action::Print(text)) => text,
            other => panic!("{raw:?} prints nothing: {other:?}"),
        }
    }

    /// The usage error `raw` gives.
    fn usage_error(raw: &[&str]) -> String {
        let args = args(raw);
        let failure = action(&PROGRAM, &args).expect_err("a usage error");
        assert_eq!(failure.status(), 2, "{raw:?}: {failure:?}");
        failure.message().to_owned()
    }

    /// What running `raw` gives: `Ok` or the exit status and message.
    fn outcome(raw: &[&str]) -> Result<(), (u8, String)> {
        let raw = raw.iter().map(|arg| (*arg).to_owned()).collect();
        run(&PROGRAM, raw).map_err(|failure| (failure.status(), failure.message().to_owned()))
    }

    #[test]
    fn version() {
        assert_eq!(printed(&["--version"]), "demo 1.2.3\n");
        assert_eq!(printed(&["things", "nope", "--version", "--help"]), "demo 1.2.3\n");
    }

    #[test]
    fn help_at_every_level() {
        let things = &SERVICES[0];
        assert_eq!(printed(&["--help"]), top_help(&PROGRAM));
        assert_eq!(printed(&["help"]), top_help(&PROGRAM));
        assert_eq!(printed(&["things", "-h"]), service_help(&PROGRAM, things));
        assert_eq!(printed(&["things", "help"]), service_help(&PROGRAM, things));
        assert_eq!(
            printed(&["things", "put-thing", "--help"]),
            operation_help(&PROGRAM, things, &things.operations[1])
        );
        assert_eq!(printed(&["things", "put-thing", "help"]), operation_help(&PROGRAM, things, &things.operations[1]));
    }

    #[test]
    fn an_operation_is_called_with_the_rest_of_the_command_line() {
        let args = args(&["--region", "eu-west-1", "widget-store", "get-widget"]);
        let Ok(Action::Call(call)) = action(&PROGRAM, &args) else { panic!("not a call") };
        assert_eq!(call.operation().model_name, "GetWidget");
    }

    #[test]
    fn missing_service_or_operation() {
        assert_eq!(
            usage_error(&[]),
            "no service given\nUsage: demo <service> <operation> [options]\n\
             Run `demo --help` to list the services and options."
        );
        assert_eq!(
            usage_error(&["things", "--region", "x"]),
            "no operation given\nUsage: demo things <operation> [options]\n\
             Run `demo things --help` to list its operations."
        );
    }

    #[test]
    fn misspelled_services_and_operations_get_suggestions() {
        assert_eq!(
            usage_error(&["thing", "put-thing"]),
            "unknown service `thing`; did you mean `things`?\nRun `demo --help` to list the services."
        );
        assert_eq!(usage_error(&["s3", "--help"]), "unknown service `s3`\nRun `demo --help` to list the services.");
        assert_eq!(
            usage_error(&["things", "PutThing"]),
            "unknown operation `PutThing` for service `things`; did you mean `put-thing`?\n\
             Run `demo things --help` to list its operations."
        );
        assert_eq!(
            usage_error(&["widget-store", "put-thing", "help"]),
            "unknown operation `put-thing` for service `widget-store`\nRun `demo widget-store --help` to list its operations."
        );
    }

    #[test]
    fn a_word_after_the_operation_is_an_error_even_with_help() {
        let expected = "unexpected argument `extra`\nRun `demo things list-things --help` for usage.";
        assert_eq!(usage_error(&["things", "list-things", "extra"]), expected);
        assert_eq!(usage_error(&["things", "list-things", "extra", "--help"]), expected);
        assert_eq!(
            usage_error(&["things", "list-things", "extra", "help"]),
            "unexpected argument `extra`\nRun `demo things list-things --help` for usage."
        );
    }

    #[test]
    fn waiters_are_listed_helped_and_run_with_a_maximum_wait() {
        let things = &SERVICES[0];
        assert!(printed(&["things", "--help"]).contains("\nWaiters (`demo things wait <waiter>`): thing-stored\n"));
        let list = printed(&["things", "wait", "--help"]);
        assert_eq!(list, waiters_help(&PROGRAM, things));
        assert!(list.contains("  thing-stored  Until the thing is stored.\n"), "{list}");
        assert_eq!(printed(&["things", "wait", "help"]), list);
        assert_eq!(
            printed(&["things", "wait", "thing-stored", "help"]),
            operation_help(&PROGRAM, things, &things.waiters[0])
        );
        assert_eq!(
            usage_error(&["things", "wait"]),
            "no waiter given\nUsage: demo things wait <waiter> [options]\nRun `demo things wait --help` to list its waiters."
        );
        assert_eq!(
            usage_error(&["things", "wait", "thing-stord"]),
            "unknown waiter `thing-stord` for service `things`; did you mean `thing-stored`?\n\
             Run `demo things wait --help` to list its waiters."
        );
        assert!(usage_error(&["things", "wait", "thing-stored", "extra"]).starts_with("unexpected argument `extra`"));

        let input = r#"{"name": "a", "size": 1}"#;
        let wait = ["things", "wait", "thing-stored", "--region", "us-east-1", "--cli-input-json"];
        assert_eq!(outcome(&[&wait[..], &[input]].concat()), Ok(()));
        assert_eq!(
            outcome(&[&wait[..], &[r#"{"name": "a"}"#, "--cli-max-wait", "5"]].concat()),
            Err((1, "waiter ThingStored timed out after 5s (1 calls)".to_owned()))
        );
        let (status, message) =
            outcome(&["things", "wait", "thing-stored", "--cli-input-json", input, "--cli-max-wait", "0"])
                .expect_err("");
        assert_eq!((status, message.as_str()), (2, "`--cli-max-wait` must be at least 1 second"));
    }

    #[test]
    fn exit_statuses() {
        // 0: the operation's call succeeds.
        assert_eq!(outcome(&["things", "list-things"]), Ok(()));
        // 1: the call fails.
        assert_eq!(
            outcome(&["widget_store", "get-widget"]),
            Err((1, "GetWidget failed: the widget is gone".to_owned()))
        );
        // 1: the input breaks the model's constraints; nothing is sent.
        let (status, message) = outcome(&["things", "put-thing", "--cli-input-json", r#"{"size": 1}"#]).expect_err("");
        assert_eq!(status, 1);
        assert!(message.starts_with("PutThing failed: invalid PutThingInput: 1 constraint violation\n"), "{message}");
        // 2: the command line is wrong: arguments, or an input that does not fit.
        assert_eq!(outcome(&["--nope"]).map_err(|(status, _)| status), Err(2));
        assert_eq!(outcome(&["nope"]).map_err(|(status, _)| status), Err(2));
        assert_eq!(outcome(&["things"]).map_err(|(status, _)| status), Err(2));
        let (status, message) = outcome(&["things", "put-thing", "--cli-input-json", r#"{"name": "a", "x": 1}"#])
            .expect_err("does not fit");
        assert_eq!(status, 2);
        assert!(message.ends_with("\nRun `demo things put-thing --help` for its input members."), "{message}");
        let (status, _) = outcome(&["things", "put-thing", "--cli-input-json", "{"]).expect_err("not JSON");
        assert_eq!(status, 2);
    }
}
