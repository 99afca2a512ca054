//! Lines of generated source: ours (`generated/src`) against the official crates' sources in
//! cargo's registry (the versions in `bench/Cargo.lock`).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// (all lines, code lines): code lines leave out blank lines and `//`, `///` and `//!` lines.
fn lines(path: &Path) -> (usize, usize) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let code = text.lines().map(str::trim_start).filter(|line| !line.is_empty() && !line.starts_with("//")).count();
    (text.lines().count(), code)
}

/// Every `.rs` file under `dir` (or `dir` itself if it is a file).
pub(crate) fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.is_file() {
        out.push(dir.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.filter_map(Result::ok) {
            out.extend(rust_files(&entry.path()));
        }
    }
    out.sort();
    out
}

/// All lines of `paths`.
pub(crate) fn total(paths: &[PathBuf]) -> usize {
    paths.iter().map(|p| lines(p).0).sum()
}

/// Code lines of `paths`.
pub(crate) fn total_code(paths: &[PathBuf]) -> usize {
    paths.iter().map(|p| lines(p).1).sum()
}

/// `MetricAttributionOutput` -> `metric_attribution_output`, `S3DataConfig` -> `s3_data_config`.
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The version of `package` in the bench crate's lock file.
pub fn locked_version(bench_dir: &Path, package: &str) -> Option<String> {
    let lock = std::fs::read_to_string(bench_dir.join("Cargo.lock")).ok()?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    Some(lock[start..].split('"').next()?.to_owned())
}

/// `$CARGO_HOME/registry/src/*/<package>-<version>`.
pub fn registry_source(package: &str, version: &str) -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let registries = std::fs::read_dir(cargo_home.join("registry/src")).ok()?;
    registries
        .filter_map(Result::ok)
        .map(|r| r.path().join(format!("{package}-{version}")))
        .find(|p| p.join("src").is_dir())
}

/// The `src` directory of `package` in cargo's registry, at the version of `bench/Cargo.lock`:
/// `(version, src)`.
pub(crate) fn official_src(bench_dir: &Path, package: &str) -> Result<(String, PathBuf), String> {
    let version = locked_version(bench_dir, package).ok_or(format!("{package} not in bench/Cargo.lock"))?;
    let src = registry_source(package, &version)
        .ok_or(format!("{package}-{version} not in cargo's registry (run `cargo fetch` in bench/)"))?
        .join("src");
    Ok((version, src))
}

/// An official SDK crate as a whole: its version, operations (the directories of
/// `src/operation/`) and the lines and code lines of everything under `src/`.
pub(crate) fn official_crate(bench_dir: &Path, package: &str) -> Result<Value, String> {
    let (version, src) = official_src(bench_dir, package)?;
    let operations = std::fs::read_dir(src.join("operation"))
        .map(|d| d.filter_map(Result::ok).filter(|e| e.path().is_dir()).count())
        .unwrap_or(0);
    let files = rust_files(&src);
    Ok(json!({
        "package": package,
        "version": version,
        "operations": operations,
        "lines": total(&files),
        "code_lines": total_code(&files),
    }))
}

/// Top-level `pub struct` / `pub enum` names of a generated types file (builders excluded).
fn type_names(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix("pub struct ").or_else(|| l.strip_prefix("pub enum ")))
        .filter_map(|rest| rest.split(|c: char| !c.is_alphanumeric() && c != '_').next())
        .map(str::to_owned)
        .collect()
}

struct Service {
    /// Module name in aws-lite and the official crate's suffix: `personalize`, `iot`.
    module: &'static str,
    ops: &'static [(&'static str, &'static str)],
}

const SERVICES: [Service; 2] = [
    Service {
        module: "personalize",
        ops: &[
            ("CreateMetricAttribution", "create_metric_attribution"),
            ("DescribeMetricAttribution", "describe_metric_attribution"),
        ],
    },
    Service { module: "iot", ops: &[("CreateCustomMetric", "create_custom_metric")] },
];

