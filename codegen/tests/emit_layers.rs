//! Imports inside `codegen/src/emit/` run one way: `context`/`options` <- `items` <- `protocol`
//! <- `files` <- the `emit` root. A module may use its own layer's modules, or lower layers, never a
//! higher one; within a layer, no two modules use each other. Emitters also take every Rust
//! name from the plan rather than making it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first, each a set of top-level modules of `emit`.
const LAYERS: &[&[&str]] = &[&["context", "options"], &["items"], &["protocol"], &["files"]];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("read emit dir").map(|e| e.expect("dir entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `emit/items/shapes.rs` -> ("items", "items::shapes"); `emit/mod.rs` -> ("", "").
fn module_of(emit: &Path, file: &Path) -> (String, String) {
    let relative = file.strip_prefix(emit).expect("under emit").with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    (parts.first().cloned().unwrap_or_default(), parts.join("::"))
}

/// The `emit` modules a file names in Rust code (`crate::emit::a::b`, `super::x`), outside
/// `quote!` bodies' generated paths (those start with `::` or name generated modules).
fn references(text: &str, own: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines().map(str::trim_start).filter(|l| !l.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::emit::") {
            let path: String = rest[at + "crate::emit::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            if let Some(first) = segments.first() {
                let module = match segments.get(1) {
                    Some(second) if second.chars().next().is_some_and(char::is_lowercase) => {
                        format!("{first}::{second}")
                    }
                    _ => (*first).to_owned(),
                };
                if module != own {
                    out.insert(module);
                }
            }
            rest = &rest[at + 1..];
        }
    }
    out
}

fn layer_index(layer: &str) -> usize {
    LAYERS.iter().position(|l| l.contains(&layer)).unwrap_or(LAYERS.len())
}

#[test]
fn emit_imports_run_one_way() {
    let emit = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
    let mut files = Vec::new();
    rust_files(&emit, &mut files);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        // Top-level `use super::...` would hide a dependency from this scan.
        assert!(
            !text.lines().any(|l| l.starts_with("use super::")),
            "{}: name other emit modules by `crate::emit::` paths",
            file.display()
        );
        let (layer, module) = module_of(&emit, file);
        for used in references(&text, &module) {
            let used_layer = used.split("::").next().unwrap_or_default().to_owned();
            if !module.is_empty() && layer_index(&used_layer) > layer_index(&layer) {
                problems.push(format!("{module} (layer {layer}) uses {used} (layer {used_layer})"));
            }
            uses.entry(module.clone()).or_default().insert(used);
        }
    }
    for (module, used) in &uses {
        for other in used {
            if uses.get(other).is_some_and(|back| back.contains(module)) && module < other {
                problems.push(format!("{module} and {other} use each other"));
            }
        }
    }
    assert!(problems.is_empty(), "emit layering broken:\n{}", problems.join("\n"));
    assert!(uses.keys().any(|m| m.starts_with("files")), "the scan found the files layer");
}

/// Emitters write the plan's names and traits and never emit `compile_error!`: no file under
/// `emit/` calls `naming::` or `effective_traits`, indexes the model's shape map (which panics
/// on a missing key) or mentions `compile_error!`.
#[test]
fn emitters_take_names_from_the_plan() {
    let emit = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
    let mut files = Vec::new();
    rust_files(&emit, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        let (_, module) = module_of(&emit, file);
        if text.contains("naming::") {
            problems.push(format!("{module} calls `naming::`"));
        }
        if text.contains("effective_traits(") {
            problems.push(format!("{module} re-derives effective traits"));
        }
        if text.contains(".shapes[") {
            problems.push(format!("{module} indexes the shape map"));
        }
        if text.contains(concat!("compile", "_error!")) {
            problems.push(format!("{module} mentions `compile_error!`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
