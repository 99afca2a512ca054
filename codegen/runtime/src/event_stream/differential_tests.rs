//! Differential tests of the framing against aws-smithy-eventstream, the codec of the AWS SDK
//! for Rust: random messages must encode to the same bytes, and random (often corrupted)
//! frames that this codec accepts must be accepted by it with the same content.
//!
//! The seed is fixed so runs repeat; `EVENT_STREAM_DIFF_SEED=N` tries another one.

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use aws_smithy_types::event_stream as reference;
use aws_smithy_types::DateTime;
use bytes::Bytes;

use super::{decode_message, HeaderValue, Message};

/// How many random messages each test tries.
const MESSAGES: usize = 3000;
/// The default seed.
const SEED: u64 = 0xe5_f4a3e;

pub(super) fn rng() -> fastrand::Rng {
    let seed = std::env::var("EVENT_STREAM_DIFF_SEED").ok().and_then(|seed| seed.parse().ok()).unwrap_or(SEED);
    fastrand::Rng::with_seed(seed)
}

fn random_bytes(rng: &mut fastrand::Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.u8(..)).collect()
}

/// Mostly short lengths, sometimes long ones around the limits.
fn random_len(rng: &mut fastrand::Rng, short: usize, limit: usize) -> usize {
    match rng.u8(..20) {
        0 => limit + rng.usize(0..3),
        1 => limit - rng.usize(0..3),
        _ => rng.usize(0..short),
    }
}

fn random_text(rng: &mut fastrand::Rng, len: usize) -> String {
    const PIECES: [&str; 6] = ["a", "Z", ":", "-", "é", "€"];
    let mut text = String::new();
    while text.len() < len {
        text.push_str(PIECES[rng.usize(..PIECES.len())]);
    }
    text
}

/// A random message: up to six headers of random types (names and values now and then at or
/// just past their limits), and a random payload.
pub(super) fn random_message(rng: &mut fastrand::Rng) -> Message {
    let payload_len = rng.usize(0..300);
    let mut message = Message::new(random_bytes(rng, payload_len));
    for _ in 0..rng.usize(0..7) {
        let name_len = random_len(rng, 20, 255).max(1);
        let name = random_text(rng, name_len);
        let value_len = random_len(rng, 40, 32767);
        let value = match rng.u8(..9) {
            0 => HeaderValue::Bool(rng.bool()),
            1 => HeaderValue::Byte(rng.i8(..)),
            2 => HeaderValue::Int16(rng.i16(..)),
            3 => HeaderValue::Int32(rng.i32(..)),
            4 => HeaderValue::Int64(rng.i64(..)),
            5 => HeaderValue::ByteArray(random_bytes(rng, value_len).into()),
            6 => HeaderValue::String(random_text(rng, value_len)),
            7 => HeaderValue::Timestamp(rng.i64(-1_000_000_000_000_000..1_000_000_000_000_000)),
            _ => HeaderValue::Uuid(rng.u128(..).to_be_bytes()),
        };
        message = message.with_header(name, value);
    }
    message
}

/// `message` as aws-smithy-types writes it.
pub(super) fn to_reference(message: &Message) -> reference::Message {
    message.headers().iter().fold(reference::Message::new(message.payload().clone()), |out, header| {
        let value = match &header.value {
            HeaderValue::Bool(value) => reference::HeaderValue::Bool(*value),
            HeaderValue::Byte(value) => reference::HeaderValue::Byte(*value),
            HeaderValue::Int16(value) => reference::HeaderValue::Int16(*value),
            HeaderValue::Int32(value) => reference::HeaderValue::Int32(*value),
            HeaderValue::Int64(value) => reference::HeaderValue::Int64(*value),
            HeaderValue::ByteArray(value) => reference::HeaderValue::ByteArray(value.clone()),
            HeaderValue::String(value) => reference::HeaderValue::String(value.clone().into()),
            HeaderValue::Timestamp(millis) => reference::HeaderValue::Timestamp(DateTime::from_millis(*millis)),
            HeaderValue::Uuid(uuid) => reference::HeaderValue::Uuid(u128::from_be_bytes(*uuid)),
        };
        out.add_header(reference::Header::new(header.name.clone(), value))
    })
}

