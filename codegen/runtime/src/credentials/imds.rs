//! The EC2 instance metadata service (IMDSv2 only): the instance role's credentials, and the
//! instance's region.
//!
//! Each use takes a session token (`PUT /latest/api/token`), then reads with it
//! (`x-aws-ec2-metadata-token`): the role name from
//! `/latest/meta-data/iam/security-credentials/`, that role's credentials from
//! `/latest/meta-data/iam/security-credentials/<role>`, the region from
//! `/latest/meta-data/placement/region`. Every request has a 1 s deadline and two attempts, so
//! off EC2 (where nothing answers at the link-local address) the provider gives up within
//! about 2 s and the default chain reports that no provider had credentials.
//!
//! As botocore's `InstanceMetadataFetcher`, with deliberate differences:
//! - no IMDSv1 fallback: a token request refused with 403, 405 or 400 is an error that says
//!   so, not a retry without a token;
//! - two attempts per request where botocore makes `metadata_service_num_attempts` (1 unless
//!   configured), to ride out one dropped packet;
//! - no "static stability": expired credentials are not extended when the service fails;
//! - the region comes from `placement/region` (as in aws-sdk-rust), not from the availability
//!   zone.

use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use http::{Method, StatusCode, Uri};

use crate::credentials::http_json::{self, printable, Attempts, Call, Failure};
use crate::credentials::profile::value as profile_value;
use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

const PROVIDER: &str = "instance metadata";

/// A deadline of 1 s per request and one retry (a short pause apart), so that the provider
/// gives up within about 2 s where no metadata service answers.
const ATTEMPTS: Attempts = Attempts { count: 2, timeout: Duration::from_secs(1), pause: Duration::from_millis(100) };

const DISABLED_VAR: &str = "AWS_EC2_METADATA_DISABLED";
const ENDPOINT_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const ENDPOINT_KEY: &str = "ec2_metadata_service_endpoint";
const MODE_VAR: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
const MODE_KEY: &str = "ec2_metadata_service_endpoint_mode";

const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";

const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// The session token's lifetime: six hours, the most IMDS grants (as the SDKs ask). A token
/// serves one load only, so its length matters little.
const TOKEN_TTL_SECONDS: &str = "21600";
const TOKEN_TTL_HEADER: HeaderName = HeaderName::from_static("x-aws-ec2-metadata-token-ttl-seconds");
const TOKEN_HEADER: HeaderName = HeaderName::from_static("x-aws-ec2-metadata-token");

/// Tokens are about 56 characters; anything much longer is not a token.
const MAX_TOKEN_BYTES: usize = 4096;
/// IAM role names have at most 64 characters.
const MAX_ROLE_NAME_CHARS: usize = 64;

/// The last provider of the default chain, and the source of `credential_source =
/// Ec2InstanceMetadata`.
#[derive(Debug, Clone)]
pub(crate) struct ImdsProvider {
    ctx: ProviderContext,
}

impl ImdsProvider {
    /// The provider over `ctx`; settings are read on each load.
    pub(crate) fn new(ctx: ProviderContext) -> Self {
        Self { ctx }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let service = Service::resolve(&self.ctx)?;
        let token = service.token(&self.ctx).await?;
        let role = service.role_name(&self.ctx, &token).await?;
        let credentials = service.role_credentials(&self.ctx, &token, &role).await?;
        tracing::debug!(role = %role, endpoint = %service.base, "loaded credentials from the instance metadata service");
        Ok(credentials)
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The instance's region, or `None` off EC2, when the service is disabled or misconfigured,
/// or when it answers with anything but a region (the reason is logged at debug level).
pub(crate) async fn region(ctx: &ProviderContext) -> Option<String> {
    match load_region(ctx).await {
        Ok(region) => Some(region),
        Err(err) => {
            tracing::debug!(reason = %err, "no region from the instance metadata service");
            None
        }
    }
}

async fn load_region(ctx: &ProviderContext) -> Result<String, CredentialsError> {
    let service = Service::resolve(ctx)?;
    let token = service.token(ctx).await?;
    let response = service.get(ctx, REGION_PATH, &token, "the region").await?;
    let status = response.status();
    if status != StatusCode::OK {
        return Err(failed(format!("{} answered HTTP {} for the region", service.base, status.as_u16())));
    }
    let region = first_line(&response).unwrap_or_default();
    let valid = !region.is_empty()
        && region.len() <= 64
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(failed(format!("{} answered with something that is not a region name", service.base)));
    }
    Ok(region.to_owned())
}

fn failed(message: String) -> CredentialsError {
    CredentialsError::provider_failed(PROVIDER, message)
}

fn not_configured(message: String) -> CredentialsError {
    CredentialsError::not_configured(PROVIDER, message)
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::invalid_configuration(PROVIDER, message)
}

/// A setting from environment variable `var`, else from key `key` of the selected profile,
/// with where it was found (for messages).
fn setting(ctx: &ProviderContext, var: &str, key: &str) -> Option<(String, String)> {
    if let Some(value) = ctx.var(var) {
        return Some((value.trim().to_owned(), var.to_owned()));
    }
    let profile = ctx.profile(&ctx.profile_name)?;
    let value = profile_value(profile, key)?;
    Some((value.to_owned(), format!("{key} of profile `{}`", ctx.profile_name)))
}

/// The first line of a text response, trimmed, or what is wrong with the body.
fn first_line(response: &http::Response<bytes::Bytes>) -> Result<&str, String> {
    let body = http_json::bounded_body(response)?;
    let text = std::str::from_utf8(body).map_err(|_| "a body that is not UTF-8 text".to_owned())?;
    Ok(text.lines().next().unwrap_or_default().trim())
}

/// Whether `name` can be an IAM role name: 1 to 64 of `A-Za-z0-9+=,.@_-`. Checked because it
/// becomes part of the next request's path.
fn is_role_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= MAX_ROLE_NAME_CHARS
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// The metadata service to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Service {
    /// Scheme, authority and optional path prefix, without a trailing `/`.
    base: String,
}

