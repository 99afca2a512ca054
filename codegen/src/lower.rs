//! Lowers the merged AST into the IR: resolves targets, types the traits, and reports every
//! dangling reference or malformed trait value with its location.

use crate::ast;
use crate::diagnostics::{Diagnostics, Location};
use crate::ir::*;
use crate::load::Merged;
use crate::node;
use crate::pattern;
use serde_json::Value;
use std::collections::BTreeMap;

/// Builds the IR. Shapes with errors are still lowered as far as possible so that later
/// checks can report their own problems in the same run.
pub fn lower(merged: &Merged, diags: &mut Diagnostics) -> Model {
    let mut model = Model::default();
    for (id, sourced) in &merged.shapes {
        let at = Location::shape(&sourced.file, id);
        if let Some(shape) = lower_shape(id, &sourced.file, &sourced.shape, merged, &at, diags) {
            model.shapes.insert(id.clone(), shape);
        }
    }
    model.patterns = translate_patterns(&model, diags);
    model
}

/// Translates every distinct `pattern` once (models repeat them a lot); an untranslatable
/// pattern is reported at every place that uses it.
fn translate_patterns(model: &Model, diags: &mut Diagnostics) -> BTreeMap<String, pattern::Translated> {
    let mut uses: BTreeMap<&str, Vec<Location>> = BTreeMap::new();
    for shape in model.shapes.values() {
        let at = Location::shape(&shape.file, &shape.id);
        if let Some(p) = &shape.traits.pattern {
            uses.entry(p).or_default().push(at.clone());
        }
        for member in shape.kind.members() {
            if let Some(p) = &member.traits.pattern {
                uses.entry(p).or_default().push(at.member(&member.name));
            }
        }
    }
    let mut translated = BTreeMap::new();
    for (source, locations) in uses {
        match pattern::translate_cached(source) {
            Ok(t) => {
                translated.insert(source.to_owned(), t);
            }
            Err(err) => {
                for at in &locations {
                    diags.error(at, format!("pattern `{source}` cannot be used: {err}"));
                }
            }
        }
    }
    translated
}

fn lower_shape(
    id: &str,
    file: &str,
    shape: &ast::Shape,
    merged: &Merged,
    at: &Location,
    diags: &mut Diagnostics,
) -> Option<Shape> {
    let traits = lower_traits(&shape.traits, at, diags);
    let member = |m: &ast::Member, name: &str, diags: &mut Diagnostics| {
        let member_at = at.member(name);
        check_target(&m.target, merged, &member_at, diags);
        Member { name: name.to_owned(), target: m.target.clone(), traits: lower_traits(&m.traits, &member_at, diags) }
    };
    let members = |diags: &mut Diagnostics| -> Vec<Member> {
        shape.members.iter().map(|(name, m)| member(m, name, diags)).collect()
    };
    let targets = |list: &[ast::Target], diags: &mut Diagnostics| -> Vec<String> {
        list.iter()
            .map(|t| {
                check_target(&t.target, merged, at, diags);
                t.target.clone()
            })
            .collect()
    };
    let simple = |s: Simple| Some(Kind::Simple(s));
    let kind = match shape.kind.as_str() {
        "blob" => simple(Simple::Blob),
        "boolean" => simple(Simple::Boolean),
        "string" => match shape.traits.get("smithy.api#enum") {
            Some(definitions) => legacy_enum(definitions, at, diags).map(Kind::Enum),
            None => simple(Simple::String),
        },
        "byte" => simple(Simple::Byte),
        "short" => simple(Simple::Short),
        "integer" => simple(Simple::Integer),
        "long" => simple(Simple::Long),
        "float" => simple(Simple::Float),
        "double" => simple(Simple::Double),
        "bigInteger" => simple(Simple::BigInteger),
        "bigDecimal" => simple(Simple::BigDecimal),
        "timestamp" => simple(Simple::Timestamp),
        "document" => simple(Simple::Document),
        "enum" => Some(Kind::Enum(enum_members(shape, at, diags))),
        "intEnum" => Some(Kind::IntEnum(int_enum_members(shape, at, diags))),
        "list" | "set" => match &shape.member {
            Some(m) => Some(Kind::List(Box::new(member(m, "member", diags)))),
            None => {
                diags.error(at, format!("{} shape has no `member`", shape.kind));
                None
            }
        },
        "map" => match (&shape.key, &shape.value) {
            (Some(k), Some(v)) => {
                Some(Kind::Map { key: Box::new(member(k, "key", diags)), value: Box::new(member(v, "value", diags)) })
            }
            _ => {
                diags.error(at, "map shape needs both `key` and `value`");
                None
            }
        },
        "structure" => Some(Kind::Structure(members(diags))),
        "union" => {
            let members = members(diags);
            if members.is_empty() && !traits.mixin {
                diags.error(at, "union has no members");
            }
            Some(Kind::Union(members))
        }
        "service" => Some(Kind::Service(Box::new(Service {
            version: shape.version.clone().unwrap_or_default(),
            operations: targets(&shape.operations, diags),
            resources: targets(&shape.resources, diags),
            errors: targets(&shape.errors, diags),
            rename: shape.rename.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }))),
        "operation" => {
            let unit = |t: &Option<ast::Target>, diags: &mut Diagnostics| {
                let t = t.as_ref()?;
                check_target(&t.target, merged, at, diags);
                (t.target != "smithy.api#Unit").then(|| t.target.clone())
            };
            Some(Kind::Operation(Operation {
                input: unit(&shape.input, diags),
                output: unit(&shape.output, diags),
                errors: targets(&shape.errors, diags),
            }))
        }
        "resource" => {
            let mut operations: Vec<ast::Target> = shape.lifecycle_operations().cloned().collect();
            operations.extend(shape.operations.iter().cloned());
            operations.extend(shape.collection_operations.iter().cloned());
            Some(Kind::Resource(Resource {
                operations: targets(&operations, diags),
                resources: targets(&shape.resources, diags),
            }))
        }
        other => {
            diags.error(at, format!("unknown shape type `{other}`"));
            None
        }
    };
    check_trait_placement(&kind, &traits, at, diags);
    kind.map(|kind| Shape { id: id.to_owned(), file: file.to_owned(), kind, traits })
}

