//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.

use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, Env, ProvideCredentials};

/// The environment's keys: `Ok(None)` when neither is set, an error when only one is.
pub(crate) fn from_env_keys(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<Credentials>, CredentialsError> {
    let access_key_id = lookup("AWS_ACCESS_KEY_ID");
    let secret_access_key = lookup("AWS_SECRET_ACCESS_KEY");
    let invalid = |message: &str| CredentialsError::invalid_configuration("environment", message);
    match (access_key_id, secret_access_key) {
        (Some(access_key_id), Some(secret_access_key)) => {
            Ok(Some(Credentials::new(access_key_id, secret_access_key, lookup("AWS_SESSION_TOKEN"))))
        }
        (Some(_), None) => Err(invalid("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")),
        (None, Some(_)) => Err(invalid("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")),
        (None, None) => Ok(None),
    }
}

/// The first provider of the default chain.
#[derive(Debug, Clone)]
pub(crate) struct EnvironmentProvider {
    pub(crate) env: Env,
}

impl EnvironmentProvider {
    pub(crate) fn load(&self) -> Result<Credentials, CredentialsError> {
        from_env_keys(&|name| self.env.get(name))?.ok_or_else(|| {
            CredentialsError::not_configured("environment", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        })
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let loaded = self.load();
        Box::pin(async move { loaded })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    #[test]
    fn keys_from_the_environment() {
        let provider = |vars: &[(&str, &str)]| EnvironmentProvider { env: Env::of(vars) }.load();
        let found =
            provider(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_SESSION_TOKEN", "t")])
                .expect("complete keys");
        assert_eq!((found.access_key_id(), found.session_token()), ("AKID", Some("t")));
        let err = provider(&[]).expect_err("nothing set");
        assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
        let err = provider(&[("AWS_ACCESS_KEY_ID", "AKID")]).expect_err("half set");
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY is not"), "{err}");
        let err = provider(&[("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_ACCESS_KEY_ID", "")]).expect_err("blank id");
        assert!(err.to_string().contains("AWS_ACCESS_KEY_ID is not"), "{err}");
    }
}
