//! Requirement levels (RFC 2119) and what a violated check at each level
//! becomes in a report.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

use crate::Outcome;

/// The RFC 2119 keyword of a rule or case. A MUST NOT is filed as `Must`,
/// a SHOULD NOT as `Should`.
///
/// ```
/// use psd2_rules::{Level, Outcome};
/// assert_eq!(Level::Must.violated(), Outcome::Fail);
/// assert_eq!(Level::Should.violated(), Outcome::Warn);
/// assert_eq!(Level::May.violated(), Outcome::Info);
/// assert_eq!("SHOULD".parse::<Level>(), Ok(Level::Should));
/// ```
// Variants in strength order, not alphabetical: `Ord` is "stronger is
// greater", which the docs use to pick a rule's headline level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Level {
    /// MAY / OPTIONAL: a violation is only informative.
    #[serde(rename = "MAY")]
    May,
    /// SHOULD / RECOMMENDED: a violation is a warning.
    #[serde(rename = "SHOULD")]
    Should,
    /// MUST / REQUIRED / SHALL: a violation fails the check.
    #[serde(rename = "MUST")]
    Must,
}

impl Level {
    /// Every level, weakest first.
    pub const ALL: [Level; 3] = [Level::May, Level::Should, Level::Must];

    /// The keyword as written in the catalogue and the reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::May => "MAY",
            Level::Should => "SHOULD",
            Level::Must => "MUST",
        }
    }

    /// The outcome of a check at this level that was violated: `fail` for
    /// MUST, `warn` for SHOULD, `info` for MAY.
    #[must_use]
    pub fn violated(self) -> Outcome {
        match self {
            Level::Must => Outcome::Fail,
            Level::Should => Outcome::Warn,
            Level::May => Outcome::Info,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Not one of `MUST`, `SHOULD`, `MAY`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("level: {0:?} is not one of MUST, SHOULD, MAY")]
pub struct UnknownLevel(pub String);

impl FromStr for Level {
    type Err = UnknownLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| UnknownLevel(s.to_owned()))
    }
}
