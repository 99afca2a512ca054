//! The default credentials chain of the official SDKs: environment, shared profile, web
//! identity, container, instance metadata. A provider that is not configured passes to the
//! next; one that is configured but fails stops the chain with its error. When none yields
//! credentials, one error lists each provider and why it gave nothing.

use crate::credentials::container::ContainerProvider;
use crate::credentials::environment::EnvironmentProvider;
use crate::credentials::imds::ImdsProvider;
use crate::credentials::profile::ProfileProvider;
use crate::credentials::web_identity::WebIdentityProvider;
use crate::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials, ProviderContext,
};

/// The providers in order.
#[derive(Debug)]
pub(crate) struct DefaultChain {
    providers: Vec<Box<dyn ProvideCredentials>>,
}

impl DefaultChain {
    /// The chain over `ctx`. A profile named in code skips the environment's keys, as the AWS
    /// CLI's `--profile` does.
    pub(crate) fn new(ctx: ProviderContext) -> Self {
        let mut providers: Vec<Box<dyn ProvideCredentials>> = Vec::new();
        if !ctx.profile_in_code {
            providers.push(Box::new(EnvironmentProvider { env: ctx.env.clone() }));
        }
        providers.push(Box::new(ProfileProvider { ctx: ctx.clone() }));
        providers.push(Box::new(WebIdentityProvider { ctx: ctx.clone() }));
        providers.push(Box::new(ContainerProvider::new(ctx.clone())));
        providers.push(Box::new(ImdsProvider::new(ctx)));
        Self { providers }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for provider in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(err) if err.kind() == CredentialsErrorKind::NotConfigured => {
                    tracing::debug!(
                        provider = err.provider(),
                        reason = err.message(),
                        "credentials provider not configured"
                    );
                    tried.push(format!("{}: {}", err.provider(), err.message()));
                }
                Err(err) => return Err(err),
            }
        }
        Err(CredentialsError::not_configured(
            "default chain",
            format!("no provider had credentials ({})", tried.join("; ")),
        ))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests;
