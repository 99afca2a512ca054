//! Structures (with builders), enums, intEnums and unions.

use crate::emit::context::{doc_attrs, ident, Ctx};
use crate::emit::items::rust_type::Field;
use crate::ir::{EnumMember, IntEnumMember, Kind, Shape, TimestampFormat};
use crate::plan::{Contents, Named};
use proc_macro2::TokenStream;
use quote::quote;

/// The items generated for one shape: the type itself, and its builder (which lives in the
/// `builders` submodule so a shape named `FooBuilder` cannot collide with `Foo`'s builder).
#[derive(Default)]
pub(crate) struct Items {
    /// The type and its impls.
    pub main: TokenStream,
    /// The builder, if the shape is a structure.
    pub builders: TokenStream,
}

impl Items {
    /// Lays out a module body: the types, then `pub mod builders`.
    pub fn module(items: Vec<Items>, builders_doc: &str) -> TokenStream {
        let (main, builders): (Vec<_>, Vec<_>) = items.into_iter().map(|i| (i.main, i.builders)).unzip();
        let builders = builders.iter().any(|b| !b.is_empty()).then(|| {
            quote! {
                #[doc = #builders_doc]
                pub mod builders {
                    #(#builders)*
                }
            }
        });
        quote!(#(#main)* #builders)
    }
}

/// The items for one named shape.
pub(crate) fn named_type(ctx: &Ctx<'_>, shape: &Shape, named: &Named) -> Items {
    let ident = ident(&named.name);
    let mut items = match (&shape.kind, &named.contents) {
        (Kind::Structure(_), Contents::Structure { builder, .. }) => structure(ctx, shape, &ident, builder),
        (Kind::Union(_), Contents::Union { .. }) => {
            let mut main = union(ctx, shape, &ident);
            if let Some(stream) = ctx.plan.event_streams.get(&shape.id) {
                main.extend(crate::emit::items::event_stream::stream_items(ctx, shape, stream));
            }
            Items { main, ..Items::default() }
        }
        (Kind::Enum(values), Contents::Enum { variants }) => {
            Items { main: string_enum(shape, &ident, values, variants), ..Items::default() }
        }
        (Kind::IntEnum(values), Contents::IntEnum { variants }) => {
            Items { main: int_enum(shape, &ident, values, variants), ..Items::default() }
        }
        _ => Items::default(),
    };
    items.main.extend(crate::emit::items::validate::validate_impl(ctx, &shape.id, &ident));
    items
}

fn deprecated_attr(deprecated: &Option<String>) -> TokenStream {
    match deprecated.as_deref() {
        None => TokenStream::new(),
        Some("") => quote!(#[deprecated]),
        Some(note) => quote!(#[deprecated(note = #note)]),
    }
}

fn structure(ctx: &Ctx<'_>, shape: &Shape, ident: &proc_macro2::Ident, builder_name: &str) -> Items {
    let fields = ctx.fields_of(&shape.id);
    let type_name = ident.to_string();
    let doc = doc_attrs(shape.traits.documentation.as_deref(), &format!("The `{}` structure.", shape.name()));
    let is_error = shape.traits.error.is_some();

    let field_defs = fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = f.declared_type();
        let doc = doc_attrs(f.traits.documentation.as_deref(), &format!("The `{}` member.", f.member.name));
        let serde = serde_field_attrs(f, SerdeUse::Both);
        let deprecated = deprecated_attr(&f.member.traits.deprecated);
        quote! { #doc #deprecated #serde pub #ident: #ty, }
    });
    let meta_field = is_error.then(|| {
        quote! {
            /// What the service said about this error beyond its members (code, request id, status).
            #[serde(skip)]
            pub error_metadata: ::aws_lite_runtime::error::ErrorMetadata,
        }
    });
    let sensitive = fields.iter().any(|f| f.sensitive);
    let debug_derive = (!sensitive).then(|| quote!(Debug,));
    let debug_impl = sensitive.then(|| debug_impl(ident, &fields, is_error));
    // An operation's own input builder doubles as the client's fluent builder (`call` holds the
    // client), so each setter exists once.
    let fluent =
        ctx.plan.operations.iter().any(|op| op.input.as_deref() == Some(&shape.id) && !ctx.plan.input_is_shared(op));
    // An operation input's `validate()` sits beside its `builder()`.
    let is_input = ctx.plan.operations.iter().any(|op| op.input.as_deref() == Some(&shape.id));
    let methods = is_input.then(|| crate::emit::items::validate::input_validate_method(ctx, Some(&shape.id), ident));
    let names = BuilderNames { type_name: &type_name, builder_name };
    let Items { main: builder_fn, builders } = builder(ident, names, &fields, is_error, fluent, methods);
    let error_impls = is_error.then(|| error_impls(ident, &fields));
    let deprecated = deprecated_attr(&shape.traits.deprecated);
    let (default_derive, default_impl) = default_impl(ident, &fields, is_error);
    // A stream can be neither copied nor compared.
    let value_derives = (!fields.iter().any(|f| f.event_stream)).then(|| quote!(Clone, PartialEq,));
    let main = quote! {
        #doc
        #deprecated
        #[derive(#debug_derive #value_derives #default_derive)]
        #[derive(::aws_lite_runtime::serde::Serialize, ::aws_lite_runtime::serde::Deserialize)]
        // The derives become inherent functions; `json_object!` wraps them in the trait impls so
        // that only a JSON object (never an array) reads as a structure.
        #[serde(remote = "Self", crate = "::aws_lite_runtime::serde")]
        #[non_exhaustive]
        pub struct #ident {
            #(#field_defs)*
            #meta_field
        }
        ::aws_lite_runtime::json_object!(#ident);
        #debug_impl
        #default_impl
        #builder_fn
        #error_impls
    };
    Items { main, builders }
}

/// Which serde derives a structure's fields serve: a generated type has both; a request body
/// only serializes and a response body only deserializes, so each leaves out the other's
/// attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SerdeUse {
    Both,
    Serialize,
    Deserialize,
}

pub(crate) fn serde_field_attrs(f: &Field, serde_use: SerdeUse) -> TokenStream {
    // A stream is not data: JSON forms of the structure (the CLI's output) leave it out.
    if f.event_stream {
        return quote!(#[serde(skip)]);
    }
    let mut parts = Vec::new();
    if f.ident.to_string().trim_start_matches("r#") != f.wire {
        let wire = &f.wire;
        parts.push(quote!(rename = #wire));
    }
    let format = match f.timestamp_format {
        Some(TimestampFormat::DateTime) => Some("date_time"),
        Some(TimestampFormat::HttpDate) => Some("http_date"),
        _ => None,
    };
    let with = if let Some(format) = format {
        Some(if f.optional {
            format!("::aws_lite_runtime::primitives::serde_with_format::{format}::option")
        } else {
            format!("::aws_lite_runtime::primitives::serde_with_format::{format}")
        })
    } else if let Some(format) = f.nested_timestamp_format {
        let module = match format {
            TimestampFormat::HttpDate => "http_date",
            _ => "date_time",
        };
        Some(format!("::aws_lite_runtime::primitives::serde_with_format::{module}::nested"))
    } else if f.json_float {
        Some("::aws_lite_runtime::protocol::json_float".to_owned())
    } else {
        None
    };
    // A member absent from a response takes its model default, or else its zero value
    // (Smithy's client error correction); optional ones are simply left out when unset. serde
    // reads an absent `Option` as `None` by itself, unless a `with` module reads the member.
    match &f.default_fn_path {
        _ if serde_use == SerdeUse::Serialize => {}
        Some(path) => parts.push(quote!(default = #path)),
        None if f.optional && with.is_none() => {}
        None => parts.push(quote!(default)),
    }
    if f.optional && serde_use != SerdeUse::Deserialize {
        parts.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
    }
    if let Some(with) = with {
        parts.push(quote!(with = #with));
    }
    if parts.is_empty() {
        return TokenStream::new();
    }
    quote!(#[serde(#(#parts),*)])
}

/// `Default` derived, or written out with the model's `@default` values (each also a function
/// serde calls for a member a response leaves out).
fn default_impl(ident: &proc_macro2::Ident, fields: &[Field], is_error: bool) -> (TokenStream, TokenStream) {
    if fields.iter().all(|f| f.default.is_none()) {
        return (quote!(Default,), TokenStream::new());
    }
    let functions = fields.iter().filter_map(|f| {
        let (default, name) = (f.default.as_ref()?, f.default_fn.as_ref()?);
        let doc = format!(" The model's default for `{}`.", f.member.name);
        let (ty, expr) = (&f.ty, &default.expr);
        Some(quote! {
            #[doc = #doc]
            pub fn #name() -> #ty {
                #expr
            }
        })
    });
    let values = fields.iter().map(|f| {
        let field = &f.ident;
        if let (Some(_), Some(name)) = (&f.default, &f.default_fn) {
            quote!(#field: Self::#name(),)
        } else {
            quote!(#field: ::std::default::Default::default(),)
        }
    });
    let meta = is_error.then(|| quote!(error_metadata: ::std::default::Default::default(),));
    let tokens = quote! {
        impl #ident {
            #(#functions)*
        }
        impl ::std::default::Default for #ident {
            fn default() -> Self {
                Self { #(#values)* #meta }
            }
        }
    };
    (TokenStream::new(), tokens)
}

fn debug_impl(ident: &proc_macro2::Ident, fields: &[Field], is_error: bool) -> TokenStream {
    let name = ident.to_string();
    let entries = fields.iter().map(|f| {
        let field = &f.ident;
        let label = field.to_string().trim_start_matches("r#").to_owned();
        if f.sensitive {
            quote!(.field(#label, &"*** Sensitive Data Redacted ***"))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let meta = is_error.then(|| quote!(.field("error_metadata", &self.error_metadata)));
    quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name) #(#entries)* #meta .finish()
            }
        }
    }
}

/// Methods of the binary operator traits, whose signature (`fn(self, rhs) -> Self`) a
/// builder's setter shares; clippy's `should_implement_trait` flags them.
const OPERATOR_METHODS: &[&str] = &["add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor"];

/// The names of a structure and of its builder.
struct BuilderNames<'a> {
    type_name: &'a str,
    builder_name: &'a str,
}

/// The builder of a structure, and its `builder()` (in an `impl` that also holds `methods`).
fn builder(
    ident: &proc_macro2::Ident,
    BuilderNames { type_name, builder_name }: BuilderNames<'_>,
    fields: &[Field],
    is_error: bool,
    fluent: bool,
    methods: Option<TokenStream>,
) -> Items {
    let builder = crate::emit::context::ident(builder_name);
    let builder_doc = format!(" A builder for [`{type_name}`](super::{type_name}).");
    // A fluent input builder is generic over its call slot: `()` for a plain builder, the
    // client for the one `Client` methods return.
    let (params, args, call_slot) = if fluent {
        (quote!(<C>), quote!(<C>), quote!(call: C,))
    } else {
        (TokenStream::new(), TokenStream::new(), TokenStream::new())
    };
    let declared_params = if fluent { quote!(<C = ()>) } else { TokenStream::new() };
    let swap_call = fluent.then(|| {
        let moved = fields.iter().map(|f| &f.ident);
        quote!(::aws_lite_runtime::call_slot!(#builder { #(#moved),* });)
    });
    let fluent_doc = fluent.then(|| {
        quote! {
            ///
            /// With a client in its call slot it is the fluent builder the client returns for the call.
        }
    });
    let slots = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.unboxed;
        quote!(#field: ::std::option::Option<#ty>,)
    });
    let setters = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.unboxed;
        let doc = doc_attrs(f.traits.documentation.as_deref(), &format!("Sets the `{}` member.", f.member.name));
        let deprecated = deprecated_attr(&f.member.traits.deprecated);
        // A setter of a member named `add` has the shape of `Add::add`; it is still a setter.
        let operator = OPERATOR_METHODS
            .contains(&field.to_string().as_str())
            .then(|| quote!(#[allow(clippy::should_implement_trait)]));
        quote! {
            #doc
            #deprecated
            #operator
            pub fn #field(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#field = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let fallible = fields.iter().any(|f| f.required_in_builder);
    let values = fields.iter().map(|f| {
        let field = &f.ident;
        let boxed = |value: TokenStream| if f.boxed { quote!(#value.map(::std::boxed::Box::new)) } else { value };
        let value = if let Some(default) = &f.default {
            let expr = &default.expr;
            if default.type_default {
                quote!(self.#field.unwrap_or_default())
            } else if default.constant {
                quote!(self.#field.unwrap_or(#expr))
            } else {
                quote!(self.#field.unwrap_or_else(|| #expr))
            }
        } else if f.required_in_builder || f.event_stream {
            quote!(self.#field.unwrap_or_default())
        } else {
            boxed(quote!(self.#field))
        };
        let value = if !f.optional && f.boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
        quote!(#field: #value,)
    });
    let meta = is_error.then(|| quote!(error_metadata: ::std::default::Default::default(),));
    let construct = quote!(super::#ident { #(#values)* #meta });
    let build = if fallible {
        let checks = fields.iter().filter(|f| f.required_in_builder).map(|f| {
            let field = &f.ident;
            let name = &f.member.name;
            quote!((#name, self.#field.is_none()),)
        });
        quote! {
            /// Builds the value.
            ///
            /// # Errors
            /// Fails, naming every missing member, when a required member was not set.
            pub fn build(self) -> ::std::result::Result<super::#ident, ::aws_lite_runtime::error::BuildError> {
                ::aws_lite_runtime::error::BuildError::check_required(#type_name, &[#(#checks)*])?;
                ::std::result::Result::Ok(#construct)
            }
        }
    } else {
        quote! {
            /// Builds the value.
            pub fn build(self) -> super::#ident {
                #construct
            }
        }
    };
    let sensitive = fields.iter().any(|f| f.sensitive);
    let debug_derive = (!sensitive).then(|| quote!(Debug,));
    let debug_impl = sensitive.then(|| {
        let name = builder_name;
        quote! {
            impl #params ::std::fmt::Debug for #builder #args {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name).finish_non_exhaustive()
                }
            }
        }
    });
    let builder_fn_doc = format!(" Starts building a [`{type_name}`].");
    let main = quote! {
        impl #ident {
            #[doc = #builder_fn_doc]
            pub fn builder() -> builders::#builder {
                builders::#builder::default()
            }
            #methods
        }
    };
    let value_derives = (!fields.iter().any(|f| f.event_stream)).then(|| quote!(Clone, PartialEq,));
    let builders = quote! {
        #[doc = #builder_doc]
        #fluent_doc
        #[derive(#debug_derive #value_derives Default)]
        pub struct #builder #declared_params {
            #(#slots)*
            #call_slot
        }
        impl #params #builder #args {
            #(#setters)*
            #build
        }
        #swap_call
        #debug_impl
    };
    Items { main, builders }
}

fn error_impls(ident: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let message =
        fields.iter().find(|f| f.member.name.eq_ignore_ascii_case("message") && f.ty.to_string().contains("String"));
    // `message()`, `meta()`, `Display` and `Error`.
    match message {
        Some(f) if f.optional => {
            let field = &f.ident;
            quote!(::aws_lite_runtime::modeled_error!(#ident, optional #field);)
        }
        Some(f) => {
            let field = &f.ident;
            quote!(::aws_lite_runtime::modeled_error!(#ident, required #field);)
        }
        None => quote!(::aws_lite_runtime::modeled_error!(#ident);),
    }
}

fn string_enum(shape: &Shape, ident: &proc_macro2::Ident, values: &[EnumMember], variants: &[String]) -> TokenStream {
    let doc = doc_attrs(shape.traits.documentation.as_deref(), &format!("The `{}` enumeration.", shape.name()));
    let variants: Vec<proc_macro2::Ident> = variants.iter().map(|v| crate::emit::context::ident(v)).collect();
    let wire: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    let variant_defs = values.iter().zip(&variants).map(|(v, variant)| {
        let wire = &v.value;
        let doc = doc_attrs(v.documentation.as_deref(), &format!("`{wire}`"));
        let deprecated = v.deprecated.then(|| quote!(#[deprecated]));
        quote!(#doc #deprecated #variant,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variant_defs)*
            /// A value this version of the crate does not know, kept exactly as received.
            Unknown(::std::string::String),
        }
        impl #ident {
            /// Every value the model defines, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wire),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wire,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }
        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#wire => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        ::aws_lite_runtime::string_enum!(#ident);
    }
}

fn int_enum(shape: &Shape, ident: &proc_macro2::Ident, values: &[IntEnumMember], variants: &[String]) -> TokenStream {
    let doc = doc_attrs(shape.traits.documentation.as_deref(), &format!("The `{}` enumeration.", shape.name()));
    let variants: Vec<proc_macro2::Ident> = variants.iter().map(|v| crate::emit::context::ident(v)).collect();
    let wire: Vec<i32> = values.iter().map(|v| v.value).collect();
    let variant_defs = values.iter().zip(&variants).map(|(v, variant)| {
        let doc = doc_attrs(v.documentation.as_deref(), &format!("`{}`", v.value));
        quote!(#doc #variant,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variant_defs)*
            /// A value this version of the crate does not know, kept exactly as received.
            Unknown(i32),
        }
        impl #ident {
            /// Every value the model defines.
            pub const VALUES: &'static [i32] = &[#(#wire),*];

            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(Self::#variants => #wire,)*
                    Self::Unknown(value) => *value,
                }
            }
        }
        impl ::std::convert::From<i32> for #ident {
            fn from(value: i32) -> Self {
                match value {
                    #(#wire => Self::#variants,)*
                    other => Self::Unknown(other),
                }
            }
        }
        ::aws_lite_runtime::int_enum!(#ident);
    }
}

/// How a union member's value goes through serde when JSON writes it specially: timestamps
/// in a format other than epoch seconds (also inside lists and maps) and floats (`NaN`,
/// infinities).
enum UnionAdapter {
    Float,
    Timestamps(u8),
}

impl UnionAdapter {
    fn of(field: &Field) -> Option<Self> {
        match field.timestamp_format.or(field.nested_timestamp_format) {
            Some(TimestampFormat::DateTime) => Some(Self::Timestamps(1)),
            Some(TimestampFormat::HttpDate) => Some(Self::Timestamps(2)),
            _ if field.json_float => Some(Self::Float),
            _ => None,
        }
    }

    /// A serializable wrapper around `value` (a `&T`).
    fn wrap(&self, value: TokenStream) -> TokenStream {
        match self {
            Self::Float => quote!(::aws_lite_runtime::protocol::JsonFloatValue(#value)),
            Self::Timestamps(code) => quote!(::aws_lite_runtime::primitives::InFormat::<_, #code>(#value)),
        }
    }

    /// The deserializable wrapper type around `ty`.
    fn wrapper_type(&self, ty: &TokenStream) -> TokenStream {
        match self {
            Self::Float => quote!(::aws_lite_runtime::protocol::JsonFloatValue<#ty>),
            Self::Timestamps(code) => quote!(::aws_lite_runtime::primitives::InFormat<#ty, #code>),
        }
    }
}

fn union(ctx: &Ctx<'_>, shape: &Shape, ident: &proc_macro2::Ident) -> TokenStream {
    let doc = doc_attrs(shape.traits.documentation.as_deref(), &format!("The `{}` union.", shape.name()));
    let name = ident.to_string();
    struct Variant {
        ident: proc_macro2::Ident,
        wire: String,
        ty: Option<TokenStream>,
        boxed: bool,
        doc: TokenStream,
        adapter: Option<UnionAdapter>,
    }
    let stream = ctx.plan.event_streams.get(&shape.id);
    let variants: Vec<Variant> = ctx
        .plan
        .members(&shape.id)
        .iter()
        .filter(|m| {
            !stream.is_some_and(|stream| crate::emit::items::event_stream::is_error_member(stream, &m.member.name))
        })
        .map(|m| {
            let field = ctx.field_of(&shape.id, m);
            Variant {
                adapter: UnionAdapter::of(&field),
                ty: m.ty.is_some().then_some(field.unboxed),
                boxed: m.boxed,
                doc: doc_attrs(m.traits.documentation.as_deref(), &format!("The `{}` variant.", m.member.name)),
                ident: field.ident,
                wire: field.wire,
            }
        })
        .collect();
    let defs = variants.iter().map(|v| {
        let Variant { ident, doc, .. } = v;
        match (&v.ty, v.boxed) {
            (None, _) => quote!(#doc #ident,),
            (Some(ty), false) => quote!(#doc #ident(#ty),),
            (Some(ty), true) => quote!(#doc #ident(::std::boxed::Box<#ty>),),
        }
    });
    let serialize_arms = variants.iter().map(|v| {
        let Variant { ident, wire, .. } = v;
        match v.ty {
            None => quote!(Self::#ident => map.serialize_entry(#wire, &::aws_lite_runtime::serde_json::Map::new())?,),
            Some(_) => match &v.adapter {
                Some(adapter) => {
                    let wrapped = adapter.wrap(if v.boxed { quote!(&**value) } else { quote!(value) });
                    quote!(Self::#ident(value) => map.serialize_entry(#wire, &#wrapped)?,)
                }
                None => quote!(Self::#ident(value) => map.serialize_entry(#wire, value)?,),
            },
        }
    });
    let deserialize_arms = variants.iter().map(|v| {
        let Variant { ident, wire, .. } = v;
        match (&v.ty, v.boxed) {
            (None, _) => quote!(#wire => Self::#ident,),
            (Some(ty), boxed) => {
                let value = match &v.adapter {
                    Some(adapter) => {
                        let wrapper = adapter.wrapper_type(ty);
                        quote!(<#wrapper as ::aws_lite_runtime::serde::Deserialize>::deserialize(value.as_raw()).map_err(::aws_lite_runtime::serde::de::Error::custom)?.0)
                    }
                    None => quote!(<#ty as ::aws_lite_runtime::serde::Deserialize>::deserialize(value.as_raw()).map_err(::aws_lite_runtime::serde::de::Error::custom)?),
                };
                let value = if boxed { quote!(::std::boxed::Box::new(#value)) } else { value };
                quote!(#wire => Self::#ident(#value),)
            }
        }
    });
    let unknown_message = format!("cannot serialize {name}::Unknown: the variant is not known to this client");
    let shape_message = format!("expected exactly one member of union {name}, found {{}}");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        // Variant sizes come from the model; boxing them would make the API depend on it.
        #[allow(clippy::large_enum_variant)]
        pub enum #ident {
            #(#defs)*
            /// A variant this version of the crate does not know.
            #[default]
            Unknown,
        }
        impl ::aws_lite_runtime::serde::Serialize for #ident {
            fn serialize<S: ::aws_lite_runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::aws_lite_runtime::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                match self {
                    #(#serialize_arms)*
                    Self::Unknown => return ::std::result::Result::Err(::aws_lite_runtime::serde::ser::Error::custom(#unknown_message)),
                }
                map.end()
            }
        }
        impl<'de> ::aws_lite_runtime::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::aws_lite_runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                // Members are kept as JSON text, so their numbers stay exact until read.
                let object = <::std::collections::BTreeMap<::std::string::String, ::aws_lite_runtime::protocol::RawJson> as ::aws_lite_runtime::serde::Deserialize>::deserialize(deserializer)?;
                // `__type` may accompany a union on the wire; null members are absent.
                let mut set = object.into_iter().filter(|(key, value)| key != "__type" && !value.is_null());
                let (key, value) = match (set.next(), set.next()) {
                    (::std::option::Option::Some(entry), ::std::option::Option::None) => entry,
                    (first, second) => {
                        let count = usize::from(first.is_some()) + usize::from(second.is_some()) + set.count();
                        return ::std::result::Result::Err(::aws_lite_runtime::serde::de::Error::custom(format!(#shape_message, count)));
                    }
                };
                ::std::result::Result::Ok(match key.as_str() {
                    #(#deserialize_arms)*
                    _ => { let _ = value; Self::Unknown }
                })
            }
        }
    }
}
