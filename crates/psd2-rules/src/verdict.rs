//! Aggregation of findings per (rule, case): the worst outcome wins and every
//! finding, with its evidence, is kept.

use std::collections::BTreeMap;

use crate::{EvidenceItem, Finding, Outcome, RuleId};

/// The aggregated verdict of one (rule, case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseVerdict {
    /// The rule.
    pub rule: RuleId,
    /// The case.
    pub case: &'static str,
    /// The worst outcome of the findings.
    pub outcome: Outcome,
    /// Every finding for this (rule, case), in the order received.
    pub findings: Vec<Finding>,
}

impl CaseVerdict {
    /// All evidence of all findings, in order.
    pub fn evidence(&self) -> impl Iterator<Item = &EvidenceItem> {
        self.findings
            .iter()
            .flat_map(|finding| finding.evidence.items())
    }
}

/// Groups findings by (rule, case), sorted by rule id then case name.
///
/// ```
/// use psd2_rules::{aggregate, Evidence, Finding, Outcome, RuleId};
/// let finding = |outcome| Finding {
///     rule: RuleId::SecAz01,
///     case: "main",
///     outcome,
///     message: "checked".to_owned(),
///     evidence: Evidence::new(),
/// };
/// let verdicts = aggregate([finding(Outcome::Pass), finding(Outcome::Warn), finding(Outcome::Info)]);
/// assert_eq!(verdicts.len(), 1);
/// assert_eq!(verdicts[0].outcome, Outcome::Warn);
/// assert_eq!(verdicts[0].findings.len(), 3);
/// ```
#[must_use]
pub fn aggregate(findings: impl IntoIterator<Item = Finding>) -> Vec<CaseVerdict> {
    let mut verdicts: BTreeMap<(RuleId, &'static str), CaseVerdict> = BTreeMap::new();
    for finding in findings {
        let key = (finding.rule, finding.case);
        match verdicts.get_mut(&key) {
            Some(verdict) => {
                let current = std::mem::replace(&mut verdict.outcome, Outcome::Pass);
                verdict.outcome = current.worst(finding.outcome.clone());
                verdict.findings.push(finding);
            }
            None => {
                verdicts.insert(
                    key,
                    CaseVerdict {
                        rule: finding.rule,
                        case: finding.case,
                        outcome: finding.outcome.clone(),
                        findings: vec![finding],
                    },
                );
            }
        }
    }
    verdicts.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Evidence;

    fn finding(rule: RuleId, case: &'static str, outcome: Outcome, value: &str) -> Finding {
        Finding {
            rule,
            case,
            outcome,
            message: "seen".to_owned(),
            evidence: Evidence::new().field("value", value),
        }
    }

    #[test]
    fn worst_wins_per_case_and_evidence_is_kept() {
        let verdicts = aggregate([
            finding(RuleId::CoreAc01, "no-token", Outcome::Pass, "a"),
            finding(RuleId::CoreAc01, "error-format", Outcome::Warn, "b"),
            finding(RuleId::CoreAc01, "no-token", Outcome::Fail, "c"),
            finding(RuleId::CoreAc01, "no-token", Outcome::Info, "d"),
        ]);
        assert_eq!(verdicts.len(), 2);
        let no_token = verdicts
            .iter()
            .find(|verdict| verdict.case == "no-token")
            .expect("no-token verdict");
        assert_eq!(no_token.outcome, Outcome::Fail);
        assert_eq!(no_token.evidence().count(), 3);
        let error_format = verdicts
            .iter()
            .find(|verdict| verdict.case == "error-format")
            .expect("error-format verdict");
        assert_eq!(error_format.outcome, Outcome::Warn);
    }

    #[test]
    fn verdicts_are_sorted_by_rule_then_case() {
        let verdicts = aggregate([
            finding(RuleId::SecAz01, "main", Outcome::Pass, "x"),
            finding(RuleId::CoreAc01, "no-token", Outcome::Pass, "y"),
            finding(RuleId::CoreAc01, "error-format", Outcome::Pass, "z"),
        ]);
        let keys: Vec<(RuleId, &str)> = verdicts.iter().map(|v| (v.rule, v.case)).collect();
        assert_eq!(
            keys,
            vec![
                (RuleId::CoreAc01, "error-format"),
                (RuleId::CoreAc01, "no-token"),
                (RuleId::SecAz01, "main"),
            ]
        );
    }
}
