//! What an error response says about itself: [`ErrorMetadata`] (code, message, status, request
//! id) and how it is read from a response.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, Response};

use crate::protocol::xml::XmlDocument;

/// What the service said about an error, beyond its modeled members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// The error code (shape name), e.g. `ResourceNotFoundException`.
    pub code: Option<String>,
    /// The error message.
    pub message: Option<String>,
    /// The HTTP status code of the response.
    pub status: Option<u16>,
    /// The `x-amzn-requestid` of the response.
    pub request_id: Option<String>,
}

impl ErrorMetadata {
    /// The error code, if the response carried one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message, if the response carried one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request ID, if the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        let mut details = Vec::new();
        if let Some(status) = self.status {
            details.push(format!("HTTP {status}"));
        }
        if let Some(request_id) = &self.request_id {
            details.push(format!("request id {request_id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        Ok(())
    }
}

/// Reads the error metadata of an error response as the AWS JSON protocols define it, and
/// as the query protocols do when the body is XML (the credential providers call STS, and a
/// proxy in front of a JSON service may answer in XML).
///
/// The code comes from the `X-Amzn-Errortype` header, else the body's `code`, else its
/// `__type`, each cleaned by [`sanitize_error_code`] and skipped when that leaves nothing; the
/// message from the body's `message`, `Message` or `errorMessage`; in an XML body, both from
/// the `Error` element's `Code` and `Message`. The request id comes from [`request_id`], else
/// an XML body's `RequestId`. Never fails: a body that is neither just gives fewer fields.
pub fn error_metadata(response: &Response<Bytes>) -> ErrorMetadata {
    let xml = match response.body().trim_ascii_start() {
        body @ [b'<', ..] => std::str::from_utf8(body).ok().and_then(|body| XmlDocument::parse(body).ok()),
        _ => None,
    };
    let body = match xml {
        Some(_) => serde_json::Map::new(),
        None => {
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(response.body()).unwrap_or_default()
        }
    };
    let xml_text = |suffix: &str| {
        let texts = &xml.as_ref()?.texts;
        texts
            .iter()
            .find(|(path, _)| path.ends_with(suffix))
            .map(|(_, text)| text.trim())
            .filter(|text| !text.is_empty())
    };
    let body_string = |key: &str| body.get(key).and_then(|value| value.as_str());
    // A blank header (or one that sanitizes to nothing) falls back to the body, as if absent.
    let header = response.headers().get("x-amzn-errortype").and_then(|value| value.to_str().ok());
    let code = [header, body_string("code"), body_string("__type"), xml_text("Error/Code")]
        .into_iter()
        .flatten()
        .map(sanitize_error_code)
        .find(|code| !code.is_empty())
        .map(str::to_owned);
    let message = ["message", "Message", "errorMessage"]
        .into_iter()
        .find_map(body_string)
        .or_else(|| xml_text("Error/Message"))
        .map(str::to_owned);
    ErrorMetadata {
        code,
        message,
        status: Some(response.status().as_u16()),
        request_id: request_id(response.headers()).or_else(|| xml_text("RequestId").map(str::to_owned)),
    }
}

/// `meta` with the code of the `x-amzn-query-error` header (`Code;Fault`), which services that
/// moved from awsQuery (`@awsQueryCompatible`) send with their query error codes; `meta` as it
/// is when the header is absent or malformed.
pub fn with_query_error_code(response: &Response<Bytes>, mut meta: ErrorMetadata) -> ErrorMetadata {
    let header = response.headers().get("x-amzn-query-error").and_then(|value| value.to_str().ok());
    if let Some((code, _fault)) = header.and_then(|value| value.split_once(';')) {
        let code = code.trim();
        if !code.is_empty() {
            meta.code = Some(code.to_owned());
        }
    }
    meta
}

/// Reduces a raw error code to the shape name: keeps what precedes the first `:`, then what
/// follows the first `#`, e.g. `aws.protocoltests.restjson#FooError:http://...` -> `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.split_once('#').map_or(code, |(_, name)| name);
    code.trim()
}

/// The request id of a response: `x-amzn-requestid`, else `x-amz-request-id`.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .into_iter()
        .filter_map(|name| headers.get(name))
        .find_map(|value| value.to_str().ok())
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::response;
    use http::HeaderValue;

    #[test]
    fn metadata_display_says_what_is_known() {
        let meta = ErrorMetadata {
            code: Some("Boom".into()),
            message: Some("it broke".into()),
            status: Some(500),
            request_id: Some("req-1".into()),
        };
        assert_eq!(meta.to_string(), "Boom: it broke (HTTP 500, request id req-1)");
        assert_eq!(ErrorMetadata::default().to_string(), "unknown error");
    }

