//! The shape of token endpoint answers: malformed requests refused with the
//! right error (CORE-AC-06), successful responses as RFC 6749 §5.1 says
//! (CORE-AC-07), and no caching of tokens (CORE-AC-08).

use psd2_core::OAuthErrorCode;
use psd2_wire::parse_challenges;

use super::JudgeContext;
use super::code_exchange::{error_format, no_token};
use super::read::{TokenAnswer, answer_of, is_token_request, request_form};
use crate::exchange::{Exchange, ExchangeLog, labels};
use crate::{Evidence, Finding, RuleId};

/// The grant types of RFC 6749: a "unknown" grant type must be none of them.
const CORE_GRANTS: [&str; 4] = [
    "authorization_code",
    "client_credentials",
    "password",
    "refresh_token",
];

/// Whether the request body is malformed as its label says.
fn malformed_as_labelled(exchange: &Exchange) -> Result<(), String> {
    let form = request_form(exchange)?;
    let label = exchange.label.as_str();
    let held = match label {
        labels::TOKEN_NO_CODE => {
            form.get("grant_type") == Some("authorization_code") && form.get("code").is_none()
        }
        labels::TOKEN_NO_GRANT_TYPE => form.get("grant_type").is_none(),
        labels::TOKEN_UNKNOWN_GRANT_TYPE => form
            .get("grant_type")
            .is_some_and(|grant| !CORE_GRANTS.contains(&grant)),
        _ => {
            let names: Vec<&str> = form.iter().map(|(name, _)| name).collect();
            names
                .iter()
                .enumerate()
                .any(|(index, name)| names[..index].contains(name))
        }
    };
    if held {
        Ok(())
    } else {
        Err(format!(
            "the {label} request is not malformed as its label says"
        ))
    }
}

/// CORE-AC-06: malformed token requests are refused.
///
/// Reads [`labels::TOKEN_NO_CODE`] (`grant_type=authorization_code`, no
/// `code`), [`labels::TOKEN_NO_GRANT_TYPE`], [`labels::TOKEN_UNKNOWN_GRANT_TYPE`]
/// and [`labels::TOKEN_REPEATED_PARAMETER`] (a parameter sent twice), each
/// otherwise authenticated as usual. `no-token` fails for any token;
/// `error-format` (SHOULD) expects 400 with `invalid_request`,
/// `invalid_request`, `unsupported_grant_type` and `invalid_request`;
/// `invalid-client-401` fails when an `invalid_client` answers a request
/// authenticated through the `Authorization` header without a 401 and a
/// `WWW-Authenticate` of the same scheme; when the log has
/// [`labels::TOKEN_WRONG_CLIENT_SECRET`] (HTTP Basic with a wrong secret),
/// that answer must be 401 with a `Basic` challenge (error when the request
/// is not Basic, gets a token, or gets neither 401 nor `invalid_client`).
#[must_use]
pub(super) fn core_ac_06(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc06;
    let attempts = [
        (labels::TOKEN_NO_CODE, OAuthErrorCode::INVALID_REQUEST),
        (labels::TOKEN_NO_GRANT_TYPE, OAuthErrorCode::INVALID_REQUEST),
        (
            labels::TOKEN_UNKNOWN_GRANT_TYPE,
            OAuthErrorCode::UNSUPPORTED_GRANT_TYPE,
        ),
        (
            labels::TOKEN_REPEATED_PARAMETER,
            OAuthErrorCode::INVALID_REQUEST,
        ),
    ];
    let mut findings = Vec::new();
    let mut header_checks = Vec::new();
    let mut judged = 0;
    for (label, expected) in attempts {
        let read = answer_of(log, label).and_then(|(exchange, answer)| {
            malformed_as_labelled(exchange)?;
            Ok((exchange, answer))
        });
        let (exchange, answer) = match read {
            Ok(found) => found,
            Err(reason) => {
                findings.extend(ctx.cannot_judge_all(
                    rule,
                    &["no-token", "error-format", "invalid-client-401"],
                    &reason,
                ));
                continue;
            }
        };
        judged += 1;
        findings.push(no_token(rule, "no-token", label, &answer, ctx));
        findings.push(error_format(
            rule,
            "error-format",
            label,
            &answer,
            &[(400, expected)],
            ctx,
        ));
        if let Some(finding) = invalid_client_401(rule, exchange, &answer, ctx) {
            header_checks.push(finding);
        }
    }
    if log.contains(labels::TOKEN_WRONG_CLIENT_SECRET) {
        header_checks.push(wrong_basic_secret(rule, log, ctx));
    }
    // Only answers that were read can hold the conditional case vacuously.
    if header_checks.is_empty() && judged > 0 {
        header_checks.push(ctx.pass(
            rule,
            "invalid-client-401",
            "no invalid_client answered a request authenticated through the Authorization header",
        ));
    }
    findings.extend(header_checks);
    findings
}

