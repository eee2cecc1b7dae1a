//! Transport rules: no endpoint works over cleartext (CORE-TL-01), every
//! endpoint has a valid server certificate (CORE-TL-02).

use super::JudgeContext;
use super::read::{exchange_of, resolve};
use crate::exchange::{
    Exchange, ExchangeLog, TransportFailure, TransportOutcome, labels, redact_url,
};
use crate::{Evidence, Finding, RuleId};

/// What a cleartext request's outcome says.
enum Cleartext {
    /// Not processed: refused, redirected to https, or a 4xx.
    Refused(String),
    /// Processed over cleartext.
    Processed(String),
    /// Cannot tell.
    Unclear(String),
}

fn cleartext_outcome(exchange: &Exchange) -> Cleartext {
    match &exchange.outcome {
        TransportOutcome::Failed(TransportFailure::TooLarge { limit }) => Cleartext::Processed(
            format!("the endpoint sent a response over the {limit}-byte cap"),
        ),
        TransportOutcome::Failed(failure) => {
            Cleartext::Refused(format!("the cleartext request failed: {failure}"))
        }
        TransportOutcome::Response(response) => {
            let status = response.status;
            match status {
                300..=399 => match response.header("location") {
                    Some(location) => {
                        let target = resolve(location, &exchange.request.url);
                        if target.to_ascii_lowercase().starts_with("https://") {
                            Cleartext::Refused(format!("{status} to https"))
                        } else {
                            Cleartext::Processed(format!("{status} to {}", redact_url(&target)))
                        }
                    }
                    None => Cleartext::Unclear(format!("{status} without Location")),
                },
                400..=499 => Cleartext::Refused(format!("refused with {status}")),
                200..=299 => Cleartext::Processed(format!("processed with {status}")),
                _ => Cleartext::Unclear(format!("answered {status}")),
            }
        }
    }
}

/// CORE-TL-01: no endpoint works over cleartext.
///
/// Reads [`labels::CLEARTEXT_AUTHORIZE`], [`labels::CLEARTEXT_TOKEN`],
/// [`labels::CLEARTEXT_REVOCATION`] and [`labels::CLEARTEXT_REGISTRATION`]
/// (cases `authorize`, `token`, `revocation`, `registration`): syntactically
/// valid dummy requests (invented code, no secret) to the `http://` form of
/// each endpoint. A transport failure, a redirect to https or a 4xx passes;
/// a 2xx, a redirect within cleartext, or an oversized answer fails; a 5xx
/// cannot be judged.
#[must_use]
pub(super) fn core_tl_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreTl01;
    [
        ("authorize", labels::CLEARTEXT_AUTHORIZE),
        ("token", labels::CLEARTEXT_TOKEN),
        ("revocation", labels::CLEARTEXT_REVOCATION),
        ("registration", labels::CLEARTEXT_REGISTRATION),
    ]
    .into_iter()
    .map(|(case, label)| {
        let exchange = match exchange_of(log, label) {
            Ok(exchange) => exchange,
            Err(reason) => return ctx.cannot_judge(rule, case, reason),
        };
        if !exchange
            .request
            .url
            .to_ascii_lowercase()
            .starts_with("http://")
        {
            return ctx.cannot_judge(
                rule,
                case,
                format!("the {label} request is not sent over http"),
            );
        }
        let evidence = |what: &str| {
            Evidence::new()
                .field("exchange", label)
                .field("url", redact_url(&exchange.request.url))
                .field("outcome", what)
        };
        match cleartext_outcome(exchange) {
            Cleartext::Refused(what) => ctx.pass_with(
                rule,
                case,
                "the cleartext endpoint did not process the request",
                evidence(&what),
            ),
            Cleartext::Processed(what) => ctx.violation(
                rule,
                case,
                "the endpoint processed a request sent over cleartext",
                evidence(&what),
            ),
            Cleartext::Unclear(what) => {
                ctx.cannot_judge(rule, case, format!("the {label} request {what}"))
            }
        }
    })
    .collect()
}

/// CORE-TL-02: every endpoint has a valid server certificate.
///
/// Reads every `https` exchange of the log, whatever its label: the
/// harness validates the server certificate (chain, validity, host name) of
/// each, and reports a failure as
/// [`TransportFailure::InvalidServerCertificate`]. Fails once per such
/// exchange; passes when none failed and at least one completed.
#[must_use]
pub(super) fn core_tl_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreTl02;
    let case = "main";
    let secure: Vec<&Exchange> = log
        .exchanges()
        .iter()
        .filter(|exchange| {
            exchange
                .request
                .url
                .to_ascii_lowercase()
                .starts_with("https://")
        })
        .collect();
    if secure.is_empty() {
        return vec![ctx.cannot_judge(rule, case, "the log has no https exchange")];
    }
    let mut findings: Vec<Finding> = secure
        .iter()
        .filter_map(|exchange| match exchange.failure() {
            Some(TransportFailure::InvalidServerCertificate { reason }) => Some(
                ctx.violation(
                    rule,
                    case,
                    "an endpoint presented an invalid server certificate",
                    Evidence::new()
                        .field("exchange", exchange.label.clone())
                        .field("url", redact_url(&exchange.request.url))
                        .field("certificate", reason.clone()),
                ),
            ),
            _ => None,
        })
        .collect();
    // Only a completed exchange proves that the handshake accepted the
    // certificate.
    let completed = secure.iter().filter(|e| e.response().is_some()).count();
    if findings.is_empty() {
        findings.push(if completed == 0 {
            ctx.cannot_judge(rule, case, "no https exchange completed its handshake")
        } else {
            ctx.pass(
                rule,
                case,
                format!("{completed} https exchanges saw a valid server certificate"),
            )
        });
    }
    findings
}
