//! `validate()`: constraint checks generated from `required`, `length`, `pattern`, `range` and
//! `uniqueItems`, with every pattern compiled once per process.

use crate::emit::context::{ident, Ctx};
use crate::ir::{Kind, Simple, Traits};
use crate::pattern::Engine;
use crate::plan::{Collection, TextRule};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// `validate()` on an operation input, in an `impl` block of its own.
pub(crate) fn input_validate(ctx: &Ctx<'_>, input: Option<&str>, ident: &Ident) -> TokenStream {
    let method = input_validate_method(ctx, input, ident);
    quote!(impl #ident { #method })
}

/// The `validate()` method of an operation input.
pub(crate) fn input_validate_method(ctx: &Ctx<'_>, input: Option<&str>, ident: &Ident) -> TokenStream {
    let name = ident.to_string();
    let body = match input {
        Some(id) if ctx.plan.validated.contains(id) => {
            quote!(::aws_lite_runtime::validation::validate_input(self, #name))
        }
        _ => quote!(::std::result::Result::Ok(())),
    };
    quote! {
        /// Checks every constraint the model puts on this input and its nested values.
        ///
        /// # Errors
        /// Returns all violations at once, each with the path of the offending value.
        pub fn validate(&self) -> ::std::result::Result<(), ::aws_lite_runtime::validation::ValidationError> {
            #body
        }
    }
}

/// `impl Validate` for a structure or union that needs it.
pub(crate) fn validate_impl(ctx: &Ctx<'_>, id: &str, ident: &Ident) -> TokenStream {
    if !ctx.plan.validated.contains(id) {
        return TokenStream::new();
    }
    let Some(shape) = ctx.model.get(id) else { return TokenStream::new() };
    let body = match &shape.kind {
        Kind::Structure(_) => {
            let checks = ctx.fields_of(id).into_iter().filter(|field| !field.event_stream).map(|field| {
                let ident = &field.ident;
                let wire = &field.member.name;
                let traits = &field.traits;
                let checks = value_checks(ctx, &field.member.target, traits, quote!(value), 0);
                let required = traits.required && traits.client_optional && !traits.idempotency_token;
                if checks.is_empty() && !required {
                    return Check::Other(TokenStream::new());
                }
                // A value that checks itself (a structure, a list of them, set or not) is one call.
                if !required && delegates(ctx, &field.member.target, traits) {
                    return Check::Other(
                        quote!(::aws_lite_runtime::validation::Validate::validate_at(&self.#ident, &path.member(#wire), out);),
                    );
                }
                // A string's constraints are one call on its shared rules.
                if let (Some(rules), false) = (text_rules(ctx, &field.member.target, traits), required) {
                    let value = if field.optional { quote!(self.#ident.as_deref()) } else { quote!(&self.#ident) };
                    return Check::Text { wire: wire.clone(), value, optional: field.optional, rules };
                }
                if field.optional {
                    let required = required
                        .then(|| quote!(::aws_lite_runtime::validation::check_required(&path, &self.#ident, out);));
                    let checks = (!checks.is_empty())
                        .then(|| quote!(if let ::std::option::Option::Some(value) = &self.#ident { #checks }));
                    Check::Other(quote!({ let path = path.member(#wire); #required #checks }))
                } else {
                    Check::Other(quote!({ let path = path.member(#wire); let value = &self.#ident; #checks }))
                }
            });
            let checks = group_text_checks(checks.collect());
            quote!(#(#checks)*)
        }
        Kind::Union(_) => {
            let arms: Vec<(TokenStream, TokenStream)> = ctx
                .plan
                .members(id)
                .iter()
                .filter(|m| m.ty.is_some())
                .filter(|m| {
                    let stream = ctx.plan.event_streams.get(id);
                    !stream.is_some_and(|s| crate::emit::items::event_stream::is_error_member(s, &m.member.name))
                })
                .filter_map(|m| {
                    let checks = value_checks(ctx, &m.member.target, &m.traits, quote!(value), 0);
                    if checks.is_empty() {
                        return None;
                    }
                    let variant = crate::emit::context::ident(&m.rust_name);
                    let wire = &m.member.name;
                    Some((quote!(Self::#variant(value)), quote!({ let path = path.member(#wire); #checks })))
                })
                .collect();
            match arms.as_slice() {
                // `if let` reads better (and satisfies clippy) when one variant has checks.
                [(pattern, body)] => quote!(if let #pattern = self #body),
                _ => {
                    let arms = arms.iter().map(|(pattern, body)| quote!(#pattern => #body));
                    quote!(match self { #(#arms)* _ => {} })
                }
            }
        }
        _ => return TokenStream::new(),
    };
    quote! {
        impl ::aws_lite_runtime::validation::Validate for #ident {
            fn validate_at(&self, path: &::aws_lite_runtime::validation::Path<'_>, out: &mut ::aws_lite_runtime::validation::Violations) {
                #body
            }
        }
    }
}

/// The check of one member of a structure.
enum Check {
    /// A string member checked against its shared rules: `value` is `&str`, or `Option<&str>`
    /// when `optional`.
    Text { wire: String, value: TokenStream, optional: bool, rules: TokenStream },
    /// Statements.
    Other(TokenStream),
}

/// The statements of `checks`, in order; two or more string checks in a row are one table for
/// `check_texts`.
fn group_text_checks(checks: Vec<Check>) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut run: Vec<Check> = Vec::new();
    let flush = |run: &mut Vec<Check>, out: &mut Vec<TokenStream>| {
        if let [Check::Text { wire, value, optional, rules }] = run.as_slice() {
            out.push(if *optional {
                quote!(::aws_lite_runtime::validation::check_optional_text(&path.member(#wire), #value, &#rules, out);)
            } else {
                quote!(::aws_lite_runtime::validation::check_text(&path.member(#wire), #value, &#rules, out);)
            });
        } else if !run.is_empty() {
            let entries = run.iter().filter_map(|check| match check {
                Check::Text { wire, value, optional: true, rules } => Some(quote!((#wire, #value, &#rules))),
                Check::Text { wire, value, optional: false, rules } => {
                    Some(quote!((#wire, ::std::option::Option::Some(#value), &#rules)))
                }
                Check::Other(_) => None,
            });
            out.push(quote!(::aws_lite_runtime::validation::check_texts(path, &[#(#entries),*], out);));
        }
        run.clear();
    };
    for check in checks {
        match check {
            Check::Text { .. } => run.push(check),
            Check::Other(statements) => {
                flush(&mut run, &mut out);
                out.push(statements);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Whether a value of `target` (with its member's `traits`) is checked by its own `Validate`
/// impl alone: a structure or union that has one, or a dense list of such values with no
/// constraint of its own (the runtime's impls for `Vec`, `Option` and `Box` pass it on).
fn delegates(ctx: &Ctx<'_>, target: &str, traits: &Traits) -> bool {
    let Some(shape) = ctx.model.get(target) else { return false };
    match &shape.kind {
        Kind::Structure(_) | Kind::Union(_) => ctx.plan.validated.contains(target),
        Kind::List(member) => {
            traits.length.is_none()
                && !traits.unique_items
                && !shape.traits.sparse
                && ctx.plan.collections.get(target).is_some_and(|c| delegates(ctx, &member.target, &c.value))
        }
        _ => false,
    }
}

/// Checks for one value (`value` is an expression of type `&T`, `path` is in scope).
fn value_checks(ctx: &Ctx<'_>, target: &str, traits: &Traits, value: TokenStream, depth: usize) -> TokenStream {
    let Some(shape) = ctx.model.get(target) else { return TokenStream::new() };
    let mut out = Vec::new();
    let length = |size: TokenStream, unit: &str| {
        traits.length.as_ref().map(|bounds| {
            let min = option_u64(bounds.min.as_ref().and_then(|n| n.as_u64()));
            let max = option_u64(bounds.max.as_ref().and_then(|n| n.as_u64()));
            quote!(::aws_lite_runtime::validation::check_length(&path, #size, #min, #max, #unit, out);)
        })
    };
    match &shape.kind {
        Kind::Simple(Simple::String) if text_rules(ctx, target, traits).is_some() => {
            let rules = text_rules(ctx, target, traits);
            out.push(quote!(::aws_lite_runtime::validation::check_text(&path, #value, &#rules, out);));
        }
        Kind::Simple(Simple::String) | Kind::Enum(_) => {
            let text = if matches!(shape.kind, Kind::Enum(_)) { quote!(#value.as_str()) } else { quote!(#value) };
            out.extend(length(quote!(::aws_lite_runtime::validation::char_count(#text)), "characters"));
            // Plan names the static of every pattern of the closure.
            if let Some((source, name)) = traits.pattern.as_ref().and_then(|p| Some((p, ctx.plan.patterns.get(p)?))) {
                let name = ident(name);
                let module = ident(&ctx.plan.module);
                // A `@sensitive` value never appears in the message.
                let check = if traits.sensitive { quote!(check_sensitive_pattern) } else { quote!(check_pattern) };
                out.push(quote!(::aws_lite_runtime::validation::#check(&path, #text, &crate::#module::patterns::#name, #source, out);));
            }
        }
        Kind::Simple(Simple::Blob) => out.extend(length(quote!(#value.as_ref().len()), "bytes")),
        Kind::Simple(simple) => out.extend(range_check(*simple, traits, &value)),
        Kind::List(member) => {
            out.extend(length(quote!(#value.len()), "items"));
            if traits.unique_items {
                out.push(quote!(::aws_lite_runtime::validation::check_unique(&path, #value, out);));
            }
            let item = format_ident!("item{depth}");
            let index = format_ident!("index{depth}");
            let item_traits = ctx.plan.collections.get(target).map(|collection| &collection.value);
            if !shape.traits.sparse && item_traits.is_some_and(|traits| delegates(ctx, &member.target, traits)) {
                out.push(quote!(::aws_lite_runtime::validation::Validate::validate_at(#value, &path, out);));
                return quote!(#(#out)*);
            }
            let item_checks = match ctx.plan.collections.get(target) {
                Some(Collection { value: traits, .. }) => {
                    value_checks(ctx, &member.target, traits, quote!(#item), depth + 1)
                }
                None => TokenStream::new(),
            };
            if !item_checks.is_empty() {
                let body = if shape.traits.sparse {
                    quote!(if let ::std::option::Option::Some(#item) = #item { #item_checks })
                } else {
                    item_checks
                };
                out.push(quote! {
                    for (#index, #item) in #value.iter().enumerate() {
                        let path = path.index(#index);
                        #body
                    }
                });
            }
        }
        Kind::Map { key, value: map_value } => {
            out.extend(length(quote!(#value.len()), "entries"));
            let k = format_ident!("key{depth}");
            let v = format_ident!("value{depth}");
            let key_text = match ctx.model.get(&key.target).map(|s| &s.kind) {
                Some(Kind::Enum(_)) => quote!(#k.as_str()),
                _ => quote!(#k.as_str()),
            };
            let (key_checks, value_checks) = match ctx.plan.collections.get(target) {
                Some(Collection { key: Some(key_traits), value: value_traits }) => (
                    value_checks(ctx, &key.target, key_traits, quote!(#k), depth + 1),
                    value_checks(ctx, &map_value.target, value_traits, quote!(#v), depth + 1),
                ),
                _ => (TokenStream::new(), TokenStream::new()),
            };
            let value_checks = if shape.traits.sparse && !value_checks.is_empty() {
                quote!(if let ::std::option::Option::Some(#v) = #v { #value_checks })
            } else {
                value_checks
            };
            if !key_checks.is_empty() || !value_checks.is_empty() {
                let v = if value_checks.is_empty() { quote!(_) } else { quote!(#v) };
                out.push(quote! {
                    for (#k, #v) in #value.iter() {
                        let path = path.key(#key_text);
                        #key_checks
                        #value_checks
                    }
                });
            }
        }
        Kind::Structure(_) | Kind::Union(_) if ctx.plan.validated.contains(target) => {
            out.push(quote!(::aws_lite_runtime::validation::Validate::validate_at(#value, &path, out);));
        }
        _ => {}
    }
    if out.is_empty() {
        return TokenStream::new();
    }
    quote!(#(#out)*)
}

/// The path of the `TextRules` static of a string value with `traits`, when the plan named one.
fn text_rules(ctx: &Ctx<'_>, target: &str, traits: &Traits) -> Option<TokenStream> {
    let is_string = matches!(ctx.model.get(target).map(|s| &s.kind), Some(Kind::Simple(Simple::String)));
    let name = ctx.plan.text_rules.get(&TextRule::of(traits).filter(|_| is_string)?)?;
    let (module, name) = (ident(&ctx.plan.module), ident(name));
    Some(quote!(crate::#module::patterns::#name))
}

fn option_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

fn range_check(simple: Simple, traits: &Traits, value: &TokenStream) -> Option<TokenStream> {
    let bounds = traits.range.as_ref()?;
    let integral = matches!(simple, Simple::Byte | Simple::Short | Simple::Integer | Simple::Long);
    let float = matches!(simple, Simple::Float | Simple::Double);
    if !integral && !float {
        return None;
    }
    let all_integral = [&bounds.min, &bounds.max].into_iter().flatten().all(|n| n.as_i64().is_some());
    let compare = |bound: &Option<serde_json::Number>, op: TokenStream| -> TokenStream {
        match bound {
            None => quote!(false),
            Some(n) if integral && all_integral => {
                let n = Literal::i128_suffixed(i128::from(n.as_i64().unwrap_or_default()));
                quote!(i128::from(*#value) #op #n)
            }
            Some(n) => {
                let n = Literal::f64_suffixed(n.as_f64().filter(|f| f.is_finite()).unwrap_or_default());
                // `From` is lossless for every numeric type but `i64`.
                match simple {
                    Simple::Double => quote!(*#value #op #n),
                    Simple::Long => quote!((*#value as f64) #op #n),
                    _ => quote!(f64::from(*#value) #op #n),
                }
            }
        }
    };
    let below = compare(&bounds.min, quote!(<));
    let above = compare(&bounds.max, quote!(>));
    let text = |bound: &Option<serde_json::Number>| match bound {
        Some(n) => {
            let n = n.to_string();
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    };
    let (min, max) = (text(&bounds.min), text(&bounds.max));
    Some(if traits.sensitive {
        quote!(::aws_lite_runtime::validation::check_sensitive_range(&path, #below, #above, #min, #max, out);)
    } else {
        quote!(::aws_lite_runtime::validation::check_range(&path, #value, #below, #above, #min, #max, out);)
    })
}

/// The body of `patterns.rs` of a service: one static per distinct pattern, a DFA built here
/// and read on first use, or, for a pattern without one, a regex compiled on first use.
pub(crate) fn patterns_module(ctx: &Ctx<'_>) -> TokenStream {
    let statics = ctx.plan.patterns.iter().map(|(source, name)| {
        let ident = ident(name);
        let compile = match runtime_matcher(ctx, source) {
            RuntimeMatcher::Dfa(image) => {
                let little = proc_macro2::Literal::byte_string(&image.little_endian);
                let big = proc_macro2::Literal::byte_string(&image.big_endian);
                quote!(::aws_lite_runtime::validation::Matcher::dfa(#little, #big))
            }
            RuntimeMatcher::Regex(rust) => quote!(::aws_lite_runtime::validation::Matcher::regex(#rust)),
            RuntimeMatcher::Fancy(rust) => quote!(::aws_lite_runtime::validation::Matcher::fancy(#rust)),
        };
        let doc = format!(" `{source}`");
        quote! {
            #[doc = #doc]
            pub(crate) static #ident: ::aws_lite_runtime::validation::CompiledPattern = ::aws_lite_runtime::validation::CompiledPattern::new(|| #compile);
        }
    });
    let rules = ctx.plan.text_rules.iter().map(|(rule, name)| {
        let ident = ident(name);
        let mut rules = quote!(::aws_lite_runtime::validation::TextRules::NONE);
        let mut described = Vec::new();
        if let Some(min) = rule.min_length {
            rules = quote!(#rules.min_length(#min));
        }
        if let Some(max) = rule.max_length {
            rules = quote!(#rules.max_length(#max));
        }
        match (rule.min_length, rule.max_length) {
            (Some(min), Some(max)) => described.push(format!("{min} to {max} characters")),
            (Some(min), None) => described.push(format!("at least {min} characters")),
            (None, Some(max)) => described.push(format!("at most {max} characters")),
            (None, None) => {}
        }
        // Lowering rejected untranslatable patterns, which then have no static, as for the
        // other checks.
        if let Some((source, pattern)) = rule.pattern.as_ref().and_then(|p| Some((p, ctx.plan.patterns.get(p)?))) {
            let pattern = crate::emit::context::ident(pattern);
            rules = quote!(#rules.pattern(&#pattern, #source));
            described.push(format!("matching `{source}`"));
        }
        if rule.sensitive {
            rules = quote!(#rules.sensitive());
            described.push("sensitive (messages never show the value)".to_owned());
        }
        let doc = format!(" Checks strings: {}.", described.join(", "));
        quote! {
            #[doc = #doc]
            pub(crate) static #ident: ::aws_lite_runtime::validation::TextRules = #rules;
        }
    });
    quote! {
        //! Patterns of the model, translated from Java's regex dialect and compiled by the
        //! generator into DFAs that are read on first use, and the constraints of strings, each
        //! set described once for every check that uses it.
        #(#statics)*
        #(#rules)*
    }
}

/// How generated code checks one pattern at run time.
enum RuntimeMatcher {
    /// A DFA built at generation time.
    Dfa(std::sync::Arc<crate::pattern::dfa::DfaImage>),
    /// The `regex` crate (the runtime's `regex` feature), for a pattern whose DFA is too large.
    Regex(String),
    /// `fancy-regex` (the runtime's `fancy-regex` feature).
    Fancy(String),
}

fn runtime_matcher(ctx: &Ctx<'_>, source: &str) -> RuntimeMatcher {
    match ctx.model.patterns.get(source) {
        Some(t) if t.engine == Engine::FancyRegex => RuntimeMatcher::Fancy(t.source.clone()),
        Some(t) => match crate::pattern::dfa::build_cached(&t.source) {
            Some(image) => RuntimeMatcher::Dfa(image),
            None => RuntimeMatcher::Regex(t.source.clone()),
        },
        // Lowering rejected untranslatable patterns; keep the model text so the runtime
        // reports a violation instead of panicking if this is ever reached.
        None => RuntimeMatcher::Regex(source.to_owned()),
    }
}

/// Whether any pattern of the service needs the second engine.
pub(crate) fn needs_fancy_regex(ctx: &Ctx<'_>) -> bool {
    ctx.plan.patterns.keys().any(|source| matches!(runtime_matcher(ctx, source), RuntimeMatcher::Fancy(_)))
}

/// Whether any pattern of the service is compiled at run time by the `regex` crate.
pub(crate) fn needs_regex(ctx: &Ctx<'_>) -> bool {
    ctx.plan.patterns.keys().any(|source| matches!(runtime_matcher(ctx, source), RuntimeMatcher::Regex(_)))
}
