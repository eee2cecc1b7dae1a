//! The plan of a run: which scenarios run, which rules and cases are judged
//! or skipped (with the unmet need), how many PSU consents it takes. Pure:
//! `psd2-conform run --list` prints it, the runner follows it, and the report
//! carries it.

use std::collections::BTreeSet;

use psd2_core::ProfileId;
use psd2_rules::{Catalogue, Evidence, Finding, Level, Need, Outcome, RuleId, Side};

use super::{CertificateChoice, ResourceService, Scenario, scope_reference};
use crate::target::Target;

/// What the command line selected; empty lists select everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `--rule ID`: only these rules (and the scenarios that feed them).
    pub rules: Vec<RuleId>,
    /// `--scenario NAME`: only these scenarios.
    pub scenarios: Vec<String>,
}

/// A selection that names nothing known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// `--scenario NAME` names no loaded scenario.
    #[error("--scenario {0}: no scenario of that name")]
    UnknownScenario(String),
    /// `--rule ID` names a rule that does not apply to the profile.
    #[error("--rule {rule}: the rule does not apply to the {profile} profile")]
    RuleNotInProfile {
        /// The rule.
        rule: RuleId,
        /// The profile.
        profile: ProfileId,
    },
}

/// The plan of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Plan {
    /// The target's profile.
    pub profile: ProfileId,
    /// The scenarios selected, in name order.
    pub scenarios: Vec<PlannedScenario>,
    /// The server rules of the profile selected, in id order.
    pub rules: Vec<PlannedRule>,
    /// PSU consents the scenarios that run need.
    pub consents: u32,
}

/// A scenario and what the run does with it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedScenario {
    /// Its name.
    pub name: String,
    /// Whether it runs.
    pub status: ScenarioStatus,
    /// The selected rules it feeds.
    pub rules: Vec<RuleId>,
    /// PSU consents it takes.
    pub consents: u32,
    /// Its exclusive group.
    pub exclusive: Option<String>,
}

/// Whether a scenario runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScenarioStatus {
    /// It runs.
    Run,
    /// The target does not meet a need.
    Skip {
        /// The first unmet need.
        need: Need,
    },
    /// The target meets the scenario's needs in general but not as the
    /// scenario uses them: a resource step calls a service the target does
    /// not declare (`[capabilities.resources]`), or a step asks for the scope
    /// of a service the profile does not offer (`service_scopes`). Its rules are skipped for
    /// `need`, as for [`ScenarioStatus::Skip`].
    Unmet {
        /// The need that is not met as used.
        need: Need,
        /// What exactly is missing.
        reason: String,
    },
    /// The target cannot run it as written (a certificate it names is not
    /// defined).
    Unusable {
        /// Why.
        reason: String,
    },
}

/// A rule and what the run does with it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedRule {
    /// The rule.
    pub rule: RuleId,
    /// Its title.
    pub title: String,
    /// Whether it is judged.
    pub status: RuleStatus,
    /// Its cases.
    pub cases: Vec<PlannedCase>,
}

/// Whether a rule is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleStatus {
    /// Judged over the exchanges of these scenarios.
    Judged {
        /// The scenarios feeding it.
        scenarios: Vec<String>,
    },
    /// No selected scenario feeds it.
    NotCovered,
    /// Skipped: the rule, or every scenario feeding it, needs what the
    /// target lacks.
    Skip {
        /// The unmet need.
        need: Need,
    },
}

/// A case of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedCase {
    /// The case name.
    pub case: &'static str,
    /// Its level on the profile.
    pub level: Level,
    /// `Some(need)` when the case is skipped for that need.
    pub skip: Option<Need>,
}

