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

mod endpoints;
mod load;

pub(crate) use self::endpoints::ConfiguredEndpoints;
pub use self::load::ConfigLoader;

use crate::credentials::{Credentials, ProvideCredentials, SharedCredentialsProvider};
use crate::endpoint::{EndpointCache, EndpointRules};
use crate::retry::RetryConfig;
use crate::transport::{HyperTransport, Transport};
use aws_lite_endpoint_rules::ParamValue as EndpointParamValue;

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
    /// The service's endpoint rule set; without one the endpoint is
    /// `https://{endpoint_prefix}.{region}.{dns suffix}`.
    pub endpoint_rules: Option<&'static EndpointRules>,
}

/// Whether calls to services with account-based endpoints (DynamoDB) address the account
/// (`AWS::Auth::AccountIdEndpointMode`), as the official SDKs' `account_id_endpoint_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountIdEndpointMode {
    /// Use an account-based endpoint when the account id is known.
    #[default]
    Preferred,
    /// Never use account-based endpoints.
    Disabled,
    /// Always use account-based endpoints; resolution fails without an account id.
    Required,
}

impl AccountIdEndpointMode {
    /// The setting's value: `preferred`, `disabled` or `required`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }
}

impl std::str::FromStr for AccountIdEndpointMode {
    type Err = ConfigError;

