//! Problems found in a model, collected and reported together.
//!
//! Every stage (loading, lowering, checking, naming) pushes into one [`Diagnostics`] and keeps
//! going; the pipeline stops only between stages, so a user sees every problem of a model in
//! one run, each located by file, shape ID and member.

use std::fmt;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something the generator leaves out of the crate in a defined way (and says so).
    Warning,
    /// The model cannot be generated.
    Error,
}

/// One located problem.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// How serious the problem is.
    pub severity: Severity,
    /// The model file the problem comes from, as given on the command line.
    pub file: String,
    /// The absolute shape ID, when the problem belongs to a shape.
    pub shape: Option<String>,
    /// The member name, when the problem belongs to a member.
    pub member: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.file)?;
        if let Some(shape) = &self.shape {
            write!(f, ": {shape}")?;
            if let Some(member) = &self.member {
                write!(f, "${member}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Where a problem is, used to build diagnostics tersely.
#[derive(Debug, Clone, Default)]
pub struct Location {
    /// Model file.
    pub file: String,
    /// Shape ID.
    pub shape: Option<String>,
    /// Member name.
    pub member: Option<String>,
}

impl Location {
    /// A location in a file, outside any shape.
    pub fn file(file: impl Into<String>) -> Self {
        Self { file: file.into(), shape: None, member: None }
    }

    /// A shape in a file.
    pub fn shape(file: impl Into<String>, shape: impl Into<String>) -> Self {
        Self { file: file.into(), shape: Some(shape.into()), member: None }
    }

    /// The same location narrowed to a member.
    pub fn member(&self, member: impl Into<String>) -> Self {
        Self { member: Some(member.into()), ..self.clone() }
    }
}

/// The problems collected so far.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error at `at`.
    pub fn error(&mut self, at: &Location, message: impl Into<String>) {
        self.push(Severity::Error, at, message.into());
    }

    /// Records a warning at `at`.
    pub fn warning(&mut self, at: &Location, message: impl Into<String>) {
        self.push(Severity::Warning, at, message.into());
    }

    fn push(&mut self, severity: Severity, at: &Location, message: String) {
        self.items.push(Diagnostic {
            severity,
            file: at.file.clone(),
            shape: at.shape.clone(),
            member: at.member.clone(),
            message,
        });
    }

    /// Whether any error (not just warnings) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All problems, sorted by file, shape and member so reports are stable.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.file, &a.shape, &a.member, a.severity, &a.message)
                .cmp(&(&b.file, &b.shape, &b.member, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    /// Only the warnings, sorted.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.sorted().into_iter().filter(|d| d.severity == Severity::Warning).collect()
    }

    /// Number of errors (a problem found by two stages counts once, as it is listed once).
    pub fn error_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.severity == Severity::Error).count()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.sorted() {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}
