//! SigV4 signing alone: what `aws_sigv4::http_request::sign` costs for aws-lite's own request
//! of each operation. The official SDK signs with this crate (through `aws-runtime`), so it is
//! a floor under the official per-call time; aws-lite signs with its own signer
//! (`aws_lite_runtime::signing`), so the figure is a reference point for that signer.

use crate::scenario::common::{Seen, ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use std::time::SystemTime;

/// A request ready to be signed again and again: the headers aws-lite had before signing.
pub struct Unsigned {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    service: String,
}

/// Headers that signing adds; dropped so that each signature starts from the same request.
const ADDED_BY_SIGNING: [&str; 3] = ["authorization", "x-amz-date", "x-amz-security-token"];

impl Unsigned {
    pub fn from_seen(seen: &Seen) -> Result<Unsigned, String> {
        // `Credential=AKID/20261123/us-east-1/personalize/aws4_request`: the signing name.
        let authorization = seen
            .headers
            .iter()
            .find(|(name, _)| name == "authorization")
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| format!("request to {} was not signed", seen.uri))?;
        let service = authorization
            .split("Credential=")
            .nth(1)
            .and_then(|scope| scope.split('/').nth(3))
            .ok_or_else(|| format!("cannot read the signing name from `{authorization}`"))?;
        Ok(Unsigned {
            method: seen.method.clone(),
            uri: seen.uri.clone(),
            headers: seen
                .headers
                .iter()
                .filter(|(name, _)| !ADDED_BY_SIGNING.contains(&name.as_str()))
                .cloned()
                .collect(),
            body: seen.body.clone(),
            service: service.to_owned(),
        })
    }

    /// Signs as aws-lite does (credentials to identity, parameters, signable request, sign,
    /// output headers into a header map); returns the number of headers produced.
    pub fn sign(&self) -> Result<usize, String> {
        let failed = |err: &dyn std::fmt::Display| format!("signing failed: {err}");
        let identity: Identity =
            aws_credential_types::Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "bench").into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name(&self.service)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|err| failed(&err))?
            .into();
        let headers = self.headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        let signable = SignableRequest::new(&self.method, &self.uri, headers, SignableBody::Bytes(&self.body))
            .map_err(|err| failed(&err))?;
        let (instructions, _signature) = sign(signable, &params).map_err(|err| failed(&err))?.into_parts();
        let (new_headers, _query) = instructions.into_parts();
        let mut map = http::HeaderMap::new();
        for header in new_headers {
            let name = http::HeaderName::try_from(header.name()).map_err(|err| failed(&err))?;
            let value = http::HeaderValue::try_from(header.value()).map_err(|err| failed(&err))?;
            map.insert(name, value);
        }
        Ok(map.len())
    }
}