/// A message of aws-smithy-types as this crate holds it.
pub(super) fn from_reference(message: &reference::Message) -> Message {
    let mut out = Message::new(message.payload().clone());
    for header in message.headers() {
        let value = match header.value() {
            reference::HeaderValue::Bool(value) => HeaderValue::Bool(*value),
            reference::HeaderValue::Byte(value) => HeaderValue::Byte(*value),
            reference::HeaderValue::Int16(value) => HeaderValue::Int16(*value),
            reference::HeaderValue::Int32(value) => HeaderValue::Int32(*value),
            reference::HeaderValue::Int64(value) => HeaderValue::Int64(*value),
            reference::HeaderValue::ByteArray(value) => HeaderValue::ByteArray(value.clone()),
            reference::HeaderValue::String(value) => HeaderValue::String(value.as_str().to_owned()),
            reference::HeaderValue::Timestamp(time) => HeaderValue::Timestamp(time.to_millis().expect("millis")),
            reference::HeaderValue::Uuid(uuid) => HeaderValue::Uuid(uuid.to_be_bytes()),
            other => panic!("a header value type this codec does not know: {other:?}"),
        };
        out = out.with_header(header.name().as_str(), value);
    }
    out
}

fn reference_encode(message: &Message) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    write_message_to(&to_reference(message), &mut out).ok().map(|()| out)
}

#[test]
fn encoding_matches_aws_smithy_eventstream() {
    let mut rng = rng();
    let (mut same, mut both_refused) = (0, 0);
    for _ in 0..MESSAGES {
        let message = random_message(&mut rng);
        match (message.encode(), reference_encode(&message)) {
            (Ok(ours), Some(theirs)) => {
                assert_eq!(ours.as_ref(), theirs.as_slice(), "{message:?}");
                same += 1;
            }
            (Err(_), None) => both_refused += 1,
            (ours, theirs) => panic!("{message:?}: this codec says {ours:?}, aws-smithy-eventstream {theirs:?}"),
        }
    }
    eprintln!("event stream encoding: {same} messages encoded alike, {both_refused} refused by both");
    assert!(same > MESSAGES / 2 && both_refused > 0);
}

/// Corrupts `frame` in one of several ways; `fix_crcs` then makes its checksums right again so
/// that the corruption reaches the header parser.
fn corrupt(rng: &mut fastrand::Rng, frame: &mut Vec<u8>) {
    match rng.u8(..6) {
        0 => {}
        1 => {
            let at = rng.usize(..frame.len());
            frame[at] ^= 1 << rng.u8(..8);
        }
        2 => frame.truncate(rng.usize(..frame.len())),
        3 => {
            // A byte of the headers or payload, with the checksums made right.
            if frame.len() > 16 {
                let at = rng.usize(12..frame.len() - 4);
                frame[at] = rng.u8(..);
                fix_crcs(frame);
            }
        }
        4 => {
            // The headers length, with the checksums made right.
            let headers_len = u32::from_be_bytes(frame[4..8].try_into().expect("4 bytes"));
            let new_len = headers_len.saturating_add_signed(rng.i32(-3..=3));
            frame[4..8].copy_from_slice(&new_len.to_be_bytes());
            fix_crcs(frame);
        }
        _ => {
            // A header's value type.
            let type_at = 13 + usize::from(frame[12]);
            if frame.len() > 16 && frame[12] > 0 && type_at < frame.len() - 4 {
                frame[type_at] = rng.u8(..12);
                fix_crcs(frame);
            }
        }
    }
}

fn fix_crcs(frame: &mut [u8]) {
    let prelude_crc = crc32fast::hash(&frame[..8]);
    frame[8..12].copy_from_slice(&prelude_crc.to_be_bytes());
    let end = frame.len() - 4;
    let message_crc = crc32fast::hash(&frame[..end]);
    frame[end..].copy_from_slice(&message_crc.to_be_bytes());
}

#[test]
fn decoding_agrees_with_aws_smithy_eventstream() {
    let mut rng = rng();
    let (mut both_read, mut both_refused, mut stricter) = (0, 0, Vec::new());
    for _ in 0..MESSAGES {
        let Ok(frame) = random_message(&mut rng).encode() else { continue };
        let mut frame = frame.to_vec();
        corrupt(&mut rng, &mut frame);
        let ours = decode_message(&frame);
        let theirs = read_message_from(&mut Bytes::from(frame.clone()));
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => {
                assert_eq!(ours, from_reference(&theirs), "{frame:?}");
                both_read += 1;
            }
            (Err(_), Err(_)) => both_refused += 1,
            (Ok(ours), Err(theirs)) => panic!("{frame:?}: read as {ours:?}, aws-smithy-eventstream says {theirs}"),
            // This codec refuses what the AWS SDKs cannot write: empty header names, values over
            // 32767 bytes.
            (Err(ours), Ok(_)) => stricter.push(ours.to_string()),
        }
    }
    eprintln!(
        "event stream decoding: {both_read} frames read alike, {both_refused} refused by both, {} only here",
        stricter.len()
    );
    for reason in &stricter {
        assert!(reason.contains("name length 0") || reason.contains("exceeds the 32767-byte limit"), "{reason}");
    }
    assert!(both_read > MESSAGES / 4 && both_refused > MESSAGES / 4);
}
