//! The trait impls every generated enum shares, written once as macros: a generated `enum` and
//! `intEnum` define their variants, `as_str`/`as_i32` and the conversion from the wire value,
//! and these derive the rest from them.

/// Implements `From<String>`, `FromStr`, `Display`, `AsRef<str>`, `Default` (the empty value)
/// and serde's `Serialize`/`Deserialize` (as the wire string) for a generated string enum that
/// has `fn as_str(&self) -> &str` and `impl From<&str>`.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($ty:ident) => {
        impl ::std::convert::From<::std::string::String> for $ty {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::str::FromStr for $ty {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::default::Default for $ty {
            /// The empty value, which is what Smithy's error correction uses for a missing enum.
            fn default() -> Self {
                Self::from("")
            }
        }
        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    };
}

/// Implements `Display`, `Default` (zero) and serde's `Serialize`/`Deserialize` (as the wire
/// number) for a generated int enum that has `fn as_i32(&self) -> i32` and `impl From<i32>`.
#[macro_export]
#[doc(hidden)]
macro_rules! int_enum {
    ($ty:ident) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.as_i32())
            }
        }
        impl ::std::default::Default for $ty {
            /// Zero, which is what Smithy's error correction uses for a missing intEnum.
            fn default() -> Self {
                Self::from(0)
            }
        }
        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.as_i32())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i32 as $crate::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }

    impl Color {
        fn as_str(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::Unknown(value) => value,
            }
        }
    }

    impl From<&str> for Color {
        fn from(value: &str) -> Self {
            match value {
                "red" => Self::Red,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    crate::string_enum!(Color);

    #[derive(Debug, PartialEq)]
    enum Level {
        One,
        Unknown(i32),
    }

    impl Level {
        fn as_i32(&self) -> i32 {
            match self {
                Self::One => 1,
                Self::Unknown(value) => *value,
            }
        }
    }

    impl From<i32> for Level {
        fn from(value: i32) -> Self {
            match value {
                1 => Self::One,
                other => Self::Unknown(other),
            }
        }
    }

    crate::int_enum!(Level);

    #[test]
    fn string_enums_convert_print_and_round_trip_through_json() -> Result<(), serde_json::Error> {
        assert_eq!("red".parse::<Color>(), Ok(Color::Red));
        assert_eq!(Color::from("teal".to_owned()), Color::Unknown("teal".to_owned()));
        assert_eq!(Color::Red.to_string(), "red");
        assert_eq!(Color::Red.as_ref(), "red");
        assert_eq!(Color::default(), Color::Unknown(String::new()));
        assert_eq!(serde_json::to_string(&Color::Red)?, "\"red\"");
        assert_eq!(serde_json::from_str::<Color>("\"teal\"")?, Color::Unknown("teal".to_owned()));
        // An escaped string cannot be borrowed from the input; it is still read.
        assert_eq!(serde_json::from_str::<Color>("\"r\\u0065d\"")?, Color::Red);
        assert!(serde_json::from_str::<Color>("1").is_err());
        Ok(())
    }

    #[test]
    fn int_enums_convert_print_and_round_trip_through_json() -> Result<(), serde_json::Error> {
        assert_eq!(Level::One.to_string(), "1");
        assert_eq!(Level::default(), Level::Unknown(0));
        assert_eq!(serde_json::to_string(&Level::One)?, "1");
        assert_eq!(serde_json::from_str::<Level>("7")?, Level::Unknown(7));
        assert!(serde_json::from_str::<Level>("\"1\"").is_err());
        Ok(())
    }
}
