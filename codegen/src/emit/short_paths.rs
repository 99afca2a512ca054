//! Shortens fully qualified paths before a file is printed, as hand-written code would
//! write them.
//!
//! Emitters write `::std::option::Option<T>`, `::aws_lite_runtime::client::SdkError<E>` and
//! `crate::iot::types::Tag` so that their tokens mean the same thing wherever they land, even in
//! a module that defines a type called `Option` (models have shapes named `Result`, `String`,
//! `Box`...). Once a whole file is parsed, it is known which names the file declares, and:
//! - a path to a standard-prelude item whose name the file leaves free is printed as the
//!   prelude name (`Option<T>`, `Some(x)`, `Default::default()`);
//! - a path into a module of this crate or another is printed from that module's name
//!   (`client::SdkError<E>`, `types::Tag`), with one `use` per module scope, when the file
//!   declares nothing of that name and the scope imports no other module under it; a path to an
//!   item of the file's own module, at its top level, becomes the item's name (`Tag`).
//!
//! This keeps signatures, fields and serde attributes on one line. One set of declared names
//! per file (every module and block) is conservative but never wrong: a declaration can only
//! shadow a name, never widen it. A file with a glob import keeps every path as it was given, a
//! file with `#[cfg]` its module paths.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::{Literal, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// `std` module and item of each prelude name (the Rust 2021 prelude's types, traits and
/// functions the emitters use, plus the `Option` and `Result` variants).
const PRELUDE: &[(&str, &str)] = &[
    ("option", "Option"),
    ("result", "Result"),
    ("string", "String"),
    ("string", "ToString"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("borrow", "ToOwned"),
    ("convert", "Into"),
    ("convert", "From"),
    ("convert", "AsRef"),
    ("convert", "AsMut"),
    ("convert", "TryFrom"),
    ("convert", "TryInto"),
    ("default", "Default"),
    ("clone", "Clone"),
    ("marker", "Send"),
    ("marker", "Sync"),
    ("marker", "Sized"),
    ("marker", "Copy"),
    ("marker", "Unpin"),
    ("iter", "Iterator"),
    ("iter", "IntoIterator"),
    ("iter", "Extend"),
    ("iter", "FromIterator"),
    ("iter", "DoubleEndedIterator"),
    ("iter", "ExactSizeIterator"),
    ("cmp", "PartialEq"),
    ("cmp", "Eq"),
    ("cmp", "PartialOrd"),
    ("cmp", "Ord"),
    ("ops", "Drop"),
    ("ops", "Fn"),
    ("ops", "FnMut"),
    ("ops", "FnOnce"),
    ("mem", "drop"),
];

/// Variants the prelude names directly (`Some(x)`, not `Option::Some(x)`).
const PRELUDE_VARIANTS: &[(&str, &str)] =
    &[("Option", "Some"), ("Option", "None"), ("Result", "Ok"), ("Result", "Err")];

/// Rewrites `file`'s paths to their short forms; `file_path` (`src/iot/types/mod.rs`) tells
/// which module the file is.
pub(crate) fn shorten(file_path: &str, file: &mut syn::File) {
    let mut declared = Declared::default();
    declared.visit_file(file);
    if declared.glob {
        return;
    }
    let mut shortener = Shortener {
        declared: declared.names,
        nested: declared.nested,
        own_module: own_module(file_path),
        scopes: vec![Scope { root: true, imports: BTreeMap::new() }],
        imports: !declared.cfg,
    };
    shortener.visit_file_mut(file);
    let root = shortener.scopes.pop().unwrap_or_else(|| Scope { root: true, imports: BTreeMap::new() });
    file.items.splice(0..0, root.use_items());
}

/// The module a source file of a crate is (`src/iot/types/mod.rs`: `crate::iot::types`);
/// `None` outside `src/` and for binaries, which are crates of their own.
fn own_module(file_path: &str) -> Option<Vec<String>> {
    let inner = file_path.strip_prefix("src/")?.strip_suffix(".rs")?;
    if inner.starts_with("bin/") || inner == "main" {
        return None;
    }
    let mut parts: Vec<&str> = inner.split('/').collect();
    // `src/lib.rs` is the crate root, `x/mod.rs` the module `x` (a module may be named `lib`).
    if parts == ["lib"] || parts.last() == Some(&"mod") {
        parts.pop();
    }
    Some(std::iter::once("crate").chain(parts).map(str::to_owned).collect())
}

/// A module scope (the file, or an inline `mod`) and the modules its paths were shortened to.
struct Scope {
    root: bool,
    /// Imported name -> the module's full path.
    imports: BTreeMap<String, Vec<String>>,
}

impl Scope {
    /// `use` items for the imports, one per parent module: `use aws_lite_runtime::{client, http};`.
    fn use_items(&self) -> Vec<syn::Item> {
        // The standard library first, then other crates, then this one (as rustfmt groups them).
        let mut by_parent: BTreeMap<(u8, String), BTreeSet<&str>> = BTreeMap::new();
        for (name, path) in &self.imports {
            let group = match path[0].as_str() {
                "std" | "core" | "alloc" => 0,
                "crate" => 2,
                _ => 1,
            };
            by_parent.entry((group, path[..path.len() - 1].join("::"))).or_default().insert(name);
        }
        by_parent
            .into_iter()
            .filter_map(|((_, parent), names)| {
                let names: Vec<&str> = names.into_iter().collect();
                let text = match names.as_slice() {
                    [one] => format!("use {parent}::{one};"),
                    many => format!("use {parent}::{{{}}};", many.join(", ")),
                };
                syn::parse_str::<syn::Item>(&text).ok()
            })
            .collect()
    }
}

/// Every name the file declares or imports, those declared below its top level (in inline
/// modules and blocks), and whether it imports by glob.
#[derive(Default)]
struct Declared {
    names: HashSet<String>,
    nested: HashSet<String>,
    depth: usize,
    glob: bool,
    cfg: bool,
}

impl Declared {
    fn add(&mut self, ident: &syn::Ident) {
        let name = ident.unraw().to_string();
        if self.depth > 0 {
            self.nested.insert(name.clone());
        }
        self.names.insert(name);
    }
}

impl<'ast> Visit<'ast> for Declared {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let ident = match item {
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            syn::Item::Macro(i) => i.ident.as_ref(),
            syn::Item::Mod(i) => Some(&i.ident),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::TraitAlias(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            _ => None,
        };
        if let Some(ident) = ident {
            self.add(ident);
        }
        let inline_module = matches!(item, syn::Item::Mod(module) if module.content.is_some());
        self.depth += usize::from(inline_module);
        syn::visit::visit_item(self, item);
        self.depth -= usize::from(inline_module);
    }

    fn visit_attribute(&mut self, attribute: &'ast syn::Attribute) {
        self.cfg |= attribute.path().is_ident("cfg") || attribute.path().is_ident("cfg_attr");
        syn::visit::visit_attribute(self, attribute);
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.depth += 1;
        syn::visit::visit_block(self, block);
        self.depth -= 1;
    }

    fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
        match tree {
            syn::UseTree::Name(name) => self.add(&name.ident),
            syn::UseTree::Rename(rename) => self.add(&rename.rename),
            syn::UseTree::Glob(_) => self.glob = true,
            syn::UseTree::Path(_) | syn::UseTree::Group(_) => {}
        }
        syn::visit::visit_use_tree(self, tree);
    }

    fn visit_generic_param(&mut self, param: &'ast syn::GenericParam) {
        match param {
            syn::GenericParam::Type(t) => self.add(&t.ident),
            syn::GenericParam::Const(c) => self.add(&c.ident),
            syn::GenericParam::Lifetime(_) => {}
        }
        syn::visit::visit_generic_param(self, param);
    }
}

