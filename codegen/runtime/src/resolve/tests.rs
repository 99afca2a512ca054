//! The resolution order, over temp files and a stand-in environment.

use super::*;
use crate::test_support::{env_of, TempDir};

const CONFIG: &str = "\
[default]
region = us-west-1
[profile dev]
region = eu-west-1
[profile role]
role_arn = arn:aws:iam::123456789012:role/r
[profile half]
region = ap-south-1
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = default-secret
[dev]
aws_access_key_id = DEVKEY
aws_secret_access_key = dev-secret
aws_session_token = dev-token
[half]
aws_access_key_id = HALFKEY
";

/// Where the region and the access key id came from, or the error message.
type Outcome = (Result<String, String>, Result<String, String>);

/// Resolves with the shared files above, `vars` as the rest of the environment, and `profile`
/// named in code.
fn resolve(dir: &TempDir, vars: &[(&str, &str)], profile: Option<&str>) -> Outcome {
    let (config, credentials) = (dir.write("config", CONFIG), dir.write("credentials", CREDENTIALS));
    let mut all = vec![("AWS_CONFIG_FILE", config.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str())];
    all.extend_from_slice(vars);
    let env = env_of(&all);
    let mut resolver = Resolver::new(&env, profile);
    let region = resolver.region().map_err(|err| err.to_string());
    let key = resolver.credentials().map(|c| c.access_key_id().to_owned()).map_err(|err| err.to_string());
    (region, key)
}

/// A case's name, environment, profile named in code, and what it expects.
type Case<T> = (&'static str, Vec<(&'static str, &'static str)>, Option<&'static str>, T);

const ENV_KEYS: &[(&str, &str)] = &[("AWS_ACCESS_KEY_ID", "ENVKEY"), ("AWS_SECRET_ACCESS_KEY", "env-secret")];

#[test]
fn resolution_order() {
    let ok = |s: &str| Ok(s.to_owned());
    let with = |extra: &[(&'static str, &'static str)]| [ENV_KEYS, extra].concat();
    let cases: Vec<Case<Outcome>> = vec![
        ("profile default", vec![], None, (ok("us-west-1"), ok("DEFAULTKEY"))),
        ("env keys before profile keys", with(&[]), None, (ok("us-west-1"), ok("ENVKEY"))),
        (
            "AWS_REGION first",
            vec![("AWS_REGION", "us-east-2"), ("AWS_DEFAULT_REGION", "ca-central-1")],
            None,
            (ok("us-east-2"), ok("DEFAULTKEY")),
        ),
        (
            "AWS_DEFAULT_REGION before profile",
            vec![("AWS_DEFAULT_REGION", "ca-central-1")],
            None,
            (ok("ca-central-1"), ok("DEFAULTKEY")),
        ),
        ("AWS_PROFILE selects", vec![("AWS_PROFILE", "dev")], None, (ok("eu-west-1"), ok("DEVKEY"))),
        ("AWS_PROFILE loses to env keys", with(&[("AWS_PROFILE", "dev")]), None, (ok("eu-west-1"), ok("ENVKEY"))),
        ("profile in code wins over env keys", with(&[]), Some("dev"), (ok("eu-west-1"), ok("DEVKEY"))),
        (
            "profile in code wins over AWS_PROFILE",
            vec![("AWS_PROFILE", "default")],
            Some("dev"),
            (ok("eu-west-1"), ok("DEVKEY")),
        ),
        (
            "env region still before the profile in code",
            vec![("AWS_REGION", "us-east-2")],
            Some("dev"),
            (ok("us-east-2"), ok("DEVKEY")),
        ),
    ];
    for (name, vars, profile, expected) in cases {
        let dir = TempDir::new("resolve-order");
        assert_eq!(resolve(&dir, &vars, profile), expected, "{name}");
    }
}

#[test]
fn resolution_errors() {
    let cases: Vec<Case<&[&str]>> = vec![
        (
            "missing profile in code",
            vec![],
            Some("prod"),
            &["profile `prod` is not defined", "defined profiles: default, dev, half, role"],
        ),
        (
            "missing AWS_PROFILE",
            vec![("AWS_PROFILE", "prod")],
            None,
            &["profile `prod` (AWS_PROFILE) is not defined", "credentials"],
        ),
        ("case-sensitive names", vec![], Some("Dev"), &["profile `Dev` is not defined"]),
        (
            "one key only",
            vec![("AWS_PROFILE", "half")],
            None,
            &["profile `half` has aws_access_key_id but no aws_secret_access_key (in "],
        ),
        ("unsupported form", vec![("AWS_PROFILE", "role")], None, &["profile `role`", "role_arn", "not supported yet"]),
        (
            "profile in code ignores env keys even when it fails",
            ENV_KEYS.to_vec(),
            Some("role"),
            &["not supported yet"],
        ),
    ];
    for (name, vars, profile, expected) in cases {
        let dir = TempDir::new("resolve-errors");
        let (_, credentials) = resolve(&dir, &vars, profile);
        let err = credentials.expect_err(name);
        for part in expected {
            assert!(err.contains(part), "{name}: {err}");
        }
        assert!(!err.contains("-secret") && !err.contains("-token"), "{name}: {err}");
    }
}

#[test]
fn nothing_configured_names_the_profile_and_files() {
    let dir = TempDir::new("resolve-nothing");
    let env = env_of(&[("AWS_CONFIG_FILE", &dir.path("config")), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("creds"))]);
    let mut resolver = Resolver::new(&env, None);
    let err = resolver.region().expect_err("no region").to_string();
    assert!(
        err.contains("no region: set AWS_REGION (or AWS_DEFAULT_REGION), or `region` in profile `default`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} (not found) and {} (not found)", dir.path("config"), dir.path("creds"))),
        "{err}"
    );
    let err = resolver.credentials().expect_err("no credentials").to_string();
    assert!(err.contains("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give"), "{err}");
    assert!(err.contains("profile `default`") && err.contains("(not found)"), "{err}");
}

#[test]
fn the_environment_alone_reads_no_file() {
    let dir = TempDir::new("resolve-env-only");
    let broken = dir.write("config", "[default\n");
    let mut vars = ENV_KEYS.to_vec();
    vars.extend([("AWS_REGION", "us-east-1"), ("AWS_CONFIG_FILE", broken.as_str())]);
    let env = env_of(&vars);
    let mut resolver = Resolver::new(&env, None);
    assert_eq!(resolver.region().expect("env region"), "us-east-1");
    assert_eq!(resolver.credentials().expect("env keys").access_key_id(), "ENVKEY");
    // Once a file is needed, its syntax error is reported.
    let env = env_of(&[("AWS_CONFIG_FILE", broken.as_str())]);
    let err = Resolver::new(&env, None).region().expect_err("malformed");
    assert!(err.message().contains("at line 1"), "{err}");
}
