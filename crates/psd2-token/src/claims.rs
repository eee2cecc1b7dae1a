//! The claims of an access token: RFC 9068 §2.2, the PSD2 `customer`, the
//! grant id and the RFC 8705 §3.1 certificate binding.
//!
//! On the wire (members in this order; `customer`, `aud` and `scope` only
//! when set):
//!
//! ```json
//! {"iss":"https://bank.example","sub":"person-1","customer":"customer-A",
//!  "aud":"https://api.bank.example","client_id":"PSDFR-ACPR-12345",
//!  "scope":"aisp","grant_id":"…","jti":"…","iat":1700000000,"exp":1700000300,
//!  "cnf":{"x5t#S256":"…"}}
//! ```

use psd2_core::{ClientId, CustomerId, PersonId, Psu, ScopeSet, X5tS256};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Malformation, VerifyError};
use crate::ids::{GrantId, TokenId};
use crate::time::UnixTime;
use crate::wire::{self, Object};

/// Whose authority the token carries: the `sub` claim, with `customer`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Subject {
    /// No resource owner (the `client_credentials` grant): `sub` is the
    /// `client_id`, as RFC 9068 §2.2 asks, and there is no `customer`.
    Client,
    /// A PSU: `sub` is the Person who authenticated, `customer` the Customer
    /// whose accounts the consent covers (ConnectPay's "unique Person and
    /// Customer pair").
    Psu(Psu),
}

/// The claims of an access token.
///
/// Serializes to (and deserializes from) the JSON above; deserializing is
/// strict: unknown and repeated members are refused, `iat` and `exp` are
/// integers, and `exp` must be after `iat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    /// `iss`: the authorization server's issuer identifier (RFC 8414).
    pub issuer: String,
    /// `sub` and `customer`.
    pub subject: Subject,
    /// `client_id`: the TPP the token was issued to.
    pub client_id: ClientId,
    /// `scope`: what the token allows (absent when empty).
    pub scope: ScopeSet,
    /// `aud`: the resource servers the token is for (RFC 8707 resource
    /// indicators); absent when empty, a string when one, else an array.
    pub audience: Vec<String>,
    /// `grant_id`: the authorization this token was issued under.
    pub grant_id: GrantId,
    /// `jti`.
    pub token_id: TokenId,
    /// `iat`.
    pub issued_at: UnixTime,
    /// `exp`.
    pub expires_at: UnixTime,
    /// `cnf.x5t#S256`: the thumbprint of the TPP certificate the token is
    /// bound to (RFC 8705 §3.1).
    pub binding: X5tS256,
}

impl AccessClaims {
    /// The PSU, unless the token was issued to the client itself.
    #[must_use]
    pub fn psu(&self) -> Option<&Psu> {
        match &self.subject {
            Subject::Psu(psu) => Some(psu),
            Subject::Client => None,
        }
    }

    /// The `sub` claim as sent.
    #[must_use]
    pub fn sub(&self) -> &str {
        match &self.subject {
            Subject::Psu(psu) => &psu.person.0,
            Subject::Client => self.client_id.as_str(),
        }
    }
}

/// `cnf` with its one member (RFC 7800 §3.1, RFC 8705 §3.1). Strict like the
/// rest: a `cnf` carrying another confirmation method was not minted here.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Confirmation {
    #[serde(rename = "x5t#S256", deserialize_with = "wire::thumbprint")]
    pub(crate) x5t_s256: X5tS256,
}

#[derive(Serialize)]
struct AccessOut<'a> {
    iss: &'a str,
    sub: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<&'a CustomerId>,
    #[serde(
        skip_serializing_if = "wire::is_empty",
        serialize_with = "wire::audience"
    )]
    aud: &'a [String],
    client_id: &'a ClientId,
    #[serde(skip_serializing_if = "wire::no_scope")]
    scope: &'a ScopeSet,
    grant_id: &'a GrantId,
    jti: &'a TokenId,
    iat: UnixTime,
    exp: UnixTime,
    cnf: ConfirmationOut<'a>,
}

