//! Authorization endpoint rules judged on user-agent journeys: no redirect
//! to an invalid redirect URI or for an invalid client (CORE-AZ-01, -02),
//! malformed requests (CORE-AZ-03), missing or unknown scopes (CORE-AZ-04),
//! and no code without the PSU (CORE-AZ-05).

use psd2_core::{ErrorLocation, OAuthErrorCode};

use super::JudgeContext;
use super::read::{Callback, CallbackValues, Journey, TokenAnswer, answer_of};
use crate::exchange::{ExchangeLog, labels, redact_url};
use crate::{Evidence, Finding, RuleId};

/// Evidence that the journey sent the user agent to `target`'s endpoint by
/// a redirect, a refresh, or a script or form naming it.
fn sent_to(journey: &Journey<'_>, target: &str) -> Option<Evidence> {
    if let Some(navigation) = journey.navigation_to(target) {
        return Some(
            Evidence::new()
                .field("exchange", journey.label)
                .field(
                    "status",
                    navigation
                        .hop
                        .response()
                        .map_or(0, |r| r.status)
                        .to_string(),
                )
                .field(navigation.kind.name(), redact_url(&navigation.url)),
        );
    }
    journey.script_to(target).map(|hop| {
        Evidence::new()
            .field("exchange", journey.label)
            .field("page", redact_url(&hop.request.url))
            .note(format!(
                "a script or form on the page names {}",
                redact_url(target)
            ))
    })
}

/// CORE-AZ-01: no redirect to an unregistered redirect URI.
///
/// Reads [`labels::AUTHORIZE_UNREGISTERED_REDIRECT_URI`]: a journey with a
/// registered `client_id` and a `redirect_uri` on a host the client never
/// registered; the agent follows redirects and submits no form.
/// `no-redirect` fails if any response sends the agent to that URI's
/// endpoint (3xx `Location`, `Refresh`, meta refresh, or a script or form
/// naming it). `error-shown` (SHOULD) passes when the journey ends on a 4xx,
/// or on a 2xx page that mentions an error ("error" or "invalid"): a
/// heuristic, since a page's meaning cannot be read.
#[must_use]
pub(super) fn core_az_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAz01;
    let label = labels::AUTHORIZE_UNREGISTERED_REDIRECT_URI;
    let journey = match Journey::read(log, label, ctx) {
        Ok(journey) => journey,
        Err(reason) => return ctx.cannot_judge_all(rule, &["no-redirect", "error-shown"], &reason),
    };
    let Some(target) = journey.request.get(&ctx.profile().redirect_param) else {
        let reason = format!("the {label} request names no redirect URI");
        return ctx.cannot_judge_all(rule, &["no-redirect", "error-shown"], &reason);
    };
    if ctx.facts().redirect_uris.iter().any(|uri| uri == target) {
        let reason = format!("the {label} request names a registered redirect URI");
        return ctx.cannot_judge_all(rule, &["no-redirect", "error-shown"], &reason);
    }
    let mut findings = Vec::new();
    let redirected = sent_to(&journey, target);
    findings.push(match &redirected {
        Some(evidence) => ctx.violation(
            rule,
            "no-redirect",
            "the AS sent the user agent to the unregistered redirect URI",
            evidence.clone(),
        ),
        None => ctx.pass_with(
            rule,
            "no-redirect",
            "the user agent was never sent to the unregistered redirect URI",
            journey.end_evidence(),
        ),
    });
    findings.push(error_shown(rule, &journey, redirected.is_some(), ctx));
    findings
}

/// Whether the journey ended on a page that tells the PSU about an error.
fn error_shown(
    rule: RuleId,
    journey: &Journey<'_>,
    redirected: bool,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let evidence = journey.end_evidence();
    if redirected {
        return ctx.violation(
            rule,
            "error-shown",
            "the AS redirected instead of showing an error",
            evidence,
        );
    }
    let Some(response) = journey.end().response() else {
        return ctx.cannot_judge(
            rule,
            "error-shown",
            format!("the {} journey ended in a transport failure", journey.label),
        );
    };
    let text = response.text().to_ascii_lowercase();
    let looks_like_error = (400..500).contains(&response.status)
        || (response.is_success() && (text.contains("error") || text.contains("invalid")));
    ctx.verdict(
        rule,
        "error-shown",
        looks_like_error,
        if looks_like_error {
            "the journey ended on an error page"
        } else {
            "the journey did not end on a page that shows an error"
        },
        evidence,
    )
}

