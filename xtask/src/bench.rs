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
    if status.success() {
        Ok(())
    } else {
        Err("bench: the bench run failed".to_owned())
    }
}
