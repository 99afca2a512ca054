//! AWS STS calls the providers make: `AssumeRole` (a profile's `role_arn`) and
//! `AssumeRoleWithWebIdentity` (web identity tokens).

use crate::credentials::{Credentials, CredentialsError, ProviderContext};

/// A role a profile assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleToAssume {
    /// The profile that names the role.
    pub(crate) profile: String,
    pub(crate) role_arn: String,
    pub(crate) external_id: Option<String>,
    pub(crate) session_name: Option<String>,
    pub(crate) duration_seconds: Option<u32>,
}

/// Assumes `role` with `source` credentials.
pub(crate) async fn assume_role(
    _ctx: &ProviderContext,
    _source: Credentials,
    role: &RoleToAssume,
) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::invalid_configuration(
        "profile",
        format!("profile `{}` assumes a role (role_arn), which is not supported yet", role.profile),
    ))
}

/// Exchanges a web identity `token` for credentials of `role_arn`.
pub(crate) async fn assume_role_with_web_identity(
    _ctx: &ProviderContext,
    role_arn: &str,
    _session_name: &str,
    _token: &str,
) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::invalid_configuration(
        "web identity",
        format!("assuming {role_arn} with a web identity token is not supported yet"),
    ))
}
