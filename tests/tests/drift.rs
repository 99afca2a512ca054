//! `cargo test` alone catches a `generated/` that no longer matches `model/`.

mod common;

#[test]
fn generated_crate_matches_model() {
    let root = common::root();
    let models = codegen::project::models(&root).expect("project models");
    let paths: Vec<_> = models.iter().map(|m| root.join(m)).collect();
    let generated = codegen::generate(&paths, &codegen::project::options(&models)).expect("model generates");
    let report = codegen::write::write(&generated.files, &root.join("generated"), true).expect("compare");
    let stale: Vec<String> = report.changed.iter().chain(&report.removed).map(|p| p.display().to_string()).collect();
    assert!(stale.is_empty(), "generated/ is out of date: {stale:#?}\nrun `cargo xtask codegen` and commit the result");
}

#[test]
fn generation_is_deterministic() {
    let root = common::root();
    let models = codegen::project::models(&root).expect("project models");
    let paths: Vec<_> = models.iter().map(|m| root.join(m)).collect();
    let options = codegen::project::options(&models);
    let first = codegen::generate(&paths, &options).expect("model generates");
    let second = codegen::generate(&paths, &options).expect("model generates");
    assert_eq!(first.files, second.files);
}
