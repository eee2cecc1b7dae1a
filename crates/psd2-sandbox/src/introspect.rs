//! Token introspection (RFC 7662), for the client a token was issued to.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use psd2_core::{Secret, TokenType};
use psd2_token::UnixTime;
use psd2_wire::{Audience, IntrospectionRequest, IntrospectionResponse, JsonMessage};

use crate::app::App;
use crate::client_auth::{self, AuthenticatedClient};
use crate::http::{self, Body};
use crate::revoke;
use crate::server::ConnectionInfo;

/// The path of the introspection endpoint.
pub const PATH: &str = "/introspect";

/// `POST /introspect`.
pub async fn post(
    app: &App,
    request: Request<Incoming>,
    connection: &ConnectionInfo,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    // RFC 7662 §2.1 takes the parameters of RFC 7009's request.
    let request: IntrospectionRequest = match revoke::read_request(app, body).await {
        Ok(request) => request,
        Err(response) => return response,
    };
    // RFC 7662 §2.1: "the endpoint MUST also require some form of
    // authorization to access this endpoint"; here, the client
    // authentication of the token endpoint.
    let client = match client_auth::authenticate(
        app,
        &parts.headers,
        request.client_id.as_ref(),
        request.client_secret.as_ref(),
        connection,
    ) {
        Ok(client) => client,
        Err(failure) => return failure.response(app),
    };
    // The hint is not needed: each token kind carries its own `typ`, so
    // trying both finds the token whatever the hint says (RFC 7662 §2.1:
    // the server "MUST extend its search across all of its supported token
    // types").
    let answer = introspect(app, &client, &request.token, connection)
        .unwrap_or_else(IntrospectionResponse::inactive);
    http::json_no_store(StatusCode::OK, &serde_json::Value::Object(answer.to_json()))
}

/// What the calling client may learn about `token`; `None` when the token
/// is unknown, expired, revoked or another client's (RFC 7662 §2.2: all of
/// these are `{"active":false}`, with nothing else).
fn introspect(
    app: &App,
    client: &AuthenticatedClient<'_>,
    token: &Secret<String>,
    connection: &ConnectionInfo,
) -> Option<IntrospectionResponse> {
    let now = app.now();
    let unix_now = UnixTime::from_secs(now);
    if let Ok(refresh) = app
        .refresh_verifier
        .verify_refresh(token, client.id(), unix_now)
    {
        let claims = refresh.claims();
        let grant = app.store.grant(&refresh.grant_id())?;
        if grant.revoked || grant.refresh_revoked {
            return None;
        }
        // RTS Art. 10a: past the SCA renewal window the refresh token can
        // no longer be used, as the token endpoint would say.
        if grant.psu.is_some()
            && now.saturating_sub(grant.sca_at) > app.profile.sca_renewal_window.as_secs()
        {
            return None;
        }
        let mut answer = IntrospectionResponse::new(true);
        answer.scope = Some(grant.scope);
        answer.client_id = Some(claims.client_id.clone());
        // RFC 7662 §2.2's `token_type` is an OAuth token type (RFC 6749
        // §7.1), which a refresh token does not have.
        answer.exp = Some(claims.expires_at.as_secs());
        answer.iat = Some(claims.issued_at.as_secs());
        answer.sub = grant.psu.map(|psu| psu.person.0);
        answer.iss = Some(claims.issuer.clone());
        return Some(answer);
    }
    // The certificate the access token was issued for, remembered at the
    // token endpoint; the connection's own certificate when the store has
    // forgotten it (its cap), which verifies only the caller's own tokens.
    let binding = app
        .store
        .binding_of(&crate::token::token_digest(token.expose()))
        .or_else(|| client_auth::connection_thumbprint(connection))?;
    let access = app
        .access_verifier
        .verify_access(token, &binding, unix_now)
        .ok()?;
    if access.client_id() != client.id() || app.store.access_revoked(&access.token_id()) {
        return None;
    }
    match app.store.grant(&access.grant_id()) {
        Some(grant) if !grant.revoked => {}
        _ => return None,
    }
    let claims = access.into_claims();
    let mut answer = IntrospectionResponse::new(true);
    answer.token_type = Some(TokenType::bearer());
    answer.exp = Some(claims.expires_at.as_secs());
    answer.iat = Some(claims.issued_at.as_secs());
    answer.sub = claims.psu().map(|psu| psu.person.0.clone());
    answer.aud = match claims.audience.as_slice() {
        [] => None,
        [one] => Some(Audience::One(one.clone())),
        many => Some(Audience::Many(many.to_vec())),
    };
    answer.iss = Some(claims.issuer);
    // RFC 8705 §3.2: the certificate thumbprint the token is bound to.
    answer.cnf_x5t_s256 = Some(claims.binding.as_str().to_owned());
    answer.scope = Some(claims.scope);
    answer.client_id = Some(claims.client_id);
    Some(answer)
}
