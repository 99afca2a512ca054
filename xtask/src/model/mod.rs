//! `cargo xtask model add | update | remove`: the files of `model/` taken from upstream AWS
//! models, operation by operation, with their whole closure, refreshed with a change report,
//! trimmed again. Every command checks everything before it writes, and writes a file whole
//! (a temporary file renamed over it), so a failure leaves `model/` as it was.

mod ast;
mod build;
mod closure;
mod report;
#[cfg(test)]
mod tests;

use build::{build, conflicts, Built, Docs};
use closure::{resolve_operation, Model};
use report::Report;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The command lines, for errors.
const USAGE: &str = "cargo xtask model add --from UPSTREAM --operation NAME... | update --from UPSTREAM \
                     [--docs local|upstream] [--check] [--report FILE] | remove --operation NAME... \
                     (each with [--model-dir DIR]) | ast FILE...; `cargo xtask help` explains them";

/// The parsed arguments of a `model` command.
#[derive(Debug, Default)]
struct Args {
    from: Option<PathBuf>,
    operations: Vec<String>,
    model_dir: Option<PathBuf>,
    docs: Option<Docs>,
    check: bool,
    report: Option<PathBuf>,
}

/// Runs `cargo xtask model <command> ...`.
pub fn run(args: &[String]) -> Result<(), String> {
    let (command, rest) = args.split_first().ok_or_else(|| format!("usage: {USAGE}"))?;
    if command == "ast" {
        print!("{}", ast::ast(rest)?);
        return Ok(());
    }
    let parsed = parse_args(rest)?;
    let model_dir = parsed.model_dir.clone().unwrap_or_else(|| crate::workspace_root().join("model"));
    match command.as_str() {
        "add" => add(&parsed, &model_dir),
        "update" => update(&parsed, &model_dir).map(|_| ()),
        "remove" => remove(&parsed, &model_dir),
        other => Err(format!("unknown model command `{other}`; usage: {USAGE}")),
    }
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--from" => parsed.from = Some(PathBuf::from(value("--from")?)),
            "--operation" => parsed.operations.push(value("--operation")?),
            "--model-dir" => parsed.model_dir = Some(PathBuf::from(value("--model-dir")?)),
            "--report" => parsed.report = Some(PathBuf::from(value("--report")?)),
            "--docs" => {
                parsed.docs = Some(match value("--docs")?.as_str() {
                    "local" => Docs::Local,
                    "upstream" => Docs::Upstream,
                    other => return Err(format!("--docs takes `local` or `upstream`, not `{other}`")),
                })
            }
            "--check" => parsed.check = true,
            other => return Err(format!("unknown argument `{other}`; usage: {USAGE}")),
        }
    }
    Ok(parsed)
}

/// A model file read from disk.
struct File {
    path: PathBuf,
    name: String,
    text: String,
    model: Model,
}

fn read(path: &Path) -> Result<File, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read {name}: {err}"))?;
    // An IDL upstream is read through the generator's IDL loader, as its JSON AST.
    let model = if codegen::load::idl::is_idl(&name) {
        let ast = codegen::load::idl::file_to_json_ast(&name, &text)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))?;
        Model::parse(&name, &ast.to_string())?
    } else {
        Model::parse(&name, &text)?
    };
    Ok(File { path: path.to_owned(), name, text, model })
}

/// The JSON files of `dir`, sorted.
fn model_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// The file of `model_dir` whose service is `service_id`, if one is.
fn local_file_of(model_dir: &Path, service_id: &str) -> Result<Option<File>, String> {
    for path in model_files(model_dir)? {
        let file = read(&path)?;
        if file.model.service(&file.name)?.0 == service_id {
            return Ok(Some(file));
        }
    }
    Ok(None)
}

/// Writes `text` to `path` through a temporary file in the same directory.
fn write_whole(path: &Path, text: &str) -> Result<(), String> {
    let temporary = path.with_extension(format!("json.tmp-{}", std::process::id()));
    std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, path)).map_err(|err| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {err}", path.display())
    })
}

fn upstream_of(args: &Args) -> Result<File, String> {
    let from = args.from.as_deref().ok_or("--from UPSTREAM.json is required")?;
    read(from)
}

