//! Authorization server metadata (RFC 8414 §2), with RFC 8705 §5's
//! `mtls_endpoint_aliases` and RFC 9207 §3's
//! `authorization_response_iss_parameter_supported`.

use psd2_core::{GrantType, ResponseType, Scope};
use serde_json::{Map, Value};

use crate::json::{JsonFields, JsonWriter};
use crate::{
    BodyLimit, CodeChallengeMethod, InvalidReason, JsonMessage, Members, TokenEndpointAuthMethod,
    WireError,
};

/// The endpoints a client must use when it authenticates with mutual TLS
/// (RFC 8705 §5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MtlsEndpointAliases {
    /// `token_endpoint`.
    pub token_endpoint: Option<String>,
    /// `revocation_endpoint`.
    pub revocation_endpoint: Option<String>,
    /// `introspection_endpoint`.
    pub introspection_endpoint: Option<String>,
    /// `registration_endpoint`.
    pub registration_endpoint: Option<String>,
    /// `pushed_authorization_request_endpoint` (RFC 9126 §5).
    pub pushed_authorization_request_endpoint: Option<String>,
    /// Every other alias.
    pub extra: Members,
}

const ALIASES: &str = "mtls_endpoint_aliases";

/// One alias. A value of the wrong type is reported on the object that holds
/// it, the member a judge knows.
fn alias(fields: &mut JsonFields, name: &'static str) -> Result<Option<String>, WireError> {
    fields.string(name).map_err(|_| {
        WireError::invalid(
            ALIASES,
            InvalidReason::JsonType {
                expected: "an object of strings",
            },
        )
    })
}

impl MtlsEndpointAliases {
    fn read(map: Map<String, Value>) -> Result<Self, WireError> {
        let mut fields = JsonFields::nested(map);
        let aliases = Self {
            token_endpoint: alias(&mut fields, "token_endpoint")?,
            revocation_endpoint: alias(&mut fields, "revocation_endpoint")?,
            introspection_endpoint: alias(&mut fields, "introspection_endpoint")?,
            registration_endpoint: alias(&mut fields, "registration_endpoint")?,
            pushed_authorization_request_endpoint: alias(
                &mut fields,
                "pushed_authorization_request_endpoint",
            )?,
            extra: Members::default(),
        };
        Ok(Self {
            extra: fields.rest(),
            ..aliases
        })
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut json = JsonWriter::default();
        json.opt("token_endpoint", self.token_endpoint.as_deref());
        json.opt("revocation_endpoint", self.revocation_endpoint.as_deref());
        json.opt(
            "introspection_endpoint",
            self.introspection_endpoint.as_deref(),
        );
        json.opt(
            "registration_endpoint",
            self.registration_endpoint.as_deref(),
        );
        json.opt(
            "pushed_authorization_request_endpoint",
            self.pushed_authorization_request_endpoint.as_deref(),
        );
        json.extend(&self.extra);
        json.finish()
    }
}

/// An authorization server metadata document.
///
/// Only `issuer` is required to read the document: RFC 8414 §2 also requires
/// `response_types_supported` (and `authorization_endpoint` and
/// `token_endpoint` in most deployments), but a document without them still
/// tells the harness where to go, so their absence is left for a judge.
/// `issuer` and every endpoint are kept as sent: RFC 8414 §3.3 compares the
/// issuer by simple string comparison.
///
/// ```
/// use psd2_wire::{AuthorizationServerMetadata, JsonMessage};
/// // RFC 8705 §5's example, shortened.
/// let metadata = AuthorizationServerMetadata::decode(br#"{
///   "issuer": "https://server.example.com",
///   "token_endpoint": "https://server.example.com/token",
///   "mtls_endpoint_aliases": { "token_endpoint": "https://mtls.example.com/token" }
/// }"#)?;
/// assert_eq!(metadata.token_endpoint_for_mtls(), Some("https://mtls.example.com/token"));
/// assert_eq!(metadata.authorization_response_iss_parameter_supported, None);
/// # Ok::<(), psd2_wire::WireError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationServerMetadata {
    /// `issuer`. Required to read the document.
    pub issuer: String,
    /// `authorization_endpoint`.
    pub authorization_endpoint: Option<String>,
    /// `token_endpoint`.
    pub token_endpoint: Option<String>,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// `registration_endpoint`.
    pub registration_endpoint: Option<String>,
    /// `scopes_supported`, each checked against the RFC 6749 §3.3 grammar.
    pub scopes_supported: Option<Vec<Scope>>,
    /// `response_types_supported`.
    pub response_types_supported: Option<Vec<ResponseType>>,
    /// `response_modes_supported`.
    pub response_modes_supported: Option<Vec<String>>,
    /// `grant_types_supported`.
    pub grant_types_supported: Option<Vec<GrantType>>,
    /// `token_endpoint_auth_methods_supported`.
    pub token_endpoint_auth_methods_supported: Option<Vec<TokenEndpointAuthMethod>>,
    /// `revocation_endpoint` (RFC 8414 §2, for RFC 7009).
    pub revocation_endpoint: Option<String>,
    /// `revocation_endpoint_auth_methods_supported`.
    pub revocation_endpoint_auth_methods_supported: Option<Vec<TokenEndpointAuthMethod>>,
    /// `introspection_endpoint` (RFC 8414 §2, for RFC 7662).
    pub introspection_endpoint: Option<String>,
    /// `introspection_endpoint_auth_methods_supported`.
    pub introspection_endpoint_auth_methods_supported: Option<Vec<TokenEndpointAuthMethod>>,
    /// `code_challenge_methods_supported` (RFC 8414 §2, for RFC 7636).
    pub code_challenge_methods_supported: Option<Vec<CodeChallengeMethod>>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207 §3).
    pub authorization_response_iss_parameter_supported: Option<bool>,
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.3).
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// `mtls_endpoint_aliases` (RFC 8705 §5).
    pub mtls_endpoint_aliases: Option<MtlsEndpointAliases>,
    /// Every other member (`service_documentation`, `ui_locales_supported`,
    /// signing algorithms, ...).
    pub extra: Members,
}

