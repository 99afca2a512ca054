//! Smithy protocol compliance tests: every client-applicable case of a model's
//! `smithy.test#httpRequestTests` and `httpResponseTests` becomes a `#[tokio::test]` in
//! `src/<service>/protocol_tests.rs`, built through the generated types and sent through the
//! generated client with an in-memory transport.
//!
//! A case the generator cannot express (an operation left out of the crate, parameters that do
//! not fit the shapes) still becomes a test, one that fails saying why: no case disappears
//! silently.

use crate::emit::context::{ident, path_tokens, render, Ctx, Files};
use crate::emit::files::case_values::{client_path, header_pairs, operation_path, str_field, struct_expr, value_expr};
use crate::ir::{local_name, Kind, Simple};
use crate::plan::{CaseKind, OperationPlan, Subject, TestCase};
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
        //! The model's protocol compliance tests (`smithy.test#httpRequestTests`,
        //! `smithy.test#httpResponseTests` and `smithy.test#eventStreamTests`) for this client.
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
        (Subject::Operation(op), CaseKind::EventStream) => {
            operation(op).and_then(|op| crate::emit::files::event_stream_tests::event_stream_test(ctx, op, &case.spec))
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

fn str_list(spec: &Map<String, Value>, key: &str) -> Vec<String> {
    let list = spec.get(key).and_then(Value::as_array);
    list.into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
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
    let call = crate::emit::protocol::call_expr(ctx, op, &op_path, (&quote!(client), &quote!(&client)), &quote!(input));
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
        let result = #call.await;
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
