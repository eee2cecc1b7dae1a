//! Authorization journeys: the authorization request the harness builds
//! (fresh `state`, an S256 challenge when the step asks for PKCE, the
//! step's variations), followed either by the user agent alone (an
//! `authorize` step: redirects only, no form) or through the target's
//! consent driver (an `authorize` step continued by its `consent` step).
//!
//! Either way the journey stops at the redirect URI, which is never
//! fetched, and never leaves the authorization server: a redirect to any
//! other host ends it too, so that a test of an open redirector touches
//! nothing outside the target.

use std::sync::Arc;
use std::time::{Duration, Instant};

use psd2_core::Secret;
use psd2_rules::exchange::{Exchange, HttpRequest, labels};
use psd2_wire::{AuthorizationCallback, Form};
use url::Url;

use super::StepError;
use super::captures::Captures;
use super::random;
use super::request::{identity, redirect_uri, vary};
use super::setup::{Harness, PageProbe};
use crate::agent::{Landing, StopRule, UserAgent};
use crate::drivers::{
    self, ConsentRequest, FieldTemplate, FormDriver, FormSelector, FormStep, ManualDriver,
    ManualInput, SandboxDriver,
};
use crate::scenario::{ConsentDecision, CustomerChoice, Step};
use crate::target::{ConsentDriver as DriverConfig, FormAction, FormFill};
use crate::transport::ClientIdentity;

/// An authorization request ready to be followed.
#[derive(Debug, Clone)]
pub(crate) struct Journey {
    /// The label of its exchanges.
    pub(crate) label: String,
    /// The authorization URL (it carries no secret: the challenge, not the
    /// verifier).
    pub(crate) url: String,
    /// Where it stops.
    pub(crate) redirect_uri: String,
    /// The scope requested, if any.
    pub(crate) scope: Option<String>,
    /// The `state` sent.
    pub(crate) state: Option<String>,
    /// The PKCE verifier of the challenge sent.
    pub(crate) verifier: Option<Secret<String>>,
    /// The certificate presented to the browser-facing listener, if the
    /// step names one.
    pub(crate) identity: Option<ClientIdentity>,
}

/// Where a journey ended.
#[derive(Debug)]
pub(crate) struct Ended {
    /// Every exchange, in order.
    pub(crate) exchanges: Vec<Exchange>,
    /// The authorization response read from the final redirect, if the
    /// journey reached the redirect URI with a decodable one.
    pub(crate) callback: Option<AuthorizationCallback>,
    /// Why the journey could not go on, when that stops the scenario.
    pub(crate) problem: Option<StepError>,
}

/// Builds the authorization request of an `authorize` step.
///
/// # Errors
/// [`StepError`] when the target has no authorization endpoint or the step
/// references a value never captured.
pub(crate) fn build(
    harness: &Harness,
    step: &Step,
    captures: &Captures,
) -> Result<Journey, StepError> {
    let endpoint = harness
        .endpoints
        .authorization
        .as_ref()
        .ok_or(StepError::NoEndpoint {
            endpoint: "authorization",
        })?;
    let client = harness.client(step.client)?;
    let fresh = || random::token().ok_or_else(|| StepError::Unsupported("no randomness".into()));
    let redirect = redirect_uri(harness, &step.redirect_uri)?;
    let allowed = harness.profile.allowed_scopes.authorize.as_ref();
    let scope = client.scope.as_ref().map(|scope| match allowed {
        Some(allowed) if !scope.intersection(allowed).is_empty() => {
            scope.intersection(allowed).to_string()
        }
        _ => scope.to_string(),
    });
    let mut form = Form::new()
        .with("response_type", "code")
        .with("client_id", client.client_id.clone())
        .with(harness.profile.redirect_param.clone(), redirect.clone());
    if let Some(scope) = &scope {
        form.set("scope", scope.clone());
    }
    form.set("state", fresh()?);
    if let Some(flow_id) = &harness.profile.flow_id {
        form.set("flowId", flow_id.as_str());
    }
    let verifier = if step.pkce {
        let verifier = fresh()?;
        form.set("code_challenge", random::s256_challenge(&verifier));
        form.set("code_challenge_method", "S256");
        Some(Secret::new(verifier))
    } else {
        None
    };
    vary(&mut form, step, captures)?;
    // What was finally sent is what the journey is about: an overridden
    // redirect URI or scope is the one to stop at and to grant.
    let sent_redirect = form
        .get(&harness.profile.redirect_param)
        .map_or(redirect, str::to_owned);
    let url = form.append_to_url(endpoint);
    let url = if step.cleartext {
        super::request::cleartext(url)?
    } else {
        url
    };
    let identity = match &step.certificate {
        crate::scenario::CertificateChoice::Named(_) => identity(harness, step, client)?,
        _ => None,
    };
    Ok(Journey {
        label: step.label.clone(),
        url: url.to_string(),
        redirect_uri: sent_redirect,
        scope: form.get("scope").map(str::to_owned),
        state: form.get("state").map(str::to_owned),
        verifier,
        identity,
    })
}

