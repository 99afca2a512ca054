//! Credentials printed by a profile's `credential_process` command.
//!
//! The command runs as the Rust SDK runs it: through the shell (`sh -c COMMAND` on Unix,
//! `cmd.exe /C COMMAND` on Windows), so quoting, variables and `~` are the shell's. botocore
//! instead splits the command with `shlex` and runs it without a shell; commands that rely on
//! neither shell syntax nor expansion behave the same under both. The child inherits this
//! process's environment and working directory (not the environment snapshot the configuration
//! was loaded with), reads nothing (stdin is null) and has no time limit, as in botocore and
//! the Rust SDK; it is killed if the call is dropped.
//!
//! Its standard output must be the JSON object of the credential process protocol:
//! `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ...,
//! "Expiration": "RFC 3339"}` (the last two optional). Standard output holds secrets, so no
//! error quotes it; a failing command is reported with its exit status and its standard error.

use std::process::Stdio;

use tokio::io::{AsyncRead, AsyncReadExt};

use crate::credentials::{Credentials, CredentialsError, ProviderContext};
use crate::primitives::{DateTime, TimestampFormat};

const PROVIDER: &str = "credential process";

/// The most either output stream may hold; a command printing more is stopped.
const OUTPUT_LIMIT: u64 = 1024 * 1024;

/// How many characters of the command's standard error an error message shows.
const STDERR_SHOWN: usize = 1024;

/// How many characters of the command's program an error message shows.
const COMMAND_SHOWN: usize = 256;

/// Runs `command` of profile `profile` and reads the credentials it prints.
///
/// `_ctx` is not consulted: the child gets the real process environment, as in the SDKs.
pub(crate) async fn credentials(
    _ctx: &ProviderContext,
    profile: &str,
    command: &str,
) -> Result<Credentials, CredentialsError> {
    let what = Described { profile, command };
    tracing::debug!(profile, "running credential_process");
    let stdout = run(shell(command), &what).await?;
    parse_output(&stdout).map_err(|why| failed(format!("{} {why}", what.output())))
}

/// Names the command in messages.
struct Described<'a> {
    profile: &'a str,
    command: &'a str,
}

impl Described<'_> {
    /// ``credential_process `program …` of profile `p` ``.
    fn name(&self) -> String {
        format!("credential_process `{}` of profile `{}`", program_of(self.command), self.profile)
    }

    /// ``the output of credential_process `cmd` of profile `p` ``.
    fn output(&self) -> String {
        format!("the output of {}", self.name())
    }
}

/// The command as messages show it: its program, then `…` for its arguments, which may hold
/// secrets (the Rust SDK redacts them too).
fn program_of(command: &str) -> String {
    let command = command.trim();
    let end = match command.chars().next() {
        // A quoted program path (`"C:\Program Files\helper.exe" --json`).
        Some(quote @ ('"' | '\'')) => {
            command.get(1..).and_then(|rest| rest.find(quote)).map_or(command.len(), |at| at + 2)
        }
        _ => command.find(char::is_whitespace).unwrap_or(command.len()),
    };
    let program = printable(command.get(..end).unwrap_or(command), COMMAND_SHOWN);
    match command.get(end..) {
        Some(arguments) if !arguments.trim().is_empty() => format!("{program} …"),
        _ => program,
    }
}

fn failed(message: String) -> CredentialsError {
    CredentialsError::provider_failed(PROVIDER, message)
}

/// The shell command that runs `command`.
fn shell(command: &str) -> tokio::process::Command {
    if cfg!(windows) {
        let mut shell = tokio::process::Command::new("cmd.exe");
        shell.arg("/C").arg(command);
        shell
    } else {
        let mut shell = tokio::process::Command::new("sh");
        shell.arg("-c").arg(command);
        shell
    }
}

/// Runs `command` (the shell running `what`) to its end and returns its standard output; a
/// failure to start, an unreadable or oversized output, or a non-zero exit is an error.
async fn run(mut command: tokio::process::Command, what: &Described<'_>) -> Result<Vec<u8>, CredentialsError> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|err| failed(format!("cannot start {}: {err}", what.name())).with_source(err))?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    // Both pipes are drained together: a child blocked on a full stderr pipe would never
    // close stdout.
    let read = tokio::try_join!(read_limited(stdout, "standard output"), read_limited(stderr, "standard error"));
    let (stdout, stderr) = match read {
        Ok(outputs) => outputs,
        Err(why) => {
            // Best effort: the child is also killed when dropped.
            let _ = child.start_kill();
            let _ = child.wait().await;
            return Err(failed(format!("{} {why}", what.name())));
        }
    };
    let status =
        child.wait().await.map_err(|err| failed(format!("cannot wait for {}: {err}", what.name())).with_source(err))?;
    if status.success() {
        return Ok(stdout);
    }
    let ended = match status.code() {
        Some(code) => format!("exited with status {code}"),
        // Killed by a signal (Unix): the status says which.
        None => format!("ended with {status}"),
    };
    let stderr = printable(&String::from_utf8_lossy(&stderr), STDERR_SHOWN);
    let stderr = if stderr.is_empty() { "nothing on standard error".to_owned() } else { format!("stderr: {stderr}") };
    Err(failed(format!("{} {ended} ({stderr})", what.name())))
}

