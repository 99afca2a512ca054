//! Fixtures shared by the unit tests of the modules that build, sign and send requests.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response};

use crate::config::{Config, ConfigBuilder, ServiceSpec};
use crate::credentials::Credentials;
use crate::send::RequestParts;
use crate::transport::Transport;

/// A service to send requests to.
pub(crate) static SPEC: ServiceSpec = ServiceSpec {
    sdk_id: "Personalize",
    endpoint_prefix: "personalize",
    signing_name: "personalize",
    api_version: "2018-05-22",
};

/// The secret access key of the test credentials (the AWS SigV4 test suite's).
pub(crate) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A canned response.
pub(crate) fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response<Bytes> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::from(body.to_owned())).expect("valid test response")
}

/// A configuration in `us-west-2` with credentials, sending through `transport`.
pub(crate) fn config_with(transport: impl Transport) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
        .transport(transport)
}

/// A serialized `ListDatasets` request.
pub(crate) fn parts() -> RequestParts {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/x-amz-json-1.1"));
    headers.insert("x-amz-target", HeaderValue::from_static("AmazonPersonalize.ListDatasets"));
    RequestParts {
        method: Method::POST,
        path_and_query: "/".to_owned(),
        headers,
        body: Bytes::from_static(b"{\"maxResults\":10}"),
        host_prefix: None,
        endpoint: None,
        request_compression: false,
    }
}

/// A header's value as text, empty when missing.
pub(crate) fn header<'a>(request: &'a Request<Bytes>, name: &str) -> &'a str {
    request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}
