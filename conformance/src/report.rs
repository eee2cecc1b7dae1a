//! Reports: one row per (rule, case) with its level, outcome, evidence and
//! the sentence of the source it enforces, plus totals, coverage, timing,
//! the plan and what the baseline did. This is what a run returns.
//!
//! `psd2_rules::Finding` has no serde on purpose (STYLE.md §1): rows are
//! built here from the aggregated findings ([`psd2_rules::aggregate`]), and
//! this crate alone owns the wire formats: [`terminal`], JSON
//! ([`Report::to_json`], schema in `conformance/README.md`) and [`junit`].
//! Evidence is redacted again on the way in ([`redact`]): the judges already
//! avoid secrets, and a report must never leak one even if a judge slips.

mod build;
mod exit;
pub mod junit;
mod progress;
pub mod redact;
pub mod terminal;

use serde::Serialize;

pub use build::ReportInput;
pub use exit::{ExitPolicy, RunVerdict};
pub use progress::progress_line;

/// The version of the JSON schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The result of a conformance run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `psd2-conform` and its version.
    pub tool: String,
    /// The target's name.
    pub target: String,
    /// The profile name.
    pub profile: String,
    /// One row per (rule, case), by rule id then case.
    pub rows: Vec<ReportRow>,
    /// Rows per outcome.
    pub totals: Totals,
    /// Rules judged against rules of the profile.
    pub coverage: Coverage,
    /// How long the run took.
    pub timing: Timing,
    /// What the run planned to do.
    pub plan: PlanSummary,
    /// What each baseline entry did (empty without a baseline).
    pub baseline: Vec<BaselineRow>,
    /// Preflight problems (discovery, TLS to an endpoint); any makes the run
    /// exit 2.
    pub preflight: Vec<String>,
}

/// The verdict on one (rule, case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ReportRow {
    /// `CORE-AC-01`.
    pub rule: String,
    /// The case name.
    pub case: String,
    /// The rule's title.
    pub title: String,
    /// `MUST`, `SHOULD` or `MAY` on the profile.
    pub level: String,
    /// `pass`, `fail`, `warn`, `info`, `skip`, `error` or `deviation`.
    pub outcome: String,
    /// The skip's unmet need, the error's cause or the deviation's reason.
    pub reason: Option<String>,
    /// The judges' messages, in order, without duplicates.
    pub messages: Vec<String>,
    /// Evidence lines (`field = value` or a note), redacted.
    pub evidence: Vec<String>,
    /// The source the rule enforces.
    pub source: Option<SourceRef>,
}

/// A citation and its quoted sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SourceRef {
    /// `RFC 6749 §4.1.2`.
    pub citation: String,
    /// The sentence, verbatim.
    pub quote: Option<String>,
}

/// Rows per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Totals {
    /// `pass` rows.
    pub pass: usize,
    /// `fail` rows.
    pub fail: usize,
    /// `warn` rows.
    pub warn: usize,
    /// `info` rows.
    pub info: usize,
    /// `skip` rows.
    pub skip: usize,
    /// `error` rows.
    pub error: usize,
    /// `deviation` rows.
    pub deviation: usize,
}

impl Totals {
    /// Counts rows per outcome.
    #[must_use]
    pub fn of(rows: &[ReportRow]) -> Self {
        let mut totals = Self::default();
        for row in rows {
            match row.outcome.as_str() {
                "pass" => totals.pass += 1,
                "fail" => totals.fail += 1,
                "warn" => totals.warn += 1,
                "info" => totals.info += 1,
                "skip" => totals.skip += 1,
                "error" => totals.error += 1,
                _ => totals.deviation += 1,
            }
        }
        totals
    }

    /// `3 pass, 1 fail, ...` in a fixed order.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "{} pass, {} fail, {} warn, {} info, {} skip, {} error, {} deviation",
            self.pass, self.fail, self.warn, self.info, self.skip, self.error, self.deviation
        )
    }
}

/// Rules judged (at least one case neither skipped nor in error) against the
/// server rules of the profile the run selected (all of them unless
/// `--rule` narrowed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Coverage {
    /// Rules judged.
    pub judged: usize,
    /// Server rules that apply to the profile.
    pub in_profile: usize,
}

/// How long the run took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Timing {
    /// Wall-clock milliseconds.
    pub duration_ms: u64,
}

/// The plan, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PlanSummary {
    /// The scenarios selected.
    pub scenarios: Vec<PlanScenario>,
    /// PSU consents the run needs.
    pub consents: u32,
}

/// A scenario of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PlanScenario {
    /// Its name.
    pub name: String,
    /// `run`, `skip` or `unusable`.
    pub status: String,
    /// The unmet need or why it cannot run.
    pub reason: Option<String>,
    /// The rules it feeds.
    pub rules: Vec<String>,
    /// PSU consents it takes.
    pub consents: u32,
}

/// What one baseline entry did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BaselineRow {
    /// The rule.
    pub rule: String,
    /// The case.
    pub case: String,
    /// The entry's reason.
    pub reason: String,
    /// Its expiry date (`2026-06-30`).
    pub expires: Option<String>,
    /// `applied`, `stale`, `expired`, `not-run` or `unchanged`.
    pub status: String,
}

impl Report {
    /// The report as pretty-printed JSON (schema in `conformance/README.md`).
    #[must_use]
    pub fn to_json(&self) -> String {
        // Every field is a string, a number, a list or a struct of those:
        // serialization cannot fail, and an empty object would be visible.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }
}
