//! JSON bodies: serializing and parsing them, floats the way the AWS JSON protocols write them
//! (`NaN` and the infinities as strings), and structures read from JSON objects only
//! ([`json_object!`](crate::json_object)).

use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize as _, Serialize};
use serde_json::value::RawValue;

use super::{float, parse_float};
use crate::error::call::{ConstructionError, ResponseParseError};
use crate::primitives::json_literal::{deserialize_literal, Literal, RAW_VALUE_TOKEN};
use crate::send::RequestParts;

/// Serializes a JSON body.
pub fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, ConstructionError> {
    // Most request bodies fit: one allocation instead of doubling from serde_json's 128 bytes.
    let mut body = Vec::with_capacity(1024);
    serde_json::to_writer(&mut body, value)
        .map_err(|err| ConstructionError::new(format!("cannot serialize the request body: {err}")))?;
    Ok(Bytes::from(body))
}

/// The request of an awsJson operation with nothing bound outside the body: `POST /`, the
/// input as the JSON body, its content type and the `X-Amz-Target` that names the operation.
///
/// # Errors
/// When the input cannot be serialized.
pub fn aws_json_request<T: Serialize>(
    input: &T,
    content_type: &'static str,
    target: &'static str,
) -> Result<RequestParts, ConstructionError> {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("x-amz-target", HeaderValue::from_static(target));
    let body = json_body(input)?;
    Ok(RequestParts { method: Method::POST, path_and_query: String::from("/"), headers, body, ..Default::default() })
}

/// The output of an operation whose response carries no members: nothing is read.
///
/// # Errors
/// Never; the signature is that of the other response parsers.
pub fn empty_output<T: Default>(_response: &Response<Bytes>) -> Result<T, ResponseParseError> {
    Ok(T::default())
}

/// Parses a JSON body; an empty body reads as `{}` (a response with no members).
pub fn parse_json<T: DeserializeOwned>(response: &Response<Bytes>) -> Result<T, ResponseParseError> {
    check_json_content_type(response)?;
    let body = response.body();
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    serde_json::from_slice(body).map_err(|err| ResponseParseError::new(response, format!("invalid JSON body: {err}")))
}

/// Parses the body of a modeled error; a missing or unparsable body gives the error's zero
/// value (the code and message are still in the metadata).
pub fn parse_error_body<T: DeserializeOwned + Default>(response: &Response<Bytes>) -> T {
    serde_json::from_slice(response.body()).unwrap_or_default()
}

fn check_json_content_type(response: &Response<Bytes>) -> Result<(), ResponseParseError> {
    let Some(value) = response.headers().get(http::header::CONTENT_TYPE) else { return Ok(()) };
    let value = value.to_str().unwrap_or_default().to_ascii_lowercase();
    if response.body().is_empty() || value.contains("json") {
        Ok(())
    } else {
        Err(ResponseParseError::new(response, format!("expected a JSON response, got content type `{value}`")))
    }
}

/// `#[serde(with = "crate::protocol::json_float")]` for members holding floats (also in
/// lists and maps): the AWS JSON protocols write `NaN` and the infinities as the strings
/// `"NaN"`, `"Infinity"` and `"-Infinity"`, which JSON numbers cannot express.
pub mod json_float {
    use serde::{Deserializer, Serializer};

    /// Serializes a float-holding value.
    pub fn serialize<T: super::JsonFloat, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize_json(serializer)
    }

    /// Deserializes a float-holding value.
    pub fn deserialize<'de, T: super::JsonFloat, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize_json(deserializer)
    }
}

/// Values that hold floats, serialized the way [`json_float`] describes.
pub trait JsonFloat: Sized {
    /// Writes the value.
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value.
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Adapts a [`JsonFloat`] to serde's traits (inside collections and union variants).
pub struct JsonFloatValue<T>(pub T);

impl<T: JsonFloat> Serialize for JsonFloatValue<&T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_json(serializer)
    }
}

impl<'de, T: JsonFloat> serde::Deserialize<'de> for JsonFloatValue<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_json(deserializer).map(JsonFloatValue)
    }
}

/// Reads a float member: a JSON number, parsed from its text into `F` directly (correctly
/// rounded, and an `f32` without a detour through `f64`), or one of the strings of
/// [`parse_float`], narrowed by `narrow`.
fn read_float<'de, D, F>(deserializer: D, narrow: fn(f64) -> F) -> Result<F, D::Error>
where
    D: serde::Deserializer<'de>,
    F: std::str::FromStr + Into<f64> + Copy,
{
    let expecting = "a float (a JSON number, or \"NaN\", \"Infinity\" or \"-Infinity\")";
    deserialize_literal(deserializer, &expecting, true, |literal| match literal {
        Literal::Number(text) => match text.parse::<F>() {
            Ok(value) if value.into().is_finite() => Ok(value),
            Ok(_) => Err(format!("`{text}` is out of range for a {}-bit float", 8 * std::mem::size_of::<F>())),
            Err(_) => Err(format!("`{text}` is not a float")),
        },
        Literal::String(text) => parse_float(text).map(narrow).map_err(|_| format!("`{text}` is not a float")),
    })
}

