//! Errors: [`BuildError`] from builders, [`ErrorMetadata`] of error responses and
//! [`Unhandled`] for the errors a model does not describe. The errors of a call
//! ([`SdkError`](crate::client::SdkError) and what it wraps) are named through
//! [`client`](crate::client).

use std::fmt;

pub(crate) mod call;
pub(crate) mod metadata;
pub(crate) mod printable;

pub use metadata::ErrorMetadata;

/// A builder was asked to build a value whose required members are not all set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// The type being built.
    pub type_name: &'static str,
    /// The model names of the required members that were not set, in member order.
    pub missing: Vec<&'static str>,
}

impl BuildError {
    /// Fails when a required member of `type_name` is not set, naming each one: `members`
    /// pairs each required member's model name with whether it is unset, in member order.
    ///
    /// # Errors
    /// When at least one member is unset.
    pub fn check_required(type_name: &'static str, members: &[(&'static str, bool)]) -> Result<(), BuildError> {
        let missing: Vec<&'static str> = members.iter().filter(|(_, unset)| *unset).map(|(name, _)| *name).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(BuildError { type_name, missing })
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.missing.len() == 1 { "member" } else { "members" };
        write!(f, "cannot build {}: required {noun} not set: {}", self.type_name, self.missing.join(", "))
    }
}

impl std::error::Error for BuildError {}

/// An error the model does not describe (an unknown code, or no code at all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unhandled {
    /// Code, message, status and request id as far as the response gave them.
    pub meta: ErrorMetadata,
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unmodeled service error {}", self.meta)
    }
}

impl std::error::Error for Unhandled {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_error_lists_every_missing_member() {
        let err = BuildError { type_name: "Tag", missing: vec!["Key", "Value"] };
        assert_eq!(err.to_string(), "cannot build Tag: required members not set: Key, Value");
    }

    #[test]
    fn required_members_are_checked_in_order() {
        assert_eq!(BuildError::check_required("Tag", &[("Key", false), ("Value", false)]), Ok(()));
        let err = BuildError::check_required("Tag", &[("Key", true), ("Mid", false), ("Value", true)]);
        assert_eq!(err, Err(BuildError { type_name: "Tag", missing: vec!["Key", "Value"] }));
    }
}
