//! Findings: what a judge reports about one (rule, case), with its evidence.
//!
//! `Finding` deliberately has no serde derive: the harness maps each finding
//! into its own report row, so the wire format of reports can change without
//! touching the judges (STYLE.md §1, the rust-analyzer pattern).

use crate::{Outcome, RuleId};

/// One verdict of one check.
///
/// Messages start lower-case and have no final period (a test checks every
/// judge's messages, as clippy does for its lints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule judged.
    pub rule: RuleId,
    /// The case of the rule (one of [`RuleId::cases`]).
    pub case: &'static str,
    /// What the check concluded.
    pub outcome: Outcome,
    /// A short, lower-case sentence without final period.
    pub message: String,
    /// What was seen.
    pub evidence: Evidence,
}

/// What a judge saw: the fields it looked at and their values.
///
/// Never put the content of a `psd2_core::Secret` (codes, tokens, client
/// secrets) here; name the field and say "redacted" instead.
///
/// ```
/// use psd2_rules::{Evidence, EvidenceItem};
/// let evidence = Evidence::new().field("scope", "aisp pisp").note("sent with the code exchange");
/// assert_eq!(evidence.items().len(), 2);
/// assert!(matches!(&evidence.items()[0], EvidenceItem::Field { path, .. } if path == "scope"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence(Vec<EvidenceItem>);

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvidenceItem {
    /// A field of a decoded message and the value seen.
    Field {
        /// Where the value sits (`redirect_uris[1]`, `scope`).
        path: String,
        /// The value as received.
        value: String,
    },
    /// A free-form remark.
    Note(String),
}

impl Evidence {
    /// No evidence.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field and its value.
    #[must_use]
    pub fn field(mut self, path: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.push(EvidenceItem::Field {
            path: path.into(),
            value: value.into(),
        });
        self
    }

    /// Adds a remark.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.0.push(EvidenceItem::Note(note.into()));
        self
    }

    /// Appends every item of `other`.
    pub fn extend(&mut self, other: Evidence) {
        self.0.extend(other.0);
    }

    /// The items, in the order they were added.
    #[must_use]
    pub fn items(&self) -> &[EvidenceItem] {
        &self.0
    }

    /// Whether there is no evidence.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
