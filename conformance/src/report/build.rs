//! Building a [`Report`] from findings: aggregate per (rule, case), attach
//! levels and sources from the catalogue, redact evidence, count, and apply
//! the baseline.

use std::collections::BTreeSet;
use std::time::Duration;

use psd2_core::ProfileId;
use psd2_rules::{CaseVerdict, Catalogue, EvidenceItem, Finding, Outcome, RuleId, aggregate};
use time::Date;

use super::redact::{REDACTED, is_secret_path, redact_challenge, redact_text};
use super::{
    BaselineRow, Coverage, PlanScenario, PlanSummary, Report, ReportRow, SCHEMA_VERSION, SourceRef,
    Timing, Totals,
};
use crate::baseline::{Baseline, EntryStatus};
use crate::scenario::{Plan, ScenarioStatus};

/// What a report is built from.
#[derive(Debug)]
#[non_exhaustive]
pub struct ReportInput<'a> {
    /// The target's name.
    pub target: &'a str,
    /// The catalogue (levels, titles, sources).
    pub catalogue: &'a Catalogue,
    /// The plan the run followed; its skipped cases become `skip` rows.
    pub plan: &'a Plan,
    /// Every finding of every judge.
    pub findings: Vec<Finding>,
    /// How long the run took.
    pub duration: Duration,
    /// Preflight problems.
    pub preflight: Vec<String>,
}

impl<'a> ReportInput<'a> {
    /// An input with no findings, no preflight problem and no duration.
    #[must_use]
    pub fn new(target: &'a str, catalogue: &'a Catalogue, plan: &'a Plan) -> Self {
        Self {
            target,
            catalogue,
            plan,
            findings: Vec::new(),
            duration: Duration::ZERO,
            preflight: Vec::new(),
        }
    }
}

impl Report {
    /// Builds the report: the plan's skip findings join the judges'
    /// findings, and everything is aggregated per (rule, case), worst
    /// outcome first.
    #[must_use]
    pub fn build(input: ReportInput<'_>) -> Self {
        let profile = input.plan.profile;
        let mut findings = input.plan.skip_findings();
        findings.extend(input.findings);
        let rows: Vec<ReportRow> = aggregate(findings)
            .iter()
            .map(|verdict| row(input.catalogue, profile, verdict))
            .collect();
        // The plan holds the server rules of the profile that were selected:
        // the whole profile unless `--rule` narrowed the run.
        let in_profile = input.plan.rules.len();
        let mut report = Self {
            schema_version: SCHEMA_VERSION,
            tool: format!("psd2-conform {}", env!("CARGO_PKG_VERSION")),
            target: input.target.to_owned(),
            profile: profile.name().to_owned(),
            totals: Totals::default(),
            coverage: Coverage {
                judged: 0,
                in_profile,
            },
            rows,
            timing: Timing {
                duration_ms: u64::try_from(input.duration.as_millis()).unwrap_or(u64::MAX),
            },
            plan: plan_summary(input.plan),
            baseline: Vec::new(),
            preflight: input.preflight,
        };
        report.recount();
        report
    }

    /// Applies a baseline as of `today`: baselined failures and warnings
    /// become deviations; every entry's fate is recorded in
    /// [`Report::baseline`] (a `stale` one fails the run).
    pub fn apply_baseline(&mut self, baseline: &Baseline, today: Date) {
        let rows = &self.rows;
        let outcome_of = |rule: RuleId, case: &str| {
            rows.iter()
                .find(|row| row.rule == rule.as_str() && row.case == case)
                .map(|row| match row.outcome.as_str() {
                    "pass" => Outcome::Pass,
                    "fail" => Outcome::Fail,
                    "warn" => Outcome::Warn,
                    "info" => Outcome::Info,
                    "skip" => Outcome::Skip {
                        need: psd2_rules::Need::Psu,
                    },
                    other => Outcome::Error {
                        reason: other.to_owned(),
                    },
                })
        };
        let applied = baseline.apply(today, &outcome_of);
        for entry in &applied {
            if entry.status == EntryStatus::Applied
                && let Some(row) = self.rows.iter_mut().find(|row| {
                    row.rule == entry.entry.rule.as_str() && row.case == entry.entry.case
                })
            {
                let was = std::mem::replace(&mut row.outcome, "deviation".to_owned());
                row.reason = Some(format!("baseline ({was}): {}", entry.entry.reason));
            }
        }
        self.baseline = applied
            .into_iter()
            .map(|entry| BaselineRow {
                rule: entry.entry.rule.as_str().to_owned(),
                case: entry.entry.case.to_owned(),
                reason: entry.entry.reason,
                expires: entry.entry.expires.map(|date| date.to_string()),
                status: entry.status.as_str().to_owned(),
            })
            .collect();
        self.recount();
    }