fn check_target(target: &str, merged: &Merged, at: &Location, diags: &mut Diagnostics) {
    if !merged.shapes.contains_key(target) {
        diags.error(at, format!("target `{target}` does not exist"));
    }
}

fn check_trait_placement(kind: &Option<Kind>, traits: &Traits, at: &Location, diags: &mut Diagnostics) {
    let Some(kind) = kind else { return };
    let stringish = matches!(kind, Kind::Simple(Simple::String | Simple::Blob) | Kind::Enum(_));
    let collection = matches!(kind, Kind::List(_) | Kind::Map { .. });
    if traits.length.is_some() && !stringish && !collection {
        diags.error(at, "`length` applies only to strings, blobs, lists and maps");
    }
    if traits.pattern.is_some() && !matches!(kind, Kind::Simple(Simple::String) | Kind::Enum(_)) {
        diags.error(at, "`pattern` applies only to strings");
    }
}

fn enum_members(shape: &ast::Shape, at: &Location, diags: &mut Diagnostics) -> Vec<EnumMember> {
    let mut out = Vec::new();
    for (name, member) in &shape.members {
        let member_at = at.member(name);
        let value = match member.traits.get("smithy.api#enumValue") {
            None => name.clone(),
            Some(Value::String(v)) => v.clone(),
            Some(_) => {
                diags.error(&member_at, "`enumValue` of an enum member must be a string");
                continue;
            }
        };
        out.push(EnumMember {
            name: name.clone(),
            value,
            documentation: string_trait(&member.traits, "smithy.api#documentation"),
            deprecated: member.traits.contains_key("smithy.api#deprecated"),
        });
    }
    check_unique_values(out.iter().map(|m| m.value.clone()), at, diags);
    out
}

fn int_enum_members(shape: &ast::Shape, at: &Location, diags: &mut Diagnostics) -> Vec<IntEnumMember> {
    let mut out = Vec::new();
    for (name, member) in &shape.members {
        let value =
            member.traits.get("smithy.api#enumValue").and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok());
        match value {
            Some(value) => out.push(IntEnumMember {
                name: name.clone(),
                value,
                documentation: string_trait(&member.traits, "smithy.api#documentation"),
            }),
            None => diags.error(&at.member(name), "`enumValue` of an intEnum member must be a 32-bit integer"),
        }
    }
    check_unique_values(out.iter().map(|m| m.value.to_string()), at, diags);
    out
}

