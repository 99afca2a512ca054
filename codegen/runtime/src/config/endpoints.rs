//! Endpoint URLs configured outside the code, per service, in the order of the AWS SDKs and
//! CLI: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the `endpoint_url` of the
//! service in the profile's `services` section, then the profile's own `endpoint_url`.
//!
//! `<SERVICE>` is the service's SDK id upper-cased with spaces as `_` (`AWS_ENDPOINT_URL_IOT`,
//! `AWS_ENDPOINT_URL_API_GATEWAY`); in a `services` section the id is lower-cased (`iot`,
//! `api_gateway`). Both are matched without allocating, so a call with nothing configured
//! pays one pointer check.

use std::collections::BTreeMap;
use std::sync::Arc;

use http::Uri;

use crate::config::{parse_endpoint_url, ConfigError};
use crate::credentials::Env;
use crate::profile::{ProfileSet, Property};

/// The configured endpoint URLs, each checked when loaded.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConfiguredEndpoints(Option<Arc<Sources>>);

#[derive(Debug, Default)]
struct Sources {
    env_services: Vec<(String, Uri)>,
    env_global: Option<Uri>,
    profile_services: Vec<(String, Uri)>,
    profile_global: Option<Uri>,
}

impl ConfiguredEndpoints {
    /// Reads the variables of `env` and the selected profile `profile_name` of `profiles`.
    pub(crate) fn load(env: &Env, profiles: &ProfileSet, profile_name: &str) -> Result<Self, ConfigError> {
        let mut sources = Sources::default();
        for (service, url) in env.with_prefix("AWS_ENDPOINT_URL_") {
            let origin = format!(" (from AWS_ENDPOINT_URL_{service})");
            sources.env_services.push((service.to_owned(), parse_endpoint_url(url.trim(), &origin)?));
        }
        if let Some(url) = env.get("AWS_ENDPOINT_URL") {
            sources.env_global = Some(parse_endpoint_url(url.trim(), " (from AWS_ENDPOINT_URL)")?);
        }
        if let Some(profile) = profiles.profile(profile_name) {
            let origin = |what: &str, property: &Property| format!(" ({what}, in {})", property.file.display());
            if let Some(property) = non_empty(profile, "endpoint_url") {
                let origin = origin(&format!("endpoint_url of profile `{profile_name}`"), property);
                sources.profile_global = Some(parse_endpoint_url(property.value.text.trim(), &origin)?);
            }
            if let Some(property) = non_empty(profile, "services") {
                let section_name = property.value.text.trim();
                let section = profiles.services(section_name).ok_or_else(|| {
                    ConfigError::new(format!(
                        "profile `{profile_name}` names services section `{section_name}`, which is not defined in {}",
                        property.file.display()
                    ))
                })?;
                for (service, settings) in section {
                    if let Some(url) =
                        settings.value.sub_properties.get("endpoint_url").filter(|u| !u.trim().is_empty())
                    {
                        let what = format!("endpoint_url of `{service}` in services section `{section_name}`");
                        sources
                            .profile_services
                            .push((service.clone(), parse_endpoint_url(url.trim(), &origin(&what, settings))?));
                    }
                }
            }
        }
        let empty = sources.env_services.is_empty()
            && sources.env_global.is_none()
            && sources.profile_services.is_empty()
            && sources.profile_global.is_none();
        Ok(Self(if empty { None } else { Some(Arc::new(sources)) }))
    }

    /// The endpoint URL configured for the service `sdk_id`, if any.
    pub(crate) fn for_service(&self, sdk_id: &str) -> Option<&Uri> {
        let sources = self.0.as_deref()?;
        by_service(&sources.env_services, sdk_id)
            .or(sources.env_global.as_ref())
            .or_else(|| by_service(&sources.profile_services, sdk_id))
            .or(sources.profile_global.as_ref())
    }
}

/// The URL of `sdk_id` in `list`.
fn by_service<'a>(list: &'a [(String, Uri)], sdk_id: &str) -> Option<&'a Uri> {
    list.iter().find(|(key, _)| names_service(key, sdk_id)).map(|(_, uri)| uri)
}

