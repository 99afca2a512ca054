//! The event-stream compliance cases (`smithy.test#eventStreamTests`) as tests: events a client
//! sends are compared message by message with the case's encoded messages; messages it receives
//! are answered by an in-memory transport and read through the operation's event receiver.

use crate::emit::context::{ident, Ctx};
use crate::emit::files::case_values::{client_path, header_pairs, operation_path, str_field, value_expr};
use crate::ir::{local_name, Kind, Simple};
use crate::plan::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

/// The body of the test of one event-stream case of `op`.
pub(crate) fn event_stream_test(
    ctx: &Ctx<'_>,
    op: &OperationPlan,
    spec: &Map<String, Value>,
) -> Result<TokenStream, String> {
    let events: Vec<&Map<String, Value>> =
        spec.get("events").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect();
    let sent = events.iter().any(|e| str_field(e, "type") == Some("request"));
    let received = events.iter().any(|e| str_field(e, "type") == Some("response"));
    if sent && received {
        return Err("a case that both sends and receives events".to_owned());
    }
    let failure = spec.get("expectation").and_then(|e| e.get("failure"));
    if sent || spec.contains_key("initialRequest") {
        if failure.is_some() {
            return Err("a client case expecting a failure to send".to_owned());
        }
        sending_test(ctx, op, spec, &events)
    } else {
        receiving_test(ctx, op, spec, &events, failure)
    }
}

/// The Rust field of stream member `member` of structure `structure`.
fn stream_field(ctx: &Ctx<'_>, structure: Option<&str>, member: &str) -> proc_macro2::Ident {
    let planned = ctx.plan.member(structure.unwrap_or_default(), member);
    ident(planned.map_or(member, |m| m.rust_name.as_str()))
}

/// Each event's encoded message, base64 as in the case.
fn encoded(events: &[&Map<String, Value>]) -> Vec<String> {
    events.iter().filter_map(|e| str_field(e, "bytes")).map(str::to_owned).collect()
}

