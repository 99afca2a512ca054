//! Frames written and read back, each way a frame can be corrupt, and the incremental decoder
//! fed in every way a body can arrive.

use bytes::Bytes;

use super::*;

/// A frame of the given raw header section and payload, with correct lengths and CRCs.
fn raw_frame(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = u32::try_from(16 + headers.len() + payload.len()).expect("small");
    let headers_len = u32::try_from(headers.len()).expect("small");
    raw_frame_with_lengths(total, headers_len, headers, payload)
}

/// A frame that declares `total` and `headers_len` whatever it holds, with correct CRCs.
fn raw_frame_with_lengths(total: u32, headers_len: u32, headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut frame = prelude(total, headers_len).to_vec();
    frame.extend_from_slice(headers);
    frame.extend_from_slice(payload);
    let crc = crc32fast::hash(&frame);
    frame.extend_from_slice(&crc.to_be_bytes());
    frame
}

/// A prelude declaring `total` and `headers_len`, with its correct CRC.
fn prelude(total: u32, headers_len: u32) -> [u8; 12] {
    let mut prelude = [0u8; 12];
    prelude[..4].copy_from_slice(&total.to_be_bytes());
    prelude[4..8].copy_from_slice(&headers_len.to_be_bytes());
    let crc = crc32fast::hash(&prelude[..8]);
    prelude[8..].copy_from_slice(&crc.to_be_bytes());
    prelude
}

/// The raw encoding of one header.
fn raw_header(name: &[u8], value_type: u8, value: &[u8]) -> Vec<u8> {
    let mut header = vec![u8::try_from(name.len()).expect("short name")];
    header.extend_from_slice(name);
    header.push(value_type);
    header.extend_from_slice(value);
    header
}

fn decode_error(frame: &[u8]) -> String {
    match decode_message(frame) {
        Ok(message) => panic!("decoded {message:?} from a bad frame"),
        Err(err) => err.to_string(),
    }
}

/// One header of each of the ten types, their edge values included.
fn every_header_type() -> Message {
    Message::new(&b"{\"payload\":true}"[..])
        .with_header("true", HeaderValue::Bool(true))
        .with_header("false", HeaderValue::Bool(false))
        .with_header("byte", HeaderValue::Byte(i8::MIN))
        .with_header("int16", HeaderValue::Int16(-2))
        .with_header("int32", HeaderValue::Int32(i32::MAX))
        .with_header("int64", HeaderValue::Int64(i64::MIN))
        .with_header("bytes", HeaderValue::ByteArray(Bytes::from_static(&[0, 255, 1])))
        .with_header("empty bytes", HeaderValue::ByteArray(Bytes::new()))
        .with_header("string", HeaderValue::String("héllo €".into()))
        .with_header("timestamp", HeaderValue::Timestamp(-1_234))
        .with_header("uuid", HeaderValue::Uuid(*b"0123456789abcdef"))
        .with_header(":content-type", HeaderValue::String("application/json".into()))
        .with_header("n".repeat(255), HeaderValue::String("x".repeat(32767)))
        .with_header("max bytes", HeaderValue::ByteArray(vec![7; 32767].into()))
}

#[test]
fn every_header_type_round_trips() {
    let message = every_header_type();
    let frame = message.encode().expect("encodes");
    assert_eq!(decode_message(&frame).expect("decodes"), message);

    // The layout of one header of each fixed-size type, by hand.
    let small = Message::new(Bytes::new())
        .with_header("a", HeaderValue::Bool(true))
        .with_header("b", HeaderValue::Bool(false))
        .with_header("c", HeaderValue::Byte(-1))
        .with_header("d", HeaderValue::Int16(0x0102))
        .with_header("e", HeaderValue::Int32(0x0102_0304))
        .with_header("f", HeaderValue::Int64(0x0102_0304_0506_0708))
        .with_header("g", HeaderValue::ByteArray(Bytes::from_static(b"xy")))
        .with_header("h", HeaderValue::String("z".into()))
        .with_header("i", HeaderValue::Timestamp(1_000))
        .with_header("j", HeaderValue::Uuid([9; 16]));
    let mut headers = Vec::new();
    headers.extend(raw_header(b"a", 0, &[]));
    headers.extend(raw_header(b"b", 1, &[]));
    headers.extend(raw_header(b"c", 2, &[0xff]));
    headers.extend(raw_header(b"d", 3, &[1, 2]));
    headers.extend(raw_header(b"e", 4, &[1, 2, 3, 4]));
    headers.extend(raw_header(b"f", 5, &[1, 2, 3, 4, 5, 6, 7, 8]));
    headers.extend(raw_header(b"g", 6, &[0, 2, b'x', b'y']));
    headers.extend(raw_header(b"h", 7, &[0, 1, b'z']));
    headers.extend(raw_header(b"i", 8, &[0, 0, 0, 0, 0, 0, 0x03, 0xe8]));
    headers.extend(raw_header(b"j", 9, &[9; 16]));
    let expected = raw_frame(&headers, &[]);
    assert_eq!(small.encode().expect("encodes"), expected);
    assert_eq!(decode_message(&expected).expect("decodes"), small);
}

