//! SigV4 signing of a request, and (for tests) an independent verifier.
//!
//! Signing writes the canonical request (`canonical`) into one buffer, hashes it, then reuses
//! the buffer for the string to sign. The signing key comes from a small cache (`key`), so a
//! call for a day, region and service already seen costs the SHA-256 of the body and of the
//! canonical request, one HMAC of the string to sign, and a handful of allocations.

use std::time::SystemTime;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use http::Request;
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::error::call::ConstructionError;

pub(crate) mod canonical;
pub(crate) mod key;
#[cfg(any(test, feature = "test-util"))]
pub mod verify;

#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod suite_tests;

use canonical::{uri_host, AmzDate, CanonicalRequest, ALGORITHM};

/// `x-amz-date`, the signing time.
const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
/// `x-amz-content-sha256`: when a request carries it, its value is the signed payload hash.
pub(crate) const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
/// `x-amz-security-token`, the session token of temporary credentials.
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");

/// How the request path enters the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PathSigning {
    /// Encode the (already percent-encoded) path a second time, as SigV4 does for every
    /// service but S3; an endpoint's `disableDoubleEncoding` turns it off.
    pub(crate) double_encode: bool,
    /// Remove `.` and `..` segments first; an endpoint's `disableNormalizePath` turns it off.
    pub(crate) normalize: bool,
}

impl Default for PathSigning {
    fn default() -> Self {
        Self { double_encode: true, normalize: true }
    }
}

/// Signs `request` in place with SigV4 at `time`: adds `x-amz-date`, `authorization` and, for
/// temporary credentials, `x-amz-security-token` (the last two marked sensitive). Every header
/// present is signed except `user-agent` (proxies rewrite it), `x-amzn-trace-id`,
/// `transfer-encoding` and any `authorization`, and so is the host derived from the URI when
/// there is no `host` header. The path is normalized and encoded twice, as for every service
/// but S3; the payload hash is not sent (no `x-amz-content-sha256`).
///
/// On error the request is left unchanged.
#[cfg(test)]
pub(crate) fn sign_request(
    request: &mut Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), ConstructionError> {
    sign_request_with(request, credentials, region, signing_name, time, PathSigning::default())
}

/// [`sign_request`] with the path signed as `path` says (S3-style single encoding when an
/// endpoint's auth scheme asks for it).
pub(crate) fn sign_request_with(
    request: &mut Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    path: PathSigning,
) -> Result<(), ConstructionError> {
    let failed = |err: &dyn std::fmt::Display| match credential_problem(credentials) {
        // Say which credential is unusable rather than what the signer tripped on.
        Some(problem) => ConstructionError::new(format!("could not sign the request: {problem}")),
        None => ConstructionError::new(format!("could not sign the request: {err}")),
    };
    let amz_date = AmzDate::new(time).ok_or_else(|| {
        ConstructionError::new("could not sign the request: the clock is outside the years 0000-9999")
    })?;
    let token = credentials.session_token();
    // One buffer for the canonical request, then for the string to sign; most requests fit.
    let mut buffer = String::with_capacity(1024);
    let signed_headers = CanonicalRequest {
        method: request.method().as_str(),
        path: request.uri().path(),
        query: request.uri().query(),
        headers: request.headers(),
        host: uri_host(request.uri()),
        amz_date: &amz_date,
        security_token: token,
        payload: request.body(),
        payload_hash: request.headers().get(X_AMZ_CONTENT_SHA256).and_then(|value| value.to_str().ok()),
        normalize_path: path.normalize,
        double_encode_path: path.double_encode,
    }
    .write(&mut buffer)?;
    let canonical_request_hash = Sha256::digest(buffer.as_bytes());

    // `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=..., Signature=hex`; the
    // signed header list is copied out of the canonical request before the buffer is reused.
    let access_key_id = credentials.access_key_id();
    let mut authorization = String::with_capacity(
        ALGORITHM.len() + access_key_id.len() + region.len() + signing_name.len() + signed_headers.len() + 128,
    );
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Credential=");
    authorization.push_str(access_key_id);
    authorization.push('/');
    canonical::push_scope(&mut authorization, &amz_date, region, signing_name);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(buffer.get(signed_headers).unwrap_or_default());
    authorization.push_str(", Signature=");

    buffer.clear();
    canonical::push_string_to_sign(&mut buffer, &amz_date, region, signing_name, &canonical_request_hash);
    let mac = key::signing_mac(credentials, amz_date.date(), region, signing_name).map_err(|err| failed(&err))?;
    canonical::push_hex(&mut authorization, &key::signature(mac, buffer.as_bytes()));

    // Every value is built before any is inserted, so a failure leaves the request as it was.
    let date_value = HeaderValue::from_str(amz_date.as_str()).map_err(|err| failed(&err))?;
    // Taken without a copy: `Bytes` from the `String`'s buffer.
    let mut authorization =
        HeaderValue::from_maybe_shared(Bytes::from(authorization.into_bytes())).map_err(|err| failed(&err))?;
    authorization.set_sensitive(true);
    let token = match token {
        Some(token) => {
            let mut value = HeaderValue::from_str(token).map_err(|err| failed(&err))?;
            value.set_sensitive(true);
            Some(value)
        }
        None => None,
    };
    let headers = request.headers_mut();
    headers.insert(X_AMZ_DATE, date_value);
    headers.insert(AUTHORIZATION, authorization);
    if let Some(token) = token {
        headers.insert(X_AMZ_SECURITY_TOKEN, token);
    }
    Ok(())
}

