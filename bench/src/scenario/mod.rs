//! The three calls, made the same way through both clients: identical inputs, an in-memory
//! HTTP client answering every request with the same canned success response.

pub mod common;
pub mod official;
pub mod ours;

use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;
use common::{respond, Captured, Op, Seen, REQUEST_ID};

/// The official clients over the SDK's own in-memory test HTTP client.
pub fn official_clients(capture: Option<Captured>) -> official::Clients {
    official::clients(infallible_client_fn(move |request: http::Request<SdkBody>| {
        let target = request.headers().get("x-amz-target").map(|v| v.as_bytes());
        let canned = respond(target, request.uri().path());
        if let Some(capture) = &capture {
            capture.push(Seen {
                method: request.method().to_string(),
                uri: request.uri().to_string(),
                headers: request
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect(),
                body: request.body().bytes().map(<[u8]>::to_vec).unwrap_or_default(),
            });
        }
        let mut response = http::Response::new(SdkBody::from(canned.body));
        *response.status_mut() = http::StatusCode::from_u16(canned.status).unwrap_or(http::StatusCode::NOT_FOUND);
        let headers = response.headers_mut();
        headers.insert("content-type", http::HeaderValue::from_static(canned.content_type));
        headers.insert("x-amzn-requestid", http::HeaderValue::from_static(REQUEST_ID));
        response
    }))
}

/// What [`check_equivalence`] saw.
pub struct Equivalence {
    /// One line for the report.
    pub summary: String,
    /// aws-lite's request for each operation (in `Op::ALL` order), to time signing alone.
    pub ours_requests: Vec<Seen>,
}

/// Checks that both clients send the same method, URI and JSON body for each operation (the
/// generated idempotency token aside) and parse the DescribeMetricAttribution response to the
/// same values.
pub fn check_equivalence(rt: &tokio::runtime::Runtime) -> Result<Equivalence, String> {
    let ours_seen = Captured::default();
    let official_seen = Captured::default();
    let ours_clients = ours::clients(Some(ours_seen.clone()))?;
    let official_clients = official_clients(Some(official_seen.clone()));
    let (ours_summary, official_summary) = rt.block_on(async {
        for op in Op::ALL {
            ours::call(&ours_clients, op).await?;
            official::call(&official_clients, op).await?;
        }
        let ours_summary = ours::describe_summary(&ours_clients).await?;
        let official_summary = official::describe_summary(&official_clients).await?;
        Ok::<_, String>((ours_summary, official_summary))
    })?;
    if ours_summary != official_summary {
        return Err(format!(
            "DescribeMetricAttribution parsed differently:\n  aws-lite: {ours_summary:?}\n  official: {official_summary:?}"
        ));
    }
    let ours_seen = ours_seen.take();
    let official_seen = official_seen.take();
    if ours_seen.len() != official_seen.len() {
        return Err(format!("request counts differ: {} vs {}", ours_seen.len(), official_seen.len()));
    }
    let normalize = |seen: &Seen| -> Result<serde_json::Value, String> {
        let mut value: serde_json::Value = serde_json::from_slice(&seen.body)
            .map_err(|err| format!("request body to {} is not JSON: {err}", seen.uri))?;
        if let Some(object) = value.as_object_mut() {
            // A fresh UUID v4 per call in both clients.
            object.remove("clientRequestToken");
        }
        Ok(value)
    };
    for (a, b) in ours_seen.iter().zip(&official_seen) {
        if a.method != b.method || a.uri != b.uri || normalize(a)? != normalize(b)? {
            return Err(format!("requests differ:\n  aws-lite: {a:?}\n  official: {b:?}"));
        }
        if has_token(&a.body) != has_token(&b.body) {
            return Err(format!("only one client sent an idempotency token:\n  aws-lite: {a:?}\n  official: {b:?}"));
        }
    }
    Ok(Equivalence {
        summary: format!(
            "{} requests, the same method, URI and JSON body from both (IoT's generated clientRequestToken aside, which both send), and DescribeMetricAttribution parsed to the same values",
            ours_seen.len()
        ),
        ours_requests: ours_seen.into_iter().take(Op::ALL.len()).collect(),
    })
}

/// Whether a JSON body carries a `clientRequestToken`.
fn has_token(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.get("clientRequestToken").is_some())
}
