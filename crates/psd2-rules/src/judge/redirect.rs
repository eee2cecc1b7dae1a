//! Redirect URIs: what may be registered (CORE-RG-02, SEC-AZ-02), how a
//! requested URI is matched against the registered ones (SEC-AZ-01 with the
//! RFC 8252 §7.3 loopback-port exception and ConnectPay's host-only
//! deviation), and the ConnectPay callback-list rules (CP-AZ-03, CP-AZ-04).

use psd2_core::RedirectMatching;

use super::JudgeContext;
use super::uri::{self, Authority};
use crate::{Evidence, Finding, RuleId};

/// Why a redirect URI must not be registered or used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RedirectUriProblem {
    /// `http` on a host that is not loopback (RFC 9700 §2.6).
    CleartextNonLoopback,
    /// A fragment component (RFC 6749 §3.1.2).
    Fragment,
    /// A relative reference, not an absolute URI (RFC 6749 §3.1.2).
    Relative,
}

/// Every problem of a redirect URI, empty when it may be registered.
///
/// ```
/// use psd2_rules::judge::{redirect_uri_problems, RedirectUriProblem};
/// assert!(redirect_uri_problems("https://tpp.example/cb").is_empty());
/// assert!(redirect_uri_problems("http://127.0.0.1:53122/cb").is_empty());
/// assert_eq!(
///     redirect_uri_problems("http://tpp.example/cb#done"),
///     vec![RedirectUriProblem::CleartextNonLoopback, RedirectUriProblem::Fragment]
/// );
/// assert_eq!(redirect_uri_problems("/cb"), vec![RedirectUriProblem::Relative]);
/// ```
#[must_use]
pub fn redirect_uri_problems(redirect_uri: &str) -> Vec<RedirectUriProblem> {
    let parts = uri::split(redirect_uri);
    let mut problems = Vec::new();
    match parts.scheme {
        None => problems.push(RedirectUriProblem::Relative),
        Some(scheme) if scheme.eq_ignore_ascii_case("http") => {
            let loopback = parts
                .authority
                .map(uri::split_authority)
                .is_some_and(|authority| uri::is_loopback_host(authority.host));
            if !loopback {
                problems.push(RedirectUriProblem::CleartextNonLoopback);
            }
        }
        Some(_) => {}
    }
    if parts.fragment.is_some() {
        problems.push(RedirectUriProblem::Fragment);
    }
    problems
}

/// How a requested redirect URI matched the registered ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RedirectMatch {
    /// Identical to a registered URI by simple string comparison
    /// (RFC 3986 §6.2.1).
    Exact,
    /// Only the host matches a registered URI: accepted under
    /// [`RedirectMatching::HostOnly`], ConnectPay's documented deviation.
    HostOnly,
    /// A loopback URI that differs from a registered one in its port alone,
    /// which RFC 8252 §7.3 requires the server to accept.
    LoopbackPort,
    /// Matches no registered URI under the policy.
    NoMatch,
}

impl RedirectMatch {
    /// Whether the server may redirect to the URI.
    #[must_use]
    pub fn is_accepted(self) -> bool {
        !matches!(self, RedirectMatch::NoMatch)
    }
}

/// Matches a requested redirect URI against the registered ones: exact
/// string comparison, except the port of a loopback URI; under
/// [`RedirectMatching::HostOnly`] a URI on a registered host matches too.
///
/// ```
/// use psd2_core::RedirectMatching;
/// use psd2_rules::judge::{match_redirect_uri, RedirectMatch};
/// let registered = ["https://tpp.example/cb", "http://127.0.0.1/cb"];
/// let exact = RedirectMatching::Exact;
/// assert_eq!(match_redirect_uri("https://tpp.example/cb", &registered, exact), RedirectMatch::Exact);
/// assert_eq!(match_redirect_uri("https://tpp.example/cb/", &registered, exact), RedirectMatch::NoMatch);
/// assert_eq!(match_redirect_uri("http://127.0.0.1:5000/cb", &registered, exact), RedirectMatch::LoopbackPort);
/// assert_eq!(
///     match_redirect_uri("https://tpp.example/other", &registered, RedirectMatching::HostOnly),
///     RedirectMatch::HostOnly
/// );
/// ```
#[must_use]
pub fn match_redirect_uri(
    requested: &str,
    registered: &[impl AsRef<str>],
    policy: RedirectMatching,
) -> RedirectMatch {
    let registered = || registered.iter().map(AsRef::as_ref);
    if registered().any(|candidate| candidate == requested) {
        return RedirectMatch::Exact;
    }
    if registered().any(|candidate| differs_in_loopback_port_only(requested, candidate)) {
        return RedirectMatch::LoopbackPort;
    }
    if policy == RedirectMatching::HostOnly
        && registered().any(|candidate| same_host(requested, candidate))
    {
        return RedirectMatch::HostOnly;
    }
    RedirectMatch::NoMatch
}

