//! restJson1 responses: an HTTP response answers a call of the generated IoT client
//! (`CreateCustomMetric`) through a transport that answers with it, and the client parses it (output
//! body, error metadata, modeled errors), as in `aws_json_response`. Every header of the
//! response is also read with each header parser that generated restJson1 code uses for
//! `@httpHeader` members (strings, numbers, booleans, floats, the three timestamp formats,
//! base64 blobs and JSON strings, lists split on commas, with http-dates kept whole).
//!
//! Input: see `aws_lite_fuzz::response`. Seeds: the restJson1 `httpResponseTests` of the
//! protocol test models. Caps (run.sh): `-rss_limit_mb=512 -malloc_limit_mb=256 -timeout=5
//! -max_len=16384`.
#![no_main]

use aws_lite::iot::client::Client;
use aws_lite::iot::types::CustomMetricType;
use aws_lite_runtime::bytes::Bytes;
use aws_lite_runtime::http::Response;
use aws_lite_runtime::primitives::{BigDecimal, BigInteger, DateTime, TimestampFormat};
use aws_lite_runtime::protocol::{decode_base64, decode_base64_text, parse_float, parse_header, split_header_list};
use libfuzzer_sys::fuzz_target;

const FORMATS: [TimestampFormat; 3] =
    [TimestampFormat::HttpDate, TimestampFormat::DateTime, TimestampFormat::EpochSeconds];

/// Reads header `name` as generated code reads a member of each simple type.
fn read_header(response: &Response<Bytes>, name: &str) {
    let keep = |result: Result<Option<String>, _>| {
        let _ =
            std::hint::black_box(result.map_err(|err: aws_lite_runtime::client::ResponseParseError| err.to_string()));
    };
    keep(parse_header(response, name, |text| Ok::<_, String>(text.to_owned())));
    keep(parse_header(response, name, |text| text.parse::<i8>().map(|v| v.to_string()).map_err(|e| e.to_string())));
    keep(parse_header(response, name, |text| text.parse::<i64>().map(|v| v.to_string()).map_err(|e| e.to_string())));
    keep(parse_header(response, name, |text| text.parse::<bool>().map(|v| v.to_string()).map_err(|e| e.to_string())));
    keep(parse_header(response, name, |text| parse_float(text).map(|v| v.to_string())));
    keep(parse_header(response, name, |text| {
        text.parse::<BigInteger>().map(|v| format!("{v:?}")).map_err(|e| e.to_string())
    }));
    keep(parse_header(response, name, |text| {
        text.parse::<BigDecimal>().map(|v| format!("{v:?}")).map_err(|e| e.to_string())
    }));
    keep(parse_header(response, name, |text| decode_base64(text).map(|v| format!("{v:?}"))));
    keep(parse_header(response, name, decode_base64_text));
    for format in FORMATS {
        let parse = |text: &str| DateTime::parse(text, format).map_err(|err| err.to_string());
        keep(parse_header(response, name, |text| parse(text).map(|v| format!("{v:?}"))));
        let http_date = format == TimestampFormat::HttpDate;
        let list = |text: &str| {
            split_header_list(text, http_date).iter().map(|item| parse(item)).collect::<Result<Vec<_>, _>>()
        };
        keep(parse_header(response, name, |text| list(text).map(|v| format!("{v:?}"))));
    }
    keep(parse_header(response, name, |text| {
        split_header_list(text, false)
            .iter()
            .map(|item| item.parse::<i32>())
            .collect::<Result<Vec<_>, _>>()
            .map(|v| format!("{v:?}"))
            .map_err(|e| e.to_string())
    }));
}

/// The client every input is sent with, built once.
fn client() -> &'static Client {
    static CLIENT: std::sync::OnceLock<Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| Client::new(aws_lite_fuzz::config()))
}

fuzz_target!(|data: &[u8]| {
    let Some((_, response)) = aws_lite_fuzz::response(data) else { return };
    let names: Vec<String> = response.headers().keys().map(|name| name.as_str().to_owned()).collect();
    for name in &names {
        read_header(&response, name);
    }
    aws_lite_fuzz::respond(response);
    let client = client();
    let call = client.create_custom_metric().metric_name("fuzz").metric_type(CustomMetricType::Number);
    match aws_lite_fuzz::runtime().block_on(call.send()) {
        Ok(output) => std::hint::black_box(format!("{output:?}")),
        Err(err) => std::hint::black_box(format!("{err} {err:?}")),
    };
});
