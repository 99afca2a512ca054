//! Credentials of IAM Identity Center (SSO) profiles: the access token `aws sso login` cached,
//! exchanged for role credentials with the SSO portal's `GetRoleCredentials`.
//!
//! A profile takes one of two forms, read as botocore reads them:
//!
//! * `sso_session = NAME`: the `[sso-session NAME]` section gives `sso_start_url` and
//!   `sso_region`, the profile `sso_account_id` and `sso_role_name`. A key the profile repeats
//!   must have the session's value. The token is cached under the SHA-1 of the session name.
//! * legacy: the profile itself has `sso_start_url`, `sso_region`, `sso_account_id` and
//!   `sso_role_name`; the token is cached under the SHA-1 of the start URL.
//!
//! The token is read from `~/.aws/sso/cache/<lower-hex SHA-1>.json` (`~` is `HOME`, else
//! `USERPROFILE` on Windows). Differences from botocore:
//!
//! * An expired token is an error telling to run `aws sso login`. botocore refreshes the
//!   tokens of `sso-session` profiles through SSO-OIDC `CreateToken` (with the cached refresh
//!   token and client registration) when they are within 15 minutes of expiring; that refresh
//!   is not implemented here, so a session token lasts until its `expiresAt`.
//! * Legacy tokens are checked for expiry too; botocore sends them as they are and lets the
//!   portal answer `UnauthorizedException`.
//! * `expiresAt` is read as RFC 3339 (plus the `...UTC` suffix older CLI versions wrote);
//!   botocore accepts any ISO 8601 form `datetime.fromisoformat` reads.
//! * Role credentials are not cached on disk (botocore keeps them in `~/.aws/cli/cache` only
//!   when run by the CLI); the in-memory credentials cache refreshes them before they expire.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::time::SystemTime;

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use sha1::{Digest, Sha1};
use tokio::io::AsyncReadExt;

use crate::config::ServiceSpec;
use crate::credentials::process::{json_error, kind, printable};
use crate::credentials::profile::value;
use crate::credentials::{Credentials, CredentialsError, ProviderContext};
use crate::error::call::SdkError;
use crate::error::metadata::error_metadata;
use crate::primitives::{DateTime, TimestampFormat};
use crate::profile::Property;
use crate::protocol::percent_encode_query;
use crate::send::{send, RequestParts};

const PROVIDER: &str = "IAM Identity Center";

/// The SSO portal (`https://portal.sso.{region}.amazonaws.com`), endpoint overridable with
/// `AWS_ENDPOINT_URL_SSO`. Its calls are not signed: the bearer token authorizes them.
static SSO: ServiceSpec = ServiceSpec {
    sdk_id: "SSO",
    endpoint_prefix: "portal.sso",
    signing_name: "awsssoportal",
    api_version: "2019-06-10",
    endpoint_rules: None,
};

/// The header `GetRoleCredentials` takes the access token in.
const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// The largest token cache file read.
const CACHE_FILE_LIMIT: u64 = 1024 * 1024;

/// How many characters of a service error message or code are shown.
const MESSAGE_SHOWN: usize = 256;

/// The role credentials of SSO profile `profile`.
pub(crate) async fn credentials(ctx: &ProviderContext, profile: &str) -> Result<Credentials, CredentialsError> {
    let settings = settings(ctx, profile)?;
    let token = cached_token(ctx, &settings).await?;
    role_credentials(ctx, &settings, &token).await
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::invalid_configuration(PROVIDER, message)
}

fn failed(message: String) -> CredentialsError {
    CredentialsError::provider_failed(PROVIDER, message)
}

/// The settings of an SSO profile, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settings {
    profile: String,
    /// The `sso_session` the profile names; `None` in the legacy form.
    session: Option<String>,
    start_url: String,
    region: String,
    account_id: String,
    role_name: String,
}

impl Settings {
    /// The name of the token's cache file without `.json`: the lower-hex SHA-1 of the session
    /// name, or of the start URL in the legacy form.
    fn cache_key(&self) -> String {
        let digest = Sha1::digest(self.session.as_deref().unwrap_or(&self.start_url).as_bytes());
        let mut hex = String::with_capacity(40);
        for byte in digest {
            let _ = write!(hex, "{byte:02x}");
        }
        hex
    }

