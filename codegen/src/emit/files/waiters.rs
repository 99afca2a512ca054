//! `src/<service>/waiters.rs`: a `wait_until_*` method on the client for each waiter, and the
//! function that runs its acceptors on one answer, with paths compiled to field accesses.

use crate::emit::context::{ident, inner_doc_attrs, render, Ctx, Files};
use crate::ir::{Kind, Simple};
use crate::jmespath::Comparator;
use crate::plan::waiters::{Acceptor, Matcher, Nav, Node, Root, State, Step, WaiterPlan};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// Emits `src/<service>/waiters.rs` when the service has waiters.
pub(crate) fn emit(ctx: &Ctx<'_>, files: &mut Files) -> Result<(), String> {
    let plans = &ctx.plan.waiters;
    if plans.is_empty() {
        return Ok(());
    }
    let module = ident(&ctx.plan.module);
    let items = plans.iter().map(|waiter| emit_waiter(ctx, &module, waiter));
    let doc = inner_doc_attrs(
        None,
        "Waiters: `Client::wait_until_*` calls an operation until the resource reaches the wanted state.",
    );
    let tokens = quote! {
        #doc
        use crate::#module::client::Client;
        use ::aws_lite_runtime::waiter::AcceptorState;

        #(#items)*
    };
    let path = format!("src/{}/waiters.rs", ctx.plan.module);
    files.insert(path.clone(), render(&path, tokens, &ctx.header())?);
    Ok(())
}

