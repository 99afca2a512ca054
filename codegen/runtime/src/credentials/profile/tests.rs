//! Plans read from profiles: which base credentials, which roles, and every misconfiguration.

use super::*;
use crate::credentials::Env;
use crate::profile::ProfileSet;
use crate::test_support::TempDir;

const CONFIG: &str = "\
[profile keys]
aws_access_key_id = AKID
aws_secret_access_key = s3cr3t
[profile role]
role_arn = arn:aws:iam::1:role/first
source_profile = keys
external_id = ext
role_session_name = mine
duration_seconds = 900
[profile chained]
role_arn = arn:aws:iam::1:role/second
source_profile = role
[profile self]
role_arn = arn:aws:iam::1:role/self
source_profile = self
aws_access_key_id = SELFKEY
aws_secret_access_key = s3cr3t
[profile keys-and-role]
role_arn = arn:aws:iam::1:role/ignored-as-source
aws_access_key_id = KRKEY
aws_secret_access_key = s3cr3t
[profile via-keys-and-role]
role_arn = arn:aws:iam::1:role/outer
source_profile = keys-and-role
[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a
[profile from-env]
role_arn = arn:aws:iam::1:role/env
credential_source = Environment
[profile from-imds]
role_arn = arn:aws:iam::1:role/imds
credential_source = Ec2InstanceMetadata
[profile from-ecs]
role_arn = arn:aws:iam::1:role/ecs
credential_source = EcsContainer
[profile bad-source]
role_arn = arn:aws:iam::1:role/x
credential_source = Lambda
[profile both]
role_arn = arn:aws:iam::1:role/x
credential_source = Environment
source_profile = keys
[profile neither]
role_arn = arn:aws:iam::1:role/x
[profile missing-source]
role_arn = arn:aws:iam::1:role/x
source_profile = nowhere
[profile empty-source]
role_arn = arn:aws:iam::1:role/x
source_profile = region-only
[profile region-only]
region = us-east-1
[profile mfa]
role_arn = arn:aws:iam::1:role/x
source_profile = keys
mfa_serial = arn:aws:iam::1:mfa/me
[profile bad-duration]
role_arn = arn:aws:iam::1:role/x
source_profile = keys
duration_seconds = an hour
[profile web]
role_arn = arn:aws:iam::1:role/web
web_identity_token_file = /var/token
[profile web-no-role]
web_identity_token_file = /var/token
[profile sso]
sso_session = corp
sso_account_id = 1
sso_role_name = Dev
[profile legacy-sso]
sso_start_url = https://corp.awsapps.com/start
[profile process]
credential_process = /bin/creds --json
[profile half]
aws_access_key_id = AKID
[profile role-over-keys]
role_arn = arn:aws:iam::1:role/wins
source_profile = keys
aws_access_key_id = UNUSED
aws_secret_access_key = s3cr3t
";

fn planned(profile: &str) -> Result<Planned, CredentialsError> {
    let dir = TempDir::new("profile-plan");
    let config = dir.write("config", CONFIG);
    let env = Env::of(&[("AWS_CONFIG_FILE", &config), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("none"))]);
    let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
    plan(&ProviderContext::for_tests(env, profiles, profile))
}

/// The base and the role ARNs of a plan.
fn outline(profile: &str) -> (Base, Vec<String>) {
    match planned(profile).unwrap_or_else(|err| panic!("{profile}: {err}")) {
        Planned::Plan(plan) => (plan.base, plan.roles.into_iter().map(|role| role.role_arn).collect()),
        Planned::Nothing(why) => panic!("{profile}: nothing planned: {why}"),
    }
}

fn arns(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| format!("arn:aws:iam::1:role/{name}")).collect()
}

#[test]
fn plans_of_each_form() {
    let keys = |name: &str| Base::StaticKeys(name.to_owned());
    assert_eq!(outline("keys"), (keys("keys"), vec![]));
    assert_eq!(outline("role"), (keys("keys"), arns(&["first"])));
    assert_eq!(outline("chained"), (keys("keys"), arns(&["first", "second"])));
    assert_eq!(outline("self"), (keys("self"), arns(&["self"])));
    assert_eq!(outline("via-keys-and-role"), (keys("keys-and-role"), arns(&["outer"])));
    assert_eq!(outline("role-over-keys"), (keys("keys"), arns(&["wins"])));
    assert_eq!(outline("from-env"), (Base::Source(CredentialSource::Environment), arns(&["env"])));
    assert_eq!(outline("from-imds"), (Base::Source(CredentialSource::Ec2InstanceMetadata), arns(&["imds"])));
    assert_eq!(outline("from-ecs"), (Base::Source(CredentialSource::EcsContainer), arns(&["ecs"])));
    assert_eq!(
        outline("web"),
        (
            Base::WebIdentity {
                profile: "web".into(),
                token_file: "/var/token".into(),
                role_arn: "arn:aws:iam::1:role/web".into(),
                session_name: None
            },
            vec![]
        )
    );
    assert_eq!(outline("sso"), (Base::Sso("sso".into()), vec![]));
    assert_eq!(outline("legacy-sso"), (Base::Sso("legacy-sso".into()), vec![]));
    assert_eq!(
        outline("process"),
        (Base::Process { profile: "process".into(), command: "/bin/creds --json".into() }, vec![])
    );
}