/// The hosts of the authorization server, which a journey may visit.
fn server_hosts(harness: &Harness) -> Vec<(String, Option<u16>)> {
    let endpoints = &harness.endpoints;
    [
        Some(&harness.issuer),
        endpoints.authorization.as_ref(),
        endpoints.token.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|url| {
        (
            url.host_str().unwrap_or_default().to_owned(),
            url.port_or_known_default(),
        )
    })
    .collect()
}

fn agent(harness: &Harness, journey: &Journey, epoch: Instant) -> UserAgent {
    let mut agent = UserAgent::new(harness.transport.clone(), journey.label.clone(), epoch);
    if let Some(identity) = &journey.identity {
        agent = agent.with_identity(identity.clone());
    }
    agent
}

/// Follows an authorization request's redirects, submitting nothing.
pub(crate) async fn follow(harness: &Harness, journey: &Journey, epoch: Instant) -> Ended {
    let hosts = server_hosts(harness);
    let redirect = StopRule::RedirectUri(journey.redirect_uri.clone());
    let stop = StopRule::Custom(Arc::new(move |location: &Url| {
        let host = (
            location.host_str().unwrap_or_default().to_owned(),
            location.port_or_known_default(),
        );
        redirect.stops_at(location) || !hosts.contains(&host)
    }));
    let mut agent = agent(harness, journey, epoch).with_stop(stop);
    let mut request = HttpRequest::new("GET", journey.url.as_str());
    // The one journey whose label asks for a request header: a cross-origin
    // request from the TPP's web origin, to see whether the authorization
    // endpoint allows it (CORS).
    if journey.label == labels::AUTHORIZE_CORS {
        let origin = harness.redirect.registered.origin().ascii_serialization();
        request = request.with_header("Origin", origin);
    }
    let landing = agent.navigate(request).await;
    let callback = match landing {
        Ok(Landing::Stopped(stop)) => {
            let stopped_at_redirect_uri = Url::parse(stop.resolved.expose()).is_ok_and(|url| {
                StopRule::RedirectUri(journey.redirect_uri.clone()).stops_at(&url)
            });
            stopped_at_redirect_uri
                .then(|| AuthorizationCallback::from_redirect_url(stop.resolved.expose()).ok())
                .flatten()
        }
        // A page, or a failure the log already holds: evidence for the
        // judges, not a reason to stop (an error page is often the point).
        _ => None,
    };
    Ended {
        exchanges: agent.take_exchanges(),
        callback,
        problem: None,
    }
}

/// The absolute URL on an outside origin a probe sets its parameter to:
/// `.invalid` never resolves (RFC 6761 §6.4), and the agent stops before
/// fetching it anyway.
pub(crate) const PROBE_TARGET: &str = "https://psd2-conform-probe.invalid/open-redirect";

/// One open-redirector probe: a page of the authorization server with one
/// parameter set to [`PROBE_TARGET`].
#[derive(Debug, Clone)]
pub(crate) struct Probe {
    /// The label of its exchanges: the step's label family plus the
    /// parameter's name.
    pub(crate) label: String,
    /// The page's URL, the parameter set.
    pub(crate) url: Url,
}

