//! The model commands on small upstream models in temporary directories, and `model/` checked
//! against the AWS models it was taken from.

use super::*;
use serde_json::{json, Value};

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("xtask-model-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("model")).expect("create the temporary model dir");
        TempDir(dir)
    }

    fn model_dir(&self) -> PathBuf {
        self.0.join("model")
    }

    fn write(&self, name: &str, model: &Value) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(model).expect("serialize")).expect("write");
        path
    }

    /// Every file of `model/` with its contents.
    fn snapshot(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = std::fs::read_dir(self.model_dir())
            .expect("read model dir")
            .filter_map(Result::ok)
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).expect("read")))
            .collect();
        files.sort();
        files
    }

    fn model(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.model_dir().join(name)).expect("read the model file");
        serde_json::from_str(&text).expect("JSON")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An upstream model: a service binding `GetThing` directly and `ListThings`, `DeleteThing`
/// through a resource; shared and private shapes; an enum; an unused shape.
fn upstream() -> Value {
    json!({
        "smithy": "2.0",
        "metadata": {"suppressions": []},
        "shapes": {
            "ex.things#Things": {
                "type": "service", "version": "2024-01-01",
                "operations": [{"target": "ex.things#GetThing"}],
                "resources": [{"target": "ex.things#ThingResource"}],
                "errors": [{"target": "ex.things#Throttled"}],
                "traits": {
                    "aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "things"},
                    "aws.api#service": {"sdkId": "Things"},
                    "smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {}, "rules": []},
                    "smithy.api#documentation": "Upstream service docs."
                }
            },
            "ex.things#ThingResource": {
                "type": "resource",
                "list": {"target": "ex.things#ListThings"},
                "operations": [{"target": "ex.things#DeleteThing"}]
            },
            "ex.things#GetThing": {
                "type": "operation",
                "input": {"target": "ex.things#GetThingInput"},
                "output": {"target": "ex.things#Thing"},
                "errors": [{"target": "ex.things#NotFound"}]
            },
            "ex.things#ListThings": {
                "type": "operation",
                "input": {"target": "ex.things#ListThingsInput"},
                "output": {"target": "ex.things#ListThingsOutput"}
            },
            "ex.things#DeleteThing": {"type": "operation", "input": {"target": "ex.things#GetThingInput"}},
            "ex.things#GetThingInput": {
                "type": "structure",
                "members": {"name": {"target": "ex.things#Name", "traits": {"smithy.api#required": {}}}}
            },
            "ex.things#ListThingsInput": {"type": "structure", "members": {"max": {"target": "smithy.api#Integer"}}},
            "ex.things#ListThingsOutput": {"type": "structure", "members": {"things": {"target": "ex.things#ThingList"}}},
            "ex.things#ThingList": {"type": "list", "member": {"target": "ex.things#Thing"}},
            "ex.things#Thing": {
                "type": "structure",
                "members": {
                    "name": {"target": "ex.things#Name", "traits": {"smithy.api#documentation": "Upstream name docs."}},
                    "color": {"target": "ex.things#Color"}
                },
                "traits": {"smithy.api#documentation": "Upstream thing docs."}
            },
            "ex.things#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 64}}},
            "ex.things#Color": {
                "type": "enum",
                "members": {
                    "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
                    "BLUE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "blue"}}
                }
            },
            "ex.things#NotFound": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}},
            "ex.things#Throttled": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}},
            "ex.things#Unused": {"type": "string"}
        }
    })
}

fn args(from: &Path, operations: &[&str]) -> Args {
    Args {
        from: Some(from.to_owned()),
        operations: operations.iter().map(|s| s.to_string()).collect(),
        ..Args::default()
    }
}

fn shape_ids(model: &Value) -> Vec<String> {
    model["shapes"].as_object().expect("shapes").keys().cloned().collect()
}

