//! The three calls through aws-lite.

use super::common::*;
use aws_lite::client::{Config, Credentials, Transport, TransportFuture};
use aws_lite::iot::types::{CustomMetricType, Tag};
use aws_lite::personalize::types::{MetricAttribute, MetricAttributionOutput, S3DataConfig};
use bytes::Bytes;

/// Answers every request with its canned response and records it when capturing.
/// (`aws_lite::client::InMemoryTransport` records every request, which would grow without
/// bound over a timing run.)
#[derive(Debug, Clone, Default)]
pub struct CannedTransport {
    capture: Option<Captured>,
}

impl Transport for CannedTransport {
    fn send(&self, request: http::Request<Bytes>) -> TransportFuture<'_> {
        let target = request.headers().get("x-amz-target").map(|v| v.as_bytes());
        let canned = respond(target, request.uri().path());
        if let Some(capture) = &self.capture {
            capture.push(Seen {
                method: request.method().to_string(),
                uri: request.uri().to_string(),
                headers: request
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect(),
                body: request.body().to_vec(),
            });
        }
        let response = http::Response::builder()
            .status(canned.status)
            .header("content-type", canned.content_type)
            .header("x-amzn-requestid", REQUEST_ID)
            .body(Bytes::from_static(canned.body.as_bytes()))
            .map_err(|err| {
                aws_lite::client::TransportError::new(aws_lite::client::TransportErrorKind::Other, err.to_string())
            });
        Box::pin(std::future::ready(response))
    }
}

pub struct Clients {
    pub personalize: aws_lite::personalize::client::Client,
    pub iot: aws_lite::iot::client::Client,
}

/// One client per service, each with the default settings (full validation, standard retries)
/// and the canned transport.
pub fn clients(capture: Option<Captured>) -> Result<Clients, String> {
    let config = || {
        Config::builder()
            .region(REGION)
            .credentials(Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None))
            .transport(CannedTransport { capture: capture.clone() })
            .build()
            .map_err(|err| format!("aws-lite config: {err}"))
    };
    Ok(Clients {
        personalize: aws_lite::personalize::client::Client::new(config()?),
        iot: aws_lite::iot::client::Client::new(config()?),
    })
}

fn failed(op: Op, err: &dyn std::fmt::Display) -> String {
    format!("aws-lite {}: {err}", op.name())
}

fn unexpected(op: Op, what: &str, got: &dyn std::fmt::Debug) -> String {
    format!("aws-lite {}: unexpected {what} in the output: {got:?}", op.name())
}

/// One call through the whole pipeline, input building included; checks the parsed output.
pub async fn call(clients: &Clients, op: Op) -> Result<(), String> {
    match op {
        Op::CreateMetricAttribution => {
            let mut metrics = Vec::with_capacity(METRICS.len());
            for (event, name, expression) in METRICS {
                let metric = MetricAttribute::builder().event_type(event).metric_name(name).expression(expression);
                metrics.push(metric.build().map_err(|err| failed(op, &err))?);
            }
            let output_config = MetricAttributionOutput::builder()
                .s3_data_destination(S3DataConfig::builder().path(S3_PATH).build().map_err(|err| failed(op, &err))?)
                .role_arn(ROLE_ARN)
                .build()
                .map_err(|err| failed(op, &err))?;
            let output = clients
                .personalize
                .create_metric_attribution()
                .name("ma")
                .dataset_group_arn(DATASET_GROUP_ARN)
                .metrics(metrics)
                .metrics_output_config(output_config)
                .send()
                .await
                .map_err(|err| failed(op, &err))?;
            if output.metric_attribution_arn.as_deref() != Some(METRIC_ATTRIBUTION_ARN) {
                return Err(unexpected(op, "metric attribution ARN", &output.metric_attribution_arn));
            }
        }
        Op::DescribeMetricAttribution => {
            let output = clients
                .personalize
                .describe_metric_attribution()
                .metric_attribution_arn(METRIC_ATTRIBUTION_ARN)
                .send()
                .await
                .map_err(|err| failed(op, &err))?;
            let described = output.metric_attribution.as_ref();
            if described.and_then(|m| m.name.as_deref()) != Some(DESCRIBED_NAME)
                || described.and_then(|m| m.status.as_deref()) != Some(DESCRIBED_STATUS)
                || described.and_then(|m| m.creation_date_time.as_ref()).is_none()
            {
                return Err(unexpected(op, "metric attribution", &output.metric_attribution));
            }
        }
        Op::CreateCustomMetric => {
            let mut tags = Vec::with_capacity(TAGS.len());
            for (key, value) in TAGS {
                tags.push(Tag::builder().key(key).value(value).build().map_err(|err| failed(op, &err))?);
            }
            let output = clients
                .iot
                .create_custom_metric()
                .metric_name(METRIC_NAME)
                .display_name(DISPLAY_NAME)
                .metric_type(CustomMetricType::Number)
                .tags(tags)
                .send()
                .await
                .map_err(|err| failed(op, &err))?;
            if output.metric_arn.as_deref() != Some(CUSTOM_METRIC_ARN) {
                return Err(unexpected(op, "metric ARN", &output.metric_arn));
            }
        }
    }
    Ok(())
}

/// The parsed DescribeMetricAttribution output as comparable strings.
pub async fn describe_summary(clients: &Clients) -> Result<Vec<String>, String> {
    let op = Op::DescribeMetricAttribution;
    let output = clients
        .personalize
        .describe_metric_attribution()
        .metric_attribution_arn(METRIC_ATTRIBUTION_ARN)
        .send()
        .await
        .map_err(|err| failed(op, &err))?;
    let m = output.metric_attribution.ok_or_else(|| unexpected(op, "output", &"no metricAttribution"))?;
    let out = m.metrics_output_config.ok_or_else(|| unexpected(op, "output", &"no metricsOutputConfig"))?;
    let s3 = out.s3_data_destination.ok_or_else(|| unexpected(op, "output", &"no s3DataDestination"))?;
    Ok(vec![
        format!("name {:?}", m.name),
        format!("metricAttributionArn {:?}", m.metric_attribution_arn),
        format!("datasetGroupArn {:?}", m.dataset_group_arn),
        format!("s3 path {:?}", Some(s3.path)),
        format!("kmsKeyArn {:?}", s3.kms_key_arn),
        format!("roleArn {:?}", Some(out.role_arn)),
        format!("status {:?}", m.status),
        format!("creationDateTime {:?}", m.creation_date_time.map(|t| t.as_secs_f64())),
        format!("lastUpdatedDateTime {:?}", m.last_updated_date_time.map(|t| t.as_secs_f64())),
        format!("failureReason {:?}", m.failure_reason),
    ])
}