fn check_unique_values(values: impl Iterator<Item = String>, at: &Location, diags: &mut Diagnostics) {
    let mut seen = std::collections::BTreeSet::new();
    for value in values {
        if !seen.insert(value.clone()) {
            diags.error(at, format!("enum value `{value}` is defined twice"));
        }
    }
}

/// The Smithy 1.0 `enum` trait on a string shape.
fn legacy_enum(definitions: &Value, at: &Location, diags: &mut Diagnostics) -> Option<Vec<EnumMember>> {
    let Some(list) = definitions.as_array() else {
        diags.error(at, "`enum` trait must be a list of enum definitions");
        return None;
    };
    let mut out = Vec::new();
    for definition in list {
        let Some(value) = definition.get("value").and_then(Value::as_str) else {
            diags.error(at, "every `enum` definition needs a string `value`");
            continue;
        };
        let name = definition.get("name").and_then(Value::as_str).unwrap_or(value);
        out.push(EnumMember {
            name: name.to_owned(),
            value: value.to_owned(),
            documentation: definition.get("documentation").and_then(Value::as_str).map(str::to_owned),
            deprecated: definition.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    check_unique_values(out.iter().map(|m| m.value.clone()), at, diags);
    Some(out)
}

fn string_trait(traits: &ast::Traits, id: &str) -> Option<String> {
    traits.get(id).and_then(Value::as_str).map(str::to_owned)
}

/// Types the traits the generator understands; malformed values are reported and dropped.
pub fn lower_traits(raw: &ast::Traits, at: &Location, diags: &mut Diagnostics) -> Traits {
    let mut t = Traits::default();
    for (id, value) in raw {
        // Set when the value does not have the expected shape; reported once per trait below.
        let mut bad: Option<String> = None;
        match id.as_str() {
            "smithy.api#documentation" => t.documentation = checked(&mut bad, text(value)),
            "smithy.api#required" => t.required = true,
            "smithy.api#clientOptional" => t.client_optional = true,
            "smithy.api#default" => t.default = Some(value.clone()),
            "smithy.api#length" => t.length = checked(&mut bad, bounds(value, true)),
            "smithy.api#range" => t.range = checked(&mut bad, bounds(value, false)),
            "smithy.api#pattern" => t.pattern = checked(&mut bad, text(value)),
            "smithy.api#uniqueItems" => t.unique_items = true,
            "smithy.api#sparse" => t.sparse = true,
            "smithy.api#sensitive" => t.sensitive = true,
            "smithy.api#streaming" => t.streaming = true,
            "smithy.api#idempotencyToken" => t.idempotency_token = true,
            "smithy.api#deprecated" => {
                t.deprecated = Some(value.get("message").and_then(Value::as_str).unwrap_or_default().to_owned())
            }
            "smithy.api#timestampFormat" => {
                t.timestamp_format = checked(
                    &mut bad,
                    match value.as_str() {
                        Some("epoch-seconds") => Ok(TimestampFormat::EpochSeconds),
                        Some("date-time") => Ok(TimestampFormat::DateTime),
                        Some("http-date") => Ok(TimestampFormat::HttpDate),
                        _ => Err("`epoch-seconds`, `date-time` or `http-date`".to_owned()),
                    },
                )
            }
            "smithy.api#jsonName" => t.json_name = checked(&mut bad, text(value)),
            "smithy.api#mediaType" => t.media_type = checked(&mut bad, text(value)),
            "smithy.api#error" => {
                t.error = checked(
                    &mut bad,
                    match value.as_str() {
                        Some("client") => Ok(ErrorFault::Client),
                        Some("server") => Ok(ErrorFault::Server),
                        _ => Err("`client` or `server`".to_owned()),
                    },
                )
            }
            "smithy.api#httpError" => t.http_error = checked(&mut bad, status_code(value)),
            "smithy.api#http" => t.http = checked(&mut bad, http(value)),
            "smithy.api#httpLabel" => t.http_label = true,
            "smithy.api#httpQuery" => t.http_query = checked(&mut bad, text(value)),
            "smithy.api#httpQueryParams" => t.http_query_params = true,
            "smithy.api#httpHeader" => t.http_header = checked(&mut bad, text(value)),
            "smithy.api#httpPrefixHeaders" => t.http_prefix_headers = checked(&mut bad, text(value)),
            "smithy.api#httpPayload" => t.http_payload = true,
            "smithy.api#httpResponseCode" => t.http_response_code = true,
            "smithy.api#httpChecksumRequired" => t.http_checksum_required = true,
            "smithy.api#eventHeader" => t.event_header = true,
            "smithy.api#eventPayload" => t.event_payload = true,
            "smithy.api#endpoint" => {
                t.host_prefix = checked(
                    &mut bad,
                    value
                        .get("hostPrefix")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .ok_or_else(|| "an object with a string `hostPrefix`".to_owned()),
                )
            }
            "smithy.api#hostLabel" => t.host_label = true,
            "smithy.api#input" => t.input = true,
            "smithy.api#output" => t.output = true,
            "smithy.api#mixin" => t.mixin = true,
            "smithy.api#title" => t.title = checked(&mut bad, text(value)),
            "smithy.api#retryable" => {
                t.retryable_throttling = Some(value.get("throttling").and_then(Value::as_bool).unwrap_or(false))
            }
            "smithy.api#paginated" => t.paginated = checked(&mut bad, paginated(value)),
            "aws.protocols#awsJson1_0" | "aws.protocols#awsJson1_1" | "aws.protocols#restJson1" => {
                t.protocols.push(match id.as_str() {
                    "aws.protocols#awsJson1_0" => Protocol::AwsJson1_0,
                    "aws.protocols#awsJson1_1" => Protocol::AwsJson1_1,
                    _ => Protocol::RestJson1,
                });
                let first = value.get("eventStreamHttp").and_then(Value::as_array).and_then(|list| list.first());
                t.event_stream_http2 |= first.and_then(Value::as_str) == Some("h2");
            }
            "aws.auth#sigv4" => t.sigv4_name = checked(&mut bad, field_text(value, "name")),
            "aws.api#service" => {
                t.sdk_id = checked(&mut bad, field_text(value, "sdkId"));
                t.endpoint_prefix = value.get("endpointPrefix").and_then(Value::as_str).map(str::to_owned);
            }
            "smithy.rules#endpointRuleSet" => t.endpoint_rule_set = Some(value.clone()),
            "smithy.rules#clientContextParams" => {
                t.client_context_params = checked(&mut bad, client_context_params(value)).unwrap_or_default()
            }
            "smithy.rules#staticContextParams" => {
                t.static_context_params = checked(&mut bad, static_context_params(value)).unwrap_or_default()
            }
            "smithy.rules#operationContextParams" => {
                t.operation_context_params = checked(&mut bad, operation_context_params(value)).unwrap_or_default()
            }
            "smithy.rules#contextParam" => t.context_param = checked(&mut bad, field_text(value, "name")),
            _ => {
                t.other.insert(id.clone(), value.clone());
            }
        }
        if let Some(expected) = bad {
            let value = node::display(value);
            diags.error(at, format!("malformed `{id}` trait: expected {expected}, found {value}"));
        }
    }
    t.protocols.sort();
    t
}

/// The value of a typed trait, or `None` with `bad` set to what was expected.
fn checked<T>(bad: &mut Option<String>, result: Result<T, String>) -> Option<T> {
    result.map_err(|expected| *bad = Some(expected)).ok()
}

fn text(value: &Value) -> Result<String, String> {
    value.as_str().map(str::to_owned).ok_or_else(|| "a string".to_owned())
}

fn field_text(value: &Value, field: &str) -> Result<String, String> {
    value
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("an object with a string `{field}`"))
}

/// `{"Name": {"type": "boolean", "documentation": "..."}}`.
fn client_context_params(value: &Value) -> Result<Vec<ClientContextParam>, String> {
    let expected = || "an object of parameters, each with a string `type`".to_owned();
    let object = value.as_object().ok_or_else(expected)?;
    object
        .iter()
        .map(|(name, param)| {
            Ok(ClientContextParam {
                name: name.clone(),
                kind: param.get("type").and_then(Value::as_str).ok_or_else(expected)?.to_owned(),
                documentation: param.get("documentation").and_then(Value::as_str).map(str::to_owned),
            })
        })
        .collect()
}

/// `{"Name": {"value": <string, boolean or list of strings>}}`.
fn static_context_params(value: &Value) -> Result<Vec<(String, Value)>, String> {
    let expected = || "an object of parameters, each with a `value`".to_owned();
    let object = value.as_object().ok_or_else(expected)?;
    object.iter().map(|(name, param)| Ok((name.clone(), param.get("value").ok_or_else(expected)?.clone()))).collect()
}

/// `{"Name": {"path": "Keys[*].Key"}}`.
fn operation_context_params(value: &Value) -> Result<Vec<(String, String)>, String> {
    let expected = || "an object of parameters, each with a string `path`".to_owned();
    let object = value.as_object().ok_or_else(expected)?;
    object
        .iter()
        .map(|(name, param)| {
            Ok((name.clone(), param.get("path").and_then(Value::as_str).ok_or_else(expected)?.to_owned()))
        })
        .collect()
}

fn number(value: Option<&Value>, expected: &str) -> Result<Option<serde_json::Number>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n.clone())),
        Some(other) => match node::as_big_number(other) {
            // Generated checks compare with 64-bit values.
            Some(literal) => {
                Err(format!("{expected}; {literal} is beyond the 64-bit numbers the generated checks use"))
            }
            None => Err(expected.to_owned()),
        },
    }
}