fn authority_of(uri_text: &str) -> Option<(uri::UriParts<'_>, Authority<'_>)> {
    let parts = uri::split(uri_text);
    let authority = uri::split_authority(parts.authority?);
    Some((parts, authority))
}

/// Both are `http` loopback URIs, identical but for the port.
fn differs_in_loopback_port_only(requested: &str, registered: &str) -> bool {
    let (Some((a, a_auth)), Some((b, b_auth))) =
        (authority_of(requested), authority_of(registered))
    else {
        return false;
    };
    a.scheme == b.scheme
        && a.scheme
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http"))
        && a_auth.userinfo.is_none()
        && b_auth.userinfo.is_none()
        && a_auth.host == b_auth.host
        && uri::is_loopback_host(a_auth.host)
        && a.path == b.path
        && a.query == b.query
        && a.fragment == b.fragment
}

/// Host names compare without regard to case (they are DNS names).
fn same_host(requested: &str, registered: &str) -> bool {
    match (authority_of(requested), authority_of(registered)) {
        (Some((_, a)), Some((_, b))) => !a.host.is_empty() && a.host.eq_ignore_ascii_case(b.host),
        _ => false,
    }
}

/// CORE-RG-02: the server registered these redirect URIs (the
/// `redirect_uris` of its registration response); every fragment, relative
/// URI and cleartext non-loopback URI among them is a violation.
#[must_use]
pub fn judge_registered_redirect_uris(
    registered: &[impl AsRef<str>],
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let rule = RuleId::CoreRg02;
    if !ctx.applies(rule) {
        return Vec::new();
    }
    let cases = [
        (
            RedirectUriProblem::Fragment,
            "fragment",
            "a registered redirect URI has a fragment",
            "no registered redirect URI has a fragment",
        ),
        (
            RedirectUriProblem::Relative,
            "relative",
            "a registered redirect URI is relative",
            "every registered redirect URI is absolute",
        ),
        (
            RedirectUriProblem::CleartextNonLoopback,
            "http-non-loopback",
            "a registered redirect URI uses http on a host that is not loopback",
            "no registered redirect URI uses http outside loopback",
        ),
    ];
    let problems: Vec<(usize, &str, Vec<RedirectUriProblem>)> = registered
        .iter()
        .enumerate()
        .map(|(index, uri_text)| {
            (
                index,
                uri_text.as_ref(),
                redirect_uri_problems(uri_text.as_ref()),
            )
        })
        .collect();
    let mut findings = Vec::new();
    for (problem, case, violated, held) in cases {
        let before = findings.len();
        for (index, uri_text, found) in &problems {
            if found.contains(&problem) {
                findings.push(ctx.violation(
                    rule,
                    case,
                    violated,
                    Evidence::new().field(format!("redirect_uris[{index}]"), *uri_text),
                ));
            }
        }
        if findings.len() == before {
            findings.push(ctx.pass(rule, case, held));
        }
    }
    findings
}

