//! OAuth 2.0 scopes (RFC 6749 §3.3).
//!
//! ```text
//! scope       = scope-token *( SP scope-token )
//! scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a scope or scope string was refused by the RFC 6749 §3.3 grammar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// A scope token was empty (an empty string, or two spaces in a row, or a
    /// leading or trailing space).
    #[error("scope: empty scope-token at byte {position}")]
    EmptyToken {
        /// Byte offset in the scope string.
        position: usize,
    },
    /// A character outside `%x21 / %x23-5B / %x5D-7E` (space, `"`, `\`,
    /// control characters, non-ASCII).
    #[error("scope: character {character:?} at byte {position} is not allowed in a scope-token")]
    ForbiddenCharacter {
        /// The offending character.
        character: char,
        /// Byte offset in the scope string.
        position: usize,
    },
}

/// One scope token, checked against the RFC 6749 §3.3 grammar.
///
/// Known PSD2 scopes have constructors; any other token is just as valid.
///
/// ```
/// use psd2_core::Scope;
/// assert_eq!(Scope::aisp().as_str(), "aisp");
/// assert!(Scope::new("accounts:read").is_ok());
/// assert!(Scope::new("two words").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope(pub(crate) String);

impl Scope {
    /// STET / Euro-Information: account information.
    pub const AISP: &'static str = "aisp";
    /// STET / Euro-Information: transaction history beyond 90 days (with `aisp`).
    pub const EXTENDED_TRANSACTION_HISTORY: &'static str = "extended_transaction_history";
    /// STET / Euro-Information: payment initiation.
    pub const PISP: &'static str = "pisp";
    /// STET / Euro-Information: card-based payment instrument issuers (funds confirmation).
    pub const CBPII: &'static str = "cbpii";
    /// ConnectPay: account information services.
    pub const PSD2_AIS: &'static str = "psd2-ais";
    /// ConnectPay: payment initiation services.
    pub const PSD2_PIS: &'static str = "psd2-pis";

    /// Checks `token` against the scope-token grammar.
    ///
    /// # Errors
    /// [`ScopeError::EmptyToken`] for an empty string,
    /// [`ScopeError::ForbiddenCharacter`] for a character the grammar excludes.
    pub fn new(token: impl Into<String>) -> Result<Self, ScopeError> {
        let token = token.into();
        check_token(&token, 0)?;
        Ok(Self(token))
    }

    /// `aisp`.
    #[must_use]
    pub fn aisp() -> Self {
        Self(Self::AISP.to_owned())
    }
    /// `extended_transaction_history`.
    #[must_use]
    pub fn extended_transaction_history() -> Self {
        Self(Self::EXTENDED_TRANSACTION_HISTORY.to_owned())
    }
    /// `pisp`.
    #[must_use]
    pub fn pisp() -> Self {
        Self(Self::PISP.to_owned())
    }
    /// `cbpii`.
    #[must_use]
    pub fn cbpii() -> Self {
        Self(Self::CBPII.to_owned())
    }
    /// `psd2-ais`.
    #[must_use]
    pub fn psd2_ais() -> Self {
        Self(Self::PSD2_AIS.to_owned())
    }
    /// `psd2-pis`.
    #[must_use]
    pub fn psd2_pis() -> Self {
        Self(Self::PSD2_PIS.to_owned())
    }

    /// The token as sent on the wire.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is one of the ConnectPay PSD2 scopes (`psd2-ais`, `psd2-pis`).
    #[must_use]
    pub fn is_connectpay_psd2(&self) -> bool {
        self.0 == Self::PSD2_AIS || self.0 == Self::PSD2_PIS
    }
}

