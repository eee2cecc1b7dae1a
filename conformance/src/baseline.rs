//! The baseline: known deviations a bank has accepted for now, keyed by
//! (rule, case), each with a reason and an optional expiry date.
//!
//! Applied to a report ([`Baseline::apply`]): a baselined `fail` or `warn`
//! becomes a `deviation` and no longer fails the run; an entry whose case now
//! passes is *stale* and fails the run, so the file cannot silently outlive
//! the problem; a skipped case is not stale (nothing was judged); an entry
//! past its expiry date no longer applies. Today's date is an argument: the
//! model never reads a clock.
//!
//! ```toml
//! [[entry]]
//! rule = "CORE-AC-03"
//! case = "main"
//! reason = "codes live 15 minutes until release 42 (BANK-1234)"
//! expires = 2026-06-30
//! ```

use std::path::{Path, PathBuf};

use psd2_rules::{Outcome, RuleId};
use serde::Deserialize;
use time::Date;

/// A loaded baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Baseline {
    /// The file, for messages.
    pub file: PathBuf,
    /// The entries, in file order.
    pub entries: Vec<BaselineEntry>,
}

/// One known deviation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BaselineEntry {
    /// The rule.
    pub rule: RuleId,
    /// The case (one of [`RuleId::cases`]).
    pub case: &'static str,
    /// Why it is accepted (shown in reports).
    pub reason: String,
    /// The last day the entry applies, if it expires.
    pub expires: Option<Date>,
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BaselineError {
    /// The file could not be read.
    #[error("{file}: cannot read the baseline: {source}")]
    Read {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text does not fit the schema (the message names the key).
    #[error("{file}: {message}")]
    Schema {
        /// The file.
        file: PathBuf,
        /// The TOML decoder's message.
        message: String,
    },
    /// An entry's value is unusable.
    #[error("{file}: {key}: {message}")]
    Invalid {
        /// The file.
        file: PathBuf,
        /// `entry[2].case`.
        key: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    rule: String,
    case: Option<String>,
    reason: String,
    expires: Option<toml::value::Datetime>,
}

impl Baseline {
    /// Reads a baseline file.
    ///
    /// # Errors
    /// [`BaselineError`] naming the file and the key.
    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses a baseline. `case` may be left out for a rule with one case.
    ///
    /// # Errors
    /// [`BaselineError`] naming the file and the key: an unknown rule or
    /// case, an empty reason, an expiry that is not a date, a duplicate entry.
    pub fn parse(path: &Path, text: &str) -> Result<Self, BaselineError> {
        let invalid = |key: String, message: String| BaselineError::Invalid {
            file: path.to_path_buf(),
            key,
            message,
        };
        let raw: BaselineFile = toml::from_str(text).map_err(|error| BaselineError::Schema {
            file: path.to_path_buf(),
            message: error.to_string().trim_end().replace('\n', " | "),
        })?;
        let mut entries: Vec<BaselineEntry> = Vec::with_capacity(raw.entry.len());
        for (index, entry) in raw.entry.into_iter().enumerate() {
            let at = |key: &str| format!("entry[{index}].{key}");
            let rule: RuleId = entry
                .rule
                .parse()
                .map_err(|_| invalid(at("rule"), format!("unknown rule id {:?}", entry.rule)))?;
            let case = match entry.case.as_deref() {
                Some(name) => rule
                    .cases()
                    .iter()
                    .copied()
                    .find(|case| *case == name)
                    .ok_or_else(|| {
                        invalid(
                            at("case"),
                            format!(
                                "{rule} has no case {name:?} (cases: {})",
                                rule.cases().join(", ")
                            ),
                        )
                    })?,
                None => match rule.cases() {
                    [only] => *only,
                    cases => {
                        return Err(invalid(
                            at("case"),
                            format!("missing: {rule} has several cases ({})", cases.join(", ")),
                        ));
                    }
                },
            };
            if entry.reason.trim().is_empty() {
                return Err(invalid(
                    at("reason"),
                    "is empty: say why the deviation is accepted".to_owned(),
                ));
            }
            let expires = entry
                .expires
                .map(|value| {
                    date(&value).ok_or_else(|| {
                        invalid(
                            at("expires"),
                            format!("{value} is not a date (write 2026-06-30)"),
                        )
                    })
                })
                .transpose()?;
            if entries
                .iter()
                .any(|known| known.rule == rule && known.case == case)
            {
                return Err(invalid(
                    at("rule"),
                    format!("{rule} / {case} is listed twice"),
                ));
            }
            entries.push(BaselineEntry {
                rule,
                case,
                reason: entry.reason,
                expires,
            });
        }
        Ok(Self {
            file: path.to_path_buf(),
            entries,
        })
    }

    /// Applies the baseline to the (rule, case) outcomes of a run, as of
    /// `today`; `outcome_of` gives the aggregated outcome of a case, `None`
    /// when the case was not part of the run (filtered out, not in profile).
    ///
    /// Returns what happened to each entry; the report then replaces the
    /// outcome of every [`EntryStatus::Applied`] case with a deviation.
    #[must_use]
    pub fn apply(
        &self,
        today: Date,
        outcome_of: &dyn Fn(RuleId, &str) -> Option<Outcome>,
    ) -> Vec<AppliedEntry> {
        self.entries
            .iter()
            .map(|entry| {
                let status = match (entry.expires, outcome_of(entry.rule, entry.case)) {
                    (Some(expires), _) if expires < today => EntryStatus::Expired,
                    (_, None) => EntryStatus::NotRun,
                    (_, Some(Outcome::Fail | Outcome::Warn)) => EntryStatus::Applied,
                    (_, Some(Outcome::Pass)) => EntryStatus::Stale,
                    (_, Some(_)) => EntryStatus::Unchanged,
                };
                AppliedEntry {
                    entry: entry.clone(),
                    status,
                }
            })
            .collect()
    }
}

/// An entry and what it did in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppliedEntry {
    /// The entry.
    pub entry: BaselineEntry,
    /// What it did.
    pub status: EntryStatus,
}

/// What a baseline entry did in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryStatus {
    /// The case failed or warned: its outcome became a deviation.
    Applied,
    /// The entry is past its expiry date and no longer applies.
    Expired,
    /// The case was not part of the run.
    NotRun,
    /// The case now passes: the entry must go (fails the run).
    Stale,
    /// The case was skipped, errored or is already a deviation or info:
    /// nothing to do, and not stale.
    Unchanged,
}

impl EntryStatus {
    /// The name used in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::Applied => "applied",
            EntryStatus::Expired => "expired",
            EntryStatus::NotRun => "not-run",
            EntryStatus::Stale => "stale",
            EntryStatus::Unchanged => "unchanged",
        }
    }
}

fn date(value: &toml::value::Datetime) -> Option<Date> {
    if value.time.is_some() || value.offset.is_some() {
        return None;
    }
    let day = value.date?;
    let month = time::Month::try_from(day.month).ok()?;
    Date::from_calendar_date(i32::from(day.year), month, day.day).ok()
}
