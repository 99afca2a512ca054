//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.

use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, Env, ProvideCredentials};

/// The environment's keys: `Ok(None)` when neither is set, an error when only one is.
pub(crate) fn from_env_keys(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<Credentials>, CredentialsError> {
    let access_key_id = lookup("AWS_ACCESS_KEY_ID");
    let secret_access_key = lookup("AWS_SECRET_ACCESS_KEY");
    let invalid = |message: &str| CredentialsError::invalid_configuration("environment", message);
    match (access_key_id, secret_access_key) {
        (Some(access_key_id), Some(secret_access_key)) => {
            let session_token = lookup("AWS_SESSION_TOKEN");
            for (name, value) in [
                ("AWS_ACCESS_KEY_ID", Some(&access_key_id)),
                ("AWS_SECRET_ACCESS_KEY", Some(&secret_access_key)),
                ("AWS_SESSION_TOKEN", session_token.as_ref()),
            ] {
                if let Some(problem) = value.and_then(|value| text_problem(value)) {
                    return Err(invalid(&format!("{name} {problem}")));
                }
            }
            let credentials = Credentials::new(access_key_id, secret_access_key, session_token);
            Ok(Some(match lookup("AWS_ACCOUNT_ID").filter(|id| !id.trim().is_empty()) {
                Some(account_id) => credentials.with_account_id(account_id.trim()),
                None => credentials,
            }))
        }
        (Some(_), None) => Err(invalid("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")),
        (None, Some(_)) => Err(invalid("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")),
        (None, None) => Ok(None),
    }
}

/// What makes `value` unusable as a key or token (it goes into HTTP headers), if anything:
/// control characters such as a line break pasted along with it. Never quotes the value.
pub(crate) fn text_problem(value: &str) -> Option<&'static str> {
    if value.contains(['\r', '\n']) {
        Some("contains a line break")
    } else if value.chars().any(char::is_control) {
        Some("contains a control character")
    } else {
        None
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
        assert_eq!((found.access_key_id(), found.session_token(), found.account_id()), ("AKID", Some("t"), None));
        let found =
            provider(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_ACCOUNT_ID", "123")])
                .expect("keys of an account");
        assert_eq!(found.account_id(), Some("123"));
        let err = provider(&[]).expect_err("nothing set");
        assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
        let err = provider(&[("AWS_ACCESS_KEY_ID", "AKID")]).expect_err("half set");
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY is not"), "{err}");
        let err = provider(&[("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_ACCESS_KEY_ID", "")]).expect_err("blank id");
        assert!(err.to_string().contains("AWS_ACCESS_KEY_ID is not"), "{err}");
        let err = provider(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "se\r\ncret")])
            .expect_err("a line break");
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY contains a line break"), "{err}");
        assert!(!err.to_string().contains("se\r"), "{err}");
        let err =
            provider(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_SESSION_TOKEN", "t\u{7}")])
                .expect_err("a bell");
        assert!(err.to_string().contains("AWS_SESSION_TOKEN contains a control character"), "{err}");
    }
}