/// What makes the credentials unusable in headers, naming the part but never its value.
fn credential_problem(credentials: &Credentials) -> Option<String> {
    let parts = [
        ("access key id", Some(credentials.access_key_id())),
        ("secret access key", Some(credentials.secret_access_key())),
        ("session token", credentials.session_token()),
    ];
    parts.into_iter().find_map(|(part, value)| {
        let problem = crate::credentials::text_problem(value?)?;
        Some(format!("the credentials' {part} {problem}"))
    })
}

#[cfg(test)]
mod tests {
    use super::verify as sigv4_check;
    use super::*;
    use crate::test_support::{header, SECRET};
    use crate::transport::copy_request;
    use http::Method;
    use std::time::Duration;

    /// 2015-08-30T12:36:00Z, the time of the AWS SigV4 test suite.
    fn suite_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    #[test]
    fn signer_matches_the_aws_test_suite_get_vanilla() {
        // Known answer from the AWS SigV4 test suite (`get-vanilla`): independent of both the
        // signer and the verifier.
        let expected = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                        SignedHeaders=host;x-amz-date, \
                        Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "https://example.amazonaws.com/".parse().expect("uri");
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        sign_request(&mut request, &credentials, "us-east-1", "service", suite_time()).expect("signed");
        assert_eq!(header(&request, "x-amz-date"), "20150830T123600Z");
        assert_eq!(header(&request, "authorization"), expected);

        // The verifier accepts the suite's request as a server receives it.
        let mut received = Request::new(Bytes::new());
        *received.uri_mut() = "/".parse().expect("uri");
        received.headers_mut().insert("host", HeaderValue::from_static("example.amazonaws.com"));
        received.headers_mut().insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        received.headers_mut().insert("authorization", HeaderValue::from_static(expected));
        sigv4_check::verify(&received, SECRET).expect("suite request verifies");
        assert!(sigv4_check::verify(&received, "wrong").is_err());
    }

