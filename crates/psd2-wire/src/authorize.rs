//! The authorization request: RFC 6749 §4.1.1 (and §4.2.1), PKCE (RFC 7636
//! §4.3), and ConnectPay's `flowId`, `nonce` and `redirect_url`.

use psd2_core::{ClientId, IdError, Nonce, ResponseType, ScopeSet, State};

use crate::flow_id::{self, FlowIdParam};
use crate::params::{self, Params, append_opt, append_scope};
use crate::{BodyLimit, Form, FormMessage, WireError};

psd2_core::open_str_enum! {
    /// `code_challenge_method` (RFC 7636 §4.3; IANA "PKCE Code Challenge
    /// Methods").
    pub struct CodeChallengeMethod {
        /// RFC 7636 §4.2: the challenge is the verifier.
        PLAIN = "plain",
        /// RFC 7636 §4.2: BASE64URL(SHA256(verifier)).
        S256 = "S256",
    }
}

/// The query of a request to the authorization endpoint.
///
/// URIs (`redirect_uri`, `redirect_url`) are kept as the exact text sent:
/// RFC 6749 §3.1.2.3 and RFC 9700 §2.1 compare them by simple string
/// comparison, which a parsed and normalised URL would defeat. PKCE values are
/// kept as sent too: their length and alphabet (RFC 7636 §4.1, §4.2) are
/// rules for a judge to report, not a reason to lose the request.
///
/// ```
/// use psd2_wire::{AuthorizationRequest, FormMessage};
/// // RFC 6749 §4.1.1 (the request-target of the example).
/// let request = AuthorizationRequest::from_url(
///     "/authorize?response_type=code&client_id=s6BhdRkqt3&state=xyz\
///      &redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb",
/// )?;
/// assert_eq!(request.client_id.as_str(), "s6BhdRkqt3");
/// assert_eq!(request.redirect_uri.as_deref(), Some("https://client.example.com/cb"));
/// assert_eq!(
///     request.encode(),
///     "response_type=code&client_id=s6BhdRkqt3\
///      &redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb&state=xyz",
/// );
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// `response_type` (RFC 6749 §3.1.1). Required to read the request.
    pub response_type: ResponseType,
    /// `client_id` (RFC 6749 §2.2). Required to read the request.
    pub client_id: ClientId,
    /// `redirect_uri` (RFC 6749 §3.1.2), exactly as sent.
    pub redirect_uri: Option<String>,
    /// `scope` (RFC 6749 §3.3).
    pub scope: Option<ScopeSet>,
    /// `state` (RFC 6749 §4.1.1).
    pub state: Option<State>,
    /// `code_challenge` (RFC 7636 §4.3), exactly as sent.
    pub code_challenge: Option<String>,
    /// `code_challenge_method` (RFC 7636 §4.3).
    pub code_challenge_method: Option<CodeChallengeMethod>,
    /// `nonce`: ConnectPay requires a GUIDv4 (see
    /// [`AuthorizationRequest::nonce_uuid_v4`]); OpenID Connect allows any
    /// string, so the decoder keeps the text.
    pub nonce: Option<String>,
    /// ConnectPay's `flowId`, with the spelling that was used.
    pub flow_id: Option<FlowIdParam>,
    /// ConnectPay's `redirect_url` (its name for `redirect_uri`), exactly as
    /// sent.
    pub redirect_url: Option<String>,
    /// Every other parameter, in order.
    pub extra: Form,
}

const KNOWN: [&str; 11] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "nonce",
    flow_id::NAMES[0],
    flow_id::NAMES[1],
    "redirect_url",
];

impl AuthorizationRequest {
    /// A request with only the two parameters it cannot be read without.
    #[must_use]
    pub fn new(response_type: ResponseType, client_id: ClientId) -> Self {
        Self {
            response_type,
            client_id,
            redirect_uri: None,
            scope: None,
            state: None,
            code_challenge: None,
            code_challenge_method: None,
            nonce: None,
            flow_id: None,
            redirect_url: None,
            extra: Form::new(),
        }
    }

