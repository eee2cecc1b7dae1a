//! Scope at the code exchange: a narrowed grant is reported (CORE-AC-09) and
//! a scope added to the redemption grants nothing more (CORE-AC-10).

use psd2_core::{OAuthErrorCode, ScopeSet};

use super::JudgeContext;
use super::code_exchange::form_value;
use super::read::{Journey, answer_of};
use crate::exchange::{ExchangeLog, labels};
use crate::{Finding, RuleId};

/// The `scope` an authorization journey requested.
fn requested_scope(journey: &Journey<'_>) -> Result<ScopeSet, String> {
    let text = journey
        .request
        .get("scope")
        .ok_or_else(|| format!("the {} request carries no scope", journey.label))?;
    ScopeSet::parse(text).map_err(|error| format!("the {} request scope: {error}", journey.label))
}

/// CORE-AC-09: a narrowed grant is reported in scope.
///
/// Reads [`labels::AUTHORIZE_PARTIAL_GRANT`] (a journey in which the PSU
/// grants strictly less than the `scope` requested) and
/// [`labels::CODE_EXCHANGE_PARTIAL_GRANT`] (its code redeemed). Fails when
/// the token response has no `scope`; a `scope` equal to the request's
/// means the partial grant did not happen, which cannot be judged.
#[must_use]
pub(super) fn core_ac_09(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc09;
    let case = "main";
    let read = Journey::read(log, labels::AUTHORIZE_PARTIAL_GRANT, ctx)
        .and_then(|journey| requested_scope(&journey))
        .and_then(|requested| {
            Ok((
                requested,
                answer_of(log, labels::CODE_EXCHANGE_PARTIAL_GRANT)?,
            ))
        });
    let (requested, (exchange, answer)) = match read {
        Ok(found) => found,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    if !answer.issues_token() {
        return vec![ctx.cannot_judge(
            rule,
            case,
            "the partial grant's code was not redeemed for a token",
        )];
    }
    let evidence = answer
        .evidence(&exchange.label)
        .field("requested scope", requested.to_string());
    if !answer.has_scope_member() {
        return vec![ctx.violation(
            rule,
            case,
            "the token response of a partial grant leaves out scope",
            evidence,
        )];
    }
    match answer.scope() {
        Some(issued) if issued == requested => vec![ctx.cannot_judge(
            rule,
            case,
            "the issued scope equals the requested one: the PSU did not grant less",
        )],
        Some(issued) => vec![ctx.pass_with(
            rule,
            case,
            "the token response reports the narrowed scope",
            evidence.field("scope", issued.to_string()),
        )],
        None => vec![ctx.violation(
            rule,
            case,
            "the token response's scope is not a valid scope list",
            evidence,
        )],
    }
}

/// CORE-AC-10: a scope added at the code exchange grants nothing more.
///
/// Reads [`labels::AUTHORIZE_GRANT`] (its `scope`, fully granted by the PSU,
/// is the consent) and [`labels::CODE_EXCHANGE_WIDER_SCOPE`] (its code
/// redeemed with a `scope` that adds a scope outside the consent).
/// `no-wider-scope` fails when the token response reports a scope beyond the
/// consent (a response without `scope` is read as the consented scope:
/// ignoring the parameter is compliant, RULES.md A-1); `rejection` (MAY)
/// reports a refusal of the added scope as info.
#[must_use]
pub(super) fn core_ac_10(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc10;
    let cases = ["no-wider-scope", "rejection"];
    let read = Journey::read(log, labels::AUTHORIZE_GRANT, ctx)
        .and_then(|journey| requested_scope(&journey))
        .and_then(|consented| {
            let (exchange, answer) = answer_of(log, labels::CODE_EXCHANGE_WIDER_SCOPE)?;
            let asked = form_value(exchange, "scope")
                .and_then(|text| ScopeSet::parse(&text).ok())
                .filter(|asked| !asked.is_subset(&consented))
                .ok_or_else(|| {
                    format!(
                        "the {} request does not ask for a scope beyond the consent",
                        exchange.label
                    )
                })?;
            Ok((consented, asked, exchange, answer))
        });
    let (consented, asked, exchange, answer) = match read {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let evidence = answer
        .evidence(&exchange.label)
        .field("consented scope", consented.to_string())
        .field("scope asked", asked.to_string());
    let mut findings = Vec::new();
    if answer.issues_token() {
        findings.push(match answer.scope() {
            Some(issued) if !issued.is_subset(&consented) => ctx.violation(
                rule,
                "no-wider-scope",
                "the token was issued with a scope beyond the consent",
                evidence.clone().field("scope", issued.to_string()),
            ),
            Some(issued) => ctx.pass_with(
                rule,
                "no-wider-scope",
                "the issued scope stays within the consent",
                evidence.clone().field("scope", issued.to_string()),
            ),
            None => ctx.pass_with(
                rule,
                "no-wider-scope",
                "the token response reports no scope: the added scope was ignored",
                evidence.clone(),
            ),
        });
        findings.push(ctx.pass_with(
            rule,
            "rejection",
            "the AS did not reject the added scope",
            evidence,
        ));
    } else {
        findings.push(ctx.pass_with(
            rule,
            "no-wider-scope",
            "no token was issued for the wider scope",
            evidence.clone(),
        ));
        let rejected = answer.is_error(
            400,
            &[
                OAuthErrorCode::INVALID_SCOPE,
                OAuthErrorCode::INVALID_REQUEST,
            ],
        );
        // Rejecting is the behaviour the catalogue reports (MAY: info).
        findings.push(ctx.violation(
            rule,
            "rejection",
            if rejected {
                "the AS rejected the added scope (RULES.md A-1)"
            } else {
                "the AS refused the redemption with an unexpected answer"
            },
            evidence,
        ));
    }
    findings
}
