//! RFC 7009 revocation: refresh tokens stop working (CORE-RV-01) with their
//! access tokens (CORE-RV-02), access tokens stop working (CORE-RV-03),
//! unknown tokens and hints cause no error (CORE-RV-04), no client revokes
//! another's token (CORE-RV-05), and revocation needs client authentication
//! (CORE-RV-06).

use psd2_core::OAuthErrorCode;

use super::JudgeContext;
use super::code_exchange::{form_value, same_access_token, still_works};
use super::read::{
    Fate, ResourceAnswer, TokenAnswer, answer_of, exchange_of, fate_without_credentials,
    is_token_request, request_form, response_of,
};
use crate::exchange::{Exchange, ExchangeLog, labels};
use crate::{Evidence, Finding, RuleId};

/// A revocation request's `token` and its answer.
fn revocation_of<'a>(
    log: &'a ExchangeLog,
    label: &str,
) -> Result<(&'a Exchange, TokenAnswer<'a>), String> {
    let (exchange, answer) = answer_of(log, label)?;
    if request_form(exchange)?.get("token").is_none() {
        return Err(format!("the {label} request carries no token"));
    }
    Ok((exchange, answer))
}

/// `None` when the refresh request `refresh` uses the token revoked by
/// `revocation`.
fn uses_revoked_token(revocation: &Exchange, refresh: &Exchange) -> Option<String> {
    let revoked = form_value(revocation, "token");
    (revoked.is_none() || revoked != form_value(refresh, "refresh_token")).then(|| {
        format!(
            "the {} request does not use the token revoked by {}",
            refresh.label, revocation.label
        )
    })
}

/// Whether a token still worked in a later request: a refresh that issued a
/// token, or a resource call that was served. `Err` when the answer cannot
/// tell (a 5xx, a transport failure): a server that fails proves nothing
/// about the token.
fn token_worked(exchange: &Exchange) -> Result<(bool, Evidence), String> {
    let Some(response) = exchange.response() else {
        return Err(super::read::transport_reason(exchange));
    };
    if response.status >= 500 {
        return Err(format!(
            "the {} request got {}",
            exchange.label, response.status
        ));
    }
    if is_token_request(exchange) {
        let answer = TokenAnswer::new(response);
        return Ok((answer.issues_token(), answer.evidence(&exchange.label)));
    }
    let answer = ResourceAnswer::new(response);
    if answer.served() || (400..500).contains(&response.status) {
        return Ok((answer.served(), answer.evidence(&exchange.label)));
    }
    Err(format!(
        "the {} request got {}",
        exchange.label, response.status
    ))
}

/// CORE-RV-01: a revoked refresh token stops working.
///
/// Reads [`labels::REVOKE_REFRESH_TOKEN`] (revocation of a valid refresh
/// token) for `status-200`, and [`labels::REFRESH_AFTER_REVOCATION`] (a
/// refresh with that same token) for `refresh-fails`, which fails when a
/// token is issued.
#[must_use]
pub(super) fn core_rv_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRv01;
    let (revocation, revoked) = match revocation_of(log, labels::REVOKE_REFRESH_TOKEN) {
        Ok(found) => found,
        Err(reason) => {
            return ctx.cannot_judge_all(rule, &["status-200", "refresh-fails"], &reason);
        }
    };
    let ok = revoked.response.status == 200;
    let mut findings = vec![ctx.verdict(
        rule,
        "status-200",
        ok,
        if ok {
            "the revocation answered 200"
        } else {
            "the revocation of a valid refresh token did not answer 200"
        },
        revoked.evidence(&revocation.label),
    )];
    let later = answer_of(log, labels::REFRESH_AFTER_REVOCATION).and_then(|(exchange, answer)| {
        match uses_revoked_token(revocation, exchange) {
            Some(reason) => Err(reason),
            None => Ok(answer),
        }
    });
    findings.push(match later {
        Ok(answer) => {
            let issued = answer.issues_token();
            ctx.verdict(
                rule,
                "refresh-fails",
                !issued,
                if issued {
                    "the revoked refresh token still issued a token"
                } else {
                    "the revoked refresh token no longer works"
                },
                answer.evidence(labels::REFRESH_AFTER_REVOCATION),
            )
        }
        Err(reason) => ctx.cannot_judge(rule, "refresh-fails", reason),
    });
    findings
}

