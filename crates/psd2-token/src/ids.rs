//! Identifiers: key ids for rotation, token ids (`jti`) and grant ids.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SecureRandom;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{KeyError, MintError};

/// The longest key id accepted, in bytes.
pub const MAX_KEY_ID_LEN: usize = 64;

/// A key id (`kid`, RFC 7515 §4.1.4): names one key of a [`KeySet`] so that
/// keys can rotate while tokens signed with the previous one stay valid.
///
/// 1 to 64 characters of `A-Z a-z 0-9 - . _ ~`, so that the id needs no
/// escaping in JSON and reads well in logs.
///
/// ```
/// use psd2_token::KeyId;
/// assert!(KeyId::new("2026-05.es256").is_ok());
/// assert!(KeyId::new("").is_err());
/// assert!(KeyId::new("a\"b").is_err());
/// ```
///
/// [`KeySet`]: crate::KeySet
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyId(String);

impl KeyId {
    /// Checks the length and the alphabet.
    ///
    /// # Errors
    /// [`KeyError::KeyId`] naming the rejected value.
    pub fn new(value: impl Into<String>) -> Result<Self, KeyError> {
        let value = value.into();
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if value.is_empty() || value.len() > MAX_KEY_ID_LEN || !value.bytes().all(allowed) {
            return Err(KeyError::KeyId(value));
        }
        Ok(Self(value))
    }

    /// The id as it appears in the header.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Random bytes in a token id or grant id: 128 bits, so that ids drawn from a
/// secure generator do not collide and cannot be guessed.
const ID_BYTES: usize = 16;
/// Length of the base64url text of [`ID_BYTES`] bytes.
const ID_TEXT_LEN: usize = 22;

macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name([u8; ID_BYTES]);

        impl $name {
            /// Draws a fresh id from `rng` (128 random bits).
            ///
            /// # Errors
            /// [`MintError::Random`] when the generator fails.
            pub fn generate(rng: &dyn SecureRandom) -> Result<Self, MintError> {
                let mut bytes = [0u8; ID_BYTES];
                rng.fill(&mut bytes).map_err(|_| MintError::Random)?;
                Ok(Self(bytes))
            }

            /// Parses the text form: exactly 22 characters of unpadded
            /// base64url, canonical.
            #[must_use]
            pub fn parse(text: &str) -> Option<Self> {
                crate::b64::decode_exact::<ID_BYTES>(text.as_bytes()).map(Self)
            }

            /// The 16 random bytes.
            #[must_use]
            pub fn as_bytes(&self) -> &[u8; ID_BYTES] {
                &self.0
            }

            fn encode(&self) -> [u8; ID_TEXT_LEN] {
                let mut text = [0u8; ID_TEXT_LEN];
                // Cannot fail: the buffer has exactly the encoded length.
                let _ = URL_SAFE_NO_PAD.encode_slice(self.0, &mut text);
                text
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let text = self.encode();
                f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let text = self.encode();
                let text = std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?;
                serializer.serialize_str(text)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct IdVisitor;
                impl Visitor<'_> for IdVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!($what, ": 22 characters of unpadded base64url"))
                    }
                    fn visit_str<E: de::Error>(self, value: &str) -> Result<$name, E> {
                        $name::parse(value).ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
                    }
                }
                deserializer.deserialize_str(IdVisitor)
            }
        }
    };
}

random_id! {
    /// A token id, the `jti` claim (RFC 7519 §4.1.7): unique per token, so
    /// that a server can revoke one access token or detect a replayed
    /// refresh token.
    TokenId, "jti"
}

random_id! {
    /// A grant id: one per authorization (one consent, or one
    /// `client_credentials` request), carried by every access and refresh
    /// token issued under it.
    ///
    /// Revoking a grant revokes every token that carries its id, which is how
    /// revoking a refresh token revokes the access tokens of its grant, and how
    /// a replayed authorization code revokes what it issued (RFC 6749 §4.1.2).
    /// The id is not a secret: it is readable in the token and proves nothing.
    ///
    /// ```
    /// use psd2_token::GrantId;
    /// let id = GrantId::generate(&ring::rand::SystemRandom::new())?;
    /// assert_eq!(GrantId::parse(&id.to_string()), Some(id));
    /// assert_eq!(GrantId::parse("too-short"), None);
    /// # Ok::<(), psd2_token::MintError>(())
    /// ```
    GrantId, "grant_id"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_alphabet_and_length() {
        assert!(KeyId::new("a").is_ok());
        assert!(KeyId::new("A-z.0_9~").is_ok());
        assert!(KeyId::new("x".repeat(MAX_KEY_ID_LEN)).is_ok());
        assert!(KeyId::new("x".repeat(MAX_KEY_ID_LEN + 1)).is_err());
        assert!(KeyId::new("with space").is_err());
        assert!(KeyId::new("slash/").is_err());
        assert!(KeyId::new("é").is_err());
    }

    #[test]
    fn random_id_text_form() -> Result<(), serde_json::Error> {
        let id = TokenId([0xfb; ID_BYTES]);
        assert_eq!(id.to_string(), "-_v7-_v7-_v7-_v7-_v7-w");
        assert_eq!(format!("{id:?}"), "TokenId(-_v7-_v7-_v7-_v7-_v7-w)");
        assert_eq!(serde_json::to_string(&id)?, "\"-_v7-_v7-_v7-_v7-_v7-w\"");
        assert_eq!(
            serde_json::from_str::<TokenId>("\"-_v7-_v7-_v7-_v7-_v7-w\"")?,
            id
        );
        // An escaped character still decodes (serde hands over an owned str).
        assert_eq!(
            serde_json::from_str::<TokenId>("\"\\u002d_v7-_v7-_v7-_v7-_v7-w\"")?,
            id
        );
        // Non-zero trailing bits: another text for the same bytes is refused.
        assert_eq!(TokenId::parse("-_v7-_v7-_v7-_v7-_v7-x"), None);
        assert_eq!(TokenId::parse("-_v7-_v7-_v7-_v7-_v7-w="), None);
        assert!(serde_json::from_str::<GrantId>("42").is_err());
        Ok(())
    }
}
