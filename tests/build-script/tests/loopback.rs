//! The build-script client makes a signed call to a server on 127.0.0.1.

#[path = "../../tests/common/server.rs"]
mod server;

use aws_lite_runtime::client::{sigv4_check, Config, Credentials};
use build_script_example::iot::client::Client;
use build_script_example::iot::types::CustomMetricType;
use server::{Reply, Server};

const SECRET: &str = "SECRET";
const METRIC_ARN: &str = "arn:aws:iot:us-east-1:123456789012:custommetric/battery";

#[tokio::test(flavor = "current_thread")]
async fn generated_client_calls_create_custom_metric_on_loopback() {
    let body = format!(r#"{{"metricName":"battery","metricArn":"{METRIC_ARN}"}}"#);
    let server = Server::start([Reply::with_body(200, "application/json", body)]);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET, None))
        .endpoint_url(server.url())
        .build()
        .expect("valid config");

    let output = Client::new(config)
        .create_custom_metric()
        .metric_name("battery")
        .metric_type(CustomMetricType::Number)
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(output.metric_arn.as_deref(), Some(METRIC_ARN));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/custom-metric/battery"));
    let sent = request.json();
    assert_eq!(sent["metricType"], "number");
    assert!(sent["clientRequestToken"].is_string(), "the idempotency token is filled: {sent}");
    sigv4_check::verify(&request.to_http(), SECRET).expect("the request is signed");
}

#[test]
fn only_the_selected_operation_is_generated() {
    let root = concat!(env!("OUT_DIR"), "/aws-lite/src/iot/operation");
    let mut modules: Vec<String> = std::fs::read_dir(root)
        .expect("generated operation modules")
        .map(|entry| entry.expect("directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    modules.sort();
    assert_eq!(modules, ["create_custom_metric.rs", "mod.rs"]);
}
