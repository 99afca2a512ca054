//! Reads the Smithy IDL (2.0, and 1.0 files as the specification allows) into the Smithy JSON
//! AST, which the JSON loader then reads like any `.json` model file.
//!
//! `lexer` (tokens with line and column) -> `parser` (statements, shape IDs as written) ->
//! `resolve` (absolute shape IDs across every file loaded together, elided members, the checks
//! that need other shapes) -> a `serde_json::Value` in the JSON AST form.
//!
//! Why the JSON AST rather than [`crate::ast`] directly: it is the one documented form every
//! IDL construct has a defined translation to (inline input/output become `@input`/`@output`
//! structures, `apply` on inherited members stays an `apply` entry, resource identifiers and
//! properties keep their place), the conformance cases are written in it, and going through
//! the JSON reader means an IDL file gets exactly the per-shape checks and merge rules of a
//! JSON file, with no second path to keep in step.
//!
//! Every error names the file, line and column; nothing panics on any input, node values nest
//! at most 100 levels, and each stage is linear in the size of the file.

mod lexer;
mod parser;
mod prelude_names;
mod resolve;

pub use parser::Document;
use serde_json::Value;
use std::fmt;

/// A position in an IDL file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1, counted in characters.
    pub column: u32,
}

/// A problem of an IDL file, at its line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file, as given.
    pub file: String,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
    /// What was expected and what was found, or what is wrong.
    pub message: String,
}

impl Error {
    fn new(pos: Pos, message: impl Into<String>) -> Self {
        Error { file: String::new(), line: pos.line, column: pos.column, message: message.into() }
    }

    fn in_file(mut self, file: &str) -> Self {
        file.clone_into(&mut self.file);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for Error {}

/// Whether `file` names an IDL model file (`.smithy`).
pub fn is_idl(file: &str) -> bool {
    std::path::Path::new(file).extension().is_some_and(|e| e.eq_ignore_ascii_case("smithy"))
}

/// Parses the IDL text of `file`: its syntax, and what can be checked within its statements.
///
/// # Errors
/// The first syntax error, at its line and column.
pub fn parse(file: &str, text: &str) -> Result<Document, Error> {
    parser::parse(file, lexer::tokenize(text)).map_err(|e| e.in_file(file))
}

/// The Smithy JSON AST of each of `documents`, loaded together with the JSON AST models
/// `others`: relative shape IDs may refer to shapes of any of them. One result per document,
/// in order.
pub fn to_json_ast(documents: &[Document], others: &[&Value]) -> Vec<Result<Value, Vec<Error>>> {
    resolve::resolve_all(documents, others)
        .into_iter()
        .zip(documents)
        .map(|(result, doc)| result.map_err(|errors| errors.into_iter().map(|e| e.in_file(&doc.file)).collect()))
        .collect()
}

/// The Smithy JSON AST of one IDL file on its own.
///
/// # Errors
/// The syntax error, or every resolution error, each at its line and column.
pub fn file_to_json_ast(file: &str, text: &str) -> Result<Value, Vec<Error>> {
    let document = parse(file, text).map_err(|e| vec![e])?;
    to_json_ast(std::slice::from_ref(&document), &[]).into_iter().next().unwrap_or_else(|| Ok(Value::Null))
}