    #[test]
    fn error_code_header_wins_over_body() {
        let meta = error_metadata(&response(
            400,
            &[
                ("X-Amzn-Errortype", "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
                ("x-amzn-requestid", "req-1"),
            ],
            r#"{"code": "BarError", "__type": "BazError", "message": "boom"}"#,
        ));
        assert_eq!(meta.code(), Some("FooError"));
        assert_eq!(meta.message(), Some("boom"));
        assert_eq!(meta.status, Some(400));
        assert_eq!(meta.request_id(), Some("req-1"));
    }

    #[test]
    fn a_blank_error_code_header_falls_back_to_the_body() {
        for header in ["", "  ", ":http://internal.amazon.com/coral/"] {
            let meta = error_metadata(&response(400, &[("X-Amzn-Errortype", header)], r#"{"__type": "ns#BazError"}"#));
            assert_eq!(meta.code(), Some("BazError"), "{header:?}");
        }
    }

    #[test]
    fn error_code_from_namespaced_type_and_code_member() {
        let meta = error_metadata(&response(
            404,
            &[],
            r#"{"__type": "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/", "Message": "gone"}"#,
        ));
        assert_eq!(meta.code(), Some("FooError"));
        assert_eq!(meta.message(), Some("gone"));

        let meta =
            error_metadata(&response(400, &[], r#"{"code": "BarError", "__type": "Other", "errorMessage": "e"}"#));
        assert_eq!(meta.code(), Some("BarError"));
        assert_eq!(meta.message(), Some("e"));
    }

    #[test]
    fn xml_error_bodies_of_the_query_protocols_give_code_message_and_request_id() {
        let body = "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
            <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>\
            <RequestId>req-x</RequestId></ErrorResponse>";
        let meta = error_metadata(&response(400, &[], body));
        assert_eq!(
            meta,
            ErrorMetadata {
                code: Some("Throttling".into()),
                message: Some("Rate exceeded".into()),
                status: Some(400),
                request_id: Some("req-x".into()),
            }
        );
        // The header's request id wins; an S3-style `<Error>` root works too.
        let meta =
            error_metadata(&response(403, &[("x-amz-request-id", "hdr")], "<Error><Code>AccessDenied</Code></Error>"));
        assert_eq!((meta.code(), meta.request_id()), (Some("AccessDenied"), Some("hdr")));
    }

    #[test]
    fn the_query_error_header_gives_the_code_of_query_compatible_services() {
        let body = r#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "gone"}"#;
        let header = [("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")];
        let wire = error_metadata(&response(400, &header, body));
        assert_eq!(wire.code(), Some("QueueDoesNotExist"));
        let meta = with_query_error_code(&response(400, &header, body), wire.clone());
        assert_eq!((meta.code(), meta.message()), (Some("AWS.SimpleQueueService.NonExistentQueue"), Some("gone")));
        for malformed in ["no-separator", ";Sender", " ;Receiver"] {
            let response = response(400, &[("x-amzn-query-error", malformed)], body);
            assert_eq!(with_query_error_code(&response, wire.clone()), wire, "{malformed}");
        }
        assert_eq!(with_query_error_code(&response(400, &[], body), wire.clone()), wire);
    }

    #[test]
    fn garbage_error_body_still_gives_status_and_request_id() {
        let meta = error_metadata(&response(502, &[("x-amz-request-id", "req-2")], "<html>Bad Gateway"));
        assert_eq!(
            meta,
            ErrorMetadata { code: None, message: None, status: Some(502), request_id: Some("req-2".into()) }
        );
        // Non-string members are ignored rather than failing.
        let meta = error_metadata(&response(400, &[], r#"{"code": 12, "message": null}"#));
        assert_eq!((meta.code(), meta.message()), (None, None));
    }

    #[test]
    fn sanitizing_error_codes() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(sanitize_error_code("ns.a#FooError"), "FooError");
        assert_eq!(sanitize_error_code("FooError:http://internal.amazon.com/coral/x#y"), "FooError");
        assert_eq!(sanitize_error_code("ns#FooError:http://x"), "FooError");
    }

    #[test]
    fn request_id_prefers_amzn_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_id(&headers), None);
        headers.insert("x-amz-request-id", HeaderValue::from_static("b"));
        assert_eq!(request_id(&headers).as_deref(), Some("b"));
        headers.insert("x-amzn-RequestId", HeaderValue::from_static("a"));
        assert_eq!(request_id(&headers).as_deref(), Some("a"));
    }
}
