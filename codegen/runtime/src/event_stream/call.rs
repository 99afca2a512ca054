//! The call of an event-stream operation: [`send_streaming`] sends the request like
//! [`send`](crate::client::send) (endpoint, SDK headers, signing, timeouts) but hands back the
//! response as soon as its head arrives, its body still streaming; an input stream becomes the
//! request body, each event signed into the chain the request's signature starts.

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH};
use http::{Request, Response, Version};

use super::{EventSigner, EventStreamInput, Marshal};
use crate::config::{Config, ServiceSpec};
use crate::error::call::{SdkError, TimeoutError, TimeoutKind};
use crate::retry::retry_reason;
use crate::send::{decoded, route, RequestParts};
use crate::signing::X_AMZ_CONTENT_SHA256;
use crate::transport::{BodyStream, RequestBody, ResponseBody, TransportError};

/// The payload hash a request whose body is signed event by event is signed with.
const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// An error response's body is read whole to be parsed; like a buffered call's, it is capped.
const MAX_ERROR_BODY: usize = crate::transport::HyperTransport::DEFAULT_MAX_RESPONSE_BYTES;

/// The events an operation sends, typed away so [`send_streaming`] is not generic over them.
pub struct EventBody(pub(super) Box<dyn FnOnce(Option<EventSigner>) -> BodyStream + Send>);

impl EventBody {
    /// The body that sends `input`'s events.
    pub fn new<T: Marshal + Send + 'static>(input: EventStreamInput<T>) -> Self {
        Self(Box::new(move |signer| input.into_body(signer)))
    }

    /// The body that sends the `initial-request` message of awsJson protocols (the input's
    /// other members, `payload`, as JSON of `content_type`), then `input`'s events.
    pub fn with_initial_request<T: Marshal + Send + 'static>(
        input: EventStreamInput<T>,
        payload: Bytes,
        content_type: &str,
    ) -> Self {
        let initial = super::wire::event_message("initial-request");
        let initial = super::wire::with_content(initial, payload, content_type);
        Self(Box::new(move |signer| input.into_body_after(Some(initial), signer)))
    }
}

impl std::fmt::Debug for EventBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventBody")
    }
}

/// Sends the request of an event-stream operation and returns the response once its head has
/// arrived. A successful response's body streams; an error response's body has been read
/// whole (see [`collect_response`]).
///
/// Without an input stream, attempts are retried as [`send`](crate::client::send) retries them,
/// until a response head says success. With one, there is a single attempt: the events cannot be
/// sent twice. The attempt timeout and the operation timeout bound the wait for the response
/// head, not the life of the stream.
pub async fn send_streaming<E>(
    config: &Config,
    spec: &'static ServiceSpec,
    operation: &'static str,
    parts: RequestParts,
    events: Option<EventBody>,
) -> Result<Response<ResponseBody>, SdkError<E>> {
    let call = attempts(config, spec, operation, &parts, events);
    match config.timeouts().operation_timeout() {
        None => call.await,
        Some(limit) => match tokio::time::timeout(limit, call).await {
            Ok(outcome) => outcome,
            Err(_) => Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Operation, limit))),
        },
    }
}

/// An error response (body read whole), as generated error parsers take it.
///
/// # Errors
/// The body could not be read to its end.
pub async fn collect_response<E>(response: Response<ResponseBody>) -> Result<Response<Bytes>, SdkError<E>> {
    let (head, body) = response.into_parts();
    let bytes = body.collect(MAX_ERROR_BODY).await.map_err(SdkError::Transport)?;
    decoded(Response::from_parts(head, bytes)).map_err(SdkError::ResponseParse)
}

async fn attempts<E>(
    config: &Config,
    spec: &'static ServiceSpec,
    operation: &'static str,
    parts: &RequestParts,
    mut events: Option<EventBody>,
) -> Result<Response<ResponseBody>, SdkError<E>> {
    let route = route(config, spec, parts).await?;
    let invocation_id = crate::sdk_headers::invocation_id();
    let max_attempts = if events.is_some() { 1 } else { config.retry().max_attempts() };
    let mut attempt = 1;
    loop {
        let mut request = route.signed_request(config, spec, &invocation_id, attempt, max_attempts).await?;
        if parts.http2 {
            *request.version_mut() = Version::HTTP_2;
        }
        let request = match events.take() {
            None => request.map(RequestBody::Bytes),
            Some(events) => {
                let signer = match config.credentials_provider() {
                    Some(provider) => {
                        let credentials = provider.load().await.map_err(SdkError::Credentials)?;
                        // The chain starts from the request's signature, so the request is signed
                        // again with the streaming payload hash.
                        request.headers_mut().insert(X_AMZ_CONTENT_SHA256, HeaderValue::from_static(STREAMING_EVENTS));
                        request.headers_mut().remove(CONTENT_LENGTH);
                        request.headers_mut().remove(AUTHORIZATION);
                        crate::signing::sign_request_with(
                            &mut request,
                            &credentials,
                            &route.signing_region,
                            &route.signing_name,
                            std::time::SystemTime::now(),
                            route.path_signing,
                        )?;
                        let seed = seed_signature(&request).unwrap_or_default();
                        Some(EventSigner::new(credentials, &route.signing_region, &route.signing_name, &seed))
                    }
                    None => {
                        request.headers_mut().remove(CONTENT_LENGTH);
                        None
                    }
                };
                let body = (events.0)(signer);
                request.map(|_| RequestBody::Stream(body))
            }
        };
        let (result, reason) = match attempt_head(config, request).await {
            Ok(response) if response.status().is_success() => return Ok(response),
            // An error response is read whole: it decides the retry, and its parser needs it.
            Ok(response) => {
                let response = collect_response::<E>(response).await?;
                let reason = retry_reason(&response, parts.retryable_codes);
                let (head, body) = response.into_parts();
                (Ok(Response::from_parts(head, ResponseBody::from_bytes(body))), reason)
            }
            Err(Failure::Transport(err)) => {
                let reason = err.is_retryable().then(|| err.to_string());
                (Err(SdkError::Transport(err.with_attempts(attempt))), reason)
            }
            Err(Failure::TimedOut(after)) => (
                Err(SdkError::Timeout(TimeoutError::new(TimeoutKind::Attempt, after).with_attempts(attempt))),
                Some(format!("attempt timed out after {after:?}")),
            ),
        };
        match reason {
            Some(reason) if attempt < max_attempts => {
                tracing::debug!(service = spec.sdk_id, operation, attempt, %reason, "retrying");
                tokio::time::sleep(config.retry().backoff(attempt, fastrand::f64())).await;
                attempt += 1;
            }
            _ => return result,
        }
    }
}

/// Why an attempt gave no response head.
enum Failure {
    Transport(TransportError),
    TimedOut(Duration),
}

/// Sends one request and waits for its response head under the attempt timeout.
async fn attempt_head(config: &Config, request: Request<RequestBody>) -> Result<Response<ResponseBody>, Failure> {
    let sent = config.transport().send_streaming(request);
    let outcome = match config.timeouts().attempt_timeout() {
        None => sent.await,
        Some(limit) => tokio::time::timeout(limit, sent).await.map_err(|_| Failure::TimedOut(limit))?,
    };
    outcome.map_err(Failure::Transport)
}

/// The hex signature of a signed request (`..., Signature=<hex>`), which seeds the event chain.
fn seed_signature<B>(request: &Request<B>) -> Option<String> {
    let authorization = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    authorization.rsplit_once("Signature=").map(|(_, signature)| signature.trim().to_owned())
}
