//! The refresh_token grant: bound to its client (CORE-RT-01), no wider
//! scope (CORE-RT-02, -03), invalid tokens refused (CORE-RT-04), client
//! authentication required (CORE-RT-05).

use psd2_core::{OAuthErrorCode, ScopeSet};

use super::JudgeContext;
use super::code_exchange::{
    error_format, form_value, no_token, refused_attempts, same_access_token,
};
use super::read::{
    Fate, Journey, ResourceAnswer, TokenAnswer, answer_of, fate_without_credentials, response_of,
};
use crate::exchange::{Exchange, ExchangeLog, labels};
use crate::{Evidence, Finding, RuleId};

/// Checks that an exchange is a refresh request.
fn refresh_request<'a>(
    found: (&'a Exchange, TokenAnswer<'a>),
) -> Result<(&'a Exchange, TokenAnswer<'a>), String> {
    let (exchange, _) = &found;
    if form_value(exchange, "grant_type").as_deref() != Some("refresh_token") {
        return Err(format!(
            "the {} request is not grant_type=refresh_token",
            exchange.label
        ));
    }
    Ok(found)
}

/// CORE-RT-01: a refresh token is bound to its client.
///
/// Reads [`labels::REFRESH_OTHER_CLIENT`]: the main client's refresh token
/// used by the second client with its own valid credentials. `no-token`
/// fails on a token; `error-format` (SHOULD) expects 400 `invalid_grant` or
/// 401 `invalid_client`.
#[must_use]
pub(super) fn core_rt_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRt01;
    let label = labels::REFRESH_OTHER_CLIENT;
    match answer_of(log, label).and_then(refresh_request) {
        Ok((_, answer)) => vec![
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
        ],
        Err(reason) => ctx.cannot_judge_all(rule, &["no-token", "error-format"], &reason),
    }
}

/// The scope originally granted: the `scope` of the [`labels::CODE_EXCHANGE`]
/// response, or, when it reports none, the scope of the
/// [`labels::AUTHORIZE_GRANT`] request (RFC 6749 §5.1: omitted means as
/// requested).
fn original_scope(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Result<ScopeSet, String> {
    let (_, answer) = answer_of(log, labels::CODE_EXCHANGE)?;
    if !answer.issues_token() {
        return Err("the code exchange issued no token".to_owned());
    }
    if let Some(scope) = answer.scope() {
        return Ok(scope);
    }
    let journey = Journey::read(log, labels::AUTHORIZE_GRANT, ctx)?;
    let text = journey
        .request
        .get("scope")
        .ok_or("neither the code exchange nor the authorization request names a scope")?;
    ScopeSet::parse(text).map_err(|error| format!("the authorization request scope: {error}"))
}

/// CORE-RT-02: a refresh cannot widen the scope.
///
/// Reads the original grant ([`labels::CODE_EXCHANGE`], or
/// [`labels::AUTHORIZE_GRANT`] when the token response has no `scope`) and
/// [`labels::REFRESH_WIDER_SCOPE`] (its refresh token with a `scope` adding
/// a scope never granted). `no-wider-scope` fails when a token is issued
/// whose scope (reported, or as asked when not reported) includes a scope
/// never granted; `error-format` (SHOULD) expects 400 `invalid_scope`.
#[must_use]
pub(super) fn core_rt_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRt02;
    let cases = ["no-wider-scope", "error-format"];
    let label = labels::REFRESH_WIDER_SCOPE;
    let read = original_scope(log, ctx).and_then(|original| {
        let (exchange, answer) = answer_of(log, label).and_then(refresh_request)?;
        let asked = form_value(exchange, "scope")
            .and_then(|text| ScopeSet::parse(&text).ok())
            .filter(|asked| !asked.is_subset(&original))
            .ok_or_else(|| format!("the {label} request asks for no scope beyond the grant"))?;
        Ok((original, asked, answer))
    });
    let (original, asked, answer) = match read {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let never_granted = asked.difference(&original);
    let evidence = answer
        .evidence(label)
        .field("granted scope", original.to_string())
        .field("never granted", never_granted.to_string());
    let widened = answer.issues_token() && {
        let issued = answer.scope().unwrap_or_else(|| asked.clone());
        !issued.intersection(&never_granted).is_empty()
    };
    vec![
        ctx.verdict(
            rule,
            "no-wider-scope",
            !widened,
            if widened {
                "the refresh issued a token with a scope never granted"
            } else {
                "no token carries the scope never granted"
            },
            evidence,
        ),
        error_format(
            rule,
            "error-format",
            label,
            &answer,
            &[(400, OAuthErrorCode::INVALID_SCOPE)],
            ctx,
        ),
    ]
}

/// CORE-RT-03: a refresh without scope keeps the granted scope.
///
/// Reads the original grant (as CORE-RT-02), [`labels::REFRESH_NO_SCOPE`]
/// (a refresh without `scope`, which must issue a token) and, when its
/// response reports no `scope`, [`labels::RESOURCE_AFTER_REFRESH`] (a call,
/// with the refreshed access token, to a service of the original grant).
/// `not-wider` fails when the reported scope exceeds the original;
/// `narrowed-reported` fails when the response reports no scope yet the
/// resource answers 403 `insufficient_scope`: the grant narrowed silently.
#[must_use]
pub(super) fn core_rt_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRt03;
    let cases = ["not-wider", "narrowed-reported"];
    let label = labels::REFRESH_NO_SCOPE;
    let read = original_scope(log, ctx).and_then(|original| {
        let (exchange, answer) = answer_of(log, label).and_then(refresh_request)?;
        if form_value(exchange, "scope").is_some() {
            return Err(format!("the {label} request carries scope"));
        }
        if !answer.issues_token() {
            return Err(format!("the {label} request issued no token"));
        }
        Ok((original, answer))
    });
    let (original, answer) = match read {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let mut evidence = answer
        .evidence(label)
        .field("granted scope", original.to_string());
    let Some(issued) = answer.scope() else {
        return vec![
            ctx.pass_with(
                rule,
                "not-wider",
                "the refresh reports no scope: the original grant",
                evidence,
            ),
            narrowing_probe(rule, &answer, log, ctx),
        ];
    };
    evidence = evidence.field("scope", issued.to_string());
    let wider = !issued.is_subset(&original);
    vec![
        ctx.verdict(
            rule,
            "not-wider",
            !wider,
            if wider {
                "the refresh issued a scope wider than the original grant"
            } else {
                "the refreshed scope stays within the original grant"
            },
            evidence.clone(),
        ),
        ctx.pass_with(
            rule,
            "narrowed-reported",
            "the refresh response reports its scope",
            evidence,
        ),
    ]
}

/// A refresh response without `scope`: did the grant narrow silently?
fn narrowing_probe(
    rule: RuleId,
    refreshed: &TokenAnswer<'_>,
    log: &ExchangeLog,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let case = "narrowed-reported";
    let (exchange, response) = match response_of(log, labels::RESOURCE_AFTER_REFRESH) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge(rule, case, reason),
    };
    if let Some(reason) = same_access_token(refreshed, exchange) {
        return ctx.cannot_judge(rule, case, reason);
    }
    let answer = ResourceAnswer::new(response);
    let evidence = answer.evidence(&exchange.label);
    if answer.served() {
        return ctx.pass_with(
            rule,
            case,
            "the refreshed token still reaches the original grant's service",
            evidence,
        );
    }
    if answer.bearer_error() == Some(OAuthErrorCode::INSUFFICIENT_SCOPE) || response.status == 403 {
        return ctx.violation(
            rule,
            case,
            "the refresh narrowed the scope without reporting it",
            evidence,
        );
    }
    ctx.cannot_judge(
        rule,
        case,
        format!("the {} request got {}", exchange.label, response.status),
    )
}

