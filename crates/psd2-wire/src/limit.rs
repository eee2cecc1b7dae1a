//! The size cap every decoder applies before it parses anything.

use crate::WireError;

/// The largest input a decoder accepts, in bytes.
///
/// The check runs before parsing, on the raw length: a decoder that parses
/// first and measures afterwards has already spent the memory an attacker
/// asked for (rustls caps certificate messages "to limit the amount of memory
/// allocation that is directly controllable by the peer" for the same reason).
///
/// ```
/// use psd2_wire::{BodyLimit, FormMessage, TokenRequest, WireError};
/// let body = b"grant_type=client_credentials&scope=pisp";
/// let tight = BodyLimit::new(16);
/// assert_eq!(
///     TokenRequest::decode_limited(body, tight).unwrap_err(),
///     WireError::BodyTooLarge { limit: 16, actual: body.len() },
/// );
/// assert!(TokenRequest::decode(body).is_ok()); // BodyLimit::DEFAULT
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BodyLimit(usize);

impl BodyLimit {
    /// 64 KiB. OAuth forms and token responses are well under 1 KiB; the
    /// largest messages here are authorization server metadata (about 10 KiB
    /// for the biggest public providers) and registration responses carrying
    /// a JWK Set by value (a few KiB per RSA key).
    pub const DEFAULT: BodyLimit = BodyLimit(64 * 1024);

    /// A limit of `bytes`.
    #[must_use]
    pub const fn new(bytes: usize) -> Self {
        Self(bytes)
    }

    /// The limit in bytes.
    #[must_use]
    pub const fn bytes(self) -> usize {
        self.0
    }

    /// Refuses an input of `actual` bytes if it is over the limit.
    ///
    /// # Errors
    /// [`WireError::BodyTooLarge`] when `actual` exceeds the limit.
    pub fn check(self, actual: usize) -> Result<(), WireError> {
        if actual > self.0 {
            return Err(WireError::BodyTooLarge {
                limit: self.0,
                actual,
            });
        }
        Ok(())
    }
}

impl Default for BodyLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary() {
        let limit = BodyLimit::new(3);
        assert_eq!(limit.check(3), Ok(()));
        assert_eq!(
            limit.check(4),
            Err(WireError::BodyTooLarge {
                limit: 3,
                actual: 4
            })
        );
        assert_eq!(BodyLimit::default().bytes(), 65_536);
    }
}
