//! Chained SigV4 signatures of the events a client sends (the `AWS4-HMAC-SHA256-PAYLOAD`
//! scheme of Transcribe streaming, Lex, Bedrock and the other services with input streams).
//!
//! Each event is encoded and becomes the payload of an envelope message with two headers:
//! `:chunk-signature` (the 32 bytes of the signature) and `:date` (the signing time, in whole
//! seconds). The string to sign is
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <x-amz-date of the time>
//! <YYYYMMDD>/<region>/<service>/aws4_request
//! <hex of the previous signature>
//! <hex SHA-256 of the encoded `:date` header>
//! <hex SHA-256 of the envelope's payload>
//! ```
//!
//! signed with the request's signing key; the first "previous signature" is the HTTP request's.

use std::fmt;
use std::time::SystemTime;

use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::decode::FrameError;
use super::frame::{write_headers, Header, HeaderValue, Message};
use crate::credentials::Credentials;
use crate::signing::canonical::{push_hex, push_scope, unix_seconds, AmzDate, ALGORITHM};
use crate::signing::key;

/// The signature header of an envelope.
const CHUNK_SIGNATURE: &str = ":chunk-signature";
/// The time header of an envelope.
const DATE: &str = ":date";

/// Signs the events of one stream, each signature chained to the one before.
#[derive(Debug, Clone)]
pub struct EventSigner {
    credentials: Credentials,
    region: String,
    service: String,
    /// Hex of the last signature: the request's, then each envelope's.
    previous: String,
}

impl EventSigner {
    /// A signer for the stream of the request signed with `credentials` for `region` and
    /// `service`, whose `Authorization` header has the (hex) signature `seed_signature`.
    pub fn new(credentials: Credentials, region: &str, service: &str, seed_signature: &str) -> Self {
        Self {
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
            previous: seed_signature.to_owned(),
        }
    }

    /// The envelope of `message`: its encoding as the payload, signed at `time` (truncated to
    /// the second) after the previous signature. The signature becomes the next one's previous.
    pub fn sign(&mut self, message: &Message, time: SystemTime) -> Result<Message, SignError> {
        let payload = message.encode().map_err(SignError::encoding)?;
        self.sign_payload(payload, time)
    }

    /// The envelope with an empty payload that ends the stream, signed as [`sign`](Self::sign)
    /// signs.
    pub fn sign_end(&mut self, time: SystemTime) -> Result<Message, SignError> {
        self.sign_payload(Bytes::new(), time)
    }

    /// The hex signature the next envelope is chained to.
    pub fn previous_signature(&self) -> &str {
        &self.previous
    }

    fn sign_payload(&mut self, payload: Bytes, time: SystemTime) -> Result<Message, SignError> {
        let amz_date = AmzDate::new(time).ok_or(SignError(Cause::Clock))?;
        // `AmzDate` accepts only the years 0000-9999, whose milliseconds fit an i64.
        let millis = unix_seconds(time).and_then(|seconds| seconds.checked_mul(1000)).ok_or(SignError(Cause::Clock))?;
        let date = Header { name: DATE.to_owned(), value: HeaderValue::Timestamp(millis) };
        let mut date_encoded = Vec::with_capacity(16);
        write_headers(std::slice::from_ref(&date), &mut date_encoded)
            .map_err(|problem| SignError::encoding(FrameError::encoding(problem)))?;

        let mut string_to_sign = String::with_capacity(320);
        string_to_sign.push_str(ALGORITHM);
        string_to_sign.push_str("-PAYLOAD\n");
        string_to_sign.push_str(amz_date.as_str());
        string_to_sign.push('\n');
        push_scope(&mut string_to_sign, &amz_date, &self.region, &self.service);
        string_to_sign.push('\n');
        string_to_sign.push_str(&self.previous);
        string_to_sign.push('\n');
        push_hex(&mut string_to_sign, &Sha256::digest(&date_encoded));
        string_to_sign.push('\n');
        push_hex(&mut string_to_sign, &Sha256::digest(&payload));

        let mac = key::signing_mac(&self.credentials, amz_date.date(), &self.region, &self.service)
            .map_err(|_| SignError(Cause::Key))?;
        let signature = key::signature(mac, string_to_sign.as_bytes());
        self.previous.clear();
        push_hex(&mut self.previous, &signature);

        // The order aws-sigv4 writes, so that envelopes are byte for byte those of the AWS SDKs.
        Ok(Message::new(payload)
            .with_header(CHUNK_SIGNATURE, HeaderValue::ByteArray(Bytes::copy_from_slice(&signature)))
            .with_header(DATE, date.value))
    }
}

/// Why an event could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignError(Cause);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Cause {
    /// The event cannot be encoded.
    Encoding(FrameError),
    /// The signing time is outside the years 0000-9999 that SigV4 dates can write.
    Clock,
    /// The signing key could not be derived (HMAC takes keys of any length, so not expected).
    Key,
}

impl SignError {
    fn encoding(error: FrameError) -> Self {
        Self(Cause::Encoding(error))
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot sign the event: ")?;
        match &self.0 {
            Cause::Encoding(error) => write!(f, "{error}"),
            Cause::Clock => f.write_str("the clock is outside the years 0000-9999"),
            Cause::Key => f.write_str("the signing key could not be derived"),
        }
    }
}

// The encoding error's text is part of the message, so it is not also a `source`.
impl std::error::Error for SignError {}
