//! How help describes the types of a table: names, JSON syntax in the AWS CLI's notation, and
//! the shapes and simple types an input uses.

use super::{Struct, Ty};

/// How help names a type: `string`, `list of Tag`, `map of string to integer`...
pub(super) fn label(ty: &Ty) -> String {
    match ty {
        Ty::Scalar(name) => (*name).to_owned(),
        Ty::Enum(_) => "string".to_owned(),
        Ty::IntEnum(_) => "integer".to_owned(),
        Ty::List(item) => format!("list of {}", label(item)),
        Ty::Map(key, value) => format!("map of {} to {}", label(key), label(value)),
        Ty::Structure(shape) | Ty::Union(shape) if shape.members.is_empty() => "{}".to_owned(),
        Ty::Structure(shape) | Ty::Union(shape) => shape.name.to_owned(),
    }
}

/// The structures and unions used by `input`'s members, at any depth, in the order they are
/// first met.
pub(super) fn nested_shapes(input: &'static Struct) -> Vec<&'static Ty> {
    /// Adds the shapes of `ty` not yet in `found` (nor `input` itself).
    fn visit(ty: &'static Ty, found: &mut Vec<&'static Ty>, input: &'static Struct) {
        match ty {
            Ty::List(item) => visit(item, found, input),
            Ty::Map(key, value) => {
                visit(key, found, input);
                visit(value, found, input);
            }
            Ty::Structure(shape) | Ty::Union(shape) => {
                let known = std::ptr::eq(*shape, input)
                    || found.iter().any(
                        |seen| matches!(seen, Ty::Structure(other) | Ty::Union(other) if std::ptr::eq(*other, *shape)),
                    );
                if !known {
                    found.push(ty);
                    for member in shape.members {
                        visit(&member.ty, found, input);
                    }
                }
            }
            Ty::Scalar(_) | Ty::Enum(_) | Ty::IntEnum(_) => {}
        }
    }
    let mut found = Vec::new();
    for member in input.members {
        visit(&member.ty, &mut found, input);
    }
    found
}

/// The simple types used anywhere in `ty`, by their Smithy names; `seen` holds the structures
/// already visited, so that recursive ones end.
pub(super) fn collect_scalars(ty: &Ty, seen: &mut Vec<*const Struct>, found: &mut Vec<&'static str>) {
    match ty {
        Ty::Scalar(name) => found.push(*name),
        Ty::List(item) => collect_scalars(item, seen, found),
        Ty::Map(key, value) => {
            collect_scalars(key, seen, found);
            collect_scalars(value, seen, found);
        }
        Ty::Structure(shape) | Ty::Union(shape) => {
            let pointer: *const Struct = *shape;
            if !seen.contains(&pointer) {
                seen.push(pointer);
                for member in shape.members {
                    collect_scalars(&member.ty, seen, found);
                }
            }
        }
        Ty::Enum(_) | Ty::IntEnum(_) => {}
    }
}

/// Appends the JSON syntax of `ty` in the AWS CLI's notation, the first line unindented and the
/// others at `depth` levels of four spaces. A structure inside itself is `{...}`.
pub(super) fn push_syntax(out: &mut String, ty: &Ty, depth: usize, stack: &mut Vec<*const Struct>) {
    let pad = |depth: usize| "    ".repeat(depth);
    match ty {
        Ty::Scalar("string") => out.push_str("\"string\""),
        Ty::Scalar("boolean") => out.push_str("true|false"),
        Ty::Scalar("document") => out.push_str("{...}"),
        Ty::Scalar(name) => out.push_str(name),
        Ty::Enum(values) => {
            let quoted: Vec<String> = values.iter().map(|value| format!("{value:?}")).collect();
            out.push_str(&quoted.join("|"));
        }
        Ty::IntEnum(values) => out.push_str(&values.join("|")),
        Ty::List(item) if is_scalar(item) => {
            out.push('[');
            push_syntax(out, item, depth, stack);
            out.push_str(", ...]");
        }
        Ty::List(item) => {
            out.push_str(&format!("[\n{}", pad(depth + 1)));
            push_syntax(out, item, depth + 1, stack);
            out.push_str(&format!("\n{}...\n{}]", pad(depth + 1), pad(depth)));
        }
        Ty::Map(key, value) if is_scalar(value) => {
            out.push('{');
            push_syntax(out, key, depth, stack);
            out.push_str(": ");
            push_syntax(out, value, depth, stack);
            out.push_str(", ...}");
        }
        Ty::Map(key, value) => {
            out.push_str(&format!("{{\n{}", pad(depth + 1)));
            push_syntax(out, key, depth + 1, stack);
            out.push_str(": ");
            push_syntax(out, value, depth + 1, stack);
            out.push_str(&format!("\n{}...\n{}}}", pad(depth + 1), pad(depth)));
        }
        Ty::Structure(shape) | Ty::Union(shape) => {
            let pointer: *const Struct = *shape;
            if shape.members.is_empty() {
                out.push_str("{}");
            } else if stack.contains(&pointer) {
                out.push_str("{...}");
            } else {
                stack.push(pointer);
                out.push_str("{\n");
                for (index, member) in shape.members.iter().enumerate() {
                    out.push_str(&format!("{}{:?}: ", pad(depth + 1), member.name));
                    push_syntax(out, &member.ty, depth + 1, stack);
                    out.push_str(if index + 1 < shape.members.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push('}');
                stack.pop();
            }
        }
    }
}

/// Whether a type's syntax fits on one line.
fn is_scalar(ty: &Ty) -> bool {
    matches!(ty, Ty::Scalar(_) | Ty::Enum(_) | Ty::IntEnum(_))
}

#[cfg(test)]
mod tests {
    use super::super::table::PUT_THING_INPUT;
    use super::super::Member;
    use super::*;

    /// The type of member `name` of `PutThingInput`.
    fn member(name: &str) -> &'static Ty {
        let found = PUT_THING_INPUT.members.iter().find(|member| member.name == name);
        &found.expect("a member of PutThingInput").ty
    }

    fn syntax(ty: &Ty) -> String {
        let mut out = String::new();
        push_syntax(&mut out, ty, 0, &mut Vec::new());
        out
    }

    #[test]
    fn labels_name_lists_maps_enums_and_shapes() {
        for (name, expected) in [
            ("name", "string"),
            ("color", "string"),
            ("levels", "list of integer"),
            ("tags", "list of Tag"),
            ("labels", "map of string to list of string"),
            ("shape", "Shape"),
            ("nothing", "{}"),
        ] {
            assert_eq!(label(member(name)), expected, "{name}");
        }
    }

    /// The names of the shapes `input` uses.
    fn nested_names(input: &'static Struct) -> Vec<&'static str> {
        let shape = |ty: &'static Ty| match ty {
            Ty::Structure(shape) | Ty::Union(shape) => shape.name,
            other => panic!("not a shape: {other:?}"),
        };
        nested_shapes(input).into_iter().map(shape).collect()
    }

    #[test]
    fn nested_shapes_are_listed_once_in_the_order_met() {
        assert_eq!(nested_names(&PUT_THING_INPUT), ["Tag", "Shape", "Circle", "Tree", "Empty"]);
    }

    #[test]
    fn an_input_that_holds_itself_is_not_listed_again() {
        static NODE: Struct = Struct {
            name: "Node",
            members: &[
                Member { name: "next", ty: Ty::Structure(&NODE), required: false, doc: &[] },
                Member { name: "all", ty: Ty::List(&Ty::Structure(&NODE)), required: false, doc: &[] },
            ],
        };
        assert!(nested_names(&NODE).is_empty());
    }

    #[test]
    fn scalars_are_collected_through_recursive_shapes() {
        let mut found = Vec::new();
        collect_scalars(&Ty::Structure(&PUT_THING_INPUT), &mut Vec::new(), &mut found);
        found.sort_unstable();
        found.dedup();
        assert_eq!(found, ["boolean", "double", "integer", "string", "timestamp"]);
    }

    #[test]
    fn simple_types_enums_and_their_collections_fit_on_one_line() {
        for (name, expected) in [
            ("name", "\"string\""),
            ("flag", "true|false"),
            ("when", "timestamp"),
            ("color", "\"red\"|\"dark-blue\""),
            ("levels", "[1|10, ...]"),
            ("nothing", "{}"),
        ] {
            assert_eq!(syntax(member(name)), expected, "{name}");
        }
        assert_eq!(syntax(&Ty::Map(&Ty::Scalar("string"), &Ty::Scalar("document"))), "{\"string\": {...}, ...}");
    }

    #[test]
    fn nested_collections_and_structures_are_indented() {
        assert_eq!(syntax(member("labels")), "{\n    \"string\": [\"string\", ...]\n    ...\n}");
        assert_eq!(
            syntax(member("tags")),
            "[\n    {\n        \"Key\": \"string\",\n        \"Value\": \"string\"\n    }\n    ...\n]"
        );
    }

    #[test]
    fn a_structure_inside_itself_is_elided() {
        assert_eq!(
            syntax(member("tree")),
            "{\n    \"name\": \"string\",\n    \"left\": {...},\n    \"children\": [\n        {...}\n        ...\n    ]\n}"
        );
    }
}
