//! Credentials from the selected profile of the shared files, resolved as botocore resolves
//! them: first a plan (which base credentials, then which roles to assume in turn) read from
//! the profiles alone, then its execution (files, processes and network calls).
//!
//! The selected profile is read in this order: `role_arn` (with `source_profile` or
//! `credential_source`), `web_identity_token_file`, SSO (`sso_session` or `sso_start_url`),
//! static keys, `credential_process`. A source profile with static keys uses them even when it
//! also names a role, so a profile may name itself as its source. Cycles are reported.

use std::collections::BTreeMap;

use crate::credentials::environment::text_problem;
use crate::credentials::sts::{self, RoleToAssume};
use crate::credentials::{
    container, imds, process, sso, web_identity, Credentials, CredentialsError, CredentialsErrorKind,
    CredentialsFuture, EnvironmentProvider, ProvideCredentials, ProviderContext,
};
use crate::profile::Property;

const PROVIDER: &str = "profile";

/// Where the first credentials of a profile chain come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    /// `aws_access_key_id` and `aws_secret_access_key` of profile `.0`.
    StaticKeys(String),
    /// `credential_source` of the profile that assumes the first role.
    Source(CredentialSource),
    /// `web_identity_token_file` and `role_arn` of a profile.
    WebIdentity { profile: String, token_file: String, role_arn: String, session_name: Option<String> },
    /// `sso_session` or `sso_start_url` of profile `.0`.
    Sso(String),
    /// `credential_process` of a profile.
    Process { profile: String, command: String },
}

/// The values `credential_source` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CredentialSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// Base credentials, then the roles assumed with them in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) base: Base,
    pub(crate) roles: Vec<RoleToAssume>,
}

/// What reading the profiles found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Planned {
    Plan(Plan),
    /// The selected profile exists with no credentials (or does not exist and was not named).
    Nothing(String),
}

/// Reads the chain that starts at the selected profile.
pub(crate) fn plan(ctx: &ProviderContext) -> Result<Planned, CredentialsError> {
    let name = ctx.profile_name.as_str();
    let files = ctx.profiles.files();
    let Some(profile) = ctx.profile(name) else {
        return Ok(Planned::Nothing(format!("profile `{name}` is not defined in the shared files ({files})")));
    };
    if !has_credentials(profile) {
        return Ok(Planned::Nothing(format!("profile `{name}` in the shared files ({files}) has no credentials")));
    }
    let mut visited = Vec::new();
    let mut roles = Vec::new();
    let base = plan_profile(ctx, name, true, &mut visited, &mut roles)?;
    roles.reverse();
    Ok(Planned::Plan(Plan { base, roles }))
}

/// Whether a profile holds any form of credentials.
fn has_credentials(profile: &BTreeMap<String, Property>) -> bool {
    const KEYS: &[&str] = &[
        "role_arn",
        "web_identity_token_file",
        "sso_session",
        "sso_start_url",
        "aws_access_key_id",
        "aws_secret_access_key",
        "credential_process",
    ];
    KEYS.iter().any(|key| value(profile, key).is_some())
}

/// A property's trimmed text, if present and not empty.
pub(crate) fn value<'a>(profile: &'a BTreeMap<String, Property>, key: &str) -> Option<&'a str> {
    profile.get(key).map(|property| property.value.text.trim()).filter(|text| !text.is_empty())
}

