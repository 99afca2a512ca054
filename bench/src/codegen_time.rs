//! Generator run time (release build): reading the model files, loading, lowering, planning
//! and emitting formatted files in memory (nothing is written to disk).
//!
//! The corpus is run twice: once one model at a time with each phase timed, for the breakdown
//! (emission spreads a model's files over every core by itself), and once with a model per
//! core at a time through `codegen::generate`, for the wall-clock time a user waits.

use codegen::diagnostics::Diagnostics;
use codegen::CrateOptions;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The pipeline's phases, in order, as `codegen::generate` runs them.
pub const PHASES: [&str; 5] = [
    "read and parse JSON (load::read_files)",
    "merge, prelude, mixins (load::merge)",
    "lower to the IR (lower::lower)",
    "plan names and closures (plan::plan)",
    "emit and format with prettyplease (emit::emit_crate)",
];

struct Run {
    phases: [f64; 5],
    shapes: usize,
    files: usize,
    lines: usize,
}

impl Run {
    fn seconds(&self) -> f64 {
        self.phases.iter().sum()
    }
}

/// `codegen::generate`, phase by phase.
fn generate(paths: &[PathBuf], options: &CrateOptions) -> Result<Run, String> {
    let mut phases = [0.0; 5];
    let mut diags = Diagnostics::default();
    let mut clock = Instant::now();
    let mut lap = |phase: usize| {
        phases[phase] = clock.elapsed().as_secs_f64();
        clock = Instant::now();
    };
    let files = codegen::load::read_files(paths, &mut diags);
    lap(0);
    let merged = codegen::load::merge(files, &mut diags);
    lap(1);
    let model = codegen::lower::lower(&merged, &mut diags);
    lap(2);
    let plans = codegen::plan::plan(&model, codegen::plan::Selection::All);
    codegen::check::check(&model, &plans, codegen::plan::Selection::All, &mut diags);
    lap(3);
    if diags.has_errors() {
        return Err(format!("the model has errors:\n{diags}"));
    }
    let emitted = codegen::emit::emit_crate(&model, &plans, options)?;
    lap(4);
    let lines = emitted.files.values().map(|text| text.lines().count()).sum();
    Ok(Run { phases, shapes: model.shapes.len(), files: emitted.files.len(), lines })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Times `paths` `repeat` times (after one untimed run); returns the median and the range.
fn timed(label: &str, paths: &[PathBuf], options: &CrateOptions, repeat: usize) -> Result<Value, String> {
    let first = generate(paths, options)?;
    let mut times = Vec::new();
    for _ in 0..repeat {
        times.push(generate(paths, options)?.seconds());
    }
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let max = times.iter().copied().fold(0.0, f64::max);
    let median = median(times);
    eprintln!("  codegen {label}: {:.1} ms (median of {repeat})", median * 1e3);
    Ok(json!({
        "label": label,
        "median_s": median,
        "min_s": min,
        "max_s": max,
        "runs": repeat,
        "shapes": first.shapes,
        "files": first.files,
        "lines": first.lines,
    }))
}

fn standalone(name: &str) -> CrateOptions {
    CrateOptions::new(name, vec![format!("{name}.json")])
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The corpus one model at a time, phase by phase.
fn corpus_one_thread(files: &[PathBuf]) -> Value {
    let (mut phases, mut shapes, mut lines, mut ok, mut failed) = ([0.0; 5], 0usize, 0usize, 0usize, Vec::new());
    let mut slowest = (String::new(), 0.0f64, 0usize);
    for file in files {
        let name = stem(file);
        match generate(std::slice::from_ref(file), &standalone(&name)) {
            Ok(run) => {
                for (total, phase) in phases.iter_mut().zip(run.phases) {
                    *total += phase;
                }
                shapes += run.shapes;
                lines += run.lines;
                ok += 1;
                if run.seconds() > slowest.1 {
                    slowest = (name, run.seconds(), run.shapes);
                }
            }
            Err(_) => failed.push(name),
        }
    }
    let seconds: f64 = phases.iter().sum();
    eprintln!("  codegen corpus, one model at a time: {ok} models, {shapes} shapes in {seconds:.1} s");
    json!({
        "models": ok,
        "failed": failed,
        "seconds": seconds,
        "phases": PHASES.iter().zip(phases).map(|(name, s)| json!({ "phase": name, "seconds": s })).collect::<Vec<_>>(),
        "shapes": shapes,
        "lines": lines,
        "shapes_per_s": shapes as f64 / seconds,
        "slowest": { "model": slowest.0, "seconds": slowest.1, "shapes": slowest.2 },
    })
}

/// The corpus with `codegen::generate` on every core, largest models first; wall-clock time.
fn corpus_all_cores(files: &[PathBuf]) -> Value {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut by_size: Vec<&PathBuf> = files.iter().collect();
    by_size.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)));
    let next = AtomicUsize::new(0);
    let outcome = Mutex::new((0usize, 0usize));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(file) = by_size.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let generated = codegen::generate(std::slice::from_ref(*file), &standalone(&stem(file)));
                    let mut outcome = outcome.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if let Ok(generated) = generated {
                        outcome.0 += 1;
                        outcome.1 += generated.shape_count;
                    }
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let (ok, shapes) = *outcome.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    eprintln!("  codegen corpus, {threads} threads: {ok} models in {seconds:.1} s (wall clock)");
    json!({ "threads": threads, "models": ok, "seconds": seconds, "shapes": shapes, "shapes_per_s": shapes as f64 / seconds })
}

pub fn run(root: &Path, quick: bool) -> Result<Value, String> {
    let models = codegen::project::models(root)?;
    let options = codegen::project::options(&models);
    let paths: Vec<PathBuf> = models.iter().map(|p| root.join(p)).collect();
    let project = timed("project model (model/*.json: 3 operations)", &paths, &options, if quick { 5 } else { 31 })?;

    let aws_models = root.join("../shared/aws-models");
    let iot_path = aws_models.join("iot.json");
    let iot = if iot_path.is_file() {
        Some(timed(
            "full IoT model (../shared/aws-models/iot.json)",
            &[iot_path],
            &standalone("iot"),
            if quick { 1 } else { 5 },
        )?)
    } else {
        None
    };

    let (corpus, corpus_parallel) = if aws_models.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&aws_models)
            .map_err(|e| format!("{}: {e}", aws_models.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        (Some(corpus_one_thread(&files)), Some(corpus_all_cores(&files)))
    } else {
        (None, None)
    };
    Ok(json!({ "project": project, "iot": iot, "corpus": corpus, "corpus_parallel": corpus_parallel }))
}

/// `generate MODEL.json...`: generates in memory and prints the shape count (profiling target).
pub fn generate_only(paths: &[String]) -> Result<(), String> {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let name = paths.first().map(|p| stem(p)).ok_or("generate: give model files")?;
    for _ in 0..3 {
        let run = generate(&paths, &standalone(&name))?;
        println!("{} shapes, {} files, {:.2} s", run.shapes, run.files, run.seconds());
    }
    Ok(())
}