impl AuthorizationServerMetadata {
    /// A document with only `issuer`.
    #[must_use]
    pub fn new(issuer: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            authorization_endpoint: None,
            token_endpoint: None,
            jwks_uri: None,
            registration_endpoint: None,
            scopes_supported: None,
            response_types_supported: None,
            response_modes_supported: None,
            grant_types_supported: None,
            token_endpoint_auth_methods_supported: None,
            revocation_endpoint: None,
            revocation_endpoint_auth_methods_supported: None,
            introspection_endpoint: None,
            introspection_endpoint_auth_methods_supported: None,
            code_challenge_methods_supported: None,
            authorization_response_iss_parameter_supported: None,
            tls_client_certificate_bound_access_tokens: None,
            mtls_endpoint_aliases: None,
            extra: Members::default(),
        }
    }

    /// The token endpoint a client using mutual TLS calls: the alias if there
    /// is one, the plain endpoint otherwise (RFC 8705 §5).
    #[must_use]
    pub fn token_endpoint_for_mtls(&self) -> Option<&str> {
        self.mtls_endpoint_aliases
            .as_ref()
            .and_then(|aliases| aliases.token_endpoint.as_deref())
            .or(self.token_endpoint.as_deref())
    }

    /// The revocation endpoint a client using mutual TLS calls (RFC 8705 §5).
    #[must_use]
    pub fn revocation_endpoint_for_mtls(&self) -> Option<&str> {
        self.mtls_endpoint_aliases
            .as_ref()
            .and_then(|aliases| aliases.revocation_endpoint.as_deref())
            .or(self.revocation_endpoint.as_deref())
    }

    /// The introspection endpoint a client using mutual TLS calls (RFC 8705
    /// §5).
    #[must_use]
    pub fn introspection_endpoint_for_mtls(&self) -> Option<&str> {
        self.mtls_endpoint_aliases
            .as_ref()
            .and_then(|aliases| aliases.introspection_endpoint.as_deref())
            .or(self.introspection_endpoint.as_deref())
    }
}

fn scopes(fields: &mut JsonFields) -> Result<Option<Vec<Scope>>, WireError> {
    const NAME: &str = "scopes_supported";
    fields
        .strings(NAME)?
        .map(|tokens| {
            tokens
                .into_iter()
                .map(|token| {
                    Scope::new(token)
                        .map_err(|error| WireError::invalid(NAME, InvalidReason::Scope(error)))
                })
                .collect()
        })
        .transpose()
}

impl JsonMessage for AuthorizationServerMetadata {
    fn decode_limited(input: &[u8], limit: BodyLimit) -> Result<Self, WireError> {
        let mut fields = JsonFields::parse(input, limit)?;
        Ok(Self {
            issuer: fields.require_string("issuer")?,
            authorization_endpoint: fields.string("authorization_endpoint")?,
            token_endpoint: fields.string("token_endpoint")?,
            jwks_uri: fields.string("jwks_uri")?,
            registration_endpoint: fields.string("registration_endpoint")?,
            scopes_supported: scopes(&mut fields)?,
            response_types_supported: fields.list("response_types_supported")?,
            response_modes_supported: fields.strings("response_modes_supported")?,
            grant_types_supported: fields.list("grant_types_supported")?,
            token_endpoint_auth_methods_supported: fields
                .list("token_endpoint_auth_methods_supported")?,
            revocation_endpoint: fields.string("revocation_endpoint")?,
            revocation_endpoint_auth_methods_supported: fields
                .list("revocation_endpoint_auth_methods_supported")?,
            introspection_endpoint: fields.string("introspection_endpoint")?,
            introspection_endpoint_auth_methods_supported: fields
                .list("introspection_endpoint_auth_methods_supported")?,
            code_challenge_methods_supported: fields.list("code_challenge_methods_supported")?,
            authorization_response_iss_parameter_supported: fields
                .bool("authorization_response_iss_parameter_supported")?,
            tls_client_certificate_bound_access_tokens: fields
                .bool("tls_client_certificate_bound_access_tokens")?,
            mtls_endpoint_aliases: fields
                .object(ALIASES)?
                .map(MtlsEndpointAliases::read)
                .transpose()?,
            extra: fields.rest(),
        })
    }

