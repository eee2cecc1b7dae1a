//! Dynamic client registration: RFC 7591 requests and responses, RFC 7592
//! management (read, update), and RFC 8705 §2.1.2 certificate metadata.

use psd2_core::{ClientAuthMethod, ClientId, GrantType, ResponseType, ScopeSet, Secret};
use serde_json::{Map, Value};

use crate::json::{JsonFields, JsonWriter};
use crate::params;
use crate::{BodyLimit, JsonMessage, Members, WireError};

psd2_core::open_str_enum! {
    /// `token_endpoint_auth_method` (RFC 7591 §2; IANA "OAuth Token Endpoint
    /// Authentication Methods"). Open, unlike psd2-core's
    /// [`ClientAuthMethod`]: a bank may announce a method no profile knows.
    pub struct TokenEndpointAuthMethod {
        /// RFC 6749 §2.3.1, HTTP Basic.
        CLIENT_SECRET_BASIC = "client_secret_basic",
        /// OpenID Connect Core 1.0 §9.
        CLIENT_SECRET_JWT = "client_secret_jwt",
        /// RFC 6749 §2.3.1, in the body.
        CLIENT_SECRET_POST = "client_secret_post",
        /// RFC 7591 §2: a public client.
        NONE = "none",
        /// RFC 7523 §2.2.
        PRIVATE_KEY_JWT = "private_key_jwt",
        /// RFC 8705 §2.2.
        SELF_SIGNED_TLS_CLIENT_AUTH = "self_signed_tls_client_auth",
        /// RFC 8705 §2.1.
        TLS_CLIENT_AUTH = "tls_client_auth",
    }
}

impl TokenEndpointAuthMethod {
    /// The psd2-core method this value names, if profiles know it.
    #[must_use]
    pub fn to_core(&self) -> Option<ClientAuthMethod> {
        Some(match self.as_str() {
            "client_secret_basic" => ClientAuthMethod::ClientSecretBasic,
            "client_secret_post" => ClientAuthMethod::ClientSecretPost,
            "none" => ClientAuthMethod::None,
            "private_key_jwt" => ClientAuthMethod::PrivateKeyJwt,
            "self_signed_tls_client_auth" => ClientAuthMethod::SelfSignedTlsClientAuth,
            "tls_client_auth" => ClientAuthMethod::TlsClientAuth,
            _ => return None,
        })
    }
}

/// Client metadata (RFC 7591 §2, RFC 8705 §2.1.2 and §3.4), shared by
/// registration requests and responses.
///
/// URIs are kept as sent; language-tagged members (`client_name#ja-Jpan-JP`)
/// and every other unknown member are in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientMetadata {
    /// `redirect_uris`.
    pub redirect_uris: Option<Vec<String>>,
    /// `token_endpoint_auth_method`.
    pub token_endpoint_auth_method: Option<TokenEndpointAuthMethod>,
    /// `grant_types`.
    pub grant_types: Option<Vec<GrantType>>,
    /// `response_types`.
    pub response_types: Option<Vec<ResponseType>>,
    /// `client_name`.
    pub client_name: Option<String>,
    /// `client_uri`.
    pub client_uri: Option<String>,
    /// `logo_uri`.
    pub logo_uri: Option<String>,
    /// `scope`.
    pub scope: Option<ScopeSet>,
    /// `contacts`.
    pub contacts: Option<Vec<String>>,
    /// `tos_uri`.
    pub tos_uri: Option<String>,
    /// `policy_uri`.
    pub policy_uri: Option<String>,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `jwks`, the JWK Set by value.
    pub jwks: Option<Map<String, Value>>,
    /// `software_id`.
    pub software_id: Option<String>,
    /// `software_version`.
    pub software_version: Option<String>,
    /// `software_statement`, the signed JWT as sent.
    pub software_statement: Option<String>,
    /// `tls_client_auth_subject_dn` (RFC 8705 §2.1.2).
    pub tls_client_auth_subject_dn: Option<String>,
    /// `tls_client_auth_san_dns` (RFC 8705 §2.1.2).
    pub tls_client_auth_san_dns: Option<String>,
    /// `tls_client_auth_san_uri` (RFC 8705 §2.1.2).
    pub tls_client_auth_san_uri: Option<String>,
    /// `tls_client_auth_san_ip` (RFC 8705 §2.1.2).
    pub tls_client_auth_san_ip: Option<String>,
    /// `tls_client_auth_san_email` (RFC 8705 §2.1.2).
    pub tls_client_auth_san_email: Option<String>,
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.4).
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// Every other member, in name order.
    pub extra: Members,
}