struct Shortener {
    declared: HashSet<String>,
    nested: HashSet<String>,
    own_module: Option<Vec<String>>,
    scopes: Vec<Scope>,
    /// Whether module paths may be imported: not in a file with `#[cfg]`, where a `use` could
    /// name a module that is compiled out.
    imports: bool,
}

/// Whether a path segment names a module (or a function): plain lower snake case.
/// `path` without its leading `::` and its first `count` segments.
fn drop_leading(path: &mut syn::Path, count: usize) {
    path.leading_colon = None;
    path.segments = std::mem::take(&mut path.segments).into_iter().skip(count).collect();
}

fn is_prelude_name(name: &str) -> bool {
    PRELUDE.iter().any(|(_, item)| *item == name) || PRELUDE_VARIANTS.iter().any(|(_, variant)| *variant == name)
}

fn is_type_name(ident: &syn::Ident) -> bool {
    let name = ident.to_string();
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.contains(|c: char| c.is_ascii_lowercase())
}

fn is_module_name(segment: &syn::PathSegment) -> bool {
    segment.arguments.is_none()
        && segment.ident.to_string().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Shortener {
    /// The segments that replace `path`'s, or `None` to keep it as written.
    fn short_form(&self, path: &syn::Path) -> Option<usize> {
        let segments = &path.segments;
        if path.leading_colon.is_none() || segments.len() < 3 || segments[0].ident != "std" {
            return None;
        }
        if !segments[0].arguments.is_none() || !segments[1].arguments.is_none() {
            return None;
        }
        let (module, item) = (segments[1].ident.to_string(), segments[2].ident.to_string());
        if !PRELUDE.contains(&(module.as_str(), item.as_str())) || self.declared.contains(&item) {
            return None;
        }
        // `::std::option::Option::Some` becomes `Some`; the variant then needs no `Option::`.
        if segments.len() == 4 && segments[2].arguments.is_none() {
            let variant = segments[3].ident.to_string();
            if PRELUDE_VARIANTS.contains(&(item.as_str(), variant.as_str())) && !self.declared.contains(&variant) {
                return Some(3);
            }
        }
        Some(2)
    }

    /// How many leading segments of a path into this crate or another (the runtime, or the
    /// library from its command line) to drop, recording
    /// the `use` that makes the rest resolve; `None` to keep it as written.
    fn import_form(&mut self, path: &syn::Path) -> Option<usize> {
        if !self.imports {
            return None;
        }
        let segments = &path.segments;
        let first = segments.first()?.ident.to_string();
        // `crate::...` or `::some_crate::...`.
        let rooted = path.leading_colon.is_some() || first == "crate";
        if !rooted || segments.len() < 3 {
            return None;
        }
        // The module part: lower-case segments before the last one.
        let modules = segments.iter().take(segments.len() - 1).take_while(|s| is_module_name(s)).count();
        if modules < 2 {
            return None;
        }
        let module: Vec<String> = segments.iter().take(modules).map(|s| s.ident.to_string()).collect();
        let scope = self.scopes.last_mut()?;
        let own = self.own_module.as_deref().filter(|_| first == "crate").unwrap_or(&[]);
        let common = module.iter().zip(own).take_while(|(a, b)| a == b).count();
        // At the top level of the file's own module, its items and child modules are in scope.
        if scope.root && common == own.len() && !own.is_empty() {
            let item = segments[common].ident.to_string();
            if !self.nested.contains(&item) {
                return Some(common);
            }
        }
        // Otherwise one module is imported: the first of this crate's that the file's own
        // module is not inside (`types` from an operation file), or the module itself when the
        // file is inside it (`types` from `types::error`); another crate's top-level module, or
        // the next one down when the file declares that name (a binary's own `iot` module).
        // Last, for another crate, the item itself when it is a type (`SdkError` where `client`
        // already names this crate's module) and no prelude name (which the file may use).
        // The standard library's types are imported themselves (`HashMap`, `Future`), but
        // `fmt`'s through their module (`fmt::Result` beside the prelude's `Result`).
        let item = &segments[modules].ident;
        let type_item = first != "crate" && is_type_name(item) && !is_prelude_name(&item.to_string());
        let depths = match first.as_str() {
            "crate" if common == modules => modules..modules + 1,
            "crate" => common.max(1) + 1..common.max(1) + 2,
            "std" | "core" | "alloc" if type_item && module[modules - 1] != "fmt" => modules + 1..modules + 2,
            "std" | "core" | "alloc" => modules..modules + 1,
            _ => 2..modules + 1 + usize::from(type_item),
        };
        let mut full: Vec<String> = module.clone();
        full.push(item.to_string());
        for depth in depths {
            let imported = &full[..depth];
            let name = &full[depth - 1];
            if self.declared.contains(name) {
                continue;
            }
            match scope.imports.get(name) {
                Some(existing) if existing.as_slice() != imported => continue,
                Some(_) => return Some(depth - 1),
                None => {
                    scope.imports.insert(name.clone(), imported.to_vec());
                    return Some(depth - 1);
                }
            }
        }
        None
    }

    /// Shortens a path written as text (serde's `skip_serializing_if = "::std::...::is_none"`).
    fn shorten_text(&self, text: &str) -> Option<String> {
        let mut path = syn::parse_str::<syn::Path>(text).ok()?;
        let drop = self.short_form(&path)?;
        drop_leading(&mut path, drop);
        Some(quote::ToTokens::to_token_stream(&path).to_string().replace(' ', ""))
    }

    fn shorten_tokens(&self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    let shorter = text
                        .strip_prefix("\"::std::")
                        .and_then(|_| text.strip_prefix('"')?.strip_suffix('"'))
                        .and_then(|inner| self.shorten_text(inner));
                    match shorter {
                        Some(short) => {
                            let mut replaced = Literal::string(&short);
                            replaced.set_span(literal.span());
                            TokenTree::Literal(replaced)
                        }
                        None => TokenTree::Literal(literal),
                    }
                }
                TokenTree::Group(group) => {
                    let mut replaced = proc_macro2::Group::new(group.delimiter(), self.shorten_tokens(group.stream()));
                    replaced.set_span(group.span());
                    TokenTree::Group(replaced)
                }
                other => other,
            })
            .collect()
    }
}

