//! The order of the default chain: for every pair of configured sources, the earlier wins.

use crate::client::Config;
use crate::credentials::fake_server::{FakeServer, Reply};
use crate::credentials::Env;
use crate::test_support::TempDir;

const EXPIRATION: &str = "2035-01-01T00:00:00Z";

fn credentials_json(key: &str) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{key}","SecretAccessKey":"s","Token":"t","Expiration":"{EXPIRATION}"}}"#
    )
}

/// Answers as the instance metadata service, STS (web identity) and a container endpoint at
/// once, each with its own access key id.
async fn fake_aws() -> FakeServer {
    FakeServer::start(|request| match (request.method.as_str(), request.target.as_str()) {
        ("PUT", "/latest/api/token") => Reply::new(200, "imds-token"),
        ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::new(200, "the-role"),
        ("GET", "/latest/meta-data/iam/security-credentials/the-role") => Reply::new(200, credentials_json("IMDS")),
        ("GET", "/container") => Reply::new(200, credentials_json("CONTAINER")),
        ("POST", "/") => Reply::new(
            200,
            format!(
                "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>\
                 <AccessKeyId>WEBIDENTITY</AccessKeyId><SecretAccessKey>s</SecretAccessKey>\
                 <SessionToken>t</SessionToken><Expiration>{EXPIRATION}</Expiration></Credentials>\
                 </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
            ),
        ),
        _ => Reply::new(404, ""),
    })
    .await
}

const SOURCES: [&str; 5] = ["ENVIRONMENT", "PROFILE", "WEBIDENTITY", "CONTAINER", "IMDS"];

#[tokio::test]
async fn of_any_two_sources_the_earlier_in_the_chain_wins() {
    let server = fake_aws().await;
    let dir = TempDir::new("chain-order");
    let token_file = dir.write("token", "a-web-identity-token");
    let config_file = dir.write("config", "[default]\naws_access_key_id = PROFILE\naws_secret_access_key = s\n");
    let (url, container) = (server.url(), format!("{}/container", server.url()));
    let vars_of = |source: &str| -> Vec<(&str, String)> {
        match source {
            "ENVIRONMENT" => vec![("AWS_ACCESS_KEY_ID", "ENVIRONMENT".into()), ("AWS_SECRET_ACCESS_KEY", "s".into())],
            "PROFILE" => vec![("AWS_CONFIG_FILE", config_file.clone())],
            "WEBIDENTITY" => vec![
                ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.clone()),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web".into()),
            ],
            "CONTAINER" => vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.clone())],
            _ => vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.clone())],
        }
    };
    for (first, earlier) in SOURCES.iter().enumerate() {
        for later in &SOURCES[first + 1..] {
            let mut vars: Vec<(&str, String)> = vec![
                ("AWS_REGION", "us-east-1".into()),
                ("AWS_ENDPOINT_URL_STS", url.clone()),
                ("AWS_CONFIG_FILE", dir.path("no-config")),
                ("AWS_SHARED_CREDENTIALS_FILE", dir.path("no-credentials")),
            ];
            if *earlier != "IMDS" && *later != "IMDS" {
                vars.push(("AWS_EC2_METADATA_DISABLED", "true".into()));
            }
            vars.extend(vars_of(earlier));
            vars.extend(vars_of(later));
            let vars: Vec<(&str, &str)> = vars.iter().map(|(name, value)| (*name, value.as_str())).collect();
            let config = Config::loader().env(Env::of(&vars)).load().await.expect("loads");
            let provider = config.credentials_provider().expect("the default chain");
            let credentials = provider.load().await.unwrap_or_else(|err| panic!("{earlier} and {later}: {err}"));
            assert_eq!(credentials.access_key_id(), *earlier, "{earlier} before {later}");
        }
    }
}
