//! awsJson1_1 responses: an HTTP response (status, headers, body) answers a call of the
//! generated Personalize client through a transport that answers with it, and the client parses it:
//! the output deserializer on a success status, else the error metadata (`X-Amzn-Errortype`,
//! `__type`, `code`, messages, request id) and the modeled error's body. The result and its
//! messages are rendered, as a caller would print them.
//!
//! Input: see `aws_lite_fuzz::response` (operation byte, status line, headers, blank line,
//! body). Seeds: the awsJson1_1 `httpResponseTests` of the protocol test models.
//! Caps (run.sh): `-rss_limit_mb=512 -malloc_limit_mb=256 -timeout=5 -max_len=16384`.
#![no_main]

use aws_lite::personalize::client::Client;
use aws_lite::personalize::types::{MetricAttribute, MetricAttributionOutput};
use libfuzzer_sys::fuzz_target;

const ARN: &str = "arn:aws:personalize:us-east-1:123456789012:metric-attribution/fuzz";

fn render<T: std::fmt::Debug, E: std::fmt::Debug + std::fmt::Display>(result: Result<T, E>) {
    match result {
        Ok(output) => std::hint::black_box(format!("{output:?}")),
        Err(err) => std::hint::black_box(format!("{err} {err:?}")),
    };
}

/// The client every input is sent with, built once.
fn client() -> &'static Client {
    static CLIENT: std::sync::OnceLock<Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| Client::new(aws_lite_fuzz::config()))
}

fuzz_target!(|data: &[u8]| {
    let Some((selector, response)) = aws_lite_fuzz::response(data) else { return };
    aws_lite_fuzz::respond(response);
    let client = client();
    let runtime = aws_lite_fuzz::runtime();
    if selector % 2 == 0 {
        render(runtime.block_on(client.describe_metric_attribution().metric_attribution_arn(ARN).send()));
    } else {
        let call = client
            .create_metric_attribution()
            .name("fuzz")
            .dataset_group_arn(ARN)
            .metrics(vec![MetricAttribute::default()])
            .metrics_output_config(MetricAttributionOutput::default());
        render(runtime.block_on(call.send()));
    }
});