impl JsonFloat for f64 {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            serializer.serialize_f64(*self)
        } else {
            serializer.serialize_str(&float(*self))
        }
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_float(deserializer, |wide| wide)
    }
}

impl JsonFloat for f32 {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            serializer.serialize_f32(*self)
        } else {
            serializer.serialize_str(&float(*self))
        }
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Narrowing is the point: the member is a 32-bit float.
        read_float(deserializer, |wide| wide as f32)
    }
}

impl<T: JsonFloat> JsonFloat for Option<T> {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&JsonFloatValue(value)),
            None => serializer.serialize_none(),
        }
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(<Option<JsonFloatValue<T>> as serde::Deserialize>::deserialize(deserializer)?.map(|w| w.0))
    }
}

impl<T: JsonFloat> JsonFloat for Vec<T> {
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(JsonFloatValue))
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = <Vec<JsonFloatValue<T>> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|w| w.0).collect())
    }
}

impl<K, T> JsonFloat for std::collections::HashMap<K, T>
where
    K: Serialize + DeserializeOwned + Eq + std::hash::Hash,
    T: JsonFloat,
{
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, JsonFloatValue(v))))
    }
    fn deserialize_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries =
            <std::collections::HashMap<K, JsonFloatValue<T>> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|(k, w)| (k, w.0)).collect())
    }
}

/// A JSON value kept as its text: a member of a union, held until its name says which type
/// to read it as. Its numbers stay exactly as written, where a `serde_json::Value` would hold
/// them as u64, i64 or f64.
///
/// From serde_json (JSON text or a `serde_json::Value`) it takes the value's raw text; from any
/// other deserializer it builds a `serde_json::Value` and keeps that as text.
#[derive(Debug, Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        self.0.get() == "null"
    }

    /// The value's JSON text; `&RawValue` is also a deserializer of it.
    pub fn as_raw(&self) -> &RawValue {
        &self.0
    }

    fn from_value<E: serde::de::Error>(value: &serde_json::Value) -> Result<Self, E> {
        serde_json::value::to_raw_value(value).map(RawJson).map_err(E::custom)
    }
}

impl<'de> serde::Deserialize<'de> for RawJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, RawJsonVisitor)
    }
}

/// Reads a [`RawJson`]: the raw text serde_json hands over as a one-entry map, or any value
/// another deserializer gives.
struct RawJsonVisitor;

