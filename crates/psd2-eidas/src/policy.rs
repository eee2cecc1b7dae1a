//! Questions a bank asks of a certificate, named for what the certificate can
//! tell: it *declares* a QWAC; whether its CA is qualified is a Trusted List
//! fact this crate cannot know.

use std::collections::{BTreeMap, HashMap};

use psd2_core::{ClientId, Psd2Role};

use crate::certificate::Psd2Certificate;
use crate::org_id::{OrganizationIdentifier, PsdAuthorisation};
use crate::qc::QcType;

/// How a `client_id` may be tied to a certificate's organizationIdentifier.
///
/// There is no "bare authorisation number" mode: two regulators can issue the
/// same number, so a number alone must go through a [`ClientRegistry`] that
/// knows which NCA it belongs to.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum MatchPolicy<'r> {
    /// The `client_id` is the whole organizationIdentifier, character for
    /// character (the STET convention: `client_id = PSDFR-ACPR-12345`).
    Direct,
    /// As `Direct`, or the registry maps the `client_id` to the (country,
    /// NCA, number) triple that the certificate's organizationIdentifier holds.
    Registry(&'r dyn ClientRegistry),
}

impl std::fmt::Debug for MatchPolicy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MatchPolicy::Direct => f.write_str("Direct"),
            MatchPolicy::Registry(_) => f.write_str("Registry(..)"),
        }
    }
}

/// A bank's own knowledge of which authorisation a `client_id` stands for
/// (from its registration records or an NCA register).
pub trait ClientRegistry {
    /// The authorisation registered for this client, if any.
    fn authorisation_of(&self, client: &ClientId) -> Option<PsdAuthorisation>;
}

impl<S: std::hash::BuildHasher> ClientRegistry for HashMap<ClientId, PsdAuthorisation, S> {
    fn authorisation_of(&self, client: &ClientId) -> Option<PsdAuthorisation> {
        self.get(client).cloned()
    }
}

impl ClientRegistry for BTreeMap<ClientId, PsdAuthorisation> {
    fn authorisation_of(&self, client: &ClientId) -> Option<PsdAuthorisation> {
        self.get(client).cloned()
    }
}

/// The outcome of [`Psd2Certificate::matches_client`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub enum ClientMatch {
    /// `client_id` equals the whole organizationIdentifier.
    WholeIdentifier,
    /// The registry's triple for `client_id` equals the certificate's.
    RegisteredAuthorisation,
    /// No tie between the two: reject the request (`invalid_client`).
    NoMatch,
}

impl ClientMatch {
    /// Whether the client is tied to the certificate.
    #[must_use]
    pub fn is_match(self) -> bool {
        !matches!(self, ClientMatch::NoMatch)
    }
}

impl Psd2Certificate {
    /// The certificate *declares* itself a QWAC: QcCompliance and QcType web.
    /// Whether the issuer may issue qualified certificates is for the
    /// caller's Trusted List check.
    #[must_use]
    pub fn declares_qwac(&self) -> bool {
        self.declares_qualified(&QcType::Web)
    }

    /// The certificate *declares* itself a QSealC: QcCompliance and QcType eseal.
    #[must_use]
    pub fn declares_qsealc(&self) -> bool {
        self.declares_qualified(&QcType::Eseal)
    }

    fn declares_qualified(&self, qc_type: &QcType) -> bool {
        self.qc_statements()
            .is_some_and(|qc| qc.compliance && qc.qc_types.contains(qc_type))
    }

    /// Whether the PSD2 statement carries `role`, compared by OID (a name
    /// that disagrees with its OID does not count, see
    /// [`Finding::RoleNameMismatch`](crate::Finding::RoleNameMismatch)).
    #[must_use]
    pub fn has_role(&self, role: &Psd2Role) -> bool {
        match role {
            Psd2Role::Other { oid, .. } => self.roles().any(|carried| carried.oid() == oid),
            known => self.roles().any(|carried| carried == known),
        }
    }

    /// Whether the extKeyUsage extension lists `purpose`.
    #[must_use]
    pub fn has_extended_key_usage(&self, purpose: const_oid::ObjectIdentifier) -> bool {
        self.extended_key_usage().contains(&purpose)
    }

    /// Whether this certificate authenticates `client` under `policy`, using
    /// the first organizationIdentifier.
    pub fn matches_client(&self, client: &ClientId, policy: MatchPolicy<'_>) -> ClientMatch {
        let Some(organization_identifier) = self.organization_identifier() else {
            return ClientMatch::NoMatch;
        };
        if client.as_str() == organization_identifier.as_str() {
            return ClientMatch::WholeIdentifier;
        }
        match policy {
            MatchPolicy::Direct => ClientMatch::NoMatch,
            MatchPolicy::Registry(registry) => {
                match (registry.authorisation_of(client), organization_identifier) {
                    (Some(registered), OrganizationIdentifier::Psd(carried))
                        if registered == *carried =>
                    {
                        ClientMatch::RegisteredAuthorisation
                    }
                    _ => ClientMatch::NoMatch,
                }
            }
        }
    }

    /// Whether the organizationIdentifier holds this (country, NCA, number) triple.
    #[must_use]
    pub fn matches_authorisation(&self, authorisation: &PsdAuthorisation) -> bool {
        self.organization_identifier()
            .and_then(OrganizationIdentifier::psd)
            .is_some_and(|carried| carried == authorisation)
    }
}