impl Plan {
    /// Plans a run of `scenarios` against `target`.
    ///
    /// Only server-side rules are planned: client-side rules need the mock
    /// ASPSP, which a run against a bank does not start.
    ///
    /// # Errors
    /// [`PlanError`] when the selection names an unknown scenario or a rule
    /// outside the profile.
    pub fn build(
        target: &Target,
        scenarios: &[Scenario],
        catalogue: &Catalogue,
        selection: &Selection,
    ) -> Result<Self, PlanError> {
        let profile = target.profile.profile;
        for name in &selection.scenarios {
            if !scenarios.iter().any(|scenario| &scenario.name == name) {
                return Err(PlanError::UnknownScenario(name.clone()));
            }
        }
        for rule in &selection.rules {
            if !catalogue.applies(*rule, profile) {
                return Err(PlanError::RuleNotInProfile {
                    rule: *rule,
                    profile,
                });
            }
        }
        let rule_selected = |rule: &RuleId| {
            (selection.rules.is_empty() || selection.rules.contains(rule))
                && catalogue.applies(*rule, profile)
                && catalogue
                    .rule(*rule)
                    .is_some_and(|entry| entry.side == Side::Server)
        };
        let mut planned_scenarios = Vec::new();
        for scenario in scenarios {
            if !selection.scenarios.is_empty() && !selection.scenarios.contains(&scenario.name) {
                continue;
            }
            let rules: Vec<RuleId> = scenario
                .rules
                .iter()
                .copied()
                .filter(|r| rule_selected(r))
                .collect();
            if rules.is_empty() {
                continue;
            }
            // What runs: the steps before an optional one the target cannot take.
            let run = scenario.as_run(|need| target.meets(need));
            planned_scenarios.push(PlannedScenario {
                name: scenario.name.clone(),
                status: scenario_status(target, &run),
                rules,
                consents: run.consents(),
                exclusive: scenario.exclusive.clone(),
            });
        }
        let mut planned_rules = Vec::new();
        for rule in RuleId::ALL.iter().filter(|rule| rule_selected(rule)) {
            let Some(entry) = catalogue.rule(*rule) else {
                continue;
            };
            let feeding: Vec<&PlannedScenario> = planned_scenarios
                .iter()
                .filter(|scenario| scenario.rules.contains(rule))
                .collect();
            let running: Vec<String> = feeding
                .iter()
                .filter(|scenario| scenario.status == ScenarioStatus::Run)
                .map(|scenario| scenario.name.clone())
                .collect();
            let status = if let Some(need) = target.unmet_need(&entry.needs) {
                RuleStatus::Skip { need }
            } else if !running.is_empty() {
                RuleStatus::Judged { scenarios: running }
            } else if let Some(need) = feeding.iter().find_map(|scenario| match scenario.status {
                ScenarioStatus::Skip { need } | ScenarioStatus::Unmet { need, .. } => Some(need),
                ScenarioStatus::Run | ScenarioStatus::Unusable { .. } => None,
            }) {
                RuleStatus::Skip { need }
            } else {
                RuleStatus::NotCovered
            };
            let rule_skip = match &status {
                RuleStatus::Skip { need } => Some(*need),
                _ => None,
            };
            let cases = rule
                .cases()
                .iter()
                .map(|case| PlannedCase {
                    case,
                    level: catalogue.level(*rule, profile, case).unwrap_or(entry.level),
                    skip: rule_skip.or_else(|| {
                        entry
                            .case(case)
                            .and_then(|found| target.unmet_need(&found.needs))
                    }),
                })
                .collect();
            planned_rules.push(PlannedRule {
                rule: *rule,
                title: entry.title.clone(),
                status,
                cases,
            });
        }
        let consents = planned_scenarios
            .iter()
            .filter(|scenario| scenario.status == ScenarioStatus::Run)
            .map(|scenario| scenario.consents)
            .sum();
        Ok(Self {
            profile,
            scenarios: planned_scenarios,
            rules: planned_rules,
            consents,
        })
    }

    /// The scenarios that run.
    pub fn runnable(&self) -> impl Iterator<Item = &PlannedScenario> {
        self.scenarios
            .iter()
            .filter(|scenario| scenario.status == ScenarioStatus::Run)
    }

    /// A `skip` finding for every skipped case, so that the report shows
    /// them next to the judged ones (aggregated like any finding).
    #[must_use]
    pub fn skip_findings(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        for rule in &self.rules {
            for case in &rule.cases {
                if let Some(need) = case.skip {
                    findings.push(Finding {
                        rule: rule.rule,
                        case: case.case,
                        outcome: Outcome::Skip { need },
                        message: format!("the target does not provide {need}"),
                        evidence: Evidence::new(),
                    });
                }
            }
        }
        findings
    }

    /// How many selected rules are judged (not skipped, covered).
    #[must_use]
    pub fn judged_rules(&self) -> usize {
        self.rules
            .iter()
            .filter(|rule| matches!(rule.status, RuleStatus::Judged { .. }))
            .count()
    }

    /// The distinct exclusive groups of the scenarios that run.
    #[must_use]
    pub fn exclusive_groups(&self) -> BTreeSet<&str> {
        self.runnable()
            .filter_map(|scenario| scenario.exclusive.as_deref())
            .collect()
    }
}

fn scenario_status(target: &Target, scenario: &Scenario) -> ScenarioStatus {
    if let Some(need) = target.unmet_need(&scenario.needs()) {
        return ScenarioStatus::Skip { need };
    }
    let resources = &target.capabilities.resources;
    for step in scenario.steps.iter().chain(&scenario.cleanup) {
        if let Some(call) = &step.resource {
            let (declared, key) = match call.service {
                ResourceService::Accounts => (resources.accounts.is_some(), "accounts"),
                ResourceService::Payments => (resources.payments.is_some(), "payments"),
                ResourceService::FundsConfirmation => {
                    (resources.funds_confirmation.is_some(), "funds_confirmation")
                }
            };
            if !declared {
                return ScenarioStatus::Unmet {
                    need: Need::Resource,
                    reason: format!(
                        "step {:?} calls the {key} resource, which the target does not declare \
                         (capabilities.resources.{key})",
                        step.label
                    ),
                };
            }
        }
    }
    for step in scenario.steps.iter().chain(&scenario.cleanup) {
        let missing = step
            .references()
            .filter_map(scope_reference)
            .find(|service| target.profile.service_scopes.scope_for(*service).is_none());
        if let Some(service) = missing {
            return ScenarioStatus::Unmet {
                need: Need::Resource,
                reason: format!(
                    "step {:?} asks for the scope of {service}, which the profile does not \
                     offer (profile.service_scopes)",
                    step.label,
                    service = service.as_str(),
                ),
            };
        }
    }
    for step in scenario.steps.iter().chain(&scenario.cleanup) {
        if let CertificateChoice::Named(name) = &step.certificate
            && !target.certificates.contains_key(name)
        {
            return ScenarioStatus::Unusable {
                reason: format!(
                    "step {:?} presents certificate {name:?}, which the target does not define",
                    step.label
                ),
            };
        }
    }
    ScenarioStatus::Run
}
