//! `grant_type` and `response_type` values.

use crate::open_enum::open_str_enum;

open_str_enum! {
    /// The `grant_type` of a token request (RFC 6749 §4, IANA "OAuth URI" and
    /// grant registries). Unknown values decode so that the judge, not the
    /// decoder, reports them.
    ///
    /// ```
    /// use psd2_core::GrantType;
    /// assert_eq!(GrantType::from("refresh_token"), GrantType::REFRESH_TOKEN);
    /// assert!(!GrantType::from("foo").is_known());
    /// ```
    pub struct GrantType {
        /// RFC 6749 §4.1.3.
        AUTHORIZATION_CODE = "authorization_code",
        /// RFC 6749 §4.4.2.
        CLIENT_CREDENTIALS = "client_credentials",
        /// RFC 6749 §4.3.2 (forbidden by RFC 9700 §2.4).
        PASSWORD = "password",
        /// RFC 6749 §6.
        REFRESH_TOKEN = "refresh_token",
        /// RFC 8628 §3.4.
        DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code",
        /// RFC 7523 §2.1.
        JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer",
        /// RFC 8693 §2.1.
        TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange",
    }
}

open_str_enum! {
    /// The `response_type` of an authorization request (RFC 6749 §3.1.1).
    /// RFC 7591 also uses `implicit` as a grant type name in registration
    /// metadata; that lives in [`GrantType`]'s open space.
    pub struct ResponseType {
        /// RFC 6749 §4.1.1.
        CODE = "code",
        /// RFC 6749 §4.2.1 (implicit; RFC 9700 §2.1.2 says SHOULD NOT).
        TOKEN = "token",
    }
}
