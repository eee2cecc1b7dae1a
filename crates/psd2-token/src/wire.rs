//! serde helpers: claim values with more than one JSON form, and objects
//! that must be objects.

use std::fmt;
use std::marker::PhantomData;

use psd2_core::{ScopeSet, X5tS256};
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

/// `skip_serializing_if` for `aud`.
pub(crate) fn is_empty(audience: &&[String]) -> bool {
    audience.is_empty()
}

/// `skip_serializing_if` for `scope`.
pub(crate) fn no_scope(scope: &&ScopeSet) -> bool {
    scope.is_empty()
}

/// `aud` out: a string for one audience, an array for several (RFC 7519
/// §4.1.3 allows both; one string is what most resource servers expect).
pub(crate) fn audience<S: Serializer>(
    audience: &&[String],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match audience {
        [only] => serializer.serialize_str(only),
        many => serializer.collect_seq(many.iter()),
    }
}

/// `aud` in: a non-empty string, or a non-empty array of non-empty strings.
pub(crate) fn audience_in<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    struct AudienceVisitor;

    impl<'de> Visitor<'de> for AudienceVisitor {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("aud: a non-empty string or a non-empty array of them")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            if value.is_empty() {
                return Err(E::invalid_value(de::Unexpected::Str(value), &self));
            }
            Ok(vec![value.to_owned()])
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut audience = Vec::new();
            while let Some(value) = seq.next_element::<String>()? {
                if value.is_empty() {
                    return Err(de::Error::invalid_value(de::Unexpected::Str(&value), &self));
                }
                audience.push(value);
            }
            if audience.is_empty() {
                return Err(de::Error::invalid_length(0, &self));
            }
            Ok(audience)
        }
    }

    deserializer.deserialize_any(AudienceVisitor)
}

/// `scope` in: a non-empty scope string. Absent means no scope, so the empty
/// string, a second spelling of the same thing, is refused.
pub(crate) fn scope_in<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ScopeSet, D::Error> {
    struct ScopeVisitor;

    impl Visitor<'_> for ScopeVisitor {
        type Value = ScopeSet;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("scope: a non-empty space-separated scope string")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            ScopeSet::parse(value).map_err(E::custom)
        }
    }

    deserializer.deserialize_str(ScopeVisitor)
}

/// `x5t#S256` in: what [`X5tS256::parse`] accepts (exactly 32 bytes of
/// canonical unpadded base64url), decoded on the stack and without the
/// parse's round trip through a second encoding.
pub(crate) fn thumbprint<'de, D: Deserializer<'de>>(deserializer: D) -> Result<X5tS256, D::Error> {
    struct ThumbprintVisitor;

    impl Visitor<'_> for ThumbprintVisitor {
        type Value = X5tS256;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("x5t#S256: 43 characters of unpadded base64url (a SHA-256 digest)")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            match crate::b64::decode_exact::<32>(value.as_bytes()) {
                Some(digest) => Ok(X5tS256::from_sha256(&digest)),
                None => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
            }
        }
    }

    deserializer.deserialize_str(ThumbprintVisitor)
}

/// A JSON object and nothing else. Derived `Deserialize` impls also accept a
/// struct written as an array of its values (`["ES256","at+jwt","k"]` for a
/// header); wrapping the type in `Object` asks the deserializer for a map, so
/// that each value has exactly one accepted JSON form.
pub(crate) struct Object<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }

        deserializer
            .deserialize_map(ObjectVisitor(PhantomData))
            .map(Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Pair {
        a: u8,
        b: u8,
    }

    #[test]
    fn thumbprints_as_core_parses_them() {
        #[derive(Deserialize)]
        struct T(#[serde(deserialize_with = "thumbprint")] X5tS256);
        let canonical = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg0";
        for text in [
            canonical,
            "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2",
            "",
            "AAAA",
            "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg0=",
        ] {
            let ours = serde_json::from_str::<T>(&format!("{text:?}"))
                .ok()
                .map(|t| t.0);
            assert_eq!(ours, X5tS256::parse(text), "{text}");
        }
        assert!(serde_json::from_str::<T>("32").is_err());
    }

    #[test]
    fn objects_only() {
        let object: Result<Object<Pair>, _> = serde_json::from_str(r#"{"a":1,"b":2}"#);
        assert_eq!(object.map(|o| o.0).ok(), Some(Pair { a: 1, b: 2 }));
        // What the derive alone accepts, and Object refuses.
        assert!(serde_json::from_str::<Pair>("[1,2]").is_ok());
        assert!(serde_json::from_str::<Object<Pair>>("[1,2]").is_err());
        // The derive's own checks still run inside.
        assert!(serde_json::from_str::<Object<Pair>>(r#"{"a":1,"a":1,"b":2}"#).is_err());
        assert!(serde_json::from_str::<Object<Pair>>(r#"{"a":1,"b":2,"c":3}"#).is_err());
    }
}
