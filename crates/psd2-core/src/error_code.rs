//! OAuth `error` codes: RFC 6749 §4.1.2.1, §5.2 and the IANA "OAuth Extensions
//! Error" registry (RFC 6749 §11.4).

use crate::open_enum::open_str_enum;

open_str_enum! {
    /// An OAuth `error` value. Unknown values decode; [`OAuthErrorCode::is_registered_for`]
    /// says whether a value may appear where it did.
    ///
    /// ```
    /// use psd2_core::{ErrorLocation, OAuthErrorCode};
    /// let code = OAuthErrorCode::from("invalid_grant");
    /// assert!(code.is_registered_for(ErrorLocation::TokenEndpoint));
    /// assert!(!code.is_registered_for(ErrorLocation::AuthorizationEndpoint));
    /// ```
    pub struct OAuthErrorCode {
        /// RFC 6749 §4.1.2.1 (authorization response).
        ACCESS_DENIED = "access_denied",
        /// OpenID Connect Core 1.0 §3.1.2.6.
        ACCOUNT_SELECTION_REQUIRED = "account_selection_required",
        /// RFC 8628 §3.5.
        AUTHORIZATION_PENDING = "authorization_pending",
        /// OpenID Connect Core 1.0 §3.1.2.6.
        CONSENT_REQUIRED = "consent_required",
        /// RFC 8628 §3.5.
        EXPIRED_TOKEN = "expired_token",
        /// RFC 6750 §3.1 (resource access).
        INSUFFICIENT_SCOPE = "insufficient_scope",
        /// RFC 9470 §3 (resource access).
        INSUFFICIENT_USER_AUTHENTICATION = "insufficient_user_authentication",
        /// OpenID Connect Core 1.0 §3.1.2.6.
        INTERACTION_REQUIRED = "interaction_required",
        /// RFC 9396 §5.
        INVALID_AUTHORIZATION_DETAILS = "invalid_authorization_details",
        /// RFC 6749 §5.2 (token endpoint).
        INVALID_CLIENT = "invalid_client",
        /// RFC 7591 §3.2.2 (registration).
        INVALID_CLIENT_METADATA = "invalid_client_metadata",
        /// RFC 9449 §5 (token endpoint), §7.1 (resource access).
        INVALID_DPOP_PROOF = "invalid_dpop_proof",
        /// RFC 6749 §5.2 (token endpoint).
        INVALID_GRANT = "invalid_grant",
        /// RFC 7591 §3.2.2 (registration).
        INVALID_REDIRECT_URI = "invalid_redirect_uri",
        /// RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1.
        INVALID_REQUEST = "invalid_request",
        /// RFC 9101 §6.3; OpenID Connect Core 1.0 §3.1.2.6.
        INVALID_REQUEST_OBJECT = "invalid_request_object",
        /// RFC 9101 §6.3; OpenID Connect Core 1.0 §3.1.2.6.
        INVALID_REQUEST_URI = "invalid_request_uri",
        /// RFC 6749 §4.1.2.1, §5.2.
        INVALID_SCOPE = "invalid_scope",
        /// RFC 7591 §3.2.2 (registration).
        INVALID_SOFTWARE_STATEMENT = "invalid_software_statement",
        /// RFC 8707 §2 (implicit grant error response, token endpoint).
        INVALID_TARGET = "invalid_target",
        /// RFC 6750 §3.1 (resource access).
        INVALID_TOKEN = "invalid_token",
        /// OpenID Connect Core 1.0 §3.1.2.6.
        LOGIN_REQUIRED = "login_required",
        /// OpenID Connect Core 1.0 §3.1.2.6.
        REGISTRATION_NOT_SUPPORTED = "registration_not_supported",
        /// RFC 9101 §6.3; OpenID Connect Core 1.0 §3.1.2.6.
        REQUEST_NOT_SUPPORTED = "request_not_supported",
        /// RFC 9101 §6.3; OpenID Connect Core 1.0 §3.1.2.6.
        REQUEST_URI_NOT_SUPPORTED = "request_uri_not_supported",
        /// RFC 6749 §4.1.2.1.
        SERVER_ERROR = "server_error",
        /// RFC 8628 §3.5.
        SLOW_DOWN = "slow_down",
        /// RFC 6749 §4.1.2.1.
        TEMPORARILY_UNAVAILABLE = "temporarily_unavailable",
        /// RFC 7591 §3.2.2 (registration).
        UNAPPROVED_SOFTWARE_STATEMENT = "unapproved_software_statement",
        /// RFC 6749 §4.1.2.1, §5.2.
        UNAUTHORIZED_CLIENT = "unauthorized_client",
        /// RFC 6749 §5.2.
        UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type",
        /// RFC 6749 §4.1.2.1.
        UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type",
        /// RFC 7009 §2.2.1 (revocation endpoint).
        UNSUPPORTED_TOKEN_TYPE = "unsupported_token_type",
        /// RFC 9449 §8 (token endpoint), §9 (resource access).
        USE_DPOP_NONCE = "use_dpop_nonce",
    }
}

