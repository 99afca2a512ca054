//! What a client is configured with: the static description of a service the generator emits
//! ([`ServiceSpec`]) and the user's settings ([`Config`], built by [`ConfigBuilder`]): region,
//! credentials, endpoint override, retries, time limits ([`TimeoutConfig`]), validation
//! ([`ValidationMode`]), transport, idempotency tokens and request compression. The retry
//! settings ([`RetryConfig`]) are defined with the retry policy that reads them, in `retry`.

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::Uri;

use crate::credentials::{env_var, Credentials};
use crate::resolve::Resolver;
use crate::retry::RetryConfig;
use crate::transport::{HyperTransport, Transport};

/// Static description of a service, emitted once per service by the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The service's SDK id, e.g. `Personalize`.
    pub sdk_id: &'static str,
    /// The first label of the service's regional host name, e.g. `personalize`.
    pub endpoint_prefix: &'static str,
    /// The SigV4 signing name, e.g. `personalize`.
    pub signing_name: &'static str,
    /// The model's API version, e.g. `2018-05-22`.
    pub api_version: &'static str,
}

/// How much of `validate()` the client runs before sending a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValidationMode {
    /// Check every modeled constraint (required, length, pattern, range, unique items).
    #[default]
    Full,
    /// Check only that required members are set; the service checks the rest.
    RequiredOnly,
    /// Check nothing; the service is the only judge.
    Off,
}

/// Time limits of a call.
///
/// Defaults: connect 3.1 s (as the official SDKs), attempt 30 s, operation unlimited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self { connect: Some(Duration::from_millis(3100)), attempt: Some(Duration::from_secs(30)), operation: None }
    }
}

impl TimeoutConfig {
    /// No time limits at all.
    pub fn disabled() -> Self {
        Self { connect: None, attempt: None, operation: None }
    }

    /// Sets how long establishing a connection (TCP and TLS) may take; `None` for no limit.
    /// Used by [`HyperTransport::new`].
    pub fn with_connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect = timeout.into();
        self
    }

    /// Sets how long one attempt (sending the request and reading the whole response) may
    /// take; `None` for no limit. A timed-out attempt is retried.
    pub fn with_attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt = timeout.into();
        self
    }

    /// Sets how long the whole call, retries and backoff included, may take; `None` for no
    /// limit.
    pub fn with_operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation = timeout.into();
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// The whole-call timeout.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }
}

/// A configuration that could not be built; the message says what is missing or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }

    /// What is missing or wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.message)
    }
}

impl Error for ConfigError {}

/// Everything a client needs to send requests; cheap to clone (the transport is shared).
///
/// `Debug` never shows the secret key or the session token.
#[derive(Debug, Clone)]
pub struct Config {
    region: String,
    credentials: Option<Credentials>,
    endpoint_url: Option<String>,
    endpoint: Option<Uri>,
    disable_host_prefix: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    validation: ValidationMode,
    transport: Arc<dyn Transport>,
    idempotency_token: Option<String>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
}

/// Bodies of operations with `@requestCompression` are gzip-compressed from this size on, as in
/// the official SDKs.
const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;
/// The largest minimum the official SDKs accept (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

