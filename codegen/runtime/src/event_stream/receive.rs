//! Received event streams: an [`EventReceiver`] reads the response body as it arrives, splits it
//! into messages and turns each into an event, a modeled error or the end of the stream.

use std::fmt;
use std::future::poll_fn;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::Response;

use super::{HeaderValue, Message, MessageDecoder};
use crate::error::call::{ResponseParseError, SdkError, ServiceError};
use crate::error::metadata::request_id;
use crate::error::ErrorMetadata;
use crate::transport::ResponseBody;

/// The events of a streamed union, as generated code reads them from messages.
pub trait Unmarshal: Sized {
    /// The stream's error enum: its modeled exceptions, and `Unhandled` for any other.
    type Error;

    /// Reads an event message whose `:event-type` is `event_type`; an event type the model
    /// does not know becomes the union's `Unknown` variant. Fails with what is wrong.
    fn unmarshal_event(event_type: &str, message: &Message) -> Result<Self, String>;

    /// Reads an exception (`:exception-type`) or error (`:error-code`) message named `code`.
    fn unmarshal_exception(code: &str, message: &Message, meta: ErrorMetadata) -> Self::Error;
}

/// A stream of events from the service, read as they arrive: [`recv`](Self::recv) them one at a
/// time, or use the receiver as a [`Stream`].
///
/// A modeled exception sent mid-stream arrives as `Err(SdkError::Service(..))` holding the
/// stream's error enum; a corrupt or truncated message, a dropped connection or a malformed event
/// as the matching [`SdkError`] variant. After an error, or at the end, the stream is over.
pub struct EventReceiver<T: Unmarshal> {
    body: Option<ResponseBody>,
    decoder: MessageDecoder,
    /// What [`initial_response`](Self::initial_response) read ahead that was not the initial
    /// response: an event, or the failure to read one.
    pending: Option<Result<Message, SdkError<T::Error>>>,
    status: u16,
    request_id: Option<String>,
    _events: PhantomData<fn() -> T>,
}

impl<T: Unmarshal> EventReceiver<T> {
    /// The events of `body`, the body of the successful response whose head is `head`.
    #[doc(hidden)]
    pub fn new(head: &Response<Bytes>, body: ResponseBody) -> Self {
        Self {
            body: Some(body),
            decoder: MessageDecoder::new(),
            pending: None,
            status: head.status().as_u16(),
            request_id: request_id(head.headers()),
            _events: PhantomData,
        }
    }

    /// The next event; `Ok(None)` once the stream is over.
    ///
    /// # Errors
    /// A modeled exception or unmodeled error message from the service
    /// ([`SdkError::Service`]), a message that cannot be read ([`SdkError::ResponseParse`]), or
    /// a connection failure ([`SdkError::Transport`]). The stream ends after any of them.
    pub async fn recv(&mut self) -> Result<Option<T>, SdkError<T::Error>> {
        poll_fn(|cx| self.poll_event(cx)).await
    }

    /// Reads the `initial-response` message that awsJson services send first, if the stream
    /// starts with one; any other first message, or the failure to read one, is kept for
    /// [`recv`](Self::recv).
    #[doc(hidden)]
    pub async fn initial_response(&mut self) -> Option<Message> {
        match poll_fn(|cx| self.poll_message(cx)).await {
            Ok(Some(message)) if is_initial_response(&message) => Some(message),
            Ok(Some(message)) => {
                self.pending = Some(Ok(message));
                None
            }
            Ok(None) => None,
            Err(err) => {
                self.pending = Some(Err(err));
                None
            }
        }
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<T>, SdkError<T::Error>>> {
        loop {
            let message = match self.poll_message(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(Some(message))) => message,
                Poll::Ready(other) => return Poll::Ready(other.map(|_| None)),
            };
            match self.read(message) {
                Ok(Some(event)) => return Poll::Ready(Ok(Some(event))),
                Ok(None) => continue,
                Err(err) => {
                    self.body = None;
                    return Poll::Ready(Err(err));
                }
            }
        }
    }

    /// The next whole message of the body.
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Message>, SdkError<T::Error>>> {
        if let Some(pending) = self.pending.take() {
            return Poll::Ready(pending.map(Some));
        }
        loop {
            match self.decoder.next_message() {
                Ok(Some(message)) => return Poll::Ready(Ok(Some(message))),
                Ok(None) => {}
                Err(err) => return Poll::Ready(Err(self.fail(err.to_string()))),
            }
            let Some(body) = self.body.as_mut() else { return Poll::Ready(Ok(None)) };
            match Pin::new(body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.decoder.push(&chunk),
                Poll::Ready(Some(Err(err))) => {
                    self.body = None;
                    return Poll::Ready(Err(SdkError::Transport(err)));
                }
                Poll::Ready(None) => {
                    self.body = None;
                    return Poll::Ready(match self.decoder.finish() {
                        Ok(()) => Ok(None),
                        Err(err) => Err(self.fail(err.to_string())),
                    });
                }
            }
        }
    }

