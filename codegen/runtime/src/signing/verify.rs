//! An independent SigV4 verifier for tests: recomputes the signature of a request as received
//! from the SigV4 specification (it shares no code with the signer) and compares.

use bytes::Bytes;
use http::Request;

/// The fields of an `Authorization: AWS4-HMAC-SHA256 ...` header.
struct Authorization<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

/// Checks the SigV4 signature of `request` (absolute URI, or origin-form with a `host`
/// header as a server receives it) against the secret key. The error says what differs and
/// shows the canonical request that was verified.
pub fn verify(request: &Request<Bytes>, secret: &str) -> Result<(), String> {
    verify_with(request, secret, true)
}

/// [`verify`] for S3-style signing (`disableDoubleEncoding` and `disableNormalizePath`): the
/// canonical path is the path as sent, encoded once and not normalized.
pub fn verify_single_encoded(request: &Request<Bytes>, secret: &str) -> Result<(), String> {
    verify_with(request, secret, false)
}

fn verify_with(request: &Request<Bytes>, secret: &str, double_encoded: bool) -> Result<(), String> {
    let header = request
        .headers()
        .get("authorization")
        .ok_or("no authorization header")?
        .to_str()
        .map_err(|_| "the authorization header is not ASCII")?;
    let auth = parse_authorization(header)?;
    for required in ["host", "x-amz-date"] {
        if !auth.signed_headers.contains(&required) {
            return Err(format!("`{required}` is not a signed header"));
        }
    }
    let amz_date = header_values(request, "x-amz-date")?;
    if !amz_date.starts_with(auth.date) || amz_date.len() != 16 {
        return Err(format!("x-amz-date `{amz_date}` does not match the scope date {}", auth.date));
    }
    let canonical = canonical_request(request, &auth.signed_headers, double_encoded)?;
    let scope = format!("{}/{}/{}/aws4_request", auth.date, auth.region, auth.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes()).as_ref())
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    for part in [auth.region, auth.service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
    if expected == auth.signature {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch for {}: got {}, expected {expected}\ncanonical request:\n{canonical}",
            auth.access_key_id, auth.signature
        ))
    }
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, String> {
    let rest = header
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or_else(|| format!("not a SigV4 authorization header: `{header}`"))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for field in rest.split(',') {
        let (name, value) = field.trim().split_once('=').ok_or("malformed authorization field")?;
        match name {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed = Some(value),
            "Signature" => signature = Some(value),
            _ => return Err(format!("unknown authorization field `{name}`")),
        }
    }
    let credential = credential.ok_or("no Credential")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
        return Err(format!("malformed credential scope `{credential}`"));
    };
    let signed_headers: Vec<&str> = signed.ok_or("no SignedHeaders")?.split(';').collect();
    let mut sorted = signed_headers.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted != signed_headers || signed_headers.iter().any(|name| name.is_empty()) {
        return Err("SignedHeaders are not sorted, unique, lowercase names".to_owned());
    }
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers,
        signature: signature.ok_or("no Signature")?,
    })
}

/// The canonical request of the SigV4 specification: for services other than S3 the path is
/// normalized and encoded twice (`double_encoded`), for S3 it is used as sent.
fn canonical_request(request: &Request<Bytes>, signed: &[&str], double_encoded: bool) -> Result<String, String> {
    let mut headers = String::new();
    for name in signed {
        let value = if *name == "host" { host(request)? } else { header_values(request, name)? };
        headers.push_str(&format!("{name}:{value}\n"));
    }
    Ok(format!(
        "{}\n{}\n{}\n{headers}\n{}\n{}",
        request.method(),
        if double_encoded { canonical_path(request.uri().path()) } else { single_encoded_path(request.uri().path()) },
        canonical_query(request.uri().query().unwrap_or("")),
        signed.join(";"),
        payload_hash(request)
    ))
}

/// The signed payload hash: the `x-amz-content-sha256` header when the request has one (a
/// streamed body's `STREAMING-AWS4-HMAC-SHA256-EVENTS`), else the SHA-256 of the body.
fn payload_hash(request: &Request<Bytes>) -> String {
    match request.headers().get("x-amz-content-sha256").and_then(|v| v.to_str().ok()) {
        Some(declared) => declared.to_owned(),
        None => hex(ring::digest::digest(&ring::digest::SHA256, request.body()).as_ref()),
    }
}

