//! Credentials from the container credentials endpoint of ECS and EKS Pod Identity.

use crate::credentials::{CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

/// The fourth provider of the default chain.
#[derive(Debug, Clone)]
pub(crate) struct ContainerProvider {
    ctx: ProviderContext,
}

impl ContainerProvider {
    pub(crate) fn new(ctx: ProviderContext) -> Self {
        Self { ctx }
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let _ = &self.ctx;
            Err(CredentialsError::not_configured(
                "container",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            ))
        })
    }
}
