//! The single requests of a scenario (every step kind but `authorize` and
//! `consent`): the request a well-behaved client would send, then the
//! step's variations — `params` set or override a parameter, `omit` removes
//! one, `repeat` sends it twice — and the credentials the step presents.
//!
//! Defaults come from the scenario's earlier steps: a `token` step redeems
//! the last code received with the last journey's PKCE verifier, a
//! `refresh` step uses the last refresh token, `read`/`update`/`delete` the
//! last registration. A scenario overrides any of them with `params`.

use psd2_core::{ClientAuthMethod, ClientId, Secret};
use psd2_rules::exchange::HttpRequest;
use psd2_wire::{BasicCredentials, Form};

use super::StepError;
use super::captures::Captures;
use super::setup::{ClientSetup, Harness};
use crate::scenario::{
    CaptureField, CertificateChoice, ClockAdvance, ProfileLifetime, RedirectChoice,
    ResourceService, Step, StepKind,
};
use crate::transport::ClientIdentity;

/// A request ready to send.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) request: HttpRequest,
    pub(crate) identity: Option<ClientIdentity>,
}

/// The certificate a step presents for `client`.
pub(crate) fn identity(
    harness: &Harness,
    step: &Step,
    client: &ClientSetup,
) -> Result<Option<ClientIdentity>, StepError> {
    match &step.certificate {
        CertificateChoice::Client => Ok(client.identity.clone()),
        CertificateChoice::Named(name) => harness
            .certificates
            .get(name)
            .cloned()
            .map(Some)
            .ok_or_else(|| StepError::Certificate {
                name: name.clone(),
                reason: "the target does not define it, or its files could not be loaded"
                    .to_owned(),
            }),
        CertificateChoice::None => Ok(None),
    }
}

/// The redirect URI a step sends.
pub(crate) fn redirect_uri(
    harness: &Harness,
    choice: &RedirectChoice,
) -> Result<String, StepError> {
    match choice {
        RedirectChoice::Registered => Ok(harness.redirect.registered.to_string()),
        RedirectChoice::WithQuery => harness
            .redirect
            .with_query
            .as_ref()
            .map(ToString::to_string)
            .ok_or_else(|| StepError::Unsupported("the target has no redirect.query_uri".into())),
        RedirectChoice::Literal(uri) => Ok(uri.clone()),
    }
}

/// Applies `params`, `omit` and `repeat` to a form, in that order: a
/// parameter can be overridden and then repeated.
pub(crate) fn vary(form: &mut Form, step: &Step, captures: &Captures) -> Result<(), StepError> {
    for (name, template) in &step.params {
        form.set(name.clone(), captures.render(template)?);
    }
    for name in &step.omit {
        form.remove(name);
    }
    for name in &step.repeat {
        // The same value again: RFC 6749 §3.1 forbids the repetition itself,
        // whatever the values.
        let values: Vec<String> = form.get_all(name).map(str::to_owned).collect();
        for value in values {
            form.append(name.clone(), value);
        }
    }
    Ok(())
}

/// Client authentication in the form or the `Authorization` header. A step
/// presenting no certificate (`certificate = "none"`) sends no credential
/// at all, only the `client_id` claim; `omit = ["client_secret"]` drops
/// the secret of a secret client; `params.client_secret` replaces the
/// secret of a secret client where its method sends it (the `Authorization`
/// header for `client_secret_basic`, the form for `client_secret_post`).
fn authenticate(
    form: &mut Form,
    headers: &mut Vec<(String, String)>,
    client: &ClientSetup,
    step: &Step,
    captures: &Captures,
) -> Result<(), StepError> {
    let no_credentials = step.certificate == CertificateChoice::None
        || step.omit.iter().any(|name| name == "client_secret");
    let secret = match (&client.secret, step.params.get("client_secret")) {
        (Some(_), Some(template)) => Some(captures.render(template)?),
        (Some(secret), None) => Some(secret.expose().clone()),
        (None, _) => None,
    }
    .filter(|_| !no_credentials);
    match (&client.auth, secret) {
        (ClientAuthMethod::ClientSecretBasic, Some(secret)) => {
            let client_id = ClientId::new(client.client_id.clone())
                .map_err(|error| StepError::Unsupported(format!("client_id: {error}")))?;
            let basic = BasicCredentials::new(client_id, Secret::new(secret));
            headers.push(("Authorization".to_owned(), basic.to_header_value()));
        }
        (ClientAuthMethod::ClientSecretPost, Some(secret)) => {
            form.set("client_id", client.client_id.clone());
            form.set("client_secret", secret);
        }
        (ClientAuthMethod::PrivateKeyJwt, _) => {
            return Err(StepError::Unsupported(
                "private_key_jwt client authentication is not implemented by the runner".into(),
            ));
        }
        // tls_client_auth and its self-signed variant name the client in
        // the body (RFC 8705 §2); so does a step without credentials.
        _ => {
            form.set("client_id", client.client_id.clone());
        }
    }
    Ok(())
}