    /// Decodes the query of a URL or request-target (the text between the
    /// first `?` and the first `#`; no `?` means an empty query).
    ///
    /// # Errors
    /// As [`FormMessage::decode`].
    pub fn from_url(url: &str) -> Result<Self, WireError> {
        Self::from_url_limited(url, BodyLimit::DEFAULT)
    }

    /// [`AuthorizationRequest::from_url`] with a limit on the URL's length.
    ///
    /// # Errors
    /// As [`FormMessage::decode_limited`].
    pub fn from_url_limited(url: &str, limit: BodyLimit) -> Result<Self, WireError> {
        limit.check(url.len())?;
        Self::decode_limited(query_of(url).as_bytes(), limit)
    }

    /// The authorization endpoint URL with this request appended to its
    /// query (an existing query is kept, RFC 6749 §3.1).
    #[must_use]
    pub fn to_url(&self, endpoint: &url::Url) -> url::Url {
        self.to_form().append_to_url(endpoint)
    }

    /// The `nonce` read as ConnectPay requires it, a version-4 UUID: `None`
    /// when no nonce was sent.
    #[must_use]
    pub fn nonce_uuid_v4(&self) -> Option<Result<Nonce, IdError>> {
        self.nonce.as_deref().map(Nonce::parse)
    }
}

/// The query component of a URL or request-target.
pub(crate) fn query_of(url: &str) -> &str {
    let before_fragment = url.split_once('#').map_or(url, |(head, _)| head);
    before_fragment
        .split_once('?')
        .map_or("", |(_, query)| query)
}

impl FormMessage for AuthorizationRequest {
    fn from_form(form: &Form) -> Result<Self, WireError> {
        let mut params = Params::new(form, &KNOWN)?;
        let response_type = ResponseType::from(params.require("response_type")?);
        let client_id = params::client_id("client_id", params.require("client_id")?)?;
        let redirect_uri = params.take("redirect_uri").map(str::to_owned);
        let scope = params
            .take("scope")
            .map(|value| params::scope("scope", value))
            .transpose()?;
        let state = params.take("state").map(params::state).transpose()?;
        let code_challenge = params.take("code_challenge").map(str::to_owned);
        let code_challenge_method = params
            .take("code_challenge_method")
            .map(CodeChallengeMethod::from);
        let nonce = params.take("nonce").map(str::to_owned);
        let flow_id = flow_id::take(&mut params)?;
        let redirect_url = params.take("redirect_url").map(str::to_owned);
        Ok(Self {
            response_type,
            client_id,
            redirect_uri,
            scope,
            state,
            code_challenge,
            code_challenge_method,
            nonce,
            flow_id,
            redirect_url,
            extra: params.rest(),
        })
    }

    fn to_form(&self) -> Form {
        let mut form = Form::new()
            .with("response_type", self.response_type.as_str())
            .with("client_id", self.client_id.as_str());
        append_opt(&mut form, "redirect_uri", self.redirect_uri.as_deref());
        append_scope(&mut form, "scope", self.scope.as_ref());
        append_opt(&mut form, "state", self.state.as_ref().map(State::as_str));
        append_opt(&mut form, "code_challenge", self.code_challenge.as_deref());
        append_opt(
            &mut form,
            "code_challenge_method",
            self.code_challenge_method
                .as_ref()
                .map(CodeChallengeMethod::as_str),
        );
        append_opt(&mut form, "nonce", self.nonce.as_deref());
        flow_id::append(&mut form, self.flow_id.as_ref());
        append_opt(&mut form, "redirect_url", self.redirect_url.as_deref());
        form.extend(self.extra.iter());
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FlowIdSpelling, InvalidReason};

