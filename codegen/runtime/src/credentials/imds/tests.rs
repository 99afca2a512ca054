//! The IMDSv2 flow against a loopback stand-in: tokens, roles, credentials, failures of every
//! kind, how fast the provider gives up, the endpoint settings and the region.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::credentials::fake_server::{FakeServer, Received, Reply};
use crate::credentials::{CredentialsErrorKind, Env};
use crate::primitives::DateTime;
use crate::profile::ProfileSet;
use crate::test_support::TempDir;

const TOKEN: &str = "imds-session-token-value";
const SECRET: &str = "imds-secret-access-key";
const SESSION: &str = "imds-session-token-of-the-role";
const CREDENTIALS: &str = r#"{
  "Code" : "Success",
  "LastUpdated" : "2030-01-01T00:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIAIMDS",
  "SecretAccessKey" : "imds-secret-access-key",
  "Token" : "imds-session-token-of-the-role",
  "Expiration" : "2030-01-02T03:04:05Z"
}"#;

/// A metadata service with role `my-role` whose credentials document is `credentials`. It
/// checks the token TTL header and the token, as IMDS does.
fn imds(credentials: &str) -> impl Fn(&Received) -> Reply + Send + Sync + 'static {
    let credentials = credentials.to_owned();
    move |request| match (request.method.as_str(), request.target.as_str()) {
        ("PUT", "/latest/api/token") if request.header("x-aws-ec2-metadata-token-ttl-seconds") == Some("21600") => {
            Reply::new(200, TOKEN)
        }
        ("PUT", _) => Reply::new(400, ""),
        _ if request.header("x-aws-ec2-metadata-token") != Some(TOKEN) => Reply::new(401, ""),
        ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::new(200, "my-role\nsecond-line"),
        ("GET", "/latest/meta-data/iam/security-credentials/my-role") => Reply::new(200, credentials.clone()),
        ("GET", "/latest/meta-data/placement/region") => Reply::new(200, "eu-west-3\n"),
        _ => Reply::new(404, ""),
    }
}

fn ctx_with(vars: &[(&str, &str)]) -> ProviderContext {
    ProviderContext::for_tests(Env::of(vars), ProfileSet::default(), "default")
}

/// A context whose metadata endpoint is `url`, plus `vars`.
fn ctx_at(url: &str, vars: &[(&str, &str)]) -> ProviderContext {
    let mut all = vec![(ENDPOINT_VAR, url)];
    all.extend_from_slice(vars);
    ctx_with(&all)
}

async fn load(server: &FakeServer) -> Result<Credentials, CredentialsError> {
    ImdsProvider::new(ctx_at(&server.url(), &[])).provide_credentials().await
}

/// A loopback port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("bound address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn assert_no_secrets(text: &str) {
    for secret in [TOKEN, SECRET, SESSION] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn the_token_flow_gives_expiring_credentials() {
    let server = FakeServer::start(imds(CREDENTIALS)).await;
    let credentials = load(&server).await.expect("credentials");
    assert_eq!(
        (credentials.access_key_id(), credentials.secret_access_key(), credentials.session_token()),
        ("ASIAIMDS", SECRET, Some(SESSION))
    );
    let expected = SystemTime::try_from(DateTime::from_secs(1_893_553_445)).expect("in range");
    assert_eq!(credentials.expiry(), Some(expected));
    assert_no_secrets(&format!("{credentials:?}"));

    let received = server.received();
    let requests: Vec<_> = received.iter().map(|r| (r.method.as_str(), r.target.as_str())).collect();
    assert_eq!(
        requests,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role"),
        ]
    );
    assert_eq!(received[0].header("x-aws-ec2-metadata-token-ttl-seconds"), Some("21600"));
    assert_eq!(received[0].header("x-aws-ec2-metadata-token"), None);
    for get in &received[1..] {
        assert_eq!(get.header("x-aws-ec2-metadata-token"), Some(TOKEN));
    }
}

