//! Reading the command line into words and options.

use super::suggest::suggest;
use super::Failure;

/// Every long option, for suggestions.
const OPTIONS: &[&str] = &[
    "--cli-input-json",
    "--profile",
    "--region",
    "--endpoint-url",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--cli-max-wait",
    "--no-validate",
    "--no-paginate",
    "--max-items",
    "--starting-token",
    "--page-size",
    "--help",
    "--version",
];

/// The parsed command line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Args {
    /// Service, operation and any further words, in order.
    pub(super) words: Vec<String>,
    /// `--cli-input-json`, as given.
    pub(super) input: Option<String>,
    /// `--profile`.
    pub(super) profile: Option<String>,
    /// `--region`.
    pub(super) region: Option<String>,
    /// `--endpoint-url`.
    pub(super) endpoint_url: Option<String>,
    /// `--cli-read-timeout`, as given.
    pub(super) read_timeout: Option<String>,
    /// `--cli-connect-timeout`, as given.
    pub(super) connect_timeout: Option<String>,
    /// `--cli-max-wait` (of `wait`), as given.
    pub(super) max_wait: Option<String>,
    /// `--no-validate`.
    pub(super) no_validate: bool,
    /// `--no-paginate`.
    pub(super) no_paginate: bool,
    /// `--max-items`, as given.
    pub(super) max_items: Option<String>,
    /// `--starting-token`, as given.
    pub(super) starting_token: Option<String>,
    /// `--page-size`, as given.
    pub(super) page_size: Option<String>,
    /// `--help`, `-h` or a final `help` word.
    pub(super) help: bool,
    /// `--version`.
    pub(super) version: bool,
}

impl Args {
    /// Reads the arguments (without the program name) of `program`. Options may come anywhere,
    /// as `--name value` or `--name=value`.
    pub(super) fn parse(program: &str, raw: impl IntoIterator<Item = String>) -> Result<Args, Failure> {
        let mut args = Args::default();
        let mut raw = raw.into_iter();
        while let Some(arg) = raw.next() {
            match arg.as_str() {
                "-h" | "--help" => args.help = true,
                "--version" => args.version = true,
                "--no-validate" => args.no_validate = true,
                "--no-paginate" => args.no_paginate = true,
                word if !word.starts_with('-') || word == "-" => args.words.push(arg),
                option => {
                    let (name, inline) = match option.split_once('=') {
                        Some((name, value)) => (name, Some(value.to_owned())),
                        None => (option, None),
                    };
                    let slot = match name {
                        "--cli-input-json" => &mut args.input,
                        "--profile" => &mut args.profile,
                        "--region" => &mut args.region,
                        "--endpoint-url" => &mut args.endpoint_url,
                        "--cli-read-timeout" => &mut args.read_timeout,
                        "--cli-connect-timeout" => &mut args.connect_timeout,
                        "--cli-max-wait" => &mut args.max_wait,
                        "--max-items" => &mut args.max_items,
                        "--starting-token" => &mut args.starting_token,
                        "--page-size" => &mut args.page_size,
                        _ => return Err(unknown_option(program, option, name)),
                    };
                    // A missing value must not swallow the next option.
                    let value = inline
                        .or_else(|| raw.next())
                        .filter(|value| value != "-h" && !OPTIONS.contains(&value.as_str()));
                    let Some(value) = value else {
                        return Err(Failure::usage(format!("`{name}` needs a value")));
                    };
                    // An empty profile, region or URL is never meant; the input may be anything.
                    if name != "--cli-input-json" && value.trim().is_empty() {
                        return Err(Failure::usage(format!("`{name}` needs a non-empty value")));
                    }
                    if slot.is_some() {
                        return Err(Failure::usage(format!("`{name}` is given more than once")));
                    }
                    *slot = Some(value);
                }
            }
        }
        // `help` as the last of at most three words asks for help, as in the AWS CLI; later
        // words are an argument error, reported once the service and operation are known.
        let most = if args.words.get(1).is_some_and(|word| word == "wait") { 4 } else { 3 };
        if args.words.len() <= most && args.words.last().is_some_and(|word| word == "help") {
            args.words.pop();
            args.help = true;
        }
        Ok(args)
    }
}

