//! The typed streams without a generated crate: a two-event union read from bodies cut in
//! every way, messages of each kind, awsJson's initial messages, and sent streams framed and
//! signed into a chain the independent verifier accepts.

use bytes::Bytes;
use http::Response;

use super::*;
use crate::client::{Credentials, SdkError, TransportError};
use crate::error::ErrorMetadata;
use crate::transport::ResponseBody;

/// A union of two events: `ping` (JSON `{"n": ..}`) and `note` (a string payload).
#[derive(Debug, PartialEq)]
enum Event {
    Ping(i64),
    Note(String),
    Unknown,
}

impl Unmarshal for Event {
    type Error = String;

    fn unmarshal_event(event_type: &str, message: &Message) -> Result<Self, String> {
        Ok(match event_type {
            "ping" => {
                let value: serde_json::Value = wire::json_payload(message)?;
                Event::Ping(value["n"].as_i64().ok_or("no n")?)
            }
            "note" => Event::Note(wire::string_payload(message)?),
            _ => Event::Unknown,
        })
    }

    fn unmarshal_exception(code: &str, _message: &Message, meta: ErrorMetadata) -> String {
        format!("{code}: {}", meta.message().unwrap_or_default())
    }
}

impl Marshal for Event {
    fn marshal(&self) -> Result<Message, crate::client::ConstructionError> {
        match self {
            Event::Ping(n) => wire::with_json_payload(wire::event_message("ping"), &serde_json::json!({ "n": n }), &[]),
            Event::Note(text) => Ok(wire::with_string_payload(wire::event_message("note"), text)),
            Event::Unknown => Err(crate::client::ConstructionError::new("unknown")),
        }
    }
}

fn frames(messages: &[Message]) -> Vec<u8> {
    messages.iter().flat_map(|m| m.encode().expect("encodes").to_vec()).collect()
}

fn receiver(body: Vec<u8>, chunk: usize) -> EventReceiver<Event> {
    let chunks: Vec<Result<Bytes, TransportError>> =
        body.chunks(chunk.max(1)).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    let stream: crate::transport::BodyStream = Box::pin(Chunks(chunks.into_iter()));
    let head = Response::builder().status(200).header("x-amzn-requestid", "r-1").body(Bytes::new()).expect("head");
    EventReceiver::new(&head, ResponseBody::from_stream(stream))
}

/// Chunks as a body stream.
struct Chunks(std::vec::IntoIter<Result<Bytes, TransportError>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, TransportError>;
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(std::pin::Pin::into_inner(self).0.next())
    }
}

async fn all(mut receiver: EventReceiver<Event>) -> (Vec<Event>, Option<SdkError<String>>) {
    let mut events = Vec::new();
    loop {
        match receiver.recv().await {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return (events, None),
            Err(err) => return (events, Some(err)),
        }
    }
}

#[tokio::test]
async fn events_read_alike_whatever_the_chunking() {
    let body = frames(&[
        Event::Ping(1).marshal().expect("marshals"),
        Event::Note("hi".into()).marshal().expect("marshals"),
        wire::event_message("later"),
    ]);
    for chunk in [1, 3, 7, 50, body.len()] {
        let (events, err) = all(receiver(body.clone(), chunk)).await;
        assert!(err.is_none(), "chunks of {chunk}: {err:?}");
        assert_eq!(events, [Event::Ping(1), Event::Note("hi".into()), Event::Unknown], "chunks of {chunk}");
    }
}

#[tokio::test]
async fn each_message_kind_and_malformed_message_is_told_apart() {
    let exception =
        wire::with_json_payload(wire::exception_message("Busy"), &serde_json::json!({"Message": "later"}), &[])
            .expect("marshals");
    let (events, err) = all(receiver(frames(&[Event::Ping(2).marshal().expect("ok"), exception]), 5)).await;
    assert_eq!(events, [Event::Ping(2)]);
    let err = err.expect("the exception");
    assert_eq!(err.as_service_error().map(String::as_str), Some("Busy: later"));
    assert_eq!(err.meta().and_then(ErrorMetadata::request_id), Some("r-1"));

    let error = Message::new(Bytes::new())
        .with_header(":message-type", HeaderValue::String("error".into()))
        .with_header(":error-code", HeaderValue::String("Internal".into()))
        .with_header(":error-message", HeaderValue::String("oops".into()));
    let (_, err) = all(receiver(frames(&[error]), 4)).await;
    assert_eq!(err.and_then(|e| e.into_service_error()).as_deref(), Some("Internal: oops"));

    let cases = [
        (Message::new(Bytes::new()), "without a `:message-type` header"),
        (Message::new(Bytes::new()).with_header(":message-type", HeaderValue::Bool(true)), "is not a string"),
        (Message::new(Bytes::new()).with_header(":message-type", HeaderValue::String("what".into())), "unknown"),
        (
            Message::new(Bytes::new()).with_header(":message-type", HeaderValue::String("event".into())),
            "without a string `:event-type`",
        ),
        (wire::with_string_payload(wire::event_message("ping"), "not json"), "`ping` event: invalid JSON payload"),
    ];
    for (message, expected) in cases {
        let (_, err) = all(receiver(frames(&[message]), 9)).await;
        let err = err.expect("a parse error");
        assert!(matches!(err, SdkError::ResponseParse(_)), "{err:?}");
        assert!(err.to_string().contains(expected), "{err} lacks {expected}");
    }

    let mut cut = frames(&[Event::Ping(3).marshal().expect("ok")]);
    cut.truncate(cut.len() - 2);
    let (_, err) = all(receiver(cut, 4)).await;
    assert!(err.expect("truncated").to_string().contains("truncated"));
}

