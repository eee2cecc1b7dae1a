//! The client_credentials grant: authentication required (CORE-CC-01), no
//! refresh token (CORE-CC-02), refused to clients not allowed the grant
//! (CORE-CC-03), a default or invalid_scope without scope (CORE-CC-04).

use psd2_core::{OAuthErrorCode, ScopeSet};
use psd2_wire::{IntrospectionResponse, JsonMessage};

use super::JudgeContext;
use super::authorize::{applied_default, compare_default};
use super::code_exchange::form_value;
use super::read::{Fate, TokenAnswer, answer_of, fate_without_credentials, response_of};
use crate::exchange::{Exchange, ExchangeLog, labels};
use crate::{Evidence, Finding, RuleId};

fn client_credentials_request<'a>(
    found: (&'a Exchange, TokenAnswer<'a>),
) -> Result<(&'a Exchange, TokenAnswer<'a>), String> {
    let (exchange, _) = &found;
    if form_value(exchange, "grant_type").as_deref() != Some("client_credentials") {
        return Err(format!(
            "the {} request is not grant_type=client_credentials",
            exchange.label
        ));
    }
    Ok(found)
}

/// CORE-CC-01: client_credentials requires client authentication.
///
/// Reads [`labels::CLIENT_CREDENTIALS_NO_AUTH`]: `grant_type=client_credentials`
/// with no client authentication at all (no certificate, no `Authorization`,
/// no secret). Passes on a 401, a 400 `invalid_client`, or a TLS handshake
/// refusing the certificate-less request; fails on a token or any other
/// answer.
#[must_use]
pub(super) fn core_cc_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCc01;
    let case = "main";
    let label = labels::CLIENT_CREDENTIALS_NO_AUTH;
    let answer = match fate_without_credentials(log, label) {
        Ok(Fate::Answered(exchange, response)) => {
            match client_credentials_request((exchange, TokenAnswer::new(response))) {
                Ok((_, answer)) => answer,
                Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
            }
        }
        Ok(Fate::RefusedByHandshake(exchange, failure)) => {
            return vec![
                ctx.pass_with(
                    rule,
                    case,
                    "the TLS handshake refused the request without a client certificate",
                    Evidence::new()
                        .field("exchange", exchange.label.clone())
                        .field("transport", failure.to_string()),
                ),
            ];
        }
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let evidence = answer.evidence(label);
    if answer.issues_token() {
        return vec![ctx.violation(
            rule,
            case,
            "a token was issued without client authentication",
            evidence,
        )];
    }
    let refused =
        answer.response.status == 401 || answer.is_error(400, &[OAuthErrorCode::INVALID_CLIENT]);
    vec![ctx.verdict(
        rule,
        case,
        refused,
        if refused {
            "the unauthenticated request was refused as invalid_client"
        } else {
            "the unauthenticated request was not answered with 401 or 400 invalid_client"
        },
        evidence,
    )]
}

/// CORE-CC-02: no refresh token for client_credentials.
///
/// Reads [`labels::CLIENT_CREDENTIALS`]: a valid client_credentials request,
/// which must issue a token. Fails (SHOULD: warn) when the answer carries a
/// `refresh_token`.
#[must_use]
pub(super) fn core_cc_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCc02;
    let case = "main";
    let label = labels::CLIENT_CREDENTIALS;
    let answer = match answer_of(log, label).and_then(client_credentials_request) {
        Ok((_, answer)) => answer,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    if !answer.issues_token() {
        return vec![ctx.cannot_judge(rule, case, format!("the {label} request issued no token"))];
    }
    let refresh = answer.issues_refresh_token();
    vec![ctx.verdict(
        rule,
        case,
        !refresh,
        if refresh {
            "the client_credentials response carries a refresh_token"
        } else {
            "the client_credentials response carries no refresh_token"
        },
        answer.evidence(label),
    )]
}