#[test]
fn add_takes_the_closure_then_merges_and_twice_changes_nothing() {
    let dir = TempDir::new("add");
    let from = dir.write("things.json", &upstream());
    add(&args(&from, &["GetThing"]), &dir.model_dir()).expect("add GetThing");
    let model = dir.model("things.json");
    assert_eq!(
        shape_ids(&model),
        [
            "ex.things#Color",
            "ex.things#GetThing",
            "ex.things#GetThingInput",
            "ex.things#Name",
            "ex.things#NotFound",
            "ex.things#Thing",
            "ex.things#Things",
            "ex.things#Throttled"
        ]
    );
    let service = &model["shapes"]["ex.things#Things"];
    assert_eq!(service["operations"], json!([{"target": "ex.things#GetThing"}]));
    assert!(service.get("resources").is_none());
    assert!(service["traits"].get("smithy.rules#endpointRuleSet").is_some(), "service traits are kept");
    assert!(model.get("metadata").is_none());

    let before = dir.snapshot();
    add(&args(&from, &["GetThing"]), &dir.model_dir()).expect("add again");
    assert_eq!(dir.snapshot(), before, "adding twice changes nothing");

    // An operation bound through a resource, by shape ID; the shared shapes stay once.
    add(&args(&from, &["ex.things#ListThings"]), &dir.model_dir()).expect("add ListThings");
    let model = dir.model("things.json");
    let ops = &model["shapes"]["ex.things#Things"]["operations"];
    assert_eq!(ops, &json!([{"target": "ex.things#GetThing"}, {"target": "ex.things#ListThings"}]));
    assert!(shape_ids(&model).contains(&"ex.things#ThingList".to_owned()));
    assert!(!shape_ids(&model).contains(&"ex.things#Unused".to_owned()));
}

#[test]
fn bad_input_is_a_clear_error_and_model_stays_untouched() {
    let dir = TempDir::new("bad");
    let from = dir.write("things.json", &upstream());
    add(&args(&from, &["GetThing"]), &dir.model_dir()).expect("add GetThing");
    let before = dir.snapshot();

    let err = add(&args(&from, &["GetThng"]), &dir.model_dir()).expect_err("unknown operation");
    assert!(err.contains("no operation `GetThng`") && err.contains("close matches: `GetThing`"), "{err}");

    let not_ast = dir.write("not-ast.json", &json!({"shapes": []}));
    let err = add(&args(&not_ast, &["GetThing"]), &dir.model_dir()).expect_err("not an AST");
    assert!(err.contains("not-ast.json: not a Smithy JSON AST model"), "{err}");

    let mut two = upstream();
    two["shapes"]["ex.things#Other"] = json!({"type": "service", "version": "1"});
    let two = dir.write("two.json", &two);
    let err = add(&args(&two, &["GetThing"]), &dir.model_dir()).expect_err("two services");
    assert!(err.contains("more than one service"), "{err}");

    // A local shape edited beyond its documentation conflicts with upstream.
    let path = dir.model_dir().join("things.json");
    let mut local = dir.model("things.json");
    local["shapes"]["ex.things#Name"]["traits"]["smithy.api#length"]["max"] = json!(10);
    std::fs::write(&path, serde_json::to_string_pretty(&local).expect("json")).expect("write");
    let before_conflict = dir.snapshot();
    let err = add(&args(&from, &["ListThings"]), &dir.model_dir()).expect_err("conflict");
    assert!(err.contains("`ex.things#Name`") && err.contains("model update"), "{err}");
    assert_eq!(dir.snapshot(), before_conflict);
    assert_ne!(before, before_conflict);
}

