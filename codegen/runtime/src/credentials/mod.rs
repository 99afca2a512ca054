//! The AWS credentials requests are signed with, and where they come from: given in code, or
//! found by the default provider chain the official SDKs use (environment, shared profile, web
//! identity, container, instance metadata), cached and refreshed before they expire.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

mod cache;
mod chain;
mod container;
mod context;
mod environment;
mod http_json;
mod imds;
mod process;
mod profile;
mod sso;
mod sts;
mod web_identity;

#[cfg(test)]
pub(crate) mod fake_server;

pub(crate) use self::cache::CredentialsCache;
pub(crate) use self::chain::DefaultChain;
pub(crate) use self::context::{system_clock, Clock, Env, ProviderContext};
pub(crate) use self::environment::{from_env_keys, text_problem, EnvironmentProvider};
pub(crate) use self::imds::region as imds_region;

/// AWS access keys used to sign requests, with the time temporary keys expire.
///
/// Cheap to clone. `Debug` shows the access key id but never the secret key or the session
/// token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Arc<Keys>);

#[derive(Clone, PartialEq, Eq)]
struct Keys {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    account_id: Option<String>,
}

/// Which [`Credentials`] value (not which keys) a cache entry was made for, without keeping its
/// keys alive: a weak reference holds the allocation, so no other credentials can take its
/// address, while the keys themselves are dropped with the last `Credentials`.
pub(crate) struct CredentialsIdentity(std::sync::Weak<Keys>);

impl CredentialsIdentity {
    /// Whether `credentials` are the very value this identity was taken from (or a clone).
    pub(crate) fn is(&self, credentials: &Credentials) -> bool {
        std::ptr::eq(self.0.as_ptr(), Arc::as_ptr(&credentials.0))
    }
}

impl Credentials {
    /// This value's identity, for caches of what is derived from it.
    pub(crate) fn identity(&self) -> CredentialsIdentity {
        CredentialsIdentity(Arc::downgrade(&self.0))
    }

