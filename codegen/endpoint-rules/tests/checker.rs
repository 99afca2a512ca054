//! The checker's diagnostics: what is rejected, and where it is reported.

use aws_lite_endpoint_rules::RuleSet;
use serde_json::{json, Value};

/// The diagnostics of a rule set with the given parameters and rules, as `path: message`.
fn diagnostics(version: &str, parameters: Value, rules: Value) -> Vec<String> {
    let rule_set = json!({"version": version, "parameters": parameters, "rules": rules});
    match RuleSet::from_json(&rule_set) {
        Ok(_) => Vec::new(),
        Err(error) => error.diagnostics.iter().map(ToString::to_string).collect(),
    }
}

fn params() -> Value {
    json!({
        "Region": {"type": "String", "builtIn": "AWS::Region"},
        "UseFIPS": {"type": "Boolean", "required": true, "default": false},
        "Bucket": {"type": "string", "required": true},
        "List": {"type": "stringArray", "required": true, "default": ["a"]}
    })
}

fn endpoint(url: &str) -> Value {
    json!({"conditions": [], "endpoint": {"url": url}, "type": "endpoint"})
}

/// Exactly one diagnostic, at `path`, whose message contains each of `parts`.
#[track_caller]
fn assert_one(found: &[String], path: &str, parts: &[&str]) {
    assert_eq!(found.len(), 1, "{found:#?}");
    let (at, message) = found[0].split_once(": ").unwrap();
    assert_eq!(at, path, "{found:#?}");
    for part in parts {
        assert!(message.contains(part), "`{message}` lacks `{part}`");
    }
}

#[test]
fn a_valid_rule_set_has_no_diagnostics() {
    let rules = json!([
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}
            ],
            "rules": [
                {
                    "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, {"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}]}],
                    "endpoint": {
                        "url": "https://{Bucket}.{Region}.{p#dnsSuffix}",
                        "headers": {"x-region": ["{Region}", {"ref": "Bucket"}]},
                        "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{p#implicitGlobalRegion}", "n": 1, "b": true}]}
                    },
                    "type": "endpoint"
                },
                {"conditions": [], "error": "no FIPS in {p#name}", "type": "error"}
            ],
            "type": "tree"
        },
        {"conditions": [], "error": "Region must be set", "type": "error"}
    ]);
    assert_eq!(diagnostics("1.0", params(), rules), Vec::<String>::new());
}