/// The probes of a `probe` step labelled `family`: one per page of the
/// target and parameter.
/// Two pages probing a parameter of the same name get distinct labels
/// (`-2`, `-3` appended), so that each journey reads on its own.
pub(crate) fn probes(pages: &[PageProbe], family: &str) -> Vec<Probe> {
    let mut probes: Vec<Probe> = Vec::new();
    for page in pages {
        for name in &page.parameters {
            let base = format!("{family}{name}");
            let mut label = base.clone();
            let mut copy = 1;
            while probes.iter().any(|probe| probe.label == label) {
                copy += 1;
                label = format!("{base}-{copy}");
            }
            probes.push(Probe {
                label,
                url: with_parameter(&page.page, name, PROBE_TARGET),
            });
        }
    }
    probes
}

/// `url` with the query parameter `name` set to `value` (replacing any
/// value it had), the other parameters kept in order.
fn with_parameter(url: &Url, name: &str, value: &str) -> Url {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let mut url = url.clone();
    url.set_query(None);
    url.query_pairs_mut()
        .extend_pairs(kept)
        .append_pair(name, value);
    url
}

/// Follows a probe's redirects with the user agent, submitting nothing, and
/// stops at the first `Location` on an origin other than the authorization
/// server's (its issuer, endpoints and the probed page): the outside URL is
/// never fetched.
pub(crate) async fn probe(harness: &Harness, probe: &Probe, epoch: Instant) -> Ended {
    let origins: Vec<url::Origin> = [
        Some(&harness.issuer),
        harness.endpoints.authorization.as_ref(),
        harness.endpoints.token.as_ref(),
        Some(&probe.url),
    ]
    .into_iter()
    .flatten()
    .map(Url::origin)
    .collect();
    let stop = StopRule::Custom(Arc::new(move |location: &Url| {
        !origins.contains(&location.origin())
    }));
    let mut agent =
        UserAgent::new(harness.transport.clone(), probe.label.clone(), epoch).with_stop(stop);
    // A page, a stop or a failure: the log holds it, for the judge.
    let _ = agent
        .navigate(HttpRequest::new("GET", probe.url.as_str()))
        .await;
    Ended {
        exchanges: agent.take_exchanges(),
        callback: None,
        problem: None,
    }
}

/// The consent driver the target configures, for what the step's PSU does.
fn driver(
    harness: &Harness,
    step: &Step,
    journey: &Journey,
) -> Result<Box<dyn drivers::ConsentDriver>, StepError> {
    let config = harness
        .consent
        .as_ref()
        .ok_or_else(|| StepError::Unsupported("the target has no consent driver".into()))?;
    let psu = harness
        .psu
        .as_ref()
        .ok_or_else(|| StepError::Unsupported("the target has no PSU".into()))?;
    let credentials = drivers::PsuCredentials {
        username: psu.username.expose().clone(),
        password: psu.password.clone(),
    };
    let action = step.consent.clone();
    let customer = match action.as_ref().map(|action| action.customer) {
        Some(CustomerChoice::Other) => Some(psu.other_customer.clone().ok_or_else(|| {
            StepError::Unsupported("the target's PSU has no other_customer".into())
        })?),
        _ => psu.customer.clone(),
    };
    let decision = action.map_or(ConsentDecision::Grant, |action| action.decision);
    Ok(match config {
        DriverConfig::Sandbox => {
            let mut sandbox = SandboxDriver::new(credentials);
            sandbox.customer = customer;
            match decision {
                ConsentDecision::Deny => sandbox.decision = drivers::Decision::Deny,
                ConsentDecision::Partial => {
                    // Strictly less than asked: every requested scope but
                    // the last.
                    let requested: Vec<String> = journey
                        .scope
                        .as_deref()
                        .unwrap_or_default()
                        .split(' ')
                        .filter(|scope| !scope.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if requested.len() < 2 {
                        return Err(StepError::Unsupported(
                            "a partial grant needs at least two requested scopes".into(),
                        ));
                    }
                    sandbox.scopes = Some(requested[..requested.len() - 1].to_vec());
                }
                _ => {}
            }
            Box::new(sandbox)
        }
        DriverConfig::Form {
            forms,
            deny,
            partial,
        } => {
            let otp = psu.otp.as_ref().map(|otp| otp.expose().clone());
            Box::new(FormDriver {
                psu: Some(credentials),
                steps: form_steps(
                    forms,
                    Scripts {
                        deny: deny.as_deref(),
                        partial: partial.as_deref(),
                    },
                    decision,
                    otp,
                    customer,
                )?,
            })
        }
        DriverConfig::Manual { listen } => {
            let input = if listen.is_some() {
                ManualInput::Loopback
            } else {
                ManualInput::Paste
            };
            Box::new(ManualDriver::new(input, harness.manual_timeout))
        }
    })
}

/// The `form` driver's script for `decision`: the deny script when the PSU
/// denies (an error when the target has none: running the grant script
/// instead would misjudge), the grant forms otherwise. `${otp}` and
/// `${customer}` are replaced in field values here; the driver replaces the
/// credentials.
/// The target's scripts for the decisions other than a plain grant.
struct Scripts<'a> {
    deny: Option<&'a [FormAction]>,
    partial: Option<&'a [FormAction]>,
}