/// CORE-AZ-02: no redirect for an unknown or missing client_id.
///
/// Reads [`labels::AUTHORIZE_UNKNOWN_CLIENT`] (a `client_id` the AS does not
/// know) for `unknown-client` and [`labels::AUTHORIZE_MISSING_CLIENT`] (no
/// `client_id`) for `missing-client`; both carry a well-formed
/// `redirect_uri`, and the agent submits no form. Each case fails if the
/// agent is sent to the redirect URI's endpoint by any means, with or
/// without an error.
#[must_use]
pub(super) fn core_az_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAz02;
    [
        ("unknown-client", labels::AUTHORIZE_UNKNOWN_CLIENT, true),
        ("missing-client", labels::AUTHORIZE_MISSING_CLIENT, false),
    ]
    .into_iter()
    .map(|(case, label, client_id_sent)| {
        let journey = match Journey::read(log, label, ctx) {
            Ok(journey) => journey,
            Err(reason) => return ctx.cannot_judge(rule, case, reason),
        };
        if journey.request.get("client_id").is_some() != client_id_sent {
            return ctx.cannot_judge(
                rule,
                case,
                format!(
                    "the {label} request must {}carry client_id",
                    if client_id_sent { "" } else { "not " }
                ),
            );
        }
        let Some(target) = journey.request.get(&ctx.profile().redirect_param) else {
            return ctx.cannot_judge(
                rule,
                case,
                format!("the {label} request names no redirect URI"),
            );
        };
        match sent_to(&journey, target) {
            Some(evidence) => ctx.violation(
                rule,
                case,
                "the AS redirected to the redirect URI of a request without a valid client",
                evidence,
            ),
            None => ctx.pass_with(
                rule,
                case,
                "the AS did not redirect to the redirect URI",
                journey.end_evidence(),
            ),
        }
    })
    .collect()
}

const AZ_03_CASES: [&str; 4] = ["no-code", "registered-code", "state", "error-code"];

/// CORE-AZ-03: malformed authorization requests are refused with a
/// registered error.
///
/// Reads four journeys, each a valid request (registered client and
/// redirect URI, a state) broken in one way:
/// [`labels::AUTHORIZE_NO_RESPONSE_TYPE`],
/// [`labels::AUTHORIZE_UNKNOWN_RESPONSE_TYPE`] (`response_type=foo`),
/// [`labels::AUTHORIZE_REPEATED_STATE`] (two `state` values) and
/// [`labels::AUTHORIZE_REPEATED_SCOPE`]. Per journey: `no-code` fails when
/// a callback carries a code; `registered-code` fails when the error is not
/// registered for the authorization endpoint
/// ([`OAuthErrorCode::is_registered_for`]) or uses characters outside
/// `%x20-21 / %x23-5B / %x5D-7E`, or when the callback carries no error;
/// `state` fails unless the callback echoes the state (for a repeated
/// state: none, or one of the values sent); `error-code` (SHOULD) expects
/// `invalid_request`, `unsupported_response_type`, `invalid_request`,
/// `invalid_request`. A journey that ends on a page without redirecting is
/// accepted (RULES.md A-12) and reported as info.
#[must_use]
pub(super) fn core_az_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAz03;
    let journeys = [
        (
            labels::AUTHORIZE_NO_RESPONSE_TYPE,
            OAuthErrorCode::INVALID_REQUEST,
        ),
        (
            labels::AUTHORIZE_UNKNOWN_RESPONSE_TYPE,
            OAuthErrorCode::UNSUPPORTED_RESPONSE_TYPE,
        ),
        (
            labels::AUTHORIZE_REPEATED_STATE,
            OAuthErrorCode::INVALID_REQUEST,
        ),
        (
            labels::AUTHORIZE_REPEATED_SCOPE,
            OAuthErrorCode::INVALID_REQUEST,
        ),
    ];
    let mut findings = Vec::new();
    for (label, expected) in journeys {
        let journey = match Journey::read(log, label, ctx) {
            Ok(journey) => journey,
            Err(reason) => {
                findings.extend(ctx.cannot_judge_all(rule, &AZ_03_CASES, &reason));
                continue;
            }
        };
        if let Some(reason) = az_03_contract(&journey) {
            findings.extend(ctx.cannot_judge_all(rule, &AZ_03_CASES, &reason));
            continue;
        }
        findings.extend(az_03_journey(rule, &journey, expected, ctx));
    }
    findings
}

