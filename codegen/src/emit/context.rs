//! What every emitter shares: the service being emitted ([`Ctx`]), formatting, documentation
//! attributes, paths and the header of generated files. The bottom layer of `emit`: it uses no
//! other emitter.

use crate::emit::options::{CrateOptions, Layout};
use crate::ir::Model;
use crate::plan::ServicePlan;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// Output path (relative to the crate root) -> file contents.
pub type Files = BTreeMap<String, String>;

/// What every emitter needs: the model and the plan of the service being emitted.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    pub plan: &'a ServicePlan,
    /// How the crate is generated.
    pub options: &'a CrateOptions,
    /// Whether the crate gets the model's protocol compliance cases as unit tests.
    pub protocol_tests: bool,
}

impl Ctx<'_> {
    /// The first line of every file of this service.
    pub fn header(&self) -> String {
        header(self.options)
    }
}

/// The first line of every generated file: what made it, from which models.
pub(crate) fn header(options: &CrateOptions) -> String {
    let generator = match options.layout {
        Layout::Crate => crate::write::GENERATED_MARKER,
        Layout::Include { .. } => crate::write::BUILD_SCRIPT_MARKER,
    };
    format!("// {generator} from {}. Do not edit by hand.", options.sources.join(", "))
}

/// Formats tokens with prettyplease (prelude paths shortened) and prepends the "generated" header.
pub(crate) fn render(path: &str, tokens: TokenStream, header: &str) -> Result<String, String> {
    let mut file = syn::parse2::<syn::File>(tokens)
        .map_err(|err| format!("generator bug: emitted code for {path} does not parse: {err}"))?;
    super::short_paths::shorten(path, &mut file);
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

/// The identifier for a Rust name the plan made (`r#type` becomes a raw identifier).
///
/// Plan names are identifiers by construction (`naming` makes them); any other text would be a
/// generator bug, which becomes the identifier `invalid_name` instead of a panic.
pub(crate) fn ident(name: &str) -> Ident {
    let span = Span::call_site();
    let plain = |text: &str| {
        let mut chars = text.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match name.strip_prefix("r#") {
        // `self`, `super`, `crate`, `Self` and `_` cannot be raw.
        Some(raw) if plain(raw) && !matches!(raw, "self" | "super" | "crate" | "Self" | "_") => {
            Ident::new_raw(raw, span)
        }
        None if plain(name) => Ident::new(name, span),
        _ => Ident::new("invalid_name", span),
    }
}

/// A Rust path such as `crate::iot::types::Tag` as tokens, each segment through [`ident`].
pub(crate) fn path_tokens(path: &str) -> TokenStream {
    let (root, rest) = match path.strip_prefix("crate::") {
        Some(rest) => (Some(Ident::new("crate", Span::call_site())), rest),
        None => (None, path),
    };
    let segments = rest.split("::").map(ident);
    match root {
        Some(root) => quote!(#root #(:: #segments)*),
        None => quote!(#(#segments)::*),
    }
}

#[cfg(test)]
mod tests {
    use super::{ident, path_tokens};

    #[test]
    fn idents_are_raw_when_asked_and_never_panic() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("self_").to_string(), "self_");
        assert_eq!(ident("Foo").to_string(), "Foo");
        for bad in ["r#self", "r#_", "", "a-b", "1a", "r#"] {
            assert_eq!(ident(bad).to_string(), "invalid_name", "{bad}");
        }
    }

    #[test]
    fn paths_keep_crate_and_make_keywords_raw() {
        assert_eq!(path_tokens("crate::svc::types::Tag").to_string(), "crate :: svc :: types :: Tag");
        assert_eq!(
            path_tokens("crate::svc::operation::r#type::TypeInput").to_string(),
            "crate :: svc :: operation :: r#type :: TypeInput"
        );
        assert_eq!(path_tokens("aws_lite::svc::Client").to_string(), "aws_lite :: svc :: Client");
    }
}
