//! The endpoint rules engine on any rule set: parse and type-check arbitrary JSON with
//! `RuleSet::from_json`; when it is accepted, resolve it with the parameters of the input.
//!
//! Input: a JSON object `{"ruleSet": <endpointRuleSet>, "params": {...}}`, or a bare rule set
//! (resolved with no parameters). Seeds: the rules-engine suites' rule sets and a few models'
//! rule sets, each with the parameters of its first test case. Caps (run.sh):
//! `-rss_limit_mb=512 -malloc_limit_mb=256 -timeout=5 -max_len=8192`.
#![no_main]

use aws_lite_endpoint_rules::{Params, RuleSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let (rules, params) = match json.get("ruleSet") {
        Some(rules) => (rules, json.get("params").map(Params::from_json)),
        None => (&json, None),
    };
    match RuleSet::from_json(rules) {
        Ok(rule_set) => {
            let params = match params {
                Some(Ok(params)) => params,
                Some(Err(_)) => return,
                None => Params::new(),
            };
            match rule_set.resolve(&params) {
                Ok(endpoint) => std::hint::black_box(format!("{endpoint:?}")),
                Err(err) => std::hint::black_box(err.to_string()),
            };
        }
        Err(err) => {
            std::hint::black_box(err.to_string());
        }
    }
});