fn emit_waiter(ctx: &Ctx<'_>, module: &proc_macro2::Ident, waiter: &WaiterPlan) -> TokenStream {
    let Some(op) = ctx.plan.operations.iter().find(|op| op.module == waiter.operation) else {
        return TokenStream::new();
    };
    let op_module = ident(&op.module);
    let input = ident(&op.names.input);
    let output = ident(&op.names.output);
    let error = ident(&op.names.error);
    let types = quote!(crate::#module::operation::#op_module);
    let call = crate::emit::protocol::call_expr(ctx, op, &types, (&quote!(self), &quote!(self)), &quote!(input));
    let method = ident(&waiter.method);
    let classify = format_ident!("{}_acceptors", waiter.method.trim_start_matches("wait_until_"));
    let name = &waiter.name;
    let (min, max) = (waiter.min_delay, waiter.max_delay);
    let (min_secs, max_secs) = (Literal::u64_unsuffixed(min), Literal::u64_unsuffixed(max));
    let mut doc = vec![format!(" Waits until {name}: calls `{}` until its acceptors say so.", op.name)];
    if let Some(text) = &waiter.documentation {
        doc.push(String::new());
        doc.extend(text.lines().map(|line| format!(" {line}")));
    }
    let pace = if min == max {
        format!(" Calls again every {min} seconds until `max_wait` has passed.")
    } else {
        format!(" Calls again after {min} to {max} seconds (growing exponentially, with jitter) until `max_wait` has passed.")
    };
    doc.extend([
        String::new(),
        pace,
        String::new(),
        " # Errors".to_owned(),
        " When an acceptor says failure, the call fails in a way no acceptor expects, or `max_wait`".to_owned(),
        " runs out (or is shorter than the minimum delay).".to_owned(),
    ]);
    let deprecated = waiter.deprecated.then(|| quote!(#[deprecated]));
    let uses_input =
        waiter.acceptors.iter().any(|a| matches!(&a.matcher, Matcher::Path { path, .. } if reads(path, Root::Input)));
    let input_param = if uses_input { quote!(input) } else { quote!(_input) };
    let checks = waiter.acceptors.iter().map(|acceptor| acceptor_check(ctx, acceptor));
    let classify_doc = format!(" The acceptors of waiter `{name}`, in order: the state the first match says.");
    quote! {
        impl Client {
            #(#[doc = #doc])*
            #deprecated
            pub async fn #method(
                &self,
                input: #types::#input,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<
                ::aws_lite_runtime::waiter::FinalPoll<#types::#output, #types::#error>,
                ::aws_lite_runtime::waiter::WaiterError<#types::#output, #types::#error>,
            > {
                let delays = ::aws_lite_runtime::waiter::Delays {
                    min: ::std::time::Duration::from_secs(#min_secs),
                    max: ::std::time::Duration::from_secs(#max_secs),
                };
                ::aws_lite_runtime::waiter::wait(#name, delays, max_wait, input, |input| #call, #classify).await
            }
        }

        #[doc = #classify_doc]
        fn #classify(
            #input_param: &#types::#input,
            result: &::std::result::Result<#types::#output, ::aws_lite_runtime::client::SdkError<#types::#error>>,
        ) -> ::std::option::Option<AcceptorState> {
            #(#checks)*
            ::std::option::Option::None
        }
    }
}

/// `if <matches> { return Some(state); }`
fn acceptor_check(ctx: &Ctx<'_>, acceptor: &Acceptor) -> TokenStream {
    let state = match acceptor.state {
        State::Success => quote!(AcceptorState::Success),
        State::Failure => quote!(AcceptorState::Failure),
        State::Retry => quote!(AcceptorState::Retry),
    };
    let condition = match &acceptor.matcher {
        Matcher::Success(true) => quote!(result.is_ok()),
        Matcher::Success(false) => quote!(result.is_err()),
        Matcher::ErrorType(code) => {
            quote!(::aws_lite_runtime::waiter::error_code(result) == ::std::option::Option::Some(#code))
        }
        Matcher::Path { path, comparator, expected } => {
            let value = node(ctx, path);
            let comparator = format_ident!("{}", comparator);
            let output = if reads(path, Root::Output) { quote!(output) } else { quote!(_output) };
            quote! {
                result.as_ref().is_ok_and(|#output| ::aws_lite_runtime::waiter::PathComparator::#comparator.matches(&#value, #expected))
            }
        }
    };
    quote! {
        if #condition {
            return ::std::option::Option::Some(#state);
        }
    }
}

/// Whether `node` reads from `root`.
fn reads(node: &Node, root: Root) -> bool {
    match node {
        Node::Nav(nav) => nav.root == root,
        Node::Literal(_) => false,
        Node::Compare(_, a, b) | Node::And(a, b) | Node::Or(a, b) | Node::Contains(a, b) => {
            reads(a, root) || reads(b, root)
        }
        Node::Not(a) | Node::Length(a) => reads(a, root),
        Node::Project { list, filter, each, .. } => {
            list.root == root || filter.as_deref().is_some_and(|f| reads(f, root)) || reads(each, root)
        }
    }
}

/// An expression of type `Value<'_>` computing `node`.
fn node(ctx: &Ctx<'_>, node_: &Node) -> TokenStream {
    let value_ty = quote!(::aws_lite_runtime::waiter::Value);
    let comparator_ty = quote!(::aws_lite_runtime::waiter::Comparator);
    match node_ {
        Node::Nav(nav) => {
            let walk = walk(nav);
            let convert = converter(ctx, &nav.shape);
            quote!(#walk.map_or(#value_ty::Null, #convert))
        }
        Node::Literal(value) => literal(value),
        Node::Compare(op, a, b) => {
            let op = match op {
                Comparator::Eq => quote!(Eq),
                Comparator::Ne => quote!(Ne),
                Comparator::Lt => quote!(Lt),
                Comparator::Le => quote!(Le),
                Comparator::Gt => quote!(Gt),
                Comparator::Ge => quote!(Ge),
            };
            let (a, b) = (node(ctx, a), node(ctx, b));
            quote!(#value_ty::compare(#comparator_ty::#op, #a, #b))
        }
        Node::And(a, b) => {
            let (a, b) = (node(ctx, a), node(ctx, b));
            quote!(#value_ty::and(#a, || #b))
        }
        Node::Or(a, b) => {
            let (a, b) = (node(ctx, a), node(ctx, b));
            quote!(#value_ty::or(#a, || #b))
        }
        Node::Not(a) => {
            let a = node(ctx, a);
            quote!(!(#a))
        }
        Node::Length(a) => {
            let a = node(ctx, a);
            quote!(#value_ty::length(#a))
        }
        Node::Contains(a, b) => {
            let (a, b) = (node(ctx, a), node(ctx, b));
            quote!(#value_ty::contains(#a, #b))
        }
        Node::Project { list, flatten, filter, each } => {
            let walk = walk(list);
            let each = node(ctx, each);
            let filter = filter.as_deref().map(|filter| {
                let filter = node(ctx, filter);
                quote!(.filter(|element| #filter.is_truthy()))
            });
            quote! {
                #walk.map_or(#value_ty::Null, |list| #value_ty::projected(list.iter() #filter .map(|element| #each), #flatten))
            }
        }
    }
}

/// The root of `nav` walked through its steps: an `Option<&T>`.
fn walk(nav: &Nav) -> TokenStream {
    let root = match nav.root {
        Root::Output => quote!(output),
        Root::Input => quote!(input),
        Root::Element => quote!(element),
    };
    let Some((first, rest)) = nav.steps.split_first() else {
        return quote!(::std::option::Option::Some(#root));
    };
    let first = match first {
        Step::Field { field, optional, boxed } => {
            let field = ident(field);
            match (optional, boxed) {
                (true, true) => quote!(#root.#field.as_deref()),
                (true, false) => quote!(#root.#field.as_ref()),
                (false, true) => quote!(::std::option::Option::Some(&*#root.#field)),
                (false, false) => quote!(::std::option::Option::Some(&#root.#field)),
            }
        }
        Step::Index(index) => quote!(::aws_lite_runtime::waiter::nth(#root, #index)),
    };
    let rest = rest.iter().map(|step| match step {
        Step::Field { field, optional, boxed } => {
            let field = ident(field);
            match (optional, boxed) {
                (true, true) => quote!(.and_then(|v| v.#field.as_deref())),
                (true, false) => quote!(.and_then(|v| v.#field.as_ref())),
                (false, true) => quote!(.map(|v| &*v.#field)),
                (false, false) => quote!(.map(|v| &v.#field)),
            }
        }
        Step::Index(index) => quote!(.and_then(|v| ::aws_lite_runtime::waiter::nth(v, #index))),
    });
    quote!(#first #(#rest)*)
}

/// A closure turning a `&T` of `shape` into a `Value`; the plan checked that one exists.
fn converter(ctx: &Ctx<'_>, shape: &str) -> TokenStream {
    let value_ty = quote!(::aws_lite_runtime::waiter::Value);
    match ctx.model.get(shape).map(|s| &s.kind) {
        Some(Kind::Simple(Simple::String) | Kind::Enum(_)) => quote!(|v| #value_ty::from(v.as_str())),
        Some(Kind::Simple(Simple::Boolean)) => quote!(|v| #value_ty::Bool(*v)),
        Some(Kind::Simple(Simple::Double)) => quote!(|v| #value_ty::Number(*v)),
        Some(Kind::Simple(Simple::Byte | Simple::Short | Simple::Integer | Simple::Float)) => {
            quote!(|v| #value_ty::Number(f64::from(*v)))
        }
        // Counts and sizes: exact up to 2^53, as JMESPath's numbers are.
        Some(Kind::Simple(Simple::Long)) => quote!(|v| #value_ty::Number(*v as f64)),
        Some(Kind::IntEnum(_)) => quote!(|v| #value_ty::Number(f64::from(v.as_i32()))),
        Some(Kind::List(member)) => {
            let item = converter(ctx, &member.target);
            quote!(|v| #value_ty::List(v.iter().map(#item).collect()))
        }
        _ => quote!(|_| #value_ty::Object(true)),
    }
}

/// A JSON scalar literal as a `Value`.
fn literal(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::Bool(b) => quote!(::aws_lite_runtime::waiter::Value::Bool(#b)),
        serde_json::Value::Number(n) => {
            let n = n.as_f64().unwrap_or_default();
            quote!(::aws_lite_runtime::waiter::Value::Number(#n))
        }
        serde_json::Value::String(text) => quote!(::aws_lite_runtime::waiter::Value::from(#text)),
        _ => quote!(::aws_lite_runtime::waiter::Value::Null),
    }
}
