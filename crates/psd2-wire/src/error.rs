//! Decode errors: what was wrong with the bytes, and in which field.
//!
//! A decoder fails only on bad syntax; whether a well-formed message is
//! allowed is for `psd2-rules` to say. Each variant names the parameter,
//! member or header it is about, so that a caller can answer
//! `invalid_request` with a precise `error_description`, and a judge can turn
//! the error into a finding on that field.

use psd2_core::{IdError, ScopeError};

/// Why a message could not be decoded.
///
/// Variants are in alphabetical order; [`WireError::fault`] groups them by
/// who or what is at fault, as rustls splits `InvalidMessage` from
/// `PeerMisbehaved`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// Size: the input is longer than the limit, and was refused before any
    /// parsing.
    #[error("body: {actual} bytes is over the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit in force.
        limit: usize,
        /// The length of the input.
        actual: usize,
    },
    /// Structure: a parameter (or top-level JSON member, or auth-param) was
    /// included more than once. RFC 6749 §3.1 and §3.2: "Request and response
    /// parameters MUST NOT be included more than once."
    #[error("{name}: included more than once")]
    DuplicateParameter {
        /// The repeated name, as sent.
        name: String,
    },
    /// Value: a parameter is present but its value does not parse.
    #[error("{field}: {reason}")]
    InvalidValue {
        /// The parameter, member or header.
        field: &'static str,
        /// What is wrong with it.
        reason: InvalidReason,
    },
    /// Encoding: the body is not a JSON document of the expected shape.
    #[error("JSON body: {message}")]
    Json {
        /// serde_json's description.
        message: String,
        /// 1-based line of the error, 0 when unknown.
        line: usize,
        /// 1-based column of the error, 0 when unknown.
        column: usize,
    },
    /// Structure: a `WWW-Authenticate` value holds no challenge of the scheme
    /// looked for.
    #[error("WWW-Authenticate: no {scheme} challenge")]
    MissingChallenge {
        /// The scheme looked for (`Bearer`).
        scheme: &'static str,
    },
    /// Structure: a parameter the message cannot be read without is absent
    /// (or was sent without a value, which RFC 6749 §3.1 says is the same).
    #[error("{name}: required but absent")]
    MissingParameter {
        /// The parameter or member.
        name: &'static str,
    },
    /// Encoding: a name or value is not UTF-8 once percent-decoded (RFC 6749
    /// Appendix B: "treated as octet sequences, to be decoded using the UTF-8
    /// character encoding scheme").
    #[error("{field}: not UTF-8 after percent-decoding")]
    NotUtf8 {
        /// The parameter (its name decoded lossily if the name itself is the
        /// culprit).
        field: String,
    },
    /// Structure: a redirect URL carries response parameters in both its
    /// query and its fragment, so where the response was sent is ambiguous.
    #[error("redirect URL: response parameters in both the query and the fragment")]
    ParametersInQueryAndFragment,
    /// Structure: an `Authorization` header uses another scheme than the one
    /// the decoder reads.
    #[error("{header}: scheme {found:?} where {expected} was expected")]
    WrongScheme {
        /// The header.
        header: &'static str,
        /// The scheme the decoder reads (`Basic`).
        expected: &'static str,
        /// The scheme that was sent.
        found: String,
    },
}

/// Who or what is at fault for a [`WireError`]: a server maps
/// [`Fault::Size`] to `413 Content Too Large` and the rest to `400`
/// `invalid_request`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// The bytes are not the media type (not UTF-8, not JSON).
    Encoding,
    /// The input is too large to be parsed at all.
    Size,
    /// Parameters are missing, repeated or misplaced.
    Structure,
    /// A parameter's value does not parse.
    Value,
}

impl WireError {
    /// The kind of fault.
    #[must_use]
    pub fn fault(&self) -> Fault {
        match self {
            WireError::BodyTooLarge { .. } => Fault::Size,
            WireError::Json { .. } | WireError::NotUtf8 { .. } => Fault::Encoding,
            WireError::DuplicateParameter { .. }
            | WireError::MissingChallenge { .. }
            | WireError::MissingParameter { .. }
            | WireError::ParametersInQueryAndFragment
            | WireError::WrongScheme { .. } => Fault::Structure,
            WireError::InvalidValue { .. } => Fault::Value,
        }
    }