    /// The command that caches a new token.
    fn login(&self) -> String {
        match &self.session {
            Some(session) => format!("aws sso login --sso-session {}", shell_word(session)),
            None => format!("aws sso login --profile {}", shell_word(&self.profile)),
        }
    }

    /// Whose token it is, for messages.
    fn owner(&self) -> String {
        match &self.session {
            Some(session) => format!("session `{session}`"),
            None => format!("start URL `{}` of profile `{}`", self.start_url, self.profile),
        }
    }
}

/// `word` as one shell word, quoted only when it needs to be.
fn shell_word(word: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@+=,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(format!("'{}'", word.replace('\'', r"'\''")))
    }
}

/// The file a section's properties came from, for messages.
fn file_of(section: &BTreeMap<String, Property>) -> Option<String> {
    section.values().next().map(|property| property.file.display().to_string())
}

/// Reads the settings of SSO profile `name`; a missing key or an undefined or contradicting
/// sso-session is an error naming it.
fn settings(ctx: &ProviderContext, name: &str) -> Result<Settings, CredentialsError> {
    let files = ctx.profiles.files().to_string();
    let profile = ctx
        .profile(name)
        .ok_or_else(|| invalid(format!("profile `{name}` is not defined in the shared files ({files})")))?;
    let profile_file = file_of(profile).unwrap_or_else(|| files.clone());
    let get = |key: &str| value(profile, key).map(str::to_owned);
    let lacking = |owner: String, keys: &[&str], file: &str| {
        format!("{owner} is configured for IAM Identity Center (SSO) but lacks {} (in {file})", keys.join(", "))
    };
    let Some(session_name) = get("sso_session") else {
        // Legacy form: everything in the profile.
        let keys = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"];
        let missing: Vec<&str> = keys.into_iter().filter(|key| get(key).is_none()).collect();
        if !missing.is_empty() {
            return Err(invalid(lacking(format!("profile `{name}`"), &missing, &profile_file)));
        }
        return Ok(Settings {
            profile: name.to_owned(),
            session: None,
            start_url: get("sso_start_url").unwrap_or_default(),
            region: get("sso_region").unwrap_or_default(),
            account_id: get("sso_account_id").unwrap_or_default(),
            role_name: get("sso_role_name").unwrap_or_default(),
        });
    };
    let session = ctx.profiles.sso_session(&session_name).ok_or_else(|| {
        invalid(format!(
            "profile `{name}` names sso_session `{session_name}`, but no [sso-session {session_name}] section is \
             defined in the shared files ({files})"
        ))
    })?;
    // As botocore: a key both sections set must agree.
    for (key, property) in session {
        let theirs = property.value.text.trim();
        if let Some(own) = get(key).filter(|own| !theirs.is_empty() && own != theirs) {
            return Err(invalid(format!(
                "profile `{name}` has {key} `{own}` but its sso-session `{session_name}` has `{theirs}`; remove it \
                 from the profile or make them agree (in {})",
                property.file.display()
            )));
        }
    }
    let from_session = |key: &str| value(session, key).map(str::to_owned);
    let mut problems = Vec::new();
    let profile_missing: Vec<&str> =
        ["sso_account_id", "sso_role_name"].into_iter().filter(|key| get(key).is_none()).collect();
    if !profile_missing.is_empty() {
        problems.push(lacking(format!("profile `{name}`"), &profile_missing, &profile_file));
    }
    let session_missing: Vec<&str> =
        ["sso_start_url", "sso_region"].into_iter().filter(|key| from_session(key).is_none()).collect();
    if !session_missing.is_empty() {
        let file = file_of(session).unwrap_or_else(|| files.clone());
        problems.push(lacking(format!("sso-session `{session_name}`"), &session_missing, &file));
    }
    if !problems.is_empty() {
        return Err(invalid(problems.join("; ")));
    }
    Ok(Settings {
        profile: name.to_owned(),
        session: Some(session_name),
        start_url: from_session("sso_start_url").unwrap_or_default(),
        region: from_session("sso_region").unwrap_or_default(),
        account_id: get("sso_account_id").unwrap_or_default(),
        role_name: get("sso_role_name").unwrap_or_default(),
    })
}