    /// `preferred`, `disabled` or `required`, any case.
    fn from_str(text: &str) -> Result<Self, ConfigError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "preferred" => Ok(AccountIdEndpointMode::Preferred),
            "disabled" => Ok(AccountIdEndpointMode::Disabled),
            "required" => Ok(AccountIdEndpointMode::Required),
            _ => Err(ConfigError::new(format!(
                "account id endpoint mode `{text}`; expected `preferred`, `disabled` or `required`"
            ))),
        }
    }
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
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    endpoint: Option<Uri>,
    configured_endpoints: ConfiguredEndpoints,
    use_fips: bool,
    use_dual_stack: bool,
    account_id_endpoint_mode: AccountIdEndpointMode,
    client_context_params: Vec<(String, EndpointParamValue)>,
    disable_host_prefix: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    validation: ValidationMode,
    transport: Arc<dyn Transport>,
    idempotency_token: Option<String>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
    endpoint_cache: Arc<EndpointCache>,
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

    /// A configuration resolved from the environment and the shared config files as the AWS
    /// SDKs resolve it (see [`ConfigLoader`]); use [`Config::loader`] to name a profile or
    /// set parts in code.
    pub async fn load() -> Result<Config, ConfigError> {
        Self::loader().load().await
    }

    /// A loader: settings given to it win; the rest is resolved by [`ConfigLoader::load`].
    pub fn loader() -> ConfigLoader {
        ConfigLoader::default()
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: Some(self.region.clone()),
            credentials: self.credentials.clone(),
            endpoint_url: self.endpoint_url.clone(),
            configured_endpoints: self.configured_endpoints.clone(),
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            account_id_endpoint_mode: self.account_id_endpoint_mode,
            client_context_params: self.client_context_params.clone(),
            disable_host_prefix: self.disable_host_prefix,
            retry: self.retry.clone(),
            timeouts: self.timeouts.clone(),
            validation: self.validation,
            transport: Some(self.transport.clone()),
            idempotency_token: self.idempotency_token.clone(),
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: Some(self.request_min_compression_size_bytes),
        }
    }

    /// The region, e.g. `us-east-1`.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The credentials provider; `None` means requests are sent unsigned.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref()
    }

    /// The endpoint override given in code, as given.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The endpoint URL of the service `sdk_id`: the override given in code, else the one
    /// configured for it in the environment or the shared config (see [`ConfigLoader`]).
    pub(crate) fn endpoint_for(&self, sdk_id: &str) -> Option<&Uri> {
        self.endpoint.as_ref().or_else(|| self.configured_endpoints.for_service(sdk_id))
    }

    /// The endpoints resolved by rule sets so far.
    pub(crate) fn endpoint_cache(&self) -> &EndpointCache {
        &self.endpoint_cache
    }

    /// Whether FIPS endpoints are requested (`AWS_USE_FIPS_ENDPOINT`, `use_fips_endpoint`).
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv6) endpoints are requested (`AWS_USE_DUALSTACK_ENDPOINT`,
    /// `use_dualstack_endpoint`).
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Whether account-based endpoints are used (`AWS_ACCOUNT_ID_ENDPOINT_MODE`,
    /// `account_id_endpoint_mode`), for services whose rule set reads
    /// `AWS::Auth::AccountIdEndpointMode`.
    pub fn account_id_endpoint_mode(&self) -> AccountIdEndpointMode {
        self.account_id_endpoint_mode
    }

    /// The value of the client context parameter `name` (a parameter of a service's endpoint
    /// rule set, such as S3's `ForcePathStyle`), if one was set.
    pub fn client_context_param(&self, name: &str) -> Option<&EndpointParamValue> {
        self.client_context_params.iter().find(|(n, _)| n == name).map(|(_, value)| value)
    }

    /// The client context parameters set, in the order they were first set.
    pub(crate) fn client_context_params(&self) -> &[(String, EndpointParamValue)] {
        &self.client_context_params
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

/// Builds a [`Config`]; only the region is required. Reads nothing from the environment or
/// the shared files (that is [`Config::load`]'s job).
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    configured_endpoints: ConfiguredEndpoints,
    use_fips: bool,
    use_dual_stack: bool,
    account_id_endpoint_mode: AccountIdEndpointMode,
    client_context_params: Vec<(String, EndpointParamValue)>,
    disable_host_prefix: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    validation: ValidationMode,
    transport: Option<Arc<dyn Transport>>,
    idempotency_token: Option<String>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: Option<u32>,
}

impl ConfigBuilder {
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

    /// Sets fixed credentials; without credentials requests are sent unsigned.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::fixed(credentials));
        self
    }

    /// Loads credentials from `provider`, cached until shortly before they expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Uses `provider` as it is (already cached, or fixed).
    pub(crate) fn credentials_provider_shared(mut self, provider: SharedCredentialsProvider) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Requests FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = use_fips;
        self
    }

    /// Requests dual-stack (IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// Sets whether account-based endpoints are used (default
    /// [`Preferred`](AccountIdEndpointMode::Preferred)).
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.account_id_endpoint_mode = mode;
        self
    }

    /// Sets a parameter of the services' endpoint rule sets that clients may set
    /// (`smithy.rules#clientContextParams`, listed in each generated client's documentation),
    /// e.g. `.client_context_param("ForcePathStyle", true)`; a parameter set twice keeps the
    /// last value. Parameters a service's rule set does not declare are ignored by that service.
    pub fn client_context_param(mut self, name: impl Into<String>, value: impl Into<EndpointParamValue>) -> Self {
        let (name, value) = (name.into(), value.into());
        match self.client_context_params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.client_context_params.push((name, value)),
        }
        self
    }

    /// The endpoint URLs configured per service outside the code.
    pub(crate) fn configured_endpoints(mut self, endpoints: ConfiguredEndpoints) -> Self {
        self.configured_endpoints = endpoints;
        self
    }

    /// Sends requests through a transport that is already shared.
    pub(crate) fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
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
    /// `http`/`https` URL without query or credentials.
    pub fn build(self) -> Result<Config, ConfigError> {
        let region = self
            .region
            .filter(|region| !region.trim().is_empty())
            .ok_or_else(|| ConfigError::new("no region: call ConfigBuilder::region"))?;
        let endpoint = self.endpoint_url.as_deref().map(|url| parse_endpoint_url(url, "")).transpose()?;
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
            configured_endpoints: self.configured_endpoints,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            account_id_endpoint_mode: self.account_id_endpoint_mode,
            client_context_params: self.client_context_params,
            disable_host_prefix: self.disable_host_prefix,
            retry: self.retry,
            timeouts: self.timeouts,
            validation: self.validation,
            transport,
            idempotency_token: self.idempotency_token,
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: min_compression,
            endpoint_cache: Arc::default(),
        })
    }
}

/// Parses an endpoint override, rejecting what [`resolve_endpoint`](crate::endpoint::resolve_endpoint)
/// cannot use; `origin` (e.g. ` (from AWS_ENDPOINT_URL)`) says where it was set.
pub(crate) fn parse_endpoint_url(url: &str, origin: &str) -> Result<Uri, ConfigError> {
    let invalid = |why: &str| ConfigError::new(format!("invalid endpoint URL `{url}`{origin}: {why}"));
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
        None => crate::sdk_headers::random_uuid().to_string(),
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
        assert!(config.credentials_provider().is_none());
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
