//! Event-stream operations generate like any other, with their stream types and impls.

#[test]
fn event_stream_operations_generate_with_their_stream_types() {
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
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let subscribe = &generated.files["src/svc/operation/subscribe.rs"];
    assert!(subscribe.contains("event_stream::send_streaming("), "{subscribe}");
    assert!(subscribe.contains("pub events: event_stream::EventReceiver<"), "{subscribe}");
    let types = &generated.files["src/svc/types/mod.rs"];
    assert!(types.contains("impl event_stream::Unmarshal for Events"), "{types}");
    assert!(types.contains("pub enum EventsError"), "{types}");
    // Nothing sends `Events`, so it has no `Marshal` impl.
    assert!(!types.contains("impl event_stream::Marshal for Events"), "{types}");
}
