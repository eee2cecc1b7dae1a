//! Protected resources (RFC 6750): no credentials (CORE-RS-01), an invalid
//! token (CORE-RS-02), a token in the query (CORE-RS-03), a token outside
//! its scope (CORE-RS-04), a token with another certificate (SEC-RS-01).

use psd2_core::OAuthErrorCode;

use super::JudgeContext;
use super::code_exchange::{same_access_token, still_works};
use super::read::{ResourceAnswer, answer_of, bearer_token, carries_bearer, response_of};
use crate::exchange::{ExchangeLog, HttpResponse, labels};
use crate::{Finding, RuleId};

/// The `no-data` verdict.
fn no_data(
    rule: RuleId,
    answer: &ResourceAnswer<'_>,
    label: &str,
    ctx: &JudgeContext<'_>,
) -> Finding {
    ctx.verdict(
        rule,
        "no-data",
        !answer.served(),
        if answer.served() {
            format!("the {label} request was served")
        } else {
            format!("the {label} request was not served")
        },
        answer.evidence(label),
    )
}

/// CORE-RS-01: a request without credentials gets a Bearer challenge.
///
/// Reads [`labels::RESOURCE_NO_CREDENTIALS`]: a resource call with no bearer
/// token at all (no `Authorization`, no `access_token` parameter; a client
/// certificate is fine). `no-data` fails on a 2xx; `challenge` unless it is
/// 401 with a `Bearer` challenge; `no-error-code` (SHOULD) when that
/// challenge carries an `error` (judged only when there is a challenge).
#[must_use]
pub(super) fn core_rs_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRs01;
    let label = labels::RESOURCE_NO_CREDENTIALS;
    let cases = ["no-data", "challenge", "no-error-code"];
    let (exchange, response) = match response_of(log, label) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    if carries_bearer(&exchange.request) {
        return ctx.cannot_judge_all(rule, &cases, "the request carries credentials");
    }
    let answer = ResourceAnswer::new(response);
    let evidence = answer.evidence(label);
    let mut findings = vec![no_data(rule, &answer, label, ctx)];
    let bearer = answer.bearer().and_then(Result::ok);
    let held = response.status == 401 && bearer.is_some();
    findings.push(ctx.verdict(
        rule,
        "challenge",
        held,
        if held {
            "the answer is 401 with a challenge of the Bearer scheme"
        } else {
            "the answer is not 401 with a challenge of the Bearer scheme"
        },
        evidence.clone(),
    ));
    if let Some(challenge) = bearer {
        findings.push(ctx.verdict(
            rule,
            "no-error-code",
            challenge.error.is_none(),
            if challenge.error.is_none() {
                "the challenge carries no error code"
            } else {
                "the challenge to a request without credentials carries an error code"
            },
            evidence,
        ));
    }
    findings
}

/// CORE-RS-02: an invalid token gets invalid_token.
///
/// Reads [`labels::RESOURCE_MALFORMED_TOKEN`] and
/// [`labels::RESOURCE_UNKNOWN_TOKEN`]: resource calls with a malformed and
/// an unknown bearer token. For each: `no-data` fails on a 2xx, `challenge`
/// without `WWW-Authenticate`, `invalid-token` (SHOULD) unless 401 with
/// `error="invalid_token"` or, for a bearer value outside the RFC 6750 §2.1
/// b64token grammar (a malformed request), 400 with
/// `error="invalid_request"`.
#[must_use]
pub(super) fn core_rs_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRs02;
    let cases = ["no-data", "challenge", "invalid-token"];
    let mut findings = Vec::new();
    for label in [
        labels::RESOURCE_MALFORMED_TOKEN,
        labels::RESOURCE_UNKNOWN_TOKEN,
    ] {
        let (exchange, response) = match response_of(log, label) {
            Ok(found) => found,
            Err(reason) => {
                findings.extend(ctx.cannot_judge_all(rule, &cases, &reason));
                continue;
            }
        };
        let Some(token) = bearer_token(&exchange.request) else {
            findings.extend(ctx.cannot_judge_all(
                rule,
                &cases,
                &format!("the {label} request bears no token"),
            ));
            continue;
        };
        // RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`. A value
        // outside that grammar makes the request itself malformed, for
        // which §3.1 names invalid_request ("or is otherwise malformed. The
        // resource server SHOULD respond with the HTTP 400"); invalid_token
        // ("malformed") fits it too.
        let well_formed = is_b64token(token);
        let answer = ResourceAnswer::new(response);
        let evidence = answer.evidence(label);
        findings.push(no_data(rule, &answer, label, ctx));
        findings.push(ctx.verdict(
            rule,
            "challenge",
            answer.has_challenge(),
            if answer.has_challenge() {
                "the answer carries WWW-Authenticate"
            } else {
                "the answer to an invalid token lacks WWW-Authenticate"
            },
            evidence.clone(),
        ));
        let invalid_token =
            response.status == 401 && answer.bearer_error() == Some(OAuthErrorCode::INVALID_TOKEN);
        let invalid_request = !well_formed
            && response.status == 400
            && answer.bearer_error() == Some(OAuthErrorCode::INVALID_REQUEST);
        findings.push(ctx.verdict(
            rule,
            "invalid-token",
            invalid_token || invalid_request,
            if invalid_token {
                "the answer is 401 with error=\"invalid_token\""
            } else if invalid_request {
                "the bearer value is not a b64token (RFC 6750 §2.1), and the answer is 400 \
                 with error=\"invalid_request\" (RFC 6750 §3.1: a malformed request)"
            } else if well_formed {
                "the answer is not 401 with error=\"invalid_token\""
            } else {
                "the answer is neither 401 with error=\"invalid_token\" nor, for a bearer \
                 value that is not a b64token, 400 with error=\"invalid_request\""
            },
            evidence,
        ));
    }
    findings
}

