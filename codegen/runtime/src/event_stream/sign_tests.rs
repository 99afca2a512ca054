//! The chained event signatures: a known answer worked out from the definition of the string
//! to sign, the envelope's shape, and a differential test against aws-sigv4's `event_stream`
//! signer over random chains.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::differential_tests::{random_message, rng, to_reference};
use super::{decode_message, EventSigner, HeaderValue, Message};
use crate::credentials::Credentials;
use crate::test_support::SECRET;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The `:chunk-signature` of an envelope, and its `:date` in milliseconds.
fn signature_and_date(envelope: &Message) -> (Vec<u8>, i64) {
    let signature = envelope.header(":chunk-signature").and_then(HeaderValue::as_bytes).expect(":chunk-signature");
    let date = envelope.header(":date").and_then(HeaderValue::as_timestamp_millis).expect(":date");
    (signature.to_vec(), date)
}

/// aws-sigv4's own event stream case (`event_stream::tests::string_to_sign`): its string to
/// sign is published there; the signature is worked out here from it and the SigV4 key
/// derivation, independently of the signer.
#[test]
fn signs_the_aws_sigv4_case_as_its_string_to_sign_says() {
    let secret = "notrealrnrELgWzOk3IfjzDKtFBhDby";
    let time = UNIX_EPOCH + Duration::new(123_456_789, 1234);
    let previous = hex(&Sha256::digest(b"last message sts"));
    let message = Message::new(&b"test payload"[..]).with_header("some-header", HeaderValue::String("value".into()));

    // The encoded `:date` header: name length, name, type 8, milliseconds of the whole second.
    let mut date_header = vec![5];
    date_header.extend_from_slice(b":date");
    date_header.push(8);
    date_header.extend_from_slice(&123_456_789_000_i64.to_be_bytes());
    assert_eq!(hex(&Sha256::digest(&date_header)), "0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e");
    let encoded = message.encode().expect("encodes");
    assert_eq!(hex(&Sha256::digest(&encoded)), "f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6");
    let string_to_sign = "AWS4-HMAC-SHA256-PAYLOAD\n\
                          19731129T213309Z\n\
                          19731129/us-east-1/testservice/aws4_request\n\
                          be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
                          0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
                          f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6";
    assert!(string_to_sign.contains(&previous));
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), b"19731129");
    for part in ["us-east-1", "testservice", "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let expected = hmac(&key, string_to_sign.as_bytes());
    assert_eq!(hex(&expected), "08fed460df836999e1c4137962a3d6ad66a9e8c1bf8e8888e3cbeee26bbf774d");

    let mut signer =
        EventSigner::new(Credentials::new("ANOTREAL", secret, None), "us-east-1", "testservice", &previous);
    let envelope = signer.sign(&message, time).expect("signs");
    assert_eq!(signature_and_date(&envelope), (expected.clone(), 123_456_789_000));
    assert_eq!(envelope.payload(), &encoded);
    assert_eq!(signer.previous_signature(), hex(&expected));
}

#[test]
fn envelopes_chain_and_carry_the_encoded_event() {
    let time = UNIX_EPOCH + Duration::from_millis(1_700_000_000_999);
    let seed = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    let mut signer = EventSigner::new(Credentials::new("AKIDEXAMPLE", SECRET, None), "us-west-2", "transcribe", seed);
    let event = Message::new("audio").with_header(":event-type", HeaderValue::String("AudioEvent".into()));

    let first = signer.sign(&event, time).expect("signs");
    assert_eq!(
        first.headers().iter().map(|header| header.name.as_str()).collect::<Vec<_>>(),
        [":chunk-signature", ":date"]
    );
    let (signature, date) = signature_and_date(&first);
    assert_eq!(date, 1_700_000_000_000, "whole seconds");
    assert_eq!(signer.previous_signature(), hex(&signature));
    assert_eq!(decode_message(first.payload()).expect("the event"), event);

    // The same event at the same time signs differently once chained.
    let second = signer.sign(&event, time).expect("signs");
    assert_ne!(signature_and_date(&second).0, signature);

    let end = signer.sign_end(time).expect("signs");
    assert!(end.payload().is_empty());
    assert_eq!(signer.previous_signature(), hex(&signature_and_date(&end).0));
    // The envelope is itself a message that encodes.
    assert_eq!(decode_message(&end.encode().expect("encodes")).expect("decodes"), end);
}

