//! What the exchange judges share: finding a labelled exchange and its
//! response, reading an authorization journey (the request it sent, where it
//! was redirected, the callback), and reading token and resource answers.
//!
//! Every reader returns the reason it could not read as a lower-case
//! message, which the judges turn into `error` findings.

mod navigation;
mod resource;
mod token;

pub(crate) use navigation::{
    Navigation, extends, journey_navigations, origin, resolve, same_endpoint, script_mentions,
};
pub(crate) use resource::{ResourceAnswer, bearer_token, carries_bearer};
pub(crate) use token::{TokenAnswer, is_token_request};

use psd2_core::OAuthErrorCode;
use psd2_wire::{AuthorizationCallback, Form, WireError};

use super::JudgeContext;
use crate::Evidence;
use crate::exchange::{
    Exchange, ExchangeLog, HttpResponse, TransportFailure, TransportOutcome, redact_url,
};

/// The exchange labelled `label` and its response.
///
/// # Errors
/// The reason, when the label is absent or the transport failed.
pub(crate) fn response_of<'a>(
    log: &'a ExchangeLog,
    label: &str,
) -> Result<(&'a Exchange, &'a HttpResponse), String> {
    let exchange = exchange_of(log, label)?;
    match exchange.response() {
        Some(response) => Ok((exchange, response)),
        None => Err(transport_reason(exchange)),
    }
}

/// The first exchange labelled `label`.
///
/// # Errors
/// The reason, when the label is absent.
pub(crate) fn exchange_of<'a>(log: &'a ExchangeLog, label: &str) -> Result<&'a Exchange, String> {
    log.first(label)
        .ok_or_else(|| format!("the log has no exchange labelled {label}"))
}

/// Why an exchange has no response.
pub(crate) fn transport_reason(exchange: &Exchange) -> String {
    match exchange.failure() {
        Some(failure) => format!(
            "the {} request failed in transport: {failure}",
            exchange.label
        ),
        None => format!("the {} request has no response", exchange.label),
    }
}

/// The form body of a request the scenario sent.
///
/// # Errors
/// The reason, when the body is not a form.
pub(crate) fn request_form(exchange: &Exchange) -> Result<Form, String> {
    exchange
        .request
        .body_form()
        .map_err(|error| format!("the {} request body is not a form: {error}", exchange.label))
}

/// A redirect to the client's redirect URI, decoded.
#[derive(Debug)]
pub(crate) struct Callback<'a> {
    /// Where it was found.
    pub(crate) navigation: Navigation<'a>,
    /// The response parameters, or why they do not decode.
    pub(crate) decoded: Result<AuthorizationCallback, WireError>,
}

impl Callback<'_> {
    /// The callback URL, credentials redacted, and how it was reached.
    pub(crate) fn evidence(&self) -> Evidence {
        Evidence::new()
            .field("exchange", self.navigation.hop.label.clone())
            .field(
                self.navigation.kind.name(),
                redact_url(&self.navigation.url),
            )
            .field(
                "status",
                self.navigation
                    .hop
                    .response()
                    .map_or_else(String::new, |r| r.status.to_string()),
            )
    }
}

/// One user-agent journey: its exchanges and the authorization request it
/// started with.
#[derive(Debug)]
pub(crate) struct Journey<'a> {
    /// The label.
    pub(crate) label: &'a str,
    /// Every exchange, in order.
    pub(crate) exchanges: &'a [Exchange],
    /// The first exchange: the authorization request.
    pub(crate) first: &'a Exchange,
    /// The last exchange: where the journey ended.
    last: &'a Exchange,
    /// The query of the first request: what the scenario sent.
    pub(crate) request: Form,
    /// The redirect URI the request named, or the first registered one.
    pub(crate) redirect_uri: Option<String>,
}

impl<'a> Journey<'a> {
    /// Reads the journey labelled `label`.
    ///
    /// # Errors
    /// The reason, when the label is absent, the first request failed in
    /// transport, or its query does not decode.
    pub(crate) fn read(
        log: &'a ExchangeLog,
        label: &'a str,
        ctx: &JudgeContext<'_>,
    ) -> Result<Self, String> {
        let exchanges = log.journey(label);
        let (Some(first), Some(last)) = (exchanges.first(), exchanges.last()) else {
            return Err(format!("the log has no exchange labelled {label}"));
        };
        if first.response().is_none() {
            return Err(transport_reason(first));
        }
        let request = first
            .request
            .query_form()
            .map_err(|error| format!("the {label} request query does not decode: {error}"))?;
        let redirect_uri = request
            .get(&ctx.profile().redirect_param)
            .map(str::to_owned)
            .or_else(|| ctx.facts().redirect_uris.first().cloned());
        Ok(Self {
            label,
            exchanges,
            first,
            last,
            request,
            redirect_uri,
        })
    }

    /// The `state` values sent (several when repeated on purpose).
    pub(crate) fn states(&self) -> Vec<&str> {
        self.request.get_all("state").collect()
    }

