//! The three calls through the official AWS SDK for Rust.

use super::common::*;
use aws_sdk_iot::types::{CustomMetricType, Tag};
use aws_sdk_personalize::config::{BehaviorVersion, Credentials, Region, SharedHttpClient};
use aws_sdk_personalize::types::{MetricAttribute, MetricAttributionOutput, S3DataConfig};

pub struct Clients {
    pub personalize: aws_sdk_personalize::Client,
    pub iot: aws_sdk_iot::Client,
}

/// One client per service, each with the SDK's default settings (standard retries, identity
/// cache, user agent) and static credentials, sending through `http_client`.
pub fn clients(http_client: SharedHttpClient) -> Clients {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "bench");
    let personalize = aws_sdk_personalize::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(credentials.clone())
        .http_client(http_client.clone())
        .build();
    let iot = aws_sdk_iot::Config::builder()
        .behavior_version(aws_sdk_iot::config::BehaviorVersion::latest())
        .region(aws_sdk_iot::config::Region::new(REGION))
        .credentials_provider(credentials)
        .http_client(http_client)
        .build();
    Clients {
        personalize: aws_sdk_personalize::Client::from_conf(personalize),
        iot: aws_sdk_iot::Client::from_conf(iot),
    }
}

fn failed(op: Op, err: &dyn std::fmt::Debug) -> String {
    // `Debug`: the SDK's `Display` of `SdkError` is only "service error" and the like.
    format!("official SDK {}: {err:?}", op.name())
}

fn unexpected(op: Op, what: &str, got: &dyn std::fmt::Debug) -> String {
    format!("official SDK {}: unexpected {what} in the output: {got:?}", op.name())
}

/// One call through the whole pipeline, input building included; checks the parsed output.
pub async fn call(clients: &Clients, op: Op) -> Result<(), String> {
    match op {
        Op::CreateMetricAttribution => {
            let mut request = clients.personalize.create_metric_attribution();
            for (event, name, expression) in METRICS {
                let metric = MetricAttribute::builder().event_type(event).metric_name(name).expression(expression);
                request = request.metrics(metric.build().map_err(|err| failed(op, &err))?);
            }
            let output_config = MetricAttributionOutput::builder()
                .s3_data_destination(S3DataConfig::builder().path(S3_PATH).build().map_err(|err| failed(op, &err))?)
                .role_arn(ROLE_ARN)
                .build()
                .map_err(|err| failed(op, &err))?;
            let output = request
                .name("ma")
                .dataset_group_arn(DATASET_GROUP_ARN)
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
            let mut request = clients.iot.create_custom_metric();
            for (key, value) in TAGS {
                request = request.tags(Tag::builder().key(key).value(value).build().map_err(|err| failed(op, &err))?);
            }
            let output = request
                .metric_name(METRIC_NAME)
                .display_name(DISPLAY_NAME)
                .metric_type(CustomMetricType::Number)
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
