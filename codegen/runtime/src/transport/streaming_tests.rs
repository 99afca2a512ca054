//! Streaming through the transports: servers on 127.0.0.1 that hold back data until the client
//! shows it got what came before, so a transport that buffers stalls and the test fails.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_core::Stream;
use http::{Method, Request, Response, Version};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

use super::{
    HyperTransport, InMemoryTransport, ProxyConfig, RequestBody, ResponseBody, Transport, TransportError,
    TransportErrorKind, TransportFuture,
};
use crate::config::TimeoutConfig;

/// How long any step may take before the test fails rather than hangs.
const PATIENCE: Duration = Duration::from_secs(10);

async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(PATIENCE, future).await.expect("in time (a stall means something was buffered)")
}

type Connection = BufReader<TcpStream>;

/// Serves one connection on 127.0.0.1 with `serve`; returns the port.
async fn serve_once<F, Fut>(serve: F) -> u16
where
    F: FnOnce(Connection) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let port = listener.local_addr().expect("local address").port();
    tokio::spawn(async move {
        if let Ok((stream, _)) = listener.accept().await {
            serve(BufReader::new(stream)).await;
        }
    });
    port
}

/// Reads a request head, lower-cased.
async fn read_head(connection: &mut Connection) -> String {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if connection.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
            return head.to_ascii_lowercase();
        }
        head.push_str(&line);
    }
}

/// Reads one chunk of a chunked body; `None` for the last (empty) one or a broken body.
async fn read_chunk(connection: &mut Connection) -> Option<Vec<u8>> {
    let mut size = String::new();
    connection.read_line(&mut size).await.ok()?;
    let size = usize::from_str_radix(size.trim(), 16).ok()?;
    let mut data = vec![0; size + 2];
    connection.read_exact(&mut data).await.ok()?;
    data.truncate(size);
    (size > 0).then_some(data)
}

async fn write(connection: &mut Connection, bytes: &[u8]) {
    let _ = connection.get_mut().write_all(bytes).await;
}

fn post(port: u16, body: RequestBody) -> Request<RequestBody> {
    let mut request = Request::new(body);
    *request.method_mut() = Method::POST;
    *request.uri_mut() = format!("http://127.0.0.1:{port}/stream").parse().expect("a URI");
    request
}

fn transport() -> HyperTransport {
    HyperTransport::builder(&TimeoutConfig::default()).proxy(ProxyConfig::none()).build().expect("a transport")
}

/// A request body fed through a channel.
fn fed_body() -> (mpsc::UnboundedSender<Result<Bytes, TransportError>>, RequestBody) {
    struct Fed(mpsc::UnboundedReceiver<Result<Bytes, TransportError>>);

    impl Stream for Fed {
        type Item = Result<Bytes, TransportError>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.get_mut().0.poll_recv(cx)
        }
    }

    let (sender, receiver) = mpsc::unbounded_channel();
    (sender, RequestBody::Stream(Box::pin(Fed(receiver))))
}

fn chunk(text: &'static str) -> Result<Bytes, TransportError> {
    Ok(Bytes::from_static(text.as_bytes()))
}

/// The next chunk as text, `None` at the end; fails on an error chunk.
async fn next_text(body: &mut ResponseBody) -> Option<String> {
    let chunk = within(body.next_chunk()).await?;
    Some(String::from_utf8_lossy(&chunk.expect("a chunk, not an error")).into_owned())
}

