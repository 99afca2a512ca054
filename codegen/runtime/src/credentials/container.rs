//! Credentials from the container credentials endpoint of ECS and EKS Pod Identity, or any
//! local server speaking the same protocol.
//!
//! Where: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (a path on the ECS agent at
//! `http://169.254.170.2`), else `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must use https or
//! name a loopback host (`127.0.0.0/8`, `::1`, `localhost`) or one of the ECS and EKS
//! addresses (`169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`). With neither set the provider
//! is not configured.
//!
//! The `Authorization` header comes from the file named by
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every load: EKS rotates it), else from
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
//!
//! As botocore's `ContainerProvider` and `ContainerMetadataFetcher` (2 s per attempt, 3
//! attempts, 1 s apart), with deliberate differences:
//! - an https full URI may name any host (as in aws-sdk-rust): TLS authenticates it;
//! - only connection failures, deadlines, 5xx and 429 are retried; a 4xx or a malformed
//!   answer would be the same the next time;
//! - messages name the endpoint's scheme, host and port only, never the path (the relative URI
//!   identifies the task's credentials).

use std::net::IpAddr;
use std::time::Duration;

use http::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use http::{Method, Uri};
use tokio::io::AsyncReadExt;

use crate::credentials::http_json::{self, printable, Attempts, Call, Failure};
use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderContext};

const PROVIDER: &str = "container";

const RELATIVE_URI_VAR: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI_VAR: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN_VAR: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE_VAR: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// The ECS agent's credentials endpoint, which relative URIs are resolved against.
const ECS_ENDPOINT: &str = "http://169.254.170.2";

/// The hosts plain http may reach besides loopback addresses: the ECS agent, the EKS Pod
/// Identity agent (IPv4 and IPv6) and `localhost`, which botocore also accepts by name.
const ALLOWED_HTTP_HOSTS: [&str; 4] = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"];

/// botocore's `ContainerMetadataFetcher`: 2 s per attempt, 3 attempts, 1 s apart.
const ATTEMPTS: Attempts = Attempts { count: 3, timeout: Duration::from_secs(2), pause: Duration::from_secs(1) };

/// The largest authorization token file read; Pod Identity tokens are about 1 KiB.
const MAX_TOKEN_FILE_BYTES: u64 = 16 * 1024;

/// The fourth provider of the default chain, and the source of `credential_source =
/// EcsContainer`.
#[derive(Debug, Clone)]
pub(crate) struct ContainerProvider {
    ctx: ProviderContext,
    attempts: Attempts,
}