impl<'de> serde::de::Visitor<'de> for RawJsonVisitor {
    type Value = RawJson;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<RawJson, D::Error> {
        RawJson::from_value(&serde_json::Value::deserialize(deserializer)?)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawJson, A::Error> {
        use serde::de::Error as _;
        // serde_json's answer to the raw-value request, or an object of another deserializer
        // (whose keys must then be strings, as in JSON).
        let Some(first) = map.next_key::<String>()? else {
            return RawJson::from_value(&serde_json::Value::Object(serde_json::Map::new()));
        };
        if first == RAW_VALUE_TOKEN {
            let text: String = map.next_value()?;
            return RawValue::from_string(text).map(RawJson).map_err(A::Error::custom);
        }
        let mut object = serde_json::Map::new();
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
            object.insert(key, value);
        }
        RawJson::from_value(&serde_json::Value::Object(object))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<RawJson, A::Error> {
        let value = serde_json::Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        RawJson::from_value(&value)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<RawJson, D::Error> {
        RawJson::from_value(&serde_json::Value::deserialize(deserializer)?)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<RawJson, E> {
        RawJson::from_value(&serde_json::Value::Null)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<RawJson, E> {
        RawJson::from_value(&serde_json::Value::Null)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawJson, E> {
        RawJson::from_value(&serde_json::Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawJson, E> {
        RawJson::from_value(&serde_json::Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawJson, E> {
        RawJson::from_value(&serde_json::Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawJson, E> {
        // `Value` has no NaN or infinities; `null`, as serde_json writes them.
        RawJson::from_value(&serde_json::Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawJson, E> {
        RawJson::from_value(&serde_json::Value::from(v))
    }
}

/// Implemented by generated structures: builds the value from the members of a JSON object.
pub trait FromMap: Sized {
    /// Reads the structure's members from `map`.
    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes a structure from a JSON object only: serde's derive would also read a JSON
/// array positionally, which no AWS JSON protocol allows.
pub fn deserialize_object<'de, D: serde::Deserializer<'de>, T: FromMap>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectOnly<T>(std::marker::PhantomData<T>);
    impl<'de, T: FromMap> serde::de::Visitor<'de> for ObjectOnly<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    deserializer.deserialize_map(ObjectOnly(std::marker::PhantomData))
}

/// Implements `Serialize`, `Deserialize` and [`FromMap`] for a generated structure whose serde
/// derives carry `#[serde(remote = "Self")]` (so they became inherent functions): serializing
/// uses the derive as is, deserializing accepts a JSON object only (see [`deserialize_object`]).
#[macro_export]
#[doc(hidden)]
macro_rules! json_object {
    ($ty:ident) => {
        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $ty::serialize(self, serializer)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::protocol::deserialize_object(deserializer)
            }
        }
        impl $crate::protocol::FromMap for $ty {
            fn from_map<'de, A: $crate::serde::de::MapAccess<'de>>(map: A) -> ::std::result::Result<Self, A::Error> {
                $ty::deserialize($crate::serde::de::value::MapAccessDeserializer::new(map))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{BigDecimal, BigInteger, DateTime, Document};
    use serde::Deserialize;
    use std::error::Error;

    type TestResult = Result<(), Box<dyn Error>>;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Body {
        big: BigInteger,
        dec: BigDecimal,
        at: DateTime,
        #[serde(with = "json_float")]
        double: f64,
        #[serde(with = "json_float")]
        single: Vec<f32>,
        doc: Document,
    }

    fn response(body: &[u8]) -> Result<Response<Bytes>, http::Error> {
        Response::builder().status(200).header("content-type", "application/json").body(Bytes::copy_from_slice(body))
    }

    #[test]
    fn exact_numbers_round_trip_through_request_and_response_bodies() -> TestResult {
        let wire = concat!(
            r#"{"big":-123456789012345678901234567890,"dec":1.000000000000000000000000000001e-5,"#,
            r#""at":1515531081.123456789,"double":123456789.12345679,"single":[1.5,"NaN"],"doc":{"n":[1,2.5]}}"#
        );
        let body: Body = parse_json(&response(wire.as_bytes())?)?;
        assert_eq!(body.big.as_str(), "-123456789012345678901234567890");
        assert_eq!(body.dec.as_str(), "1.000000000000000000000000000001e-5");
        assert_eq!((body.at.secs(), body.at.subsec_nanos()), (1_515_531_081, 123_456_789));
        assert_eq!(body.double, 123_456_789.123_456_79);
        assert_eq!(json_body(&body)?, wire.as_bytes());
        Ok(())
    }

    #[test]
    fn floats_are_parsed_from_their_text() -> TestResult {
        #[derive(Deserialize)]
        struct Floats {
            #[serde(with = "json_float")]
            single: f32,
            #[serde(with = "json_float")]
            double: Option<f64>,
        }
        // Just above the midpoint between 1.0f32 and the next f32: through an f64 it would
        // land on the midpoint and round down to 1.0.
        let floats: Floats = serde_json::from_str(r#"{"single":1.0000000596046447753906251,"double":null}"#)?;
        assert_eq!(floats.single, 1.0 + f32::EPSILON);
        assert_eq!(floats.double, None);
        let floats: Floats = serde_json::from_str(r#"{"single":"-Infinity","double":"NaN"}"#)?;
        assert_eq!(floats.single, f32::NEG_INFINITY);
        assert!(floats.double.is_some_and(f64::is_nan));
        for (json, message) in [
            (r#"{"single":1e39}"#, "`1e39` is out of range for a 32-bit float"),
            (r#"{"single":0,"double":-1e400}"#, "`-1e400` is out of range for a 64-bit float"),
            (r#"{"single":"heavy"}"#, "`heavy` is not a float"),
            (r#"{"single":true}"#, "invalid type: boolean `true`, expected a float"),
        ] {
            let err = serde_json::from_str::<Floats>(json).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with(message), "{json}: {err}");
        }
        // From a `Value` and from other deserializers too.
        let floats: Floats = serde_json::from_value(serde_json::json!({"single": 0.1, "double": 7}))?;
        assert_eq!((floats.single, floats.double), (0.1, Some(7.0)));
        Ok(())
    }

    #[test]
    fn raw_json_keeps_the_text_of_a_value() -> TestResult {
        let members: std::collections::BTreeMap<String, RawJson> =
            serde_json::from_str(r#"{"a": {"n": 123456789012345678901234567890}, "b": null, "c": [1.50]}"#)?;
        let text = |key: &str| members.get(key).map(|raw| raw.as_raw().get().to_owned()).unwrap_or_default();
        assert_eq!(text("a"), r#"{"n": 123456789012345678901234567890}"#);
        assert_eq!(text("c"), "[1.50]");
        assert!(members.get("b").is_some_and(RawJson::is_null));
        #[derive(Deserialize)]
        struct Inner {
            n: BigInteger,
        }
        let inner = Inner::deserialize(members.get("a").ok_or("member `a` missing")?.as_raw())?;
        let big = inner.n;
        assert_eq!(big.as_str(), "123456789012345678901234567890");

        // From a `Value`, and from a deserializer that is not serde_json's.
        let raw: RawJson = serde_json::from_value(serde_json::json!({"x": [1, "y", null, true]}))?;
        assert_eq!(raw.as_raw().get(), r#"{"x":[1,"y",null,true]}"#);
        use serde::de::value::{Error as ValueError, MapDeserializer, U64Deserializer};
        let map = MapDeserializer::<_, ValueError>::new([("k", 2.5f64)].into_iter());
        assert_eq!(RawJson::deserialize(map)?.as_raw().get(), r#"{"k":2.5}"#);
        assert_eq!(RawJson::deserialize(U64Deserializer::<ValueError>::new(9))?.as_raw().get(), "9");
        Ok(())
    }
}
