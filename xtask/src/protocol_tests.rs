//! `cargo xtask protocol-tests`: generates the crate of each official protocol test model
//! (by default every file in `../shared/protocol-tests/`) with its compliance cases as unit
//! tests, runs them, and reports per model and in total `N passed, M failed, K skipped`.
//! A failing case fails the task unless the skip list names it with a reason. Each generated
//! crate must also be clippy-clean with warnings denied: the suites reach far more of the
//! generator than the project's own models do.

use codegen::{CaseKind, CrateOptions, ProtocolCase};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Cases left failing on purpose: `case id | reason`, one per line.
const SKIP_LIST: &str = include_str!("../protocol-test-skips.txt");

struct Args {
    models: Vec<PathBuf>,
    out: PathBuf,
}

fn parse(args: &[String], root: &Path) -> Result<Args, String> {
    let mut parsed = Args { models: Vec::new(), out: root.join("target/protocol-tests") };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--model" => parsed.models.push(PathBuf::from(value("--model")?)),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            other => return Err(format!("protocol-tests: unknown argument `{other}`")),
        }
    }
    if parsed.models.is_empty() {
        let dir = root.join("../shared/protocol-tests");
        let entries = std::fs::read_dir(&dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
        parsed.models = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        parsed.models.sort();
    }
    Ok(parsed)
}

/// `case id -> reason`, from the checked-in list.
fn skip_list() -> Result<BTreeMap<&'static str, &'static str>, String> {
    let mut skips = BTreeMap::new();
    for (number, line) in SKIP_LIST.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, reason) = line
            .split_once('|')
            .map(|(id, reason)| (id.trim(), reason.trim()))
            .filter(|(id, reason)| !id.is_empty() && !reason.is_empty())
            .ok_or_else(|| format!("protocol-test-skips.txt:{}: expected `case id | reason`", number + 1))?;
        skips.insert(id, reason);
    }
    Ok(skips)
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
    /// Of all cases, those of `smithy.test#eventStreamTests`.
    event_stream: usize,
}

impl Tally {
    fn line(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped ({} of the cases are event-stream cases)",
            self.passed, self.failed, self.skipped, self.event_stream
        )
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::workspace_root();
    let args = parse(args, &root)?;
    let skips = skip_list()?;
    let mut total = Tally::default();
    let mut seen_skips = BTreeSet::new();
    let mut unclean = Vec::new();
    for model in &args.models {
        let stem = model.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let out = args.out.join(&stem);
        let tally = run_model(&root, model, &out, &skips, &mut seen_skips)?;
        println!("{stem}: {}", tally.line());
        if let Err(report) = crate::clippy(&out, &root.join("target/protocol-tests-target")) {
            println!("clippy finds problems in the crate of {stem}:\n{report}");
            unclean.push(stem);
        }
        total.passed += tally.passed;
        total.failed += tally.failed;
        total.skipped += tally.skipped;
        total.event_stream += tally.event_stream;
    }
    for id in skips.keys().filter(|id| !seen_skips.contains(**id)) {
        println!("note: skip-list entry `{id}` matches no case of these models");
    }
    println!("{}", total.line());
    if total.failed > 0 {
        return Err(format!("protocol-tests: {} case(s) failed", total.failed));
    }
    if !unclean.is_empty() {
        return Err(format!("protocol-tests: clippy (warnings denied) fails on {}", unclean.join(", ")));
    }
    Ok(())
}

fn run_model(
    root: &Path,
    model: &Path,
    out: &Path,
    skips: &BTreeMap<&str, &str>,
    seen_skips: &mut BTreeSet<String>,
) -> Result<Tally, String> {
    let stem = model.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let options =
        CrateOptions::new(format!("protocol-tests-{}", stem.replace('_', "-")), vec![model.display().to_string()]);
    let generated = codegen::generate(&[model], &options).map_err(|err| format!("{}: {err}", model.display()))?;
    codegen::write::write(&generated.files, out, false)
        .map_err(|err| format!("cannot write {}: {err}", out.display()))?;
    // The workspace's lock file pins the same dependency versions the project is tested with.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| format!("copy Cargo.lock: {e}"))?;
    let results = run_tests(root, out)?;

    let mut tally = Tally::default();
    for case in &generated.protocol_cases {
        let outcome = results.get(case.test.as_str()).map(String::as_str).unwrap_or("not run");
        let skip = skips.get(case.id.as_str());
        if case.kind == CaseKind::EventStream {
            tally.event_stream += 1;
        }
        if skip.is_some() {
            seen_skips.insert(case.id.clone());
        }
        match (outcome, skip) {
            ("ok", None) => tally.passed += 1,
            ("ok", Some(_)) => {
                tally.passed += 1;
                println!("note: {} passes; remove it from the skip list", describe(case));
            }
            (_, Some(_)) => tally.skipped += 1,
            (outcome, None) => {
                tally.failed += 1;
                println!("FAIL {} ({outcome})", describe(case));
            }
        }
    }
    Ok(tally)
}

fn describe(case: &ProtocolCase) -> String {
    let kind = match case.kind {
        CaseKind::Request => "request",
        CaseKind::Response => "response",
        CaseKind::EventStream => "event-stream",
    };
    format!("{} {kind} case {} [{}]", case.service, case.id, case.test)
}

/// Runs the crate's unit tests; test path -> `ok` / `FAILED` / `ignored`.
fn run_tests(root: &Path, dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root.join("target/protocol-tests-target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut results = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        if let Some((name, outcome)) = rest.rsplit_once(" ... ") {
            results.insert(name.trim().to_owned(), outcome.trim().to_owned());
        }
    }
    if results.is_empty() && !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
        println!("the tests of {} did not build or run:\n{}", dir.display(), tail.join("\n"));
    }
    Ok(results)
}