#[test]
fn update_reports_changes_keeps_local_docs_and_check_fails_on_a_difference() {
    let dir = TempDir::new("update");
    let from = dir.write("things.json", &upstream());
    add(&args(&from, &["GetThing"]), &dir.model_dir()).expect("add GetThing");
    // The project's own wording.
    let path = dir.model_dir().join("things.json");
    let mut local = dir.model("things.json");
    local["shapes"]["ex.things#Thing"]["traits"]["smithy.api#documentation"] = json!("Our thing docs.");
    local["shapes"]["ex.things#Thing"]["members"]["name"]["traits"]["smithy.api#documentation"] = json!("Ours.");
    std::fs::write(&path, serde_json::to_string_pretty(&local).expect("json") + "\n").expect("write");
    let update_args = |from: &Path| Args { from: Some(from.to_owned()), ..Args::default() };
    let report = update(&update_args(&from), &dir.model_dir()).expect("normalizing update");
    assert!(report.contains("Upstream documentation not taken"), "{report}");
    assert!(!report.contains("Breaking"), "{report}");
    let normalized = dir.snapshot();
    assert_eq!(
        dir.model("things.json")["shapes"]["ex.things#Thing"]["traits"]["smithy.api#documentation"],
        "Our thing docs."
    );
    let check = Args { check: true, ..update_args(&from) };
    update(&check, &dir.model_dir()).expect("up to date");

    // A newer upstream.
    let mut newer = upstream();
    let shapes = &mut newer["shapes"];
    shapes["ex.things#Name"]["traits"]["smithy.api#length"]["max"] = json!(32);
    shapes["ex.things#Thing"]["members"].as_object_mut().expect("members").shift_remove("color");
    shapes["ex.things#GetThingInput"]["members"]["tag"] =
        json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
    shapes["ex.things#Thing"]["traits"]["smithy.api#documentation"] = json!("Newer upstream docs.");
    let newer = dir.write("newer.json", &newer);
    let err = update(&Args { check: true, ..update_args(&newer) }, &dir.model_dir()).expect_err("differs");
    assert!(err.contains("differs from what"), "{err}");
    assert_eq!(dir.snapshot(), normalized, "--check writes nothing");

    let report = update(&update_args(&newer), &dir.model_dir()).expect("update");
    let breaking = report.split("### ").find(|s| s.starts_with("Breaking")).expect("a breaking section");
    for expected in [
        "`ex.things#Name`: length tightened",
        "`ex.things#Thing$color` removed (or renamed)",
        "`ex.things#GetThingInput$tag` added as a required member",
    ] {
        assert!(breaking.contains(expected), "{expected} in {report}");
    }
    assert!(report.contains("removed `ex.things#Color` (enum)"), "{report}");
    let model = dir.model("things.json");
    assert_eq!(model["shapes"]["ex.things#Thing"]["traits"]["smithy.api#documentation"], "Our thing docs.");
    assert!(model["shapes"].get("ex.things#Color").is_none(), "no longer reachable");

    // Upstream's wording on request.
    update(&Args { docs: Some(Docs::Upstream), ..update_args(&newer) }, &dir.model_dir()).expect("docs upstream");
    let model = dir.model("things.json");
    assert_eq!(model["shapes"]["ex.things#Thing"]["traits"]["smithy.api#documentation"], "Newer upstream docs.");
}

#[test]
fn remove_drops_what_no_kept_operation_needs() {
    let dir = TempDir::new("remove");
    let from = dir.write("things.json", &upstream());
    add(&args(&from, &["GetThing", "ListThings", "DeleteThing"]), &dir.model_dir()).expect("add");
    let remove_args =
        |ops: &[&str]| Args { operations: ops.iter().map(|s| s.to_string()).collect(), ..Args::default() };
    remove(&remove_args(&["ListThings", "DeleteThing"]), &dir.model_dir()).expect("remove");
    let model = dir.model("things.json");
    let ids = shape_ids(&model);
    assert!(!ids.contains(&"ex.things#ListThings".to_owned()) && !ids.contains(&"ex.things#ThingList".to_owned()));
    assert!(ids.contains(&"ex.things#GetThingInput".to_owned()), "still needed by GetThing");
    assert_eq!(model["shapes"]["ex.things#Things"]["operations"], json!([{"target": "ex.things#GetThing"}]));

    let before = dir.snapshot();
    let err = remove(&remove_args(&["GetThing"]), &dir.model_dir()).expect_err("last operation");
    assert!(err.contains("leaves no operation"), "{err}");
    let err = remove(&remove_args(&["Nope"]), &dir.model_dir()).expect_err("unknown");
    assert!(err.contains("lists operation `Nope`"), "{err}");
    assert_eq!(dir.snapshot(), before);
}

/// `model/` is what `model update` gives from the AWS models it was taken from: every fact
/// but documentation comes from upstream.
#[test]
fn model_files_are_up_to_date_with_upstream() {
    let root = crate::workspace_root();
    let upstream_dir = root.join("../shared/aws-models");
    if !upstream_dir.is_dir() {
        println!("skipping: {} not found", upstream_dir.display());
        return;
    }
    let mut stale = Vec::new();
    for path in model_files(&root.join("model")).expect("model/") {
        let from = upstream_dir.join(path.file_name().expect("a file name"));
        let check = Args { from: Some(from), check: true, ..Args::default() };
        if let Err(err) = update(&check, &root.join("model")) {
            stale.push(err);
        }
    }
    assert!(
        stale.is_empty(),
        "run `cargo xtask model update --from ../shared/aws-models/<file>`:\n{}",
        stale.join("\n")
    );
}

