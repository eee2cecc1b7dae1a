//! Values that must never reach a log or a report.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret: authorization codes, tokens, client secrets, cookies, PSU
/// credentials, OTPs, registration tokens, code verifiers, private keys.
///
/// `Debug`, `Display` and `Serialize` print `[REDACTED]` by construction;
/// the value is reached only through [`Secret::expose`], so every place that
/// handles the cleartext is visible in a search for `expose`.
/// `Deserialize` reads the plain value (targets and fixtures hold secrets).
///
/// ```
/// use psd2_core::Secret;
/// let code = Secret::new(String::from("SplxlOBeZQQYbYS6WxSbIA"));
/// assert_eq!(format!("{code:?}"), "Secret([REDACTED])");
/// assert_eq!(code.to_string(), "[REDACTED]");
/// assert_eq!(code.expose(), "SplxlOBeZQQYbYS6WxSbIA");
/// ```
#[derive(Clone, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Self(value)
    }
    /// The cleartext. Call it only where the value goes on the wire or into a
    /// constant-time comparison.
    pub fn expose(&self) -> &T {
        &self.0
    }
    /// Unwraps the cleartext.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: AsRef<[u8]>> Secret<T> {
    /// Compares two secrets without an early exit on the first differing byte,
    /// so that timing does not reveal how much of a guess was right. The
    /// length is not hidden.
    #[must_use]
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        let mine = self.0.as_ref();
        if mine.len() != other.len() {
            return false;
        }
        mine.iter()
            .zip(other)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl<T> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[REDACTED]")
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Report {
        token: Secret<String>,
    }

    #[test]
    fn never_printed() -> Result<(), serde_json::Error> {
        let report = Report {
            token: Secret::new("eyJhbGciOi".to_owned()),
        };
        assert_eq!(serde_json::to_string(&report)?, r#"{"token":"[REDACTED]"}"#);
        let debug = format!("{:?}", report.token);
        assert!(!debug.contains("eyJ"));
        Ok(())
    }

    #[test]
    fn deserializes_the_cleartext() -> Result<(), serde_json::Error> {
        let secret: Secret<String> = serde_json::from_str("\"s3cr3t\"")?;
        assert_eq!(secret.expose(), "s3cr3t");
        Ok(())
    }

    #[test]
    fn ct_eq() {
        let secret = Secret::new(b"abc".to_vec());
        assert!(secret.ct_eq(b"abc"));
        assert!(!secret.ct_eq(b"abd"));
        assert!(!secret.ct_eq(b"ab"));
    }
}
