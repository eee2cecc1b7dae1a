//! Identifiers carried by OAuth messages.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The value was empty.
    #[error("{field}: empty value")]
    Empty {
        /// Which identifier.
        field: &'static str,
    },
    /// A character outside the visible ASCII range (RFC 6749 Appendix A: VSCHAR).
    #[error("{field}: character {character:?} at byte {position} is outside %x20-7E")]
    NotVschar {
        /// Which identifier.
        field: &'static str,
        /// The offending character.
        character: char,
        /// Byte offset.
        position: usize,
    },
    /// A nonce that is not a version-4 UUID.
    #[error("nonce: {0:?} is not a version-4 UUID")]
    NotUuidV4(String),
}

fn check_vschar(field: &'static str, value: &str) -> Result<(), IdError> {
    if value.is_empty() {
        return Err(IdError::Empty { field });
    }
    match value
        .char_indices()
        .find(|(_, c)| !matches!(c, '\x20'..='\x7E'))
    {
        Some((position, character)) => Err(IdError::NotVschar {
            field,
            character,
            position,
        }),
        None => Ok(()),
    }
}

/// An OAuth `client_id` (RFC 6749 §2.2; Appendix A.1: `*VSCHAR`).
///
/// On STET banks it is often the organizationIdentifier of the TPP's QWAC
/// (`PSDFR-ACPR-12345`); on ConnectPay a UUID; elsewhere anything the bank issued.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    /// Checks the value is non-empty visible ASCII.
    ///
    /// # Errors
    /// [`IdError::Empty`] or [`IdError::NotVschar`].
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        check_vschar("client_id", &value)?;
        Ok(Self(value))
    }
    /// The value as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClientId {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}
impl From<ClientId> for String {
    fn from(value: ClientId) -> Self {
        value.0
    }
}
impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `state` of an authorization request (RFC 6749 §4.1.1: `*VSCHAR`,
/// "an opaque value used by the client").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct State(String);

impl State {
    /// Checks the value is non-empty visible ASCII.
    ///
    /// # Errors
    /// [`IdError::Empty`] or [`IdError::NotVschar`].
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        check_vschar("state", &value)?;
        Ok(Self(value))
    }
    /// The value as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for State {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}
impl From<State> for String {
    fn from(value: State) -> Self {
        value.0
    }
}
impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A ConnectPay `nonce`: "unique GUIDv4 string, to mitigate replay attacks".
///
/// ```
/// use psd2_core::Nonce;
/// let fresh = Nonce::new_v4();
/// assert_eq!(Nonce::parse(&fresh.to_string()), Ok(fresh));
/// assert!(Nonce::parse("not-a-uuid").is_err());
/// // A version-1 UUID is refused.
/// assert!(Nonce::parse("c232ab00-9414-11ec-b3c8-9f6bdeced846").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nonce(uuid::Uuid);

impl Nonce {
    /// A fresh random version-4 UUID.
    #[must_use]
    pub fn new_v4() -> Self {
        Self(uuid::Uuid::new_v4())
    }
    /// Parses a hyphenated UUID and requires version 4.
    ///
    /// # Errors
    /// [`IdError::NotUuidV4`] for anything else.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        match uuid::Uuid::try_parse(value) {
            Ok(parsed) if parsed.get_version_num() == 4 => Ok(Self(parsed)),
            _ => Err(IdError::NotUuidV4(value.to_owned())),
        }
    }
}
impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

/// A ConnectPay `flowId` (`GetPSD2AuthCode` for the PSD2 flow).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FlowId(pub String);

impl FlowId {
    /// The value ConnectPay documents for the PSD2 authorization-code flow.
    pub const GET_PSD2_AUTH_CODE: &'static str = "GetPSD2AuthCode";

    /// `GetPSD2AuthCode`.
    #[must_use]
    pub fn get_psd2_auth_code() -> Self {
        Self(Self::GET_PSD2_AUTH_CODE.to_owned())
    }
    /// The value as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vschar() {
        assert!(ClientId::new("PSDFR-ACPR-12345").is_ok());
        assert_eq!(
            ClientId::new(""),
            Err(IdError::Empty { field: "client_id" })
        );
        assert!(matches!(
            State::new("a\nb"),
            Err(IdError::NotVschar { position: 1, .. })
        ));
        assert!(State::new("with space").is_ok());
    }
}
