//! Fixtures shared by the unit tests: requests to build, sign and send, temp files and a
//! stand-in environment.

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

/// A directory of its own under the system temp directory, removed when dropped.
pub(crate) struct TempDir(std::path::PathBuf);

impl TempDir {
    /// A new empty directory; `label` and a counter keep parallel tests apart.
    pub(crate) fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = format!("aws-lite-{label}-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).expect("create a temp dir");
        TempDir(path)
    }

    /// Writes `text` to `name` in the directory and returns its path as text.
    pub(crate) fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write a temp file");
        path.display().to_string()
    }

    /// The path of `name` in the directory (which need not exist), as text.
    pub(crate) fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A variable lookup over `vars` only, standing in for the process environment.
pub(crate) fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| vars.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
}
