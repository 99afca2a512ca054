//! Emission: the IR and service plans become Rust source files, one `quote!` function per
//! concept, collected into an ordered map of output path -> formatted source.
//!
//! Layers, each using only those before it:
//! 1. `context` and `options`: the service being emitted, formatting, docs, paths, headers;
//!    how the crate is packaged;
//! 2. `items`: the Rust items of each shape kind (types, builders, validators);
//! 3. `protocol`: wire serializers and parsers of the service's protocol;
//! 4. `files`: the files that assemble a crate (manifest and root, types and operation
//!    modules, clients, the CLI tables, protocol tests).
//!
//! A test (`codegen/tests/emit_layers.rs`) keeps imports flowing one way.

mod context;
mod files;
mod items;
mod options;
mod protocol;
mod short_paths;

use crate::ir::Model;
use crate::plan::ServicePlan;
use context::Ctx;

pub use crate::plan::CaseKind;
pub use context::Files;
pub use files::protocol_tests::ProtocolCase;
pub use options::{CrateOptions, Layout, RuntimeSource, RUNTIME_VERSION};

/// A generated crate's files and the protocol tests among them.
pub struct Emitted {
    /// Output path -> contents.
    pub files: Files,
    /// The model's client protocol compliance cases, one unit test each.
    pub protocol_cases: Vec<ProtocolCase>,
}

/// Emits a whole crate. Fails only if emitted tokens do not parse as Rust, which would be a
/// generator bug; the message names the file.
pub fn emit_crate(model: &Model, plans: &[ServicePlan], options: &CrateOptions) -> Result<Emitted, String> {
    let contexts: Vec<Ctx<'_>> = plans.iter().map(|plan| context(model, plan, options)).collect();
    let files = files::emit(&contexts, options)?;
    Ok(Emitted { files, protocol_cases: files::protocol_tests::list(&contexts) })
}

fn context<'a>(model: &'a Model, plan: &'a ServicePlan, options: &'a CrateOptions) -> Ctx<'a> {
    Ctx { model, plan, options, protocol_tests: options.layout == Layout::Crate }
}