/// CORE-RV-02: revoking a refresh token revokes its access tokens.
///
/// Reads [`labels::REVOKE_REFRESH_TOKEN`] (which must answer 200),
/// [`labels::CODE_EXCHANGE`] (the grant whose tokens these are) and
/// [`labels::RESOURCE_AFTER_REFRESH_REVOCATION`] (a resource call with the
/// grant's access token after the revocation and the propagation delay).
/// Fails (SHOULD: warn) when the resource still serves data.
#[must_use]
pub(super) fn core_rv_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRv02;
    let case = "main";
    let read = revocation_of(log, labels::REVOKE_REFRESH_TOKEN).and_then(|(_, revoked)| {
        if revoked.response.status != 200 {
            return Err("the refresh token revocation was not answered 200".to_owned());
        }
        let (_, grant) = answer_of(log, labels::CODE_EXCHANGE)?;
        let (exchange, response) = response_of(log, labels::RESOURCE_AFTER_REFRESH_REVOCATION)?;
        match same_access_token(&grant, exchange) {
            Some(reason) => Err(reason),
            None => Ok((exchange, response)),
        }
    });
    match read {
        Ok((exchange, response)) => vec![still_works(
            rule,
            case,
            &ResourceAnswer::new(response),
            &exchange.label,
            (
                "an access token of the grant still works after its refresh token was revoked",
                "the grant's access token was refused after the refresh token was revoked",
            ),
            ctx,
        )],
        Err(reason) => vec![ctx.cannot_judge(rule, case, reason)],
    }
}

/// CORE-RV-03: a revoked access token stops working.
///
/// Reads [`labels::REVOKE_ACCESS_TOKEN`] (revocation of the access token of
/// [`labels::CODE_EXCHANGE`]), [`labels::RESOURCE_AFTER_ACCESS_REVOCATION`]
/// (a resource call with it, sent at least the profile's
/// `revocation_propagation_delay` after the revocation: checked when the log
/// has timings) and [`labels::REFRESH_AFTER_ACCESS_REVOCATION`] (a refresh
/// with the grant's refresh token). `access-token-revoked` passes on 400
/// `unsupported_token_type` (RFC 7009 §2.2.1), and after a 200 fails when
/// the resource still serves data; `refresh-also-revoked` (MAY) reports
/// whether the refresh token died too.
#[must_use]
pub(super) fn core_rv_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRv03;
    let cases = ["access-token-revoked", "refresh-also-revoked"];
    let read = revocation_of(log, labels::REVOKE_ACCESS_TOKEN).and_then(|(revocation, answer)| {
        let (_, grant) = answer_of(log, labels::CODE_EXCHANGE)?;
        let token = grant
            .decoded()
            .map_err(|error| format!("the code exchange response does not decode: {error}"))?
            .access_token;
        let sent = form_value(revocation, "token").unwrap_or_default();
        if !token.ct_eq(sent.as_bytes()) {
            return Err("the revocation does not send the code exchange's access token".to_owned());
        }
        Ok((revocation, answer, grant))
    });
    let (revocation, answer, grant) = match read {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let mut findings = Vec::new();
    let status = answer.response.status;
    if answer.is_error(400, &[OAuthErrorCode::UNSUPPORTED_TOKEN_TYPE]) {
        findings.push(ctx.pass_with(
            rule,
            "access-token-revoked",
            "the AS does not revoke access tokens and says so with unsupported_token_type",
            answer.evidence(&revocation.label),
        ));
    } else if status == 200 {
        findings.push(access_token_refused(rule, revocation, &grant, log, ctx));
    } else {
        findings.push(ctx.cannot_judge(
            rule,
            "access-token-revoked",
            format!("the access token revocation got {status}"),
        ));
    }
    findings.push(
        match exchange_of(log, labels::REFRESH_AFTER_ACCESS_REVOCATION).and_then(token_worked) {
            Ok((worked, evidence)) => ctx.info(
                rule,
                "refresh-also-revoked",
                if worked {
                    "the refresh token of the grant was not revoked with the access token"
                } else {
                    "the refresh token of the grant was revoked with the access token"
                },
                evidence,
            ),
            Err(reason) => ctx.cannot_judge(rule, "refresh-also-revoked", reason),
        },
    );
    findings
}