impl Shortener {
    /// `<T as ::std::convert::Into<U>>::into`: the segments before `qself.position` are the
    /// trait's, so dropping some moves the position back (and at least one must stay).
    fn shorten_qualified(&mut self, qself: &mut syn::QSelf, path: &mut syn::Path) {
        self.visit_qself_mut(qself);
        for segment in path.segments.iter_mut() {
            self.visit_path_segment_mut(segment);
        }
        if let Some(drop) = self.short_form(path).filter(|&drop| qself.position > drop) {
            drop_leading(path, drop);
            qself.position -= drop;
        }
    }
}

impl VisitMut for Shortener {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(drop) = self.short_form(path).or_else(|| self.import_form(path)) {
            drop_leading(path, drop);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_type_path_mut(&mut self, type_path: &mut syn::TypePath) {
        match &mut type_path.qself {
            Some(qself) => self.shorten_qualified(qself, &mut type_path.path),
            None => syn::visit_mut::visit_type_path_mut(self, type_path),
        }
    }

    fn visit_expr_path_mut(&mut self, expr_path: &mut syn::ExprPath) {
        match &mut expr_path.qself {
            Some(qself) => {
                for attribute in &mut expr_path.attrs {
                    self.visit_attribute_mut(attribute);
                }
                self.shorten_qualified(qself, &mut expr_path.path);
            }
            None => syn::visit_mut::visit_expr_path_mut(self, expr_path),
        }
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if module.content.is_none() {
            return syn::visit_mut::visit_item_mod_mut(self, module);
        }
        self.scopes.push(Scope { root: false, imports: BTreeMap::new() });
        syn::visit_mut::visit_item_mod_mut(self, module);
        if let (Some(scope), Some((_, items))) = (self.scopes.pop(), module.content.as_mut()) {
            items.splice(0..0, scope.use_items());
        }
    }

    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        // serde names functions in string literals, resolved where the type is defined.
        if attribute.path().is_ident("serde") {
            if let syn::Meta::List(list) = &mut attribute.meta {
                list.tokens = self.shorten_tokens(std::mem::take(&mut list.tokens));
            }
        }
        syn::visit_mut::visit_attribute_mut(self, attribute);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shortened(code: &str) -> String {
        shortened_in("src/example/operation/act.rs", code)
    }

