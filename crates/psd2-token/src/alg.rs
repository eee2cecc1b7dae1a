//! The JWS algorithms this crate signs and verifies with (RFC 7518 §3.1).

use std::fmt;

/// A JWS `alg` this crate supports.
///
/// There is deliberately no `none` and no RSA: `none` would make the signature
/// optional, and RSA on ring would add a second key format for no PSD2 need.
/// The algorithm belongs to the key, never to the token: a verifier uses the
/// header's `alg` only to refuse a token whose `alg` differs from its key's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// ECDSA on P-256 with SHA-256, signature as fixed-size `R || S`
    /// (RFC 7518 §3.4). The default: resource servers need only the public key.
    Es256,
    /// HMAC with SHA-256 (RFC 7518 §3.2), for a verifier that holds the secret
    /// anyway, such as the authorization server checking its refresh tokens.
    Hs256,
}

impl Algorithm {
    /// The registered name, as it appears in the header.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Es256 => "ES256",
            Self::Hs256 => "HS256",
        }
    }

    /// The algorithm registered under `name`. RFC 7515 §4.1.1: the value is
    /// case-sensitive, so `es256` is not ES256.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "ES256" => Some(Self::Es256),
            "HS256" => Some(Self::Hs256),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Algorithm;

    #[test]
    fn names_are_case_sensitive() {
        assert_eq!(Algorithm::from_name("ES256"), Some(Algorithm::Es256));
        assert_eq!(Algorithm::from_name("HS256"), Some(Algorithm::Hs256));
        assert_eq!(Algorithm::from_name("es256"), None);
        assert_eq!(Algorithm::from_name("none"), None);
        assert_eq!(Algorithm::from_name("RS256"), None);
        for alg in [Algorithm::Es256, Algorithm::Hs256] {
            assert_eq!(Algorithm::from_name(alg.name()), Some(alg));
        }
    }
}
