//! Emission: the IR and service plans become Rust source files, one `quote!` function per
//! concept, collected into an ordered map of output path -> formatted source.

mod cli;
mod client;
mod crate_files;
mod customizations;
mod operation;
mod protocol;
mod protocol_tests;
mod rust_type;
mod shapes;
mod validate;

use crate::ir::Model;
use crate::plan::ServicePlan;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub use crate_files::{CrateOptions, Layout, RuntimeSource, RUNTIME_VERSION};
pub use protocol_tests::{CaseKind, ProtocolCase};

/// Output path (relative to the crate root) -> file contents.
pub type Files = BTreeMap<String, String>;

/// What every emitter needs: the model and the plan of the service being emitted.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    pub plan: &'a ServicePlan,
    /// Shapes that have an `impl Validate`.
    pub validated: std::collections::BTreeSet<String>,
    /// Pattern source -> name of its compiled static.
    pub patterns: BTreeMap<String, proc_macro2::Ident>,
    /// Model files, for the header.
    pub sources: &'a [String],
    /// Whether the crate gets the model's protocol compliance cases as unit tests.
    pub protocol_tests: bool,
}

impl<'a> Ctx<'a> {
    fn new(model: &'a Model, plan: &'a ServicePlan, options: &'a CrateOptions) -> Self {
        let mut ctx = Ctx {
            model,
            plan,
            validated: Default::default(),
            patterns: Default::default(),
            sources: &options.sources,
            protocol_tests: options.layout == Layout::Crate,
        };
        ctx.validated = validate::shapes_needing_validation(&ctx);
        ctx.patterns = validate::pattern_names(&ctx);
        ctx
    }
}

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
    let mut files = Files::new();
    let contexts: Vec<Ctx<'_>> = plans.iter().map(|plan| Ctx::new(model, plan, options)).collect();
    crate_files::emit(&contexts, options, &mut files)?;
    if options.layout == Layout::Crate {
        cli::emit_cli(&contexts, options, &mut files)?;
    }
    for ctx in &contexts {
        shapes::emit_service(ctx, &mut files)?;
        operation::emit_operations(ctx, &mut files)?;
        validate::emit_patterns(ctx, &mut files)?;
        client::emit_client(ctx, &mut files)?;
        protocol_tests::emit(ctx, &mut files)?;
    }
    Ok(Emitted { files, protocol_cases: protocol_tests::list(&contexts) })
}

/// Formats tokens with prettyplease and prepends the "generated" header.
pub(crate) fn render(path: &str, tokens: TokenStream, header: &str) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|err| format!("generator bug: emitted code for {path} does not parse: {err}"))?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}

/// `#[doc]` attributes for model documentation, or `fallback` when there is none.
pub(crate) fn doc_attrs(documentation: Option<&str>, fallback: &str) -> TokenStream {
    let lines = doc_text(documentation, fallback);
    quote! { #( #[doc = #lines] )* }
}

/// Like [`doc_attrs`], as inner attributes documenting the enclosing module.
pub(crate) fn inner_doc_attrs(documentation: Option<&str>, fallback: &str) -> TokenStream {
    let lines = doc_text(documentation, fallback);
    quote! { #( #![doc = #lines] )* }
}

fn doc_text(documentation: Option<&str>, fallback: &str) -> Vec<String> {
    let mut lines = documentation.map(crate::docs::doc_lines).unwrap_or_default();
    if lines.iter().all(|l| l.trim().is_empty()) {
        lines = vec![fallback.to_owned()];
    }
    lines.iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}

/// Parses a Rust path such as `crate::iot::types::Tag` into tokens.
pub(crate) fn path_tokens(path: &str) -> TokenStream {
    // Paths come from `naming`, which only makes valid identifiers.
    syn::parse_str::<syn::Path>(path).map(|p| quote!(#p)).unwrap_or_else(|err| {
        let message = format!("invalid generated path `{path}`: {err}");
        quote!(compile_error!(#message))
    })
}
