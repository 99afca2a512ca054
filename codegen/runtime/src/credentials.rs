//! The AWS access keys requests are signed with: given to the configuration, or read from the
//! environment variables the official SDKs read.

use std::fmt;

use crate::config::ConfigError;

/// AWS access keys used to sign requests.
///
/// `Debug` shows the access key id but never the secret key or the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from an access key pair and, for temporary credentials, a session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self { access_key_id: access_key_id.into(), secret_access_key: secret_access_key.into(), session_token }
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optionally) `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Credentials, ConfigError> {
        Self::from_lookup(&env_var)
    }

    /// [`Credentials::from_env`] over any variable lookup, so tests need not touch the process
    /// environment. Empty values count as unset.
    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, ConfigError> {
        Self::from_env_keys(lookup)?
            .ok_or_else(|| ConfigError::new("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
    }

    /// The environment's keys: `Ok(None)` when neither is set, an error when only one is.
    pub(crate) fn from_env_keys(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<Credentials>, ConfigError> {
        let access_key_id = lookup("AWS_ACCESS_KEY_ID");
        let secret_access_key = lookup("AWS_SECRET_ACCESS_KEY");
        match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => {
                Ok(Some(Credentials { access_key_id, secret_access_key, session_token: lookup("AWS_SESSION_TOKEN") }))
            }
            (Some(_), None) => Err(ConfigError::new("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")),
            (None, Some(_)) => Err(ConfigError::new("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")),
            (None, None) => Ok(None),
        }
    }

    /// The access key id, e.g. `AKIDEXAMPLE`.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "** redacted **";
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field("session_token", &self.session_token.as_ref().map(|_| REDACTED))
            .finish()
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