    /// Credentials from an access key pair and, for temporary credentials, a session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self(Arc::new(Keys {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            account_id: None,
        }))
    }

    /// These credentials, of the AWS account `account_id` (endpoint rule sets that route by
    /// account, such as DynamoDB's, use it).
    pub fn with_account_id(self, account_id: impl Into<String>) -> Self {
        let keys = Arc::unwrap_or_clone(self.0);
        Self(Arc::new(Keys { account_id: Some(account_id.into()), ..keys }))
    }

    /// These credentials, expiring at `expiry` (temporary credentials are refreshed a few
    /// minutes before).
    pub fn with_expiry(self, expiry: SystemTime) -> Self {
        let keys = Arc::unwrap_or_clone(self.0);
        Self(Arc::new(Keys { expiry: Some(expiry), ..keys }))
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optionally) `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Credentials, CredentialsError> {
        from_env_keys(&env_var)?.ok_or_else(|| {
            CredentialsError::not_configured("environment", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        })
    }

    /// The access key id, e.g. `AKIDEXAMPLE`.
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }

    /// When temporary credentials expire; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.0.expiry
    }

    /// The AWS account the credentials belong to, when their source says.
    pub fn account_id(&self) -> Option<&str> {
        self.0.account_id.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "** redacted **";
        let mut debug = f.debug_struct("Credentials");
        debug
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field("session_token", &self.0.session_token.as_ref().map(|_| REDACTED));
        if let Some(expiry) = self.0.expiry {
            debug.field("expiry", &crate::primitives::DateTime::from(expiry));
        }
        if let Some(account_id) = &self.0.account_id {
            debug.field("account_id", account_id);
        }
        debug.finish()
    }
}

/// The future a [`ProvideCredentials`] implementation returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Something that can give credentials, now or after a network call. Object-safe, so a
/// [`Config`](crate::client::Config) can hold any provider.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Loads credentials. Called again when the cached ones near their expiry.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// A shared, cached credentials provider, as a [`Config`](crate::client::Config) holds it.
#[derive(Debug, Clone)]
pub struct SharedCredentialsProvider(Shared);

/// Fixed credentials and caches are held by their type so a call reads them without boxing a
/// future.
#[derive(Debug, Clone)]
enum Shared {
    Fixed(Credentials),
    Cached(Arc<CredentialsCache>),
}

impl SharedCredentialsProvider {
    /// Fixed credentials, needing no cache.
    pub(crate) fn fixed(credentials: Credentials) -> Self {
        Self(Shared::Fixed(credentials))
    }

    /// Shares a cache.
    pub(crate) fn cached_with(cache: CredentialsCache) -> Self {
        Self(Shared::Cached(Arc::new(cache)))
    }

    /// Shares `provider` behind a cache that refreshes its credentials before they expire and
    /// makes concurrent callers wait for one refresh.
    pub fn new(provider: impl ProvideCredentials) -> Self {
        Self::cached_with(CredentialsCache::new(provider, context::system_clock()))
    }

    /// The credentials to sign a request with.
    pub(crate) async fn load(&self) -> Result<Credentials, CredentialsError> {
        match &self.0 {
            Shared::Fixed(credentials) => Ok(credentials.clone()),
            Shared::Cached(cache) => cache.get().await,
        }
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// What kind of failure a [`CredentialsError`] is; decides whether the default chain goes on
/// to its next provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The provider is not configured here (a variable unset, no such profile key, no metadata
    /// service): the chain tries the next provider.
    NotConfigured,
    /// The provider is configured, but wrongly (a malformed file, a missing setting): the
    /// chain stops.
    InvalidConfiguration,
    /// The provider is configured but could not get credentials (a service error, an expired
    /// SSO token, a failing process): the chain stops.
    ProviderFailed,
}

/// Credentials could not be loaded; the message names the provider and what went wrong.
/// Never holds a secret.
#[derive(Debug, Clone)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    provider: &'static str,
    message: String,
    source: Option<Arc<dyn Error + Send + Sync>>,
}

impl CredentialsError {
    /// An error of `kind` from `provider` (e.g. `profile`), described by `message`.
    pub fn new(kind: CredentialsErrorKind, provider: &'static str, message: impl Into<String>) -> Self {
        Self { kind, provider, message: message.into(), source: None }
    }

    /// `provider` is not configured: `message` says what it looked for.
    pub fn not_configured(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotConfigured, provider, message)
    }

    /// `provider` is configured wrongly.
    pub fn invalid_configuration(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, provider, message)
    }

    /// `provider` failed to get credentials.
    pub fn provider_failed(provider: &'static str, message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderFailed, provider, message)
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The provider that failed, e.g. `environment`, `profile`, `instance metadata`.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            CredentialsErrorKind::NotConfigured => {
                write!(f, "no credentials from the {}: {}", self.provider, self.message)
            }
            CredentialsErrorKind::InvalidConfiguration => {
                write!(f, "invalid {} credentials configuration: {}", self.provider, self.message)
            }
            CredentialsErrorKind::ProviderFailed => {
                write!(f, "could not load credentials from the {}: {}", self.provider, self.message)
            }
        }
    }
}

impl Error for CredentialsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|source| &**source as &(dyn Error + 'static))
    }
}

/// Reads an environment variable, treating empty and non-Unicode values as unset.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::config_with;
    use crate::transport::{InMemoryTransport, TransportError};

    #[test]
    fn debug_never_shows_secrets() {
        let credentials = Credentials::new("AKIDVISIBLE", "very-secret-key", Some("session-token-value".into()));
        let config = config_with(InMemoryTransport::new(|_| Err(TransportError::other("unused"))))
            .credentials(credentials.clone());
        let texts = [
            format!("{credentials:?}"),
            format!("{config:?}"),
            format!("{:?}", config.clone().build().expect("valid config")),
        ];
        for text in texts {
            assert!(text.contains("AKIDVISIBLE"), "{text}");
            assert!(!text.contains("very-secret-key") && !text.contains("session-token-value"), "{text}");
        }
    }
}
