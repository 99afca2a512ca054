//! SSO profiles against a loopback SSO portal: both forms, the token cache, every failure, and
//! secrets kept out of messages and logs.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::*;
use crate::config::ConfiguredEndpoints;
use crate::credentials::fake_server::{FakeServer, Received, Reply};
use crate::credentials::process::tests::with_captured_tracing;
use crate::credentials::profile::{execute, plan, Base, Planned};
use crate::credentials::{CredentialsErrorKind, DefaultChain, Env, ProvideCredentials};
use crate::profile::ProfileSet;
use crate::retry::RetryConfig;
use crate::test_support::TempDir;

const CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev Role
region = us-west-2
[sso-session corp]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
[profile legacy]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_account_id = 210987654321
sso_role_name = ReadOnly
[profile agree]
sso_session = corp
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Dev
[profile disagree]
sso_session = corp
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = Dev
[profile no-session]
sso_session = nowhere
sso_account_id = 123456789012
sso_role_name = Dev
[profile lacks]
sso_session = partial
[sso-session partial]
sso_start_url = https://partial.awsapps.com/start
[profile legacy-lacks]
sso_start_url = https://d-abc123.awsapps.com/start
sso_account_id = 1
[profile bad-region]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us east 1
sso_account_id = 1
sso_role_name = Dev
";

/// `https://d-abc123.awsapps.com/start`, the cross-SDK example start URL.
const START_URL_KEY: &str = "40a89917e3175433e361b710a9d43528d7f1890a";
/// SHA-1 of `corp`.
const CORP_KEY: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f";

const ACCESS_TOKEN: &str = "sso-access-token-value";
const SECRET_KEY: &str = "sso-role-secret-key";
const SESSION_TOKEN: &str = "sso-role-session-token";

/// 2024-05-01T12:00:00Z, the tests' now.
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_564_800)
}

/// A token cache file expiring at `expires_at`.
fn token_json(expires_at: &str) -> String {
    format!(
        r#"{{"startUrl":"https://d-abc123.awsapps.com/start","region":"us-east-1","accessToken":"{ACCESS_TOKEN}","expiresAt":"{expires_at}","clientId":"c","clientSecret":"client-secret","refreshToken":"sso-refresh-token-value"}}"#
    )
}

/// The portal's answer: credentials expiring at 2024-05-01T13:00:00Z.
fn role_json() -> String {
    format!(
        r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO","secretAccessKey":"{SECRET_KEY}","sessionToken":"{SESSION_TOKEN}","expiration":1714568400000}}}}"#
    )
}

/// A temp HOME with the shared config and a token cache directory.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new(label: &str) -> Home {
        let dir = TempDir::new(label);
        std::fs::create_dir_all(dir.path("home/.aws/sso/cache")).expect("create the token cache directory");
        dir.write("home/.aws/config", CONFIG);
        Home { dir }
    }

    /// Writes the token cache file `key.json`.
    fn token(&self, key: &str, json: &str) -> String {
        self.dir.write(&format!("home/.aws/sso/cache/{key}.json"), json)
    }

    /// A context for `profile` whose SSO calls go to `portal` (else to a closed loopback
    /// port, never out), at [`now`], without retries.
    fn context(&self, profile: &str, portal: Option<&str>) -> ProviderContext {
        let home = self.dir.path("home");
        let env = Env::of(&[("HOME", &home), ("AWS_ENDPOINT_URL_SSO", portal.unwrap_or("http://127.0.0.1:9"))]);
        let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
        let endpoints = ConfiguredEndpoints::load(&env, &profiles, profile).expect("valid endpoints");
        let mut ctx = ProviderContext::for_tests(env, profiles, profile);
        ctx.endpoints = endpoints;
        ctx.clock = Arc::new(now);
        ctx.retry = RetryConfig::default().with_max_attempts(1);
        ctx
    }
}

/// A portal answering every request with `reply`.
async fn portal(reply: Reply) -> FakeServer {
    FakeServer::start(move |_: &Received| reply.clone()).await
}