fn access_token_refused(
    rule: RuleId,
    revocation: &Exchange,
    grant: &TokenAnswer<'_>,
    log: &ExchangeLog,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let case = "access-token-revoked";
    let (exchange, response) = match response_of(log, labels::RESOURCE_AFTER_ACCESS_REVOCATION) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge(rule, case, reason),
    };
    if let Some(reason) = same_access_token(grant, exchange) {
        return ctx.cannot_judge(rule, case, reason);
    }
    let delay = ctx.profile().revocation_propagation_delay;
    if let (Some(revoked_at), Some(used_at)) = (revocation.sent_at, exchange.sent_at)
        && used_at.saturating_sub(revoked_at) < delay
    {
        return ctx.cannot_judge(
            rule,
            case,
            format!(
                "the resource call came {}s after the revocation, within the propagation delay of {}s",
                used_at.saturating_sub(revoked_at).as_secs(),
                delay.as_secs()
            ),
        );
    }
    still_works(
        rule,
        case,
        &ResourceAnswer::new(response),
        &exchange.label,
        (
            "the access token still works after the AS answered 200 to its revocation",
            "the revoked access token is refused",
        ),
        ctx,
    )
}

/// The revocation was answered 200 and the later refresh failed.
fn hint_case(
    rule: RuleId,
    case: &'static str,
    (revoke_label, refresh_label, hint_ok): (&str, &str, fn(&str) -> bool),
    log: &ExchangeLog,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let read = revocation_of(log, revoke_label).and_then(|(revocation, revoked)| {
        let hint = form_value(revocation, "token_type_hint").unwrap_or_default();
        if !hint_ok(&hint) {
            return Err(format!(
                "the {revoke_label} request does not carry the hint its label says"
            ));
        }
        let (refresh, later) = answer_of(log, refresh_label)?;
        if let Some(reason) = uses_revoked_token(revocation, refresh) {
            return Err(reason);
        }
        Ok((revoked, later))
    });
    let (revoked, later) = match read {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge(rule, case, reason),
    };
    let mut evidence = revoked.evidence(revoke_label);
    evidence.extend(later.evidence(refresh_label));
    if revoked.response.status != 200 {
        return ctx.violation(
            rule,
            case,
            "the revocation with a hint was not answered 200",
            evidence,
        );
    }
    ctx.verdict(
        rule,
        case,
        !later.issues_token(),
        if later.issues_token() {
            "the refresh token was not revoked because of the hint"
        } else {
            "the refresh token was revoked despite the hint"
        },
        evidence,
    )
}