#[test]
fn unknown_function() {
    let rules = json!([{"conditions": [{"fn": "aws.nope", "argv": [{"ref": "Bucket"}]}], "endpoint": {"url": "https://x"}, "type": "endpoint"}]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[0].conditions[0]", &["unknown function `aws.nope`"]);
    // Also inside arguments.
    let rules = json!([{"conditions": [{"fn": "not", "argv": [{"fn": "isEmpty", "argv": []}]}], "endpoint": {"url": "https://x"}, "type": "endpoint"}]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[0].conditions[0].argv[0]", &["unknown function `isEmpty`"]);
}

#[test]
fn undefined_references() {
    let rules = json!([{"conditions": [{"fn": "isSet", "argv": [{"ref": "Missing"}]}], "endpoint": {"url": "https://x"}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].conditions[0].argv[0]",
        &["`Missing`", "not a parameter"],
    );
    assert_one(
        &diagnostics("1.0", params(), json!([endpoint("https://{Nope}.com")])),
        "rules[0].endpoint.url",
        &["`Nope`"],
    );
    assert_one(
        &diagnostics("1.0", params(), json!([endpoint("https://{nope#a}.com")])),
        "rules[0].endpoint.url",
        &["`nope`"],
    );
}

#[test]
fn assigned_variables_are_scoped_to_their_rule() {
    // Visible in later conditions, the rule's own body and the children of a tree.
    let rules = json!([
        {
            "conditions": [
                {"fn": "parseURL", "argv": ["{Bucket}"], "assign": "url"},
                {"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "scheme"]}, "https"]}
            ],
            "rules": [endpoint("https://{url#authority}")],
            "type": "tree"
        },
        endpoint("https://fallback")
    ]);
    assert_eq!(diagnostics("1.0", params(), rules), Vec::<String>::new());

    // Not in a later sibling rule.
    let rules = json!([
        {"conditions": [{"fn": "parseURL", "argv": ["{Bucket}"], "assign": "url"}], "endpoint": {"url": "https://a"}, "type": "endpoint"},
        endpoint("https://{url#authority}")
    ]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[1].endpoint.url",
        &["`url`", "not a parameter or a variable in scope"],
    );

    // Not in an earlier condition of the same rule.
    let rules = json!([{
        "conditions": [
            {"fn": "stringEquals", "argv": ["{url#scheme}", "https"]},
            {"fn": "parseURL", "argv": ["{Bucket}"], "assign": "url"}
        ],
        "endpoint": {"url": "https://a"},
        "type": "endpoint"
    }]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[0].conditions[0].argv[0]", &["`url`"]);

    // Not after the tree that assigned it.
    let rules = json!([
        {
            "conditions": [{"fn": "parseURL", "argv": ["{Bucket}"], "assign": "url"}],
            "rules": [{"conditions": [], "rules": [endpoint("https://{url#authority}")], "type": "tree"}],
            "type": "tree"
        },
        {"conditions": [], "error": "bad {url#path}", "type": "error"}
    ]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[1].error", &["`url`"]);
}

#[test]
fn assignments_must_not_shadow() {
    let rules = json!([{
        "conditions": [{"fn": "aws.partition", "argv": ["{Bucket}"], "assign": "Region"}],
        "endpoint": {"url": "https://a"},
        "type": "endpoint"
    }]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[0].conditions[0].assign", &["`Region`", "shadow"]);
}

#[test]
fn optional_values_must_be_proven_set() {
    let rules = json!([{
        "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "local"]}],
        "endpoint": {"url": "https://a"},
        "type": "endpoint"
    }]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].conditions[0].argv[0]",
        &["argument 1 of `stringEquals` must be string, found option<string>", "isSet(Region)"],
    );
    assert_one(
        &diagnostics("1.0", params(), json!([endpoint("https://{Region}.com")])),
        "rules[0].endpoint.url",
        &["template part `{Region}` must be string, found option<string>"],
    );
    // `isSet` in an earlier condition proves it, for the rest of the rule only.
    let rules = json!([
        {
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
            "rules": [endpoint("https://{Region}.com")],
            "type": "tree"
        },
        endpoint("https://{Region}.org")
    ]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[1].endpoint.url", &["option<string>"]);
    // So does assigning an optional result.
    let rules = json!([{
        "conditions": [{"fn": "substring", "argv": ["{Bucket}", 0, 4, false], "assign": "prefix"}],
        "endpoint": {"url": "https://{prefix}.com"},
        "type": "endpoint"
    }]);
    assert_eq!(diagnostics("1.0", params(), rules), Vec::<String>::new());
    // An unassigned optional result cannot be templated.
    let rules = json!([{
        "conditions": [],
        "endpoint": {"url": {"fn": "substring", "argv": ["{Bucket}", 0, 4, false]}},
        "type": "endpoint"
    }]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].endpoint.url",
        &["the URL must be string, found option<string>"],
    );
}

#[test]
fn argument_counts_and_types() {
    let rules = json!([{"conditions": [{"fn": "not", "argv": [true, false]}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[0].conditions[0]", &["`not` takes 1 argument(s), found 2"]);

    let rules = json!([{"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Bucket"}, true]}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].conditions[0].argv[0]",
        &["argument 1 of `booleanEquals` must be bool, found string"],
    );

    let rules = json!([{"conditions": [{"fn": "substring", "argv": ["{Bucket}", "0", 4, false], "assign": "s"}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].conditions[0].argv[1]",
        &["argument 2 of `substring` must be int, found string"],
    );

    let rules = json!([{"conditions": [{"fn": "getAttr", "argv": [{"ref": "Bucket"}]}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[0].conditions[0].argv", &["`getAttr` takes 2 arguments"]);

    let rules = json!([{"conditions": [{"fn": "getAttr", "argv": [{"ref": "List"}, "{Bucket}"]}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(&diagnostics("1.0", params(), rules), "rules[0].conditions[0].argv[1]", &["must be a literal string"]);

    let rules = json!([{"conditions": [{"fn": "ite", "argv": [{"ref": "Region"}, "a", "b"], "assign": "x"}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.1", params(), rules),
        "rules[0].conditions[0].argv[0]",
        &["the condition of `ite` must be bool"],
    );

    let rules = json!([{"conditions": [{"fn": "coalesce", "argv": [{"ref": "Region"}, true], "assign": "x"}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.1", params(), rules),
        "rules[0].conditions[0].argv[1]",
        &["must share one type: string and bool"],
    );

    let rules = json!([{"conditions": [], "endpoint": {"url": "https://a", "headers": {"x-a": ["ok", true]}}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].endpoint.headers.x-a[1]",
        &["a header value must be string, found bool"],
    );

    let rules = json!([{"conditions": [{"fn": "split", "argv": ["{Bucket}", "", -1], "assign": "x"}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    let found = diagnostics("1.1", params(), rules);
    assert_eq!(
        found,
        [
            "rules[0].conditions[0].argv[1]: the delimiter of `split` must not be empty",
            "rules[0].conditions[0].argv[2]: the limit of `split` must not be negative"
        ]
    );

    let rules = json!([{"conditions": [], "endpoint": {"url": {"a": "b"}}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].endpoint.url",
        &["the URL must be string, found record{a}"],
    );

    let rules = json!([{"conditions": [], "error": {"ref": "UseFIPS"}, "type": "error"}]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].error",
        &["the error message must be string, found bool"],
    );
}

#[test]
fn get_attr_paths_are_typed() {
    let with_partition = |url: &str| {
        json!([{
            "conditions": [{"fn": "aws.partition", "argv": ["{Bucket}"], "assign": "p"}],
            "endpoint": {"url": url},
            "type": "endpoint"
        }])
    };
    assert_one(
        &diagnostics("1.0", params(), with_partition("https://{p#dnsSufix}")),
        "rules[0].endpoint.url",
        &["no field `dnsSufix`", "dnsSuffix"],
    );
    assert_one(
        &diagnostics("1.0", params(), with_partition("https://{p#name.first}")),
        "rules[0].endpoint.url",
        &["cannot read field `first` of a string"],
    );
    let rules = json!([{"conditions": [{"fn": "getAttr", "argv": [{"ref": "List"}, "a"]}], "endpoint": {"url": "https://a"}, "type": "endpoint"}]);
    assert_one(
        &diagnostics("1.0", params(), rules),
        "rules[0].conditions[0].argv[1]",
        &["`getAttr` path `a`: cannot read field `a` of an array<string>"],
    );
    assert_one(
        &diagnostics("1.0", params(), with_partition("https://{p#supportsFIPS}")),
        "rules[0].endpoint.url",
        &["template part `{p#supportsFIPS}` must be string, found bool"],
    );
    // An index gives an optional, which must be assigned before use.
    assert_one(
        &diagnostics("1.0", params(), json!([endpoint("https://{List#[0]}")])),
        "rules[0].endpoint.url",
        &["found option<string>"],
    );
    let rules = json!([{
        "conditions": [{"fn": "getAttr", "argv": [{"ref": "List"}, "[0]"], "assign": "first"}],
        "endpoint": {"url": "https://{first}"},
        "type": "endpoint"
    }]);
    assert_eq!(diagnostics("1.0", params(), rules), Vec::<String>::new());
}

#[test]
fn functions_newer_than_the_rule_set_version() {
    let rules = json!([{
        "conditions": [{"fn": "split", "argv": ["{Bucket}", "-", 0], "assign": "parts"}],
        "endpoint": {"url": "https://a"},
        "type": "endpoint"
    }]);
    assert_one(
        &diagnostics("1.0", params(), rules.clone()),
        "rules[0].conditions[0]",
        &["`split` needs rules-engine version 1.1"],
    );
    assert_eq!(diagnostics("1.1", params(), rules), Vec::<String>::new());
}

#[test]
fn structural_problems() {
    assert_one(
        &diagnostics("1.0", json!({"P": {"type": "number"}}), json!([endpoint("https://a")])),
        "parameters.P.type",
        &["unknown parameter type `number`"],
    );
    assert_one(
        &diagnostics(
            "1.0",
            json!({"P": {"type": "boolean", "required": true, "default": "yes"}}),
            json!([endpoint("https://a")]),
        ),
        "parameters.P.default",
        &["the default must be a boolean"],
    );
    assert_one(&diagnostics("1.0", params(), json!([])), "rules", &["at least one rule"]);
    assert_one(
        &diagnostics("1.0", params(), json!([{"conditions": [], "type": "redirect"}])),
        "rules[0].type",
        &["unknown rule type `redirect`"],
    );
    assert_one(
        &diagnostics(
            "1.0",
            params(),
            json!([{"conditions": [], "rules": [{"conditions": [], "endpoint": {}, "type": "endpoint"}], "type": "tree"}]),
        ),
        "rules[0].rules[0].endpoint",
        &["needs a `url`"],
    );
    assert_one(&diagnostics("one", params(), json!([endpoint("https://a")])), "version", &["not a version"]);
    let error = RuleSet::from_json(&json!({"rules": []})).unwrap_err();
    assert!(error.to_string().contains("missing `version`"), "{error}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let rules = json!([
        {"conditions": [{"fn": "nope", "argv": []}], "endpoint": {"url": "https://{A}"}, "type": "endpoint"},
        {
            "conditions": [],
            "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}, {"fn": "not", "argv": [{"ref": "B"}]}], "error": "x", "type": "error"}
            ],
            "type": "tree"
        }
    ]);
    let found = diagnostics("1.0", params(), rules);
    let paths: Vec<&str> = found.iter().map(|d| d.split_once(": ").unwrap().0).collect();
    assert_eq!(
        paths,
        ["rules[0].conditions[0]", "rules[0].endpoint.url", "rules[1].rules[0].conditions[1].argv[0]"],
        "{found:#?}"
    );
}
