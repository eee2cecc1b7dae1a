//! Token endpoint requests, one shape per grant (RFC 6749 §4.1.3, §4.3.2,
//! §4.4.2, §6; PKCE RFC 7636 §4.5), with client credentials in the body
//! (RFC 6749 §2.3.1).

use psd2_core::{ClientId, GrantType, ScopeSet, Secret};

use crate::params::{self, Params, append_client_credentials, append_opt, append_scope};
use crate::{Form, FormMessage, WireError};

/// The grant and its parameters.
///
/// A parameter that is not defined for the grant that was sent (a `scope` in
/// an `authorization_code` request, say) lands in the request's `extra`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Grant {
    /// `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5).
    AuthorizationCode {
        /// `code`. Required to read the request.
        code: Secret<String>,
        /// `redirect_uri`, exactly as sent (RFC 6749 §4.1.3 requires it to
        /// be identical to the authorization request's).
        redirect_uri: Option<String>,
        /// `code_verifier` (RFC 7636 §4.5).
        code_verifier: Option<Secret<String>>,
    },
    /// `client_credentials` (RFC 6749 §4.4.2).
    ClientCredentials {
        /// `scope`.
        scope: Option<ScopeSet>,
    },
    /// Any other `grant_type`, kept generic: its parameters are in the
    /// request's `extra`.
    Other {
        /// The `grant_type` as sent.
        grant_type: GrantType,
    },
    /// `password` (RFC 6749 §4.3.2; RFC 9700 §2.4 says MUST NOT). The PSU's
    /// username is a credential too.
    Password {
        /// `username`. Required to read the request.
        username: Secret<String>,
        /// `password`. Required to read the request.
        password: Secret<String>,
        /// `scope`.
        scope: Option<ScopeSet>,
    },
    /// `refresh_token` (RFC 6749 §6).
    RefreshToken {
        /// `refresh_token`. Required to read the request.
        refresh_token: Secret<String>,
        /// `scope`.
        scope: Option<ScopeSet>,
    },
}

impl Grant {
    /// The `grant_type` value this grant is sent with.
    #[must_use]
    pub fn grant_type(&self) -> GrantType {
        match self {
            Grant::AuthorizationCode { .. } => GrantType::AUTHORIZATION_CODE,
            Grant::ClientCredentials { .. } => GrantType::CLIENT_CREDENTIALS,
            Grant::Other { grant_type } => grant_type.clone(),
            Grant::Password { .. } => GrantType::PASSWORD,
            Grant::RefreshToken { .. } => GrantType::REFRESH_TOKEN,
        }
    }
}

/// A request to the token endpoint.
///
/// HTTP Basic credentials travel in a header, not here: see
/// [`BasicCredentials`](crate::BasicCredentials).
///
/// ```
/// use psd2_wire::{FormMessage, Grant, TokenRequest};
/// // RFC 6749 §4.1.3's body (with RFC 7636 Appendix B's verifier added).
/// let request = TokenRequest::decode(
///     b"grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
///       &redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb\
///       &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
/// )?;
/// let Grant::AuthorizationCode { code, redirect_uri, code_verifier } = &request.grant else {
///     panic!("an authorization_code grant");
/// };
/// assert_eq!(code.expose(), "SplxlOBeZQQYbYS6WxSbIA");
/// assert_eq!(redirect_uri.as_deref(), Some("https://client.example.com/cb"));
/// assert!(code_verifier.is_some());
/// assert!(!format!("{request:?}").contains("SplxlOBeZQQYbYS6WxSbIA"));
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// `grant_type` and its parameters. `grant_type` is required to read the
    /// request.
    pub grant: Grant,
    /// `client_id` in the body (RFC 6749 §2.3.1, §4.1.3).
    pub client_id: Option<ClientId>,
    /// `client_secret` in the body (RFC 6749 §2.3.1, "NOT RECOMMENDED").
    pub client_secret: Option<Secret<String>>,
    /// Every other parameter, in order (`client_assertion`, `resource`, ...).
    pub extra: Form,
}

const KNOWN: [&str; 10] = [
    "grant_type",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "scope",
    "username",
    "password",
    "client_id",
    "client_secret",
];

impl TokenRequest {
    /// A request for `grant` without body credentials.
    #[must_use]
    pub fn new(grant: Grant) -> Self {
        Self {
            grant,
            client_id: None,
            client_secret: None,
            extra: Form::new(),
        }
    }
}

fn secret(value: &str) -> Secret<String> {
    Secret::new(value.to_owned())
}

fn take_scope(params: &mut Params<'_>) -> Result<Option<ScopeSet>, WireError> {
    params
        .take("scope")
        .map(|value| params::scope("scope", value))
        .transpose()
}

