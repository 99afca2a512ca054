//! AWS STS calls the providers make: `AssumeRole` (a profile's `role_arn`) and
//! `AssumeRoleWithWebIdentity` (web identity tokens).
//!
//! STS speaks awsQuery: a form-encoded `POST /` answered in XML. The calls go through
//! [`send`](crate::send::send) with a configuration from [`ProviderContext::client_config`],
//! so the shared transport, retries, time limits and configured endpoints
//! (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, the profile's) apply, and otherwise the regional
//! endpoint `https://sts.{region}.amazonaws.com` is used.
//!
//! As in botocore: the region is the configured one; the session name, when none is
//! configured, is generated from the time (`aws-lite-<unix seconds>`, botocore's is
//! `botocore-session-<unix seconds>`); `ExternalId` and `DurationSeconds` are sent only when
//! configured; throttling and transient error codes and `IDPCommunicationError` are retried.
//! Differences: with no region at all, `us-east-1` is used (botocore would use the global
//! endpoint `sts.amazonaws.com`, which is served from `us-east-1`); the global endpoint is
//! never used (`sts_regional_endpoints = legacy` is not supported); a default session name is
//! made at each call rather than once per provider; assumed credentials are kept in memory only
//! (by the caller's cache; the AWS CLI also keeps them in `~/.aws/cli/cache`).
//!
//! Error messages name the operation, the role and where it was configured, and quote only
//! what STS says of the error (code, message, request id), with control characters escaped,
//! cut to [`MAX_SERVER_TEXT`] characters and any secret of the request redacted. They never
//! quote the response body, which may hold credentials.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, Method, Response};

use crate::config::ServiceSpec;
use crate::credentials::{Credentials, CredentialsError, ProviderContext};
use crate::error::call::SdkError;
use crate::error::metadata::request_id;
use crate::error::printable::printable;
use crate::primitives::{DateTime, TimestampFormat};
use crate::protocol::push_query;
use crate::protocol::xml::XmlDocument;
use crate::send::{send, RequestParts};

/// The service the calls go to.
static STS: ServiceSpec = ServiceSpec {
    sdk_id: "STS",
    endpoint_prefix: "sts",
    signing_name: "sts",
    api_version: "2011-06-15",
    endpoint_rules: None,
};

/// The region of the calls when none is configured: the one botocore's global STS endpoint
/// (`sts.amazonaws.com`) is served from.
const FALLBACK_REGION: &str = "us-east-1";

/// How many characters of a server-given text (error code, message, request id) a message
/// quotes.
const MAX_SERVER_TEXT: usize = 500;

/// What replaces a secret found in a server-given text.
const REDACTED: &str = "** redacted **";

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

/// Assumes `role` with `source` credentials (`AssumeRole`, signed with `source`).
///
/// Without a configured `role_session_name` the session is named by
/// [`default_session_name`]. Errors are the `profile` provider's.
pub(crate) async fn assume_role(
    ctx: &ProviderContext,
    source: Credentials,
    role: &RoleToAssume,
) -> Result<Credentials, CredentialsError> {
    let session_name = role.session_name.clone().unwrap_or_else(|| default_session_name(ctx.now()));
    let mut form = form("AssumeRole");
    push_query(&mut form, "RoleArn", &role.role_arn);
    push_query(&mut form, "RoleSessionName", &session_name);
    if let Some(external_id) = &role.external_id {
        push_query(&mut form, "ExternalId", external_id);
    }
    if let Some(duration) = role.duration_seconds {
        push_query(&mut form, "DurationSeconds", &duration.to_string());
    }
    let origin = format!("profile `{}`", role.profile);
    let secrets = [source.secret_access_key(), source.session_token().unwrap_or_default()];
    let call =
        Call { operation: "AssumeRole", provider: "profile", role_arn: &role.role_arn, origin: &origin, secrets };
    tracing::debug!(
        role_arn = %role.role_arn,
        session_name = %session_name,
        source_access_key_id = source.access_key_id(),
        origin = %origin,
        "assuming role"
    );
    call.run(ctx, Some(source.clone()), form).await
}

