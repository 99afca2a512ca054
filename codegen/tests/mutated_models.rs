//! Models broken at random (deterministically): members retargeted at any shape (operations,
//! services, themselves), shape types swapped, properties removed, traits and bindings added.
//! The generator reports or generates; it never panics and never emits code that does not parse.

use serde_json::{json, Value};

/// xorshift64: the same sequence on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const KINDS: &[&str] = &[
    "structure",
    "union",
    "list",
    "map",
    "string",
    "integer",
    "enum",
    "intEnum",
    "operation",
    "service",
    "resource",
    "timestamp",
    "blob",
    "document",
];

const MEMBER_TRAITS: &[&str] = &[
    "smithy.api#httpLabel",
    "smithy.api#httpPayload",
    "smithy.api#required",
    "smithy.api#idempotencyToken",
    "smithy.api#httpQueryParams",
    "smithy.api#httpResponseCode",
    "smithy.api#hostLabel",
];

/// Breaks one to four shapes of `model`; `ids` are the shape IDs to point things at.
fn mutate(model: &mut Value, ids: &[String], rng: &mut Rng) {
    let Some(shapes) = model["shapes"].as_object_mut() else { return };
    let keys: Vec<String> = shapes.keys().cloned().collect();
    for _ in 0..=rng.below(4) {
        let Some(shape) = shapes.get_mut(rng.pick(&keys)) else { continue };
        let target = json!({ "target": rng.pick(ids) });
        let member_names: Vec<String> =
            shape.get("members").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
        match rng.below(9) {
            0 if !member_names.is_empty() => shape["members"][rng.pick(&member_names)] = target,
            0 => {
                let key = *rng.pick(&["member", "key", "value", "input", "output"]);
                shape[key] = target;
            }
            1 => shape["type"] = json!(rng.pick(KINDS)),
            2 => {
                let properties: Vec<String> =
                    shape.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
                if let (Some(object), false) = (shape.as_object_mut(), properties.is_empty()) {
                    object.remove(rng.pick(&properties));
                }
            }
            3 => {
                let defaults = [json!("x"), json!(1), json!([]), json!({}), json!(1.5), json!(null), json!(true)];
                shape["traits"]["smithy.api#default"] = rng.pick(&defaults).clone();
            }
            4 => {
                shape["mixins"] = json!([target]);
                shape["traits"]["smithy.api#mixin"] = json!({});
            }
            5 => {
                shape["traits"]["smithy.api#http"] = json!({ "method": "GET", "uri": "/a/{x}/{y+}?q=1" });
                shape["traits"]["smithy.api#endpoint"] = json!({ "hostPrefix": "{z}." });
            }
            6 => shape["errors"] = json!([target]),
            7 if !member_names.is_empty() => {
                let name = rng.pick(&member_names).clone();
                shape["members"][name]["traits"][rng.pick(MEMBER_TRAITS)] = json!({});
            }
            _ => {
                shape["resources"] = json!([target]);
                shape["operations"] = json!([{ "target": rng.pick(ids) }]);
            }
        }
    }
}

#[test]
fn broken_models_are_reported_or_generated_never_a_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seeds: Vec<Value> = ["model/iot.json", "tests/fixtures/shapes.json", "tests/fixtures/names.json"]
        .iter()
        .map(|path| serde_json::from_str(&std::fs::read_to_string(root.join(path)).expect("read")).expect("JSON"))
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let options = codegen::CrateOptions::new("mutated", vec![]);
    for round in 0..1000 {
        let mut model = seeds[round % seeds.len()].clone();
        let mut ids: Vec<String> = model["shapes"].as_object().map(|s| s.keys().cloned().collect()).unwrap_or_default();
        ids.extend(["smithy.api#String".to_owned(), "smithy.api#Unit".to_owned()]);
        mutate(&mut model, &ids, &mut rng);
        let text = model.to_string();
        let outcome = std::panic::catch_unwind(|| codegen::generate_from_texts(&[("m.json", text.as_str())], &options));
        match outcome {
            Err(_) => panic!("round {round} panicked on:\n{text}"),
            Ok(Err(codegen::GenerateError::Internal(message))) => panic!("round {round}: {message}\n{text}"),
            Ok(_) => {}
        }
    }
}