#[test]
fn decodes_the_crt_known_frames() {
    // From aws-c-event-stream's message_deserializer_test.c: no headers, then one header.
    let no_headers = [
        0x00, 0x00, 0x00, 0x1D, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x52, 0x8c, 0x5a, 0x7b, 0x27, 0x66, 0x6f, 0x6f, 0x27,
        0x3a, 0x27, 0x62, 0x61, 0x72, 0x27, 0x7d, 0xc3, 0x65, 0x39, 0x36,
    ];
    let message = decode_message(&no_headers).expect("decodes");
    assert!(message.headers().is_empty());
    assert_eq!(message.payload().as_ref(), b"{'foo':'bar'}");
    assert_eq!(message.encode().expect("encodes").as_ref(), no_headers);

    let mut one_header = vec![0x00, 0x00, 0x00, 0x3D, 0x00, 0x00, 0x00, 0x20, 0x07, 0xFD, 0x83, 0x96, 0x0C];
    one_header.extend_from_slice(b"content-type\x07\x00\x10application/json{'foo':'bar'}");
    one_header.extend_from_slice(&[0x8D, 0x9C, 0x08, 0xB1]);
    let message = decode_message(&one_header).expect("decodes");
    assert_eq!(message.header_str("content-type"), Some("application/json"));
    assert_eq!(message.into_payload().as_ref(), b"{'foo':'bar'}");
}

#[test]
fn accessors_find_the_first_header_of_a_name() {
    let message = Message::new("p")
        .with_header("x", HeaderValue::Int32(1))
        .with_header("s", HeaderValue::String("one".into()))
        .with_header("s", HeaderValue::String("two".into()));
    assert_eq!(message.header("x"), Some(&HeaderValue::Int32(1)));
    assert_eq!(message.header_str("s"), Some("one"));
    assert_eq!(message.header_str("x"), None);
    assert_eq!(message.header("missing"), None);
    assert_eq!(message.headers().len(), 3);
    assert_eq!(HeaderValue::Int16(-3).as_integer(), Some(-3));
    assert_eq!(HeaderValue::Bool(true).as_bool(), Some(true));
    assert_eq!(HeaderValue::Timestamp(5).as_timestamp_millis(), Some(5));
    assert_eq!(HeaderValue::Uuid([1; 16]).as_uuid(), Some(&[1; 16]));
    assert_eq!(HeaderValue::ByteArray(Bytes::from_static(b"b")).as_bytes().map(|b| &b[..]), Some(&b"b"[..]));
    assert_eq!(HeaderValue::String("s".into()).as_bool(), None);
    assert_eq!(HeaderValue::ByteArray(Bytes::new()).type_name(), "byte array");
}

