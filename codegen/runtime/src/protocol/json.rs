//! JSON bodies: serializing and parsing them, floats the way the AWS JSON protocols write them
//! (`NaN` and the infinities as strings), and structures read from JSON objects only
//! ([`json_object!`](crate::json_object)).

use bytes::Bytes;
use http::Response;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{float, parse_float};
use crate::error::call::{ConstructionError, ResponseParseError};

/// Serializes a JSON body.
pub fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, ConstructionError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|err| ConstructionError::new(format!("cannot serialize the request body: {err}")))
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

fn read_float<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    use serde::de::Error as _;
    // Read through `Value`: with exact numbers a JSON number is not handed to `visit_f64`.
    match <serde_json::Value as serde::Deserialize>::deserialize(deserializer)? {
        serde_json::Value::Number(n) => n.as_f64().ok_or_else(|| D::Error::custom(format!("`{n}` is not a float"))),
        serde_json::Value::String(s) => parse_float(&s).map_err(|_| D::Error::custom(format!("`{s}` is not a float"))),
        other => Err(D::Error::custom(format!("expected a float, got `{other}`"))),
    }
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
        read_float(deserializer)
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
        read_float(deserializer).map(|v| v as f32)
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