    #[test]
    fn pkce_parameters_from_rfc7636_appendix_b() {
        let request = AuthorizationRequest::decode(
            b"response_type=code&client_id=s6BhdRkqt3\
              &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
        )
        .unwrap();
        assert_eq!(
            request.code_challenge.as_deref(),
            Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        );
        assert_eq!(
            request.code_challenge_method,
            Some(CodeChallengeMethod::S256)
        );
        assert!(!CodeChallengeMethod::from("s256").is_known());
    }

    #[test]
    fn connectpay_parameters() {
        let request = AuthorizationRequest::decode(
            b"response_type=code&client_id=7d3069b2-0155-45c1-9600-7db93c3e5087\
              &flowId=GetPSD2AuthCode&nonce=0f8fad5b-d9cb-469f-a165-70867728950e\
              &redirect_url=https%3A%2F%2Ftpp.example%2Fcb&scope=psd2-ais",
        )
        .unwrap();
        assert_eq!(
            request.flow_id.as_ref().map(|flow| flow.spelling),
            Some(FlowIdSpelling::CamelCase)
        );
        assert!(matches!(request.nonce_uuid_v4(), Some(Ok(_))));
        assert_eq!(
            request.redirect_url.as_deref(),
            Some("https://tpp.example/cb")
        );
        assert_eq!(request.redirect_uri, None);
        let not_v4 = AuthorizationRequest {
            nonce: Some("n-0S6_WzA2Mj".to_owned()),
            ..request
        };
        assert!(matches!(not_v4.nonce_uuid_v4(), Some(Err(_))));
    }

    #[test]
    fn errors_name_the_parameter() {
        assert_eq!(
            AuthorizationRequest::decode(b"client_id=a"),
            Err(WireError::MissingParameter {
                name: "response_type"
            })
        );
        assert_eq!(
            AuthorizationRequest::decode(b"response_type=code&client_id="),
            Err(WireError::MissingParameter { name: "client_id" })
        );
        assert_eq!(
            AuthorizationRequest::decode(b"response_type=code&client_id=a&state=1&state=2"),
            Err(WireError::DuplicateParameter {
                name: "state".to_owned()
            })
        );
        assert!(matches!(
            AuthorizationRequest::decode(b"response_type=code&client_id=a&scope=a%20%20b"),
            Err(WireError::InvalidValue {
                field: "scope",
                reason: InvalidReason::Scope(_)
            })
        ));
        assert!(matches!(
            AuthorizationRequest::decode(b"response_type=code&client_id=a%0A"),
            Err(WireError::InvalidValue {
                field: "client_id",
                reason: InvalidReason::Identifier(_)
            })
        ));
    }

    #[test]
    fn unknown_parameters_are_kept_in_order() {
        let request = AuthorizationRequest::decode(
            b"resource=https%3A%2F%2Frs&response_type=code&prompt=login&client_id=a&resource=x",
        )
        .unwrap();
        assert_eq!(
            request.extra.encode(),
            "resource=https%3A%2F%2Frs&prompt=login&resource=x"
        );
    }

    #[test]
    fn url_building_keeps_the_endpoint_query() {
        let mut request =
            AuthorizationRequest::new(ResponseType::CODE, ClientId::new("s6BhdRkqt3").unwrap());
        request.state = Some(State::new("xyz").unwrap());
        let endpoint = url::Url::parse("https://bank.example/authorize?tenant=fr").unwrap();
        let url = request.to_url(&endpoint);
        assert_eq!(
            url.as_str(),
            "https://bank.example/authorize?tenant=fr&response_type=code&client_id=s6BhdRkqt3&state=xyz"
        );
        let back = AuthorizationRequest::from_url(url.as_str()).unwrap();
        assert_eq!(back.extra.encode(), "tenant=fr");
        assert_eq!(query_of("/cb#a=1?b=2"), "");
        assert_eq!(query_of("/cb?x=1#y"), "x=1");
    }
}
