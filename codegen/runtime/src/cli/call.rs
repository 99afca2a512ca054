//! One operation call: input, configuration, the request and the printed response.

use super::args::Args;
use super::input::{check, input_json, input_text, parse_input_value};
use super::paginate::{self, Given};
use super::{print, Failure, Operation, Program, Service};
use crate::client::{Config, SdkError, TimeoutConfig, ValidationMode};
use crate::primitives::with_iso8601_timestamps;
use crate::validation::ValidationError;
use crate::waiter::{FinalPoll, WaiterError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// One operation call, as the command line asks for it. A generated binary's operation `fn`
/// receives it and hands [`Call::run`] the library's input type and a way to send it.
pub struct Call<'a> {
    /// The binary that runs.
    program: &'a Program<'a>,
    /// The service named on the command line.
    service: &'static Service,
    /// The operation named on the command line.
    operation: &'static Operation,
    /// Everything else the command line says.
    args: &'a Args,
}

impl<'a> Call<'a> {
    /// The call of `operation` of `service` that `args` ask for.
    pub(super) fn new(
        program: &'a Program<'a>,
        service: &'static Service,
        operation: &'static Operation,
        args: &'a Args,
    ) -> Self {
        Self { program, service, operation, args }
    }

    /// The operation named on the command line.
    pub(super) fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The rest of the command line.
    pub(super) fn args(&self) -> &Args {
        self.args
    }

    /// Reads and checks the input, sends it with `send` on a current-thread runtime and prints
    /// the response. `validate` is the input type's `validate`; `send` gets the configuration
    /// the command line and the environment give, and the input. A paginated operation is sent
    /// once per page (see `paginate`).
    pub fn run<I, O, E, F, Fut>(&self, validate: fn(&I) -> Result<(), ValidationError>, send: F) -> Result<(), Failure>
    where
        I: DeserializeOwned,
        O: Serialize,
        F: Fn(Config, I) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E>>>,
    {
        let operation = self.operation;
        let args = self.args;
        let given = Given {
            no_paginate: args.no_paginate,
            max_items: args.max_items.as_deref(),
            page_size: args.page_size.as_deref(),
            starting_token: args.starting_token.as_deref(),
        };
        let paging = paginate::flags(given, operation)?;
        let (text, source) = input_text(args.input.as_deref())?;
        let hint = self.input_hint();
        let mut json = input_json(&text, &source)?;
        // The page size and starting token are checked with the rest of the input.
        if let (Some(paginated), Some(flags)) = (operation.paginated, &paging) {
            paginate::prepare_input(&mut json, paginated, flags);
        }
        let (input, missing) = parse_input_value::<I>(json.clone(), &text, &source, operation, &hint)?;
        if !args.no_validate {
            check(&input, validate, missing, operation)?;
        }
        let (runtime, config) = self.runtime_and_config()?;
        let failed = |err: SdkError<E>| Failure::call(format!("{} failed: {err}", operation.model_name));
        let (Some(paginated), Some(flags)) = (operation.paginated, paging) else {
            let output = runtime.block_on(send(config, input)).map_err(failed)?;
            return match render_output(&output)? {
                Some(text) => print(&text),
                None => Ok(()),
            };
        };
        let mut first = Some(input);
        let page = |json: Value| -> Result<Value, Failure> {
            let input = match first.take() {
                Some(input) => input,
                None => parse_input_value::<I>(json, &text, &source, operation, &hint)?.0,
            };
            let output = runtime.block_on(send(config.clone(), input)).map_err(failed)?;
            with_iso8601_timestamps(|| serde_json::to_value(&output))
                .map_err(|err| Failure::call(format!("cannot print the response: {err}")))
        };
        let merged = paginate::collect(paginated, &flags, json, page)?;
        match render_output(&merged)? {
            Some(text) => print(&text),
            None => Ok(()),
        }
    }

    /// Reads and checks the input, then runs a waiter with `wait` (which gets the
    /// configuration, the input and `--cli-max-wait`); prints nothing on success, as the AWS
    /// CLI's `wait` does.
    pub fn wait<I, O, E, F, Fut>(&self, validate: fn(&I) -> Result<(), ValidationError>, wait: F) -> Result<(), Failure>
    where
        I: DeserializeOwned,
        E: fmt::Display,
        F: FnOnce(Config, I, Duration) -> Fut,
        Fut: Future<Output = Result<FinalPoll<O, E>, WaiterError<O, E>>>,
    {
        let operation = self.operation;
        let max_wait = match seconds("--cli-max-wait", self.args.max_wait.as_deref())? {
            None => DEFAULT_MAX_WAIT,
            Some(Some(max_wait)) => max_wait,
            Some(None) => return Err(Failure::usage("`--cli-max-wait` must be at least 1 second")),
        };
        let (text, source) = input_text(self.args.input.as_deref())?;
        let hint = self.input_hint();
        let json = input_json(&text, &source)?;
        let (input, missing) = parse_input_value::<I>(json, &text, &source, operation, &hint)?;
        if !self.args.no_validate {
            check(&input, validate, missing, operation)?;
        }
        let (runtime, config) = self.runtime_and_config()?;
        runtime.block_on(wait(config, input, max_wait)).map(|_| ()).map_err(|err| Failure::call(err.to_string()))
    }