impl Service {
    /// Reads the settings: disabled (`AWS_EC2_METADATA_DISABLED=true`), else the configured
    /// endpoint, else the address of the endpoint mode (IPv4 unless set to IPv6).
    fn resolve(ctx: &ProviderContext) -> Result<Service, CredentialsError> {
        if ctx.var(DISABLED_VAR).is_some_and(|value| value.trim().eq_ignore_ascii_case("true")) {
            return Err(not_configured(format!("disabled by {DISABLED_VAR}")));
        }
        // The mode is checked even when an endpoint overrides it, as botocore does: a wrong
        // value is a mistake either way.
        let by_mode = match setting(ctx, MODE_VAR, MODE_KEY) {
            None => IPV4_ENDPOINT,
            Some((mode, _)) if mode.eq_ignore_ascii_case("IPv4") => IPV4_ENDPOINT,
            Some((mode, _)) if mode.eq_ignore_ascii_case("IPv6") => IPV6_ENDPOINT,
            Some((mode, from)) => {
                return Err(invalid(format!("{from} is `{}`; expected IPv4 or IPv6", printable(&mode, 64))));
            }
        };
        let Some((endpoint, from)) = setting(ctx, ENDPOINT_VAR, ENDPOINT_KEY) else {
            return Ok(Service { base: by_mode.to_owned() });
        };
        let valid = endpoint.parse::<Uri>().is_ok_and(|uri| {
            matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some() && uri.query().is_none()
        });
        if !valid {
            return Err(invalid(format!(
                "{from} is `{}`, which is not an http:// or https:// URL",
                printable(&endpoint, 200)
            )));
        }
        Ok(Service { base: endpoint.trim_end_matches('/').to_owned() })
    }

    fn uri(&self, path: &str) -> Result<Uri, CredentialsError> {
        format!("{}{path}", self.base)
            .parse()
            .map_err(|_| invalid(format!("`{}{path}` is not a valid URL", printable(&self.base, 200))))
    }

