//! Endpoints from the service's `smithy.rules#endpointRuleSet`, as the official SDKs resolve
//! them: the generator embeds the rule set, the built-in parameters come from the
//! configuration, the client context parameters set in the configuration come next, the
//! operation adds its context parameters, and the result (URL, headers, SigV4 signing name,
//! region and path encoding) is cached per service and parameters, so a call pays a map lookup.
//!
//! Built-ins: `AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint` (the endpoint
//! URL given in code or configured for the service) and `AWS::Auth::AccountIdEndpointMode` come
//! from the configuration; `AWS::Auth::AccountId` from the call's credentials (their source's
//! account: `AWS_ACCOUNT_ID`, a profile's `aws_account_id`, a credential process's `AccountId`,
//! the SSO account, the account of an assumed role), unless the mode is `disabled`.
//! `AWS::STS::UseGlobalEndpoint` is left unset (regional STS endpoints, as aws-sdk-rust). The S3
//! built-ins (`AWS::S3::ForcePathStyle`, `AWS::S3::UseArnRegion`, ...) are client context
//! parameters of the same name: they take the value set with
//! [`ConfigBuilder::client_context_param`](crate::client::ConfigBuilder::client_context_param),
//! else the rule set's default.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};

use aws_lite_endpoint_rules::{Endpoint, ParamValue, Params, RuleSet};
use http::header::{HeaderName, HeaderValue};
use http::Uri;

use crate::config::{Config, ServiceSpec};
use crate::error::call::ConstructionError;

/// A service's endpoint rule set as generated code embeds it: its JSON text, parsed and
/// checked at first use (the generator checked it already).
pub struct EndpointRules {
    json: &'static str,
    parsed: OnceLock<Result<RuleSet, String>>,
}

impl EndpointRules {
    /// The rule set of this JSON text (the `smithy.rules#endpointRuleSet` trait's value).
    pub const fn new(json: &'static str) -> Self {
        Self { json, parsed: OnceLock::new() }
    }

    fn rule_set(&self) -> Result<&RuleSet, ConstructionError> {
        let parsed = self.parsed.get_or_init(|| {
            let value: serde_json::Value = serde_json::from_str(self.json).map_err(|err| err.to_string())?;
            RuleSet::from_json(&value).map_err(|err| err.to_string())
        });
        parsed.as_ref().map_err(|err| ConstructionError::new(format!("the endpoint rule set is invalid: {err}")))
    }
}

impl EndpointRules {
    /// The URL a call to `spec` is sent to (before the operation's host prefix and path) when
    /// its operation binds `operation_params`, resolved as [`send`](crate::client::send)
    /// resolves it: this rule set, the configuration's built-ins and client context parameters,
    /// then the operation's parameters; cached per configuration. Without credentials, so
    /// without an account id.
    ///
    /// # Errors
    /// When an error rule matches (its message, with the parameters), no rule matches, or the
    /// endpoint is unusable.
    pub fn endpoint_url(
        &self,
        spec: &'static ServiceSpec,
        config: &Config,
        operation_params: &[(&'static str, ParamValue)],
    ) -> Result<Uri, ConstructionError> {
        resolve(spec, self, config, operation_params, None).map(|endpoint| endpoint.uri.clone())
    }
}

impl fmt::Debug for EndpointRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EndpointRules({} bytes)", self.json.len())
    }
}

