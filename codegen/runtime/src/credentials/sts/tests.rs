//! STS calls against a loopback server: the request forms and their signatures, responses,
//! errors, retries, role chains read from profiles, and secrets kept out of every message.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::config::{ConfiguredEndpoints, TimeoutConfig};
use crate::credentials::fake_server::{FakeServer, Received, Reply};
use crate::credentials::profile::{self, Planned};
use crate::credentials::{CredentialsErrorKind, Env};
use crate::profile::ProfileSet;
use crate::retry::RetryConfig;
use crate::test_support::{response, TempDir};
use crate::transport::InMemoryTransport;

/// The expiry of every credentials the fake STS gives.
pub(crate) const EXPIRATION: &str = "2030-01-02T03:04:05Z";

/// The source keys of the tests; the secret and the token must never show.
const SOURCE_KEY: &str = "AKIDSOURCE";
const SOURCE_SECRET: &str = "source-secret-key-value";
const SOURCE_TOKEN: &str = "source-session-token-value";

fn source() -> Credentials {
    Credentials::new(SOURCE_KEY, SOURCE_SECRET, Some(SOURCE_TOKEN.to_owned()))
}

/// A successful `{operation}Response` with these keys.
pub(crate) fn success_body(operation: &str, key: &str, secret: &str, token: &str) -> String {
    format!(
        "<{operation}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n\
         <{operation}Result>\n\
         <AssumedRoleUser><AssumedRoleId>AROA:session</AssumedRoleId><Arn>arn:aws:sts::1:assumed-role/r/s</Arn></AssumedRoleUser>\n\
         <Credentials>\n\
         <AccessKeyId>{key}</AccessKeyId>\n\
         <SecretAccessKey>{secret}</SecretAccessKey>\n\
         <SessionToken>{token}</SessionToken>\n\
         <Expiration>{EXPIRATION}</Expiration>\n\
         </Credentials>\n\
         </{operation}Result>\n\
         <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>\n\
         </{operation}Response>\n"
    )
}

/// An STS success answer.
pub(crate) fn success(operation: &str, key: &str, secret: &str, token: &str) -> Reply {
    Reply::new(200, success_body(operation, key, secret, token)).header("content-type", "text/xml")
}

/// An STS error answer; `message` is inserted as XML text (escape it yourself).
pub(crate) fn sts_error(status: u16, code: &str, message: &str) -> Reply {
    let body = format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>req-{code}</RequestId></ErrorResponse>"
    );
    Reply::new(status, body).header("content-type", "text/xml")
}

/// The decoded fields of a form body, in order.
pub(crate) fn form_fields(body: &str) -> Vec<(String, String)> {
    let decode = |text: &str| percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned();
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The value of form field `name` of a request.
pub(crate) fn form_field(request: &Received, name: &str) -> Option<String> {
    form_fields(&request.body).into_iter().find(|(field, _)| field == name).map(|(_, value)| value)
}

/// A context whose STS calls go to `sts_url` (through `AWS_ENDPOINT_URL_STS`), in
/// `eu-west-1`, over `vars` and the shared config file `config` (written to `dir`), with
/// profile `profile` selected and quick retries.
pub(crate) fn context(
    dir: &TempDir,
    sts_url: &str,
    vars: &[(&str, &str)],
    config: &str,
    profile: &str,
) -> ProviderContext {
    let config_file = dir.write("config", config);
    let credentials_file = dir.path("no-credentials");
    let mut all = vec![
        ("AWS_CONFIG_FILE", config_file.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials_file.as_str()),
        ("AWS_ENDPOINT_URL_STS", sts_url),
    ];
    all.extend_from_slice(vars);
    let env = Env::of(&all);
    let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid shared files");
    let endpoints = ConfiguredEndpoints::load(&env, &profiles, profile).expect("valid endpoint settings");
    let mut ctx = ProviderContext::for_tests(env, profiles, profile);
    ctx.region = Some("eu-west-1".to_owned());
    ctx.endpoints = endpoints;
    ctx.retry = RetryConfig::default().with_initial_backoff(Duration::from_millis(1));
    ctx
}

fn role(arn: &str) -> RoleToAssume {
    RoleToAssume {
        profile: "dev".to_owned(),
        role_arn: arn.to_owned(),
        external_id: None,
        session_name: None,
        duration_seconds: None,
    }
}

/// Fails if `text` holds any of `secrets`.
pub(crate) fn assert_no_secret(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked in: {text}");
    }
}

