//! Wire serialization and parsing for the AWS JSON protocols: awsJson1_0/1_1 put every member
//! in a JSON body; restJson1 binds members to the URI, query, headers, status and payload
//! from the HTTP binding traits and puts the rest in a JSON body.

mod customizations;
mod endpoint_params;

use crate::emit::context::Ctx;
use crate::emit::items::rust_type::{simple_type, Field};
use crate::emit::items::shapes::{serde_field_attrs, SerdeUse};
use crate::ir::{Kind, Protocol, Simple, TimestampFormat};
use crate::plan::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;

/// Where a bound value goes; decides the default timestamp format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Location {
    Label,
    Query,
    Header,
}

/// `fn serialize(input) -> Result<RequestParts, ConstructionError>` for an operation.
///
/// The check stage rejects services without a supported protocol and restJson1 operations
/// without `@http`, so neither reaches this point; should one, the serializer says so at call
/// time rather than emitting code that does not build.
pub(crate) fn serializer(ctx: &Ctx<'_>, op: &OperationPlan, input_ty: &TokenStream) -> Serializer {
    let request = match ctx.plan.protocol {
        Some(Protocol::RestJson1) => rest_request(ctx, op),
        Some(protocol @ (Protocol::AwsJson1_0 | Protocol::AwsJson1_1)) => Some(aws_json_request(ctx, op, protocol)),
        None => None,
    };
    let Some(Request { statements, uses_input, single_call }) = request else {
        let item = quote! {
            fn serialize(_input: #input_ty) -> ::std::result::Result<::aws_lite_runtime::client::RequestParts, ::aws_lite_runtime::client::ConstructionError> {
                ::std::result::Result::Err(::aws_lite_runtime::client::ConstructionError::new("the operation has no supported protocol binding"))
            }
        };
        return Serializer { item, closure: None };
    };
    let closure = single_call.then(|| quote!(|input| #statements));
    let input = if uses_input { quote!(input) } else { quote!(_input) };
    let item = quote! {
        fn serialize(#input: #input_ty) -> ::std::result::Result<::aws_lite_runtime::client::RequestParts, ::aws_lite_runtime::client::ConstructionError> {
            #statements
        }
    };
    Serializer { item, closure }
}

/// How an operation's input becomes its request.
pub(crate) struct Serializer {
    /// The `serialize` function.
    pub item: TokenStream,
    /// The same as a closure, when its body is one call of the runtime.
    pub closure: Option<TokenStream>,
}

/// The body of a serializer, whether it reads the input, and whether it is one expression
/// calling the runtime.
struct Request {
    statements: TokenStream,
    uses_input: bool,
    single_call: bool,
}

/// The `RequestParts` of a request: the fields every request sets, then those an operation
/// sets only sometimes (left to their defaults otherwise).
struct Parts {
    /// `let` statements computing the optional fields from the input, to run before the body
    /// takes the input's members.
    prelude: TokenStream,
    /// The `RequestParts` literal, in `Ok(..)`.
    literal: TokenStream,
    /// Whether the prelude reads the input.
    reads_input: bool,
    /// Whether every optional field keeps its default (the prelude is empty).
    defaults_only: bool,
}

/// How many fields of `RequestParts` an operation may leave to their defaults: `host_prefix`,
/// `endpoint`, `request_compression`, `endpoint_params`, `retryable_codes`.
const OPTIONAL_PARTS: usize = 5;

/// `path_and_query` is its expression, or `None` for a local variable of that name.
fn request_parts(ctx: &Ctx<'_>, op: &OperationPlan, method: TokenStream, path_and_query: Option<TokenStream>) -> Parts {
    let mut prelude = Vec::new();
    let mut fields = Vec::new();
    let mut reads_input = false;
    if let Some((prefix, has_labels)) = host_prefix(ctx, op) {
        reads_input |= has_labels;
        prelude.push(quote!(let host_prefix = #prefix;));
        fields.push(quote!(host_prefix: ::std::option::Option::Some(host_prefix),));
    }
    if let Some(endpoint) = customizations::request_endpoint(ctx, op) {
        reads_input = true;
        prelude.push(quote!(let endpoint = #endpoint;));
        fields.push(quote!(endpoint,));
    }
    if request_compression(ctx, op) {
        fields.push(quote!(request_compression: true,));
    }
    if let Some((statements, reads)) = endpoint_params::endpoint_params(ctx, op) {
        reads_input |= reads;
        prelude.push(statements);
        fields.push(quote!(endpoint_params,));
    }
    // `..Default` only when a field is left out: clippy flags a needless update.
    let rest = (fields.len() < OPTIONAL_PARTS).then(|| quote!(..::std::default::Default::default()));
    let path_and_query = match path_and_query {
        Some(expr) => quote!(path_and_query: #expr,),
        None => quote!(path_and_query,),
    };
    let literal = quote! {
        ::std::result::Result::Ok(::aws_lite_runtime::client::RequestParts {
            method: #method,
            #path_and_query
            headers,
            body,
            #(#fields)*
            #rest
        })
    };
    Parts { prelude: quote!(#(#prelude)*), literal, reads_input, defaults_only: fields.is_empty() }
}

fn aws_json_request(ctx: &Ctx<'_>, op: &OperationPlan, protocol: Protocol) -> Request {
    let content_type = match protocol {
        Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
        _ => "application/x-amz-json-1.1",
    };
    let service_name = crate::ir::local_name(&ctx.plan.id);
    let target = format!("{service_name}.{}", op.name);
    let checksum = checksum(ctx, op);
    let custom = customizations::request_statements(ctx, op);
    let Parts { prelude, literal, defaults_only, .. } = request_parts(
        ctx,
        op,
        quote!(::aws_lite_runtime::http::Method::POST),
        Some(quote!(::std::string::String::from("/"))),
    );
    if defaults_only && custom.is_empty() && checksum.is_none() && !query_compatible(ctx) {
        let statements = quote!(::aws_lite_runtime::protocol::aws_json_request(&input, #content_type, #target));
        return Request { statements, uses_input: true, single_call: true };
    }
    // A service moved from awsQuery asks to be told the client speaks JSON.
    let query_mode = query_compatible(ctx).then(
        || quote!(headers.insert("x-amzn-query-mode", ::aws_lite_runtime::http::HeaderValue::from_static("true"));),
    );
    let statements = quote! {
        let mut headers = ::aws_lite_runtime::http::HeaderMap::new();
        headers.insert(::aws_lite_runtime::http::header::CONTENT_TYPE, ::aws_lite_runtime::http::HeaderValue::from_static(#content_type));
        headers.insert("x-amz-target", ::aws_lite_runtime::http::HeaderValue::from_static(#target));
        #query_mode
        #prelude
        let body = ::aws_lite_runtime::protocol::json_body(&input)?;
        #custom
        #checksum
        #literal
    };
    Request { statements, uses_input: true, single_call: false }
}

/// Whether a call of `op` is its input's `Request` impl handing this operation's functions to
/// the runtime's `operation::invoke`: a call whose request and response are read and written
/// whole, of an input that is the operation's own, in a service that is not query-compatible.
/// The others keep an `invoke` function in the operation's module.
pub(crate) fn calls_through_request(ctx: &Ctx<'_>, op: &OperationPlan) -> bool {
    !op.has_event_stream() && !ctx.plan.input_is_shared(op) && !query_compatible(ctx)
}

/// A call of `op`: the future of sending `input` with `client`, given both as a method
/// receiver (`client`) and as a `&Client` expression (`&client`); `module` is the path of the
/// operation's module.
pub(crate) fn call_expr(
    ctx: &Ctx<'_>,
    op: &OperationPlan,
    module: &TokenStream,
    (client, client_ref): (&TokenStream, &TokenStream),
    input: &TokenStream,
) -> TokenStream {
    if calls_through_request(ctx, op) {
        quote!(#client.send(#input))
    } else {
        quote!(#module::invoke(#client_ref, #input))
    }
}

/// Whether the service moved from awsQuery to a JSON protocol keeping its query error codes
/// (`@awsQueryCompatible`, Amazon SQS): requests say `x-amzn-query-mode: true`, and error
/// responses carry the query code in `x-amzn-query-error`.
pub(crate) fn query_compatible(ctx: &Ctx<'_>) -> bool {
    let service = ctx.model.get(&ctx.plan.id);
    service.is_some_and(|shape| shape.traits.other.contains_key("aws.protocols#awsQueryCompatible"))
}

/// Whether the operation accepts a gzip-compressed body (`@requestCompression`).
fn request_compression(ctx: &Ctx<'_>, op: &OperationPlan) -> bool {
    let encodings = ctx.model.get(&op.id).and_then(|s| s.traits.other.get("smithy.api#requestCompression"));
    let encodings = encodings.and_then(|t| t.get("encodings")).and_then(serde_json::Value::as_array);
    encodings.is_some_and(|list| list.iter().any(|e| e.as_str() == Some("gzip")))
}

/// `Content-MD5` of the body for operations with `@httpChecksumRequired`.
fn checksum(ctx: &Ctx<'_>, op: &OperationPlan) -> Option<TokenStream> {
    let required = ctx.model.get(&op.id).is_some_and(|s| s.traits.http_checksum_required);
    required.then(|| quote!(::aws_lite_runtime::protocol::set_content_md5(&mut headers, &body);))
}

/// The host prefix of `@endpoint`, with `{label}`s substituted from `@hostLabel` members, and
/// whether it has any.
fn host_prefix(ctx: &Ctx<'_>, op: &OperationPlan) -> Option<(TokenStream, bool)> {
    let prefix = ctx.model.get(&op.id).and_then(|s| s.traits.host_prefix.clone())?;
    let fields = ctx.input_fields(op);
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = prefix.as_str();
    while let Some(start) = rest.find('{') {
        format.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let Some(end) = rest[start..].find('}') else { break };
        let name = &rest[start + 1..start + end];
        if let Some(f) = fields.iter().find(|f| f.member.name == name) {
            let ident = &f.ident;
            let value = if f.optional {
                quote!(input.#ident.as_deref().unwrap_or_default())
            } else {
                quote!(input.#ident.as_str())
            };
            args.push(quote!(::aws_lite_runtime::protocol::label(#value, #name, false)?));
            format.push_str("{}");
        }
        rest = &rest[start + end + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    Some(if args.is_empty() {
        let text = format.replace("{{", "{").replace("}}", "}");
        (quote!(::std::string::String::from(#text)), false)
    } else {
        (quote!(format!(#format, #(#args),*)), true)
    })
}

fn is_bound(f: &Field) -> bool {
    let t = &f.member.traits;
    t.http_label
        || t.http_query.is_some()
        || t.http_query_params
        || t.http_header.is_some()
        || t.http_prefix_headers.is_some()
        || t.http_payload
        || t.http_response_code
}

/// Bound to a part of the response other than the body (labels and query bindings mean
/// nothing in a response, so those members are read from the body).
fn is_bound_in_response(f: &Field) -> bool {
    let t = &f.member.traits;
    t.http_header.is_some() || t.http_prefix_headers.is_some() || t.http_payload || t.http_response_code
}

fn rest_request(ctx: &Ctx<'_>, op: &OperationPlan) -> Option<Request> {
    let http = ctx.model.get(&op.id).and_then(|s| s.traits.http.clone())?;
    let fields = ctx.input_fields(op);
    let (uri_path, literal_query) = match http.uri.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (http.uri.clone(), String::new()),
    };

    // The path, with each `{label}` / `{label+}` replaced by its encoded value.
    let mut format = String::new();
    let mut args = Vec::new();
    let mut labels = Vec::new();
    let mut rest = uri_path.as_str();
    // Text of the URI itself, braces escaped for `format!`.
    let escaped = |text: &str| text.replace('{', "{{").replace('}', "}}");
    while let Some(start) = rest.find('{') {
        format.push_str(&escaped(&rest[..start]));
        let Some(end) = rest[start..].find('}') else { break };
        let raw = &rest[start + 1..start + end];
        let (name, greedy) = raw.strip_suffix('+').map_or((raw, false), |n| (n, true));
        match fields.iter().find(|f| f.member.name == name) {
            Some(f) => {
                let ident = &f.ident;
                let text = wire_text(ctx, f, quote!(value), Location::Label);
                let text = customizations::label_text(ctx, name, text);
                let string =
                    matches!(ctx.model.get(&f.member.target).map(|s| &s.kind), Some(Kind::Simple(Simple::String)));
                // A required string is encoded from the input as it is, without a copy.
                let value = if f.optional {
                    quote!(&match &input.#ident { ::std::option::Option::Some(value) => #text, ::std::option::Option::None => ::std::string::String::new() })
                } else if string && !customizations::customizes_label(ctx, name) {
                    quote!(&input.#ident)
                } else {
                    quote!(&{ let value = &input.#ident; #text })
                };
                // Each label is a `let` before the `format!`, whose arguments rustfmt and
                // prettyplease leave as they are.
                let label = quote::format_ident!("{}_label", ident.to_string().trim_start_matches("r#"));
                labels.push(quote!(let #label = ::aws_lite_runtime::protocol::label(#value, #name, #greedy)?;));
                format.push_str(&format!("{{{label}}}"));
                args.push(label);
            }
            None => format.push_str(&escaped(&rest[start..start + end + 1])),
        }
        rest = &rest[start + end + 1..];
    }
    format.push_str(&escaped(rest));

    let mut statements = Vec::new();
    let (mut writes_query, mut writes_headers, mut reads_explicit_query) = (false, false, false);
    for f in &fields {
        let ident = &f.ident;
        let t = &f.member.traits;
        let each = |body: TokenStream| -> TokenStream {
            if f.optional {
                quote!(if let ::std::option::Option::Some(value) = &input.#ident { #body })
            } else {
                quote!({ let value = &input.#ident; #body })
            }
        };
        if let Some(name) = &t.http_query {
            writes_query = true;
            statements.push(each(list_or_single(
                ctx,
                f,
                Location::Query,
                |text| quote!(::aws_lite_runtime::protocol::push_query(&mut query, #name, &#text);),
            )));
        } else if t.http_query_params {
            writes_query = true;
            reads_explicit_query = true;
            statements.push(each(map_entries(ctx, f, |key, text| {
                quote!(if !explicit_query.contains(&#key.as_str()) { ::aws_lite_runtime::protocol::push_query(&mut query, #key, &#text); })
            })));
        } else if let Some(name) = &t.http_header {
            writes_headers = true;
            let header = list_or_joined_header(ctx, f, name);
            statements.push(each(header));
        } else if let Some(prefix) = &t.http_prefix_headers {
            writes_headers = true;
            statements.push(each(map_entries(ctx, f, |key, text| {
                quote!(::aws_lite_runtime::protocol::set_header(&mut headers, &format!("{}{}", #prefix, #key), &#text)?;)
            })));
        }
    }
    let explicit_query: Vec<&String> = fields.iter().filter_map(|f| f.member.traits.http_query.as_ref()).collect();
    // Query parameters of `@httpQueryParams` never override those bound by name.
    let explicit = reads_explicit_query.then(|| quote!(let explicit_query: &[&str] = &[#(#explicit_query),*];));

    let payload = fields.iter().find(|f| f.member.traits.http_payload);
    // Body members in name order, as the official SDKs write restJson1 documents.
    let mut body_fields: Vec<&Field> = fields.iter().filter(|f| !is_bound(f)).collect();
    body_fields.sort_by(|a, b| a.member.name.cmp(&b.member.name));
    let body = match payload {
        // The events follow the request head; the call sends them.
        Some(f) if f.event_stream => quote! {
            let body = ::aws_lite_runtime::bytes::Bytes::new();
            headers.insert(::aws_lite_runtime::http::header::CONTENT_TYPE, ::aws_lite_runtime::http::HeaderValue::from_static("application/vnd.amazon.eventstream"));
        },
        Some(f) => payload_body(ctx, f),
        None if body_fields.is_empty() => quote!(let body = ::aws_lite_runtime::bytes::Bytes::new();),
        None => {
            let defs = body_fields.iter().map(|f| {
                let ident = &f.ident;
                let ty = f.declared_type();
                let serde = serde_field_attrs(f, SerdeUse::Serialize);
                quote!(#serde #ident: #ty,)
            });
            let moves = body_fields.iter().map(|f| {
                let ident = &f.ident;
                quote!(#ident: input.#ident,)
            });
            quote! {
                #[derive(::aws_lite_runtime::serde::Serialize)]
                #[serde(crate = "::aws_lite_runtime::serde")]
                struct Body { #(#defs)* }
                let body = ::aws_lite_runtime::protocol::json_body(&Body { #(#moves)* })?;
                headers.insert(::aws_lite_runtime::http::header::CONTENT_TYPE, ::aws_lite_runtime::http::HeaderValue::from_static("application/json"));
            }
        }
    };
    let checksum = checksum(ctx, op);
    let custom = customizations::request_statements(ctx, op);
    let path = if args.is_empty() {
        let path = format.replace("{{", "{").replace("}}", "}");
        quote!(::std::string::String::from(#path))
    } else {
        quote!(format!(#format))
    };
    let query = if writes_query {
        quote!(let mut query = ::std::string::String::from(#literal_query);)
    } else {
        TokenStream::new()
    };
    let path_and_query = match (writes_query, literal_query.is_empty()) {
        (true, _) => quote!(::aws_lite_runtime::protocol::path_and_query(#path, &query)),
        (false, true) => path,
        (false, false) => quote!(::aws_lite_runtime::protocol::path_and_query(#path, #literal_query)),
    };
    let Parts { prelude, literal, reads_input, .. } = request_parts(ctx, op, method_tokens(&http.method), None);
    let has_body = payload.is_some() || !body_fields.is_empty();
    let headers_mut = (writes_headers || has_body || !custom.is_empty() || checksum.is_some()).then(|| quote!(mut));
    let statements = quote! {
        let #headers_mut headers = ::aws_lite_runtime::http::HeaderMap::new();
        #query
        #explicit
        #(#statements)*
        #(#labels)*
        let path_and_query = #path_and_query;
        #prelude
        #body
        #custom
        #checksum
        #literal
    };
    // An event-stream payload is sent by the call, not read here.
    let reads_body = payload.is_some_and(|f| !f.event_stream) || !body_fields.is_empty();
    let uses_input = !args.is_empty() || writes_query || writes_headers || reads_body || reads_input;
    Some(Request { statements, uses_input, single_call: false })
}

/// `http::Method::GET` and friends; any other method by name.
fn method_tokens(method: &str) -> TokenStream {
    match method {
        "GET" | "PUT" | "POST" | "DELETE" | "HEAD" | "PATCH" | "OPTIONS" => {
            let ident = proc_macro2::Ident::new(method, proc_macro2::Span::call_site());
            quote!(::aws_lite_runtime::http::Method::#ident)
        }
        other => {
            let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
            quote!(::aws_lite_runtime::http::Method::from_bytes(#bytes).unwrap_or(::aws_lite_runtime::http::Method::POST))
        }
    }
}

fn payload_body(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    let ident = &f.ident;
    let target = ctx.model.get(&f.member.target).map(|s| &s.kind);
    let media_type = f.traits.media_type.clone();
    let (value, content_type) = match target {
        Some(Kind::Simple(Simple::Blob)) => (
            quote!(::aws_lite_runtime::bytes::Bytes::from(value.clone().into_inner())),
            media_type.unwrap_or_else(|| "application/octet-stream".to_owned()),
        ),
        Some(Kind::Simple(Simple::String)) => (
            quote!(::aws_lite_runtime::bytes::Bytes::from(value.clone())),
            media_type.unwrap_or_else(|| "text/plain".to_owned()),
        ),
        Some(Kind::Enum(_)) => (
            quote!(::aws_lite_runtime::bytes::Bytes::from(value.as_str().to_owned())),
            media_type.unwrap_or_else(|| "text/plain".to_owned()),
        ),
        _ => (quote!(::aws_lite_runtime::protocol::json_body(value)?), "application/json".to_owned()),
    };
    let content_type_header = quote! {
        if !headers.contains_key(::aws_lite_runtime::http::header::CONTENT_TYPE) {
            headers.insert(::aws_lite_runtime::http::header::CONTENT_TYPE, ::aws_lite_runtime::http::HeaderValue::from_static(#content_type));
        }
    };
    // An unset structure payload is still a JSON document: `{}`.
    let none = if matches!(target, Some(Kind::Structure(_))) {
        quote! {
            headers.insert(::aws_lite_runtime::http::header::CONTENT_TYPE, ::aws_lite_runtime::http::HeaderValue::from_static("application/json"));
            ::aws_lite_runtime::bytes::Bytes::from_static(b"{}")
        }
    } else {
        quote!(::aws_lite_runtime::bytes::Bytes::new())
    };
    if f.optional {
        quote! {
            let body = match &input.#ident {
                ::std::option::Option::Some(value) => { #content_type_header #value }
                ::std::option::Option::None => { #none }
            };
        }
    } else {
        quote!(let body = { let value = &input.#ident; #content_type_header #value };)
    }
}

/// The runtime `TimestampFormat` variant for a format.
fn format_variant(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(EpochSeconds),
        TimestampFormat::DateTime => quote!(DateTime),
        TimestampFormat::HttpDate => quote!(HttpDate),
    }
}

/// `value` (a `&T`) as text for a label, query value or header.
fn scalar_text(
    ctx: &Ctx<'_>,
    target: &str,
    format: Option<TimestampFormat>,
    value: TokenStream,
    at: Location,
) -> TokenStream {
    let Some(shape) = ctx.model.get(target) else { return quote!(::std::string::String::new()) };
    match &shape.kind {
        Kind::Simple(Simple::String) => quote!(#value.clone()),
        // An owned `String` like every other arm (callers borrow it where a `&str` will do).
        Kind::Enum(_) => quote!(::std::string::String::from(#value.as_str())),
        Kind::IntEnum(_) => quote!(#value.as_i32().to_string()),
        // Each width formats itself: widening first would print `1.1f32` as `1.100000023841858`.
        Kind::Simple(Simple::Float | Simple::Double) => quote!(::aws_lite_runtime::protocol::float(*#value)),
        Kind::Simple(Simple::Timestamp) => {
            let format = format.or(shape.traits.timestamp_format).unwrap_or(match at {
                Location::Header => TimestampFormat::HttpDate,
                _ => TimestampFormat::DateTime,
            });
            let format = format_variant(format);
            quote!(::aws_lite_runtime::protocol::timestamp(#value, ::aws_lite_runtime::primitives::TimestampFormat::#format)?)
        }
        Kind::Simple(Simple::Blob) => quote!(::aws_lite_runtime::protocol::base64(#value)),
        Kind::Simple(Simple::Document) => quote!(#value.to_string()),
        _ => quote!(#value.to_string()),
    }
}

fn wire_text(ctx: &Ctx<'_>, f: &Field, value: TokenStream, at: Location) -> TokenStream {
    let format = f.member.traits.timestamp_format;
    let media_json = f.traits.media_type.as_ref().is_some_and(|m| m.contains("json"));
    let text = scalar_text(ctx, &f.member.target, format, value.clone(), at);
    if media_json && at == Location::Header {
        // A JSON string in a header travels base64-encoded.
        quote!(::aws_lite_runtime::protocol::base64(&::aws_lite_runtime::primitives::Blob::from(#text.as_str())))
    } else {
        text
    }
}

/// Query parameters: one per list item, or one for a scalar.
fn list_or_single(ctx: &Ctx<'_>, f: &Field, at: Location, push: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
    match ctx.model.get(&f.member.target).map(|s| &s.kind) {
        Some(Kind::List(item)) => {
            let text = scalar_text(ctx, &item.target, item.traits.timestamp_format, quote!(item), at);
            let push = push(text);
            quote!(for item in value.iter() { #push })
        }
        _ => push(wire_text(ctx, f, quote!(value), at)),
    }
}

/// A header: lists are comma-joined (strings with commas or quotes are quoted).
fn list_or_joined_header(ctx: &Ctx<'_>, f: &Field, name: &str) -> TokenStream {
    match ctx.model.get(&f.member.target).map(|s| &s.kind) {
        Some(Kind::List(item)) => {
            let text = scalar_text(ctx, &item.target, item.traits.timestamp_format, quote!(item), Location::Header);
            let is_string = matches!(ctx.model.get(&item.target).map(|s| &s.kind), Some(Kind::Simple(Simple::String)));
            let quote_item = if is_string {
                quote!(if text.contains(',') || text.contains('"') {
                    format!("\"{}\"", text.replace('"', "\\\""))
                } else {
                    text
                })
            } else {
                quote!(text)
            };
            quote! {
                let mut parts: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                for item in value.iter() {
                    let text: ::std::string::String = #text;
                    parts.push(#quote_item);
                }
                ::aws_lite_runtime::protocol::set_header(&mut headers, #name, &parts.join(", "))?;
            }
        }
        _ => {
            let text = wire_text(ctx, f, quote!(value), Location::Header);
            quote!(::aws_lite_runtime::protocol::set_header(&mut headers, #name, &#text)?;)
        }
    }
}

/// Map entries of `@httpQueryParams` / `@httpPrefixHeaders`; list values repeat the key.
fn map_entries(ctx: &Ctx<'_>, f: &Field, push: impl Fn(&TokenStream, TokenStream) -> TokenStream) -> TokenStream {
    let Some(Kind::Map { value, .. }) = ctx.model.get(&f.member.target).map(|s| &s.kind) else {
        return TokenStream::new();
    };
    let key = quote!(key);
    match ctx.model.get(&value.target).map(|s| &s.kind) {
        Some(Kind::List(item)) => {
            let text = scalar_text(ctx, &item.target, None, quote!(item), Location::Query);
            let push = push(&key, text);
            quote!(for (key, items) in value.iter() { for item in items.iter() { #push } })
        }
        _ => {
            let text = scalar_text(ctx, &value.target, None, quote!(item), Location::Query);
            let push = push(&key, text);
            quote!(for (key, item) in value.iter() { #push })
        }
    }
}

/// `fn deserialize_output(response) -> Result<Output, ResponseParseError>`.
/// The runtime function that reads `op`'s response whole, when one can: no member is bound to
/// the response head and none is an event stream.
pub(crate) fn runtime_output_parser(ctx: &Ctx<'_>, op: &OperationPlan) -> Option<TokenStream> {
    let rest = ctx.plan.protocol == Some(Protocol::RestJson1);
    let fields = op.output.as_deref().map(|id| ctx.fields_of(id)).unwrap_or_default();
    if fields.iter().any(|f| f.event_stream) || (rest && fields.iter().any(is_bound_in_response)) {
        return None;
    }
    Some(if fields.is_empty() {
        quote!(::aws_lite_runtime::protocol::empty_output)
    } else {
        quote!(::aws_lite_runtime::protocol::parse_json)
    })
}

pub(crate) fn output_parser(ctx: &Ctx<'_>, op: &OperationPlan, output_ty: &TokenStream) -> TokenStream {
    let rest = ctx.plan.protocol == Some(Protocol::RestJson1);
    let fields = op.output.as_deref().map(|id| ctx.fields_of(id)).unwrap_or_default();
    // A received event stream is read from the body later, by the call.
    let body = if fields.iter().all(|f| f.event_stream) {
        quote!(let _ = response; ::std::result::Result::Ok(<#output_ty>::default()))
    } else if !rest || !fields.iter().any(is_bound_in_response) {
        if fields.is_empty() {
            quote!(let _ = response; ::std::result::Result::Ok(<#output_ty>::default()))
        } else {
            quote!(::aws_lite_runtime::protocol::parse_json(response))
        }
    } else {
        rest_output(ctx, &fields, output_ty)
    };
    quote! {
        fn deserialize_output(response: &::aws_lite_runtime::http::Response<::aws_lite_runtime::bytes::Bytes>) -> ::std::result::Result<#output_ty, ::aws_lite_runtime::client::ResponseParseError> {
            #body
        }
    }
}

fn rest_output(ctx: &Ctx<'_>, fields: &[Field], output_ty: &TokenStream) -> TokenStream {
    let streaming = fields.iter().any(|f| f.event_stream);
    let body_fields: Vec<&Field> = fields.iter().filter(|f| !is_bound_in_response(f)).collect();
    let parse_body = (!body_fields.is_empty()).then(|| {
        let defs = body_fields.iter().map(|f| {
            let ident = &f.ident;
            let ty = f.declared_type();
            let serde = serde_field_attrs(f, SerdeUse::Deserialize);
            quote!(#serde #ident: #ty,)
        });
        quote! {
            #[derive(::aws_lite_runtime::serde::Deserialize)]
            #[serde(crate = "::aws_lite_runtime::serde")]
            struct Body { #(#defs)* }
            let body: Body = ::aws_lite_runtime::protocol::parse_json(response)?;
        }
    });
    let values = fields.iter().map(|f| {
        let ident = &f.ident;
        let t = &f.member.traits;
        let value = if let Some(name) = &t.http_header {
            let parse = header_parser(ctx, f);
            let parsed = quote!(::aws_lite_runtime::protocol::parse_header(response, #name, #parse)?);
            if f.optional {
                parsed
            } else if streaming && f.member.traits.required {
                // The initial response of a stream must be whole: no error correction then.
                let missing = format!("the required header `{name}` is missing from the response");
                quote!(#parsed.ok_or_else(|| ::aws_lite_runtime::client::ResponseParseError::new(response, #missing))?)
            } else {
                quote!(#parsed.unwrap_or_default())
            }
        } else if let Some(prefix) = &t.http_prefix_headers {
            let lower = prefix.to_ascii_lowercase();
            let collected = quote! {
                response.headers().iter().filter_map(|(name, value)| {
                    let key = name.as_str().strip_prefix(#lower)?;
                    ::std::option::Option::Some((key.to_owned(), value.to_str().ok()?.to_owned()))
                }).collect::<::std::collections::HashMap<_, _>>()
            };
            if f.optional {
                quote!(::std::option::Option::Some(#collected).filter(|m| !m.is_empty()))
            } else {
                collected
            }
        } else if t.http_response_code {
            let code = quote!(i32::from(response.status().as_u16()));
            if f.optional {
                quote!(::std::option::Option::Some(#code))
            } else {
                code
            }
        } else if t.http_payload && f.event_stream {
            quote!(::std::default::Default::default())
        } else if t.http_payload {
            let parsed = output_payload(ctx, f);
            let empty = if f.optional {
                quote!(::std::option::Option::None)
            } else {
                quote!(::std::default::Default::default())
            };
            let parsed = if f.optional { quote!(::std::option::Option::Some(#parsed)) } else { parsed };
            quote!(if response.body().is_empty() { #empty } else { #parsed })
        } else {
            quote!(body.#ident)
        };
        quote!(#ident: #value,)
    });
    quote! {
        #parse_body
        ::std::result::Result::Ok(#output_ty { #(#values)* })
    }
}

/// A closure `|&str| -> Result<T, String>` parsing a header into the member's type; list
/// headers are split on commas outside quoted strings (http-dates keep their own comma).
fn header_parser(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    let media_json = f.traits.media_type.as_ref().is_some_and(|m| m.contains("json"));
    match ctx.model.get(&f.member.target).map(|s| &s.kind) {
        Some(Kind::List(item)) => {
            let format = item.traits.timestamp_format.or(f.member.traits.timestamp_format);
            let item_parser = scalar_parser(ctx, &item.target, format, false);
            let http_date =
                matches!(ctx.model.get(&item.target).map(|s| &s.kind), Some(Kind::Simple(Simple::Timestamp)))
                    && ctx
                        .model
                        .get(&item.target)
                        .and_then(|s| s.traits.timestamp_format)
                        .or(format)
                        .unwrap_or(TimestampFormat::HttpDate)
                        == TimestampFormat::HttpDate;
            quote! {
                |text: &str| ::aws_lite_runtime::protocol::split_header_list(text, #http_date)
                    .iter()
                    .map(::std::string::String::as_str)
                    .map(#item_parser)
                    .collect::<::std::result::Result<::std::vec::Vec<_>, ::std::string::String>>()
            }
        }
        _ => scalar_parser(ctx, &f.member.target, f.member.traits.timestamp_format, media_json),
    }
}

/// A closure `|&str| -> Result<T, String>` reading one header value of shape `target`.
fn scalar_parser(ctx: &Ctx<'_>, target: &str, format: Option<TimestampFormat>, media_json: bool) -> TokenStream {
    let Some(shape) = ctx.model.get(target) else {
        return quote!(|_: &str| ::std::result::Result::Err(::std::string::String::from("unknown shape")));
    };
    let ok = |e: TokenStream| quote!(|text: &str| ::std::result::Result::<_, ::std::string::String>::Ok(#e));
    let parse = |ty: TokenStream| quote!(|text: &str| text.parse::<#ty>().map_err(|err| err.to_string()));
    match &shape.kind {
        Kind::Simple(Simple::String) if media_json => quote!(::aws_lite_runtime::protocol::decode_base64_text),
        Kind::Simple(Simple::String) => ok(quote!(text.to_owned())),
        Kind::Enum(_) => ok(quote!(::std::convert::From::from(text))),
        Kind::Simple(Simple::Timestamp) => {
            let format = format.or(shape.traits.timestamp_format).unwrap_or(TimestampFormat::HttpDate);
            let format = format_variant(format);
            quote!(|text: &str| ::aws_lite_runtime::primitives::DateTime::parse(text, ::aws_lite_runtime::primitives::TimestampFormat::#format).map_err(|err| err.to_string()))
        }
        Kind::Simple(Simple::Boolean) => parse(quote!(bool)),
        Kind::Simple(Simple::Byte) => parse(quote!(i8)),
        Kind::Simple(Simple::Short) => parse(quote!(i16)),
        Kind::Simple(Simple::Integer) => parse(quote!(i32)),
        Kind::Simple(Simple::Long) => parse(quote!(i64)),
        Kind::Simple(Simple::Float) => {
            quote!(|text: &str| ::aws_lite_runtime::protocol::parse_float(text).map(|v| v as f32))
        }
        Kind::Simple(Simple::Double) => quote!(::aws_lite_runtime::protocol::parse_float),
        Kind::Simple(simple @ (Simple::BigInteger | Simple::BigDecimal)) => parse(simple_type(*simple)),
        Kind::Simple(Simple::Blob) => quote!(::aws_lite_runtime::protocol::decode_base64),
        Kind::IntEnum(_) => {
            quote!(|text: &str| text.parse::<i32>().map(::std::convert::From::from).map_err(|err| err.to_string()))
        }
        _ => {
            let message = format!("`{target}` cannot be read from a header");
            quote!(|_: &str| ::std::result::Result::Err(::std::string::String::from(#message)))
        }
    }
}

/// A response payload member's value from a non-empty body.
fn output_payload(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    match ctx.model.get(&f.member.target).map(|s| &s.kind) {
        Some(Kind::Simple(Simple::Blob)) => quote!(::aws_lite_runtime::primitives::Blob::new(response.body().to_vec())),
        Some(Kind::Simple(Simple::String)) => {
            quote!(::std::string::String::from_utf8_lossy(response.body()).into_owned())
        }
        Some(Kind::Enum(_)) => {
            quote!(::std::convert::From::from(::std::string::String::from_utf8_lossy(response.body()).as_ref()))
        }
        _ => quote!(::aws_lite_runtime::protocol::parse_json(response)?),
    }
}

/// Error members bound to headers, read when present and well-formed (an error response is
/// reported whatever its headers hold).
fn error_header_members(ctx: &Ctx<'_>, id: &str) -> TokenStream {
    let fields = ctx.fields_of(id);
    let reads = fields.iter().filter_map(|f| {
        let name = f.member.traits.http_header.as_ref()?;
        let ident = &f.ident;
        let parse = header_parser(ctx, f);
        let value = if f.optional { quote!(::std::option::Option::Some(value)) } else { quote!(value) };
        Some(quote! {
            if let ::std::result::Result::Ok(::std::option::Option::Some(value)) = ::aws_lite_runtime::protocol::parse_header(response, #name, #parse) {
                error.#ident = #value;
            }
        })
    });
    quote!(#(#reads)*)
}

/// `impl ModeledError` for an error structure: its members from the body and, for restJson1,
/// from headers; the message from the metadata when the body has none (services spell it
/// `message` or `Message`, and the metadata reads both).
pub(crate) fn modeled_error_impl(ctx: &Ctx<'_>, id: &str, ident: &proc_macro2::Ident) -> TokenStream {
    let fields = ctx.fields_of(id);
    let message = fields
        .iter()
        .find(|f| f.member.name.eq_ignore_ascii_case("message") && f.optional && f.ty.to_string().contains("String"))
        .map(|f| &f.ident);
    let headers =
        if ctx.plan.protocol == Some(Protocol::RestJson1) { error_header_members(ctx, id) } else { TokenStream::new() };
    if headers.is_empty() {
        // The common case, read from the body alone, is the runtime's.
        return match message {
            Some(field) => quote!(::aws_lite_runtime::read_modeled_error!(#ident, optional #field);),
            None => quote!(::aws_lite_runtime::read_modeled_error!(#ident);),
        };
    }
    let message_fallback =
        message.map(|field| quote!(if error.#field.is_none() { error.#field = meta.message.clone(); }));
    quote! {
        impl ::aws_lite_runtime::operation::ModeledError for #ident {
            fn from_response(
                response: &::aws_lite_runtime::http::Response<::aws_lite_runtime::bytes::Bytes>,
                meta: &::aws_lite_runtime::error::ErrorMetadata,
            ) -> Self {
                let mut error: Self = ::aws_lite_runtime::protocol::parse_error_body(response);
                #headers
                #message_fallback
                error.error_metadata = meta.clone();
                error
            }
        }
    }
}

/// The runtime function that reads an error response into an operation's error enum (its
/// `OperationError` impl picks the variant by code). For a `query_compatible` service the
/// body's code still picks it, and the code users see is the query code of
/// `x-amzn-query-error`, as the AWS SDKs give it.
pub(crate) fn error_reader(query_compatible: bool) -> TokenStream {
    if query_compatible {
        quote!(::aws_lite_runtime::operation::query_compatible_service_error)
    } else {
        quote!(::aws_lite_runtime::operation::service_error)
    }
}