    /// Every navigation of the journey.
    pub(crate) fn navigations(&self) -> Vec<Navigation<'a>> {
        journey_navigations(self.exchanges)
    }

    /// The first navigation to the endpoint of `target` (its query and
    /// fragment aside).
    pub(crate) fn navigation_to(&self, target: &str) -> Option<Navigation<'a>> {
        self.navigations()
            .into_iter()
            .find(|navigation| same_endpoint(&navigation.url, target))
    }

    /// The first response whose script or form names `target`.
    pub(crate) fn script_to(&self, target: &str) -> Option<&'a Exchange> {
        self.exchanges.iter().find(|exchange| {
            exchange
                .response()
                .is_some_and(|response| script_mentions(response, target))
        })
    }

    /// The callback: the first navigation to the redirect URI, decoded.
    pub(crate) fn callback(&self) -> Option<Callback<'a>> {
        let redirect_uri = self.redirect_uri.as_deref()?;
        let navigation = self.navigation_to(redirect_uri)?;
        let decoded = AuthorizationCallback::from_redirect_url(&navigation.url);
        Some(Callback {
            navigation,
            decoded,
        })
    }

    /// The last exchange: where the journey ended.
    pub(crate) fn end(&self) -> &'a Exchange {
        self.last
    }

    /// Where the journey ended, for evidence.
    pub(crate) fn end_evidence(&self) -> Evidence {
        let end = self.end();
        let evidence = Evidence::new()
            .field("exchange", self.label)
            .field("last request", redact_url(&end.request.url));
        match end.response() {
            Some(response) => evidence.field("last status", response.status.to_string()),
            None => evidence.field("last outcome", transport_reason(end)),
        }
    }
}

/// The parameters of a callback that matter to the rules, read with the
/// strict decoder, or from the raw query and fragment when it refuses a
/// repeated parameter (a repeated `state` is exactly what CORE-AZ-03
/// provokes).
#[derive(Debug)]
pub(crate) struct CallbackValues {
    /// A `code` is present.
    pub(crate) code: bool,
    /// The `error`.
    pub(crate) error: Option<OAuthErrorCode>,
    /// Every `state` value (more than one only when repeated).
    pub(crate) states: Vec<String>,
    /// The `iss`.
    pub(crate) iss: Option<String>,
}

impl CallbackValues {
    pub(crate) fn of(callback: &Callback<'_>) -> Self {
        match &callback.decoded {
            Ok(decoded) => Self {
                code: decoded.code.is_some(),
                error: decoded.error.clone(),
                states: decoded
                    .state
                    .iter()
                    .map(|state| state.as_str().to_owned())
                    .collect(),
                iss: decoded.iss.clone(),
            },
            Err(_) => {
                let url = &callback.navigation.url;
                Self {
                    code: !raw_callback_values(url, "code").is_empty(),
                    error: raw_callback_values(url, "error")
                        .first()
                        .map(|error| OAuthErrorCode::from(error.as_str())),
                    states: raw_callback_values(url, "state"),
                    iss: raw_callback_values(url, "iss").first().cloned(),
                }
            }
        }
    }
}

/// The raw values of a parameter in a callback URL's query and fragment.
fn raw_callback_values(url: &str, name: &str) -> Vec<String> {
    let parts = crate::judge::uri::split(url);
    [parts.query, parts.fragment]
        .into_iter()
        .flatten()
        .filter_map(|component| Form::decode(component.as_bytes()).ok())
        .flat_map(|form| {
            form.get_all(name)
                .map(str::to_owned)
                .collect::<Vec<String>>()
        })
        .collect()
}

/// A token request's answer, read.
///
/// # Errors
/// The reason, when the label is absent or the transport failed.
pub(crate) fn answer_of<'a>(
    log: &'a ExchangeLog,
    label: &str,
) -> Result<(&'a Exchange, TokenAnswer<'a>), String> {
    let (exchange, response) = response_of(log, label)?;
    Ok((exchange, TokenAnswer::new(response)))
}

/// What became of a request sent without any client credential.
#[derive(Debug)]
pub(crate) enum Fate<'a> {
    /// An HTTP answer came back.
    Answered(&'a Exchange, &'a HttpResponse),
    /// The TLS handshake refused a request that presented no certificate:
    /// the answer of an mTLS endpoint.
    RefusedByHandshake(&'a Exchange, &'a TransportFailure),
}

/// The fate of a request the scenario sent without client credentials.
///
/// # Errors
/// The reason, when the label is absent, the request carried credentials
/// after all, or the transport failed otherwise than by a TLS alert.
pub(crate) fn fate_without_credentials<'a>(
    log: &'a ExchangeLog,
    label: &str,
) -> Result<Fate<'a>, String> {
    let exchange = exchange_of(log, label)?;
    if let Some(credential) = client_credential(exchange) {
        return Err(format!(
            "the {label} request carries client credentials ({credential})"
        ));
    }
    match (&exchange.outcome, exchange.response()) {
        (_, Some(response)) => Ok(Fate::Answered(exchange, response)),
        (TransportOutcome::Failed(failure), None) if failure.is_tls_refusal() => {
            Ok(Fate::RefusedByHandshake(exchange, failure))
        }
        _ => Err(transport_reason(exchange)),
    }
}

/// The client credential a request carries, named, if any: a certificate, an
/// `Authorization` header, or a secret or assertion in the body.
pub(crate) fn client_credential(exchange: &Exchange) -> Option<&'static str> {
    let request = &exchange.request;
    if request.client_certificate.is_some() {
        return Some("a client certificate");
    }
    if request.header("authorization").is_some() {
        return Some("an Authorization header");
    }
    let form = request.body_form().ok()?;
    if form.get("client_secret").is_some() || form.get("client_assertion").is_some() {
        return Some("a client secret in the body");
    }
    None
}
