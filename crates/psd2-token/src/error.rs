//! Errors, split by who is at fault.
//!
//! Messages start lower-case, name the claim or header member first and end
//! without a period.

use crate::alg::Algorithm;
use crate::time::UnixTime;

/// Why a token was refused.
///
/// The variants fall in three groups, which [`VerifyError::fault`] names:
/// the bytes do not parse ([`Fault::Syntax`]), the token is not one of ours
/// ([`Fault::Authenticity`]), or it is ours but not acceptable here and now
/// ([`Fault::Validity`]). On a resource server all of them are RFC 6750
/// `invalid_token`; at the token endpoint, `invalid_grant`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The header names another algorithm than the key it names: the
    /// algorithm-confusion attack (an HS256 token "signed" with a public key).
    #[error("alg: the header says {header} but the key is {key}")]
    AlgorithmMismatch {
        /// The header's `alg`.
        header: Algorithm,
        /// The algorithm of the key its `kid` selects.
        key: Algorithm,
    },
    /// The signature does not verify under the key the `kid` selects.
    #[error("signature: does not verify")]
    BadSignature,
    /// `now` is at or past `exp` plus the leeway.
    #[error("exp: expired at {expires_at}, now is {now} (leeway included)")]
    Expired {
        /// The token's `exp`.
        expires_at: UnixTime,
        /// The time passed in.
        now: UnixTime,
    },
    /// `iat` is later than `now` plus the leeway: the clocks disagree, or the
    /// token was minted for later use.
    #[error("iat: issued at {issued_at}, later than now ({now}) plus the leeway")]
    IssuedInFuture {
        /// The token's `iat`.
        issued_at: UnixTime,
        /// The time passed in.
        now: UnixTime,
    },
    /// The bytes do not parse; `field` says where.
    #[error("{field}: {problem}")]
    Malformed {
        /// `token`, `header`, `payload`, `signature`, `kid`, `sub`, `exp` ...
        field: &'static str,
        /// What is wrong with it.
        problem: Malformation,
    },
    /// No key of the key set has the header's `kid` (or the key was retired).
    #[error("kid: no key {kid:?} in the key set")]
    UnknownKey {
        /// The header's `kid`.
        kid: String,
    },
    /// The header's `alg` is not ES256 or HS256; `none` lands here.
    #[error("alg: {alg:?} is not accepted")]
    UnsupportedAlgorithm {
        /// The header's `alg`.
        alg: String,
    },
    /// `aud` does not name this verifier's audience, or names one when the
    /// verifier has none.
    #[error("aud: the token is not addressed to this resource server")]
    WrongAudience,
    /// `cnf.x5t#S256` is not the thumbprint of the certificate presented on
    /// the connection (RFC 8705 §3): the token was stolen or the client
    /// changed certificates.
    #[error("cnf: the token is bound to another certificate")]
    WrongBinding,
    /// The refresh token was issued to another client than the one that
    /// authenticated (RFC 6749 §6).
    #[error("client_id: the token was issued to another client")]
    WrongClient,
    /// `iss` is not this verifier's issuer.
    #[error("iss: not the expected issuer")]
    WrongIssuer,
    /// The header's `typ` is not the expected token type: an access token
    /// offered as a refresh token, or the reverse, or a JWT of another kind
    /// (RFC 8725 §3.11, RFC 9068 §4).
    #[error("typ: expected {expected}")]
    WrongType {
        /// The `typ` this verification wanted.
        expected: &'static str,
    },
}

/// What is wrong with a field that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformation {
    /// Not unpadded base64url in its one canonical form.
    #[error("not canonical unpadded base64url")]
    Base64,
    /// Parses, but breaks a rule of this profile.
    #[error("{0}")]
    Invalid(&'static str),
    /// Not the expected JSON: syntax, a missing, unknown or repeated member,
    /// or a value of the wrong type. The text comes from serde_json.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A required member is absent.
    #[error("missing")]
    Missing,
    /// Not three segments separated by two dots (JWS Compact Serialization).
    #[error("not three dot-separated segments")]
    Segments,
    /// Longer than the limit, checked before anything is decoded.
    #[error("longer than {max} bytes")]
    TooLong {
        /// The limit.
        max: usize,
    },
}

/// Who is at fault for a [`VerifyError`], in the manner of rustls's split
/// between `InvalidMessage`, `PeerMisbehaved` and `PeerIncompatible`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// The token is not provably ours: bad signature, unknown key, a refused
    /// or mismatched algorithm, another token type.
    Authenticity,
    /// The bytes do not parse.
    Syntax,
    /// The token is ours, but not acceptable here and now: expired, for
    /// another audience or client, bound to another certificate.
    Validity,
}

