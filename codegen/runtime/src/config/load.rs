//! [`Config::load`]: a configuration resolved from the environment, the shared config files and
//! (on EC2) the instance metadata service, in the order of the AWS SDKs and CLI.

use std::sync::Arc;

use crate::config::{AccountIdEndpointMode, Config, ConfigError, ConfiguredEndpoints, TimeoutConfig};
use crate::credentials::{
    imds_region, Clock, CredentialsCache, DefaultChain, Env, ProvideCredentials, ProviderContext,
    SharedCredentialsProvider,
};
use crate::profile::ProfileSet;
use crate::retry::RetryConfig;
use crate::transport::{HyperTransport, ProxyConfig, Transport};

/// Loads a [`Config`] the way `aws_config::load_defaults` and the AWS CLI do. What is set on
/// the loader wins; the rest is resolved when [`ConfigLoader::load`] runs:
///
/// - profile: [`ConfigLoader::profile`], else `AWS_PROFILE`, else `default`, read from
///   `AWS_CONFIG_FILE` (`~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
///   (`~/.aws/credentials`). A profile that is named must exist.
/// - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region`, else the
///   instance metadata service.
/// - credentials: the default chain, cached and refreshed before expiry: the environment
///   (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`; skipped when a
///   profile is named in code, as with the CLI's `--profile`), the profile (static keys,
///   `credential_process`, `role_arn` with `source_profile` or `credential_source`,
///   `web_identity_token_file`, SSO), web identity from the environment
///   (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`), the container endpoint (ECS, EKS Pod
///   Identity), the instance metadata service (IMDSv2). Credentials are loaded at the first
///   call, not here.
/// - endpoint URL, per service: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
///   service's `endpoint_url` in the profile's `services` section, the profile's
///   `endpoint_url`; none of them when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or
///   `ignore_configured_endpoint_urls`) is true.
/// - retries: `AWS_MAX_ATTEMPTS` / `max_attempts`, `AWS_RETRY_MODE` / `retry_mode`
///   (`standard`; `legacy` is read as `standard`; `adaptive` is not supported).
/// - `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`, `AWS_USE_DUALSTACK_ENDPOINT` /
///   `use_dualstack_endpoint`;
/// - `AWS_ACCOUNT_ID_ENDPOINT_MODE` / `account_id_endpoint_mode` (`preferred`, `disabled`,
///   `required`).
/// - HTTP (unless a transport is given): the platform's root certificates, plus those of the
///   PEM file `AWS_CA_BUNDLE` / `ca_bundle` names; proxies from `HTTPS_PROXY`, `HTTP_PROXY`
///   and `NO_PROXY` (or their lower-case forms).
#[derive(Debug, Clone, Default)]
pub struct ConfigLoader {
    profile: Option<String>,
    region: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    transport: Option<Arc<dyn Transport>>,
    env: Option<Env>,
    clock: Option<ClockOverride>,
    region_hint: Option<&'static str>,
}

/// A test clock, shown by name only.
#[derive(Clone)]
struct ClockOverride(Clock);

impl std::fmt::Debug for ClockOverride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClockOverride")
    }
}