#[test]
fn failures_leave_the_chain_where_it_was() {
    let mut signer = EventSigner::new(Credentials::new("AKIDEXAMPLE", SECRET, None), "us-east-1", "svc", "seed");
    let unencodable = Message::new("").with_header("", HeaderValue::Bool(true));
    let err = signer.sign(&unencodable, SystemTime::now()).expect_err("unencodable");
    assert_eq!(err.to_string(), "cannot sign the event: cannot encode event stream message: header: name length 0");
    let far = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
    assert_eq!(
        signer.sign_end(far).expect_err("year 10000").to_string(),
        "cannot sign the event: the clock is outside the years 0000-9999"
    );
    assert_eq!(signer.previous_signature(), "seed");
}

/// The envelope and signature aws-sigv4 makes; `message: None` is the end of the stream.
fn sign_with_aws_sigv4(
    message: Option<&Message>,
    previous: &str,
    time: SystemTime,
    region: &str,
    service: &str,
) -> (Vec<u8>, String) {
    let identity: aws_smithy_runtime_api::client::identity::Identity =
        aws_credential_types::Credentials::new("AKIDEXAMPLE", SECRET, None, None, "aws-lite").into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(())
        .build()
        .expect("params");
    let signed = match message {
        Some(message) => aws_sigv4::event_stream::sign_message(&to_reference(message), previous, &params),
        None => aws_sigv4::event_stream::sign_empty_message(previous, &params),
    };
    let (envelope, signature) = signed.expect("aws-sigv4 signs").into_parts();
    let mut encoded = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&envelope, &mut encoded).expect("encodes");
    (encoded, signature)
}

#[test]
fn chains_match_aws_sigv4() {
    const CHAINS: usize = 300;
    let mut rng = rng();
    let (mut signed, mut ends) = (0, 0);
    for _ in 0..CHAINS {
        let region = ["us-east-1", "eu-west-3", "ap-southeast-2"][rng.usize(..3)];
        let service = ["transcribe", "bedrock", "lex"][rng.usize(..3)];
        let seed = hex(&rng.u128(..).to_be_bytes()) + &hex(&rng.u128(..).to_be_bytes());
        let mut time = UNIX_EPOCH + Duration::new(rng.u64(1_000_000_000..2_000_000_000), rng.u32(..1_000_000_000));
        let mut signer = EventSigner::new(Credentials::new("AKIDEXAMPLE", SECRET, None), region, service, &seed);
        let mut previous = seed.clone();
        for step in 0..rng.usize(1..10) {
            time += Duration::from_millis(rng.u64(0..3000));
            let message = random_message(&mut rng);
            if message.encode().is_err() {
                assert!(signer.sign(&message, time).is_err());
                continue;
            }
            let end = step > 0 && rng.u8(..5) == 0;
            let envelope = if end { signer.sign_end(time) } else { signer.sign(&message, time) }.expect("signs");
            let (expected, signature) =
                sign_with_aws_sigv4((!end).then_some(&message), &previous, time, region, service);
            assert_eq!(envelope.encode().expect("encodes").as_ref(), expected.as_slice(), "{message:?} at {time:?}");
            assert_eq!(signer.previous_signature(), signature);
            previous = signature;
            if end {
                ends += 1;
                break;
            }
            signed += 1;
        }
    }
    eprintln!(
        "event stream signing: {CHAINS} chains, {signed} events and {ends} stream ends signed as aws-sigv4 signs"
    );
    assert!(signed > CHAINS && ends > 0);
}
