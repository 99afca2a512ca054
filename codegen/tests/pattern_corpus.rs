//! Translates every distinct `smithy.api#pattern` of the AWS models in
//! `../shared/aws-models/` (relative to the workspace root) and checks how many cannot
//! be expressed. Run with `--nocapture` to see the counts and the rejected patterns.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::pattern::{translate, Engine, PatternError, Translated};
use serde_json::Value;

/// Exact expected counts: a change in either direction should be looked at.
const EXPECTED_UNSUPPORTED: usize = 0;
const EXPECTED_FANCY: usize = 91;

/// Collects the values of every `smithy.api#pattern` trait (shapes and members alike).
fn collect_patterns(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("smithy.api#pattern", Value::String(p)) => {
                        out.insert(p.clone());
                    }
                    _ => collect_patterns(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_patterns(v, out)),
        _ => {}
    }
}

#[test]
fn aws_model_patterns_translate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/aws-models");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipping: ../shared/aws-models not found");
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();

    let mut patterns = BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        collect_patterns(&json, &mut patterns);
    }
    let patterns: Vec<String> = patterns.into_iter().collect();

    // Translating compiles every pattern (slow in debug builds): spread the work over
    // the available cores, interleaved because the expensive patterns cluster.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
    let mut results: Vec<Option<Result<Translated, PatternError>>> = vec![None; patterns.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let patterns = &patterns;
                s.spawn(move || {
                    (t..patterns.len()).step_by(threads).map(|i| (i, translate(&patterns[i]))).collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().expect("translation thread panicked") {
                results[i] = Some(r);
            }
        }
    });
    let results: Vec<Result<Translated, PatternError>> =
        results.into_iter().map(|r| r.expect("every pattern was translated")).collect();

    let mut regex = 0;
    let mut fancy = Vec::new();
    let mut unsupported = Vec::new();
    for (pattern, result) in patterns.iter().zip(&results) {
        match result {
            Ok(t) if t.engine == Engine::Regex => regex += 1,
            Ok(t) => fancy.push((pattern, &t.source)),
            Err(e) => unsupported.push((pattern, e)),
        }
    }
    println!(
        "patterns: {} distinct, {} regex, {} fancy-regex, {} unsupported (from {} model files)",
        patterns.len(),
        regex,
        fancy.len(),
        unsupported.len(),
        files.len()
    );
    for (pattern, source) in &fancy {
        println!("  fancy-regex: {pattern}\n           -> {source}");
    }
    for (pattern, err) in &unsupported {
        println!("  unsupported: {pattern}\n           -> {err}");
    }
    assert_eq!(unsupported.len(), EXPECTED_UNSUPPORTED, "unsupported patterns changed");
    assert_eq!(fancy.len(), EXPECTED_FANCY, "patterns needing fancy-regex changed");
}