impl Config {
    /// A builder with the defaults: no region, no credentials, standard retries, default
    /// timeouts, full validation, [`HyperTransport`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A configuration from the environment and the shared config files, as the AWS SDKs
    /// resolve it:
    ///
    /// - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the `region` of the selected
    ///   profile;
    /// - credentials: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with
    ///   `AWS_SESSION_TOKEN`), else the static keys (`aws_access_key_id`,
    ///   `aws_secret_access_key`, `aws_session_token`) of the selected profile;
    /// - endpoint override: `AWS_ENDPOINT_URL` if set.
    ///
    /// The selected profile is `AWS_PROFILE`, else `default`, read from `AWS_CONFIG_FILE`
    /// (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (default
    /// `~/.aws/credentials`); the credentials file wins where both set a key. Other credential
    /// forms of a profile (roles, processes, SSO, web identity) are not supported yet and are
    /// reported as such. Everything else takes its default; use [`Config::to_builder`] to
    /// change more, or [`ConfigBuilder::profile`] to name a profile in code.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(&env_var)
    }

    fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut resolver = Resolver::new(lookup, None);
        let region = resolver.region()?;
        let mut builder = Config::builder().region(region).credentials(resolver.credentials()?);
        if let Some(endpoint_url) = lookup("AWS_ENDPOINT_URL") {
            builder = builder.endpoint_url(endpoint_url);
        }
        builder.build()
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: Some(self.region.clone()),
            credentials: self.credentials.clone(),
            endpoint_url: self.endpoint_url.clone(),
            disable_host_prefix: self.disable_host_prefix,
            retry: self.retry.clone(),
            timeouts: self.timeouts.clone(),
            validation: self.validation,
            transport: Some(self.transport.clone()),
            idempotency_token: self.idempotency_token.clone(),
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: Some(self.request_min_compression_size_bytes),
            profile: None,
        }
    }

    /// The region, e.g. `us-east-1`.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The credentials; `None` means requests are sent unsigned.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The endpoint override, as given.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The endpoint override, parsed and checked by [`ConfigBuilder::build`].
    pub(crate) fn endpoint(&self) -> Option<&Uri> {
        self.endpoint.as_ref()
    }

    /// Whether `@endpoint` host prefixes are ignored.
    pub fn disable_host_prefix(&self) -> bool {
        self.disable_host_prefix
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The time limits.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// How much validation runs before sending.
    pub fn validation(&self) -> ValidationMode {
        self.validation
    }

    /// The transport requests are sent through.
    pub fn transport(&self) -> &dyn Transport {
        &*self.transport
    }

    /// The fixed idempotency token, if one was configured (for tests).
    pub fn idempotency_token(&self) -> Option<&str> {
        self.idempotency_token.as_deref()
    }

    /// Whether request bodies are never compressed.
    pub fn disable_request_compression(&self) -> bool {
        self.disable_request_compression
    }

    /// The body size from which requests are compressed.
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_min_compression_size_bytes
    }
}

/// Builds a [`Config`]; only the region is required.
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<Credentials>,
    endpoint_url: Option<String>,
    disable_host_prefix: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    validation: ValidationMode,
    transport: Option<Arc<dyn Transport>>,
    idempotency_token: Option<String>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: Option<u32>,
    profile: Option<String>,
}

