//! Snapshots of generated code for small fixture models, one per shape kind and tricky case.
//! Every snapshotted crate is also compiled with warnings denied.

mod common;

/// Runtime modules are verbatim copies of `codegen/runtime/`; snapshotting them adds nothing.
const COPIED: &[&str] = &["src/error.rs", "src/primitives.rs", "src/validation.rs"];

fn snapshot_fixture(name: &str) {
    let generated = common::generate_fixture(name);
    for (path, contents) in &generated.files {
        if COPIED.contains(&path.as_str()) {
            continue;
        }
        let snapshot = format!("{name}__{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(snapshot, contents);
    }
    common::check_compiles(name, &generated);
}

#[test]
fn every_shape_kind() {
    snapshot_fixture("shapes");
}

#[test]
fn names_that_fight_rust() {
    snapshot_fixture("names");
}
