//! Evaluation: parameters and defaults, rule order, conditions and assignments, endpoint
//! headers and properties, errors, and the functions as rule sets use them.

use aws_lite_endpoint_rules::{Endpoint, EndpointError, ParamValue, ParameterType, Params, RuleSet};
use serde_json::{json, Value};

fn rule_set(version: &str, parameters: Value, rules: Value) -> RuleSet {
    let json = json!({"version": version, "parameters": parameters, "rules": rules});
    RuleSet::from_json(&json).unwrap_or_else(|e| panic!("{e}"))
}

fn url(result: Result<Endpoint, EndpointError>) -> String {
    match result {
        Ok(endpoint) => endpoint.url,
        Err(error) => format!("error: {error}"),
    }
}

/// A rule set whose single endpoint URL is `template`, reached when `conditions` hold; otherwise
/// the error "no match".
fn single(version: &str, parameters: Value, conditions: Value, template: &str) -> RuleSet {
    rule_set(
        version,
        parameters,
        json!([
            {"conditions": conditions, "endpoint": {"url": template}, "type": "endpoint"},
            {"conditions": [], "error": "no match", "type": "error"}
        ]),
    )
}

#[test]
fn defaults_required_and_parameter_types() {
    let rules = single(
        "1.0",
        json!({
            "Name": {"type": "string", "required": true, "default": "dflt"},
            "Flag": {"type": "boolean", "required": true},
            "Opt": {"type": "string"}
        }),
        json!([{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}]),
        "https://{Name}.example.com",
    );
    assert_eq!(url(rules.resolve(&Params::new().with("Flag", true))), "https://dflt.example.com");
    assert_eq!(
        url(rules.resolve(&Params::new().with("Flag", true).with("Name", "given"))),
        "https://given.example.com"
    );
    assert_eq!(url(rules.resolve(&Params::new().with("Flag", false))), "error: no match");
    assert_eq!(rules.resolve(&Params::new()), Err(EndpointError::MissingParameter("Flag".into())));
    assert_eq!(
        rules.resolve(&Params::new().with("Flag", "yes")),
        Err(EndpointError::InvalidParameter { name: "Flag".into(), expected: ParameterType::Boolean })
    );
    // Undeclared parameters are ignored.
    assert_eq!(url(rules.resolve(&Params::new().with("Flag", true).with("Other", 1 == 1))), "https://dflt.example.com");
    let parameter = rules.parameter("Name").unwrap();
    assert_eq!(parameter.default, Some(ParamValue::String("dflt".into())));
    assert_eq!(rules.parameters().len(), 3);
    assert_eq!(rules.version(), "1.0");
}

#[test]
fn headers_properties_and_url_expressions() {
    let rules = rule_set(
        "1.0",
        json!({"Region": {"type": "string", "required": true}, "Endpoint": {"type": "string"}}),
        json!([
            {
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                "endpoint": {"url": {"ref": "Endpoint"}, "headers": {}, "properties": {}},
                "type": "endpoint"
            },
            {
                "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
                "endpoint": {
                    "url": "https://svc.{Region}.{p#dnsSuffix}",
                    "headers": {"x-region": ["{Region}"], "x-multi": ["*", {"ref": "Region"}, "{{literal}}"]},
                    "properties": {
                        "authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "disableDoubleEncoding": true}],
                        "meta": {"suffix": "{p#dualStackDnsSuffix}", "count": 2, "none": null}
                    }
                },
                "type": "endpoint"
            }
        ]),
    );
    let endpoint = rules.resolve(&Params::new().with("Region", "cn-north-1")).unwrap();
    assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
    assert_eq!(endpoint.headers["x-region"], ["cn-north-1"]);
    assert_eq!(endpoint.headers["x-multi"], ["*", "cn-north-1", "{literal}"]);
    assert_eq!(
        Value::Object(endpoint.properties),
        json!({
            "authSchemes": [{"name": "sigv4", "signingRegion": "cn-north-1", "disableDoubleEncoding": true}],
            "meta": {"suffix": "api.amazonwebservices.com.cn", "count": 2, "none": null}
        })
    );
    let custom = rules.resolve(&Params::new().with("Region", "x").with("Endpoint", "https://custom")).unwrap();
    assert_eq!(custom, Endpoint { url: "https://custom".into(), ..Endpoint::default() });
}

