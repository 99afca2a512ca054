//! Which shapes get a `Validate` impl: those whose values can break a constraint somewhere
//! inside.

use crate::ir::{Kind, Member, Model, Simple, Traits};
use crate::plan::members::effective_traits;
use std::collections::{BTreeMap, BTreeSet};

/// The `@length` and `@pattern` constraints of a string member, as its generated check reads
/// them from one shared `TextRules` static.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextRule {
    /// Inclusive bounds on the length in characters.
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// The pattern as written in the model.
    pub pattern: Option<String>,
    /// `@sensitive`: messages never show the value.
    pub sensitive: bool,
}

impl TextRule {
    /// The rule of a string value with `traits`, when it has a constraint to check.
    pub fn of(traits: &Traits) -> Option<TextRule> {
        let (min_length, max_length) = match &traits.length {
            Some(bounds) => {
                (bounds.min.as_ref().and_then(|n| n.as_u64()), bounds.max.as_ref().and_then(|n| n.as_u64()))
            }
            None => (None, None),
        };
        let rule = TextRule { min_length, max_length, pattern: traits.pattern.clone(), sensitive: traits.sensitive };
        (rule.min_length.is_some() || rule.max_length.is_some() || rule.pattern.is_some()).then_some(rule)
    }
}

/// The text rules the checks of `validated` shapes use (each string member of a validated
/// structure, union, list or map with a constraint), each with the name of its static in
/// `patterns.rs`: the target string shape's name in SCREAMING_SNAKE_CASE and `_TEXT`, or the
/// owner's and member's when the member adds constraints of its own; a numeric suffix on a
/// clash. Only rules some check uses are listed, so no static goes unused.
pub(super) fn text_rules(model: &Model, validated: &BTreeSet<String>) -> BTreeMap<TextRule, String> {
    let is_string = |id: &str| matches!(model.get(id).map(|s| &s.kind), Some(Kind::Simple(Simple::String)));
    // Rules named after a string shape come first, so a member only names a rule of its own.
    let mut uses: Vec<(TextRule, bool, String)> = Vec::new();
    for id in validated {
        let Some(shape) = model.get(id) else { continue };
        for member in shape.kind.members() {
            if !is_string(&member.target) {
                continue;
            }
            let Some(rule) = TextRule::of(&effective_traits(model, member)) else { continue };
            let target = model.get(&member.target);
            let targets_own = target.and_then(|t| TextRule::of(&t.traits)).as_ref() == Some(&rule);
            let owner = match target {
                Some(target) if targets_own => target.name().to_owned(),
                _ => format!("{}_{}", shape.name(), member.name),
            };
            uses.push((rule, !targets_own, owner));
        }
    }
    uses.sort();
    let mut names: BTreeMap<TextRule, String> = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (rule, _, owner) in uses {
        if names.contains_key(&rule) {
            continue;
        }
        let name = super::names::static_name(&owner, "TEXT", &mut taken);
        names.insert(rule, name);
    }
    names
}

/// Shapes of `closure` whose values can break a constraint somewhere inside: those with a
/// constraint of their own or on a member, then, walking member targets backwards, every shape
/// that contains one of them (each shape once, so recursive shapes terminate).
pub(super) fn shapes_needing_validation(model: &Model, closure: &BTreeSet<String>) -> BTreeSet<String> {
    let mut containers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    // An event stream is not validated as a member: its events are checked as they come.
    let streamed = |id: &str| model.get(id).is_some_and(|s| s.traits.streaming && matches!(s.kind, Kind::Union(_)));
    for id in closure {
        for target in crate::plan::member_targets(model, id) {
            if !streamed(target) {
                containers.entry(target).or_default().push(id);
            }
        }
    }
    let mut set = BTreeSet::new();
    let mut stack: Vec<&str> = closure.iter().map(String::as_str).filter(|id| shape_needs(model, id)).collect();
    while let Some(id) = stack.pop() {
        if set.insert(id.to_owned()) {
            stack.extend(containers.get(id).into_iter().flatten().copied());
        }
    }
    set
}

/// Whether the shape, or one of its members, has a constraint of its own.
fn shape_needs(model: &Model, id: &str) -> bool {
    let Some(shape) = model.get(id) else { return false };
    match &shape.kind {
        Kind::Structure(members) | Kind::Union(members) => members.iter().any(|m| member_needs(model, m)),
        Kind::List(member) => has_constraints(&shape.traits) || member_needs(model, member),
        Kind::Map { key, value } => {
            has_constraints(&shape.traits) || member_needs(model, key) || member_needs(model, value)
        }
        _ => has_constraints(&shape.traits),
    }
}

fn member_needs(model: &Model, member: &Member) -> bool {
    let traits = effective_traits(model, member);
    has_constraints(&traits) || (traits.required && traits.client_optional)
}

fn has_constraints(traits: &Traits) -> bool {
    traits.length.is_some() || traits.pattern.is_some() || traits.range.is_some() || traits.unique_items
}
