//! The project's own crate: which models it is generated from and how it is packaged. Shared
//! by `cargo xtask codegen` and the drift test so both produce byte-identical output.

use crate::{CrateOptions, RuntimeSource};
use std::path::{Path, PathBuf};

/// Package name of the generated crate in `generated/`.
pub const PACKAGE_NAME: &str = "aws-lite";

/// The project's model files (`model/*.json` and `model/*.smithy`), sorted, relative to the
/// workspace root.
///
/// # Errors
/// When `model/` cannot be read or holds no model file.
pub fn models(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("model");
    let entries = std::fs::read_dir(&dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    let mut models: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "smithy"))
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    models.sort();
    if models.is_empty() {
        return Err(format!("no *.json or *.smithy model files in {}", dir.display()));
    }
    Ok(models)
}

/// Packaging of the project crate for the given (relative) model paths.
pub fn options(models: &[PathBuf]) -> CrateOptions {
    CrateOptions {
        package_name: PACKAGE_NAME.to_owned(),
        sources: models.iter().map(|p| p.display().to_string().replace('\\', "/")).collect(),
        standalone: false,
        // `generated/` sits beside `codegen/` in the workspace.
        runtime: RuntimeSource::Path("../codegen/runtime".to_owned()),
        operations: Vec::new(),
        layout: crate::Layout::Crate,
    }
}
