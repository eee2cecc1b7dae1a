//! RFC 9700 rules at the token endpoint: PKCE enforced (SEC-AC-01), no PKCE
//! downgrade (SEC-AC-02), no resource owner password grant (SEC-AC-04).

use psd2_core::OAuthErrorCode;

use super::JudgeContext;
use super::code_exchange::{error_format, form_value, no_token};
use super::read::{Journey, answer_of};
use crate::exchange::{ExchangeLog, labels};
use crate::{Finding, RuleId};

/// SEC-AC-01: PKCE is enforced.
///
/// Reads [`labels::AUTHORIZE_PKCE`] (a grant whose request carries
/// `code_challenge` with `code_challenge_method=S256`),
/// [`labels::CODE_EXCHANGE_NO_VERIFIER`] (a code of such a journey redeemed
/// without `code_verifier`) and [`labels::CODE_EXCHANGE_WRONG_VERIFIER`]
/// (one redeemed with a wrong `code_verifier`; use a second code, since a
/// refused attempt may burn the first). `no-token` fails on any token (a
/// server without PKCE fails here); `wrong-verifier-error` unless the wrong
/// verifier gets `invalid_grant`; `error-format` (SHOULD) unless both are
/// 400 with `invalid_grant` (or `invalid_request` for the missing verifier).
#[must_use]
pub(super) fn sec_ac_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAc01;
    let all = ["no-token", "wrong-verifier-error", "error-format"];
    let journey = match Journey::read(log, labels::AUTHORIZE_PKCE, ctx) {
        Ok(journey) => journey,
        Err(reason) => return ctx.cannot_judge_all(rule, &all, &reason),
    };
    if journey.request.get("code_challenge").is_none()
        || journey.request.get("code_challenge_method") != Some("S256")
    {
        return ctx.cannot_judge_all(
            rule,
            &all,
            "the authorization request carries no S256 code_challenge",
        );
    }
    let mut findings = Vec::new();
    let missing =
        answer_of(log, labels::CODE_EXCHANGE_NO_VERIFIER).and_then(|(exchange, answer)| {
            match form_value(exchange, "code_verifier") {
                Some(_) => Err(format!(
                    "the {} request carries code_verifier",
                    exchange.label
                )),
                None => Ok(answer),
            }
        });
    match missing {
        Ok(answer) => {
            findings.push(no_token(
                rule,
                "no-token",
                labels::CODE_EXCHANGE_NO_VERIFIER,
                &answer,
                ctx,
            ));
            findings.push(error_format(
                rule,
                "error-format",
                labels::CODE_EXCHANGE_NO_VERIFIER,
                &answer,
                &[
                    (400, OAuthErrorCode::INVALID_GRANT),
                    (400, OAuthErrorCode::INVALID_REQUEST),
                ],
                ctx,
            ));
        }
        Err(reason) => {
            findings.extend(ctx.cannot_judge_all(rule, &["no-token", "error-format"], &reason))
        }
    }
    let wrong =
        answer_of(log, labels::CODE_EXCHANGE_WRONG_VERIFIER).and_then(|(exchange, answer)| {
            match form_value(exchange, "code_verifier") {
                Some(_) => Ok(answer),
                None => Err(format!(
                    "the {} request carries no code_verifier",
                    exchange.label
                )),
            }
        });
    match wrong {
        Ok(answer) => {
            let label = labels::CODE_EXCHANGE_WRONG_VERIFIER;
            findings.push(no_token(rule, "no-token", label, &answer, ctx));
            let invalid_grant = answer.error() == Some(OAuthErrorCode::INVALID_GRANT);
            findings.push(ctx.verdict(
                rule,
                "wrong-verifier-error",
                invalid_grant,
                if invalid_grant {
                    "the wrong code_verifier got invalid_grant"
                } else {
                    "the wrong code_verifier did not get invalid_grant"
                },
                answer.evidence(label),
            ));
            findings.push(error_format(
                rule,
                "error-format",
                label,
                &answer,
                &[(400, OAuthErrorCode::INVALID_GRANT)],
                ctx,
            ));
        }
        Err(reason) => findings.extend(ctx.cannot_judge_all(rule, &all, &reason)),
    }
    findings
}

/// SEC-AC-02: no PKCE downgrade.
///
/// Reads [`labels::AUTHORIZE_GRANT`] (a grant whose request carries no
/// `code_challenge`) and [`labels::CODE_EXCHANGE_UNEXPECTED_VERIFIER`] (its
/// code redeemed with a `code_verifier`). Fails when a token is issued.
#[must_use]
pub(super) fn sec_ac_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAc02;
    let case = "main";
    let label = labels::CODE_EXCHANGE_UNEXPECTED_VERIFIER;
    let read = Journey::read(log, labels::AUTHORIZE_GRANT, ctx).and_then(|journey| {
        if journey.request.get("code_challenge").is_some() {
            return Err("the authorization request carries a code_challenge".to_owned());
        }
        let (exchange, answer) = answer_of(log, label)?;
        if form_value(exchange, "code_verifier").is_none() {
            return Err(format!("the {label} request carries no code_verifier"));
        }
        Ok(answer)
    });
    match read {
        Ok(answer) => vec![no_token(rule, case, label, &answer, ctx)],
        Err(reason) => vec![ctx.cannot_judge(rule, case, reason)],
    }
}

/// SEC-AC-04: no resource owner password grant.
///
/// Reads [`labels::TOKEN_PASSWORD_GRANT`]: `grant_type=password` with the
/// PSU's credentials, the client authenticated as usual. Fails when a token
/// is issued.
#[must_use]
pub(super) fn sec_ac_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAc04;
    let case = "main";
    let label = labels::TOKEN_PASSWORD_GRANT;
    let read = answer_of(log, label).and_then(|(exchange, answer)| {
        if form_value(exchange, "grant_type").as_deref() != Some("password") {
            return Err(format!("the {label} request is not grant_type=password"));
        }
        Ok(answer)
    });
    match read {
        Ok(answer) => vec![no_token(rule, case, label, &answer, ctx)],
        Err(reason) => vec![ctx.cannot_judge(rule, case, reason)],
    }
}
