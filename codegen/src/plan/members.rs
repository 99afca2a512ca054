//! How each member of a structure, union, list or map is represented: its traits over its
//! target's, wire name, Rust type, optionality, boxing, default and serialization formats.

use crate::ir::{Kind, Member, Model, Protocol, Simple, TimestampFormat, Traits};
use crate::plan::names;
use crate::plan::types::{default_value, DefaultValue, RustType};
use std::collections::{BTreeMap, BTreeSet};

/// A member of a structure (a field with a setter) or of a union (a variant).
#[derive(Debug, Clone)]
pub struct MemberPlan {
    /// The member as in the model: its name, target and own traits.
    pub member: Member,
    /// The member's traits over its target's (Smithy semantics: the member's win).
    pub traits: Traits,
    /// The Rust name: field and setter of a structure member, variant of a union member. May
    /// be a raw identifier (`r#type`).
    pub rust_name: String,
    /// Name on the wire (JSON key).
    pub wire: String,
    /// The value type, without `Option` or `Box`; `None` for a union variant without a value
    /// (`smithy.api#Unit`).
    pub ty: Option<RustType>,
    /// Whether the value is boxed (to break recursion).
    pub boxed: bool,
    /// Whether the field is an `Option` (structures only).
    pub optional: bool,
    /// The default value, for non-optional structure members with a `@default`.
    pub default: Option<DefaultValue>,
    /// Name of the structure's associated function returning `default` (serde calls it for
    /// absent members).
    pub default_fn: Option<String>,
    /// Whether the builder's `build()` must fail when this member was not set.
    pub required_in_builder: bool,
    /// Whether `Debug` must hide the value.
    pub sensitive: bool,
    /// Effective timestamp format, for timestamp members.
    pub timestamp_format: Option<TimestampFormat>,
    /// The format of timestamps inside lists and maps, when it is not epoch seconds.
    pub nested_timestamp_format: Option<TimestampFormat>,
    /// Whether the value holds floats (directly or in lists and maps), which JSON writes
    /// specially when they are not finite.
    pub json_float: bool,
}

/// The effective traits of the members of a list or map.
#[derive(Debug, Clone)]
pub struct Collection {
    /// Of the map's `key` (`None` for a list).
    pub key: Option<Traits>,
    /// Of the list's `member` or the map's `value`.
    pub value: Traits,
}

/// Traits of a member merged over its target's: the member's win (Smithy semantics).
pub fn effective_traits(model: &Model, member: &Member) -> Traits {
    let mut traits = model.get(&member.target).map(|t| t.traits.clone()).unwrap_or_default();
    let own = &member.traits;
    macro_rules! overlay {
        ($($field:ident),*) => { $( if own.$field.is_some() { traits.$field = own.$field.clone(); } )* };
    }
    overlay!(length, range, pattern, timestamp_format, default, documentation, json_name, media_type, deprecated);
    traits.required = own.required;
    traits.client_optional = own.client_optional;
    traits.idempotency_token = own.idempotency_token;
    traits.sensitive |= own.sensitive;
    traits.event_header = own.event_header;
    traits.event_payload = own.event_payload;
    traits.unique_items |= own.unique_items;
    traits
}

/// What member plans are made from: the model and the service's decisions so far.
pub(super) struct Inputs<'a> {
    pub model: &'a Model,
    pub protocol: Option<Protocol>,
    pub rust_types: &'a BTreeMap<String, RustType>,
    /// Why a closure shape has no Rust type.
    pub untyped: &'a BTreeMap<String, String>,
    pub boxed: &'a BTreeSet<(String, String)>,
    /// The operations' input structures (their event streams are sent, not received).
    pub operation_inputs: &'a BTreeSet<String>,
}

/// Whether a member belongs to a structure or a union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    Structure,
    Union,
}

