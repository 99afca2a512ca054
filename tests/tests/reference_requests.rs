//! Request serialization compared with the requests the official AWS SDK for Rust produced for
//! the same inputs (`../shared/reference/aws-sdk-rust-requests.txt`): same method, URI,
//! content type, target, body bytes and signing scope.

use aws_lite::client::{Config, Credentials, InMemoryTransport};
use aws_lite::iot::types::{CustomMetricType, Tag};
use aws_lite::personalize::types::{MetricAttribute, MetricAttributionOutput, S3DataConfig};
use bytes::Bytes;
use std::collections::BTreeMap;

mod common;

/// One captured request: the request line, lower-cased headers and the body.
struct Captured {
    method_and_uri: String,
    headers: BTreeMap<String, String>,
    body: String,
}

/// Sections of the reference file by title (`Personalize CreateMetricAttribution (awsJson1_1)`).
fn reference() -> Option<BTreeMap<String, Captured>> {
    let path = common::root().join("../shared/reference/aws-sdk-rust-requests.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: {} not found", path.display());
        return None;
    };
    let mut sections = BTreeMap::new();
    for section in text.split("===== ").skip(1) {
        let (title, rest) = section.split_once(" =====\n").expect("section title");
        let mut lines = rest.lines();
        let request_line = lines.next().expect("request line");
        let method_and_uri = request_line.trim_end_matches(" HTTP/1.1").to_owned();
        let mut headers = BTreeMap::new();
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(": ").expect("header line");
            headers.insert(name.to_ascii_lowercase(), value.to_owned());
        }
        let body = lines.next().unwrap_or_default().to_owned();
        sections.insert(title.to_owned(), Captured { method_and_uri, headers, body });
    }
    Some(sections)
}

fn config(transport: &InMemoryTransport) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "SECRET", None))
        .transport(transport.clone())
        // The token the official SDK generated for the captured call.
        .idempotency_token("7362c816-b00d-4cf6-95ba-54d0cfbf9adb")
        .build()
        .expect("config")
}

fn transport(response_body: &'static str) -> InMemoryTransport {
    InMemoryTransport::new(move |_| {
        Ok(http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Bytes::from_static(response_body.as_bytes()))
            .expect("response"))
    })
}

fn assert_matches(captured: &Captured, request: &http::Request<Bytes>) {
    assert_eq!(format!("{} {}", request.method(), request.uri()), captured.method_and_uri);
    assert_eq!(std::str::from_utf8(request.body()).expect("utf-8 body"), captured.body);
    for name in ["content-type", "x-amz-target", "content-length"] {
        let ours = request.headers().get(name).map(|v| v.to_str().expect("ascii header"));
        assert_eq!(ours, captured.headers.get(name).map(String::as_str), "header {name}");
    }
    let scope = |authorization: &str| -> String {
        let credential = authorization.split("Credential=").nth(1).unwrap_or_default();
        let credential = credential.split(',').next().unwrap_or_default();
        // AKID/<date>/<region>/<service>/aws4_request: compare all but the date.
        let parts: Vec<&str> = credential.split('/').collect();
        format!("{}/{}/{}/{}", parts[0], parts[2], parts[3], parts[4])
    };
    let ours = request.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(scope(ours), scope(&captured.headers["authorization"]));
}

#[tokio::test]
async fn personalize_create_metric_attribution_matches_the_official_sdk() {
    let Some(reference) = reference() else { return };
    let transport =
        transport(r#"{"metricAttributionArn":"arn:aws:personalize:us-east-1:123456789012:metric-attribution/ma"}"#);
    let client = aws_lite::personalize::client::Client::new(config(&transport));
    let metric = |event: &str, name: &str, expression: &str| {
        MetricAttribute::builder().event_type(event).metric_name(name).expression(expression).build().expect("metric")
    };
    client
        .create_metric_attribution()
        .name("ma")
        .dataset_group_arn("arn:aws:personalize:us-east-1:123456789012:dataset-group/dg")
        .metrics(vec![
            metric("click", "click_count", "SUM(DatasetType.INTERACTIONS.EVENT_TYPE)"),
            metric("purchase", "revenue", "SUM(DatasetType.ITEMS.PRICE)"),
            metric("watch", "watch_minutes", "SUM(DatasetType.INTERACTIONS.DURATION)"),
        ])
        .metrics_output_config(
            MetricAttributionOutput::builder()
                .s3_data_destination(S3DataConfig::builder().path("s3://bench-bucket/metrics/").build().expect("s3"))
                .role_arn("arn:aws:iam::123456789012:role/PersonalizeMetricsRole")
                .build()
                .expect("output config"),
        )
        .send()
        .await
        .expect("call succeeds");
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    assert_matches(&reference["Personalize CreateMetricAttribution (awsJson1_1)"], &requests[0]);
}

#[tokio::test]
async fn personalize_describe_metric_attribution_matches_the_official_sdk() {
    let Some(reference) = reference() else { return };
    let transport = transport("{}");
    let client = aws_lite::personalize::client::Client::new(config(&transport));
    client
        .describe_metric_attribution()
        .metric_attribution_arn("arn:aws:personalize:us-east-1:123456789012:metric-attribution/ma")
        .send()
        .await
        .expect("call succeeds");
    assert_matches(&reference["Personalize DescribeMetricAttribution (awsJson1_1)"], &transport.requests()[0]);
}

#[tokio::test]
async fn iot_create_custom_metric_matches_the_official_sdk() {
    let Some(reference) = reference() else { return };
    let transport = transport(r#"{"metricName":"m","metricArn":"arn:aws:iot:us-east-1:123456789012:custommetric/m"}"#);
    let client = aws_lite::iot::client::Client::new(config(&transport));
    let tag = |key: &str, value: &str| Tag::builder().key(key).value(value).build().expect("tag");
    let output = client
        .create_custom_metric()
        .metric_name("m")
        .display_name("Bench metric")
        .metric_type(CustomMetricType::Number)
        .tags(vec![tag("team", "bench"), tag("env", "test")])
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(output.metric_name.as_deref(), Some("m"));
    assert_matches(&reference["IoT CreateCustomMetric (restJson1)"], &transport.requests()[0]);
}
