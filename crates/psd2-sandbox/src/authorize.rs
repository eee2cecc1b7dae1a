//! The authorization endpoint (RFC 6749 §4.1.1, §4.1.2.1; RFC 7636; RFC 9207).
//!
//! Order matters: until the client and the redirect URI are trusted, errors
//! are shown to the PSU and never redirected (RFC 6749 §4.1.2.1, RFC 9700
//! §4.11.2). After that, errors go back to the client with `state` and `iss`.

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};
use psd2_core::{OAuthErrorCode, ResponseType, ScopeSet};
use psd2_rules::judge::{RedirectMatch, match_redirect_uri};
use psd2_wire::{
    AuthorizationCallback, AuthorizationRequest, CodeChallengeMethod, Form, FormMessage,
    ParameterLocation,
};

use crate::app::App;
use crate::config::ClientRegistration;
use crate::consent;
use crate::faults::Fault;
use crate::http::{self, Body};
use crate::pages;
use crate::store::Transaction;

/// The path of the authorization endpoint.
pub const PATH: &str = "/authorize";

/// Where a trusted error or success goes.
pub struct Callback<'a> {
    /// The redirect URI (registered, or accepted by the matching policy).
    pub redirect_uri: &'a str,
    /// `state` to echo, if the request had exactly one.
    pub state: Option<&'a str>,
    /// Whether the redirect answers a POST (the consent form): then it is a
    /// 303, which makes the browser GET the callback (RFC 9700 §4.12).
    pub after_post: bool,
}

impl App {
    /// A redirect to the client with an authorization response: the error or
    /// code, `state`, and `iss` (RFC 9207 §2).
    pub fn callback(
        &self,
        target: &Callback<'_>,
        fill: impl FnOnce(&mut AuthorizationCallback),
    ) -> Response<Body> {
        let location = if self.fault(Fault::CallbackInFragment) {
            ParameterLocation::Fragment
        } else {
            ParameterLocation::Query
        };
        let mut response = AuthorizationCallback::new(location);
        fill(&mut response);
        if let Some(state) = target.state {
            let echoed = if self.fault(Fault::CallbackStateAltered) && response.code.is_some() {
                state.chars().take(8).collect::<String>()
            } else {
                state.to_owned()
            };
            response.state = psd2_core::State::new(echoed).ok();
        }
        if !self.fault(Fault::NoIss) {
            response.iss = Some(self.issuer.clone());
        }
        let base = if self.fault(Fault::DropRegisteredQuery) {
            target
                .redirect_uri
                .split('?')
                .next()
                .unwrap_or(target.redirect_uri)
        } else {
            target.redirect_uri
        };
        // RFC 9700 §4.12: after the consent POST, 303 makes the browser GET
        // the callback; 307 would re-post the form to the client.
        let status = match (
            target.after_post,
            self.fault(Fault::Consent307),
            self.fault(Fault::Consent302),
        ) {
            (false, _, _) => StatusCode::FOUND,
            (true, true, _) => StatusCode::TEMPORARY_REDIRECT,
            (true, false, true) => StatusCode::FOUND,
            (true, false, false) => StatusCode::SEE_OTHER,
        };
        http::redirect(status, &response.to_redirect_url(base))
    }

    /// An error redirect from the authorization endpoint to a trusted
    /// redirect URI.
    pub fn callback_error(
        &self,
        target: &Callback<'_>,
        error: OAuthErrorCode,
        description: &str,
    ) -> Response<Body> {
        let error = if self.fault(Fault::AuthorizeErrorUnregisteredCode) {
            OAuthErrorCode::from("bad_request")
        } else {
            error
        };
        let target = Callback {
            redirect_uri: target.redirect_uri,
            state: if self.fault(Fault::AuthorizeErrorWithoutState) {
                None
            } else {
                target.state
            },
            after_post: target.after_post,
        };
        self.callback(&target, |response| {
            response.error = Some(error);
            response.error_description = Some(description.to_owned());
        })
    }

    /// An error redirect after the consent page (a denial, or a failure to
    /// issue the code).
    pub fn consent_error(
        &self,
        target: &Callback<'_>,
        error: OAuthErrorCode,
        description: &str,
    ) -> Response<Body> {
        let target = Callback {
            redirect_uri: target.redirect_uri,
            state: if self.fault(Fault::DenyWithoutState) {
                None
            } else {
                target.state
            },
            after_post: target.after_post,
        };
        let stray_code = if self.fault(Fault::DenyWithCode) {
            self.random_token()
        } else {
            None
        };
        self.callback(&target, |response| {
            response.error = Some(error);
            response.error_description = Some(description.to_owned());
            response.code = stray_code.map(psd2_core::Secret::new);
        })
    }
}

/// The one value of a parameter, `Err` when it was repeated.
fn single<'a>(form: &'a Form, name: &'a str) -> Result<Option<&'a str>, ()> {
    let mut values = form.get_all(name).filter(|value| !value.is_empty());
    let first = values.next();
    if values.next().is_some() {
        return Err(());
    }
    Ok(first)
}