#[derive(Serialize)]
struct ConfirmationOut<'a> {
    #[serde(rename = "x5t#S256")]
    x5t_s256: &'a X5tS256,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccessIn {
    iss: String,
    sub: String,
    #[serde(default)]
    customer: Option<CustomerId>,
    #[serde(default, deserialize_with = "wire::audience_in")]
    aud: Vec<String>,
    client_id: ClientId,
    #[serde(default, deserialize_with = "wire::scope_in")]
    scope: ScopeSet,
    grant_id: GrantId,
    jti: TokenId,
    iat: UnixTime,
    exp: UnixTime,
    cnf: Object<Confirmation>,
}

impl AccessIn {
    /// The typed claims, or the field that breaks a rule JSON cannot express.
    pub(crate) fn into_claims(self) -> Result<AccessClaims, VerifyError> {
        let subject = match self.customer {
            Some(customer) if !self.sub.is_empty() => {
                Subject::Psu(Psu::new(PersonId(self.sub), customer))
            }
            Some(_) => return Err(invalid("sub", "empty")),
            None if self.sub == self.client_id.as_str() => Subject::Client,
            None => {
                return Err(invalid(
                    "sub",
                    "neither the client_id nor paired with a customer",
                ));
            }
        };
        if self.exp <= self.iat {
            return Err(invalid("exp", "not after iat"));
        }
        Ok(AccessClaims {
            issuer: self.iss,
            subject,
            client_id: self.client_id,
            scope: self.scope,
            audience: self.aud,
            grant_id: self.grant_id,
            token_id: self.jti,
            issued_at: self.iat,
            expires_at: self.exp,
            binding: self.cnf.0.x5t_s256,
        })
    }
}

fn invalid(field: &'static str, why: &'static str) -> VerifyError {
    VerifyError::Malformed {
        field,
        problem: Malformation::Invalid(why),
    }
}

impl Serialize for AccessClaims {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        AccessOut {
            iss: &self.issuer,
            sub: self.sub(),
            customer: self.psu().map(|psu| &psu.customer),
            aud: &self.audience,
            client_id: &self.client_id,
            scope: &self.scope,
            grant_id: &self.grant_id,
            jti: &self.token_id,
            iat: self.issued_at,
            exp: self.expires_at,
            cnf: ConfirmationOut {
                x5t_s256: &self.binding,
            },
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AccessClaims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Object::<AccessIn>::deserialize(deserializer)?
            .0
            .into_claims()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THUMBPRINT: &str = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg0";

    fn claims_json(extra: &str) -> String {
        format!(
            r#"{{"iss":"https://bank.example","sub":"p","customer":"c","client_id":"tpp","scope":"aisp","grant_id":"AAAAAAAAAAAAAAAAAAAAAA","jti":"AQEBAQEBAQEBAQEBAQEBAQ","iat":10,"exp":20,"cnf":{{"x5t#S256":"{THUMBPRINT}"}}{extra}}}"#
        )
    }

    #[test]
    fn json_round_trip_is_byte_exact() -> Result<(), serde_json::Error> {
        let json = claims_json("");
        let claims: AccessClaims = serde_json::from_str(&json)?;
        assert_eq!(claims.sub(), "p");
        assert_eq!(claims.psu().map(|p| p.customer.0.as_str()), Some("c"));
        assert_eq!(serde_json::to_string(&claims)?, json);
        Ok(())
    }

