//! The authorization response at the client's redirect URI: success
//! (CORE-CB-01), denial (CORE-CB-02), a registered query kept (CORE-CB-03),
//! and RFC 9207's `iss` (CORE-CB-05).

use psd2_core::OAuthErrorCode;
use psd2_wire::{AuthorizationServerMetadata, Form, JsonMessage, ParameterLocation};

use super::JudgeContext;
use super::authorize::state_echo;
use super::read::{CallbackValues, Journey, response_of};
use crate::exchange::{ExchangeLog, labels, redact_url};
use crate::{Evidence, Finding, RuleId};

/// CORE-CB-01: the success callback carries code and the exact state in
/// the query.
///
/// Reads [`labels::AUTHORIZE_GRANT`]: a complete authorization (with a
/// `state`) in which the PSU grants. The callback is the first redirect to
/// the request's `redirect_uri`. `code` fails without a code, `state`
/// unless the state sent comes back exactly (after URL decoding), `query`
/// when the parameters are in the fragment. A callback the decoder refuses
/// (a repeated parameter) fails every case.
#[must_use]
pub(super) fn core_cb_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCb01;
    let cases = ["code", "state", "query"];
    let journey = match Journey::read(log, labels::AUTHORIZE_GRANT, ctx) {
        Ok(journey) => journey,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let Some(callback) = journey.callback() else {
        return ctx.cannot_judge_all(rule, &cases, "the journey never reached the redirect URI");
    };
    let evidence = callback.evidence();
    let decoded = match &callback.decoded {
        Ok(decoded) => decoded,
        Err(error) => {
            return cases
                .iter()
                .map(|case| {
                    ctx.violation(
                        rule,
                        case,
                        format!("the callback does not decode: {error}"),
                        evidence.clone(),
                    )
                })
                .collect();
        }
    };
    let values = CallbackValues::of(&callback);
    let in_query = decoded.location == ParameterLocation::Query;
    vec![
        ctx.verdict(
            rule,
            "code",
            values.code,
            if values.code {
                "the callback carries a code"
            } else {
                "the success callback carries no code"
            },
            evidence.clone(),
        ),
        state_echo(rule, "state", &journey, &values.states, &callback, ctx),
        ctx.verdict(
            rule,
            "query",
            in_query,
            if in_query {
                "the parameters are in the query"
            } else {
                "the parameters are in the fragment"
            },
            evidence,
        ),
    ]
}

/// CORE-CB-02: a denial comes back as access_denied with the state and no
/// code.
///
/// Reads [`labels::AUTHORIZE_DENY`]: a complete authorization (with a
/// `state`) in which the PSU denies. `access-denied` fails unless the
/// callback has `error=access_denied` (a journey that never reaches the
/// client fails it too), `state` unless the exact state comes back,
/// `no-code` when a code comes back.
#[must_use]
pub(super) fn core_cb_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCb02;
    let cases = ["access-denied", "state", "no-code"];
    let journey = match Journey::read(log, labels::AUTHORIZE_DENY, ctx) {
        Ok(journey) => journey,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let Some(callback) = journey.callback() else {
        if journey.end().response().is_none() {
            return ctx.cannot_judge_all(rule, &cases, "the journey ended in a transport failure");
        }
        let evidence = journey.end_evidence();
        return vec![
            ctx.violation(
                rule,
                "access-denied",
                "the denial never reached the client",
                evidence.clone(),
            ),
            ctx.violation(
                rule,
                "state",
                "no callback carries the state",
                evidence.clone(),
            ),
            ctx.pass_with(rule, "no-code", "no code reached the client", evidence),
        ];
    };
    let values = CallbackValues::of(&callback);
    let mut evidence = callback.evidence();
    if let Some(error) = &values.error {
        evidence = evidence.field("error", error.as_str());
    }
    let denied = values.error.as_ref() == Some(&OAuthErrorCode::ACCESS_DENIED);
    vec![
        ctx.verdict(
            rule,
            "access-denied",
            denied,
            if denied {
                "the callback carries error=access_denied"
            } else {
                "the denial callback does not carry error=access_denied"
            },
            evidence.clone(),
        ),
        state_echo(rule, "state", &journey, &values.states, &callback, ctx),
        ctx.verdict(
            rule,
            "no-code",
            !values.code,
            if values.code {
                "the denial callback carries a code"
            } else {
                "the denial callback carries no code"
            },
            evidence,
        ),
    ]
}