/// The `http://` form of an endpoint: same host, port and path (CORE-TL-01
/// asks whether the server processes a request that arrives without TLS).
pub(crate) fn cleartext(mut url: url::Url) -> Result<url::Url, StepError> {
    url.set_scheme("http")
        .map_err(|()| StepError::Unsupported(format!("{url} has no http:// form")))?;
    Ok(url)
}

fn form_post(url: &str, form: &Form, headers: Vec<(String, String)>) -> HttpRequest {
    let mut request = HttpRequest::new("POST", url)
        .with_header("Content-Type", "application/x-www-form-urlencoded")
        .with_header("Accept", "application/json")
        .with_body(form.encode());
    request.headers.extend(headers);
    request
}

/// The scope a client asks for on a grant, within the profile's allowed
/// scopes for that grant when the profile restricts them.
fn grant_scope(client: &ClientSetup, allowed: Option<&psd2_core::ScopeSet>) -> Option<String> {
    let scope = client.scope.as_ref()?;
    let chosen = match allowed {
        Some(allowed) if !scope.intersection(allowed).is_empty() => scope.intersection(allowed),
        _ => scope.clone(),
    };
    Some(chosen.to_string())
}

/// A token-endpoint request (`token`, `refresh`, `client_credentials`), a
/// revocation or an introspection.
fn endpoint_form(
    harness: &Harness,
    step: &Step,
    captures: &Captures,
) -> Result<Prepared, StepError> {
    let client = harness.client(step.client)?;
    let mut form = Form::new();
    let url = match step.kind {
        StepKind::Token => {
            form.set("grant_type", "authorization_code");
            if let Some(code) = captures.last(CaptureField::Code) {
                form.set("code", code);
            }
            form.set("redirect_uri", redirect_uri(harness, &step.redirect_uri)?);
            if let Some(verifier) = captures.last(CaptureField::CodeVerifier) {
                form.set("code_verifier", verifier);
            }
            harness.token_endpoint()?.clone()
        }
        StepKind::Refresh => {
            form.set("grant_type", "refresh_token");
            if let Some(token) = captures.last(CaptureField::RefreshToken) {
                form.set("refresh_token", token);
            }
            harness.token_endpoint()?.clone()
        }
        StepKind::ClientCredentials => {
            form.set("grant_type", "client_credentials");
            let allowed = harness.profile.allowed_scopes.client_credentials.as_ref();
            if let Some(scope) = grant_scope(client, allowed) {
                form.set("scope", scope);
            }
            harness.token_endpoint()?.clone()
        }
        StepKind::Introspect => {
            // RFC 7662 §2.1: "token REQUIRED"; `params.token` overrides it.
            if let Some(token) = captures.last(CaptureField::AccessToken) {
                form.set("token", token);
            }
            harness
                .endpoints
                .introspection
                .clone()
                .ok_or(StepError::NoEndpoint {
                    endpoint: "introspection",
                })?
        }
        _ => harness
            .endpoints
            .revocation
            .clone()
            .ok_or(StepError::NoEndpoint {
                endpoint: "revocation",
            })?,
    };
    let mut headers = Vec::new();
    authenticate(&mut form, &mut headers, client, step, captures)?;
    vary(&mut form, step, captures)?;
    if client.auth == ClientAuthMethod::ClientSecretBasic
        && client.secret.is_some()
        && step.params.contains_key("client_secret")
    {
        // `authenticate` sent it in the Authorization header (RFC 6749
        // §2.3.1: one authentication method per request).
        form.remove("client_secret");
    }
    let url = if step.cleartext { cleartext(url)? } else { url };
    Ok(Prepared {
        request: form_post(url.as_str(), &form, headers),
        identity: identity(harness, step, client)?,
    })
}

