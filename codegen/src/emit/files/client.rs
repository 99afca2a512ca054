//! The service client: `Client`, its operation methods, and the `Request` trait for sending
//! an input struct directly.

use crate::emit::context::{ident, inner_doc_attrs, render, Ctx, Files};
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
    let client_doc = format!(" A client for `{sdk_id}`; cheap to clone, share it across tasks.");
    let tokens = quote! {
        #doc
        /// How this service is addressed and signed.
        pub(crate) static SERVICE: ::aws_lite_runtime::client::ServiceSpec = ::aws_lite_runtime::client::ServiceSpec {
            sdk_id: #sdk_id,
            endpoint_prefix: #endpoint_prefix,
            signing_name: #signing_name,
            api_version: #version,
            endpoint_rules: ::std::option::Option::None,
        };

        #[doc = #client_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
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
            pub async fn send<R: Request>(&self, request: R) -> ::std::result::Result<R::Output, ::aws_lite_runtime::client::SdkError<R::Error>> {
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
            fn invoke(self, client: &Client) -> impl ::std::future::Future<Output = ::std::result::Result<Self::Output, ::aws_lite_runtime::client::SdkError<Self::Error>>> + ::std::marker::Send;
        }
    };
    let path = format!("src/{}/client.rs", ctx.plan.module);
    files.insert(path.clone(), render(&path, tokens, &ctx.header())?);
    Ok(())
}