/// `GET /authorize`.
pub fn get(app: &App, request: &Request<Incoming>) -> Response<Body> {
    let mut response = authorize(app, request);
    if app.fault(Fault::CorsOnAuthorize) && request.headers().contains_key(header::ORIGIN) {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    response
}

fn authorize(app: &App, request: &Request<Incoming>) -> Response<Body> {
    let query = request.uri().query().unwrap_or("");
    let limit = psd2_wire::BodyLimit::new(app.limits.max_header_bytes);
    let Ok(form) = Form::decode_limited(query.as_bytes(), limit) else {
        return pages::error(
            app,
            StatusCode::BAD_REQUEST,
            "The authorization request could not be read.",
        );
    };

    // 1. The client: one registered client_id, or an error page.
    let client = match single(&form, "client_id") {
        Ok(Some(id)) => app.client(id),
        _ => None,
    };
    let redirect_param = app.profile.redirect_param.as_str();
    let Some(client) = client else {
        if app.fault(Fault::RedirectForUnknownClient)
            && let Ok(Some(redirect_uri)) = single(&form, redirect_param)
        {
            let state = single(&form, "state").ok().flatten();
            return app.callback_error(
                &Callback {
                    redirect_uri,
                    state,
                    after_post: false,
                },
                OAuthErrorCode::UNAUTHORIZED_CLIENT,
                "unknown client",
            );
        }
        return pages::error(
            app,
            StatusCode::BAD_REQUEST,
            "Unknown or missing client_id: the application is not registered with this bank.",
        );
    };

    // 2. The redirect URI: one that matches a registration, or an error page.
    let Ok(requested_redirect) = single(&form, redirect_param) else {
        return pages::error(
            app,
            StatusCode::BAD_REQUEST,
            "The redirect URI was sent more than once.",
        );
    };
    let redirect_uri = match requested_redirect {
        Some(requested) => match accepted_redirect(app, client, requested) {
            Some(accepted) => accepted,
            None => {
                if app.fault(Fault::RedirectToUnregisteredUri) {
                    let state = single(&form, "state").ok().flatten();
                    return app.callback_error(
                        &Callback {
                            redirect_uri: requested,
                            state,
                            after_post: false,
                        },
                        OAuthErrorCode::INVALID_REQUEST,
                        "redirect_uri is not registered",
                    );
                }
                return pages::error(
                    app,
                    StatusCode::BAD_REQUEST,
                    "The redirect URI is not registered for this application.",
                );
            }
        },
        // RFC 6749 §3.1.2.3: without redirect_uri, only a client with exactly
        // one registered URI can be answered.
        None => match client.redirect_uris.as_slice() {
            [only] => only.clone(),
            _ => {
                return pages::error(
                    app,
                    StatusCode::BAD_REQUEST,
                    "redirect_uri is required: the application registered several.",
                );
            }
        },
    };

    // From here on the redirect URI is trusted: errors go back to the client.
    let state_values: Vec<&str> = form.get_all("state").filter(|v| !v.is_empty()).collect();
    let state = match state_values.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let target = Callback {
        redirect_uri: &redirect_uri,
        state,
        after_post: false,
    };

    let parsed = match AuthorizationRequest::decode_limited(query.as_bytes(), limit) {
        Ok(parsed) => parsed,
        Err(error)
            if error.field().is_some() && app.fault(Fault::AuthorizeRepeatedParameterAccepted) =>
        {
            match AuthorizationRequest::from_form(&first_values(&form)) {
                Ok(parsed) => parsed,
                Err(_) => {
                    return app.callback_error(
                        &target,
                        OAuthErrorCode::INVALID_REQUEST,
                        "malformed request",
                    );
                }
            }
        }
        Err(error) => {
            let description = match error.field() {
                Some(field) => format!("malformed parameter {field}"),
                None => "malformed request".to_owned(),
            };
            return app.callback_error(&target, OAuthErrorCode::INVALID_REQUEST, &description);
        }
    };

    if parsed.response_type != ResponseType::CODE {
        return app.callback_error(
            &target,
            OAuthErrorCode::UNSUPPORTED_RESPONSE_TYPE,
            "only response_type=code is supported",
        );
    }

    let scope = match decide_scope(app, client, parsed.scope.as_ref()) {
        Ok(scope) => scope,
        Err(ScopeRefusal::Unknown) if app.fault(Fault::UnknownScope500) => {
            return pages::error(app, StatusCode::INTERNAL_SERVER_ERROR, "Internal error.");
        }
        Err(ScopeRefusal::Missing) if app.fault(Fault::MissingScope500) => {
            return pages::error(app, StatusCode::INTERNAL_SERVER_ERROR, "Internal error.");
        }
        Err(refusal) => {
            return app.callback_error(
                &target,
                OAuthErrorCode::INVALID_SCOPE,
                refusal.description(),
            );
        }
    };

    let code_challenge = match (&parsed.code_challenge, &parsed.code_challenge_method) {
        (None, None) => None,
        (None, Some(_)) => {
            return app.callback_error(
                &target,
                OAuthErrorCode::INVALID_REQUEST,
                "code_challenge_method without code_challenge",
            );
        }
        // RFC 7636 §4.3: the method defaults to plain, which this server does
        // not support (RFC 9700 §2.1.1: S256).
        (Some(_), None) => {
            return app.callback_error(
                &target,
                OAuthErrorCode::INVALID_REQUEST,
                "code_challenge_method=S256 is required",
            );
        }
        (Some(challenge), Some(method)) => {
            if *method != CodeChallengeMethod::S256 {
                return app.callback_error(
                    &target,
                    OAuthErrorCode::INVALID_REQUEST,
                    "only code_challenge_method=S256 is supported",
                );
            }
            if !is_valid_challenge(challenge) {
                return app.callback_error(
                    &target,
                    OAuthErrorCode::INVALID_REQUEST,
                    "code_challenge is not 43 base64url characters",
                );
            }
            Some(challenge.clone())
        }
    };

    let now = app.now();
    let (Some(transaction_id), Some(binding)) = (app.random_token(), app.random_token()) else {
        return pages::error(
            app,
            StatusCode::SERVICE_UNAVAILABLE,
            "No randomness available.",
        );
    };
    let transaction = Transaction {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.clone(),
        redirect_uri_sent: requested_redirect.is_some(),
        scope,
        state: state.map(str::to_owned),
        code_challenge,
        browser_binding: psd2_core::Secret::new(binding),
        signed_in: None,
        expires_at: now + app.lifetimes.consent_session.as_secs(),
    };

    if app.fault(Fault::NoPsuAuthentication) {
        return consent::issue_without_psu(app, transaction);
    }

    let cookie = consent::binding_cookie(&transaction_id, transaction.browser_binding.expose());
    if app
        .store
        .put_transaction(transaction_id.clone(), transaction, now)
        .is_err()
    {
        return pages::error(
            app,
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many sign-ins in progress; try again later.",
        );
    }
    let mut page = pages::sign_in(app, &transaction_id, &client.name, None);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        page.headers_mut().append(header::SET_COOKIE, value);
    }
    page
}

