//! Sign-in and consent: the pages between the authorization request and the
//! callback. Every form is bound to the browser that started the transaction
//! by a cookie, so a forged POST from elsewhere cannot grant consent.

use hyper::body::Incoming;
use hyper::header;
use hyper::{Request, Response, StatusCode};
use psd2_core::{CustomerId, OAuthErrorCode, Psu, Scope, ScopeSet, Secret};
use psd2_wire::Form;

use crate::app::App;
use crate::authorize::Callback;
use crate::faults::Fault;
use crate::http::{self, Body};
use crate::pages;
use crate::store::{PendingCode, Transaction};

/// Sign-in form target.
pub const LOGIN_PATH: &str = "/login";
/// Consent page and form target.
pub const CONSENT_PATH: &str = "/consent";

fn cookie_name(transaction: &str) -> String {
    format!("sandbox_txn_{transaction}")
}

/// The `Set-Cookie` value binding a transaction to the browser.
#[must_use]
pub fn binding_cookie(transaction: &str, binding: &str) -> String {
    format!(
        "{}={binding}; Path=/; Secure; HttpOnly; SameSite=Lax",
        cookie_name(transaction)
    )
}

fn cookie_value<'a>(request_headers: &'a hyper::HeaderMap, name: &str) -> Option<&'a str> {
    request_headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The transaction, if it is alive and this browser started it.
fn bound_transaction(app: &App, headers: &hyper::HeaderMap, id: &str) -> Option<Transaction> {
    let transaction = app.store.transaction(id, app.now())?;
    let presented = cookie_value(headers, &cookie_name(id))?;
    transaction
        .browser_binding
        .ct_eq(presented.as_bytes())
        .then_some(transaction)
}