fn resource(harness: &Harness, step: &Step, captures: &Captures) -> Result<Prepared, StepError> {
    let call = step
        .resource
        .as_ref()
        .ok_or_else(|| StepError::Unsupported("a resource step names no service".into()))?;
    let (endpoint, method, body) = match call.service {
        ResourceService::Accounts => (harness.resources.accounts.as_ref(), "GET", None),
        ResourceService::Payments => (harness.resources.payments.as_ref(), "POST", Some("{}")),
        ResourceService::FundsConfirmation => (
            harness.resources.funds_confirmation.as_ref(),
            "POST",
            Some("{}"),
        ),
    };
    let endpoint = endpoint.ok_or(StepError::NoEndpoint {
        endpoint: "resource",
    })?;
    let mut url = endpoint.resolve(harness.token_endpoint()?);
    if let Some(path) = &call.path {
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
    }
    // Parameters of a resource call travel in the query: RFC 6750 §2.3's
    // `access_token` is the one a scenario sends this way.
    let mut query = Form::new();
    vary(&mut query, step, captures)?;
    if !query.is_empty() {
        url.set_query(Some(&query.encode()));
    }
    let mut request =
        HttpRequest::new(method, url.as_str()).with_header("Accept", "application/json");
    if let Some(bearer) = &call.bearer {
        let token = captures.render(bearer)?;
        request = request.with_header("Authorization", format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request
            .with_header("Content-Type", "application/json")
            .with_body(body);
    }
    let client = harness.client(step.client)?;
    Ok(Prepared {
        request,
        identity: identity(harness, step, client)?,
    })
}

fn clock(harness: &Harness, step: &Step) -> Result<Prepared, StepError> {
    let (url, admin) = harness
        .clock
        .as_ref()
        .ok_or_else(|| StepError::Unsupported("the target has no clock_control".into()))?;
    let profile = &harness.profile;
    let seconds = match &step.clock {
        Some(ClockAdvance::Seconds(seconds)) => *seconds,
        // One second past the lifetime: the first instant it is over.
        Some(ClockAdvance::Past(lifetime)) => {
            let duration = match lifetime {
                ProfileLifetime::CodeTtlMax => profile.code_ttl_max,
                ProfileLifetime::RefreshTokenLifetime => profile
                    .refresh_token_lifetime
                    .map_or(profile.sca_renewal_window, |documented| {
                        documented.min(profile.sca_renewal_window)
                    }),
                ProfileLifetime::RevocationPropagationDelay => profile.revocation_propagation_delay,
                ProfileLifetime::ScaRenewalWindow => profile.sca_renewal_window,
            };
            duration.as_secs() + 1
        }
        None => {
            return Err(StepError::Unsupported(
                "an advance_clock step says neither seconds nor past".into(),
            ));
        }
    };
    let form = Form::new().with("advance_secs", seconds.to_string());
    let url = url.resolve(harness.token_endpoint()?);
    Ok(Prepared {
        request: form_post(url.as_str(), &form, Vec::new()),
        identity: Some(admin.clone()),
    })
}

fn metadata(harness: &Harness, step: &Step) -> Result<Prepared, StepError> {
    let url = crate::target::metadata_url(&harness.issuer);
    // The metadata is public: no certificate unless the step names one.
    let identity = match &step.certificate {
        CertificateChoice::Named(_) => identity(harness, step, harness.client(step.client)?)?,
        _ => None,
    };
    Ok(Prepared {
        request: HttpRequest::new("GET", url.as_str()).with_header("Accept", "application/json"),
        identity,
    })
}

/// RFC 7591 registration and RFC 7592 management of the registered client.
fn registration(
    harness: &Harness,
    step: &Step,
    captures: &Captures,
) -> Result<Prepared, StepError> {
    let client = harness.client(step.client)?;
    let body = step
        .body
        .clone()
        .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()));
    let json = |request: HttpRequest| {
        request
            .with_header("Content-Type", "application/json")
            .with_body(body.to_string())
    };
    let mut request = if step.kind == StepKind::Register {
        let endpoint = harness
            .endpoints
            .registration
            .as_ref()
            .ok_or(StepError::NoEndpoint {
                endpoint: "registration",
            })?;
        json(HttpRequest::new("POST", endpoint.as_str()))
    } else {
        let uri = match step.params.get("registration_client_uri") {
            Some(template) => captures.render(template)?,
            None => captures
                .last(CaptureField::RegistrationClientUri)
                .ok_or_else(|| StepError::MissingCapture {
                    name: "registration_client_uri".to_owned(),
                })?,
        };
        let method = match step.kind {
            StepKind::Read => "GET",
            StepKind::Update => "PUT",
            _ => "DELETE",
        };
        let request = HttpRequest::new(method, uri);
        if step.kind == StepKind::Update {
            json(request)
        } else {
            request
        }
    };
    let token = match step.params.get("registration_access_token") {
        Some(template) => Some(captures.render(template)?),
        None => captures.last(CaptureField::RegistrationAccessToken),
    };
    if let Some(token) = token.filter(|_| step.kind != StepKind::Register) {
        request = request.with_header("Authorization", format!("Bearer {token}"));
    }
    request = request.with_header("Accept", "application/json");
    Ok(Prepared {
        request,
        identity: identity(harness, step, client)?,
    })
}

/// The request of a single-request step.
///
/// # Errors
/// [`StepError`] when the target lacks what the step needs or a reference
/// was never captured.
pub(crate) fn prepare(
    harness: &Harness,
    step: &Step,
    captures: &Captures,
) -> Result<Prepared, StepError> {
    match step.kind {
        StepKind::Token
        | StepKind::Refresh
        | StepKind::ClientCredentials
        | StepKind::Revoke
        | StepKind::Introspect => endpoint_form(harness, step, captures),
        StepKind::Resource => resource(harness, step, captures),
        StepKind::AdvanceClock => clock(harness, step),
        StepKind::Metadata => metadata(harness, step),
        StepKind::Register | StepKind::Read | StepKind::Update | StepKind::Delete => {
            registration(harness, step, captures)
        }
        StepKind::Authorize | StepKind::Consent | StepKind::Probe => Err(StepError::Unsupported(
            format!("a {} step is a journey, not a single request", step.kind),
        )),
    }
}
