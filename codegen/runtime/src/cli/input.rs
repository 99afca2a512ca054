//! Reading and checking the input JSON of an operation.
//!
//! The library's serde derive ignores unknown keys and fills missing required members with
//! defaults, so the JSON is first inspected against the table: unknown members are a usage
//! error, missing required members are violations like those of `validate`.

use super::suggest::suggest;
use super::{Failure, Operation, Ty};
use crate::client::SdkError;
use crate::primitives::with_iso8601_timestamps;
use crate::validation::{Constraint, ValidationError, Violation};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::Value;

/// The largest input accepted, in bytes. Parsing costs a multiple of the input's size in
/// memory, so the limit keeps a runaway file (`file:///dev/zero`) from exhausting it.
pub(super) const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// The input JSON and how to name where it came from: `--cli-input-json` as `given`, its
/// `file://` file, or `{}` when it is not given. Files may be UTF-8 (with or without a byte
/// order mark) or UTF-16 with a byte order mark.
pub(super) fn input_text(given: Option<&str>) -> Result<(String, String), Failure> {
    let Some(given) = given else {
        return Ok(("{}".to_owned(), "the input".to_owned()));
    };
    let too_large = |source: &str| {
        Failure::usage(format!("{source} is larger than {} MiB, the most this program reads", MAX_INPUT >> 20))
    };
    let Some(path) = given.strip_prefix("file://") else {
        if given.len() as u64 > MAX_INPUT {
            return Err(too_large("--cli-input-json"));
        }
        return Ok((given.to_owned(), "--cli-input-json".to_owned()));
    };
    use std::io::Read as _;
    let source = format!("--cli-input-json file://{path}");
    let cannot_read =
        |err: std::io::Error| Failure::usage(format!("cannot read --cli-input-json file `{path}`: {err}"));
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|file| file.take(MAX_INPUT + 1).read_to_end(&mut bytes)).map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(too_large(&source));
    }
    let text = decode_text(&bytes).map_err(|why| Failure::usage(format!("cannot read {source}: {why}")))?;
    Ok((text, source))
}

/// Text from bytes: UTF-8, after a UTF-8 byte order mark if there is one, or UTF-16 (little or
/// big endian) after its byte order mark.
fn decode_text(bytes: &[u8]) -> Result<String, &'static str> {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return Err("it is not valid UTF-16 (an odd number of bytes)");
        }
        let units = rest.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| "it is not valid UTF-16")
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).map_err(|_| "it is not valid UTF-8"),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8(bytes.to_vec()).map_err(|_| "it is not UTF-8 text (nor UTF-16 with a byte order mark)"),
    }
}

/// Reads `text` (from `source`) as the input of `operation`: gives the typed input and the
/// paths of the required members it leaves out, or a usage error that ends with `hint` when
/// the JSON does not fit. Timestamps may be ISO 8601 strings or epoch seconds.
#[cfg(test)]
pub(super) fn parse_input<I: DeserializeOwned>(
    text: &str,
    source: &str,
    operation: &'static Operation,
    hint: &str,
) -> Result<(I, Vec<String>), Failure> {
    parse_input_value(input_json(text, source)?, text, source, operation, hint)
}

/// `text` (from `source`) as JSON, or a usage error.
pub(super) fn input_json(text: &str, source: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|err| Failure::usage(format!("{source} is not valid JSON: {err}")))
}

