//! A scripted HTTP/1.1 server on 127.0.0.1 for end-to-end tests of the generated clients.
//!
//! [`Server::start`] binds an ephemeral port on the loopback interface and answers each request
//! it receives with the next [`Reply`] of its script, recording the request (method, target,
//! headers, body) before answering. Connections are kept alive, so a pooling client may send
//! several requests on one of them. Dropping the [`Server`] stops it: the accept loop, every
//! connection and every pending delay end within a few milliseconds and their threads are
//! joined, even when the test is unwinding from a panic.
//!
//! Only what the clients under test send is supported: requests framed by `Content-Length`
//! (no chunked bodies, no `Expect: 100-continue`).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;

/// How often idle threads look at the stop flag.
const POLL: Duration = Duration::from_millis(5);
/// The largest request head accepted; anything bigger is answered with 431 and closed.
const MAX_HEAD: usize = 64 * 1024;

/// One canned answer of a script.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    raw: Option<Vec<u8>>,
}

impl Reply {
    /// A response with `status`, no headers and no body (`content-length: 0` is added).
    pub fn status(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: Vec::new(), delay: Duration::ZERO, raw: None }
    }

    /// A response with `status`, content type `content_type` and `body`.
    pub fn with_body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::status(status).header("content-type", content_type).body(body)
    }

    /// Bytes written verbatim (status line, headers and body are the caller's), after which
    /// the connection is closed: for responses no well-behaved server sends.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Self {
        Self { raw: Some(bytes.into()), ..Self::status(0) }
    }

    /// Adds a header. `content-length` is computed from the body unless set here.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits this long after receiving the request before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn encode(&self) -> Vec<u8> {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let reason = http::StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Other");
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", self.status);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !self.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-length")) {
            head.push_str(&format!("content-length: {}\r\n", self.body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    /// What is sent once the script is used up: a non-retryable error naming the problem.
    fn exhausted() -> Self {
        Self::with_body(
            418,
            "application/json",
            r#"{"__type":"ScriptExhausted","message":"the test server has no scripted reply left"}"#,
        )
        .header("x-amzn-errortype", "ScriptExhausted")
    }
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The request target: path and query, exactly as sent.
    pub target: String,
    /// The headers in the order received, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (`Content-Length` bytes).
    pub body: Bytes,
}

impl Received {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// How many times header `name` (any case) was sent.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).count()
    }

    /// The body parsed as JSON; panics with the body text if it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("request body is not JSON ({err}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// The request as an `http::Request` the way a server sees it: origin-form URI, every
    /// header (`host` included) as received, the body.
    pub fn to_http(&self) -> http::Request<Bytes> {
        let mut builder = http::Request::builder().method(self.method.as_str()).uri(self.target.as_str());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder.body(self.body.clone()).expect("a received request is a valid http::Request")
    }
}

#[derive(Default)]
struct State {
    script: Mutex<VecDeque<Reply>>,
    received: Mutex<Vec<Received>>,
    connections: Mutex<Vec<JoinHandle<()>>>,
    stop: AtomicBool,
}

impl State {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// Locks a mutex, ignoring poisoning: a panicking test must not hide its own failure behind
/// a second panic in the server.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running scripted server; dropping it stops it.
pub struct Server {
    port: u16,
    state: Arc<State>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server on `127.0.0.1:0` answering with `script`, one reply per request, in
    /// order; once the script is used up every request gets a 418 `ScriptExhausted` error.
    pub fn start(script: impl IntoIterator<Item = Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let state = Arc::new(State { script: Mutex::new(script.into_iter().collect()), ..State::default() });
        let acceptor = {
            let state = state.clone();
            std::thread::Builder::new()
                .name(format!("test-server-{port}"))
                .spawn(move || accept_loop(&listener, &state))
                .expect("spawn the accept thread")
        };
        Server { port, state, acceptor: Some(acceptor) }
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<Received> {
        lock(&self.state.received).clone()
    }

    /// How many scripted replies have not been used.
    pub fn unused_replies(&self) -> usize {
        lock(&self.state.script).len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        let connections = std::mem::take(&mut *lock(&self.state.connections));
        for connection in connections {
            let _ = connection.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, state: &Arc<State>) {
    while !state.stopped() {
        match listener.accept() {
            Ok((stream, _)) => {
                let state_for_connection = state.clone();
                let spawned = std::thread::Builder::new()
                    .name("test-server-connection".to_owned())
                    .spawn(move || serve_connection(stream, &state_for_connection));
                if let Ok(handle) = spawned {
                    lock(&state.connections).push(handle);
                }
            }
            Err(err) if err.kind() == ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// Serves requests on one connection until the client closes it, a reply closes it or the
/// server stops.
fn serve_connection(mut stream: TcpStream, state: &State) {
    if stream.set_nonblocking(false).is_err() || stream.set_read_timeout(Some(POLL)).is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        // Answer every complete request already buffered.
        loop {
            match take_request(&mut buffer) {
                Ok(Some(request)) => {
                    lock(&state.received).push(request);
                    let reply = lock(&state.script).pop_front().unwrap_or_else(Reply::exhausted);
                    if !wait(reply.delay, state) {
                        return;
                    }
                    if stream.write_all(&reply.encode()).and_then(|()| stream.flush()).is_err() || reply.raw.is_some() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(status) => {
                    let _ = stream.write_all(&Reply::status(status).header("connection", "close").encode());
                    return;
                }
            }
        }
        if state.stopped() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted) => {}
            Err(_) => return,
        }
    }
}

/// Sleeps for `delay` in small steps; false if the server stopped meanwhile.
fn wait(delay: Duration, state: &State) -> bool {
    let deadline = Instant::now() + delay;
    loop {
        if state.stopped() {
            return false;
        }
        let now = Instant::now();
        if now >= deadline {
            return true;
        }
        std::thread::sleep(POLL.min(deadline - now));
    }
}

/// Removes the first complete request from `buffer`: `Ok(None)` if it is not all there yet,
/// `Err(status)` if it cannot be a valid request.
fn take_request(buffer: &mut Vec<u8>) -> Result<Option<Received>, u16> {
    let Some(head_end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") else {
        return if buffer.len() > MAX_HEAD { Err(431) } else { Ok(None) };
    };
    let head = std::str::from_utf8(&buffer[..head_end]).map_err(|_| 400u16)?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().ok_or(400u16)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !target.starts_with('/') {
        return Err(400);
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(400u16)?;
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(400);
        }
        headers.push((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()));
    }
    let header = |wanted: &str| headers.iter().find(|(name, _)| name.eq_ignore_ascii_case(wanted)).map(|(_, v)| v);
    if header("transfer-encoding").is_some() {
        return Err(501);
    }
    let length = match header("content-length") {
        None => 0,
        Some(value) => value.parse::<usize>().map_err(|_| 400u16)?,
    };
    let total = head_end + 4 + length;
    if buffer.len() < total {
        return Ok(None);
    }
    let body = Bytes::copy_from_slice(&buffer[head_end + 4..total]);
    let request = Received { method: method.to_owned(), target: target.to_owned(), headers, body };
    buffer.drain(..total);
    Ok(Some(request))
}