/// The error `profile` fails with, of `kind`.
async fn failure(ctx: &ProviderContext, profile: &str, kind: CredentialsErrorKind) -> String {
    match credentials(ctx, profile).await {
        Ok(credentials) => panic!("{profile}: {credentials:?}"),
        Err(err) => {
            assert_eq!(err.kind(), kind, "{err}");
            assert_eq!(err.provider(), "IAM Identity Center");
            err.to_string()
        }
    }
}

fn settings_with(session: Option<&str>, start_url: &str) -> Settings {
    Settings {
        profile: "p".into(),
        session: session.map(str::to_owned),
        start_url: start_url.into(),
        region: "us-east-1".into(),
        account_id: "1".into(),
        role_name: "r".into(),
    }
}

#[test]
fn cache_file_names_are_the_sha1_of_the_session_name_or_the_start_url() {
    // The token provider test vectors the AWS SDKs share.
    let vectors = [
        ("https://d-abc123.awsapps.com/start", START_URL_KEY),
        ("https://d-abc123.awsapps.com", "ab6e8a5ac0e97bd6867ae3eacd5fd7dc0cd4de86"),
        ("https://vanity.example.com", "7ed69759fe20aa3027c01db4b744e1437b0c8f4f"),
    ];
    for (start_url, key) in vectors {
        assert_eq!(settings_with(None, start_url).cache_key(), key, "{start_url}");
    }
    assert_eq!(settings_with(Some("admin"), START_URL_KEY).cache_key(), "d033e22ae348aeb5660fc2140aec35850c4da997");
    assert_eq!(settings_with(Some("corp"), "ignored").cache_key(), CORP_KEY);
}

#[test]
fn login_hints_quote_unusual_names() {
    assert_eq!(settings_with(Some("corp"), "u").login(), "aws sso login --sso-session corp");
    assert_eq!(settings_with(Some("my corp's"), "u").login(), r"aws sso login --sso-session 'my corp'\''s'");
    assert_eq!(settings_with(None, "u").login(), "aws sso login --profile p");
}