/// Exchanges a web identity `token` for credentials of `role_arn`
/// (`AssumeRoleWithWebIdentity`, unsigned). `origin` says where the settings came from, for
/// messages (`profile `x``, `the environment`). Errors are the `web identity` provider's.
pub(crate) async fn assume_role_with_web_identity(
    ctx: &ProviderContext,
    role_arn: &str,
    session_name: &str,
    token: &str,
    origin: &str,
) -> Result<Credentials, CredentialsError> {
    let mut form = form("AssumeRoleWithWebIdentity");
    push_query(&mut form, "RoleArn", role_arn);
    push_query(&mut form, "RoleSessionName", session_name);
    push_query(&mut form, "WebIdentityToken", token);
    let call = Call {
        operation: "AssumeRoleWithWebIdentity",
        provider: "web identity",
        role_arn,
        origin,
        secrets: [token, ""],
    };
    tracing::debug!(role_arn, session_name, origin, "assuming role with a web identity token");
    call.run(ctx, None, form).await
}

/// The session name used when none is configured: `aws-lite-<unix seconds>`, as botocore's
/// `botocore-session-<unix seconds>`.
pub(crate) fn default_session_name(now: SystemTime) -> String {
    let seconds = now.duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or_default();
    format!("aws-lite-{seconds}")
}

/// The start of an awsQuery form: `Action` and `Version`.
fn form(action: &str) -> String {
    let mut form = String::new();
    push_query(&mut form, "Action", action);
    push_query(&mut form, "Version", STS.api_version);
    form
}

/// One STS call and what its messages say about it.
struct Call<'a> {
    operation: &'static str,
    /// The provider its errors are reported as.
    provider: &'static str,
    role_arn: &'a str,
    /// Where the role is configured, e.g. `profile `dev``.
    origin: &'a str,
    /// Texts of the request never to repeat (empty ones are ignored).
    secrets: [&'a str; 2],
}

