//! HTTP proxies, as curl and the AWS SDKs read them from `HTTPS_PROXY`, `HTTP_PROXY` and
//! `NO_PROXY` (either case): HTTPS requests are tunnelled through the proxy with `CONNECT`,
//! plain HTTP requests are sent to it in absolute form. Matching (`NO_PROXY` domains, IP
//! ranges, `*`) and credentials in the proxy URL are hyper-util's.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Which proxies requests go through. The default transport reads them from the process
/// environment ([`ProxyConfig::from_env`]).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<String>,
    https: Option<String>,
    no_proxy: Option<String>,
}

impl ProxyConfig {
    /// No proxy at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or their lower-case forms) of the process.
    pub fn from_env() -> Self {
        Self::from_lookup(&crate::credentials::env_var)
    }

    /// The proxy variables read through `lookup`.
    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Self {
        let either = |upper: &str, lower: &str| lookup(upper).or_else(|| lookup(lower));
        Self {
            http: either("HTTP_PROXY", "http_proxy"),
            https: either("HTTPS_PROXY", "https_proxy"),
            no_proxy: either("NO_PROXY", "no_proxy"),
        }
    }

    /// Sends plain HTTP requests through the proxy at `url` (`http://[user:password@]host:port`).
    pub fn http(mut self, url: impl Into<String>) -> Self {
        self.http = Some(url.into());
        self
    }

    /// Tunnels HTTPS requests through the proxy at `url`.
    pub fn https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(url.into());
        self
    }

    /// Hosts reached directly: comma-separated domains (with their subdomains), IP addresses or
    /// ranges (`10.0.0.0/8`), or `*` for all.
    pub fn no_proxy(mut self, list: impl Into<String>) -> Self {
        self.no_proxy = Some(list.into());
        self
    }

    /// The matcher, or `None` when no proxy is set. Fails on a proxy URL that is not
    /// `http://host[:port]` (an `https://` proxy is not supported), naming it without its
    /// credentials.
    pub(crate) fn matcher(&self) -> Result<Option<Matcher>, String> {
        if self.http.is_none() && self.https.is_none() {
            return Ok(None);
        }
        for (which, url) in [("HTTP_PROXY", &self.http), ("HTTPS_PROXY", &self.https)] {
            let Some(url) = url else { continue };
            let with_scheme = if url.contains("://") { url.clone() } else { format!("http://{url}") };
            let parsed: Option<Uri> = with_scheme.parse().ok();
            let Some(parsed) = parsed.filter(|uri| uri.host().is_some_and(|host| !host.is_empty())) else {
                return Err(format!("the proxy URL of {which} is not a URL"));
            };
            if parsed.scheme_str() != Some("http") {
                let host = parsed.host().unwrap_or_default();
                return Err(format!(
                    "the proxy of {which} (host `{host}`) uses `{}`; only http:// proxies are supported",
                    parsed.scheme_str().unwrap_or_default()
                ));
            }
        }
        let mut builder = Matcher::builder();
        if let Some(http) = &self.http {
            builder = builder.http(http.clone());
        }
        if let Some(https) = &self.https {
            builder = builder.https(https.clone());
        }
        if let Some(no_proxy) = &self.no_proxy {
            builder = builder.no(no_proxy.clone());
        }
        Ok(Some(builder.build()))
    }
}

impl fmt::Debug for ProxyConfig {
    /// Hosts only: proxy URLs may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = |url: &Option<String>| {
            url.as_deref().map(|url| url.rsplit('@').next().unwrap_or_default().trim_end_matches('/').to_owned())
        };
        f.debug_struct("ProxyConfig")
            .field("http", &host(&self.http))
            .field("https", &host(&self.https))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// Connects directly, or through the proxy that matches the destination.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    pub(crate) http: HttpConnector,
    pub(crate) proxies: Option<Arc<Matcher>>,
}

type Connecting = Pin<Box<dyn Future<Output = Result<MaybeProxied, Box<dyn Error + Send + Sync>>> + Send>>;

impl tower_service::Service<Uri> for ProxyConnector {
    type Response = MaybeProxied;
    type Error = Box<dyn Error + Send + Sync>;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let intercept = self.proxies.as_ref().and_then(|proxies| proxies.intercept(&destination));
        let mut http = self.http.clone();
        Box::pin(async move {
            match intercept {
                None => Ok(MaybeProxied { io: http.call(destination).await?, proxied: false }),
                Some(proxy) if destination.scheme_str() == Some("https") => {
                    let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                    if let Some(auth) = proxy.basic_auth() {
                        tunnel = tunnel.with_auth(auth.clone());
                    }
                    Ok(MaybeProxied { io: tunnel.call(destination).await?, proxied: false })
                }
                // Plain HTTP goes to the proxy itself, the request line naming the whole URL.
                Some(proxy) => Ok(MaybeProxied { io: http.call(proxy.uri().clone()).await?, proxied: true }),
            }
        })
    }
}

/// A connection, and whether it goes to an HTTP proxy (hyper then writes absolute-form request
/// targets).
pub(crate) struct MaybeProxied {
    io: TokioIo<TcpStream>,
    proxied: bool,
}