fn bounds(value: &Value, non_negative_integers: bool) -> Result<Bounds, String> {
    let expected = if non_negative_integers {
        "an object with non-negative integer `min`/`max`, min <= max"
    } else {
        "an object with numeric `min`/`max`, min <= max"
    };
    if !value.is_object() {
        return Err(expected.to_owned());
    }
    let min = number(value.get("min"), expected)?;
    let max = number(value.get("max"), expected)?;
    if non_negative_integers && [&min, &max].into_iter().flatten().any(|n| n.as_u64().is_none()) {
        return Err(expected.to_owned());
    }
    if let (Some(lo), Some(hi)) = (&min, &max) {
        if lo.as_f64().unwrap_or(f64::NAN) > hi.as_f64().unwrap_or(f64::NAN) {
            return Err(format!("{expected} (min {lo} > max {hi})"));
        }
    }
    Ok(Bounds { min, max })
}

/// `smithy.api#paginated`: an object whose four properties, each optional, are strings.
fn paginated(value: &Value) -> Result<Paginated, String> {
    let expected = || "an object with optional string `inputToken`, `outputToken`, `items` and `pageSize`".to_owned();
    let object = value.as_object().ok_or_else(expected)?;
    let mut trait_value = Paginated::default();
    for (key, field) in object {
        let slot = match key.as_str() {
            "inputToken" => &mut trait_value.input_token,
            "outputToken" => &mut trait_value.output_token,
            "items" => &mut trait_value.items,
            "pageSize" => &mut trait_value.page_size,
            _ => return Err(expected()),
        };
        *slot = Some(field.as_str().filter(|name| !name.is_empty()).ok_or_else(expected)?.to_owned());
    }
    Ok(trait_value)
}

fn status_code(value: &Value) -> Result<u16, String> {
    value
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (100..=599).contains(c))
        .ok_or_else(|| "an HTTP status code (100-599)".to_owned())
}

fn http(value: &Value) -> Result<Http, String> {
    let expected = "an object with `method`, a `uri` starting with `/`, and an optional `code`";
    let method = value.get("method").and_then(Value::as_str).filter(|m| !m.is_empty());
    let uri = value.get("uri").and_then(Value::as_str).filter(|u| u.starts_with('/'));
    let code = match value.get("code") {
        None => Some(200),
        Some(code) => status_code(code).ok(),
    };
    match (method, uri, code) {
        (Some(method), Some(uri), Some(code)) => Ok(Http { method: method.to_owned(), uri: uri.to_owned(), code }),
        _ => Err(expected.to_owned()),
    }
}