#[tokio::test]
async fn an_endpoint_with_a_trailing_slash_or_a_path_prefix_is_joined_cleanly() {
    let server = FakeServer::start(|request: &Received| match request.target.as_str() {
        "/prefix/latest/api/token" => Reply::new(200, TOKEN),
        "/prefix/latest/meta-data/placement/region" => Reply::new(200, "ap-south-2"),
        _ => Reply::new(404, ""),
    })
    .await;
    let ctx = ctx_at(&format!("{}/prefix/", server.url()), &[]);
    assert_eq!(region(&ctx).await.as_deref(), Some("ap-south-2"));
}

#[tokio::test]
async fn an_instance_without_a_role_is_not_configured() {
    for roles in [Reply::new(404, "<html>not found</html>"), Reply::new(200, "\n")] {
        let server = FakeServer::start(move |request: &Received| match request.method.as_str() {
            "PUT" => Reply::new(200, TOKEN),
            _ => roles.clone(),
        })
        .await;
        let err = load(&server).await.expect_err("no role");
        assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured, "{err}");
        assert!(err.message().contains("the instance has no IAM role"), "{err}");
    }
}

#[tokio::test]
async fn an_error_code_names_the_code_and_the_escaped_message() {
    let body = r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role my-role.\nforged: line","LastUpdated":"2030-01-01T00:00:00Z"}"#;
    let server = FakeServer::start(imds(body)).await;
    let err = load(&server).await.expect_err("an error document");
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed, "{err}");
    assert!(
        err.message().contains(
            "could not give credentials for role `my-role`: code AssumeRoleUnauthorizedAccess: EC2 cannot assume \
             the role my-role.\\nforged: line"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn garbage_and_incomplete_credentials_fail_without_quoting_the_body() {
    let cases = [
        ("<html>imds-secret-access-key</html>", "a body that is not JSON"),
        ("[\"imds-secret-access-key\"]", "JSON that is not an object"),
        (
            r#"{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"imds-secret-access-key","Expiration":"2030-01-02T03:04:05Z"}"#,
            "credentials without Token",
        ),
        (
            r#"{"AccessKeyId":"A","SecretAccessKey":"imds-secret-access-key","Token":"t","Expiration":"soon"}"#,
            "Expiration is not an RFC 3339 date-time",
        ),
        (r#"{"Code":7}"#, "Code is not a string"),
    ];
    for (body, expected) in cases {
        let server = FakeServer::start(imds(body)).await;
        let err = load(&server).await.expect_err(body);
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed, "{err}");
        assert!(err.message().contains(expected), "{body}: {err}");
        assert_no_secrets(&err.to_string());
        assert_no_secrets(&format!("{err:?}"));
    }
}

#[tokio::test]
async fn a_hung_service_is_not_configured_within_3_seconds() {
    let server = FakeServer::start(|_: &Received| Reply::new(200, TOKEN).delayed(Duration::from_secs(30))).await;
    let started = Instant::now();
    let err = load(&server).await.expect_err("no answer");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured, "{err}");
    assert!(err.message().contains("was not reachable within 1 s (2 attempts; no answer within 1 s)"), "{err}");
    assert_eq!(server.received().len(), 2, "one retry");
    let started = Instant::now();
    assert_eq!(region(&ctx_at(&server.url(), &[])).await, None);
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_closed_port_is_not_configured_at_once() {
    let url = closed_port_url();
    let started = Instant::now();
    let err = ImdsProvider::new(ctx_at(&url, &[])).provide_credentials().await.expect_err("nothing listens");
    // Refused at once, then once more after a short pause: well under the hung case's 2 s.
    assert!(started.elapsed() < Duration::from_millis(1500), "took {:?}", started.elapsed());
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured, "{err}");
    assert!(err.message().contains(&format!("the instance metadata service at {url} was not reachable")), "{err}");
}

#[tokio::test]
async fn a_disabled_service_is_not_asked() {
    let server = FakeServer::start(imds(CREDENTIALS)).await;
    for value in ["true", "TRUE", " True "] {
        let ctx = ctx_at(&server.url(), &[("AWS_EC2_METADATA_DISABLED", value)]);
        let err = ImdsProvider::new(ctx.clone()).provide_credentials().await.expect_err("disabled");
        assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
        assert_eq!(err.message(), "disabled by AWS_EC2_METADATA_DISABLED");
        assert_eq!(region(&ctx).await, None);
    }
    assert!(server.received().is_empty());
    let ctx = ctx_at(&server.url(), &[("AWS_EC2_METADATA_DISABLED", "false")]);
    ImdsProvider::new(ctx).provide_credentials().await.expect("enabled");
}

#[tokio::test]
async fn token_refusals_say_why() {
    let cases = [
        (403, CredentialsErrorKind::ProviderFailed, "refused an IMDSv2 session token (HTTP 403)"),
        (405, CredentialsErrorKind::ProviderFailed, "it serves IMDSv1 only, and only IMDSv2 is supported"),
        (400, CredentialsErrorKind::ProviderFailed, "rejected the IMDSv2 session token request (HTTP 400)"),
        (404, CredentialsErrorKind::NotConfigured, "has no IMDSv2 session token endpoint (HTTP 404)"),
        (401, CredentialsErrorKind::ProviderFailed, "answered the session token request with HTTP 401"),
    ];
    for (status, kind, expected) in cases {
        let server = FakeServer::start(move |_: &Received| Reply::new(status, "")).await;
        let err = load(&server).await.expect_err("refused");
        assert_eq!(err.kind(), kind, "{status}: {err}");
        assert!(err.message().contains(expected), "{status}: {err}");
        assert_eq!(server.received().len(), 1, "{status} is not retried");
    }
}

#[tokio::test]
async fn a_server_error_is_retried_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let inner = imds(CREDENTIALS);
    let server = FakeServer::start(move |request: &Received| {
        if request.method == "PUT" && seen.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::new(503, "");
        }
        inner(request)
    })
    .await;
    load(&server).await.expect("the retry succeeds");
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    let server = FakeServer::start(|request: &Received| match request.method.as_str() {
        "PUT" => Reply::new(200, TOKEN),
        _ => Reply::new(500, format!("oops {TOKEN}")),
    })
    .await;
    let err = load(&server).await.expect_err("keeps failing");
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(err.message().contains("answered HTTP 500 for the role name"), "{err}");
    assert_no_secrets(&err.to_string());
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn odd_role_names_and_tokens_are_refused() {
    let server = FakeServer::start(|request: &Received| match request.method.as_str() {
        "PUT" => Reply::new(200, TOKEN),
        _ => Reply::new(200, "../../etc/passwd"),
    })
    .await;
    let err = load(&server).await.expect_err("not a role name");
    assert!(err.message().contains("not a valid IAM role name"), "{err}");

    let server = FakeServer::start(|request: &Received| match request.method.as_str() {
        "PUT" => Reply::new(200, TOKEN),
        _ => Reply::new(200, "r".repeat(crate::credentials::http_json::MAX_BODY_BYTES + 1)),
    })
    .await;
    let err = load(&server).await.expect_err("too large");
    assert!(err.message().contains("more than the 65536 accepted) for the role name"), "{err}");

    let server = FakeServer::start(|_: &Received| Reply::new(200, "  ")).await;
    let err = load(&server).await.expect_err("empty token");
    assert!(err.message().contains("gave no usable session token"), "{err}");
}

