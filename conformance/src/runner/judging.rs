//! Judging a scenario's log: every rule the scenario feeds and the plan
//! judges goes through `psd2_rules::judge::judge_exchanges` with the
//! target's facts. Cases the plan skips drop the judge's findings (the
//! plan's skip stands). A scenario that stopped early adds an `error` with
//! the reason to every case of its rules that no judge found violated:
//! what did not run was not judged, but a violation seen before the stop
//! is real.

use std::collections::BTreeSet;

use psd2_rules::judge::{JudgeContext, judge_exchanges};
use psd2_rules::{Evidence, Finding, Outcome, RuleId};

use super::execute::ScenarioRun;
use crate::scenario::{Plan, PlannedRule, RuleStatus};

fn judged(plan: &Plan, rule: RuleId) -> Option<&PlannedRule> {
    plan.rules
        .iter()
        .find(|planned| planned.rule == rule && matches!(planned.status, RuleStatus::Judged { .. }))
}

/// The findings of one scenario's rules over its run.
pub(crate) fn judge(
    plan: &Plan,
    rules: &[RuleId],
    run: &ScenarioRun,
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let Some(planned) = judged(plan, *rule) else {
            continue;
        };
        let skipped: BTreeSet<&str> = planned
            .cases
            .iter()
            .filter(|case| case.skip.is_some())
            .map(|case| case.case)
            .collect();
        let mut mine: Vec<Finding> = judge_exchanges(*rule, &run.log, ctx)
            .into_iter()
            .filter(|finding| !skipped.contains(finding.case))
            .collect();
        if let Some(reason) = &run.stopped {
            mine.extend(stopped(planned, &skipped, &mine, reason));
        }
        findings.extend(mine);
    }
    findings
}

/// Errors for a stopped scenario (see the module documentation).
fn stopped(
    planned: &PlannedRule,
    skipped: &BTreeSet<&str>,
    found: &[Finding],
    reason: &str,
) -> Vec<Finding> {
    planned
        .cases
        .iter()
        .filter(|case| !skipped.contains(case.case))
        .filter(|case| {
            !found.iter().any(|finding| {
                finding.case == case.case
                    && matches!(finding.outcome, Outcome::Fail | Outcome::Warn)
            })
        })
        .map(|case| error(planned.rule, case.case, reason))
        .collect()
}

/// An `error` finding for (rule, case).
pub(crate) fn error(rule: RuleId, case: &'static str, reason: &str) -> Finding {
    Finding {
        rule,
        case,
        outcome: Outcome::Error {
            reason: reason.to_owned(),
        },
        message: format!("not judged: {reason}"),
        evidence: Evidence::new(),
    }
}