/// Checks the chain of event signatures of a signed event stream, as a service does: each
/// envelope's `:chunk-signature` signs its `:date` header and payload (the encoded event) with
/// the previous signature, starting from the request's (`seed_signature`, hex). `envelopes` are
/// the messages of the body in order, the last the empty one that ends the stream. Returns the
/// encoded events; the error names the first envelope that does not verify.
pub fn verify_event_chain(
    envelopes: &[crate::event_stream::Message],
    seed_signature: &str,
    secret: &str,
    scope: (&str, &str, &str),
) -> Result<Vec<Bytes>, String> {
    use crate::event_stream::HeaderValue;
    let (date, region, service) = scope;
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let mut previous = seed_signature.to_owned();
    let mut events = Vec::new();
    for (index, envelope) in envelopes.iter().enumerate() {
        let Some(HeaderValue::Timestamp(millis)) = envelope.header(":date") else {
            return Err(format!("envelope {index}: no `:date` timestamp header"));
        };
        let Some(HeaderValue::ByteArray(signature)) = envelope.header(":chunk-signature") else {
            return Err(format!("envelope {index}: no `:chunk-signature` byte-array header"));
        };
        // The `:date` header as encoded: name length, name, type 8, big-endian milliseconds.
        let mut date_header = vec![5u8];
        date_header.extend_from_slice(b":date");
        date_header.push(8);
        date_header.extend_from_slice(&millis.to_be_bytes());
        let seconds = millis.div_euclid(1000);
        let time =
            time::OffsetDateTime::from_unix_timestamp(seconds).map_err(|err| format!("envelope {index}: {err}"))?;
        let amz_date = format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            time.year(),
            u8::from(time.month()),
            time.day(),
            time.hour(),
            time.minute(),
            time.second()
        );
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{date}/{region}/{service}/aws4_request\n{previous}\n{}\n{}",
            hex(ring::digest::digest(&ring::digest::SHA256, &date_header).as_ref()),
            hex(ring::digest::digest(&ring::digest::SHA256, envelope.payload()).as_ref())
        );
        let expected = hmac(&key, string_to_sign.as_bytes());
        if expected.as_slice() != signature.as_ref() {
            return Err(format!("envelope {index}: the chunk signature does not verify"));
        }
        previous = hex(&expected);
        if !envelope.payload().is_empty() {
            events.push(envelope.payload().clone());
        } else if index + 1 != envelopes.len() {
            return Err(format!("envelope {index}: an empty envelope before the end of the stream"));
        }
    }
    match envelopes.last() {
        Some(last) if last.payload().is_empty() => Ok(events),
        _ => Err("the stream does not end with an empty signed envelope".to_owned()),
    }
}

/// The `host` header, else the URI's host with a non-default port.
fn host(request: &Request<Bytes>) -> Result<String, String> {
    if request.headers().contains_key("host") {
        return header_values(request, "host");
    }
    let uri = request.uri();
    let host = uri.host().ok_or("no host header and no host in the URI")?;
    let default_port = match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    };
    Ok(match uri.port_u16() {
        Some(port) if Some(port) != default_port => format!("{host}:{port}"),
        _ => host.to_owned(),
    })
}

/// All values of a header, each trimmed with inner runs of spaces collapsed, joined by `,`.
fn header_values(request: &Request<Bytes>, name: &str) -> Result<String, String> {
    let mut values = Vec::new();
    for value in request.headers().get_all(name) {
        let text = std::str::from_utf8(value.as_bytes()).map_err(|_| format!("header `{name}` is not UTF-8"))?;
        values.push(text.split(' ').filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" "));
    }
    if values.is_empty() {
        return Err(format!("signed header `{name}` is missing"));
    }
    Ok(values.join(","))
}

/// The path as sent (`/` when empty); its percent-escapes are kept, anything else outside the
/// unreserved characters and `/` is encoded.
fn single_encoded_path(path: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// RFC 3986 dot-segment removal (empty segments dropped too), then every byte but
/// unreserved characters and `/` percent-encoded (so `%2F` becomes `%252F`).
fn canonical_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    let trailing = ["/", "/.", "/..", "/./", "/../"].iter().any(|end| path.ends_with(end));
    if trailing && !normalized.ends_with('/') {
        normalized.push('/');
    }
    encode(normalized.as_bytes(), true)
}

/// Parameters decoded (`+` is a space, as form encoding has it), encoded strictly, sorted.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(&decode(name), false), encode(&decode(value), false))
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
}

fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    out
}

fn encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        let unreserved = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
        if unreserved || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    ring::hmac::sign(&key, data).as_ref().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