impl ContainerProvider {
    /// The provider over `ctx`; settings are read on each load.
    pub(crate) fn new(ctx: ProviderContext) -> Self {
        Self { ctx, attempts: ATTEMPTS }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let endpoint = endpoint(&self.ctx)?;
        let mut call =
            Call::new(Method::GET, endpoint.uri.clone()).header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(token) = authorization(&self.ctx).await? {
            call = call.header(AUTHORIZATION, token);
        }
        let shown = &endpoint.shown;
        let from = endpoint.from;
        let response = http_json::exchange(&*self.ctx.transport, &call, self.attempts).await.map_err(|failure| {
            let what = match failure {
                Failure::Unreachable(_) => format!(
                    "no answer from the container credentials endpoint {shown} (from {from}) in {} attempts of {}",
                    self.attempts.count,
                    http_json::seconds(self.attempts.timeout)
                ),
                Failure::Broken(_) => format!("the container credentials endpoint {shown} (from {from}) failed"),
            };
            failed(format!("{what}: {}", failure.reason()))
        })?;
        let status = response.status();
        if !status.is_success() {
            let detail = http_json::json_object(response.body())
                .ok()
                .and_then(|object| {
                    let code = http_json::printable_member(&object, &["code", "Code"], 100);
                    let message = http_json::printable_member(&object, &["message", "Message"], 300);
                    match (code, message) {
                        (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                        (code, message) => code.or(message),
                    }
                })
                .map(|detail| format!(": {detail}"))
                .unwrap_or_default();
            return Err(failed(format!(
                "the container credentials endpoint {shown} (from {from}) answered HTTP {}{detail}",
                status.as_u16()
            )));
        }
        let credentials = http_json::json_object(response.body())
            .and_then(|object| http_json::credentials_from(&object))
            .map_err(|problem| {
                failed(format!("the container credentials endpoint {shown} (from {from}) answered with {problem}"))
            })?;
        tracing::debug!(endpoint = %shown, "loaded credentials from the container credentials endpoint");
        Ok(credentials)
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

fn failed(message: String) -> CredentialsError {
    CredentialsError::provider_failed(PROVIDER, message)
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::invalid_configuration(PROVIDER, message)
}

/// Where the credentials are.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    uri: Uri,
    /// Scheme, host and port only, for messages.
    shown: String,
    /// The variable that named it.
    from: &'static str,
}

/// The endpoint the environment names, or why there is none.
fn endpoint(ctx: &ProviderContext) -> Result<Endpoint, CredentialsError> {
    let (uri, from) = if let Some(relative) = ctx.var(RELATIVE_URI_VAR) {
        (relative_url(&relative).map_err(|why| invalid(format!("{RELATIVE_URI_VAR} {why}")))?, RELATIVE_URI_VAR)
    } else if let Some(full) = ctx.var(FULL_URI_VAR) {
        let uri = full_url(&full).map_err(|why| {
            invalid(format!("{FULL_URI_VAR} is `{}`, which {why}", printable(&without_query(&full), 200)))
        })?;
        (uri, FULL_URI_VAR)
    } else {
        return Err(CredentialsError::not_configured(
            PROVIDER,
            format!("{RELATIVE_URI_VAR} and {FULL_URI_VAR} are not set"),
        ));
    };
    let shown = origin(&uri);
    Ok(Endpoint { uri, shown, from })
}

/// `scheme://host[:port]` of `uri`, without user information.
fn origin(uri: &Uri) -> String {
    let port = uri.port_u16().map(|port| format!(":{port}")).unwrap_or_default();
    format!("{}://{}{port}", uri.scheme_str().unwrap_or("http"), uri.host().unwrap_or_default())
}

/// `url` for a message: without user information, query or fragment, which may carry secrets.
fn without_query(url: &str) -> String {
    let url = url.trim();
    match url.parse::<Uri>() {
        Ok(uri) if uri.host().is_some() => format!("{}{}", origin(&uri), uri.path()),
        _ => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

/// The URL of a relative URI on the ECS agent: `http://169.254.170.2` followed by `relative`,
/// which must be an absolute path (`/v2/credentials/...`). The error completes a sentence
/// about the variable.
pub(crate) fn relative_url(relative: &str) -> Result<Uri, String> {
    let relative = relative.trim();
    if !relative.starts_with('/') {
        return Err("must be a path starting with `/`".to_owned());
    }
    format!("{ECS_ENDPOINT}{relative}").parse().map_err(|_| "is not a valid URL path".to_owned())
}

/// `full` parsed, if it may be used: https to any host, or http to a loopback host or to one
/// of [`ALLOWED_HTTP_HOSTS`], so that credentials are never fetched in the clear from another
/// machine. The error completes a sentence about the URL.
pub(crate) fn full_url(full: &str) -> Result<Uri, String> {
    let uri: Uri = full.trim().parse().map_err(|_| "is not a valid URL".to_owned())?;
    let Some(host) = uri.host().filter(|host| !host.is_empty()) else {
        return Err("has no host".to_owned());
    };
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if is_allowed_http_host(host) => Ok(uri),
        Some("http") => Err(format!(
            "uses plain http to `{}`, which is neither a loopback address nor one of {}; use https or one of \
             those hosts",
            printable(host, 100),
            ALLOWED_HTTP_HOSTS.join(", ")
        )),
        _ => Err("is not an http:// or https:// URL".to_owned()),
    }
}

/// Whether plain http may go to `host` (as in a URL: IPv6 addresses in brackets).
fn is_allowed_http_host(host: &str) -> bool {
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).to_ascii_lowercase();
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback() || ALLOWED_HTTP_HOSTS.contains(&ip.to_string().as_str()),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback()
                || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
                || ALLOWED_HTTP_HOSTS.contains(&ip.to_string().as_str())
        }
        Err(_) => host == "localhost",
    }
}

/// The `Authorization` header, marked sensitive: the token file's content (read on every
/// load), else the token variable, else none. Errors name the variable, never the token.
async fn authorization(ctx: &ProviderContext) -> Result<Option<HeaderValue>, CredentialsError> {
    let (token, source) = if let Some(path) = ctx.var(TOKEN_FILE_VAR) {
        let token = read_token_file(&path).await?;
        (token, format!("the file named by {TOKEN_FILE_VAR} (`{}`)", printable(&path, 200)))
    } else if let Some(token) = ctx.var(TOKEN_VAR) {
        (token.into_bytes(), TOKEN_VAR.to_owned())
    } else {
        return Ok(None);
    };
    header_token(&token).map(Some).map_err(|why| invalid(format!("the token in {source} {why}")))
}

/// Reads at most [`MAX_TOKEN_FILE_BYTES`] of the token file.
async fn read_token_file(path: &str) -> Result<Vec<u8>, CredentialsError> {
    let unreadable =
        |err: std::io::Error| invalid(format!("could not read {TOKEN_FILE_VAR} `{}`: {err}", printable(path, 200)));
    let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
    let mut token = Vec::new();
    file.take(MAX_TOKEN_FILE_BYTES + 1).read_to_end(&mut token).await.map_err(unreadable)?;
    if token.len() as u64 > MAX_TOKEN_FILE_BYTES {
        return Err(invalid(format!(
            "{TOKEN_FILE_VAR} `{}` is larger than {MAX_TOKEN_FILE_BYTES} bytes",
            printable(path, 200)
        )));
    }
    Ok(token)
}

/// `token` as a sensitive header value. As botocore, a line break is refused rather than
/// trimmed. The error completes a sentence about the token.
fn header_token(token: &[u8]) -> Result<HeaderValue, String> {
    if token.contains(&b'\r') || token.contains(&b'\n') {
        return Err("contains a line break (CR or LF), which cannot be sent in a header".to_owned());
    }
    if token.iter().all(u8::is_ascii_whitespace) {
        return Err("is empty".to_owned());
    }
    let mut value = HeaderValue::from_bytes(token)
        .map_err(|_| "contains a control character, which cannot be sent in a header".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests;
