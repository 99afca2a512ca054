//! `cargo xtask sweep`: runs the generator over a folder of real models (by default the AWS
//! corpus in `../shared/aws-models/`) and optionally compiles (clippy, warnings denied) the
//! largest results (`--compile N`), named ones (`--compile-models a,b`) and a random sample of
//! the smaller half (`--compile-sample N --seed S`; CI rotates the seed so that, run after run,
//! lints are looked for across the whole corpus).

use codegen::CrateOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

struct Args {
    models: PathBuf,
    compile: usize,
    compile_models: Vec<String>,
    sample: usize,
    seed: u64,
    out: PathBuf,
}

fn parse(args: &[String], root: &Path) -> Result<Args, String> {
    let mut parsed = Args {
        models: root.join("../shared/aws-models"),
        compile: 0,
        compile_models: Vec::new(),
        sample: 0,
        seed: 0,
        out: root.join("target/sweep"),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--models" => parsed.models = PathBuf::from(value("--models")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--compile" => {
                let n = value("--compile")?;
                parsed.compile = n.parse().map_err(|_| format!("--compile needs a number, got `{n}`"))?;
            }
            "--compile-sample" => {
                let n = value("--compile-sample")?;
                parsed.sample = n.parse().map_err(|_| format!("--compile-sample needs a number, got `{n}`"))?;
            }
            "--seed" => {
                let n = value("--seed")?;
                parsed.seed = n.parse().map_err(|_| format!("--seed needs a number, got `{n}`"))?;
            }
            "--compile-models" => {
                parsed.compile_models = value("--compile-models")?.split(',').map(str::to_owned).collect();
            }
            other => return Err(format!("sweep: unknown argument `{other}`")),
        }
    }
    Ok(parsed)
}

/// Outcome of one model.
struct Outcome {
    name: String,
    size: u64,
    shapes: usize,
    warnings: usize,
    error: Option<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::workspace_root();
    let args = parse(args, &root)?;
    let mut models: Vec<PathBuf> = std::fs::read_dir(&args.models)
        .map_err(|err| format!("cannot read {}: {err}", args.models.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    models.sort();
    let started = Instant::now();
    let outcomes = generate_all(&models, &args.out);
    let elapsed = started.elapsed();

    let mut failed = 0;
    let mut warnings = 0;
    let mut shapes = 0;
    for outcome in &outcomes {
        warnings += outcome.warnings;
        shapes += outcome.shapes;
        if let Some(error) = &outcome.error {
            failed += 1;
            let first = error.lines().take(6).collect::<Vec<_>>().join("\n    ");
            println!("FAIL {}: {first}", outcome.name);
        }
    }
    let passed = outcomes.len() - failed;
    println!(
        "generated {passed} crates ({shapes} shapes, {warnings} warnings) in {:.1}s into {}",
        elapsed.as_secs_f64(),
        args.out.display()
    );

    let mut compile_failed = 0;
    if args.compile > 0 || !args.compile_models.is_empty() || args.sample > 0 {
        let mut largest: Vec<&Outcome> = outcomes.iter().filter(|o| o.error.is_none()).collect();
        largest.sort_by(|a, b| b.size.cmp(&a.size).then(a.name.cmp(&b.name)));
        let named = outcomes.iter().filter(|o| args.compile_models.contains(&o.name));
        let sample = sample(&largest, args.sample, args.seed);
        if args.sample > 0 {
            let names: Vec<&str> = sample.iter().map(|o| o.name.as_str()).collect();
            println!(
                "sample of {} (seed {}; rerun with --compile-sample {} --seed {}): {}",
                sample.len(),
                args.seed,
                args.sample,
                args.seed,
                names.join(", ")
            );
        }
        let chosen = largest.iter().copied().take(args.compile).chain(named).chain(sample.iter().copied());
        let mut seen = std::collections::BTreeSet::new();
        for outcome in chosen.filter(|o| seen.insert(o.name.clone())) {
            let started = Instant::now();
            match check(&root, &args.out.join(&outcome.name)) {
                Ok(()) => println!("compiled {} in {:.1}s", outcome.name, started.elapsed().as_secs_f64()),
                Err(message) => {
                    compile_failed += 1;
                    println!("COMPILE FAIL {}:\n{message}", outcome.name);
                }
            }
        }
    }
    println!("{passed} passed, {} failed", failed + compile_failed);
    if failed + compile_failed > 0 {
        return Err(format!("sweep: {failed} model(s) failed to generate, {compile_failed} failed to compile"));
    }
    Ok(())
}

/// `n` models drawn by `seed` from the smaller half of `by_size` (sorted largest first), so
/// that a sample compiles in minutes; the largest are compiled on request (`--compile`).
fn sample<'a>(by_size: &[&'a Outcome], n: usize, seed: u64) -> Vec<&'a Outcome> {
    let mut smaller: Vec<&Outcome> = by_size[by_size.len() / 2..].to_vec();
    smaller.sort_by(|a, b| a.name.cmp(&b.name));
    let mut rng = fastrand::Rng::with_seed(seed);
    rng.shuffle(&mut smaller);
    smaller.truncate(n);
    smaller
}

/// Generates every model on all cores; results come back in model order.
fn generate_all(models: &[PathBuf], out: &Path) -> Vec<Outcome> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..models.len()).map(|_| None).collect());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = {
                    let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
                    let index = *next;
                    *next += 1;
                    index
                };
                let Some(path) = models.get(index) else { break };
                let outcome = generate_one(path, out);
                results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(outcome);
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
}

fn generate_one(path: &Path, out: &Path) -> Outcome {
    let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or_default();
    let options = CrateOptions::new(format!("sweep-{name}"), vec![format!("{name}.json")]);
    let mut outcome = Outcome { name: name.clone(), size, shapes: 0, warnings: 0, error: None };
    match codegen::generate(&[path], &options) {
        Err(err) => outcome.error = Some(err.to_string()),
        Ok(generated) => {
            outcome.warnings = generated.warnings.len();
            outcome.shapes = generated.shape_count;
            for warning in &generated.warnings {
                eprintln!("{warning}");
            }
            if let Err(err) = codegen::write::write(&generated.files, &out.join(&name), false) {
                outcome.error = Some(format!("cannot write crate: {err}"));
            }
        }
    }
    outcome
}

/// `cargo clippy` on one generated crate with warnings denied, sharing a target directory and
/// the workspace's lock file.
fn check(root: &Path, dir: &Path) -> Result<(), String> {
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("copy Cargo.lock: {e}"))?;
    crate::clippy(dir, &root.join("target/sweep-target"))
}
