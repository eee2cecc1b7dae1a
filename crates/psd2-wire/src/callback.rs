//! The authorization response as it reaches the client's redirect URI:
//! RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207's `iss`, ConnectPay's `flowId`, in
//! the query or (RFC 6749 §4.2.2) the fragment.

use psd2_core::{OAuthErrorCode, Secret, State};

use crate::flow_id::{self, FlowIdParam};
use crate::params::{self, Params, append_opt};
use crate::{BodyLimit, Form, WireError};

/// Where the response parameters were: `?query` or `#fragment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParameterLocation {
    /// The fragment component (RFC 6749 §4.2.2: the implicit grant).
    Fragment,
    /// The query component (RFC 6749 §4.1.2: the code grant).
    Query,
}

/// Parameters that make a query or fragment an authorization response.
/// `#_=_`, appended by some providers, is none of them.
const RESPONSE_NAMES: &[&str] = &[
    "code",
    "state",
    "error",
    "error_description",
    "error_uri",
    "iss",
    "flowId",
    "flowid",
    "access_token",
    "token_type",
    "expires_in",
    "id_token",
];

const KNOWN: [&str; 8] = [
    "code",
    "state",
    "error",
    "error_description",
    "error_uri",
    "iss",
    flow_id::NAMES[0],
    flow_id::NAMES[1],
];

/// The parameters of a redirect back to the client, success or error.
///
/// `iss` and `error_uri` are kept as the exact text sent: RFC 9207 §2.4
/// compares `iss` with the issuer by simple string comparison. Implicit-grant
/// parameters (`access_token`, `token_type`, `expires_in`) land in `extra`,
/// where [`Form`]'s `Debug` redacts the token.
///
/// ```
/// use psd2_wire::{AuthorizationCallback, ParameterLocation};
/// // RFC 9207 §2.1 (the Location header of the example).
/// let callback = AuthorizationCallback::from_redirect_url(
///     "https://client.example/cb?code=x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58\
///      &state=ZWVlNDBlYzA1NjdkMDNhYjg3ZjUxZjAyNGQzMTM2NzI&iss=https%3A%2F%2Fhonest.as.example",
/// )?;
/// assert_eq!(callback.location, ParameterLocation::Query);
/// assert_eq!(callback.iss.as_deref(), Some("https://honest.as.example"));
/// assert_eq!(
///     callback.code.as_ref().map(|code| code.expose().as_str()),
///     Some("x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58"),
/// );
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AuthorizationCallback {
    /// Where the parameters were.
    pub location: ParameterLocation,
    /// `code` (RFC 6749 §4.1.2).
    pub code: Option<Secret<String>>,
    /// `state`, which must echo the request's.
    pub state: Option<State>,
    /// `error` (RFC 6749 §4.1.2.1).
    pub error: Option<OAuthErrorCode>,
    /// `error_description`.
    pub error_description: Option<String>,
    /// `error_uri`, exactly as sent.
    pub error_uri: Option<String>,
    /// `iss` (RFC 9207 §2), exactly as sent.
    pub iss: Option<String>,
    /// ConnectPay's `flowId`, with the spelling that was used.
    pub flow_id: Option<FlowIdParam>,
    /// Every other parameter, in order.
    pub extra: Form,
}

impl AuthorizationCallback {
    /// An empty response at `location`; fill in the fields.
    #[must_use]
    pub fn new(location: ParameterLocation) -> Self {
        Self {
            location,
            code: None,
            state: None,
            error: None,
            error_description: None,
            error_uri: None,
            iss: None,
            flow_id: None,
            extra: Form::new(),
        }
    }

    /// Decodes a redirect URL (a `Location` header value, absolute or
    /// relative) under [`BodyLimit::DEFAULT`].
    ///
    /// # Errors
    /// See [`AuthorizationCallback::from_redirect_url_limited`].
    pub fn from_redirect_url(url: &str) -> Result<Self, WireError> {
        Self::from_redirect_url_limited(url, BodyLimit::DEFAULT)
    }

    /// Decodes a redirect URL of at most `limit` bytes.
    ///
    /// The response is in the fragment if the fragment holds a response
    /// parameter (`code`, `state`, `error`, `iss`, `access_token`, ...), and
    /// in the query otherwise. In the fragment case, the query belongs to the
    /// redirect URI itself (RFC 6749 §3.1.2 allows one) and is not read.
    ///
    /// # Errors
    /// [`WireError::BodyTooLarge`] before parsing;
    /// [`WireError::ParametersInQueryAndFragment`] when both hold response
    /// parameters; otherwise as [`AuthorizationCallback::from_form`].
    pub fn from_redirect_url_limited(url: &str, limit: BodyLimit) -> Result<Self, WireError> {
        limit.check(url.len())?;
        let (before_fragment, fragment) = match url.split_once('#') {
            Some((head, fragment)) => (head, fragment),
            None => (url, ""),
        };
        let query = before_fragment
            .split_once('?')
            .map_or("", |(_, query)| query);
        let query = Form::decode_limited(query.as_bytes(), limit)?;
        let fragment = Form::decode_limited(fragment.as_bytes(), limit)?;
        match (is_response(&query), is_response(&fragment)) {
            (true, true) => Err(WireError::ParametersInQueryAndFragment),
            (false, true) => Self::from_form(&fragment, ParameterLocation::Fragment),
            _ => Self::from_form(&query, ParameterLocation::Query),
        }
    }