/// CORE-RS-03: a token in the query gets a private response.
///
/// Reads [`labels::RESOURCE_QUERY_TOKEN`]: a resource call with a valid
/// token only in the `access_token` query parameter. `query-refused` (MAY)
/// reports whether the method was refused; `cache-private` fails (SHOULD:
/// warn) when a 2xx lacks `Cache-Control: private`.
#[must_use]
pub(super) fn core_rs_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRs03;
    let label = labels::RESOURCE_QUERY_TOKEN;
    let cases = ["query-refused", "cache-private"];
    let (exchange, response) = match response_of(log, label) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let in_query = exchange
        .request
        .query_form()
        .is_ok_and(|form| form.get("access_token").is_some());
    if !in_query || exchange.request.header("authorization").is_some() {
        return ctx.cannot_judge_all(rule, &cases, "the token is not in the query only");
    }
    let answer = ResourceAnswer::new(response);
    let mut evidence = answer.evidence(label);
    if let Some(value) = response.header("cache-control") {
        evidence = evidence.field("Cache-Control", value);
    }
    if !answer.served() {
        return vec![
            ctx.info(
                rule,
                "query-refused",
                "the resource server refuses tokens in the query",
                evidence.clone(),
            ),
            ctx.pass_with(
                rule,
                "cache-private",
                "the query method was refused, so there is no response to cache",
                evidence,
            ),
        ];
    }
    let private = response.has_directive("cache-control", "private");
    vec![
        ctx.info(
            rule,
            "query-refused",
            "the resource server accepts tokens in the query",
            evidence.clone(),
        ),
        ctx.verdict(
            rule,
            "cache-private",
            private,
            if private {
                "the 2xx answer has Cache-Control: private"
            } else {
                "the 2xx answer to a query-method request lacks Cache-Control: private"
            },
            evidence,
        ),
    ]
}

/// CORE-RS-04: a token is refused outside its scope.
///
/// Reads every label [`labels::RESOURCE_OUT_OF_SCOPE_PREFIX`] + a name: a
/// resource call bearing a valid token of one service on an endpoint of
/// another (an AIS token on PIS, the reverse, a CBPII token on AIS). For
/// each: `no-data` fails on a 2xx; `insufficient-scope` (SHOULD) unless 403
/// with a Bearer `error="insufficient_scope"`.
#[must_use]
pub(super) fn core_rs_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreRs04;
    let cases = ["no-data", "insufficient-scope"];
    let calls = log.labels_with_prefix(labels::RESOURCE_OUT_OF_SCOPE_PREFIX);
    if calls.is_empty() {
        return ctx.cannot_judge_all(
            rule,
            &cases,
            &format!(
                "the log has no exchange labelled {}*",
                labels::RESOURCE_OUT_OF_SCOPE_PREFIX
            ),
        );
    }
    let mut findings = Vec::new();
    for label in calls {
        let (exchange, response) = match response_of(log, label) {
            Ok(found) => found,
            Err(reason) => {
                findings.extend(ctx.cannot_judge_all(rule, &cases, &reason));
                continue;
            }
        };
        if bearer_token(&exchange.request).is_none() {
            findings.extend(ctx.cannot_judge_all(
                rule,
                &cases,
                &format!("the {label} request bears no token"),
            ));
            continue;
        }
        let answer = ResourceAnswer::new(response);
        findings.push(no_data(rule, &answer, label, ctx));
        let held = response.status == 403
            && answer.bearer_error() == Some(OAuthErrorCode::INSUFFICIENT_SCOPE);
        findings.push(ctx.verdict(
            rule,
            "insufficient-scope",
            held,
            if held {
                "the answer is 403 with error=\"insufficient_scope\""
            } else {
                "the answer is not 403 with error=\"insufficient_scope\""
            },
            answer.evidence(label),
        ));
    }
    findings
}

/// SEC-RS-01: access tokens are bound to the client certificate.
///
/// Reads [`labels::CODE_EXCHANGE`] (which issued the access token, over a
/// connection with the main client's certificate) and
/// [`labels::RESOURCE_OTHER_CERTIFICATE`] (a resource call bearing that
/// token over a connection with another certificate). Fails (SHOULD: warn)
/// when the resource serves data.
#[must_use]
pub(super) fn sec_rs_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecRs01;
    let case = "main";
    let read = answer_of(log, labels::CODE_EXCHANGE).and_then(|(issuing, grant)| {
        let (exchange, response) = response_of(log, labels::RESOURCE_OTHER_CERTIFICATE)?;
        let used = exchange
            .request
            .client_certificate
            .as_ref()
            .ok_or("the resource call presents no client certificate")?;
        if issuing.request.client_certificate.as_ref() == Some(used) {
            return Err(
                "the resource call presents the certificate the token was issued to".to_owned(),
            );
        }
        if let Some(reason) = same_access_token(&grant, exchange) {
            return Err(reason);
        }
        Ok((exchange, response))
    });
    let (exchange, response): (_, &HttpResponse) = match read {
        Ok(found) => found,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let answer = ResourceAnswer::new(response);
    vec![still_works(
        rule,
        case,
        &answer,
        &exchange.label,
        (
            "the access token was accepted with another client certificate",
            "the access token was refused with another client certificate",
        ),
        ctx,
    )]
}

/// RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" /
/// "+" / "/" ) *"="`.
fn is_b64token(value: &str) -> bool {
    let body = value.trim_end_matches('=');
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/'))
}
