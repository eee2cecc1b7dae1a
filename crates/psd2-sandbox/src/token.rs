//! The token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 7636 §4.6;
//! RFC 8705 §3): certificate-bound access tokens, single-use codes.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use psd2_core::{GrantType, OAuthErrorCode, Psu, ScopeSet, Secret, X5tS256};
use std::time::Duration;

use psd2_token::{AccessGrant, GrantId, Subject, UnixTime, Verifier, VerifierConfig, VerifyError};
use psd2_wire::{Form, FormMessage, Grant, JsonMessage, TokenRequest, TokenResponse, WireError};

use crate::app::App;
use crate::authorize::first_values;
use crate::client_auth::{self, AuthenticatedClient};
use crate::faults::Fault;
use crate::http::{self, Body};
use crate::oauth_error::{self, bad_request, strip_cache_headers, token_error};
use crate::server::ConnectionInfo;
use crate::store::{CodeRedemption, Grant as StoredGrant};

/// The path of the token endpoint.
pub const PATH: &str = "/token";

/// `POST /token`.
pub async fn post(
    app: &App,
    request: Request<Incoming>,
    connection: &ConnectionInfo,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let bytes =
        match http::read_body(body, app.limits.max_body_bytes, app.limits.body_timeout).await {
            Ok(bytes) => bytes,
            Err(http::BodyError::TooLarge { .. }) => {
                return token_error(
                    app,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    OAuthErrorCode::INVALID_REQUEST,
                    "request body too large",
                );
            }
            Err(_) => {
                return bad_request(
                    app,
                    OAuthErrorCode::INVALID_REQUEST,
                    "request body could not be read",
                );
            }
        };
    let request = match TokenRequest::decode(&bytes) {
        Ok(request) => request,
        Err(WireError::DuplicateParameter { .. })
            if app.fault(Fault::TokenRepeatedParameterAccepted) =>
        {
            match Form::decode(&bytes)
                .map(|form| first_values(&form))
                .and_then(|form| TokenRequest::from_form(&form))
            {
                Ok(request) => request,
                Err(_) => {
                    return bad_request(app, OAuthErrorCode::INVALID_REQUEST, "malformed request");
                }
            }
        }
        Err(error) => return oauth_error::malformed(app, &error),
    };
    let grant_type = request.grant.grant_type();
    let bypass = (grant_type == GrantType::REFRESH_TOKEN && app.fault(Fault::RefreshWithoutAuth))
        || (grant_type == GrantType::CLIENT_CREDENTIALS
            && app.fault(Fault::ClientCredentialsWithoutAuth));
    let binding = match client_auth::connection_thumbprint(connection) {
        Some(binding) => binding,
        // The `*-without-auth` faults issue tokens bound to no certificate
        // at all (an all-zero thumbprint no certificate has).
        None if bypass => X5tS256::from_sha256(&[0; 32]),
        None => {
            return bad_request(
                app,
                OAuthErrorCode::INVALID_REQUEST,
                "a client certificate is required",
            );
        }
    };
    let authenticated = client_auth::authenticate(
        app,
        &parts.headers,
        request.client_id.as_ref(),
        request.client_secret.as_ref(),
        connection,
    );
    let client = match authenticated {
        Ok(client) => client,
        Err(failure) => {
            match client_auth::unauthenticated(app, request.client_id.as_ref()).filter(|_| bypass) {
                Some(client) => client,
                None => return failure.response(app),
            }
        }
    };
    let may_use_grant = client.registration.grant_types.contains(&grant_type)
        || (grant_type == GrantType::CLIENT_CREDENTIALS
            && app.fault(Fault::ClientCredentialsAnyClient))
        || (grant_type == GrantType::PASSWORD && app.fault(Fault::PasswordGrant));
    let exchange = Exchange {
        app,
        client,
        binding,
    };
    match request.grant {
        Grant::Other { .. } => bad_request(
            app,
            OAuthErrorCode::UNSUPPORTED_GRANT_TYPE,
            "grant_type is not supported",
        ),
        Grant::Password { .. } if !app.fault(Fault::PasswordGrant) => {
            // RFC 9700 §2.4: the resource owner password grant MUST NOT be used.
            bad_request(
                app,
                OAuthErrorCode::UNSUPPORTED_GRANT_TYPE,
                "the password grant is not supported",
            )
        }
        _ if !may_use_grant => bad_request(
            app,
            OAuthErrorCode::UNAUTHORIZED_CLIENT,
            "this client may not use this grant_type",
        ),
        Grant::AuthorizationCode {
            code,
            redirect_uri,
            code_verifier,
        } => {
            let extra_scope = request
                .extra
                .get("scope")
                .and_then(|scope| ScopeSet::parse(scope).ok());
            exchange.authorization_code(
                &code,
                redirect_uri.as_deref(),
                code_verifier.as_ref(),
                extra_scope,
            )
        }
        Grant::RefreshToken {
            refresh_token,
            scope,
        } => exchange.refresh(&refresh_token, scope),
        Grant::ClientCredentials { scope } => exchange.client_credentials(scope),
        Grant::Password {
            username,
            password,
            scope,
        } => exchange.password(&username, &password, scope),
        _ => bad_request(
            app,
            OAuthErrorCode::UNSUPPORTED_GRANT_TYPE,
            "grant_type is not supported",
        ),
    }
}