/// `model add` of the three operations from the AWS models reproduces every fact of `model/`
/// (documentation aside).
#[test]
fn adding_the_three_operations_from_upstream_reproduces_model() {
    let root = crate::workspace_root();
    let upstream_dir = root.join("../shared/aws-models");
    if !upstream_dir.is_dir() {
        println!("skipping: {} not found", upstream_dir.display());
        return;
    }
    let dir = TempDir::new("round-trip");
    let adds = [
        ("iot.json", &["CreateCustomMetric"][..]),
        ("personalize.json", &["CreateMetricAttribution", "DescribeMetricAttribution"]),
    ];
    for (file, operations) in adds {
        add(&args(&upstream_dir.join(file), operations), &dir.model_dir()).expect("add from upstream");
        let ours = read(&root.join("model").join(file)).expect("model/ file");
        let fresh = read(&dir.model_dir().join(file)).expect("added file");
        let fresh = Built { shapes: fresh.model.shapes, docs_kept: Vec::new() };
        assert_eq!(conflicts(&ours.model, &fresh), Vec::<String>::new(), "{file}");
        let (a, b): (Vec<&String>, Vec<&String>) = (ours.model.shapes.keys().collect(), fresh.shapes.keys().collect());
        assert_eq!(a, b, "{file}: the same shapes");
    }
}

#[test]
fn an_idl_upstream_works_like_a_json_one() {
    let dir = TempDir::new("idl");
    let twin = crate::workspace_root().join("tests/fixtures/iot_custom_metric.smithy");
    add(&args(&twin, &["CreateCustomMetric"]), &dir.model_dir()).expect("add from IDL");
    let model = dir.model("iot_custom_metric.json");
    let ids = shape_ids(&model);
    assert!(ids.contains(&"com.amazonaws.iot#CreateCustomMetricRequest".to_owned()), "{ids:?}");
    assert!(ids.contains(&"com.amazonaws.iot#ErrorBase".to_owned()), "mixins come along: {ids:?}");

    let broken = dir.0.join("broken.smithy");
    std::fs::write(&broken, "$version: \"2\"\nnamespace a\nstructure {").expect("write");
    let err = add(&args(&broken, &["X"]), &dir.model_dir()).expect_err("syntax error");
    assert!(err.contains("broken.smithy:3:"), "{err}");
}

#[test]
fn ast_prints_the_loaded_model_without_the_prelude() {
    let twin = crate::workspace_root().join("tests/fixtures/iot_custom_metric.smithy").display().to_string();
    let text = ast::ast(&[twin]).expect("loads");
    let model: Value = serde_json::from_str(&text).expect("JSON");
    let shapes = model["shapes"].as_object().expect("shapes");
    assert!(shapes.keys().all(|id| !id.starts_with("smithy.api#")));
    let error = &shapes["com.amazonaws.iot#InvalidRequestException"];
    assert_eq!(error["mixins"], json!([{"target": "com.amazonaws.iot#ErrorBase"}]), "{error}");
    assert!(error["members"].get("message").is_some(), "mixin members are flattened: {error}");
    assert_eq!(
        shapes["com.amazonaws.iot#CreateCustomMetric"]["input"]["target"],
        "com.amazonaws.iot#CreateCustomMetricRequest"
    );

    let dir = TempDir::new("ast");
    let bad = dir.write(
        "bad.json",
        &json!({"smithy": "2.0", "shapes": {"a#B": {"type": "structure", "mixins": [{"target": "a#Nope"}]}}}),
    );
    let err = ast::ast(&[bad.display().to_string()]).expect_err("a missing mixin");
    assert!(err.contains("bad.json") && err.contains("a#B") && err.contains("a#Nope"), "{err}");
}

#[test]
fn numbers_beyond_64_bits_keep_their_literals_through_idl_and_json() {
    let dir = TempDir::new("big-numbers");
    let idl = dir.0.join("big.smithy");
    let text = "$version: \"2\"\nnamespace a\n\n@trait\nbigDecimal limit\n\n\
                @limit(2E+308)\nstring Huge\n\nbigInteger Count\n\n\
                structure Holder {\n    @default(123456789012345678901234567890)\n    count: Count\n}\n";
    std::fs::write(&idl, text).expect("write");
    let printed = ast::ast(&[idl.display().to_string()]).expect("loads");
    assert!(printed.contains("\"a#limit\": 2E+308"), "{printed}");
    assert!(printed.contains("\"smithy.api#default\": 123456789012345678901234567890"), "{printed}");

    // The printed JSON AST loads again to the same text.
    let json = dir.0.join("big.json");
    std::fs::write(&json, &printed).expect("write");
    assert_eq!(ast::ast(&[json.display().to_string()]).expect("loads again"), printed);
}
