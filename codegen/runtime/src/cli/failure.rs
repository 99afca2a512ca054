//! Why the program stops early, and with which exit status.

use std::io::Write;
use std::process::ExitCode;

use crate::error::printable::printable;

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
        let _ = stderr.write_all(format!("{program}: {}\n", terminal_safe(&self.message)).as_bytes());
        ExitCode::from(self.status)
    }
}

/// The longest line printed, in characters; a server's message can be megabytes.
const MAX_LINE: usize = 2_000;
/// The most lines printed.
const MAX_LINES: usize = 200;

/// `text` made safe for a terminal, line by line (see [`printable`]): at most [`MAX_LINE`]
/// characters a line and [`MAX_LINES`] lines, saying how many more there were. Messages hold
/// text the server controls (error codes and messages).
fn terminal_safe(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut shown: Vec<String> = lines.iter().take(MAX_LINES).map(|line| printable(line, MAX_LINE)).collect();
    if lines.len() > MAX_LINES {
        shown.push(format!("... ({} more lines)", lines.len() - MAX_LINES));
    }
    shown.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped_line_by_line() {
        let text = "BadThing: \u{1b}[31mred\u{7}\rover\u{202e}txt.exe\tok\nsecond line";
        assert_eq!(terminal_safe(text), "BadThing: \\u{1b}[31mred\\u{7}\\rover\\u{202e}txt.exe\\tok\nsecond line");
    }

    #[test]
    fn long_lines_and_many_lines_are_cut() {
        let long = "x".repeat(5_000_000);
        let shown = terminal_safe(&format!("code: {long}"));
        assert_eq!(shown.chars().count(), MAX_LINE + 1);
        assert!(shown.ends_with("x…"));
        let many = vec!["line"; 1_000].join("\n");
        let shown = terminal_safe(&many);
        assert_eq!(shown.lines().count(), MAX_LINES + 1);
        assert!(shown.ends_with("... (800 more lines)"), "{shown}");
    }
}