impl ClientMetadata {
    fn read(mut fields: JsonFields) -> Result<Self, WireError> {
        Ok(Self {
            redirect_uris: fields.strings("redirect_uris")?,
            token_endpoint_auth_method: fields
                .string("token_endpoint_auth_method")?
                .map(TokenEndpointAuthMethod::from),
            grant_types: fields.list("grant_types")?,
            response_types: fields.list("response_types")?,
            client_name: fields.string("client_name")?,
            client_uri: fields.string("client_uri")?,
            logo_uri: fields.string("logo_uri")?,
            scope: fields.scope("scope")?,
            contacts: fields.strings("contacts")?,
            tos_uri: fields.string("tos_uri")?,
            policy_uri: fields.string("policy_uri")?,
            jwks_uri: fields.string("jwks_uri")?,
            jwks: fields.object("jwks")?,
            software_id: fields.string("software_id")?,
            software_version: fields.string("software_version")?,
            software_statement: fields.string("software_statement")?,
            tls_client_auth_subject_dn: fields.string("tls_client_auth_subject_dn")?,
            tls_client_auth_san_dns: fields.string("tls_client_auth_san_dns")?,
            tls_client_auth_san_uri: fields.string("tls_client_auth_san_uri")?,
            tls_client_auth_san_ip: fields.string("tls_client_auth_san_ip")?,
            tls_client_auth_san_email: fields.string("tls_client_auth_san_email")?,
            tls_client_certificate_bound_access_tokens: fields
                .bool("tls_client_certificate_bound_access_tokens")?,
            extra: fields.rest(),
        })
    }

    fn write(&self, json: &mut JsonWriter) {
        json.list("redirect_uris", self.redirect_uris.as_deref());
        json.opt(
            "token_endpoint_auth_method",
            self.token_endpoint_auth_method
                .as_ref()
                .map(TokenEndpointAuthMethod::as_str),
        );
        json.opt(
            "grant_types",
            self.grant_types
                .as_ref()
                .map(|items| items.iter().map(|item| item.as_str()).collect::<Vec<_>>()),
        );
        json.opt(
            "response_types",
            self.response_types
                .as_ref()
                .map(|items| items.iter().map(|item| item.as_str()).collect::<Vec<_>>()),
        );
        json.opt("client_name", self.client_name.as_deref());
        json.opt("client_uri", self.client_uri.as_deref());
        json.opt("logo_uri", self.logo_uri.as_deref());
        json.scope("scope", self.scope.as_ref());
        json.list("contacts", self.contacts.as_deref());
        json.opt("tos_uri", self.tos_uri.as_deref());
        json.opt("policy_uri", self.policy_uri.as_deref());
        json.opt("jwks_uri", self.jwks_uri.as_deref());
        json.opt("jwks", self.jwks.clone());
        json.opt("software_id", self.software_id.as_deref());
        json.opt("software_version", self.software_version.as_deref());
        json.opt("software_statement", self.software_statement.as_deref());
        for (name, value) in [
            (
                "tls_client_auth_subject_dn",
                &self.tls_client_auth_subject_dn,
            ),
            ("tls_client_auth_san_dns", &self.tls_client_auth_san_dns),
            ("tls_client_auth_san_uri", &self.tls_client_auth_san_uri),
            ("tls_client_auth_san_ip", &self.tls_client_auth_san_ip),
            ("tls_client_auth_san_email", &self.tls_client_auth_san_email),
        ] {
            json.opt(name, value.as_deref());
        }
        json.opt(
            "tls_client_certificate_bound_access_tokens",
            self.tls_client_certificate_bound_access_tokens,
        );
        json.extend(&self.extra);
    }
}

/// A registration request (RFC 7591 §3.1, `POST`) or update request
/// (RFC 7592 §2.2, `PUT`, which also carries `client_id` and
/// `client_secret`).
///
/// ```
/// use psd2_wire::{JsonMessage, RegistrationRequest, TokenEndpointAuthMethod};
/// let request = RegistrationRequest::decode(br#"{
///   "redirect_uris": ["https://tpp.example/cb"],
///   "token_endpoint_auth_method": "tls_client_auth",
///   "tls_client_auth_subject_dn": "CN=tpp.example,2.5.4.97=PSDFR-ACPR-12345,C=FR",
///   "client_name#fr": "Mon TPP"
/// }"#)?;
/// assert_eq!(
///     request.metadata.token_endpoint_auth_method,
///     Some(TokenEndpointAuthMethod::TLS_CLIENT_AUTH),
/// );
/// assert!(request.metadata.extra.get("client_name#fr").is_some());
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RegistrationRequest {
    /// `client_id` (RFC 7592 §2.2 update requests).
    pub client_id: Option<ClientId>,
    /// `client_secret` (RFC 7592 §2.2 update requests).
    pub client_secret: Option<Secret<String>>,
    /// The requested metadata.
    pub metadata: ClientMetadata,
}

impl JsonMessage for RegistrationRequest {
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        let mut fields = JsonFields::parse(input, limit)?;
        let client_id = fields
            .string("client_id")?
            .map(|value| params::client_id("client_id", &value))
            .transpose()?;
        let client_secret = fields.secret("client_secret")?;
        Ok(Self {
            client_id,
            client_secret,
            metadata: ClientMetadata::read(fields)?,
        })
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut json = JsonWriter::default();
        json.opt("client_id", self.client_id.as_ref().map(ClientId::as_str));
        json.secret("client_secret", self.client_secret.as_ref());
        self.metadata.write(&mut json);
        json.finish()
    }
}