impl ConfigLoader {
    /// Reads profile `name` (case-sensitive) of the shared files instead of `AWS_PROFILE` or
    /// `default`, as the AWS CLI's `--profile` does: its credentials win over the
    /// environment's keys.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Sets the region instead of resolving it.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Uses fixed credentials instead of the default chain.
    pub fn credentials(mut self, credentials: crate::credentials::Credentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::fixed(credentials));
        self
    }

    /// Loads credentials from `provider` (cached) instead of the default chain.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sends every request to this URL, whatever the environment or the profile configure.
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// Sets the retry settings instead of reading `max_attempts` and `retry_mode`.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets the time limits.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Sends requests (the credential providers' too) through `transport`.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Reads `env` instead of the process environment (for tests).
    #[cfg(test)]
    pub(crate) fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Reads the time from `clock` (for tests).
    #[cfg(test)]
    pub(crate) fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(ClockOverride(clock));
        self
    }

    /// Starts the missing-region message with `hint` (e.g. `pass --region or `).
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub(crate) fn region_hint(mut self, hint: &'static str) -> Self {
        self.region_hint = Some(hint);
        self
    }

    /// Resolves what was not set and builds the configuration.
    ///
    /// Fails when a file is malformed (naming the file and line), a named profile does not
    /// exist (naming those that do), a setting is invalid (naming the variable or the profile
    /// key), or no region is found. Credential problems surface at the first call, as
    /// [`SdkError::Credentials`](crate::client::SdkError::Credentials).
    pub async fn load(self) -> Result<Config, ConfigError> {
        let env = self.env.unwrap_or_else(Env::process);
        let profiles = ProfileSet::load(&|name| env.get(name))?;
        let (profile_name, profile_in_code) = select_profile(&env, &profiles, self.profile)?;
        let settings = Settings { env: &env, profiles: &profiles, profile: &profile_name };
        let timeouts = self.timeouts.unwrap_or_default();
        let transport: Arc<dyn Transport> = match self.transport {
            Some(transport) => transport,
            None => Arc::new(settings.transport(&timeouts)?),
        };
        let retry = match self.retry {
            Some(retry) => retry,
            None => settings.retry()?,
        };
        let use_fips = settings.flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?;
        let use_dual_stack = settings.flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")?;
        let account_id_endpoint_mode = match settings.get("AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode") {
            None => AccountIdEndpointMode::default(),
            Some((mode, origin)) => mode.parse().map_err(|_: ConfigError| {
                ConfigError::new(format!("{origin} is `{mode}`; expected `preferred`, `disabled` or `required`"))
            })?,
        };
        let endpoints = if settings.flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls")? {
            ConfiguredEndpoints::default()
        } else {
            ConfiguredEndpoints::load(&env, &profiles, &profile_name)?
        };
        let region_setting = self.region.or_else(|| settings.region());
        let clock = self.clock.map(|clock| clock.0).unwrap_or_else(crate::credentials::system_clock);
        let mut ctx = ProviderContext {
            env,
            profiles: Arc::new(profiles),
            profile_name,
            profile_in_code,
            region: region_setting.clone(),
            transport: transport.clone(),
            timeouts: timeouts.clone(),
            retry: retry.clone(),
            endpoints: endpoints.clone(),
            clock,
        };
        let region = match region_setting {
            Some(region) => region,
            None => match imds_region(&ctx).await {
                Some(region) => region,
                None => {
                    return Err(ConfigError::new(format!(
                        "no region: {}set AWS_REGION (or AWS_DEFAULT_REGION), or `region` in profile `{}` of the \
                         shared files ({}); the instance metadata service gave none",
                        self.region_hint.unwrap_or("call ConfigLoader::region, or "),
                        ctx.profile_name,
                        ctx.profiles.files()
                    )))
                }
            },
        };
        ctx.region = Some(region.clone());
        let credentials = match self.credentials {
            Some(credentials) => credentials,
            None => {
                let clock = ctx.clock.clone();
                SharedCredentialsProvider::cached_with(CredentialsCache::new(DefaultChain::new(ctx), clock))
            }
        };
        let mut builder = Config::builder()
            .region(region)
            .credentials_provider_shared(credentials)
            .shared_transport(transport)
            .retry(retry)
            .timeouts(timeouts)
            .configured_endpoints(endpoints)
            .use_fips(use_fips)
            .use_dual_stack(use_dual_stack)
            .account_id_endpoint_mode(account_id_endpoint_mode);
        if let Some(url) = self.endpoint_url {
            builder = builder.endpoint_url(url);
        }
        builder.build()
    }
}

/// The profile named in code, else `AWS_PROFILE`, else `default`, and whether it was named in
/// code. A named profile must exist; `default` need not.
fn select_profile(env: &Env, profiles: &ProfileSet, in_code: Option<String>) -> Result<(String, bool), ConfigError> {
    let from_code = in_code.is_some();
    let (name, by) = match (in_code, env.get("AWS_PROFILE")) {
        (Some(name), _) => (name, Some("")),
        (None, Some(name)) => (name.trim().to_owned(), Some(" (AWS_PROFILE)")),
        (None, None) => ("default".to_owned(), None),
    };
    if let (Some(by), None) = (by, profiles.profile(&name)) {
        let names = profiles.profile_names();
        let defined = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        return Err(ConfigError::new(format!(
            "profile `{name}`{by} is not defined in the shared files ({}); defined profiles: {defined}",
            profiles.files()
        )));
    }
    Ok((name, from_code))
}