#[test]
fn error_messages_are_expanded() {
    let rules = rule_set(
        "1.0",
        json!({"Region": {"type": "string", "required": true}, "Arn": {"type": "string"}}),
        json!([
            {
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Arn"}]}, {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "arn"}],
                "error": {"fn": "getAttr", "argv": [{"ref": "arn"}, "partition"]},
                "type": "error"
            },
            {"conditions": [], "error": "Invalid region `{Region}`: {{not a template}}", "type": "error"}
        ]),
    );
    assert_eq!(
        rules.resolve(&Params::new().with("Region", "x y")),
        Err(EndpointError::Rule("Invalid region `x y`: {not a template}".into()))
    );
    let error = rules.resolve(&Params::new().with("Region", "r").with("Arn", "arn:custom-part:s3:::b")).unwrap_err();
    assert_eq!(error.to_string(), "custom-part");
}

#[test]
fn tree_rules_are_terminal_and_exhaustion_is_an_error() {
    let rules = rule_set(
        "1.0",
        json!({"A": {"type": "boolean", "required": true}, "B": {"type": "boolean", "required": true}}),
        json!([
            {
                "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "A"}, true]}],
                "rules": [{"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "B"}, true]}], "endpoint": {"url": "https://ab"}, "type": "endpoint"}],
                "type": "tree"
            },
            {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "B"}, true]}], "endpoint": {"url": "https://b"}, "type": "endpoint"}
        ]),
    );
    let params = |a: bool, b: bool| Params::new().with("A", a).with("B", b);
    assert_eq!(url(rules.resolve(&params(true, true))), "https://ab");
    // The tree matched, so the later sibling is never tried.
    assert_eq!(rules.resolve(&params(true, false)), Err(EndpointError::NoRuleMatched));
    assert_eq!(url(rules.resolve(&params(false, true))), "https://b");
    assert_eq!(rules.resolve(&params(false, false)), Err(EndpointError::NoRuleMatched));
}

#[test]
fn conditions_fail_on_unset_and_false_and_assign_values() {
    let rules = single(
        "1.1",
        json!({"Input": {"type": "string", "required": true}}),
        json!([
            {"fn": "split", "argv": ["{Input}", "--", 0], "assign": "parts"},
            {"fn": "getAttr", "argv": [{"ref": "parts"}, "[1]"], "assign": "second"},
            {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "second"}, "skip"]}]},
            {"fn": "coalesce", "argv": [{"fn": "getAttr", "argv": [{"ref": "parts"}, "[2]"]}, "none"], "assign": "third"}
        ]),
        "https://{second}.{third}",
    );
    let resolve = |input: &str| url(rules.resolve(&Params::new().with("Input", input)));
    assert_eq!(resolve("a--b--c"), "https://b.c");
    assert_eq!(resolve("a--b"), "https://b.none");
    assert_eq!(resolve("a"), "error: no match");
    assert_eq!(resolve("a--skip--c"), "error: no match");
}

