//! Reading a protected resource's answer (RFC 6750 §3): served or not, and
//! its `Bearer` challenge.

use psd2_core::OAuthErrorCode;
use psd2_wire::{BearerChallenge, WireError};

use crate::Evidence;
use crate::exchange::{HttpRequest, HttpResponse};

/// A resource response, read once.
#[derive(Debug)]
pub(crate) struct ResourceAnswer<'a> {
    pub(crate) response: &'a HttpResponse,
    /// The `WWW-Authenticate` fields joined as one value (RFC 9110 §5.3).
    www_authenticate: Option<String>,
}

impl<'a> ResourceAnswer<'a> {
    pub(crate) fn new(response: &'a HttpResponse) -> Self {
        let values: Vec<&str> = response.header_values("www-authenticate").collect();
        let www_authenticate = (!values.is_empty()).then(|| values.join(", "));
        Self {
            response,
            www_authenticate,
        }
    }

    /// Data was served: a 2xx.
    pub(crate) fn served(&self) -> bool {
        self.response.is_success()
    }

    /// `WWW-Authenticate` is present.
    pub(crate) fn has_challenge(&self) -> bool {
        self.www_authenticate.is_some()
    }

    /// The `Bearer` challenge: `None` without `WWW-Authenticate`.
    pub(crate) fn bearer(&self) -> Option<Result<BearerChallenge, WireError>> {
        self.www_authenticate
            .as_deref()
            .map(BearerChallenge::decode)
    }

    /// The `error` of the Bearer challenge.
    pub(crate) fn bearer_error(&self) -> Option<OAuthErrorCode> {
        self.bearer()?.ok()?.error
    }

    /// Status and challenge.
    pub(crate) fn evidence(&self, label: &str) -> Evidence {
        let evidence = Evidence::new()
            .field("exchange", label)
            .field("status", self.response.status.to_string());
        match &self.www_authenticate {
            Some(value) => evidence.field("WWW-Authenticate", value.clone()),
            None => evidence.note("no WWW-Authenticate header"),
        }
    }
}

/// The bearer token a resource request carries in its `Authorization`
/// header.
pub(crate) fn bearer_token(request: &HttpRequest) -> Option<&str> {
    let value = request.header("authorization")?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Whether a request carries any client or bearer credential: an
/// `Authorization` header, or an `access_token` query parameter.
pub(crate) fn carries_bearer(request: &HttpRequest) -> bool {
    request.header("authorization").is_some()
        || request
            .query_form()
            .is_ok_and(|form| form.get("access_token").is_some())
}