    /// Reads the response from the parameters of one URL component.
    ///
    /// # Errors
    /// [`WireError::DuplicateParameter`] for a repeated known parameter (both
    /// spellings of `flowId` count as one), [`WireError::InvalidValue`] for a
    /// `state` outside `*VSCHAR`.
    pub fn from_form(form: &Form, location: ParameterLocation) -> Result<Self, WireError> {
        let mut params = Params::new(form, &KNOWN)?;
        let code = params.take("code").map(|code| Secret::new(code.to_owned()));
        let state = params.take("state").map(params::state).transpose()?;
        let error = params.take("error").map(OAuthErrorCode::from);
        let error_description = params.take("error_description").map(str::to_owned);
        let error_uri = params.take("error_uri").map(str::to_owned);
        let iss = params.take("iss").map(str::to_owned);
        let flow_id = flow_id::take(&mut params)?;
        Ok(Self {
            location,
            code,
            state,
            error,
            error_description,
            error_uri,
            iss,
            flow_id,
            extra: params.rest(),
        })
    }

    /// The response parameters, code in clear: success parameters first,
    /// then error parameters, `state`, `iss`, `flowId`, then `extra`.
    #[must_use]
    pub fn to_form(&self) -> Form {
        let mut form = Form::new();
        append_opt(
            &mut form,
            "code",
            self.code.as_ref().map(|code| code.expose().as_str()),
        );
        append_opt(
            &mut form,
            "error",
            self.error.as_ref().map(OAuthErrorCode::as_str),
        );
        append_opt(
            &mut form,
            "error_description",
            self.error_description.as_deref(),
        );
        append_opt(&mut form, "error_uri", self.error_uri.as_deref());
        append_opt(&mut form, "state", self.state.as_ref().map(State::as_str));
        append_opt(&mut form, "iss", self.iss.as_deref());
        flow_id::append(&mut form, self.flow_id.as_ref());
        form.extend(self.extra.iter());
        form
    }

    /// `redirect_uri` with the response added where [`Self::location`] says:
    /// after `?` (or `&` if the URI has a query already) or after `#`.
    ///
    /// ```
    /// use psd2_wire::{AuthorizationCallback, ParameterLocation};
    /// use psd2_core::{OAuthErrorCode, State};
    /// let mut callback = AuthorizationCallback::new(ParameterLocation::Query);
    /// callback.error = Some(OAuthErrorCode::ACCESS_DENIED);
    /// callback.state = Some(State::new("xyz")?);
    /// // RFC 6749 §4.1.2.1's example.
    /// assert_eq!(
    ///     callback.to_redirect_url("https://client.example.com/cb"),
    ///     "https://client.example.com/cb?error=access_denied&state=xyz",
    /// );
    /// # Ok::<(), psd2_core::IdError>(())
    /// ```
    #[must_use]
    pub fn to_redirect_url(&self, redirect_uri: &str) -> String {
        let encoded = self.to_form().encode();
        let separator = match self.location {
            ParameterLocation::Fragment => '#',
            ParameterLocation::Query if redirect_uri.contains('?') => '&',
            ParameterLocation::Query => '?',
        };
        if encoded.is_empty() {
            return redirect_uri.to_owned();
        }
        format!("{redirect_uri}{separator}{encoded}")
    }
}

fn is_response(form: &Form) -> bool {
    form.iter()
        .any(|(name, value)| !value.is_empty() && RESPONSE_NAMES.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FlowIdSpelling;

    #[test]
    fn fragment_is_detected() {
        let callback = AuthorizationCallback::from_redirect_url(
            "http://example.com/cb#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz&token_type=example&expires_in=3600",
        )
        .unwrap();
        assert_eq!(callback.location, ParameterLocation::Fragment);
        assert_eq!(callback.state.as_ref().map(State::as_str), Some("xyz"));
        assert_eq!(callback.extra.get("token_type"), Some("example"));
        assert!(!format!("{callback:?}").contains("2YotnFZFEjr1zCsicMWpAA"));
    }

    #[test]
    fn a_meaningless_fragment_does_not_hide_the_query() {
        let callback =
            AuthorizationCallback::from_redirect_url("https://c.example/cb?code=abc&state=s#_=_")
                .unwrap();
        assert_eq!(callback.location, ParameterLocation::Query);
        assert!(callback.code.is_some());
    }

    #[test]
    fn response_in_both_places_is_ambiguous() {
        assert_eq!(
            AuthorizationCallback::from_redirect_url("/cb?code=a#code=b").err(),
            Some(WireError::ParametersInQueryAndFragment)
        );
    }

    #[test]
    fn connectpay_error_redirect() {
        let callback = AuthorizationCallback::from_redirect_url(
            "https://tpp.example/cb?state=w4Am91fLZMKhDMT&flowId=GetPSD2AuthCode&error=access_denied",
        )
        .unwrap();
        assert_eq!(callback.error, Some(OAuthErrorCode::ACCESS_DENIED));
        assert!(callback.code.is_none());
        assert_eq!(
            callback.flow_id.map(|flow| flow.spelling),
            Some(FlowIdSpelling::CamelCase)
        );
    }

    #[test]
    fn repeated_code_is_refused() {
        assert_eq!(
            AuthorizationCallback::from_redirect_url("/cb?code=a&code=b").err(),
            Some(WireError::DuplicateParameter {
                name: "code".to_owned()
            })
        );
    }

    #[test]
    fn to_redirect_url_appends_to_an_existing_query() {
        let mut callback = AuthorizationCallback::new(ParameterLocation::Query);
        callback.code = Some(Secret::new("c".to_owned()));
        assert_eq!(
            callback.to_redirect_url("https://c.example/cb?tenant=1"),
            "https://c.example/cb?tenant=1&code=c"
        );
        let empty = AuthorizationCallback::new(ParameterLocation::Fragment);
        assert_eq!(empty.to_redirect_url("/cb"), "/cb");
    }
}
