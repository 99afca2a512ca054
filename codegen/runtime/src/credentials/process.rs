//! Credentials printed by a profile's `credential_process` command.

use crate::credentials::{Credentials, CredentialsError, ProviderContext};

/// Runs `command` of profile `profile` and reads the credentials it prints.
pub(crate) async fn credentials(
    _ctx: &ProviderContext,
    profile: &str,
    _command: &str,
) -> Result<Credentials, CredentialsError> {
    Err(CredentialsError::invalid_configuration(
        "profile",
        format!("profile `{profile}` uses credential_process, which is not supported yet"),
    ))
}