#[cfg(test)]
impl Scripts<'_> {
    const NONE: Scripts<'static> = Scripts {
        deny: None,
        partial: None,
    };
}

fn form_steps(
    forms: &[FormFill],
    scripts: Scripts<'_>,
    decision: ConsentDecision,
    otp: Option<String>,
    customer: Option<String>,
) -> Result<Vec<FormStep>, StepError> {
    let fill_step = |fill: &FormFill| FormStep::Submit {
        form: FormSelector::ActionContains(fill.action_contains.clone()),
        fields: fill
            .fields
            .iter()
            .map(|(name, value)| {
                let mut value = value.clone();
                if let Some(otp) = &otp {
                    value = value.replace("${otp}", otp);
                }
                if let Some(customer) = &customer {
                    value = value.replace("${customer}", customer);
                }
                (name.clone(), FieldTemplate(value))
            })
            .collect(),
        choose: std::collections::BTreeMap::new(),
        click: fill.submit.as_ref().and_then(|submit| {
            submit
                .split_once('=')
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
        }),
    };
    let script = |actions: &[FormAction]| -> Vec<FormStep> {
        actions
            .iter()
            .map(|action| match action {
                FormAction::Submit(fill) => fill_step(fill),
                FormAction::FollowLink { href_contains } => FormStep::FollowLink {
                    href_contains: href_contains.clone(),
                },
            })
            .collect()
    };
    Ok(match decision {
        ConsentDecision::Deny => script(scripts.deny.ok_or_else(|| {
            StepError::Unsupported(
                "the PSU is to deny consent, and the target's form driver has no deny \
                 script ([[consent.deny]])"
                    .into(),
            )
        })?),
        // Never a full grant in place of a partial one: the judges would
        // read it as the bank ignoring the PSU's choice.
        ConsentDecision::Partial => script(scripts.partial.ok_or_else(|| {
            StepError::Unsupported(
                "the PSU is to grant less than asked, and the target's form driver has no \
                 partial script ([[consent.partial]])"
                    .into(),
            )
        })?),
        ConsentDecision::Grant => forms.iter().map(fill_step).collect(),
    })
}

/// Takes the PSU through the bank's pages with the consent driver.
pub(crate) async fn consent(
    harness: &Harness,
    step: &Step,
    journey: &Journey,
    epoch: Instant,
) -> Ended {
    let driver = match driver(harness, step, journey) {
        Ok(driver) => driver,
        Err(problem) => {
            return Ended {
                exchanges: Vec::new(),
                callback: None,
                problem: Some(problem),
            };
        }
    };
    let mut agent = agent(harness, journey, epoch);
    let request = ConsentRequest {
        authorization_url: journey.url.clone(),
        redirect_uri: journey.redirect_uri.clone(),
    };
    let run = drivers::run(driver.as_ref(), &mut agent, &request).await;
    let (callback, problem) = match run.result {
        Ok(consent) => (Some(consent.callback), None),
        Err(error) => (None, Some(StepError::Consent(error.to_string()))),
    };
    Ended {
        exchanges: run.exchanges,
        callback,
        problem,
    }
}

