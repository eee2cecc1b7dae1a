//! The protected resources: accounts (AIS), payment requests (PIS) and funds
//! confirmations (PIIS), guarded as RFC 6750 and RFC 8705 §3 say.

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use psd2_core::{CustomerId, OAuthErrorCode, PersonId, Psu, ScopeSet, Service};
use psd2_token::{UnixTime, VerifiedAccessToken, VerifyError};
use psd2_wire::{BearerChallenge, Form};
use serde_json::json;

use crate::app::App;
use crate::client_auth;
use crate::faults::Fault;
use crate::http::{self, Body};
use crate::server::ConnectionInfo;

const ACCOUNTS: &str = "/accounts";
const PAYMENTS: &str = "/payment-requests";
const FUNDS: &str = "/funds-confirmations";
const REALM: &str = "psd2-sandbox";

/// Whether a path belongs to the resource server.
#[must_use]
pub fn owns(path: &str) -> bool {
    path == ACCOUNTS || path.starts_with("/accounts/") || path == PAYMENTS || path == FUNDS
}

fn service_of(path: &str) -> Service {
    if path == PAYMENTS {
        Service::PaymentInitiation
    } else if path == FUNDS {
        Service::FundsConfirmation
    } else {
        Service::AccountInformation
    }
}

/// A 401 or 403 with the RFC 6750 §3 challenge.
fn challenge(
    app: &App,
    status: StatusCode,
    error: Option<(OAuthErrorCode, &str)>,
    scope: Option<&str>,
) -> Response<Body> {
    let (code, description) = error.unzip();
    let bearer = BearerChallenge {
        realm: Some(REALM.to_owned()),
        error: code,
        error_description: description.map(str::to_owned),
        scope: scope.and_then(|scope| psd2_core::ScopeSet::parse(scope).ok()),
        ..BearerChallenge::default()
    };
    let mut response = http::json(
        status,
        &json!({ "message": status.canonical_reason().unwrap_or("refused") }),
    );
    if !app.fault(Fault::ResourceNoChallenge)
        && let Ok(value) = HeaderValue::from_str(&bearer.encode())
    {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

enum Presented {
    None,
    Header(String),
    Query(String),
    Both,
}

fn presented_token(request: &Request<Incoming>) -> Presented {
    let header_token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_owned())
        });
    let query_token = request
        .uri()
        .query()
        .and_then(|query| Form::decode(query.as_bytes()).ok())
        .and_then(|form| form.get("access_token").map(str::to_owned));
    match (header_token, query_token) {
        (Some(_), Some(_)) => Presented::Both,
        (Some(token), None) => Presented::Header(token),
        (None, Some(token)) => Presented::Query(token),
        (None, None) => Presented::None,
    }
}

/// Any request to a resource path.
pub async fn handle(
    app: &App,
    request: Request<Incoming>,
    connection: &ConnectionInfo,
) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let service = service_of(&path);
    let (token, in_query) = match presented_token(&request) {
        Presented::Header(token) => (token, false),
        Presented::Query(token) => (token, true),
        // RFC 6750 §2: "Clients MUST NOT use more than one method to transmit
        // the token in each request."
        Presented::Both => {
            return challenge(
                app,
                StatusCode::BAD_REQUEST,
                Some((OAuthErrorCode::INVALID_REQUEST, "the token was sent twice")),
                None,
            );
        }
        Presented::None => {
            if app.fault(Fault::ResourceWithoutToken) {
                let first_psu = app.psus.person.first().and_then(|person| {
                    person
                        .customers
                        .first()
                        .map(|customer| Psu::new(person.id.clone(), customer.clone()))
                });
                return serve(app, request, service, first_psu.as_ref(), false).await;
            }
            // RFC 6750 §3.1: no error code when the request had no credentials.
            if app.fault(Fault::ResourceNoTokenErrorCode) {
                return challenge(
                    app,
                    StatusCode::UNAUTHORIZED,
                    Some((OAuthErrorCode::INVALID_REQUEST, "no access token")),
                    None,
                );
            }
            return challenge(app, StatusCode::UNAUTHORIZED, None, None);
        }
    };
    let verified = match verify(app, &token, connection) {
        Ok(verified) => verified,
        Err(description) if app.fault(Fault::ResourceInvalidToken400) => {
            return challenge(
                app,
                StatusCode::BAD_REQUEST,
                Some((OAuthErrorCode::INVALID_REQUEST, description)),
                None,
            );
        }
        Err(description) => {
            return challenge(
                app,
                StatusCode::UNAUTHORIZED,
                Some((OAuthErrorCode::INVALID_TOKEN, description)),
                None,
            );
        }
    };
    let required = app.profile.service_scopes.scope_for(service);
    let allowed = required.is_some_and(|scope| verified.scope.contains(scope.as_str()));
    if !allowed && !app.fault(Fault::ResourceScopeIgnored) {
        return challenge(
            app,
            StatusCode::FORBIDDEN,
            Some((
                OAuthErrorCode::INSUFFICIENT_SCOPE,
                "the token's scope does not cover this resource",
            )),
            required.map(psd2_core::Scope::as_str),
        );
    }
    serve(app, request, service, verified.psu.as_ref(), in_query).await
}

/// What a token lets its bearer do here.
struct Authorized {
    scope: ScopeSet,
    psu: Option<Psu>,
}

