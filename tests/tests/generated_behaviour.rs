//! Behaviour of the generated crate: builders, serde against the documented request and
//! response syntax, and every constraint at its boundaries.

use aws_lite::iot::operation::create_custom_metric::{CreateCustomMetricError, CreateCustomMetricInput};
use aws_lite::iot::types::{CustomMetricType, Tag};
use aws_lite::personalize::operation::create_metric_attribution::CreateMetricAttributionInput;
use aws_lite::personalize::operation::describe_metric_attribution::DescribeMetricAttributionOutput;
use aws_lite::personalize::types::{MetricAttribute, MetricAttributionOutput, S3DataConfig};
use aws_lite::validation::{Constraint, Violation};
use serde_json::json;

const DATASET_GROUP: &str = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg";
const ROLE: &str = "arn:aws:iam::123456789012:role/PersonalizeMetricsRole";

fn metric(n: usize) -> MetricAttribute {
    MetricAttribute::builder()
        .event_type("click")
        .metric_name(format!("metric_{n}"))
        .expression("SUM(DatasetType.INTERACTIONS.EVENT_TYPE)")
        .build()
        .expect("all required members set")
}

fn output_config() -> MetricAttributionOutput {
    MetricAttributionOutput::builder()
        .role_arn(ROLE)
        .s3_data_destination(S3DataConfig::builder().path("s3://bucket/metrics/").build().expect("path set"))
        .build()
        .expect("role set")
}

fn attribution(name: &str, metrics: Vec<MetricAttribute>) -> CreateMetricAttributionInput {
    CreateMetricAttributionInput::builder()
        .name(name)
        .dataset_group_arn(DATASET_GROUP)
        .metrics(metrics)
        .metrics_output_config(output_config())
        .build()
        .expect("all required members set")
}

fn violations(input: &CreateMetricAttributionInput) -> Vec<Violation> {
    input.validate().err().map(|e| e.violations).unwrap_or_default()
}

fn paths(violations: &[Violation]) -> Vec<&str> {
    violations.iter().map(|v| v.path.as_str()).collect()
}

#[test]
fn build_names_every_missing_required_member() {
    let err = CreateMetricAttributionInput::builder().name("x").build().unwrap_err();
    assert_eq!(err.missing, ["datasetGroupArn", "metrics", "metricsOutputConfig"]);
    assert_eq!(
        err.to_string(),
        "cannot build CreateMetricAttributionInput: required members not set: datasetGroupArn, metrics, metricsOutputConfig"
    );
}

#[test]
fn builders_without_required_members_cannot_fail() {
    // `S3DataConfig` has a required `path`, `Tag` a required `Key`; `CreateCustomMetricInput`'s
    // required idempotency token is filled by the client, so only two members are required.
    let err = CreateCustomMetricInput::builder().build().unwrap_err();
    assert_eq!(err.missing, ["metricName", "metricType"]);
}

#[test]
fn request_serializes_with_the_documented_member_names() {
    let input = attribution("ma", vec![metric(0)]);
    let value = serde_json::to_value(&input).expect("serializes");
    assert_eq!(
        value,
        json!({
            "name": "ma",
            "datasetGroupArn": DATASET_GROUP,
            "metrics": [{"eventType": "click", "metricName": "metric_0", "expression": "SUM(DatasetType.INTERACTIONS.EVENT_TYPE)"}],
            "metricsOutputConfig": {"s3DataDestination": {"path": "s3://bucket/metrics/"}, "roleArn": ROLE}
        })
    );
    let back: CreateMetricAttributionInput = serde_json::from_value(value).expect("deserializes");
    assert_eq!(back, input);
}

#[test]
fn iot_tags_use_capitalized_wire_names_and_enums_their_values() {
    let input = CreateCustomMetricInput::builder()
        .metric_name("m")
        .display_name("Bench metric")
        .metric_type(CustomMetricType::Number)
        .tags(vec![Tag::builder().key("team").value("bench").build().expect("key set")])
        .build()
        .expect("required set");
    let value = serde_json::to_value(&input).expect("serializes");
    assert_eq!(
        value,
        json!({"metricName": "m", "displayName": "Bench metric", "metricType": "number", "tags": [{"Key": "team", "Value": "bench"}]})
    );
}

#[test]
fn response_with_fractional_timestamps_round_trips_exactly() {
    let body = r#"{"metricAttribution":{"name":"ma","metricAttributionArn":"arn:aws:personalize:us-east-1:123456789012:metric-attribution/ma","datasetGroupArn":"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg","metricsOutputConfig":{"s3DataDestination":{"path":"s3://b/p/","kmsKeyArn":"arn:aws:kms:us-east-1:123456789012:key/k"},"roleArn":"arn:aws:iam::123456789012:role/R"},"status":"ACTIVE","creationDateTime":1700000000.123,"lastUpdatedDateTime":1700000123.5,"failureReason":"none"}}"#;
    let output: DescribeMetricAttributionOutput = serde_json::from_str(body).expect("parses");
    let attribution = output.metric_attribution.as_ref().expect("present");
    let created = attribution.creation_date_time.expect("present");
    assert_eq!((created.secs(), created.subsec_nanos()), (1_700_000_000, 123_000_000));
    assert_eq!(serde_json::to_string(&output).expect("serializes"), body);
}