/// Display and Debug of an error, which must both keep secrets out.
pub(crate) fn error_texts(err: &CredentialsError) -> String {
    format!("{err} | {err:?}")
}

/// Answers each request with the next reply of `replies`, the last one again once they run
/// out.
pub(crate) fn in_turn(replies: Vec<Reply>) -> impl Fn(&Received) -> Reply + Send + Sync + 'static {
    let next = AtomicUsize::new(0);
    move |_| {
        let index = next.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1);
        replies[index].clone()
    }
}

#[tokio::test]
async fn assume_role_posts_the_form_signed_with_the_source_keys() {
    let server = FakeServer::start(|_| success("AssumeRole", "ASIAASSUMED", "assumed-secret", "assumed-token")).await;
    let dir = TempDir::new("sts-form");
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let mut role = role("arn:aws:iam::123456789012:role/with space&more");
    role.external_id = Some("ext id/1".to_owned());
    role.session_name = Some("my-session".to_owned());
    role.duration_seconds = Some(900);

    let credentials = assume_role(&ctx, source(), &role).await.expect("assumed");
    assert_eq!(credentials.access_key_id(), "ASIAASSUMED");
    assert_eq!(credentials.account_id(), Some("1"), "the account of the assumed role's ARN");
    assert_eq!(credentials.secret_access_key(), "assumed-secret");
    assert_eq!(credentials.session_token(), Some("assumed-token"));
    let expected_expiry = DateTime::parse(EXPIRATION, TimestampFormat::DateTime).expect("valid date-time");
    assert_eq!(credentials.expiry(), Some(SystemTime::try_from(expected_expiry).expect("in range")));

    let requests = server.received();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/"));
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded; charset=utf-8"));
    let fields = form_fields(&request.body);
    let expected = [
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", "arn:aws:iam::123456789012:role/with space&more"),
        ("RoleSessionName", "my-session"),
        ("ExternalId", "ext id/1"),
        ("DurationSeconds", "900"),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    assert_eq!(fields, expected);
    assert!(request.body.contains("with%20space%26more"), "{}", request.body);

    let authorization = request.header("authorization").expect("signed");
    assert!(authorization.starts_with("AWS4-HMAC-SHA256 "), "{authorization}");
    assert!(authorization.contains(&format!("Credential={SOURCE_KEY}/")), "{authorization}");
    assert!(authorization.contains("/eu-west-1/sts/aws4_request"), "{authorization}");
    assert!(authorization.contains("x-amz-security-token"), "{authorization}");
    assert_eq!(request.header("x-amz-security-token"), Some(SOURCE_TOKEN));
}

#[tokio::test]
async fn long_term_source_keys_send_no_token_and_optional_fields_are_left_out() {
    let server = FakeServer::start(|_| success("AssumeRole", "ASIAASSUMED", "s", "t")).await;
    let dir = TempDir::new("sts-defaults");
    let mut ctx = context(&dir, &server.url(), &[], "", "default");
    ctx.clock = Arc::new(|| UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let source = Credentials::new(SOURCE_KEY, SOURCE_SECRET, None);
    assume_role(&ctx, source, &role("arn:aws:iam::1:role/plain")).await.expect("assumed");

    let request = &server.received()[0];
    let names: Vec<String> = form_fields(&request.body).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["Action", "Version", "RoleArn", "RoleSessionName"]);
    assert_eq!(form_field(request, "RoleSessionName").as_deref(), Some("aws-lite-1700000000"));
    assert_eq!(request.header("x-amz-security-token"), None);
    assert!(request.header("authorization").is_some_and(|auth| auth.contains("Credential=AKIDSOURCE/")));
}

#[tokio::test]
async fn sts_errors_name_the_call_and_quote_only_what_sts_says() {
    let message = format!("User is not authorized to perform sts:AssumeRole &amp; token {SOURCE_TOKEN} was&#10;bad");
    let server = FakeServer::start(move |_| sts_error(403, "AccessDenied", &message)).await;
    let dir = TempDir::new("sts-error");
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/denied")).await.expect_err("denied");

    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    assert_eq!(err.provider(), "profile");
    assert_eq!(
        err.message(),
        "STS AssumeRole for role `arn:aws:iam::1:role/denied` (configured in profile `dev`) failed: HTTP 403 \
         AccessDenied: User is not authorized to perform sts:AssumeRole & token ** redacted ** was\\nbad \
         (request id req-AccessDenied)"
    );
    assert_no_secret(&error_texts(&err), &[SOURCE_SECRET, SOURCE_TOKEN]);
    // A client error is not retried.
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn long_server_texts_are_cut_and_bodies_without_error_xml_still_give_the_status() {
    let long = "x".repeat(2_000);
    let server = FakeServer::start(move |request| {
        if form_field(request, "RoleArn").as_deref() == Some("arn:aws:iam::1:role/long") {
            sts_error(400, "ValidationError", &long)
        } else {
            Reply::new(403, "<html>Forbidden</html>").header("x-amzn-requestid", "header-id")
        }
    })
    .await;
    let dir = TempDir::new("sts-error-texts");
    let ctx = context(&dir, &server.url(), &[], "", "default");

    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/long")).await.expect_err("invalid");
    let quoted = err.message().split("ValidationError: ").nth(1).expect("the message is quoted");
    assert!(quoted.starts_with(&"x".repeat(MAX_SERVER_TEXT)), "{quoted}");
    assert!(quoted.starts_with(&format!("{}…", "x".repeat(MAX_SERVER_TEXT))), "{quoted}");
    assert!(err.message().len() < 800, "{}", err.message());

    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/html")).await.expect_err("forbidden");
    assert!(
        err.message().ends_with("failed: HTTP 403 without an STS error code (request id header-id)"),
        "{}",
        err.message()
    );
}

#[tokio::test]
async fn malformed_or_incomplete_responses_say_what_is_missing_without_quoting_the_body() {
    let complete = success_body("AssumeRole", "ASIALEAKED", "LEAKED-SECRET", "LEAKED-TOKEN");
    let without = |element: &str| {
        let start = complete.find(&format!("<{element}>")).expect("element present");
        let end = complete.find(&format!("</{element}>")).expect("element present") + element.len() + 3;
        format!("{}{}", &complete[..start], &complete[end..])
    };
    let cases: Vec<(String, &str)> = vec![
        ("this is LEAKED-SECRET, not XML".to_owned(), "with a body that is not well-formed XML"),
        (
            "<AssumeRoleResponse><Credentials>LEAKED-SECRET</Oops></AssumeRoleResponse>".to_owned(),
            "not well-formed XML",
        ),
        (
            complete[..complete.find("<AccessKeyId>").expect("present")].to_owned(),
            "ends before its elements are closed",
        ),
        (String::new(), "with a body that holds no XML element"),
        ("<Other>LEAKED-SECRET</Other>".to_owned(), "with an XML body that is not an AssumeRoleResponse"),
        ("<AssumeRoleResponse>&secret;LEAKED-SECRET</AssumeRoleResponse>".to_owned(), "undefined entity"),
        (without("SecretAccessKey"), "without Credentials/SecretAccessKey (request id req-ok)"),
        (without("SessionToken"), "without Credentials/SessionToken"),
        (without("AccessKeyId"), "without Credentials/AccessKeyId"),
        (without("Expiration"), "without Credentials/Expiration"),
        (complete.replace(EXPIRATION, "next tuesday"), "with a Credentials/Expiration that is not an RFC 3339"),
        (
            complete.replace("<SessionToken>LEAKED-TOKEN</SessionToken>", "<SessionToken> </SessionToken>"),
            "without Credentials/SessionToken",
        ),
    ];
    for (body, expected) in cases {
        let reply = Reply::new(200, body.clone());
        let server = FakeServer::start(move |_| reply.clone()).await;
        let dir = TempDir::new("sts-malformed");
        let ctx = context(&dir, &server.url(), &[], "", "default");
        let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect_err(&body);
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed, "{err}");
        assert!(err.message().contains(expected), "{body:?}: {err}");
        assert!(err.message().contains("STS AssumeRole for role `arn:aws:iam::1:role/r`"), "{err}");
        assert_no_secret(&error_texts(&err), &["LEAKED-SECRET", "LEAKED-TOKEN", SOURCE_SECRET, SOURCE_TOKEN]);
    }
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_reported_as_such() {
    let transport = InMemoryTransport::new(|_| {
        let mut answer = response(200, &[], "");
        *answer.body_mut() = Bytes::from_static(b"<AssumeRoleResponse>\xff\xfe</AssumeRoleResponse>");
        Ok(answer)
    });
    let mut ctx = ProviderContext::for_tests(Env::of(&[]), ProfileSet::default(), "default");
    ctx.transport = Arc::new(transport);
    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect_err("not UTF-8");
    assert!(err.message().ends_with("failed: STS answered HTTP 200 with a body that is not UTF-8 text"), "{err}");
}

#[tokio::test]
async fn server_errors_are_retried_by_send() {
    let server = FakeServer::start(in_turn(vec![
        Reply::new(500, "<html>oops</html>"),
        success("AssumeRole", "ASIAAFTER500", "s", "t"),
    ]))
    .await;
    let dir = TempDir::new("sts-500");
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let credentials = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect("second attempt");
    assert_eq!(credentials.access_key_id(), "ASIAAFTER500");
    let requests = server.received();
    assert_eq!(requests.len(), 2);
    // One call of `send`: the attempts share the invocation id.
    assert_eq!(requests[0].header("amz-sdk-invocation-id"), requests[1].header("amz-sdk-invocation-id"));
    assert_eq!(requests[1].header("amz-sdk-request"), Some("attempt=2; max=3"));

    // A transient code on a 5xx answer is retried by `send` alone, not once more per attempt.
    let server = FakeServer::start(|_| sts_error(500, "InternalFailure", "try later")).await;
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect_err("always failing");
    assert!(err.message().ends_with("HTTP 500 InternalFailure: try later (request id req-InternalFailure)"), "{err}");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn throttling_in_xml_is_retried_until_attempts_run_out() {
    let server = FakeServer::start(in_turn(vec![
        sts_error(400, "Throttling", "Rate exceeded"),
        success("AssumeRole", "ASIAAFTERTHROTTLE", "s", "t"),
    ]))
    .await;
    let dir = TempDir::new("sts-throttle");
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let credentials = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect("retried");
    assert_eq!(credentials.access_key_id(), "ASIAAFTERTHROTTLE");
    let requests = server.received();
    assert_eq!(requests.len(), 2);
    // Retried by `send`, which reads XML error codes: one invocation, numbered attempts.
    assert_eq!(requests[0].header("amz-sdk-invocation-id"), requests[1].header("amz-sdk-invocation-id"));
    assert_eq!(requests[1].header("amz-sdk-request"), Some("attempt=2; max=3"));

    // STS's own retryable code, as botocore retries it.
    let server = FakeServer::start(in_turn(vec![
        sts_error(400, "IDPCommunicationError", "try again"),
        success("AssumeRole", "ASIAAFTERIDP", "s", "t"),
    ]))
    .await;
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let credentials = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect("retried");
    assert_eq!((credentials.access_key_id(), server.received().len()), ("ASIAAFTERIDP", 2));

    let server = FakeServer::start(|_| sts_error(400, "Throttling", "Rate exceeded")).await;
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect_err("always throttled");
    assert!(err.message().ends_with("HTTP 400 Throttling: Rate exceeded (request id req-Throttling)"), "{err}");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn transport_failures_and_timeouts_name_their_cause() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener.local_addr().expect("bound address").port()
    };
    let dir = TempDir::new("sts-transport");
    let mut ctx = context(&dir, &format!("http://127.0.0.1:{closed_port}"), &[], "", "default");
    ctx.retry = RetryConfig::disabled();
    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect_err("refused");
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    assert!(
        err.message()
            .starts_with("STS AssumeRole for role `arn:aws:iam::1:role/r` (configured in profile `dev`) failed: "),
        "{err}"
    );
    assert!(err.message().contains("connect"), "{err}");

    let server = FakeServer::start(|_| success("AssumeRole", "A", "s", "t").delayed(Duration::from_secs(5))).await;
    let mut ctx = context(&dir, &server.url(), &[], "", "default");
    ctx.retry = RetryConfig::disabled();
    ctx.timeouts = TimeoutConfig::default().with_attempt_timeout(Duration::from_millis(200));
    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect_err("too slow");
    assert!(err.message().ends_with("failed: request timed out after 200ms (attempt timeout)"), "{err}");
}

#[tokio::test]
async fn calls_go_to_the_regional_endpoint_or_us_east_1_without_a_region() {
    let transport =
        InMemoryTransport::new(|_| Ok(response(200, &[], &success_body("AssumeRole", "ASIAREGIONAL", "s", "t"))));
    let mut ctx = ProviderContext::for_tests(Env::of(&[]), ProfileSet::default(), "default");
    ctx.transport = Arc::new(transport.clone());
    ctx.region = Some("ap-southeast-2".to_owned());
    assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect("assumed");
    ctx.region = None;
    assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect("assumed");
    ctx.region = Some("cn-north-1".to_owned());
    assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect("assumed");

    let requests = transport.requests();
    let uris: Vec<String> = requests.iter().map(|request| request.uri().to_string()).collect();
    assert_eq!(
        uris,
        [
            "https://sts.ap-southeast-2.amazonaws.com/",
            "https://sts.us-east-1.amazonaws.com/",
            "https://sts.cn-north-1.amazonaws.com.cn/"
        ]
    );
    let authorization = crate::test_support::header(&requests[1], "authorization");
    assert!(authorization.contains("/us-east-1/sts/aws4_request"), "{authorization}");

    ctx.region = Some("not a region".to_owned());
    let err = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/r")).await.expect_err("bad region");
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(err.message().contains("invalid region `not a region`"), "{err}");
}

const CHAIN_CONFIG: &str = "\
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret-value
[profile role1]
role_arn = arn:aws:iam::1:role/one
source_profile = base
role_session_name = first-hop
[profile role2]
role_arn = arn:aws:iam::2:role/two
source_profile = role1
external_id = second-ext
[profile from-env]
role_arn = arn:aws:iam::3:role/env
credential_source = Environment
";

/// Answers each AssumeRole with keys named after the role's last path segment.
fn role_keys(request: &Received) -> Reply {
    let arn = form_field(request, "RoleArn").unwrap_or_default();
    let name = arn.rsplit('/').next().unwrap_or_default().to_ascii_uppercase();
    success("AssumeRole", &format!("ASIA{name}"), &format!("secret-of-{name}"), &format!("token-of-{name}"))
}

#[tokio::test]
async fn a_two_hop_role_chain_signs_each_call_with_the_previous_keys() {
    let server = FakeServer::start(role_keys).await;
    let dir = TempDir::new("sts-chain");
    let ctx = context(&dir, &server.url(), &[], CHAIN_CONFIG, "role2");
    let Planned::Plan(plan) = profile::plan(&ctx).expect("valid profiles") else { panic!("nothing planned") };
    let credentials = profile::execute(&ctx, &plan).await.expect("both roles assumed");
    assert_eq!(credentials.access_key_id(), "ASIATWO");
    assert_eq!(credentials.session_token(), Some("token-of-TWO"));
    assert!(credentials.expiry().is_some());

    let requests = server.received();
    assert_eq!(requests.len(), 2);
    let (first, second) = (&requests[0], &requests[1]);
    assert_eq!(form_field(first, "RoleArn").as_deref(), Some("arn:aws:iam::1:role/one"));
    assert_eq!(form_field(first, "RoleSessionName").as_deref(), Some("first-hop"));
    assert!(first.header("authorization").is_some_and(|auth| auth.contains("Credential=AKIDBASE/")));
    assert_eq!(first.header("x-amz-security-token"), None);
    assert_eq!(form_field(second, "RoleArn").as_deref(), Some("arn:aws:iam::2:role/two"));
    assert_eq!(form_field(second, "ExternalId").as_deref(), Some("second-ext"));
    assert!(form_field(second, "RoleSessionName").is_some_and(|name| name.starts_with("aws-lite-")));
    assert!(second.header("authorization").is_some_and(|auth| auth.contains("Credential=ASIAONE/")));
    assert_eq!(second.header("x-amz-security-token"), Some("token-of-ONE"));
}

#[tokio::test]
async fn a_failing_hop_names_its_profile() {
    let server = FakeServer::start(|request| match form_field(request, "RoleArn").as_deref() {
        Some("arn:aws:iam::2:role/two") => sts_error(403, "AccessDenied", "not trusted"),
        _ => role_keys(request),
    })
    .await;
    let dir = TempDir::new("sts-chain-fail");
    let ctx = context(&dir, &server.url(), &[], CHAIN_CONFIG, "role2");
    let Planned::Plan(plan) = profile::plan(&ctx).expect("valid profiles") else { panic!("nothing planned") };
    let err = profile::execute(&ctx, &plan).await.expect_err("second hop denied");
    assert!(
        err.message().starts_with(
            "STS AssumeRole for role `arn:aws:iam::2:role/two` (configured in profile `role2`) failed: HTTP 403 AccessDenied"
        ),
        "{err}"
    );
    assert_no_secret(&error_texts(&err), &["base-secret-value", "secret-of-ONE", "token-of-ONE"]);
}

#[tokio::test]
async fn credential_source_environment_signs_with_the_environment_keys() {
    let server = FakeServer::start(role_keys).await;
    let dir = TempDir::new("sts-credential-source");
    let vars = [
        ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-token"),
    ];
    let ctx = context(&dir, &server.url(), &vars, CHAIN_CONFIG, "from-env");
    let Planned::Plan(plan) = profile::plan(&ctx).expect("valid profiles") else { panic!("nothing planned") };
    let credentials = profile::execute(&ctx, &plan).await.expect("assumed");
    assert_eq!(credentials.access_key_id(), "ASIAENV");
    let request = &server.received()[0];
    assert!(request.header("authorization").is_some_and(|auth| auth.contains("Credential=AKIDFROMENV/")));
    assert_eq!(request.header("x-amz-security-token"), Some("env-token"));
}

#[test]
fn xml_texts_resolve_references_and_ignore_namespaces() {
    let body =
        "<?xml version=\"1.0\"?><!-- c --><a:Root xmlns:a=\"urn:x\"><a:Item>x &amp; &lt;y&gt; &#65;&#x42;</a:Item>\
                <Data><![CDATA[<raw>]]></Data><Empty/><Item>second</Item></a:Root>";
    let document = XmlDocument::parse(body).expect("well-formed");
    assert_eq!(document.root, "Root");
    assert_eq!(document.text("Root/Item"), Some("x & <y> AB"));
    assert_eq!(document.text("Root/Data"), Some("<raw>"));
    assert_eq!(document.text("Root/Empty"), Some(""));
    assert_eq!(document.text("Root/Missing"), None);
    assert!(XmlDocument::parse("<a></b>").is_err());
    assert!(XmlDocument::parse("text <a/>").is_err());
    assert!(XmlDocument::parse("<a>&#0;</a>").is_err());
}

#[test]
fn server_texts_are_redacted_escaped_and_cut() {
    assert_eq!(server_text("plain text", &[]), "plain text");
    assert_eq!(server_text("a\u{1b}[31mb\r\nc\td", &[]), "a\\u{1b}[31mb\\r\\nc\\td");
    assert_eq!(server_text("key SECRET and SECRET", &["SECRET", ""]), "key ** redacted ** and ** redacted **");
    let cut = server_text(&"é".repeat(MAX_SERVER_TEXT + 10), &[]);
    assert_eq!(cut, format!("{}…", "é".repeat(MAX_SERVER_TEXT)));
    assert_eq!(default_session_name(UNIX_EPOCH + Duration::from_secs(42)), "aws-lite-42");
}

/// Records every tracing event and span field of the thread, as text.
struct Recorder(Arc<Mutex<String>>);

struct FieldWriter<'a>(&'a mut String);

impl tracing::field::Visit for FieldWriter<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={value:?} ", field.name());
    }
}