impl From<VerifiedAccessToken> for Authorized {
    fn from(verified: VerifiedAccessToken) -> Self {
        Self {
            scope: verified.scope().clone(),
            psu: verified.psu().cloned(),
        }
    }
}

/// The `resource-signature-unchecked` fault: the claims as the payload
/// says, signature ignored (the bug of a resource server that base64-decodes
/// the JWT instead of verifying it).
fn unverified_claims(token: &str) -> Option<Authorized> {
    use base64::Engine as _;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let scope = ScopeSet::parse(claims.get("scope")?.as_str()?).ok()?;
    let psu = match (
        claims.get("sub").and_then(|v| v.as_str()),
        claims.get("customer").and_then(|v| v.as_str()),
    ) {
        (Some(person), Some(customer)) => Some(Psu::new(
            PersonId(person.to_owned()),
            CustomerId(customer.to_owned()),
        )),
        _ => None,
    };
    Some(Authorized { scope, psu })
}

fn verify(app: &App, token: &str, connection: &ConnectionInfo) -> Result<Authorized, &'static str> {
    match verify_signed(app, token, connection) {
        Ok(verified) => Ok(verified.into()),
        Err(Refusal::Signature) if app.fault(Fault::ResourceSignatureUnchecked) => {
            unverified_claims(token).ok_or("the token is invalid")
        }
        Err(Refusal::Signature) => Err("the token's signature does not verify"),
        Err(Refusal::Other(description)) => Err(description),
    }
}

/// Why a token was refused; a bad signature is told apart for the
/// `resource-signature-unchecked` fault.
enum Refusal {
    Signature,
    Other(&'static str),
}

fn verify_signed(
    app: &App,
    token: &str,
    connection: &ConnectionInfo,
) -> Result<VerifiedAccessToken, Refusal> {
    let digest = crate::token::token_digest(token);
    let token = &psd2_core::Secret::new(token);
    let now = UnixTime::from_secs(app.now());
    let binding = client_auth::connection_thumbprint(connection)
        .ok_or(Refusal::Other("no client certificate"))?;
    let verified = match app.access_verifier.verify_access(token, &binding, now) {
        Ok(verified) => verified,
        Err(VerifyError::WrongBinding) if app.fault(Fault::ResourceBindingIgnored) => {
            let issued_for = app
                .store
                .binding_of(&digest)
                .ok_or(Refusal::Other("the token is not bound to this certificate"))?;
            app.access_verifier
                .verify_access(token, &issued_for, now)
                .map_err(|_| Refusal::Other("the token is invalid"))?
        }
        Err(VerifyError::WrongBinding) => {
            return Err(Refusal::Other("the token is not bound to this certificate"));
        }
        Err(VerifyError::Expired { .. }) => return Err(Refusal::Other("the token expired")),
        Err(VerifyError::BadSignature) => return Err(Refusal::Signature),
        Err(_) => return Err(Refusal::Other("the token is invalid")),
    };
    if app.store.access_revoked(&verified.token_id()) {
        return Err(Refusal::Other("the token was revoked"));
    }
    match app.store.grant(&verified.grant_id()) {
        Some(grant) if !grant.revoked => Ok(verified),
        _ => Err(Refusal::Other("the token was revoked")),
    }
}

async fn serve(
    app: &App,
    request: Request<Incoming>,
    service: Service,
    psu: Option<&Psu>,
    in_query: bool,
) -> Response<Body> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = match (service, &method) {
        (Service::AccountInformation, &Method::GET) => accounts(app, &path, psu),
        (Service::PaymentInitiation, &Method::POST) => {
            let (_, body) = request.into_parts();
            if http::read_body(body, app.limits.max_body_bytes, app.limits.body_timeout)
                .await
                .is_err()
            {
                return http::plain(StatusCode::BAD_REQUEST, "request body could not be read");
            }
            match app.random_token() {
                Some(id) => http::json(
                    StatusCode::CREATED,
                    &json!({ "paymentRequestResourceId": id, "status": "RCVD" }),
                ),
                None => http::plain(StatusCode::SERVICE_UNAVAILABLE, "no randomness available"),
            }
        }
        (Service::FundsConfirmation, &Method::POST) => {
            http::json(StatusCode::OK, &json!({ "fundsAvailable": true }))
        }
        _ => http::plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed"),
    };
    // RFC 6750 §2.3: a response to a request with the token in the URI
    // SHOULD be `Cache-Control: private`.
    if in_query && app.fault(Fault::ResourceQueryTokenCacheable) {
        return response;
    }
    let cache = if in_query { "private" } else { "no-store" };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

fn accounts(app: &App, path: &str, psu: Option<&Psu>) -> Response<Body> {
    let Some(psu) = psu else {
        return http::plain(StatusCode::FORBIDDEN, "this token has no PSU");
    };
    let Some(customer) = app.psus.customer(&psu.customer) else {
        return http::plain(StatusCode::NOT_FOUND, "not found");
    };
    match path.strip_prefix("/accounts/") {
        None => http::json(StatusCode::OK, &json!({ "accounts": customer.accounts })),
        // Another customer's account is as absent as a non-existent one, so
        // the answer does not reveal that it exists.
        Some(id) => match customer
            .accounts
            .iter()
            .find(|account| account.resource_id == id)
        {
            Some(account) => http::json(StatusCode::OK, &json!(account)),
            None => http::plain(StatusCode::NOT_FOUND, "not found"),
        },
    }
}