#[test]
fn role_names() {
    for good in ["my-role", "Role_1+=,.@-", &"r".repeat(64)] {
        assert!(is_role_name(good), "{good}");
    }
    for bad in ["", "a/b", "a b", "a?b", "é", &"r".repeat(65)] {
        assert!(!is_role_name(bad), "{bad}");
    }
}

/// The endpoint the settings select, or the error's kind and message.
fn resolved(vars: &[(&str, &str)], config: &str) -> Result<String, (CredentialsErrorKind, String)> {
    let dir = TempDir::new("imds-endpoint");
    let config = dir.write("config", config);
    let credentials = dir.path("credentials");
    let mut all = vec![("AWS_CONFIG_FILE", config.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str())];
    all.extend_from_slice(vars);
    let env = Env::of(&all);
    let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
    let ctx = ProviderContext::for_tests(env, profiles, "dev");
    Service::resolve(&ctx).map(|service| service.base).map_err(|err| (err.kind(), err.message().to_owned()))
}

#[test]
fn endpoint_and_mode_settings() {
    let invalid = CredentialsErrorKind::InvalidConfiguration;
    assert_eq!(resolved(&[], ""), Ok(IPV4_ENDPOINT.to_owned()));
    assert_eq!(resolved(&[(MODE_VAR, "IPv6")], ""), Ok("http://[fd00:ec2::254]".to_owned()));
    assert_eq!(resolved(&[(MODE_VAR, "ipv4")], ""), Ok("http://169.254.169.254".to_owned()));
    assert_eq!(
        resolved(&[], "[profile dev]\nec2_metadata_service_endpoint_mode = IPv6\n"),
        Ok(IPV6_ENDPOINT.to_owned())
    );
    assert_eq!(
        resolved(&[(MODE_VAR, "IPv4")], "[profile dev]\nec2_metadata_service_endpoint_mode = IPv6\n"),
        Ok(IPV4_ENDPOINT.to_owned()),
        "the environment wins"
    );
    assert_eq!(
        resolved(&[(ENDPOINT_VAR, "http://127.0.0.1:1338/"), (MODE_VAR, "IPv6")], ""),
        Ok("http://127.0.0.1:1338".to_owned()),
        "an endpoint overrides the mode"
    );
    assert_eq!(
        resolved(&[], "[profile dev]\nec2_metadata_service_endpoint = https://imds.example\n"),
        Ok("https://imds.example".to_owned())
    );
    assert_eq!(
        resolved(&[(MODE_VAR, "IPv5")], ""),
        Err((invalid, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is `IPv5`; expected IPv4 or IPv6".to_owned()))
    );
    assert_eq!(
        resolved(&[], "[profile dev]\nec2_metadata_service_endpoint_mode = dual\n"),
        Err((
            invalid,
            "ec2_metadata_service_endpoint_mode of profile `dev` is `dual`; expected IPv4 or IPv6".to_owned()
        ))
    );
    for endpoint in ["169.254.169.254", "ftp://host", "http://", "http://host/?q=1"] {
        let (kind, message) = resolved(&[(ENDPOINT_VAR, endpoint)], "").expect_err(endpoint);
        assert_eq!(kind, invalid, "{endpoint}");
        assert!(message.ends_with("which is not an http:// or https:// URL"), "{message}");
    }
    assert_eq!(
        resolved(&[(MODE_VAR, "IPv5"), ("AWS_EC2_METADATA_DISABLED", "true")], ""),
        Err((CredentialsErrorKind::NotConfigured, "disabled by AWS_EC2_METADATA_DISABLED".to_owned())),
        "disabled wins over a bad setting"
    );
}

#[tokio::test]
async fn invalid_settings_stop_the_provider() {
    let err = ImdsProvider::new(ctx_with(&[(MODE_VAR, "IPv5")])).provide_credentials().await.expect_err("bad mode");
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(region(&ctx_with(&[(MODE_VAR, "IPv5")])).await, None);
}

#[tokio::test]
async fn the_region_is_read_with_a_token() {
    let server = FakeServer::start(imds(CREDENTIALS)).await;
    assert_eq!(region(&ctx_at(&server.url(), &[])).await.as_deref(), Some("eu-west-3"));
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].target, "/latest/meta-data/placement/region");
    assert_eq!(received[1].header("x-aws-ec2-metadata-token"), Some(TOKEN));

    for reply in [Reply::new(404, ""), Reply::new(200, "<html>"), Reply::new(200, "")] {
        let server = FakeServer::start(move |request: &Received| match request.method.as_str() {
            "PUT" => Reply::new(200, TOKEN),
            _ => reply.clone(),
        })
        .await;
        assert_eq!(region(&ctx_at(&server.url(), &[])).await, None);
    }
    assert_eq!(region(&ctx_at(&closed_port_url(), &[])).await, None);
}

#[test]
fn the_provider_debug_shows_no_settings() {
    let provider = ImdsProvider::new(ctx_with(&[("AWS_SECRET_ACCESS_KEY", SECRET)]));
    assert_no_secrets(&format!("{provider:?}"));
}