    #[test]
    fn client_subject_is_the_client_id() -> Result<(), serde_json::Error> {
        let json = r#"{"iss":"i","sub":"tpp","client_id":"tpp","grant_id":"AAAAAAAAAAAAAAAAAAAAAA","jti":"AQEBAQEBAQEBAQEBAQEBAQ","iat":10,"exp":20,"cnf":{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg0"}}"#;
        let claims: AccessClaims = serde_json::from_str(json)?;
        assert_eq!(claims.subject, Subject::Client);
        assert!(claims.scope.is_empty());
        assert_eq!(serde_json::to_string(&claims)?, json);
        let stranger = json.replace(r#""sub":"tpp""#, r#""sub":"someone""#);
        assert!(serde_json::from_str::<AccessClaims>(&stranger).is_err());
        Ok(())
    }

    #[test]
    fn audience_forms() -> Result<(), serde_json::Error> {
        let one: AccessClaims = serde_json::from_str(&claims_json(r#","aud":"https://rs""#))?;
        assert_eq!(one.audience, ["https://rs"]);
        assert!(serde_json::to_string(&one)?.contains(r#""aud":"https://rs""#));
        let two: AccessClaims = serde_json::from_str(&claims_json(r#","aud":["a","b"]"#))?;
        assert_eq!(two.audience, ["a", "b"]);
        assert!(serde_json::to_string(&two)?.contains(r#""aud":["a","b"]"#));
        for bad in [
            r#","aud":[]"#,
            r#","aud":"""#,
            r#","aud":["a",""]"#,
            r#","aud":3"#,
        ] {
            assert!(
                serde_json::from_str::<AccessClaims>(&claims_json(bad)).is_err(),
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn strict_members_and_values() {
        let refused = [
            claims_json(r#","exp":30"#), // repeated member
            claims_json(r#","nbf":5"#),  // unknown member
            claims_json(r#","scope":"""#).replacen(r#""scope":"aisp","#, "", 1), // empty scope
            claims_json("").replace(r#""iat":10"#, r#""iat":10.0"#),
            claims_json("").replace(r#""exp":20"#, r#""exp":-20"#),
            claims_json("").replace(r#""exp":20"#, r#""exp":"20""#),
            claims_json("").replace(r#""exp":20"#, r#""exp":10"#), // not after iat
            claims_json("").replace(r#""sub":"p""#, r#""sub":"""#),
            claims_json("").replace(r#""scope":"aisp""#, r#""scope":"aisp  pisp""#),
            claims_json("").replace(r#""client_id":"tpp""#, r#""client_id":"""#),
            claims_json("").replace(r#""jti":"AQEBAQEBAQEBAQEBAQEBAQ""#, r#""jti":"x""#),
            claims_json("").replace(r#"}}"#, r#","jkt":"x"}}"#), // unknown cnf member
            claims_json("").replace(
                &format!(r#"{{"x5t#S256":"{THUMBPRINT}"}}"#),
                &format!(r#"["{THUMBPRINT}"]"#),
            ),
            claims_json("").replace(THUMBPRINT, "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"),
        ];
        for json in refused {
            assert!(
                serde_json::from_str::<AccessClaims>(&json).is_err(),
                "{json}"
            );
        }
        // A struct written as the array of its values.
        let array = r#"["i","tpp",null,"tpp","aisp","AAAAAAAAAAAAAAAAAAAAAA","AQEBAQEBAQEBAQEBAQEBAQ",10,20,{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg0"}]"#;
        assert!(serde_json::from_str::<AccessClaims>(array).is_err());
    }

    /// RFC 8705 §3.1, Figure 2: the `cnf` member of the example claims set.
    /// Its thumbprint ends in `2`, whose low bits are not zero: decoders that
    /// ignore trailing bits accept it, a canonical decoder does not. The
    /// same digest encoded canonically ends in `0`.
    #[test]
    fn rfc8705_cnf_example() -> Result<(), serde_json::Error> {
        let example = r#"{
    "x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"
  }"#;
        let refused = serde_json::from_str::<Confirmation>(example);
        assert!(refused.is_err());
        let canonical = example.replace("dg2", "dg0");
        let cnf: Confirmation = serde_json::from_str(&canonical)?;
        assert_eq!(cnf.x5t_s256.as_str(), THUMBPRINT);
        assert_eq!(
            serde_json::to_string(&cnf)?,
            format!(r#"{{"x5t#S256":"{THUMBPRINT}"}}"#)
        );
        Ok(())
    }
}