/// CORE-CB-03: the registered query of the redirect URI is kept.
///
/// Reads [`labels::AUTHORIZE_QUERY_REDIRECT_URI`]: a complete grant whose
/// `redirect_uri` (registered as such) has a query component. Fails when a
/// parameter of that query is missing from the callback's query or comes
/// back with another value.
#[must_use]
pub(super) fn core_cb_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCb03;
    let case = "main";
    let journey = match Journey::read(log, labels::AUTHORIZE_QUERY_REDIRECT_URI, ctx) {
        Ok(journey) => journey,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let Some(redirect_uri) = journey.redirect_uri.clone() else {
        return vec![ctx.cannot_judge(rule, case, "the request names no redirect URI")];
    };
    let registered_query = super::uri::split(&redirect_uri)
        .query
        .and_then(|query| Form::decode(query.as_bytes()).ok())
        .filter(|form| !form.is_empty());
    let Some(registered_query) = registered_query else {
        return vec![ctx.cannot_judge(rule, case, "the redirect URI has no query component")];
    };
    let Some(callback) = journey.callback() else {
        return vec![ctx.cannot_judge(rule, case, "the journey never reached the redirect URI")];
    };
    let returned = super::uri::split(&callback.navigation.url)
        .query
        .and_then(|query| Form::decode(query.as_bytes()).ok())
        .unwrap_or_default();
    let lost: Vec<String> = registered_query
        .iter()
        .filter(|(name, value)| !returned.get_all(name).any(|back| back == *value))
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let evidence = callback
        .evidence()
        .field("redirect_uri", redact_url(&redirect_uri));
    vec![if lost.is_empty() {
        ctx.pass_with(
            rule,
            case,
            "the callback keeps the query of the redirect URI",
            evidence,
        )
    } else {
        ctx.violation(
            rule,
            case,
            "the callback dropped or overwrote the query of the redirect URI",
            evidence.field("lost", lost.join("&")),
        )
    }]
}

/// CORE-CB-05: the callback carries iss when the metadata promises it.
///
/// Reads [`labels::METADATA`] and, when it advertises
/// `authorization_response_iss_parameter_supported: true`, the callbacks of
/// [`labels::AUTHORIZE_GRANT`] (`success`) and [`labels::AUTHORIZE_DENY`]
/// (`error`): each fails unless `iss` equals the metadata's `issuer` by
/// simple string comparison (RFC 9207 §2.4). Without usable metadata, or
/// when it does not promise `iss`, both cases are reported as info (RULES.md
///
#[must_use]
pub(super) fn core_cb_05(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreCb05;
    let cases = [
        ("success", labels::AUTHORIZE_GRANT),
        ("error", labels::AUTHORIZE_DENY),
    ];
    let (_, response) = match response_of(log, labels::METADATA) {
        Ok(found) => found,
        Err(reason) => {
            return ctx.cannot_judge_all(rule, &["success", "error"], &reason);
        }
    };
    let metadata = (response.status == 200)
        .then(|| AuthorizationServerMetadata::decode(&response.body).ok())
        .flatten();
    let Some(metadata) = metadata else {
        let evidence = Evidence::new().field("metadata status", response.status.to_string());
        return cases
            .iter()
            .map(|(case, _)| {
                ctx.info(
                    rule,
                    case,
                    "no usable metadata, so iss is not required (RULES.md A-21)",
                    evidence.clone(),
                )
            })
            .collect();
    };
    if metadata.authorization_response_iss_parameter_supported != Some(true) {
        return cases
            .iter()
            .map(|(case, _)| {
                ctx.info(
                    rule,
                    case,
                    "the metadata does not promise iss in authorization responses",
                    Evidence::new().field("issuer", metadata.issuer.clone()),
                )
            })
            .collect();
    }
    cases
        .iter()
        .map(|(case, label)| {
            let journey = match Journey::read(log, label, ctx) {
                Ok(journey) => journey,
                Err(reason) => return ctx.cannot_judge(rule, case, reason),
            };
            let Some(callback) = journey.callback() else {
                return ctx.cannot_judge(
                    rule,
                    case,
                    format!("the {label} journey never reached the redirect URI"),
                );
            };
            let values = CallbackValues::of(&callback);
            let evidence = callback
                .evidence()
                .field("metadata issuer", metadata.issuer.clone())
                .field(
                    "iss",
                    values.iss.clone().unwrap_or_else(|| "(absent)".to_owned()),
                );
            match values.iss.as_deref() {
                Some(iss) if iss == metadata.issuer => ctx.pass_with(
                    rule,
                    case,
                    "the callback carries iss equal to the issuer",
                    evidence,
                ),
                Some(_) => ctx.violation(
                    rule,
                    case,
                    "the callback's iss differs from the issuer",
                    evidence,
                ),
                None => ctx.violation(
                    rule,
                    case,
                    "the callback lacks iss although the metadata promises it",
                    evidence,
                ),
            }
        })
        .collect()
}
