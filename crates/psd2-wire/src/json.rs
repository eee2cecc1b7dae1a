//! Reading typed members out of a JSON object, and keeping the rest.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::form::is_secret_name;
use crate::{BodyLimit, WireError, params};
use psd2_core::{ScopeSet, Secret};

/// The members of a JSON object that the message does not know, kept as
/// they came (RFC 6749 §5.1: "The client MUST ignore unrecognized value
/// names", which a conformance harness can only do after it has seen them).
///
/// `Debug` redacts the values of credential members (`id_token`,
/// `client_secret`, ...).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Members(pub Map<String, Value>);

impl Members {
    /// The value of member `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// Whether there are no members.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Members {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.0 {
            if is_secret_name(name) {
                map.entry(name, &format_args!("[REDACTED]"));
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// A top-level JSON object being read by one message type.
pub(crate) struct JsonFields {
    map: Map<String, Value>,
}

/// The members of the top-level object in order, repeats included: serde_json
/// would keep the last of a repeated member silently.
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = access.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

impl JsonFields {
    /// Parses one JSON object of at most `limit` bytes.
    pub(crate) fn parse(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        limit.check(input.len())?;
        let Entries(entries) = serde_json::from_slice(input)?;
        let mut map = Map::new();
        for (name, value) in entries {
            if map.contains_key(&name) {
                return Err(WireError::DuplicateParameter { name });
            }
            map.insert(name, value);
        }
        Ok(Self { map })
    }

    /// Reads nested members the same way (an object member such as
    /// `mtls_endpoint_aliases`).
    pub(crate) fn nested(map: Map<String, Value>) -> Self {
        Self { map }
    }

    /// A member of any type, for a message that checks the value itself
    /// (`aud`: a string or an array).
    pub(crate) fn take(&mut self, name: &str) -> Option<Value> {
        self.map.remove(name)
    }

    pub(crate) fn string(&mut self, name: &'static str) -> Result<Option<String>, WireError> {
        match self.map.remove(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(WireError::json_type(name, "a string")),
        }
    }

    pub(crate) fn require_string(&mut self, name: &'static str) -> Result<String, WireError> {
        self.string(name)?
            .ok_or(WireError::MissingParameter { name })
    }

    pub(crate) fn secret(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Secret<String>>, WireError> {
        Ok(self.string(name)?.map(Secret::new))
    }

    pub(crate) fn u64(&mut self, name: &'static str) -> Result<Option<u64>, WireError> {
        match self.map.remove(name) {
            None => Ok(None),
            Some(value) => value
                .as_u64()
                .map(Some)
                .ok_or_else(|| WireError::json_type(name, "a non-negative integer")),
        }
    }

    pub(crate) fn bool(&mut self, name: &'static str) -> Result<Option<bool>, WireError> {
        match self.map.remove(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(flag)),
            Some(_) => Err(WireError::json_type(name, "a boolean")),
        }
    }

    pub(crate) fn strings(&mut self, name: &'static str) -> Result<Option<Vec<String>>, WireError> {
        let Some(value) = self.map.remove(name) else {
            return Ok(None);
        };
        let Value::Array(items) = value else {
            return Err(WireError::json_type(name, "an array of strings"));
        };
        items
            .into_iter()
            .map(|item| match item {
                Value::String(text) => Ok(text),
                _ => Err(WireError::json_type(name, "an array of strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// An array of strings, each converted (open enums).
    pub(crate) fn list<T: From<String>>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Vec<T>>, WireError> {
        Ok(self
            .strings(name)?
            .map(|items| items.into_iter().map(T::from).collect()))
    }

    pub(crate) fn object(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Map<String, Value>>, WireError> {
        match self.map.remove(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(WireError::json_type(name, "an object")),
        }
    }

    pub(crate) fn scope(&mut self, name: &'static str) -> Result<Option<ScopeSet>, WireError> {
        self.string(name)?
            .map(|text| params::scope(name, &text))
            .transpose()
    }

    /// The members nobody took.
    pub(crate) fn rest(self) -> Members {
        Members(self.map)
    }
}

/// Writes typed members into a JSON object.
#[derive(Default)]
pub(crate) struct JsonWriter(pub(crate) Map<String, Value>);

impl JsonWriter {
    pub(crate) fn put(&mut self, name: &str, value: impl Into<Value>) {
        self.0.insert(name.to_owned(), value.into());
    }

    pub(crate) fn opt(&mut self, name: &str, value: Option<impl Into<Value>>) {
        if let Some(value) = value {
            self.put(name, value);
        }
    }

    pub(crate) fn secret(&mut self, name: &str, value: Option<&Secret<String>>) {
        self.opt(name, value.map(|secret| secret.expose().as_str()));
    }

    pub(crate) fn scope(&mut self, name: &str, value: Option<&ScopeSet>) {
        self.opt(name, value.map(ToString::to_string));
    }

    pub(crate) fn list<T: AsRef<str>>(&mut self, name: &str, values: Option<&[T]>) {
        self.opt(
            name,
            values.map(|items| {
                items
                    .iter()
                    .map(|item| Value::from(item.as_ref()))
                    .collect::<Vec<_>>()
            }),
        );
    }

    /// Adds the unknown members (they never collide with known ones: decoding
    /// took those out).
    pub(crate) fn extend(&mut self, members: &Members) {
        for (name, value) in &members.0 {
            self.0.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }

    pub(crate) fn finish(self) -> Map<String, Value> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InvalidReason;

    #[test]
    fn repeated_members_are_refused() {
        assert_eq!(
            JsonFields::parse(br#"{"a":1,"b":2,"a":3}"#, BodyLimit::DEFAULT).err(),
            Some(WireError::DuplicateParameter {
                name: "a".to_owned()
            })
        );
    }

    #[test]
    fn not_an_object_is_a_json_error() {
        for body in [&b"[1]"[..], b"\"x\"", b"{", b"{} {}", b"", b"\xff"] {
            assert!(
                matches!(
                    JsonFields::parse(body, BodyLimit::DEFAULT),
                    Err(WireError::Json { .. })
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn wrong_types_name_the_member() {
        let mut fields =
            JsonFields::parse(br#"{"expires_in":"3600","n":null}"#, BodyLimit::DEFAULT).unwrap();
        assert_eq!(
            fields.u64("expires_in").err(),
            Some(WireError::InvalidValue {
                field: "expires_in",
                reason: InvalidReason::JsonType {
                    expected: "a non-negative integer"
                }
            })
        );
        assert!(fields.string("n").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut body = String::from(r#"{"a":"#);
        body.push_str(&"[".repeat(10_000));
        assert!(matches!(
            JsonFields::parse(body.as_bytes(), BodyLimit::DEFAULT),
            Err(WireError::Json { .. })
        ));
    }

    #[test]
    fn members_debug_redacts_credentials() {
        let mut map = Map::new();
        map.insert("id_token".to_owned(), Value::from("eyJhbGciOi"));
        map.insert("example_parameter".to_owned(), Value::from("example_value"));
        let debug = format!("{:?}", Members(map));
        assert!(debug.contains("example_value"), "{debug}");
        assert!(!debug.contains("eyJhbGciOi"), "{debug}");
    }
}