/// How long a consent step may take: a person needs longer than a script.
pub(crate) fn consent_timeout(harness: &Harness) -> Duration {
    match harness.consent {
        Some(DriverConfig::Manual { .. }) => harness.manual_timeout + harness.step_timeout,
        _ => harness.step_timeout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(action_contains: &str, submit: Option<&str>) -> FormFill {
        FormFill {
            action_contains: action_contains.to_owned(),
            fields: [("otp".to_owned(), "${otp}".to_owned())].into(),
            submit: submit.map(str::to_owned),
        }
    }

    #[test]
    fn a_denying_psu_runs_the_deny_script() {
        let forms = [
            fill("/login", None),
            fill("/consent", Some("decision=grant")),
        ];
        let deny = [
            FormAction::Submit(fill("/login", None)),
            FormAction::FollowLink {
                href_contains: "/abort".to_owned(),
            },
        ];
        let otp = || Some("123456".to_owned());
        let steps = form_steps(
            &forms,
            Scripts {
                deny: Some(&deny),
                partial: None,
            },
            ConsentDecision::Deny,
            otp(),
            None,
        )
        .unwrap();
        assert_eq!(steps.len(), 2);
        assert!(matches!(
            &steps[0],
            FormStep::Submit { form: FormSelector::ActionContains(action), fields, click: None, .. }
                if action == "/login" && fields.get("otp") == Some(&FieldTemplate("123456".into()))
        ));
        assert_eq!(
            steps[1],
            FormStep::FollowLink {
                href_contains: "/abort".to_owned()
            }
        );
        let granted = form_steps(
            &forms,
            Scripts {
                deny: Some(&deny),
                partial: None,
            },
            ConsentDecision::Grant,
            otp(),
            None,
        )
        .unwrap();
        assert!(matches!(
            &granted[1],
            FormStep::Submit { click: Some((name, value)), .. } if name == "decision" && value == "grant"
        ));
    }

    #[test]
    fn a_deny_without_a_deny_script_is_an_error_not_a_grant() {
        let forms = [fill("/consent", Some("decision=grant"))];
        let error =
            form_steps(&forms, Scripts::NONE, ConsentDecision::Deny, None, None).unwrap_err();
        assert!(matches!(error, StepError::Unsupported(_)));
        assert!(error.to_string().contains("[[consent.deny]]"), "{error}");
        assert_eq!(
            form_steps(&forms, Scripts::NONE, ConsentDecision::Grant, None, None)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_partial_grant_runs_the_partial_script_or_is_an_error_never_a_full_grant() {
        let forms = [fill("/consent", Some("decision=grant"))];
        let error =
            form_steps(&forms, Scripts::NONE, ConsentDecision::Partial, None, None).unwrap_err();
        assert!(error.to_string().contains("[[consent.partial]]"), "{error}");
        let partial = [FormAction::Submit(fill("/consent", Some("decision=some")))];
        let scripts = Scripts {
            deny: None,
            partial: Some(&partial),
        };
        let steps = form_steps(&forms, scripts, ConsentDecision::Partial, None, None).unwrap();
        assert!(matches!(
            &steps[..],
            [FormStep::Submit { click: Some((_, value)), .. }] if value == "some"
        ));
    }

    fn page(url: &str, parameters: &[&str]) -> PageProbe {
        PageProbe {
            page: Url::parse(url).unwrap(),
            parameters: parameters.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    #[test]
    fn each_parameter_is_probed_alone_under_its_own_label() {
        let pages = [
            page("https://as.example/logout", &["return_to", "next"]),
            page("https://as.example/lang?next=%2Fhome&locale=fr", &["next"]),
        ];
        let probes = probes(&pages, labels::OPEN_REDIRECT_PROBE_PREFIX);
        let seen: Vec<(&str, &str)> = probes
            .iter()
            .map(|probe| (probe.label.as_str(), probe.url.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "open-redirect-probe-return_to",
                    "https://as.example/logout?return_to=https%3A%2F%2Fpsd2-conform-probe.invalid%2Fopen-redirect"
                ),
                (
                    "open-redirect-probe-next",
                    "https://as.example/logout?next=https%3A%2F%2Fpsd2-conform-probe.invalid%2Fopen-redirect"
                ),
                (
                    "open-redirect-probe-next-2",
                    "https://as.example/lang?locale=fr&next=https%3A%2F%2Fpsd2-conform-probe.invalid%2Fopen-redirect"
                ),
            ]
        );
    }
}
