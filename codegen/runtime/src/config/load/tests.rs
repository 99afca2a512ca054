//! The resolution order of each setting, over temp files and a stand-in environment.

use super::*;
use crate::credentials::{Credentials, CredentialsErrorKind};
use crate::test_support::TempDir;

const CONFIG: &str = "\
[default]
region = us-west-1
max_attempts = 5
[profile dev]
region = eu-west-1
endpoint_url = http://profile-endpoint:1
use_fips_endpoint = true
[profile half]
region = ap-south-1
[profile bad-retry]
retry_mode = adaptive
[profile bad-flag]
use_dualstack_endpoint = yes
[profile accounts]
region = us-east-2
account_id_endpoint_mode = Disabled
[profile ignore]
endpoint_url = http://ignored:1
ignore_configured_endpoint_urls = true
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

const ENV_KEYS: &[(&str, &str)] = &[("AWS_ACCESS_KEY_ID", "ENVKEY"), ("AWS_SECRET_ACCESS_KEY", "env-secret")];

/// A loader over the files above and `vars`, with the metadata service off.
fn loader(dir: &TempDir, vars: &[(&str, &str)]) -> ConfigLoader {
    let (config, credentials) = (dir.write("config", CONFIG), dir.write("credentials", CREDENTIALS));
    let mut all = vec![
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    all.extend_from_slice(vars);
    Config::loader().env(Env::of(&all))
}

async fn access_key(config: &Config) -> Result<String, String> {
    let provider = config.credentials_provider().expect("a provider");
    provider.provide_credentials().await.map(|c| c.access_key_id().to_owned()).map_err(|err| err.to_string())
}

/// A case's name, environment, profile named in code, and the region and key it expects.
type Case = (&'static str, Vec<(&'static str, &'static str)>, Option<&'static str>, &'static str, &'static str);

#[tokio::test]
async fn region_and_credentials_precedence() {
    let with = |extra: &[(&'static str, &'static str)]| [ENV_KEYS, extra].concat();
    let cases: Vec<Case> = vec![
        ("profile default", vec![], None, "us-west-1", "DEFAULTKEY"),
        ("env keys before profile keys", with(&[]), None, "us-west-1", "ENVKEY"),
        (
            "AWS_REGION first",
            vec![("AWS_REGION", "us-east-2"), ("AWS_DEFAULT_REGION", "ca-central-1")],
            None,
            "us-east-2",
            "DEFAULTKEY",
        ),
        (
            "AWS_DEFAULT_REGION before profile",
            vec![("AWS_DEFAULT_REGION", "ca-central-1")],
            None,
            "ca-central-1",
            "DEFAULTKEY",
        ),
        ("AWS_PROFILE selects", vec![("AWS_PROFILE", "dev")], None, "eu-west-1", "DEVKEY"),
        ("AWS_PROFILE loses to env keys", with(&[("AWS_PROFILE", "dev")]), None, "eu-west-1", "ENVKEY"),
        ("profile in code wins over env keys", with(&[]), Some("dev"), "eu-west-1", "DEVKEY"),
        ("profile in code wins over AWS_PROFILE", vec![("AWS_PROFILE", "default")], Some("dev"), "eu-west-1", "DEVKEY"),
        (
            "env region before the profile in code",
            vec![("AWS_REGION", "us-east-2")],
            Some("dev"),
            "us-east-2",
            "DEVKEY",
        ),
    ];
    for (name, vars, profile, region, key) in cases {
        let dir = TempDir::new("load-order");
        let mut loader = loader(&dir, &vars);
        if let Some(profile) = profile {
            loader = loader.profile(profile);
        }
        let config = loader.load().await.unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(config.region(), region, "{name}");
        assert_eq!(access_key(&config).await.as_deref(), Ok(key), "{name}");
    }
}

#[tokio::test]
async fn settings_in_code_win() {
    let dir = TempDir::new("load-code");
    let vars = [ENV_KEYS, &[("AWS_REGION", "us-east-2"), ("AWS_ENDPOINT_URL", "http://env:1")]].concat();
    let config = loader(&dir, &vars)
        .profile("dev")
        .region("sa-east-1")
        .credentials(Credentials::new("MINE", "mine", None))
        .endpoint_url("http://code:1")
        .retry(RetryConfig::disabled())
        .load()
        .await
        .expect("valid");
    assert_eq!(config.region(), "sa-east-1");
    assert_eq!(access_key(&config).await.as_deref(), Ok("MINE"));
    assert_eq!(config.endpoint_for("IoT").and_then(|uri| uri.host()), Some("code"));
    assert_eq!(config.retry().max_attempts(), 1);
}

#[tokio::test]
async fn endpoints_retries_and_flags() {
    let dir = TempDir::new("load-settings");
    let config = loader(&dir, &[]).load().await.expect("default");
    assert_eq!(config.retry().max_attempts(), 5);
    assert!(!config.use_fips() && !config.use_dual_stack());
    assert_eq!(config.endpoint_for("IoT"), None);
    assert_eq!(config.account_id_endpoint_mode(), AccountIdEndpointMode::Preferred);
    let config = loader(&dir, &[("AWS_PROFILE", "accounts")]).load().await.expect("accounts");
    assert_eq!(config.account_id_endpoint_mode(), AccountIdEndpointMode::Disabled);
    let vars = [("AWS_PROFILE", "accounts"), ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "required")];
    let config = loader(&dir, &vars).load().await.expect("the variable wins");
    assert_eq!(config.account_id_endpoint_mode(), AccountIdEndpointMode::Required);

    let config = loader(&dir, &[("AWS_MAX_ATTEMPTS", "2"), ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE")]).load().await;
    let config = config.expect("env settings");
    assert_eq!(config.retry().max_attempts(), 2);
    assert!(config.use_dual_stack());

    let config = loader(&dir, &[("AWS_PROFILE", "dev")]).load().await.expect("dev");
    assert!(config.use_fips());
    assert_eq!(config.endpoint_for("IoT").and_then(|uri| uri.host()), Some("profile-endpoint"));
    assert_eq!(config.endpoint_url(), None, "only an endpoint given in code is reported here");
    let config = loader(&dir, &[("AWS_PROFILE", "dev"), ("AWS_ENDPOINT_URL_IOT", "http://env-iot:1")]).load().await;
    assert_eq!(config.expect("dev").endpoint_for("IoT").and_then(|uri| uri.host()), Some("env-iot"));
    let vars = [("AWS_PROFILE", "dev"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
    assert_eq!(loader(&dir, &vars).load().await.expect("ignored").endpoint_for("IoT"), None);
    let vars = [("AWS_PROFILE", "ignore"), ("AWS_ENDPOINT_URL", "http://env:1")];
    let config = loader(&dir, &vars).region("us-east-1").load().await.expect("ignored");
    assert_eq!(config.endpoint_for("IoT"), None);
}

#[tokio::test]
async fn invalid_settings_name_their_source() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("AWS_MAX_ATTEMPTS", "0")], "AWS_MAX_ATTEMPTS is `0`; expected a whole number of at least 1"),
        (&[("AWS_RETRY_MODE", "fast")], "AWS_RETRY_MODE is `fast`; expected `standard`, `legacy` or `adaptive`"),
        (&[("AWS_PROFILE", "bad-retry")], "`retry_mode` of profile `bad-retry` in "),
        (&[("AWS_PROFILE", "bad-flag")], "`use_dualstack_endpoint` of profile `bad-flag` in "),
        (&[("AWS_USE_FIPS_ENDPOINT", "1")], "AWS_USE_FIPS_ENDPOINT is `1`; expected `true` or `false`"),
        (
            &[("AWS_ACCOUNT_ID_ENDPOINT_MODE", "always")],
            "AWS_ACCOUNT_ID_ENDPOINT_MODE is `always`; expected `preferred`, `disabled` or `required`",
        ),
        (&[("AWS_ENDPOINT_URL", "localhost:1")], "invalid endpoint URL `localhost:1` (from AWS_ENDPOINT_URL)"),
        (&[("AWS_PROFILE", "prod")], "profile `prod` (AWS_PROFILE) is not defined"),
    ];
    for (vars, expected) in cases {
        let dir = TempDir::new("load-invalid");
        let err = loader(&dir, vars).load().await.expect_err(expected);
        assert!(err.message().contains(expected), "{expected}: {err}");
    }
    let dir = TempDir::new("load-invalid");
    let err = loader(&dir, &[]).profile("Dev").load().await.expect_err("case-sensitive");
    assert!(err.message().contains("profile `Dev` is not defined"), "{err}");
    assert!(
        err.message().contains("defined profiles: accounts, bad-flag, bad-retry, default, dev, half, ignore"),
        "{err}"
    );
}