    /// The parameter, member or header the error is about, when there is one.
    ///
    /// ```
    /// use psd2_wire::{FormMessage, TokenRequest};
    /// let error = TokenRequest::decode(b"grant_type=password&scope=a&scope=b").unwrap_err();
    /// assert_eq!(error.field(), Some("scope"));
    /// ```
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            WireError::DuplicateParameter { name } => Some(name),
            WireError::InvalidValue { field, .. } => Some(field),
            WireError::MissingParameter { name } => Some(name),
            WireError::NotUtf8 { field } => Some(field),
            WireError::WrongScheme { header, .. } => Some(header),
            WireError::MissingChallenge { .. } => Some("WWW-Authenticate"),
            WireError::BodyTooLarge { .. }
            | WireError::Json { .. }
            | WireError::ParametersInQueryAndFragment => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: InvalidReason) -> Self {
        WireError::InvalidValue { field, reason }
    }

    pub(crate) fn json_type(field: &'static str, expected: &'static str) -> Self {
        WireError::InvalidValue {
            field,
            reason: InvalidReason::JsonType { expected },
        }
    }
}

impl From<serde_json::Error> for WireError {
    fn from(error: serde_json::Error) -> Self {
        WireError::Json {
            message: error.to_string(),
            line: error.line(),
            column: error.column(),
        }
    }
}

/// What is wrong with a value (the `reason` of [`WireError::InvalidValue`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidReason {
    /// Not base64 with padding (RFC 4648 §4), as HTTP Basic requires
    /// (RFC 7617 §2).
    #[error("not base64 with padding (RFC 4648 §4)")]
    Base64,
    /// The psd2-core identifier check failed (`client_id`, `state`: RFC 6749
    /// Appendix A, `*VSCHAR`).
    #[error("not a valid identifier ({0})")]
    Identifier(IdError),
    /// A JSON member of the wrong type (`null` included: it is a value, not
    /// an absence).
    #[error("expected {expected}")]
    JsonType {
        /// What the member must be, as a noun phrase ("a string").
        expected: &'static str,
    },
    /// HTTP Basic credentials without the `:` between user-id and password
    /// (RFC 7617 §2).
    #[error("no ':' between user-id and password (RFC 7617 §2)")]
    MissingColon,
    /// The RFC 6749 §3.3 scope grammar.
    #[error("not an RFC 6749 §3.3 scope ({0})")]
    Scope(ScopeError),
    /// A header that breaks its grammar (RFC 7235 §2.1, §4.1).
    #[error("expected {expected} at byte {position}")]
    Syntax {
        /// The grammar element expected there.
        expected: &'static str,
        /// Byte offset in the header value.
        position: usize,
    },
    /// A `Bearer` challenge carrying a token68 where RFC 6750 §3 has
    /// auth-params.
    #[error("a token68 where RFC 6750 §3 expects auth-params")]
    Token68,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_start_lower_case_and_name_the_field() {
        let errors = [
            WireError::BodyTooLarge {
                limit: 1,
                actual: 2,
            },
            WireError::DuplicateParameter {
                name: "state".to_owned(),
            },
            WireError::invalid("scope", InvalidReason::Base64),
            WireError::MissingChallenge { scheme: "Bearer" },
            WireError::MissingParameter { name: "code" },
            WireError::NotUtf8 {
                field: "state".to_owned(),
            },
            WireError::ParametersInQueryAndFragment,
        ];
        for error in &errors {
            let text = error.to_string();
            assert!(!text.ends_with('.'), "{text}");
            if let Some(field) = error.field() {
                assert!(text.starts_with(field), "{text} should start with {field}");
            }
        }
        assert_eq!(errors[0].fault(), Fault::Size);
        assert_eq!(errors[1].fault(), Fault::Structure);
        assert_eq!(errors[2].fault(), Fault::Value);
        assert_eq!(errors[5].fault(), Fault::Encoding);
    }
}
