//! SigV4 signing of a request, through aws-sigv4, and (for tests) an independent verifier.

use std::fmt;
use std::time::SystemTime;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::Request;

use crate::credentials::Credentials;
use crate::error::call::ConstructionError;

#[cfg(any(test, feature = "test-util"))]
pub mod verify;

/// Signs `request` in place with SigV4 at `time`: adds `x-amz-date`, `authorization` and, for
/// temporary credentials, `x-amz-security-token`. Every header present is signed except
/// `user-agent` (proxies rewrite it), and so is the host derived from the URI.
pub(crate) fn sign_request(
    request: &mut Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), ConstructionError> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};

    let failed = |err: &dyn fmt::Display| match credential_problem(credentials) {
        // Say which credential is unusable rather than what the signer tripped on.
        Some(problem) => ConstructionError::new(format!("could not sign the request: {problem}")),
        None => ConstructionError::new(format!("could not sign the request: {err}")),
    };
    let identity: aws_smithy_runtime_api::client::identity::Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        None,
        "aws-lite",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|err| failed(&err))?
        .into();
    let mut headers = Vec::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        let value = std::str::from_utf8(value.as_bytes())
            .map_err(|_| ConstructionError::new(format!("header `{name}` is not valid UTF-8 and cannot be signed")))?;
        headers.push((name.as_str(), value));
    }
    let uri = request.uri().to_string();
    let signable =
        SignableRequest::new(request.method().as_str(), uri, headers.into_iter(), SignableBody::Bytes(request.body()))
            .map_err(|err| failed(&err))?;
    let (instructions, _signature) = sign(signable, &params).map_err(|err| failed(&err))?.into_parts();
    // Applied by hand: `apply_to_request_http1x` unwraps header values.
    let (new_headers, _query) = instructions.into_parts();
    for header in new_headers {
        let name = HeaderName::try_from(header.name()).map_err(|err| failed(&err))?;
        let mut value = HeaderValue::try_from(header.value()).map_err(|err| failed(&err))?;
        value.set_sensitive(header.sensitive());
        request.headers_mut().insert(name, value);
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