impl PartialEq for EndpointRules {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

impl Eq for EndpointRules {}

/// An endpoint ready for the calls that resolve to it.
#[derive(Debug)]
pub(crate) struct ResolvedEndpoint {
    pub(crate) uri: Uri,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The SigV4 signing name and region the endpoint asks for, when they differ from the
    /// service's and the configured region (global endpoints sign as `us-east-1`).
    pub(crate) signing_name: Option<String>,
    pub(crate) signing_region: Option<String>,
    /// The sigv4 scheme's `disableDoubleEncoding`: the path is signed as sent, encoded once
    /// (S3).
    pub(crate) disable_double_encoding: bool,
    /// The sigv4 scheme's `disableNormalizePath`: the path is signed without removing `.`
    /// and `..` segments (S3).
    pub(crate) disable_normalize_path: bool,
}

/// The parameters of an operation that affect its endpoint (`@contextParam` members,
/// `staticContextParams`, `operationContextParams`), by rule set parameter name.
pub type EndpointParams = Vec<(&'static str, ParamValue)>;

type CacheKey = (usize, EndpointParams);

/// Resolved endpoints by service and operation parameters, shared by the clones of a
/// configuration (their built-in parameters are the same).
#[derive(Default)]
pub(crate) struct EndpointCache(RwLock<HashMap<CacheKey, Arc<ResolvedEndpoint>>>);

/// More distinct parameter sets than this (a bucket per call, say) start the cache afresh.
const CACHE_LIMIT: usize = 1024;

impl fmt::Debug for EndpointCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.0.read().map(|map| map.len()).unwrap_or_default();
        write!(f, "EndpointCache({entries} entries)")
    }
}

