//! RFC 9700 rules on the authorization endpoint and the AS pages: exact
//! redirect URI matching (SEC-AZ-01), no cleartext redirect URI (SEC-AZ-02),
//! no open redirector (SEC-AZ-03), no framing (SEC-AZ-04), no CORS
//! (SEC-AZ-05), no method-preserving redirect after a POST (SEC-AZ-06).

use super::JudgeContext;
use super::read::{Journey, extends, origin, resolve, same_endpoint, script_mentions};
use super::redirect::{
    RedirectMatch, RedirectUriProblem, match_redirect_uri, redirect_uri_problems,
};
use crate::exchange::{Exchange, ExchangeLog, HttpResponse, labels, redact_url};
use crate::{Evidence, Finding, RuleId};

/// SEC-AZ-01: exact redirect URI matching.
///
/// Reads every journey whose label is [`labels::AUTHORIZE_REDIRECT_VARIANT_PREFIX`]
/// followed by a variant name, each naming a variant of a registered redirect
/// URI (the PSU consents when a consent page is shown), and the registered URIs
/// from [`TargetFacts::redirect_uris`](super::TargetFacts). A variant that
/// the policy accepts (identical, or a loopback URI differing in its port,
/// RFC 8252 §7.3) may be used; otherwise the case fails when the agent is
/// sent to the variant, or when a code reaches a registered URI in answer to
/// the variant (the AS accepted it and normalised it). ConnectPay's
/// host-only matching is a `deviation`.
#[must_use]
pub(super) fn sec_az_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAz01;
    let case = "main";
    let registered = &ctx.facts().redirect_uris;
    if registered.is_empty() {
        return vec![ctx.cannot_judge(rule, case, "no registered redirect URI is configured")];
    }
    let variants = log.labels_with_prefix(labels::AUTHORIZE_REDIRECT_VARIANT_PREFIX);
    if variants.is_empty() {
        return vec![ctx.cannot_judge(
            rule,
            case,
            format!(
                "the log has no exchange labelled {}*",
                labels::AUTHORIZE_REDIRECT_VARIANT_PREFIX
            ),
        )];
    }
    variants
        .into_iter()
        .map(|label| {
            let journey = match Journey::read(log, label, ctx) {
                Ok(journey) => journey,
                Err(reason) => return ctx.cannot_judge(rule, case, reason),
            };
            let Some(variant) = journey.request.get(&ctx.profile().redirect_param) else {
                return ctx.cannot_judge(
                    rule,
                    case,
                    format!("the {label} request names no redirect URI"),
                );
            };
            let matched = match_redirect_uri(variant, registered, ctx.profile().redirect_matching);
            let evidence = Evidence::new()
                .field("exchange", label)
                .field("redirect_uri", variant)
                .field("registered", registered.join(" "));
            if matched == RedirectMatch::Exact {
                return ctx.cannot_judge(
                    rule,
                    case,
                    format!("the {label} variant is a registered URI"),
                );
            }
            let Some(evidence) = variant_used(&journey, variant, registered, evidence) else {
                return ctx.pass_with(
                    rule,
                    case,
                    "the AS did not use the redirect URI variant",
                    journey.end_evidence().field("redirect_uri", variant),
                );
            };
            match matched {
                RedirectMatch::LoopbackPort => ctx.pass_with(
                    rule,
                    case,
                    "the variant differs from a registered loopback URI in its port only",
                    evidence,
                ),
                RedirectMatch::HostOnly => ctx.deviation(
                    rule,
                    case,
                    "the AS used a redirect URI that matches a registered one by host only",
                    evidence,
                ),
                _ => ctx.violation(
                    rule,
                    case,
                    "the AS used a redirect URI that is not identical to a registered one",
                    evidence,
                ),
            }
        })
        .collect()
}