#[test]
fn checksum_mismatches_are_reported_with_both_values() {
    let frame = Message::new("payload").with_header("h", HeaderValue::Bool(true)).encode().expect("encodes").to_vec();

    let mut bad_prelude = frame.clone();
    bad_prelude[8..12].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    let computed = crc32fast::hash(&frame[..8]);
    assert_eq!(
        decode_error(&bad_prelude),
        format!("event stream frame: prelude CRC mismatch (computed {computed:#010x}, frame says 0xdeadbeef)")
    );

    // A flipped payload byte: the message CRC catches it.
    let mut bad_payload = frame.clone();
    let last = bad_payload.len() - 5;
    bad_payload[last] ^= 1;
    let computed = crc32fast::hash(&bad_payload[..bad_payload.len() - 4]);
    let declared = u32::from_be_bytes(frame[frame.len() - 4..].try_into().expect("4 bytes"));
    assert_eq!(
        decode_error(&bad_payload),
        format!("event stream frame: message CRC mismatch (computed {computed:#010x}, frame says {declared:#010x})")
    );

    // A garbled header is reported as a bad checksum, not as the header it now looks like.
    let mut bad_header = frame;
    bad_header[14] = 0x42;
    assert!(decode_error(&bad_header).contains("message CRC mismatch"));
}

#[test]
fn inconsistent_lengths_are_rejected_at_the_prelude() {
    for total in [0, 15] {
        let frame = raw_frame_with_lengths(total, 0, &[], &[]);
        assert_eq!(
            decode_error(&frame),
            format!("event stream frame: total length {total} is less than the 16-byte minimum")
        );
    }
    // Headers longer than the frame has room for.
    let frame = raw_frame_with_lengths(20, 5, &[1, b'a', 0, 0], &[]);
    assert_eq!(
        decode_error(&frame),
        "event stream frame: headers length 5 runs past the end of a frame of total length 20"
    );
    // The headers length lands in the middle of a header: the rest of it is payload.
    let headers = raw_header(b"abc", 7, &[0, 3, b'x', b'y', b'z']);
    let frame = raw_frame_with_lengths(16 + 10, 3, &headers, &[]);
    assert_eq!(
        decode_error(&frame),
        "event stream frame: header at byte 12: name needs 3 bytes, the headers have 2 left"
    );
    let frame = raw_frame_with_lengths(16 + 10, 5, &headers, &[]);
    assert_eq!(
        decode_error(&frame),
        "event stream frame: header `abc` at byte 12: string length needs 2 bytes, the headers have 0 left"
    );
}

#[test]
fn every_bad_header_is_named_with_its_offset() {
    let ok = raw_header(b"ok", 0, &[]);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (raw_header(b"", 0, &[]), "header at byte 16: name length 0"),
        (vec![9, b'a', b'b'], "header at byte 16: name needs 9 bytes, the headers have 2 left"),
        (raw_header(b"\xff\xfe", 0, &[]), "header at byte 16: name is not UTF-8"),
        (vec![1, b'x'], "header `x` at byte 16: the headers end before the value type"),
        (raw_header(b"x", 12, &[]), "header `x` at byte 16: unknown value type 12"),
        (raw_header(b"x", 4, &[0, 0]), "header `x` at byte 16: int32 value needs 4 bytes, the headers have 2 left"),
        (raw_header(b"x", 9, &[0; 15]), "header `x` at byte 16: uuid value needs 16 bytes, the headers have 15 left"),
        (raw_header(b"x", 7, &[0]), "header `x` at byte 16: string length needs 2 bytes, the headers have 1 left"),
        (
            raw_header(b"x", 7, &[0, 4, b'a', b'b']),
            "header `x` at byte 16: string value needs 4 bytes, the headers have 2 left",
        ),
        (
            raw_header(b"x", 6, &[0, 3, 1]),
            "header `x` at byte 16: byte array value needs 3 bytes, the headers have 1 left",
        ),
        (raw_header(b"x", 7, &[0, 2, 0xc3, 0x28]), "header `x` at byte 16: string value is not UTF-8"),
        (
            raw_header(b"x", 6, &[0x80, 0x00]),
            "header `x` at byte 16: byte array value of 32768 bytes exceeds the 32767-byte limit",
        ),
    ];
    for (bad, expected) in cases {
        let mut headers = ok.clone();
        headers.extend_from_slice(&bad);
        let frame = raw_frame(&headers, b"payload");
        assert_eq!(decode_error(&frame), format!("event stream frame: {expected}"), "{bad:?}");
    }
}