/// The usage error for `option` (named `name` before any `=`), with a close option if there is one.
fn unknown_option(program: &str, option: &str, name: &str) -> Failure {
    let mut message = format!("unknown option `{option}`");
    if let Some(best) = suggest(name, OPTIONS.iter().copied()) {
        message.push_str(&format!("; did you mean `{best}`?"));
    }
    message.push_str(&format!("\nRun `{program} --help` to list the options."));
    Failure::usage(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[&str]) -> Result<Args, Failure> {
        Args::parse("demo", raw.iter().map(|arg| (*arg).to_owned()))
    }

    fn words(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| (*word).to_owned()).collect()
    }

    fn usage_error(raw: &[&str]) -> String {
        let failure = parse(raw).expect_err("a usage error");
        assert_eq!(failure.status(), 2, "{raw:?}: {failure:?}");
        failure.message().to_owned()
    }

    #[test]
    fn options_may_come_anywhere_with_their_value_after_a_space_or_an_equals_sign() {
        let args = parse(&[
            "--region",
            "eu-west-1",
            "iot",
            "--no-validate",
            "--endpoint-url=http://x:1/a=b",
            "op",
            "--profile",
            "dev",
        ]);
        let expected = Args {
            words: words(&["iot", "op"]),
            profile: Some("dev".to_owned()),
            region: Some("eu-west-1".to_owned()),
            endpoint_url: Some("http://x:1/a=b".to_owned()),
            no_validate: true,
            ..Args::default()
        };
        assert_eq!(args.expect("valid"), expected);
    }

    #[test]
    fn the_input_is_kept_as_given() {
        let args = parse(&["iot", "op", "--cli-input-json", "{\"a\": \"-h\"}"]).expect("valid");
        assert_eq!(args.input.as_deref(), Some("{\"a\": \"-h\"}"));
        let args = parse(&["iot", "op", "--cli-input-json=file://in.json"]).expect("valid");
        assert_eq!(args.input.as_deref(), Some("file://in.json"));
    }

    #[test]
    fn a_lone_dash_is_a_word() {
        assert_eq!(parse(&["iot", "-"]).expect("valid").words, words(&["iot", "-"]));
    }

    #[test]
    fn help_and_version_flags() {
        for raw in [&["--help"][..], &["-h"], &["iot", "-h"], &["iot", "op", "--help"]] {
            assert!(parse(raw).expect("valid").help, "{raw:?}");
        }
        let args = parse(&["--version"]).expect("valid");
        assert!(args.version && !args.help);
    }

    #[test]
    fn a_final_help_word_asks_for_help_at_every_level() {
        for (raw, left) in
            [(&["help"][..], &[][..]), (&["iot", "help"], &["iot"]), (&["iot", "op", "help"], &["iot", "op"])]
        {
            let args = parse(raw).expect("valid");
            assert!(args.help, "{raw:?}");
            assert_eq!(args.words, words(left));
        }
        // Past the operation, or before the last word, `help` is only a word.
        let args = parse(&["iot", "op", "extra", "help"]).expect("valid");
        assert!(!args.help);
        assert_eq!(args.words.len(), 4);
        assert!(!parse(&["help", "iot"]).expect("valid").help);
    }

    #[test]
    fn an_option_without_a_value_does_not_swallow_the_next_option() {
        assert_eq!(usage_error(&["iot", "op", "--region"]), "`--region` needs a value");
        assert_eq!(usage_error(&["--region", "--help"]), "`--region` needs a value");
        assert_eq!(usage_error(&["--endpoint-url", "-h"]), "`--endpoint-url` needs a value");
        assert_eq!(usage_error(&["--cli-input-json", "--no-validate", "x"]), "`--cli-input-json` needs a value");
        assert_eq!(usage_error(&["--region="]), "`--region` needs a non-empty value");
        assert_eq!(usage_error(&["--profile", " "]), "`--profile` needs a non-empty value");
        // The input is the operation's to judge.
        assert_eq!(parse(&["--cli-input-json="]).expect("valid").input.as_deref(), Some(""));
    }

    #[test]
    fn an_option_given_twice_is_an_error() {
        assert_eq!(usage_error(&["--region", "a", "--region=b"]), "`--region` is given more than once");
    }

    #[test]
    fn pagination_options_are_read_as_given() {
        let args =
            parse(&["svc", "op", "--max-items", "5", "--starting-token=abc=", "--page-size", "2", "--no-paginate"])
                .expect("valid");
        assert_eq!(args.max_items.as_deref(), Some("5"));
        assert_eq!(args.starting_token.as_deref(), Some("abc="));
        assert_eq!(args.page_size.as_deref(), Some("2"));
        assert!(args.no_paginate);
        assert_eq!(usage_error(&["--max-items"]), "`--max-items` needs a value");
    }

    #[test]
    fn an_unknown_option_suggests_a_close_one() {
        assert_eq!(
            usage_error(&["iot", "op", "--endpoint", "http://x"]),
            "unknown option `--endpoint`; did you mean `--endpoint-url`?\nRun `demo --help` to list the options."
        );
        assert_eq!(
            usage_error(&["--regoin=eu-west-1"]),
            "unknown option `--regoin=eu-west-1`; did you mean `--region`?\nRun `demo --help` to list the options."
        );
        assert_eq!(usage_error(&["-x"]), "unknown option `-x`\nRun `demo --help` to list the options.");
    }
}