#[tokio::test]
async fn http1_response_chunks_are_handed_over_as_they_arrive() {
    let (got_first, first_seen) = oneshot::channel::<()>();
    let port = serve_once(move |mut connection| async move {
        read_head(&mut connection).await;
        write(&mut connection, b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n").await;
        // The second chunk only once the client holds the first.
        if first_seen.await.is_ok() {
            write(&mut connection, b"6\r\nsecond\r\n0\r\n\r\n").await;
        }
    })
    .await;
    let transport = transport();
    let response = within(transport.send_streaming(post(port, RequestBody::Bytes(Bytes::new())))).await;
    let response = response.expect("a response head");
    assert_eq!(response.status(), 200);
    let mut body = response.into_body();
    assert_eq!(format!("{body:?}"), "ResponseBody(stream)");
    assert_eq!(next_text(&mut body).await.as_deref(), Some("first"));
    got_first.send(()).expect("the server waits");
    assert_eq!(next_text(&mut body).await.as_deref(), Some("second"));
    assert_eq!(next_text(&mut body).await, None);
    assert_eq!(next_text(&mut body).await, None);
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_an_io_error_then_the_end() {
    let port = serve_once(|mut connection| async move {
        read_head(&mut connection).await;
        write(&mut connection, b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial").await;
        let _ = connection.get_mut().shutdown().await;
    })
    .await;
    let transport = transport();
    let response = within(transport.send_streaming(post(port, RequestBody::Bytes(Bytes::new())))).await;
    let mut body = response.expect("a response head").into_body();
    let mut received = Vec::new();
    let err = loop {
        match within(body.next_chunk()).await.expect("an error before the end") {
            Ok(chunk) => received.extend_from_slice(&chunk),
            Err(err) => break err,
        }
    };
    assert_eq!(received, b"partial");
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert!(err.to_string().starts_with("connection failed: reading the response body failed: "), "{err}");
    assert!(within(body.next_chunk()).await.is_none());
}

#[tokio::test]
async fn each_wait_for_data_is_bounded_by_the_read_timeout() {
    const READ_TIMEOUT: Duration = Duration::from_secs(1);
    const CHUNKS: usize = 12;
    let (release, released) = oneshot::channel::<()>();
    let port = serve_once(move |mut connection| async move {
        read_head(&mut connection).await;
        write(&mut connection, b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n").await;
        // Steady data for longer than the read timeout in all, then silence.
        for _ in 0..CHUNKS {
            write(&mut connection, b"1\r\n.\r\n").await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = released.await;
    })
    .await;
    let transport = transport().with_read_timeout(READ_TIMEOUT);
    assert!(format!("{transport:?}").contains("read_timeout: Some(1s)"), "{transport:?}");
    let response = within(transport.send_streaming(post(port, RequestBody::Bytes(Bytes::new())))).await;
    let mut body = response.expect("a response head").into_body();
    for _ in 0..CHUNKS {
        assert_eq!(next_text(&mut body).await.as_deref(), Some("."));
    }
    let idle_since = Instant::now();
    let err = within(body.next_chunk()).await.expect("an error").expect_err("a timeout");
    assert!(idle_since.elapsed() >= READ_TIMEOUT - Duration::from_millis(100), "{:?}", idle_since.elapsed());
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert_eq!(err.to_string(), "transport timed out: no response data arrived for 1s");
    assert!(within(body.next_chunk()).await.is_none());
    drop(release);
}

#[tokio::test]
async fn a_request_body_stream_is_sent_as_it_is_produced() {
    let (acknowledge, acknowledged) = oneshot::channel::<()>();
    let (report, reported) = oneshot::channel::<(String, Vec<Vec<u8>>)>();
    let port = serve_once(move |mut connection| async move {
        let head = read_head(&mut connection).await;
        let mut chunks = Vec::new();
        if let Some(first) = read_chunk(&mut connection).await {
            chunks.push(first);
            let _ = acknowledge.send(());
        }
        while let Some(next) = read_chunk(&mut connection).await {
            chunks.push(next);
        }
        write(&mut connection, b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await;
        let _ = report.send((head, chunks));
    })
    .await;
    let (feed, body) = fed_body();
    let sending = tokio::spawn(async move { transport().send_streaming(post(port, body)).await });
    feed.send(chunk("first")).expect("the body is read");
    // The second chunk is made only once the server has read the first.
    within(acknowledged).await.expect("the server read the first chunk");
    feed.send(chunk("second")).expect("the body is read");
    drop(feed);
    let response = within(sending).await.expect("no panic").expect("a response");
    assert_eq!(response.status(), 200);
    assert_eq!(within(response.into_body().collect(16)).await.expect("the body"), "ok");
    let (head, chunks) = within(reported).await.expect("the server's report");
    assert!(head.contains("transfer-encoding: chunked\r\n"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    assert_eq!(chunks, [b"first".to_vec(), b"second".to_vec()]);
}

#[tokio::test]
async fn an_error_from_the_request_stream_aborts_the_request() {
    let port = serve_once(|mut connection| async move {
        read_head(&mut connection).await;
        while read_chunk(&mut connection).await.is_some() {}
        // No answer: the client gives up on its own.
        let mut rest = Vec::new();
        let _ = connection.read_to_end(&mut rest).await;
    })
    .await;
    let (feed, body) = fed_body();
    feed.send(chunk("first")).expect("the body is read");
    feed.send(Err(TransportError::other("the producer failed"))).expect("the body is read");
    let err = within(transport().send_streaming(post(port, body))).await.expect_err("aborted");
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");
    assert!(err.to_string().contains("the producer failed"), "{err}");
}

#[tokio::test]
async fn whole_bodies_keep_their_content_length() {
    let (report, mut reported) = mpsc::unbounded_channel::<String>();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let port = listener.local_addr().expect("local address").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mut connection = BufReader::new(stream);
            let head = read_head(&mut connection).await;
            let mut body = vec![0; 5];
            if head.contains("content-length: 5") && connection.read_exact(&mut body).await.is_err() {
                return;
            }
            write(&mut connection, b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok").await;
            let _ = report.send(head);
        }
    });
    let transport = transport();
    let buffered = post(port, RequestBody::Bytes(Bytes::new())).map(|_| Bytes::from_static(b"whole"));
    let response = within(transport.send(buffered)).await.expect("a response");
    assert_eq!(response.body().as_ref(), b"ok");
    let streamed = post(port, RequestBody::Bytes(Bytes::from_static(b"whole")));
    let response = within(transport.send_streaming(streamed)).await.expect("a response");
    assert_eq!(within(response.into_body().collect(2)).await.expect("the body"), "ok");
    for _ in 0..2 {
        let head = within(reported.recv()).await.expect("a request head");
        assert!(head.contains("content-length: 5\r\n") && !head.contains("transfer-encoding"), "{head}");
    }
}

#[cfg(not(feature = "http2"))]
#[tokio::test]
async fn http2_requests_need_the_feature() {
    let transport = transport();
    let mut request = post(9, RequestBody::Bytes(Bytes::new()));
    *request.version_mut() = Version::HTTP_2;
    let err = transport.send_streaming(request).await.expect_err("no HTTP/2");
    assert_eq!(err.kind(), TransportErrorKind::Other);
    assert_eq!(err.message(), "this operation needs HTTP/2: enable the `http2` feature of aws-lite-runtime");
    let mut request = Request::new(Bytes::new());
    *request.version_mut() = Version::HTTP_2;
    *request.uri_mut() = "http://127.0.0.1:9/".parse().expect("a URI");
    assert_eq!(transport.send(request).await.expect_err("no HTTP/2").message(), err.message());
}

#[cfg(feature = "http2")]
mod http2 {
    use super::*;
    use http_body_util::Full;
    use hyper::body::Incoming;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use std::convert::Infallible;

    /// An h2c server (prior knowledge) echoing each request body as its response body, frame by
    /// frame, reporting each request's version.
    async fn h2c_echo_server() -> (u16, mpsc::UnboundedReceiver<Version>) {
        let (report, reported) = mpsc::unbounded_channel();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        tokio::spawn(async move {
            let Ok((stream, _)) = listener.accept().await else { return };
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let _ = report.send(request.version());
                async move { Ok::<_, Infallible>(Response::new(request.into_body())) }
            });
            let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        (port, reported)
    }

    #[tokio::test]
    async fn http2_requests_go_over_h2c_and_stream_both_ways() {
        let (port, mut versions) = h2c_echo_server().await;
        let (feed, body) = fed_body();
        let mut request = post(port, body);
        *request.version_mut() = Version::HTTP_2;
        feed.send(chunk("one")).expect("the body is read");
        let transport = transport();
        let response = within(transport.send_streaming(request)).await.expect("a response head");
        assert_eq!(response.version(), Version::HTTP_2);
        assert_eq!(within(versions.recv()).await, Some(Version::HTTP_2));
        let mut body = response.into_body();
        // Each echo arrives while the request is still open: both directions stream.
        assert_eq!(next_text(&mut body).await.as_deref(), Some("one"));
        feed.send(chunk("two")).expect("the body is read");
        assert_eq!(next_text(&mut body).await.as_deref(), Some("two"));
        drop(feed);
        assert_eq!(next_text(&mut body).await, None);
    }

    /// An HTTPS server on 127.0.0.1 offering `h2` and `http/1.1` by ALPN, answering with the
    /// protocol negotiated and the request's version. Returns its CA (PEM) and port.
    async fn tls_server_offering_h2() -> (String, u16) {
        use std::sync::Arc;

        let (ca_pem, mut server_config) = crate::test_support::localhost_tls_config();
        server_config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else { return };
                    let alpn = tls.get_ref().1.alpn_protocol().map(|protocol| protocol.to_vec());
                    let shown = alpn.as_deref().map_or("no ALPN".to_owned(), |p| String::from_utf8_lossy(p).into());
                    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                        let answer = format!("{shown}, {:?}", request.version());
                        async move { Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(answer)))) }
                    });
                    let io = TokioIo::new(tls);
                    let _ = if alpn.as_deref() == Some(b"h2") {
                        hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                            .serve_connection(io, service)
                            .await
                    } else {
                        hyper::server::conn::http1::Builder::new().serve_connection(io, service).await
                    };
                });
            }
        });
        (ca_pem, port)
    }

    #[tokio::test]
    async fn over_tls_only_http2_requests_negotiate_h2() {
        let (ca_pem, port) = tls_server_offering_h2().await;
        let transport = HyperTransport::builder(&TimeoutConfig::default())
            .ca_bundle(ca_pem)
            .proxy(ProxyConfig::none())
            .build()
            .expect("a transport");
        let get = |version: Version| {
            let mut request = Request::new(RequestBody::Bytes(Bytes::new()));
            *request.uri_mut() = format!("https://localhost:{port}/").parse().expect("a URI");
            *request.version_mut() = version;
            request
        };
        let response = within(transport.send_streaming(get(Version::HTTP_2))).await.expect("over HTTP/2");
        assert_eq!(within(response.into_body().collect(64)).await.expect("the body"), "h2, HTTP/2.0");
        let response = within(transport.send_streaming(get(Version::HTTP_11))).await.expect("over HTTP/1.1");
        assert_eq!(within(response.into_body().collect(64)).await.expect("the body"), "no ALPN, HTTP/1.1");
        let buffered = get(Version::HTTP_2).map(|_| Bytes::new());
        let response = within(transport.send(buffered)).await.expect("buffered, over HTTP/2");
        assert_eq!(response.body().as_ref(), b"h2, HTTP/2.0");
    }

    #[tokio::test]
    async fn http2_to_an_http_endpoint_does_not_go_through_a_proxy() {
        let transport = HyperTransport::builder(&TimeoutConfig::default())
            .proxy(ProxyConfig::none().http("http://127.0.0.1:9"))
            .build()
            .expect("a transport");
        let mut request = post(9, RequestBody::Bytes(Bytes::new()));
        *request.uri_mut() = "http://service.invalid/".parse().expect("a URI");
        *request.version_mut() = Version::HTTP_2;
        let err = transport.send_streaming(request).await.expect_err("refused");
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(err.message().contains("cannot go through a proxy"), "{err}");
    }
}