#[test]
fn get_attr_indexes_out_of_range_are_unset() {
    let rules = single(
        "1.0",
        json!({"List": {"type": "stringArray", "required": true}}),
        json!([{"fn": "getAttr", "argv": [{"ref": "List"}, "[-1]"], "assign": "x"}]),
        "https://{x}",
    );
    let list = |items: &[&str]| Params::new().with("List", items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(url(rules.resolve(&list(&["a", "b"]))), "error: no match");
    let rules = single(
        "1.0",
        json!({"List": {"type": "stringArray", "required": true}}),
        json!([{"fn": "getAttr", "argv": [{"ref": "List"}, "[1]"], "assign": "x"}]),
        "https://{x}",
    );
    assert_eq!(url(rules.resolve(&list(&["a", "b"]))), "https://b");
    assert_eq!(url(rules.resolve(&list(&["a"]))), "error: no match");
    assert_eq!(url(rules.resolve(&list(&[]))), "error: no match");
}

#[test]
fn coalesce_and_ite() {
    let rules = single(
        "1.1",
        json!({"A": {"type": "string"}, "B": {"type": "string"}, "Fips": {"type": "boolean", "required": true, "default": false}}),
        json!([
            {"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}], "assign": "name"},
            {"fn": "ite", "argv": [{"ref": "Fips"}, "-fips", ""], "assign": "suffix"}
        ]),
        "https://{name}{suffix}.com",
    );
    let resolve = |params: Params| url(rules.resolve(&params));
    assert_eq!(resolve(Params::new().with("A", "a").with("B", "b")), "https://a.com");
    assert_eq!(resolve(Params::new().with("B", "b").with("Fips", true)), "https://b-fips.com");
    assert_eq!(resolve(Params::new()), "error: no match");
}

#[test]
fn string_functions_in_rules() {
    let rules = single(
        "1.0",
        json!({"Endpoint": {"type": "string", "required": true}, "Key": {"type": "string", "required": true}}),
        json!([
            {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "u"},
            {"fn": "isValidHostLabel", "argv": [{"fn": "getAttr", "argv": [{"ref": "u"}, "authority"]}, true]},
            {"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "u"}, "isIp"]}, false]},
            {"fn": "substring", "argv": [{"ref": "Key"}, 0, 3, true], "assign": "tail"}
        ]),
        "{u#scheme}://{u#authority}{u#normalizedPath}{tail}/{Key}",
    );
    let resolve =
        |endpoint: &str, key: &str| url(rules.resolve(&Params::new().with("Endpoint", endpoint).with("Key", key)));
    assert_eq!(resolve("https://a.example.com/base", "abcdef"), "https://a.example.com/base/def/abcdef");
    assert_eq!(resolve("https://a.example.com:8443", "abc"), "error: no match"); // `:` is not in a host label
    assert_eq!(resolve("https://10.0.0.1", "abc"), "error: no match");
    assert_eq!(resolve("https://a.example.com?x=1", "abc"), "error: no match");
    assert_eq!(resolve("https://a.example.com", "ab"), "error: no match");

    let rules = single(
        "1.0",
        json!({"Key": {"type": "string", "required": true}}),
        json!([{"fn": "uriEncode", "argv": [{"ref": "Key"}], "assign": "k"}]),
        "https://example.com/{k}",
    );
    assert_eq!(url(rules.resolve(&Params::new().with("Key", "a b/c"))), "https://example.com/a%20b%2Fc");
}

#[test]
fn aws_functions_in_rules() {
    let rules = rule_set(
        "1.0",
        json!({"Bucket": {"type": "string", "required": true}, "Region": {"type": "string", "required": true}}),
        json!([
            {
                "conditions": [
                    {"fn": "aws.parseArn", "argv": [{"ref": "Bucket"}], "assign": "arn"},
                    {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "id"}
                ],
                "endpoint": {"url": "https://{id}-{arn#accountId}.{arn#region}.{arn#service}"},
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]},
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}
                ],
                "endpoint": {"url": "https://{Bucket}.s3.{Region}.{p#dnsSuffix}", "properties": {"global": "{p#implicitGlobalRegion}"}},
                "type": "endpoint"
            },
            {"conditions": [], "endpoint": {"url": "https://s3.{Region}.amazonaws.com/{Bucket}"}, "type": "endpoint"}
        ]),
    );
    let resolve =
        |bucket: &str, region: &str| rules.resolve(&Params::new().with("Bucket", bucket).with("Region", region));
    assert_eq!(url(resolve("arn:aws:s3:us-east-2:0123:outpost/op-1", "x")), "https://op-1-0123.us-east-2.s3");
    let endpoint = resolve("my-bucket", "us-gov-west-1").unwrap();
    assert_eq!(endpoint.url, "https://my-bucket.s3.us-gov-west-1.amazonaws.com");
    assert_eq!(endpoint.properties["global"], "us-gov-west-1");
    assert_eq!(url(resolve("My_Bucket", "us-east-1")), "https://s3.us-east-1.amazonaws.com/My_Bucket");
}

#[test]
fn resolving_twice_gives_the_same_answer() {
    let rules = single(
        "1.0",
        json!({"Region": {"type": "string"}}),
        json!([{"fn": "isSet", "argv": [{"ref": "Region"}]}, {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}]),
        "https://{Region}.{p#dnsSuffix}",
    );
    let params = Params::new().with("Region", "us-iso-east-1");
    assert_eq!(rules.resolve(&params), rules.resolve(&params));
    assert_eq!(url(rules.resolve(&Params::new())), "error: no match");
}

#[test]
fn params_from_json() {
    let params = Params::from_json(&json!({"a": "x", "b": true, "c": ["1", "2"]})).unwrap();
    assert_eq!(params.get("a"), Some(&ParamValue::String("x".into())));
    assert_eq!(params.get("b"), Some(&ParamValue::Bool(true)));
    assert_eq!(params.get("c"), Some(&ParamValue::StringArray(vec!["1".into(), "2".into()])));
    assert!(Params::from_json(&json!({"n": 1})).unwrap_err().contains("`n`"));
    assert!(Params::from_json(&json!({"l": ["a", 1]})).is_err());
    assert!(Params::from_json(&json!([])).is_err());
}

#[test]
fn rule_sets_can_be_shared_between_threads() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<RuleSet>();
    shared::<Endpoint>();
    shared::<EndpointError>();
}