/// Plans profile `name`, pushing the roles it assumes (outermost first) onto `roles`.
fn plan_profile(
    ctx: &ProviderContext,
    name: &str,
    first: bool,
    visited: &mut Vec<String>,
    roles: &mut Vec<RoleToAssume>,
) -> Result<Base, CredentialsError> {
    let invalid = |message: String| CredentialsError::invalid_configuration(PROVIDER, message);
    let files = ctx.profiles.files();
    let Some(profile) = ctx.profile(name) else {
        let referrer = visited.last().map(String::as_str).unwrap_or_default();
        return Err(invalid(format!(
            "profile `{referrer}` names source_profile `{name}`, which is not defined in the shared files ({files})"
        )));
    };
    let get = |key: &str| value(profile, key);
    let has_static = get("aws_access_key_id").is_some() || get("aws_secret_access_key").is_some();
    if !first && has_static {
        check_static(name, profile)?;
        return Ok(Base::StaticKeys(name.to_owned()));
    }
    if let (Some(role_arn), None) = (get("role_arn"), get("web_identity_token_file")) {
        if visited.iter().any(|seen| seen == name) {
            visited.push(name.to_owned());
            return Err(invalid(format!(
                "the source_profile chain {} is a cycle",
                visited.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" -> ")
            )));
        }
        visited.push(name.to_owned());
        if get("mfa_serial").is_some() {
            return Err(CredentialsError::invalid_configuration(
                PROVIDER,
                format!("profile `{name}` sets mfa_serial: assuming a role with an MFA code is not supported"),
            ));
        }
        roles.push(RoleToAssume {
            profile: name.to_owned(),
            role_arn: role_arn.to_owned(),
            external_id: get("external_id").map(str::to_owned),
            session_name: get("role_session_name").map(str::to_owned),
            duration_seconds: match get("duration_seconds") {
                None => None,
                Some(text) => Some(text.parse::<u32>().map_err(|_| {
                    invalid(format!("profile `{name}` has duration_seconds `{text}`, which is not a whole number"))
                })?),
            },
        });
        return match (get("source_profile"), get("credential_source")) {
            (Some(_), Some(_)) => Err(invalid(format!(
                "profile `{name}` sets both source_profile and credential_source; keep only one"
            ))),
            (Some(source), None) if source == name && has_static => {
                check_static(name, profile)?;
                Ok(Base::StaticKeys(name.to_owned()))
            }
            (Some(source), None) => plan_profile(ctx, source, false, visited, roles),
            (None, Some(source)) => Ok(Base::Source(match source {
                "Environment" => CredentialSource::Environment,
                "Ec2InstanceMetadata" => CredentialSource::Ec2InstanceMetadata,
                "EcsContainer" => CredentialSource::EcsContainer,
                other => {
                    return Err(invalid(format!(
                        "profile `{name}` has credential_source `{other}`; expected Environment, Ec2InstanceMetadata or EcsContainer"
                    )))
                }
            })),
            (None, None) => Err(invalid(format!(
                "profile `{name}` has role_arn but neither source_profile nor credential_source"
            ))),
        };
    }
    if let Some(token_file) = get("web_identity_token_file") {
        let role_arn = get("role_arn")
            .ok_or_else(|| invalid(format!("profile `{name}` has web_identity_token_file but no role_arn")))?;
        return Ok(Base::WebIdentity {
            profile: name.to_owned(),
            token_file: token_file.to_owned(),
            role_arn: role_arn.to_owned(),
            session_name: get("role_session_name").map(str::to_owned),
        });
    }
    if get("sso_session").is_some() || get("sso_start_url").is_some() {
        return Ok(Base::Sso(name.to_owned()));
    }
    if has_static {
        check_static(name, profile)?;
        return Ok(Base::StaticKeys(name.to_owned()));
    }
    if let Some(command) = get("credential_process") {
        return Ok(Base::Process { profile: name.to_owned(), command: command.to_owned() });
    }
    let referrer = visited.last().map(String::as_str).unwrap_or_default();
    Err(invalid(format!(
        "profile `{referrer}` names source_profile `{name}`, which has no credentials (in the shared files {files})"
    )))
}