impl ConfigBuilder {
    /// Takes the region and credentials not set on this builder from the shared config
    /// profile `name` (case-sensitive), as the AWS CLI's `--profile` does: the profile's static
    /// keys win over the environment's keys, and the region is `AWS_REGION`, else
    /// `AWS_DEFAULT_REGION`, else the profile's `region`. [`ConfigBuilder::build`] fails when
    /// the profile is not defined (naming those that are) or holds no usable keys.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Turns off gzip compression of request bodies (operations with `@requestCompression`).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = disable;
        self
    }

    /// Compresses request bodies from this many bytes on (default 10240, at most 10485760).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// Sets the region, e.g. `us-east-1` (required).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the credentials; without them requests are sent unsigned.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends every request to this URL (scheme, host, port and base path) instead of the
    /// regional AWS endpoint, e.g. `http://127.0.0.1:8080` for a local test server.
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// Ignores the host prefixes of `@endpoint` operations (e.g. the `data-` of IoT data
    /// operations), as the official SDKs' `disable_host_prefix_injection`.
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.disable_host_prefix = disable;
        self
    }

    /// Sets the retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the time limits (the connect timeout only affects the default transport).
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets how much validation runs before sending.
    pub fn validation(mut self, validation: ValidationMode) -> Self {
        self.validation = validation;
        self
    }

    /// Sends requests through `transport` instead of a new [`HyperTransport`].
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Uses this idempotency token for every operation instead of a random UUID (for tests).
    pub fn idempotency_token(mut self, token: impl Into<String>) -> Self {
        self.idempotency_token = Some(token.into());
        self
    }

    /// Checks the settings and builds the configuration.
    ///
    /// Fails when the region is missing or empty, or the endpoint URL is not an absolute
    /// `http`/`https` URL without query or credentials, or a [profile](ConfigBuilder::profile)
    /// cannot give what is missing.
    pub fn build(self) -> Result<Config, ConfigError> {
        self.build_with(&env_var)
    }

    /// [`ConfigBuilder::build`], reading variables through `lookup` (for tests).
    fn build_with(mut self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        if let Some(profile) = self.profile.take() {
            let mut resolver = Resolver::new(lookup, Some(&profile));
            if self.region.is_none() {
                self.region = Some(resolver.region()?);
            }
            if self.credentials.is_none() {
                self.credentials = Some(resolver.credentials()?);
            }
        }
        let region = self
            .region
            .filter(|region| !region.trim().is_empty())
            .ok_or_else(|| ConfigError::new("no region: call ConfigBuilder::region"))?;
        let endpoint = self.endpoint_url.as_deref().map(parse_endpoint_url).transpose()?;
        let min_compression = self.request_min_compression_size_bytes.unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE);
        if min_compression > MAX_MIN_COMPRESSION_SIZE {
            return Err(ConfigError::new(format!(
                "request_min_compression_size_bytes is {min_compression}; it must be at most {MAX_MIN_COMPRESSION_SIZE}"
            )));
        }
        let transport = match self.transport {
            Some(transport) => transport,
            None => Arc::new(HyperTransport::new(&self.timeouts)),
        };
        Ok(Config {
            region,
            credentials: self.credentials,
            endpoint_url: self.endpoint_url,
            endpoint,
            disable_host_prefix: self.disable_host_prefix,
            retry: self.retry,
            timeouts: self.timeouts,
            validation: self.validation,
            transport,
            idempotency_token: self.idempotency_token,
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: min_compression,
        })
    }
}

/// Parses an endpoint override, rejecting what [`resolve_endpoint`](crate::endpoint::resolve_endpoint)
/// cannot use.
fn parse_endpoint_url(url: &str) -> Result<Uri, ConfigError> {
    let invalid = |why: &str| ConfigError::new(format!("invalid endpoint URL `{url}`: {why}"));
    let uri: Uri = url.parse().map_err(|err: http::uri::InvalidUri| invalid(&err.to_string()))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(_) => return Err(invalid("the scheme must be http or https")),
        None => return Err(invalid("expected an absolute URL such as https://host:port")),
    }
    let authority = uri.authority().ok_or_else(|| invalid("no host"))?;
    if authority.as_str().contains('@') {
        return Err(invalid("credentials in the URL are not supported"));
    }
    if authority.host().is_empty() {
        return Err(invalid("no host"));
    }
    if uri.query().is_some() {
        return Err(invalid("a query string is not supported"));
    }
    Ok(uri)
}

