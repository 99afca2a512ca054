//! The Smithy rules-engine test models in `../shared/endpoint-tests/rules-engine/` (beside the
//! repository): every rule set checks, and every case resolves from its `params` as expected.
//! (`cargo xtask endpoint-tests` runs these and the AWS models' cases, with operation inputs.)

use aws_lite_endpoint_rules::{EndpointError, Params, RuleSet};
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn rules_engine_models() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/endpoint-tests/rules-engine");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipping: {} not found", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    let (mut models, mut cases, mut failures) = (0, 0, Vec::new());
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
        let model: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let traits = model["shapes"]
            .as_object()
            .unwrap()
            .values()
            .find_map(|shape| shape["traits"].get("smithy.rules#endpointRuleSet").map(|_| &shape["traits"]))
            .unwrap_or_else(|| panic!("{}: no rule set", file.display()));
        let rule_set = RuleSet::from_json(&traits["smithy.rules#endpointRuleSet"])
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        models += 1;
        for case in traits["smithy.rules#endpointTests"]["testCases"].as_array().into_iter().flatten() {
            cases += 1;
            let params = Params::from_json(case.get("params").unwrap_or(&Value::Object(Default::default()))).unwrap();
            let got = rule_set.resolve(&params);
            let expect = &case["expect"];
            let ok = match (&got, expect.get("error").and_then(Value::as_str)) {
                (Err(EndpointError::Rule(message)), Some(expected)) => message == expected,
                (Ok(endpoint), None) => {
                    endpoint.url == expect["endpoint"]["url"]
                        && Value::Object(endpoint.properties.clone())
                            == expect["endpoint"]
                                .get("properties")
                                .cloned()
                                .unwrap_or(Value::Object(Default::default()))
                        && serde_json::to_value(&endpoint.headers).unwrap()
                            == expect["endpoint"].get("headers").cloned().unwrap_or(Value::Object(Default::default()))
                }
                _ => false,
            };
            if !ok {
                failures.push(format!("{}: {}: got {got:?}, expected {expect}", file.display(), case["documentation"]));
            }
        }
    }
    assert_eq!(models, 23);
    assert_eq!(cases, 143);
    assert!(failures.is_empty(), "{failures:#?}");
}