impl Recorder {
    fn write(&self, record: impl FnOnce(&mut FieldWriter<'_>)) {
        let mut text = self.0.lock().expect("not poisoned");
        record(&mut FieldWriter(&mut text));
        text.push('\n');
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.write(|writer| span.record(writer));
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.write(|writer| values.record(writer));
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        self.write(|writer| event.record(writer));
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// A subscriber that records nothing, registered once for the whole test process; see
/// [`traced`].
struct Silent;

impl tracing::Subscriber for Silent {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        false
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, _: &tracing::Event<'_>) {}

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// Runs `future` with a [`Recorder`] as the thread's subscriber and returns what it recorded.
pub(crate) async fn traced<T>(future: impl std::future::Future<Output = T>) -> (T, String) {
    // With a single live subscriber, tracing-core decides the interest of a call site first
    // reached on another test thread from that thread's (absent) subscriber, and caches
    // "never". A second subscriber that lives as long as the process, registered before the
    // recorder, makes every call site ask each thread's subscriber at each event instead.
    static ALWAYS_ASK: std::sync::OnceLock<tracing::Dispatch> = std::sync::OnceLock::new();
    ALWAYS_ASK.get_or_init(|| tracing::Dispatch::new(Silent));
    let text = Arc::new(Mutex::new(String::new()));
    let guard = tracing::subscriber::set_default(Recorder(text.clone()));
    let outcome = future.await;
    drop(guard);
    let recorded = text.lock().expect("not poisoned").clone();
    (outcome, recorded)
}

#[tokio::test]
async fn tracing_output_never_holds_secrets() {
    let server = FakeServer::start(in_turn(vec![
        sts_error(400, "Throttling", &format!("slow down {SOURCE_SECRET}")),
        success("AssumeRole", "ASIATRACED", "traced-secret", "traced-token"),
        sts_error(403, "AccessDenied", &format!("denied {SOURCE_TOKEN}")),
    ]))
    .await;
    let dir = TempDir::new("sts-tracing");
    let ctx = context(&dir, &server.url(), &[], "", "default");
    let ((assumed, denied), recorded) = traced(async {
        let assumed = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/traced")).await;
        let denied = assume_role(&ctx, source(), &role("arn:aws:iam::1:role/traced")).await;
        (assumed, denied)
    })
    .await;
    let assumed = assumed.expect("assumed after a retry");
    assert!(!format!("{assumed:?}").contains("traced-secret"));
    let err = denied.expect_err("denied");
    assert!(recorded.contains("arn:aws:iam::1:role/traced") && recorded.contains("ASIATRACED"), "{recorded}");
    assert!(recorded.contains("Throttling"), "{recorded}");
    let secrets = [SOURCE_SECRET, SOURCE_TOKEN, "traced-secret", "traced-token"];
    assert_no_secret(&recorded, &secrets);
    assert_no_secret(&error_texts(&err), &secrets);
}
