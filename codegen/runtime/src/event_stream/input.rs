//! Sent event streams: an [`EventStreamInput`] holds the caller's events; the call turns it into
//! the request body, each event marshalled, signed into the SigV4 chain and framed, then the
//! end-of-stream message.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;

use bytes::Bytes;
use futures_core::Stream;

use super::{EventSigner, Message};
use crate::error::call::ConstructionError;
use crate::transport::{BodyStream, TransportError};

/// The events of a streamed union, as generated code writes them into messages.
pub trait Marshal {
    /// The message carrying this event (or exception): its `:message-type`, `:event-type` (or
    /// `:exception-type`), `:content-type`, header members and payload.
    ///
    /// # Errors
    /// The event cannot be written, e.g. the union's `Unknown` variant.
    fn marshal(&self) -> Result<Message, ConstructionError>;
}

type Events<T> = Pin<Box<dyn Stream<Item = T> + Send>>;

/// The events a call sends to the service, produced while the call runs: from a [`Stream`]
/// (e.g. a channel's receiver, for events that depend on what the service answers) or a list.
pub struct EventStreamInput<T> {
    events: Option<Events<T>>,
}

impl<T> EventStreamInput<T> {
    /// Sends the items of `events` as they come; the stream's end ends the event stream.
    pub fn new(events: impl Stream<Item = T> + Send + 'static) -> Self {
        Self { events: Some(Box::pin(events)) }
    }

    /// Sends `events`, then ends the event stream.
    pub fn from_events(events: impl IntoIterator<Item = T, IntoIter: Send + 'static>) -> Self {
        Self::new(IterStream(events.into_iter()))
    }
}

impl<T: Marshal + Send + 'static> EventStreamInput<T> {
    /// The request body: each event marshalled, signed with `signer` (unsigned without
    /// credentials) and framed, then the signed end-of-stream message. A failure ends the body
    /// with an error, which aborts the request.
    #[doc(hidden)]
    pub fn into_body(self, signer: Option<EventSigner>) -> BodyStream {
        self.into_body_after(None, signer)
    }

    /// [`into_body`](Self::into_body), sending `initial` first (the `initial-request` message
    /// of awsJson streams).
    pub(crate) fn into_body_after(self, initial: Option<Message>, signer: Option<EventSigner>) -> BodyStream {
        Box::pin(Framed { initial, events: self.events, signer, ended: false })
    }
}

impl<T> Default for EventStreamInput<T> {
    /// No events: the stream ends at once.
    fn default() -> Self {
        Self { events: None }
    }
}

impl<T> From<Vec<T>> for EventStreamInput<T>
where
    T: Send + 'static,
{
    fn from(events: Vec<T>) -> Self {
        Self::from_events(events)
    }
}

impl<T> fmt::Debug for EventStreamInput<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamInput").field("empty", &self.events.is_none()).finish_non_exhaustive()
    }
}

/// An iterator as a stream that is always ready.
struct IterStream<I>(I);

// The iterator is never pinned in place (only `next` is called, through `&mut`).
impl<I> Unpin for IterStream<I> {}

impl<I: Iterator> Stream for IterStream<I> {
    type Item = I::Item;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(Pin::into_inner(self).0.next())
    }
}

/// The framed (and signed) messages of a stream of events.
struct Framed<T> {
    /// A message sent before the events.
    initial: Option<Message>,
    events: Option<Events<T>>,
    signer: Option<EventSigner>,
    ended: bool,
}

impl<T: Marshal> Framed<T> {
    /// The bytes of one event's message, signed when there is a signer.
    fn frame(&mut self, event: &T) -> Result<Bytes, TransportError> {
        let message = event.marshal().map_err(|err| TransportError::other(format!("cannot send an event: {err}")))?;
        self.frame_message(message)
    }

    /// The bytes of `message`, signed when there is a signer.
    fn frame_message(&mut self, message: Message) -> Result<Bytes, TransportError> {
        let message = match self.signer.as_mut() {
            Some(signer) => signer
                .sign(&message, SystemTime::now())
                .map_err(|err| TransportError::other(format!("cannot sign an event: {err}")))?,
            None => message,
        };
        message.encode().map_err(|err| TransportError::other(format!("cannot frame an event: {err}")))
    }

    /// The signed empty message that ends a signed stream (none for an unsigned one).
    fn end(&mut self) -> Option<Result<Bytes, TransportError>> {
        let signer = self.signer.as_mut()?;
        Some(
            signer
                .sign_end(SystemTime::now())
                .map_err(|err| TransportError::other(format!("cannot sign the end of the event stream: {err}")))
                .and_then(|message| {
                    message.encode().map_err(|err| TransportError::other(format!("cannot frame the end: {err}")))
                }),
        )
    }
}

impl<T: Marshal> Stream for Framed<T> {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = Pin::into_inner(self);
        if this.ended {
            return Poll::Ready(None);
        }
        if let Some(initial) = this.initial.take() {
            let frame = this.frame_message(initial);
            this.ended = frame.is_err();
            return Poll::Ready(Some(frame));
        }
        let next = match this.events.as_mut() {
            Some(events) => events.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        };
        match next {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(event)) => {
                let frame = this.frame(&event);
                if frame.is_err() {
                    this.ended = true;
                }
                Poll::Ready(Some(frame))
            }
            Poll::Ready(None) => {
                this.ended = true;
                this.events = None;
                Poll::Ready(this.end())
            }
        }
    }
}