/// Checks that a profile has both static keys.
fn check_static(name: &str, profile: &BTreeMap<String, Property>) -> Result<(), CredentialsError> {
    let id = profile.get("aws_access_key_id").filter(|p| !p.value.text.trim().is_empty());
    let secret = profile.get("aws_secret_access_key").filter(|p| !p.value.text.trim().is_empty());
    let (has, lacks, file) = match (id, secret) {
        (Some(_), Some(_)) => return Ok(()),
        (Some(id), None) => ("aws_access_key_id", "aws_secret_access_key", &id.file),
        (None, Some(secret)) => ("aws_secret_access_key", "aws_access_key_id", &secret.file),
        (None, None) => return Ok(()),
    };
    Err(CredentialsError::invalid_configuration(
        PROVIDER,
        format!("profile `{name}` has {has} but no {lacks} (in {})", file.display()),
    ))
}

/// The static keys of profile `name`, checked by [`check_static`] when planned.
fn static_keys(ctx: &ProviderContext, name: &str) -> Result<Credentials, CredentialsError> {
    let profile = ctx.profile(name);
    let get = |key: &str| profile.and_then(|profile| value(profile, key));
    for key in ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"] {
        if let Some(problem) = get(key).and_then(text_problem) {
            return Err(CredentialsError::invalid_configuration(
                PROVIDER,
                format!("{key} of profile `{name}` {problem}"),
            ));
        }
    }
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(id), Some(secret)) => {
            let credentials = Credentials::new(id, secret, get("aws_session_token").map(str::to_owned));
            Ok(match get("aws_account_id").map(str::trim).filter(|account| !account.is_empty()) {
                Some(account_id) => credentials.with_account_id(account_id),
                None => credentials,
            })
        }
        _ => Err(CredentialsError::invalid_configuration(PROVIDER, format!("profile `{name}` lost its static keys"))),
    }
}

/// Runs a plan: loads the base credentials, then assumes each role with the previous
/// credentials.
pub(crate) async fn execute(ctx: &ProviderContext, plan: &Plan) -> Result<Credentials, CredentialsError> {
    let mut credentials = match &plan.base {
        Base::StaticKeys(name) => static_keys(ctx, name)?,
        Base::Source(source) => {
            let loaded = match source {
                CredentialSource::Environment => EnvironmentProvider { env: ctx.env.clone() }.load(),
                CredentialSource::Ec2InstanceMetadata => {
                    imds::ImdsProvider::new(ctx.clone()).provide_credentials().await
                }
                CredentialSource::EcsContainer => {
                    container::ContainerProvider::new(ctx.clone()).provide_credentials().await
                }
            };
            // A source the profile names must give credentials: the chain does not go on.
            match loaded {
                Err(err) if err.kind() == CredentialsErrorKind::NotConfigured => {
                    let profile = plan.roles.first().map(|role| role.profile.as_str()).unwrap_or_default();
                    return Err(CredentialsError::provider_failed(
                        PROVIDER,
                        format!(
                            "profile `{profile}` names credential_source {source:?}, which has no credentials: {err}"
                        ),
                    ));
                }
                loaded => loaded?,
            }
        }
        Base::WebIdentity { profile, token_file, role_arn, session_name } => {
            let role = web_identity::WebIdentityRole {
                token_file: token_file.clone(),
                role_arn: role_arn.clone(),
                session_name: session_name.clone(),
                source: format!("profile `{profile}`"),
            };
            web_identity::assume(ctx, &role).await?
        }
        Base::Sso(profile) => sso::credentials(ctx, profile).await?,
        Base::Process { profile, command } => process::credentials(ctx, profile, command).await?,
    };
    for role in &plan.roles {
        credentials = sts::assume_role(ctx, credentials, role).await?;
    }
    Ok(credentials)
}

/// The second provider of the default chain.
#[derive(Debug, Clone)]
pub(crate) struct ProfileProvider {
    pub(crate) ctx: ProviderContext,
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match plan(&self.ctx)? {
                Planned::Plan(plan) => execute(&self.ctx, &plan).await,
                Planned::Nothing(why) => Err(CredentialsError::not_configured(PROVIDER, why)),
            }
        })
    }
}

#[cfg(test)]
mod tests;
