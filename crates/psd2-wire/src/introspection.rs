//! Token introspection (RFC 7662): the request is the revocation request's
//! wire format, the response a JSON object led by `active`.

use psd2_core::{ClientId, ScopeSet, TokenType};
use serde_json::{Map, Value};

use crate::json::{JsonFields, JsonWriter};
use crate::{BodyLimit, InvalidReason, JsonMessage, Members, WireError, params};

/// A request to the introspection endpoint (RFC 7662 §2.1).
///
/// RFC 7662 §2.1 sends the same parameters as an RFC 7009 revocation
/// request, form-encoded in a `POST` body: `token` ("REQUIRED. The string
/// value of the token"), `token_type_hint` ("OPTIONAL. A hint about the type
/// of the token submitted for introspection", from the same IANA "OAuth
/// Token Type Hints" registry) and the client's credentials. One wire format
/// has one codec, so this is [`RevocationRequest`](crate::RevocationRequest)
/// under the name of its other use.
///
/// ```
/// use psd2_wire::{FormMessage, IntrospectionRequest, TokenTypeHint};
/// // RFC 7662 §2.1's second example body.
/// let body = "token=mF_9.B5f-4.1JqM&token_type_hint=access_token";
/// let request = IntrospectionRequest::decode(body.as_bytes())?;
/// assert_eq!(request.token.expose(), "mF_9.B5f-4.1JqM");
/// assert_eq!(request.token_type_hint, Some(TokenTypeHint::ACCESS_TOKEN));
/// assert_eq!(request.encode(), body);
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
pub type IntrospectionRequest = crate::RevocationRequest;

/// The `aud` member (RFC 7662 §2.2, RFC 7519 §4.1.3): one string, or an
/// array of strings. Which of the two was sent is kept, so that the message
/// re-encodes as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// `"aud": "https://rs.example"`.
    One(String),
    /// `"aud": ["https://rs1.example", "https://rs2.example"]`.
    Many(Vec<String>),
}

impl Audience {
    /// Every audience value, in the order sent.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let items: &[String] = match self {
            Audience::One(value) => std::slice::from_ref(value),
            Audience::Many(values) => values,
        };
        items.iter().map(String::as_str)
    }

    /// Whether `value` is one of the audiences (simple string comparison).
    #[must_use]
    pub fn contains(&self, value: &str) -> bool {
        self.iter().any(|aud| aud == value)
    }

    fn read(value: Value) -> Result<Self, WireError> {
        const NAME: &str = "aud";
        let error = || WireError::json_type(NAME, "a string or an array of strings");
        match value {
            Value::String(text) => Ok(Audience::One(text)),
            Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(text) => Ok(text),
                    _ => Err(error()),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Audience::Many),
            _ => Err(error()),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Audience::One(value) => Value::from(value.as_str()),
            Audience::Many(values) => {
                Value::Array(values.iter().map(|v| Value::from(v.as_str())).collect())
            }
        }
    }
}

const CNF: &str = "cnf";
const X5T_S256: &str = "x5t#S256";

