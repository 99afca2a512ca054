//! What the fuzz targets share: the response input format and the client plumbing of the
//! response targets, the rule sets of the endpoint targets, and the loaders' allocation cap.

pub mod allocation_cap;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aws_lite_runtime::bytes::Bytes;
use aws_lite_runtime::client::{
    Config, InMemoryTransport, Transport, TransportError, TransportErrorKind, TransportFuture, ValidationMode,
};
use aws_lite_runtime::http::{HeaderName, HeaderValue, Request, Response};

/// A fuzz input read as an HTTP response: byte 0 picks the operation; then, up to the first
/// empty line, the status code on the first line and `name: value` headers on the next ones;
/// the rest is the body. `None` when the status is not a number from 100 to 999.
///
/// Lines end with `\n` or `\r\n`; a header line that is not a valid name and value is skipped.
pub fn response(data: &[u8]) -> Option<(u8, Response<Bytes>)> {
    let (&selector, rest) = data.split_first()?;
    let (head, body) = match find(rest, b"\n\n").map(|at| (at, 2)).or_else(|| find(rest, b"\r\n\r\n").map(|at| (at, 4)))
    {
        Some((at, len)) => (&rest[..at], &rest[at + len..]),
        None => (rest, &[][..]),
    };
    let mut lines = head.split(|&b| b == b'\n').map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    let status = std::str::from_utf8(lines.next()?).ok()?.trim().parse::<u16>().ok()?;
    let mut builder = Response::builder().status(status);
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let name = HeaderName::from_bytes(line[..colon].trim_ascii());
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            builder = builder.header(name, value);
        }
    }
    builder.body(Bytes::copy_from_slice(body)).ok().map(|response| (selector, response))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// The runtime every call of a target runs on, built once.
pub fn runtime() -> &'static aws_lite_runtime::tokio::runtime::Runtime {
    static RUNTIME: OnceLock<aws_lite_runtime::tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        aws_lite_runtime::tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime")
    })
}

thread_local! {
    /// The response the next request of this thread is answered with.
    static NEXT: std::cell::RefCell<Option<Response<Bytes>>> = const { std::cell::RefCell::new(None) };
}

/// A transport that answers each request with the response [`respond`] set last. Unlike
/// `InMemoryTransport` it records nothing, so one configuration serves every input of a run.
#[derive(Debug)]
struct Canned;

impl Transport for Canned {
    fn send(&self, _request: Request<Bytes>) -> TransportFuture<'_> {
        let response = NEXT.with(|next| next.borrow_mut().take());
        Box::pin(std::future::ready(
            response.ok_or_else(|| TransportError::new(TransportErrorKind::Other, "one response per input")),
        ))
    }
}

/// The client configuration of the response targets, built once: the protocol tests'
/// configuration (fixed region, credentials and endpoint, no retries) with validation off, so
/// any input reaches the wire, and a transport that answers with the response of the input.
pub fn config() -> Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let config = aws_lite_runtime::protocol_test::config(
                &InMemoryTransport::new(|_| Err(TransportError::new(TransportErrorKind::Other, "replaced"))),
                None,
                ValidationMode::Off,
            );
            config.to_builder().transport(Canned).build().expect("the protocol tests' configuration")
        })
        .clone()
}

/// Makes `response` the answer to the next request of this thread.
pub fn respond(response: Response<Bytes>) {
    NEXT.with(|next| *next.borrow_mut() = Some(response));
}

/// The shared data beside the repository (`../shared`), or `$AWS_LITE_SHARED`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("AWS_LITE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

/// The `smithy.rules#endpointRuleSet` of a model (the first service that has one), or the
/// document itself when it is a rule set.
pub fn rule_set_of(document: &serde_json::Value) -> Option<&serde_json::Value> {
    if document.get("rules").is_some() && document.get("parameters").is_some() {
        return Some(document);
    }
    let shapes = document.get("shapes")?.as_object()?;
    shapes.values().find_map(|shape| shape.get("traits")?.get("smithy.rules#endpointRuleSet"))
}

/// The rule sets `endpoint_rules_resolve` resolves against, in the order of `rule_sets.txt`
/// (paths under [`shared_dir`]); the first input byte picks one. Loaded once; a file that is
/// missing or has no valid rule set is reported on stderr and left out, so indices stay those
/// of the list only when all of them load.
pub fn rule_sets() -> &'static [(String, aws_lite_endpoint_rules::RuleSet)] {
    static RULE_SETS: OnceLock<Vec<(String, aws_lite_endpoint_rules::RuleSet)>> = OnceLock::new();
    RULE_SETS.get_or_init(|| {
        let shared = shared_dir();
        let mut sets = Vec::new();
        for name in
            include_str!("../rule_sets.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let path = shared.join(name);
            let loaded = std::fs::read(&path)
                .map_err(|err| err.to_string())
                .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|err| err.to_string()))
                .and_then(|document| {
                    let rules = rule_set_of(&document).ok_or("no endpoint rule set")?;
                    aws_lite_endpoint_rules::RuleSet::from_json(rules).map_err(|err| err.to_string())
                });
            match loaded {
                Ok(rule_set) => sets.push((name.to_owned(), rule_set)),
                Err(err) => eprintln!("rule set {}: {err}", path.display()),
            }
        }
        assert!(!sets.is_empty(), "no rule set loaded from {}; set AWS_LITE_SHARED", shared.display());
        sets
    })
}
