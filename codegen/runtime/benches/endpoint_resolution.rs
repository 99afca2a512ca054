//! What endpoint rule sets cost a call: `cargo bench -p aws-lite-runtime --bench endpoint_resolution`.
//!
//! Times, with IoT's rule set from `model/iot.json`:
//! - a cached resolution (the same configuration and operation parameters as an earlier call),
//!   alone and with one operation parameter;
//! - an uncached resolution (a new parameter value each call: evaluation of the rule set and
//!   a cache insertion);
//! - a whole unsigned `send` through an in-memory transport, with the rule set and with the
//!   hostname pattern services without a rule set use: the difference is what resolution adds
//!   to a call.
//!
//! Each figure is the median of 15 samples of a batch sized to take about 20 ms. No criterion:
//! the runtime keeps its dev-dependencies small.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_lite_runtime::client::{
    send, Config, EndpointParamValue, EndpointRules, InMemoryTransport, RequestParts, ServiceSpec,
};
use aws_lite_runtime::error::Unhandled;
use bytes::Bytes;

/// The `smithy.rules#endpointRuleSet` of `model/iot.json`, minified as generated code embeds it.
fn iot_rules() -> &'static str {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../model/iot.json");
    let text = std::fs::read_to_string(path).expect("read model/iot.json");
    let model: serde_json::Value = serde_json::from_str(&text).expect("model/iot.json is JSON");
    let rules = model["shapes"]["com.amazonaws.iot#AWSIotService"]["traits"]["smithy.rules#endpointRuleSet"].clone();
    assert!(rules.is_object(), "model/iot.json has no endpoint rule set");
    Box::leak(rules.to_string().into_boxed_str())
}

/// ns per call of `f`: the median of 15 samples of a batch sized to take about 20 ms.
fn time(name: &str, mut f: impl FnMut(u64)) -> f64 {
    let mut batch = 1u64;
    loop {
        let started = Instant::now();
        (0..batch).for_each(&mut f);
        if started.elapsed() > Duration::from_millis(20) {
            break;
        }
        batch *= 2;
    }
    let mut samples: Vec<f64> = (0..15)
        .map(|_| {
            let started = Instant::now();
            (0..batch).for_each(&mut f);
            started.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "{name:<58} {median:>9.1} ns per call  (p10-p90 {:.1}-{:.1}, {batch} calls per batch)",
        samples[1], samples[13]
    );
    median
}

fn main() {
    let rules: &'static EndpointRules = Box::leak(Box::new(EndpointRules::new(iot_rules())));
    let ruled: &'static ServiceSpec = Box::leak(Box::new(ServiceSpec {
        sdk_id: "IoT",
        endpoint_prefix: "iot",
        signing_name: "iot",
        api_version: "2015-05-28",
        endpoint_rules: Some(rules),
    }));
    let unruled: &'static ServiceSpec = Box::leak(Box::new(ServiceSpec { endpoint_rules: None, ..*ruled }));
    let transport = InMemoryTransport::new(|_| {
        Ok(http::Response::builder().status(200).body(Bytes::from_static(b"{}")).expect("a response"))
    });
    let config = Config::builder().region("us-east-1").transport(transport).build().expect("valid config");
    let url = rules.endpoint_url(ruled, &config, &[]).expect("resolves");
    assert_eq!(url.to_string(), "https://iot.us-east-1.amazonaws.com/");

    println!("endpoint resolution, IoT rule set (cargo bench -p aws-lite-runtime --bench endpoint_resolution)");
    time("cached resolution", |_| {
        black_box(rules.endpoint_url(ruled, black_box(&config), &[]).expect("resolves"));
    });
    let params = [("Thing", EndpointParamValue::from("blue"))];
    time("cached resolution, one operation parameter", |_| {
        black_box(rules.endpoint_url(ruled, black_box(&config), &params).expect("resolves"));
    });
    time("uncached resolution (a new parameter value each call)", |i| {
        let params = [("Thing", EndpointParamValue::String(i.to_string()))];
        black_box(rules.endpoint_url(ruled, black_box(&config), &params).expect("resolves"));
    });

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let parts = || RequestParts {
        method: http::Method::POST,
        path_and_query: "/custom-metric/m".to_owned(),
        body: Bytes::from_static(b"{\"metricType\":\"number\"}"),
        ..RequestParts::default()
    };
    let call = |spec: &'static ServiceSpec| {
        runtime.block_on(send::<Unhandled>(&config, spec, "CreateCustomMetric", parts())).expect("sent");
    };
    let with_rules = time("unsigned send, endpoint from the rule set (cached)", |_| call(ruled));
    let without = time("unsigned send, endpoint from the hostname pattern", |_| call(unruled));
    println!("{:<58} {:>9.1} ns per call", "what the rule set adds to a send", with_rules - without);
}
