//! Smithy protocol compliance tests: every client-applicable case of a model's
//! `smithy.test#httpRequestTests` and `httpResponseTests` becomes a `#[tokio::test]` in
//! `src/<service>/protocol_tests.rs`, built through the generated types and sent through the
//! generated client with an in-memory transport.
//!
//! A case the generator cannot express (an operation left out of the crate, parameters that do
//! not fit the shapes) still becomes a test, one that fails saying why: no case disappears
//! silently.

use crate::emit::context::{ident, path_tokens, render, Ctx, Files};
use crate::ir::{local_name, Kind, Simple};
use crate::plan::{CaseKind, Contents, OperationPlan, Subject, TestCase};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

/// One generated protocol test.
#[derive(Debug, Clone)]
pub struct ProtocolCase {
    /// The service shape ID.
    pub service: String,
    /// The case `id` from the model.
    pub id: String,
    /// Request or response test.
    pub kind: CaseKind,
    /// The test's path in the crate's unit tests, e.g. `rest_json::protocol_tests::foo_request`.
    pub test: String,
}

/// The protocol tests of every service, in emission order.
pub(crate) fn list(contexts: &[Ctx<'_>]) -> Vec<ProtocolCase> {
    contexts
        .iter()
        .flat_map(|ctx| {
            ctx.plan.protocol_tests.iter().map(|case| ProtocolCase {
                service: ctx.plan.id.clone(),
                id: case.id.clone(),
                kind: case.kind,
                test: format!("{}::protocol_tests::{}", ctx.plan.module, case.fn_name),
            })
        })
        .collect()
}

/// Whether the service has any client protocol test.
pub(crate) fn has_tests(ctx: &Ctx<'_>) -> bool {
    ctx.protocol_tests && !ctx.plan.protocol_tests.is_empty()
}

/// Emits `src/<service>/protocol_tests.rs` when the service has cases.
pub(crate) fn emit(ctx: &Ctx<'_>, files: &mut Files) -> Result<(), String> {
    if !has_tests(ctx) {
        return Ok(());
    }
    let tests = ctx.plan.protocol_tests.iter().map(|case| test(ctx, case));
    let tokens = quote! {
        //! The model's protocol compliance tests (`smithy.test#httpRequestTests` and
        //! `smithy.test#httpResponseTests`) for this client.
        #![allow(clippy::all, unused_mut)]
        #(#tests)*
    };
    let path = format!("src/{}/protocol_tests.rs", ctx.plan.module);
    files.insert(path.clone(), render(&path, tokens, &ctx.header())?);
    Ok(())
}

fn test(ctx: &Ctx<'_>, case: &TestCase) -> TokenStream {
    let name = ident(&case.fn_name);
    let doc = format!(" `{}`: {}", case.id, doc_line(&case.spec));
    let operation = |id: &str| ctx.plan.operation(id).ok_or_else(|| format!("operation `{id}` is not in the crate"));
    let body = match (&case.subject, case.kind) {
        (Subject::Missing(reason), _) => Err(reason.clone()),
        (Subject::Operation(op), CaseKind::Request) => operation(op).and_then(|op| request_test(ctx, op, &case.spec)),
        (Subject::Operation(op), CaseKind::Response) => {
            operation(op).and_then(|op| response_test(ctx, op, None, &case.spec))
        }
        (Subject::Error { operation: op, error }, _) => {
            operation(op).and_then(|op| response_test(ctx, op, Some(error), &case.spec))
        }
    };
    let body = body.unwrap_or_else(|reason| {
        let message = format!("the generator cannot express this case: {reason}");
        quote!(panic!(#message);)
    });
    quote! {
        #[doc = #doc]
        #[::aws_lite_runtime::tokio::test(crate = "::aws_lite_runtime::tokio")]
        async fn #name() {
            #body
        }
    }
}

fn doc_line(spec: &Map<String, Value>) -> String {
    let text = spec.get("documentation").and_then(Value::as_str).unwrap_or("protocol test");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn str_field<'s>(spec: &'s Map<String, Value>, key: &str) -> Option<&'s str> {
    spec.get(key).and_then(Value::as_str)
}

fn str_list(spec: &Map<String, Value>, key: &str) -> Vec<String> {
    let list = spec.get(key).and_then(Value::as_array);
    list.into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
}

fn header_pairs(spec: &Map<String, Value>) -> Vec<TokenStream> {
    let headers = spec.get("headers").and_then(Value::as_object);
    headers
        .into_iter()
        .flatten()
        .filter_map(|(name, value)| value.as_str().map(|value| quote!((#name, #value))))
        .collect()
}

fn client_path(ctx: &Ctx<'_>) -> TokenStream {
    let module = ident(&ctx.plan.module);
    quote!(crate::#module::client::Client)
}

fn operation_path(ctx: &Ctx<'_>, op: &OperationPlan) -> TokenStream {
    let module = ident(&ctx.plan.module);
    let op_module = ident(&op.module);
    quote!(crate::#module::operation::#op_module)
}

fn request_test(ctx: &Ctx<'_>, op: &OperationPlan, spec: &Map<String, Value>) -> Result<TokenStream, String> {
    let params = spec.get("params").and_then(Value::as_object).cloned().unwrap_or_default();
    let fields = ctx.input_fields(op);
    let mut call = {
        let method = ident(&op.module);
        quote!(client.#method())
    };
    for (name, value) in &params {
        if value.is_null() {
            continue;
        }
        let field = fields
            .iter()
            .find(|f| &f.member.name == name)
            .ok_or_else(|| format!("the input of `{}` has no member `{name}`", op.name))?;
        let setter = &field.ident;
        let value = value_expr(ctx, &field.member.target, value)?;
        call = quote!(#call.#setter(#value));
    }
    let host = match str_field(spec, "host") {
        Some(host) => quote!(::std::option::Option::Some(#host)),
        None => quote!(::std::option::Option::None),
    };
    let client = client_path(ctx);
    let mut checks = Vec::new();
    if let Some(method) = str_field(spec, "method") {
        checks.push(quote!(::aws_lite_runtime::protocol_test::assert_method(&request, #method);));
    }
    if let Some(uri) = str_field(spec, "uri") {
        checks.push(quote!(::aws_lite_runtime::protocol_test::assert_uri(&request, #uri);));
    }
    if let Some(host) = str_field(spec, "resolvedHost") {
        checks.push(quote!(::aws_lite_runtime::protocol_test::assert_host(&request, #host);));
    }
    let query = str_list(spec, "queryParams");
    if !query.is_empty() {
        checks.push(quote!(::aws_lite_runtime::protocol_test::assert_query_params(&request, &[#(#query),*]);));
    }
    let forbidden = str_list(spec, "forbidQueryParams");
    if !forbidden.is_empty() {
        checks.push(
            quote!(::aws_lite_runtime::protocol_test::assert_forbidden_query_params(&request, &[#(#forbidden),*]);),
        );
    }
    let required = str_list(spec, "requireQueryParams");
    if !required.is_empty() {
        checks.push(
            quote!(::aws_lite_runtime::protocol_test::assert_required_query_params(&request, &[#(#required),*]);),
        );
    }
    let headers = header_pairs(spec);
    if !headers.is_empty() {
        checks.push(quote!(::aws_lite_runtime::protocol_test::assert_headers(request.headers(), &[#(#headers),*]);));
    }
    let forbidden = str_list(spec, "forbidHeaders");
    if !forbidden.is_empty() {
        checks.push(
            quote!(::aws_lite_runtime::protocol_test::assert_forbidden_headers(request.headers(), &[#(#forbidden),*]);),
        );
    }
    let required = str_list(spec, "requireHeaders");
    if !required.is_empty() {
        checks.push(
            quote!(::aws_lite_runtime::protocol_test::assert_required_headers(request.headers(), &[#(#required),*]);),
        );
    }
    if let Some(body) = str_field(spec, "body") {
        let media_type = match str_field(spec, "bodyMediaType") {
            Some(m) => quote!(::std::option::Option::Some(#m)),
            None => quote!(::std::option::Option::None),
        };
        checks.push(quote!(::aws_lite_runtime::protocol_test::assert_body(request.body(), #body, #media_type);));
    }
    Ok(quote! {
        let transport = ::aws_lite_runtime::protocol_test::capturing_transport();
        let client = #client::new(::aws_lite_runtime::protocol_test::config(&transport, #host, ::aws_lite_runtime::client::ValidationMode::Full));
        let result = #call.send().await;
        let request = ::aws_lite_runtime::protocol_test::sent_request(&transport, &result);
        #(#checks)*
    })
}

fn response_test(
    ctx: &Ctx<'_>,
    op: &OperationPlan,
    error: Option<&String>,
    spec: &Map<String, Value>,
) -> Result<TokenStream, String> {
    let params = spec.get("params").and_then(Value::as_object).cloned().unwrap_or_default();
    let code = spec.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).unwrap_or(200);
    let headers = header_pairs(spec);
    let body = proc_macro2::Literal::byte_string(str_field(spec, "body").unwrap_or_default().as_bytes());
    let client = client_path(ctx);
    let op_path = operation_path(ctx, op);
    let input_ty = ident(&op.names.input);
    // Label members must not be empty for the request to be built; their values do not matter.
    let labels = ctx.input_fields(op).into_iter().filter(|f| f.member.traits.http_label || f.member.traits.host_label);
    let labels = labels.filter_map(|f| {
        let ident = &f.ident;
        let value = match ctx.model.get(&f.member.target).map(|s| &s.kind) {
            Some(Kind::Simple(Simple::String) | Kind::Enum(_)) => quote!(::std::convert::From::from("label")),
            _ => return None,
        };
        Some(if f.optional {
            quote!(input.#ident = ::std::option::Option::Some(#value);)
        } else {
            quote!(input.#ident = #value;)
        })
    });
    let setup = quote! {
        let transport = ::aws_lite_runtime::protocol_test::responding_transport(#code, &[#(#headers),*], #body);
        let client = #client::new(::aws_lite_runtime::protocol_test::config(&transport, ::std::option::Option::None, ::aws_lite_runtime::client::ValidationMode::Off));
        let mut input = <#op_path::#input_ty as ::std::default::Default>::default();
        #(#labels)*
        let result = #op_path::invoke(&client, input).await;
    };
    match error {
        None => {
            let output_ty = ident(&op.names.output);
            let expected = match &op.output {
                Some(id) => struct_expr(ctx, id, quote!(#op_path::#output_ty), &params)?,
                None => quote!(<#op_path::#output_ty>::builder().build()),
            };
            Ok(quote! {
                #setup
                let expected = #expected;
                match result {
                    ::std::result::Result::Ok(actual) => ::aws_lite_runtime::protocol_test::assert_same(&actual, &expected),
                    ::std::result::Result::Err(err) => panic!("the response was not parsed: {err}"),
                }
            })
        }
        Some(error) => {
            let planned = op.errors.iter().find(|e| &e.id == error);
            let (planned, named) = planned
                .zip(ctx.plan.types.get(error))
                .ok_or_else(|| format!("`{error}` is not an error of `{}`", op.name))?;
            let expected = struct_expr(ctx, error, path_tokens(&named.path), &params)?;
            let error_enum = ident(&op.names.error);
            let variant = ident(&planned.variant);
            let name = local_name(error);
            let wrong = format!("expected the `{name}` error, got {{other:?}}");
            Ok(quote! {
                #setup
                let expected = #expected;
                match result.map_err(::aws_lite_runtime::client::SdkError::into_service_error) {
                    ::std::result::Result::Err(::std::option::Option::Some(#op_path::#error_enum::#variant(mut actual))) => {
                        actual.error_metadata = ::std::default::Default::default();
                        ::aws_lite_runtime::protocol_test::assert_same(&actual, &expected);
                    }
                    other => panic!(#wrong),
                }
            })
        }
    }
}

/// `Type::builder().member(value)...build()` for a structure's parameters.
fn struct_expr(ctx: &Ctx<'_>, id: &str, ty: TokenStream, params: &Map<String, Value>) -> Result<TokenStream, String> {
    let Some(Contents::Structure { .. }) = ctx.plan.types.get(id).map(|named| &named.contents) else {
        return Err(format!("`{id}` is not a structure"));
    };
    let fields = ctx.fields_of(id);
    let mut expr = quote!(<#ty>::builder());
    for (name, value) in params {
        if value.is_null() {
            continue;
        }
        let field = fields
            .iter()
            .find(|f| &f.member.name == name)
            .ok_or_else(|| format!("`{}` has no member `{name}`", local_name(id)))?;
        let setter = &field.ident;
        let value = value_expr(ctx, &field.member.target, value)?;
        expr = quote!(#expr.#setter(#value));
    }
    Ok(if fields.iter().any(|f| f.required_in_builder) {
        let message = format!("the parameters set every required member of {}", local_name(id));
        quote!(#expr.build().expect(#message))
    } else {
        quote!(#expr.build())
    })
}

/// A Rust expression of the shape's type for a test parameter value.
fn value_expr(ctx: &Ctx<'_>, id: &str, value: &Value) -> Result<TokenStream, String> {
    let shape = ctx.model.get(id).ok_or_else(|| format!("unknown shape `{id}`"))?;
    let ty = ctx.shape_type(id).ok_or_else(|| format!("`{id}` has no Rust type"))?;
    let mismatch = || format!("`{value}` is not a value of `{id}`");
    Ok(match (&shape.kind, value) {
        (Kind::Simple(Simple::String), Value::String(s)) => quote!(::std::string::String::from(#s)),
        (Kind::Simple(Simple::Boolean), Value::Bool(b)) => quote!(#b),
        (Kind::Simple(Simple::Blob), Value::String(s)) => quote!(::aws_lite_runtime::primitives::Blob::from(#s)),
        (Kind::Simple(Simple::Document), document) => {
            let text = document.to_string();
            quote!(::aws_lite_runtime::protocol_test::document(#text))
        }
        (Kind::Simple(Simple::Timestamp), Value::Number(n)) => {
            let text = n.to_string();
            quote!(::aws_lite_runtime::primitives::DateTime::parse(#text, ::aws_lite_runtime::primitives::TimestampFormat::EpochSeconds).expect("epoch seconds"))
        }
        (Kind::Simple(simple @ (Simple::Float | Simple::Double)), _) => {
            float_expr(*simple, value).ok_or_else(mismatch)?
        }
        (Kind::Simple(simple @ (Simple::Byte | Simple::Short | Simple::Integer | Simple::Long)), Value::Number(n)) => {
            let suffix = match simple {
                Simple::Byte => "i8",
                Simple::Short => "i16",
                Simple::Integer => "i32",
                _ => "i64",
            };
            let n = n.as_i64().ok_or_else(mismatch)?;
            parse_expr(&format!("{n}{suffix}"))?
        }
        (Kind::Simple(Simple::BigInteger | Simple::BigDecimal), Value::Number(_) | Value::String(_)) => {
            let text = match value {
                Value::String(s) => s.clone(),
                _ => value.to_string(),
            };
            quote!(#text.parse::<#ty>().expect("a number"))
        }
        (Kind::Enum(_), Value::String(s)) => quote!(<#ty>::from(#s)),
        (Kind::IntEnum(_), Value::Number(n)) => {
            let n = n.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(mismatch)?;
            quote!(<#ty>::from(#n))
        }
        (Kind::List(item), Value::Array(items)) => {
            let sparse = shape.traits.sparse;
            let items = items
                .iter()
                .map(|v| optional_expr(ctx, &item.target, v, sparse))
                .collect::<Result<Vec<_>, String>>()?;
            if sparse || items.is_empty() {
                quote!(<#ty>::from([#(#items),*]))
            } else {
                quote!(::std::vec![#(#items),*])
            }
        }
        (Kind::Map { key, value: item }, Value::Object(entries)) => {
            let sparse = shape.traits.sparse;
            let entries = entries
                .iter()
                .map(|(k, v)| {
                    let k = value_expr(ctx, &key.target, &Value::String(k.clone()))?;
                    let v = optional_expr(ctx, &item.target, v, sparse)?;
                    Ok(quote!((#k, #v)))
                })
                .collect::<Result<Vec<_>, String>>()?;
            quote!(<#ty>::from([#(#entries),*]))
        }
        (Kind::Structure(_), Value::Object(params)) => struct_expr(ctx, id, ty, params)?,
        (Kind::Union(_), Value::Object(params)) => {
            let [(name, inner)] = params.iter().collect::<Vec<_>>()[..] else {
                return Err(format!("a `{id}` value must set exactly one member"));
            };
            let member = ctx.plan.member(id, name).ok_or_else(|| format!("`{id}` has no member `{name}`"))?;
            let variant = ident(&member.rust_name);
            if member.ty.is_none() {
                quote!(<#ty>::#variant)
            } else {
                let inner = value_expr(ctx, &member.member.target, inner)?;
                if member.boxed {
                    quote!(<#ty>::#variant(::std::boxed::Box::new(#inner)))
                } else {
                    quote!(<#ty>::#variant(#inner))
                }
            }
        }
        _ => return Err(mismatch()),
    })
}

/// A list item or map value: wrapped in `Option` for sparse collections.
fn optional_expr(ctx: &Ctx<'_>, id: &str, value: &Value, sparse: bool) -> Result<TokenStream, String> {
    match (sparse, value) {
        (true, Value::Null) => Ok(quote!(::std::option::Option::None)),
        (true, _) => {
            let inner = value_expr(ctx, id, value)?;
            Ok(quote!(::std::option::Option::Some(#inner)))
        }
        (false, _) => value_expr(ctx, id, value),
    }
}

fn float_expr(simple: Simple, value: &Value) -> Option<TokenStream> {
    let ty = if simple == Simple::Float { quote!(f32) } else { quote!(f64) };
    Some(match value {
        Value::String(s) if s == "NaN" => quote!(#ty::NAN),
        Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
        Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
        Value::Number(n) => {
            let v = n.as_f64()?;
            let text = if simple == Simple::Float { format!("{:?}f32", v as f32) } else { format!("{v:?}f64") };
            parse_expr(&text).ok()?
        }
        _ => return None,
    })
}

fn parse_expr(text: &str) -> Result<TokenStream, String> {
    syn::parse_str::<syn::Expr>(text).map(|e| quote!(#e)).map_err(|err| format!("`{text}`: {err}"))
}
