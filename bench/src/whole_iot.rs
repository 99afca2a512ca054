//! The whole IoT model: a crate generated from every operation of `../shared/aws-models/iot.json`
//! against `aws-sdk-iot` alone, by lines of source and by clean release build.
//!
//! The generated crate is written to `target/bench-fixtures/iot-crate` (standalone, its
//! `aws-lite-runtime` dependency this checkout's `codegen/runtime` by path, versions pinned by
//! the workspace's `Cargo.lock`) and built into `target/bench-fixtures/iot-ours`; the official
//! crate is built with `-p aws-sdk-iot` from `bench/fixtures/official` into
//! `target/bench-fixtures/iot-official`.

use crate::fixtures::{clean_build, CleanBuild};
use crate::loc::{rust_files, total, total_code};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The generated crate's package name.
pub const PACKAGE: &str = "aws-lite-iot";
/// The official crate it is compared with.
pub const OFFICIAL: &str = "aws-sdk-iot";

/// The whole IoT model, where codegen_time.rs and profile.rs read it.
fn model_path(root: &Path) -> PathBuf {
    root.join("../shared/aws-models/iot.json")
}

/// Operation shapes in a Smithy JSON AST model.
fn model_operations(model: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(model).map_err(|e| format!("{}: {e}", model.display()))?;
    let ast: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", model.display()))?;
    Ok(ast["shapes"]
        .as_object()
        .map(|shapes| shapes.values().filter(|s| s["type"] == "operation").count())
        .unwrap_or(0))
}

/// Generates the crate into `dir` (emptied first) with the workspace's lock file; returns the
/// seconds `codegen::generate` took and the number of warnings.
fn generate(root: &Path, model: &Path, dir: &Path) -> Result<(f64, usize), String> {
    let options = codegen::CrateOptions::new(PACKAGE, vec!["iot.json".into()]);
    let started = Instant::now();
    let generated = codegen::generate(&[model], &options).map_err(|e| format!("generating {PACKAGE}: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
    }
    codegen::write::write(&generated.files, dir, false).map_err(|e| format!("writing {}: {e}", dir.display()))?;
    // The workspace's versions, so the build uses what the project's own builds use and
    // `--offline` finds everything.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("copy Cargo.lock: {e}"))?;
    Ok((seconds, generated.warnings.len()))
}

/// Lines of the generated crate's `src/` without `src/bin/` (the CLI front end's tables), and
/// its operations (the files of `src/<service>/operation/` but `mod.rs`).
fn ours_lines(dir: &Path) -> Value {
    let src = dir.join("src");
    let all = rust_files(&src);
    let (cli, library): (Vec<PathBuf>, Vec<PathBuf>) = all.into_iter().partition(|p| p.starts_with(src.join("bin")));
    let operations = library
        .iter()
        .filter(|p| {
            p.parent().and_then(Path::file_name).is_some_and(|d| d == "operation")
                && p.file_name().is_some_and(|f| f != "mod.rs")
        })
        .count();
    json!({
        "package": PACKAGE,
        "files": library.len(),
        "operations": operations,
        "lines": total(&library),
        "code_lines": total_code(&library),
        "cli_lines": total(&cli),
    })
}

fn build_value(build: &CleanBuild, package: &str) -> Value {
    json!({
        "seconds": build.seconds,
        "compiled": build.compiled,
        "crate_unit_seconds": build.package_seconds(package),
        "units": build.units,
    })
}

pub fn run(root: &Path, skip_build: bool) -> Result<Value, String> {
    let root = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
    let model = model_path(&root);
    if !model.is_file() {
        eprintln!("  {} not found: no whole-IoT figures", model.display());
        return Ok(json!({ "skipped": format!("{} not found", model.display()) }));
    }
    let dir = root.join("target/bench-fixtures/iot-crate");
    eprintln!("  generating {PACKAGE} from {} into {}", model.display(), dir.display());
    let (generate_seconds, warnings) = generate(&root, &model, &dir)?;
    let mut ours = ours_lines(&dir);
    let mut official = crate::loc::official_crate(&root.join("bench"), OFFICIAL)?;
    if skip_build {
        ours["build"] = Value::Null;
        official["build"] = Value::Null;
    } else {
        let built = clean_build(
            &format!("{PACKAGE} (whole IoT model)"),
            &dir.join("Cargo.toml"),
            &root.join("target/bench-fixtures/iot-ours"),
            &[],
        )?;
        ours["build"] = build_value(&built, PACKAGE);
        let built = clean_build(
            &format!("{OFFICIAL} alone"),
            &root.join("bench/fixtures/official/Cargo.toml"),
            &root.join("target/bench-fixtures/iot-official"),
            &["-p", OFFICIAL],
        )?;
        official["build"] = build_value(&built, OFFICIAL);
    }
    Ok(json!({
        "model": "../shared/aws-models/iot.json",
        "model_operations": model_operations(&model)?,
        "generate_seconds": generate_seconds,
        "generate_warnings": warnings,
        "crate_dir": "target/bench-fixtures/iot-crate",
        "cargo": crate::fixtures::cargo_version(),
        "ours": ours,
        "official": official,
    }))
}
