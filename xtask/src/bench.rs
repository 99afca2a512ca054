//! `cargo xtask bench`: builds the standalone `bench/` crate in release mode (into
//! `target/bench`) and runs its `report` task, which measures aws-lite against the official AWS
//! SDK for Rust and writes `BENCHMARKS.md`. `bench/` is not a workspace member, so the official
//! SDK is compiled only here.

use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut passed = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--skip-build" | "--quick" => passed.push(arg.clone()),
            other => return Err(format!("bench: unknown argument `{other}`")),
        }
    }
    let root = crate::workspace_root();
    let target = root.join("target/bench");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("bench: building bench/ (release)");
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(root.join("bench/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !status.success() {
        return Err("bench: building bench/ failed".to_owned());
    }
    let command = std::iter::once("cargo xtask bench".to_owned()).chain(passed.iter().cloned()).collect::<Vec<_>>();
    let status = Command::new(target.join("release/aws-lite-bench"))
        .arg("report")
        .arg("--root")
        .arg(&root)
        .arg("--command")
        .arg(command.join(" "))
        .args(&passed)
        .status()
        .map_err(|err| format!("cannot run the bench binary: {err}"))?;
    if !status.success() {
        return Err("bench: the bench run failed".to_owned());
    }
    append_endpoint_resolution(&root, &cargo)
}

/// Runs the runtime's endpoint resolution bench (aws-lite alone: the official SDK has no
/// separate resolver to compare with) and appends its figures to `BENCHMARKS.md`.
fn append_endpoint_resolution(root: &std::path::Path, cargo: &str) -> Result<(), String> {
    eprintln!("bench: endpoint resolution");
    let output = Command::new(cargo)
        .args(["bench", "--quiet", "-p", "aws-lite-runtime", "--bench", "endpoint_resolution"])
        .current_dir(root)
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !output.status.success() {
        return Err(format!("bench: endpoint resolution failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    let figures = String::from_utf8_lossy(&output.stdout);
    let section = format!(
        "\n## Endpoint resolution\n\nFrom `cargo bench -p aws-lite-runtime --bench endpoint_resolution` \
         (`codegen/runtime/benches/endpoint_resolution.rs`: the median of 15 batches of about 20 ms each), \
         with IoT's rule set from `model/iot.json`. A cached resolution is what every call after the first \
         pays; the target is under 1 µs.\n\n```text\n{}```\n",
        figures
    );
    let path = root.join("BENCHMARKS.md");
    let mut text = std::fs::read_to_string(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    text.push_str(&section);
    std::fs::write(&path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
}
