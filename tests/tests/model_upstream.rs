//! Drift test: every fact in `model/*.json` (except documentation) must match the
//! upstream AWS models in `../shared/aws-models/`.
//!
//! For each of our model files the test computes the closure of the service's
//! operations (operation -> input, output, errors; structure/union -> member
//! targets; list -> member; map -> key and value) and checks, shape by shape, that
//! upstream has the same type, the same members in the same order with the same
//! targets, and the same traits once `smithy.api#documentation` is removed. It also
//! checks that both closures hold the same shapes and that the service shape agrees
//! on version, protocol, SigV4 name and `aws.api#service` identifiers.
//!
//! Every difference is collected and reported at once, each naming the shape ID
//! (and member) concerned.

use serde_json::{Map, Value};
use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

/// The documentation trait, the only trait allowed to differ from upstream.
const DOC: &str = "smithy.api#documentation";
/// Namespace of the Smithy prelude; targets in it are not followed.
const PRELUDE: &str = "smithy.api#";
/// Our model files (`model/<name>.json`), each also named so upstream.
const MODELS: &[&str] = &["personalize", "iot"];

/// `model/` of this project.
fn our_model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../model")
}

/// Folder of upstream AWS models, shared next to the project checkout.
fn upstream_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/aws-models")
}

/// Member order is only observable if serde_json keeps object keys in document
/// order (its `preserve_order` feature, enabled in this workspace through
/// `codegen`). Without it every order check would pass vacuously, so refuse to run.
fn assert_key_order_preserved() {
    let v: Value = serde_json::from_str(r#"{"b": 0, "a": 0}"#).expect("literal JSON parses");
    let keys: Vec<&String> = v.as_object().expect("literal is an object").keys().collect();
    assert_eq!(
        keys,
        ["b", "a"],
        "serde_json sorts object keys: enable its `preserve_order` feature for integration-tests, \
         otherwise member order cannot be compared"
    );
}

/// Reads and parses a JSON file, panicking with a message naming the file.
fn load_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// The `shapes` object of a Smithy JSON AST model (empty if absent).
fn shapes(model: &Value) -> Map<String, Value> {
    model.get("shapes").and_then(Value::as_object).cloned().unwrap_or_default()
}

/// The `target` of a member-like object (`{"target": ...}`), if any.
fn target_of(v: &Value) -> Option<&str> {
    v.get("target").and_then(Value::as_str)
}

/// Targets of a list of references such as `errors` or `operations`.
fn targets_in(shape: &Value, key: &str) -> Vec<String> {
    shape
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(target_of).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Shapes a shape refers to directly, as (where, target) pairs, in model order.
/// `where` is `ID` or `ID$member` and is used in messages.
fn direct_refs(id: &str, shape: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match shape.get("type").and_then(Value::as_str).unwrap_or("") {
        "operation" => {
            for key in ["input", "output"] {
                if let Some(t) = shape.get(key).and_then(target_of) {
                    out.push((format!("{id} ({key})"), t.to_owned()));
                }
            }
            for t in targets_in(shape, "errors") {
                out.push((format!("{id} (errors)"), t));
            }
        }
        "structure" | "union" => {
            if let Some(members) = shape.get("members").and_then(Value::as_object) {
                for (name, m) in members {
                    if let Some(t) = target_of(m) {
                        out.push((format!("{id}${name}"), t.to_owned()));
                    }
                }
            }
        }
        "list" | "set" | "map" => {
            for key in ["member", "key", "value"] {
                if let Some(t) = shape.get(key).and_then(target_of) {
                    out.push((format!("{id}${key}"), t.to_owned()));
                }
            }
        }
        _ => {}
    }
    out
}

/// Closure of `roots` in `shapes`, in breadth-first order (prelude shapes
/// excluded). The second vector describes references to shapes that are not
/// defined in `shapes`.
fn closure(shapes: &Map<String, Value>, roots: &[String]) -> (Vec<String>, Vec<String>) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut order = Vec::new();
    let mut dangling = Vec::new();
    let mut queue: VecDeque<(String, String)> =
        roots.iter().map(|r| ("service operations".to_owned(), r.clone())).collect();
    while let Some((from, id)) = queue.pop_front() {
        if id.starts_with(PRELUDE) || !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = shapes.get(&id) else {
            dangling.push(format!("{from}: target {id} is not defined"));
            continue;
        };
        order.push(id.clone());
        queue.extend(direct_refs(&id, shape));
    }
    (order, dangling)
}

/// The single service shape of a model, as (ID, shape).
fn service_of(shapes: &Map<String, Value>) -> Option<(String, Value)> {
    shapes
        .iter()
        .find(|(_, s)| s.get("type").and_then(Value::as_str) == Some("service"))
        .map(|(id, s)| (id.clone(), s.clone()))
}

/// All operations bound to a service, directly or through (nested) resources.
fn bound_operations(shapes: &Map<String, Value>, service: &Value) -> HashSet<String> {
    let mut ops: HashSet<String> = targets_in(service, "operations").into_iter().collect();
    let mut resources = targets_in(service, "resources");
    let mut visited = HashSet::new();
    while let Some(r) = resources.pop() {
        if !visited.insert(r.clone()) {
            continue;
        }
        let Some(res) = shapes.get(&r) else { continue };
        for key in ["operations", "collectionOperations"] {
            ops.extend(targets_in(res, key));
        }
        for key in ["create", "put", "read", "update", "delete", "list"] {
            if let Some(t) = res.get(key).and_then(target_of) {
                ops.insert(t.to_owned());
            }
        }
        resources.extend(targets_in(res, "resources"));
    }
    ops
}

/// The `traits` object of a shape or member without documentation (empty if absent).
fn traits_without_docs(v: &Value) -> Map<String, Value> {
    let mut t = v.get("traits").and_then(Value::as_object).cloned().unwrap_or_default();
    t.remove(DOC);
    t
}

/// Records every trait that differs between `ours` and `upstream` for `what`
/// (a shape ID or `ID$member`).
fn compare_traits(what: &str, ours: &Value, upstream: &Value, diffs: &mut Vec<String>) {
    let a = traits_without_docs(ours);
    let b = traits_without_docs(upstream);
    for (k, va) in &a {
        match b.get(k) {
            None => diffs.push(format!("{what}: trait {k} = {va} is not upstream")),
            Some(vb) if vb != va => diffs.push(format!("{what}: trait {k} differs: ours {va}, upstream {vb}")),
            Some(_) => {}
        }
    }
    for (k, vb) in &b {
        if !a.contains_key(k) {
            diffs.push(format!("{what}: trait {k} = {vb} is missing (upstream has it)"));
        }
    }
}

/// Compares a member-like object (target and traits) of `id`, named `name`.
fn compare_member(id: &str, name: &str, ours: &Value, upstream: &Value, diffs: &mut Vec<String>) {
    let what = format!("{id}${name}");
    let (ta, tb) = (target_of(ours), target_of(upstream));
    if ta != tb {
        diffs.push(format!(
            "{what}: target differs: ours {}, upstream {}",
            ta.unwrap_or("<none>"),
            tb.unwrap_or("<none>")
        ));
    }
    compare_traits(&what, ours, upstream, diffs);
}

/// Compares one shape of our closure with the upstream shape of the same ID.
fn compare_shape(id: &str, ours: &Value, upstream: &Value, diffs: &mut Vec<String>) {
    let (ta, tb) = (ours.get("type"), upstream.get("type"));
    if ta != tb {
        diffs.push(format!(
            "{id}: type differs: ours {}, upstream {}",
            ta.unwrap_or(&Value::Null),
            tb.unwrap_or(&Value::Null)
        ));
        return;
    }
    compare_traits(id, ours, upstream, diffs);

    // Named members (structure, union, enum, intEnum): same names, same order.
    let empty = Map::new();
    let ma = ours.get("members").and_then(Value::as_object).unwrap_or(&empty);
    let mb = upstream.get("members").and_then(Value::as_object).unwrap_or(&empty);
    let na: Vec<&String> = ma.keys().collect();
    let nb: Vec<&String> = mb.keys().collect();
    if na != nb {
        diffs.push(format!("{id}: members differ: ours {na:?}, upstream {nb:?}"));
    }
    for (name, a) in ma {
        if let Some(b) = mb.get(name) {
            compare_member(id, name, a, b, diffs);
        }
    }

    // List member, map key and value.
    for key in ["member", "key", "value"] {
        match (ours.get(key), upstream.get(key)) {
            (Some(a), Some(b)) => compare_member(id, key, a, b, diffs),
            (None, None) => {}
            (a, b) => diffs.push(format!("{id}: `{key}` present in ours: {}, upstream: {}", a.is_some(), b.is_some())),
        }
    }

    // Operation bindings.
    for key in ["input", "output"] {
        let (a, b) = (ours.get(key).and_then(target_of), upstream.get(key).and_then(target_of));
        if a != b {
            diffs.push(format!(
                "{id}: {key} differs: ours {}, upstream {}",
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            ));
        }
    }
    let (ea, eb) = (targets_in(ours, "errors"), targets_in(upstream, "errors"));
    if ea != eb {
        diffs.push(format!("{id}: errors differ: ours {ea:?}, upstream {eb:?}"));
    }

    // Anything else on the shape (e.g. mixins) must be identical.
    const HANDLED: &[&str] = &["type", "traits", "members", "member", "key", "value", "input", "output", "errors"];
    let keys: HashSet<&String> = ours
        .as_object()
        .into_iter()
        .chain(upstream.as_object())
        .flat_map(|o| o.keys())
        .filter(|k| !HANDLED.contains(&k.as_str()))
        .collect();
    let mut keys: Vec<&String> = keys.into_iter().collect();
    keys.sort();
    for k in keys {
        if ours.get(k) != upstream.get(k) {
            diffs.push(format!(
                "{id}: `{k}` differs: ours {}, upstream {}",
                ours.get(k).unwrap_or(&Value::Null),
                upstream.get(k).unwrap_or(&Value::Null)
            ));
        }
    }
}

/// The service traits of endpoint resolution, compared whole with upstream.
const ENDPOINT_TRAITS: &[&str] =
    &["smithy.rules#endpointRuleSet", "smithy.rules#endpointTests", "smithy.rules#clientContextParams"];

/// Compares the service shapes: version, protocol traits, SigV4 name,
/// `aws.api#service` sdkId and endpointPrefix, the endpoint traits, and that every
/// one of our operations is bound to the upstream service.
fn compare_service(id: &str, ours: &Value, up_shapes: &Map<String, Value>, diffs: &mut Vec<String>) {
    let Some(upstream) = up_shapes.get(id) else {
        diffs.push(format!("{id}: service is not in the upstream model"));
        return;
    };
    if ours.get("version") != upstream.get("version") {
        diffs.push(format!(
            "{id}: version differs: ours {}, upstream {}",
            ours.get("version").unwrap_or(&Value::Null),
            upstream.get("version").unwrap_or(&Value::Null)
        ));
    }
    let (ta, tb) = (traits_without_docs(ours), traits_without_docs(upstream));
    let protocols = |t: &Map<String, Value>| -> Vec<(String, Value)> {
        t.iter().filter(|(k, _)| k.starts_with("aws.protocols#")).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    if protocols(&ta) != protocols(&tb) {
        diffs.push(format!("{id}: protocol traits differ: ours {:?}, upstream {:?}", protocols(&ta), protocols(&tb)));
    }
    let field = |t: &Map<String, Value>, trait_id: &str, f: &str| t.get(trait_id).and_then(|v| v.get(f)).cloned();
    for (trait_id, f) in
        [("aws.auth#sigv4", "name"), ("aws.api#service", "sdkId"), ("aws.api#service", "endpointPrefix")]
    {
        let (a, b) = (field(&ta, trait_id, f), field(&tb, trait_id, f));
        if a.is_none() || a != b {
            diffs.push(format!("{id}: {trait_id} {f} differs: ours {a:?}, upstream {b:?}"));
        }
    }
    // Endpoints come from the service's rule set, tested by its own cases: both must be
    // upstream's, whole.
    for trait_id in ENDPOINT_TRAITS {
        match (ta.get(*trait_id), tb.get(*trait_id)) {
            (None, None) => {}
            (Some(_), None) => diffs.push(format!("{id}: trait {trait_id} is not upstream")),
            (None, Some(_)) => diffs.push(format!("{id}: trait {trait_id} is missing (upstream has it)")),
            (Some(a), Some(b)) if a != b => diffs.push(format!("{id}: trait {trait_id} differs from upstream")),
            _ => {}
        }
    }
    let upstream_ops = bound_operations(up_shapes, upstream);
    for op in targets_in(ours, "operations") {
        if !upstream_ops.contains(&op) {
            diffs.push(format!("{id}: operation {op} is not bound to the upstream service"));
        }
    }
}

/// Compares our model with the upstream one and returns every difference found,
/// each message naming the shape ID (and member) concerned. Empty means they agree.
pub fn compare_models(ours: &Value, upstream: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let our_shapes = shapes(ours);
    let up_shapes = shapes(upstream);
    let Some((service_id, service)) = service_of(&our_shapes) else {
        return vec!["our model has no service shape".to_owned()];
    };
    let ops = targets_in(&service, "operations");
    compare_service(&service_id, &service, &up_shapes, &mut diffs);

    let (our_closure, dangling) = closure(&our_shapes, &ops);
    diffs.extend(dangling);
    let (up_closure, _) = closure(&up_shapes, &ops);

    for id in &our_closure {
        match up_shapes.get(id) {
            None => diffs.push(format!("{id}: not in the upstream model")),
            Some(up) => compare_shape(id, &our_shapes[id], up, &mut diffs),
        }
    }

    let ours_set: HashSet<&String> = our_closure.iter().collect();
    let up_set: HashSet<&String> = up_closure.iter().collect();
    for id in &up_closure {
        if !ours_set.contains(id) {
            diffs.push(format!("{id}: in the upstream closure of our operations but missing from ours"));
        }
    }
    for id in &our_closure {
        if up_shapes.contains_key(id) && !up_set.contains(id) {
            diffs.push(format!("{id}: in our closure but not in the upstream closure of our operations"));
        }
    }
    for id in our_shapes.keys() {
        if *id != service_id && !ours_set.contains(id) {
            diffs.push(format!("{id}: defined in our model but not reachable from {service_id}"));
        }
    }
    diffs
}

/// Loads `model/<name>.json` and the upstream model of the same name.
fn load_pair(name: &str) -> (Value, Value) {
    let ours = load_json(&our_model_dir().join(format!("{name}.json")));
    let upstream = load_json(&upstream_dir().join(format!("{name}.json")));
    (ours, upstream)
}

#[test]
fn models_match_upstream() {
    if !upstream_dir().is_dir() {
        println!("skipping: ../shared/aws-models not found");
        return;
    }
    assert_key_order_preserved();
    let mut all = Vec::new();
    for name in MODELS {
        let (ours, upstream) = load_pair(name);
        let (closure_ids, _) = closure(
            &shapes(&ours),
            &service_of(&shapes(&ours)).map(|(_, s)| targets_in(&s, "operations")).unwrap_or_default(),
        );
        println!("model/{name}.json: {} shapes in the closure", closure_ids.len());
        all.extend(compare_models(&ours, &upstream).into_iter().map(|d| format!("model/{name}.json: {d}")));
    }
    assert!(all.is_empty(), "{} difference(s) from upstream:\n{}", all.len(), all.join("\n"));
}

#[test]
fn comparison_reports_mutations() {
    if !upstream_dir().is_dir() {
        println!("skipping: ../shared/aws-models not found");
        return;
    }
    assert_key_order_preserved();
    let (mut ours, upstream) = load_pair("personalize");
    let shapes =
        ours.get_mut("shapes").and_then(Value::as_object_mut).expect("model/personalize.json has a `shapes` object");

    // 1. A constraint trait: Name's length max 63 -> 64.
    let name = "com.amazonaws.personalize#Name";
    shapes
        .get_mut(name)
        .and_then(|s| s.pointer_mut("/traits/smithy.api#length/max"))
        .map(|max| *max = Value::from(64))
        .expect("model/personalize.json: Name has a length max");

    // 2. A member target: Arn -> RoleArn (both stay in the closure, so this is the
    //    only consequence).
    let response = "com.amazonaws.personalize#CreateMetricAttributionResponse";
    shapes
        .get_mut(response)
        .and_then(|s| s.pointer_mut("/members/metricAttributionArn/target"))
        .map(|t| *t = Value::from("com.amazonaws.personalize#RoleArn"))
        .expect("model/personalize.json: CreateMetricAttributionResponse$metricAttributionArn exists");

    // 3. The endpoint rules: one parameter's documentation changed, the tests removed.
    let service = "com.amazonaws.personalize#AmazonPersonalize";
    let traits = shapes
        .get_mut(service)
        .and_then(|s| s.get_mut("traits"))
        .and_then(Value::as_object_mut)
        .expect("model/personalize.json: the service has traits");
    traits
        .get_mut("smithy.rules#endpointRuleSet")
        .and_then(|rules| rules.pointer_mut("/parameters/Region/documentation"))
        .map(|doc| *doc = Value::from("changed"))
        .expect("model/personalize.json: the rule set has a Region parameter");
    traits.remove("smithy.rules#endpointTests").expect("model/personalize.json: the service has endpoint tests");

    let diffs = compare_models(&ours, &upstream);
    assert_eq!(diffs.len(), 4, "expected exactly four differences, got:\n{}", diffs.join("\n"));
    for expected in [
        format!("{service}: trait smithy.rules#endpointRuleSet differs from upstream"),
        format!("{service}: trait smithy.rules#endpointTests is missing (upstream has it)"),
    ] {
        assert!(diffs.contains(&expected), "`{expected}` not reported:\n{}", diffs.join("\n"));
    }
    assert!(
        diffs.iter().any(|d| d.starts_with(&format!("{name}: trait smithy.api#length differs"))
            && d.contains("64")
            && d.contains("63")),
        "length change not reported as expected:\n{}",
        diffs.join("\n")
    );
    assert!(
        diffs.iter().any(|d| d.starts_with(&format!("{response}$metricAttributionArn: target differs"))
            && d.contains("ours com.amazonaws.personalize#RoleArn")
            && d.contains("upstream com.amazonaws.personalize#Arn")),
        "target change not reported as expected:\n{}",
        diffs.join("\n")
    );
}
