//! RFC 8414 authorization server metadata: published (CORE-MD-01),
//! well-formed and naming its issuer (CORE-MD-02), consistent with what the
//! server does (CORE-MD-03), advertising S256 (SEC-MD-01).

use psd2_core::OAuthErrorCode;
use psd2_wire::{
    AuthorizationServerMetadata, CodeChallengeMethod, JsonMessage, TokenEndpointAuthMethod,
};

use super::JudgeContext;
use super::read::{TokenAnswer, is_token_request, request_form, response_of};
use crate::exchange::{Exchange, ExchangeLog, HttpResponse, labels};
use crate::{Evidence, Finding, RuleId};

/// The RFC 8414 §3 well-known path segment.
const WELL_KNOWN: &str = "/.well-known/oauth-authorization-server";

/// The issuer a metadata URL was built from: the well-known segment removed
/// from between host and path (RFC 8414 §3.1). `None` when the URL does not
/// have that form.
///
/// ```text
/// https://as.example/.well-known/oauth-authorization-server/tenant1
///   -> https://as.example/tenant1
/// ```
fn issuer_of(url: &str) -> Option<String> {
    let parts = super::uri::split(url);
    let rest = parts.path.strip_prefix(WELL_KNOWN)?;
    if parts.query.is_some()
        || parts.fragment.is_some()
        || !(rest.is_empty() || rest.starts_with('/'))
    {
        return None;
    }
    Some(format!("{}://{}{rest}", parts.scheme?, parts.authority?))
}

/// Whether the metadata is unpublished: 404 or 410.
fn unpublished(response: &HttpResponse) -> bool {
    matches!(response.status, 404 | 410)
}

/// The metadata exchange, its response, and the issuer it was built from.
fn metadata_exchange<'a>(
    log: &'a ExchangeLog,
    ctx: &JudgeContext<'_>,
) -> Result<(&'a Exchange, &'a HttpResponse, String), String> {
    let (exchange, response) = response_of(log, labels::METADATA)?;
    let issuer = issuer_of(&exchange.request.url).ok_or_else(|| {
        format!(
            "the {} request is not an RFC 8414 well-known URL",
            exchange.label
        )
    })?;
    if let Some(configured) = &ctx.facts().issuer
        && *configured != issuer
    {
        return Err(format!(
            "the {} URL was not built from the configured issuer",
            exchange.label
        ));
    }
    Ok((exchange, response, issuer))
}

/// CORE-MD-01: authorization server metadata is published.
///
/// Reads [`labels::METADATA`]: a GET of the issuer with the well-known path
/// inserted between host and path (checked, and compared with the
/// configured issuer when there is one). Fails (SHOULD: warn) unless 200.
#[must_use]
pub(super) fn core_md_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreMd01;
    let case = "main";
    let (exchange, response, issuer) = match metadata_exchange(log, ctx) {
        Ok(found) => found,
        Err(reason) => return vec![ctx.cannot_judge(rule, case, reason)],
    };
    let evidence = Evidence::new()
        .field("exchange", exchange.label.clone())
        .field("url", exchange.request.url.clone())
        .field("issuer", issuer)
        .field("status", response.status.to_string());
    let published = response.status == 200;
    vec![ctx.verdict(
        rule,
        case,
        published,
        if published {
            "the metadata is published"
        } else {
            "the metadata is not published at the RFC 8414 well-known URL"
        },
        evidence,
    )]
}