/// `invalid-client-401` over [`labels::TOKEN_WRONG_CLIENT_SECRET`]: HTTP
/// Basic authentication with a wrong secret fails, so RFC 6749 §5.2 asks
/// for `invalid_client` with 401 and a `Basic` challenge. A request without
/// Basic credentials, a token issued, or a refusal that is neither 401 nor
/// `invalid_client` (the server may have judged the grant first) cannot be
/// judged.
fn wrong_basic_secret(rule: RuleId, log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Finding {
    let case = "invalid-client-401";
    let label = labels::TOKEN_WRONG_CLIENT_SECRET;
    let (exchange, answer) = match answer_of(log, label) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge(rule, case, reason),
    };
    let basic = exchange
        .request
        .header("authorization")
        .and_then(|value| value.split_ascii_whitespace().next())
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("basic"));
    if !basic {
        return ctx.cannot_judge(
            rule,
            case,
            format!("the {label} request carries no HTTP Basic credentials"),
        );
    }
    if answer.issues_token() {
        return ctx.cannot_judge(
            rule,
            case,
            format!(
                "the {label} request got a token: the wrong secret was not refused, so no invalid_client answer can be judged"
            ),
        );
    }
    if answer.response.status != 401 && answer.error() != Some(OAuthErrorCode::INVALID_CLIENT) {
        return ctx.cannot_judge(
            rule,
            case,
            format!(
                "the {label} request got {} {}, not invalid_client",
                answer.response.status,
                answer.error().map_or_else(
                    || "without error".to_owned(),
                    |error| error.as_str().to_owned()
                )
            ),
        );
    }
    let challenged = answer
        .response
        .header_values("www-authenticate")
        .filter_map(|value| parse_challenges(value).ok())
        .flatten()
        .any(|challenge| challenge.scheme.eq_ignore_ascii_case("basic"));
    let held = answer.response.status == 401 && challenged;
    let mut evidence = answer
        .evidence(&exchange.label)
        .field("Authorization scheme", "Basic");
    if let Some(value) = answer.response.header("www-authenticate") {
        evidence = evidence.field("WWW-Authenticate", value);
    }
    ctx.verdict(
        rule,
        case,
        held,
        if held {
            "a wrong secret in the Authorization header got 401 and a WWW-Authenticate of the scheme used (Basic)"
        } else {
            "a wrong secret in the Authorization header got no 401 with a WWW-Authenticate of the scheme used (Basic)"
        },
        evidence,
    )
}

/// RFC 6749 §5.2: an `invalid_client` after `Authorization`-header
/// authentication is a 401 with a challenge of the scheme used.
fn invalid_client_401(
    rule: RuleId,
    exchange: &Exchange,
    answer: &TokenAnswer<'_>,
    ctx: &JudgeContext<'_>,
) -> Option<Finding> {
    let scheme = exchange
        .request
        .header("authorization")?
        .split_ascii_whitespace()
        .next()?
        .to_owned();
    if answer.error() != Some(OAuthErrorCode::INVALID_CLIENT) {
        return None;
    }
    let response = answer.response;
    let challenged = response
        .header_values("www-authenticate")
        .filter_map(|value| parse_challenges(value).ok())
        .flatten()
        .any(|challenge| challenge.scheme.eq_ignore_ascii_case(&scheme));
    let held = response.status == 401 && challenged;
    let mut evidence = answer
        .evidence(&exchange.label)
        .field("Authorization scheme", scheme);
    if let Some(value) = response.header("www-authenticate") {
        evidence = evidence.field("WWW-Authenticate", value);
    }
    Some(ctx.verdict(
        rule,
        "invalid-client-401",
        held,
        if held {
            "invalid_client came with 401 and a matching challenge"
        } else {
            "invalid_client after Authorization-header authentication lacks 401 or a matching WWW-Authenticate"
        },
        evidence,
    ))
}

/// Every token exchange of the log with its answer.
fn token_answers(log: &ExchangeLog) -> Vec<(&Exchange, TokenAnswer<'_>)> {
    log.exchanges()
        .iter()
        .filter(|exchange| is_token_request(exchange))
        .filter_map(|exchange| Some((exchange, TokenAnswer::new(exchange.response()?))))
        .collect()
}

