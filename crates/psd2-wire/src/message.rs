//! The two codec traits: form-encoded messages and JSON messages.

use serde_json::{Map, Value};

use crate::{BodyLimit, Form, WireError};

/// A message carried as `application/x-www-form-urlencoded`: in a request
/// body (token, revocation) or in a query string (authorization request).
///
/// Decoding reads a [`Form`]; encoding writes one. The harness can take the
/// [`Form`] from [`FormMessage::to_form`], break it on purpose and encode
/// that instead.
///
/// Every implementation follows RFC 6749 §3.1 and §3.2: a parameter sent
/// without a value is treated as absent, a parameter the message knows may
/// appear only once, and parameters it does not know are kept, in order, in
/// its `extra` form.
///
/// ```
/// use psd2_core::Secret;
/// use psd2_wire::{FormMessage, RevocationRequest, WireError};
/// let request = RevocationRequest::new(Secret::new("45ghiukldjahdnhzdauz".to_owned()));
/// // A request no client should send: the token twice.
/// let mut form = request.to_form();
/// form.append("token", "other");
/// assert_eq!(form.encode(), "token=45ghiukldjahdnhzdauz&token=other");
/// assert_eq!(
///     RevocationRequest::decode(form.encode().as_bytes()).unwrap_err(),
///     WireError::DuplicateParameter { name: "token".to_owned() },
/// );
/// ```
pub trait FormMessage: Sized {
    /// Reads the message from a decoded form.
    ///
    /// # Errors
    /// A [`WireError`] naming the parameter that is missing, repeated or
    /// malformed.
    fn from_form(form: &Form) -> Result<Self, WireError>;

    /// The message as a form: the known parameters in a fixed order, then the
    /// `extra` ones as they came.
    #[must_use]
    fn to_form(&self) -> Form;

    /// Decodes a body or query string under [`BodyLimit::DEFAULT`].
    ///
    /// # Errors
    /// See [`FormMessage::decode_limited`].
    fn decode(input: &[u8]) -> Result<Self, WireError> {
        Self::decode_limited(input, BodyLimit::DEFAULT)
    }

    /// Decodes a body or query string of at most `limit` bytes.
    ///
    /// # Errors
    /// [`WireError::BodyTooLarge`] before parsing, then any error of
    /// [`Form::decode_limited`] or [`FormMessage::from_form`].
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        Self::from_form(&Form::decode_limited(input, limit)?)
    }

    /// The encoded form.
    #[must_use]
    fn encode(&self) -> String {
        self.to_form().encode()
    }
}

/// A message carried as a JSON object (token and error responses,
/// registration, metadata).
///
/// Top-level members the message does not know are kept in its `extra`
/// [`Members`](crate::Members); a top-level member sent twice is a
/// [`WireError::DuplicateParameter`].
///
/// ```
/// use psd2_core::OAuthErrorCode;
/// use psd2_wire::{ErrorResponse, JsonMessage, WireError};
/// let mut response = ErrorResponse::new(OAuthErrorCode::INVALID_GRANT);
/// response.error_description = Some("code already used".to_owned());
/// assert_eq!(ErrorResponse::decode(response.encode().as_bytes())?, response);
/// assert_eq!(
///     ErrorResponse::decode(br#"{"error":"a","error":"b"}"#).unwrap_err(),
///     WireError::DuplicateParameter { name: "error".to_owned() },
/// );
/// # Ok::<(), WireError>(())
/// ```
pub trait JsonMessage: Sized {
    /// Decodes a body of at most `limit` bytes.
    ///
    /// # Errors
    /// [`WireError::BodyTooLarge`] before parsing; [`WireError::Json`] when
    /// the body is not one JSON object; then an error naming the member that
    /// is missing, repeated or of the wrong type.
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError>;

    /// The message as a JSON object, credentials in clear: this is the value
    /// that goes on the wire.
    #[must_use]
    fn to_json(&self) -> Map<String, Value>;

    /// Decodes a body under [`BodyLimit::DEFAULT`].
    ///
    /// # Errors
    /// See [`JsonMessage::decode_limited`].
    fn decode(input: &[u8]) -> Result<Self, WireError> {
        Self::decode_limited(input, BodyLimit::DEFAULT)
    }

    /// The encoded JSON text.
    #[must_use]
    fn encode(&self) -> String {
        Value::Object(self.to_json()).to_string()
    }
}
