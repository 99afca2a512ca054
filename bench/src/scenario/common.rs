//! Inputs, canned responses and expected outputs shared by both clients (also compiled into
//! the fixture binaries, which is why this file depends on nothing but std).

use std::sync::{Arc, Mutex, PoisonError};

pub const REGION: &str = "us-east-1";
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

pub const DATASET_GROUP_ARN: &str = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg";
pub const METRIC_ATTRIBUTION_ARN: &str = "arn:aws:personalize:us-east-1:123456789012:metric-attribution/ma";
pub const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/PersonalizeMetricsRole";
pub const S3_PATH: &str = "s3://bench-bucket/metrics/";
/// (event type, metric name, expression) of the three metrics.
pub const METRICS: [(&str, &str, &str); 3] = [
    ("click", "click_count", "SUM(DatasetType.INTERACTIONS.EVENT_TYPE)"),
    ("purchase", "revenue", "SUM(DatasetType.ITEMS.PRICE)"),
    ("watch", "watch_minutes", "SUM(DatasetType.INTERACTIONS.DURATION)"),
];
pub const METRIC_NAME: &str = "m";
pub const DISPLAY_NAME: &str = "Bench metric";
pub const TAGS: [(&str, &str); 2] = [("team", "bench"), ("env", "test")];
pub const CUSTOM_METRIC_ARN: &str = "arn:aws:iot:us-east-1:123456789012:custommetric/m";

/// The operations, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    CreateMetricAttribution,
    DescribeMetricAttribution,
    CreateCustomMetric,
}

impl Op {
    pub const ALL: [Op; 3] = [Op::CreateMetricAttribution, Op::DescribeMetricAttribution, Op::CreateCustomMetric];

    pub fn name(self) -> &'static str {
        match self {
            Op::CreateMetricAttribution => "Personalize CreateMetricAttribution",
            Op::DescribeMetricAttribution => "Personalize DescribeMetricAttribution",
            Op::CreateCustomMetric => "IoT CreateCustomMetric",
        }
    }

    /// The canned success response body (the same bytes for both clients).
    pub fn response_body(self) -> &'static str {
        match self {
            Op::CreateMetricAttribution => CREATE_RESPONSE,
            Op::DescribeMetricAttribution => DESCRIBE_RESPONSE,
            Op::CreateCustomMetric => CUSTOM_METRIC_RESPONSE,
        }
    }
}

pub const CREATE_RESPONSE: &str =
    r#"{"metricAttributionArn":"arn:aws:personalize:us-east-1:123456789012:metric-attribution/ma"}"#;

/// A full `MetricAttribution` with fractional epoch-second timestamps.
pub const DESCRIBE_RESPONSE: &str = r#"{"metricAttribution":{"name":"ma","metricAttributionArn":"arn:aws:personalize:us-east-1:123456789012:metric-attribution/ma","datasetGroupArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg","metricsOutputConfig":{"s3DataDestination":{"path":"s3://bench-bucket/metrics/","kmsKeyArn":"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},"roleArn":"arn:aws:iam::123456789012:role/PersonalizeMetricsRole"},"status":"ACTIVE","creationDateTime":1.700000000123E9,"lastUpdatedDateTime":1700000100.456,"failureReason":"none"}}"#;

/// Fields of the DescribeMetricAttribution output the timed loop checks on every call (the
/// full output is compared between the clients once, before timing).
pub const DESCRIBED_NAME: &str = "ma";
pub const DESCRIBED_STATUS: &str = "ACTIVE";

pub const CUSTOM_METRIC_RESPONSE: &str =
    r#"{"metricName":"m","metricArn":"arn:aws:iot:us-east-1:123456789012:custommetric/m"}"#;

/// The response the in-memory HTTP clients build for each request.
pub struct Canned {
    pub status: u16,
    pub content_type: &'static str,
    pub body: &'static str,
}

pub const REQUEST_ID: &str = "b1b2c3d4-0000-4000-8000-000000000000";

/// Answers a request by its `X-Amz-Target` header (Personalize) or its URI (IoT). Anything
/// else gets a 404 that both clients report as an error, so a wrong request fails the run
/// instead of being timed.
pub fn respond(target: Option<&[u8]>, uri: &str) -> Canned {
    let json = |body| Canned { status: 200, content_type: "application/json", body };
    let json_1_1 = |body| Canned { status: 200, content_type: "application/x-amz-json-1.1", body };
    match target {
        Some(b"AmazonPersonalize.CreateMetricAttribution") => json_1_1(Op::CreateMetricAttribution.response_body()),
        Some(b"AmazonPersonalize.DescribeMetricAttribution") => json_1_1(Op::DescribeMetricAttribution.response_body()),
        None if uri.contains("/custom-metric/") => json(Op::CreateCustomMetric.response_body()),
        _ => Canned {
            status: 404,
            content_type: "application/json",
            body: r#"{"__type":"UnknownOperationException","message":"the bench's canned HTTP client does not know this request"}"#,
        },
    }
}

/// One request as the HTTP client saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub uri: String,
    /// Lower-case names, in the client's order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What a capturing HTTP client saw, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<Seen>>>);

impl Captured {
    pub fn push(&self, seen: Seen) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(seen);
    }

    pub fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
