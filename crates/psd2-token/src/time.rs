//! Time as an argument: this crate reads no clock, the caller passes `now`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch, 1970-01-01T00:00:00Z.
///
/// JWT `iat` and `exp` are NumericDate values (RFC 7519 §2); this crate mints
/// and accepts whole seconds only, so a fractional or negative `exp` is
/// refused as malformed rather than rounded.
///
/// The server reads its (test) clock and passes the value in:
///
/// ```
/// use std::time::{SystemTime, UNIX_EPOCH};
/// use psd2_token::UnixTime;
///
/// let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
/// let now = UnixTime::from_secs(secs);
/// assert_eq!(now.as_secs(), secs);
/// # Ok::<(), std::time::SystemTimeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The instant `secs` seconds after the epoch.
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the epoch.
    #[must_use]
    pub const fn as_secs(self) -> u64 {
        self.0
    }
}

impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
