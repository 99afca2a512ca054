//! The container provider against a loopback stand-in: URLs, authorization tokens, answers and
//! failures; and the default chain reaching it.

use std::time::{Duration, SystemTime};

use super::*;
use crate::credentials::fake_server::{FakeServer, Received, Reply};
use crate::credentials::{CredentialsErrorKind, DefaultChain, Env};
use crate::primitives::DateTime;
use crate::profile::ProfileSet;
use crate::test_support::TempDir;

const SECRET: &str = "container-secret-access-key";
const SESSION: &str = "container-session-token";
const CREDENTIALS: &str = r#"{
  "AccessKeyId": "ASIACONTAINER",
  "SecretAccessKey": "container-secret-access-key",
  "Token": "container-session-token",
  "AccountId": "123456789012",
  "Expiration": "2030-01-02T03:04:05Z"
}"#;
const ENV_TOKEN: &str = "Bearer env-authorization-token";
const FILE_TOKEN: &str = "Bearer file-authorization-token";

fn ctx_with(vars: &[(&str, &str)]) -> ProviderContext {
    ProviderContext::for_tests(Env::of(vars), ProfileSet::default(), "default")
}

/// Short deadlines and pauses, so failing cases stay fast.
const QUICK: Attempts = Attempts { count: 3, timeout: Duration::from_millis(300), pause: Duration::from_millis(10) };

async fn load(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
    ContainerProvider { ctx: ctx_with(vars), attempts: QUICK }.provide_credentials().await
}

/// A server answering `reply` to every request.
async fn answering(reply: Reply) -> FakeServer {
    FakeServer::start(move |_: &Received| reply.clone()).await
}