#[tokio::test]
async fn an_initial_response_is_taken_first_and_anything_else_is_kept_for_recv() {
    let initial = wire::with_json_payload(wire::event_message("initial-response"), &serde_json::json!({"a": 1}), &[])
        .expect("marshals");
    let mut with = receiver(frames(&[initial.clone(), Event::Ping(4).marshal().expect("ok")]), 6);
    assert_eq!(with.initial_response().await.map(|m| m.payload().clone()), Some(Bytes::from_static(b"{\"a\":1}")));
    assert_eq!(with.recv().await.expect("an event"), Some(Event::Ping(4)));

    let mut without = receiver(frames(&[Event::Ping(5).marshal().expect("ok")]), 6);
    assert!(without.initial_response().await.is_none());
    assert_eq!(without.recv().await.expect("kept"), Some(Event::Ping(5)));

    let mut broken = receiver(b"\x00\x00\x00\x05garbage".to_vec(), 3);
    assert!(broken.initial_response().await.is_none());
    assert!(matches!(broken.recv().await, Err(SdkError::ResponseParse(_))), "the failure is kept for recv");

    // Without an initial response to read, recv skips one (a stream that never asked for it).
    let (events, err) = all(receiver(frames(&[initial, Event::Ping(6).marshal().expect("ok")]), 100)).await;
    assert!(err.is_none());
    assert_eq!(events, [Event::Ping(6)]);
}

#[tokio::test]
async fn sent_streams_are_framed_and_signed_into_a_verifiable_chain() {
    let credentials = Credentials::new("AKIDEXAMPLE", "SECRET", None);
    let signer = EventSigner::new(credentials, "us-east-1", "svc", "00ff");
    let body = EventBody::with_initial_request(
        EventStreamInput::from(vec![Event::Ping(7), Event::Note("n".into())]),
        Bytes::from_static(b"{\"topic\":\"t\"}"),
        "application/x-amz-json-1.1",
    );
    let mut stream = (body.0)(Some(signer));
    let mut bytes = Vec::new();
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    while let std::task::Poll::Ready(Some(chunk)) = stream.as_mut().poll_next(&mut cx) {
        bytes.extend_from_slice(&chunk.expect("a frame"));
    }
    let mut decoder = MessageDecoder::new();
    decoder.push(&bytes);
    let mut envelopes = Vec::new();
    while let Some(envelope) = decoder.next_message().expect("frames") {
        envelopes.push(envelope);
    }
    let date = {
        let Some(HeaderValue::Timestamp(millis)) = envelopes[0].header(":date") else { panic!("dated") };
        let time = time::OffsetDateTime::from_unix_timestamp(millis / 1000).expect("a time");
        format!("{:04}{:02}{:02}", time.year(), u8::from(time.month()), time.day())
    };
    let events = crate::signing::verify::verify_event_chain(&envelopes, "00ff", "SECRET", (&date, "us-east-1", "svc"))
        .expect("the chain verifies");
    let events: Vec<Message> = events.iter().map(|e| decode_message(e).expect("an event")).collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].header_str(":event-type"), Some("initial-request"));
    assert_eq!(events[0].header_str(":content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(events[1].payload().as_ref(), b"{\"n\":7}");
    assert_eq!(events[2].payload().as_ref(), b"n");

    // An event that cannot be marshalled ends the body with an error.
    let mut failing = EventStreamInput::from(vec![Event::Unknown]).into_body(None);
    let first = failing.as_mut().poll_next(&mut cx);
    assert!(matches!(first, std::task::Poll::Ready(Some(Err(_)))));
    assert!(matches!(failing.as_mut().poll_next(&mut cx), std::task::Poll::Ready(None)));
}
