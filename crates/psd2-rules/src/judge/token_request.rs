//! STET-AC-06: the TPP's authorization_code token request carries no scope.

use psd2_wire::{Grant, TokenRequest};

use super::JudgeContext;
use crate::{Evidence, Finding, RuleId};

/// STET-AC-06: a decoded token request the TPP sent to the mock AS. An
/// `authorization_code` request must not carry `scope` (seed 2, quoting STET
/// v1.4.2 Part I §3.4). Other grants are not judged here.
///
/// psd2-wire keeps a parameter the grant does not define in `extra`, and
/// drops a parameter sent without a value (RFC 6749 §3.2): an empty `scope=`
/// therefore counts as absent.
///
/// ```
/// use psd2_core::{ProfileData, ProfileId};
/// use psd2_rules::judge::judge_code_exchange_scope;
/// use psd2_rules::{Catalogue, JudgeContext, Outcome};
/// use psd2_wire::{FormMessage, TokenRequest};
/// let profile = ProfileData::defaults(ProfileId::Stet);
/// let ctx = JudgeContext::new(Catalogue::builtin()?, &profile);
/// let request = TokenRequest::decode(b"grant_type=authorization_code&code=abc&scope=aisp")?;
/// assert_eq!(judge_code_exchange_scope(&request, &ctx)[0].outcome, Outcome::Fail);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn judge_code_exchange_scope(request: &TokenRequest, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::StetAc06;
    if !ctx.applies(rule) || !matches!(request.grant, Grant::AuthorizationCode { .. }) {
        return Vec::new();
    }
    let scopes: Vec<&str> = request.extra.get_all("scope").collect();
    if scopes.is_empty() {
        return vec![ctx.pass(rule, "main", "the code exchange carries no scope parameter")];
    }
    scopes
        .into_iter()
        .map(|scope| {
            ctx.violation(
                rule,
                "main",
                "the authorization_code token request carries a scope parameter",
                Evidence::new().field("scope", scope),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use psd2_core::ProfileId;
    use psd2_wire::FormMessage;

    use super::*;
    use crate::Outcome;
    use crate::judge::test_support::{assert_known_cases, catalogue, outcome_of, profile};

    fn decode(body: &str) -> TokenRequest {
        TokenRequest::decode(body.as_bytes()).expect("a well-formed token request")
    }

    #[test]
    fn a_code_exchange_without_scope_passes() {
        let profile = profile(ProfileId::Stet);
        let ctx = JudgeContext::new(catalogue(), &profile);
        for body in [
            "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Ftpp.example%2Fcb",
            // Sent without a value: absent (RFC 6749 §3.2).
            "grant_type=authorization_code&code=abc&scope=",
        ] {
            let findings = judge_code_exchange_scope(&decode(body), &ctx);
            assert_known_cases(&findings);
            assert_eq!(
                outcome_of(&findings, RuleId::StetAc06, "main"),
                Outcome::Pass,
                "{body}"
            );
        }
    }

    #[test]
    fn a_code_exchange_with_scope_fails() {
        let profile = profile(ProfileId::Stet);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_code_exchange_scope(
            &decode("grant_type=authorization_code&code=abc&scope=aisp"),
            &ctx,
        );
        assert_known_cases(&findings);
        assert_eq!(
            outcome_of(&findings, RuleId::StetAc06, "main"),
            Outcome::Fail
        );
    }

    #[test]
    fn other_grants_and_profiles_are_not_judged() {
        let stet = profile(ProfileId::Stet);
        let ctx = JudgeContext::new(catalogue(), &stet);
        let refresh = decode("grant_type=refresh_token&refresh_token=r&scope=aisp");
        assert!(judge_code_exchange_scope(&refresh, &ctx).is_empty());
        let generic = profile(ProfileId::Generic);
        let ctx = JudgeContext::new(catalogue(), &generic);
        let with_scope = decode("grant_type=authorization_code&code=abc&scope=aisp");
        assert!(judge_code_exchange_scope(&with_scope, &ctx).is_empty());
    }
}
