//! Endpoints of the authorization server: explicit ones from the target file,
//! or discovered from RFC 8414 metadata, following RFC 8705 §5's
//! `mtls_endpoint_aliases` because every client of a PSD2 bank authenticates
//! with its certificate.

use psd2_wire::AuthorizationServerMetadata;
use url::Url;

/// The endpoints a run talks to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoints {
    /// The authorization endpoint (browser-facing).
    pub authorization: Option<Url>,
    /// The token endpoint.
    pub token: Option<Url>,
    /// The RFC 7009 revocation endpoint.
    pub revocation: Option<Url>,
    /// The RFC 7662 introspection endpoint (optional everywhere: an
    /// `introspect` step is skipped without it).
    pub introspection: Option<Url>,
    /// The RFC 7591 registration endpoint.
    pub registration: Option<Url>,
}

/// A metadata member that is not a URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("metadata {member}: {value:?} is not an absolute URL")]
pub struct EndpointError {
    /// The member (`mtls_endpoint_aliases.token_endpoint`).
    pub member: &'static str,
    /// The value published.
    pub value: String,
}

fn parse(member: &'static str, value: Option<&String>) -> Result<Option<Url>, EndpointError> {
    value
        .map(|text| {
            Url::parse(text).map_err(|_| EndpointError {
                member,
                value: text.clone(),
            })
        })
        .transpose()
}

impl Endpoints {
    /// The endpoints published in metadata; with `mtls` the RFC 8705 §5
    /// aliases win over the plain endpoints where published.
    ///
    /// # Errors
    /// [`EndpointError`] naming the member whose value is not a URL.
    pub fn from_metadata(
        metadata: &AuthorizationServerMetadata,
        mtls: bool,
    ) -> Result<Self, EndpointError> {
        let aliases = metadata.mtls_endpoint_aliases.as_ref().filter(|_| mtls);
        let alias =
            |pick: fn(&psd2_wire::MtlsEndpointAliases) -> Option<&String>| aliases.and_then(pick);
        let token = match alias(|a| a.token_endpoint.as_ref()) {
            Some(value) => parse("mtls_endpoint_aliases.token_endpoint", Some(value))?,
            None => parse("token_endpoint", metadata.token_endpoint.as_ref())?,
        };
        let revocation = match alias(|a| a.revocation_endpoint.as_ref()) {
            Some(value) => parse("mtls_endpoint_aliases.revocation_endpoint", Some(value))?,
            None => parse("revocation_endpoint", metadata.revocation_endpoint.as_ref())?,
        };
        let introspection = match alias(|a| a.introspection_endpoint.as_ref()) {
            Some(value) => parse("mtls_endpoint_aliases.introspection_endpoint", Some(value))?,
            None => parse(
                "introspection_endpoint",
                metadata.introspection_endpoint.as_ref(),
            )?,
        };
        let registration = match alias(|a| a.registration_endpoint.as_ref()) {
            Some(value) => parse("mtls_endpoint_aliases.registration_endpoint", Some(value))?,
            None => parse(
                "registration_endpoint",
                metadata.registration_endpoint.as_ref(),
            )?,
        };
        Ok(Self {
            authorization: parse(
                "authorization_endpoint",
                metadata.authorization_endpoint.as_ref(),
            )?,
            token,
            revocation,
            introspection,
            registration,
        })
    }

    /// These endpoints with every endpoint set in `explicit` replacing its
    /// counterpart (the target file has the last word).
    #[must_use]
    pub fn overridden_by(self, explicit: &Endpoints) -> Self {
        Self {
            authorization: explicit.authorization.clone().or(self.authorization),
            token: explicit.token.clone().or(self.token),
            revocation: explicit.revocation.clone().or(self.revocation),
            introspection: explicit.introspection.clone().or(self.introspection),
            registration: explicit.registration.clone().or(self.registration),
        }
    }
}

/// The RFC 8414 §3.1 metadata URL of an issuer: the well-known segment is
/// inserted between the host and the issuer's path.
///
/// ```
/// use psd2_conformance::target::metadata_url;
/// let issuer = url::Url::parse("https://bank.example/tenant/a").unwrap();
/// assert_eq!(
///     metadata_url(&issuer).as_str(),
///     "https://bank.example/.well-known/oauth-authorization-server/tenant/a"
/// );
/// ```
#[must_use]
pub fn metadata_url(issuer: &Url) -> Url {
    let path = issuer.path().trim_end_matches('/');
    let mut url = issuer.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_win_only_for_mtls() {
        let mut metadata = AuthorizationServerMetadata::new("https://as.example".to_owned());
        metadata.token_endpoint = Some("https://as.example/token".to_owned());
        metadata.authorization_endpoint = Some("https://as.example/authorize".to_owned());
        metadata.mtls_endpoint_aliases = Some(psd2_wire::MtlsEndpointAliases {
            token_endpoint: Some("https://mtls.as.example/token".to_owned()),
            ..psd2_wire::MtlsEndpointAliases::default()
        });
        let mtls = Endpoints::from_metadata(&metadata, true).unwrap();
        assert_eq!(
            mtls.token.unwrap().as_str(),
            "https://mtls.as.example/token"
        );
        let plain = Endpoints::from_metadata(&metadata, false).unwrap();
        assert_eq!(plain.token.unwrap().as_str(), "https://as.example/token");
    }

    #[test]
    fn a_bad_member_is_named() {
        let mut metadata = AuthorizationServerMetadata::new("https://as.example".to_owned());
        metadata.revocation_endpoint = Some("not a url".to_owned());
        let error = Endpoints::from_metadata(&metadata, true).unwrap_err();
        assert_eq!(error.member, "revocation_endpoint");
    }

    #[test]
    fn issuer_without_path() {
        let issuer = Url::parse("https://127.0.0.1:8443").unwrap();
        assert_eq!(
            metadata_url(&issuer).as_str(),
            "https://127.0.0.1:8443/.well-known/oauth-authorization-server"
        );
    }
}
