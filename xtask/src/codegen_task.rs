//! `cargo xtask codegen`.

use codegen::write::write;
use codegen::{CrateOptions, RuntimeSource};
use std::path::{Path, PathBuf};

struct Args {
    check: bool,
    models: Vec<PathBuf>,
    out: Option<PathBuf>,
    name: Option<String>,
    runtime: Option<RuntimeSource>,
    operations: Vec<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed =
        Args { check: false, models: Vec::new(), out: None, name: None, runtime: None, operations: Vec::new() };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--model" => parsed.models.push(PathBuf::from(value("--model")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--name" => parsed.name = Some(value("--name")?),
            "--runtime-path" => parsed.runtime = Some(RuntimeSource::Path(value("--runtime-path")?)),
            "--runtime-registry" => parsed.runtime = Some(RuntimeSource::Registry),
            "--operation" => parsed.operations.push(value("--operation")?),
            other => return Err(format!("codegen: unknown argument `{other}`")),
        }
    }
    Ok(parsed)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let root = crate::workspace_root();
    let project = args.models.is_empty();
    // Project models are read relative to the root so headers name them stably.
    let (models, out, mut options) = if project {
        let models = codegen::project::models(&root)?;
        let options = codegen::project::options(&models);
        (models, args.out.unwrap_or_else(|| root.join("generated")), options)
    } else {
        let out = args.out.ok_or("--out DIR is required with --model")?;
        let sources = args.models.iter().map(|p| p.display().to_string()).collect();
        let options = CrateOptions::new(default_package_name(&out), sources);
        (args.models, out, options)
    };
    if let Some(name) = args.name {
        options.package_name = name;
    }
    if let Some(runtime) = args.runtime {
        options.runtime = runtime;
    }
    options.operations = args.operations;
    let paths: Vec<PathBuf> = models.iter().map(|p| if project { root.join(p) } else { p.clone() }).collect();
    let generated = codegen::generate(&paths, &options).map_err(|err| err.to_string())?;
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    let report = write(&generated.files, &out, args.check).map_err(|err| format!("cannot write output: {err}"))?;
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    if args.check {
        if report.is_stale() {
            let mut message = format!("{} is out of date with the model:\n", shown(&out));
            for path in &report.changed {
                message.push_str(&format!("  stale:   {}\n", shown(path)));
            }
            for path in &report.removed {
                message.push_str(&format!("  extra:   {}\n", shown(path)));
            }
            message.push_str("run `cargo xtask codegen` and commit the result");
            return Err(message);
        }
        println!("{} is up to date ({} files)", shown(&out), report.unchanged);
    } else {
        println!(
            "{}: {} written, {} removed, {} unchanged",
            shown(&out),
            report.changed.len(),
            report.removed.len(),
            report.unchanged
        );
    }
    Ok(())
}

fn default_package_name(out: &Path) -> String {
    let base = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let name: String =
        base.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("generated-{name}")
    } else {
        name
    }
}