/// [`parse_input`] of input already read from `text` as JSON, then changed at the top level
/// (pages of a paginated call set their token and page size): `value` is checked; the typed
/// input is read from `text` with those top-level changes spliced in, so the numbers of every
/// other member keep all their digits.
pub(super) fn parse_input_value<I: DeserializeOwned>(
    value: Value,
    text: &str,
    source: &str,
    operation: &'static Operation,
    hint: &str,
) -> Result<(I, Vec<String>), Failure> {
    if !value.is_object() {
        return Err(Failure::usage(format!("{source} must be a JSON object\n{hint}")));
    }
    let mut unknown = Vec::new();
    let mut missing = Vec::new();
    inspect(&Ty::Structure(operation.input), &value, "", &mut unknown, &mut missing);
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|problem| format!("  - {problem}")).collect();
        return Err(Failure::usage(format!(
            "{source} does not fit the input of {}:\n{}\n{hint}",
            operation.model_name,
            list.join("\n")
        )));
    }
    // A required member given as null is reported as missing (by `check`), not as a type error.
    // The typed input is read from text, not from `value`, whose numbers are 64-bit at most:
    // big integers and decimals stay exact.
    let mut cleaned = String::with_capacity(text.len());
    let not_json = |err: serde_json::Error| Failure::usage(format!("{source} is not valid JSON: {err}"));
    let given: Value = serde_json::from_str(text).map_err(not_json)?;
    let root: &RawValue = serde_json::from_str(text).map_err(not_json)?;
    let changed = top_level_changes(&given, &value);
    drop((given, value));
    write_root(operation.input, root, &changed, &mut cleaned).map_err(not_json)?;
    // `cleaned` holds one JSON value, as `text` did: nothing can trail it.
    let read = || serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&cleaned));
    let input = with_iso8601_timestamps(read).map_err(|err| {
        let at = match err.path().to_string() {
            root if root == "." => String::new(),
            path => format!(" at `{path}`"),
        };
        // The error's line and column are in the rewritten text; its path names the place.
        let inner = err.inner();
        let position = format!(" at line {} column {}", inner.line(), inner.column());
        let inner = inner.to_string();
        Failure::usage(format!(
            "{source} does not fit the input of {}{at}: {}\n{hint}",
            operation.model_name,
            inner.strip_suffix(&position).unwrap_or(&inner)
        ))
    })?;
    Ok((input, missing))
}

/// Fails, listing every violation, when required members are `missing` or `validate` finds
/// broken constraints in `input`: nothing is sent then. What `validate` says about the default
/// that stands in for a missing member is left out.
pub(super) fn check<I>(
    input: &I,
    validate: fn(&I) -> Result<(), ValidationError>,
    missing: Vec<String>,
    operation: &Operation,
) -> Result<(), Failure> {
    let mut violations: Vec<Violation> = missing
        .into_iter()
        .map(|path| Violation { path, constraint: Constraint::Required, message: "a value is required".to_owned() })
        .collect();
    if let Err(err) = validate(input) {
        let missing = violations.len();
        for violation in err.violations {
            let inside = |path: &str| {
                violation.path.strip_prefix(path).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            };
            if !violations[..missing].iter().any(|seen| inside(&seen.path)) {
                violations.push(violation);
            }
        }
    }
    if violations.is_empty() {
        return Ok(());
    }
    // Worded as the library words a failed call, which is what this stands for.
    let err: SdkError<std::convert::Infallible> =
        SdkError::Validation(ValidationError { input: operation.input_type, violations });
    Err(Failure::call(format!(
        "{} failed: {err}\nNothing was sent; --no-validate sends the input as it is.",
        operation.model_name
    )))
}

/// Reads `bytes` as the content of a `--cli-input-json file://` file of `operation`, as a call
/// reads it: decoded, parsed against the table, then checked with `validate` unless a usage
/// error stops it first. For the fuzz targets in `fuzz/`.
#[cfg(feature = "fuzzing")]
pub fn fuzz_cli_input<I: DeserializeOwned>(
    bytes: &[u8],
    operation: &'static Operation,
    validate: fn(&I) -> Result<(), ValidationError>,
) -> Result<I, Failure> {
    let text = decode_text(bytes).map_err(Failure::usage)?;
    let json = input_json(&text, "--cli-input-json")?;
    let (input, missing) = parse_input_value::<I>(json, &text, "--cli-input-json", operation, "hint")?;
    check(&input, validate, missing, operation)?;
    Ok(input)
}

/// Adds to `unknown` the keys of `value` that are not members (serde ignores them), and to
/// `missing` the paths of the required members it leaves out (serde fills in a default).
/// Type mismatches are left to serde, which names their path.
fn inspect(ty: &Ty, value: &Value, path: &str, unknown: &mut Vec<String>, missing: &mut Vec<String>) {
    match (ty, value) {
        (Ty::Structure(shape) | Ty::Union(shape), Value::Object(object)) => {
            for key in object.keys() {
                if shape.members.iter().any(|member| member.name == key) {
                    continue;
                }
                let at = if path.is_empty() { String::from("the input") } else { format!("`{path}`") };
                let mut message = format!("unknown member `{key}` in {at}");
                let names = shape.members.iter().map(|member| member.name);
                if let Some(best) = suggest(key, names.clone()) {
                    message.push_str(&format!(" (did you mean `{best}`?)"));
                }
                let names: Vec<&str> = names.collect();
                message.push_str(&format!("; {} has: {}", shape.name, names.join(", ")));
                unknown.push(message);
            }
            for member in shape.members {
                match object.get(member.name) {
                    Some(item) if !item.is_null() => {
                        inspect(&member.ty, item, &member_path(path, member.name), unknown, missing);
                    }
                    _ if member.required => missing.push(member_path(path, member.name)),
                    _ => {}
                }
            }
        }
        (Ty::List(item), Value::Array(items)) => {
            for (index, value) in items.iter().enumerate() {
                inspect(item, value, &format!("{path}[{index}]"), unknown, missing);
            }
        }
        (Ty::Map(_, item), Value::Object(object)) => {
            for (key, value) in object {
                inspect(item, value, &format!("{path}[{key:?}]"), unknown, missing);
            }
        }
        _ => {}
    }
}

