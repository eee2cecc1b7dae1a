//! The JSON error response of the token, revocation and registration
//! endpoints (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7591 §3.2.2).

use psd2_core::OAuthErrorCode;
use serde_json::{Map, Value};

use crate::json::{JsonFields, JsonWriter};
use crate::{BodyLimit, JsonMessage, Members, WireError};

/// An error response.
///
/// ```
/// use psd2_core::OAuthErrorCode;
/// use psd2_wire::{ErrorResponse, JsonMessage};
/// // RFC 6749 §5.2's example.
/// let response = ErrorResponse::decode(br#"{ "error":"invalid_request" }"#)?;
/// assert_eq!(response.error, OAuthErrorCode::INVALID_REQUEST);
/// assert_eq!(response.encode(), r#"{"error":"invalid_request"}"#);
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    /// `error`. Required to read the response.
    pub error: OAuthErrorCode,
    /// `error_description`.
    pub error_description: Option<String>,
    /// `error_uri`, exactly as sent.
    pub error_uri: Option<String>,
    /// Every other member.
    pub extra: Members,
}

impl ErrorResponse {
    /// A response with only `error`.
    #[must_use]
    pub fn new(error: OAuthErrorCode) -> Self {
        Self {
            error,
            error_description: None,
            error_uri: None,
            extra: Members::default(),
        }
    }
}

impl JsonMessage for ErrorResponse {
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        let mut fields = JsonFields::parse(input, limit)?;
        Ok(Self {
            error: OAuthErrorCode::from(fields.require_string("error")?),
            error_description: fields.string("error_description")?,
            error_uri: fields.string("error_uri")?,
            extra: fields.rest(),
        })
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut json = JsonWriter::default();
        json.put("error", self.error.as_str());
        json.opt("error_description", self.error_description.as_deref());
        json.opt("error_uri", self.error_uri.as_deref());
        json.extend(&self.extra);
        json.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_required_and_must_be_a_string() {
        assert_eq!(
            ErrorResponse::decode(br#"{"error_description":"x"}"#).err(),
            Some(WireError::MissingParameter { name: "error" })
        );
        assert!(matches!(
            ErrorResponse::decode(br#"{"error":400}"#),
            Err(WireError::InvalidValue { field: "error", .. })
        ));
    }

    #[test]
    fn unknown_codes_decode() {
        let response =
            ErrorResponse::decode(br#"{"error":"consent_expired","code":"X1"}"#).unwrap();
        assert!(!response.error.is_known());
        assert_eq!(response.extra.get("code"), Some(&Value::from("X1")));
    }
}