#[tokio::test]
async fn credential_problems_surface_at_the_first_call() {
    let dir = TempDir::new("load-credentials");
    let config = loader(&dir, &[("AWS_PROFILE", "half")]).load().await.expect("loads");
    let err = access_key(&config).await.expect_err("one key only");
    assert!(err.contains("profile `half` has aws_access_key_id but no aws_secret_access_key"), "{err}");

    let empty = [("AWS_CONFIG_FILE", dir.path("none")), ("AWS_SHARED_CREDENTIALS_FILE", dir.path("nothing"))];
    let empty: Vec<(&str, &str)> = empty.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let env = Env::of(&[&empty[..], &[("AWS_EC2_METADATA_DISABLED", "true"), ("AWS_REGION", "us-east-1")]].concat());
    let config = Config::loader().env(env).load().await.expect("loads");
    let provider = config.credentials_provider().expect("the default chain");
    let err = provider.provide_credentials().await.expect_err("nothing anywhere");
    assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
    let text = err.to_string();
    for part in [
        "environment: ",
        "profile: profile `default` is not defined",
        "web identity: ",
        "container: ",
        "instance metadata: ",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[tokio::test]
async fn no_region_says_where_it_looked() {
    let dir = TempDir::new("load-no-region");
    let env = Env::of(&[
        ("AWS_CONFIG_FILE", &dir.path("config")),
        ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("creds")),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let err = Config::loader().env(env).load().await.expect_err("no region");
    let text = err.to_string();
    assert!(text.contains("no region: call ConfigLoader::region, or set AWS_REGION (or AWS_DEFAULT_REGION)"), "{text}");
    assert!(
        text.contains(&format!("{} (not found) and {} (not found)", dir.path("config"), dir.path("creds"))),
        "{text}"
    );
}

#[tokio::test]
async fn a_malformed_file_is_reported_with_its_line() {
    let dir = TempDir::new("load-malformed");
    let broken = dir.write("config", "[default]\nregion = us-east-1\n[profile dev\n");
    let env = Env::of(&[("AWS_CONFIG_FILE", &broken), ("AWS_REGION", "us-east-1")]);
    let err = Config::loader().env(env).load().await.expect_err("malformed");
    assert!(err.message().contains(&format!("{broken} at line 3")), "{err}");
}

#[tokio::test]
async fn loaded_credentials_are_refreshed_before_they_expire() {
    use crate::credentials::fake_server::{FakeServer, Reply};
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::time::{Duration, SystemTime};

    const START: u64 = 1_800_000_000;
    let now = Arc::new(AtomicU64::new(START));
    let served = Arc::new(AtomicUsize::new(0));
    let server = {
        let served = served.clone();
        FakeServer::start(move |_| {
            let n = served.fetch_add(1, Ordering::SeqCst);
            let expiry = crate::primitives::DateTime::from(
                SystemTime::UNIX_EPOCH + Duration::from_secs(START + 3600 * (n as u64 + 1)),
            );
            let expiry = expiry.format(crate::primitives::TimestampFormat::DateTime).expect("a date");
            Reply::new(
                200,
                format!(
                    r#"{{"AccessKeyId":"KEY{n}","SecretAccessKey":"secret","Token":"token","Expiration":"{expiry}"}}"#
                ),
            )
        })
        .await
    };
    let dir = TempDir::new("load-refresh");
    let uri = format!("{}/credentials", server.url());
    let env = Env::of(&[
        ("AWS_CONFIG_FILE", &dir.path("none")),
        ("AWS_SHARED_CREDENTIALS_FILE", &dir.path("none")),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
    ]);
    let clock_time = now.clone();
    let clock: Clock =
        Arc::new(move || SystemTime::UNIX_EPOCH + Duration::from_secs(clock_time.load(Ordering::SeqCst)));
    let config = Config::loader().env(env).clock(clock).load().await.expect("loads");
    assert_eq!(served.load(Ordering::SeqCst), 0, "credentials are loaded at the first call");
    assert_eq!(access_key(&config).await.as_deref(), Ok("KEY0"));
    now.store(START + 3600 - 6 * 60, Ordering::SeqCst);
    assert_eq!(access_key(&config).await.as_deref(), Ok("KEY0"), "cached until five minutes before expiry");
    now.store(START + 3600 - 4 * 60, Ordering::SeqCst);
    assert_eq!(access_key(&config).await.as_deref(), Ok("KEY1"), "refreshed ahead of expiry");
    assert_eq!(access_key(&config).await.as_deref(), Ok("KEY1"));
    assert_eq!(served.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_ca_bundle_adds_trusted_roots() {
    use crate::transport::TransportErrorKind;

    let (ca_pem, port) = crate::test_support::https_server_signed_by_a_private_ca().await;
    let dir = TempDir::new("load-ca-bundle");
    let bundle = dir.write("ca.pem", &ca_pem);
    let request = || {
        let mut request = http::Request::new(bytes::Bytes::new());
        *request.uri_mut() = format!("https://localhost:{port}/").parse().expect("a URI");
        request
    };
    let base = [("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "s")];

    let config = loader(&dir, &base).load().await.expect("loads");
    let err = config.transport().send(request()).await.expect_err("an unknown issuer");
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");

    let config = loader(&dir, &[&base[..], &[("AWS_CA_BUNDLE", bundle.as_str())]].concat()).load().await;
    let response = config.expect("loads").transport().send(request()).await.expect("trusted through the bundle");
    assert_eq!(response.body().as_ref(), b"{}");

    let empty = dir.write("empty.pem", "no certificates here\n");
    let broken = dir.write("broken.pem", "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
    let cases = [
        (dir.path("missing.pem"), "names the CA bundle `", "which cannot be read"),
        (empty, "AWS_CA_BUNDLE names the CA bundle `", "but it holds no PEM certificate"),
        (broken, "AWS_CA_BUNDLE names the CA bundle `", "but certificate 1 is not valid PEM"),
    ];
    for (path, start, end) in cases {
        let err = loader(&dir, &[&base[..], &[("AWS_CA_BUNDLE", path.as_str())]].concat()).load().await;
        let err = err.expect_err(&path).to_string();
        assert!(err.contains(start) && err.contains(end), "{path}: {err}");
    }
}