/// A client information response: RFC 7591 §3.2.1 after registration,
/// RFC 7592 §3 after a read or an update.
///
/// ```
/// use psd2_wire::{JsonMessage, RegistrationResponse};
/// let response = RegistrationResponse::decode(br#"{
///   "client_id": "s6BhdRkqt3",
///   "registration_access_token": "reg-23410913-abewfq.123483",
///   "registration_client_uri": "https://server.example.com/register/s6BhdRkqt3"
/// }"#)?;
/// assert_eq!(response.client_id.as_str(), "s6BhdRkqt3");
/// assert!(!format!("{response:?}").contains("reg-23410913"));
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RegistrationResponse {
    /// `client_id`. Required to read the response.
    pub client_id: ClientId,
    /// `client_secret`.
    pub client_secret: Option<Secret<String>>,
    /// `client_id_issued_at`, seconds since the epoch.
    pub client_id_issued_at: Option<u64>,
    /// `client_secret_expires_at`, seconds since the epoch, 0 for never.
    pub client_secret_expires_at: Option<u64>,
    /// `registration_access_token` (RFC 7592 §3).
    pub registration_access_token: Option<Secret<String>>,
    /// `registration_client_uri` (RFC 7592 §3), exactly as sent.
    pub registration_client_uri: Option<String>,
    /// The registered metadata.
    pub metadata: ClientMetadata,
}

impl RegistrationResponse {
    /// A response for `client_id` with nothing else.
    #[must_use]
    pub fn new(client_id: ClientId) -> Self {
        Self {
            client_id,
            client_secret: None,
            client_id_issued_at: None,
            client_secret_expires_at: None,
            registration_access_token: None,
            registration_client_uri: None,
            metadata: ClientMetadata::default(),
        }
    }
}

impl JsonMessage for RegistrationResponse {
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        let mut fields = JsonFields::parse(input, limit)?;
        let client_id = params::client_id("client_id", &fields.require_string("client_id")?)?;
        Ok(Self {
            client_id,
            client_secret: fields.secret("client_secret")?,
            client_id_issued_at: fields.u64("client_id_issued_at")?,
            client_secret_expires_at: fields.u64("client_secret_expires_at")?,
            registration_access_token: fields.secret("registration_access_token")?,
            registration_client_uri: fields.string("registration_client_uri")?,
            metadata: ClientMetadata::read(fields)?,
        })
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut json = JsonWriter::default();
        json.put("client_id", self.client_id.as_str());
        json.secret("client_secret", self.client_secret.as_ref());
        json.opt("client_id_issued_at", self.client_id_issued_at);
        json.opt("client_secret_expires_at", self.client_secret_expires_at);
        json.secret(
            "registration_access_token",
            self.registration_access_token.as_ref(),
        );
        json.opt(
            "registration_client_uri",
            self.registration_client_uri.as_deref(),
        );
        self.metadata.write(&mut json);
        json.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8705_metadata() {
        let request = RegistrationRequest::decode(
            br#"{"tls_client_auth_san_dns":"tpp.example","tls_client_auth_san_uri":"https://tpp.example",
                "tls_client_auth_san_ip":"192.0.2.1","tls_client_auth_san_email":"ops@tpp.example",
                "tls_client_certificate_bound_access_tokens":true}"#,
        )
        .unwrap();
        let metadata = &request.metadata;
        assert_eq!(
            metadata.tls_client_auth_san_dns.as_deref(),
            Some("tpp.example")
        );
        assert_eq!(
            metadata.tls_client_auth_san_ip.as_deref(),
            Some("192.0.2.1")
        );
        assert_eq!(
            metadata.tls_client_certificate_bound_access_tokens,
            Some(true)
        );
        assert!(metadata.extra.is_empty());
    }

    #[test]
    fn types_are_checked_per_member() {
        assert!(matches!(
            RegistrationRequest::decode(br#"{"redirect_uris":"https://tpp.example/cb"}"#),
            Err(WireError::InvalidValue {
                field: "redirect_uris",
                ..
            })
        ));
        assert!(matches!(
            RegistrationRequest::decode(br#"{"grant_types":["authorization_code", 1]}"#),
            Err(WireError::InvalidValue {
                field: "grant_types",
                ..
            })
        ));
        assert_eq!(
            RegistrationResponse::decode(br#"{"client_secret":"s"}"#).err(),
            Some(WireError::MissingParameter { name: "client_id" })
        );
    }

    #[test]
    fn auth_methods_map_onto_profiles() {
        assert_eq!(
            TokenEndpointAuthMethod::TLS_CLIENT_AUTH.to_core(),
            Some(ClientAuthMethod::TlsClientAuth)
        );
        assert_eq!(TokenEndpointAuthMethod::CLIENT_SECRET_JWT.to_core(), None);
        for method in TokenEndpointAuthMethod::KNOWN {
            if *method != TokenEndpointAuthMethod::CLIENT_SECRET_JWT {
                assert!(method.to_core().is_some(), "{method}");
            }
        }
    }
}
