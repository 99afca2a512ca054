//! Models that are large, deeply chained or recursive: every one generates or is reported
//! with a located error, in a test thread's small stack and in time linear in its size.

use serde_json::{json, Map, Value};

/// A model of one awsJson1_1 service `example#Svc` whose operation `example#Op` takes
/// `example#In`, with `shapes` added.
fn model(shapes: Map<String, Value>) -> String {
    let mut all = Map::new();
    all.insert(
        "example#Svc".to_owned(),
        json!({
            "type": "service",
            "version": "1",
            "operations": [{ "target": "example#Op" }],
            "traits": { "aws.protocols#awsJson1_1": {}, "aws.api#service": { "sdkId": "Example" } }
        }),
    );
    all.insert("example#Op".to_owned(), json!({ "type": "operation", "input": { "target": "example#In" } }));
    all.extend(shapes);
    json!({ "smithy": "2.0", "shapes": all }).to_string()
}

fn shapes(entries: impl IntoIterator<Item = (String, Value)>) -> Map<String, Value> {
    entries.into_iter().collect()
}

fn generate(text: &str) -> Result<codegen::Generated, codegen::GenerateError> {
    codegen::generate_from_texts(&[("model.json", text)], &codegen::CrateOptions::new("example", vec![]))
}

fn errors(text: &str) -> String {
    match generate(text) {
        Ok(_) => panic!("the model generated although it is invalid"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn lists_and_maps_that_contain_themselves_are_located_errors() {
    let text = model(shapes([
        (
            "example#In".to_owned(),
            json!({ "type": "structure", "members": {
            "own": { "target": "example#Own" },
            "through": { "target": "example#Outer" }
        } }),
        ),
        ("example#Own".to_owned(), json!({ "type": "list", "member": { "target": "example#Own" } })),
        ("example#Outer".to_owned(), json!({ "type": "list", "member": { "target": "example#Inner" } })),
        (
            "example#Inner".to_owned(),
            json!({ "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": "example#Outer" } }),
        ),
    ]));
    let report = errors(&text);
    assert!(
        report.contains(
            "model.json: example#Inner: a map that contains itself with no structure or union in between \
             (example#Inner -> example#Outer -> example#Inner)"
        ),
        "{report}"
    );
    assert!(report.contains("model.json: example#Own: a list that contains itself"), "{report}");
    assert!(report.contains("model.json: example#In$own: `example#Own` contains itself"), "{report}");
}

#[test]
fn structures_that_contain_themselves_are_boxed() {
    let text = model(shapes([
        ("example#In".to_owned(), json!({ "type": "structure", "members": { "node": { "target": "example#A" } } })),
        ("example#A".to_owned(), json!({ "type": "structure", "members": { "b": { "target": "example#B" } } })),
        (
            "example#B".to_owned(),
            json!({ "type": "structure", "members": {
            "a": { "target": "example#A" },
            "many": { "target": "example#As" }
        } }),
        ),
        ("example#As".to_owned(), json!({ "type": "list", "member": { "target": "example#A" } })),
    ]));
    let generated = generate(&text).unwrap_or_else(|err| panic!("{err}"));
    let types = &generated.files["src/example/types/mod.rs"];
    assert!(types.contains("pub b: Option<Box<B>>"), "{types}");
    assert!(types.contains("pub a: Option<Box<A>>"), "{types}");
    assert!(types.contains("pub many: Option<Vec<A>>"), "{types}");
}

#[test]
fn resources_bound_in_a_cycle_are_visited_once() {
    let text = json!({ "smithy": "2.0", "shapes": {
        "example#Svc": {
            "type": "service",
            "version": "1",
            "resources": [{ "target": "example#A" }],
            "traits": { "aws.protocols#awsJson1_1": {} }
        },
        "example#A": { "type": "resource", "resources": [{ "target": "example#B" }, { "target": "example#A" }] },
        "example#B": { "type": "resource", "resources": [{ "target": "example#A" }], "operations": [{ "target": "example#Op" }] },
        "example#Op": { "type": "operation" }
    } })
    .to_string();
    let generated = generate(&text).unwrap_or_else(|err| panic!("{err}"));
    assert!(generated.files.contains_key("src/svc/operation/op.rs"), "{:?}", generated.files.keys());
}

#[test]
fn a_chain_of_5000_mixins_resolves() {
    const LENGTH: usize = 5000;
    let mixins = (0..LENGTH).map(|i| {
        let mut shape = json!({ "type": "structure", "members": {}, "traits": { "smithy.api#mixin": {} } });
        if i + 1 < LENGTH {
            shape["mixins"] = json!([{ "target": format!("example#Mixin{}", i + 1) }]);
        } else {
            shape["members"] = json!({ "deepest": { "target": "smithy.api#String" } });
        }
        (format!("example#Mixin{i}"), shape)
    });
    let input = json!({ "type": "structure", "members": {}, "mixins": [{ "target": "example#Mixin0" }] });
    let text = model(shapes(mixins.chain([("example#In".to_owned(), input)])));
    let generated = generate(&text).unwrap_or_else(|err| panic!("{err}"));
    assert!(generated.files["src/example/operation/op.rs"].contains("pub deepest:"));
}

#[test]
fn a_mixin_cycle_is_a_located_error() {
    let text = model(shapes([
        (
            "example#In".to_owned(),
            json!({ "type": "structure", "members": {}, "mixins": [{ "target": "example#M1" }] }),
        ),
        (
            "example#M1".to_owned(),
            json!({ "type": "structure", "members": {}, "mixins": [{ "target": "example#M2" }], "traits": { "smithy.api#mixin": {} } }),
        ),
        (
            "example#M2".to_owned(),
            json!({ "type": "structure", "members": {}, "mixins": [{ "target": "example#M1" }], "traits": { "smithy.api#mixin": {} } }),
        ),
    ]));
    let report = errors(&text);
    assert!(
        report.contains("model.json: example#M1: mixin cycle: example#In -> example#M1 -> example#M2 -> example#M1"),
        "{report}"
    );
}

/// Used to take time quadratic in the length of the chain (3.5 s for 2,000 structures): the
/// members to box were found with a search from every member.
#[test]
fn a_chain_of_5000_structures_generates() {
    const LENGTH: usize = 5000;
    let chain = (1..=LENGTH).map(|i| {
        let members = if i < LENGTH {
            json!({ "next": { "target": format!("example#A{}", i + 1) } })
        } else {
            json!({ "name": { "target": "smithy.api#String", "traits": { "smithy.api#length": { "max": 3 } } } })
        };
        (format!("example#A{i}"), json!({ "type": "structure", "members": members }))
    });
    let input = json!({ "type": "structure", "members": { "first": { "target": "example#A1" } } });
    let text = model(shapes(chain.chain([("example#In".to_owned(), input)])));
    let generated = generate(&text).unwrap_or_else(|err| panic!("{err}"));
    let types = &generated.files["src/example/types/mod.rs"];
    // Nothing is recursive, so nothing is boxed; the constraint at the end makes every link
    // validate the next.
    assert!(types.contains("pub next: Option<A2>"), "no box");
    assert_eq!(types.matches("impl validation::Validate for").count(), LENGTH);
}

#[test]
fn names_of_300_characters_make_bounded_file_names() {
    let operation = format!("Op{}", "x".repeat(298));
    let text = json!({ "smithy": "2.0", "shapes": {
        "example#Svc": {
            "type": "service",
            "version": "1",
            "operations": [{ "target": format!("example#{operation}") }],
            "traits": { "aws.protocols#awsJson1_1": {}, "aws.api#service": { "sdkId": format!("S{}", "v".repeat(299)) } }
        },
        format!("example#{operation}"): { "type": "operation" }
    } })
    .to_string();
    let generated = generate(&text).unwrap_or_else(|err| panic!("{err}"));
    for path in generated.files.keys() {
        let longest = path.split('/').map(str::len).max().unwrap_or_default();
        assert!(longest <= codegen::naming::MAX_MODULE_NAME + 3, "{path}");
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("long-names");
    let _ = std::fs::remove_dir_all(&dir);
    codegen::write::write(&generated.files, &dir, false).expect("writes");
    assert!(codegen::write::write(&generated.files, &dir, true).expect("compares").unchanged > 0);
}