/// Writes `raw` to `out` without the members of structures (at any depth) whose value is
/// `null`: for serde an unset member. Nulls in lists and maps stay (sparse collections hold
/// them); every other value is copied as written, so numbers keep all their digits.
fn write_without_null_members(ty: &Ty, raw: &RawValue, out: &mut String) -> Result<(), serde_json::Error> {
    let text = raw.get();
    match (ty, text.as_bytes().first()) {
        (Ty::Structure(shape) | Ty::Union(shape), Some(b'{')) => {
            let object: Vec<(String, &RawValue)> = serde_json::from_str::<RawObject<'_>>(text)?.0;
            out.push('{');
            let mut first = true;
            for (key, value) in object.into_iter().filter(|(_, value)| value.get() != "null") {
                let member = shape.members.iter().find(|member| member.name == key);
                write_key(&key, &mut first, out);
                match member {
                    Some(member) => write_without_null_members(&member.ty, value, out)?,
                    None => out.push_str(value.get()),
                }
            }
            out.push('}');
        }
        (Ty::List(item), Some(b'[')) => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            out.push('[');
            for (index, value) in items.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_without_null_members(item, value, out)?;
            }
            out.push(']');
        }
        (Ty::Map(_, item), Some(b'{')) => {
            let object: Vec<(String, &RawValue)> = serde_json::from_str::<RawObject<'_>>(text)?.0;
            out.push('{');
            let mut first = true;
            for (key, value) in object {
                write_key(&key, &mut first, out);
                write_without_null_members(item, value, out)?;
            }
            out.push('}');
        }
        _ => out.push_str(text),
    }
    Ok(())
}

/// The top-level members `value` sets differently from `given` (`None`: left out), with
/// their JSON text.
fn top_level_changes(given: &Value, value: &Value) -> Vec<(String, Option<String>)> {
    let (Some(given), Some(value)) = (given.as_object(), value.as_object()) else { return Vec::new() };
    let mut changes: Vec<(String, Option<String>)> =
        given.keys().filter(|key| !value.contains_key(*key)).map(|key| (key.clone(), None)).collect();
    for (key, member) in value {
        if given.get(key) != Some(member) {
            changes.push((key.clone(), Some(member.to_string())));
        }
    }
    changes
}

/// Writes the input object `raw` as [`write_without_null_members`] does, with the top-level
/// `changes` applied.
fn write_root(
    input: &'static super::Struct,
    raw: &RawValue,
    changes: &[(String, Option<String>)],
    out: &mut String,
) -> Result<(), serde_json::Error> {
    if changes.is_empty() {
        return write_without_null_members(&Ty::Structure(input), raw, out);
    }
    let object: Vec<(String, &RawValue)> = serde_json::from_str::<RawObject<'_>>(raw.get())?.0;
    let mut edited = String::from("{");
    let mut first = true;
    for (key, value) in &object {
        if changes.iter().any(|(changed, _)| changed == key) {
            continue;
        }
        write_key(key, &mut first, &mut edited);
        edited.push_str(value.get());
    }
    for (key, value) in changes {
        if let Some(value) = value {
            write_key(key, &mut first, &mut edited);
            edited.push_str(value);
        }
    }
    edited.push('}');
    let edited: &RawValue = serde_json::from_str(&edited)?;
    write_without_null_members(&Ty::Structure(input), edited, out)
}

/// Writes `"key":`, after a comma unless it is the `first` key of its object.
fn write_key(key: &str, first: &mut bool, out: &mut String) {
    if !std::mem::take(first) {
        out.push(',');
    }
    // Escaping a string cannot fail.
    out.push_str(&serde_json::to_string(key).unwrap_or_default());
    out.push(':');
}

