//! How the token endpoint treats an authorization code: once only
//! (CORE-AC-01, -02), not after it expired (CORE-AC-03), only for its client
//! (CORE-AC-04) and with its redirect URI (CORE-AC-05).

use std::time::Duration;

use psd2_core::OAuthErrorCode;

use super::JudgeContext;
use super::read::{
    ResourceAnswer, TokenAnswer, answer_of, bearer_token, request_form, response_of,
    transport_reason,
};
use crate::exchange::{Exchange, ExchangeLog, labels};
use crate::{Finding, RuleId};

/// The `no-token` verdict on one answer.
pub(super) fn no_token(
    rule: RuleId,
    case: &'static str,
    label: &str,
    answer: &TokenAnswer<'_>,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let issued = answer.issues_token();
    ctx.verdict(
        rule,
        case,
        !issued,
        if issued {
            format!("the {label} request was answered with a token")
        } else {
            format!("the {label} request got no token")
        },
        answer.evidence(label),
    )
}

/// The `error-format` verdict on one answer: one of the (status, error)
/// pairs expected.
pub(super) fn error_format(
    rule: RuleId,
    case: &'static str,
    label: &str,
    answer: &TokenAnswer<'_>,
    expected: &[(u16, OAuthErrorCode)],
    ctx: &JudgeContext<'_>,
) -> Finding {
    let held = expected
        .iter()
        .any(|(status, error)| answer.is_error(*status, std::slice::from_ref(error)));
    let names: Vec<String> = expected
        .iter()
        .map(|(status, error)| format!("{status} {error}"))
        .collect();
    ctx.verdict(
        rule,
        case,
        held,
        if held {
            format!("the {label} refusal is {}", names.join(" or "))
        } else {
            format!("the {label} answer is not {}", names.join(" or "))
        },
        answer.evidence(label),
    )
}

/// Refused attempts of one rule, each read as `Ok(answer)` or the reason it
/// could not be: a read attempt judges its own `no-token-*` case and
/// `error-format` (one of `expected`); an unread one leaves only its own
/// case unjudged (it may need what the target lacks, and the plan skips
/// that case), so `error-format` is unjudged only when no attempt was read.
pub(super) fn refused_attempts<'a>(
    rule: RuleId,
    attempts: impl IntoIterator<Item = (&'static str, &'a str, Result<TokenAnswer<'a>, String>)>,
    expected: &[(u16, OAuthErrorCode)],
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut formats = Vec::new();
    let mut missing = Vec::new();
    for (case, label, read) in attempts {
        match read {
            Ok(answer) => {
                findings.push(no_token(rule, case, label, &answer, ctx));
                formats.push(error_format(
                    rule,
                    "error-format",
                    label,
                    &answer,
                    expected,
                    ctx,
                ));
            }
            Err(reason) => {
                findings.push(ctx.cannot_judge(rule, case, reason.clone()));
                missing.push(reason);
            }
        }
    }
    if formats.is_empty() {
        findings.push(ctx.cannot_judge(rule, "error-format", missing.join("; ")));
    }
    findings.extend(formats);
    findings
}

/// The value of a form parameter of a request, for consistency checks
/// between steps (never quoted).
pub(super) fn form_value(exchange: &Exchange, name: &str) -> Option<String> {
    request_form(exchange).ok()?.get(name).map(str::to_owned)
}

/// CORE-AC-01: an authorization code is used once.
///
/// Reads [`labels::CODE_EXCHANGE`] (a normal redemption, which must issue a
/// token) and [`labels::CODE_REPLAY`] (the same `code` redeemed again).
/// `no-token` fails when the replay is answered with an `access_token`,
/// `error-format` (SHOULD) unless it is 400 with `error=invalid_grant`.
#[must_use]
pub(super) fn core_ac_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc01;
    let cases = ["no-token", "error-format"];
    let read = answer_of(log, labels::CODE_EXCHANGE).and_then(|first| {
        let replay = answer_of(log, labels::CODE_REPLAY)?;
        Ok((first, replay))
    });
    let ((first_exchange, first), (replay_exchange, replay)) = match read {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    if !first.issues_token() {
        return ctx.cannot_judge_all(rule, &cases, "the first redemption issued no token");
    }
    let first_code = form_value(first_exchange, "code");
    if first_code.is_none() || first_code != form_value(replay_exchange, "code") {
        return ctx.cannot_judge_all(
            rule,
            &cases,
            "the replay does not send the code of the first redemption",
        );
    }
    vec![
        no_token(rule, "no-token", labels::CODE_REPLAY, &replay, ctx),
        error_format(
            rule,
            "error-format",
            labels::CODE_REPLAY,
            &replay,
            &[(400, OAuthErrorCode::INVALID_GRANT)],
            ctx,
        ),
    ]
}

