//! Judges for the message-level rules: pure functions from decoded messages
//! to [`Finding`]s, one per (rule, case) checked, passes included, so that a
//! report can tell "checked and held" from "not checked".
//!
//! Every judge reports every problem, not only the first, and emits findings
//! only for rules that apply to the context's profile. Levels come from the
//! catalogue, so a profile override changes the outcome without code.

mod redirect;
mod scope;
mod token_request;
mod uri;

pub use redirect::{
    RedirectMatch, RedirectUriProblem, judge_redirect_target, judge_registered_redirect_uris,
    match_redirect_uri, redirect_uri_problems,
};
pub use scope::{
    RoleCheck, judge_accepted_authorization_scope, judge_connectpay_request_scope,
    judge_granted_authorization_scope, judge_role_scopes,
};
pub use token_request::judge_code_exchange_scope;

use psd2_core::ProfileData;

use crate::{Catalogue, Evidence, Finding, Outcome, RuleId};

/// What every judge needs: the catalogue (levels, applicability, documented
/// deviations) and the profile parameters of the target.
#[derive(Debug, Clone, Copy)]
pub struct JudgeContext<'a> {
    catalogue: &'a Catalogue,
    profile: &'a ProfileData,
}

impl<'a> JudgeContext<'a> {
    /// A context for one target.
    #[must_use]
    pub fn new(catalogue: &'a Catalogue, profile: &'a ProfileData) -> Self {
        Self { catalogue, profile }
    }

    /// The catalogue.
    #[must_use]
    pub fn catalogue(&self) -> &'a Catalogue {
        self.catalogue
    }

    /// The profile parameters.
    #[must_use]
    pub fn profile(&self) -> &'a ProfileData {
        self.profile
    }

    /// Whether `rule` runs on this profile.
    pub(crate) fn applies(&self, rule: RuleId) -> bool {
        self.catalogue.applies(rule, self.profile.profile)
    }

    /// The check held.
    pub(crate) fn pass(
        &self,
        rule: RuleId,
        case: &'static str,
        message: impl Into<String>,
    ) -> Finding {
        finding(rule, case, Outcome::Pass, message.into(), Evidence::new())
    }

    /// The check was violated: `fail`, `warn` or `info` by the case's level
    /// on this profile, or `error` if the catalogue lacks the case (a judge
    /// out of step with the catalogue must not pass silently).
    pub(crate) fn violation(
        &self,
        rule: RuleId,
        case: &'static str,
        message: impl Into<String>,
        evidence: Evidence,
    ) -> Finding {
        let outcome = match self.catalogue.level(rule, self.profile.profile, case) {
            Some(level) => level.violated(),
            None => Outcome::Error {
                reason: format!("{rule} has no case {case:?} in the catalogue"),
            },
        };
        finding(rule, case, outcome, message.into(), evidence)
    }

    /// The check was violated in a way the profile documents: `deviation`
    /// with the catalogue's reason, or a plain violation when the catalogue
    /// documents none for this profile.
    pub(crate) fn deviation(
        &self,
        rule: RuleId,
        case: &'static str,
        message: impl Into<String>,
        evidence: Evidence,
    ) -> Finding {
        let documented = self
            .catalogue
            .rule(rule)
            .and_then(|entry| entry.deviation_for(self.profile.profile));
        match documented {
            Some(reason) => finding(
                rule,
                case,
                Outcome::Deviation {
                    reason: reason.to_owned(),
                },
                message.into(),
                evidence,
            ),
            None => self.violation(rule, case, message, evidence),
        }
    }

    /// The judge could not decide (missing profile data).
    pub(crate) fn cannot_judge(
        &self,
        rule: RuleId,
        case: &'static str,
        message: impl Into<String>,
    ) -> Finding {
        let message = message.into();
        finding(
            rule,
            case,
            Outcome::Error {
                reason: message.clone(),
            },
            message,
            Evidence::new(),
        )
    }
}

fn finding(
    rule: RuleId,
    case: &'static str,
    outcome: Outcome,
    message: String,
    evidence: Evidence,
) -> Finding {
    Finding {
        rule,
        case,
        outcome,
        message,
        evidence,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Shared by the judges' unit tests.

    use psd2_core::{ProfileData, ProfileId};

    use crate::{Catalogue, Finding, Outcome, RuleId};

    /// The builtin catalogue.
    pub(crate) fn catalogue() -> &'static Catalogue {
        Catalogue::builtin().expect("the builtin catalogue loads")
    }

    /// The default parameters of a profile.
    pub(crate) fn profile(id: ProfileId) -> ProfileData {
        ProfileData::defaults(id)
    }

    /// The outcome of the finding for (rule, case), checking there is exactly one.
    pub(crate) fn outcome_of(findings: &[Finding], rule: RuleId, case: &str) -> Outcome {
        let matching: Vec<&Finding> = findings
            .iter()
            .filter(|finding| finding.rule == rule && finding.case == case)
            .collect();
        assert_eq!(matching.len(), 1, "{rule}/{case} in {findings:#?}");
        matching[0].outcome.clone()
    }

    /// Every finding names a case of its rule.
    pub(crate) fn assert_known_cases(findings: &[Finding]) {
        for finding in findings {
            assert!(
                finding.rule.cases().contains(&finding.case),
                "{} has no case {}",
                finding.rule,
                finding.case
            );
        }
    }
}