/// Evidence that the journey used the variant: a navigation to it, a page
/// script naming it, or a code delivered to a registered URI.
fn variant_used(
    journey: &Journey<'_>,
    variant: &str,
    registered: &[String],
    evidence: Evidence,
) -> Option<Evidence> {
    for navigation in journey.navigations() {
        if extends(&navigation.url, variant) {
            return Some(evidence.field(navigation.kind.name(), redact_url(&navigation.url)));
        }
        let to_registered = registered
            .iter()
            .any(|uri| same_endpoint(&navigation.url, uri));
        let parts = super::uri::split(&navigation.url);
        let carries_code = [parts.query, parts.fragment]
            .into_iter()
            .flatten()
            .any(|component| {
                component
                    .split('&')
                    .any(|pair| pair.split('=').next() == Some("code"))
            });
        if to_registered && carries_code {
            return Some(
                evidence
                    .field(navigation.kind.name(), redact_url(&navigation.url))
                    .note("a code was issued in answer to the variant"),
            );
        }
    }
    journey
        .script_to(variant)
        .map(|hop| evidence.field("page naming the variant", redact_url(&hop.request.url)))
}

/// SEC-AZ-02: no cleartext redirect URI except loopback.
///
/// Reads [`labels::AUTHORIZE_HTTP_REDIRECT_URI`]: a journey whose request
/// names an `http://` redirect URI on a host that is not loopback (the PSU
/// consents when a consent page is shown). Fails when a code is delivered
/// to that URI.
#[must_use]
pub(super) fn sec_az_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAz02;
    let case = "main";
    let journey = match Journey::read(log, labels::AUTHORIZE_HTTP_REDIRECT_URI, ctx) {
        Ok(journey) => journey,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let Some(target) = journey.request.get(&ctx.profile().redirect_param) else {
        return vec![ctx.cannot_judge(rule, case, "the request names no redirect URI")];
    };
    if !redirect_uri_problems(target).contains(&RedirectUriProblem::CleartextNonLoopback) {
        return vec![ctx.cannot_judge(
            rule,
            case,
            "the request's redirect URI is not http on a host other than loopback",
        )];
    }
    let delivered = journey
        .callback()
        .filter(|callback| super::read::CallbackValues::of(callback).code);
    vec![match delivered {
        Some(callback) => ctx.violation(
            rule,
            case,
            "the AS delivered a code to an http redirect URI",
            callback.evidence(),
        ),
        None => ctx.pass_with(
            rule,
            case,
            "no code was delivered to the http redirect URI",
            journey.end_evidence().field("redirect_uri", target),
        ),
    }]
}

/// SEC-AZ-03: the AS pages are no open redirector.
///
/// Reads every journey labelled [`labels::OPEN_REDIRECT_PROBE_PREFIX`] + a
/// probe name: a GET of an AS page URL listed in the target configuration
/// with one of its listed parameters set to an absolute URL on an outside
/// host (any query value that is an absolute URL on another origin than the
/// page is taken as the probe). Fails (at the catalogue's level: warn) when
/// the agent is sent to that origin.
#[must_use]
pub(super) fn sec_az_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAz03;
    let case = "main";
    let probes = log.labels_with_prefix(labels::OPEN_REDIRECT_PROBE_PREFIX);
    if probes.is_empty() {
        return vec![ctx.cannot_judge(
            rule,
            case,
            format!(
                "the log has no exchange labelled {}*",
                labels::OPEN_REDIRECT_PROBE_PREFIX
            ),
        )];
    }
    probes
        .into_iter()
        .map(|label| {
            let journey = match Journey::read(log, label, ctx) {
                Ok(journey) => journey,
                Err(reason) => return ctx.cannot_judge(rule, case, reason),
            };
            let page = &journey.first.request.url;
            let page_origin = origin(page);
            let outside: Vec<(String, String)> = journey
                .request
                .iter()
                .filter_map(|(name, value)| {
                    let target = origin(value)?;
                    let web = target.starts_with("http://") || target.starts_with("https://");
                    (web && Some(&target) != page_origin.as_ref())
                        .then(|| (name.to_owned(), target))
                })
                .collect();
            if outside.is_empty() {
                return ctx.cannot_judge(
                    rule,
                    case,
                    format!("the {label} request carries no outside URL"),
                );
            }
            let evidence = Evidence::new()
                .field("exchange", label)
                .field("page", redact_url(page));
            let forwarded = journey.navigations().into_iter().find(|navigation| {
                origin(&navigation.url).is_some_and(|to| outside.iter().any(|(_, o)| *o == to))
            });
            if let Some(navigation) = forwarded {
                return ctx.violation(
                    rule,
                    case,
                    "the AS page forwarded the user agent to the outside URL of a parameter",
                    evidence.field(navigation.kind.name(), redact_url(&navigation.url)),
                );
            }
            let scripted = journey.exchanges.iter().find(|exchange| {
                exchange.response().is_some_and(|response| {
                    journey.request.iter().any(|(name, value)| {
                        outside.iter().any(|(probe, _)| probe == name)
                            && script_mentions(response, value)
                    })
                })
            });
            match scripted {
                Some(hop) => ctx.violation(
                    rule,
                    case,
                    "a script or form on the AS page names the outside URL of a parameter",
                    evidence.field("page naming it", redact_url(&hop.request.url)),
                ),
                None => ctx.pass_with(
                    rule,
                    case,
                    "the AS page did not forward the user agent to the outside URL",
                    evidence,
                ),
            }
        })
        .collect()
}

