//! What a model update changes, in Markdown for a pull request's description, with the
//! changes that can break users of the generated crate set apart.

use super::build::DOC;
use super::closure::{target, targets, type_of};
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The changes between two versions of a model file's shapes, by section.
#[derive(Debug, Default)]
pub struct Report {
    /// Changes that can break code using the generated crate.
    pub breaking: Vec<String>,
    /// Operations added or removed.
    pub operations: Vec<String>,
    /// Shapes added or removed.
    pub shapes: Vec<String>,
    /// Members added or removed (breaking ones are also in `breaking`).
    pub members: Vec<String>,
    /// Enum values added or removed.
    pub enum_values: Vec<String>,
    /// Constraint traits changed.
    pub constraints: Vec<String>,
    /// Documentation changed, or upstream wording not taken.
    pub documentation: Vec<String>,
    /// Any other trait or property change.
    pub other: Vec<String>,
}

/// Traits that constrain values: a change to one can reject input that passed before.
const CONSTRAINTS: &[&str] =
    &["smithy.api#length", "smithy.api#range", "smithy.api#pattern", "smithy.api#uniqueItems", "smithy.api#required"];

impl Report {
    /// The changes from `old` to `new` (both `shapes` maps of a model file).
    pub fn compare(old: &Map<String, Value>, new: &Map<String, Value>) -> Report {
        let mut report = Report::default();
        let service = |shapes: &Map<String, Value>| {
            shapes.values().find(|shape| type_of(shape) == "service").map(|s| targets(s, "operations").collect())
        };
        let (old_ops, new_ops): (Vec<String>, Vec<String>) =
            (service(old).unwrap_or_default(), service(new).unwrap_or_default());
        for op in new_ops.iter().filter(|op| !old_ops.contains(op)) {
            report.operations.push(format!("added `{op}`"));
        }
        for op in old_ops.iter().filter(|op| !new_ops.contains(op)) {
            report.operations.push(format!("removed `{op}`"));
            report.breaking.push(format!("operation `{op}` removed"));
        }
        for (id, shape) in new {
            match old.get(id) {
                None => report.shapes.push(format!("added `{id}` ({})", type_of(shape))),
                Some(before) => report.compare_shape(id, before, shape),
            }
        }
        for (id, shape) in old.iter().filter(|(id, _)| !new.contains_key(*id)) {
            report.shapes.push(format!("removed `{id}` ({})", type_of(shape)));
        }
        report
    }

    /// Whether nothing changed but documentation.
    pub fn is_empty(&self) -> bool {
        [
            &self.breaking,
            &self.operations,
            &self.shapes,
            &self.members,
            &self.enum_values,
            &self.constraints,
            &self.other,
        ]
        .iter()
        .all(|section| section.is_empty())
    }

    fn compare_shape(&mut self, id: &str, old: &Value, new: &Value) {
        if type_of(old) != type_of(new) {
            let change = format!("`{id}` changed from {} to {}", type_of(old), type_of(new));
            self.breaking.push(change.clone());
            self.other.push(change);
            return;
        }
        let enum_like = matches!(type_of(new), "enum" | "intEnum");
        self.compare_traits(id, old, new);
        let empty = Map::new();
        let members = |shape: &Value| shape.get("members").and_then(Value::as_object).cloned().unwrap_or_default();
        let (old_members, new_members) = (members(old), members(new));
        for (name, member) in &new_members {
            let what = format!("{id}${name}");
            match old_members.get(name) {
                None if enum_like => self.enum_values.push(format!("`{id}`: added `{}`", enum_value(name, member))),
                None => {
                    self.members.push(format!("added `{what}`"));
                    if is_required(member) {
                        self.breaking.push(format!("`{what}` added as a required member"));
                    }
                }
                Some(before) => self.compare_member(&what, before, member, enum_like),
            }
        }
        for (name, member) in old_members.iter().filter(|(name, _)| !new_members.contains_key(*name)) {
            let what = format!("{id}${name}");
            if enum_like {
                self.enum_values.push(format!("`{id}`: removed `{}`", enum_value(name, member)));
                self.breaking.push(format!("`{id}`: enum value `{}` removed", enum_value(name, member)));
            } else {
                self.members.push(format!("removed `{what}`"));
                self.breaking.push(format!("`{what}` removed (or renamed)"));
            }
        }
        for key in ["member", "key", "value"] {
            match (old.get(key), new.get(key)) {
                (Some(before), Some(after)) => self.compare_member(&format!("{id}${key}"), before, after, false),
                (None, None) => {}
                _ => self.other.push(format!("`{id}`: `{key}` added or removed")),
            }
        }
        for key in ["input", "output"] {
            let (before, after) = (old.get(key).and_then(target), new.get(key).and_then(target));
            if before != after {
                let change =
                    format!("`{id}`: {key} changed from `{}` to `{}`", before.unwrap_or("-"), after.unwrap_or("-"));
                self.breaking.push(change.clone());
                self.other.push(change);
            }
        }
        let errors = |shape: &Value| targets(shape, "errors").collect::<Vec<_>>();
        let (old_errors, new_errors) = (errors(old), errors(new));
        for error in new_errors.iter().filter(|e| !old_errors.contains(e)) {
            self.other.push(format!("`{id}`: error `{error}` added"));
        }
        for error in old_errors.iter().filter(|e| !new_errors.contains(e)) {
            self.other.push(format!("`{id}`: error `{error}` removed"));
            self.breaking.push(format!("`{id}`: error `{error}` removed (a variant of its error enum)"));
        }
        const COMPARED: &[&str] = &["type", "traits", "members", "member", "key", "value", "input", "output", "errors"];
        let keys = old.as_object().unwrap_or(&empty).keys().chain(new.as_object().unwrap_or(&empty).keys());
        let mut seen = Vec::new();
        for key in keys.filter(|key| !COMPARED.contains(&key.as_str())) {
            if !seen.contains(key) && old.get(key) != new.get(key) {
                seen.push(key.clone());
                if key != "operations" || type_of(new) != "service" {
                    self.other.push(format!("`{id}`: `{key}` changed"));
                }
            }
        }
    }