/// The first value of every parameter (what a lenient server reads when a
/// parameter is repeated).
pub fn first_values(form: &Form) -> Form {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Form::new();
    for (name, value) in form.iter() {
        if !seen.contains(&name) {
            seen.push(name);
            out.append(name, value);
        }
    }
    out
}

fn accepted_redirect(app: &App, client: &ClientRegistration, requested: &str) -> Option<String> {
    if app.fault(Fault::RedirectPrefixMatch)
        && client
            .redirect_uris
            .iter()
            .any(|registered| requested.starts_with(registered.as_str()))
    {
        return Some(requested.to_owned());
    }
    if app.fault(Fault::HttpRedirectAccepted)
        && let Some(rest) = requested.strip_prefix("http://")
        && client
            .redirect_uris
            .iter()
            .any(|registered| registered.strip_prefix("https://") == Some(rest))
    {
        return Some(requested.to_owned());
    }
    match match_redirect_uri(
        requested,
        &client.redirect_uris,
        app.profile.redirect_matching,
    ) {
        RedirectMatch::NoMatch => None,
        _ => Some(requested.to_owned()),
    }
}

/// Why a scope was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRefusal {
    /// No scope and no documented default.
    Missing,
    /// A scope the client may not have, or one the bank does not know.
    Unknown,
}

impl ScopeRefusal {
    fn description(self) -> &'static str {
        match self {
            ScopeRefusal::Missing => "scope is required: this bank documents no default scope",
            ScopeRefusal::Unknown => "a requested scope is unknown or not allowed for this client",
        }
    }
}

/// RFC 6749 §3.3: apply the documented default, or refuse.
pub fn decide_scope(
    app: &App,
    client: &ClientRegistration,
    asked: Option<&ScopeSet>,
) -> Result<ScopeSet, ScopeRefusal> {
    let scope = match asked {
        Some(scope) if !scope.is_empty() => scope.clone(),
        _ if app.fault(Fault::UndocumentedDefaultScope) => client.scopes.clone(),
        _ if app.fault(Fault::MissingScope500) => return Err(ScopeRefusal::Missing),
        _ => app
            .profile
            .default_scope
            .clone()
            .ok_or(ScopeRefusal::Missing)?,
    };
    let allowed_by_profile = app
        .profile
        .allowed_scopes
        .authorize
        .as_ref()
        .is_none_or(|allowed| scope.is_subset(allowed));
    if !scope.is_subset(&client.scopes) || !allowed_by_profile {
        return Err(ScopeRefusal::Unknown);
    }
    Ok(scope)
}

/// RFC 7636 §4.2: S256 challenges are BASE64URL(SHA256(verifier)), 43 characters.
fn is_valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}