/// The request must be broken as its label says.
fn az_03_contract(journey: &Journey<'_>) -> Option<String> {
    let request = &journey.request;
    let broken = match journey.label {
        labels::AUTHORIZE_NO_RESPONSE_TYPE => request.get("response_type").is_none(),
        labels::AUTHORIZE_UNKNOWN_RESPONSE_TYPE => request
            .get("response_type")
            .is_some_and(|value| value != "code"),
        labels::AUTHORIZE_REPEATED_STATE => request.get_all("state").count() > 1,
        _ => request.get_all("scope").count() > 1,
    };
    (!broken).then(|| {
        format!(
            "the {} request is not malformed as its label says",
            journey.label
        )
    })
}

fn az_03_journey(
    rule: RuleId,
    journey: &Journey<'_>,
    expected: OAuthErrorCode,
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let Some(callback) = journey.callback() else {
        let evidence = journey.end_evidence();
        let mut findings = vec![ctx.pass_with(
            rule,
            "no-code",
            "no code reached the client",
            evidence.clone(),
        )];
        for case in ["registered-code", "state", "error-code"] {
            findings.push(ctx.info(
                rule,
                case,
                "no error redirect reached the client: the AS showed a page (RULES.md A-12)",
                evidence.clone(),
            ));
        }
        return findings;
    };
    let values = CallbackValues::of(&callback);
    let mut evidence = callback.evidence();
    if let Some(error) = &values.error {
        evidence = evidence.field("error", error.as_str());
    }
    let mut findings = vec![ctx.verdict(
        rule,
        "no-code",
        !values.code,
        if values.code {
            "a code was issued for a malformed authorization request"
        } else {
            "no code was issued"
        },
        evidence.clone(),
    )];
    findings.push(match &values.error {
        None => ctx.violation(
            rule,
            "registered-code",
            "the redirect carries no error",
            evidence.clone(),
        ),
        Some(error) => {
            let registered = error.is_registered_for(ErrorLocation::AuthorizationEndpoint)
                && error.has_valid_charset();
            ctx.verdict(
                rule,
                "registered-code",
                registered,
                if registered {
                    "the error is registered for the authorization endpoint"
                } else {
                    "the error is not registered for the authorization endpoint"
                },
                evidence.clone(),
            )
        }
    });
    findings.push(state_echo(
        rule,
        "state",
        journey,
        &values.states,
        &callback,
        ctx,
    ));
    let right_code = values.error.as_ref() == Some(&expected);
    findings.push(ctx.verdict(
        rule,
        "error-code",
        right_code,
        if right_code {
            format!("the error is {expected}")
        } else {
            format!("the error is not {expected}")
        },
        evidence,
    ));
    findings
}

/// The callback echoes the state: exactly the one sent; for a repeated
/// state, none or one of the values sent; no state when none was sent.
pub(super) fn state_echo(
    rule: RuleId,
    case: &'static str,
    journey: &Journey<'_>,
    returned: &[String],
    callback: &Callback<'_>,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let sent = journey.states();
    let evidence = callback
        .evidence()
        .field("state sent", sent.join(" | "))
        .field("state returned", returned.join(" | "));
    let (held, message) = match (sent.as_slice(), returned) {
        (_, [_, _, ..]) => (false, "the redirect repeats state"),
        ([], []) => (true, "no state was sent and none came back"),
        ([], [_]) => (false, "the redirect carries a state that was never sent"),
        ([one], [back]) => (
            one == back,
            if one == back {
                "the redirect echoes the exact state"
            } else {
                "the redirect carries another state than the one sent"
            },
        ),
        ([_], []) => (false, "the redirect lacks the state that was sent"),
        (_, []) => (true, "a repeated state was not echoed"),
        (several, [back]) => {
            let known = several.iter().any(|value| value == back);
            (
                known,
                if known {
                    "the redirect echoes one of the repeated state values"
                } else {
                    "the redirect carries a state that was never sent"
                },
            )
        }
    };
    ctx.verdict(rule, case, held, message, evidence)
}

/// How an authorization journey answered a scope question.
enum ScopeAnswer {
    /// A code reached the client: a scope was applied.
    Code,
    /// An error redirect.
    Error {
        error: Option<OAuthErrorCode>,
        state_echoed: bool,
    },
    /// The journey ended on a 5xx.
    ServerError(u16),
    /// The journey ended elsewhere.
    Unclear(String),
}

fn scope_answer(journey: &Journey<'_>) -> (ScopeAnswer, Evidence) {
    if let Some(callback) = journey.callback() {
        let values = CallbackValues::of(&callback);
        let evidence = callback.evidence();
        if values.code {
            return (ScopeAnswer::Code, evidence);
        }
        let sent = journey.states();
        let state_echoed = values.states.len() == 1 && sent == [values.states[0].as_str()];
        let evidence = match &values.error {
            Some(error) => evidence.field("error", error.as_str()),
            None => evidence,
        };
        return (
            ScopeAnswer::Error {
                error: values.error,
                state_echoed,
            },
            evidence,
        );
    }
    let evidence = journey.end_evidence();
    match journey.end().response() {
        Some(response) if response.status >= 500 => {
            (ScopeAnswer::ServerError(response.status), evidence)
        }
        _ => (
            ScopeAnswer::Unclear(format!(
                "the {} journey ended without reaching the client",
                journey.label
            )),
            evidence,
        ),
    }
}