/// The HTML pages of the log: 2xx `text/html` responses.
fn html_pages(log: &ExchangeLog) -> Vec<(&Exchange, &HttpResponse)> {
    log.exchanges()
        .iter()
        .filter_map(|exchange| Some((exchange, exchange.response()?)))
        .filter(|(_, response)| {
            response.is_success() && response.media_type().as_deref() == Some("text/html")
        })
        .collect()
}

/// `frame-ancestors` sources of the enforced CSP, if the directive is
/// present, and whether they block framing by arbitrary origins.
fn frame_ancestors(response: &HttpResponse) -> Option<(String, bool)> {
    response
        .header_values("content-security-policy")
        .flat_map(|policy| policy.split(';'))
        .map(str::trim)
        .find_map(|directive| {
            let mut tokens = directive.split_ascii_whitespace();
            let name = tokens.next()?;
            if !name.eq_ignore_ascii_case("frame-ancestors") {
                return None;
            }
            let sources: Vec<&str> = tokens.collect();
            let blocks = !sources.is_empty()
                && !sources
                    .iter()
                    .any(|source| matches!(*source, "*" | "http:" | "https:" | "data:"));
            Some((sources.join(" "), blocks))
        })
}

fn x_frame_options_blocks(response: &HttpResponse) -> bool {
    response.header("x-frame-options").is_some_and(|value| {
        let value = value.trim();
        value.eq_ignore_ascii_case("deny") || value.eq_ignore_ascii_case("sameorigin")
    })
}

/// SEC-AZ-04: the authorization pages cannot be framed.
///
/// Reads every HTML page (2xx `text/html`) of the log, whatever its label:
/// the scenario fetches the authorization, login and consent pages (the
/// journeys [`labels::AUTHORIZE_GRANT`] or [`labels::AUTHORIZE_DENY`] do).
/// `framing-blocked` fails for a page with neither a blocking CSP
/// `frame-ancestors` nor `X-Frame-Options: DENY | SAMEORIGIN`; `csp`
/// (SHOULD) for a page without a blocking `frame-ancestors`.
#[must_use]
pub(super) fn sec_az_04(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAz04;
    let pages = html_pages(log);
    if pages.is_empty() {
        return ctx.cannot_judge_all(
            rule,
            &["framing-blocked", "csp"],
            "the log has no HTML page",
        );
    }
    let mut framing = Vec::new();
    let mut csp = Vec::new();
    for (exchange, response) in &pages {
        let ancestors = frame_ancestors(response);
        let csp_blocks = ancestors.as_ref().is_some_and(|(_, blocks)| *blocks);
        let mut evidence = Evidence::new()
            .field("exchange", exchange.label.clone())
            .field("page", redact_url(&exchange.request.url));
        evidence = match &ancestors {
            Some((sources, _)) => evidence.field("frame-ancestors", sources.clone()),
            None => evidence.note("no CSP frame-ancestors"),
        };
        evidence = match response.header("x-frame-options") {
            Some(value) => evidence.field("X-Frame-Options", value),
            None => evidence.note("no X-Frame-Options"),
        };
        if !(csp_blocks || x_frame_options_blocks(response)) {
            framing.push(ctx.violation(
                rule,
                "framing-blocked",
                "an AS page can be framed: no frame-ancestors and no X-Frame-Options",
                evidence.clone(),
            ));
        }
        if !csp_blocks {
            csp.push(ctx.violation(
                rule,
                "csp",
                "an AS page has no CSP frame-ancestors that blocks framing",
                evidence,
            ));
        }
    }
    let count = pages.len();
    if framing.is_empty() {
        framing.push(ctx.pass(
            rule,
            "framing-blocked",
            format!("all {count} AS pages block framing"),
        ));
    }
    if csp.is_empty() {
        csp.push(ctx.pass(
            rule,
            "csp",
            format!("all {count} AS pages send a blocking CSP frame-ancestors"),
        ));
    }
    framing.extend(csp);
    framing
}