#[tokio::test]
async fn a_session_profile_gets_role_credentials_from_the_portal() {
    let home = Home::new("sso-session");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let server = portal(Reply::new(200, role_json())).await;
    let ctx = home.context("dev", Some(&server.url()));
    let credentials = credentials(&ctx, "dev").await.expect("role credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(credentials.secret_access_key(), SECRET_KEY);
    assert_eq!(credentials.account_id(), Some("123456789012"), "the profile's SSO account");
    assert_eq!(credentials.session_token(), Some(SESSION_TOKEN));
    assert_eq!(credentials.expiry(), Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_568_400)));

    let received = server.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/federation/credentials?role_name=Dev%20Role&account_id=123456789012");
    assert_eq!(request.header("x-amz-sso_bearer_token"), Some(ACCESS_TOKEN));
    assert_eq!(request.header("authorization"), None, "the call is not signed");
    assert_eq!(request.header("x-amz-date"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_legacy_profile_reads_the_token_named_by_its_start_url() {
    let home = Home::new("sso-legacy");
    // The older CLI's `UTC` suffix.
    home.token(START_URL_KEY, &token_json("2024-05-01T12:30:00UTC"));
    let server = portal(Reply::new(200, role_json())).await;
    let ctx = home.context("legacy", Some(&server.url()));
    let credentials = credentials(&ctx, "legacy").await.expect("role credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(server.received()[0].target, "/federation/credentials?role_name=ReadOnly&account_id=210987654321");
}

#[tokio::test]
async fn the_default_endpoint_is_the_regional_portal() {
    let home = Home::new("sso-endpoint");
    let mut ctx = home.context("dev", None);
    ctx.endpoints = ConfiguredEndpoints::default();
    let config = ctx.client_config("eu-central-1", None).expect("valid config");
    let endpoint = crate::endpoint::resolve_endpoint(&SSO, &config, None).expect("an endpoint");
    assert_eq!(endpoint.to_string(), "https://portal.sso.eu-central-1.amazonaws.com/");
}

#[tokio::test]
async fn a_profile_may_repeat_its_sessions_values_but_not_contradict_them() {
    let home = Home::new("sso-agree");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let server = portal(Reply::new(200, role_json())).await;
    let ctx = home.context("agree", Some(&server.url()));
    credentials(&ctx, "agree").await.expect("agreeing values are fine");

    let ctx = home.context("disagree", Some(&server.url()));
    let message = failure(&ctx, "disagree", CredentialsErrorKind::InvalidConfiguration).await;
    assert!(
        message.contains("profile `disagree` has sso_region `eu-west-1` but its sso-session `corp` has `us-east-1`"),
        "{message}"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn missing_settings_are_named_with_their_section() {
    let home = Home::new("sso-missing");
    let config = home.dir.path("home/.aws/config");
    let ctx = home.context("lacks", None);
    let message = failure(&ctx, "lacks", CredentialsErrorKind::InvalidConfiguration).await;
    assert!(
        message.contains(&format!(
            "profile `lacks` is configured for IAM Identity Center (SSO) but lacks sso_account_id, sso_role_name (in {config})"
        )),
        "{message}"
    );
    assert!(
        message.contains("sso-session `partial` is configured for IAM Identity Center (SSO) but lacks sso_region"),
        "{message}"
    );

    let ctx = home.context("legacy-lacks", None);
    let message = failure(&ctx, "legacy-lacks", CredentialsErrorKind::InvalidConfiguration).await;
    assert!(
        message.contains(
            "profile `legacy-lacks` is configured for IAM Identity Center (SSO) but lacks sso_region, sso_role_name"
        ),
        "{message}"
    );

    let ctx = home.context("no-session", None);
    let message = failure(&ctx, "no-session", CredentialsErrorKind::InvalidConfiguration).await;
    assert!(
        message.contains("names sso_session `nowhere`, but no [sso-session nowhere] section is defined"),
        "{message}"
    );

    let ctx = home.context("bad-region", None);
    let message = failure(&ctx, "bad-region", CredentialsErrorKind::ProviderFailed).await;
    assert!(message.contains("no cached SSO token"), "the token is read first: {message}");
    home.token(START_URL_KEY, &token_json("2024-05-01T13:00:00Z"));
    let message = failure(&ctx, "bad-region", CredentialsErrorKind::InvalidConfiguration).await;
    assert!(message.contains("(sso_region `us east 1`)") && message.contains("invalid region"), "{message}");
}

#[tokio::test]
async fn a_missing_token_tells_how_to_log_in() {
    let home = Home::new("sso-no-token");
    let ctx = home.context("dev", None);
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    let path = home.dir.path(&format!("home/.aws/sso/cache/{CORP_KEY}.json"));
    assert!(
        message.contains(&format!(
            "no cached SSO token for session `corp` (looked at {path}); run `aws sso login --sso-session corp`"
        )),
        "{message}"
    );

    let ctx = home.context("legacy", None);
    let message = failure(&ctx, "legacy", CredentialsErrorKind::ProviderFailed).await;
    assert!(
        message.contains("no cached SSO token for start URL `https://d-abc123.awsapps.com/start` of profile `legacy`"),
        "{message}"
    );
    assert!(message.contains(&format!("{START_URL_KEY}.json); run `aws sso login --profile legacy`")), "{message}");

    let mut ctx = home.context("dev", None);
    ctx.env = Env::of(&[]);
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(message.contains("the home directory is unknown"), "{message}");
}

#[tokio::test]
async fn an_expired_token_is_not_sent() {
    let home = Home::new("sso-expired");
    home.token(CORP_KEY, &token_json("2024-05-01T11:00:00Z"));
    let server = portal(Reply::new(200, role_json())).await;
    let ctx = home.context("dev", Some(&server.url()));
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(
        message.contains(
            "the SSO token of session `corp` expired at 2024-05-01T11:00:00Z; run `aws sso login --sso-session corp`"
        ),
        "{message}"
    );
    // Expiring exactly now is expired too.
    home.token(CORP_KEY, &token_json("2024-05-01T12:00:00Z"));
    failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_malformed_cache_file_is_named_but_not_quoted() {
    let home = Home::new("sso-malformed");
    let ctx = home.context("dev", None);
    let cases = [
        (format!(r#"{{"accessToken": "{ACCESS_TOKEN}", "#), "is not valid JSON: it ends early (line 1, column"),
        (format!("accessToken={ACCESS_TOKEN}"), "is not valid JSON (line 1, column"),
        (format!(r#"["{ACCESS_TOKEN}"]"#), "is not a JSON object"),
        (r#"{"expiresAt":"2024-05-01T13:00:00Z"}"#.to_owned(), "has no accessToken"),
        (r#"{"accessToken":"","expiresAt":"2024-05-01T13:00:00Z"}"#.to_owned(), "has an empty accessToken"),
        (r#"{"accessToken":7,"expiresAt":"2024-05-01T13:00:00Z"}"#.to_owned(), "has accessToken as a number"),
        (format!(r#"{{"accessToken":"{ACCESS_TOKEN}"}}"#), "has no expiresAt"),
        (
            format!(r#"{{"accessToken":"{ACCESS_TOKEN}","expiresAt":"tomorrow-ish"}}"#),
            "has an expiresAt that is not an RFC 3339 timestamp",
        ),
        (
            format!(r#"{{"accessToken":"{ACCESS_TOKEN}\nmore","expiresAt":"2024-05-01T13:00:00Z"}}"#),
            "has an accessToken with characters an HTTP header cannot carry",
        ),
        (
            format!(r#"{{"accessToken":"{ACCESS_TOKEN}\u0001","expiresAt":"2024-05-01T13:00:00Z"}}"#),
            "has an accessToken with characters an HTTP header cannot carry",
        ),
    ];
    for (json, expected) in cases {
        let path = home.token(CORP_KEY, &json);
        let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
        assert!(message.contains(&format!("the SSO token cache file {path} {expected}")), "{json}: {message}");
        assert!(message.contains("run `aws sso login --sso-session corp` to replace it"), "{message}");
        assert!(!message.contains(ACCESS_TOKEN) && !message.contains("tomorrow-ish"), "{message}");
    }
}

#[tokio::test]
async fn a_rejected_token_tells_to_log_in_again() {
    let home = Home::new("sso-unauthorized");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let server = portal(
        Reply::new(401, r#"{"message":"Session token not found or invalid"}"#)
            .header("x-amzn-errortype", "UnauthorizedException")
            .header("x-amzn-requestid", "req-1"),
    )
    .await;
    let ctx = home.context("dev", Some(&server.url()));
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(
        message.contains(
            "the SSO portal rejected the SSO token of session `corp` for role `Dev Role` in account `123456789012` \
             (UnauthorizedException, HTTP 401: Session token not found or invalid; request id req-1)"
        ),
        "{message}"
    );
    assert!(message.ends_with("run `aws sso login --sso-session corp`"), "{message}");

    // A code in the body alone, with another status, is recognized too.
    let server = portal(Reply::new(400, r#"{"__type":"ForbiddenException","message":"no"}"#)).await;
    let ctx = home.context("dev", Some(&server.url()));
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(message.contains("(ForbiddenException, HTTP 400: no)") && message.contains("aws sso login"), "{message}");
}

#[tokio::test]
async fn other_errors_show_status_code_and_a_bounded_escaped_message() {
    let home = Home::new("sso-errors");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let long = "x".repeat(5000);
    let body = format!(r#"{{"message":"no such role\n\u001b[31m{long}"}}"#);
    let server = portal(Reply::new(404, body).header("x-amzn-errortype", "ResourceNotFoundException")).await;
    let ctx = home.context("dev", Some(&server.url()));
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(
        message.contains(
            r"GetRoleCredentials for role `Dev Role` in account `123456789012` failed (ResourceNotFoundException, HTTP 404: no such role\n\u{1b}[31mxxx"
        ),
        "{message}"
    );
    assert!(message.len() < 600, "{} characters", message.len());
    assert!(!message.contains("aws sso login"), "{message}");

    let server = portal(Reply::new(500, "")).await;
    let ctx = home.context("dev", Some(&server.url()));
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(message.contains("failed (unknown error, HTTP 500)"), "{message}");
}

#[tokio::test]
async fn an_unreachable_portal_is_a_provider_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let url = format!("http://127.0.0.1:{}", listener.local_addr().expect("bound").port());
    drop(listener);
    let home = Home::new("sso-unreachable");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let ctx = home.context("dev", Some(&url));
    let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
    assert!(message.contains("GetRoleCredentials for role `Dev Role` in account `123456789012` failed: "), "{message}");
}

#[tokio::test]
async fn a_bad_response_is_named_but_not_quoted() {
    let home = Home::new("sso-bad-response");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let cases = [
        (format!("secretAccessKey={SECRET_KEY}"), "is not valid JSON (line 1, column"),
        ("{}".to_owned(), "has no roleCredentials"),
        (r#"{"roleCredentials":[]}"#.to_owned(), "has roleCredentials as an array, not an object"),
        (
            format!(r#"{{"roleCredentials":{{"accessKeyId":"A","secretAccessKey":"{SECRET_KEY}","expiration":1}}}}"#),
            "has no roleCredentials.sessionToken",
        ),
        (
            format!(r#"{{"roleCredentials":{{"secretAccessKey":"{SECRET_KEY}","sessionToken":"T","expiration":1}}}}"#),
            "has no roleCredentials.accessKeyId",
        ),
        (
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"A","secretAccessKey":"{SECRET_KEY}","sessionToken":"T","expiration":"soon"}}}}"#
            ),
            "has roleCredentials.expiration as a string, not a number",
        ),
        (
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"A","secretAccessKey":"{SECRET_KEY}","sessionToken":"T"}}}}"#
            ),
            "has no roleCredentials.expiration",
        ),
    ];
    for (body, expected) in cases {
        let server = portal(Reply::new(200, body.clone())).await;
        let ctx = home.context("dev", Some(&server.url()));
        let message = failure(&ctx, "dev", CredentialsErrorKind::ProviderFailed).await;
        assert!(
            message.contains(&format!(
                "the SSO portal's GetRoleCredentials response for role `Dev Role` in account `123456789012` {expected}"
            )),
            "{body}: {message}"
        );
        assert!(!message.contains(SECRET_KEY), "{message}");
    }
}

#[tokio::test]
async fn a_profile_plan_and_the_default_chain_use_sso() {
    let home = Home::new("sso-plan");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let server = portal(Reply::new(200, role_json())).await;
    let ctx = home.context("dev", Some(&server.url()));
    let Planned::Plan(plan) = plan(&ctx).expect("valid profile") else { panic!("nothing planned") };
    assert_eq!(plan.base, Base::Sso("dev".into()));
    assert!(plan.roles.is_empty());
    let credentials = execute(&ctx, &plan).await.expect("role credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");

    let credentials = DefaultChain::new(ctx).provide_credentials().await.expect("the chain's credentials");
    assert_eq!(credentials.session_token(), Some(SESSION_TOKEN));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_tracing() {
    let home = Home::new("sso-secrets");
    home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let ok = portal(Reply::new(200, role_json())).await;
    let unauthorized = portal(Reply::new(401, r#"{"message":"Session token not found or invalid"}"#)).await;
    let garbled = portal(Reply::new(200, format!("{SECRET_KEY} {SESSION_TOKEN}"))).await;
    let (outcomes, logged) = with_captured_tracing(async {
        let mut outcomes = Vec::new();
        for server in [&ok, &unauthorized, &garbled] {
            outcomes.push(credentials(&home.context("dev", Some(&server.url())), "dev").await);
        }
        outcomes
    })
    .await;
    assert!(
        logged.contains("loading the cached SSO token") && logged.contains("calling SSO GetRoleCredentials"),
        "{logged}"
    );
    let path = home.token(CORP_KEY, &token_json("2024-05-01T13:00:00Z"));
    let token = parse_token(&std::fs::read(&path).expect("the token file")).expect("a valid token");
    let mut texts = vec![logged, format!("{token:?}"), format!("{:?}", home.context("dev", None))];
    for outcome in &outcomes {
        texts.push(match outcome {
            Ok(credentials) => format!("{credentials:?}"),
            Err(err) => format!("{err} {err:?}"),
        });
    }
    assert!(outcomes[0].is_ok() && outcomes[1].is_err() && outcomes[2].is_err());
    for text in &texts {
        for secret in [ACCESS_TOKEN, SECRET_KEY, SESSION_TOKEN, "client-secret", "sso-refresh-token-value"] {
            assert!(!text.contains(secret), "`{secret}` in {text}");
        }
    }
}