impl FormMessage for TokenRequest {
    fn from_form(form: &Form) -> Result<Self, WireError> {
        let mut params = Params::new(form, &KNOWN)?;
        let grant_type = GrantType::from(params.require("grant_type")?);
        let grant = if grant_type == GrantType::AUTHORIZATION_CODE {
            Grant::AuthorizationCode {
                code: secret(params.require("code")?),
                redirect_uri: params.take("redirect_uri").map(str::to_owned),
                code_verifier: params.take("code_verifier").map(secret),
            }
        } else if grant_type == GrantType::REFRESH_TOKEN {
            Grant::RefreshToken {
                refresh_token: secret(params.require("refresh_token")?),
                scope: take_scope(&mut params)?,
            }
        } else if grant_type == GrantType::CLIENT_CREDENTIALS {
            Grant::ClientCredentials {
                scope: take_scope(&mut params)?,
            }
        } else if grant_type == GrantType::PASSWORD {
            Grant::Password {
                username: secret(params.require("username")?),
                password: secret(params.require("password")?),
                scope: take_scope(&mut params)?,
            }
        } else {
            Grant::Other { grant_type }
        };
        let client_id = params
            .take("client_id")
            .map(|value| params::client_id("client_id", value))
            .transpose()?;
        let client_secret = params.take("client_secret").map(secret);
        Ok(Self {
            grant,
            client_id,
            client_secret,
            extra: params.rest(),
        })
    }

    fn to_form(&self) -> Form {
        let mut form = Form::new().with("grant_type", self.grant.grant_type().as_str());
        match &self.grant {
            Grant::AuthorizationCode {
                code,
                redirect_uri,
                code_verifier,
            } => {
                form.append("code", code.expose());
                append_opt(&mut form, "redirect_uri", redirect_uri.as_deref());
                append_opt(
                    &mut form,
                    "code_verifier",
                    code_verifier
                        .as_ref()
                        .map(|verifier| verifier.expose().as_str()),
                );
            }
            Grant::ClientCredentials { scope } => append_scope(&mut form, "scope", scope.as_ref()),
            Grant::Other { .. } => {}
            Grant::Password {
                username,
                password,
                scope,
            } => {
                form.append("username", username.expose());
                form.append("password", password.expose());
                append_scope(&mut form, "scope", scope.as_ref());
            }
            Grant::RefreshToken {
                refresh_token,
                scope,
            } => {
                form.append("refresh_token", refresh_token.expose());
                append_scope(&mut form, "scope", scope.as_ref());
            }
        }
        append_client_credentials(
            &mut form,
            self.client_id.as_ref(),
            self.client_secret.as_ref(),
        );
        form.extend(self.extra.iter());
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_with_body_credentials_is_canonical() {
        // RFC 6749 §2.3.1's second example.
        let body = "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA\
                    &client_id=s6BhdRkqt3&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw";
        let request = TokenRequest::decode(body.as_bytes()).unwrap();
        assert!(matches!(
            request.grant,
            Grant::RefreshToken { scope: None, .. }
        ));
        assert_eq!(
            request.client_id.as_ref().map(ClientId::as_str),
            Some("s6BhdRkqt3")
        );
        assert_eq!(request.encode(), body);
    }

    #[test]
    fn grant_parameters_are_required() {
        assert_eq!(
            TokenRequest::decode(b"code=abc").err(),
            Some(WireError::MissingParameter { name: "grant_type" })
        );
        assert_eq!(
            TokenRequest::decode(b"grant_type=authorization_code&code=").err(),
            Some(WireError::MissingParameter { name: "code" })
        );
        assert_eq!(
            TokenRequest::decode(b"grant_type=refresh_token").err(),
            Some(WireError::MissingParameter {
                name: "refresh_token"
            })
        );
        assert_eq!(
            TokenRequest::decode(b"grant_type=password&username=johndoe").err(),
            Some(WireError::MissingParameter { name: "password" })
        );
    }

    #[test]
    fn parameters_of_another_grant_are_extra() {
        let request =
            TokenRequest::decode(b"grant_type=authorization_code&code=c&scope=aisp&resource=r")
                .unwrap();
        assert_eq!(request.extra.encode(), "scope=aisp&resource=r");
    }

    #[test]
    fn other_grants_stay_generic() {
        let request = TokenRequest::decode(
            b"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ",
        )
        .unwrap();
        assert_eq!(request.grant.grant_type(), GrantType::JWT_BEARER);
        assert_eq!(request.extra.get("assertion"), Some("eyJ"));
        assert!(!format!("{request:?}").contains("eyJ"));
    }

    #[test]
    fn repeated_parameters_are_refused_even_outside_the_grant() {
        assert_eq!(
            TokenRequest::decode(b"grant_type=client_credentials&code=a&code=b").err(),
            Some(WireError::DuplicateParameter {
                name: "code".to_owned()
            })
        );
    }
}
