//! The keys a verifier trusts.

use crate::error::KeyError;
use crate::keys::VerifyingKey;

/// The keys a verifier trusts, looked up by the header's `kid`.
///
/// During a rotation the set holds the new key and the previous one until the
/// last token signed with the previous key has expired. The `kid` only
/// selects among these keys: a key named or embedded in the token header
/// (`jwk`, `jku`, `x5c`, `x5u`) is never used, and such headers are refused.
#[derive(Debug, Clone)]
pub struct KeySet {
    // A handful of keys: a linear search beats hashing the kid.
    keys: Vec<VerifyingKey>,
}

impl KeySet {
    /// A set of one or more keys with distinct ids.
    ///
    /// # Errors
    /// [`KeyError::EmptyKeySet`], or [`KeyError::DuplicateKeyId`].
    pub fn new(keys: impl IntoIterator<Item = VerifyingKey>) -> Result<Self, KeyError> {
        let keys: Vec<VerifyingKey> = keys.into_iter().collect();
        if keys.is_empty() {
            return Err(KeyError::EmptyKeySet);
        }
        for (index, key) in keys.iter().enumerate() {
            if keys[..index].iter().any(|earlier| earlier.id() == key.id()) {
                return Err(KeyError::DuplicateKeyId(key.id().as_str().to_owned()));
            }
        }
        Ok(Self { keys })
    }

    /// The key with id `kid`.
    #[must_use]
    pub fn get(&self, kid: &str) -> Option<&VerifyingKey> {
        self.keys.iter().find(|key| key.id().as_str() == kid)
    }

    /// The key whose minted header for `typ` is exactly `segment`.
    pub(crate) fn by_minted_header(&self, segment: &[u8], typ: &str) -> Option<&VerifyingKey> {
        self.keys
            .iter()
            .find(|key| key.is_minted_header(segment, typ))
    }

    /// The keys, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = &VerifyingKey> {
        self.keys.iter()
    }
}

impl From<VerifyingKey> for KeySet {
    fn from(key: VerifyingKey) -> Self {
        Self { keys: vec![key] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::KeyId;
    use psd2_core::Secret;

    fn id(text: &str) -> KeyId {
        KeyId::new(text).unwrap()
    }

    #[test]
    fn key_sets() {
        let a = VerifyingKey::hs256(id("a"), &Secret::new([1u8; 32])).unwrap();
        let b = VerifyingKey::hs256(id("b"), &Secret::new([2u8; 32])).unwrap();
        assert_eq!(KeySet::new([]).err(), Some(KeyError::EmptyKeySet));
        assert_eq!(
            KeySet::new([a.clone(), a.clone()]).err(),
            Some(KeyError::DuplicateKeyId("a".into()))
        );
        let set = KeySet::new([a, b]).unwrap();
        assert_eq!(set.get("b").map(|k| k.id().as_str()), Some("b"));
        assert!(set.get("c").is_none());
        assert_eq!(set.iter().count(), 2);
        let secret_key = set.get("a").map(VerifyingKey::public_point);
        assert_eq!(secret_key, Some(None));
        assert!(!format!("{set:?}").contains("[1"));
    }
}
