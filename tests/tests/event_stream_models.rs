//! What the generator cannot express yet is left out in a defined, reported way.

#[test]
fn event_stream_operations_are_omitted_with_a_located_warning() {
    let model = r#"{
      "smithy": "2.0",
      "shapes": {
        "example.stream#Svc": { "type": "service", "version": "1",
          "operations": [{ "target": "example.stream#Subscribe" }, { "target": "example.stream#Ping" }],
          "traits": { "aws.protocols#restJson1": {} } },
        "example.stream#Ping": { "type": "operation", "input": { "target": "smithy.api#Unit" }, "output": { "target": "smithy.api#Unit" },
          "traits": { "smithy.api#http": { "method": "GET", "uri": "/ping" } } },
        "example.stream#Subscribe": { "type": "operation",
          "input": { "target": "smithy.api#Unit" }, "output": { "target": "example.stream#SubscribeOutput" },
          "traits": { "smithy.api#http": { "method": "GET", "uri": "/events" } } },
        "example.stream#SubscribeOutput": { "type": "structure",
          "members": { "events": { "target": "example.stream#Events", "traits": { "smithy.api#httpPayload": {} } } } },
        "example.stream#Events": { "type": "union", "members": { "tick": { "target": "example.stream#Tick" } },
          "traits": { "smithy.api#streaming": {} } },
        "example.stream#Tick": { "type": "structure", "members": { "at": { "target": "smithy.api#Timestamp" } } }
      }
    }"#;
    let options = codegen::CrateOptions::new("stream", vec!["stream.json".into()]);
    let generated = codegen::generate_from_texts(&[("stream.json", model)], &options).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: stream.json: example.stream#Subscribe: operation left out of the crate: its output member `events` is an event stream, which is not supported yet"]
    );
    assert!(generated.files.contains_key("src/svc/operation/ping.rs"));
    assert!(!generated.files.contains_key("src/svc/operation/subscribe.rs"));
    let module_doc = &generated.files["src/svc/mod.rs"];
    assert!(module_doc.contains("- `Subscribe`: its output member `events` is an event stream"), "{module_doc}");
}
