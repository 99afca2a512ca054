//! How a crate is generated: its name and sources, where its runtime comes from, which
//! operations it keeps, and whether it is a package or modules for a build script.

/// How the generated crate is packaged.
#[derive(Debug, Clone)]
pub struct CrateOptions {
    /// Cargo package name.
    pub package_name: String,
    /// The model files, as shown in headers (use stable relative paths for committed output).
    pub sources: Vec<String>,
    /// Add an empty `[workspace]` table so the crate builds outside any workspace.
    pub standalone: bool,
    /// Where the generated manifest finds `aws-lite-runtime`.
    pub runtime: RuntimeSource,
    /// The operations to generate, by model name or shape ID; empty for all of them.
    pub operations: Vec<String>,
    /// A crate, or modules a build script includes.
    pub layout: Layout,
}

/// What the generator writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// A package: `Cargo.toml`, `src/lib.rs`, a module per service, the `cli` binary and the
    /// protocol compliance tests.
    Crate,
    /// Modules for a build script: `src/lib.rs` and a module per service, written to `dir`
    /// (absolute) and included at the root of the user's crate with `include!`. The root file
    /// has no inner attributes (`include!` cannot take them) and names each service module by
    /// absolute path; there is no manifest, binary or protocol test.
    Include {
        /// The directory the files are written to.
        dir: String,
    },
}

impl CrateOptions {
    /// A standalone crate named `package_name`, generated from `sources`, whose runtime is the
    /// one beside this generator's sources (see [`RuntimeSource::local`]).
    pub fn new(package_name: impl Into<String>, sources: Vec<String>) -> Self {
        CrateOptions {
            package_name: package_name.into(),
            sources,
            standalone: true,
            runtime: RuntimeSource::local(),
            operations: Vec::new(),
            layout: Layout::Crate,
        }
    }
}

/// The version of `aws-lite-runtime` this generator emits code for. The two are released
/// together, so a generated manifest pins exactly this version.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How a generated crate depends on `aws-lite-runtime`; the version is pinned either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// A path dependency: the runtime's directory as written into the manifest (absolute, or
    /// relative to the generated crate).
    Path(String),
    /// The version alone, from the crate registry.
    Registry,
}

impl RuntimeSource {
    /// The runtime sources beside this generator's (`codegen/runtime`), by absolute path: what
    /// a crate generated on this machine, outside the workspace, builds against.
    pub fn local() -> Self {
        RuntimeSource::Path(concat!(env!("CARGO_MANIFEST_DIR"), "/runtime").to_owned())
    }

    /// The manifest's dependency table for the runtime, with extra `features`.
    pub(crate) fn dependency(&self, features: &[&str]) -> String {
        let mut fields = vec![format!("version = \"={RUNTIME_VERSION}\"")];
        if let RuntimeSource::Path(path) = self {
            fields.push(format!("path = {}", toml_string(path)));
        }
        if !features.is_empty() {
            let list: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
            fields.push(format!("features = [{}]", list.join(", ")));
        }
        format!("{{ {} }}", fields.join(", "))
    }
}

/// A TOML basic string (paths may hold backslashes and quotes).
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
