//! No input makes the engine panic: every node of a rule set replaced by every kind of wrong
//! value is either rejected with diagnostics or checks and resolves (to an endpoint or an error),
//! and what the checker accepts never fails evaluation on a value of the wrong type.

use aws_lite_endpoint_rules::{EndpointError, Params, RuleSet};
use serde_json::{json, Value};

fn sample() -> Value {
    json!({
        "version": "1.1",
        "parameters": {
            "Region": {"type": "string", "builtIn": "AWS::Region", "documentation": "d"},
            "Fips": {"type": "boolean", "required": true, "default": false},
            "Bucket": {"type": "string"},
            "Keys": {"type": "stringArray", "required": true, "default": ["k"]}
        },
        "rules": [
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                    {"fn": "aws.parseArn", "argv": ["{Bucket}"], "assign": "arn"},
                    {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "id"}
                ],
                "endpoint": {
                    "url": "https://{id}.{arn#region}.example.com",
                    "headers": {"x-id": ["{id}", {"fn": "uriEncode", "argv": ["{arn#service}"]}]},
                    "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{arn#region}", "n": 1}]}
                },
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Region"}]},
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"},
                    {"fn": "ite", "argv": [{"ref": "Fips"}, "-fips", ""], "assign": "suffix"},
                    {"fn": "split", "argv": ["{Region}", "-", 2], "assign": "parts"},
                    {"fn": "coalesce", "argv": [{"fn": "getAttr", "argv": [{"ref": "parts"}, "[0]"]}, "none"], "assign": "first"}
                ],
                "rules": [
                    {
                        "conditions": [
                            {"fn": "substring", "argv": ["{Region}", 0, 2, false], "assign": "prefix"},
                            {"fn": "parseURL", "argv": ["https://{prefix}.com"], "assign": "url"},
                            {"fn": "isValidHostLabel", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "authority"]}, true]},
                            {"fn": "not", "argv": [{"fn": "aws.isVirtualHostableS3Bucket", "argv": ["{first}", false]}]}
                        ],
                        "endpoint": {"url": "{url#scheme}://svc{suffix}.{Region}.{p#dnsSuffix}{url#normalizedPath}"},
                        "type": "endpoint"
                    },
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Fips"}, true]}], "error": "no FIPS in {p#name}", "type": "error"}
                ],
                "type": "tree"
            },
            {"conditions": [], "error": "Region must be set", "type": "error"}
        ]
    })
}

/// Every path (as JSON pointer segments) in `value`.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    let children: Vec<(String, &Value)> = match value {
        Value::Object(object) => object.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        prefix.push(key);
        paths(child, prefix, out);
        prefix.pop();
    }
}

fn node<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(value, |v, key| match v {
        Value::Object(object) => object.get_mut(key).unwrap(),
        Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
        _ => unreachable!(),
    })
}

#[test]
fn mutated_rule_sets_never_panic() {
    let original = sample();
    let rule_set = RuleSet::from_json(&original).unwrap_or_else(|e| panic!("{e}"));
    let inputs = [
        Params::new(),
        Params::new().with("Region", "us-east-1"),
        Params::new().with("Region", "eu-west-1").with("Fips", true),
        Params::new().with("Region", "").with("Bucket", "arn:aws:s3:r:1:a/b"),
        Params::new().with("Region", "\u{1f31f}").with("Bucket", "arn:aws:s3:r:1:a"),
        Params::new().with("Region", "a-b-c").with("Fips", "x").with("Keys", Vec::<String>::new()),
    ];
    for params in &inputs {
        let _ = rule_set.resolve(params);
    }
    let mut all = Vec::new();
    paths(&original, &mut Vec::new(), &mut all);
    let replacements = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("{"),
        json!("{x}"),
        json!("{Region#a[-1]}"),
        json!([]),
        json!({}),
        json!({"ref": "Region"}),
        json!({"fn": "getAttr", "argv": [{"ref": "Keys"}, "[9]"]}),
    ];
    let (mut rejected, mut accepted) = (0, 0);
    for path in &all {
        for replacement in &replacements {
            let mut mutated = original.clone();
            *node(&mut mutated, path) = replacement.clone();
            match RuleSet::from_json(&mutated) {
                Ok(rule_set) => {
                    accepted += 1;
                    for params in &inputs {
                        // A checked rule set never meets a value of the wrong type.
                        if let Err(EndpointError::Evaluation(e)) = rule_set.resolve(params) {
                            panic!("{path:?} replaced by {replacement}: {e}");
                        }
                    }
                }
                Err(error) => {
                    rejected += 1;
                    assert!(!error.diagnostics.is_empty());
                }
            }
        }
    }
    assert!(rejected > 0 && accepted > 0, "{rejected} rejected, {accepted} accepted");
}