/// CORE-AZ-04: a missing or unknown scope gets a default or invalid_scope.
///
/// Reads [`labels::AUTHORIZE_NO_SCOPE`] (a request without `scope`, the PSU
/// granting whatever is shown) for `default-or-invalid-scope`,
/// [`labels::AUTHORIZE_UNKNOWN_SCOPE`] (a scope with an unknown token added)
/// for `unknown-scope`, and, when the first journey produced a code,
/// [`labels::CODE_EXCHANGE_NO_SCOPE`] (its redemption) for
/// `documented-default`. A code, or an `invalid_scope` redirect with the
/// exact state, passes; another error, a 5xx or `invalid_scope` without the
/// state fails. `documented-default` compares the `scope` of the token
/// response with the profile's `default_scope` (info when none is
/// configured, or when the response does not report the scope); when the AS
/// failed the request with another error than `invalid_scope`, it applied no
/// scope: a violation when a default is configured, info when none is.
#[must_use]
pub(super) fn core_az_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAz04;
    let mut findings = Vec::new();
    let no_scope = Journey::read(log, labels::AUTHORIZE_NO_SCOPE, ctx).and_then(|journey| {
        if journey.request.get("scope").is_some() {
            return Err(format!("the {} request carries scope", journey.label));
        }
        Ok(journey)
    });
    match &no_scope {
        Ok(journey) => {
            let (answer, evidence) = scope_answer(journey);
            findings.push(scope_verdict(
                rule,
                "default-or-invalid-scope",
                &answer,
                evidence.clone(),
                ctx,
            ));
            findings.push(documented_default(rule, &answer, evidence, log, ctx));
        }
        Err(reason) => findings.extend(ctx.cannot_judge_all(
            rule,
            &["default-or-invalid-scope", "documented-default"],
            reason,
        )),
    }
    let unknown = Journey::read(log, labels::AUTHORIZE_UNKNOWN_SCOPE, ctx).and_then(|journey| {
        if journey.request.get("scope").is_none() {
            return Err(format!("the {} request carries no scope", journey.label));
        }
        Ok(journey)
    });
    match unknown {
        Ok(journey) => {
            let (answer, evidence) = scope_answer(&journey);
            findings.push(scope_verdict(rule, "unknown-scope", &answer, evidence, ctx));
        }
        Err(reason) => findings.push(ctx.cannot_judge(rule, "unknown-scope", reason)),
    }
    findings
}

fn scope_verdict(
    rule: RuleId,
    case: &'static str,
    answer: &ScopeAnswer,
    evidence: Evidence,
    ctx: &JudgeContext<'_>,
) -> Finding {
    match answer {
        ScopeAnswer::Code => ctx.pass_with(
            rule,
            case,
            "the AS applied a scope and issued a code",
            evidence,
        ),
        ScopeAnswer::Error {
            error: Some(error),
            state_echoed: true,
        } if *error == OAuthErrorCode::INVALID_SCOPE => ctx.pass_with(
            rule,
            case,
            "the AS answered invalid_scope with the state",
            evidence,
        ),
        ScopeAnswer::Error {
            error: Some(error),
            state_echoed: false,
        } if *error == OAuthErrorCode::INVALID_SCOPE => ctx.violation(
            rule,
            case,
            "the invalid_scope redirect lacks the exact state",
            evidence,
        ),
        ScopeAnswer::Error { .. } => ctx.violation(
            rule,
            case,
            "the AS answered with an error other than invalid_scope",
            evidence,
        ),
        ScopeAnswer::ServerError(status) => {
            ctx.violation(rule, case, format!("the AS failed with {status}"), evidence)
        }
        ScopeAnswer::Unclear(reason) => ctx.cannot_judge(rule, case, reason.clone()),
    }
}

