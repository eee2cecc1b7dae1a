//! The claims of a refresh token.
//!
//! A refresh token is a signed JWT of type `rt+jwt` that only the
//! authorization server reads. It carries the grant id, so that verifying it
//! yields the grant to refresh (and to revoke), and is unforgeable because it
//! is signed. It carries no scope or PSU: the server keeps those per grant,
//! and must look the grant up anyway to know whether it was revoked.

use psd2_core::ClientId;
use serde::{Deserialize, Serialize};

use crate::error::{Malformation, VerifyError};
use crate::ids::{GrantId, TokenId};
use crate::time::UnixTime;
use crate::wire::Object;

/// The claims of a refresh token.
///
/// ```json
/// {"iss":"https://bank.example","client_id":"PSDFR-ACPR-12345",
///  "grant_id":"…","jti":"…","iat":1700000000,"exp":1707776000}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, from = "Object<RefreshIn>")]
pub struct RefreshClaims {
    /// `iss`.
    #[serde(rename = "iss")]
    pub issuer: String,
    /// `client_id`: only this client may use the token (RFC 6749 §6).
    pub client_id: ClientId,
    /// `grant_id`: the authorization the token refreshes.
    pub grant_id: GrantId,
    /// `jti`: lets the server keep one live refresh token per grant and
    /// detect a replayed one (rotation, RFC 9700 §4.14.2).
    #[serde(rename = "jti")]
    pub token_id: TokenId,
    /// `iat`.
    #[serde(rename = "iat")]
    pub issued_at: UnixTime,
    /// `exp`.
    #[serde(rename = "exp")]
    pub expires_at: UnixTime,
}

/// The same members, read by the derive inside an [`Object`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefreshIn {
    iss: String,
    client_id: ClientId,
    grant_id: GrantId,
    jti: TokenId,
    iat: UnixTime,
    exp: UnixTime,
}

impl From<Object<RefreshIn>> for RefreshClaims {
    fn from(Object(wire): Object<RefreshIn>) -> Self {
        Self {
            issuer: wire.iss,
            client_id: wire.client_id,
            grant_id: wire.grant_id,
            token_id: wire.jti,
            issued_at: wire.iat,
            expires_at: wire.exp,
        }
    }
}

impl RefreshClaims {
    /// Checks what the JSON types cannot: `exp` after `iat`.
    pub(crate) fn checked(self) -> Result<Self, VerifyError> {
        if self.expires_at <= self.issued_at {
            return Err(VerifyError::Malformed {
                field: "exp",
                problem: Malformation::Invalid("not after iat"),
            });
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json() -> Result<(), serde_json::Error> {
        let json = r#"{"iss":"i","client_id":"tpp","grant_id":"AAAAAAAAAAAAAAAAAAAAAA","jti":"AQEBAQEBAQEBAQEBAQEBAQ","iat":10,"exp":20}"#;
        let claims: RefreshClaims = serde_json::from_str(json)?;
        assert_eq!(serde_json::to_string(&claims)?, json);
        assert!(claims.clone().checked().is_ok());
        let backwards = RefreshClaims {
            expires_at: UnixTime::from_secs(10),
            ..claims
        };
        assert!(backwards.checked().is_err());
        for bad in [
            json.replace(r#""iat":10"#, r#""iat":10,"iat":11"#),
            json.replace(r#""iat":10"#, r#""iat":10,"scope":"aisp""#),
            json.replace(r#""grant_id":"AAAAAAAAAAAAAAAAAAAAAA","#, ""),
            r#"["i","tpp","AAAAAAAAAAAAAAAAAAAAAA","AQEBAQEBAQEBAQEBAQEBAQ",10,20]"#.to_owned(),
        ] {
            assert!(
                serde_json::from_str::<RefreshClaims>(&bad).is_err(),
                "{bad}"
            );
        }
        Ok(())
    }
}