#[test]
fn decode_message_wants_exactly_one_frame() {
    let frame = Message::new("p").encode().expect("encodes");
    let mut two = frame.to_vec();
    two.extend_from_slice(&frame);
    assert_eq!(decode_error(&two), "event stream frame: 17 bytes after the end of the frame (total length 17)");
    assert_eq!(decode_error(&frame[..10]), "event stream frame: truncated: 10 bytes, not yet the 12-byte prelude");
    assert_eq!(decode_error(&frame[..16]), "event stream frame: truncated: 16 of 17 bytes");
    assert_eq!(decode_error(&[]), "event stream frame: truncated: 0 bytes, not yet the 12-byte prelude");
}

#[test]
fn oversized_lengths_are_rejected_after_the_prelude_alone() {
    let mut decoder = MessageDecoder::new();
    let hostile = prelude(u32::MAX, 0);
    decoder.push(&hostile[..11]);
    assert_eq!(decoder.next_message(), Ok(None));
    decoder.push(&hostile[11..]);
    let err = decoder.next_message().expect_err("too long");
    assert_eq!(
        err.to_string(),
        "event stream frame 1: total length 4294967295 exceeds the 16777232-byte limit \
         (a payload of at most 16777216 bytes after 0 bytes of headers)"
    );
    assert_eq!(decoder.buffered(), 12, "nothing buffered beyond the prelude");
    // The stream is done for: more input is dropped and the error stays.
    decoder.push(&[0; 1000]);
    assert_eq!(decoder.buffered(), 12);
    assert_eq!(decoder.next_message(), Err(err.clone()));
    assert_eq!(decoder.finish(), Err(err));

    // The largest frame allowed, by the prelude's account: 16 MiB of payload after the headers.
    let largest = 16 + 100 + 16 * 1024 * 1024;
    let mut decoder = MessageDecoder::new();
    decoder.push(&prelude(largest, 100));
    assert_eq!(decoder.next_message(), Ok(None));
    let mut decoder = MessageDecoder::new();
    decoder.push(&prelude(largest + 1, 100));
    assert!(decoder.next_message().expect_err("one byte over").to_string().contains("exceeds the 16777332-byte limit"));

    let mut decoder = MessageDecoder::new();
    decoder.push(&prelude(16 + 128 * 1024 + 1, 128 * 1024 + 1));
    assert_eq!(
        decoder.next_message().expect_err("headers too long").to_string(),
        "event stream frame 1: headers length 131073 exceeds the 131072-byte limit"
    );
}

#[test]
fn decoder_reads_frames_one_byte_at_a_time() {
    let messages =
        [every_header_type(), Message::new(Bytes::new()), Message::new("x").with_header("k", HeaderValue::Int16(3))];
    let stream: Vec<u8> = messages.iter().flat_map(|message| message.encode().expect("encodes")).collect();
    let mut decoder = MessageDecoder::new();
    let mut decoded = Vec::new();
    for byte in &stream {
        decoder.push(std::slice::from_ref(byte));
        while let Some(message) = decoder.next_message().expect("valid stream") {
            decoded.push(message);
        }
    }
    assert_eq!(decoded, messages);
    assert_eq!(decoder.buffered(), 0);
    assert_eq!(decoder.finish(), Ok(()));
}

#[test]
fn decoder_reads_frames_in_random_splits_and_several_in_one_chunk() {
    let mut rng = fastrand::Rng::with_seed(0xe5_f4a3e);
    let messages: Vec<Message> = (0..20)
        .map(|index| {
            let payload: Vec<u8> = (0..rng.usize(0..300)).map(|_| rng.u8(..)).collect();
            Message::new(payload).with_header(":event-type", HeaderValue::String(format!("event{index}")))
        })
        .collect();
    let stream: Vec<u8> = messages.iter().flat_map(|message| message.encode().expect("encodes")).collect();

    // The whole stream as one chunk.
    let mut decoder = MessageDecoder::new();
    decoder.push(&stream);
    let mut decoded = Vec::new();
    while let Some(message) = decoder.next_message().expect("valid stream") {
        decoded.push(message);
    }
    assert_eq!(decoded, messages);

    for _ in 0..50 {
        let mut decoder = MessageDecoder::new();
        let mut decoded = Vec::new();
        let mut rest = &stream[..];
        while !rest.is_empty() {
            let (chunk, after) = rest.split_at(rng.usize(1..=rest.len().min(700)));
            rest = after;
            decoder.push(chunk);
            while let Some(message) = decoder.next_message().expect("valid stream") {
                decoded.push(message);
            }
        }
        assert_eq!(decoded, messages);
        assert_eq!(decoder.finish(), Ok(()));
    }
}

