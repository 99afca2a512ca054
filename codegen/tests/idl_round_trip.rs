//! `tests/fixtures/iot_custom_metric.smithy` is `model/iot.json` written by hand in the IDL:
//! both must load to the same shapes and generate the same crate, byte for byte.

use codegen::load;
use codegen::{CrateOptions, Diagnostics};
use std::path::{Path, PathBuf};

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

#[test]
fn idl_twin_loads_the_same_shapes() {
    let mut diags = Diagnostics::default();
    let json = load::read_files(&[workspace("model/iot.json")], &mut diags);
    let json = load::merge(json, &mut diags);
    let idl = load::read_files(&[workspace("tests/fixtures/iot_custom_metric.smithy")], &mut diags);
    let idl = load::merge(idl, &mut diags);
    assert!(!diags.has_errors(), "{diags}");
    for (id, sourced) in &json.shapes {
        let twin = idl.shapes.get(id).unwrap_or_else(|| panic!("{id} is missing from the IDL twin"));
        assert_eq!(twin.shape, sourced.shape, "{id}");
        let members = |s: &codegen::ast::Shape| s.members.keys().cloned().collect::<Vec<_>>();
        assert_eq!(members(&twin.shape), members(&sourced.shape), "member order of {id}");
    }
    let extra: Vec<&String> = idl.shapes.keys().filter(|id| !json.shapes.contains_key(*id)).collect();
    assert_eq!(extra, ["com.amazonaws.iot#ErrorBase"], "only the mixin is new");
}

#[test]
fn idl_twin_generates_the_same_crate() {
    let options = CrateOptions::new("iot-twin", vec!["iot".to_owned()]);
    let from_json = codegen::generate(&[workspace("model/iot.json")], &options).unwrap_or_else(|e| panic!("{e}"));
    let twin = workspace("tests/fixtures/iot_custom_metric.smithy");
    let from_idl = codegen::generate(&[twin], &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_idl.files.keys().collect::<Vec<_>>(), from_json.files.keys().collect::<Vec<_>>());
    for (path, text) in &from_json.files {
        assert!(from_idl.files.get(path) == Some(text), "{path} differs");
    }
    assert_eq!(from_idl.warnings, from_json.warnings);
}
