//! Why a catalogue was refused. Every problem names the rule and the field.

use std::fmt;

/// A catalogue that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// The TOML does not parse into the schema (the message names line and key).
    #[error("catalogue.toml: {0}")]
    Toml(String),
    /// The TOML parsed but broke the catalogue's rules; every problem is listed.
    #[error("catalogue.toml: {} problem(s): {}", .0.len(), Problems(.0))]
    Invalid(Vec<Problem>),
    /// The generated `RuleId` enum does not match the catalogue.
    #[error("src/rule_id.rs does not match catalogue.toml ({0}); run `cargo xtask codegen`")]
    StaleRuleIds(String),
}

/// One broken rule of the catalogue schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// An id that is not `PREFIX-XX-NN`.
    #[error("{id}: id is not of the form PREFIX-XX-NN")]
    BadId {
        /// The id.
        id: String,
    },
    /// An id used twice among rules and retired ids.
    #[error("{id}: id is used more than once (rules and retired ids share one namespace)")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A case name used twice in one rule.
    #[error("{rule}: case {case:?} is defined more than once")]
    DuplicateCase {
        /// The rule.
        rule: String,
        /// The case.
        case: String,
    },
    /// A case name that is not kebab-case.
    #[error("{rule}: case {case:?} is not kebab-case")]
    BadCaseName {
        /// The rule.
        rule: String,
        /// The case.
        case: String,
    },
    /// A required text field that is empty.
    #[error("{rule}: {field} is empty")]
    EmptyText {
        /// The rule (or retired id).
        rule: String,
        /// The field.
        field: &'static str,
    },
    /// A rule with no profile.
    #[error("{rule}: profiles is empty")]
    NoProfiles {
        /// The rule.
        rule: String,
    },
    /// A `DCR` rule that does not need `dcr`.
    #[error("{rule}: profile DCR needs the capability dcr")]
    DcrWithoutNeed {
        /// The rule.
        rule: String,
    },
    /// An override, deviation or exclusion keyed by ALL or DCR.
    #[error("{rule}: {field} names {code}, which is not a single profile")]
    NotASingleProfile {
        /// The rule.
        rule: String,
        /// `overrides`, `deviations`, `except` or `case.overrides`.
        field: &'static str,
        /// The code.
        code: String,
    },
    /// An override or deviation for a profile the rule does not apply to.
    #[error("{rule}: {field} names {code}, a profile the rule does not apply to")]
    OutsideApplicability {
        /// The rule.
        rule: String,
        /// The field.
        field: &'static str,
        /// The code.
        code: String,
    },
    /// A rule without any source.
    #[error("{rule}: no source")]
    NoSource {
        /// The rule.
        rule: String,
    },
    /// A source with neither a quote nor a note saying why there is none.
    #[error("{rule}: source {index} ({doc}) has neither a quote nor a note")]
    SourceWithoutQuote {
        /// The rule.
        rule: String,
        /// Position of the source in the rule, from 0.
        index: usize,
        /// The document.
        doc: String,
    },
    /// A rule without `proof`.
    #[error("{rule}: no proof (write \"pending\" until the rule's slice lands)")]
    MissingProof {
        /// The rule.
        rule: String,
    },
    /// A `proof` value that is not one of the accepted forms.
    #[error("{rule}: proof {detail}")]
    BadProof {
        /// The rule.
        rule: String,
        /// What is wrong.
        detail: String,
    },
    /// A retired id folded into a rule that does not exist.
    #[error("{id}: folded_into {target} is not a rule of the catalogue")]
    BadFoldedInto {
        /// The retired id.
        id: String,
        /// The missing target.
        target: String,
    },
}

/// Joins problems for the error message.
struct Problems<'a>(&'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}