/// A response of the introspection endpoint (RFC 7662 §2.2).
///
/// Only `active` is required to read the response ("REQUIRED. Boolean
/// indicator of whether or not the presented token is currently active");
/// a response without it, or with a non-boolean, is an error naming
/// `active`. Every other member is OPTIONAL in RFC 7662 and an `Option`
/// here. Whether an inactive response carries more than `active` (RFC 7662
/// §2.2: it "SHOULD NOT") is for a judge to say.
///
/// - `scope` is read with the RFC 6749 §3.3 grammar, like a token
///   response's: an empty string decodes as `Some` of an empty
///   [`ScopeSet`] (what was sent is an empty list, not no list), and
///   encodes back as `""`.
/// - `exp`, `iat` and `nbf` are whole seconds since the epoch; a string or
///   a fractional number is an error naming the member.
/// - `aud` is a string or an array of strings, kept as sent ([`Audience`]).
/// - `cnf` (RFC 7800 §3.1) is an object: its `x5t#S256` member (RFC 8705
///   §3.2: the certificate thumbprint the token is bound to) goes to
///   `cnf_x5t_s256`, its other members to `cnf_extra`. A `cnf` that is not
///   an object, or an `x5t#S256` that is not a string, is an error naming
///   `cnf`. An empty `cnf` object decodes as no `cnf`.
///
/// ```
/// use psd2_wire::{IntrospectionResponse, JsonMessage};
/// // RFC 7662 §2.2's example.
/// let response = IntrospectionResponse::decode(br#"{
///   "active": true,
///   "client_id": "l238j323ds-23ij4",
///   "username": "jdoe",
///   "scope": "read write dolphin",
///   "sub": "Z5O3upPC88QrAjx00dis",
///   "aud": "https://protected.example.net/resource",
///   "iss": "https://server.example.com/",
///   "exp": 1419356238,
///   "iat": 1419350238,
///   "extension_field": "twenty-seven"
/// }"#)?;
/// assert!(response.active);
/// assert!(response.scope.as_ref().is_some_and(|scope| scope.contains("dolphin")));
/// assert!(response.aud.as_ref().is_some_and(|aud| aud.contains("https://protected.example.net/resource")));
/// assert_eq!(response.exp, Some(1419356238));
/// assert_eq!(response.extra.get("extension_field"), Some(&"twenty-seven".into()));
/// // RFC 7662 §2.2: the answer for a token that is not active.
/// assert_eq!(IntrospectionResponse::inactive().encode(), r#"{"active":false}"#);
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrospectionResponse {
    /// `active`. Required to read the response.
    pub active: bool,
    /// `scope`.
    pub scope: Option<ScopeSet>,
    /// `client_id`: the client the token was issued to.
    pub client_id: Option<ClientId>,
    /// `username`: a human-readable identifier of the resource owner.
    pub username: Option<String>,
    /// `token_type` (RFC 6749 §7.1, compared without regard to case).
    pub token_type: Option<TokenType>,
    /// `exp`, seconds since the epoch.
    pub exp: Option<u64>,
    /// `iat`, seconds since the epoch.
    pub iat: Option<u64>,
    /// `nbf`, seconds since the epoch.
    pub nbf: Option<u64>,
    /// `sub`.
    pub sub: Option<String>,
    /// `aud`.
    pub aud: Option<Audience>,
    /// `iss`, kept as sent.
    pub iss: Option<String>,
    /// `jti`.
    pub jti: Option<String>,
    /// `cnf.x5t#S256` (RFC 8705 §3.2), kept as sent (not checked to be a
    /// thumbprint).
    pub cnf_x5t_s256: Option<String>,
    /// The other members of `cnf` (another confirmation method, such as
    /// RFC 9449's `jkt`).
    pub cnf_extra: Members,
    /// Every other member (`extension_field`, ...).
    pub extra: Members,
}

impl IntrospectionResponse {
    /// A response carrying only `active`.
    #[must_use]
    pub fn new(active: bool) -> Self {
        Self {
            active,
            scope: None,
            client_id: None,
            username: None,
            token_type: None,
            exp: None,
            iat: None,
            nbf: None,
            sub: None,
            aud: None,
            iss: None,
            jti: None,
            cnf_x5t_s256: None,
            cnf_extra: Members::default(),
            extra: Members::default(),
        }
    }

    /// `{"active":false}`: RFC 7662 §2.2's answer for a token that is
    /// unknown, expired, revoked or that the caller may not introspect.
    #[must_use]
    pub fn inactive() -> Self {
        Self::new(false)
    }
}

/// Reads `cnf`; a member of the wrong type is reported on `cnf`.
fn confirmation(fields: &mut JsonFields) -> Result<(Option<String>, Members), WireError> {
    let Some(map) = fields.object(CNF)? else {
        return Ok((None, Members::default()));
    };
    let mut cnf = JsonFields::nested(map);
    let thumbprint = cnf.string(X5T_S256).map_err(|_| {
        WireError::invalid(
            CNF,
            InvalidReason::JsonType {
                expected: "an object whose x5t#S256 is a string",
            },
        )
    })?;
    Ok((thumbprint, cnf.rest()))
}

