//! The endpoint parameters an operation binds from its input: `@contextParam` members and the
//! paths of `smithy.rules#operationContextParams`, resolved against the input's shapes.
//!
//! Paths are the JMESPath subset the AWS models use: members joined by `.` (`A.B`), one list
//! projection (`Items[*].Name`, or `Names` for a list of strings) and `keys(Map)`.

use crate::ir::{Kind, Model, Simple};
use aws_lite_endpoint_rules::ParameterType;

/// A step of a resolved path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A member of the structure reached so far.
    Member {
        /// The structure's shape ID.
        owner: String,
        /// The member's name.
        member: String,
    },
    /// `[*]`: the steps after it apply to each item of the list reached so far (`list` is the
    /// list's shape ID).
    Each {
        /// The list's shape ID.
        list: String,
    },
    /// `keys(...)`: the keys of the map reached so far (always the last step).
    Keys {
        /// The map's shape ID.
        map: String,
    },
}

/// A path over an operation's input, with the type of what it selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextPath {
    /// The steps from the input structure.
    pub steps: Vec<PathStep>,
    /// The shape ID of the value selected (each item of it, after `[*]` or for a list of
    /// strings; the map for `keys`).
    pub target: String,
    /// The endpoint parameter type of the result.
    pub kind: ParameterType,
}

/// The endpoint parameter type of a member (or value) targeting `target`: strings and enums
/// are `string`, booleans `boolean`, lists of those `stringArray`.
pub fn parameter_type(model: &Model, target: &str) -> Option<ParameterType> {
    match &model.get(target)?.kind {
        Kind::Simple(Simple::String) | Kind::Enum(_) => Some(ParameterType::String),
        Kind::Simple(Simple::Boolean) => Some(ParameterType::Boolean),
        Kind::List(member) if is_text(model, &member.target) => Some(ParameterType::StringArray),
        _ => None,
    }
}

fn is_text(model: &Model, target: &str) -> bool {
    model.get(target).is_some_and(|s| matches!(s.kind, Kind::Simple(Simple::String) | Kind::Enum(_)))
}

/// Resolves `path` against the structure `input`; the error says what is unsupported or
/// does not exist.
pub fn context_path(model: &Model, input: &str, path: &str) -> Result<ContextPath, String> {
    let text = path.trim();
    let (keys, body) = match text.strip_prefix("keys(").and_then(|rest| rest.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => (false, text),
    };
    let unsupported = |why: &str| {
        format!(
            "{why}; the generator supports members joined by `.`, one list projection `[*]` and `keys(...)` of a map"
        )
    };
    if body.is_empty() {
        return Err(unsupported("the path is empty"));
    }
    let mut steps = Vec::new();
    let mut current = input.to_owned();
    let mut projected = false;
    for segment in body.split('.') {
        let (name, each) = match segment.strip_suffix("[*]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(unsupported(&format!("`{segment}` is not a member name")));
        }
        let shape = model.get(&current).ok_or_else(|| format!("`{current}` does not exist"))?;
        let Kind::Structure(members) = &shape.kind else {
            return Err(format!("`{name}` is read from `{current}`, {}, not a structure", shape.kind.described()));
        };
        let member =
            members.iter().find(|m| m.name == name).ok_or_else(|| format!("`{current}` has no member `{name}`"))?;
        steps.push(PathStep::Member { owner: current.clone(), member: name.to_owned() });
        current = member.target.clone();
        if each {
            if projected || keys {
                return Err(unsupported("the path projects more than one list"));
            }
            let list = model.get(&current).ok_or_else(|| format!("`{current}` does not exist"))?;
            let Kind::List(item) = &list.kind else {
                return Err(format!("`{name}[*]` projects `{current}`, {}, not a list", list.kind.described()));
            };
            steps.push(PathStep::Each { list: current.clone() });
            current = item.target.clone();
            projected = true;
        }
    }
    let shape = model.get(&current).ok_or_else(|| format!("`{current}` does not exist"))?;
    if keys {
        if !matches!(shape.kind, Kind::Map { .. }) {
            return Err(format!("`keys(...)` of `{current}`, {}, not a map", shape.kind.described()));
        }
        steps.push(PathStep::Keys { map: current.clone() });
        return Ok(ContextPath { steps, target: current, kind: ParameterType::StringArray });
    }
    let kind = match (parameter_type(model, &current), projected) {
        (Some(ParameterType::String), true) => ParameterType::StringArray,
        (Some(kind), false) => kind,
        _ => {
            let what = if projected { "a list of strings" } else { "a string, a boolean or a list of strings" };
            return Err(format!("the path selects `{current}`, {}; it must give {what}", shape.kind.described()));
        }
    };
    if let (ParameterType::StringArray, false, Kind::List(item)) = (kind, projected, &shape.kind) {
        // A list of strings itself: its items are the values.
        steps.push(PathStep::Each { list: current.clone() });
        current = item.target.clone();
    }
    Ok(ContextPath { steps, target: current, kind })
}