fn assert_no_secrets(text: &str) {
    for secret in [SECRET, SESSION, ENV_TOKEN, FILE_TOKEN, "env-authorization-token", "file-authorization-token"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn a_full_uri_on_loopback_with_a_token_from_the_environment() {
    let server = answering(Reply::new(200, CREDENTIALS)).await;
    let url = format!("{}/creds?id=1", server.url());
    let credentials = load(&[(FULL_URI_VAR, &url), (TOKEN_VAR, ENV_TOKEN)]).await.expect("credentials");
    assert_eq!(
        (credentials.access_key_id(), credentials.secret_access_key(), credentials.session_token()),
        ("ASIACONTAINER", SECRET, Some(SESSION))
    );
    let expected = SystemTime::try_from(DateTime::from_secs(1_893_553_445)).expect("in range");
    assert_eq!(credentials.expiry(), Some(expected));
    assert_no_secrets(&format!("{credentials:?}"));
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!((received[0].method.as_str(), received[0].target.as_str()), ("GET", "/creds?id=1"));
    assert_eq!(received[0].header("authorization"), Some(ENV_TOKEN));
    assert_eq!(received[0].header("accept"), Some("application/json"));
}

#[tokio::test]
async fn no_token_no_authorization_header() {
    let server = answering(Reply::new(200, CREDENTIALS)).await;
    load(&[(FULL_URI_VAR, &server.url())]).await.expect("credentials");
    assert_eq!(server.received()[0].header("authorization"), None);
}

#[tokio::test]
async fn the_token_file_wins_and_is_read_on_every_load() {
    let server = answering(Reply::new(200, CREDENTIALS)).await;
    let dir = TempDir::new("container-token");
    let path = dir.write("token", FILE_TOKEN);
    let url = server.url();
    let vars = [(FULL_URI_VAR, url.as_str()), (TOKEN_VAR, ENV_TOKEN), (TOKEN_FILE_VAR, path.as_str())];
    load(&vars).await.expect("credentials");
    dir.write("token", "Bearer rotated");
    load(&vars).await.expect("credentials");
    let tokens: Vec<_> = server.received().iter().map(|r| r.header("authorization").map(str::to_owned)).collect();
    assert_eq!(tokens, [Some(FILE_TOKEN.to_owned()), Some("Bearer rotated".to_owned())]);
}

#[tokio::test]
async fn tokens_with_line_breaks_are_refused_naming_the_variable() {
    let server = answering(Reply::new(200, CREDENTIALS)).await;
    let url = server.url();
    let dir = TempDir::new("container-token");
    let with_newline = dir.write("token", &format!("{FILE_TOKEN}\n"));
    let empty = dir.write("empty", "");
    let missing = dir.path("missing");
    let cases = [
        (
            (TOKEN_VAR, "Bearer env-authorization-token\r\nX-Injected: 1"),
            "the token in AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break",
        ),
        (
            (TOKEN_VAR, "Bearer env-authorization-token\u{7}"),
            "the token in AWS_CONTAINER_AUTHORIZATION_TOKEN contains a control character",
        ),
        (
            (TOKEN_FILE_VAR, with_newline.as_str()),
            "the token in the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        ),
        ((TOKEN_FILE_VAR, empty.as_str()), "is empty"),
        ((TOKEN_FILE_VAR, missing.as_str()), "could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
    ];
    for (token, expected) in cases {
        let err = load(&[(FULL_URI_VAR, &url), token]).await.expect_err(expected);
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration, "{err}");
        assert!(err.message().contains(expected), "{err}");
        assert_no_secrets(&err.to_string());
        assert_no_secrets(&format!("{err:?}"));
    }
    assert!(server.received().is_empty());
}

#[test]
fn which_full_uris_are_allowed() {
    let allowed = [
        "http://127.0.0.1:8080/creds",
        "http://127.1.2.3/creds",
        "http://[::1]:80/creds",
        "http://localhost:9911/creds",
        "http://LOCALHOST/creds",
        "http://169.254.170.2/v2/creds",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "https://creds.example.com/creds",
        "https://10.0.0.1/creds",
    ];
    for url in allowed {
        assert!(full_url(url).is_ok(), "{url}: {:?}", full_url(url));
    }
    let refused = [
        ("http://10.0.0.1/creds", "uses plain http to `10.0.0.1`, which is neither a loopback address"),
        ("http://169.254.169.254/creds", "uses plain http to `169.254.169.254`"),
        ("http://creds.example.com/creds", "uses plain http to `creds.example.com`"),
        ("http://localhost.example.com/", "uses plain http to `localhost.example.com`"),
        ("http://[fd00:ec2::24]/", "uses plain http to `[fd00:ec2::24]`"),
        ("ftp://127.0.0.1/creds", "is not an http:// or https:// URL"),
        ("/creds", "has no host"),
        ("http://exa mple/", "is not a valid URL"),
    ];
    for (url, expected) in refused {
        let why = full_url(url).expect_err(url);
        assert!(why.contains(expected), "{url}: {why}");
    }
}

#[test]
fn relative_uris_are_resolved_against_the_ecs_agent() {
    let uri = relative_url("/v2/credentials/abc-123?x=1").expect("a path");
    assert_eq!(uri.to_string(), "http://169.254.170.2/v2/credentials/abc-123?x=1");
    assert_eq!(relative_url("v2/credentials").expect_err("no slash"), "must be a path starting with `/`");
    assert_eq!(relative_url("/a b").expect_err("a space"), "is not a valid URL path");
}

#[test]
fn the_relative_uri_wins_over_the_full_uri_and_messages_hide_the_path() {
    let ctx = ctx_with(&[(RELATIVE_URI_VAR, "/v2/credentials/task-id"), (FULL_URI_VAR, "http://127.0.0.1/x")]);
    let found = endpoint(&ctx).expect("an endpoint");
    assert_eq!(found.uri.to_string(), "http://169.254.170.2/v2/credentials/task-id");
    assert_eq!((found.shown.as_str(), found.from), ("http://169.254.170.2", RELATIVE_URI_VAR));

    let err = endpoint(&ctx_with(&[(RELATIVE_URI_VAR, "v2")])).expect_err("no slash");
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(err.message(), "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting with `/`");

    let err = endpoint(&ctx_with(&[(FULL_URI_VAR, "http://10.1.2.3:8080/creds?token=hidden")])).expect_err("refused");
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        err.message()
            .starts_with("AWS_CONTAINER_CREDENTIALS_FULL_URI is `http://10.1.2.3:8080/creds`, which uses plain http"),
        "{err}"
    );
    assert!(!err.message().contains("hidden"), "{err}");

    let ctx = ctx_with(&[(FULL_URI_VAR, "http://user:password@127.0.0.1:9/creds")]);
    assert_eq!(endpoint(&ctx).expect("loopback").shown, "http://127.0.0.1:9");
    let err = endpoint(&ctx_with(&[(FULL_URI_VAR, "http://user:password@10.0.0.1/c?t=1")])).expect_err("refused");
    assert!(err.message().contains("`http://10.0.0.1/c`"), "{err}");
    assert!(!err.message().contains("password"), "{err}");
}

#[tokio::test]
async fn neither_variable_is_not_configured() {
    let err = load(&[(TOKEN_VAR, ENV_TOKEN)]).await.expect_err("not configured");
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(
        err.message(),
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set"
    );
}

#[tokio::test]
async fn an_error_status_gives_the_escaped_bounded_message() {
    let body = format!(r#"{{"code":"AccessDenied","message":"token expired\nforged: line {}"}}"#, "x".repeat(500));
    let server = answering(Reply::new(403, body)).await;
    let url = format!("{}/secret/path", server.url());
    let err = load(&[(FULL_URI_VAR, &url), (TOKEN_VAR, ENV_TOKEN)]).await.expect_err("denied");
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    let expected = format!(
        "the container credentials endpoint {} (from AWS_CONTAINER_CREDENTIALS_FULL_URI) answered HTTP 403: \
         AccessDenied: token expired\\nforged: line ",
        server.url()
    );
    assert!(err.message().starts_with(&expected), "{err}");
    assert!(err.message().ends_with("xxx…"), "bounded: {err}");
    assert!(!err.message().contains("/secret/path"), "{err}");
    assert_no_secrets(&err.to_string());
    assert_eq!(server.received().len(), 1, "a 4xx is not retried");

    let server = answering(Reply::new(500, format!("<html>{ENV_TOKEN}</html>"))).await;
    let err = load(&[(FULL_URI_VAR, &server.url()), (TOKEN_VAR, ENV_TOKEN)]).await.expect_err("failing");
    assert!(err.message().ends_with("answered HTTP 500"), "{err}");
    assert_eq!(server.received().len(), 3, "a 5xx is retried");

    let server = answering(Reply::new(401, r#"{"Message":"bad token"}"#)).await;
    let err = load(&[(FULL_URI_VAR, &server.url())]).await.expect_err("unauthorized");
    assert!(err.message().ends_with("answered HTTP 401: bad token"), "{err}");
}

#[tokio::test]
async fn garbage_fails_without_quoting_the_body() {
    let cases = [
        (format!("<html>{SECRET}</html>"), "answered with a body that is not JSON"),
        (
            format!(r#"{{"AccessKeyId":"A","SecretAccessKey":"{SECRET}","Expiration":"2030-01-02T03:04:05Z"}}"#),
            "answered with credentials without Token",
        ),
        (String::new(), "answered with an empty body"),
    ];
    for (body, expected) in cases {
        let server = answering(Reply::new(200, body)).await;
        let err = load(&[(FULL_URI_VAR, &server.url())]).await.expect_err(expected);
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(err.message().contains(expected), "{err}");
        assert_no_secrets(&err.to_string());
        assert_eq!(server.received().len(), 1, "not retried");
    }
}

#[tokio::test]
async fn a_hung_endpoint_fails_after_its_attempts() {
    let server = answering(Reply::new(200, CREDENTIALS).delayed(Duration::from_secs(30))).await;
    let err = load(&[(FULL_URI_VAR, &server.url())]).await.expect_err("no answer");
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(err.message().contains("in 3 attempts of 0.3 s: no answer within 0.3 s"), "{err}");
    assert_eq!(server.received().len(), 3);
}

#[test]
fn botocore_timing_is_the_default() {
    let provider = ContainerProvider::new(ctx_with(&[]));
    assert_eq!(
        provider.attempts,
        Attempts { count: 3, timeout: Duration::from_secs(2), pause: Duration::from_secs(1) }
    );
}

#[test]
fn the_provider_debug_shows_no_token() {
    let provider = ContainerProvider::new(ctx_with(&[(TOKEN_VAR, ENV_TOKEN)]));
    assert_no_secrets(&format!("{provider:?}"));
}

#[tokio::test]
async fn the_default_chain_reaches_container_credentials() {
    let server = answering(Reply::new(200, CREDENTIALS)).await;
    let dir = TempDir::new("container-chain");
    let (config, credentials) = (dir.path("config"), dir.path("credentials"));
    let url = format!("{}/creds", server.url());
    let env = Env::of(&[
        ("AWS_CONFIG_FILE", &config),
        ("AWS_SHARED_CREDENTIALS_FILE", &credentials),
        (FULL_URI_VAR, &url),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let profiles = ProfileSet::load(&|name| env.get(name)).expect("no files");
    let chain = DefaultChain::new(ProviderContext::for_tests(env, profiles, "default"));
    let found = chain.provide_credentials().await.expect("container credentials");
    assert_eq!(found.access_key_id(), "ASIACONTAINER");

    let chain = DefaultChain::new(ctx_with(&[("AWS_EC2_METADATA_DISABLED", "true")]));
    let err = chain.provide_credentials().await.expect_err("nothing configured");
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
    assert!(
        err.message().contains("container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set; instance metadata: disabled by AWS_EC2_METADATA_DISABLED"),
        "{err}"
    );
}