    /// A parse failure that ends the stream.
    fn fail(&mut self, message: String) -> SdkError<T::Error> {
        self.body = None;
        self.decoder = MessageDecoder::new();
        let message = format!("event stream: {message}");
        SdkError::ResponseParse(ResponseParseError::from_parts(self.status, self.request_id.clone(), message))
    }

    /// An event (`Ok(Some)`), a message to skip (`Ok(None)`), or the error the message carries.
    fn read(&mut self, message: Message) -> Result<Option<T>, SdkError<T::Error>> {
        match message.header(":message-type") {
            Some(HeaderValue::String(kind)) if kind == "event" => {
                let Some(event_type) = message.header_str(":event-type") else {
                    return Err(self.fail("an event message without a string `:event-type` header".to_owned()));
                };
                if event_type == "initial-response" {
                    return Ok(None);
                }
                T::unmarshal_event(event_type, &message)
                    .map(Some)
                    .map_err(|why| self.fail(format!("`{event_type}` event: {why}")))
            }
            Some(HeaderValue::String(kind)) if kind == "exception" => {
                let Some(code) = message.header_str(":exception-type") else {
                    return Err(self.fail("an exception message without a string `:exception-type` header".to_owned()));
                };
                let meta = self.meta(code, payload_message(message.payload()));
                Err(SdkError::Service(ServiceError::new(T::unmarshal_exception(code, &message, meta.clone()), meta)))
            }
            Some(HeaderValue::String(kind)) if kind == "error" => {
                let code = message.header_str(":error-code").unwrap_or("unknown");
                let meta = self.meta(code, message.header_str(":error-message").map(str::to_owned));
                Err(SdkError::Service(ServiceError::new(T::unmarshal_exception(code, &message, meta.clone()), meta)))
            }
            Some(HeaderValue::String(kind)) => {
                let kind = crate::error::printable::printable(kind, 40);
                Err(self.fail(format!("unknown `:message-type` `{kind}`")))
            }
            Some(_) => Err(self.fail("the `:message-type` header is not a string".to_owned())),
            None => Err(self.fail("a message without a `:message-type` header".to_owned())),
        }
    }

    fn meta(&self, code: &str, message: Option<String>) -> ErrorMetadata {
        ErrorMetadata {
            code: Some(code.to_owned()),
            message,
            status: Some(self.status),
            request_id: self.request_id.clone(),
        }
    }
}

/// The head of a streaming response (with an empty body, for the output parser) and its body.
#[doc(hidden)]
pub fn split_response(response: Response<ResponseBody>) -> (Response<Bytes>, ResponseBody) {
    let (head, body) = response.into_parts();
    (Response::from_parts(head, Bytes::new()), body)
}

/// Whether `message` is the `initial-response` event of an awsJson stream.
fn is_initial_response(message: &Message) -> bool {
    message.header_str(":message-type") == Some("event")
        && message.header_str(":event-type") == Some("initial-response")
}

/// The `message` (or `Message`) member of an exception's JSON payload.
fn payload_message(payload: &Bytes) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let object = value.as_object()?;
    object.iter().find(|(key, _)| key.eq_ignore_ascii_case("message")).and_then(|(_, v)| v.as_str()).map(str::to_owned)
}

// Nothing of the receiver is pinned in place: the body is polled through `Pin::new` (it is
// boxed), the rest is plain data. So it can be polled through `&mut`, whatever the events are.
impl<T: Unmarshal> Unpin for EventReceiver<T> {}

impl<T: Unmarshal> Stream for EventReceiver<T> {
    type Item = Result<T, SdkError<T::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = Pin::into_inner(self);
        this.poll_event(cx).map(Result::transpose)
    }
}

impl<T: Unmarshal> Default for EventReceiver<T> {
    /// A stream that is already over.
    fn default() -> Self {
        Self {
            body: None,
            decoder: MessageDecoder::new(),
            pending: None,
            status: 200,
            request_id: None,
            _events: PhantomData,
        }
    }
}

impl<T: Unmarshal> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("open", &self.body.is_some())
            .field("buffered", &self.decoder.buffered())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}