    /// A session token, marked sensitive. Not reaching the service at all means there is
    /// none here: the error is `NotConfigured`, so the chain ends normally off EC2.
    async fn token(&self, ctx: &ProviderContext) -> Result<HeaderValue, CredentialsError> {
        let call = Call::new(Method::PUT, self.uri(TOKEN_PATH)?)
            .header(TOKEN_TTL_HEADER, HeaderValue::from_static(TOKEN_TTL_SECONDS));
        let base = &self.base;
        let response = match http_json::exchange(&*ctx.transport, &call, ATTEMPTS).await {
            Ok(response) => response,
            Err(Failure::Unreachable(reason)) => {
                return Err(not_configured(format!(
                    "the instance metadata service at {base} was not reachable within {} ({} attempts; {reason})",
                    http_json::seconds(ATTEMPTS.timeout),
                    ATTEMPTS.count
                )));
            }
            Err(Failure::Broken(reason)) => {
                return Err(not_configured(format!("no instance metadata service answered at {base} ({reason})")));
            }
        };
        let status = response.status().as_u16();
        match status {
            200 => {}
            400 => {
                return Err(failed(format!(
                    "the instance metadata service at {base} rejected the IMDSv2 session token request (HTTP 400): \
                     the request was malformed, or the service there is not EC2's"
                )))
            }
            403 => {
                return Err(failed(format!(
                    "the instance metadata service at {base} refused an IMDSv2 session token (HTTP 403): instance \
                     metadata is turned off for this instance, or the request came through a proxy"
                )))
            }
            405 => {
                return Err(failed(format!(
                    "the instance metadata service at {base} does not accept the IMDSv2 session token request \
                     (HTTP 405): it serves IMDSv1 only, and only IMDSv2 is supported"
                )))
            }
            404 => {
                return Err(not_configured(format!(
                    "the service at {base} has no IMDSv2 session token endpoint (HTTP 404)"
                )))
            }
            other => {
                return Err(failed(format!(
                    "the instance metadata service at {base} answered the session token request with HTTP {other}"
                )))
            }
        }
        let token = response.body().trim_ascii();
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return Err(failed(format!("the instance metadata service at {base} gave no usable session token")));
        }
        let mut value = HeaderValue::from_bytes(token).map_err(|_| {
            failed(format!("the instance metadata service at {base} gave a session token that is not a header value"))
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// `GET path` with the session token; `what` names the data for messages.
    async fn get(
        &self,
        ctx: &ProviderContext,
        path: &str,
        token: &HeaderValue,
        what: &str,
    ) -> Result<http::Response<bytes::Bytes>, CredentialsError> {
        let call = Call::new(Method::GET, self.uri(path)?).header(TOKEN_HEADER, token.clone());
        http_json::exchange(&*ctx.transport, &call, ATTEMPTS).await.map_err(|failure| {
            failed(format!(
                "the instance metadata service at {} gave a session token, then no answer for {what} ({})",
                self.base,
                failure.reason()
            ))
        })
    }

    /// The name of the instance's role: the first line of the role list.
    async fn role_name(&self, ctx: &ProviderContext, token: &HeaderValue) -> Result<String, CredentialsError> {
        let response = self.get(ctx, ROLES_PATH, token, "the role name").await?;
        let base = &self.base;
        match response.status().as_u16() {
            200 => {}
            404 => {
                return Err(not_configured(format!("the instance has no IAM role (HTTP 404 for {base}{ROLES_PATH})")))
            }
            401 => {
                return Err(failed(format!(
                    "the instance metadata service at {base} rejected the session token it had just given (HTTP 401)"
                )))
            }
            other => {
                return Err(failed(format!(
                    "the instance metadata service at {base} answered HTTP {other} for the role name"
                )))
            }
        }
        let role = first_line(&response).map_err(|problem| {
            failed(format!("the instance metadata service at {base} answered with {problem} for the role name"))
        })?;
        if role.is_empty() {
            return Err(not_configured(format!("the instance has no IAM role (an empty list at {base}{ROLES_PATH})")));
        }
        if !is_role_name(role) {
            return Err(failed(format!(
                "the instance metadata service at {base} answered with a role name that is not a valid IAM role name"
            )));
        }
        Ok(role.to_owned())
    }

    /// The credentials of `role`.
    async fn role_credentials(
        &self,
        ctx: &ProviderContext,
        token: &HeaderValue,
        role: &str,
    ) -> Result<Credentials, CredentialsError> {
        let path = format!("{ROLES_PATH}{role}");
        let response = self.get(ctx, &path, token, "the role's credentials").await?;
        let base = &self.base;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(failed(format!(
                "the instance metadata service at {base} answered HTTP {status} for the credentials of role `{role}`"
            )));
        }
        let bad = |problem: String| {
            failed(format!(
                "the instance metadata service at {base} answered with {problem} for the credentials of role `{role}`"
            ))
        };
        let object = http_json::json_object(response.body()).map_err(bad)?;
        // A 200 can still carry an error, e.g. when EC2 may not assume the role.
        match object.get("Code") {
            None => {}
            Some(serde_json::Value::String(code)) if code == "Success" => {}
            Some(serde_json::Value::String(code)) => {
                let message = http_json::printable_member(&object, &["Message"], 300)
                    .map(|message| format!(": {message}"))
                    .unwrap_or_default();
                return Err(failed(format!(
                    "the instance metadata service at {base} could not give credentials for role `{role}`: code {}{message}",
                    printable(code, 100)
                )));
            }
            Some(_) => return Err(bad("credentials whose Code is not a string".to_owned())),
        }
        http_json::credentials_from(&object).map_err(bad)
    }
}

#[cfg(test)]
mod tests;