/// How member `member` of structure or union `owner_id` is represented, or why it cannot be.
pub(super) fn member_plan(
    inputs: &Inputs<'_>,
    owner_id: &str,
    owner: Owner,
    member: &Member,
) -> Result<MemberPlan, String> {
    let model = inputs.model;
    let traits = effective_traits(model, member);
    let ty = match (owner, member.target.as_str()) {
        (Owner::Union, "smithy.api#Unit") => None,
        (Owner::Structure, "smithy.api#Unit") => {
            return Err("a structure member cannot target `smithy.api#Unit`".into())
        }
        (_, target) => Some(inputs.rust_types.get(target).cloned().ok_or_else(|| {
            inputs.untyped.get(target).cloned().unwrap_or_else(|| format!("`{target}` has no Rust type"))
        })?),
    };
    let streamed = model.get(&member.target).is_some_and(|t| matches!(t.kind, Kind::Union(_)) && t.traits.streaming);
    let ty = match ty {
        Some(RustType::Named { path }) if streamed => {
            if owner == Owner::Union {
                return Err("an event stream cannot be a member of a union".into());
            }
            Some(RustType::EventStream { event: path, input: inputs.operation_inputs.contains(owner_id) })
        }
        ty => ty,
    };
    let boxed = inputs.boxed.contains(&(owner_id.to_owned(), member.name.clone()));
    let rust_name = match owner {
        Owner::Structure => names::field(&member.name),
        Owner::Union => names::variant(&member.name),
    };
    // Members of operation inputs are implicitly client-optional: a default the caller did
    // not set is the service's to apply, so it is not sent.
    let in_input = model.get(owner_id).is_some_and(|s| s.traits.input);
    let default = match &traits.default {
        Some(value) if owner == Owner::Structure && !traits.client_optional && !boxed && !in_input => {
            default_value(model, &member.target, value)
        }
        _ => None,
    };
    let default_fn = default.as_ref().map(|_| names::default_fn(&rust_name));
    // A stream is never absent: an unset one is empty.
    let required = owner == Owner::Structure
        && traits.required
        && !traits.client_optional
        && !traits.idempotency_token
        && !streamed;
    let timestamp_format = model.get(&member.target).and_then(|target| match target.kind {
        Kind::Simple(Simple::Timestamp) => Some(traits.timestamp_format.unwrap_or(TimestampFormat::EpochSeconds)),
        _ => None,
    });
    let wire = match (&member.traits.json_name, inputs.protocol) {
        (Some(json_name), Some(Protocol::RestJson1)) => json_name.clone(),
        _ => member.name.clone(),
    };
    Ok(MemberPlan {
        optional: owner == Owner::Structure && !required && default.is_none() && !streamed,
        required_in_builder: required && default.is_none(),
        sensitive: traits.sensitive,
        json_float: holds_floats(model, &member.target, 0),
        nested_timestamp_format: nested_timestamp_format(model, &member.target, 0)
            .filter(|format| *format != TimestampFormat::EpochSeconds),
        member: member.clone(),
        traits,
        rust_name,
        wire,
        ty,
        boxed,
        default,
        default_fn,
        timestamp_format,
    })
}

/// The effective member traits of a list or map shape.
pub(super) fn collection(model: &Model, id: &str) -> Option<Collection> {
    match &model.get(id)?.kind {
        Kind::List(item) => Some(Collection { key: None, value: effective_traits(model, item) }),
        Kind::Map { key, value } => {
            Some(Collection { key: Some(effective_traits(model, key)), value: effective_traits(model, value) })
        }
        _ => None,
    }
}

/// The format of the timestamps in a list or map shape (`None` when it holds none): the item
/// member's `timestampFormat`, else the timestamp shape's, else epoch seconds.
fn nested_timestamp_format(model: &Model, id: &str, depth: usize) -> Option<TimestampFormat> {
    if depth > 8 {
        return None;
    }
    let item = match model.get(id).map(|s| &s.kind) {
        Some(Kind::List(item)) => item,
        Some(Kind::Map { value, .. }) => value,
        _ => return None,
    };
    match model.get(&item.target) {
        Some(target) if matches!(target.kind, Kind::Simple(Simple::Timestamp)) => Some(
            item.traits.timestamp_format.or(target.traits.timestamp_format).unwrap_or(TimestampFormat::EpochSeconds),
        ),
        _ => nested_timestamp_format(model, &item.target, depth + 1),
    }
}

/// Whether values of shape `id` are floats or collections of them.
fn holds_floats(model: &Model, id: &str, depth: usize) -> bool {
    // Collections cannot recurse without a structure in between; the bound is a backstop.
    if depth > 8 {
        return false;
    }
    match model.get(id).map(|s| &s.kind) {
        Some(Kind::Simple(Simple::Float | Simple::Double)) => true,
        Some(Kind::List(item)) => holds_floats(model, &item.target, depth + 1),
        Some(Kind::Map { value, .. }) => holds_floats(model, &value.target, depth + 1),
        _ => false,
    }
}