    #[test]
    fn unusable_credentials_are_named_not_shown() {
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "https://example.amazonaws.com/".parse().expect("uri");
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("token-part\r\nrest".into()));
        let err =
            sign_request(&mut request, &credentials, "us-east-1", "service", suite_time()).expect_err("a CR/LF token");
        assert!(err
            .to_string()
            .ends_with("could not sign the request: the credentials' session token contains a line break"));
    }

    #[test]
    fn signed_values_are_sensitive_and_unsigned_headers_are_left_alone() {
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "https://example.amazonaws.com:8443/".parse().expect("uri");
        request.headers_mut().insert("user-agent", HeaderValue::from_bytes(b"agent \xff").expect("obs-text"));
        request.headers_mut().insert("x-amzn-trace-id", HeaderValue::from_static("Root=1"));
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("token".into()));
        sign_request(&mut request, &credentials, "us-east-1", "service", suite_time()).expect("signed");
        let authorization = &request.headers()["authorization"];
        assert!(authorization.is_sensitive());
        assert!(request.headers()["x-amz-security-token"].is_sensitive());
        assert!(!request.headers()["x-amz-date"].is_sensitive());
        let authorization = authorization.to_str().expect("ascii");
        assert!(authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"), "{authorization}");
        sigv4_check::verify(&request, SECRET).expect("valid signature");
    }

    #[test]
    fn unsignable_requests_are_errors_and_stay_unchanged() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "https://example.amazonaws.com/".parse().expect("uri");
        request.headers_mut().insert("x-amz-meta", HeaderValue::from_bytes(b"caf\xe9").expect("obs-text"));
        let before = copy_request(&request);
        let err = sign_request(&mut request, &credentials, "us-east-1", "service", suite_time()).expect_err("latin-1");
        assert!(err.to_string().contains("header `x-amz-meta` is not valid UTF-8"), "{err}");
        assert_eq!(request.headers(), before.headers());

        // No host to sign.
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "/relative".parse().expect("uri");
        let err = sign_request(&mut request, &credentials, "us-east-1", "service", suite_time()).expect_err("no host");
        assert!(err.to_string().contains("no host"), "{err}");
        assert!(request.headers().is_empty());

        // A clock outside what `x-amz-date` can write.
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = "https://example.amazonaws.com/".parse().expect("uri");
        let far = SystemTime::UNIX_EPOCH + Duration::from_secs(400_000_000_000);
        assert!(sign_request(&mut request, &credentials, "us-east-1", "service", far).is_err());
        // A region that cannot be in a header.
        let err = sign_request(&mut request, &credentials, "us-east-1\n", "service", suite_time()).expect_err("region");
        assert!(err.to_string().contains("could not sign the request"), "{err}");
        assert!(request.headers().is_empty());
    }

    #[test]
    fn arbitrary_header_bytes_regions_and_services_never_panic() {
        let mut rng = fastrand::Rng::with_seed(11);
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("tok".into()));
        for _ in 0..2000 {
            let mut request = Request::new(Bytes::new());
            *request.uri_mut() = "https://example.amazonaws.com/a/../b?x=%c3%a9&y".parse().expect("uri");
            for _ in 0..rng.usize(0..4) {
                let bytes: Vec<u8> = (0..rng.usize(0..8)).map(|_| rng.u8(..)).collect();
                if let Ok(value) = HeaderValue::from_bytes(&bytes) {
                    let name = ["host", "x-a", "x-b", "user-agent"][rng.usize(..4)];
                    request.headers_mut().append(name, value);
                }
            }
            // Any characters at all half the time, else a plain name.
            let text = |rng: &mut fastrand::Rng, plain: &str| -> String {
                if rng.bool() {
                    (0..rng.usize(0..6)).map(|_| rng.char(..)).collect()
                } else {
                    plain.to_owned()
                }
            };
            let (region, service) = (text(&mut rng, "us-east-1"), text(&mut rng, "iot"));
            let before = copy_request(&request);
            match sign_request(&mut request, &credentials, &region, &service, suite_time()) {
                // The verifier reads scopes of plain names only.
                Ok(()) if region == "us-east-1" && service == "iot" => {
                    sigv4_check::verify(&request, SECRET).expect("verifies")
                }
                Ok(()) => {}
                Err(_) => assert_eq!(request.headers(), before.headers()),
            }
        }
    }

    #[test]
    fn verifier_agrees_with_signer_on_awkward_requests() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("tok/en+=".into()));
        let mut request = Request::new(Bytes::from_static(b"{\"a\": \"b c\"}"));
        *request.method_mut() = Method::PUT;
        *request.uri_mut() =
            "http://127.0.0.1:8080/base/./a%2Fb/%C3%A9/../c%20d/?z=2&a=%2B&a=1&empty&sp=x%20y".parse().expect("uri");
        let headers = request.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("x-amz-meta", HeaderValue::from_static("  spaced   out  value "));
        headers.append("x-amz-multi", HeaderValue::from_static("one"));
        headers.append("x-amz-multi", HeaderValue::from_static("two"));
        sign_request(&mut request, &credentials, "eu-central-1", "iot", suite_time()).expect("signed");
        sigv4_check::verify(&request, SECRET).expect("valid signature");

        let mut tampered = copy_request(&request);
        *tampered.body_mut() = Bytes::from_static(b"{}");
        assert!(sigv4_check::verify(&tampered, SECRET).unwrap_err().contains("signature mismatch"));
        let mut tampered = copy_request(&request);
        tampered.headers_mut().insert("x-amz-meta", HeaderValue::from_static("other"));
        assert!(sigv4_check::verify(&tampered, SECRET).is_err());
        let mut tampered = copy_request(&request);
        *tampered.uri_mut() = "http://127.0.0.1:8080/base/a%2Fb/c%20d/?z=2&a=1".parse().expect("uri");
        assert!(sigv4_check::verify(&tampered, SECRET).is_err());
    }
}