/// CORE-CC-03: clients not allowed the grant are refused.
///
/// Reads [`labels::CLIENT_CREDENTIALS_RESTRICTED_CLIENT`]: a client that
/// may not use client_credentials (authenticated as usual) asks for it.
/// Passes on 400 `unauthorized_client` or `invalid_scope` with no token;
/// fails otherwise.
#[must_use]
pub(super) fn core_cc_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCc03;
    let case = "main";
    let label = labels::CLIENT_CREDENTIALS_RESTRICTED_CLIENT;
    let answer = match answer_of(log, label).and_then(client_credentials_request) {
        Ok((_, answer)) => answer,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let evidence = answer.evidence(label);
    if answer.issues_token() {
        return vec![ctx.violation(
            rule,
            case,
            "a client not allowed the grant got a token",
            evidence,
        )];
    }
    let refused = answer.is_error(
        400,
        &[
            OAuthErrorCode::UNAUTHORIZED_CLIENT,
            OAuthErrorCode::INVALID_SCOPE,
        ],
    );
    vec![ctx.verdict(
        rule,
        case,
        refused,
        if refused {
            "the restricted client was refused as unauthorized_client or invalid_scope"
        } else {
            "the restricted client was not refused with 400 unauthorized_client or invalid_scope"
        },
        evidence,
    )]
}

/// CORE-CC-04: client_credentials without scope gets a default or
/// invalid_scope.
///
/// Reads [`labels::CLIENT_CREDENTIALS_NO_SCOPE`]: a valid client_credentials
/// request without `scope`. `default-or-invalid-scope` passes on a token
/// whose response reports the applied `scope`, or on 400 `invalid_scope`;
/// when the response has no `scope`, the scope applied is read from
/// [`labels::CLIENT_CREDENTIALS_NO_SCOPE_INTROSPECTION`] (RFC 7662): a
/// non-empty scope not reported fails, no scope at all passes, and without
/// an introspection neither can be told (`error`);
/// `documented-default` (SHOULD) compares the applied scope with the
/// profile's `client_credentials_default_scope` (info when none is
/// configured; a refusal when one is configured is a violation).
#[must_use]
pub(super) fn core_cc_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCc04;
    let cases = ["default-or-invalid-scope", "documented-default"];
    let label = labels::CLIENT_CREDENTIALS_NO_SCOPE;
    let read = answer_of(log, label)
        .and_then(client_credentials_request)
        .and_then(|(exchange, answer)| {
            if form_value(exchange, "scope").is_some() {
                return Err(format!("the {label} request carries scope"));
            }
            Ok(answer)
        });
    let answer = match read {
        Ok(answer) => answer,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let evidence = answer.evidence(label);
    let configured = ctx.profile().client_credentials_default_scope.as_ref();
    if answer.issues_token() {
        if answer.scope().is_none() {
            let issued = answer
                .decoded()
                .ok()
                .map(|response| response.access_token.expose().clone());
            return unreported_scope(
                rule,
                &cases,
                evidence,
                log,
                issued.as_deref(),
                configured,
                ctx,
            );
        }
        return vec![
            ctx.pass_with(
                rule,
                "default-or-invalid-scope",
                "the AS applied a default scope and returned it",
                evidence,
            ),
            applied_default(rule, "documented-default", &answer, label, configured, ctx),
        ];
    }
    let invalid_scope = answer.is_error(400, &[OAuthErrorCode::INVALID_SCOPE]);
    let documented = match (invalid_scope, configured) {
        (true, Some(default)) => ctx.violation(
            rule,
            "documented-default",
            "the AS refused a request without scope although a default is configured",
            evidence
                .clone()
                .field("configured default", default.to_string()),
        ),
        (true, None) => ctx.pass_with(
            rule,
            "documented-default",
            "no default is configured and the AS answered invalid_scope",
            evidence.clone(),
        ),
        (false, _) => ctx.cannot_judge(
            rule,
            "documented-default",
            "the AS neither applied a scope nor answered invalid_scope",
        ),
    };
    vec![
        ctx.verdict(
            rule,
            "default-or-invalid-scope",
            invalid_scope,
            if invalid_scope {
                "the AS answered 400 invalid_scope"
            } else {
                "the AS neither applied a default scope nor answered 400 invalid_scope"
            },
            evidence,
        ),
        documented,
    ]
}

