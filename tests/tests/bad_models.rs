//! Malformed models: every problem is collected and reported with its location, nothing panics
//! and nothing is written.

use std::process::Command;

mod common;

fn errors_of(files: &[&str]) -> String {
    let files: Vec<String> = files.iter().map(|name| format!("tests/fixtures/bad/{name}")).collect();
    errors_with(&files, &[])
}

/// The report of generating `files` (relative to the workspace root) with only `operations`
/// selected (all when empty).
fn errors_with(files: &[String], operations: &[&str]) -> String {
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(common::root().join(name)).expect("read fixture");
            (name.strip_prefix("tests/fixtures/").unwrap_or(name).to_owned(), text)
        })
        .collect();
    let texts: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let mut options = codegen::CrateOptions::new("bad", vec![]);
    options.operations = operations.iter().map(|name| (*name).to_owned()).collect();
    match codegen::generate_from_texts(&texts, &options) {
        Ok(_) => panic!("{files:?} generated although it is malformed"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn dangling_targets() {
    insta::assert_snapshot!(errors_of(&["dangling.json"]));
}

#[test]
fn malformed_trait_values() {
    insta::assert_snapshot!(errors_of(&["traits.json"]));
}

#[test]
fn rust_name_collisions() {
    insta::assert_snapshot!(errors_of(&["collisions.json"]));
}

/// Names made for operation error enums: two errors whose types differ (`AbcError`,
/// `ABCError`) but whose variants and `is_*` methods do not, reported once although two
/// operations return them; an error named like the enum's own `Unhandled` variant; and a
/// structure member without a value type.
#[test]
fn error_enum_names_and_members_without_a_type() {
    insta::assert_snapshot!(errors_of(&["error_names.json"]));
}

#[test]
fn conflicting_duplicates_mixin_cycles_and_dangling_apply() {
    insta::assert_snapshot!(errors_of(&["duplicate_a.json", "duplicate_b.json"]));
}

/// `@paginated` traits Smithy rejects, each reported at its operation: members that do not
/// exist (also at the end of an output path), tokens that are not optional strings or maps (or
/// differ between input and output), items that are not a list or map, a page size that is not
/// an integer, a path where none is allowed, a missing `outputToken`, and a malformed value.
#[test]
fn invalid_paginated_traits() {
    insta::assert_snapshot!(errors_of(&["paginated.json"]));
}

#[test]
fn not_json() {
    insta::assert_snapshot!(errors_of(&["not_json.json"]));
}

#[test]
fn services_without_a_supported_protocol() {
    insta::assert_snapshot!(errors_of(&["protocols.json"]));
}

/// Shapes of the wrong form are reported at their shape and member, in Smithy's terms; the
/// other shapes of the file are still read.
#[test]
fn shapes_of_the_wrong_form() {
    insta::assert_snapshot!(errors_of(&["shape_forms.json"]));
}

/// Lists and maps that contain themselves without a structure or union in between; a
/// structure that does (through a list) is fine.
#[test]
fn lists_and_maps_that_contain_themselves() {
    insta::assert_snapshot!(errors_of(&["recursion.json"]));
}

/// Operation inputs and outputs must be structures; the labels of host prefixes and URIs need
/// input members bound to them.
#[test]
fn operation_inputs_outputs_and_labels() {
    insta::assert_snapshot!(errors_of(&["operations.json"]));
}

/// Members targeting operations and services, errors that are not `@error` structures, enums
/// without values, services binding the wrong kind of shape, `@default` values that do not
/// fit their shape.
#[test]
fn smithy_rules() {
    insta::assert_snapshot!(errors_of(&["rules.json"]));
}

/// Endpoint rule sets that do not type-check (each problem at its path in the rule set), and
/// parameters bound to a rule set that it does not declare, with the wrong type, by paths the
/// generator cannot follow, or with no rule set at all.
#[test]
fn endpoint_rule_sets_and_their_parameters() {
    insta::assert_snapshot!(errors_of(&["endpoints.json"]));
}

#[test]
fn selected_operations_that_do_not_exist_are_named_with_close_matches() {
    let report = errors_with(&["model/iot.json".to_owned()], &["CreateCustomMetric", "CreateCustomMetrik", "Nothing"]);
    insta::assert_snapshot!(report);
}

#[test]
fn xtask_exits_non_zero_and_writes_nothing() {
    let out = common::root().join("target/bad-model-out");
    let _ = std::fs::remove_dir_all(&out);
    let output = Command::new(env!("CARGO"))
        .args(["xtask", "codegen", "--model", "tests/fixtures/bad/traits.json", "--out"])
        .arg(&out)
        .current_dir(common::root())
        .output()
        .expect("run cargo xtask");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("example.bad#Name"), "{stderr}");
    assert!(!out.exists(), "output directory was created for a bad model");
}

/// An event that is not a structure, and an event stream inside a union: located errors.
#[test]
fn event_stream_shapes() {
    insta::assert_snapshot!(errors_of(&["event_streams.json"]));
}
