//! `credential_process`: the protocol, every failure, and secrets kept out of messages and logs.
//! The commands run under `sh`, so those tests are Unix-only.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use super::*;

/// The global tracing subscriber of the test binary: it writes every event's and span's
/// fields as text into the buffer of the thread that is capturing, and ignores other threads.
///
/// Global rather than scoped: a callsite first reached on a thread without a subscriber would
/// otherwise cache "never" for every thread, and a capture running at that moment on another
/// thread would miss its events.
struct Capture;

thread_local! {
    /// The text logged on this thread while it captures.
    static CAPTURED: std::cell::RefCell<Option<Arc<Mutex<String>>>> = const { std::cell::RefCell::new(None) };
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={value:?} ", field.name());
    }
}

/// Runs `write` on this thread's capture buffer, if it captures.
fn with_buffer(write: impl FnOnce(&mut String)) {
    CAPTURED.with(|captured| {
        if let Some(buffer) = captured.borrow().as_ref() {
            write(&mut buffer.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        }
    });
}

impl tracing::Subscriber for Capture {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        // Asked again at every event: whether to record depends on the thread.
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        CAPTURED.with(|captured| captured.borrow().is_some())
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        with_buffer(|text| span.record(&mut Fields(text)));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        with_buffer(|text| values.record(&mut Fields(text)));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        with_buffer(|text| {
            text.push_str(event.metadata().target());
            text.push_str(": ");
            event.record(&mut Fields(text));
            text.push('\n');
        });
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Runs `future` with every tracing event of this thread written down, and returns its output
/// and the text logged. The test must run on a current-thread runtime.
pub(in crate::credentials) async fn with_captured_tracing<T>(
    future: impl std::future::Future<Output = T>,
) -> (T, String) {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        // Another global subscriber (none in these tests) would keep its place.
        let _ = tracing::subscriber::set_global_default(Capture);
    });
    let text = Arc::new(Mutex::new(String::new()));
    CAPTURED.with(|captured| *captured.borrow_mut() = Some(text.clone()));
    let output = future.await;
    CAPTURED.with(|captured| *captured.borrow_mut() = None);
    let logged = text.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    (output, logged)
}

#[test]
fn printable_trims_escapes_and_truncates() {
    assert_eq!(printable("  plain text \n", 100), "plain text");
    assert_eq!(printable("one\ntwo\u{1b}[31m\0", 100), "one\\ntwo\\u{1b}[31m\\u{0}");
    assert_eq!(printable("abcdef", 3), "abc…");
    assert_eq!(printable("abc", 3), "abc");
    assert_eq!(printable("", 3), "");
}