struct Exchange<'a> {
    app: &'a App,
    client: AuthenticatedClient<'a>,
    binding: X5tS256,
}

/// What to issue.
struct Issue {
    grant_id: GrantId,
    subject: Subject,
    scope: ScopeSet,
    /// Report `scope` in the response.
    report_scope: bool,
    refresh_token: bool,
}

impl Exchange<'_> {
    fn invalid_grant(&self, description: &str) -> Response<Body> {
        bad_request(self.app, OAuthErrorCode::INVALID_GRANT, description)
    }

    fn authorization_code(
        &self,
        code: &Secret<String>,
        redirect_uri: Option<&str>,
        code_verifier: Option<&Secret<String>>,
        extra_scope: Option<ScopeSet>,
    ) -> Response<Body> {
        let app = self.app;
        let now = app.now();
        let pending = match app
            .store
            .take_code(code.expose(), now, app.fault(Fault::CodeReusable))
        {
            CodeRedemption::Fresh(pending) => pending,
            CodeRedemption::Replayed(grant_id) => {
                // RFC 6749 §4.1.2: a code used twice SHOULD revoke the tokens
                // it issued (RFC 9700 §4.2.4).
                if !app.fault(Fault::ReplayKeepsTokens) {
                    app.store.revoke_grant(&grant_id);
                }
                return self.invalid_grant("authorization code already used");
            }
            CodeRedemption::Unknown => return self.invalid_grant("unknown authorization code"),
        };
        if pending.expires_at <= now {
            return self.invalid_grant("authorization code expired");
        }
        if &pending.client_id != self.client.id() && !app.fault(Fault::CodeAnyClient) {
            return self.invalid_grant("authorization code was issued to another client");
        }
        // RFC 6749 §4.1.3: required, and identical, if the authorization
        // request included it.
        if pending.redirect_uri_sent
            && redirect_uri != Some(pending.redirect_uri.as_str())
            && !app.fault(Fault::RedirectUriUnchecked)
        {
            return self.invalid_grant("redirect_uri differs from the authorization request");
        }
        match (&pending.code_challenge, code_verifier) {
            (Some(challenge), verifier) if !app.fault(Fault::PkceNotEnforced) => {
                let verified =
                    verifier.is_some_and(|verifier| s256(verifier.expose()) == *challenge);
                if !verified {
                    return self.invalid_grant("code_verifier does not match the code_challenge");
                }
            }
            // RFC 9700 §2.1.1: a code_verifier for a code issued without a
            // challenge is refused (PKCE downgrade).
            (None, Some(_)) if !app.fault(Fault::PkceDowngrade) => {
                return self
                    .invalid_grant("code_verifier sent for a code issued without code_challenge");
            }
            _ => {}
        }
        let mut scope = pending.scope.clone();
        if app.fault(Fault::TokenScopeWidened)
            && let Some(extra) = extra_scope
        {
            scope = scope.union(&extra);
        }
        let narrowed = scope != pending.requested_scope;
        app.store.put_grant(
            pending.grant_id,
            StoredGrant {
                psu: Some(pending.psu.clone()),
                scope: scope.clone(),
                sca_at: pending.sca_at,
                revoked: false,
                refresh_revoked: false,
            },
        );
        self.issue(Issue {
            grant_id: pending.grant_id,
            subject: Subject::Psu(pending.psu),
            scope,
            report_scope: !(narrowed && app.fault(Fault::PartialScopeUnreported)),
            refresh_token: true,
        })
    }

    /// A refused refresh: `invalid_grant` (RFC 6749 §5.2), unless a fault
    /// picks the wrong code.
    fn refresh_refused(&self, description: &str) -> Response<Body> {
        let code = if self.app.fault(Fault::RefreshErrorsInvalidRequest) {
            OAuthErrorCode::INVALID_REQUEST
        } else {
            OAuthErrorCode::INVALID_GRANT
        };
        bad_request(self.app, code, description)
    }

    /// The grant a refresh token belongs to, as far as the faults allow.
    fn refresh_grant_id(&self, refresh_token: &Secret<String>, now: UnixTime) -> Option<GrantId> {
        let app = self.app;
        match app
            .refresh_verifier
            .verify_refresh(refresh_token, self.client.id(), now)
        {
            Ok(verified) => return Some(verified.grant_id()),
            Err(VerifyError::Expired { .. }) if app.fault(Fault::RefreshExpiredAccepted) => {
                let lenient = Verifier::new(
                    app.refresh_verifier.keys().clone(),
                    VerifierConfig {
                        issuer: app.issuer.clone(),
                        audience: None,
                        leeway: Duration::from_secs(100 * 366 * 86_400),
                    },
                );
                if let Ok(verified) = lenient.verify_refresh(refresh_token, self.client.id(), now) {
                    return Some(verified.grant_id());
                }
            }
            Err(_) => {}
        }
        if app.fault(Fault::RefreshAnyClient) {
            let other = app.clients.keys().find_map(|client_id| {
                app.refresh_verifier
                    .verify_refresh(refresh_token, client_id, now)
                    .ok()
            });
            if let Some(verified) = other {
                return Some(verified.grant_id());
            }
        }
        if app.fault(Fault::RefreshUnknownFallsBack) {
            return app.store.latest_grant(self.client.id());
        }
        None
    }

    fn refresh(&self, refresh_token: &Secret<String>, asked: Option<ScopeSet>) -> Response<Body> {
        let app = self.app;
        let now = app.now();
        let Some(grant_id) = self.refresh_grant_id(refresh_token, UnixTime::from_secs(now)) else {
            return self
                .refresh_refused("refresh token is invalid, expired or issued to another client");
        };
        let Some(grant) = app.store.grant(&grant_id) else {
            return self.refresh_refused("refresh token is not known");
        };
        if (grant.revoked || grant.refresh_revoked) && !app.fault(Fault::RefreshRevokedAccepted) {
            return self.refresh_refused("refresh token was revoked");
        }
        // RTS Art. 10a: past the SCA renewal window the PSU must authenticate again.
        if grant.psu.is_some()
            && now.saturating_sub(grant.sca_at) > app.profile.sca_renewal_window.as_secs()
        {
            return self
                .refresh_refused("the PSU must authenticate again (SCA renewal window passed)");
        }
        let mut report_scope = true;
        let scope = match asked {
            None if app.fault(Fault::RefreshWidensToClientScopes) => {
                self.client.registration.scopes.clone()
            }
            None if app.fault(Fault::RefreshNarrowsSilently) && grant.scope.len() > 1 => {
                report_scope = false;
                grant.scope.iter().skip(1).cloned().collect()
            }
            // RFC 6749 §6: omitted, the scope is the one originally granted.
            None => grant.scope.clone(),
            Some(asked) if asked.is_subset(&grant.scope) => asked,
            Some(asked) if app.fault(Fault::RefreshScopeWidened) => asked,
            Some(_) => {
                // RFC 6749 §6: "MUST NOT include any scope not originally granted".
                return bad_request(
                    app,
                    OAuthErrorCode::INVALID_SCOPE,
                    "scope goes beyond the original grant",
                );
            }
        };
        let subject = grant.psu.clone().map_or(Subject::Client, Subject::Psu);
        self.issue(Issue {
            grant_id,
            subject,
            scope,
            report_scope,
            refresh_token: false,
        })
    }

    fn client_credentials(&self, asked: Option<ScopeSet>) -> Response<Body> {
        let app = self.app;
        // Whether the profile's documented default was applied.
        let mut defaulted = false;
        let scope = match asked.filter(|scope| !scope.is_empty()) {
            Some(scope) => scope,
            None if app.fault(Fault::ClientCredentialsUndocumentedDefault) => {
                self.client.registration.scopes.clone()
            }
            None if app.fault(Fault::ClientCredentialsMissingScope500) => {
                return token_error(
                    app,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    OAuthErrorCode::SERVER_ERROR,
                    "internal error",
                );
            }
            None => match &app.profile.client_credentials_default_scope {
                Some(default) => {
                    defaulted = true;
                    default.clone()
                }
                None => {
                    return bad_request(
                        app,
                        OAuthErrorCode::INVALID_SCOPE,
                        "scope is required: this bank documents no default scope",
                    );
                }
            },
        };
        let allowed_by_profile = app
            .profile
            .allowed_scopes
            .client_credentials
            .as_ref()
            .is_none_or(|allowed| scope.is_subset(allowed));
        if !scope.is_subset(&self.client.registration.scopes) || !allowed_by_profile {
            return bad_request(
                app,
                OAuthErrorCode::INVALID_SCOPE,
                "a requested scope is unknown or not allowed for this client",
            );
        }
        let Ok(grant_id) = app.access_minter.new_grant_id() else {
            return token_error(
                app,
                StatusCode::SERVICE_UNAVAILABLE,
                OAuthErrorCode::TEMPORARILY_UNAVAILABLE,
                "no randomness available",
            );
        };
        app.store.put_grant(
            grant_id,
            StoredGrant {
                psu: None,
                scope: scope.clone(),
                sca_at: app.now(),
                revoked: false,
                refresh_revoked: false,
            },
        );
        self.issue(Issue {
            grant_id,
            subject: Subject::Client,
            scope,
            // RFC 6749 §5.1: `scope` is "OPTIONAL, if identical to the scope
            // requested by the client; otherwise, REQUIRED", and a default
            // is not what a request without scope asked for.
            report_scope: !(defaulted && app.fault(Fault::ClientCredentialsDefaultUnreported)),
            refresh_token: app.fault(Fault::ClientCredentialsRefreshToken),
        })
    }

    /// Only reachable with the `password-grant` fault.
    fn password(
        &self,
        username: &Secret<String>,
        password: &Secret<String>,
        asked: Option<ScopeSet>,
    ) -> Response<Body> {
        let app = self.app;
        let person = app
            .psus
            .person_by_username(username.expose())
            .filter(|person| person.password.ct_eq(password.expose().as_bytes()));
        let Some(person) = person else {
            return self.invalid_grant("wrong username or password");
        };
        let Some(customer) = person.customers.first() else {
            return self.invalid_grant("the PSU has no customer");
        };
        let scope = asked.unwrap_or_else(|| self.client.registration.scopes.clone());
        let Ok(grant_id) = app.access_minter.new_grant_id() else {
            return token_error(
                app,
                StatusCode::SERVICE_UNAVAILABLE,
                OAuthErrorCode::TEMPORARILY_UNAVAILABLE,
                "no randomness available",
            );
        };
        let psu = Psu::new(person.id.clone(), customer.clone());
        app.store.put_grant(
            grant_id,
            StoredGrant {
                psu: Some(psu.clone()),
                scope: scope.clone(),
                sca_at: app.now(),
                revoked: false,
                refresh_revoked: false,
            },
        );
        self.issue(Issue {
            grant_id,
            subject: Subject::Psu(psu),
            scope,
            report_scope: true,
            refresh_token: true,
        })
    }

    fn issue(&self, issue: Issue) -> Response<Body> {
        let app = self.app;
        let now = UnixTime::from_secs(app.now());
        let grant = AccessGrant {
            grant_id: issue.grant_id,
            client_id: self.client.id().clone(),
            subject: issue.subject,
            scope: issue.scope.clone(),
            audience: Vec::new(),
            binding: self.binding.clone(),
        };
        let Ok(access) = app.access_minter.mint_access(&grant, now) else {
            return token_error(
                app,
                StatusCode::INTERNAL_SERVER_ERROR,
                OAuthErrorCode::SERVER_ERROR,
                "could not sign the access token",
            );
        };
        app.store.remember_binding(
            token_digest(access.token.expose()),
            self.binding.clone(),
            access.claims.expires_at.as_secs(),
            now.as_secs(),
        );
        let mut response = TokenResponse::new(access.token.clone());
        if !app.fault(Fault::TokenNoTokenType) {
            response.token_type = Some(psd2_core::TokenType::bearer());
        }
        app.store
            .note_latest_grant(self.client.id().clone(), issue.grant_id);
        if !app.fault(Fault::TokenNoExpiresIn) {
            response.expires_in = Some(access.expires_in());
        }
        if issue.report_scope {
            response.scope = Some(issue.scope);
        }
        if issue.refresh_token {
            let Ok(refresh) =
                app.refresh_minter
                    .mint_refresh(issue.grant_id, self.client.id(), now)
            else {
                return token_error(
                    app,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    OAuthErrorCode::SERVER_ERROR,
                    "could not sign the refresh token",
                );
            };
            response.refresh_token = Some(refresh.token);
        }
        let mut answer = http::json_no_store(
            StatusCode::OK,
            &serde_json::Value::Object(response.to_json()),
        );
        strip_cache_headers(app, &mut answer);
        answer
    }
}

/// SHA-256 of a token's text, the key under which the store remembers it.
#[must_use]
pub fn token_digest(token: &str) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// RFC 7636 §4.2: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
fn s256(verifier: &str) -> String {
    use base64::Engine as _;
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_s256() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
