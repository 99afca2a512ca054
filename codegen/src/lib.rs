//! Generates Rust client crates from Smithy JSON AST models.
//!
//! The pipeline, one module per stage:
//! `load` (files -> merged AST) -> `lower` (AST -> typed IR, located errors) -> `plan`
//! (selected operations, service closures, Rust names) -> `check` (every problem of the plan)
//! -> `emit` (IR -> formatted files) -> `write`.
//! Every stage reports into one [`Diagnostics`]; generation stops before emission if any
//! error was found, so a bad model never produces partial output. [`build::Builder`] runs the
//! pipeline from a user crate's build script.

pub mod ast;
pub mod build;
pub mod check;
pub mod diagnostics;
pub mod docs;
pub mod emit;
mod graph;
pub mod ir;
pub mod jmespath;
pub mod load;
pub mod lower;
pub mod naming;
pub mod node;
pub mod pattern;
pub mod plan;
pub mod prelude;
pub mod project;
pub mod write;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{CaseKind, CrateOptions, Files, Layout, ProtocolCase, RuntimeSource, RUNTIME_VERSION};

use std::fmt;
use std::path::Path;

/// A generated crate and the warnings about what was left out of it.
#[derive(Debug)]
pub struct Generated {
    /// Relative path -> contents.
    pub files: Files,
    /// Located warnings (features left out in a defined way).
    pub warnings: Vec<Diagnostic>,
    /// Number of shapes in the loaded model (prelude included).
    pub shape_count: usize,
    /// The model's client protocol compliance cases, emitted as unit tests of the crate.
    pub protocol_cases: Vec<emit::ProtocolCase>,
}

/// Why nothing was generated.
#[derive(Debug)]
pub enum GenerateError {
    /// The model has problems; all of them are listed.
    Model(Diagnostics),
    /// The generator produced code that does not parse (a bug in the generator).
    Internal(String),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Model(diags) => {
                write!(f, "the model has {} error(s):\n{diags}", diags.error_count())
            }
            GenerateError::Internal(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GenerateError {}

/// Runs the whole pipeline over model files.
pub fn generate(paths: &[impl AsRef<Path>], options: &CrateOptions) -> Result<Generated, GenerateError> {
    let mut diags = Diagnostics::default();
    let files = load::read_files(paths, &mut diags);
    generate_parsed(files, options, diags)
}

/// Runs the whole pipeline over in-memory model texts: `(file name, JSON)`.
pub fn generate_from_texts(texts: &[(&str, &str)], options: &CrateOptions) -> Result<Generated, GenerateError> {
    let mut diags = Diagnostics::default();
    let mut files = Vec::new();
    for (name, text) in texts {
        files.extend(load::parse_file(name, text, &mut diags).map(|model| ((*name).to_owned(), model)));
    }
    generate_parsed(files, options, diags)
}

/// Runs every stage before emission (load, lower, plan, check) over in-memory model texts,
/// `(file name, text)`, `.smithy` files as the IDL: the model's warnings, or all its problems.
/// Much cheaper than [`generate_from_texts`] when only the verdict matters (no crate is
/// emitted).
pub fn check_texts(texts: &[(&str, &str)], options: &CrateOptions) -> Result<Vec<Diagnostic>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let texts: Vec<(String, String)> = texts.iter().map(|(n, t)| ((*n).to_owned(), (*t).to_owned())).collect();
    let files = load::parse_texts(&texts, &mut diags);
    let checked = check_parsed(files, options, diags)?;
    Ok(checked.diags.warnings())
}

/// A model that passed every check, with its plans and warnings.
struct Checked {
    model: ir::Model,
    plans: Vec<plan::ServicePlan>,
    diags: Diagnostics,
}

fn check_parsed(
    files: Vec<(String, ast::ModelFile)>,
    options: &CrateOptions,
    mut diags: Diagnostics,
) -> Result<Checked, Diagnostics> {
    let merged = load::merge(files, &mut diags);
    let model = lower::lower(&merged, &mut diags);
    let selection =
        if options.operations.is_empty() { plan::Selection::All } else { plan::Selection::Only(&options.operations) };
    let plans = plan::plan(&model, selection);
    check::check(&model, &plans, selection, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Checked { model, plans, diags })
}

fn generate_parsed(
    files: Vec<(String, ast::ModelFile)>,
    options: &CrateOptions,
    diags: Diagnostics,
) -> Result<Generated, GenerateError> {
    let Checked { model, plans, diags } = check_parsed(files, options, diags).map_err(GenerateError::Model)?;
    let emitted = emit::emit_crate(&model, &plans, options).map_err(GenerateError::Internal)?;
    Ok(Generated {
        files: emitted.files,
        warnings: diags.warnings(),
        shape_count: model.shapes.len(),
        protocol_cases: emitted.protocol_cases,
    })
}