/// Settings read from a variable, else a key of the selected profile.
struct Settings<'a> {
    env: &'a Env,
    profiles: &'a ProfileSet,
    profile: &'a str,
}

impl Settings<'_> {
    /// The value and where it came from (for messages).
    fn get(&self, variable: &str, key: &str) -> Option<(String, String)> {
        if let Some(value) = self.env.get(variable) {
            return Some((value.trim().to_owned(), variable.to_owned()));
        }
        let property = self.profiles.profile(self.profile)?.get(key)?;
        let value = property.value.text.trim();
        (!value.is_empty()).then(|| {
            (value.to_owned(), format!("`{key}` of profile `{}` in {}", self.profile, property.file.display()))
        })
    }

    /// The default transport, also trusting the CA bundle of `AWS_CA_BUNDLE` / `ca_bundle`,
    /// through the proxies of the environment.
    fn transport(&self, timeouts: &TimeoutConfig) -> Result<HyperTransport, ConfigError> {
        let proxy = ProxyConfig::from_lookup(&|name| self.env.get(name));
        let builder = HyperTransport::builder(timeouts).proxy(proxy);
        let Some((path, origin)) = self.get("AWS_CA_BUNDLE", "ca_bundle") else {
            return builder.build().map_err(|why| ConfigError::new(format!("cannot set up HTTP: {why}")));
        };
        let pem = std::fs::read(&path).map_err(|err| {
            ConfigError::new(format!("{origin} names the CA bundle `{path}`, which cannot be read: {err}"))
        })?;
        builder
            .ca_bundle(pem)
            .build()
            .map_err(|why| ConfigError::new(format!("{origin} names the CA bundle `{path}`, but {why}")))
    }

    fn region(&self) -> Option<String> {
        let region = self.env.get("AWS_REGION").map(|region| region.trim().to_owned());
        region.or_else(|| self.get("AWS_DEFAULT_REGION", "region").map(|(region, _)| region))
    }

    /// A boolean setting: `true` or `false`, any case; unset is false.
    fn flag(&self, variable: &str, key: &str) -> Result<bool, ConfigError> {
        match self.get(variable, key) {
            None => Ok(false),
            Some((value, _)) if value.eq_ignore_ascii_case("true") => Ok(true),
            Some((value, _)) if value.eq_ignore_ascii_case("false") => Ok(false),
            Some((value, origin)) => {
                Err(ConfigError::new(format!("{origin} is `{value}`; expected `true` or `false`")))
            }
        }
    }

    fn retry(&self) -> Result<RetryConfig, ConfigError> {
        let mut retry = RetryConfig::standard();
        if let Some((mode, origin)) = self.get("AWS_RETRY_MODE", "retry_mode") {
            match mode.to_ascii_lowercase().as_str() {
                "standard" => {}
                "legacy" => tracing::debug!(%origin, "retry mode `legacy` is read as `standard`"),
                "adaptive" => {
                    return Err(ConfigError::new(format!(
                        "{origin} is `adaptive`, which is not supported; use `standard`"
                    )))
                }
                _ => {
                    return Err(ConfigError::new(format!(
                        "{origin} is `{mode}`; expected `standard`, `legacy` or `adaptive`"
                    )))
                }
            }
        }
        if let Some((attempts, origin)) = self.get("AWS_MAX_ATTEMPTS", "max_attempts") {
            let parsed = attempts.parse::<u32>().ok().filter(|attempts| *attempts >= 1).ok_or_else(|| {
                ConfigError::new(format!("{origin} is `{attempts}`; expected a whole number of at least 1"))
            })?;
            retry = retry.with_max_attempts(parsed);
        }
        Ok(retry)
    }
}

#[cfg(test)]
mod tests;