#[test]
fn response_unknown_members_are_ignored_and_missing_required_ones_corrected() {
    // `roleArn` is required in MetricAttributionOutput: a response without it gets the zero value.
    let body = r#"{"metricAttribution":{"metricsOutputConfig":{},"newField":42},"extra":true}"#;
    let output: DescribeMetricAttributionOutput = serde_json::from_str(body).expect("parses");
    let config = output.metric_attribution.and_then(|a| a.metrics_output_config).expect("present");
    assert_eq!(config.role_arn, "");
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!("number".parse::<CustomMetricType>(), Ok(CustomMetricType::Number));
    let unknown: CustomMetricType = serde_json::from_str("\"matrix\"").expect("parses");
    assert_eq!(unknown, CustomMetricType::Unknown("matrix".into()));
    assert_eq!(serde_json::to_string(&unknown).expect("serializes"), "\"matrix\"");
    assert_eq!(CustomMetricType::IpAddressList.to_string(), "ip-address-list");
    assert_eq!(CustomMetricType::VALUES, ["string-list", "ip-address-list", "number-list", "number"]);
}

#[test]
fn a_valid_input_has_no_violations() {
    assert_eq!(violations(&attribution("ma", vec![metric(0), metric(1)])), []);
}

#[test]
fn name_length_boundaries() {
    for (length, ok) in [(0, false), (1, true), (63, true), (64, false)] {
        let name = "a".repeat(length);
        let found = violations(&attribution(&name, vec![metric(0)]));
        let length_violations = found.iter().filter(|v| matches!(v.constraint, Constraint::Length { .. })).count();
        assert_eq!(length_violations == 0, ok, "name of length {length}: {found:?}");
    }
}

#[test]
fn name_pattern_is_checked() {
    assert_eq!(violations(&attribution("my-metrics_1", vec![metric(0)])), []);
    let found = violations(&attribution("-starts-with-dash", vec![metric(0)]));
    assert_eq!(paths(&found), ["name"]);
    assert_eq!(found[0].constraint, Constraint::Pattern("^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$"));
}

#[test]
fn ten_metrics_pass_and_eleven_fail() {
    assert_eq!(violations(&attribution("ma", (0..10).map(metric).collect())), []);
    let found = violations(&attribution("ma", (0..11).map(metric).collect()));
    assert_eq!(paths(&found), ["metrics"]);
    assert_eq!(found[0].message, "length must be between 0 and 10 items, found 11");
}

#[test]
fn multi_byte_strings_count_characters_not_bytes() {
    let at_limit = "é".repeat(256);
    let mut metrics = vec![metric(0)];
    metrics[0].event_type = at_limit.clone();
    assert_eq!(violations(&attribution("ma", metrics.clone())), []);
    metrics[0].event_type.push('é');
    let found = violations(&attribution("ma", metrics));
    assert_eq!(paths(&found), ["metrics[0].eventType"]);
}

#[test]
fn every_violation_is_reported_with_its_path() {
    let mut metrics: Vec<MetricAttribute> = (0..11).map(metric).collect();
    metrics[2].expression = "x".repeat(257);
    let mut input = attribution("", metrics);
    input.dataset_group_arn = "not-an-arn".into();
    input.metrics_output_config.role_arn = "arn:aws:iam::12:role/x".into();
    let err = input.validate().unwrap_err();
    assert_eq!(
        paths(&err.violations),
        ["name", "name", "datasetGroupArn", "metrics", "metrics[2].expression", "metricsOutputConfig.roleArn"]
    );
    let text = err.to_string();
    assert!(text.starts_with("invalid CreateMetricAttributionInput: 6 constraint violations"), "{text}");
    assert!(text.contains("metrics[2].expression: length must be between 0 and 256 characters, found 257"), "{text}");
}

fn custom_metric(display_name: &str) -> CreateCustomMetricInput {
    CreateCustomMetricInput::builder()
        .metric_name("m")
        .metric_type(CustomMetricType::Number)
        .display_name(display_name)
        .build()
        .expect("required set")
}

#[test]
fn graph_pattern_is_printable_ascii() {
    assert_eq!(custom_metric("hello world ~!").validate(), Ok(()));
    let err = custom_metric("héllo").validate().unwrap_err();
    assert_eq!(paths(&err.violations), ["displayName"]);
    assert!(custom_metric("tab\there").validate().is_err());
}

#[test]
fn missing_idempotency_token_is_not_a_violation() {
    let input = custom_metric("ok");
    assert_eq!(input.client_request_token, None);
    assert_eq!(input.validate(), Ok(()));
    let mut bad_token = input.clone();
    bad_token.client_request_token = Some("has spaces".into());
    assert_eq!(paths(&bad_token.validate().unwrap_err().violations), ["clientRequestToken"]);
}

#[test]
fn tag_keys_accept_unicode_letters() {
    let mut input = custom_metric("ok");
    input.tags = Some(vec![
        Tag::builder().key("héllo wörld").build().expect("key set"),
        Tag::builder().key("bad#key").build().expect("key set"),
        Tag::builder().key("").build().expect("key set"),
    ]);
    let err = input.validate().unwrap_err();
    assert_eq!(paths(&err.violations), ["tags[1].Key", "tags[2].Key"]);
}

#[test]
fn error_enum_displays_the_modeled_error() {
    let error: aws_lite::iot::types::error::ResourceAlreadyExistsException =
        serde_json::from_value(json!({"message": "exists", "resourceId": "m"})).expect("parses");
    assert_eq!(error.resource_id.as_deref(), Some("m"));
    let error = CreateCustomMetricError::ResourceAlreadyExistsException(error);
    assert!(error.is_resource_already_exists_exception());
    assert_eq!(error.to_string(), "ResourceAlreadyExistsException: exists");
    let unhandled = CreateCustomMetricError::Unhandled(aws_lite::error::Unhandled::default());
    assert_eq!(unhandled.code(), None);
}