fn is_scope_char(c: char) -> bool {
    matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

fn check_token(token: &str, offset: usize) -> Result<(), ScopeError> {
    if token.is_empty() {
        return Err(ScopeError::EmptyToken { position: offset });
    }
    match token.char_indices().find(|(_, c)| !is_scope_char(*c)) {
        Some((index, character)) => Err(ScopeError::ForbiddenCharacter {
            character,
            position: offset + index,
        }),
        None => Ok(()),
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Scope {
    type Err = ScopeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

/// A set of scopes: order and repetition carry no meaning (RFC 6749 §3.3,
/// "the order does not matter").
///
/// Display is canonical: tokens sorted by byte value, separated by one space,
/// so two equal sets always print the same.
///
/// ```
/// use psd2_core::ScopeSet;
/// let a: ScopeSet = "cbpii aisp".parse()?;
/// let b: ScopeSet = "aisp cbpii aisp".parse()?;
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "aisp cbpii");
/// assert!("aisp  cbpii".parse::<ScopeSet>().is_err()); // two spaces
/// # Ok::<(), psd2_core::ScopeError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ScopeSet(BTreeSet<Scope>);

impl ScopeSet {
    /// The empty set (no `scope` parameter).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a space-separated scope string strictly (one space between
    /// tokens, none leading or trailing).
    ///
    /// # Errors
    /// The first grammar violation, with its byte position.
    pub fn parse(value: &str) -> Result<Self, ScopeError> {
        let mut set = BTreeSet::new();
        let mut offset = 0;
        for token in value.split(' ') {
            check_token(token, offset)?;
            set.insert(Scope(token.to_owned()));
            offset += token.len() + 1;
        }
        Ok(Self(set))
    }

    /// Adds a scope; returns whether it was new.
    pub fn insert(&mut self, scope: Scope) -> bool {
        self.0.insert(scope)
    }

    /// Whether the set holds the token.
    #[must_use]
    pub fn contains(&self, token: &str) -> bool {
        self.0.iter().any(|s| s.as_str() == token)
    }

    /// Whether every scope of `self` is in `other`.
    #[must_use]
    pub fn is_subset(&self, other: &ScopeSet) -> bool {
        self.0.is_subset(&other.0)
    }

    /// The scopes of `self` that are not in `other`.
    #[must_use]
    pub fn difference(&self, other: &ScopeSet) -> ScopeSet {
        Self(self.0.difference(&other.0).cloned().collect())
    }

    /// The scopes in both sets.
    #[must_use]
    pub fn intersection(&self, other: &ScopeSet) -> ScopeSet {
        Self(self.0.intersection(&other.0).cloned().collect())
    }

    /// The scopes in either set.
    #[must_use]
    pub fn union(&self, other: &ScopeSet) -> ScopeSet {
        Self(self.0.union(&other.0).cloned().collect())
    }

    /// Number of distinct scopes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The scopes in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = &Scope> {
        self.0.iter()
    }
}

impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for scope in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(scope.as_str())?;
            first = false;
        }
        Ok(())
    }
}

impl FromStr for ScopeSet {
    type Err = ScopeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a ScopeSet {
    type Item = &'a Scope;
    type IntoIter = std::collections::btree_set::Iter<'a, Scope>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Scope::new(raw).map_err(serde::de::Error::custom)
    }
}

/// Serialized as the canonical space-separated string.
impl Serialize for ScopeSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserialized from a space-separated string; the empty string is the empty set.
impl<'de> Deserialize<'de> for ScopeSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        if raw.is_empty() {
            return Ok(ScopeSet::new());
        }
        ScopeSet::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn grammar_edges() {
        assert!(Scope::new("!").is_ok());
        assert!(Scope::new("~").is_ok());
        assert!(Scope::new("[]").is_ok());
        assert_eq!(
            Scope::new("a\"b"),
            Err(ScopeError::ForbiddenCharacter {
                character: '"',
                position: 1
            })
        );
        assert_eq!(
            Scope::new("a\\b"),
            Err(ScopeError::ForbiddenCharacter {
                character: '\\',
                position: 1
            })
        );
        assert_eq!(Scope::new(""), Err(ScopeError::EmptyToken { position: 0 }));
        assert!(Scope::new("é").is_err());
    }

    #[test]
    fn set_parse_rejects_stray_spaces() {
        assert_eq!(
            ScopeSet::parse(" aisp"),
            Err(ScopeError::EmptyToken { position: 0 })
        );
        assert_eq!(
            ScopeSet::parse("aisp "),
            Err(ScopeError::EmptyToken { position: 5 })
        );
        assert_eq!(
            ScopeSet::parse("aisp  pisp"),
            Err(ScopeError::EmptyToken { position: 5 })
        );
        assert!(ScopeSet::parse("aisp\tpisp").is_err());
    }

    #[test]
    fn set_algebra() -> Result<(), ScopeError> {
        let granted = ScopeSet::parse("aisp extended_transaction_history")?;
        let asked = ScopeSet::parse("aisp")?;
        assert!(asked.is_subset(&granted));
        assert_eq!(
            granted.difference(&asked).to_string(),
            "extended_transaction_history"
        );
        assert_eq!(granted.intersection(&asked), asked);
        assert_eq!(asked.union(&granted), granted);
        assert!(granted.contains("aisp"));
        Ok(())
    }

    #[test]
    fn serde_is_the_wire_string() -> Result<(), serde_json::Error> {
        let set: ScopeSet = serde_json::from_str("\"pisp aisp\"")?;
        assert_eq!(serde_json::to_string(&set)?, "\"aisp pisp\"");
        let empty: ScopeSet = serde_json::from_str("\"\"")?;
        assert!(empty.is_empty());
        assert!(serde_json::from_str::<ScopeSet>("\"a  b\"").is_err());
        Ok(())
    }

    fn token() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[!#-\\[\\]-~]{1,12}").expect("static regex")
    }

    proptest! {
        #[test]
        fn canonical_display_round_trips(tokens in proptest::collection::vec(token(), 1..6)) {
            let wire = tokens.join(" ");
            let set = ScopeSet::parse(&wire).expect("generated from the grammar");
            let again = ScopeSet::parse(&set.to_string()).expect("canonical form parses");
            prop_assert_eq!(&set, &again);
            prop_assert_eq!(set.to_string(), again.to_string());
        }

        #[test]
        fn arbitrary_strings_never_panic(input in ".{0,40}") {
            let _ = ScopeSet::parse(&input);
        }
    }
}
