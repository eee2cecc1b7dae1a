//! Scopes: the profile allow-list of the authorization endpoint (STET-AZ-02),
//! the role-to-scope table of eIDAS certificates (STET-AZ-01, STET-AC-04,
//! EI-CC-02, EI-RG-04), and ConnectPay's exclusive PSD2 scopes (CP-AZ-02,
//! CP-AZ-06). Every table comes from `psd2_core::ProfileData`: adding a bank
//! means adding data, not code.

use psd2_core::{Psd2Role, Scope, ScopeSet};

use super::JudgeContext;
use crate::{Evidence, Finding, RuleId};

/// Where a set of scopes met a certificate's PSD2 roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RoleCheck {
    /// A code was issued at /authorize for a client registered with the
    /// certificate (STET-AZ-01).
    Authorize,
    /// A client-credentials token was issued to the certificate (EI-CC-02).
    ClientCredentials,
    /// A registration with the certificate kept these scopes (EI-RG-04).
    Registration,
    /// A token was issued at the code exchange to the certificate (STET-AC-04).
    Token,
}

impl RoleCheck {
    /// The rule this check judges.
    #[must_use]
    pub fn rule(self) -> RuleId {
        match self {
            RoleCheck::Authorize => RuleId::StetAz01,
            RoleCheck::ClientCredentials => RuleId::EiCc02,
            RoleCheck::Registration => RuleId::EiRg04,
            RoleCheck::Token => RuleId::StetAc04,
        }
    }
}

fn names(roles: &[Psd2Role]) -> String {
    if roles.is_empty() {
        return "none".to_owned();
    }
    roles
        .iter()
        .map(Psd2Role::name)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The server granted `granted` to a certificate whose PSD2 QCStatement
/// carries `roles`; every scope the profile's role table ties to a role the
/// certificate lacks is a violation of the check's rule.
///
/// ```
/// use psd2_core::{ProfileData, ProfileId, Psd2Role, ScopeSet};
/// use psd2_rules::judge::{judge_role_scopes, RoleCheck};
/// use psd2_rules::{Catalogue, JudgeContext, Outcome};
/// let profile = ProfileData::defaults(ProfileId::Stet);
/// let ctx = JudgeContext::new(Catalogue::builtin()?, &profile);
/// let granted: ScopeSet = "aisp".parse()?;
/// let findings = judge_role_scopes(RoleCheck::Authorize, &granted, &[Psd2Role::PspPi], &ctx);
/// assert_eq!(findings[0].outcome, Outcome::Fail);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn judge_role_scopes(
    check: RoleCheck,
    granted: &ScopeSet,
    roles: &[Psd2Role],
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let rule = check.rule();
    if !ctx.applies(rule) {
        return Vec::new();
    }
    let table = &ctx.profile().role_scopes;
    if table.is_empty() {
        return vec![ctx.cannot_judge(rule, "main", "the profile has no role-to-scope table")];
    }
    let permitted = table.scopes_for(roles);
    let uncovered: Vec<&Scope> = granted
        .iter()
        .filter(|scope| !table.roles_for(scope).is_empty() && !permitted.contains(scope.as_str()))
        .collect();
    if uncovered.is_empty() {
        return vec![ctx.pass(
            rule,
            "main",
            "every granted scope is covered by the certificate's PSD2 roles",
        )];
    }
    uncovered
        .into_iter()
        .map(|scope| {
            let needed = table.roles_for(scope);
            ctx.violation(
                rule,
                "main",
                format!("{scope} was granted to a certificate without the role it needs"),
                Evidence::new()
                    .field("scope", scope.as_str())
                    .field("certificate roles", names(roles))
                    .field("roles that grant it", names(&needed)),
            )
        })
        .collect()
}