    /// How a usage error about the input ends: where to read the input's members.
    pub(super) fn input_hint(&self) -> String {
        format!(
            "Run `{} {} {} --help` for its input members.",
            self.program.name, self.service.name, self.operation.name
        )
    }

    /// A current-thread runtime and, resolved on it, the client configuration.
    pub(super) fn runtime_and_config(&self) -> Result<(tokio::runtime::Runtime, Config), Failure> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| Failure::call(format!("cannot start the async runtime: {err}")))?;
        let config = runtime.block_on(self.config())?;
        Ok((runtime, config))
    }

    /// The client configuration, as [`Config::load`] resolves it, with `--profile`,
    /// `--region` and `--endpoint-url` given in code; no validation with `--no-validate`.
    async fn config(&self) -> Result<Config, Failure> {
        let mut loader = Config::loader().region_hint("pass --region or ");
        if let Some(profile) = self.args.profile.clone() {
            loader = loader.profile(profile);
        }
        if let Some(region) = self.args.region.clone() {
            loader = loader.region(region);
        }
        if let Some(url) = self.args.endpoint_url.clone() {
            loader = loader.endpoint_url(url);
        }
        let read = seconds("--cli-read-timeout", self.args.read_timeout.as_deref())?.unwrap_or(DEFAULT_READ_TIMEOUT);
        let connect = seconds("--cli-connect-timeout", self.args.connect_timeout.as_deref())?;
        let mut timeouts = TimeoutConfig::default().with_attempt_timeout(read).with_operation_timeout(
            // A terminal user is not kept waiting through every retry of a hung service.
            read.map(|read| read.max(CLI_OPERATION_TIMEOUT)),
        );
        if let Some(connect) = connect {
            timeouts = timeouts.with_connect_timeout(connect);
        }
        loader = loader.timeouts(timeouts);
        let config = loader.load().await.map_err(|err| Failure::call(err.to_string()))?;
        if !self.args.no_validate {
            return Ok(config);
        }
        config.to_builder().validation(ValidationMode::Off).build().map_err(|err| Failure::call(err.to_string()))
    }
}

/// How long `wait` waits unless `--cli-max-wait` says otherwise.
pub(super) const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(600);
/// How long one attempt may take unless `--cli-read-timeout` says otherwise.
const DEFAULT_READ_TIMEOUT: Option<Duration> = Some(Duration::from_secs(30));
/// How long a whole call, retries included, may take; longer when the read timeout is.
const CLI_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// A `--cli-*-timeout` value: whole seconds, `0` for no limit; `None` when not given.
fn seconds(option: &str, given: Option<&str>) -> Result<Option<Option<Duration>>, Failure> {
    let Some(given) = given else { return Ok(None) };
    match given.trim().parse::<u64>() {
        Ok(0) => Ok(Some(None)),
        Ok(seconds) => Ok(Some(Some(Duration::from_secs(seconds)))),
        Err(_) => Err(Failure::usage(format!("`{option}` takes whole seconds (0 for no limit), not `{given}`"))),
    }
}

impl fmt::Debug for Call<'_> {
    /// Shows the service and operation by name, not the whole table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("service", &self.service.name)
            .field("operation", &self.operation.name)
            .field("args", self.args)
            .finish_non_exhaustive()
    }
}

/// The response as printed: JSON with a four-space indent and timestamps in ISO 8601, or
/// nothing when it has no members (as the AWS CLI prints it).
pub(super) fn render_output<O: Serialize>(output: &O) -> Result<Option<String>, Failure> {
    let mut text = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
    with_iso8601_timestamps(|| output.serialize(&mut serializer))
        .map_err(|err| Failure::call(format!("cannot print the response: {err}")))?;
    if text == b"{}" {
        return Ok(None);
    }
    text.push(b'\n');
    Ok(Some(String::from_utf8_lossy(&text).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::DateTime;
    use std::collections::BTreeMap;

    #[test]
    fn a_response_is_printed_indented_with_iso_8601_timestamps() {
        let time = DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000).expect("a valid time");
        let output = BTreeMap::from([("created", vec![time]), ("updated", vec![DateTime::from_secs(1_700_000_100)])]);
        let text = render_output(&output).expect("serializable");
        assert_eq!(
            text.as_deref(),
            Some(
                "{\n    \"created\": [\n        \"2023-11-14T22:13:20.123Z\"\n    ],\n    \"updated\": [\n        \
                 \"2023-11-14T22:15:00Z\"\n    ]\n}\n"
            )
        );
    }

    #[test]
    fn a_response_without_members_prints_nothing() {
        assert_eq!(render_output(&BTreeMap::<String, u8>::new()).expect("serializable"), None);
    }

    #[test]
    fn a_response_that_cannot_be_serialized_is_a_failed_call() {
        // JSON object keys must be strings.
        let output = BTreeMap::from([(vec![1u8], 1u8)]);
        let failure = render_output(&output).expect_err("not serializable");
        assert_eq!(failure.status(), 1);
        assert_eq!(failure.message(), "cannot print the response: key must be a string");
    }
}