pub fn run(root: &Path) -> Result<Value, String> {
    let bench_dir = root.join("bench");
    let ours_src = root.join("generated/src");
    let mut ops = Vec::new();
    let mut services = Vec::new();
    let mut official_crates = Vec::new();
    for service in &SERVICES {
        let package = format!("aws-sdk-{}", service.module);
        let (_, official) = official_src(&bench_dir, &package)?;
        for (name, snake_op) in service.ops {
            let ours_file = ours_src.join(service.module).join("operation").join(format!("{snake_op}.rs"));
            let mut official_files = rust_files(&official.join("operation").join(format!("{snake_op}.rs")));
            official_files.extend(rust_files(&official.join("operation").join(snake_op)));
            for extra in [
                format!("client/{snake_op}.rs"),
                format!("protocol_serde/shape_{snake_op}.rs"),
                format!("protocol_serde/shape_{snake_op}_input.rs"),
            ] {
                if official.join(&extra).is_file() {
                    official_files.push(official.join(extra));
                }
            }
            if !ours_file.is_file() || official_files.is_empty() {
                return Err(format!(
                    "{name}: {} or the official crate's operation module ({}) is missing",
                    ours_file.display(),
                    official.join("operation").join(snake_op).display()
                ));
            }
            let shown: Vec<String> =
                official_files.iter().map(|p| p.strip_prefix(&official).unwrap_or(p).display().to_string()).collect();
            ops.push(json!({
                "op": name,
                "service": service.module,
                "ours": lines(&ours_file).0,
                "ours_code": lines(&ours_file).1,
                "ours_files": [ours_file.strip_prefix(root).unwrap_or(&ours_file).display().to_string()],
                "official": total(&official_files),
                "official_code": total_code(&official_files),
                "official_files": shown,
            }));
        }
        // The shapes our crate emits for these operations, and the same shapes in the official crate.
        let ours_types = rust_files(&ours_src.join(service.module).join("types"));
        let names: Vec<String> = ours_types.iter().flat_map(|p| type_names(p)).collect();
        let mut official_types = Vec::new();
        let mut missing = Vec::new();
        for name in &names {
            let s = snake(name);
            let candidates =
                [format!("types/_{s}.rs"), format!("types/error/_{s}.rs"), format!("protocol_serde/shape_{s}.rs")];
            let found: Vec<PathBuf> = candidates.iter().map(|c| official.join(c)).filter(|p| p.is_file()).collect();
            if found.is_empty() {
                missing.push(name.clone());
            }
            official_types.extend(found);
        }
        services.push(json!({
            "service": service.module,
            "types": names,
            "ours_types": total(&ours_types),
            "ours_types_code": total_code(&ours_types),
            "official_types": total(&official_types),
            "official_types_code": total_code(&official_types),
            "official_types_files": official_types.len(),
            "official_types_missing": missing,
        }));
        official_crates.push(official_crate(&bench_dir, &package)?);
    }
    let all_ours = rust_files(&ours_src);
    let cli: Vec<PathBuf> = all_ours.iter().filter(|p| p.starts_with(ours_src.join("bin"))).cloned().collect();
    let library: Vec<PathBuf> = all_ours.iter().filter(|p| !p.starts_with(ours_src.join("bin"))).cloned().collect();
    Ok(json!({
        "ops": ops,
        "services": services,
        "official_crates": official_crates,
        "ours_library_lines": total(&library),
        "ours_library_code_lines": total_code(&library),
        "ours_cli_lines": total(&cli),
        "ours_operations": SERVICES.iter().map(|s| s.ops.len()).sum::<usize>(),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn snake_case() {
        assert_eq!(super::snake("S3DataConfig"), "s3_data_config");
        assert_eq!(super::snake("MetricAttributionOutput"), "metric_attribution_output");
        assert_eq!(super::snake("InvalidInputException"), "invalid_input_exception");
    }
}
