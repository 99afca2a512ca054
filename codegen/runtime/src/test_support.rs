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
    endpoint_rules: None,
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
        endpoint_params: Vec::new(),
        retryable_codes: &[],
        http2: false,
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

/// A new certificate authority (its PEM) and a TLS server configuration for `localhost`
/// with a certificate it signed.
pub(crate) fn localhost_tls_config() -> (String, rustls::ServerConfig) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use std::sync::Arc;

    let ca_key = rcgen::KeyPair::generate().expect("a CA key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("a CA certificate");
    let leaf_key = rcgen::KeyPair::generate().expect("a server key");
    let leaf_params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).expect("server parameters");
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).expect("a server certificate");
    let server_config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .expect("server TLS");
    (ca.pem(), server_config)
}

/// A certificate authority, and an HTTPS server on 127.0.0.1 whose certificate (for
/// `localhost`) it signed; answers every request with `200 {}`.
pub(crate) async fn https_server_signed_by_a_private_ca() -> (String, u16) {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let (ca_pem, server_config) = localhost_tls_config();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                    }
                }
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}").await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (ca_pem, port)
}
