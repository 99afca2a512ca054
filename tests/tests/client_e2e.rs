//! End-to-end behaviour of the generated clients against a real HTTP/1.1 server on
//! 127.0.0.1: what goes on the wire (method, target, headers, body, SigV4 signature), how
//! responses, modeled and unmodeled errors are parsed, and how retries, timeouts and
//! validation behave. Every test starts its own scripted server (see `common/server.rs`) and
//! stops it when it ends.

#[path = "common/server.rs"]
mod server;

use std::time::{Duration, Instant};

use aws_lite::client::{
    sigv4_check, Config, ConfigBuilder, Credentials, RetryConfig, SdkError, TimeoutConfig, TimeoutKind,
    TransportErrorKind, ValidationMode,
};
use aws_lite::iot::operation::create_custom_metric::{CreateCustomMetricError, CreateCustomMetricInput};
use aws_lite::iot::types::{CustomMetricType, Tag};
use aws_lite::personalize::operation::create_metric_attribution::{
    CreateMetricAttributionError, CreateMetricAttributionInput, CreateMetricAttributionOutput,
};
use aws_lite::personalize::operation::describe_metric_attribution::{
    DescribeMetricAttributionError, DescribeMetricAttributionInput, DescribeMetricAttributionOutput,
};
use aws_lite::personalize::types::{MetricAttribute, MetricAttribution, MetricAttributionOutput, S3DataConfig};
use aws_lite::primitives::DateTime;
use aws_lite::validation::Constraint;
use serde_json::json;
use server::{Received, Reply, Server};

const SECRET: &str = "SECRET";
const DATASET_GROUP: &str = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg";
const ROLE: &str = "arn:aws:iam::123456789012:role/PersonalizeMetrics";
const ATTRIBUTION: &str = "arn:aws:personalize:us-east-1:123456789012:metric-attribution/ma";
const METRIC_ARN: &str = "arn:aws:iot:us-east-1:123456789012:custommetric/m";
const AMZ_JSON: &str = "application/x-amz-json-1.1";
const JSON: &str = "application/json";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The configuration every test starts from: test credentials, the server as endpoint and
/// the standard retry mode with millisecond backoff.
fn config(server: &Server) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
        .endpoint_url(server.url())
        .retry(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
}

fn personalize(builder: ConfigBuilder) -> aws_lite::personalize::client::Client {
    aws_lite::personalize::client::Client::new(builder.build().expect("valid config"))
}

fn iot(builder: ConfigBuilder) -> aws_lite::iot::client::Client {
    aws_lite::iot::client::Client::new(builder.build().expect("valid config"))
}

/// A Personalize (awsJson1.1) response.
fn amz_json(status: u16, request_id: &str, body: &str) -> Reply {
    Reply::with_body(status, AMZ_JSON, body).header("x-amzn-requestid", request_id)
}

/// An IoT (restJson1) response.
fn rest_json(status: u16, request_id: &str, body: &str) -> Reply {
    Reply::with_body(status, JSON, body).header("x-amzn-requestid", request_id)
}

fn create_input(name: &str, dataset_group_arn: &str) -> CreateMetricAttributionInput {
    CreateMetricAttributionInput::builder()
        .name(name)
        .dataset_group_arn(dataset_group_arn)
        .metrics(vec![MetricAttribute::builder()
            .event_type("click")
            .metric_name("clicks")
            .expression("SAMPLECOUNT()")
            .build()
            .expect("all required members set")])
        .metrics_output_config(
            MetricAttributionOutput::builder()
                .role_arn(ROLE)
                .s3_data_destination(S3DataConfig::builder().path("s3://bucket/metrics/").build().expect("path set"))
                .build()
                .expect("role set"),
        )
        .build()
        .expect("all required members set")
}

fn create_body(name: &str, dataset_group_arn: &str) -> serde_json::Value {
    json!({
        "name": name,
        "datasetGroupArn": dataset_group_arn,
        "metrics": [{"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}],
        "metricsOutputConfig": {"s3DataDestination": {"path": "s3://bucket/metrics/"}, "roleArn": ROLE},
    })
}

fn describe_input() -> DescribeMetricAttributionInput {
    DescribeMetricAttributionInput::builder().metric_attribution_arn(ATTRIBUTION).build().expect("arn set")
}

fn metric_input(name: &str) -> CreateCustomMetricInput {
    CreateCustomMetricInput::builder()
        .metric_name(name)
        .metric_type(CustomMetricType::NumberList)
        .build()
        .expect("required members set")
}

/// Checks the SigV4 signature of a request as the server received it, and its scope.
#[track_caller]
fn assert_signed(request: &Received, service: &str) {
    if let Err(err) = sigv4_check::verify(&request.to_http(), SECRET) {
        panic!("invalid signature on {} {}: {err}", request.method, request.target);
    }
    let authorization = request.header("authorization").expect("authorization header");
    let scope = format!("/us-east-1/{service}/aws4_request,");
    assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "{authorization}");
    assert!(authorization.contains(&scope), "{authorization} lacks scope {scope}");
    let signed = authorization.split("SignedHeaders=").nth(1).and_then(|rest| rest.split(',').next()).unwrap_or("");
    let mut must_be_signed = vec!["content-type", "host", "x-amz-date"];
    if request.header("x-amz-target").is_some() {
        must_be_signed.push("x-amz-target");
    }
    for header in must_be_signed {
        assert!(signed.split(';').any(|name| name == header), "`{header}` is not signed: {authorization}");
    }
}

/// Asserts the headers every request carries, whatever the operation.
#[track_caller]
fn assert_common_headers(request: &Received, server: &Server) {
    assert_eq!(request.header("host"), Some(format!("127.0.0.1:{}", server.port()).as_str()));
    assert_eq!(request.header_count("host"), 1, "{:?}", request.headers);
    assert_eq!(request.header("content-length"), Some(request.body.len().to_string().as_str()));
    for once in ["content-length", "content-type", "authorization", "x-amz-date", "user-agent"] {
        assert_eq!(request.header_count(once), 1, "`{once}` sent more than once: {:?}", request.headers);
    }
    assert!(request.header("user-agent").is_some_and(|agent| agent.starts_with("aws-lite/")), "{:?}", request.headers);
    assert!(request.header("x-amz-date").is_some());
    assert!(request.header("amz-sdk-invocation-id").is_some());
}

/// A lowercase RFC 4122 version-4 UUID, as the official SDKs generate idempotency tokens.
fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, &byte)| {
            if [8, 13, 18, 23].contains(&i) {
                byte == b'-'
            } else {
                byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)
            }
        })
        && bytes[14] == b'4'
        && b"89ab".contains(&bytes[19])
}