impl Connection for MaybeProxied {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl Read for MaybeProxied {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for MaybeProxied {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TimeoutConfig;
    use crate::credentials::fake_server::{FakeServer, Reply};
    use crate::transport::{HyperTransport, Transport};
    use bytes::Bytes;
    use std::sync::Mutex;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn get(url: &str) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = url.parse().expect("a URI");
        request
    }

    #[tokio::test]
    async fn plain_http_goes_to_the_proxy_in_absolute_form_with_its_credentials() {
        let proxy = FakeServer::start(|_| Reply::new(200, "{}")).await;
        let config =
            ProxyConfig::none().http(format!("http://user:p%40ss@{}", proxy.url().trim_start_matches("http://")));
        let transport = HyperTransport::builder(&TimeoutConfig::default()).proxy(config).build().expect("a transport");
        let response = transport.send(get("http://service.invalid:8080/things?x=1")).await.expect("through the proxy");
        assert_eq!(response.body().as_ref(), b"{}");
        let received = &proxy.received()[0];
        assert_eq!(received.target, "http://service.invalid:8080/things?x=1");
        // base64("user:p@ss")
        assert_eq!(received.header("proxy-authorization"), Some("Basic dXNlcjpwQHNz"));
    }

    #[tokio::test]
    async fn no_proxy_hosts_are_reached_directly() {
        let service = FakeServer::start(|_| Reply::new(200, "direct")).await;
        let config = ProxyConfig::none().http("http://127.0.0.1:9").no_proxy("localhost, 127.0.0.0/8");
        let transport = HyperTransport::builder(&TimeoutConfig::default()).proxy(config).build().expect("a transport");
        let response = transport.send(get(&format!("{}/x", service.url()))).await.expect("direct");
        assert_eq!(response.body().as_ref(), b"direct");
    }

    /// A proxy that answers `CONNECT` and then relays bytes to the named host on 127.0.0.1.
    async fn connect_proxy(seen: Arc<Mutex<Vec<String>>>) -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match client.read(&mut byte).await {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    seen.lock().expect("not poisoned").push(head.clone());
                    let Some(target) = head.split_whitespace().nth(1) else { return };
                    let port = target.rsplit(':').next().unwrap_or_default().to_owned();
                    let Ok(mut upstream) = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}")).await else {
                        return;
                    };
                    if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_err() {
                        return;
                    }
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                });
            }
        });
        port
    }

    #[tokio::test]
    async fn https_is_tunnelled_with_connect() {
        let (ca_pem, service_port) = crate::test_support::https_server_signed_by_a_private_ca().await;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let proxy_port = connect_proxy(seen.clone()).await;
        let config = ProxyConfig::none().https(format!("http://tunnel:secret@127.0.0.1:{proxy_port}"));
        let transport = HyperTransport::builder(&TimeoutConfig::default())
            .ca_bundle(ca_pem)
            .proxy(config)
            .build()
            .expect("a transport");
        let response = transport.send(get(&format!("https://localhost:{service_port}/"))).await.expect("tunnelled");
        assert_eq!(response.body().as_ref(), b"{}");
        let seen = seen.lock().expect("not poisoned").clone();
        assert!(seen[0].starts_with(&format!("CONNECT localhost:{service_port} HTTP/1.1\r\n")), "{seen:?}");
        // base64("tunnel:secret")
        assert!(
            seen[0]
                .to_ascii_lowercase()
                .contains("proxy-authorization: basic dHVubmVsOnNlY3JldA==".to_ascii_lowercase().as_str()),
            "{seen:?}"
        );
    }

    #[test]
    fn unusable_proxy_urls_are_refused_without_their_credentials() {
        let err = ProxyConfig::none().https("socks5://user:hunter2@proxy:1080").matcher().expect_err("socks");
        assert_eq!(err, "the proxy of HTTPS_PROXY (host `proxy`) uses `socks5`; only http:// proxies are supported");
        let err = ProxyConfig::none().http("http://").matcher().expect_err("no host");
        assert_eq!(err, "the proxy URL of HTTP_PROXY is not a URL");
        assert!(ProxyConfig::none().http("proxy.corp:3128").matcher().expect("a bare host:port").is_some());
        assert!(ProxyConfig::none().no_proxy("*").matcher().expect("no proxy").is_none());
        let shown = format!("{:?}", ProxyConfig::none().https("http://user:hunter2@proxy.corp:3128"));
        assert!(!shown.contains("hunter2") && shown.contains("proxy.corp:3128"), "{shown}");
    }

    #[test]
    fn either_case_of_the_variables_is_read() {
        let vars = [("https_proxy", "http://lower:1"), ("HTTP_PROXY", "http://upper:2"), ("no_proxy", ".internal")];
        let lookup = |name: &str| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string());
        let config = ProxyConfig::from_lookup(&lookup);
        assert_eq!(config, ProxyConfig::none().https("http://lower:1").http("http://upper:2").no_proxy(".internal"));
    }
}