/// CORE-RT-04: invalid refresh tokens are refused.
///
/// Reads [`labels::REFRESH_RANDOM_TOKEN`] (`no-token-random`),
/// [`labels::REFRESH_AFTER_REVOCATION`] (a refresh token revoked before,
/// `no-token-revoked`) and [`labels::REFRESH_EXPIRED_TOKEN`] (a refresh
/// token past its lifetime, `no-token-expired`). Each fails on a token;
/// `error-format` (SHOULD) expects 400 `invalid_grant` for each refusal
/// that was made. An attempt that is missing leaves its own case unjudged
/// (`error`), not `error-format`: the expired attempt needs a clock the
/// target may not offer, and then only its case is skipped.
#[must_use]
pub(super) fn core_rt_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRt04;
    let attempts = [
        ("no-token-random", labels::REFRESH_RANDOM_TOKEN),
        ("no-token-revoked", labels::REFRESH_AFTER_REVOCATION),
        ("no-token-expired", labels::REFRESH_EXPIRED_TOKEN),
    ];
    let reads = attempts.map(|(case, label)| {
        let read = answer_of(log, label)
            .and_then(refresh_request)
            .map(|(_, answer)| answer);
        (case, label, read)
    });
    refused_attempts(rule, reads, &[(400, OAuthErrorCode::INVALID_GRANT)], ctx)
}

/// A request sent without client credentials must issue no token; a TLS
/// handshake refusing it is a pass.
pub(super) fn refused_without_credentials(
    rule: RuleId,
    case: &'static str,
    label: &str,
    log: &ExchangeLog,
    ctx: &JudgeContext<'_>,
) -> Finding {
    match fate_without_credentials(log, label) {
        Ok(Fate::Answered(_, response)) => {
            no_token(rule, case, label, &TokenAnswer::new(response), ctx)
        }
        Ok(Fate::RefusedByHandshake(exchange, failure)) => ctx.pass_with(
            rule,
            case,
            "the TLS handshake refused the request without a client certificate",
            Evidence::new()
                .field("exchange", exchange.label.clone())
                .field("transport", failure.to_string()),
        ),
        Err(reason) => ctx.cannot_judge(rule, case, reason),
    }
}

/// CORE-RT-05: a refresh requires client authentication.
///
/// Reads [`labels::REFRESH_NO_CLIENT_AUTH`]: a refresh with a valid refresh
/// token and no client authentication at all (no certificate, no
/// `Authorization`, no secret in the body). Fails when a token is issued; a
/// TLS handshake refusing the certificate-less request passes.
#[must_use]
pub(super) fn core_rt_05(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRt05;
    let label = labels::REFRESH_NO_CLIENT_AUTH;
    if let Some(exchange) = log.first(label)
        && form_value(exchange, "grant_type").as_deref() != Some("refresh_token")
    {
        return vec![ctx.cannot_judge(
            rule,
            "main",
            format!("the {label} request is not grant_type=refresh_token"),
        )];
    }
    vec![refused_without_credentials(rule, "main", label, log, ctx)]
}