    fn compare_member(&mut self, what: &str, old: &Value, new: &Value, enum_like: bool) {
        let (before, after) = (target(old), target(new));
        if before != after {
            let change =
                format!("`{what}` changed type from `{}` to `{}`", before.unwrap_or("-"), after.unwrap_or("-"));
            self.breaking.push(change.clone());
            self.members.push(change);
        }
        if enum_like && enum_value("", old) != enum_value("", new) {
            let change = format!("`{what}`: value changed from `{}` to `{}`", enum_value("", old), enum_value("", new));
            self.breaking.push(change.clone());
            self.enum_values.push(change);
        }
        self.compare_traits(what, old, new);
    }

    fn compare_traits(&mut self, what: &str, old: &Value, new: &Value) {
        let traits = |v: &Value| v.get("traits").and_then(Value::as_object).cloned().unwrap_or_default();
        let (old_traits, new_traits) = (traits(old), traits(new));
        let names = old_traits.keys().chain(new_traits.keys());
        let mut done = Vec::new();
        for name in names {
            if done.contains(&name) {
                continue;
            }
            done.push(name);
            let (before, after) = (old_traits.get(name), new_traits.get(name));
            if before == after || name == "smithy.api#enumValue" {
                continue;
            }
            if name == DOC {
                self.documentation.push(format!("`{what}`: documentation changed"));
            } else if CONSTRAINTS.contains(&name.as_str()) {
                let short = name.trim_start_matches("smithy.api#");
                self.constraints.push(format!("`{what}`: {short} {} -> {}", show(before), show(after)));
                if let Some(why) = tightened(name, before, after) {
                    self.breaking.push(format!("`{what}`: {why}"));
                }
            } else {
                let short = name.trim_start_matches("smithy.api#");
                self.other.push(format!("`{what}`: trait {short} {} -> {}", show(before), show(after)));
            }
        }
    }

    /// The report as Markdown, titled with what was updated.
    pub fn markdown(&self, title: &str, docs_kept: &[String]) -> String {
        let mut out = format!("## {title}\n\n");
        if self.is_empty() && self.documentation.is_empty() {
            out.push_str("No changes.\n\n");
        }
        let sections: [(&str, &Vec<String>); 8] = [
            ("Breaking changes for users of the generated crate", &self.breaking),
            ("Operations", &self.operations),
            ("Shapes", &self.shapes),
            ("Members", &self.members),
            ("Enum values", &self.enum_values),
            ("Constraints", &self.constraints),
            ("Documentation", &self.documentation),
            ("Other changes", &self.other),
        ];
        for (heading, items) in sections {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {heading}\n");
            for item in items {
                let _ = writeln!(out, "- {item}");
            }
            out.push('\n');
        }
        if !docs_kept.is_empty() {
            let _ = writeln!(
                out,
                "### Upstream documentation not taken\n\nThe local wording was kept for {} shapes and members \
                 (`--docs upstream` takes upstream's):\n",
                docs_kept.len()
            );
            for what in docs_kept {
                let _ = writeln!(out, "- `{what}`");
            }
            out.push('\n');
        }
        out
    }
}

/// Whether a member is `@required`.
fn is_required(member: &Value) -> bool {
    member.pointer("/traits/smithy.api#required").is_some()
}

/// An enum member's value: its `enumValue`, else its name.
fn enum_value(name: &str, member: &Value) -> String {
    match member.pointer("/traits/smithy.api#enumValue") {
        Some(Value::String(value)) => value.clone(),
        Some(other) => other.to_string(),
        None => name.to_owned(),
    }
}

/// A trait value for the report: its JSON (cut after 100 characters: rule sets are large),
/// or `none`.
fn show(value: Option<&Value>) -> String {
    let Some(value) = value else { return "none".to_owned() };
    let text = value.to_string();
    match text.char_indices().nth(100) {
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
        None => text,
    }
}

/// Why a constraint change can reject values that passed before, if it can.
fn tightened(name: &str, before: Option<&Value>, after: Option<&Value>) -> Option<String> {
    let bound = |v: Option<&Value>, key: &str| v.and_then(|v| v.get(key)).and_then(Value::as_f64);
    match name {
        "smithy.api#required" => after.is_some().then(|| "made required".to_owned()),
        "smithy.api#uniqueItems" => after.is_some().then(|| "items must now be unique".to_owned()),
        "smithy.api#pattern" => after.is_some().then(|| "pattern changed (may reject values that passed)".to_owned()),
        "smithy.api#length" | "smithy.api#range" => {
            let short = name.trim_start_matches("smithy.api#");
            let min_up = match (bound(before, "min"), bound(after, "min")) {
                (None, Some(_)) => true,
                (Some(b), Some(a)) => a > b,
                _ => false,
            };
            let max_down = match (bound(before, "max"), bound(after, "max")) {
                (None, Some(_)) => true,
                (Some(b), Some(a)) => a < b,
                _ => false,
            };
            (min_up || max_down).then(|| format!("{short} tightened"))
        }
        _ => None,
    }
}
