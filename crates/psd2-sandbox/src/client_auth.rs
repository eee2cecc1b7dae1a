//! Client authentication at the mTLS endpoints (RFC 6749 §2.3, RFC 8705 §2).
//!
//! [`AuthenticatedClient`] can only be built here: an endpoint that needs an
//! authenticated client takes one, so skipping authentication does not
//! compile (the rustls "proof type" idea).

use hyper::HeaderMap;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use psd2_core::{ClientId, OAuthErrorCode, Secret, X5tS256};
use psd2_eidas::Psd2Certificate;
use psd2_wire::BasicCredentials;

use crate::app::App;
use crate::config::{ClientAuth, ClientRegistration};
use crate::http::Body;
use crate::oauth_error;
use crate::server::ConnectionInfo;

/// A client whose credentials were checked.
#[derive(Debug)]
pub struct AuthenticatedClient<'a> {
    /// Its registration.
    pub registration: &'a ClientRegistration,
    _proof: (),
}

impl AuthenticatedClient<'_> {
    /// Its id.
    #[must_use]
    pub fn id(&self) -> &ClientId {
        &self.registration.client_id
    }
}

/// Why authentication failed; `via_header` decides the status (RFC 6749 §5.2:
/// 401 with `WWW-Authenticate` when the Authorization header was used).
#[derive(Debug, Clone, Copy)]
pub struct AuthFailure {
    /// Whether the client tried the Authorization header.
    pub via_header: bool,
    /// What went wrong, for `error_description`.
    pub reason: &'static str,
}

impl AuthFailure {
    /// The `invalid_client` answer.
    pub fn response(self, app: &App) -> Response<Body> {
        let mut response = oauth_error::token_error(
            app,
            StatusCode::UNAUTHORIZED,
            OAuthErrorCode::INVALID_CLIENT,
            self.reason,
        );
        if self.via_header && !app.fault(crate::faults::Fault::InvalidClientNoChallenge) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"psd2-sandbox\""),
            );
        } else if self.via_header {
            *response.status_mut() = StatusCode::BAD_REQUEST;
        }
        response
    }
}

/// SHA-256 thumbprint of the connection's client certificate (RFC 8705 §3.1).
#[must_use]
pub fn connection_thumbprint(connection: &ConnectionInfo) -> Option<X5tS256> {
    let der = connection.client_certificate.as_ref()?;
    let digest = ring::digest::digest(&ring::digest::SHA256, der.as_ref());
    let bytes: [u8; 32] = digest.as_ref().try_into().ok()?;
    Some(X5tS256::from_sha256(&bytes))
}

/// Authenticates the client of a token or revocation request.
///
/// `body_client_id` and `body_secret` are the form's `client_id` and
/// `client_secret`.
pub fn authenticate<'a>(
    app: &'a App,
    headers: &HeaderMap,
    body_client_id: Option<&ClientId>,
    body_secret: Option<&Secret<String>>,
    connection: &ConnectionInfo,
) -> Result<AuthenticatedClient<'a>, AuthFailure> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let failure = |reason| AuthFailure {
            via_header: true,
            reason,
        };
        let text = value
            .to_str()
            .map_err(|_| failure("the Authorization header is not text"))?;
        let credentials = BasicCredentials::decode(text)
            .map_err(|_| failure("the Authorization header is not HTTP Basic"))?;
        if body_client_id.is_some_and(|id| id != &credentials.client_id) {
            return Err(failure("client_id differs from the Authorization header"));
        }
        let registration = app
            .clients
            .get(&credentials.client_id)
            .ok_or(failure("unknown client"))?;
        let ClientAuth::ClientSecretBasic { client_secret } = &registration.auth else {
            return Err(failure("this client authenticates with tls_client_auth"));
        };
        if !client_secret.ct_eq(credentials.client_secret.expose().as_bytes()) {
            return Err(failure("wrong client secret"));
        }
        return Ok(AuthenticatedClient {
            registration,
            _proof: (),
        });
    }
    let failure = |reason| AuthFailure {
        via_header: false,
        reason,
    };
    if body_secret.is_some() {
        return Err(failure(
            "client_secret_post is not supported: use HTTP Basic or tls_client_auth",
        ));
    }
    let id = body_client_id.ok_or(failure("no client authentication"))?;
    let registration = app.clients.get(id).ok_or(failure("unknown client"))?;
    let ClientAuth::TlsClientAuth {
        organization_identifier,
    } = &registration.auth
    else {
        return Err(failure(
            "this client authenticates with client_secret_basic",
        ));
    };
    let der = connection
        .client_certificate
        .as_ref()
        .ok_or(failure("no client certificate"))?;
    let certificate = Psd2Certificate::from_der(der.as_ref())
        .map_err(|_| failure("the client certificate cannot be read"))?;
    let presented = certificate
        .organization_identifier()
        .map(|org_id| org_id.as_str().to_owned());
    if presented.as_deref() != Some(organization_identifier.as_str()) {
        return Err(failure(
            "the certificate's organizationIdentifier is not the one registered for this client",
        ));
    }
    Ok(AuthenticatedClient {
        registration,
        _proof: (),
    })
}

/// For the `*-without-auth` faults: the client named in the body, unchecked.
pub fn unauthenticated<'a>(
    app: &'a App,
    body_client_id: Option<&ClientId>,
) -> Option<AuthenticatedClient<'a>> {
    let registration = app.clients.get(body_client_id?)?;
    Some(AuthenticatedClient {
        registration,
        _proof: (),
    })
}