#[test]
fn decoder_errors_name_the_frame_and_a_cut_stream_is_truncated() {
    let good = Message::new("one").encode().expect("encodes");
    let mut stream = [&good[..], &good[..]].concat();
    let third = Message::new("three").encode().expect("encodes");
    let mut corrupt = third.to_vec();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0xff;
    stream.extend_from_slice(&corrupt);

    let mut decoder = MessageDecoder::new();
    decoder.push(&stream);
    assert!(decoder.next_message().expect("first").is_some());
    assert!(decoder.next_message().expect("second").is_some());
    let err = decoder.next_message().expect_err("third is corrupt");
    assert!(err.to_string().starts_with("event stream frame 3: message CRC mismatch"), "{err}");

    let mut decoder = MessageDecoder::new();
    decoder.push(&good);
    decoder.push(&third[..10]);
    assert!(decoder.next_message().expect("first").is_some());
    assert_eq!(decoder.next_message(), Ok(None));
    assert_eq!(
        decoder.finish().expect_err("cut").to_string(),
        "event stream frame 2: truncated: 10 bytes, not yet the 12-byte prelude"
    );
    decoder.push(&third[10..15]);
    assert_eq!(decoder.buffered(), 15);
    assert_eq!(decoder.next_message(), Ok(None));
    assert_eq!(
        decoder.finish().expect_err("cut").to_string(),
        format!("event stream frame 2: truncated: 15 of {} bytes", third.len())
    );
    // A prelude that is already wrong is reported as such at the end too.
    let mut decoder = MessageDecoder::new();
    decoder.push(&prelude(8, 0));
    assert_eq!(
        decoder.finish().expect_err("bad").to_string(),
        "event stream frame 1: total length 8 is less than the 16-byte minimum"
    );
}

#[test]
fn unencodable_messages_are_refused_and_leave_the_output_alone() {
    let long_name = "n".repeat(256);
    let cases = [
        (Message::new("").with_header("", HeaderValue::Bool(true)), "header: name length 0".to_owned()),
        (
            Message::new("").with_header(&long_name, HeaderValue::Bool(true)),
            format!("header `{long_name}`: name of 256 bytes exceeds the 255-byte limit"),
        ),
        (
            Message::new("").with_header("s", HeaderValue::String("x".repeat(32768))),
            "header `s`: string value of 32768 bytes exceeds the 32767-byte limit".to_owned(),
        ),
        (
            Message::new("").with_header("b", HeaderValue::ByteArray(vec![0; 70000].into())),
            "header `b`: byte array value of 70000 bytes exceeds the 32767-byte limit".to_owned(),
        ),
        (
            Message::new(vec![0; 16 * 1024 * 1024 + 1]),
            "payload of 16777217 bytes exceeds the 16777216-byte limit".to_owned(),
        ),
    ];
    for (message, expected) in cases {
        let mut out = b"kept".to_vec();
        let err = message.encode_into(&mut out).expect_err("unencodable").to_string();
        assert_eq!(err, format!("cannot encode event stream message: {expected}"));
        assert_eq!(out, b"kept");
    }

    // Headers within every per-header limit, but over 128 KiB together.
    let mut message = Message::new("");
    for index in 0..5 {
        message = message.with_header(format!("h{index}"), HeaderValue::ByteArray(vec![0; 30000].into()));
    }
    assert_eq!(
        message.encode().expect_err("headers too long").to_string(),
        "cannot encode event stream message: headers length 150030 exceeds the 131072-byte limit"
    );

    // At the limits, the frame is written and read back.
    let largest =
        Message::new(vec![1; 16 * 1024 * 1024]).with_header("h", HeaderValue::ByteArray(vec![2; 32767].into()));
    let mut out = b"kept".to_vec();
    largest.encode_into(&mut out).expect("encodes");
    assert_eq!(&out[..4], b"kept");
    assert_eq!(decode_message(&out[4..]).expect("decodes"), largest);
}