    fn shortened_in(file_path: &str, code: &str) -> String {
        let mut file = syn::parse_str::<syn::File>(code).expect("test code parses");
        shorten(file_path, &mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn module_paths_are_imported_once_per_scope() {
        let out = shortened(
            "fn f(c: &crate::example::client::Client, t: crate::example::types::Tag) \
                 -> ::aws_lite_runtime::client::SdkError<crate::example::types::error::Oops> { \
                 ::aws_lite_runtime::error::Unhandled::new() }
             pub mod builders { pub struct B { t: crate::example::types::Tag } }",
        );
        assert!(
            out.starts_with(
                "use aws_lite_runtime::error;\nuse aws_lite_runtime::client::SdkError;\nuse crate::example::{client, types};\n"
            ),
            "{out}"
        );
        assert!(out.contains("fn f(c: &client::Client, t: types::Tag)"), "{out}");
        // `client` already names this crate's module: the runtime's type is imported itself.
        assert!(out.contains("-> SdkError<types::error::Oops>"), "{out}");
        assert!(out.contains("use aws_lite_runtime::client::SdkError;"), "{out}");
        assert!(out.contains("error::Unhandled::new()"), "{out}");
        assert!(
            out.contains(
                "pub mod builders {\n    use crate::example::types;\n    pub struct B {\n        t: types::Tag,"
            ),
            "{out}"
        );
    }

    #[test]
    fn standard_library_types_are_imported_and_fmt_through_its_module() {
        let out = shortened(
            "struct A { m: ::std::collections::HashMap<u8, u8> } \
             impl ::std::fmt::Display for A { \
                 fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { \
                     ::std::result::Result::Ok(()) } }",
        );
        assert!(out.starts_with("use std::fmt;\nuse std::collections::HashMap;\n"), "{out}");
        assert!(out.contains("m: HashMap<u8, u8>"), "{out}");
        assert!(out.contains("impl fmt::Display for A"), "{out}");
        assert!(out.contains("f: &mut fmt::Formatter<'_>) -> fmt::Result {\n        Ok(())"), "{out}");
        let out = shortened("struct HashMap; type A = ::std::collections::HashMap<u8, u8>;");
        assert!(out.contains("type A = ::std::collections::HashMap<u8, u8>;"), "{out}");
    }

    #[test]
    fn own_module_items_are_named_directly_at_the_top_level() {
        let out = shortened_in(
            "src/example/types/mod.rs",
            "pub struct A { b: crate::example::types::B, e: crate::example::types::error::E } pub struct B; \
             fn f() { struct C; let _: crate::example::types::C; } pub struct C;",
        );
        assert!(out.contains("b: B,"), "{out}");
        assert!(out.contains("e: error::E,"), "{out}");
        assert!(out.contains("let _: types::C;"), "{out}");
        assert!(out.starts_with("use crate::example::types;\n"), "{out}");
        let out = shortened_in("src/example/types/error.rs", "type A = crate::example::types::B;");
        assert!(out.contains("use crate::example::types;\ntype A = types::B;"), "{out}");
        let out = shortened_in(
            "src/example/client.rs",
            "type A = crate::example::operation::act::builders::ActFluentBuilder;",
        );
        assert!(
            out.contains("use crate::example::operation;\ntype A = operation::act::builders::ActFluentBuilder;"),
            "{out}"
        );
    }

    #[test]
    fn file_paths_name_their_modules() {
        let module = |path: &str| own_module(path).map(|m| m.join("::"));
        assert_eq!(module("src/lib.rs").as_deref(), Some("crate"));
        assert_eq!(module("src/iot/types/mod.rs").as_deref(), Some("crate::iot::types"));
        assert_eq!(module("src/lib/types/mod.rs").as_deref(), Some("crate::lib::types"));
        assert_eq!(module("src/iot/operation/act.rs").as_deref(), Some("crate::iot::operation::act"));
        assert_eq!(module("src/bin/aws-lite.rs"), None);
        assert_eq!(module("tests/protocol.rs"), None);
    }

    #[test]
    fn declared_module_names_and_cfg_items_keep_full_paths() {
        let out = shortened("pub mod client; type A = crate::example::client::Client;");
        assert!(out.contains("type A = crate::example::client::Client;"), "{out}");
        let out = shortened("#[cfg(feature = \"cli\")] type A = ::aws_lite_runtime::cli::Args; type B = Option<u8>;");
        assert!(out.contains("::aws_lite_runtime::cli::Args"), "{out}");
        assert!(!out.contains("use "), "{out}");
        let out = shortened_in("src/bin/tool.rs", "type A = ::aws_lite_runtime::client::Config;");
        assert!(out.starts_with("use aws_lite_runtime::client;"), "{out}");
        let out = shortened_in(
            "src/bin/tool.rs",
            "mod iot { type A = ::lib::iot::operation::act::ActInput; type B = ::std::vec::Vec<u8>; }",
        );
        assert!(out.contains("use lib::iot::operation;\n    type A = operation::act::ActInput;"), "{out}");
        assert!(out.contains("type B = Vec<u8>;"), "{out}");
    }

    #[test]
    fn prelude_paths_become_prelude_names() {
        let out = shortened(
            "fn f(x: ::std::option::Option<::std::string::String>) -> ::std::result::Result<(), ::std::vec::Vec<u8>> {
                 let _ = ::std::option::Option::Some(::std::string::String::new());
                 let _: ::std::option::Option<u8> = ::std::option::Option::None;
                 ::std::result::Result::Ok(())
             }",
        );
        assert_eq!(
            out,
            "fn f(x: Option<String>) -> Result<(), Vec<u8>> {\n    let _ = Some(String::new());\n    \
             let _: Option<u8> = None;\n    Ok(())\n}\n"
        );
    }

    #[test]
    fn declared_names_stay_qualified() {
        let out = shortened(
            "pub struct Result { a: ::std::option::Option<u8> }
             pub enum Shape { A(::std::result::Result<u8, u8>) }
             fn g() { struct None; let _ = ::std::option::Option::<u8>::None; }",
        );
        assert!(out.contains("a: Option<u8>"), "{out}");
        // The shadowed prelude type is named through its module.
        assert!(out.contains("A(result::Result<u8, u8>)"), "{out}");
        assert!(out.starts_with("use std::result;\n"), "{out}");
        assert!(out.contains("Option::<u8>::None"), "{out}");
    }

    #[test]
    fn qualified_self_paths_keep_their_trait() {
        let out = shortened(
            "fn f() { let _ = <u8 as ::std::convert::Into<::std::string::String>>::into(1); \
             let _: <u8 as ::std::iter::IntoIterator>::Item = 0; }",
        );
        assert!(out.contains("<u8 as Into<String>>::into(1)"), "{out}");
        assert!(out.contains("<u8 as IntoIterator>::Item"), "{out}");
    }

    #[test]
    fn globs_and_non_prelude_paths_are_kept() {
        let out = shortened("use crate::types::*; type A = ::std::option::Option<u8>;");
        assert!(out.contains("::std::option::Option<u8>"), "{out}");
        let out = shortened("type B = std::option::Option<u8>;");
        assert!(out.contains("std::option::Option<u8>"), "{out}");
    }

    #[test]
    fn serde_attribute_paths_are_shortened_unless_shadowed() {
        let out = shortened(
            "struct A { #[serde(rename = \"a\", skip_serializing_if = \"::std::option::Option::is_none\")] a: u8 }",
        );
        assert!(out.contains("skip_serializing_if = \"Option::is_none\""), "{out}");
        assert!(out.contains("rename = \"a\""), "{out}");
        let out = shortened(
            "struct Option; struct A { #[serde(skip_serializing_if = \"::std::option::Option::is_none\")] a: u8 }",
        );
        assert!(out.contains("\"::std::option::Option::is_none\""), "{out}");
    }
}
