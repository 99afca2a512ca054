//! Clean release builds of the two fixture binaries (`bench/fixtures/{ours,official}`), one
//! after the other, from empty target directories, with the same cargo settings.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// `cargo --version`.
pub(crate) fn cargo_version() -> String {
    Command::new(cargo())
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// One clean release build, timed.
pub(crate) struct CleanBuild {
    /// Wall-clock seconds of `cargo build`.
    pub(crate) seconds: f64,
    /// cargo's `Compiling` lines: each package once, build scripts included.
    pub(crate) compiled: usize,
    /// Seconds per package from cargo's timing report ([`unit_times`]).
    pub(crate) units: Value,
}

impl CleanBuild {
    /// The unit seconds of `package` alone, if the timing report has it.
    pub(crate) fn package_seconds(&self, package: &str) -> Option<f64> {
        self.units["packages"].as_array()?.iter().find(|u| u["package"] == package)?["seconds"].as_f64()
    }
}

/// `cargo fetch` (untimed: downloads are not part of the build time), then
/// `cargo build --release --offline --timings <extra> --manifest-path MANIFEST --target-dir
/// TARGET` into an emptied `target`, timed, and the packages' unit times from its report.
pub(crate) fn clean_build(label: &str, manifest: &Path, target: &Path, extra: &[&str]) -> Result<CleanBuild, String> {
    let fetch = Command::new(cargo())
        .args(["fetch", "--quiet", "--manifest-path"])
        .arg(manifest)
        .status()
        .map_err(|e| format!("cargo fetch: {e}"))?;
    if !fetch.success() {
        return Err(format!("cargo fetch failed for {}", manifest.display()));
    }
    if target.exists() {
        std::fs::remove_dir_all(target).map_err(|e| format!("cannot empty {}: {e}", target.display()))?;
    }
    eprintln!("  building {label} (cargo build --release, empty target dir)...");
    let started = Instant::now();
    let output = Command::new(cargo())
        // `--timings` only records when each unit starts and ends; it writes an HTML report.
        .args(["build", "--release", "--offline", "--timings"])
        .args(extra)
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .map_err(|e| format!("cargo build: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{label} failed to build:\n{stderr}"));
    }
    let compiled = stderr.lines().filter(|l| l.trim_start().starts_with("Compiling ")).count();
    let units = unit_times(&target.join("cargo-timings/cargo-timing.html"));
    eprintln!("    {seconds:.0} s, {compiled} crates compiled");
    Ok(CleanBuild { seconds, compiled, units })
}

fn build(root: &Path, who: &str) -> Result<Value, String> {
    let manifest = root.join(format!("bench/fixtures/{who}/Cargo.toml"));
    let target = root.join(format!("target/bench-fixtures/{who}"));
    let CleanBuild { seconds, compiled, units } = clean_build(&format!("fixture `{who}`"), &manifest, &target, &[])?;
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
    eprintln!("    fixture `{who}`: {size} bytes");
    Ok(json!({
        "who": who,
        "seconds": seconds,
        "compiled": compiled,
        "binary_bytes": size,
        "stripped_bytes": stripped,
        "vm_hwm_kib_60000_calls": vm_hwm_kib,
        "units": units,
    }))
}

/// Seconds of compilation per package (build script runs included), slowest first, from the
/// `UNIT_DATA` array of cargo's timing report; `null` if the report cannot be read.
pub(crate) fn unit_times(report: &Path) -> Value {
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
    let cargo_version = cargo_version();
    let ours = build(root, "ours")?;
    let official = build(root, "official")?;
    Ok(json!({ "ours": ours, "official": official, "cargo": cargo_version }))
}
