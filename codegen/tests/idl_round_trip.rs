//! `tests/fixtures/iot_custom_metric.smithy` is `model/iot.json` written by hand in the IDL
//! (but for the service's endpoint rule set and tests, copied from `model/iot.json` by an
//! `apply` in a JSON file loaded beside it): both must load to the same shapes and generate
//! the same crate, byte for byte.

use codegen::load;
use codegen::{CrateOptions, Diagnostics};
use std::path::{Path, PathBuf};

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// The IDL twin and a JSON file applying `model/iot.json`'s `smithy.rules#` service traits.
fn twin_files(name: &str) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(workspace("model/iot.json")).expect("read model/iot.json");
    let model: serde_json::Value = serde_json::from_str(&text).expect("model/iot.json is JSON");
    let service = "com.amazonaws.iot#AWSIotService";
    let traits = model["shapes"][service]["traits"].as_object().expect("service traits");
    let rules: serde_json::Map<String, serde_json::Value> =
        traits.iter().filter(|(id, _)| id.starts_with("smithy.rules#")).map(|(k, v)| (k.clone(), v.clone())).collect();
    let apply = serde_json::json!({"smithy": "2.0", "shapes": {service: {"type": "apply", "traits": rules}}});
    let dir = std::env::temp_dir().join(format!("idl-twin-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("iot-rules.json");
    std::fs::write(&path, apply.to_string()).expect("write the rules file");
    vec![workspace("tests/fixtures/iot_custom_metric.smithy"), path]
}

#[test]
fn idl_twin_loads_the_same_shapes() {
    let mut diags = Diagnostics::default();
    let json = load::read_files(&[workspace("model/iot.json")], &mut diags);
    let json = load::merge(json, &mut diags);
    let idl = load::read_files(&twin_files("shapes"), &mut diags);
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
    let from_idl = codegen::generate(&twin_files("crate"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_idl.files.keys().collect::<Vec<_>>(), from_json.files.keys().collect::<Vec<_>>());
    for (path, text) in &from_json.files {
        assert!(from_idl.files.get(path) == Some(text), "{path} differs");
    }
    assert_eq!(from_idl.warnings, from_json.warnings);
}