/// A fresh idempotency token: the configured fixed token, else a random UUID v4.
pub fn new_idempotency_token(config: &Config) -> String {
    match config.idempotency_token() {
        Some(token) => token.to_owned(),
        None => uuid::Uuid::new_v4().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_requires_a_region_and_a_usable_endpoint() {
        let err = Config::builder().build().unwrap_err();
        assert!(err.to_string().contains("no region"), "{err}");
        for (url, why) in [
            ("localhost:8080", "absolute"),
            ("ftp://example.com", "scheme"),
            ("/just/a/path", "absolute"),
            ("http://user:pw@example.com", "credentials"),
            ("http://example.com/?a=b", "query"),
            ("http://exa mple.com", "invalid"),
        ] {
            let err = Config::builder().region("us-east-1").endpoint_url(url).build().unwrap_err();
            assert!(err.to_string().contains(why), "{url}: {err}");
        }
        let config = Config::builder().region("us-east-1").build().expect("valid config");
        assert_eq!(config.validation(), ValidationMode::Full);
        assert_eq!(config.timeouts().connect_timeout(), Some(Duration::from_millis(3100)));
        assert!(config.credentials().is_none());
    }

    #[test]
    fn config_from_env_lookup() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string())
        };
        let config = Config::from_lookup(&env(&[
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
        ]))
        .expect("complete environment");
        assert_eq!(config.region(), "eu-west-1");
        let credentials = config.credentials().expect("credentials");
        assert_eq!((credentials.access_key_id(), credentials.session_token()), ("AKID", Some("token")));

        let config = Config::from_lookup(&env(&[
            ("AWS_REGION", "us-east-2"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
        ]))
        .expect("complete environment");
        assert_eq!(config.region(), "us-east-2");
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9000"));

        let err = Config::from_lookup(&env(&[("AWS_ACCESS_KEY_ID", "AKID")])).unwrap_err();
        assert!(err.to_string().contains("AWS_REGION"), "{err}");
        let err = Config::from_lookup(&env(&[("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "AKID")])).unwrap_err();
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{err}");
    }

    #[test]
    fn config_from_the_shared_files() {
        let dir = crate::test_support::TempDir::new("config-profile");
        let config_file = dir.write("config", "[default]\nregion = eu-north-1\n[profile dev]\nregion = eu-west-1\n");
        let credentials_file = dir.write(
            "credentials",
            "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = default-secret\n\
             [dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n",
        );
        let files =
            [("AWS_CONFIG_FILE", config_file.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", credentials_file.as_str())];
        let env_keys = [("AWS_ACCESS_KEY_ID", "ENVKEY"), ("AWS_SECRET_ACCESS_KEY", "env-secret")];

        let config = Config::from_lookup(&crate::test_support::env_of(&files)).expect("default profile");
        assert_eq!(
            (config.region(), config.credentials().map(Credentials::access_key_id)),
            ("eu-north-1", Some("DEFAULTKEY"))
        );
        let debug = format!("{config:?}");
        assert!(!debug.contains("default-secret"), "{debug}");

        let env = crate::test_support::env_of(&[&files[..], &env_keys[..]].concat());
        let config = Config::from_lookup(&env).expect("env keys");
        assert_eq!(config.credentials().map(Credentials::access_key_id), Some("ENVKEY"));
        // A profile named in code wins over the environment's keys; explicit settings win over it.
        let config = Config::builder().profile("dev").build_with(&env).expect("profile dev");
        assert_eq!(
            (config.region(), config.credentials().map(Credentials::access_key_id)),
            ("eu-west-1", Some("DEVKEY"))
        );
        assert_eq!(config.credentials().and_then(Credentials::session_token), Some("dev-token"));
        let explicit = Credentials::new("MINE", "mine", None);
        let config = Config::builder().profile("dev").region("us-east-1").credentials(explicit).build_with(&env);
        let config = config.expect("explicit settings");
        assert_eq!(
            (config.region(), config.credentials().map(Credentials::access_key_id)),
            ("us-east-1", Some("MINE"))
        );
        let err = Config::builder().profile("prod").build_with(&env).expect_err("undefined profile");
        assert!(err.message().contains("defined profiles: default, dev"), "{err}");
        // Without a profile the builder reads nothing from the environment or the files.
        let err = Config::builder().build_with(&env).expect_err("no region");
        assert!(err.message().contains("call ConfigBuilder::region"), "{err}");
    }

    #[test]
    fn idempotency_tokens() {
        let random = Config::builder().region("us-east-1").build().expect("valid config");
        let (a, b) = (new_idempotency_token(&random), new_idempotency_token(&random));
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let fixed = random.to_builder().idempotency_token("fixed").build().expect("valid config");
        assert_eq!(new_idempotency_token(&fixed), "fixed");
    }
}
