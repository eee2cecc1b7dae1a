//! The token endpoint's successful response (RFC 6749 §5.1).

use psd2_core::{ScopeSet, Secret, TokenType};
use serde_json::{Map, Value};

use crate::json::{JsonFields, JsonWriter};
use crate::{BodyLimit, JsonMessage, Members, WireError};

/// A successful token response.
///
/// Only `access_token` is required to read the response. `token_type` is
/// REQUIRED by RFC 6749 §5.1 too, but a response without it still carries a
/// token the harness must be able to use and revoke, so its absence is left
/// for a judge to report.
///
/// ```
/// use psd2_wire::{JsonMessage, TokenResponse};
/// // RFC 6749 §5.1's example.
/// let response = TokenResponse::decode(br#"{
///   "access_token":"2YotnFZFEjr1zCsicMWpAA",
///   "token_type":"example",
///   "expires_in":3600,
///   "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",
///   "example_parameter":"example_value"
/// }"#)?;
/// assert_eq!(response.access_token.expose(), "2YotnFZFEjr1zCsicMWpAA");
/// assert_eq!(response.expires_in, Some(3600));
/// assert_eq!(response.extra.get("example_parameter"), Some(&"example_value".into()));
/// assert!(!format!("{response:?}").contains("2YotnFZFEjr1zCsicMWpAA"));
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// `access_token`. Required to read the response.
    pub access_token: Secret<String>,
    /// `token_type` (compared without regard to case).
    pub token_type: Option<TokenType>,
    /// `expires_in`, seconds (a JSON number: a string is an error).
    pub expires_in: Option<u64>,
    /// `refresh_token`.
    pub refresh_token: Option<Secret<String>>,
    /// `scope`.
    pub scope: Option<ScopeSet>,
    /// Every other member (`id_token`, `example_parameter`, ...).
    pub extra: Members,
}

impl TokenResponse {
    /// A response carrying only `access_token`.
    #[must_use]
    pub fn new(access_token: Secret<String>) -> Self {
        Self {
            access_token,
            token_type: None,
            expires_in: None,
            refresh_token: None,
            scope: None,
            extra: Members::default(),
        }
    }
}

impl JsonMessage for TokenResponse {
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        let mut fields = JsonFields::parse(input, limit)?;
        Ok(Self {
            access_token: Secret::new(fields.require_string("access_token")?),
            token_type: fields.string("token_type")?.map(TokenType::new),
            expires_in: fields.u64("expires_in")?,
            refresh_token: fields.secret("refresh_token")?,
            scope: fields.scope("scope")?,
            extra: fields.rest(),
        })
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut json = JsonWriter::default();
        json.secret("access_token", Some(&self.access_token));
        json.opt(
            "token_type",
            self.token_type.as_ref().map(TokenType::as_str),
        );
        json.opt("expires_in", self.expires_in);
        json.secret("refresh_token", self.refresh_token.as_ref());
        json.scope("scope", self.scope.as_ref());
        json.extend(&self.extra);
        json.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InvalidReason;

    #[test]
    fn access_token_is_required() {
        assert_eq!(
            TokenResponse::decode(br#"{"token_type":"Bearer"}"#).err(),
            Some(WireError::MissingParameter {
                name: "access_token"
            })
        );
    }

    #[test]
    fn expires_in_as_a_string_names_the_member() {
        assert!(matches!(
            TokenResponse::decode(br#"{"access_token":"a","expires_in":"3600"}"#),
            Err(WireError::InvalidValue {
                field: "expires_in",
                reason: InvalidReason::JsonType { .. }
            })
        ));
    }

    #[test]
    fn scope_is_parsed() {
        let response = TokenResponse::decode(
            br#"{"access_token":"a","token_type":"bearer","scope":"pisp aisp"}"#,
        )
        .unwrap();
        assert_eq!(
            response.scope.map(|scope| scope.to_string()).as_deref(),
            Some("aisp pisp")
        );
        assert_eq!(response.token_type, Some(TokenType::bearer()));
    }
}