    fn recount(&mut self) {
        self.totals = Totals::of(&self.rows);
        let judged: BTreeSet<&str> = self
            .rows
            .iter()
            .filter(|row| row.outcome != "skip" && row.outcome != "error")
            .map(|row| row.rule.as_str())
            .collect();
        self.coverage.judged = judged.len();
    }
}

fn row(catalogue: &Catalogue, profile: ProfileId, verdict: &CaseVerdict) -> ReportRow {
    let rule = catalogue.rule(verdict.rule);
    let reason = match &verdict.outcome {
        Outcome::Deviation { reason } | Outcome::Error { reason } => Some(redact_text(reason)),
        Outcome::Skip { need } => Some(format!("needs {need}")),
        _ => None,
    };
    let mut messages: Vec<String> = Vec::new();
    for finding in &verdict.findings {
        let message = redact_text(&finding.message);
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    // Worst findings first, so the one-line evidence of the terminal is the
    // one that decided the outcome.
    let mut ordered: Vec<&Finding> = verdict.findings.iter().collect();
    ordered.sort_by_key(|finding| std::cmp::Reverse(finding.outcome.severity()));
    let first_worst = ordered.first().map(|finding| redact_text(&finding.message));
    if let Some(worst) = first_worst
        && let Some(position) = messages.iter().position(|message| *message == worst)
    {
        let message = messages.remove(position);
        messages.insert(0, message);
    }
    let mut evidence = Vec::new();
    for finding in ordered {
        for item in finding.evidence.items() {
            let line = match item {
                EvidenceItem::Field { path, .. } if is_secret_path(path) => {
                    format!("{path} = {REDACTED}")
                }
                EvidenceItem::Field { path, value }
                    if path.eq_ignore_ascii_case("WWW-Authenticate") =>
                {
                    format!("{path} = {}", redact_challenge(value))
                }
                EvidenceItem::Field { path, value } => format!("{path} = {}", redact_text(value)),
                EvidenceItem::Note(note) => redact_text(note),
                _ => continue,
            };
            if !evidence.contains(&line) {
                evidence.push(line);
            }
        }
    }
    ReportRow {
        rule: verdict.rule.as_str().to_owned(),
        case: verdict.case.to_owned(),
        title: rule.map(|rule| rule.title.clone()).unwrap_or_default(),
        level: catalogue
            .level(verdict.rule, profile, verdict.case)
            .map(|level| level.as_str().to_owned())
            .unwrap_or_default(),
        outcome: verdict.outcome.name().to_owned(),
        reason,
        messages,
        evidence,
        source: rule
            .and_then(|rule| rule.primary_quote().or(rule.sources.first()))
            .map(|source| SourceRef {
                citation: source.citation(),
                quote: source.quote.clone(),
            }),
    }
}

fn plan_summary(plan: &Plan) -> PlanSummary {
    PlanSummary {
        scenarios: plan
            .scenarios
            .iter()
            .map(|scenario| {
                let (status, reason) = match &scenario.status {
                    ScenarioStatus::Run => ("run", None),
                    ScenarioStatus::Skip { need } => ("skip", Some(format!("needs {need}"))),
                    ScenarioStatus::Unmet { need, reason } => {
                        ("skip", Some(format!("needs {need}: {reason}")))
                    }
                    ScenarioStatus::Unusable { reason } => ("unusable", Some(reason.clone())),
                };
                PlanScenario {
                    name: scenario.name.clone(),
                    status: status.to_owned(),
                    reason,
                    rules: scenario
                        .rules
                        .iter()
                        .map(|rule| rule.as_str().to_owned())
                        .collect(),
                    consents: scenario.consents,
                }
            })
            .collect(),
        consents: plan.consents,
    }
}
