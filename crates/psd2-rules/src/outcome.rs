//! Outcomes of a check, and the "worst wins" order used to aggregate them.

use std::fmt;

use crate::Need;

/// What one check concluded.
///
/// Aggregation per (rule, case) keeps the worst outcome; from least to most
/// severe: pass, info, skip, deviation, warn, error, fail. A skip is worse
/// than info because nothing was judged; an error is worse than a warning
/// because it may hide a failure; a deviation is a known non-conformance, so
/// it outranks checks that did not run.
///
/// ```
/// use psd2_rules::Outcome;
/// assert_eq!(Outcome::Warn.worst(Outcome::Pass), Outcome::Warn);
/// assert_eq!(Outcome::Info.worst(Outcome::Fail), Outcome::Fail);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// A documented profile deviation or a baseline entry covers the violation.
    Deviation {
        /// Which documented deviation or baseline entry.
        reason: String,
    },
    /// The harness could not judge (transport failure, unexpected page,
    /// missing profile data).
    Error {
        /// Why the check could not be judged.
        reason: String,
    },
    /// A MUST was violated.
    Fail,
    /// Informative: a MAY, or an observation worth reporting.
    Info,
    /// The check was judged and holds.
    Pass,
    /// The check did not run because the target lacks a capability.
    Skip {
        /// The unmet need.
        need: Need,
    },
    /// A SHOULD was violated.
    Warn,
}

impl Outcome {
    /// Severity rank: higher is worse.
    #[must_use]
    pub fn severity(&self) -> u8 {
        match self {
            Outcome::Pass => 0,
            Outcome::Info => 1,
            Outcome::Skip { .. } => 2,
            Outcome::Deviation { .. } => 3,
            Outcome::Warn => 4,
            Outcome::Error { .. } => 5,
            Outcome::Fail => 6,
        }
    }

    /// The worse of two outcomes; on a tie, `self`.
    #[must_use]
    pub fn worst(self, other: Outcome) -> Outcome {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }

    /// The lower-case name used in reports (`pass`, `fail`, ...).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Deviation { .. } => "deviation",
            Outcome::Error { .. } => "error",
            Outcome::Fail => "fail",
            Outcome::Info => "info",
            Outcome::Pass => "pass",
            Outcome::Skip { .. } => "skip",
            Outcome::Warn => "warn",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Deviation { reason } => write!(f, "deviation ({reason})"),
            Outcome::Error { reason } => write!(f, "error ({reason})"),
            Outcome::Skip { need } => write!(f, "skip (needs {need})"),
            other => f.write_str(other.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_outcome() -> Vec<Outcome> {
        vec![
            Outcome::Pass,
            Outcome::Info,
            Outcome::Skip { need: Need::Psu },
            Outcome::Deviation {
                reason: "documented".to_owned(),
            },
            Outcome::Warn,
            Outcome::Error {
                reason: "timeout".to_owned(),
            },
            Outcome::Fail,
        ]
    }

    #[test]
    fn severity_is_a_strict_order() {
        let outcomes = every_outcome();
        for pair in outcomes.windows(2) {
            assert!(pair[0].severity() < pair[1].severity(), "{pair:?}");
        }
    }

    #[test]
    fn worst_is_commutative_up_to_ties() {
        for a in every_outcome() {
            for b in every_outcome() {
                let ab = a.clone().worst(b.clone());
                let ba = b.clone().worst(a.clone());
                assert_eq!(ab.severity(), ba.severity());
                assert_eq!(ab.severity(), a.severity().max(b.severity()));
            }
        }
    }

    #[test]
    fn display_names_the_reason() {
        let skip = Outcome::Skip { need: Need::Mtls };
        assert_eq!(skip.to_string(), "skip (needs mtls)");
        assert_eq!(Outcome::Fail.to_string(), "fail");
    }
}
