//! [`Blob`], a Smithy `blob`: opaque bytes, base64 in JSON.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::quote;

/// A Smithy `blob`: opaque bytes, written in JSON as a standard (padded)
/// base64 string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// A blob holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self { inner: bytes.into() }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.inner
    }

    /// Takes the bytes out.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self { inner: bytes }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self { inner: bytes.to_vec() }
    }
}

impl From<&str> for Blob {
    /// The UTF-8 bytes of the string.
    fn from(text: &str) -> Self {
        Self { inner: text.as_bytes().to_vec() }
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.inner
    }
}

impl Serialize for Blob {
    /// Writes a standard, padded base64 string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.inner))
    }
}

impl<'de> Deserialize<'de> for Blob {
    /// Reads a standard, padded base64 string; anything else is an error.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlobVisitor;

        impl Visitor<'_> for BlobVisitor {
            type Value = Blob;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map(Blob::from)
                    .map_err(|e| E::custom(format_args!("invalid base64 blob `{}`: {e}", quote(v))))
            }
        }

        deserializer.deserialize_str(BlobVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    type TestResult = Result<(), Box<dyn Error>>;

    #[test]
    fn blob_base64() -> TestResult {
        let blob = Blob::new("hello, world");
        assert_eq!(blob.as_ref(), b"hello, world");
        let json = serde_json::to_string(&blob)?;
        assert_eq!(json, r#""aGVsbG8sIHdvcmxk""#);
        let back: Blob = serde_json::from_str(&json)?;
        assert_eq!(back, blob);
        assert_eq!(back.into_inner(), b"hello, world".to_vec());
        let all: Vec<u8> = (0..=255).collect();
        let blob = Blob::from(all.as_slice());
        let back: Blob = serde_json::from_str(&serde_json::to_string(&blob)?)?;
        assert_eq!(back.as_bytes(), all.as_slice());
        assert_eq!(serde_json::to_string(&Blob::default())?, r#""""#);
        assert_eq!(serde_json::from_str::<Blob>(r#""""#)?, Blob::default());
        assert_eq!(Blob::from(vec![1, 2]), Blob::new([1u8, 2]));

        for bad in [r#""not base64!""#, r#""YmxvYg""#, r#""Ymxv=Yg==""#, "123", "null"] {
            assert!(serde_json::from_str::<Blob>(bad).is_err(), "{bad}");
        }
        let message = serde_json::from_str::<Blob>(r#""a*b=""#).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("invalid base64 blob `a*b=`"), "{message}");
        Ok(())
    }
}