#[test]
fn messages_show_the_program_but_not_its_arguments() {
    assert_eq!(program_of("  helper  "), "helper");
    assert_eq!(program_of("helper --password hunter2"), "helper …");
    assert_eq!(program_of(r#""C:\Program Files\helper.exe" --json"#), r#""C:\Program Files\helper.exe" …"#);
    assert_eq!(program_of("'my helper'"), "'my helper'");
    assert_eq!(program_of("\"unterminated --x"), "\"unterminated --x");
    assert_eq!(program_of("tool\targ"), "tool …");
}

#[cfg(unix)]
mod unix {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::credentials::profile::{execute, plan, Base, Planned};
    use crate::credentials::{CredentialsErrorKind, Env};
    use crate::profile::ProfileSet;
    use crate::test_support::TempDir;

    fn ctx() -> ProviderContext {
        ProviderContext::for_tests(Env::of(&[]), ProfileSet::default(), "proc")
    }

    /// Runs `command` as the `credential_process` of profile `proc`.
    async fn run_command(command: &str) -> Result<Credentials, CredentialsError> {
        credentials(&ctx(), "proc", command).await
    }

    /// A command printing `json` on standard output.
    fn printing(json: &str) -> String {
        format!("printf '%s' '{json}'")
    }

    /// The message of the error `command` fails with; it must be a provider failure.
    async fn failure(command: &str) -> String {
        match run_command(command).await {
            Ok(credentials) => panic!("`{command}` gave {credentials:?}"),
            Err(err) => {
                assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed, "{err}");
                assert_eq!(err.provider(), "credential process");
                err.to_string()
            }
        }
    }

    /// The message of the error the output `json` is rejected with.
    async fn rejected(json: &str) -> String {
        failure(&printing(json)).await
    }

    fn at(seconds: u64, millis: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis)
    }

    #[tokio::test]
    async fn reads_temporary_credentials_with_their_expiry() {
        let json = r#"{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret",
            "SessionToken": "proc-token", "Expiration": "2030-01-02T03:04:05Z", "AccountId": "123456789012"}"#;
        let credentials = run_command(&printing(json)).await.expect("valid output");
        assert_eq!(credentials.access_key_id(), "ASIAPROC");
        assert_eq!(credentials.secret_access_key(), "proc-secret");
        assert_eq!(credentials.session_token(), Some("proc-token"));
        assert_eq!(credentials.expiry(), Some(at(1_893_553_445, 0)));
        assert_eq!(credentials.account_id(), Some("123456789012"));
    }

    #[tokio::test]
    async fn expiration_may_have_an_offset_and_a_fraction_and_is_optional() {
        let json =
            r#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2030-01-02T05:04:05.5+02:00"}"#;
        let credentials = run_command(&printing(json)).await.expect("valid output");
        assert_eq!(credentials.expiry(), Some(at(1_893_553_445, 500)));
        assert_eq!(credentials.session_token(), None);

        let json = r#"{"Version":1.0,"AccessKeyId":"AKIDLONG","SecretAccessKey":"S","SessionToken":null}"#;
        let credentials = run_command(&printing(json)).await.expect("valid output");
        assert_eq!((credentials.access_key_id(), credentials.expiry()), ("AKIDLONG", None));
    }

    #[tokio::test]
    async fn runs_through_the_shell_with_stdin_closed() {
        // Shell syntax works (variables, pipes); stdin is empty, so `cat` ends at once.
        let command =
            r#"KEY=AKIDSHELL; cat; printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"S"}' "$KEY" | cat"#;
        let credentials = run_command(command).await.expect("valid output");
        assert_eq!(credentials.access_key_id(), "AKIDSHELL");
    }

    #[tokio::test]
    async fn a_failing_command_shows_its_status_and_stderr_never_its_stdout() {
        let command = r#"printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"STDOUT-SECRET"}'; echo 'SSO session expired: log in again' >&2; exit 3"#;
        let message = failure(command).await;
        assert!(message.contains("exited with status 3"), "{message}");
        assert!(message.contains("stderr: SSO session expired: log in again"), "{message}");
        assert!(message.contains("of profile `proc`"), "{message}");
        assert!(!message.contains("STDOUT-SECRET"), "{message}");

        let message = failure("exit 1").await;
        assert!(message.contains("exited with status 1 (nothing on standard error)"), "{message}");

        let message = failure("/nonexistent/aws-lite-helper --json").await;
        assert!(message.contains("exited with status 127"), "{message}");
        assert!(message.contains("credential_process `/nonexistent/aws-lite-helper …` of profile `proc`"), "{message}");

        let message = failure("kill -9 $$").await;
        assert!(message.contains("ended with signal: 9"), "{message}");
    }

    #[tokio::test]
    async fn stderr_is_escaped_and_truncated() {
        let message = failure(r"printf '  one\ntwo\033[31m  \n' >&2; exit 2").await;
        assert!(message.contains(r"stderr: one\ntwo\u{1b}[31m)"), "{message}");

        let message = failure("head -c 100000 /dev/zero | tr '\\0' x >&2; exit 2").await;
        assert!(message.contains(&format!("{}…", "x".repeat(STDERR_SHOWN))), "{message}");
        assert!(message.len() < STDERR_SHOWN + 300, "{} characters", message.len());
    }

    #[tokio::test]
    async fn a_command_that_cannot_start_names_the_command_profile_and_error() {
        let what = Described { profile: "proc", command: "my-helper --json" };
        let err =
            run(tokio::process::Command::new("/nonexistent/aws-lite-shell"), &what).await.expect_err("no such shell");
        let message = err.to_string();
        assert!(message.contains("cannot start credential_process `my-helper …` of profile `proc`"), "{message}");
        assert!(message.contains("No such file or directory"), "{message}");
        assert!(std::error::Error::source(&err).is_some());
    }

    #[tokio::test]
    async fn output_that_is_not_json_is_located_but_not_quoted() {
        let message = failure("echo 'AKIDLEAK secret-ish-value'").await;
        assert!(message.contains("is not valid JSON (line 1, column"), "{message}");
        assert!(!message.contains("secret-ish") && !message.contains("AKIDLEAK"), "{message}");

        let message = rejected(r#"{"Version": 1, "SecretAccessKey": "TRUNCATED-SECRET"#).await;
        assert!(message.contains("is not valid JSON: it ends early (line 1, column"), "{message}");
        assert!(!message.contains("TRUNCATED-SECRET"), "{message}");

        let message = failure("true").await;
        assert!(message.contains("the output of credential_process `true` of profile `proc` is empty"), "{message}");

        let message = rejected(r#"["Version", 1]"#).await;
        assert!(message.contains("is not a JSON object"), "{message}");

        let message = failure(r"printf '\377\376'").await;
        assert!(message.contains("is not valid JSON"), "{message}");
    }

    #[tokio::test]
    async fn only_version_1_is_accepted() {
        let message = rejected(r#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}"#).await;
        assert!(message.contains("has Version 2; only Version 1 is supported"), "{message}");
        let message = rejected(r#"{"AccessKeyId":"A","SecretAccessKey":"S"}"#).await;
        assert!(message.contains("has no Version; expected Version 1"), "{message}");
        let message = rejected(r#"{"Version":"1","AccessKeyId":"A","SecretAccessKey":"S"}"#).await;
        assert!(message.contains("has Version as a string; expected the number 1"), "{message}");
    }

    #[tokio::test]
    async fn keys_must_be_present_non_empty_strings() {
        let message = rejected(r#"{"Version":1,"SecretAccessKey":"S"}"#).await;
        assert!(message.contains("has no AccessKeyId"), "{message}");
        let message = rejected(r#"{"Version":1,"AccessKeyId":"A"}"#).await;
        assert!(message.contains("has no SecretAccessKey"), "{message}");
        let message = rejected(r#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":""}"#).await;
        assert!(message.contains("has an empty SecretAccessKey"), "{message}");
        let message = rejected(r#"{"Version":1,"AccessKeyId":42,"SecretAccessKey":"S"}"#).await;
        assert!(message.contains("has AccessKeyId as a number, not a string"), "{message}");
        let message = rejected(r#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":["T"]}"#).await;
        assert!(message.contains("has SessionToken as an array, not a string"), "{message}");
    }

    #[tokio::test]
    async fn a_bad_expiration_is_rejected_without_quoting_it() {
        let message =
            rejected(r#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"next tuesday"}"#).await;
        assert!(message.contains("has an Expiration that is not an RFC 3339 timestamp"), "{message}");
        assert!(!message.contains("next tuesday"), "{message}");
        let message =
            rejected(r#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":1893553445}"#).await;
        assert!(message.contains("has Expiration as a number, not a string"), "{message}");
    }

    #[tokio::test]
    async fn endless_output_stops_the_command() {
        let outcome = tokio::time::timeout(Duration::from_secs(60), run_command("yes")).await;
        let message = outcome.expect("stopped in time").expect_err("too much output").to_string();
        assert!(message.contains("printed more than 1 MiB on its standard output; it was stopped"), "{message}");

        let outcome = tokio::time::timeout(Duration::from_secs(60), run_command("yes >&2")).await;
        let message = outcome.expect("stopped in time").expect_err("too much output").to_string();
        assert!(message.contains("printed more than 1 MiB on its standard error"), "{message}");
    }

    #[tokio::test]
    async fn secrets_stay_out_of_debug_errors_and_tracing() {
        let secrets = ["proc-secret-key", "proc-session-token"];
        let success = printing(
            r#"{"Version":1,"AccessKeyId":"ASIAVISIBLE","SecretAccessKey":"proc-secret-key","SessionToken":"proc-session-token"}"#,
        );
        let failing = format!("{success}; echo failed >&2; exit 5");
        let not_json = "printf 'AccessKeyId=A SecretAccessKey=proc-secret-key SessionToken=proc-session-token'";
        let ((credentials, failed, garbled), logged) = with_captured_tracing(async {
            (run_command(&success).await, run_command(&failing).await, run_command(not_json).await)
        })
        .await;
        let credentials = credentials.expect("valid output");
        let (failed, garbled) = (failed.expect_err("exit 5"), garbled.expect_err("not JSON"));
        assert!(logged.contains("running credential_process"), "{logged}");
        let texts = [
            format!("{credentials:?}"),
            failed.to_string(),
            format!("{failed:?}"),
            garbled.to_string(),
            format!("{garbled:?}"),
            logged,
        ];
        for text in &texts {
            for secret in secrets {
                assert!(!text.contains(secret), "`{secret}` in {text}");
            }
        }
        assert!(texts[0].contains("ASIAVISIBLE"), "{}", texts[0]);
    }

    #[tokio::test]
    async fn a_profile_plan_runs_the_process() {
        let dir = TempDir::new("credential-process");
        let script = dir.write(
            "creds.sh",
            r#"printf '{"Version":1,"AccessKeyId":"AKIDPLAN","SecretAccessKey":"S","Expiration":"2031-06-01T00:00:00Z"}'"#,
        );
        let config = dir.write("config", &format!("[profile proc]\ncredential_process = sh {script}\n"));
        let env = Env::of(&[("AWS_CONFIG_FILE", &config), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("none"))]);
        let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
        let ctx = ProviderContext::for_tests(env, profiles, "proc");
        let Planned::Plan(plan) = plan(&ctx).expect("valid profile") else { panic!("nothing planned") };
        assert_eq!(plan.base, Base::Process { profile: "proc".into(), command: format!("sh {script}") });
        let credentials = execute(&ctx, &plan).await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "AKIDPLAN");
        assert_eq!(credentials.expiry(), Some(at(1_938_038_400, 0)));
    }
}
