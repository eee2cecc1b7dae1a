//! The token revocation request (RFC 7009 §2.1), which is also the token
//! introspection request (RFC 7662 §2.1): both send `token`,
//! `token_type_hint` and the client's credentials in a form body, so one
//! codec reads both ([`IntrospectionRequest`](crate::IntrospectionRequest)
//! is an alias of [`RevocationRequest`]).

use psd2_core::{ClientId, Secret};

use crate::params::{self, Params, append_client_credentials, append_opt};
use crate::{Form, FormMessage, WireError};

psd2_core::open_str_enum! {
    /// `token_type_hint` (RFC 7009 §2.1, RFC 7662 §2.1; IANA "OAuth Token
    /// Type Hints").
    pub struct TokenTypeHint {
        /// RFC 7009 §2.1.
        ACCESS_TOKEN = "access_token",
        /// RFC 7009 §2.1.
        REFRESH_TOKEN = "refresh_token",
    }
}

/// A request to the revocation endpoint (RFC 7009 §2.1) or, under the name
/// [`IntrospectionRequest`](crate::IntrospectionRequest), to the
/// introspection endpoint (RFC 7662 §2.1: the same parameters, `token`
/// REQUIRED and `token_type_hint` OPTIONAL).
///
/// ```
/// use psd2_wire::{FormMessage, RevocationRequest, TokenTypeHint};
/// // RFC 7009 §2.1's example body.
/// let body = "token=45ghiukldjahdnhzdauz&token_type_hint=refresh_token";
/// let request = RevocationRequest::decode(body.as_bytes())?;
/// assert_eq!(request.token.expose(), "45ghiukldjahdnhzdauz");
/// assert_eq!(request.token_type_hint, Some(TokenTypeHint::REFRESH_TOKEN));
/// assert_eq!(request.encode(), body);
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RevocationRequest {
    /// `token`. Required to read the request.
    pub token: Secret<String>,
    /// `token_type_hint`.
    pub token_type_hint: Option<TokenTypeHint>,
    /// `client_id` in the body (public clients, RFC 7009 §2.1 and RFC 6749
    /// §2.3.1).
    pub client_id: Option<ClientId>,
    /// `client_secret` in the body.
    pub client_secret: Option<Secret<String>>,
    /// Every other parameter, in order.
    pub extra: Form,
}

const KNOWN: [&str; 4] = ["token", "token_type_hint", "client_id", "client_secret"];

impl RevocationRequest {
    /// A request to revoke `token`, without hint or body credentials.
    #[must_use]
    pub fn new(token: Secret<String>) -> Self {
        Self {
            token,
            token_type_hint: None,
            client_id: None,
            client_secret: None,
            extra: Form::new(),
        }
    }
}

impl FormMessage for RevocationRequest {
    fn from_form(form: &Form) -> Result<Self, WireError> {
        let mut params = Params::new(form, &KNOWN)?;
        let token = Secret::new(params.require("token")?.to_owned());
        let token_type_hint = params.take("token_type_hint").map(TokenTypeHint::from);
        let client_id = params
            .take("client_id")
            .map(|value| params::client_id("client_id", value))
            .transpose()?;
        let client_secret = params
            .take("client_secret")
            .map(|value| Secret::new(value.to_owned()));
        Ok(Self {
            token,
            token_type_hint,
            client_id,
            client_secret,
            extra: params.rest(),
        })
    }

    fn to_form(&self) -> Form {
        let mut form = Form::new().with("token", self.token.expose());
        append_opt(
            &mut form,
            "token_type_hint",
            self.token_type_hint.as_ref().map(TokenTypeHint::as_str),
        );
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
    fn token_is_required_and_unique() {
        assert_eq!(
            RevocationRequest::decode(b"token_type_hint=access_token").err(),
            Some(WireError::MissingParameter { name: "token" })
        );
        assert_eq!(
            RevocationRequest::decode(b"token=a&token=b").err(),
            Some(WireError::DuplicateParameter {
                name: "token".to_owned()
            })
        );
    }

    #[test]
    fn unknown_hints_decode_and_the_token_is_redacted() {
        let request = RevocationRequest::decode(b"token=abc&token_type_hint=id_token").unwrap();
        assert!(
            !request
                .token_type_hint
                .as_ref()
                .is_some_and(TokenTypeHint::is_known)
        );
        assert!(!format!("{request:?}").contains("abc"));
    }
}
