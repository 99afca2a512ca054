//! The event stream cases of the official restJson1 protocol tests
//! (`../shared/protocol-tests/restJson1.json`, or `$AWS_LITE_SHARED/protocol-tests/`): every
//! event that carries the `bytes` of its whole frame must decode to the case's typed headers
//! (and to its body, when it has one), and encode back to the same bytes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use bytes::Bytes;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{decode_message, HeaderValue, MessageDecoder};

fn protocol_tests() -> PathBuf {
    let shared = match std::env::var_os("AWS_LITE_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    shared.join("protocol-tests/restJson1.json")
}

/// A typed header of a test case (`{"string": "event"}`, `{"timestamp": ...}`, ...).
fn typed_value(value: &Value) -> Result<HeaderValue, String> {
    let Some((kind, value)) = value.as_object().and_then(|object| object.iter().next()) else {
        return Err(format!("not a typed header: {value}"));
    };
    let int = || value.as_i64().ok_or_else(|| format!("not an integer: {value}"));
    let narrow = |range: &str| format!("{value} is out of the {range} range");
    Ok(match kind.as_str() {
        "boolean" => HeaderValue::Bool(value.as_bool().ok_or_else(|| format!("not a boolean: {value}"))?),
        "byte" => HeaderValue::Byte(i8::try_from(int()?).map_err(|_| narrow("byte"))?),
        "short" => HeaderValue::Int16(i16::try_from(int()?).map_err(|_| narrow("short"))?),
        "integer" => HeaderValue::Int32(i32::try_from(int()?).map_err(|_| narrow("integer"))?),
        "long" => HeaderValue::Int64(int()?),
        "string" => HeaderValue::String(value.as_str().ok_or_else(|| format!("not a string: {value}"))?.to_owned()),
        "blob" => {
            let text = value.as_str().ok_or_else(|| format!("not base64: {value}"))?;
            HeaderValue::ByteArray(BASE64.decode(text).map_err(|err| format!("{text}: {err}"))?.into())
        }
        "timestamp" => HeaderValue::Timestamp(timestamp_millis(value)?),
        "uuid" => HeaderValue::Uuid(uuid_bytes(value.as_str().ok_or_else(|| format!("not a UUID: {value}"))?)?),
        other => return Err(format!("unknown header type `{other}`")),
    })
}

/// A timestamp as the cases write it: RFC 3339 text, or (the Smithy test convention) epoch
/// seconds, possibly fractional.
fn timestamp_millis(value: &Value) -> Result<i64, String> {
    if let Some(text) = value.as_str() {
        let time = OffsetDateTime::parse(text, &Rfc3339).map_err(|err| format!("{text}: {err}"))?;
        return i64::try_from(time.unix_timestamp_nanos() / 1_000_000).map_err(|err| format!("{text}: {err}"));
    }
    if let Some(seconds) = value.as_i64() {
        return seconds.checked_mul(1000).ok_or_else(|| format!("{seconds} s overflows"));
    }
    let seconds = value.as_f64().ok_or_else(|| format!("not a timestamp: {value}"))?;
    Ok((seconds * 1000.0).round() as i64)
}

fn uuid_bytes(text: &str) -> Result<[u8; 16], String> {
    uuid::Uuid::parse_str(text).map(|uuid| *uuid.as_bytes()).map_err(|err| format!("{text}: {err}"))
}

/// Checks one event; `Ok(false)` when it has no `bytes`.
fn check_event(event: &Value) -> Result<bool, String> {
    let Some(encoded) = event.get("bytes").and_then(Value::as_str) else { return Ok(false) };
    let frame = BASE64.decode(encoded).map_err(|err| format!("bytes: {err}"))?;
    let message = decode_message(&frame).map_err(|err| err.to_string())?;

    let mut expected = BTreeMap::new();
    for (name, value) in event.get("headers").and_then(Value::as_object).into_iter().flatten() {
        expected.insert(name.clone(), typed_value(value).map_err(|err| format!("header {name}: {err}"))?);
    }
    let mut decoded = BTreeMap::new();
    for header in message.headers() {
        if decoded.insert(header.name.clone(), header.value.clone()).is_some() {
            return Err(format!("header {} appears twice", header.name));
        }
    }
    if decoded != expected {
        return Err(format!("headers {decoded:?}, the case says {expected:?}"));
    }
    if let Some(body) = event.get("body").and_then(Value::as_str) {
        if message.payload().as_ref() != body.as_bytes() {
            return Err(format!(
                "payload {:?}, the case's body is {body:?}",
                String::from_utf8_lossy(message.payload())
            ));
        }
    }

    let encoded = message.encode().map_err(|err| err.to_string())?;
    if encoded.as_ref() != frame.as_slice() {
        return Err("encodes to other bytes".to_owned());
    }
    // The incremental decoder agrees, fed in two halves.
    let mut decoder = MessageDecoder::new();
    let (first, second) = frame.split_at(frame.len() / 2);
    decoder.push(first);
    decoder.push(second);
    let streamed = decoder.next_message().map_err(|err| err.to_string())?;
    if streamed.as_ref() != Some(&message) || decoder.finish().is_err() {
        return Err("the incremental decoder reads it otherwise".to_owned());
    }
    Ok(true)
}

#[test]
fn protocol_test_events_decode_to_their_headers_and_encode_back() {
    let path = protocol_tests();
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping the event stream protocol tests: {} not found", path.display());
        return;
    };
    let model: Value = serde_json::from_str(&text).expect("restJson1.json is JSON");
    let shapes = model.get("shapes").and_then(Value::as_object).expect("shapes");
    let (mut cases, mut checked, mut failures) = (0, 0, Vec::new());
    for (shape, definition) in shapes {
        let tests = definition.pointer("/traits/smithy.test#eventStreamTests").and_then(Value::as_array);
        for case in tests.into_iter().flatten() {
            cases += 1;
            let id = case.get("id").and_then(Value::as_str).unwrap_or(shape.as_str());
            for (index, event) in case.get("events").and_then(Value::as_array).into_iter().flatten().enumerate() {
                match check_event(event) {
                    Ok(true) => checked += 1,
                    Ok(false) => {}
                    Err(err) => failures.push(format!("{id} event {index}: {err}")),
                }
            }
        }
    }
    eprintln!("event stream protocol tests: {checked} encoded events checked in {cases} cases");
    assert!(failures.is_empty(), "{} events fail:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 90, "only {checked} events with bytes: has {} changed?", path.display());
}

#[test]
fn typed_values_read_every_kind() {
    let read = |json: &str| typed_value(&serde_json::from_str(json).expect("JSON")).expect("typed value");
    assert_eq!(read(r#"{"timestamp": "2024-10-31T14:15:14Z"}"#), HeaderValue::Timestamp(1_730_384_114_000));
    assert_eq!(read(r#"{"timestamp": 1730384114}"#), HeaderValue::Timestamp(1_730_384_114_000));
    assert_eq!(read(r#"{"timestamp": 1.5}"#), HeaderValue::Timestamp(1_500));
    assert_eq!(read(r#"{"blob": "Zm9v"}"#), HeaderValue::ByteArray(Bytes::from_static(b"foo")));
    assert_eq!(read(r#"{"short": -2}"#), HeaderValue::Int16(-2));
    assert_eq!(
        read(r#"{"uuid": "00112233-4455-6677-8899-aabbccddeeff"}"#),
        HeaderValue::Uuid([
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
        ])
    );
    assert!(typed_value(&serde_json::json!({"byte": 300})).is_err());
}