/// CORE-MD-02: published metadata is well-formed and names its issuer.
///
/// Reads [`labels::METADATA`]. When it is published (not 404 or 410):
/// `json-200` fails unless 200 `application/json` with a JSON object;
/// `issuer` unless `issuer` is an https URL without query or fragment equal
/// to the issuer the URL was built from; `required-members` unless
/// `response_types_supported` and `token_endpoint` are present, and
/// `authorization_endpoint` too when `code` is a supported response type.
/// Unpublished metadata makes every case info (RULES.md A-21).
#[must_use]
pub(super) fn core_md_02(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreMd02;
    let cases = ["json-200", "issuer", "required-members"];
    let (exchange, response, issuer) = match metadata_exchange(log, ctx) {
        Ok(found) => found,
        Err(reason) => return ctx.cannot_judge_all(rule, &cases, &reason),
    };
    let base = Evidence::new()
        .field("exchange", exchange.label.clone())
        .field("status", response.status.to_string());
    if unpublished(response) {
        return cases
            .iter()
            .map(|case| {
                ctx.info(
                    rule,
                    case,
                    "the metadata is not published, so it is not judged (RULES.md A-21)",
                    base.clone(),
                )
            })
            .collect();
    }
    let media = response.media_type().unwrap_or_default();
    let json_object = TokenAnswer::new(response).is_json_object();
    let json_200 = response.status == 200 && media == "application/json" && json_object;
    let mut findings = vec![ctx.verdict(
        rule,
        "json-200",
        json_200,
        if json_200 {
            "the metadata is 200 application/json"
        } else {
            "the metadata is not a 200 application/json object"
        },
        base.clone().field("Content-Type", media),
    )];
    let metadata = match AuthorizationServerMetadata::decode(&response.body) {
        Ok(metadata) => metadata,
        Err(error) => {
            for case in ["issuer", "required-members"] {
                findings.push(ctx.violation(
                    rule,
                    case,
                    format!("the metadata does not decode: {error}"),
                    base.clone(),
                ));
            }
            return findings;
        }
    };
    let parts = super::uri::split(&metadata.issuer);
    let https = parts
        .scheme
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https"));
    let mut problems = Vec::new();
    if !https {
        problems.push("not https");
    }
    if parts.query.is_some() || parts.fragment.is_some() {
        problems.push("has a query or fragment");
    }
    if metadata.issuer != issuer {
        problems.push("differs from the issuer the URL was built from");
    }
    let evidence = base
        .clone()
        .field("issuer", metadata.issuer.clone())
        .field("expected issuer", issuer);
    findings.push(if problems.is_empty() {
        ctx.pass_with(rule, "issuer", "the metadata names its issuer", evidence)
    } else {
        ctx.violation(
            rule,
            "issuer",
            format!("the metadata issuer {}", problems.join(", ")),
            evidence,
        )
    });
    let code_flow = metadata
        .response_types_supported
        .as_ref()
        .is_some_and(|types| types.iter().any(|t| t.as_str() == "code"));
    let mut missing = Vec::new();
    if metadata.response_types_supported.is_none() {
        missing.push("response_types_supported");
    }
    if metadata.token_endpoint.is_none() {
        missing.push("token_endpoint");
    }
    if code_flow && metadata.authorization_endpoint.is_none() {
        missing.push("authorization_endpoint");
    }
    findings.push(if missing.is_empty() {
        ctx.pass_with(
            rule,
            "required-members",
            "the required members are present",
            base,
        )
    } else {
        ctx.violation(
            rule,
            "required-members",
            format!("the metadata lacks {}", missing.join(", ")),
            base,
        )
    });
    findings
}

/// The decoded metadata, or the finding(s) that replace the judgement.
fn published_metadata(
    rule: RuleId,
    case: &'static str,
    log: &ExchangeLog,
    ctx: &JudgeContext<'_>,
) -> Result<AuthorizationServerMetadata, Finding> {
    let (exchange, response, _) =
        metadata_exchange(log, ctx).map_err(|reason| ctx.cannot_judge(rule, case, reason))?;
    if unpublished(response) {
        return Err(ctx.info(
            rule,
            case,
            "the metadata is not published, so it is not judged (RULES.md A-21)",
            Evidence::new()
                .field("exchange", exchange.label.clone())
                .field("status", response.status.to_string()),
        ));
    }
    AuthorizationServerMetadata::decode(&response.body).map_err(|error| {
        ctx.cannot_judge(rule, case, format!("the metadata does not decode: {error}"))
    })
}

