//! What every credentials provider works with: the environment as it was when the
//! configuration was loaded, the shared profile files, the selected profile, the region, and
//! the transport, retries and endpoint settings their own calls (STS, SSO, metadata) go through.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::{Config, ConfiguredEndpoints, TimeoutConfig};
use crate::credentials::{Credentials, CredentialsError, SharedCredentialsProvider};
use crate::profile::{ProfileSet, Property};
use crate::retry::RetryConfig;
use crate::transport::Transport;

/// The environment variables a configuration was loaded with.
///
/// A snapshot rather than live reads: lookups are cheap and the variables can be listed (for
/// `AWS_ENDPOINT_URL_<SERVICE>`). Empty (or blank) values count as unset, as in the SDKs.
#[derive(Clone, Default)]
pub(crate) struct Env(Arc<BTreeMap<String, String>>);

impl Env {
    /// The process environment now; variables whose name or value is not Unicode are skipped.
    pub(crate) fn process() -> Env {
        let vars =
            std::env::vars_os().filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)));
        Env(Arc::new(vars.collect()))
    }

    /// An environment of `vars` only (for tests).
    #[cfg(test)]
    pub(crate) fn of(vars: &[(&str, &str)]) -> Env {
        Env(Arc::new(vars.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()))
    }

    /// The value of `name`, if set and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).filter(|value| !value.trim().is_empty()).cloned()
    }

    /// The variables whose name starts with `prefix`, as (rest of the name, value).
    pub(crate) fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let values = self.0.range(prefix.to_owned()..);
        values
            .map_while(move |(name, value)| Some((name.strip_prefix(prefix)?, value.as_str())))
            .filter(|(_, value)| !value.trim().is_empty())
    }
}

impl fmt::Debug for Env {
    /// Names only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Env({} variables)", self.0.len())
    }
}

/// The current time, replaceable in tests.
pub(crate) type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// The system clock.
pub(crate) fn system_clock() -> Clock {
    Arc::new(SystemTime::now)
}

/// What providers share; cheap to clone.
#[derive(Clone)]
pub(crate) struct ProviderContext {
    pub(crate) env: Env,
    pub(crate) profiles: Arc<ProfileSet>,
    /// The selected profile: named in code, else `AWS_PROFILE`, else `default`.
    pub(crate) profile_name: String,
    /// The profile was named in code (`--profile`): environment keys do not apply.
    pub(crate) profile_in_code: bool,
    /// The configured region, if any (STS calls use it).
    pub(crate) region: Option<String>,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) retry: RetryConfig,
    pub(crate) endpoints: ConfiguredEndpoints,
    pub(crate) clock: Clock,
}

impl ProviderContext {
    /// A context over `env` and `profiles` alone, with the default transport (for tests).
    #[cfg(test)]
    pub(crate) fn for_tests(env: Env, profiles: ProfileSet, profile_name: &str) -> ProviderContext {
        let timeouts = TimeoutConfig::default();
        ProviderContext {
            env,
            profiles: Arc::new(profiles),
            profile_name: profile_name.to_owned(),
            profile_in_code: false,
            region: None,
            transport: Arc::new(crate::transport::HyperTransport::new(&timeouts)),
            timeouts,
            retry: RetryConfig::default(),
            endpoints: ConfiguredEndpoints::default(),
            clock: system_clock(),
        }
    }

    /// The value of the environment variable `name`, if set and not blank.
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        self.env.get(name)
    }

    /// The properties of profile `name`, if the shared files define it.
    pub(crate) fn profile(&self, name: &str) -> Option<&BTreeMap<String, Property>> {
        self.profiles.profile(name)
    }

    /// The current time.
    pub(crate) fn now(&self) -> SystemTime {
        (self.clock)()
    }

    /// A client configuration for a provider's own calls (STS, SSO) in `region`: the shared
    /// transport, retries, timeouts and configured endpoints (`AWS_ENDPOINT_URL_STS`, ...),
    /// signed with `credentials` or unsigned.
    pub(crate) fn client_config(
        &self,
        region: &str,
        credentials: Option<Credentials>,
    ) -> Result<Config, CredentialsError> {
        let mut builder = Config::builder()
            .region(region)
            .shared_transport(self.transport.clone())
            .retry(self.retry.clone())
            .timeouts(self.timeouts.clone())
            .configured_endpoints(self.endpoints.clone());
        if let Some(credentials) = credentials {
            builder = builder.credentials_provider_shared(SharedCredentialsProvider::fixed(credentials));
        }
        builder.build().map_err(|err| CredentialsError::invalid_configuration("profile", err.message().to_owned()))
    }
}

impl fmt::Debug for ProviderContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderContext")
            .field("profile_name", &self.profile_name)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lists_variables_by_prefix_and_ignores_blank_values() {
        let env = Env::of(&[
            ("AWS_ENDPOINT_URL", "http://all"),
            ("AWS_ENDPOINT_URL_IOT", "http://iot"),
            ("AWS_ENDPOINT_URL_STS", " "),
            ("AWS_ENDPOINT_URLS", "x"),
            ("AWS_REGION", "us-east-1"),
        ]);
        let listed: Vec<_> = env.with_prefix("AWS_ENDPOINT_URL_").collect();
        assert_eq!(listed, [("IOT", "http://iot")]);
        assert_eq!(env.get("AWS_ENDPOINT_URL_STS"), None);
        assert_eq!(env.get("AWS_REGION").as_deref(), Some("us-east-1"));
        assert_eq!(format!("{env:?}"), "Env(5 variables)");
    }
}