/// A JSON object's members in order, their values unparsed.
struct RawObject<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for RawObject<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Members<'a> {
            type Value = RawObject<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(RawObject(members))
            }
        }
        deserializer.deserialize_map(Members(std::marker::PhantomData))
    }
}

/// `path.name`, or `name` at the root (as validation paths are written).
fn member_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{validate, PutThing, PUT_THING_INPUT, SERVICES};
    use super::super::{Member, Struct};
    use super::*;
    use serde::Deserialize;

    /// `put-thing`, whose input is `PutThingInput`.
    fn put_thing() -> &'static Operation {
        &SERVICES[0].operations[1]
    }

    /// What `inspect` finds in `json` read as a `PutThingInput`: unknown and missing members.
    fn inspected(json: &str) -> (Vec<String>, Vec<String>) {
        let value: Value = serde_json::from_str(json).expect("test JSON");
        let (mut unknown, mut missing) = (Vec::new(), Vec::new());
        inspect(&Ty::Structure(&PUT_THING_INPUT), &value, "", &mut unknown, &mut missing);
        (unknown, missing)
    }

    fn parse(text: &str) -> Result<(PutThing, Vec<String>), Failure> {
        parse_input(text, "--cli-input-json", put_thing(), "HINT")
    }

    #[test]
    fn a_complete_input_has_nothing_unknown_or_missing() {
        let json = r#"{"name": "a", "tags": [{"Key": "k"}], "shape": {"circle": {"radius": 1}},
            "tree": {"name": "t", "left": {"name": "l"}, "children": [{"name": "c"}]},
            "parts": {"p": {"Key": "k"}}, "labels": {"l": ["x"]}}"#;
        assert_eq!(inspected(json), (vec![], vec![]));
    }

    #[test]
    fn unknown_members_are_found_at_any_depth_with_a_suggestion() {
        let json = r#"{"nmae": "a", "tags": [{"Key": "k", "Vaule": "v"}], "parts": {"p": {"Key": "k", "zzz": 1}},
            "tree": {"name": "t", "left": {"name": "l", "rigth": {}}}, "shape": {"square": 2}}"#;
        let (unknown, _) = inspected(json);
        assert_eq!(
            unknown,
            [
                "unknown member `nmae` in the input (did you mean `name`?); PutThingInput has: name, size, color, \
                 levels, tags, labels, parts, shape, tree, when, flag, nothing",
                "unknown member `Vaule` in `tags[0]` (did you mean `Value`?); Tag has: Key, Value",
                "unknown member `zzz` in `parts[\"p\"]`; Tag has: Key, Value",
                "unknown member `square` in `shape`; Shape has: circle, side",
                "unknown member `rigth` in `tree.left`; Tree has: name, left, children",
            ]
        );
    }

    #[test]
    fn required_members_left_out_or_null_are_missing_at_any_depth() {
        let json = r#"{"size": 1, "tags": [{"Key": "k"}, {"Value": "v"}], "parts": {"p": {"Key": null}},
            "shape": {"circle": {}}, "tree": {"children": [{"name": "c"}, {"left": {}}]}}"#;
        let (unknown, missing) = inspected(json);
        assert!(unknown.is_empty(), "{unknown:?}");
        assert_eq!(
            missing,
            [
                "name",
                "tags[1].Key",
                "parts[\"p\"].Key",
                "shape.circle.radius",
                "tree.name",
                "tree.children[1].name",
                "tree.children[1].left.name",
            ]
        );
    }

    #[test]
    fn values_of_the_wrong_type_are_left_to_serde() {
        assert_eq!(inspected(r#"{"name": "a", "tags": {"Key": 1}, "tree": [], "shape": "x"}"#), (vec![], vec![]));
    }

    #[test]
    fn the_input_defaults_to_an_empty_object_or_comes_from_a_file() {
        assert_eq!(input_text(None).expect("no input"), ("{}".to_owned(), "the input".to_owned()));
        let given = input_text(Some(r#"{"name": "a"}"#)).expect("inline input");
        assert_eq!(given, (r#"{"name": "a"}"#.to_owned(), "--cli-input-json".to_owned()));

        let path = std::env::temp_dir().join(format!("aws-lite-runtime-cli-input-{}.json", std::process::id()));
        std::fs::write(&path, "{}\n").expect("write the input file");
        let read = input_text(Some(&format!("file://{}", path.display())));
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            read.expect("file input"),
            ("{}\n".to_owned(), format!("--cli-input-json file://{}", path.display()))
        );

        let failure = input_text(Some("file:///nonexistent/input.json")).expect_err("no such file");
        assert_eq!(failure.status(), 2);
        assert!(failure.message().starts_with("cannot read --cli-input-json file `/nonexistent/input.json`: "));
    }

    #[test]
    fn input_files_may_have_a_byte_order_mark_and_are_bounded() {
        let dir = crate::test_support::TempDir::new("cli-input-encodings");
        let utf16 = |big_endian: bool| {
            let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
            for unit in "{\"é\": 1}".encode_utf16() {
                bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
            }
            bytes
        };
        let cases: [(&str, Vec<u8>); 4] = [
            ("plain", b"{\"\xc3\xa9\": 1}".to_vec()),
            ("bom", b"\xef\xbb\xbf{\"\xc3\xa9\": 1}".to_vec()),
            ("utf16le", utf16(false)),
            ("utf16be", utf16(true)),
        ];
        for (name, bytes) in cases {
            let path = dir.path(name);
            std::fs::write(&path, bytes).expect("write the input file");
            let (text, _) = input_text(Some(&format!("file://{path}"))).unwrap_or_else(|f| panic!("{name}: {f:?}"));
            assert_eq!(text, "{\"é\": 1}", "{name}");
        }
        let path = dir.path("latin1");
        std::fs::write(&path, b"{\"\xe9\": 1}").expect("write the input file");
        let failure = input_text(Some(&format!("file://{path}"))).expect_err("not UTF-8");
        assert!(failure.message().ends_with("it is not UTF-8 text (nor UTF-16 with a byte order mark)"), "{failure:?}");

        let path = dir.path("huge");
        let file = std::fs::File::create(&path).expect("create the input file");
        file.set_len(MAX_INPUT + 1).expect("a sparse file");
        let failure = input_text(Some(&format!("file://{path}"))).expect_err("too large");
        assert_eq!(failure.status(), 2);
        assert!(failure.message().ends_with("is larger than 16 MiB, the most this program reads"), "{failure:?}");
    }

    #[test]
    fn a_fitting_input_is_parsed_with_its_missing_members() {
        let (input, missing) = parse(r#"{"size": 4, "tree": {}}"#).expect("fits");
        assert_eq!((input.name.as_str(), input.size), ("", Some(4)));
        assert_eq!(missing, ["name", "tree.name"]);
    }

    #[test]
    fn input_that_is_not_a_fitting_json_object_is_a_usage_error() {
        let usage = |text: &str| {
            let failure = parse(text).expect_err("a usage error");
            assert_eq!(failure.status(), 2, "{failure:?}");
            failure.message().to_owned()
        };
        assert_eq!(usage("{\"name\": ]"), "--cli-input-json is not valid JSON: expected value at line 1 column 10");
        assert_eq!(usage("[1]"), "--cli-input-json must be a JSON object\nHINT");
        assert_eq!(
            usage(r#"{"name": "a", "sise": 1}"#),
            "--cli-input-json does not fit the input of PutThing:\n  - unknown member `sise` in the input (did you \
             mean `size`?); PutThingInput has: name, size, color, levels, tags, labels, parts, shape, tree, when, \
             flag, nothing\nHINT"
        );
        assert_eq!(
            usage("{\n  \"name\": 5\n}"),
            "--cli-input-json does not fit the input of PutThing at `name`: invalid type: integer `5`, expected a string\nHINT"
        );
        assert_eq!(
            usage(r#"{"name": "a", "size": true}"#),
            "--cli-input-json does not fit the input of PutThing at `size`: invalid type: boolean `true`, expected \
             i32\nHINT"
        );
    }

    #[test]
    fn a_required_member_given_as_null_is_missing() {
        let (input, missing) = parse(r#"{"name": null, "size": null, "tree": {"name": null}}"#).expect("fits");
        assert_eq!((input.name.as_str(), input.size), ("", None));
        assert_eq!(missing, ["name", "tree.name"]);
    }

    #[test]
    fn numbers_keep_every_digit_and_nulls_go_at_any_depth_but_in_collections() {
        use crate::primitives::{BigDecimal, BigInteger};
        static AMOUNTS: Struct = Struct {
            name: "Amounts",
            members: &[
                Member { name: "count", ty: Ty::Scalar("bigInteger"), required: false, doc: &[] },
                Member { name: "ratio", ty: Ty::Scalar("bigDecimal"), required: false, doc: &[] },
                Member { name: "nested", ty: Ty::List(&Ty::Structure(&AMOUNTS)), required: false, doc: &[] },
                Member {
                    name: "sparse",
                    ty: Ty::Map(&Ty::Scalar("string"), &Ty::Scalar("bigInteger")),
                    required: false,
                    doc: &[],
                },
            ],
        };
        static PUT_AMOUNTS: Operation = Operation {
            name: "put-amounts",
            model_name: "PutAmounts",
            doc: &[],
            input_type: "Amounts",
            input: &AMOUNTS,
            run: |_| Ok(()),
            paginated: None,
        };
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        struct Amounts {
            count: Option<BigInteger>,
            ratio: Option<BigDecimal>,
            nested: Option<Vec<Amounts>>,
            sparse: Option<std::collections::HashMap<String, Option<BigInteger>>>,
        }
        let text = r#"{"count": 123456789012345678901234567890, "ratio": 0.1000000000000000000001,
            "nested": [{"count": -98765432109876543210, "ratio": null}],
            "sparse": {"gone": null, "kept": 18446744073709551616}}"#;
        let (input, missing): (Amounts, _) = parse_input(text, "--cli-input-json", &PUT_AMOUNTS, "HINT").expect("fits");
        assert!(missing.is_empty());
        assert_eq!(input.count.as_ref().map(BigInteger::as_str), Some("123456789012345678901234567890"));
        assert_eq!(input.ratio.as_ref().map(BigDecimal::as_str), Some("0.1000000000000000000001"));
        let nested = &input.nested.as_deref().expect("nested")[0];
        assert_eq!(nested.count.as_ref().map(BigInteger::as_str), Some("-98765432109876543210"));
        assert!(nested.ratio.is_none());
        // A page's input changes top-level members; the others keep every digit.
        let mut page: Value = serde_json::from_str(text).expect("JSON");
        page["ratio"] = Value::from(0.5);
        page.as_object_mut().expect("object").remove("sparse");
        let (paged, _): (Amounts, _) =
            parse_input_value(page, text, "--cli-input-json", &PUT_AMOUNTS, "HINT").expect("fits");
        assert_eq!(paged.count.as_ref().map(BigInteger::as_str), Some("123456789012345678901234567890"));
        assert_eq!(paged.ratio.as_ref().map(BigDecimal::as_str), Some("0.5"));
        assert!(paged.sparse.is_none());
        let sparse = input.sparse.expect("sparse");
        assert_eq!(sparse.get("gone"), Some(&None), "a null map value stays");
        assert_eq!(sparse["kept"].as_ref().map(BigInteger::as_str), Some("18446744073709551616"));
    }

    #[test]
    fn a_valid_input_passes_the_check() {
        let input = PutThing { name: "abc".to_owned(), size: None };
        assert!(check(&input, validate, Vec::new(), put_thing()).is_ok());
    }

    #[test]
    fn missing_members_and_broken_constraints_are_all_listed() {
        let input = PutThing { name: "abcd".to_owned(), size: None };
        let failure = check(&input, validate, vec!["tree.name".to_owned()], put_thing()).expect_err("violations");
        assert_eq!(failure.status(), 1);
        assert_eq!(
            failure.message(),
            "PutThing failed: invalid PutThingInput: 2 constraint violations\n  - tree.name: a value is required\n  \
             - name: must be at most 3 characters\nNothing was sent; --no-validate sends the input as it is."
        );
    }

    #[test]
    fn violations_of_the_default_standing_in_for_a_missing_member_are_left_out() {
        // `validate` sees the default of a missing `name`; only "required" is reported for it.
        let input = PutThing { name: "default".to_owned(), size: None };
        let failure = check(&input, validate, vec!["name".to_owned()], put_thing()).expect_err("violations");
        assert!(failure.message().contains("1 constraint violation\n  - name: a value is required\n"), "{failure:?}");
        // A missing member whose name starts another's does not hide that one.
        let failure = check(&input, validate, vec!["na".to_owned()], put_thing()).expect_err("violations");
        assert!(failure.message().contains("2 constraint violations"), "{failure:?}");
    }
}