/// A transport with only `send`: its body, echoed with the version it was sent as.
#[derive(Debug)]
struct EchoWhole;

impl Transport for EchoWhole {
    fn send(&self, request: Request<Bytes>) -> TransportFuture<'_> {
        let answer = format!("{:?} {}", request.version(), String::from_utf8_lossy(request.body()));
        Box::pin(std::future::ready(Ok(Response::new(Bytes::from(answer)))))
    }
}

#[tokio::test]
async fn by_default_send_streaming_goes_through_send() {
    let streamed = RequestBody::Stream(super::body::chunk_stream(vec![Bytes::from("a"), Bytes::from("bc")]));
    let response = EchoWhole.send_streaming(post(9, streamed)).await.expect("a response");
    let mut body = response.into_body();
    assert_eq!(next_text(&mut body).await.as_deref(), Some("HTTP/1.1 abc"));
    assert_eq!(next_text(&mut body).await, None);

    let response = EchoWhole.send_streaming(post(9, RequestBody::Bytes(Bytes::from("xyz")))).await;
    assert_eq!(response.expect("a response").into_body().collect(64).await.expect("the body"), "HTTP/1.1 xyz");

    let (feed, failing) = fed_body();
    feed.send(Err(TransportError::io("the producer failed"))).expect("the body is read");
    let err = EchoWhole.send_streaming(post(9, failing)).await.expect_err("the stream failed");
    assert_eq!((err.kind(), err.message()), (TransportErrorKind::Io, "the producer failed"));
}