/// A cached SSO access token. The token is a sensitive header value: `Debug` hides it.
#[derive(Debug, Clone)]
struct CachedToken {
    access_token: HeaderValue,
    expires_at: SystemTime,
}

/// Reads the token `aws sso login` cached for `settings` and checks that it has not expired.
async fn cached_token(ctx: &ProviderContext, settings: &Settings) -> Result<CachedToken, CredentialsError> {
    let owner = settings.owner();
    let home = ctx.var("HOME").or_else(|| if cfg!(windows) { ctx.var("USERPROFILE") } else { None });
    let home = home.ok_or_else(|| {
        failed(format!("cannot find the SSO token cache for {owner}: the home directory is unknown (HOME is not set)"))
    })?;
    let path =
        PathBuf::from(home).join(".aws").join("sso").join("cache").join(format!("{}.json", settings.cache_key()));
    tracing::debug!(profile = settings.profile, path = %path.display(), "loading the cached SSO token");
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::NotFound => {
            return Err(failed(format!(
                "no cached SSO token for {owner} (looked at {}); run `{}`",
                path.display(),
                settings.login()
            )))
        }
        Err(err) => {
            return Err(
                failed(format!("cannot read the SSO token cache file {}: {err}", path.display())).with_source(err)
            )
        }
    };
    let mut bytes = Vec::new();
    file.take(CACHE_FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(|err| failed(format!("cannot read the SSO token cache file {}: {err}", path.display())))?;
    let token = if bytes.len() as u64 > CACHE_FILE_LIMIT {
        Err("is larger than 1 MiB".to_owned())
    } else {
        parse_token(&bytes)
    };
    let token = token.map_err(|why| {
        failed(format!("the SSO token cache file {} {why}; run `{}` to replace it", path.display(), settings.login()))
    })?;
    if token.expires_at <= ctx.now() {
        return Err(failed(format!(
            "the SSO token of {owner} expired at {}; run `{}`",
            DateTime::from(token.expires_at),
            settings.login()
        )));
    }
    Ok(token)
}

/// Reads a token cache file: `accessToken` and `expiresAt`. The error completes "the SSO
/// token cache file PATH " and never quotes the file.
fn parse_token(bytes: &[u8]) -> Result<CachedToken, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|err| json_error(&err))?;
    let serde_json::Value::Object(object) = value else { return Err("is not a JSON object".to_owned()) };
    let string = |key: &str| match object.get(key) {
        Some(serde_json::Value::String(text)) if !text.trim().is_empty() => Ok(text.as_str()),
        Some(serde_json::Value::String(_)) => Err(format!("has an empty {key}")),
        None | Some(serde_json::Value::Null) => Err(format!("has no {key}")),
        Some(other) => Err(format!("has {key} as {}, not a string", kind(other))),
    };
    let mut access_token = HeaderValue::from_str(string("accessToken")?)
        .map_err(|_| "has an accessToken with characters an HTTP header cannot carry".to_owned())?;
    access_token.set_sensitive(true);
    let expires_at = parse_expires_at(string("expiresAt")?.trim())
        .ok_or_else(|| "has an expiresAt that is not an RFC 3339 timestamp".to_owned())?;
    Ok(CachedToken { access_token, expires_at })
}

/// Reads `expiresAt`: RFC 3339, or the `2019-11-14T04:05:45UTC` form of older CLI versions.
fn parse_expires_at(text: &str) -> Option<SystemTime> {
    let parsed = DateTime::parse(text, TimestampFormat::DateTime).ok().or_else(|| {
        let utc = text.strip_suffix("UTC")?;
        DateTime::parse(&format!("{utc}Z"), TimestampFormat::DateTime).ok()
    })?;
    SystemTime::try_from(parsed).ok()
}

