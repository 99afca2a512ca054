//! Web identity from the environment and from profiles, against a loopback STS.

use super::*;
use crate::credentials::fake_server::{FakeServer, Reply};
use crate::credentials::profile::{self, Planned};
use crate::credentials::sts::tests::{
    assert_no_secret, context, error_texts, form_field, in_turn, sts_error, success, traced,
};
use crate::credentials::{CredentialsErrorKind, DefaultChain};
use crate::test_support::TempDir;

const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.web-identity-token-one";
const ROLE: &str = "arn:aws:iam::123456789012:role/irsa";

/// Answers AssumeRoleWithWebIdentity with keys `ASIAWEB`.
fn web_success() -> Reply {
    success("AssumeRoleWithWebIdentity", "ASIAWEB", "web-secret", "web-token")
}

#[tokio::test]
async fn the_environment_role_is_assumed_unsigned_and_the_token_reread_at_each_call() {
    let server = FakeServer::start(|_| web_success()).await;
    let dir = TempDir::new("web-identity-env");
    let token_file = dir.write("token", &format!("{TOKEN}\n"));
    let vars = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_ROLE_SESSION_NAME", "pod-session"),
    ];
    let provider = WebIdentityProvider { ctx: context(&dir, &server.url(), &vars, "", "default") };
    let credentials = provider.provide_credentials().await.expect("assumed");
    assert_eq!(credentials.access_key_id(), "ASIAWEB");
    assert_eq!(credentials.session_token(), Some("web-token"));
    assert!(credentials.expiry().is_some());

    dir.write("token", "rotated-token");
    provider.provide_credentials().await.expect("assumed again");

    let requests = server.received();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first.header("content-type"), Some("application/x-www-form-urlencoded; charset=utf-8"));
    assert_eq!(form_field(first, "Action").as_deref(), Some("AssumeRoleWithWebIdentity"));
    assert_eq!(form_field(first, "Version").as_deref(), Some("2011-06-15"));
    assert_eq!(form_field(first, "RoleArn").as_deref(), Some(ROLE));
    assert_eq!(form_field(first, "RoleSessionName").as_deref(), Some("pod-session"));
    assert_eq!(form_field(first, "WebIdentityToken").as_deref(), Some(TOKEN));
    assert_eq!(first.header("authorization"), None);
    assert_eq!(first.header("x-amz-security-token"), None);
    assert_eq!(form_field(&requests[1], "WebIdentityToken").as_deref(), Some("rotated-token"));
}

#[tokio::test]
async fn a_profile_web_identity_is_planned_and_executed() {
    let server = FakeServer::start(|_| web_success()).await;
    let dir = TempDir::new("web-identity-profile");
    let token_file = dir.write("token", TOKEN);
    let config = format!("[profile web]\nrole_arn = {ROLE}\nweb_identity_token_file = {token_file}\n");
    let ctx = context(&dir, &server.url(), &[], &config, "web");
    let Planned::Plan(plan) = profile::plan(&ctx).expect("valid profiles") else { panic!("nothing planned") };
    let credentials = profile::execute(&ctx, &plan).await.expect("assumed");
    assert_eq!(credentials.access_key_id(), "ASIAWEB");
    let request = &server.received()[0];
    assert_eq!(form_field(request, "WebIdentityToken").as_deref(), Some(TOKEN));
    assert!(form_field(request, "RoleSessionName").is_some_and(|name| name.starts_with("aws-lite-")));
}