    fn to_json(&self) -> Map<String, Value> {
        fn names<T: std::fmt::Display>(items: Option<&Vec<T>>) -> Option<Vec<String>> {
            items.map(|items| items.iter().map(ToString::to_string).collect())
        }
        let mut json = JsonWriter::default();
        json.put("issuer", self.issuer.as_str());
        json.opt(
            "authorization_endpoint",
            self.authorization_endpoint.as_deref(),
        );
        json.opt("token_endpoint", self.token_endpoint.as_deref());
        json.opt("jwks_uri", self.jwks_uri.as_deref());
        json.opt(
            "registration_endpoint",
            self.registration_endpoint.as_deref(),
        );
        json.opt("scopes_supported", names(self.scopes_supported.as_ref()));
        json.opt(
            "response_types_supported",
            names(self.response_types_supported.as_ref()),
        );
        json.list(
            "response_modes_supported",
            self.response_modes_supported.as_deref(),
        );
        json.opt(
            "grant_types_supported",
            names(self.grant_types_supported.as_ref()),
        );
        json.opt(
            "token_endpoint_auth_methods_supported",
            names(self.token_endpoint_auth_methods_supported.as_ref()),
        );
        json.opt("revocation_endpoint", self.revocation_endpoint.as_deref());
        json.opt(
            "revocation_endpoint_auth_methods_supported",
            names(self.revocation_endpoint_auth_methods_supported.as_ref()),
        );
        json.opt(
            "introspection_endpoint",
            self.introspection_endpoint.as_deref(),
        );
        json.opt(
            "introspection_endpoint_auth_methods_supported",
            names(self.introspection_endpoint_auth_methods_supported.as_ref()),
        );
        json.opt(
            "code_challenge_methods_supported",
            names(self.code_challenge_methods_supported.as_ref()),
        );
        json.opt(
            "authorization_response_iss_parameter_supported",
            self.authorization_response_iss_parameter_supported,
        );
        json.opt(
            "tls_client_certificate_bound_access_tokens",
            self.tls_client_certificate_bound_access_tokens,
        );
        json.opt(
            ALIASES,
            self.mtls_endpoint_aliases
                .as_ref()
                .map(MtlsEndpointAliases::to_json),
        );
        json.extend(&self.extra);
        json.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_is_required() {
        assert_eq!(
            AuthorizationServerMetadata::decode(br#"{"token_endpoint":"https://as/token"}"#).err(),
            Some(WireError::MissingParameter { name: "issuer" })
        );
    }

    #[test]
    fn aliases_of_the_wrong_type_name_the_object() {
        assert!(matches!(
            AuthorizationServerMetadata::decode(
                br#"{"issuer":"https://as","mtls_endpoint_aliases":{"token_endpoint":1}}"#
            ),
            Err(WireError::InvalidValue {
                field: "mtls_endpoint_aliases",
                ..
            })
        ));
        assert!(matches!(
            AuthorizationServerMetadata::decode(
                br#"{"issuer":"https://as","mtls_endpoint_aliases":["x"]}"#
            ),
            Err(WireError::InvalidValue {
                field: "mtls_endpoint_aliases",
                ..
            })
        ));
    }

    #[test]
    fn bad_scope_tokens_name_the_member() {
        assert!(matches!(
            AuthorizationServerMetadata::decode(
                br#"{"issuer":"https://as","scopes_supported":["aisp","two words"]}"#
            ),
            Err(WireError::InvalidValue {
                field: "scopes_supported",
                reason: InvalidReason::Scope(_)
            })
        ));
    }

    #[test]
    fn pkce_and_iss_support() {
        let metadata = AuthorizationServerMetadata::decode(
            br#"{"issuer":"https://as","code_challenge_methods_supported":["S256"],
                "authorization_response_iss_parameter_supported":true}"#,
        )
        .unwrap();
        assert_eq!(
            metadata.code_challenge_methods_supported,
            Some(vec![CodeChallengeMethod::S256])
        );
        assert_eq!(
            metadata.authorization_response_iss_parameter_supported,
            Some(true)
        );
        assert_eq!(metadata.token_endpoint_for_mtls(), None);
    }
}
