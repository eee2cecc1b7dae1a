//! Every judge's messages follow the convention clippy enforces for its
//! lints: they start lower-case and have no final period. The inputs cover
//! passing and violating findings of every judge.

use psd2_core::{ProfileData, ProfileId, Psd2Role, ScopeSet};
use psd2_rules::judge::{self, RoleCheck};
use psd2_rules::{Catalogue, Finding, JudgeContext, Outcome};
use psd2_wire::{FormMessage, TokenRequest};

type TestResult<T> = Result<T, Box<dyn std::error::Error>>;

fn findings_for(profile: ProfileId) -> TestResult<Vec<Finding>> {
    let catalogue = Catalogue::builtin()?;
    let data = ProfileData::defaults(profile);
    let ctx = JudgeContext::new(catalogue, &data);
    let scopes = |text: &str| ScopeSet::parse(text);
    let registered = ["https://tpp.example/cb", "http://127.0.0.1/native"];
    let mut all = Vec::new();
    all.extend(judge::judge_registered_redirect_uris(&registered, &ctx));
    all.extend(judge::judge_registered_redirect_uris(
        &["https://tpp.example/cb#x", "cb", "http://tpp.example/cb"],
        &ctx,
    ));
    for target in [
        "https://tpp.example/cb",
        "http://127.0.0.1:4000/native",
        "https://tpp.example/other?x=1",
        "http://evil.example/cb",
    ] {
        all.extend(judge::judge_redirect_target(target, &registered, &ctx));
    }
    for check in [
        RoleCheck::Authorize,
        RoleCheck::ClientCredentials,
        RoleCheck::Registration,
        RoleCheck::Token,
    ] {
        all.extend(judge::judge_role_scopes(
            check,
            &scopes("aisp pisp cbpii")?,
            &[Psd2Role::PspAi],
            &ctx,
        ));
        all.extend(judge::judge_role_scopes(
            check,
            &scopes("aisp")?,
            &[Psd2Role::PspAi],
            &ctx,
        ));
    }
    all.extend(judge::judge_granted_authorization_scope(
        &scopes("aisp")?,
        &ctx,
    ));
    all.extend(judge::judge_granted_authorization_scope(
        &scopes("extended_transaction_history pisp")?,
        &ctx,
    ));
    all.extend(judge::judge_accepted_authorization_scope(
        &scopes("psd2-ais")?,
        &ctx,
    ));
    all.extend(judge::judge_accepted_authorization_scope(
        &scopes("psd2-ais accounts")?,
        &ctx,
    ));
    for scope in [
        None,
        Some("psd2-ais"),
        Some("a  b"),
        Some("psd2-ais accounts"),
    ] {
        all.extend(judge::judge_connectpay_request_scope(scope, &ctx));
    }
    for body in [
        "grant_type=authorization_code&code=c",
        "grant_type=authorization_code&code=c&scope=aisp",
    ] {
        let request = TokenRequest::decode(body.as_bytes())?;
        all.extend(judge::judge_code_exchange_scope(&request, &ctx));
    }
    Ok(all)
}

#[test]
fn messages_start_lower_case_and_have_no_final_period() -> TestResult<()> {
    let mut checked = 0;
    let mut outcomes = std::collections::BTreeSet::new();
    for profile in ProfileId::ALL {
        for finding in findings_for(profile)? {
            let message = &finding.message;
            let first = message.chars().next();
            assert!(
                first.is_some_and(|c| !c.is_uppercase()),
                "{}/{}: message starts with a capital: {message:?}",
                finding.rule,
                finding.case
            );
            assert!(
                !message.ends_with('.'),
                "{}/{}: final period: {message:?}",
                finding.rule,
                finding.case
            );
            assert!(
                finding.rule.cases().contains(&finding.case),
                "{}/{}",
                finding.rule,
                finding.case
            );
            outcomes.insert(finding.outcome.name());
            checked += 1;
        }
    }
    // The battery reaches passes, failures, warnings and deviations.
    for name in ["pass", "fail", "warn", "deviation"] {
        assert!(outcomes.contains(name), "no {name} finding among {checked}");
    }
    assert!(
        !outcomes.contains(
            Outcome::Error {
                reason: String::new()
            }
            .name()
        ),
        "a judge could not judge"
    );
    Ok(())
}

/// The exchange judges' own messages on passes and violations are checked
/// over every golden transcript (`tests/transcripts.rs`); this covers the
/// messages they give when they cannot judge: an empty log, a log whose
/// every request failed in transport.
#[test]
fn exchange_judges_explain_what_they_could_not_judge_in_the_same_style() -> TestResult<()> {
    use psd2_rules::RuleId;
    use psd2_rules::exchange::{Exchange, ExchangeLog, HttpRequest, TransportFailure, labels};
    use psd2_rules::judge::{has_exchange_judge, judge_exchanges};

    let catalogue = Catalogue::builtin()?;
    let data = ProfileData::defaults(ProfileId::Generic);
    let ctx = JudgeContext::new(catalogue, &data);
    let failed: ExchangeLog = labels::ALL
        .iter()
        .map(|label| {
            Exchange::new(
                format!("{label}x"),
                HttpRequest::new("GET", "https://as.example/"),
                TransportFailure::Timeout,
            )
        })
        .chain(labels::ALL.iter().map(|label| {
            Exchange::new(
                *label,
                HttpRequest::new("POST", "https://as.example/token")
                    .with_body("grant_type=refresh_token&refresh_token=r"),
                TransportFailure::ConnectionReset,
            )
        }))
        .collect();
    let mut checked = 0;
    for log in [ExchangeLog::new(), failed] {
        for rule in RuleId::ALL
            .into_iter()
            .filter(|rule| has_exchange_judge(*rule))
        {
            for finding in judge_exchanges(rule, &log, &ctx) {
                let message = &finding.message;
                assert!(
                    message.chars().next().is_some_and(|c| !c.is_uppercase())
                        && !message.ends_with('.'),
                    "{rule}/{}: {message:?}",
                    finding.case
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} findings");
    Ok(())
}