async fn read_form(
    app: &App,
    request: Request<Incoming>,
) -> Result<(hyper::HeaderMap, Form), Response<Body>> {
    let (parts, body) = request.into_parts();
    let bytes = http::read_body(body, app.limits.max_body_bytes, app.limits.body_timeout)
        .await
        .map_err(|error| match error {
            http::BodyError::TooLarge { .. } => {
                pages::error(app, StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.")
            }
            _ => pages::error(app, StatusCode::BAD_REQUEST, "The form could not be read."),
        })?;
    let form = Form::decode(&bytes)
        .map_err(|_| pages::error(app, StatusCode::BAD_REQUEST, "The form could not be read."))?;
    Ok((parts.headers, form))
}

fn expired(app: &App) -> Response<Body> {
    pages::error(
        app,
        StatusCode::BAD_REQUEST,
        "This sign-in has expired or was started in another browser. Start again from the application.",
    )
}

/// `POST /login`: check the PSU's credentials, then 303 to the consent page.
pub async fn post_login(app: &App, request: Request<Incoming>) -> Response<Body> {
    let (headers, form) = match read_form(app, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(id) = form.get("txn") else {
        return expired(app);
    };
    let Some(transaction) = bound_transaction(app, &headers, id) else {
        return expired(app);
    };
    let client_name = app.client(transaction.client_id.as_str()).map_or_else(
        || transaction.client_id.to_string(),
        |client| client.name.clone(),
    );
    let username = form.get("username").unwrap_or("");
    let password = form.get("password").unwrap_or("");
    let person = app
        .psus
        .person_by_username(username)
        .filter(|person| person.password.ct_eq(password.as_bytes()));
    let Some(person) = person else {
        return pages::sign_in(
            app,
            id,
            &client_name,
            Some("Unknown username or wrong password."),
        );
    };
    if !app.store.sign_in(id, person.id.clone(), app.now()) {
        return expired(app);
    }
    let location = format!("{CONSENT_PATH}?txn={id}");
    // RFC 9700 §4.12: 303 makes the browser GET the next page; 307 would
    // re-post the credentials to wherever the Location points.
    http::redirect(StatusCode::SEE_OTHER, &location)
}

fn transaction_id(request: &Request<Incoming>) -> Option<String> {
    let query = request.uri().query()?;
    Form::decode(query.as_bytes())
        .ok()?
        .get("txn")
        .map(str::to_owned)
}

/// `GET /consent?txn=…`: choose the customer and the scopes.
pub fn get_consent(app: &App, request: &Request<Incoming>) -> Response<Body> {
    let Some(id) = transaction_id(request) else {
        return expired(app);
    };
    let Some(transaction) = bound_transaction(app, request.headers(), &id) else {
        return expired(app);
    };
    let Some((person_id, _)) = &transaction.signed_in else {
        return expired(app);
    };
    let Some(person) = app
        .psus
        .person
        .iter()
        .find(|person| &person.id == person_id)
    else {
        return expired(app);
    };
    let customers: Vec<_> = person
        .customers
        .iter()
        .filter_map(|id| app.psus.customer(id))
        .collect();
    let scopes: Vec<String> = transaction
        .scope
        .iter()
        .map(|scope| scope.as_str().to_owned())
        .collect();
    let client_name = app.client(transaction.client_id.as_str()).map_or_else(
        || transaction.client_id.to_string(),
        |client| client.name.clone(),
    );
    pages::consent(app, &id, &client_name, &customers, &scopes)
}

/// `POST /consent`: grant (some of) the scopes for one customer, or deny.
pub async fn post_consent(app: &App, request: Request<Incoming>) -> Response<Body> {
    let (headers, form) = match read_form(app, request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(id) = form.get("txn") else {
        return expired(app);
    };
    let Some(transaction) = bound_transaction(app, &headers, id) else {
        return expired(app);
    };
    let Some((person_id, sca_at)) = transaction.signed_in.clone() else {
        return expired(app);
    };
    // The transaction ends here, whatever the decision: it cannot be replayed.
    if app.store.finish_transaction(id).is_none() {
        return expired(app);
    }
    let target = Callback {
        redirect_uri: &transaction.redirect_uri,
        state: transaction.state.as_deref(),
        after_post: true,
    };
    let mut granted = ScopeSet::new();
    for value in form.get_all("scope") {
        match Scope::new(value) {
            Ok(scope) if transaction.scope.contains(scope.as_str()) => {
                granted.insert(scope);
            }
            _ => {
                return pages::error(
                    app,
                    StatusCode::BAD_REQUEST,
                    "A scope that was not requested cannot be granted.",
                );
            }
        }
    }
    if form.get("decision") != Some("grant") || granted.is_empty() {
        let error = if app.fault(Fault::DenyWrongError) {
            OAuthErrorCode::SERVER_ERROR
        } else {
            OAuthErrorCode::ACCESS_DENIED
        };
        return app.consent_error(&target, error, "the PSU denied the request");
    }
    let customer = CustomerId(form.get("customer").unwrap_or("").to_owned());
    let person_may_act = app
        .psus
        .person
        .iter()
        .any(|person| person.id == person_id && person.customers.contains(&customer));
    if !person_may_act {
        return pages::error(
            app,
            StatusCode::BAD_REQUEST,
            "You cannot act for that customer.",
        );
    }
    issue_code(
        app,
        transaction,
        Psu::new(person_id, customer),
        granted,
        sca_at,
    )
}

/// Issues a code and sends the browser back to the client.
fn issue_code(
    app: &App,
    transaction: Transaction,
    psu: Psu,
    granted: ScopeSet,
    sca_at: u64,
) -> Response<Body> {
    let target = Callback {
        redirect_uri: &transaction.redirect_uri,
        state: transaction.state.as_deref(),
        after_post: true,
    };
    let (Some(code), Ok(grant_id)) = (app.random_token(), app.access_minter.new_grant_id()) else {
        return app.consent_error(
            &target,
            OAuthErrorCode::TEMPORARILY_UNAVAILABLE,
            "no randomness available",
        );
    };
    let now = app.now();
    let lifetime = if app.fault(Fault::CodeLongLived) {
        86_400
    } else {
        app.lifetimes
            .code
            .as_secs()
            .min(app.profile.code_ttl_max.as_secs())
    };
    let pending = PendingCode {
        grant_id,
        client_id: transaction.client_id.clone(),
        redirect_uri: transaction.redirect_uri.clone(),
        redirect_uri_sent: transaction.redirect_uri_sent,
        scope: granted,
        requested_scope: transaction.scope.clone(),
        psu,
        code_challenge: transaction.code_challenge.clone(),
        sca_at,
        expires_at: now + lifetime,
    };
    if app.store.put_code(code.clone(), pending, now).is_err() {
        return app.consent_error(
            &target,
            OAuthErrorCode::TEMPORARILY_UNAVAILABLE,
            "too many pending codes",
        );
    }
    let misnamed = app.fault(Fault::CodeParameterMisnamed);
    app.callback(&target, |response| {
        if misnamed {
            response.extra.append("authCode", code);
        } else {
            response.code = Some(Secret::new(code));
        }
    })
}

/// The `no-psu-authentication` fault: a code for the first test PSU, all
/// scopes granted, with no page shown.
pub fn issue_without_psu(app: &App, transaction: Transaction) -> Response<Body> {
    let psu = app.psus.person.first().and_then(|person| {
        person
            .customers
            .first()
            .map(|customer| Psu::new(person.id.clone(), customer.clone()))
    });
    let Some(psu) = psu else {
        return pages::error(
            app,
            StatusCode::INTERNAL_SERVER_ERROR,
            "No test PSU is configured.",
        );
    };
    let granted = transaction.scope.clone();
    let now = app.now();
    issue_code(app, transaction, psu, granted, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn finds_the_transaction_cookie_among_others() {
        let mut headers = hyper::HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; sandbox_txn_abc=xyz; b=2"),
        );
        assert_eq!(cookie_value(&headers, "sandbox_txn_abc"), Some("xyz"));
        assert_eq!(cookie_value(&headers, "sandbox_txn_ab"), None);
    }
}
