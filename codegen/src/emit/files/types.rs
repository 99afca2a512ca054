//! The `types` modules of a service (`types/mod.rs`, `types/error.rs`) and its `patterns.rs`.

use crate::emit::context::{ident, render, Ctx, Files};
use crate::emit::items::shapes::{named_type, Items};
use crate::emit::items::validate::patterns_module;
use crate::emit::protocol::modeled_error_impl;
use crate::ir::Shape;
use crate::plan::{Named, Placement};
use quote::quote;

/// Emits `types/mod.rs` and `types/error.rs` of a service.
pub(crate) fn emit_service(ctx: &Ctx<'_>, files: &mut Files) -> Result<(), String> {
    let mut types = Vec::new();
    let mut errors = Vec::new();
    for (id, named) in &ctx.plan.types {
        let Some(shape) = ctx.model.get(id) else { continue };
        match named.placement {
            Placement::Types => types.push(shape_items(ctx, shape, named)),
            Placement::Error => errors.push(shape_items(ctx, shape, named)),
            Placement::Operation(_) => {}
        }
    }
    let module = &ctx.plan.module;
    let header = ctx.header();
    let types_doc = format!(" Data types of the `{module}` service.");
    let path = format!("src/{module}/types/mod.rs");
    let body = Items::module(types, " Builders for the data types.");
    let tokens = quote! {
        #![doc = #types_doc]
        pub mod error;
        #body
    };
    files.insert(path.clone(), render(&path, tokens, &header)?);
    let path = format!("src/{module}/types/error.rs");
    let errors_doc = format!(" Errors the `{module}` service models.");
    let body = Items::module(errors, " Builders for the error types.");
    let tokens = quote! {
        #![doc = #errors_doc]
        #body
    };
    files.insert(path.clone(), render(&path, tokens, &header)?);
    Ok(())
}

/// The items of a named shape; an error structure also gets its protocol's reader.
pub(crate) fn shape_items(ctx: &Ctx<'_>, shape: &Shape, named: &Named) -> Items {
    let mut items = named_type(ctx, shape, named);
    if shape.traits.error.is_some() {
        items.main.extend(modeled_error_impl(ctx, &shape.id, &ident(&named.name)));
    }
    items
}

/// Emits `patterns.rs` of a service.
pub(crate) fn emit_patterns(ctx: &Ctx<'_>, files: &mut Files) -> Result<(), String> {
    let path = format!("src/{}/patterns.rs", ctx.plan.module);
    files.insert(path.clone(), render(&path, patterns_module(ctx), &ctx.header())?);
    Ok(())
}
