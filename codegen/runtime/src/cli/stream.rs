//! Event streams on the command line: a received stream prints one line of JSON per event as
//! it arrives; a sent stream reads one event per line of JSON from standard input.

use std::future::Future;
use std::io::BufRead as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::call::{render_output, Call};
use super::input::{check, input_json, input_text, parse_input_value};
use super::{print, Failure};
use crate::client::{Config, SdkError};
use crate::event_stream::{EventReceiver, EventStreamInput, Unmarshal};
use crate::primitives::with_iso8601_timestamps;
use crate::validation::ValidationError;

/// How many events read from standard input may wait to be sent.
const STDIN_BACKLOG: usize = 16;

impl Call<'_> {
    /// Like [`run`](Call::run), for an operation whose output streams events: prints the
    /// output's other members (when it has any), then each event, as one line of JSON, as it
    /// arrives. `events` picks the stream out of the output.
    pub fn run_streaming<I, O, T, E, F, Fut>(
        &self,
        validate: fn(&I) -> Result<(), ValidationError>,
        send: F,
        events: fn(&mut O) -> &mut EventReceiver<T>,
    ) -> Result<(), Failure>
    where
        I: DeserializeOwned,
        O: Serialize,
        T: Unmarshal + Serialize,
        F: FnOnce(Config, I) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E>>>,
    {
        let operation = self.operation();
        let (text, source) = input_text(self.args().input.as_deref())?;
        let hint = self.input_hint();
        let json = input_json(&text, &source)?;
        let (input, missing) = parse_input_value::<I>(json, &text, &source, operation, &hint)?;
        if !self.args().no_validate {
            check(&input, validate, missing, operation)?;
        }
        let (runtime, config) = self.runtime_and_config()?;
        runtime.block_on(async {
            let mut output = send(config, input)
                .await
                .map_err(|err| Failure::call(format!("{} failed: {err}", operation.model_name)))?;
            if let Some(text) = render_output(&output)? {
                print(&text)?;
            }
            let stream = events(&mut output);
            loop {
                match stream.recv().await {
                    Ok(Some(event)) => print(&event_line(&event)?)?,
                    Ok(None) => return Ok(()),
                    Err(err) => {
                        return Err(Failure::call(format!("{}'s event stream failed: {err}", operation.model_name)))
                    }
                }
            }
        })
    }
}

/// One event as a line of compact JSON, timestamps in ISO 8601.
fn event_line<T: Serialize>(event: &T) -> Result<String, Failure> {
    let mut line = with_iso8601_timestamps(|| serde_json::to_string(event))
        .map_err(|err| Failure::call(format!("cannot print an event: {err}")))?;
    line.push('\n');
    Ok(line)
}

/// The events to send, read from standard input: one JSON object per line (blank lines are
/// skipped), e.g. `{"textEvent": {"userMessage": "hello"}}`. The stream ends with the input; a
/// line that is not an event is reported on standard error and ends it too.
pub fn stdin_events<T: DeserializeOwned + Send + 'static>() -> EventStreamInput<T> {
    let (sender, receiver) = tokio::sync::mpsc::channel(STDIN_BACKLOG);
    // Reading the terminal blocks, so a thread of its own feeds the call.
    std::thread::spawn(move || {
        for (number, line) in std::io::stdin().lock().lines().enumerate() {
            let line = match line {
                Ok(line) => line,
                Err(err) => {
                    eprintln!("cannot read the events from standard input: {err}");
                    return;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<T>(&line) {
                Ok(event) => {
                    if sender.blocking_send(event).is_err() {
                        return;
                    }
                }
                Err(err) => {
                    eprintln!("line {} of standard input is not an event: {err}; no more events are sent", number + 1);
                    return;
                }
            }
        }
    });
    EventStreamInput::new(Received(receiver))
}

/// A channel's receiving end as a stream.
struct Received<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> Stream for Received<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        Pin::into_inner(self).0.poll_recv(cx)
    }
}