#[tokio::test]
async fn in_memory_streaming_answers_in_the_chunks_given() {
    let transport = InMemoryTransport::streaming(|request| {
        let chunks = vec![Bytes::from_static(b"{\"a\""), request.body().clone(), Bytes::from_static(b"}")];
        Ok(Response::builder().status(200).body(chunks).expect("a response"))
    });
    let streamed = RequestBody::Stream(super::body::chunk_stream(vec![Bytes::from(":"), Bytes::from("1")]));
    let mut request = post(9, streamed);
    request.headers_mut().insert("x-test", "yes".parse().expect("a header value"));
    let response = transport.send_streaming(request).await.expect("a response");
    assert_eq!(response.status(), 200);
    let mut body = response.into_body();
    for expected in ["{\"a\"", ":1", "}"] {
        assert_eq!(next_text(&mut body).await.as_deref(), Some(expected));
    }
    assert_eq!(next_text(&mut body).await, None);

    let whole = post(9, RequestBody::Bytes(Bytes::new())).map(|_| Bytes::from_static(b":2"));
    assert_eq!(transport.send(whole).await.expect("a response").body().as_ref(), b"{\"a\":2}");

    let recorded = transport.requests();
    assert_eq!(recorded.len(), 2);
    assert_eq!((recorded[0].body().as_ref(), recorded[1].body().as_ref()), (&b":1"[..], &b":2"[..]));
    assert_eq!(recorded[0].headers()["x-test"], "yes");
    assert_eq!(recorded[0].method(), Method::POST);

    let (feed, failing) = fed_body();
    feed.send(Err(TransportError::io("the producer failed"))).expect("the body is read");
    assert!(transport.send_streaming(post(9, failing)).await.is_err());
    assert_eq!(transport.requests().len(), 2, "a request never sent whole is not recorded");
}

#[tokio::test]
async fn in_memory_whole_answers_are_one_chunk_when_streamed() {
    let transport = InMemoryTransport::new(|_| Ok(Response::new(Bytes::from_static(b"whole"))));
    let response = transport.send_streaming(post(9, RequestBody::Bytes(Bytes::from("in")))).await;
    let mut body = response.expect("a response").into_body();
    assert_eq!(next_text(&mut body).await.as_deref(), Some("whole"));
    assert_eq!(next_text(&mut body).await, None);
    assert_eq!(transport.requests()[0].body().as_ref(), b"in");
}