/// The authorization server redirected the user agent to `redirect_uri` (the
/// redirect URI of the authorization request, before code and state were
/// added) for a client that registered `registered`.
///
/// Judges SEC-AZ-01 (exact matching; ConnectPay's host-only matching is a
/// `deviation`), SEC-AZ-02 (no cleartext outside loopback) and, on
/// ConnectPay, CP-AZ-03 (host in the callback list) and CP-AZ-04 (no query).
#[must_use]
pub fn judge_redirect_target(
    redirect_uri: &str,
    registered: &[impl AsRef<str>],
    ctx: &JudgeContext<'_>,
) -> Vec<Finding> {
    let evidence = || {
        let list: Vec<&str> = registered.iter().map(AsRef::as_ref).collect();
        Evidence::new()
            .field("redirect_uri", redirect_uri)
            .field("registered", list.join(" "))
    };
    let matched = match_redirect_uri(redirect_uri, registered, ctx.profile().redirect_matching);
    let mut findings = Vec::new();
    if ctx.applies(RuleId::SecAz01) {
        findings.push(match matched {
            RedirectMatch::Exact => ctx.pass(
                RuleId::SecAz01,
                "main",
                "the redirect URI is identical to a registered one",
            ),
            RedirectMatch::LoopbackPort => ctx.pass(
                RuleId::SecAz01,
                "main",
                "the redirect URI differs from a registered loopback URI in its port only",
            ),
            RedirectMatch::HostOnly => ctx.deviation(
                RuleId::SecAz01,
                "main",
                "the AS redirected to a URI that matches a registered one by host only",
                evidence(),
            ),
            RedirectMatch::NoMatch => ctx.violation(
                RuleId::SecAz01,
                "main",
                "the AS redirected to a URI that matches no registered redirect URI",
                evidence(),
            ),
        });
    }
    if ctx.applies(RuleId::CpAz03) {
        let on_listed_host = registered
            .iter()
            .any(|candidate| same_host(redirect_uri, candidate.as_ref()));
        findings.push(if on_listed_host {
            ctx.pass(
                RuleId::CpAz03,
                "main",
                "the redirect_url host is in the callback list",
            )
        } else {
            ctx.violation(
                RuleId::CpAz03,
                "main",
                "the AS redirected to a redirect_url host outside the callback list",
                evidence(),
            )
        });
    }
    if ctx.applies(RuleId::CpAz04) {
        findings.push(if uri::split(redirect_uri).query.is_some() {
            ctx.violation(
                RuleId::CpAz04,
                "main",
                "the AS accepted a redirect_url with a query component",
                evidence(),
            )
        } else {
            ctx.pass(
                RuleId::CpAz04,
                "main",
                "the redirect_url has no query component",
            )
        });
    }
    if ctx.applies(RuleId::SecAz02) {
        let cleartext =
            redirect_uri_problems(redirect_uri).contains(&RedirectUriProblem::CleartextNonLoopback);
        findings.push(if cleartext {
            ctx.violation(
                RuleId::SecAz02,
                "main",
                "the AS redirected to an http redirect URI on a host that is not loopback",
                evidence(),
            )
        } else {
            ctx.pass(
                RuleId::SecAz02,
                "main",
                "the redirect URI is not cleartext outside loopback",
            )
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use psd2_core::ProfileId;

    use super::*;
    use crate::Outcome;
    use crate::judge::test_support::{assert_known_cases, catalogue, outcome_of, profile};

    const REGISTERED: [&str; 2] = ["https://tpp.example/cb", "http://127.0.0.1/native"];

    #[test]
    fn exact_matching_refuses_every_variant() {
        let exact = RedirectMatching::Exact;
        for variant in [
            "https://tpp.example/cb/extra",
            "https://tpp.example/cb/",
            "https://tpp.example/CB",
            "https://tpp.example/cb?x=1",
            "https://tpp.example:8443/cb",
            "https://evil.tpp.example/cb",
            "https://user@tpp.example/cb",
            "https://tpp.example/%63b",
            "HTTPS://tpp.example/cb",
            "http://127.0.0.1:8080/other",
            "http://user@127.0.0.1:8080/native",
        ] {
            assert_eq!(
                match_redirect_uri(variant, &REGISTERED, exact),
                RedirectMatch::NoMatch,
                "{variant}"
            );
        }
        assert_eq!(
            match_redirect_uri("http://127.0.0.1:49152/native", &REGISTERED, exact),
            RedirectMatch::LoopbackPort
        );
    }

    #[test]
    fn the_port_exception_is_for_loopback_only() {
        let registered = ["http://tpp.example/cb", "https://127.0.0.1/cb"];
        let exact = RedirectMatching::Exact;
        assert_eq!(
            match_redirect_uri("http://tpp.example:81/cb", &registered, exact),
            RedirectMatch::NoMatch
        );
        // https on loopback is not the native-app case of RFC 8252 §7.3.
        assert_eq!(
            match_redirect_uri("https://127.0.0.1:81/cb", &registered, exact),
            RedirectMatch::NoMatch
        );
    }

    #[test]
    fn registration_passes_for_valid_uris() {
        let profile = profile(ProfileId::EuroInformation);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_registered_redirect_uris(&REGISTERED, &ctx);
        assert_known_cases(&findings);
        assert_eq!(findings.len(), 3);
        assert!(
            findings
                .iter()
                .all(|finding| finding.outcome == Outcome::Pass)
        );
    }

    #[test]
    fn registration_reports_every_problem() {
        let profile = profile(ProfileId::EuroInformation);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_registered_redirect_uris(
            &[
                "https://tpp.example/cb#a",
                "cb",
                "http://tpp.example/cb",
                "http://tpp.example/x#y",
            ],
            &ctx,
        );
        assert_known_cases(&findings);
        let failures = |case: &str| {
            findings
                .iter()
                .filter(|finding| finding.case == case && finding.outcome == Outcome::Fail)
                .count()
        };
        assert_eq!(failures("fragment"), 2);
        assert_eq!(failures("relative"), 1);
        assert_eq!(failures("http-non-loopback"), 2);
    }

    #[test]
    fn a_target_on_the_registered_uri_passes() {
        let profile = profile(ProfileId::Stet);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_redirect_target("https://tpp.example/cb", &REGISTERED, &ctx);
        assert_known_cases(&findings);
        assert_eq!(
            outcome_of(&findings, RuleId::SecAz01, "main"),
            Outcome::Pass
        );
        assert_eq!(
            outcome_of(&findings, RuleId::SecAz02, "main"),
            Outcome::Pass
        );
        // ConnectPay rules do not run on STET.
        assert!(
            findings
                .iter()
                .all(|finding| finding.rule != RuleId::CpAz03)
        );
    }

    #[test]
    fn a_variant_target_fails_and_cleartext_fails() {
        let profile = profile(ProfileId::Generic);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings =
            judge_redirect_target("http://tpp.example/cb", &["http://tpp.example/cb/"], &ctx);
        assert_eq!(
            outcome_of(&findings, RuleId::SecAz01, "main"),
            Outcome::Fail
        );
        assert_eq!(
            outcome_of(&findings, RuleId::SecAz02, "main"),
            Outcome::Fail
        );
    }

    #[test]
    fn connectpay_host_only_matching_is_a_deviation() {
        let profile = profile(ProfileId::ConnectPay);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_redirect_target("https://tpp.example/other/path", &REGISTERED, &ctx);
        assert_known_cases(&findings);
        assert!(matches!(
            outcome_of(&findings, RuleId::SecAz01, "main"),
            Outcome::Deviation { reason } if reason.contains("host name")
        ));
        assert_eq!(outcome_of(&findings, RuleId::CpAz03, "main"), Outcome::Pass);
        assert_eq!(outcome_of(&findings, RuleId::CpAz04, "main"), Outcome::Pass);
    }

    #[test]
    fn connectpay_refuses_other_hosts_and_queries() {
        let profile = profile(ProfileId::ConnectPay);
        let ctx = JudgeContext::new(catalogue(), &profile);
        let findings = judge_redirect_target("https://evil.example/cb?x=1", &REGISTERED, &ctx);
        assert_eq!(
            outcome_of(&findings, RuleId::SecAz01, "main"),
            Outcome::Fail
        );
        assert_eq!(outcome_of(&findings, RuleId::CpAz03, "main"), Outcome::Fail);
        assert_eq!(outcome_of(&findings, RuleId::CpAz04, "main"), Outcome::Fail);
    }
}