#[test]
fn role_settings_are_read() {
    let Ok(Planned::Plan(plan)) = planned("role") else { panic!("a plan") };
    let role = &plan.roles[0];
    assert_eq!(
        (role.profile.as_str(), role.external_id.as_deref(), role.session_name.as_deref(), role.duration_seconds),
        ("role", Some("ext"), Some("mine"), Some(900))
    );
}

#[test]
fn profiles_without_credentials_pass_to_the_next_provider() {
    for profile in ["region-only", "missing"] {
        assert!(matches!(planned(profile), Ok(Planned::Nothing(_))), "{profile}");
    }
}

#[test]
fn misconfigurations_are_reported() {
    let cases = [
        ("loop-a", "the source_profile chain `loop-a` -> `loop-b` -> `loop-a` is a cycle"),
        ("bad-source", "credential_source `Lambda`; expected Environment, Ec2InstanceMetadata or EcsContainer"),
        ("both", "sets both source_profile and credential_source"),
        ("neither", "has role_arn but neither source_profile nor credential_source"),
        ("keys-and-role", "profile `keys-and-role` has role_arn but neither source_profile nor credential_source"),
        ("missing-source", "profile `missing-source` names source_profile `nowhere`, which is not defined"),
        ("empty-source", "names source_profile `region-only`, which has no credentials"),
        ("mfa", "mfa_serial: assuming a role with an MFA code is not supported"),
        ("bad-duration", "duration_seconds `an hour`, which is not a whole number"),
        ("web-no-role", "has web_identity_token_file but no role_arn"),
        ("half", "profile `half` has aws_access_key_id but no aws_secret_access_key"),
    ];
    for (profile, expected) in cases {
        let err = planned(profile).expect_err(profile);
        assert_eq!(err.kind(), crate::credentials::CredentialsErrorKind::InvalidConfiguration, "{profile}");
        assert!(err.to_string().contains(expected), "{profile}: {err}");
        assert!(!err.to_string().contains("s3cr3t"), "{profile}: {err}");
    }
}

#[tokio::test]
async fn static_keys_with_a_line_break_are_refused_without_showing_them() {
    let dir = TempDir::new("profile-line-break");
    let config =
        dir.write("config", "[default]\naws_access_key_id = AKID\naws_secret_access_key = first-half\n  second-half\n");
    let env = Env::of(&[("AWS_CONFIG_FILE", &config), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("none"))]);
    let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
    let ctx = ProviderContext::for_tests(env, profiles, "default");
    let Ok(Planned::Plan(plan)) = plan(&ctx) else { panic!("a plan") };
    let err = execute(&ctx, &plan).await.expect_err("a line break");
    assert!(err.to_string().contains("aws_secret_access_key of profile `default` contains a line break"), "{err}");
    assert!(!err.to_string().contains("half"), "{err}");
}

#[tokio::test]
async fn a_credential_source_without_credentials_stops_the_chain() {
    let dir = TempDir::new("profile-empty-source");
    let config = dir.write("config", CONFIG);
    let vars = [
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-lite"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let env = Env::of(&vars);
    let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
    for (profile, source) in
        [("from-env", "Environment"), ("from-imds", "Ec2InstanceMetadata"), ("from-ecs", "EcsContainer")]
    {
        let ctx = ProviderContext::for_tests(env.clone(), profiles.clone(), profile);
        let err = ProfileProvider { ctx }.provide_credentials().await.expect_err(profile);
        assert_eq!(err.kind(), crate::credentials::CredentialsErrorKind::ProviderFailed, "{profile}: {err}");
        let expected = format!("profile `{profile}` names credential_source {source}, which has no credentials: ");
        assert!(err.to_string().contains(&expected), "{profile}: {err}");
    }
}

#[tokio::test]
async fn static_keys_carry_the_profile_account_id() {
    let dir = TempDir::new("profile-account-id");
    let config = dir.write(
        "config",
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\naws_account_id = 123456789012\n",
    );
    let env = Env::of(&[("AWS_CONFIG_FILE", &config), ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("none"))]);
    let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
    let ctx = ProviderContext::for_tests(env, profiles, "default");
    let Ok(Planned::Plan(plan)) = plan(&ctx) else { panic!("a plan") };
    let credentials = execute(&ctx, &plan).await.expect("static keys");
    assert_eq!(credentials.account_id(), Some("123456789012"));
}