/// A property with a non-blank value.
fn non_empty<'a>(profile: &'a BTreeMap<String, Property>, key: &str) -> Option<&'a Property> {
    profile.get(key).filter(|property| !property.value.text.trim().is_empty())
}

/// Whether `key` (`API_GATEWAY`, `api_gateway`) names the service with SDK id `sdk_id`
/// (`API Gateway`): case-insensitive, a space in the id written `_`.
fn names_service(key: &str, sdk_id: &str) -> bool {
    key.len() == sdk_id.len()
        && key.bytes().zip(sdk_id.bytes()).all(|(k, s)| {
            let s = if s == b' ' { b'_' } else { s };
            k.eq_ignore_ascii_case(&s)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TempDir;

    const CONFIG: &str = "\
[default]
endpoint_url = http://profile-global:1
services = local
[profile other]
endpoint_url = http://other:1
[profile broken]
services = nowhere
[services local]
iot =
  endpoint_url = http://profile-iot:1
api_gateway =
  endpoint_url = http://profile-apigw:1
";

    fn load(dir: &TempDir, vars: &[(&str, &str)], profile: &str) -> Result<ConfiguredEndpoints, ConfigError> {
        let config = dir.write("config", CONFIG);
        let mut all =
            vec![("AWS_CONFIG_FILE", config.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-lite")];
        all.extend_from_slice(vars);
        let env = Env::of(&all);
        let profiles = ProfileSet::load(&|name| env.get(name)).expect("valid files");
        ConfiguredEndpoints::load(&env, &profiles, profile)
    }

    fn host(endpoints: &ConfiguredEndpoints, sdk_id: &str) -> Option<String> {
        endpoints.for_service(sdk_id).and_then(|uri| uri.host().map(str::to_owned))
    }

    #[test]
    fn precedence_of_each_source() {
        let dir = TempDir::new("configured-endpoints");
        let all = [("AWS_ENDPOINT_URL_IOT", "http://env-iot:1"), ("AWS_ENDPOINT_URL", "http://env-global:1")];
        let endpoints = load(&dir, &all, "default").expect("valid");
        assert_eq!(host(&endpoints, "IoT").as_deref(), Some("env-iot"));
        assert_eq!(host(&endpoints, "API Gateway").as_deref(), Some("env-global"));
        let endpoints = load(&dir, &all[1..], "default").expect("valid");
        assert_eq!(host(&endpoints, "IoT").as_deref(), Some("env-global"));
        let endpoints = load(&dir, &[], "default").expect("valid");
        assert_eq!(host(&endpoints, "IoT").as_deref(), Some("profile-iot"));
        assert_eq!(host(&endpoints, "API Gateway").as_deref(), Some("profile-apigw"));
        assert_eq!(host(&endpoints, "Personalize").as_deref(), Some("profile-global"));
        let endpoints = load(&dir, &[("AWS_ENDPOINT_URL_API_GATEWAY", "http://env-apigw:1")], "other").expect("valid");
        assert_eq!(host(&endpoints, "API Gateway").as_deref(), Some("env-apigw"));
        assert_eq!(host(&endpoints, "IoT").as_deref(), Some("other"));
        let endpoints = load(&dir, &[], "missing").expect("no profile, nothing configured");
        assert_eq!(host(&endpoints, "IoT"), None);
    }

    #[test]
    fn bad_urls_and_sections_name_their_origin() {
        let dir = TempDir::new("configured-endpoints-bad");
        let err = load(&dir, &[("AWS_ENDPOINT_URL_IOT", "ftp://x")], "default").expect_err("bad scheme");
        assert!(err.message().contains("`ftp://x` (from AWS_ENDPOINT_URL_IOT)"), "{err}");
        let err = load(&dir, &[], "broken").expect_err("missing section");
        assert!(err.message().contains("services section `nowhere`, which is not defined"), "{err}");
    }

    #[test]
    fn service_names_match_ids() {
        assert!(names_service("API_GATEWAY", "API Gateway"));
        assert!(names_service("api_gateway", "API Gateway"));
        assert!(names_service("IOT", "IoT"));
        assert!(!names_service("IOTX", "IoT"));
        assert!(!names_service("API GATEWAY", "API_Gateway"));
    }
}