/// A URL without its query.
fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// The client authentication method a request used.
fn auth_method(exchange: &Exchange) -> TokenEndpointAuthMethod {
    let form = request_form(exchange).unwrap_or_default();
    if exchange
        .request
        .header("authorization")
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("basic ")
        })
    {
        TokenEndpointAuthMethod::CLIENT_SECRET_BASIC
    } else if form.get("client_secret").is_some() {
        TokenEndpointAuthMethod::CLIENT_SECRET_POST
    } else if form.get("client_assertion").is_some() {
        TokenEndpointAuthMethod::PRIVATE_KEY_JWT
    } else if exchange.request.client_certificate.is_some() {
        TokenEndpointAuthMethod::TLS_CLIENT_AUTH
    } else {
        TokenEndpointAuthMethod::NONE
    }
}

/// CORE-MD-03: metadata matches what the server does.
///
/// Reads [`labels::METADATA`] and every other exchange of the log: each
/// token request that issued a token (its URL, `grant_type` and client
/// authentication method), each token request answered
/// `unsupported_grant_type` (its `grant_type`; e.g.
/// [`labels::TOKEN_GRANT_PROBE_PREFIX`] probes) and each revocation (labels
/// starting `revoke-`) answered 200. Fails (SHOULD: warn) for each
/// contradiction: a token endpoint URL that is neither `token_endpoint` nor
/// its mTLS alias, a grant type or authentication method outside
/// `grant_types_supported` or `token_endpoint_auth_methods_supported`
/// (their RFC 8414 defaults when absent; `tls_client_auth` and
/// `self_signed_tls_client_auth` count as one observation), a grant type in
/// `grant_types_supported` that the token endpoint answers
/// `unsupported_grant_type` (RFC 6749 §5.2: "not supported by the
/// authorization server"), a revocation URL that is not
/// `revocation_endpoint` or its alias. `scopes_supported` is not compared: RFC 8414 §2 lets a server
/// leave out scopes it supports.
#[must_use]
pub(super) fn core_md_03(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::CoreMd03;
    let case = "main";
    let metadata = match published_metadata(rule, case, log, ctx) {
        Ok(metadata) => metadata,
        Err(finding) => return vec![finding],
    };
    let mut findings = Vec::new();
    let mut observed = 0;
    let grants: Vec<String> = metadata.grant_types_supported.as_ref().map_or_else(
        || vec!["authorization_code".to_owned(), "implicit".to_owned()],
        |grants| grants.iter().map(|g| g.as_str().to_owned()).collect(),
    );
    let methods: Vec<String> = metadata
        .token_endpoint_auth_methods_supported
        .as_ref()
        .map_or_else(
            || vec!["client_secret_basic".to_owned()],
            |methods| methods.iter().map(|m| m.as_str().to_owned()).collect(),
        );
    for exchange in log.exchanges().iter().filter(|e| is_token_request(e)) {
        let Some(response) = exchange.response() else {
            continue;
        };
        let answer = TokenAnswer::new(response);
        if answer.error() == Some(OAuthErrorCode::UNSUPPORTED_GRANT_TYPE) {
            // RFC 6749 §5.2: the grant type is not supported by the server.
            let grant = request_form(exchange)
                .ok()
                .and_then(|form| form.get("grant_type").map(str::to_owned));
            let Some(grant) = grant else {
                continue;
            };
            observed += 1;
            if grants.contains(&grant) {
                findings.push(
                    ctx.violation(
                        rule,
                        case,
                        format!(
                            "grant_types_supported lists the {grant} grant, which the token endpoint refuses as unsupported_grant_type"
                        ),
                        answer
                            .evidence(&exchange.label)
                            .field("grant_type", grant.clone())
                            .field("grant_types_supported", grants.join(" ")),
                    ),
                );
            }
            continue;
        }
        if !answer.issues_token() {
            continue;
        }
        observed += 1;
        let url = without_query(&exchange.request.url);
        let evidence = Evidence::new()
            .field("exchange", exchange.label.clone())
            .field("url", url);
        let endpoints = [
            metadata.token_endpoint.as_deref(),
            metadata.token_endpoint_for_mtls(),
        ];
        if !endpoints.contains(&Some(url)) {
            findings.push(ctx.violation(
                rule,
                case,
                "tokens are issued at a URL the metadata does not name as token endpoint",
                evidence.clone(),
            ));
        }
        let grant = request_form(exchange)
            .ok()
            .and_then(|form| form.get("grant_type").map(str::to_owned))
            .unwrap_or_default();
        if !grants.contains(&grant) {
            findings.push(
                ctx.violation(
                    rule,
                    case,
                    format!("the {grant} grant works but is not in grant_types_supported"),
                    evidence
                        .clone()
                        .field("grant_types_supported", grants.join(" ")),
                ),
            );
        }
        let method = auth_method(exchange);
        let listed = methods.iter().any(|listed| {
            *listed == method.as_str()
                || (method == TokenEndpointAuthMethod::TLS_CLIENT_AUTH
                    && listed == TokenEndpointAuthMethod::SELF_SIGNED_TLS_CLIENT_AUTH.as_str())
        });
        if !listed {
            findings.push(ctx.violation(
                rule,
                case,
                format!(
                    "client authentication by {} works but is not in token_endpoint_auth_methods_supported",
                    method.as_str()
                ),
                evidence.field("token_endpoint_auth_methods_supported", methods.join(" ")),
            ));
        }
    }
    for exchange in log
        .exchanges()
        .iter()
        .filter(|e| e.label.starts_with("revoke-"))
    {
        if exchange
            .response()
            .is_none_or(|response| response.status != 200)
        {
            continue;
        }
        observed += 1;
        let url = without_query(&exchange.request.url);
        let endpoints = [
            metadata.revocation_endpoint.as_deref(),
            metadata.revocation_endpoint_for_mtls(),
        ];
        if !endpoints.contains(&Some(url)) {
            findings.push(
                ctx.violation(
                    rule,
                    case,
                    "revocation works at a URL the metadata does not name as revocation endpoint",
                    Evidence::new()
                        .field("exchange", exchange.label.clone())
                        .field("url", url),
                ),
            );
        }
    }
    if observed == 0 {
        return vec![ctx.cannot_judge(
            rule,
            case,
            "the log has no successful token or revocation request, nor an unsupported_grant_type answer, to compare",
        )];
    }
    if findings.is_empty() {
        findings.push(ctx.pass(
            rule,
            case,
            format!("{observed} observed requests agree with the metadata"),
        ));
    }
    findings
}