impl Call<'_> {
    /// `STS AssumeRole for role `arn` (configured in profile `dev`)`.
    fn what(&self) -> String {
        format!("STS {} for role `{}` (configured in {})", self.operation, self.role_arn, self.origin)
    }

    fn failed(&self, detail: impl std::fmt::Display) -> CredentialsError {
        CredentialsError::provider_failed(self.provider, format!("{} failed: {detail}", self.what()))
    }

    /// Sends the form (signed with `credentials`, or unsigned) and reads the credentials from
    /// the response.
    async fn run(
        &self,
        ctx: &ProviderContext,
        credentials: Option<Credentials>,
        form: String,
    ) -> Result<Credentials, CredentialsError> {
        let region = ctx.region.as_deref().unwrap_or(FALLBACK_REGION);
        let config = ctx.client_config(region, credentials).map_err(|err| {
            CredentialsError::invalid_configuration(self.provider, format!("{}: {}", self.what(), err.message()))
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"));
        let parts = RequestParts {
            method: Method::POST,
            path_and_query: "/".to_owned(),
            headers,
            body: Bytes::from(form),
            // `send` retries throttling and transient codes (read from STS's XML errors as
            // from JSON ones); STS adds one, as botocore does.
            retryable_codes: &["IDPCommunicationError"],
            ..RequestParts::default()
        };
        let response =
            send::<Infallible>(&config, &STS, self.operation, parts).await.map_err(|err| self.send_error(err))?;
        if response.status().is_success() {
            return self.credentials(&response);
        }
        let error = ServiceError::read(&response, &self.secrets);
        tracing::debug!(
            operation = self.operation,
            role_arn = self.role_arn,
            status = response.status().as_u16(),
            code = error.code.as_deref(),
            "STS refused the role"
        );
        Err(self.failed(error))
    }

    /// The error of a call that got no response.
    fn send_error(&self, err: SdkError<Infallible>) -> CredentialsError {
        match err {
            // Only a bad region or endpoint prevents building the request.
            SdkError::Construction(err) => {
                CredentialsError::invalid_configuration(self.provider, format!("{}: {}", self.what(), err.message()))
            }
            SdkError::Credentials(err) => err,
            other => self.failed(other),
        }
    }

    /// The credentials of a successful response.
    fn credentials(&self, response: &Response<Bytes>) -> Result<Credentials, CredentialsError> {
        let status = response.status().as_u16();
        let header_request_id = request_id(response.headers());
        // Says what is wrong with the body without quoting it: it may hold credentials.
        let unusable = |problem: &str, request_id: Option<&str>| {
            let mut text = format!("{} failed: STS answered HTTP {status} {problem}", self.what());
            if let Some(id) = request_id.or(header_request_id.as_deref()) {
                let _ = write!(text, " (request id {})", server_text(id, &self.secrets));
            }
            CredentialsError::provider_failed(self.provider, text)
        };
        let body =
            std::str::from_utf8(response.body()).map_err(|_| unusable("with a body that is not UTF-8 text", None))?;
        let document = XmlDocument::parse(body).map_err(|problem| unusable(&problem, None))?;
        let response_root = format!("{}Response", self.operation);
        if document.root != response_root {
            return Err(unusable(&format!("with an XML body that is not an {response_root}"), None));
        }
        let request_id = document.text(&format!("{response_root}/ResponseMetadata/RequestId"));
        let prefix = format!("{response_root}/{}Result/Credentials/", self.operation);
        let field = |name: &str| {
            document
                .text(&format!("{prefix}{name}"))
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .ok_or_else(|| unusable(&format!("without Credentials/{name}"), request_id))
        };
        let access_key_id = field("AccessKeyId")?;
        let secret_access_key = field("SecretAccessKey")?;
        let session_token = field("SessionToken")?;
        let expiry = DateTime::parse(field("Expiration")?, TimestampFormat::DateTime)
            .ok()
            .and_then(|expiry| SystemTime::try_from(expiry).ok())
            .ok_or_else(|| unusable("with a Credentials/Expiration that is not an RFC 3339 date-time", request_id))?;
        tracing::debug!(
            operation = self.operation,
            role_arn = self.role_arn,
            access_key_id,
            expiry = %DateTime::from(expiry),
            "assumed role"
        );
        let credentials =
            Credentials::new(access_key_id, secret_access_key, Some(session_token.to_owned())).with_expiry(expiry);
        // `arn:aws:sts::123456789012:assumed-role/name/session`: the account is the fifth field.
        let arn = document.text(&format!("{response_root}/{}Result/AssumedRoleUser/Arn", self.operation));
        let account_id = arn.and_then(|arn| arn.trim().split(':').nth(4)).filter(|id| !id.is_empty());
        Ok(match account_id {
            Some(account_id) => credentials.with_account_id(account_id),
            None => credentials,
        })
    }
}

/// What an STS error response says, each text already cleaned by [`server_text`].
#[derive(Debug, Default)]
struct ServiceError {
    status: u16,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

impl ServiceError {
    /// Reads `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`; a
    /// body that is not such XML just gives fewer fields. The request id falls back to the
    /// `x-amzn-requestid` header.
    fn read(response: &Response<Bytes>, secrets: &[&str]) -> ServiceError {
        let document = std::str::from_utf8(response.body()).ok().and_then(|body| XmlDocument::parse(body).ok());
        let find = |suffix: &str| {
            let document = document.as_ref()?;
            document.texts.iter().find(|(path, _)| path.ends_with(suffix)).map(|(_, text)| text.trim())
        };
        let clean = |text: Option<&str>| text.filter(|text| !text.is_empty()).map(|text| server_text(text, secrets));
        ServiceError {
            status: response.status().as_u16(),
            code: clean(find("Error/Code")),
            message: clean(find("Error/Message")),
            request_id: clean(find("/RequestId")).or_else(|| clean(request_id(response.headers()).as_deref())),
        }
    }
}

impl std::fmt::Display for ServiceError {
    /// `HTTP 403 AccessDenied: User ... is not authorized (request id abc)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        match &self.code {
            Some(code) => write!(f, " {code}")?,
            None => f.write_str(" without an STS error code")?,
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// A text the server gave, fit for a message: `secrets` redacted, control characters escaped,
/// at most [`MAX_SERVER_TEXT`] characters.
fn server_text(text: &str, secrets: &[&str]) -> String {
    let mut text = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|secret| !secret.is_empty()) {
        if text.contains(secret) {
            text = Cow::Owned(text.replace(secret, REDACTED));
        }
    }
    printable(&text, MAX_SERVER_TEXT)
}

#[cfg(test)]
pub(crate) mod tests;
