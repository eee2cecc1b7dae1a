//! The one entry point of the exchange judges: a rule and a scenario's
//! exchange log in, the rule's findings out.

use super::{
    JudgeContext, authorize, authorize_pages, callback, client_credentials, code_exchange,
    code_exchange_scope, metadata, pkce, refresh, resource, revocation, token_shape, transport,
};
use crate::exchange::ExchangeLog;
use crate::{Finding, RuleId};

/// A judge of one server rule over an exchange log.
type ExchangeJudge = fn(&ExchangeLog, &JudgeContext<'_>) -> Vec<Finding>;

/// The judge of a rule, if the rule has one.
fn judge_for(rule: RuleId) -> Option<ExchangeJudge> {
    use RuleId as R;
    let judge: ExchangeJudge = match rule {
        R::CoreAz01 => authorize::core_az_01,
        R::CoreAz02 => authorize::core_az_02,
        R::CoreAz03 => authorize::core_az_03,
        R::CoreAz04 => authorize::core_az_04,
        R::CoreAz05 => authorize::core_az_05,
        R::SecAz01 => authorize_pages::sec_az_01,
        R::SecAz02 => authorize_pages::sec_az_02,
        R::SecAz03 => authorize_pages::sec_az_03,
        R::SecAz04 => authorize_pages::sec_az_04,
        R::SecAz05 => authorize_pages::sec_az_05,
        R::SecAz06 => authorize_pages::sec_az_06,
        R::CoreCb01 => callback::core_cb_01,
        R::CoreCb02 => callback::core_cb_02,
        R::CoreCb03 => callback::core_cb_03,
        R::CoreCb05 => callback::core_cb_05,
        R::CoreAc01 => code_exchange::core_ac_01,
        R::CoreAc02 => code_exchange::core_ac_02,
        R::CoreAc03 => code_exchange::core_ac_03,
        R::CoreAc04 => code_exchange::core_ac_04,
        R::CoreAc05 => code_exchange::core_ac_05,
        R::CoreAc06 => token_shape::core_ac_06,
        R::CoreAc07 => token_shape::core_ac_07,
        R::CoreAc08 => token_shape::core_ac_08,
        R::CoreAc09 => code_exchange_scope::core_ac_09,
        R::CoreAc10 => code_exchange_scope::core_ac_10,
        R::SecAc01 => pkce::sec_ac_01,
        R::SecAc02 => pkce::sec_ac_02,
        R::SecAc04 => pkce::sec_ac_04,
        R::CoreRt01 => refresh::core_rt_01,
        R::CoreRt02 => refresh::core_rt_02,
        R::CoreRt03 => refresh::core_rt_03,
        R::CoreRt04 => refresh::core_rt_04,
        R::CoreRt05 => refresh::core_rt_05,
        R::CoreCc01 => client_credentials::core_cc_01,
        R::CoreCc02 => client_credentials::core_cc_02,
        R::CoreCc03 => client_credentials::core_cc_03,
        R::CoreCc04 => client_credentials::core_cc_04,
        R::CoreRv01 => revocation::core_rv_01,
        R::CoreRv02 => revocation::core_rv_02,
        R::CoreRv03 => revocation::core_rv_03,
        R::CoreRv04 => revocation::core_rv_04,
        R::CoreRv05 => revocation::core_rv_05,
        R::CoreRv06 => revocation::core_rv_06,
        R::CoreRs01 => resource::core_rs_01,
        R::CoreRs02 => resource::core_rs_02,
        R::CoreRs03 => resource::core_rs_03,
        R::CoreRs04 => resource::core_rs_04,
        R::SecRs01 => resource::sec_rs_01,
        R::CoreMd01 => metadata::core_md_01,
        R::CoreMd02 => metadata::core_md_02,
        R::CoreMd03 => metadata::core_md_03,
        R::SecMd01 => metadata::sec_md_01,
        R::CoreTl01 => transport::core_tl_01,
        R::CoreTl02 => transport::core_tl_02,
        _ => return None,
    };
    Some(judge)
}

/// Whether `rule` has an exchange judge.
///
/// ```
/// use psd2_rules::RuleId;
/// use psd2_rules::judge::has_exchange_judge;
/// assert!(has_exchange_judge(RuleId::CoreAc01));
/// // Client rules are judged on what the TPP sends, not here.
/// assert!(!has_exchange_judge(RuleId::CoreAc11));
/// ```
#[must_use]
pub fn has_exchange_judge(rule: RuleId) -> bool {
    judge_for(rule).is_some()
}

/// Judges `rule` over the exchange log of one scenario.
///
/// Returns every finding of the rule's judge, passes included: nothing when
/// the rule does not apply to the context's profile, and an `error` per case
/// when the rule has no exchange judge (so that a scenario naming such a rule
/// cannot pass silently). Which labels each judge reads is in its rustdoc,
/// in [`crate::exchange::labels`] and in `JUDGES.md`.
///
/// ```
/// use psd2_core::{ProfileData, ProfileId};
/// use psd2_rules::exchange::{labels, Exchange, ExchangeLog, HttpRequest, HttpResponse};
/// use psd2_rules::judge::judge_exchanges;
/// use psd2_rules::{Catalogue, JudgeContext, Outcome, RuleId};
///
/// let profile = ProfileData::defaults(ProfileId::Generic);
/// let ctx = JudgeContext::new(Catalogue::builtin()?, &profile);
/// let mut log = ExchangeLog::new();
/// log.push(Exchange::new(
///     labels::TOKEN_PASSWORD_GRANT,
///     HttpRequest::new("POST", "https://as.example/token")
///         .with_body("grant_type=password&username=johndoe&password=A3ddj3w"),
///     HttpResponse::new(400).with_body(r#"{"error":"unsupported_grant_type"}"#),
/// ));
/// let findings = judge_exchanges(RuleId::SecAc04, &log, &ctx);
/// assert_eq!(findings[0].outcome, Outcome::Pass);
/// # Ok::<(), psd2_rules::CatalogueError>(())
/// ```
#[must_use]
pub fn judge_exchanges(rule: RuleId, log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    if !ctx.applies(rule) {
        return Vec::new();
    }
    match judge_for(rule) {
        Some(judge) => judge(log, ctx),
        None => {
            let reason = format!("{rule} has no exchange judge");
            ctx.cannot_judge_all(rule, rule.cases(), &reason)
        }
    }
}

#[cfg(test)]
mod tests {
    use psd2_core::ProfileId;

    use super::*;
    use crate::Outcome;
    use crate::exchange::{Exchange, HttpRequest, HttpResponse, TransportFailure, labels};
    use crate::judge::test_support::{assert_known_cases, catalogue, profile};

    #[test]
    fn a_rule_of_another_profile_yields_nothing() {
        let generic = profile(ProfileId::Generic);
        let ctx = JudgeContext::new(catalogue(), &generic);
        assert!(judge_exchanges(RuleId::StetAc01, &ExchangeLog::new(), &ctx).is_empty());
    }

    #[test]
    fn a_rule_without_judge_is_an_error_per_case() {
        let generic = profile(ProfileId::Generic);
        let ctx = JudgeContext::new(catalogue(), &generic);
        let findings = judge_exchanges(RuleId::CoreRg02, &ExchangeLog::new(), &ctx);
        assert_known_cases(&findings);
        assert_eq!(findings.len(), RuleId::CoreRg02.cases().len());
        assert!(
            findings
                .iter()
                .all(|f| matches!(f.outcome, Outcome::Error { .. }))
        );
    }

    #[test]
    fn every_judge_reports_an_empty_log_as_errors_on_known_cases() {
        let generic = profile(ProfileId::Generic);
        let ctx = JudgeContext::new(catalogue(), &generic);
        for rule in RuleId::ALL
            .into_iter()
            .filter(|rule| has_exchange_judge(*rule))
        {
            let findings = judge_exchanges(rule, &ExchangeLog::new(), &ctx);
            assert!(
                !findings.is_empty(),
                "{rule} said nothing about an empty log"
            );
            assert_known_cases(&findings);
            for finding in findings {
                assert!(
                    matches!(finding.outcome, Outcome::Error { .. }),
                    "{rule}/{} on an empty log: {}",
                    finding.case,
                    finding.outcome
                );
            }
        }
    }

    #[test]
    fn a_tls_alert_passes_only_without_a_certificate() {
        let generic = profile(ProfileId::Generic);
        let ctx = JudgeContext::new(catalogue(), &generic);
        let alert = || TransportFailure::TlsAlert {
            description: "certificate_required".to_owned(),
        };
        let request = HttpRequest::new("POST", "https://as.example/token")
            .with_body("grant_type=refresh_token&refresh_token=r1");
        let without: ExchangeLog = vec![Exchange::new(
            labels::REFRESH_NO_CLIENT_AUTH,
            request.clone(),
            alert(),
        )]
        .into();
        let findings = judge_exchanges(RuleId::CoreRt05, &without, &ctx);
        assert_eq!(findings[0].outcome, Outcome::Pass);
        // With a certificate the scenario broke its promise: not judged.
        let with: ExchangeLog = vec![Exchange::new(
            labels::REFRESH_NO_CLIENT_AUTH,
            request.with_client_certificate("tpp-a"),
            alert(),
        )]
        .into();
        let findings = judge_exchanges(RuleId::CoreRt05, &with, &ctx);
        assert!(matches!(findings[0].outcome, Outcome::Error { .. }));
    }

    #[test]
    fn a_transport_failure_is_an_error_not_a_pass() {
        let generic = profile(ProfileId::Generic);
        let ctx = JudgeContext::new(catalogue(), &generic);
        let log: ExchangeLog = vec![Exchange::new(
            labels::TOKEN_PASSWORD_GRANT,
            HttpRequest::new("POST", "https://as.example/token")
                .with_body("grant_type=password&username=u&password=p"),
            TransportFailure::Timeout,
        )]
        .into();
        let findings = judge_exchanges(RuleId::SecAc04, &log, &ctx);
        assert!(
            matches!(&findings[0].outcome, Outcome::Error { reason } if reason.contains("timeout"))
        );
        let answered: ExchangeLog = vec![Exchange::new(
            labels::TOKEN_PASSWORD_GRANT,
            HttpRequest::new("POST", "https://as.example/token")
                .with_body("grant_type=password&username=u&password=p"),
            HttpResponse::new(200).with_body(r#"{"access_token":"a","token_type":"Bearer"}"#),
        )]
        .into();
        assert_eq!(
            judge_exchanges(RuleId::SecAc04, &answered, &ctx)[0].outcome,
            Outcome::Fail
        );
    }
}