#[tokio::test]
async fn token_file_problems_name_the_file_and_send_nothing() {
    let server = FakeServer::start(|_| web_success()).await;
    let dir = TempDir::new("web-identity-file");
    let missing = dir.path("missing-token");
    let role = |token_file: &str| WebIdentityRole {
        token_file: token_file.to_owned(),
        role_arn: ROLE.to_owned(),
        session_name: None,
        source: "profile `web`".to_owned(),
    };
    let ctx = context(&dir, &server.url(), &[], "", "default");

    let err = assume(&ctx, &role(&missing)).await.expect_err("no file");
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    assert_eq!(err.provider(), "web identity");
    assert!(
        err.message().starts_with(&format!(
            "could not read the web identity token file `{missing}` (configured in profile `web`): "
        )),
        "{err}"
    );

    let empty = dir.write("empty-token", " \n");
    let err = assume(&ctx, &role(&empty)).await.expect_err("empty file");
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(err.message(), format!("the web identity token file `{empty}` (configured in profile `web`) is empty"));
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn the_environment_settings_decide_whether_the_provider_applies() {
    let server = FakeServer::start(|_| web_success()).await;
    let dir = TempDir::new("web-identity-vars");
    let token_file = dir.write("token", TOKEN);
    let provider =
        |vars: &[(&str, &str)]| WebIdentityProvider { ctx: context(&dir, &server.url(), vars, "", "default") };

    let err = provider(&[("AWS_ROLE_ARN", ROLE)]).provide_credentials().await.expect_err("no token file");
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
    assert_eq!(err.message(), "AWS_WEB_IDENTITY_TOKEN_FILE is not set");

    let vars = [("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str())];
    let err = provider(&vars).provide_credentials().await.expect_err("no role");
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(err.message(), "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");

    let vars = [("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()), ("AWS_ROLE_ARN", ROLE)];
    let mut named = provider(&vars);
    named.ctx.profile_in_code = true;
    let err = named.provide_credentials().await.expect_err("profile named in code");
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn the_default_chain_falls_through_to_the_environment_web_identity() {
    let server = FakeServer::start(|_| web_success()).await;
    let dir = TempDir::new("web-identity-chain");
    let token_file = dir.write("token", TOKEN);
    let vars = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()),
        ("AWS_ROLE_ARN", ROLE),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let chain = DefaultChain::new(context(&dir, &server.url(), &vars, "[default]\nregion = eu-west-1\n", "default"));
    let credentials = chain.provide_credentials().await.expect("web identity");
    assert_eq!(credentials.access_key_id(), "ASIAWEB");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn sts_errors_never_show_the_token() {
    let echoed = format!("Token {TOKEN} is expired");
    let server = FakeServer::start(move |_| sts_error(400, "ExpiredTokenException", &echoed)).await;
    let dir = TempDir::new("web-identity-error");
    let token_file = dir.write("token", TOKEN);
    let vars = [("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()), ("AWS_ROLE_ARN", ROLE)];
    let provider = WebIdentityProvider { ctx: context(&dir, &server.url(), &vars, "", "default") };
    let (outcome, recorded) = traced(provider.provide_credentials()).await;
    let err = outcome.expect_err("expired");
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    assert_eq!(err.provider(), "web identity");
    assert_eq!(
        err.message(),
        format!(
            "STS AssumeRoleWithWebIdentity for role `{ROLE}` (configured in the environment) failed: HTTP 400 \
             ExpiredTokenException: Token ** redacted ** is expired (request id req-ExpiredTokenException)"
        )
    );
    assert_no_secret(&error_texts(&err), &[TOKEN]);
    assert!(recorded.contains(ROLE), "{recorded}");
    assert_no_secret(&recorded, &[TOKEN]);
    assert_no_secret(&format!("{provider:?}"), &[TOKEN]);
}

#[tokio::test]
async fn an_unreachable_identity_provider_is_retried() {
    let server = FakeServer::start(in_turn(vec![
        sts_error(400, "IDPCommunicationError", "The IdP could not be reached"),
        web_success(),
    ]))
    .await;
    let dir = TempDir::new("web-identity-idp");
    let token_file = dir.write("token", TOKEN);
    let vars = [("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.as_str()), ("AWS_ROLE_ARN", ROLE)];
    let provider = WebIdentityProvider { ctx: context(&dir, &server.url(), &vars, "", "default") };
    provider.provide_credentials().await.expect("second call succeeds");
    assert_eq!(server.received().len(), 2);
}