/// SEC-MD-01: metadata advertises S256.
///
/// Reads [`labels::METADATA`]. When published, fails (SHOULD: warn) when
/// `code_challenge_methods_supported` is missing or lacks `S256`; unpublished
/// metadata is reported as info (RULES.md A-21).
#[must_use]
pub(super) fn sec_md_01(log: &ExchangeLog, ctx: &JudgeContext<'_>) -> Vec<Finding> {
    let rule = RuleId::SecMd01;
    let case = "main";
    let metadata = match published_metadata(rule, case, log, ctx) {
        Ok(metadata) => metadata,
        Err(finding) => return vec![finding],
    };
    let methods = metadata
        .code_challenge_methods_supported
        .unwrap_or_default();
    let listed: Vec<&str> = methods.iter().map(CodeChallengeMethod::as_str).collect();
    let s256 = methods.contains(&CodeChallengeMethod::S256);
    vec![ctx.verdict(
        rule,
        case,
        s256,
        if s256 {
            "the metadata advertises S256"
        } else {
            "the metadata does not advertise S256 in code_challenge_methods_supported"
        },
        Evidence::new().field("code_challenge_methods_supported", listed.join(" ")),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_come_from_well_known_urls() {
        assert_eq!(
            issuer_of("https://as.example/.well-known/oauth-authorization-server").as_deref(),
            Some("https://as.example")
        );
        assert_eq!(
            issuer_of("https://as.example/.well-known/oauth-authorization-server/tenant1")
                .as_deref(),
            Some("https://as.example/tenant1")
        );
        assert_eq!(
            issuer_of("https://as.example/tenant1/.well-known/oauth-authorization-server"),
            None
        );
        assert_eq!(
            issuer_of("https://as.example/.well-known/oauth-authorization-serverx"),
            None
        );
    }
}