/// CORE-AC-02: tokens of a replayed code are revoked.
///
/// Reads [`labels::CODE_EXCHANGE`] (which issued an access token),
/// [`labels::CODE_REPLAY`] and [`labels::RESOURCE_AFTER_CODE_REPLAY`] (a
/// resource call after the replay, bearing the first redemption's access
/// token). Fails (SHOULD: warn) when the resource still serves data.
#[must_use]
pub(super) fn core_ac_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc02;
    let case = "main";
    let read = answer_of(log, labels::CODE_EXCHANGE).and_then(|(_, first)| {
        response_of(log, labels::CODE_REPLAY)?;
        let resource = response_of(log, labels::RESOURCE_AFTER_CODE_REPLAY)?;
        Ok((first, resource))
    });
    let (first, (resource_exchange, resource)) = match read {
        Ok(found) => found,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    if let Some(reason) = same_access_token(&first, resource_exchange) {
        return vec![ctx.cannot_judge(rule, case, reason)];
    }
    vec![still_works(
        rule,
        case,
        &ResourceAnswer::new(resource),
        &resource_exchange.label,
        (
            "the first redemption's token still works after the replay",
            "the first redemption's token was refused after the replay",
        ),
        ctx,
    )]
}

/// `None` when the resource request bears the access token of `answer`,
/// the reason otherwise.
pub(super) fn same_access_token(answer: &TokenAnswer<'_>, resource: &Exchange) -> Option<String> {
    let token = match answer.decoded() {
        Ok(decoded) => decoded.access_token,
        Err(error) => return Some(format!("the token response does not decode: {error}")),
    };
    match bearer_token(&resource.request) {
        Some(bearer) if token.ct_eq(bearer.as_bytes()) => None,
        _ => Some(format!(
            "the {} request does not bear the access token it must use",
            resource.label
        )),
    }
}

/// A resource answer to a token that should no longer work: served is a
/// violation, a 4xx a pass, anything else undecidable.
pub(super) fn still_works(
    rule: RuleId,
    case: &'static str,
    answer: &ResourceAnswer<'_>,
    label: &str,
    (served, refused): (&str, &str),
    ctx: &JudgeContext<'_>,
) -> Finding {
    let evidence = answer.evidence(label);
    if answer.served() {
        return ctx.violation(rule, case, served, evidence);
    }
    if (400..500).contains(&answer.response.status) {
        return ctx.pass_with(rule, case, refused, evidence);
    }
    ctx.cannot_judge(
        rule,
        case,
        format!("the {label} request got {}", answer.response.status),
    )
}

/// The seconds by which the server's clock was moved between two positions
/// of the log: the `advance_secs` of every [`labels::CLOCK_PREFIX`]
/// exchange in between answered 2xx (the harness's `clock_control`).
fn clock_advanced(exchanges: &[Exchange]) -> Result<u64, String> {
    let mut total: u64 = 0;
    for exchange in exchanges
        .iter()
        .filter(|exchange| exchange.label.starts_with(labels::CLOCK_PREFIX))
    {
        let Some(response) = exchange.response() else {
            return Err(format!(
                "the clock advance {} failed: {}",
                exchange.label,
                transport_reason(exchange)
            ));
        };
        if !response.is_success() {
            return Err(format!(
                "the clock advance {} was refused with {}",
                exchange.label, response.status
            ));
        }
        let seconds = request_form(exchange)?
            .get("advance_secs")
            .and_then(|value| value.parse::<u64>().ok())
            .ok_or_else(|| {
                format!(
                    "the clock advance {} carries no whole advance_secs",
                    exchange.label
                )
            })?;
        total = total.saturating_add(seconds);
    }
    Ok(total)
}