/// CORE-RV-04: invalid tokens and hints do not cause errors.
///
/// Reads [`labels::REVOKE_UNKNOWN_TOKEN`] (a random token: `unknown-token-200`
/// fails unless 200), [`labels::REVOKE_HINT_ACCESS_TOKEN`] with
/// [`labels::REFRESH_AFTER_HINT_ACCESS_TOKEN`] (`hint-access-token`) and
/// [`labels::REVOKE_HINT_UNKNOWN`] with [`labels::REFRESH_AFTER_HINT_UNKNOWN`]
/// (`hint-unknown`): a valid refresh token revoked with the hint, then used;
/// each fails unless the revocation answers 200 and the refresh issues no
/// token.
#[must_use]
pub(super) fn core_rv_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRv04;
    let mut findings = vec![match revocation_of(log, labels::REVOKE_UNKNOWN_TOKEN) {
        Ok((exchange, answer)) => {
            let ok = answer.response.status == 200;
            ctx.verdict(
                rule,
                "unknown-token-200",
                ok,
                if ok {
                    "the revocation of an unknown token answered 200"
                } else {
                    "the revocation of an unknown token did not answer 200"
                },
                answer.evidence(&exchange.label),
            )
        }
        Err(reason) => ctx.cannot_judge(rule, "unknown-token-200", reason),
    }];
    findings.push(hint_case(
        rule,
        "hint-access-token",
        (
            labels::REVOKE_HINT_ACCESS_TOKEN,
            labels::REFRESH_AFTER_HINT_ACCESS_TOKEN,
            |hint| hint == "access_token",
        ),
        log,
        ctx,
    ));
    findings.push(hint_case(
        rule,
        "hint-unknown",
        (
            labels::REVOKE_HINT_UNKNOWN,
            labels::REFRESH_AFTER_HINT_UNKNOWN,
            |hint| !hint.is_empty() && hint != "access_token" && hint != "refresh_token",
        ),
        log,
        ctx,
    ));
    findings
}

/// CORE-RV-05: a client cannot revoke another client's token.
///
/// Reads [`labels::REVOKE_OTHER_CLIENT`] (the second client, with its own
/// credentials, revokes a token of the main client) and
/// [`labels::USE_AFTER_OTHER_CLIENT_REVOCATION`] (the main client then uses
/// it: a refresh, or a resource call). `not-revoked` fails when the token no
/// longer works; `status` reports the revocation's status as info (RULES.md
///
#[must_use]
pub(super) fn core_rv_05(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRv05;
    let (revocation, answer) = match revocation_of(log, labels::REVOKE_OTHER_CLIENT) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &["not-revoked", "status"], &reason),
    };
    let used = exchange_of(log, labels::USE_AFTER_OTHER_CLIENT_REVOCATION).and_then(token_worked);
    vec![
        match used {
            Ok((worked, evidence)) => ctx.verdict(
                rule,
                "not-revoked",
                worked,
                if worked {
                    "the main client's token still works"
                } else {
                    "another client revoked the main client's token"
                },
                evidence,
            ),
            Err(reason) => ctx.cannot_judge(rule, "not-revoked", reason),
        },
        ctx.info(
            rule,
            "status",
            format!(
                "the revocation by another client was answered {}",
                answer.response.status
            ),
            answer.evidence(&revocation.label),
        ),
    ]
}

/// CORE-RV-06: revocation requires client authentication.
///
/// Reads [`labels::REVOKE_NO_CLIENT_AUTH`] (a revocation of a valid token
/// with no client authentication at all; a TLS handshake refusing it is
/// fine) and [`labels::USE_AFTER_UNAUTHENTICATED_REVOCATION`] (the token
/// used afterwards: a refresh, or a resource call). Fails when the token no
/// longer works.
#[must_use]
pub(super) fn core_rv_06(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRv06;
    let case = "main";
    let mut evidence = match fate_without_credentials(log, labels::REVOKE_NO_CLIENT_AUTH) {
        Ok(Fate::Answered(exchange, response)) => {
            TokenAnswer::new(response).evidence(&exchange.label)
        }
        Ok(Fate::RefusedByHandshake(exchange, failure)) => Evidence::new()
            .field("exchange", exchange.label.clone())
            .field("transport", failure.to_string()),
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    match exchange_of(log, labels::USE_AFTER_UNAUTHENTICATED_REVOCATION).and_then(token_worked) {
        Ok((worked, used)) => {
            evidence.extend(used);
            vec![ctx.verdict(
                rule,
                case,
                worked,
                if worked {
                    "the token survived an unauthenticated revocation"
                } else {
                    "an unauthenticated request revoked the token"
                },
                evidence,
            )]
        }
        Err(reason) => vec![ctx.cannot_judge(rule, case, reason)],
    }
}
