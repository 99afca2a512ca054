//! Paginated operations: an operation's `@paginated` trait merged over its service's defaults,
//! its member names resolved against the input and output structures, and checked as Smithy's
//! `PaginatedTraitValidator` checks them (tokens are optional strings or maps, `pageSize` an
//! integer, `items` a list or map; only the output side takes paths like `Result.NextToken`).

use crate::ir::{Kind, Model, Paginated, Simple};
use crate::plan::{MemberPlan, Named};
use std::collections::BTreeMap;

/// One member on a paginator's path: the structure that has it and its name in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The structure's shape ID.
    pub owner: String,
    /// The member's name.
    pub member: String,
}

/// What an operation's paginator reads and writes.
#[derive(Debug, Clone)]
pub struct PaginatorPlan {
    /// The trait as it applies to the operation (merged over the service's).
    pub paginated: Paginated,
    /// The input member that takes the token.
    pub input_token: Step,
    /// The output members leading to the next token, outermost first.
    pub output_token: Vec<Step>,
    /// The output members leading to the page's items, outermost first.
    pub items: Option<Vec<Step>>,
    /// The input member that sets the page size.
    pub page_size: Option<Step>,
}

/// Which property of the trait is being resolved, with Smithy's rules for it.
#[derive(Clone, Copy)]
enum Property {
    InputToken,
    OutputToken,
    Items,
    PageSize,
}

impl Property {
    fn name(self) -> &'static str {
        match self {
            Property::InputToken => "inputToken",
            Property::OutputToken => "outputToken",
            Property::Items => "items",
            Property::PageSize => "pageSize",
        }
    }

    /// Whether the value may be a path through nested output structures.
    fn paths_allowed(self) -> bool {
        matches!(self, Property::OutputToken | Property::Items)
    }

    /// The shape types the member may target, as Smithy lists them.
    fn targets(self) -> &'static str {
        match self {
            Property::InputToken | Property::OutputToken => "`map`, `string`",
            Property::Items => "`list`, `map`",
            Property::PageSize => "`byte`, `integer`, `long`, `short`",
        }
    }

    fn accepts(self, kind: &Kind) -> bool {
        match self {
            Property::InputToken | Property::OutputToken => {
                matches!(kind, Kind::Simple(Simple::String) | Kind::Map { .. })
            }
            Property::Items => matches!(kind, Kind::List(_) | Kind::Map { .. }),
            Property::PageSize => {
                matches!(kind, Kind::Simple(Simple::Byte | Simple::Short | Simple::Integer | Simple::Long))
            }
        }
    }
}

/// The paginator of operation `op_id` (with `input` and `output` structures), or why its trait
/// cannot be used (each message names the property and member, in Smithy's words). `None` when
/// the operation is not paginated.
pub(super) fn paginator(
    model: &Model,
    service_defaults: Option<&Paginated>,
    op_id: &str,
    input: Option<&str>,
    output: Option<&str>,
    types: &BTreeMap<String, Named>,
) -> Result<Option<PaginatorPlan>, Vec<String>> {
    let Some(own) = model.get(op_id).and_then(|shape| shape.traits.paginated.as_ref()) else {
        return Ok(None);
    };
    let paginated = own.merged_over(service_defaults);
    let mut problems = Vec::new();
    let mut resolve = |property: Property, value: &Option<String>, root: Option<&str>| {
        let Some(path) = value else {
            if matches!(property, Property::InputToken | Property::OutputToken) {
                problems.push(format!("paginated trait `{}` is not configured", property.name()));
            }
            return None;
        };
        match resolve_path(model, types, property, path, root) {
            Ok(steps) => Some(steps),
            Err(message) => {
                problems.push(message);
                None
            }
        }
    };
    let input_token = resolve(Property::InputToken, &paginated.input_token, input);
    let output_token = resolve(Property::OutputToken, &paginated.output_token, output);
    let items = resolve(Property::Items, &paginated.items, output);
    let page_size = resolve(Property::PageSize, &paginated.page_size, input);
    if let (Some(input_steps), Some(output_steps)) = (&input_token, &output_token) {
        let (input_ty, output_ty) = (member_type(types, input_steps), member_type(types, output_steps));
        if input_ty.is_some() && input_ty != output_ty {
            problems.push(format!(
                "paginated trait `inputToken` member `{}` and `outputToken` member `{}` must hold the same type",
                paginated.input_token.as_deref().unwrap_or_default(),
                paginated.output_token.as_deref().unwrap_or_default(),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(mut input_token), Some(output_token)) = (input_token, output_token) else { return Ok(None) };
    Ok(Some(PaginatorPlan {
        paginated,
        input_token: input_token.remove(0),
        output_token,
        items,
        page_size: page_size.map(|mut steps| steps.remove(0)),
    }))
}

/// The type of the last member of `steps`.
fn member_type<'a>(types: &'a BTreeMap<String, Named>, steps: &[Step]) -> Option<&'a crate::plan::RustType> {
    let last = steps.last()?;
    plan_of(types, last)?.ty.as_ref()
}

fn plan_of<'a>(types: &'a BTreeMap<String, Named>, step: &Step) -> Option<&'a MemberPlan> {
    types.get(&step.owner)?.members().iter().find(|m| m.member.name == step.member)
}

/// The members `path` names, from structure `root` down, checked against `property`'s rules.
fn resolve_path(
    model: &Model,
    types: &BTreeMap<String, Named>,
    property: Property,
    path: &str,
    root: Option<&str>,
) -> Result<Vec<Step>, String> {
    let name = property.name();
    if !property.paths_allowed() && path.contains('.') {
        return Err(format!("paginated trait `{name}` does not allow path values"));
    }
    let missing = || format!("paginated trait `{name}` targets a member `{path}` that does not exist");
    let mut steps = Vec::new();
    let mut owner = root.ok_or_else(missing)?.to_owned();
    let parts: Vec<&str> = path.split('.').collect();
    for (index, part) in parts.iter().enumerate() {
        let Some(Kind::Structure(members)) = model.get(&owner).map(|shape| &shape.kind) else { return Err(missing()) };
        let member = members.iter().find(|m| m.name == *part).ok_or_else(missing)?;
        let step = Step { owner: owner.clone(), member: member.name.clone() };
        // The member must have been planned (a member that cannot be is reported on its own).
        plan_of(types, &step).ok_or_else(missing)?;
        steps.push(step);
        if index + 1 < parts.len() {
            owner = member.target.clone();
            continue;
        }
        let optional = matches!(property, Property::InputToken | Property::OutputToken);
        if optional && member.traits.required {
            return Err(format!("paginated trait `{name}` member `{}` must not be required", member.name));
        }
        let target = model.get(&member.target).ok_or_else(missing)?;
        if !property.accepts(&target.kind) {
            return Err(format!(
                "paginated trait `{name}` member `{}` targets {} shape, but must target one of the following: [{}]",
                member.name,
                target.kind.described(),
                property.targets()
            ));
        }
    }
    Ok(steps)
}
