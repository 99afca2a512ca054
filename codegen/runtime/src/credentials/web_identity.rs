//! Credentials for a role assumed with a web identity token read from a file: EKS IRSA
//! (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`) or a profile's
//! `web_identity_token_file`.
//!
//! As in botocore, the token file is read again at every call (the token is rotated in place)
//! and the environment's settings are ignored when a profile is named in code. Unlike botocore,
//! surrounding whitespace (a trailing newline) is trimmed from the token, and an empty token
//! file is reported as such instead of being sent to STS.

use crate::credentials::sts;
use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

const PROVIDER: &str = "web identity";

/// A role and the token file that proves the right to assume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebIdentityRole {
    pub(crate) token_file: String,
    pub(crate) role_arn: String,
    pub(crate) session_name: Option<String>,
    /// Where the settings came from, for messages: `profile `x`` or `the environment`.
    pub(crate) source: String,
}

/// Reads the token and assumes the role (`AssumeRoleWithWebIdentity`). Without a configured
/// session name the session is named by [`sts::default_session_name`].
pub(crate) async fn assume(ctx: &ProviderContext, role: &WebIdentityRole) -> Result<Credentials, CredentialsError> {
    let token = read_token(role).await?;
    let session_name = role.session_name.clone().unwrap_or_else(|| sts::default_session_name(ctx.now()));
    sts::assume_role_with_web_identity(ctx, &role.role_arn, &session_name, &token, &role.source).await
}

/// The token in `role.token_file`, trimmed. Errors name the file, never its content.
async fn read_token(role: &WebIdentityRole) -> Result<String, CredentialsError> {
    let token = tokio::fs::read_to_string(&role.token_file).await.map_err(|err| {
        CredentialsError::provider_failed(
            PROVIDER,
            format!(
                "could not read the web identity token file `{}` (configured in {}): {err}",
                role.token_file, role.source
            ),
        )
    })?;
    let token = token.trim();
    if token.is_empty() {
        return Err(CredentialsError::invalid_configuration(
            PROVIDER,
            format!("the web identity token file `{}` (configured in {}) is empty", role.token_file, role.source),
        ));
    }
    Ok(token.to_owned())
}

/// The third provider of the default chain: the environment's web identity settings.
///
/// Not configured when `AWS_WEB_IDENTITY_TOKEN_FILE` is unset or a profile is named in code
/// (botocore ignores these variables then, as it does the environment's keys);
/// `AWS_ROLE_ARN` is then required, `AWS_ROLE_SESSION_NAME` optional.
#[derive(Debug, Clone)]
pub(crate) struct WebIdentityProvider {
    pub(crate) ctx: ProviderContext,
}

impl WebIdentityProvider {
    /// The role the environment configures.
    fn role(&self) -> Result<WebIdentityRole, CredentialsError> {
        if self.ctx.profile_in_code {
            return Err(CredentialsError::not_configured(
                PROVIDER,
                format!(
                    "profile `{}` was named in code, so AWS_WEB_IDENTITY_TOKEN_FILE is not read",
                    self.ctx.profile_name
                ),
            ));
        }
        let Some(token_file) = self.ctx.var("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(CredentialsError::not_configured(PROVIDER, "AWS_WEB_IDENTITY_TOKEN_FILE is not set"));
        };
        let Some(role_arn) = self.ctx.var("AWS_ROLE_ARN") else {
            return Err(CredentialsError::invalid_configuration(
                PROVIDER,
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
            ));
        };
        Ok(WebIdentityRole {
            token_file: token_file.trim().to_owned(),
            role_arn: role_arn.trim().to_owned(),
            session_name: self.ctx.var("AWS_ROLE_SESSION_NAME").map(|name| name.trim().to_owned()),
            source: "the environment".to_owned(),
        })
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move { assume(&self.ctx, &self.role()?).await })
    }
}

#[cfg(test)]
mod tests;
