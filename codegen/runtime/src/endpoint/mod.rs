//! Where a request goes: the regional endpoint of the service (the DNS suffix follows the
//! region's partition) or the configured override, with the operation's host prefix, and the
//! request URI joined from the endpoint's base path and the operation's path and query.

use http::Uri;

use crate::config::{Config, ServiceSpec};
use crate::error::call::ConstructionError;

mod rules;

pub(crate) use self::rules::{resolve as resolve_by_rules, EndpointCache};
pub use self::rules::{EndpointParams, EndpointRules};

/// The endpoint of a call: the override given in code or configured for the service (scheme,
/// host, port and base path kept,
/// `host_prefix` prepended to the host unless it is an IP address), else
/// `https://{host_prefix}{endpoint_prefix}.{region}.{dns suffix}`.
///
/// The DNS suffix follows the region's partition: `amazonaws.com` (also for `us-gov-*`),
/// `amazonaws.com.cn` for `cn-*`, `c2s.ic.gov` for `us-iso-*`, `sc2s.sgov.gov` for
/// `us-isob-*`, `cloud.adc-e.uk` for `eu-isoe-*` and `csp.hci.ic.gov` for `us-isof-*`. FIPS,
/// dual-stack and global endpoints are not modeled. Fails when the region is not a valid host
/// label or the host prefix makes an invalid host name.
pub fn resolve_endpoint(
    spec: &ServiceSpec,
    config: &Config,
    host_prefix: Option<&str>,
) -> Result<Uri, ConstructionError> {
    let region = config.region();
    if !is_valid_host_label(region) {
        return Err(ConstructionError::new(format!(
            "invalid region `{region}`: a region must be a valid host label (letters, digits, `-`)"
        )));
    }
    let prefix = if config.disable_host_prefix() { "" } else { host_prefix.unwrap_or("") };
    match config.endpoint_for(spec.sdk_id) {
        Some(endpoint) => override_endpoint(endpoint, prefix),
        None if config.use_fips() || config.use_dual_stack() => Err(ConstructionError::new(format!(
            "FIPS and dual-stack endpoints are requested (use_fips_endpoint / use_dualstack_endpoint), but {} \
             resolves only the standard regional endpoint; set an endpoint URL or turn them off",
            spec.sdk_id
        ))),
        None => {
            let host = format!("{prefix}{}.{region}.{}", spec.endpoint_prefix, dns_suffix(region));
            check_host(&host)?;
            Uri::builder()
                .scheme("https")
                .authority(host.as_str())
                .path_and_query("/")
                .build()
                .map_err(|err| ConstructionError::new(format!("invalid endpoint host `{host}`")).with_source(err))
        }
    }
}

/// Applies the host prefix to an endpoint override.
pub(crate) fn override_endpoint(endpoint: &Uri, prefix: &str) -> Result<Uri, ConstructionError> {
    let authority = endpoint.authority().map(|a| a.as_str()).unwrap_or_default();
    let host = endpoint.host().unwrap_or_default();
    // An IP address cannot take a prefix; local test servers are usually addressed by IP.
    let is_ip = host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok();
    let authority = if prefix.is_empty() || is_ip {
        authority.to_owned()
    } else {
        check_host(&format!("{prefix}{host}"))?;
        format!("{prefix}{authority}")
    };
    let path = endpoint.path();
    let path = if path.is_empty() { "/" } else { path };
    Uri::builder()
        .scheme(endpoint.scheme_str().unwrap_or("https"))
        .authority(authority.as_str())
        .path_and_query(path)
        .build()
        .map_err(|err| ConstructionError::new(format!("invalid endpoint `{authority}{path}`")).with_source(err))
}