/// STET-AZ-02: the scope the server granted at the authorization endpoint
/// (the token's scope after the code exchange) stays within the profile's
/// allow-list, and extended_transaction_history comes with aisp.
#[must_use]
pub fn judge_granted_authorization_scope(
    granted: &ScopeSet,
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let rule = RuleId::StetAz02;
    if !ctx.applies(rule) {
        return Vec::new();
    }
    let mut findings = Vec::new();
    match &ctx.profile().allowed_scopes.authorize {
        None => findings.push(ctx.cannot_judge(
            rule,
            "allow-list",
            "the profile has no authorization-endpoint scope allow-list",
        )),
        Some(allowed) => {
            let outside = granted.difference(allowed);
            if outside.is_empty() {
                findings.push(ctx.pass(
                    rule,
                    "allow-list",
                    "every granted scope is in the allow-list",
                ));
            }
            for scope in &outside {
                findings.push(ctx.violation(
                    rule,
                    "allow-list",
                    format!("{scope} was granted although the profile does not allow it at /authorize"),
                    Evidence::new()
                        .field("scope", scope.as_str())
                        .field("allow-list", allowed.to_string()),
                ));
            }
        }
    }
    let eth = granted.contains(Scope::EXTENDED_TRANSACTION_HISTORY);
    findings.push(if eth && !granted.contains(Scope::AISP) {
        ctx.violation(
            rule,
            "eth-with-aisp",
            "extended_transaction_history was granted without aisp",
            Evidence::new().field("scope", granted.to_string()),
        )
    } else {
        ctx.pass(
            rule,
            "eth-with-aisp",
            "extended_transaction_history is not granted without aisp",
        )
    });
    findings
}

/// CP-AZ-02: the server accepted (issued a code for, or showed consent to) an
/// authorization request with `requested`; a request mixing the profile's
/// exclusive PSD2 scopes with any other scope should have been refused.
#[must_use]
pub fn judge_accepted_authorization_scope(
    requested: &ScopeSet,
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let rule = RuleId::CpAz02;
    if !ctx.applies(rule) {
        return Vec::new();
    }
    let Some(exclusive) = &ctx.profile().exclusive_scopes else {
        return vec![ctx.cannot_judge(rule, "main", "the profile has no exclusive scope set")];
    };
    let psd2 = requested.intersection(exclusive);
    let others = requested.difference(exclusive);
    if psd2.is_empty() || others.is_empty() {
        return vec![ctx.pass(
            rule,
            "main",
            "the accepted request does not mix PSD2 and other scopes",
        )];
    }
    vec![
        ctx.violation(
            rule,
            "main",
            "the AS accepted a request that mixes PSD2 and proprietary scopes",
            Evidence::new()
                .field("psd2 scopes", psd2.to_string())
                .field("other scopes", others.to_string()),
        ),
    ]
}

