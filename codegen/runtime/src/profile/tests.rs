//! Loading and merging the two files.

use super::*;
use crate::test_support::{env_of, TempDir};

/// The profiles read from a config and a credentials file with these contents.
fn load(config: &str, credentials: &str) -> ProfileSet {
    let dir = TempDir::new("profile-load");
    let (config, credentials) = (dir.write("config", config), dir.write("credentials", credentials));
    let env = env_of(&[("AWS_CONFIG_FILE", &config), ("AWS_SHARED_CREDENTIALS_FILE", &credentials)]);
    ProfileSet::load(&env).expect("valid files")
}

fn value<'a>(set: &'a ProfileSet, profile: &str, key: &str) -> Option<&'a str> {
    set.profile(profile)?.get(key).map(|property| property.value.text.as_str())
}

#[test]
fn both_files_merge_and_the_credentials_file_wins() {
    let set = load(
        "[default]\nregion = us-east-1\naws_access_key_id = CONFIGKEY\n[profile dev]\nregion = eu-west-1\n",
        "[default]\naws_access_key_id = CREDKEY\n[ci]\naws_access_key_id = CI\n",
    );
    let cases = [
        ("default", "region", Some("us-east-1")),
        ("default", "aws_access_key_id", Some("CREDKEY")),
        ("dev", "region", Some("eu-west-1")),
        ("ci", "aws_access_key_id", Some("CI")),
        ("Dev", "region", None),
    ];
    for (profile, key, expected) in cases {
        assert_eq!(value(&set, profile, key), expected, "{profile}.{key}");
    }
    assert_eq!(set.profile_names(), ["ci", "default", "dev"]);
    let from = &set.profile("default").expect("default")["aws_access_key_id"].file;
    assert!(from.ends_with("credentials"), "{from:?}");
}

#[test]
fn missing_files_are_empty_and_listed() {
    let dir = TempDir::new("profile-missing");
    let env = env_of(&[("AWS_CONFIG_FILE", &dir.path("nope")), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("nah"))]);
    let set = ProfileSet::load(&env).expect("missing files are fine");
    assert!(set.profile_names().is_empty());
    let files = set.files().to_string();
    assert!(files.contains("nope (not found) and ") && files.ends_with("nah (not found)"), "{files}");
}

#[test]
fn default_paths_are_under_home() {
    let dir = TempDir::new("profile-home");
    std::fs::create_dir_all(std::path::Path::new(&dir.path(".aws"))).expect("mkdir");
    dir.write(".aws/credentials", "[default]\naws_access_key_id = HOMEKEY\n");
    let set = ProfileSet::load(&env_of(&[("HOME", &dir.path(""))])).expect("valid");
    assert_eq!(value(&set, "default", "aws_access_key_id"), Some("HOMEKEY"));
    let env = [
        ("HOME", dir.path("")),
        ("AWS_CONFIG_FILE", "~/.aws/credentials".into()),
        ("AWS_SHARED_CREDENTIALS_FILE", dir.path("none")),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let set = ProfileSet::load(&env_of(&env)).expect("`~` expands in configured paths too");
    assert_eq!(value(&set, "default", "aws_access_key_id"), Some("HOMEKEY"));
    // Without a home directory the default paths are not looked at.
    let set = ProfileSet::load(&env_of(&[])).expect("no home");
    assert_eq!(set.files().to_string(), "~/.aws/config (not found) and ~/.aws/credentials (not found)");
}

#[test]
fn expand_home_cases() {
    let cases = [
        ("~/.aws/config", Some("/home/me"), Some("/home/me/.aws/config")),
        ("~", Some("/home/me/"), Some("/home/me")),
        ("/etc/aws", None, Some("/etc/aws")),
        ("~other/x", Some("/home/me"), Some("~other/x")),
        ("~/x", None, None),
    ];
    for (path, home, expected) in cases {
        assert_eq!(expand_home(path, home), expected.map(PathBuf::from), "{path}");
    }
}

#[test]
fn malformed_files_name_the_file_and_line() {
    let dir = TempDir::new("profile-malformed");
    let config = dir.write("config", "[default]\nregion = us-east-1\n\n[profile dev\n");
    let env = env_of(&[("AWS_CONFIG_FILE", &config), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("none"))]);
    let err = ProfileSet::load(&env).expect_err("malformed");
    assert!(err.message().contains(&format!("{config} at line 4")), "{err}");
    assert!(err.message().contains("must end with `]`"), "{err}");

    let credentials = dir.path("credentials");
    std::fs::write(&credentials, b"[default]\naws_access_key_id = \xff\n").expect("write");
    let env = env_of(&[("AWS_CONFIG_FILE", &dir.path("none")), ("AWS_SHARED_CREDENTIALS_FILE", &credentials)]);
    let err = ProfileSet::load(&env).expect_err("not UTF-8");
    assert!(err.message().contains(&credentials) && err.message().contains("UTF-8"), "{err}");

    // A directory where a file is expected cannot be read.
    let env = env_of(&[("AWS_CONFIG_FILE", &dir.path("")), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("none"))]);
    let err = ProfileSet::load(&env).expect_err("a directory");
    assert!(err.message().starts_with("cannot read"), "{err}");
}

#[test]
fn debug_output_never_shows_secrets() {
    let set = load(
        "[default]\nregion = us-east-1\n",
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRETKEY\naws_session_token = TOKENVALUE\n",
    );
    let shown = format!("{set:?}");
    assert!(shown.contains("aws_secret_access_key"), "keys are shown: {shown}");
    for secret in ["SECRETKEY", "TOKENVALUE"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}
