//! `token_type` (RFC 6749 §7.1), compared without regard to case.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `token_type` of a token response.
///
/// RFC 6749 §5.1: "The value is case insensitive." Equality and hashing
/// ignore ASCII case; the value is kept as sent.
///
/// ```
/// use psd2_core::TokenType;
/// assert_eq!(TokenType::new("bearer"), TokenType::bearer());
/// assert_eq!(TokenType::new("BEARER").as_str(), "BEARER");
/// ```
#[derive(Clone)]
pub struct TokenType(String);

impl TokenType {
    /// Any value, kept as sent.
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// `Bearer` (RFC 6750).
    #[must_use]
    pub fn bearer() -> Self {
        Self("Bearer".to_owned())
    }
    /// `DPoP` (RFC 9449).
    #[must_use]
    pub fn dpop() -> Self {
        Self("DPoP".to_owned())
    }
    /// `N_A` (RFC 8693, for tokens that are not access tokens).
    #[must_use]
    pub fn not_applicable() -> Self {
        Self("N_A".to_owned())
    }
    /// The value as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether this is `Bearer` in any case.
    #[must_use]
    pub fn is_bearer(&self) -> bool {
        self.0.eq_ignore_ascii_case("bearer")
    }
}

impl PartialEq for TokenType {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}
impl Eq for TokenType {}

impl std::hash::Hash for TokenType {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for byte in self.0.bytes() {
            state.write_u8(byte.to_ascii_lowercase());
        }
    }
}

impl fmt::Debug for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenType({:?})", self.0)
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for TokenType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TokenType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(TokenType)
    }
}