/// Calls `GetRoleCredentials` with `token`.
async fn role_credentials(
    ctx: &ProviderContext,
    settings: &Settings,
    token: &CachedToken,
) -> Result<Credentials, CredentialsError> {
    let mut headers = HeaderMap::new();
    headers.insert(HeaderName::from_static(BEARER_HEADER), token.access_token.clone());
    let parts = RequestParts {
        method: Method::GET,
        path_and_query: format!(
            "/federation/credentials?role_name={}&account_id={}",
            percent_encode_query(&settings.role_name),
            percent_encode_query(&settings.account_id)
        ),
        headers,
        ..RequestParts::default()
    };
    let config = ctx.client_config(&settings.region, None)?;
    tracing::debug!(
        profile = settings.profile,
        region = settings.region,
        account_id = settings.account_id,
        role_name = settings.role_name,
        "calling SSO GetRoleCredentials"
    );
    let role = format!("role `{}` in account `{}`", settings.role_name, settings.account_id);
    let response = send::<Infallible>(&config, &SSO, "GetRoleCredentials", parts).await.map_err(|err| match err {
        SdkError::Construction(err) => invalid(format!(
            "cannot call the SSO portal of profile `{}` (sso_region `{}`): {err}",
            settings.profile, settings.region
        )),
        other => failed(format!("GetRoleCredentials for {role} failed: {other}")),
    })?;
    let status = response.status().as_u16();
    if !response.status().is_success() {
        let meta = error_metadata(&response);
        let code = meta.code().map(|code| printable(code, MESSAGE_SHOWN));
        let mut detail = format!("{}, HTTP {status}", code.as_deref().unwrap_or("unknown error"));
        if let Some(message) = meta.message().map(|message| printable(message, MESSAGE_SHOWN)) {
            if !message.is_empty() {
                detail = format!("{detail}: {message}");
            }
        }
        if let Some(request_id) = meta.request_id() {
            let _ = write!(detail, "; request id {}", printable(request_id, MESSAGE_SHOWN));
        }
        let rejected = matches!(status, 401 | 403)
            || matches!(code.as_deref(), Some("UnauthorizedException" | "ForbiddenException"));
        if rejected {
            return Err(failed(format!(
                "the SSO portal rejected the SSO token of {} for {role} ({detail}); the sign-in may have expired or \
                 been revoked: run `{}`",
                settings.owner(),
                settings.login()
            )));
        }
        return Err(failed(format!("GetRoleCredentials for {role} failed ({detail})")));
    }
    parse_role_credentials(response.body())
        .map(|credentials| credentials.with_account_id(settings.account_id.as_str()))
        .map_err(|why| failed(format!("the SSO portal's GetRoleCredentials response for {role} {why}")))
}

/// Reads `{"roleCredentials": {accessKeyId, secretAccessKey, sessionToken, expiration}}`,
/// `expiration` in epoch milliseconds. The error completes "the response " and never quotes
/// the body.
fn parse_role_credentials(body: &[u8]) -> Result<Credentials, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|err| json_error(&err))?;
    let role = match value.get("roleCredentials") {
        Some(serde_json::Value::Object(role)) => role,
        None | Some(serde_json::Value::Null) => return Err("has no roleCredentials".to_owned()),
        Some(other) => return Err(format!("has roleCredentials as {}, not an object", kind(other))),
    };
    let string = |key: &str| match role.get(key) {
        Some(serde_json::Value::String(text)) if !text.is_empty() => Ok(text.as_str()),
        Some(serde_json::Value::String(_)) => Err(format!("has an empty roleCredentials.{key}")),
        None | Some(serde_json::Value::Null) => Err(format!("has no roleCredentials.{key}")),
        Some(other) => Err(format!("has roleCredentials.{key} as {}, not a string", kind(other))),
    };
    let (access_key_id, secret_access_key, session_token) =
        (string("accessKeyId")?, string("secretAccessKey")?, string("sessionToken")?);
    let millis = match role.get("expiration") {
        Some(serde_json::Value::Number(number)) => number
            .as_i64()
            // A fractional number of milliseconds: the whole milliseconds are enough.
            .or_else(|| number.as_f64().filter(|ms| ms.is_finite() && ms.abs() < 9.0e15).map(|ms| ms as i64))
            .ok_or_else(|| "has a roleCredentials.expiration out of range".to_owned())?,
        None | Some(serde_json::Value::Null) => return Err("has no roleCredentials.expiration".to_owned()),
        Some(other) => return Err(format!("has roleCredentials.expiration as {}, not a number", kind(other))),
    };
    let expiry = SystemTime::try_from(DateTime::from_millis(millis))
        .map_err(|_| "has a roleCredentials.expiration out of range".to_owned())?;
    Ok(Credentials::new(access_key_id, secret_access_key, Some(session_token.to_owned())).with_expiry(expiry))
}

#[cfg(test)]
mod tests;
