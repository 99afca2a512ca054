//! Why the program stops early, and with which exit status.

use std::io::Write;
use std::process::ExitCode;

/// Exit status when the call fails: configuration, validation, transport or service error.
pub(super) const EXIT_FAILURE: u8 = 1;

/// Exit status when the command line is wrong: unknown service, operation or option, or an
/// input that is not JSON or does not fit the operation's input.
pub(super) const EXIT_USAGE: u8 = 2;

/// Why the program stops early: the message for stderr and the exit status.
#[derive(Debug)]
pub struct Failure {
    /// The exit status: [`EXIT_FAILURE`] or [`EXIT_USAGE`].
    status: u8,
    /// What went wrong, possibly several lines; printed after the program's name.
    message: String,
}

impl Failure {
    /// A wrong command line (exit status 2).
    pub(super) fn usage(message: impl Into<String>) -> Self {
        Self { status: EXIT_USAGE, message: message.into() }
    }

    /// A failed call (exit status 1).
    pub(super) fn call(message: impl Into<String>) -> Self {
        Self { status: EXIT_FAILURE, message: message.into() }
    }

    /// The exit status: 1 when the call failed, 2 when the command line is wrong.
    pub fn status(&self) -> u8 {
        self.status
    }

    /// What went wrong, possibly several lines.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prints `<program>: <message>` on stderr and gives the exit status.
    pub(super) fn report(self, program: &str) -> ExitCode {
        let mut stderr = std::io::stderr().lock();
        // Nothing is left to tell the failure to when stderr is gone; the status still says it.
        let _ = stderr.write_all(format!("{program}: {}\n", self.message).as_bytes());
        ExitCode::from(self.status)
    }
}
