//! Endpoints of the generated IoT and Personalize clients come from their models' rule sets:
//! every `smithy.rules#endpointTests` case of `model/*.json` that a configuration can express is
//! sent through the generated client (region, FIPS, dual-stack, endpoint URL) and lands where
//! the case expects, or fails with its error; and requests resolved to the real AWS host names
//! are sent to a server on 127.0.0.1 with that `Host` and a signature scoped to the region.

#[path = "common/server.rs"]
mod server;

use std::sync::Arc;

use aws_lite::client::{
    sigv4_check, Config, ConfigBuilder, Credentials, HyperTransport, InMemoryTransport, SdkError, TimeoutConfig,
    Transport, TransportFuture,
};
use aws_lite::iot::types::CustomMetricType;
use bytes::Bytes;
use http::{Request, Response};
use serde_json::Value;
use server::{Reply, Server};

const SECRET: &str = "SECRET";

fn config(region: &str) -> ConfigBuilder {
    Config::builder().region(region).credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
}

/// Sends a `CreateCustomMetric` (IoT) or `DescribeMetricAttribution` (Personalize) call through
/// `config` to a transport that answers every request with `{}`; returns the request sent or
/// the call's error.
async fn sent(service: &str, config: ConfigBuilder) -> Result<Request<Bytes>, String> {
    let transport = InMemoryTransport::new(|_| {
        let response = Response::builder().status(200).header("content-type", "application/json");
        Ok(response.body(Bytes::from_static(b"{}")).expect("a response"))
    });
    let config = config.transport(transport.clone()).build().map_err(|err| err.to_string())?;
    let outcome = match service {
        "iot" => {
            let client = aws_lite::iot::client::Client::new(config);
            let call = client.create_custom_metric().metric_name("m").metric_type(CustomMetricType::Number);
            call.send().await.map(drop).map_err(|err| describe(&err))
        }
        _ => {
            let client = aws_lite::personalize::client::Client::new(config);
            let call = client.describe_metric_attribution().metric_attribution_arn("arn:aws:personalize:::x/y");
            call.send().await.map(drop).map_err(|err| describe(&err))
        }
    };
    match outcome {
        // Parsing `{}` may fail; what matters is what was sent.
        Ok(()) | Err(_) if !transport.requests().is_empty() => Ok(transport.requests().remove(0)),
        Ok(()) => Err("nothing was sent".to_owned()),
        Err(err) => Err(err),
    }
}

fn describe<E: std::error::Error>(err: &SdkError<E>) -> String {
    match err {
        SdkError::Construction(construction) => format!("construction error: {}", construction.message()),
        other => format!("other error: {other}"),
    }
}

/// The `smithy.rules#endpointTests` cases of `model/<name>.json`.
fn endpoint_tests(name: &str) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../model/{name}.json"));
    let model: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read model")).expect("JSON model");
    let shapes = model["shapes"].as_object().expect("shapes");
    let service = shapes.values().find(|shape| shape["type"] == "service").expect("a service");
    service["traits"]["smithy.rules#endpointTests"]["testCases"].as_array().expect("endpoint tests").clone()
}

#[tokio::test]
async fn every_endpoint_test_of_the_models_resolves_through_the_generated_clients() {
    let mut checked = 0;
    for service in ["iot", "personalize"] {
        for case in endpoint_tests(service) {
            let documentation = case["documentation"].as_str().unwrap_or_default();
            let params = &case["params"];
            // A configuration always has a region; cases without one test the rule set alone.
            let Some(region) = params["Region"].as_str() else { continue };
            let mut builder = config(region)
                .use_fips(params["UseFIPS"].as_bool().unwrap_or(false))
                .use_dual_stack(params["UseDualStack"].as_bool().unwrap_or(false));
            if let Some(url) = params["Endpoint"].as_str() {
                builder = builder.endpoint_url(url);
            }
            let outcome = sent(service, builder).await;
            let expect = &case["expect"];
            match (expect["endpoint"]["url"].as_str(), expect["error"].as_str()) {
                (Some(url), _) => {
                    let request = outcome.unwrap_or_else(|err| panic!("{service}: {documentation}: {err}"));
                    let uri = request.uri().to_string();
                    assert!(
                        uri.starts_with(&format!("{url}/")),
                        "{service}: {documentation}: sent to {uri}, expected {url}"
                    );
                    let scope = format!("/{region}/{service}/aws4_request");
                    let authorization = request.headers()["authorization"].to_str().expect("ASCII");
                    assert!(authorization.contains(&scope), "{service}: {documentation}: {authorization}");
                    sigv4_check::verify(&request, SECRET).unwrap_or_else(|err| panic!("{documentation}: {err}"));
                }
                (None, Some(message)) => {
                    let err = outcome.expect_err(documentation);
                    assert!(err.starts_with("construction error: "), "{service}: {documentation}: {err}");
                    assert!(err.contains(message), "{service}: {documentation}: `{err}` lacks `{message}`");
                }
                (None, None) => panic!("{service}: {documentation}: the case expects neither an endpoint nor an error"),
            }
            checked += 1;
        }
    }
    // 48 IoT and 34 Personalize cases name a region.
    assert!(checked >= 80, "only {checked} cases checked");
}

