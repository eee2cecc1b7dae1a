//! Token revocation (RFC 7009).

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use psd2_core::OAuthErrorCode;
use psd2_token::{UnixTime, VerifyError};
use psd2_wire::{FormMessage, RevocationRequest};

use crate::app::App;
use crate::client_auth;
use crate::faults::Fault;
use crate::http::{self, Body};
use crate::oauth_error::{self, bad_request};
use crate::server::ConnectionInfo;

/// The path of the revocation endpoint.
pub const PATH: &str = "/revoke";

/// RFC 7009 §2.2: "The authorization server responds with HTTP status code
/// 200 if the token has been revoked successfully or if the client submitted
/// an invalid token."
fn ok() -> Response<Body> {
    let mut response = http::plain(StatusCode::OK, "");
    http::add_no_store(&mut response);
    response
}

/// Reads and decodes a revocation (or, with the same parameters, an RFC
/// 7662 introspection) request; the error response when it cannot be.
pub(crate) async fn read_request(
    app: &App,
    body: Incoming,
) -> Result<RevocationRequest, Response<Body>> {
    let Ok(bytes) = http::read_body(body, app.limits.max_body_bytes, app.limits.body_timeout).await
    else {
        return Err(bad_request(
            app,
            OAuthErrorCode::INVALID_REQUEST,
            "request body could not be read",
        ));
    };
    RevocationRequest::decode(&bytes).map_err(|error| oauth_error::malformed(app, &error))
}

/// `POST /revoke`.
pub async fn post(
    app: &App,
    request: Request<Incoming>,
    connection: &ConnectionInfo,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let request = match read_request(app, body).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    // RFC 7009 §2.1: "The authorization server first validates the client
    // credentials".
    let client = match client_auth::authenticate(
        app,
        &parts.headers,
        request.client_id.as_ref(),
        request.client_secret.as_ref(),
        connection,
    ) {
        Ok(client) => client,
        Err(failure) => match client_auth::unauthenticated(app, request.client_id.as_ref())
            .filter(|_| app.fault(Fault::RevokeWithoutAuth))
        {
            Some(client) => client,
            None => return failure.response(app),
        },
    };
    let now = UnixTime::from_secs(app.now());
    let token = &request.token;

    // The hint only orders the search (RFC 7009 §2.1: the server "MAY ignore
    // the hint"); an unknown hint is no error. Both kinds are tried.
    match app.refresh_verifier.verify_refresh(token, client.id(), now) {
        Ok(refresh) => {
            let grant_id = refresh.grant_id();
            if !app.fault(Fault::RevokeRefreshNoop) {
                // RFC 7009 §2.1: revoking a refresh token SHOULD also revoke
                // the access tokens of the same grant.
                if app.fault(Fault::RevokeRefreshKeepsAccess) {
                    app.store.revoke_refresh_only(&grant_id);
                } else {
                    app.store.revoke_grant(&grant_id);
                }
            }
            if app.fault(Fault::RevokeRefresh204) {
                let mut response = http::plain(StatusCode::NO_CONTENT, "");
                http::add_no_store(&mut response);
                return response;
            }
            return ok();
        }
        Err(VerifyError::WrongClient) => return other_clients_token(app, token, now),
        Err(_) => {}
    }
    if let Some(binding) = client_auth::connection_thumbprint(connection) {
        match app.access_verifier.verify_access(token, &binding, now) {
            Ok(access) if access.client_id() == client.id() => {
                if !app.fault(Fault::RevokeAccessNoop) {
                    app.store.revoke_access(access.token_id());
                }
                return ok();
            }
            Ok(_) | Err(VerifyError::WrongBinding) => return other_clients_token(app, token, now),
            Err(_) => {}
        }
    }
    if app.fault(Fault::RevokeUnknown400) {
        return bad_request(app, OAuthErrorCode::INVALID_REQUEST, "unknown token");
    }
    ok()
}

/// RFC 7009 §2.1: the server "verifies whether the token was issued to the
/// client making the revocation request. If this validation fails, the
/// request is refused".
fn other_clients_token(
    app: &App,
    token: &psd2_core::Secret<String>,
    now: UnixTime,
) -> Response<Body> {
    if app.fault(Fault::RevokeOtherClientsToken) {
        for client_id in app.clients.keys() {
            if let Ok(refresh) = app.refresh_verifier.verify_refresh(token, client_id, now) {
                app.store.revoke_grant(&refresh.grant_id());
                return ok();
            }
        }
        if let Some(binding) = app
            .store
            .binding_of(&crate::token::token_digest(token.expose()))
            && let Ok(access) = app.access_verifier.verify_access(token, &binding, now)
        {
            app.store.revoke_access(access.token_id());
        }
        return ok();
    }
    bad_request(
        app,
        OAuthErrorCode::INVALID_GRANT,
        "the token was issued to another client",
    )
}