/// SEC-AZ-05: no CORS at the authorization endpoint.
///
/// Reads [`labels::AUTHORIZE_CORS`]: a valid authorization request carrying
/// an `Origin` header. Fails when a response to a request of the journey
/// that carried `Origin` has `Access-Control-Allow-Origin`.
#[must_use]
pub(super) fn sec_az_05(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAz05;
    let case = "main";
    let journey = match Journey::read(log, labels::AUTHORIZE_CORS, ctx) {
        Ok(journey) => journey,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let Some(sent_origin) = journey.first.request.header("origin") else {
        return vec![ctx.cannot_judge(
            rule,
            case,
            "the authorization request carries no Origin header",
        )];
    };
    let allowing = journey.exchanges.iter().find_map(|exchange| {
        exchange.request.header("origin")?;
        let allowed = exchange.response()?.header("access-control-allow-origin")?;
        Some((exchange, allowed))
    });
    vec![match allowing {
        Some((exchange, allowed)) => ctx.violation(
            rule,
            case,
            "the authorization endpoint answers with Access-Control-Allow-Origin",
            Evidence::new()
                .field("exchange", exchange.label.clone())
                .field("Origin", sent_origin)
                .field("Access-Control-Allow-Origin", allowed),
        ),
        None => ctx.pass_with(
            rule,
            case,
            "no Access-Control-Allow-Origin in answer to a request with Origin",
            Evidence::new()
                .field("exchange", journey.label)
                .field("Origin", sent_origin),
        ),
    }]
}

/// SEC-AZ-06: no method-preserving redirect after the login POST.
///
/// Reads every POST of the log whose answer is a 3xx with `Location` on
/// another origin than the POST, or on a configured redirect URI: the
/// journeys that submit the login and consent forms
/// ([`labels::AUTHORIZE_GRANT`], [`labels::AUTHORIZE_DENY`]). `no-307`
/// fails for a 307 or 308; `see-other` (SHOULD) for any status but 303.
#[must_use]
pub(super) fn sec_az_06(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecAz06;
    let posts: Vec<&Exchange> = log
        .exchanges()
        .iter()
        .filter(|exchange| exchange.request.method.eq_ignore_ascii_case("POST"))
        .collect();
    if posts.is_empty() {
        return ctx.cannot_judge_all(
            rule,
            &["no-307", "see-other"],
            "the log has no POST request",
        );
    }
    let mut no_307 = Vec::new();
    let mut see_other = Vec::new();
    let mut judged = 0;
    for exchange in posts {
        let Some(response) = exchange.response() else {
            continue;
        };
        let Some(location) = response
            .header("location")
            .filter(|_| response.is_redirect())
        else {
            continue;
        };
        let target = resolve(location, &exchange.request.url);
        let to_client = ctx
            .facts()
            .redirect_uris
            .iter()
            .any(|uri| same_endpoint(&target, uri));
        if !(to_client || origin(&target) != origin(&exchange.request.url)) {
            continue;
        }
        judged += 1;
        let evidence = Evidence::new()
            .field("exchange", exchange.label.clone())
            .field("POST", redact_url(&exchange.request.url))
            .field("status", response.status.to_string())
            .field("Location", redact_url(&target));
        if matches!(response.status, 307 | 308) {
            no_307.push(ctx.violation(
                rule,
                "no-307",
                format!(
                    "a POST was answered with {}, which resends the credentials",
                    response.status
                ),
                evidence.clone(),
            ));
        }
        if response.status != 303 {
            see_other.push(ctx.violation(
                rule,
                "see-other",
                format!(
                    "a POST was redirected with {} rather than 303",
                    response.status
                ),
                evidence,
            ));
        }
    }
    let message = if judged == 0 {
        "no POST was redirected to the client or another origin".to_owned()
    } else {
        format!("{judged} redirects after a POST were judged")
    };
    if no_307.is_empty() {
        no_307.push(ctx.pass(rule, "no-307", message.clone()));
    }
    if see_other.is_empty() {
        see_other.push(ctx.pass(rule, "see-other", message));
    }
    no_307.extend(see_other);
    no_307
}
