//! RFC 8414 authorization server metadata, with the RFC 8705 §5 mTLS aliases
//! and RFC 9207's `authorization_response_iss_parameter_supported`.

use hyper::{Response, StatusCode};
use psd2_core::{GrantType, ResponseType, Scope};
use psd2_wire::{
    AuthorizationServerMetadata, CodeChallengeMethod, JsonMessage, MtlsEndpointAliases,
    TokenEndpointAuthMethod,
};

use crate::app::App;
use crate::faults::Fault;
use crate::http::{self, Body};
use crate::{authorize, introspect, revoke, token};

/// RFC 8414 §3: the well-known path inserted between host and path (the
/// issuer has no path here).
pub const PATH: &str = "/.well-known/oauth-authorization-server";

/// The metadata document the sandbox publishes.
#[must_use]
pub fn document(app: &App) -> AuthorizationServerMetadata {
    let mut metadata =
        AuthorizationServerMetadata::new(if app.fault(Fault::MetadataIssuerMismatch) {
            format!("{}/", app.issuer)
        } else {
            app.issuer.clone()
        });
    let token_endpoint = format!("{}{}", app.mtls_base, token::PATH);
    let revocation_endpoint = format!("{}{}", app.mtls_base, revoke::PATH);
    let introspection_endpoint = format!("{}{}", app.mtls_base, introspect::PATH);
    metadata.authorization_endpoint = Some(format!("{}{}", app.issuer, authorize::PATH));
    // Every token call needs a client certificate, so the plain endpoint and
    // its mTLS alias are the same URL (RFC 8705 §5 allows either).
    metadata.token_endpoint = Some(token_endpoint.clone());
    metadata.revocation_endpoint = Some(revocation_endpoint.clone());
    metadata.introspection_endpoint = Some(introspection_endpoint.clone());
    metadata.mtls_endpoint_aliases = Some(MtlsEndpointAliases {
        token_endpoint: Some(token_endpoint),
        revocation_endpoint: Some(revocation_endpoint),
        introspection_endpoint: Some(introspection_endpoint),
        ..MtlsEndpointAliases::default()
    });
    if !app.fault(Fault::MetadataNoResponseTypes) {
        metadata.response_types_supported = Some(vec![ResponseType::CODE]);
    }
    let mut grants = vec![
        GrantType::AUTHORIZATION_CODE,
        GrantType::REFRESH_TOKEN,
        GrantType::CLIENT_CREDENTIALS,
    ];
    if app.fault(Fault::MetadataContradiction) || app.fault(Fault::PasswordGrant) {
        grants.push(GrantType::PASSWORD);
    }
    metadata.grant_types_supported = Some(grants);
    let methods: Vec<TokenEndpointAuthMethod> = app
        .profile
        .token_endpoint_auth
        .iter()
        .map(|method| TokenEndpointAuthMethod::from(auth_method_name(*method)))
        .collect();
    metadata.token_endpoint_auth_methods_supported = Some(methods.clone());
    metadata.revocation_endpoint_auth_methods_supported = Some(methods.clone());
    metadata.introspection_endpoint_auth_methods_supported = Some(methods);
    let mut scopes: Vec<Scope> = Vec::new();
    for client in app.clients.values() {
        for scope in &client.scopes {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
    }
    scopes.sort();
    metadata.scopes_supported = Some(scopes);
    if !app.fault(Fault::MetadataNoPkce) {
        metadata.code_challenge_methods_supported = Some(vec![CodeChallengeMethod::S256]);
    }
    metadata.authorization_response_iss_parameter_supported = Some(true);
    metadata.tls_client_certificate_bound_access_tokens = Some(true);
    metadata
}

fn auth_method_name(method: psd2_core::ClientAuthMethod) -> &'static str {
    use psd2_core::ClientAuthMethod as M;
    match method {
        M::ClientSecretBasic => "client_secret_basic",
        M::ClientSecretPost => "client_secret_post",
        M::None => "none",
        M::PrivateKeyJwt => "private_key_jwt",
        M::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
        M::TlsClientAuth => "tls_client_auth",
        _ => "tls_client_auth",
    }
}

/// `GET /.well-known/oauth-authorization-server`.
pub fn get(app: &App) -> Response<Body> {
    if app.fault(Fault::MetadataMissing) {
        return http::plain(StatusCode::NOT_FOUND, "not found");
    }
    let mut response = http::json(
        StatusCode::OK,
        &serde_json::Value::Object(document(app).to_json()),
    );
    if app.fault(Fault::MetadataNotJson) {
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    response
}
