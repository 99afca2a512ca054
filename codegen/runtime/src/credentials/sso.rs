//! Credentials of IAM Identity Center (SSO) profiles: the access token `aws sso login` cached,
//! exchanged for role credentials with the SSO portal's `GetRoleCredentials`.

use crate::credentials::{Credentials, CredentialsError, ProviderContext};

/// The role credentials of SSO profile `profile`.
pub(crate) async fn credentials(_ctx: &ProviderContext, profile: &str) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::invalid_configuration(
        "profile",
        format!("profile `{profile}` uses IAM Identity Center (SSO), which is not supported yet"),
    ))
}