/// The endpoint of a call to `spec` with `operation_params`, resolved by `rules`, for the
/// account of the call's credentials when the rule set routes by account (`account_id`).
pub(crate) fn resolve(
    spec: &'static ServiceSpec,
    rules: &EndpointRules,
    config: &Config,
    operation_params: &[(&'static str, ParamValue)],
    account_id: Option<&str>,
) -> Result<Arc<ResolvedEndpoint>, ConstructionError> {
    let cache = config.endpoint_cache();
    let mut key_params = operation_params.to_vec();
    if let Some(account_id) = account_id {
        key_params.push((ACCOUNT_ID, ParamValue::String(account_id.to_owned())));
    }
    let key: CacheKey = (spec as *const ServiceSpec as usize, key_params);
    if let Some(hit) = cache.0.read().ok().and_then(|map| map.get(&key).cloned()) {
        return Ok(hit);
    }
    let rule_set = rules.rule_set()?;
    let mut params = Params::new();
    for parameter in rule_set.parameters() {
        let value = match parameter.built_in.as_deref() {
            Some("AWS::Region") => ParamValue::String(config.region().to_owned()),
            Some("AWS::UseFIPS") => ParamValue::Bool(config.use_fips()),
            Some("AWS::UseDualStack") => ParamValue::Bool(config.use_dual_stack()),
            Some("SDK::Endpoint") => match config.endpoint_for(spec.sdk_id) {
                Some(uri) => ParamValue::String(uri.to_string()),
                None => continue,
            },
            Some(ACCOUNT_ID) => match account_id {
                Some(account_id) => ParamValue::String(account_id.to_owned()),
                None => continue,
            },
            Some("AWS::Auth::AccountIdEndpointMode") => {
                ParamValue::String(config.account_id_endpoint_mode().as_str().to_owned())
            }
            _ => continue,
        };
        params.set(parameter.name.clone(), value);
    }
    for (name, value) in config.client_context_params() {
        if rule_set.parameter(name).is_some() {
            params.set(name.clone(), value.clone());
        }
    }
    for (name, value) in operation_params {
        params.set(*name, value.clone());
    }
    let endpoint = rule_set.resolve(&params).map_err(|err| {
        ConstructionError::new(format!("cannot resolve an endpoint for {} ({}): {err}", spec.sdk_id, describe(&params)))
    })?;
    let resolved = Arc::new(ready(spec, endpoint)?);
    if let Ok(mut map) = cache.0.write() {
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(key, resolved.clone());
    }
    Ok(resolved)
}

/// The built-in parameter of the account id of the call's credentials.
const ACCOUNT_ID: &str = "AWS::Auth::AccountId";

impl EndpointRules {
    /// Whether the rule set routes by account (declares `AWS::Auth::AccountId`): a call then
    /// loads its credentials before resolving its endpoint.
    pub(crate) fn uses_account_id(&self) -> bool {
        self.rule_set().is_ok_and(|rules| rules.parameters().iter().any(|p| p.built_in.as_deref() == Some(ACCOUNT_ID)))
    }
}

/// `Region = us-east-1, UseFIPS = false, ...` for messages.
fn describe(params: &Params) -> String {
    let shown: Vec<String> = params
        .iter()
        .map(|(name, value)| match value {
            ParamValue::String(text) => format!("{name} = `{}`", crate::error::printable::printable(text, 200)),
            ParamValue::Bool(flag) => format!("{name} = {flag}"),
            ParamValue::StringArray(items) => format!("{name} = {items:?}"),
        })
        .collect();
    if shown.is_empty() {
        "no parameters".to_owned()
    } else {
        shown.join(", ")
    }
}

/// The URL parsed, headers checked, and the SigV4 settings of `authSchemes` read.
fn ready(spec: &ServiceSpec, endpoint: Endpoint) -> Result<ResolvedEndpoint, ConstructionError> {
    let uri: Uri = endpoint.url.parse().map_err(|err| {
        ConstructionError::new(format!("the endpoint rules of {} gave an invalid URL `{}`", spec.sdk_id, endpoint.url))
            .with_source(err)
    })?;
    let mut headers = Vec::new();
    for (name, values) in &endpoint.headers {
        let header = HeaderName::try_from(name.as_str()).map_err(|err| {
            ConstructionError::new(format!("the endpoint gave an invalid header `{name}`")).with_source(err)
        })?;
        for value in values {
            let value = HeaderValue::try_from(value.as_str()).map_err(|err| {
                ConstructionError::new(format!("the endpoint gave an invalid value for header `{name}`"))
                    .with_source(err)
            })?;
            headers.push((header.clone(), value));
        }
    }
    let scheme = sigv4(spec, &endpoint)?;
    Ok(ResolvedEndpoint {
        uri,
        headers,
        signing_name: scheme.name,
        signing_region: scheme.region,
        disable_double_encoding: scheme.disable_double_encoding,
        disable_normalize_path: scheme.disable_normalize_path,
    })
}

/// What an endpoint's `sigv4` auth scheme asks for.
#[derive(Default)]
struct Sigv4Scheme {
    name: Option<String>,
    region: Option<String>,
    disable_double_encoding: bool,
    disable_normalize_path: bool,
}

/// The signing name, region and path encoding of the endpoint's `sigv4` auth scheme (the
/// first the client supports, as the official SDKs choose).
fn sigv4(spec: &ServiceSpec, endpoint: &Endpoint) -> Result<Sigv4Scheme, ConstructionError> {
    let Some(schemes) = endpoint.properties.get("authSchemes").and_then(|schemes| schemes.as_array()) else {
        return Ok(Sigv4Scheme::default());
    };
    let name =
        |scheme: &serde_json::Value| scheme.get("name").and_then(|name| name.as_str()).unwrap_or_default().to_owned();
    let Some(scheme) = schemes.iter().find(|scheme| name(scheme) == "sigv4") else {
        let offered: Vec<String> = schemes.iter().map(name).collect();
        return Err(ConstructionError::new(format!(
            "the endpoint of {} asks for the auth schemes {offered:?}; only sigv4 is supported",
            spec.sdk_id
        )));
    };
    let text = |key: &str| scheme.get(key).and_then(|value| value.as_str()).map(str::to_owned);
    let flag = |key: &str| scheme.get(key).and_then(|value| value.as_bool()).unwrap_or(false);
    Ok(Sigv4Scheme {
        name: text("signingName"),
        region: text("signingRegion"),
        disable_double_encoding: flag("disableDoubleEncoding"),
        disable_normalize_path: flag("disableNormalizePath"),
    })
}