/// Where an error response is sent: the "usage location" column of the IANA
/// registry, plus the locations the defining RFCs name for their own codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorLocation {
    /// The redirect back to the client from the authorization endpoint.
    AuthorizationEndpoint,
    /// A client registration or management response (RFC 7591, RFC 7592).
    Registration,
    /// A protected resource's `WWW-Authenticate` challenge (RFC 6750 §3).
    ResourceAccess,
    /// The revocation endpoint (RFC 7009 §2.2.1).
    Revocation,
    /// The token endpoint (RFC 6749 §5.2).
    TokenEndpoint,
}

impl OAuthErrorCode {
    /// Whether the code is defined for that location by RFC 6749, 6750, 7009,
    /// 7591 or an entry of the IANA "OAuth Extensions Error" registry.
    ///
    /// The revocation endpoint returns token-endpoint errors as well
    /// (RFC 7009 §2.2.1: "the error presentation conventions introduced in
    /// Section 5.2 of \[RFC6749\]"), plus `unsupported_token_type`.
    #[must_use]
    pub fn is_registered_for(&self, location: ErrorLocation) -> bool {
        use ErrorLocation as L;
        let token_endpoint = [
            Self::INVALID_REQUEST,
            Self::INVALID_CLIENT,
            Self::INVALID_GRANT,
            Self::UNAUTHORIZED_CLIENT,
            Self::UNSUPPORTED_GRANT_TYPE,
            Self::INVALID_SCOPE,
            Self::AUTHORIZATION_PENDING,
            Self::SLOW_DOWN,
            Self::ACCESS_DENIED,
            Self::EXPIRED_TOKEN,
            Self::INVALID_TARGET,
            Self::INVALID_AUTHORIZATION_DETAILS,
            Self::INVALID_DPOP_PROOF,
            Self::USE_DPOP_NONCE,
        ];
        let allowed: &[OAuthErrorCode] = match location {
            L::AuthorizationEndpoint => &[
                Self::INVALID_REQUEST,
                Self::UNAUTHORIZED_CLIENT,
                Self::ACCESS_DENIED,
                Self::UNSUPPORTED_RESPONSE_TYPE,
                Self::INVALID_SCOPE,
                Self::SERVER_ERROR,
                Self::TEMPORARILY_UNAVAILABLE,
                Self::INTERACTION_REQUIRED,
                Self::LOGIN_REQUIRED,
                Self::ACCOUNT_SELECTION_REQUIRED,
                Self::CONSENT_REQUIRED,
                Self::INVALID_REQUEST_URI,
                Self::INVALID_REQUEST_OBJECT,
                Self::REQUEST_NOT_SUPPORTED,
                Self::REQUEST_URI_NOT_SUPPORTED,
                Self::REGISTRATION_NOT_SUPPORTED,
                Self::INVALID_TARGET,
                Self::INVALID_AUTHORIZATION_DETAILS,
            ],
            L::TokenEndpoint => &token_endpoint,
            L::Revocation => {
                return *self == Self::UNSUPPORTED_TOKEN_TYPE || token_endpoint.contains(self);
            }
            L::ResourceAccess => &[
                Self::INVALID_REQUEST,
                Self::INVALID_TOKEN,
                Self::INSUFFICIENT_SCOPE,
                Self::INSUFFICIENT_USER_AUTHENTICATION,
                Self::INVALID_DPOP_PROOF,
                Self::USE_DPOP_NONCE,
            ],
            L::Registration => &[
                Self::INVALID_REDIRECT_URI,
                Self::INVALID_CLIENT_METADATA,
                Self::INVALID_SOFTWARE_STATEMENT,
                Self::UNAPPROVED_SOFTWARE_STATEMENT,
            ],
        };
        allowed.contains(self)
    }

    /// Whether every character is in the set RFC 6749 §4.1.2.1 and §5.2 allow
    /// for `error`: `%x20-21 / %x23-5B / %x5D-7E`.
    #[must_use]
    pub fn has_valid_charset(&self) -> bool {
        !self.as_str().is_empty()
            && self
                .as_str()
                .bytes()
                .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_through_from() {
        for code in OAuthErrorCode::KNOWN {
            assert_eq!(&OAuthErrorCode::from(code.as_str()), code);
            assert!(code.has_valid_charset());
        }
    }

    #[test]
    fn locations() {
        let denied = OAuthErrorCode::ACCESS_DENIED;
        assert!(denied.is_registered_for(ErrorLocation::AuthorizationEndpoint));
        assert!(
            !OAuthErrorCode::INVALID_GRANT.is_registered_for(ErrorLocation::AuthorizationEndpoint)
        );
        assert!(
            OAuthErrorCode::UNSUPPORTED_TOKEN_TYPE.is_registered_for(ErrorLocation::Revocation)
        );
        assert!(OAuthErrorCode::INVALID_CLIENT.is_registered_for(ErrorLocation::Revocation));
        assert!(!OAuthErrorCode::from("foo").is_registered_for(ErrorLocation::TokenEndpoint));
    }

    #[test]
    fn charset() {
        assert!(!OAuthErrorCode::from("bad\"quote").has_valid_charset());
        assert!(!OAuthErrorCode::from("").has_valid_charset());
        assert!(!OAuthErrorCode::from("é").has_valid_charset());
    }
}
