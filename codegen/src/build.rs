//! Generation from a build script, as prost-build and progenitor offer it: a crate depends on
//! `aws-lite-runtime`, lists `codegen` under `[build-dependencies]`, and generates its clients
//! into `OUT_DIR` on every build where a model changed.
//!
//! ```no_run
//! // build.rs
//! fn main() -> std::process::ExitCode {
//!     let generated = codegen::build::Builder::new()
//!         .model("model/iot.json")
//!         .operation("CreateCustomMetric")
//!         .generate();
//!     match generated {
//!         Ok(_) => std::process::ExitCode::SUCCESS,
//!         Err(err) => {
//!             eprintln!("{err}");
//!             std::process::ExitCode::FAILURE
//!         }
//!     }
//! }
//! ```
//!
//! ```text
//! // src/lib.rs: at the crate root, since generated paths start at `crate::`
//! include!(concat!(env!("OUT_DIR"), "/aws-lite/src/lib.rs"));
//! ```

use crate::{CrateOptions, GenerateError, Layout};
use std::fmt;
use std::path::{Path, PathBuf};

/// Where under `OUT_DIR` the files go; the root file is `src/lib.rs` inside it.
pub const OUT_SUBDIR: &str = "aws-lite";

/// Generates client modules for a build script. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Builder {
    models: Vec<PathBuf>,
    operations: Vec<String>,
    out_dir: Option<PathBuf>,
    emit_cargo_directives: bool,
}

/// Why a build script could not generate.
#[derive(Debug)]
pub enum BuildError {
    /// No model file was given.
    NoModel,
    /// `OUT_DIR` is not set (the builder is not running in a build script) and no output
    /// directory was given.
    NoOutDir,
    /// The models have problems, or the generator failed.
    Generate(GenerateError),
    /// The output could not be written.
    Write(std::io::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::NoModel => f.write_str("aws-lite codegen: no model file given (call `Builder::model`)"),
            BuildError::NoOutDir => {
                f.write_str("aws-lite codegen: OUT_DIR is not set; run from a build script or call `Builder::out_dir`")
            }
            BuildError::Generate(err) => write!(f, "aws-lite codegen: {err}"),
            BuildError::Write(err) => write!(f, "aws-lite codegen: cannot write the generated code: {err}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl Builder {
    /// A builder that prints cargo's `rerun-if-changed` directives and warnings, as a build
    /// script should.
    pub fn new() -> Self {
        Builder { emit_cargo_directives: true, ..Builder::default() }
    }

    /// Adds a Smithy JSON AST model file (relative to the crate's manifest directory, where
    /// cargo runs build scripts).
    pub fn model(mut self, path: impl Into<PathBuf>) -> Self {
        self.models.push(path.into());
        self
    }

    /// Keeps only the named operations (by model name, like `CreateCustomMetric`, or shape ID);
    /// without any, every operation is generated. A name that matches no operation is an error
    /// that lists the close matches.
    pub fn operation(mut self, name: impl Into<String>) -> Self {
        self.operations.push(name.into());
        self
    }

    /// Writes into `dir` instead of `$OUT_DIR/aws-lite`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` and `cargo:warning` lines (on by default).
    pub fn cargo_directives(mut self, on: bool) -> Self {
        self.emit_cargo_directives = on;
        self
    }

    /// Generates and writes the modules (only files whose contents changed are rewritten);
    /// returns the root file to `include!`.
    ///
    /// # Errors
    /// When no model is given, there is no output directory, a model has problems (every
    /// problem is listed, and nothing is written) or the files cannot be written.
    pub fn generate(self) -> Result<PathBuf, BuildError> {
        if self.models.is_empty() {
            return Err(BuildError::NoModel);
        }
        let dir = match self.out_dir {
            Some(dir) => dir,
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or(BuildError::NoOutDir)?).join(OUT_SUBDIR),
        };
        if self.emit_cargo_directives {
            for model in &self.models {
                println!("cargo:rerun-if-changed={}", model.display());
            }
        }
        let sources = self.models.iter().map(|p| p.display().to_string()).collect();
        let mut options = CrateOptions::new("aws-lite", sources);
        options.operations = self.operations;
        options.layout = Layout::Include { dir: absolute(&dir).display().to_string() };
        let generated = crate::generate(&self.models, &options).map_err(BuildError::Generate)?;
        if self.emit_cargo_directives {
            for warning in &generated.warnings {
                println!("cargo:warning={}", warning.to_string().replace('\n', " "));
            }
        }
        crate::write::write(&generated.files, &dir, false).map_err(BuildError::Write)?;
        Ok(dir.join("src/lib.rs"))
    }
}

/// `path` made absolute against the current directory (without touching the file system).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