fn add(args: &Args, model_dir: &Path) -> Result<(), String> {
    if args.operations.is_empty() {
        return Err("name at least one --operation".to_owned());
    }
    let upstream = upstream_of(args)?;
    let (service_id, service) = upstream.model.service(&upstream.name)?;
    let bound = upstream.model.bound_operations(service);
    let mut wanted = BTreeSet::new();
    for name in &args.operations {
        wanted.insert(resolve_operation(name, &bound).map_err(|err| format!("{}: {err}", upstream.name))?);
    }
    let local = local_file_of(model_dir, service_id)?;
    if let Some(local) = &local {
        let (_, local_service) = local.model.service(&local.name)?;
        for op in closure::targets(local_service, "operations") {
            if !bound.contains(&op) {
                return Err(format!(
                    "{}: operation `{op}` is not in {}; run `cargo xtask model update --from {}` first",
                    local.name, upstream.name, upstream.name
                ));
            }
            wanted.insert(op);
        }
    }
    let built = build(&upstream.model, &upstream.name, &wanted, local.as_ref().map(|f| &f.model), Docs::Local)?;
    let path = match &local {
        Some(local) => {
            let changed = conflicts(&local.model, &built);
            if !changed.is_empty() {
                return Err(format!(
                    "{}: these shapes differ from {} beyond documentation: {}; run `cargo xtask model update --from {}` \
                     first",
                    local.name,
                    upstream.name,
                    changed.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", "),
                    upstream.name
                ));
            }
            local.path.clone()
        }
        None => {
            let stem = upstream.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            model_dir.join(format!("{stem}.json"))
        }
    };
    let text = built.text();
    if local.as_ref().is_some_and(|local| local.text == text) {
        println!("{}: already has {}", path.display(), list(&args.operations));
        return Ok(());
    }
    write_whole(&path, &text)?;
    println!("{}: {} operations, {} shapes", path.display(), wanted.len(), built.shapes.len());
    Ok(())
}

/// Runs `model update`; gives the report.
fn update(args: &Args, model_dir: &Path) -> Result<String, String> {
    let upstream = upstream_of(args)?;
    let (service_id, service) = upstream.model.service(&upstream.name)?;
    let local = local_file_of(model_dir, service_id)?.ok_or_else(|| {
        format!("no file of {} holds service `{service_id}`; `cargo xtask model add` starts one", model_dir.display())
    })?;
    let (_, local_service) = local.model.service(&local.name)?;
    let bound = upstream.model.bound_operations(service);
    let kept: BTreeSet<String> =
        closure::targets(local_service, "operations").filter(|op| bound.contains(op)).collect();
    let docs = args.docs.unwrap_or(Docs::Local);
    let built = build(&upstream.model, &upstream.name, &kept, Some(&local.model), docs)?;
    let report = Report::compare(&local.model.shapes, &built.shapes);
    let title = format!("Model update: `{service_id}` ({}) from {}", local.name, upstream.name);
    let markdown = report.markdown(&title, &built.docs_kept);
    print!("{markdown}");
    if let Some(path) = &args.report {
        std::fs::write(path, &markdown).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    let text = built.text();
    if args.check {
        if text != local.text {
            return Err(format!("{} differs from what {} gives", local.name, upstream.name));
        }
        return Ok(markdown);
    }
    if text != local.text {
        write_whole(&local.path, &text)?;
    }
    Ok(markdown)
}

fn remove(args: &Args, model_dir: &Path) -> Result<(), String> {
    if args.operations.is_empty() {
        return Err("name at least one --operation".to_owned());
    }
    let files: Vec<File> = model_files(model_dir)?.iter().map(|path| read(path)).collect::<Result<_, _>>()?;
    let mut changes: Vec<(usize, BTreeSet<String>)> = Vec::new();
    for name in &args.operations {
        let mut found = Vec::new();
        for (index, file) in files.iter().enumerate() {
            let (_, service) = file.model.service(&file.name)?;
            let listed: BTreeSet<String> = closure::targets(service, "operations").collect();
            if let Ok(id) = resolve_operation(name, &listed) {
                found.push((index, id));
            }
        }
        match found.as_slice() {
            [(index, id)] => match changes.iter_mut().find(|(i, _)| i == index) {
                Some((_, ids)) => {
                    ids.insert(id.clone());
                }
                None => changes.push((*index, BTreeSet::from([id.clone()]))),
            },
            [] => return Err(format!("no file of {} lists operation `{name}`", model_dir.display())),
            several => {
                let names: Vec<&str> = several.iter().map(|(i, _)| files[*i].name.as_str()).collect();
                return Err(format!(
                    "operation `{name}` is in several files ({}); name it by shape ID",
                    names.join(", ")
                ));
            }
        }
    }
    let mut writes: Vec<(&File, Built)> = Vec::new();
    for (index, removed) in changes {
        let file = &files[index];
        let (_, service) = file.model.service(&file.name)?;
        let kept: BTreeSet<String> =
            closure::targets(service, "operations").filter(|op| !removed.contains(op)).collect();
        if kept.is_empty() {
            return Err(format!(
                "{}: removing {} leaves no operation; delete the file instead",
                file.name,
                list(&args.operations)
            ));
        }
        writes.push((file, build(&file.model, &file.name, &kept, None, Docs::Upstream)?));
    }
    for (file, built) in writes {
        write_whole(&file.path, &built.text())?;
        println!("{}: {} shapes", file.name, built.shapes.len());
    }
    Ok(())
}

fn list(names: &[String]) -> String {
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}
