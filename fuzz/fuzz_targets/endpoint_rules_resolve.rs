//! The endpoint rules engine on real rule sets: `RuleSet::resolve` with arbitrary parameters
//! (any names, any strings, booleans and string arrays) on the rule sets listed in
//! `rule_sets.txt` (the rules-engine suites and some of the largest AWS rule sets), loaded once
//! from ../shared.
//!
//! Input: byte 0 picks the rule set (index modulo the list's length); the rest is a JSON object
//! of parameters, as the `params` of an endpoint test case. Seeds: the `endpointTests` cases of
//! those rule sets. Caps (run.sh): `-rss_limit_mb=512 -malloc_limit_mb=256 -timeout=5
//! -max_len=4096`.
#![no_main]

use aws_lite_endpoint_rules::Params;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    let Ok(params) = Params::from_json(&json) else { return };
    let sets = aws_lite_fuzz::rule_sets();
    let (_, rule_set) = &sets[usize::from(selector) % sets.len()];
    match rule_set.resolve(&params) {
        Ok(endpoint) => std::hint::black_box(format!("{endpoint:?}")),
        Err(err) => std::hint::black_box(err.to_string()),
    };
});
