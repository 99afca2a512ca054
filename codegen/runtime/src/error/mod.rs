//! Error types shared by every service module: build errors and service error metadata.

use std::fmt;

/// A builder was asked to build a value whose required members are not all set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// The type being built.
    pub type_name: &'static str,
    /// The model names of the required members that were not set, in member order.
    pub missing: Vec<&'static str>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.missing.len() == 1 { "member" } else { "members" };
        write!(f, "cannot build {}: required {noun} not set: {}", self.type_name, self.missing.join(", "))
    }
}

impl std::error::Error for BuildError {}

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
}
