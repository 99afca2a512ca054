//! Service-specific request behaviour the official AWS SDKs add on top of the models, and the
//! protocol compliance suites check: API Gateway's `Accept` header, Glacier's version header,
//! default account id and checksum headers, Machine Learning's per-request endpoint.
//!
//! Each applies by service shape ID, so a model of another service never gets one.

use crate::emit::context::Ctx;
use crate::ir::{Kind, Simple};
use crate::plan::OperationPlan;
use proc_macro2::TokenStream;
use quote::quote;

const API_GATEWAY: &str = "com.amazonaws.apigateway#BackplaneControlService";
const GLACIER: &str = "com.amazonaws.glacier#Glacier";
const MACHINE_LEARNING: &str = "com.amazonaws.machinelearning#AmazonML_20141212";

/// Statements run once `headers` and `body` are built; they may change `headers`.
pub(crate) fn request_statements(ctx: &Ctx<'_>, op: &OperationPlan) -> TokenStream {
    match ctx.plan.id.as_str() {
        API_GATEWAY => quote! {
            headers.insert(::aws_lite_runtime::http::header::ACCEPT, ::aws_lite_runtime::http::HeaderValue::from_static("application/json"));
        },
        GLACIER => {
            let version = match ctx.model.get(GLACIER).map(|s| &s.kind) {
                Some(Kind::Service(service)) => service.version.clone(),
                _ => String::new(),
            };
            let checksums = has_blob_payload(ctx, op)
                .then(|| quote!(::aws_lite_runtime::protocol::glacier_checksums(&mut headers, &body);));
            quote! {
                headers.insert("x-amz-glacier-version", ::aws_lite_runtime::http::HeaderValue::from_static(#version));
                #checksums
            }
        }
        _ => TokenStream::new(),
    }
}

/// The value of `RequestParts::endpoint` where a service's request names its own endpoint.
pub(crate) fn request_endpoint(ctx: &Ctx<'_>, op: &OperationPlan) -> Option<TokenStream> {
    let own_endpoint = ctx.plan.id == MACHINE_LEARNING && op.name == "Predict";
    let member = own_endpoint
        .then(|| ctx.input_fields(op).into_iter().find(|f| f.member.name == "PredictEndpoint"))
        .flatten()?;
    let ident = &member.ident;
    Some(if member.optional {
        quote!(input.#ident.clone())
    } else {
        quote!(::std::option::Option::Some(input.#ident.clone()))
    })
}

/// A label's text after customization: Glacier's `accountId` defaults to `-` (the caller's
/// own account) when empty.
pub(crate) fn label_text(ctx: &Ctx<'_>, member: &str, text: TokenStream) -> TokenStream {
    if customizes_label(ctx, member) {
        quote!({
            let text: ::std::string::String = #text;
            if text.is_empty() { ::std::string::String::from("-") } else { text }
        })
    } else {
        text
    }
}

/// Whether [`label_text`] rewrites the label `member` (Glacier's `accountId` defaults to `-`).
pub(crate) fn customizes_label(ctx: &Ctx<'_>, member: &str) -> bool {
    ctx.plan.id == GLACIER && member == "accountId"
}

fn has_blob_payload(ctx: &Ctx<'_>, op: &OperationPlan) -> bool {
    ctx.input_fields(op).iter().any(|f| {
        f.member.traits.http_payload
            && matches!(ctx.model.get(&f.member.target).map(|s| &s.kind), Some(Kind::Simple(Simple::Blob)))
    })
}
