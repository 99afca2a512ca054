//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Generates a fixture model (`tests/fixtures/<name>.json`) as a standalone crate.
pub fn generate_fixture(name: &str) -> codegen::Generated {
    generate_fixture_files(name, &[name])
}

/// Generates a crate named after `name` from several fixture files merged together.
pub fn generate_fixture_files(name: &str, files: &[&str]) -> codegen::Generated {
    let sources: Vec<String> = files.iter().map(|f| format!("tests/fixtures/{f}.json")).collect();
    let paths: Vec<PathBuf> = sources.iter().map(|s| root().join(s)).collect();
    let mut options = codegen::CrateOptions::new(format!("fixture-{}", name.replace('_', "-")), sources);
    // Fixture crates are written to `target/fixture-crates/<name>`; a relative path keeps the
    // snapshots of their manifests the same on every machine.
    options.runtime = codegen::RuntimeSource::Path("../../../codegen/runtime".to_owned());
    codegen::generate(&paths, &options).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// Writes a generated crate under `target/fixture-crates/<name>` and runs clippy on it with
/// warnings denied, sharing one target directory (and the workspace lock file) across fixtures.
/// If `tests/fixtures/<name>_behaviour.rs` exists it becomes the crate's integration test (with
/// `tests/fixtures/behaviour_support.rs` beside it as its `support` module) and
/// is run too.
pub fn check_compiles(name: &str, generated: &codegen::Generated) {
    let dir = root().join("target/fixture-crates").join(name);
    codegen::write::write(&generated.files, &dir, false).expect("write fixture crate");
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    let behaviour = root().join("tests/fixtures").join(format!("{name}_behaviour.rs"));
    let _ = std::fs::remove_dir_all(dir.join("tests"));
    if behaviour.exists() {
        std::fs::create_dir_all(dir.join("tests")).expect("create tests dir");
        std::fs::copy(&behaviour, dir.join("tests/behaviour.rs")).expect("copy behaviour test");
        let support = root().join("tests/fixtures/behaviour_support.rs");
        // A directory module, so Cargo does not take it for a test target of its own.
        std::fs::create_dir_all(dir.join("tests/support")).expect("create the support dir");
        std::fs::copy(support, dir.join("tests/support/mod.rs")).expect("copy the behaviour tests' support");
    }
    cargo(name, &dir, &["clippy", "--quiet", "--all-targets", "--all-features", "--offline", "--", "-D", "warnings"]);
    if behaviour.exists() {
        // Every feature, so that the behaviour test can run the crate's command line too.
        cargo(name, &dir, &["test", "--quiet", "--offline", "--all-features", "--test", "behaviour"]);
    }
}

fn cargo(name: &str, dir: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/fixture-target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "`cargo {}` fails on generated crate `{name}`:\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
