//! The service client: `Client`, its operation methods, and the `Request` trait for sending
//! an input struct directly.

use crate::emit::context::{ident, inner_doc_attrs, render, Ctx, Files};
use proc_macro2::TokenStream;
use quote::quote;

/// Emits `src/<service>/client.rs`.
pub(crate) fn emit_client(ctx: &Ctx<'_>, files: &mut Files) -> Result<(), String> {
    let service = ctx.model.get(&ctx.plan.id).ok_or("service vanished")?;
    let sdk_id = service.traits.sdk_id.clone().unwrap_or_else(|| service.name().to_owned());
    let endpoint_prefix = service.traits.endpoint_prefix.clone().unwrap_or_else(|| ctx.plan.module.replace('_', "-"));
    let signing_name = service.traits.sigv4_name.clone().unwrap_or_else(|| endpoint_prefix.clone());
    let version = match &service.kind {
        crate::ir::Kind::Service(svc) => svc.version.clone(),
        _ => String::new(),
    };
    let module = ident(&ctx.plan.module);
    let doc = inner_doc_attrs(None, &format!("The client for the `{sdk_id}` service."));
    let methods = ctx.plan.operations.iter().map(|op| {
        let method = ident(&op.module);
        let op_module = ident(&op.module);
        let fluent = ident(&op.names.fluent_builder);
        let doc = format!(" Starts a `{}` call; set its members, then `.send().await`.", op.name);
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> crate::#module::operation::#op_module::builders::#fluent {
                crate::#module::operation::#op_module::builders::#fluent::new(self.clone())
            }
        }
    });
    let (rules_static, endpoint_rules) = endpoint_rules(service.traits.endpoint_rule_set.as_ref(), &sdk_id)?;
    let client_doc = client_doc(&sdk_id, &service.traits.client_context_params);
    let tokens = quote! {
        #doc
        #rules_static
        /// How this service is addressed and signed.
        pub(crate) static SERVICE: ::aws_lite_runtime::client::ServiceSpec = ::aws_lite_runtime::client::ServiceSpec {
            sdk_id: #sdk_id,
            endpoint_prefix: #endpoint_prefix,
            signing_name: #signing_name,
            api_version: #version,
            endpoint_rules: #endpoint_rules,
        };

        #(#[doc = #client_doc])*
        #[derive(Debug, Clone)]
        pub struct Client {
            config: ::std::sync::Arc<::aws_lite_runtime::client::Config>,
        }

        impl Client {
            /// A client using `config`.
            pub fn new(config: ::aws_lite_runtime::client::Config) -> Self {
                Self { config: ::std::sync::Arc::new(config) }
            }

            /// A client configured as the AWS SDKs configure one: from the environment, the shared
            /// config files and, on AWS compute, the metadata services (see `Config::load`).
            ///
            /// # Errors
            /// When no region is found, or a setting or config file is invalid.
            pub async fn load() -> ::std::result::Result<Self, ::aws_lite_runtime::client::ConfigError> {
                ::aws_lite_runtime::client::Config::load().await.map(Self::new)
            }

            /// The client's configuration.
            pub fn config(&self) -> &::aws_lite_runtime::client::Config {
                &self.config
            }

            /// Sends a complete operation input, e.g. one built with its `builder()`.
            ///
            /// # Errors
            /// Validation, transport, timeout, service and response-parsing failures.
            pub async fn send<R: Request>(&self, request: R) -> CallResult<R> {
                request.invoke(self).await
            }

            #(#methods)*
        }

        /// An operation input that [`Client::send`] can send.
        pub trait Request: ::std::marker::Sized {
            /// What the operation returns.
            type Output;
            /// The operation's error enum.
            type Error;
            /// Runs the whole call.
            fn invoke(self, client: &Client) -> impl ::std::future::Future<Output = CallResult<Self>> + ::std::marker::Send;
        }

        /// What a call of `R` returns: its output, or an error naming what failed.
        pub type CallResult<R> = ::std::result::Result<<R as Request>::Output, ::aws_lite_runtime::client::SdkError<<R as Request>::Error>>;
    };
    let path = format!("src/{}/client.rs", ctx.plan.module);
    files.insert(path.clone(), render(&path, tokens, &ctx.header())?);
    Ok(())
}

/// The `static` embedding the service's endpoint rule set (minified JSON in a raw string) and
/// the `ServiceSpec::endpoint_rules` value naming it.
fn endpoint_rules(rule_set: Option<&serde_json::Value>, sdk_id: &str) -> Result<(TokenStream, TokenStream), String> {
    let Some(rule_set) = rule_set else {
        return Ok((TokenStream::new(), quote!(::std::option::Option::None)));
    };
    let json =
        serde_json::to_string(rule_set).map_err(|err| format!("cannot write the rule set of {sdk_id}: {err}"))?;
    let literal = raw_string(&json)
        .parse::<proc_macro2::Literal>()
        .map_err(|err| format!("generator bug: the rule set of {sdk_id} is not a valid raw string: {err}"))?;
    let doc = format!(" The endpoint rule set of `{sdk_id}` (`smithy.rules#endpointRuleSet`), resolved per call.");
    let tokens = quote! {
        #[doc = #doc]
        static ENDPOINT_RULES: ::aws_lite_runtime::client::EndpointRules = ::aws_lite_runtime::client::EndpointRules::new(#literal);
    };
    Ok((tokens, quote!(::std::option::Option::Some(&ENDPOINT_RULES))))
}

/// `text` as a raw string literal whose `#` delimiter is longer than any `"#...` run inside it.
fn raw_string(text: &str) -> String {
    let mut longest = 0;
    for (at, _) in text.match_indices('"') {
        let hashes = text[at + 1..].bytes().take_while(|b| *b == b'#').count();
        longest = longest.max(hashes);
    }
    let hashes = "#".repeat(longest + 1);
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The client's documentation, with the client context parameters it can be given.
fn client_doc(sdk_id: &str, params: &[crate::ir::ClientContextParam]) -> Vec<String> {
    let mut lines = vec![format!(" A client for `{sdk_id}`; cheap to clone, share it across tasks.")];
    if !params.is_empty() {
        lines.push(String::new());
        lines.push(
            " Endpoint parameters of the service, set with `ConfigBuilder::client_context_param(name, value)`:"
                .to_owned(),
        );
        lines.push(String::new());
        for param in params {
            let summary = param.documentation.as_deref().map(crate::docs::doc_lines).unwrap_or_default();
            let summary = summary.iter().map(|line| line.trim()).filter(|line| !line.is_empty()).collect::<Vec<_>>();
            let summary = if summary.is_empty() { String::new() } else { format!(": {}", summary.join(" ")) };
            lines.push(format!(" - `{}` ({}){summary}", param.name, param.kind));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::raw_string;

    #[test]
    fn raw_strings_outlast_every_quote_hash_run() {
        assert_eq!(raw_string("{}"), "r#\"{}\"#");
        assert_eq!(raw_string(r##"{"a":"#x"}"##), "r##\"{\"a\":\"#x\"}\"##");
        assert_eq!(raw_string(r###"x"##"###), "r###\"x\"##\"###");
    }
}
