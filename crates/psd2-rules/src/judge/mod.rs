//! Judges: pure functions to [`Finding`]s, one per (rule, case) checked,
//! passes included, so that a report can tell "checked and held" from "not
//! checked".
//!
//! - Message-level judges read decoded messages (redirect URIs, scopes, the
//!   STET code exchange).
//! - Exchange judges read the [`ExchangeLog`](crate::exchange::ExchangeLog)
//!   of a scenario: [`judge_exchanges`] dispatches to one function per server
//!   rule, grouped by section (authorize, callback, code exchange, refresh,
//!   client credentials, revocation, resource, metadata, transport). Each
//!   names, in its rustdoc, the labels it reads and what the scenario must
//!   send under them; `JUDGES.md` tabulates them.
//!
//! Every judge reports every problem, not only the first, and emits findings
//! only for rules that apply to the context's profile. Levels come from the
//! catalogue, so a profile override changes the outcome without code.

mod authorize;
mod authorize_pages;
mod callback;
mod client_credentials;
mod code_exchange;
mod code_exchange_scope;
mod exchanges;
mod facts;
mod metadata;
mod pkce;
mod read;
mod redirect;
mod refresh;
mod resource;
mod revocation;
mod scope;
mod token_request;
mod token_shape;
mod transport;
pub(crate) mod uri;

pub use exchanges::{has_exchange_judge, judge_exchanges};
pub use facts::TargetFacts;
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
/// deviations), the profile parameters of the target, and the few target
/// facts an exchange log cannot show ([`TargetFacts`]).
#[derive(Debug, Clone, Copy)]
pub struct JudgeContext<'a> {
    catalogue: &'a Catalogue,
    profile: &'a ProfileData,
    facts: &'a TargetFacts,
}

impl<'a> JudgeContext<'a> {
    /// A context for one target, with no [`TargetFacts`]: what the exchange
    /// judges need is then read from the exchange log alone.
    #[must_use]
    pub fn new(catalogue: &'a Catalogue, profile: &'a ProfileData) -> Self {
        Self {
            catalogue,
            profile,
            facts: TargetFacts::none(),
        }
    }

    /// A context for one target with facts from its configuration.
    ///
    /// ```
    /// use psd2_core::{ProfileData, ProfileId};
    /// use psd2_rules::judge::TargetFacts;
    /// use psd2_rules::{Catalogue, JudgeContext};
    /// let profile = ProfileData::defaults(ProfileId::Generic);
    /// let mut facts = TargetFacts::default();
    /// facts.issuer = Some("https://as.example".to_owned());
    /// facts.redirect_uris.push("https://tpp.example/cb".to_owned());
    /// let ctx = JudgeContext::with_facts(Catalogue::builtin()?, &profile, &facts);
    /// assert_eq!(ctx.facts().issuer.as_deref(), Some("https://as.example"));
    /// # Ok::<(), psd2_rules::CatalogueError>(())
    /// ```
    #[must_use]
    pub fn with_facts(
        catalogue: &'a Catalogue,
        profile: &'a ProfileData,
        facts: &'a TargetFacts,
    ) -> Self {
        Self {
            catalogue,
            profile,
            facts,
        }
    }

    /// The target facts (empty under [`JudgeContext::new`]).
    #[must_use]
    pub fn facts(&self) -> &'a TargetFacts {
        self.facts
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

    /// The check held, with what was seen.
    pub(crate) fn pass_with(
        &self,
        rule: RuleId,
        case: &'static str,
        message: impl Into<String>,
        evidence: Evidence,
    ) -> Finding {
        finding(rule, case, Outcome::Pass, message.into(), evidence)
    }

    /// An observation the catalogue asks to report whatever it is
    /// (RULES.md A-13: the status of a refused revocation).
    pub(crate) fn info(
        &self,
        rule: RuleId,
        case: &'static str,
        message: impl Into<String>,
        evidence: Evidence,
    ) -> Finding {
        finding(rule, case, Outcome::Info, message.into(), evidence)
    }

    /// Either outcome: a pass when `held`, a violation otherwise.
    pub(crate) fn verdict(
        &self,
        rule: RuleId,
        case: &'static str,
        held: bool,
        message: impl Into<String>,
        evidence: Evidence,
    ) -> Finding {
        if held {
            self.pass_with(rule, case, message, evidence)
        } else {
            self.violation(rule, case, message, evidence)
        }
    }

    /// Every case of `cases` could not be judged for the same reason.
    pub(crate) fn cannot_judge_all(
        &self,
        rule: RuleId,
        cases: &[&'static str],
        reason: &str,
    ) -> Vec<Finding> {
        cases
            .iter()
            .map(|case| self.cannot_judge(rule, case, reason))
            .collect()
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
