//! Wire helpers shared by the generated serializers and parsers of the AWS JSON protocols
//! (awsJson1_0, awsJson1_1, restJson1); public only so generated code in any module can reach
//! them, not a stable API. `http` holds the HTTP bindings (labels, query strings, headers,
//! checksums), `json` the JSON bodies; both are re-exported here, the one path generated code
//! names.

use crate::config::ValidationMode;
use crate::error::call::SdkError;
use crate::validation::{Constraint, ValidationError};

mod http;
mod json;
pub(crate) mod xml;

pub use self::http::{
    base64, decode_base64, decode_base64_text, glacier_checksums, header, label, parse_header, path_and_query,
    percent_encode_label, percent_encode_query, push_query, set_content_md5, set_header, split_header_list, timestamp,
};
pub use self::json::{
    aws_json_request, deserialize_object, empty_output, json_body, json_float, parse_error_body, parse_json, FromMap,
    JsonFloat, JsonFloatValue, RawJson,
};

/// Runs `validate` as the configured mode asks; the violations come back in one error.
pub fn check_input<E>(
    mode: ValidationMode,
    validate: impl FnOnce() -> Result<(), ValidationError>,
) -> Result<(), SdkError<E>> {
    let result = match mode {
        ValidationMode::Off => return Ok(()),
        ValidationMode::Full => validate(),
        ValidationMode::RequiredOnly => validate().or_else(|mut err| {
            err.violations.retain(|v| v.constraint == Constraint::Required);
            if err.violations.is_empty() {
                Ok(())
            } else {
                Err(err)
            }
        }),
    };
    result.map_err(SdkError::Validation)
}

/// Formats a float as the AWS protocols write it (`NaN`, `Infinity`, `-Infinity`).
pub fn float<F: Into<f64> + std::fmt::Display + Copy>(value: F) -> String {
    let wide: f64 = value.into();
    if wide.is_nan() {
        "NaN".to_owned()
    } else if wide.is_infinite() {
        if wide > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// Reads a float as the AWS protocols write it (`NaN`, `Infinity`, `-Infinity` included).
pub fn parse_float(text: &str) -> Result<f64, String> {
    match text {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => text.parse::<f64>().map_err(|err| err.to_string()),
    }
}
