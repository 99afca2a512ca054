//! The generator and `aws-lite-runtime` are released together: one version, pinned exactly
//! in every generated manifest.

use std::path::Path;

fn manifest(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("read manifest")
}

#[test]
fn runtime_and_generator_share_the_workspace_version() {
    let workspace = manifest("../Cargo.toml");
    assert!(workspace.contains(&format!("version = \"{}\"", codegen::RUNTIME_VERSION)), "workspace version");
    for crate_manifest in ["Cargo.toml", "runtime/Cargo.toml"] {
        assert!(
            manifest(crate_manifest).contains("version.workspace = true"),
            "{crate_manifest} takes the workspace version"
        );
    }
}

#[test]
fn generated_manifests_pin_the_runtime_version() {
    let generated = manifest("../generated/Cargo.toml");
    let pinned =
        format!("aws-lite-runtime = {{ version = \"={}\", path = \"../codegen/runtime\" }}", codegen::RUNTIME_VERSION);
    assert!(generated.contains(&pinned), "{generated}");
}