/// CP-AZ-06, case `scope`: the TPP's authorization request carries a scope
/// (`None` when the parameter is absent) that follows the RFC 6749 §3.3
/// grammar and holds only the profile's PSD2 scopes.
#[must_use]
pub fn judge_connectpay_request_scope(scope: Option<&str>, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CpAz06;
    let case = "scope";
    if !ctx.applies(rule) {
        return Vec::new();
    }
    let Some(raw) = scope else {
        return vec![ctx.violation(
            rule,
            case,
            "the authorization request has no scope",
            Evidence::new().note("scope is absent"),
        )];
    };
    let requested = match ScopeSet::parse(raw) {
        Ok(requested) => requested,
        Err(error) => {
            return vec![ctx.violation(
                rule,
                case,
                "the scope parameter breaks the RFC 6749 §3.3 grammar",
                Evidence::new().field("scope", raw).note(error.to_string()),
            )];
        }
    };
    let Some(exclusive) = &ctx.profile().exclusive_scopes else {
        return vec![ctx.cannot_judge(rule, case, "the profile has no exclusive scope set")];
    };
    let others = requested.difference(exclusive);
    if others.is_empty() {
        return vec![ctx.pass(rule, case, "the request asks only for PSD2 scopes")];
    }
    others
        .iter()
        .map(|other| {
            ctx.violation(
                rule,
                case,
                format!("the request asks for {other}, which is not a PSD2 scope of the profile"),
                Evidence::new()
                    .field("scope", raw)
                    .field("psd2 scopes", exclusive.to_string()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use psd2_core::{ProfileData, ProfileId, RoleScopeMap};

    use super::*;
    use crate::Outcome;
    use crate::judge::test_support::{assert_known_cases, catalogue, outcome_of, profile};

    fn set(text: &str) -> ScopeSet {
        ScopeSet::parse(text).expect("valid scope in test")
    }

    #[test]
    fn roles_covering_the_scopes_pass() {
        let profile = profile(ProfileId::EuroInformation);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_role_scopes(
            RoleCheck::Registration,
            &set("aisp extended_transaction_history cbpii"),
            &[Psd2Role::PspAi, Psd2Role::PspIc],
            &ctx,
        );
        assert_known_cases(&findings);
        assert_eq!(outcome_of(&findings, RuleId::EiRg04, "main"), Outcome::Pass);
    }

    #[test]
    fn each_uncovered_scope_is_reported() {
        let profile = profile(ProfileId::Stet);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_role_scopes(
            RoleCheck::Token,
            &set("aisp cbpii openid"),
            &[Psd2Role::PspPi],
            &ctx,
        );
        assert_known_cases(&findings);
        // openid is in no row of the table: another rule's business.
        assert_eq!(findings.len(), 2);
        assert!(
            findings
                .iter()
                .all(|finding| finding.outcome == Outcome::Fail)
        );
        assert!(findings[0].message.contains("aisp"));
    }

    #[test]
    fn role_checks_follow_applicability() {
        let profile = profile(ProfileId::Stet);
        let ctx = JudgeContext::new(catalogue(), &profile);
        // EI-RG-04 is Euro-Information only; EI-CC-02 applies to STET too.
        assert!(judge_role_scopes(RoleCheck::Registration, &set("pisp"), &[], &ctx).is_empty());
        let findings = judge_role_scopes(
            RoleCheck::ClientCredentials,
            &set("pisp"),
            &[Psd2Role::PspAi],
            &ctx,
        );
        assert_eq!(outcome_of(&findings, RuleId::EiCc02, "main"), Outcome::Fail);
    }

    #[test]
    fn an_empty_role_table_cannot_be_judged() {
        let profile = ProfileData {
            role_scopes: RoleScopeMap::default(),
            ..ProfileData::defaults(ProfileId::Stet)
        };
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_role_scopes(RoleCheck::Authorize, &set("aisp"), &[], &ctx);
        assert!(matches!(findings[0].outcome, Outcome::Error { .. }));
    }

    #[test]
    fn stet_allow_list() {
        let profile = profile(ProfileId::Stet);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let ok = judge_granted_authorization_scope(&set("aisp extended_transaction_history"), &ctx);
        assert_known_cases(&ok);
        assert_eq!(
            outcome_of(&ok, RuleId::StetAz02, "allow-list"),
            Outcome::Pass
        );
        assert_eq!(
            outcome_of(&ok, RuleId::StetAz02, "eth-with-aisp"),
            Outcome::Pass
        );
        let bad =
            judge_granted_authorization_scope(&set("extended_transaction_history pisp"), &ctx);
        // SHOULD*: a warning, not a failure.
        assert_eq!(
            outcome_of(&bad, RuleId::StetAz02, "allow-list"),
            Outcome::Warn
        );
        assert_eq!(
            outcome_of(&bad, RuleId::StetAz02, "eth-with-aisp"),
            Outcome::Warn
        );
    }

    #[test]
    fn connectpay_mixed_scopes() {
        let profile = profile(ProfileId::ConnectPay);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let pure = judge_accepted_authorization_scope(&set("psd2-ais psd2-pis"), &ctx);
        assert_eq!(outcome_of(&pure, RuleId::CpAz02, "main"), Outcome::Pass);
        let proprietary = judge_accepted_authorization_scope(&set("accounts"), &ctx);
        assert_eq!(
            outcome_of(&proprietary, RuleId::CpAz02, "main"),
            Outcome::Pass
        );
        let mixed = judge_accepted_authorization_scope(&set("psd2-ais accounts"), &ctx);
        assert_known_cases(&mixed);
        assert_eq!(outcome_of(&mixed, RuleId::CpAz02, "main"), Outcome::Fail);
        // Not a ConnectPay target: nothing to judge.
        let stet = profile_ctx_findings(ProfileId::Stet);
        assert!(stet.is_empty());
    }

    fn profile_ctx_findings(id: ProfileId) -> Vec<Finding> {
        let profile = profile(id);
        let ctx = JudgeContext::new(catalogue(), &profile);
        judge_accepted_authorization_scope(&set("psd2-ais accounts"), &ctx)
    }

    #[test]
    fn connectpay_request_scope() {
        let profile = profile(ProfileId::ConnectPay);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let ok = judge_connectpay_request_scope(Some("psd2-ais psd2-pis"), &ctx);
        assert_eq!(outcome_of(&ok, RuleId::CpAz06, "scope"), Outcome::Pass);
        for bad in [None, Some("psd2-ais  psd2-pis"), Some("psd2-ais accounts")] {
            let findings = judge_connectpay_request_scope(bad, &ctx);
            assert_known_cases(&findings);
            assert_eq!(
                outcome_of(&findings, RuleId::CpAz06, "scope"),
                Outcome::Fail,
                "{bad:?}"
            );
        }
        let two = judge_connectpay_request_scope(Some("psd2-ais accounts payments"), &ctx);
        assert_eq!(two.len(), 2);
    }
}