/// CORE-AC-03: authorization codes expire.
///
/// Reads [`labels::CODE_EXCHANGE_EXPIRED`]: a code redeemed when it is older
/// than the profile's `code_ttl_max`. Its age counts from the last exchange
/// of [`labels::AUTHORIZE_GRANT`] (the code's issue): the real time between
/// the two `sent_at` when the log has timings, plus the `advance_secs` of
/// the [`labels::CLOCK_PREFIX`] exchanges logged in between (the server's
/// clock moved by `clock_control`). Error when that age is known and not
/// past `code_ttl_max`, or a clock advance in between failed. Fails
/// (SHOULD: warn) when a token is issued.
#[must_use]
pub(super) fn core_ac_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc03;
    let case = "main";
    let (exchange, answer) = match answer_of(log, labels::CODE_EXCHANGE_EXPIRED) {
        Ok(found) => found,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let ttl = ctx.profile().code_ttl_max;
    let exchanges = log.exchanges();
    let issue = exchanges
        .iter()
        .rposition(|e| e.label == labels::AUTHORIZE_GRANT);
    let redemption = exchanges
        .iter()
        .rposition(|e| e.label == labels::CODE_EXCHANGE_EXPIRED)
        .unwrap_or(exchanges.len());
    let between = match issue {
        Some(issue) if issue < redemption => &exchanges[issue + 1..redemption],
        _ => &exchanges[..redemption],
    };
    let advanced = match clock_advanced(between) {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let elapsed = issue
        .and_then(|issue| exchanges[issue].sent_at)
        .zip(exchange.sent_at)
        .map(|(issued, redeemed)| redeemed.saturating_sub(issued));
    // Without timings the real wait is unknown: a clock advance past the
    // lifetime proves the age, otherwise the label's promise is trusted.
    let age = match elapsed {
        Some(elapsed) => Some(elapsed.saturating_add(advanced)),
        None => (advanced > ttl).then_some(advanced),
    };
    if let Some(age) = age
        && age <= ttl
    {
        return vec![ctx.cannot_judge(
            rule,
            case,
            format!(
                "the code was redeemed {}s after it was issued ({}s of them by clock advances), within code_ttl_max ({}s)",
                age.as_secs(),
                advanced.as_secs(),
                ttl.as_secs()
            ),
        )];
    }
    let issued = answer.issues_token();
    let mut evidence = answer
        .evidence(&exchange.label)
        .field("code_ttl_max", format!("{}s", ttl.as_secs()));
    if let Some(age) = age {
        evidence = evidence.field("code age", format!("{}s", age.as_secs()));
    }
    if !advanced.is_zero() {
        evidence = evidence.field("clock advanced", format!("{}s", advanced.as_secs()));
    }
    vec![ctx.verdict(
        rule,
        case,
        !issued,
        if issued {
            "a code older than code_ttl_max was redeemed for a token"
        } else {
            "a code older than code_ttl_max was refused"
        },
        evidence,
    )]
}

/// CORE-AC-04: a code is bound to the client it was issued to.
///
/// Reads [`labels::CODE_EXCHANGE_OTHER_CLIENT`]: the main client's code
/// redeemed with the second client's valid credentials. `no-token` fails on
/// a token; `error-format` (SHOULD) expects 400 `invalid_grant` or 401
/// `invalid_client`.
#[must_use]
pub(super) fn core_ac_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc04;
    let label = labels::CODE_EXCHANGE_OTHER_CLIENT;
    let (_, answer) = match answer_of(log, label) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &["no-token", "error-format"], &reason),
    };
    vec![
        no_token(rule, "no-token", label, &answer, ctx),
        error_format(
            rule,
            "error-format",
            label,
            &answer,
            &[
                (400, OAuthErrorCode::INVALID_GRANT),
                (401, OAuthErrorCode::INVALID_CLIENT),
            ],
            ctx,
        ),
    ]
}

/// CORE-AC-05: the redirect_uri of the code exchange must match.
///
/// Reads [`labels::CODE_EXCHANGE_REDIRECT_URI_OMITTED`] (no `redirect_uri`)
/// for `no-token-omitted` and [`labels::CODE_EXCHANGE_REDIRECT_URI_DIFFERENT`]
/// (another `redirect_uri`) for `no-token-different`, each redeeming a code
/// whose authorization request carried `redirect_uri`. Each fails on a
/// token; `error-format` (SHOULD) expects 400 `invalid_grant` for each
/// attempt made (the different-URI one needs `query_redirect_uri`).
#[must_use]
pub(super) fn core_ac_05(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc05;
    let attempts = [
        (
            "no-token-omitted",
            labels::CODE_EXCHANGE_REDIRECT_URI_OMITTED,
            false,
        ),
        (
            "no-token-different",
            labels::CODE_EXCHANGE_REDIRECT_URI_DIFFERENT,
            true,
        ),
    ];
    let reads = attempts.map(|(case, label, carries_redirect_uri)| {
        let read = answer_of(log, label).and_then(|(exchange, answer)| {
            if form_value(exchange, "redirect_uri").is_some() != carries_redirect_uri {
                return Err(format!(
                    "the {label} request must {}carry redirect_uri",
                    if carries_redirect_uri { "" } else { "not " }
                ));
            }
            Ok(answer)
        });
        (case, label, read)
    });
    // The different-URI attempt needs a second registered URI.
    refused_attempts(rule, reads, &[(400, OAuthErrorCode::INVALID_GRANT)], ctx)
}
