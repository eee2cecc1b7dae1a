//! RFC 8705 §3.1 certificate thumbprints.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `x5t#S256` value of RFC 8705 §3.1: the base64url (no padding) encoding
/// of the SHA-256 digest of a certificate's DER encoding.
///
/// This crate does no hashing; [`X5tS256::from_sha256`] takes the 32-byte
/// digest (computed by `psd2-eidas` or by the caller with ring).
///
/// ```
/// use psd2_core::X5tS256;
/// let thumbprint = X5tS256::from_sha256(&[0u8; 32]);
/// assert_eq!(thumbprint.as_str().len(), 43);
/// assert_eq!(X5tS256::parse(thumbprint.as_str()), Some(thumbprint));
/// assert_eq!(X5tS256::parse("too-short"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct X5tS256(String);

impl X5tS256 {
    /// Encodes a SHA-256 digest.
    #[must_use]
    pub fn from_sha256(digest: &[u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(digest))
    }

    /// Accepts a received value only if it decodes to exactly 32 bytes of
    /// unpadded base64url.
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
        (bytes.len() == 32 && URL_SAFE_NO_PAD.encode(&bytes) == value)
            .then(|| Self(value.to_owned()))
    }

    /// The base64url text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 32 digest bytes.
    #[must_use]
    pub fn digest(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        if let Ok(bytes) = URL_SAFE_NO_PAD.decode(&self.0)
            && bytes.len() == 32
        {
            out.copy_from_slice(&bytes);
        }
        out
    }
}

impl fmt::Display for X5tS256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for X5tS256 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for X5tS256 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        X5tS256::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom("x5t#S256: not 32 bytes of unpadded base64url"))
    }
}