impl JsonMessage for IntrospectionResponse {
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        let mut fields = JsonFields::parse(input, limit)?;
        let active = fields
            .bool("active")?
            .ok_or(WireError::MissingParameter { name: "active" })?;
        let client_id = fields
            .string("client_id")?
            .map(|value| params::client_id("client_id", &value))
            .transpose()?;
        let aud = fields.take("aud").map(Audience::read).transpose()?;
        let (cnf_x5t_s256, cnf_extra) = confirmation(&mut fields)?;
        Ok(Self {
            active,
            scope: fields.scope("scope")?,
            client_id,
            username: fields.string("username")?,
            token_type: fields.string("token_type")?.map(TokenType::new),
            exp: fields.u64("exp")?,
            iat: fields.u64("iat")?,
            nbf: fields.u64("nbf")?,
            sub: fields.string("sub")?,
            aud,
            iss: fields.string("iss")?,
            jti: fields.string("jti")?,
            cnf_x5t_s256,
            cnf_extra,
            extra: fields.rest(),
        })
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut json = JsonWriter::default();
        json.put("active", self.active);
        json.scope("scope", self.scope.as_ref());
        json.opt("client_id", self.client_id.as_ref().map(ClientId::as_str));
        json.opt("username", self.username.as_deref());
        json.opt(
            "token_type",
            self.token_type.as_ref().map(TokenType::as_str),
        );
        json.opt("exp", self.exp);
        json.opt("iat", self.iat);
        json.opt("nbf", self.nbf);
        json.opt("sub", self.sub.as_deref());
        json.opt("aud", self.aud.as_ref().map(Audience::to_json));
        json.opt("iss", self.iss.as_deref());
        json.opt("jti", self.jti.as_deref());
        if self.cnf_x5t_s256.is_some() || !self.cnf_extra.is_empty() {
            let mut cnf = JsonWriter::default();
            cnf.opt(X5T_S256, self.cnf_x5t_s256.as_deref());
            cnf.extend(&self.cnf_extra);
            json.put(CNF, cnf.finish());
        }
        json.extend(&self.extra);
        json.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_is_required_and_boolean() {
        assert_eq!(
            IntrospectionResponse::decode(br#"{"scope":"aisp"}"#).err(),
            Some(WireError::MissingParameter { name: "active" })
        );
        for body in [
            &br#"{"active":"true"}"#[..],
            br#"{"active":1}"#,
            br#"{"active":null}"#,
        ] {
            assert!(
                matches!(
                    IntrospectionResponse::decode(body),
                    Err(WireError::InvalidValue {
                        field: "active",
                        reason: InvalidReason::JsonType { .. }
                    })
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn inactive_is_only_active_false() {
        let response = IntrospectionResponse::decode(br#"{"active":false}"#).unwrap();
        assert_eq!(response, IntrospectionResponse::inactive());
        assert_eq!(response.encode(), r#"{"active":false}"#);
    }

    #[test]
    fn certificate_binding_is_read_from_cnf() {
        let response = IntrospectionResponse::decode(
            br#"{"active":true,"token_type":"bearer",
                "cnf":{"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2","jkt":"x"}}"#,
        )
        .unwrap();
        assert_eq!(
            response.cnf_x5t_s256.as_deref(),
            Some("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")
        );
        assert_eq!(response.cnf_extra.get("jkt"), Some(&Value::from("x")));
        assert_eq!(response.token_type, Some(TokenType::bearer()));
        let again = IntrospectionResponse::decode(response.encode().as_bytes()).unwrap();
        assert_eq!(again, response);
    }

    #[test]
    fn malformed_cnf_and_aud_name_the_member() {
        for (body, member) in [
            (&br#"{"active":true,"cnf":"x"}"#[..], "cnf"),
            (br#"{"active":true,"cnf":{"x5t#S256":1}}"#, "cnf"),
            (br#"{"active":true,"aud":1}"#, "aud"),
            (br#"{"active":true,"aud":["a",2]}"#, "aud"),
            (br#"{"active":true,"exp":"1419356238"}"#, "exp"),
            (br#"{"active":true,"exp":1419356238.5}"#, "exp"),
            (br#"{"active":true,"scope":"two  spaces"}"#, "scope"),
            (br#"{"active":true,"client_id":""}"#, "client_id"),
        ] {
            assert_eq!(
                IntrospectionResponse::decode(body)
                    .err()
                    .as_ref()
                    .and_then(WireError::field),
                Some(member),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn audience_keeps_its_shape() {
        let one = IntrospectionResponse::decode(br#"{"active":true,"aud":"a"}"#).unwrap();
        assert_eq!(one.aud, Some(Audience::One("a".to_owned())));
        let many = IntrospectionResponse::decode(br#"{"active":true,"aud":["a"]}"#).unwrap();
        assert_eq!(many.aud, Some(Audience::Many(vec!["a".to_owned()])));
        assert_eq!(many.encode(), r#"{"active":true,"aud":["a"]}"#);
        assert!(many.aud.as_ref().is_some_and(|aud| aud.contains("a")));
    }

    #[test]
    fn empty_scope_is_an_empty_set() {
        let response = IntrospectionResponse::decode(br#"{"active":true,"scope":""}"#).unwrap();
        assert_eq!(response.scope, Some(ScopeSet::new()));
        assert_eq!(response.encode(), r#"{"active":true,"scope":""}"#);
    }
}