#[tokio::test]
async fn regions_fips_dual_stack_and_overrides() {
    let url = |request: Request<Bytes>| request.uri().to_string();
    let cases = [
        (config("us-east-1"), "https://iot.us-east-1.amazonaws.com/custom-metric/m"),
        (config("cn-north-1"), "https://iot.cn-north-1.amazonaws.com.cn/custom-metric/m"),
        (config("us-east-1").use_fips(true), "https://iot-fips.us-east-1.amazonaws.com/custom-metric/m"),
        (config("us-east-1").use_dual_stack(true), "https://iot.us-east-1.api.aws/custom-metric/m"),
        (
            config("cn-north-1").use_fips(true).use_dual_stack(true),
            "https://iot-fips.cn-north-1.api.amazonwebservices.com.cn/custom-metric/m",
        ),
        (config("us-east-1").endpoint_url("http://127.0.0.1:9000/base"), "http://127.0.0.1:9000/base/custom-metric/m"),
    ];
    for (builder, expected) in cases {
        assert_eq!(url(sent("iot", builder).await.expect(expected)), expected);
    }
    let request = sent("personalize", config("eu-west-1")).await.expect("personalize");
    assert_eq!(url(request), "https://personalize.eu-west-1.amazonaws.com/");
}

#[tokio::test]
async fn error_rules_are_construction_errors_with_the_message_and_the_parameters() {
    let err =
        sent("iot", config("us-iso-east-1").use_fips(true).use_dual_stack(true)).await.expect_err("no dual-stack");
    assert_eq!(
        err,
        "construction error: cannot resolve an endpoint for IoT (Region = `us-iso-east-1`, UseDualStack = true, \
         UseFIPS = true): FIPS and DualStack are enabled, but this partition does not support one or both"
    );
    let err = sent("personalize", config("us-east-1").use_fips(true).endpoint_url("https://example.com")).await;
    let err = err.expect_err("FIPS with a custom endpoint");
    assert!(err.contains("Endpoint = `https://example.com/`"), "{err}");
    assert!(err.ends_with("Invalid Configuration: FIPS and custom endpoint are not supported"), "{err}");
}

/// Sends to the server on 127.0.0.1 whatever host the request is for, with that host in the
/// `Host` header (as signed), the way a proxy or a DNS override would.
#[derive(Debug)]
struct Loopback {
    port: u16,
    inner: Arc<HyperTransport>,
}

impl Transport for Loopback {
    fn send(&self, mut request: Request<Bytes>) -> TransportFuture<'_> {
        let host = request.uri().authority().map(|authority| authority.to_string()).unwrap_or_default();
        let path = request.uri().path_and_query().map_or("/", |path| path.as_str()).to_owned();
        request.headers_mut().insert(http::header::HOST, host.parse().expect("a host header value"));
        *request.uri_mut() = format!("http://127.0.0.1:{}{path}", self.port).parse().expect("a loopback URI");
        self.inner.send(request)
    }
}

#[tokio::test]
async fn requests_for_resolved_hosts_carry_that_host_and_its_signing_scope() {
    let server = Server::start([
        Reply::with_body(200, "application/json", r#"{"metricName":"m"}"#),
        Reply::with_body(200, "application/x-amz-json-1.1", "{}"),
        Reply::with_body(200, "application/json", r#"{"metricName":"m"}"#),
    ]);
    let transport =
        || Loopback { port: server.port(), inner: Arc::new(HyperTransport::new(&TimeoutConfig::default())) };
    let iot = |builder: ConfigBuilder| {
        aws_lite::iot::client::Client::new(builder.transport(transport()).build().expect("valid config"))
    };
    let call = iot(config("eu-central-1")).create_custom_metric().metric_name("m");
    call.metric_type(CustomMetricType::Number).send().await.expect("IoT answered");
    let personalize = aws_lite::personalize::client::Client::new(
        config("ap-south-1").transport(transport()).build().expect("valid config"),
    );
    let call = personalize.describe_metric_attribution().metric_attribution_arn("arn:aws:personalize:::x/y");
    let _ = call.send().await;
    let call = iot(config("us-gov-west-1").use_fips(true)).create_custom_metric().metric_name("m");
    call.metric_type(CustomMetricType::Number).send().await.expect("IoT FIPS answered");

    let requests = server.requests();
    let expected = [
        ("iot.eu-central-1.amazonaws.com", "eu-central-1/iot"),
        ("personalize.ap-south-1.amazonaws.com", "ap-south-1/personalize"),
        ("iot-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1/iot"),
    ];
    assert_eq!(requests.len(), expected.len());
    for (request, (host, scope)) in requests.iter().zip(expected) {
        assert_eq!(request.header("host"), Some(host));
        let authorization = request.header("authorization").expect("signed");
        assert!(authorization.contains(&format!("/{scope}/aws4_request,")), "{authorization}");
        sigv4_check::verify(&request.to_http(), SECRET).unwrap_or_else(|err| panic!("{host}: {err}"));
    }
}