/// The service error's metadata `(code, message, status, request id)`.
fn meta_of<E>(err: &SdkError<E>) -> (Option<&str>, Option<&str>, Option<u16>, Option<&str>) {
    let meta = err.meta().unwrap_or_else(|| panic!("not a service error"));
    (meta.code(), meta.message(), meta.status, meta.request_id())
}

fn assert_response_parse<T: std::fmt::Debug, E: std::fmt::Debug>(
    case: &str,
    outcome: Result<T, SdkError<E>>,
    request_id: &str,
) -> String {
    match outcome {
        Err(SdkError::ResponseParse(err)) => {
            assert_eq!(err.status(), 200, "{case}");
            assert_eq!(err.request_id(), Some(request_id), "{case}");
            assert!(!err.message().is_empty(), "{case}");
            err.to_string()
        }
        other => panic!("{case}: expected a response parse error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 1-3. Successful calls: the request on the wire and the parsed output
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn personalize_create_metric_attribution_is_sent_signed_and_parsed() {
    let server =
        Server::start([amz_json(200, "req-create", &format!(r#"{{"metricAttributionArn":"{ATTRIBUTION}"}}"#))]);
    let client = personalize(config(&server));

    let output = client
        .create_metric_attribution()
        .name("my-attribution")
        .dataset_group_arn(DATASET_GROUP)
        .metrics(create_input("x", DATASET_GROUP).metrics)
        .metrics_output_config(create_input("x", DATASET_GROUP).metrics_output_config)
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(output, CreateMetricAttributionOutput::builder().metric_attribution_arn(ATTRIBUTION).build());

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/");
    assert_eq!(request.header("content-type"), Some(AMZ_JSON));
    assert_eq!(request.header("x-amz-target"), Some("AmazonPersonalize.CreateMetricAttribution"));
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert_common_headers(request, &server);
    assert_eq!(request.json(), create_body("my-attribution", DATASET_GROUP));
    assert_signed(request, "personalize");
    assert!(request.header("x-amz-security-token").is_none());

    // A tampered copy does not verify: the check above is not vacuous.
    let mut tampered = request.to_http();
    *tampered.body_mut() = bytes::Bytes::from_static(b"{}");
    assert!(sigv4_check::verify(&tampered, SECRET).is_err());
}

#[tokio::test]
async fn personalize_send_input_form_and_session_token() {
    let server = Server::start([amz_json(200, "req-1", "{}"), amz_json(200, "req-2", "{}")]);
    let client =
        personalize(config(&server).credentials(Credentials::new("AKIDEXAMPLE", SECRET, Some("TOKEN".into()))));
    let output = client.send(create_input("ma", DATASET_GROUP)).await.expect("the call succeeds");
    assert_eq!(output.metric_attribution_arn, None);
    // Unset optional members are left out of the body, not sent as null.
    let mut minimal = create_input("mb", DATASET_GROUP);
    minimal.metrics.clear();
    minimal.metrics_output_config = MetricAttributionOutput::builder().role_arn(ROLE).build().expect("role set");
    client.send(minimal).await.expect("the call succeeds");

    let requests = server.requests();
    assert_eq!(
        requests[1].json(),
        json!({"name": "mb", "datasetGroupArn": DATASET_GROUP, "metrics": [], "metricsOutputConfig": {"roleArn": ROLE}})
    );
    assert_signed(&requests[1], "personalize");
    let request = &requests[0];
    assert_eq!(request.json(), create_body("ma", DATASET_GROUP));
    assert_eq!(request.header("x-amz-security-token"), Some("TOKEN"));
    assert_signed(request, "personalize");
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(authorization.contains("x-amz-security-token"), "the session token is signed: {authorization}");
}

#[tokio::test]
async fn personalize_describe_metric_attribution_parses_every_member_exactly() {
    // Raw text, so the numbers reach the client exactly as written; unknown members are ignored.
    let text = format!(
        r#"{{"metricAttribution":{{"name":"ma","metricAttributionArn":"{ATTRIBUTION}","datasetGroupArn":"{DATASET_GROUP}","metricsOutputConfig":{{"s3DataDestination":{{"path":"s3://b/p/","kmsKeyArn":"arn:aws:kms:us-east-1:123456789012:key/k"}},"roleArn":"{ROLE}"}},"status":"ACTIVE","creationDateTime":1700000000.123,"lastUpdatedDateTime":1700000123.000001,"failureReason":"none","someFutureMember":{{"nested":[1,2]}}}}}}"#
    );
    let server = Server::start([amz_json(200, "req-describe", &text)]);
    let client = personalize(config(&server));

    let output = client
        .describe_metric_attribution()
        .metric_attribution_arn(ATTRIBUTION)
        .send()
        .await
        .expect("the call succeeds");

    let expected = DescribeMetricAttributionOutput::builder()
        .metric_attribution(
            MetricAttribution::builder()
                .name("ma")
                .metric_attribution_arn(ATTRIBUTION)
                .dataset_group_arn(DATASET_GROUP)
                .metrics_output_config(
                    MetricAttributionOutput::builder()
                        .s3_data_destination(
                            S3DataConfig::builder()
                                .path("s3://b/p/")
                                .kms_key_arn("arn:aws:kms:us-east-1:123456789012:key/k")
                                .build()
                                .expect("path set"),
                        )
                        .role_arn(ROLE)
                        .build()
                        .expect("role set"),
                )
                .status("ACTIVE")
                .creation_date_time(DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000).expect("valid"))
                .last_updated_date_time(DateTime::from_secs_and_nanos(1_700_000_123, 1_000).expect("valid"))
                .failure_reason("none")
                .build(),
        )
        .build();
    assert_eq!(output, expected);
    let attribution = output.metric_attribution.expect("present");
    let created = attribution.creation_date_time.expect("present");
    assert_eq!((created.secs(), created.subsec_nanos()), (1_700_000_000, 123_000_000));

    let request = &server.requests()[0];
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/"));
    assert_eq!(request.header("x-amz-target"), Some("AmazonPersonalize.DescribeMetricAttribution"));
    assert_eq!(request.header("content-type"), Some(AMZ_JSON));
    assert_eq!(request.json(), json!({"metricAttributionArn": ATTRIBUTION}));
    assert_common_headers(request, &server);
    assert_signed(request, "personalize");
}

#[tokio::test]
async fn iot_create_custom_metric_fluent_builder_binds_the_label_and_fills_the_token() {
    let server =
        Server::start([rest_json(200, "req-iot", &format!(r#"{{"metricName":"m/x y","metricArn":"{METRIC_ARN}"}}"#))]);
    // `m/x y` breaks the metricName pattern; only required members are checked here, so the
    // label encoding can be seen on the wire.
    let client = iot(config(&server).validation(ValidationMode::RequiredOnly));

    let output = client
        .create_custom_metric()
        .metric_name("m/x y")
        .metric_type(CustomMetricType::Number)
        .display_name("d")
        .tags(vec![
            Tag::builder().key("team").value("bench").build().expect("key set"),
            Tag::builder().key("bare").build().expect("key set"),
        ])
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(output.metric_name.as_deref(), Some("m/x y"));
    assert_eq!(output.metric_arn.as_deref(), Some(METRIC_ARN));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/custom-metric/m%2Fx%20y");
    assert_eq!(request.header("content-type"), Some(JSON));
    assert!(request.header("x-amz-target").is_none());
    assert_common_headers(request, &server);
    assert_signed(request, "iot");

    let mut body = request.json();
    let token = body.as_object_mut().and_then(|o| o.remove("clientRequestToken")).expect("a clientRequestToken");
    let token = token.as_str().expect("a string token");
    assert!(is_uuid_v4(token), "not a UUID v4: {token}");
    assert_eq!(
        body,
        json!({
            "displayName": "d",
            "metricType": "number",
            "tags": [{"Key": "team", "Value": "bench"}, {"Key": "bare"}],
        }),
        "metricName is bound to the URI and must not be in the body"
    );
}

#[tokio::test]
async fn iot_create_custom_metric_send_input_form() {
    let server = Server::start([rest_json(200, "r1", "{}"), rest_json(200, "r2", "{}"), rest_json(200, "r3", "{}")]);
    let client = iot(config(&server));

    // A valid name under full validation; `:` is reserved in a URI label.
    client.send(metric_input("ns:metric_1")).await.expect("the call succeeds");
    // A caller-provided token is kept as is.
    let mut with_token = metric_input("m");
    with_token.client_request_token = Some("caller-token-1".to_owned());
    client.send(with_token).await.expect("the call succeeds");
    // A token fixed in the configuration replaces the random one.
    let fixed = iot(config(&server).idempotency_token("fixed-token"));
    fixed.send(metric_input("m")).await.expect("the call succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].target, "/custom-metric/ns%3Ametric_1");
    let first = requests[0].json();
    assert_eq!(first["metricType"], "number-list");
    assert!(first.get("metricName").is_none(), "{first}");
    assert!(first.get("displayName").is_none() && first.get("tags").is_none(), "unset members are omitted: {first}");
    assert!(is_uuid_v4(first["clientRequestToken"].as_str().unwrap_or_default()), "{first}");
    assert_eq!(requests[1].json(), json!({"clientRequestToken": "caller-token-1", "metricType": "number-list"}));
    assert_eq!(requests[2].json(), json!({"clientRequestToken": "fixed-token", "metricType": "number-list"}));
    for request in &requests {
        assert_signed(request, "iot");
    }
}

#[tokio::test]
async fn the_endpoint_base_path_is_kept_and_signed() {
    let server = Server::start([amz_json(200, "r1", "{}"), rest_json(200, "r2", "{}"), rest_json(200, "r3", "{}")]);
    let base = config(&server).endpoint_url(format!("{}/base", server.url()));
    personalize(base.clone()).send(describe_input()).await.expect("the call succeeds");
    iot(base).send(metric_input("m")).await.expect("the call succeeds");
    iot(config(&server).endpoint_url(format!("{}/base/", server.url())))
        .send(metric_input("m"))
        .await
        .expect("the call succeeds");
    let requests = server.requests();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets, ["/base/", "/base/custom-metric/m", "/base/custom-metric/m"]);
    assert_signed(&requests[0], "personalize");
    assert_signed(&requests[1], "iot");
    assert_signed(&requests[2], "iot");
}

// ---------------------------------------------------------------------------------------------
// 4. Error responses
// ---------------------------------------------------------------------------------------------

/// `(code, status)` of every modeled error of CreateMetricAttribution.
const CREATE_ERRORS: [(&str, u16); 5] = [
    ("InvalidInputException", 400),
    ("LimitExceededException", 400),
    ("ResourceAlreadyExistsException", 400),
    ("ResourceInUseException", 400),
    ("ResourceNotFoundException", 404),
];

/// The code and message of a modeled CreateMetricAttribution error, by its variant.
fn create_error_variant(err: &CreateMetricAttributionError) -> (&'static str, Option<&str>) {
    match err {
        CreateMetricAttributionError::InvalidInputException(e) => ("InvalidInputException", e.message()),
        CreateMetricAttributionError::LimitExceededException(e) => ("LimitExceededException", e.message()),
        CreateMetricAttributionError::ResourceAlreadyExistsException(e) => {
            ("ResourceAlreadyExistsException", e.message())
        }
        CreateMetricAttributionError::ResourceInUseException(e) => ("ResourceInUseException", e.message()),
        CreateMetricAttributionError::ResourceNotFoundException(e) => ("ResourceNotFoundException", e.message()),
        CreateMetricAttributionError::Unhandled(e) => ("Unhandled", e.meta.message()),
        other => panic!("unexpected variant {other:?}"),
    }
}

#[tokio::test]
async fn personalize_modeled_errors_by_header_and_by_body_type() {
    for (code, status) in CREATE_ERRORS {
        let message = format!("{code} happened");
        let header_form = amz_json(status, "req-header", &format!(r#"{{"message":"{message}"}}"#))
            .header("x-amzn-errortype", &format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.service/"));
        let body_form = amz_json(
            status,
            "req-body",
            &format!(r#"{{"__type":"com.amazonaws.personalize#{code}","message":"{message}"}}"#),
        );
        let server = Server::start([header_form, body_form]);
        let client = personalize(config(&server).retry(RetryConfig::disabled()));

        for request_id in ["req-header", "req-body"] {
            let err = client.send(create_input("ma", DATASET_GROUP)).await.expect_err("an error response");
            assert_eq!(meta_of(&err), (Some(code), Some(message.as_str()), Some(status), Some(request_id)), "{code}");
            let SdkError::Service(service) = &err else { panic!("{code}: not a service error: {err:?}") };
            assert_eq!(service.raw_status(), Some(status));
            assert_eq!(service.request_id(), Some(request_id));
            assert_eq!(err.request_id(), Some(request_id));
            let modeled = err.as_service_error().expect("a service error");
            assert_eq!(create_error_variant(modeled), (code, Some(message.as_str())), "{request_id}");
            assert_eq!(modeled.code(), Some(code));
            assert_eq!(modeled.meta().request_id(), Some(request_id));
            assert_eq!(modeled.meta().status, Some(status));
            assert_eq!(modeled.to_string(), format!("{code}: {message}"));
        }
        assert_eq!(server.requests().len(), 2, "{code}: one request per call");
    }
}

#[tokio::test]
async fn personalize_describe_errors_map_to_its_own_enum() {
    let server = Server::start([
        amz_json(404, "r1", r#"{"__type":"com.amazonaws.personalize#ResourceNotFoundException","message":"gone"}"#),
        amz_json(400, "r2", r#"{"message":"bad arn"}"#).header("X-Amzn-Errortype", "InvalidInputException"),
    ]);
    let client = personalize(config(&server));
    let err = client.send(describe_input()).await.expect_err("404");
    match err.as_service_error() {
        Some(DescribeMetricAttributionError::ResourceNotFoundException(e)) => assert_eq!(e.message(), Some("gone")),
        other => panic!("{other:?}"),
    }
    let err = client.send(describe_input()).await.expect_err("400");
    assert!(err.as_service_error().is_some_and(DescribeMetricAttributionError::is_invalid_input_exception), "{err:?}");
    assert_eq!(meta_of(&err), (Some("InvalidInputException"), Some("bad arn"), Some(400), Some("r2")));
    // Neither error is retryable: one request each.
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn iot_modeled_errors_by_header_body_type_and_body_code() {
    let cases = [
        ("InternalFailureException", 500),
        ("InvalidRequestException", 400),
        ("LimitExceededException", 410),
        ("ResourceAlreadyExistsException", 409),
        ("ThrottlingException", 400),
    ];
    for (code, status) in cases {
        let extra = r#","resourceId":"m","resourceArn":"arn:aws:iot:us-east-1:123456789012:custommetric/m""#;
        let body = |prefix: &str| format!(r#"{{{prefix}"message":"{code} happened"{extra}}}"#);
        let server = Server::start([
            rest_json(status, "h", &body(""))
                .header("x-amzn-ErrorType", &format!("{code}:http://internal.amazon.com/")),
            rest_json(status, "t", &body(&format!(r#""__type":"com.amazonaws.iot#{code}","#))),
            rest_json(status, "c", &body(&format!(r#""code":"{code}","#))),
        ]);
        let client = iot(config(&server).retry(RetryConfig::disabled()));
        for request_id in ["h", "t", "c"] {
            let err = client.send(metric_input("m")).await.expect_err("an error response");
            let message = format!("{code} happened");
            assert_eq!(meta_of(&err), (Some(code), Some(message.as_str()), Some(status), Some(request_id)));
            let modeled = err.into_service_error().expect("a service error");
            let (variant, variant_message) = match &modeled {
                CreateCustomMetricError::InternalFailureException(e) => ("InternalFailureException", e.message()),
                CreateCustomMetricError::InvalidRequestException(e) => ("InvalidRequestException", e.message()),
                CreateCustomMetricError::LimitExceededException(e) => ("LimitExceededException", e.message()),
                CreateCustomMetricError::ResourceAlreadyExistsException(e) => {
                    assert_eq!(e.resource_id.as_deref(), Some("m"));
                    assert_eq!(e.resource_arn.as_deref(), Some(METRIC_ARN));
                    ("ResourceAlreadyExistsException", e.message())
                }
                CreateCustomMetricError::ThrottlingException(e) => ("ThrottlingException", e.message()),
                other => panic!("{code}/{request_id}: unexpected {other:?}"),
            };
            assert_eq!((variant, variant_message), (code, Some(message.as_str())), "{request_id}");
            assert_eq!(modeled.meta().request_id(), Some(request_id));
        }
        assert_eq!(server.requests().len(), 3, "{code}");
    }
}

#[tokio::test]
async fn unknown_error_codes_are_unhandled_with_everything_kept() {
    let server = Server::start([
        amz_json(400, "req-u1", r#"{"__type":"com.amazonaws.personalize#BrandNewException","message":"new"}"#),
        amz_json(403, "req-u2", r#"{"message":"denied"}"#).header("x-amzn-errortype", "AccessDeniedException"),
        // No code at all.
        Reply::with_body(404, "text/plain", "not here").header("x-amz-request-id", "req-u3"),
    ]);
    let client = personalize(config(&server));
    let expected = [
        (Some("BrandNewException"), Some("new"), Some(400), Some("req-u1")),
        (Some("AccessDeniedException"), Some("denied"), Some(403), Some("req-u2")),
        (None, None, Some(404), Some("req-u3")),
    ];
    for expected in expected {
        let err = client.send(create_input("ma", DATASET_GROUP)).await.expect_err("an error response");
        assert_eq!(meta_of(&err), expected);
        match err.as_service_error() {
            Some(CreateMetricAttributionError::Unhandled(unhandled)) => {
                assert_eq!(
                    (
                        unhandled.meta.code(),
                        unhandled.meta.message(),
                        unhandled.meta.status,
                        unhandled.meta.request_id()
                    ),
                    expected
                );
            }
            other => panic!("expected Unhandled, got {other:?}"),
        }
    }
    assert_eq!(server.requests().len(), 3, "4xx errors without a retryable code are not retried");

    let server =
        Server::start([rest_json(400, "req-iot", r#"{"message":"what"}"#).header("x-amzn-errortype", "Mystery")]);
    let err = iot(config(&server)).send(metric_input("m")).await.expect_err("an error response");
    assert!(matches!(err.as_service_error(), Some(CreateCustomMetricError::Unhandled(_))), "{err:?}");
    assert_eq!(meta_of(&err), (Some("Mystery"), Some("what"), Some(400), Some("req-iot")));
}

/// Some services spell the message member `Message`; the modeled error still carries it, as
/// in the official SDKs (the generic message fills an unset modeled `message`).
#[tokio::test]
async fn modeled_error_message_from_capitalized_member() {
    let server = Server::start([amz_json(
        404,
        "req-m",
        r#"{"__type":"com.amazonaws.personalize#ResourceNotFoundException","Message":"gone"}"#,
    )]);
    let err = personalize(config(&server)).send(describe_input()).await.expect_err("404");
    assert_eq!(meta_of(&err).1, Some("gone"));
    match err.as_service_error() {
        Some(DescribeMetricAttributionError::ResourceNotFoundException(e)) => {
            assert_eq!(e.message(), Some("gone"), "the modeled error lost the message the metadata has");
            assert_eq!(e.to_string(), "ResourceNotFoundException: gone");
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 5-6. Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn server_errors_are_retried_with_a_fresh_valid_signature() {
    let server = Server::start([
        amz_json(500, "req-500", r#"{"__type":"InternalServerError","message":"oops"}"#),
        amz_json(200, "req-ok", &format!(r#"{{"metricAttributionArn":"{ATTRIBUTION}"}}"#)),
    ]);
    let output =
        personalize(config(&server)).send(create_input("ma", DATASET_GROUP)).await.expect("the retry succeeds");
    assert_eq!(output.metric_attribution_arn.as_deref(), Some(ATTRIBUTION));

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(requests[1].header("amz-sdk-request"), Some("attempt=2; max=3"));
    assert_eq!(requests[0].header("amz-sdk-invocation-id"), requests[1].header("amz-sdk-invocation-id"));
    for request in &requests {
        assert_eq!(request.json(), create_body("ma", DATASET_GROUP));
        assert_common_headers(request, &server);
        assert_signed(request, "personalize");
    }
}

#[tokio::test]
async fn iot_retries_keep_the_idempotency_token() {
    let ok = || rest_json(200, "req-ok", &format!(r#"{{"metricName":"m","metricArn":"{METRIC_ARN}"}}"#));
    let server = Server::start([
        rest_json(500, "req-if", r#"{"message":"internal"}"#).header("x-amzn-errortype", "InternalFailureException"),
        ok(),
        Reply::with_body(503, "text/html", "<html>Service Unavailable</html>"),
        ok(),
    ]);
    let client = iot(config(&server));
    let output = client.send(metric_input("m")).await.expect("the second attempt succeeds");
    assert_eq!(output.metric_arn.as_deref(), Some(METRIC_ARN));
    assert_eq!(server.requests().len(), 2);
    let output = client
        .create_custom_metric()
        .metric_name("m")
        .metric_type(CustomMetricType::StringList)
        .send()
        .await
        .expect("the second attempt succeeds");
    assert_eq!(output.metric_name.as_deref(), Some("m"));

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let tokens: Vec<String> =
        requests.iter().map(|r| r.json()["clientRequestToken"].as_str().expect("a token").to_owned()).collect();
    assert!(tokens.iter().all(|token| is_uuid_v4(token)), "{tokens:?}");
    assert_eq!(tokens[0], tokens[1], "the token changed between attempts of one call");
    assert_eq!(tokens[2], tokens[3], "the token changed between attempts of one call");
    assert_ne!(tokens[0], tokens[2], "two calls shared a token");
    for request in &requests {
        assert_eq!(request.target, "/custom-metric/m");
        assert_signed(request, "iot");
    }
}

#[tokio::test]
async fn persistent_server_errors_end_as_unhandled_after_every_attempt() {
    let bad_gateway =
        || Reply::with_body(502, "text/html", "<html>Bad Gateway</html>").header("x-amzn-requestid", "gw");
    let server = Server::start([bad_gateway(), bad_gateway(), bad_gateway()]);
    let err = personalize(config(&server)).send(describe_input()).await.expect_err("still failing");
    assert_eq!(server.requests().len(), 3);
    assert!(matches!(err.as_service_error(), Some(DescribeMetricAttributionError::Unhandled(_))), "{err:?}");
    assert_eq!(meta_of(&err), (None, None, Some(502), Some("gw")));
    assert_eq!(err.to_string(), "service error: unknown error (HTTP 502, request id gw)");
}

#[tokio::test]
async fn throttling_is_retried_until_the_attempts_run_out() {
    let throttled = || {
        rest_json(400, "req-throttle", r#"{"message":"Rate exceeded"}"#)
            .header("x-amzn-errortype", "ThrottlingException")
    };
    let server = Server::start([throttled(), throttled(), throttled(), rest_json(200, "unused", "{}")]);
    let err = iot(config(&server)).send(metric_input("m")).await.expect_err("still throttled");
    assert_eq!(server.requests().len(), 3, "3 attempts in all");
    assert_eq!(server.unused_replies(), 1);
    assert!(matches!(&err, SdkError::Service(_)), "{err:?}");
    assert_eq!(meta_of(&err), (Some("ThrottlingException"), Some("Rate exceeded"), Some(400), Some("req-throttle")));
    assert!(err.as_service_error().is_some_and(CreateCustomMetricError::is_throttling_exception));

    // Personalize does not model ThrottlingException: retried all the same, then Unhandled.
    let throttled = || amz_json(400, "req-t", r#"{"__type":"ThrottlingException","message":"slow down"}"#);
    let server = Server::start([throttled(), throttled(), throttled()]);
    let err = personalize(config(&server)).send(describe_input()).await.expect_err("still throttled");
    assert_eq!(server.requests().len(), 3);
    assert!(matches!(err.as_service_error(), Some(DescribeMetricAttributionError::Unhandled(_))), "{err:?}");
    assert_eq!(meta_of(&err).0, Some("ThrottlingException"));
}

#[tokio::test]
async fn personalize_limit_exceeded_is_retried() {
    let limited = || {
        amz_json(400, "req-limit", r#"{"__type":"com.amazonaws.personalize#LimitExceededException","message":"limit"}"#)
    };
    let server = Server::start([limited(), limited(), limited()]);
    let err = personalize(config(&server)).send(create_input("ma", DATASET_GROUP)).await.expect_err("still limited");
    assert_eq!(server.requests().len(), 3);
    assert!(err.as_service_error().is_some_and(CreateMetricAttributionError::is_limit_exceeded_exception), "{err:?}");

    let server = Server::start([limited(), amz_json(200, "req-ok", "{}")]);
    personalize(config(&server)).send(create_input("ma", DATASET_GROUP)).await.expect("the retry succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    requests.iter().for_each(|request| assert_signed(request, "personalize"));

    // A configured attempt budget is honoured.
    let server = Server::start([limited(), limited(), limited(), limited(), limited()]);
    let client = personalize(
        config(&server).retry(
            RetryConfig::standard()
                .with_max_attempts(5)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        ),
    );
    client.send(create_input("ma", DATASET_GROUP)).await.expect_err("still limited");
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    assert_eq!(requests[4].header("amz-sdk-request"), Some("attempt=5; max=5"));
}

// ---------------------------------------------------------------------------------------------
// 7. Unparseable success responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_success_bodies_are_response_parse_errors() {
    let cases: [(&str, Reply); 5] = [
        ("malformed JSON", amz_json(200, "req-p", "{not json")),
        ("truncated JSON", amz_json(200, "req-p", r#"{"metricAttributionArn":"arn:aws:personalize:us-"#)),
        (
            "wrong content type",
            Reply::with_body(200, "text/html", "<html>hi</html>").header("x-amzn-requestid", "req-p"),
        ),
        ("a member of the wrong type", amz_json(200, "req-p", r#"{"metricAttributionArn":42}"#)),
        ("trailing garbage", amz_json(200, "req-p", r#"{"metricAttributionArn":"a"} x"#)),
    ];
    for (case, reply) in cases {
        let server = Server::start([reply]);
        let outcome = personalize(config(&server)).send(create_input("ma", DATASET_GROUP)).await;
        let text = assert_response_parse(case, outcome, "req-p");
        assert!(text.starts_with("could not parse the response (HTTP 200, request id req-p): "), "{case}: {text}");
        assert_eq!(server.requests().len(), 1, "{case}: a parse failure is not retried");
    }

    // Timestamps are epoch-seconds numbers in awsJson1.1; a string is an error, not a panic.
    let server =
        Server::start([amz_json(200, "req-p", r#"{"metricAttribution":{"creationDateTime":"2023-11-14T22:13:20Z"}}"#)]);
    let outcome = personalize(config(&server)).send(describe_input()).await;
    assert_response_parse("string timestamp", outcome, "req-p");
    let server = Server::start([amz_json(200, "req-p", r#"{"metricAttribution":{"creationDateTime":1e400}}"#)]);
    let outcome = personalize(config(&server)).send(describe_input()).await;
    assert_response_parse("out-of-range timestamp", outcome, "req-p");
}

/// Structures are JSON objects in both JSON protocols: an array where a structure belongs is
/// malformed, at the top level and nested, and must not be read positionally.
#[tokio::test]
async fn json_arrays_are_not_structures() {
    fn outcome<T: std::fmt::Debug, E: std::fmt::Debug>(case: &str, outcome: Result<T, SdkError<E>>) -> Option<String> {
        match outcome {
            Err(SdkError::ResponseParse(err)) if err.status() == 200 && err.request_id() == Some("req-p") => None,
            other => Some(format!("{case}: expected a response parse error, got {other:?}")),
        }
    }
    let server = Server::start([
        amz_json(200, "req-p", &format!(r#"["{ATTRIBUTION}"]"#)),
        amz_json(200, "req-p", r#"{"metricAttribution":["ma","arn:x"]}"#),
    ]);
    let client = personalize(config(&server));
    let mut wrong = Vec::new();
    wrong.extend(outcome("a top-level array", client.send(create_input("ma", DATASET_GROUP)).await));
    wrong.extend(outcome("a nested array", client.send(describe_input()).await));
    let server = Server::start([rest_json(200, "req-p", r#"["m","arn:x"]"#)]);
    wrong.extend(outcome("a restJson1 top-level array", iot(config(&server)).send(metric_input("m")).await));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn empty_success_bodies_parse_to_empty_outputs() {
    let server = Server::start([
        amz_json(200, "r1", ""),
        Reply::status(200).header("x-amzn-requestid", "r2"),
        amz_json(200, "r3", " \r\n"),
        amz_json(200, "r4", "{}"),
    ]);
    let client = personalize(config(&server));
    for _ in 0..4 {
        let output = client.send(create_input("ma", DATASET_GROUP)).await.expect("an empty body is an empty output");
        assert_eq!(output, CreateMetricAttributionOutput::builder().build());
        assert_eq!(output.metric_attribution_arn, None);
    }
    let server = Server::start([rest_json(200, "r", "")]);
    let output = iot(config(&server)).send(metric_input("m")).await.expect("an empty body is an empty output");
    assert_eq!((output.metric_name, output.metric_arn), (None, None));
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_retried_transport_error() {
    let cut = || {
        Reply::raw(
            "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 100\r\n\r\n{\"metricAttr",
        )
    };
    let server = Server::start([cut(), cut(), cut()]);
    let err = personalize(config(&server)).send(create_input("ma", DATASET_GROUP)).await.expect_err("cut off");
    match &err {
        SdkError::Transport(transport) => assert_eq!(transport.kind(), TransportErrorKind::Io, "{transport}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 3);

    let server = Server::start([cut(), amz_json(200, "r", "{}")]);
    personalize(config(&server)).send(create_input("ma", DATASET_GROUP)).await.expect("the retry succeeds");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_oversized_response_is_refused_and_not_retried() {
    let huge = Reply::raw(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: big\r\ncontent-length: 50000000\r\n\r\n{}",
    );
    let server = Server::start([huge, amz_json(200, "unused", "{}")]);
    let err = personalize(config(&server)).send(describe_input()).await.expect_err("too large");
    match &err {
        SdkError::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::ResponseTooLarge, "{transport}");
            assert!(transport.to_string().contains("request id big"), "{transport}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 8. Timeouts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_slow_response_hits_the_attempt_timeout() {
    let attempt = Duration::from_millis(200);
    let server = Server::start([amz_json(200, "slow", "{}").delay(Duration::from_secs(5))]);
    let client = personalize(
        config(&server).retry(RetryConfig::disabled()).timeouts(TimeoutConfig::default().with_attempt_timeout(attempt)),
    );
    let started = Instant::now();
    let err = client.send(describe_input()).await.expect_err("timed out");
    let elapsed = started.elapsed();
    match &err {
        SdkError::Timeout(timeout) => {
            assert_eq!(timeout.kind(), TimeoutKind::Attempt);
            assert_eq!(timeout.after(), attempt);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(elapsed >= attempt && elapsed < Duration::from_secs(2), "took {elapsed:?}");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.to_string(), "request timed out after 200ms (attempt timeout)");
}

#[tokio::test]
async fn timed_out_attempts_are_retried_within_the_operation_timeout() {
    let slow = || amz_json(200, "slow", "{}").delay(Duration::from_secs(5));
    // A slow first attempt, then a fast one.
    let server =
        Server::start([slow(), amz_json(200, "fast", &format!(r#"{{"metricAttributionArn":"{ATTRIBUTION}"}}"#))]);
    let client = personalize(
        config(&server).timeouts(TimeoutConfig::default().with_attempt_timeout(Duration::from_millis(100))),
    );
    let output = client.send(create_input("ma", DATASET_GROUP)).await.expect("the second attempt is fast");
    assert_eq!(output.metric_attribution_arn.as_deref(), Some(ATTRIBUTION));
    assert_eq!(server.requests().len(), 2);

    // The operation timeout bounds all attempts together.
    let server = Server::start([slow(), slow(), slow()]);
    let client = personalize(
        config(&server).timeouts(
            TimeoutConfig::default()
                .with_attempt_timeout(Duration::from_millis(100))
                .with_operation_timeout(Duration::from_millis(150)),
        ),
    );
    let started = Instant::now();
    let err = client.send(create_input("ma", DATASET_GROUP)).await.expect_err("timed out");
    assert!(matches!(&err, SdkError::Timeout(t) if t.kind() == TimeoutKind::Operation), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // The second attempt was sent at about 100 ms; give the server a moment to record it.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 9. Validation before sending
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn invalid_input_is_rejected_before_anything_is_sent() {
    let server = Server::start([]);
    let long_name = "a".repeat(64);
    let err = personalize(config(&server)).send(create_input(&long_name, "not-an-arn")).await.expect_err("invalid");
    let SdkError::Validation(validation) = &err else { panic!("expected a validation error, got {err:?}") };
    assert_eq!(validation.input, "CreateMetricAttributionInput");
    let found: Vec<(&str, &Constraint)> =
        validation.violations.iter().map(|v| (v.path.as_str(), &v.constraint)).collect();
    assert_eq!(
        found,
        [
            ("name", &Constraint::Length { min: Some(1), max: Some(63) }),
            ("datasetGroupArn", &Constraint::Pattern("^arn:([a-z\\d-]+):personalize:.*:.*:.+$")),
        ]
    );
    let text = err.to_string();
    assert!(text.starts_with("invalid CreateMetricAttributionInput: 2 constraint violations"), "{text}");
    assert!(text.contains("\n  - name: ") && text.contains("\n  - datasetGroupArn: "), "{text}");

    // The fluent builder validates too; so does the IoT client, bound members included.
    let err = personalize(config(&server))
        .create_metric_attribution()
        .name(long_name.as_str())
        .dataset_group_arn("not-an-arn")
        .metrics(Vec::new())
        .metrics_output_config(MetricAttributionOutput::builder().role_arn(ROLE).build().expect("role set"))
        .send()
        .await
        .expect_err("invalid");
    assert!(matches!(&err, SdkError::Validation(v) if v.violations.len() == 2), "{err:?}");
    let err = iot(config(&server)).send(metric_input("m/x y")).await.expect_err("invalid");
    assert!(matches!(&err, SdkError::Validation(v) if v.violations[0].path == "metricName"), "{err:?}");

    // A missing required member of the fluent builder is a construction error.
    let err = iot(config(&server)).create_custom_metric().metric_name("m").send().await.expect_err("incomplete");
    assert!(matches!(&err, SdkError::Construction(_)), "{err:?}");
    assert!(err.to_string().contains("metricType"), "{err}");

    assert!(server.requests().is_empty(), "nothing may be sent: {:?}", server.requests());
}

#[tokio::test]
async fn validation_modes_decide_what_is_sent() {
    let long_name = "a".repeat(64);
    let server = Server::start([amz_json(200, "r1", "{}"), amz_json(200, "r2", "{}")]);
    personalize(config(&server).validation(ValidationMode::Off))
        .send(create_input(&long_name, "not-an-arn"))
        .await
        .expect("sent as is");
    personalize(config(&server).validation(ValidationMode::RequiredOnly))
        .send(create_input(&long_name, "not-an-arn"))
        .await
        .expect("only required members are checked");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.json(), create_body(&long_name, "not-an-arn"));
        assert_signed(request, "personalize");
    }

    // Full validation catches an empty ARN (pattern), and sends nothing.
    let server = Server::start([]);
    let mut input = describe_input();
    input.metric_attribution_arn = String::new();
    let err = personalize(config(&server)).send(input).await.expect_err("empty ARN");
    assert!(matches!(&err, SdkError::Validation(v) if v.violations[0].path == "metricAttributionArn"), "{err:?}");
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// 10. Display of every kind of SdkError
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_sdk_error_kind_says_what_happened() {
    // Service (modeled and unmodeled).
    let server = Server::start([
        amz_json(404, "req-d", r#"{"__type":"com.amazonaws.personalize#ResourceNotFoundException","message":"gone"}"#),
        amz_json(400, "req-u", r#"{"__type":"Weird","message":"odd"}"#),
        amz_json(200, "req-x", "{oops"),
        amz_json(200, "req-s", "{}").delay(Duration::from_secs(5)),
    ]);
    let client = personalize(
        config(&server)
            .retry(RetryConfig::disabled())
            .timeouts(TimeoutConfig::default().with_attempt_timeout(Duration::from_millis(150))),
    );
    let service = client.send(describe_input()).await.expect_err("404");
    assert_eq!(service.to_string(), "service error: ResourceNotFoundException: gone (HTTP 404, request id req-d)");
    assert_eq!(
        std::error::Error::source(&service).map(ToString::to_string).as_deref(),
        Some("ResourceNotFoundException: gone")
    );
    let unhandled = client.send(describe_input()).await.expect_err("400");
    assert_eq!(unhandled.to_string(), "service error: Weird: odd (HTTP 400, request id req-u)");
    assert_eq!(
        unhandled.as_service_error().map(ToString::to_string).as_deref(),
        Some("unmodeled service error Weird: odd (HTTP 400, request id req-u)")
    );

    // Response parse.
    let parse = client.send(describe_input()).await.expect_err("bad JSON");
    let text = parse.to_string();
    assert!(
        text.starts_with("could not parse the response (HTTP 200, request id req-x): invalid JSON body: "),
        "{text}"
    );

    // Timeout.
    let timeout = client.send(describe_input()).await.expect_err("slow");
    assert_eq!(timeout.to_string(), "request timed out after 150ms (attempt timeout)");

    // Validation.
    let validation = client.send(create_input("-bad", DATASET_GROUP)).await.expect_err("invalid");
    let text = validation.to_string();
    assert!(text.starts_with("invalid CreateMetricAttributionInput: 1 constraint violation\n  - name: "), "{text}");

    // Construction: a missing required member, and an empty URI label.
    let construction = client.describe_metric_attribution().send().await.expect_err("incomplete");
    assert_eq!(
        construction.to_string(),
        "could not build the request: cannot build DescribeMetricAttributionInput: required member not set: metricAttributionArn"
    );
    let label = iot(config(&server).validation(ValidationMode::Off)).send(metric_input("")).await.expect_err("empty");
    assert!(matches!(label, SdkError::Construction(_)), "{label:?}");
    assert_eq!(
        label.to_string(),
        "could not build the request: `metricName` is bound to the URI and must not be empty"
    );
    assert_eq!(server.requests().len(), 4, "nothing sent for validation and construction errors");

    // Transport: nothing listens on a port that was just released.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let refused = personalize(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .retry(RetryConfig::disabled()),
    )
    .send(describe_input())
    .await
    .expect_err("refused");
    assert!(matches!(&refused, SdkError::Transport(t) if t.kind() == TransportErrorKind::Connect), "{refused:?}");
    let text = refused.to_string();
    assert!(text.starts_with("could not connect: ") && text.len() > "could not connect: ".len() + 5, "{text}");

    // No kind displays as a bare, uninformative phrase.
    let texts = [
        &service.to_string(),
        &unhandled.to_string(),
        &parse.to_string(),
        &timeout.to_string(),
        &validation.to_string(),
        &construction.to_string(),
        &refused.to_string(),
        &label.to_string(),
    ];
    for text in texts {
        assert!(text.len() > 30 && text != "service error", "{text}");
    }
}