/// CORE-CC-04 when the token response has no `scope`: which scope the AS
/// applied is read from the RFC 7662 introspection of the token
/// ([`labels::CLIENT_CREDENTIALS_NO_SCOPE_INTROSPECTION`]). RFC 6749 §5.1
/// makes `scope` "OPTIONAL, if identical to the scope requested by the
/// client; otherwise, REQUIRED": a default that grants something must be
/// reported; a token whose introspection reports an empty scope differs
/// from nothing that was asked. An introspection without `scope` tells
/// nothing (RFC 7662 §2.2: "scope OPTIONAL"), and neither does the
/// introspection of another token.
fn unreported_scope(
    rule: RuleId,
    cases: &[&'static str],
    evidence: Evidence,
    log: &ExchangeLog,
    issued: Option<&str>,
    configured: Option<&ScopeSet>,
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let label = labels::CLIENT_CREDENTIALS_NO_SCOPE_INTROSPECTION;
    let applied = match introspected_scope(log, label, issued) {
        Ok(applied) => Some(applied).filter(|scope| !scope.is_empty()),
        Err(reason) => {
            return ctx.cannot_judge_all(
                rule,
                cases,
                &format!("the token response does not report the applied scope, and {reason}"),
            );
        }
    };
    let evidence = evidence.field(
        "introspected scope",
        applied
            .as_ref()
            .map_or_else(|| "(empty)".to_owned(), ToString::to_string),
    );
    match applied {
        Some(applied) => vec![
            ctx.violation(
                rule,
                "default-or-invalid-scope",
                format!("the AS applied {applied} without returning it in scope"),
                evidence.clone(),
            ),
            compare_default(
                rule,
                "documented-default",
                &applied,
                evidence,
                configured,
                ctx,
            ),
        ],
        None => vec![
            ctx.pass_with(
                rule,
                "default-or-invalid-scope",
                "the AS issued a token whose introspection reports an empty scope (its \
                 default grants nothing), which is what was asked: no scope to report",
                evidence.clone(),
            ),
            match configured {
                Some(default) => ctx.violation(
                    rule,
                    "documented-default",
                    "the AS applied no scope although a default is configured",
                    evidence.field("configured default", default.to_string()),
                ),
                None => ctx.info(
                    rule,
                    "documented-default",
                    "the AS applied no scope; no default is configured",
                    evidence,
                ),
            },
        ],
    }
}

/// The scope an RFC 7662 introspection of `issued` reports for it, active
/// (empty when it reports `"scope":""`).
///
/// # Errors
/// Why the introspection cannot tell: none was made (the target has no
/// introspection endpoint), it is of another token, it failed, the token is
/// not active, or it reports no `scope` member (optional there).
fn introspected_scope(
    log: &ExchangeLog,
    label: &str,
    issued: Option<&str>,
) -> Result<ScopeSet, String> {
    if log.first(label).is_none() {
        return Err(
            "the token was not introspected (the target has no RFC 7662 introspection endpoint)"
                .to_owned(),
        );
    }
    let (exchange, response) = response_of(log, label)?;
    if issued.is_none() || form_value(exchange, "token").as_deref() != issued {
        return Err(format!(
            "its introspection ({label}) is not of the token issued"
        ));
    }
    if response.status != 200 {
        return Err(format!(
            "its introspection ({label}) answered {}",
            response.status
        ));
    }
    let introspection = IntrospectionResponse::decode(&response.body)
        .map_err(|error| format!("its introspection ({label}) cannot be read: {error}"))?;
    if !introspection.active {
        return Err(format!(
            "its introspection ({label}) says the token is not active"
        ));
    }
    introspection.scope.ok_or_else(|| {
        format!(
            "its introspection ({label}) does not report a scope either (RFC 7662 §2.2: \
             \"scope OPTIONAL\")"
        )
    })
}