impl VerifyError {
    /// Who is at fault.
    #[must_use]
    pub fn fault(&self) -> Fault {
        match self {
            Self::Malformed { .. } => Fault::Syntax,
            Self::AlgorithmMismatch { .. }
            | Self::BadSignature
            | Self::UnknownKey { .. }
            | Self::UnsupportedAlgorithm { .. }
            | Self::WrongType { .. } => Fault::Authenticity,
            Self::Expired { .. }
            | Self::IssuedInFuture { .. }
            | Self::WrongAudience
            | Self::WrongBinding
            | Self::WrongClient
            | Self::WrongIssuer => Fault::Validity,
        }
    }
}

/// Why a token could not be minted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MintError {
    /// A lifetime under one second, or `now` plus the lifetime past `u64`.
    #[error("exp: the lifetime is under one second or overflows")]
    Lifetime,
    /// The random generator failed.
    #[error("rng: the random generator failed")]
    Random,
    /// The claims did not serialize.
    #[error("claims: {0}")]
    Serialize(String),
    /// ring refused to sign.
    #[error("signature: signing failed")]
    Signing,
    /// The token would be longer than any verifier of this crate accepts.
    #[error("token: {len} bytes, more than the {max} a verifier accepts")]
    TooLong {
        /// The length the token would have.
        len: usize,
        /// The verifiers' limit.
        max: usize,
    },
}

/// Why key material was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Two keys of one set share an id.
    #[error("kid: {0:?} appears twice in the key set")]
    DuplicateKeyId(String),
    /// A key set needs at least one key.
    #[error("keys: the key set is empty")]
    EmptyKeySet,
    /// An HS256 secret shorter than the hash output (RFC 7518 §3.2: "A key of
    /// the same size as the hash output ... or larger MUST be used").
    #[error("secret: {len} bytes, HS256 needs at least {min}")]
    HmacTooShort {
        /// The secret's length.
        len: usize,
        /// 32.
        min: usize,
    },
    /// Not a valid key id; see [`KeyId::new`](crate::KeyId::new).
    #[error("kid: {0:?} is not 1 to 64 characters of A-Z a-z 0-9 - . _ ~")]
    KeyId(String),
    /// Not a 65-byte uncompressed P-256 point (`04 || X || Y`).
    #[error("public key: not an uncompressed P-256 point")]
    PublicKey,
    /// The random generator failed while generating a key.
    #[error("rng: the random generator failed")]
    Random,
    /// ring refused the private key; the text is ring's reason.
    #[error("private key: rejected ({0})")]
    Rejected(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message starts lower-case and has no final period, as clippy's
    /// `lint_message_convention` asks of its lints.
    #[test]
    fn message_convention() {
        let messages = [
            VerifyError::AlgorithmMismatch {
                header: Algorithm::Hs256,
                key: Algorithm::Es256,
            }
            .to_string(),
            VerifyError::BadSignature.to_string(),
            VerifyError::Expired {
                expires_at: UnixTime::from_secs(1),
                now: UnixTime::from_secs(2),
            }
            .to_string(),
            VerifyError::IssuedInFuture {
                issued_at: UnixTime::from_secs(2),
                now: UnixTime::from_secs(1),
            }
            .to_string(),
            VerifyError::Malformed {
                field: "token",
                problem: Malformation::Segments,
            }
            .to_string(),
            VerifyError::Malformed {
                field: "exp",
                problem: Malformation::Invalid("not after iat"),
            }
            .to_string(),
            VerifyError::UnknownKey { kid: "k".into() }.to_string(),
            VerifyError::UnsupportedAlgorithm { alg: "none".into() }.to_string(),
            VerifyError::WrongAudience.to_string(),
            VerifyError::WrongBinding.to_string(),
            VerifyError::WrongClient.to_string(),
            VerifyError::WrongIssuer.to_string(),
            VerifyError::WrongType { expected: "at+jwt" }.to_string(),
            MintError::Lifetime.to_string(),
            MintError::Random.to_string(),
            MintError::Signing.to_string(),
            MintError::TooLong {
                len: 9000,
                max: 8192,
            }
            .to_string(),
            KeyError::DuplicateKeyId("k".into()).to_string(),
            KeyError::EmptyKeySet.to_string(),
            KeyError::HmacTooShort { len: 3, min: 32 }.to_string(),
            KeyError::KeyId(String::new()).to_string(),
            KeyError::PublicKey.to_string(),
            KeyError::Random.to_string(),
            KeyError::Rejected("InvalidEncoding".into()).to_string(),
        ];
        for message in messages {
            let first = message.chars().next();
            assert!(first.is_some_and(|c| !c.is_uppercase()), "{message}");
            assert!(!message.ends_with('.'), "{message}");
        }
    }

    #[test]
    fn faults() {
        assert_eq!(VerifyError::BadSignature.fault(), Fault::Authenticity);
        assert_eq!(VerifyError::WrongBinding.fault(), Fault::Validity);
        assert_eq!(
            VerifyError::Malformed {
                field: "token",
                problem: Malformation::Segments
            }
            .fault(),
            Fault::Syntax
        );
    }
}