/// `let mut input = ...;` with the case's initial parameters and label placeholders.
fn input_statement(ctx: &Ctx<'_>, op: &OperationPlan, params: &Map<String, Value>) -> Result<TokenStream, String> {
    let op_path = operation_path(ctx, op);
    let input_ty = ident(&op.names.input);
    let mut statements = vec![quote!(let mut input = <#op_path::#input_ty as ::std::default::Default>::default();)];
    let fields = ctx.input_fields(op);
    for field in &fields {
        let ident = &field.ident;
        let value = match params.get(&field.member.name) {
            Some(value) if !value.is_null() => value_expr(ctx, &field.member.target, value)?,
            // Labels must not be empty for the request to be built; their values do not matter.
            _ if field.member.traits.http_label || field.member.traits.host_label => {
                match ctx.model.get(&field.member.target).map(|s| &s.kind) {
                    Some(Kind::Simple(Simple::String) | Kind::Enum(_)) => quote!(::std::convert::From::from("label")),
                    _ => continue,
                }
            }
            _ => continue,
        };
        statements.push(if field.optional {
            quote!(input.#ident = ::std::option::Option::Some(#value);)
        } else {
            quote!(input.#ident = #value;)
        });
    }
    if let Some(name) = params.keys().find(|name| !fields.iter().any(|f| &f.member.name == *name)) {
        return Err(format!("the input of `{}` has no member `{name}`", op.name));
    }
    Ok(quote!(#(#statements)*))
}

fn sending_test(
    ctx: &Ctx<'_>,
    op: &OperationPlan,
    spec: &Map<String, Value>,
    events: &[&Map<String, Value>],
) -> Result<TokenStream, String> {
    let stream = op.input_stream.as_ref().ok_or_else(|| format!("`{}` sends no event stream", op.name))?;
    let union_ty = ctx.shape_type(&stream.union).ok_or_else(|| format!("`{}` has no Rust type", stream.union))?;
    let field = stream_field(ctx, op.input.as_deref(), &stream.member);
    let values = events
        .iter()
        .map(|event| {
            let params = event.get("params").cloned().unwrap_or(Value::Object(Map::new()));
            value_expr(ctx, &stream.union, &params)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let params = spec.get("initialRequestParams").and_then(Value::as_object).cloned().unwrap_or_default();
    let input = input_statement(ctx, op, &params)?;
    let client = client_path(ctx);
    let op_path = operation_path(ctx, op);
    let mut checks = Vec::new();
    if let Some(initial) = spec.get("initialRequest").and_then(Value::as_object) {
        if let Some(method) = str_field(initial, "method") {
            checks.push(quote!(::aws_lite_runtime::protocol_test::assert_method(&request, #method);));
        }
        if let Some(uri) = str_field(initial, "uri") {
            checks.push(quote!(::aws_lite_runtime::protocol_test::assert_uri(&request, #uri);));
        }
        let headers = header_pairs(initial);
        if !headers.is_empty() {
            checks
                .push(quote!(::aws_lite_runtime::protocol_test::assert_headers(request.headers(), &[#(#headers),*]);));
        }
    }
    let expected = encoded(events);
    checks.push(quote!(::aws_lite_runtime::protocol_test::assert_sent_events(request.body(), &[#(#expected),*]);));
    Ok(quote! {
        let transport = ::aws_lite_runtime::protocol_test::capturing_transport();
        let client = #client::new(::aws_lite_runtime::protocol_test::config(&transport, ::std::option::Option::None, ::aws_lite_runtime::client::ValidationMode::Off));
        #input
        input.#field = ::aws_lite_runtime::event_stream::EventStreamInput::from(::std::vec::Vec::<#union_ty>::from([#(#values),*]));
        let result = #op_path::invoke(&client, input).await;
        let request = ::aws_lite_runtime::protocol_test::sent_request(&transport, &result);
        #(#checks)*
    })
}

fn receiving_test(
    ctx: &Ctx<'_>,
    op: &OperationPlan,
    spec: &Map<String, Value>,
    events: &[&Map<String, Value>],
    failure: Option<&Value>,
) -> Result<TokenStream, String> {
    let stream = op.output_stream.as_ref().ok_or_else(|| format!("`{}` receives no event stream", op.name))?;
    let union_ty = ctx.shape_type(&stream.union).ok_or_else(|| format!("`{}` has no Rust type", stream.union))?;
    let stream_field = stream_field(ctx, op.output.as_deref(), &stream.member);
    let initial = spec.get("initialResponse").and_then(Value::as_object);
    let code =
        initial.and_then(|i| i.get("code")).and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).unwrap_or(200);
    let headers = initial.map(header_pairs).unwrap_or_default();
    let body = initial.and_then(|i| str_field(i, "body")).unwrap_or_default();
    let frames = encoded(events);
    let input = input_statement(ctx, op, &Map::new())?;
    let client = client_path(ctx);
    let op_path = operation_path(ctx, op);
    let setup = quote! {
        let transport = ::aws_lite_runtime::protocol_test::event_stream_transport(#code, &[#(#headers),*], #body, &[#(#frames),*]);
        let client = #client::new(::aws_lite_runtime::protocol_test::config(&transport, ::std::option::Option::None, ::aws_lite_runtime::client::ValidationMode::Off));
        #input
        let result = #op_path::invoke(&client, input).await;
    };
    if let Some(failure) = failure {
        let error_id = failure.get("errorId").and_then(Value::as_str);
        let check = match error_id {
            None => quote!(let _ = err;),
            Some(id) => {
                let name = local_name(id);
                quote!(err.assert_modeled(#name);)
            }
        };
        return Ok(quote! {
            #setup
            let err = match result {
                ::std::result::Result::Err(err) => ::aws_lite_runtime::protocol_test::AnyError::from(err),
                ::std::result::Result::Ok(mut output) => loop {
                    match output.#stream_field.recv().await {
                        ::std::result::Result::Ok(::std::option::Option::Some(_)) => continue,
                        ::std::result::Result::Ok(::std::option::Option::None) => panic!("the stream ended without the expected failure"),
                        ::std::result::Result::Err(err) => break ::aws_lite_runtime::protocol_test::AnyError::from(err),
                    }
                },
            };
            #check
        });
    }
    let expected_events = events
        .iter()
        .map(|event| {
            let params = event.get("params").cloned().unwrap_or(Value::Object(Map::new()));
            value_expr(ctx, &stream.union, &params)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let output_fields = op.output.as_deref().map(|id| ctx.fields_of(id)).unwrap_or_default();
    let params = spec.get("initialResponseParams").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut member_checks = Vec::new();
    for (name, value) in &params {
        let field = output_fields
            .iter()
            .find(|f| &f.member.name == name)
            .ok_or_else(|| format!("the output of `{}` has no member `{name}`", op.name))?;
        let ident = &field.ident;
        let value = value_expr(ctx, &field.member.target, value)?;
        let expected = if field.optional { quote!(::std::option::Option::Some(#value)) } else { value };
        member_checks.push(quote!(::aws_lite_runtime::protocol_test::assert_same(&output.#ident, &#expected);));
    }
    Ok(quote! {
        #setup
        let mut output = match result {
            ::std::result::Result::Ok(output) => output,
            ::std::result::Result::Err(err) => panic!("the response was not parsed: {err}"),
        };
        #(#member_checks)*
        let mut received: ::std::vec::Vec<#union_ty> = ::std::vec::Vec::new();
        loop {
            match output.#stream_field.recv().await {
                ::std::result::Result::Ok(::std::option::Option::Some(event)) => received.push(event),
                ::std::result::Result::Ok(::std::option::Option::None) => break,
                ::std::result::Result::Err(err) => panic!("the stream failed: {err}"),
            }
        }
        let expected: ::std::vec::Vec<#union_ty> = ::std::vec::Vec::from([#(#expected_events),*]);
        ::aws_lite_runtime::protocol_test::assert_same(&received, &expected);
    })
}