/// The DNS suffix of the partition a region belongs to.
fn dns_suffix(region: &str) -> &'static str {
    const PARTITIONS: &[(&str, &str)] = &[
        ("cn-", "amazonaws.com.cn"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("us-isof-", "csp.hci.ic.gov"),
        ("us-iso-", "c2s.ic.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
    ];
    PARTITIONS.iter().find(|(prefix, _)| region.starts_with(prefix)).map_or("amazonaws.com", |(_, suffix)| suffix)
}

/// RFC 1123 host label: 1 to 63 letters, digits or `-`, not starting or ending with `-`.
fn is_valid_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

fn check_host(host: &str) -> Result<(), ConstructionError> {
    if host.len() <= 253 && host.split('.').all(is_valid_host_label) {
        Ok(())
    } else {
        Err(ConstructionError::new(format!("invalid endpoint host name `{host}`")))
    }
}

/// Joins the endpoint's base path and the operation's path and query.
pub(crate) fn request_uri(endpoint: &Uri, path_and_query: &str) -> Result<Uri, ConstructionError> {
    if !path_and_query.starts_with('/') {
        return Err(ConstructionError::new(format!("the request path `{path_and_query}` does not start with `/`")));
    }
    let base = endpoint.path().trim_end_matches('/');
    let joined = format!("{base}{path_and_query}");
    let mut parts = endpoint.clone().into_parts();
    parts.path_and_query = Some(
        joined
            .parse()
            .map_err(|err| ConstructionError::new(format!("invalid request path `{joined}`")).with_source(err))?,
    );
    Uri::from_parts(parts).map_err(|err| ConstructionError::new("invalid request URI").with_source(err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::SPEC;

    fn endpoint(region: &str, url: Option<&str>, prefix: Option<&str>) -> Result<String, ConstructionError> {
        let mut builder = Config::builder().region(region);
        if let Some(url) = url {
            builder = builder.endpoint_url(url);
        }
        let config = builder.build().expect("valid config");
        resolve_endpoint(&SPEC, &config, prefix).map(|uri| uri.to_string())
    }

    #[test]
    fn regional_endpoints_per_partition() {
        let cases = [
            ("us-east-1", "https://personalize.us-east-1.amazonaws.com/"),
            ("cn-north-1", "https://personalize.cn-north-1.amazonaws.com.cn/"),
            ("us-gov-west-1", "https://personalize.us-gov-west-1.amazonaws.com/"),
            ("us-iso-east-1", "https://personalize.us-iso-east-1.c2s.ic.gov/"),
            ("us-isob-east-1", "https://personalize.us-isob-east-1.sc2s.sgov.gov/"),
        ];
        for (region, expected) in cases {
            assert_eq!(endpoint(region, None, None).expect(region), expected);
        }
        assert_eq!(
            endpoint("us-east-1", None, Some("data-")).expect("prefixed"),
            "https://data-personalize.us-east-1.amazonaws.com/"
        );
    }

    #[test]
    fn endpoint_overrides_keep_scheme_port_and_base_path() {
        assert_eq!(endpoint("us-east-1", Some("http://127.0.0.1:8080"), None).expect("ip"), "http://127.0.0.1:8080/");
        assert_eq!(
            endpoint("us-east-1", Some("http://127.0.0.1:8080/base/"), Some("data-")).expect("ip"),
            "http://127.0.0.1:8080/base/"
        );
        assert_eq!(
            endpoint("us-east-1", Some("https://example.com:8443/base"), Some("data-")).expect("named"),
            "https://data-example.com:8443/base"
        );
        let uri: Uri = "https://example.com:8443/base".parse().expect("uri");
        assert_eq!(request_uri(&uri, "/x/y?z=1").expect("joined").to_string(), "https://example.com:8443/base/x/y?z=1");
        let uri: Uri = "https://example.com/".parse().expect("uri");
        assert_eq!(request_uri(&uri, "/").expect("joined").to_string(), "https://example.com/");
        assert!(request_uri(&uri, "x").is_err());
    }

    #[test]
    fn invalid_regions_and_prefixes_are_construction_errors() {
        for region in ["us east", "us-east-1/../x", "-us", "a.b"] {
            let err = endpoint(region, None, None).unwrap_err();
            assert!(err.to_string().contains("invalid region"), "{err}");
        }
        assert!(endpoint("us-east-1", None, Some("bad prefix.")).is_err());
        let config = Config::builder().region("us-east-1").disable_host_prefix(true).build().expect("valid config");
        assert_eq!(
            resolve_endpoint(&SPEC, &config, Some("data-")).expect("resolved").to_string(),
            "https://personalize.us-east-1.amazonaws.com/"
        );
    }
}
