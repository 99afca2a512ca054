//! Clean release builds of the two fixture binaries (`bench/fixtures/{ours,official}`), one
//! after the other, from empty target directories, with the same cargo settings.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn build(root: &Path, who: &str) -> Result<Value, String> {
    let manifest = root.join(format!("bench/fixtures/{who}/Cargo.toml"));
    let target = root.join(format!("target/bench-fixtures/{who}"));
    // Downloads are not part of the build time: fetch (and lock) first.
    let fetch = Command::new(cargo())
        .args(["fetch", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .status()
        .map_err(|e| format!("cargo fetch: {e}"))?;
    if !fetch.success() {
        return Err(format!("cargo fetch failed for {}", manifest.display()));
    }
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("cannot empty {}: {e}", target.display()))?;
    }
    eprintln!("  building fixture `{who}` (cargo build --release, empty target dir)...");
    let started = Instant::now();
    let output = Command::new(cargo())
        // `--timings` only records when each unit starts and ends; it writes an HTML report.
        .args(["build", "--release", "--offline", "--timings", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .map_err(|e| format!("cargo build: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("fixture `{who}` failed to build:\n{stderr}"));
    }
    let compiled = stderr.lines().filter(|l| l.trim_start().starts_with("Compiling ")).count();
    let slowest = unit_times(&target.join("cargo-timings/cargo-timing.html"));
    let binary = target.join(format!("release/fixture-{who}"));
    let size = std::fs::metadata(&binary).map_err(|e| format!("{}: {e}", binary.display()))?.len();
    let stripped_path = target.join(format!("fixture-{who}.stripped"));
    let stripped = Command::new("strip")
        .arg("-o")
        .arg(&stripped_path)
        .arg(&binary)
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&stripped_path).ok())
        .map(|m| m.len());
    // The fixture reports its own VmHWM after 20,000 rounds of the three calls.
    let run = Command::new(&binary).arg("20000").output().map_err(|e| format!("{}: {e}", binary.display()))?;
    if !run.status.success() {
        return Err(format!("fixture `{who}` failed:\n{}", String::from_utf8_lossy(&run.stderr)));
    }
    let stdout = String::from_utf8_lossy(&run.stdout);
    let vm_hwm_kib: Option<u64> =
        stdout.split("VmHWM:").nth(1).and_then(|rest| rest.split_whitespace().next()).and_then(|n| n.parse().ok());
    eprintln!("    {seconds:.0} s, {compiled} crates compiled, {size} bytes");
    Ok(json!({
        "who": who,
        "seconds": seconds,
        "compiled": compiled,
        "binary_bytes": size,
        "stripped_bytes": stripped,
        "vm_hwm_kib_60000_calls": vm_hwm_kib,
        "units": slowest,
    }))
}

/// Seconds of compilation per package (build script runs included), slowest first, from the
/// `UNIT_DATA` array of cargo's timing report; `null` if the report cannot be read.
fn unit_times(report: &Path) -> Value {
    let Ok(html) = std::fs::read_to_string(report) else {
        return Value::Null;
    };
    let Some(start) = html.find("const UNIT_DATA = ").map(|i| i + "const UNIT_DATA = ".len()) else {
        return Value::Null;
    };
    let mut stream = serde_json::Deserializer::from_str(&html[start..]).into_iter::<Value>();
    let Some(Ok(Value::Array(units))) = stream.next() else {
        return Value::Null;
    };
    let mut by_package: Vec<(String, f64)> = Vec::new();
    for unit in &units {
        let name = unit["name"].as_str().unwrap_or_default();
        let duration = unit["duration"].as_f64().unwrap_or_default();
        match by_package.iter_mut().find(|(n, _)| n == name) {
            Some((_, total)) => *total += duration,
            None => by_package.push((name.to_owned(), duration)),
        }
    }
    by_package.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = by_package.iter().map(|(_, s)| s).sum();
    json!({
        "total_unit_seconds": total,
        "packages": by_package.iter().map(|(name, s)| json!({ "package": name, "seconds": s })).collect::<Vec<_>>(),
    })
}

pub fn run(root: &Path) -> Result<Value, String> {
    let cargo_version = Command::new(cargo())
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let ours = build(root, "ours")?;
    let official = build(root, "official")?;
    Ok(json!({ "ours": ours, "official": official, "cargo": cargo_version }))
}