/// Reads a whole output stream of at most [`OUTPUT_LIMIT`] bytes; the error says why not.
async fn read_limited(stream: Option<impl AsyncRead + Unpin>, name: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let Some(stream) = stream else { return Ok(bytes) };
    stream
        .take(OUTPUT_LIMIT + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(|err| format!("could not be read: its {name} failed: {err}"))?;
    if bytes.len() as u64 > OUTPUT_LIMIT {
        return Err(format!("printed more than {} MiB on its {name}; it was stopped", OUTPUT_LIMIT / (1024 * 1024)));
    }
    Ok(bytes)
}

/// Reads the credential process protocol; the error completes "the output of ... ".
fn parse_output(stdout: &[u8]) -> Result<Credentials, String> {
    if stdout.iter().all(u8::is_ascii_whitespace) {
        return Err("is empty; expected a JSON object with Version 1".to_owned());
    }
    let value: serde_json::Value = serde_json::from_slice(stdout).map_err(|err| json_error(&err))?;
    let serde_json::Value::Object(object) = value else {
        return Err("is not a JSON object".to_owned());
    };
    match object.get("Version") {
        None | Some(serde_json::Value::Null) => return Err("has no Version; expected Version 1".to_owned()),
        Some(serde_json::Value::Number(number)) if number.as_f64() == Some(1.0) => {}
        Some(serde_json::Value::Number(number)) => {
            let shown = number.to_string();
            let shown = if shown.len() <= 20 { format!(" {shown}") } else { String::new() };
            return Err(format!("has Version{shown}; only Version 1 is supported"));
        }
        Some(other) => return Err(format!("has Version as {}; expected the number 1", kind(other))),
    }
    let required = |key: &str| match object.get(key) {
        Some(serde_json::Value::String(text)) if !text.is_empty() => Ok(text.as_str()),
        Some(serde_json::Value::String(_)) => Err(format!("has an empty {key}")),
        None | Some(serde_json::Value::Null) => Err(format!("has no {key}")),
        Some(other) => Err(format!("has {key} as {}, not a string", kind(other))),
    };
    let optional = |key: &str| match object.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(text)) if text.is_empty() => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text.as_str())),
        Some(other) => Err(format!("has {key} as {}, not a string", kind(other))),
    };
    let access_key_id = required("AccessKeyId")?;
    let secret_access_key = required("SecretAccessKey")?;
    let session_token = optional("SessionToken")?;
    let credentials = Credentials::new(access_key_id, secret_access_key, session_token.map(str::to_owned));
    let credentials = match optional("AccountId")? {
        Some(account_id) => credentials.with_account_id(account_id),
        None => credentials,
    };
    match optional("Expiration")? {
        None => Ok(credentials),
        Some(text) => {
            // The value is not quoted: it comes from standard output.
            let invalid = || "has an Expiration that is not an RFC 3339 timestamp such as 2024-01-01T00:00:00Z";
            let expiry = DateTime::parse(text.trim(), TimestampFormat::DateTime).map_err(|_| invalid().to_owned())?;
            let expiry = std::time::SystemTime::try_from(expiry).map_err(|_| invalid().to_owned())?;
            Ok(credentials.with_expiry(expiry))
        }
    }
}

/// Says where JSON text fails to parse without quoting it: "is not valid JSON (line L,
/// column C)".
pub(super) fn json_error(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match err.classify() {
        Category::Eof => "is not valid JSON: it ends early",
        Category::Io | Category::Syntax | Category::Data => "is not valid JSON",
    };
    format!("{what} (line {}, column {})", err.line(), err.column())
}

/// The kind of a JSON value, for messages that must not quote it.
pub(super) fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// `text` trimmed and made printable (see [`crate::error::printable`]).
pub(super) fn printable(text: &str, max_chars: usize) -> String {
    crate::error::printable::printable(text.trim(), max_chars)
}

#[cfg(test)]
pub(super) mod tests;