fn documented_default(
    rule: RuleId,
    answer: &ScopeAnswer,
    evidence: Evidence,
    log: &ExchangeLog,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let case = "documented-default";
    let configured = ctx.profile().default_scope.as_ref();
    match answer {
        ScopeAnswer::Error {
            error: Some(error), ..
        } if *error == OAuthErrorCode::INVALID_SCOPE => match configured {
            Some(default) => ctx.violation(
                rule,
                case,
                "the AS refused a request without scope although a default scope is configured",
                evidence.field("default_scope", default.to_string()),
            ),
            None => ctx.pass_with(
                rule,
                case,
                "no default scope is configured and the AS refused the request",
                evidence,
            ),
        },
        ScopeAnswer::Code => {
            let (exchange, answer) = match answer_of(log, labels::CODE_EXCHANGE_NO_SCOPE) {
                Ok(found) => found,
                Err(reason) => return ctx.cannot_judge(rule, case, reason),
            };
            applied_default(rule, case, &answer, &exchange.label, configured, ctx)
        }
        // The AS failed the request with another error: it applied no
        // scope. default-or-invalid-scope already fails on the error code;
        // this case only compares with the documented default.
        ScopeAnswer::Error { .. } => match configured {
            Some(default) => ctx.violation(
                rule,
                case,
                "the AS applied no scope although a default scope is configured",
                evidence.field("default_scope", default.to_string()),
            ),
            None => ctx.info(
                rule,
                case,
                "the AS failed the request and applied no scope; no default scope is configured",
                evidence,
            ),
        },
        ScopeAnswer::ServerError(_) | ScopeAnswer::Unclear(_) => ctx.cannot_judge(
            rule,
            case,
            "the journey neither reached the client with a code nor with an error",
        ),
    }
}

/// Compares the scope a token response reports with a configured default.
pub(super) fn applied_default(
    rule: RuleId,
    case: &'static str,
    answer: &TokenAnswer<'_>,
    label: &str,
    configured: Option<&psd2_core::ScopeSet>,
    ctx: &JudgeContext<'_>,
) -> Finding {
    let mut evidence = answer.evidence(label);
    if !answer.issues_token() {
        return ctx.cannot_judge(rule, case, format!("the {label} request issued no token"));
    }
    let Some(applied) = answer.scope() else {
        return ctx.info(
            rule,
            case,
            "the token response does not report the applied scope",
            evidence,
        );
    };
    evidence = evidence.field("scope", applied.to_string());
    compare_default(rule, case, &applied, evidence, configured, ctx)
}

/// Compares an applied scope (from a token response or an introspection)
/// with a configured default: info when none is configured.
pub(super) fn compare_default(
    rule: RuleId,
    case: &'static str,
    applied: &psd2_core::ScopeSet,
    evidence: Evidence,
    configured: Option<&psd2_core::ScopeSet>,
    ctx: &JudgeContext<'_>,
) -> Finding {
    match configured {
        None => ctx.info(
            rule,
            case,
            format!("the AS applied {applied}; no default is configured"),
            evidence,
        ),
        Some(default) => ctx.verdict(
            rule,
            case,
            applied == default,
            if applied == default {
                "the applied scope is the configured default".to_owned()
            } else {
                format!("the applied scope differs from the configured default {default}")
            },
            evidence.field("configured default", default.to_string()),
        ),
    }
}

/// CORE-AZ-05: no code without PSU authentication.
///
/// Reads [`labels::AUTHORIZE_FRESH_AGENT`]: a valid authorization request
/// from a user agent with no cookie that follows redirects and submits no
/// form. Fails when a code reaches the redirect URI all the same; passes
/// when the journey stops on a page (login or consent) or an error.
#[must_use]
pub(super) fn core_az_05(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreAz05;
    let case = "main";
    let journey = match Journey::read(log, labels::AUTHORIZE_FRESH_AGENT, ctx) {
        Ok(journey) => journey,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    if journey.first.request.header("cookie").is_some() {
        return vec![ctx.cannot_judge(rule, case, "the fresh-agent journey sent a cookie")];
    }
    if journey
        .exchanges
        .iter()
        .any(|exchange| !exchange.request.method.eq_ignore_ascii_case("GET"))
    {
        return vec![ctx.cannot_judge(rule, case, "the fresh-agent journey submitted a form")];
    }
    if let Some(callback) = journey.callback() {
        let values = CallbackValues::of(&callback);
        if values.code {
            return vec![ctx.violation(
                rule,
                case,
                "a code reached the redirect URI without any PSU authentication",
                callback.evidence(),
            )];
        }
        return vec![ctx.pass_with(
            rule,
            case,
            "the journey reached the client without a code",
            callback.evidence(),
        )];
    }
    match journey.end().response() {
        Some(_) => vec![ctx.pass_with(
            rule,
            case,
            "the journey stopped on a page of the AS",
            journey.end_evidence(),
        )],
        None => vec![ctx.cannot_judge(
            rule,
            case,
            format!("the {} journey ended in a transport failure", journey.label),
        )],
    }
}