/// CORE-AC-07: successful token responses have the RFC 6749 shape.
///
/// Reads every token request of the log (a POST whose form body carries
/// `grant_type`), whatever its label, whose answer carries an `access_token`
/// or is a 2xx without `error`. `success-shape` fails unless it is 200,
/// `application/json`, with string `access_token` and `token_type` at the
/// top level; `expires-in` (SHOULD) when `expires_in` is missing.
#[must_use]
pub(super) fn core_ac_07(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc07;
    let successes: Vec<(&Exchange, TokenAnswer<'_>)> = token_answers(log)
        .into_iter()
        .filter(|(_, answer)| {
            answer.issues_token() || (answer.response.is_success() && answer.error().is_none())
        })
        .collect();
    if successes.is_empty() {
        return ctx.cannot_judge_all(
            rule,
            &["success-shape", "expires-in"],
            "the log has no successful token response",
        );
    }
    let mut findings = Vec::new();
    for (exchange, answer) in &successes {
        let evidence = answer.evidence(&exchange.label);
        let mut problems = Vec::new();
        if answer.response.status != 200 {
            problems.push(format!("status {}", answer.response.status));
        }
        if answer.response.media_type().as_deref() != Some("application/json") {
            problems.push("not application/json".to_owned());
        }
        match answer.decoded() {
            Ok(decoded) => {
                if decoded.token_type.is_none() {
                    problems.push("no token_type".to_owned());
                }
            }
            Err(error) => problems.push(format!("not an RFC 6749 §5.1 body ({error})")),
        }
        findings.push(if problems.is_empty() {
            ctx.pass_with(
                rule,
                "success-shape",
                "the token response has the RFC 6749 §5.1 shape",
                evidence.clone(),
            )
        } else {
            ctx.violation(
                rule,
                "success-shape",
                format!("the token response is malformed: {}", problems.join(", ")),
                evidence.clone(),
            )
        });
        let expires = answer
            .decoded()
            .is_ok_and(|decoded| decoded.expires_in.is_some());
        findings.push(ctx.verdict(
            rule,
            "expires-in",
            expires,
            if expires {
                "the token response carries expires_in"
            } else {
                "the token response lacks expires_in"
            },
            evidence,
        ));
    }
    findings
}

/// CORE-AC-08: token responses are not cacheable.
///
/// Reads every token request of the log, whatever its label. For each answer
/// carrying a token: `no-store` fails without `Cache-Control: no-store`,
/// `pragma` (SHOULD) without `Pragma: no-cache`. For each error answer
/// (4xx/5xx without tokens), `error-responses` reports a missing `no-store`
/// as info; that case is absent when the log has no error answer.
#[must_use]
pub(super) fn core_ac_08(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAc08;
    let answers = token_answers(log);
    let mut findings = Vec::new();
    let mut carrying = 0;
    for (exchange, answer) in &answers {
        let response = answer.response;
        let mut evidence = Evidence::new()
            .field("exchange", exchange.label.clone())
            .field("status", response.status.to_string());
        for header in ["Cache-Control", "Pragma"] {
            let values: Vec<&str> = response.header_values(header).collect();
            evidence = if values.is_empty() {
                evidence.note(format!("no {header}"))
            } else {
                evidence.field(header, values.join(", "))
            };
        }
        let no_store = response.has_directive("cache-control", "no-store");
        if answer.carries_tokens() {
            carrying += 1;
            findings.push(ctx.verdict(
                rule,
                "no-store",
                no_store,
                if no_store {
                    "the response carrying tokens has Cache-Control: no-store"
                } else {
                    "a response carrying tokens lacks Cache-Control: no-store"
                },
                evidence.clone(),
            ));
            let pragma = response.has_directive("pragma", "no-cache");
            findings.push(ctx.verdict(
                rule,
                "pragma",
                pragma,
                if pragma {
                    "the response carrying tokens has Pragma: no-cache"
                } else {
                    "a response carrying tokens lacks Pragma: no-cache"
                },
                evidence,
            ));
        } else if response.status >= 400 {
            findings.push(ctx.verdict(
                rule,
                "error-responses",
                no_store,
                if no_store {
                    "the error response has Cache-Control: no-store"
                } else {
                    "an error response lacks Cache-Control: no-store"
                },
                evidence,
            ));
        }
    }
    if carrying == 0 {
        findings.extend(ctx.cannot_judge_all(
            rule,
            &["no-store", "pragma"],
            "the log has no token response carrying tokens",
        ));
    }
    findings
}
