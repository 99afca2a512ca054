//! `codegen::build::Builder`, as a build script uses it: what it writes, and its errors.

use codegen::build::{BuildError, Builder};
use std::path::{Path, PathBuf};

fn workspace_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-script").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_includable_modules_for_the_selected_operation() {
    let dir = fresh_dir("iot");
    let root = Builder::new()
        .cargo_directives(false)
        .model(workspace_file("model/iot.json"))
        .operation("CreateCustomMetric")
        .out_dir(&dir)
        .generate()
        .expect("generates");
    assert_eq!(root, dir.join("src/lib.rs"));
    let text = std::fs::read_to_string(&root).expect("root file");
    let module = std::path::absolute(dir.join("src/iot/mod.rs")).expect("absolute path");
    assert!(text.contains(&format!("#[path = {:?}]", module.display().to_string())), "{text}");
    assert!(!text.contains("#!"), "an included file cannot have inner attributes:\n{text}");
    assert!(dir.join("src/iot/operation/create_custom_metric.rs").exists());
    assert!(!dir.join("Cargo.toml").exists(), "no manifest in build-script output");
    assert!(!dir.join("src/bin").exists(), "no binary in build-script output");

    // A second run with the same inputs rewrites nothing.
    let before = std::fs::metadata(&root).and_then(|m| m.modified()).expect("mtime");
    Builder::new()
        .cargo_directives(false)
        .model(workspace_file("model/iot.json"))
        .out_dir(&dir)
        .generate()
        .expect("regenerates");
    assert_eq!(std::fs::metadata(&root).and_then(|m| m.modified()).expect("mtime"), before);
}

#[test]
fn errors_name_the_problem_and_write_nothing() {
    let err = Builder::new().cargo_directives(false).out_dir(fresh_dir("none")).generate().expect_err("no model");
    assert!(matches!(err, BuildError::NoModel), "{err}");

    let dir = fresh_dir("bad");
    let err = Builder::new()
        .cargo_directives(false)
        .model(workspace_file("model/iot.json"))
        .operation("CreateCustomMetrik")
        .out_dir(&dir)
        .generate()
        .expect_err("unknown operation");
    let message = err.to_string();
    assert!(message.contains("no operation named `CreateCustomMetrik`"), "{message}");
    assert!(message.contains("close matches: `CreateCustomMetric`"), "{message}");
    assert!(!dir.exists(), "nothing is written for a bad selection");

    let err = Builder::new()
        .cargo_directives(false)
        .model(workspace_file("tests/fixtures/bad/not_json.json"))
        .out_dir(&dir)
        .generate()
        .expect_err("not JSON");
    assert!(err.to_string().contains("not_json.json"), "{err}");
    assert!(!dir.exists(), "nothing is written for a bad model");
}
