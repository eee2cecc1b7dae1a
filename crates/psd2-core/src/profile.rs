//! Bank profiles as data: the parameters of RULES.md ("Profile parameters"),
//! with defaults per profile and overrides from a target configuration.
//!
//! Every crate reads profile behaviour from here, never from a `match` on the
//! profile name: adding a bank means adding data.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{FlowId, Psd2Role, Scope, ScopeError, ScopeSet, Service};

/// The profiles the toolkit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProfileId {
    /// ConnectPay "Generate authCode via API (PSD2 flow)".
    #[serde(rename = "connectpay")]
    ConnectPay,
    /// Euro-Information (CIC, Monabanq, BECM, CREATIS): STET plus its own rules.
    EuroInformation,
    /// A generic bank "Authorization API" on RFC 6749 with client secrets.
    Generic,
    /// An ASPSP implementing STET PSD2 API v1.4.2.
    Stet,
}

impl ProfileId {
    /// Every profile, in name order.
    pub const ALL: [ProfileId; 4] = [
        ProfileId::ConnectPay,
        ProfileId::EuroInformation,
        ProfileId::Generic,
        ProfileId::Stet,
    ];

    /// The name used in configuration files and on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ProfileId::ConnectPay => "connectpay",
            ProfileId::EuroInformation => "euro-information",
            ProfileId::Generic => "generic",
            ProfileId::Stet => "stet",
        }
    }
}

impl fmt::Display for ProfileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ProfileId {
    type Err = ProfileError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProfileId::ALL
            .into_iter()
            .find(|profile| profile.name() == s)
            .ok_or_else(|| ProfileError::UnknownProfile(s.to_owned()))
    }
}

/// Errors building a profile from configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// Not one of `connectpay`, `euro-information`, `generic`, `stet`.
    #[error("profile: {0:?} is not one of connectpay, euro-information, generic, stet")]
    UnknownProfile(String),
    /// A scope value in an override broke the RFC 6749 §3.3 grammar.
    #[error("profile override {field}: {source}")]
    Scope {
        /// The override key.
        field: &'static str,
        /// The grammar error.
        source: ScopeError,
    },
}

/// How the authorization server compares a redirect URI with the registered ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum RedirectMatching {
    /// Simple string comparison (RFC 9700 §2.1, RFC 6749 §3.1.2.3), except the
    /// port of a loopback URI (RFC 8252 §7.3).
    Exact,
    /// Only the host name is compared (ConnectPay's documented deviation).
    HostOnly,
}

/// Client authentication methods at the token endpoint (IANA "OAuth Token
/// Endpoint Authentication Methods").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// RFC 6749 §2.3.1, HTTP Basic.
    ClientSecretBasic,
    /// RFC 6749 §2.3.1, in the form body.
    ClientSecretPost,
    /// Public client (RFC 7591 §2 `none`).
    None,
    /// RFC 7523 §2.2.
    PrivateKeyJwt,
    /// RFC 8705 §2.2.
    SelfSignedTlsClientAuth,
    /// RFC 8705 §2.1: PKI mutual TLS.
    TlsClientAuth,
}

/// Which PSD2 role a certificate needs for which scope: the one table every
/// crate uses (RULES.md A-15; an STET / Euro-Information convention, not a
/// part of ETSI TS 119 495).
///
/// ```
/// use psd2_core::{Psd2Role, RoleScopeMap, ScopeSet};
/// let table = RoleScopeMap::stet();
/// let cbpii: ScopeSet = "cbpii".parse()?;
/// assert!(table.allows(&[Psd2Role::PspIc], &cbpii));
/// assert!(!table.allows(&[Psd2Role::PspAi], &cbpii));
/// // A scope no row mentions is not a role question.
/// let other: ScopeSet = "openid".parse()?;
/// assert!(table.allows(&[], &other));
/// # Ok::<(), psd2_core::ScopeError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleScopeMap(Vec<(Psd2Role, ScopeSet)>);

impl RoleScopeMap {
    /// A table from rows.
    #[must_use]
    pub fn new(rows: Vec<(Psd2Role, ScopeSet)>) -> Self {
        Self(rows)
    }

    /// The STET / Euro-Information table: PSP_AI → `aisp`,
    /// `extended_transaction_history`; PSP_PI → `pisp`; PSP_IC → `cbpii`.
    #[must_use]
    pub fn stet() -> Self {
        let set = |scopes: &[Scope]| scopes.iter().cloned().collect::<ScopeSet>();
        Self(vec![
            (
                Psd2Role::PspAi,
                set(&[Scope::aisp(), Scope::extended_transaction_history()]),
            ),
            (Psd2Role::PspPi, set(&[Scope::pisp()])),
            (Psd2Role::PspIc, set(&[Scope::cbpii()])),
        ])
    }

    /// The rows.
    #[must_use]
    pub fn rows(&self) -> &[(Psd2Role, ScopeSet)] {
        &self.0
    }

    /// Whether the table has no rows (the profile does not tie scopes to roles).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every scope the given roles may ask for.
    #[must_use]
    pub fn scopes_for(&self, roles: &[Psd2Role]) -> ScopeSet {
        self.0
            .iter()
            .filter(|(role, _)| roles.contains(role))
            .fold(ScopeSet::new(), |acc, (_, scopes)| acc.union(scopes))
    }

    /// The roles that grant a scope (empty if no row mentions it).
    #[must_use]
    pub fn roles_for(&self, scope: &Scope) -> Vec<Psd2Role> {
        self.0
            .iter()
            .filter(|(_, scopes)| scopes.contains(scope.as_str()))
            .map(|(role, _)| role.clone())
            .collect()
    }

    /// Whether every scope that some row governs is granted by one of `roles`.
    /// Scopes no row mentions are left to other rules.
    #[must_use]
    pub fn allows(&self, roles: &[Psd2Role], scopes: &ScopeSet) -> bool {
        let permitted = self.scopes_for(roles);
        scopes
            .iter()
            .all(|scope| self.roles_for(scope).is_empty() || permitted.contains(scope.as_str()))
    }
}

/// The scope a protected resource of each PSD2 service requires (RULES.md
/// CORE-RS-04, STET-RS-04, CP-RS-02: a token of one service must not open
/// another's resources).
///
/// ```
/// use psd2_core::{ServiceScopes, Service};
/// let stet = ServiceScopes::stet();
/// assert_eq!(stet.scope_for(Service::PaymentInitiation).map(|s| s.as_str()), Some("pisp"));
/// assert_eq!(ServiceScopes::connectpay().scope_for(Service::FundsConfirmation), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceScopes(Vec<(Service, Scope)>);

impl ServiceScopes {
    /// The sandbox's generic bank: `accounts`, `payments`, `funds-confirmation`.
    #[must_use]
    pub fn generic() -> Self {
        let scope = |name: &str| Scope(name.to_owned());
        Self(vec![
            (Service::AccountInformation, scope("accounts")),
            (Service::PaymentInitiation, scope("payments")),
            (Service::FundsConfirmation, scope("funds-confirmation")),
        ])
    }

    /// STET and Euro-Information: `aisp`, `pisp`, `cbpii`.
    #[must_use]
    pub fn stet() -> Self {
        Self(vec![
            (Service::AccountInformation, Scope::aisp()),
            (Service::PaymentInitiation, Scope::pisp()),
            (Service::FundsConfirmation, Scope::cbpii()),
        ])
    }

    /// ConnectPay: `psd2-ais`, `psd2-pis` (no funds confirmation service).
    #[must_use]
    pub fn connectpay() -> Self {
        Self(vec![
            (Service::AccountInformation, Scope::psd2_ais()),
            (Service::PaymentInitiation, Scope::psd2_pis()),
        ])
    }

    /// The scope a service's resources require, if the profile offers it.
    #[must_use]
    pub fn scope_for(&self, service: Service) -> Option<&Scope> {
        self.0
            .iter()
            .find(|(candidate, _)| *candidate == service)
            .map(|(_, scope)| scope)
    }

    /// Sets (or adds) the scope of a service.
    pub fn set(&mut self, service: Service, scope: Scope) {
        match self
            .0
            .iter_mut()
            .find(|(candidate, _)| *candidate == service)
        {
            Some(row) => row.1 = scope,
            None => self.0.push((service, scope)),
        }
    }

    /// Every (service, scope) row.
    #[must_use]
    pub fn rows(&self) -> &[(Service, Scope)] {
        &self.0
    }
}

/// Which scopes a bank accepts for each way of obtaining a token; `None`
/// means bank-defined (anything the bank documents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedScopes {
    /// At the authorization endpoint (authorization-code grant).
    pub authorize: Option<ScopeSet>,
    /// For the client-credentials grant.
    pub client_credentials: Option<ScopeSet>,
    /// For the refresh-token grant.
    pub refresh: Option<ScopeSet>,
}

/// The parameters of one bank profile.
///
/// Build it with [`ProfileData::defaults`], then apply a target's
/// [`ProfileOverrides`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileData {
    /// Which profile these parameters started from.
    pub profile: ProfileId,
    /// The query parameter carrying the redirect URI (`redirect_uri`, or
    /// ConnectPay's `redirect_url`).
    pub redirect_param: String,
    /// How the redirect URI is matched.
    pub redirect_matching: RedirectMatching,
    /// ConnectPay's `flowId` value, sent with every authorization request.
    pub flow_id: Option<FlowId>,
    /// Allowed scopes per grant.
    pub allowed_scopes: AllowedScopes,
    /// Scopes that cannot be combined with any scope outside this set in one
    /// request (ConnectPay: PSD2 scopes cannot be mixed with proprietary ones).
    pub exclusive_scopes: Option<ScopeSet>,
    /// Which certificate role grants which scope.
    pub role_scopes: RoleScopeMap,
    /// Which scope a resource of each service requires.
    pub service_scopes: ServiceScopes,
    /// Longest accepted authorization code lifetime (RFC 6749 §4.1.2
    /// recommends at most 10 minutes; ConnectPay documents 24 hours).
    pub code_ttl_max: Duration,
    /// How long after the PSU's last strong customer authentication a refresh
    /// may still succeed (180 days: Delegated Regulation (EU) 2022/2360,
    /// RTS Art. 10a).
    pub sca_renewal_window: Duration,
    /// How long a refresh token lives, when the bank documents it (seed 2:
    /// "a 90-day valid refresh token"); `None` when it does not. It cannot
    /// usefully exceed [`ProfileData::sca_renewal_window`].
    pub refresh_token_lifetime: Option<Duration>,
    /// The documented default scope of the authorization endpoint, if any.
    pub default_scope: Option<ScopeSet>,
    /// The documented default scope of the client-credentials grant, if any.
    pub client_credentials_default_scope: Option<ScopeSet>,
    /// How long a revocation may take to reach the resource servers
    /// (RFC 7009 §2.2).
    pub revocation_propagation_delay: Duration,
    /// How clients authenticate at the token endpoint.
    pub token_endpoint_auth: Vec<ClientAuthMethod>,
    /// Whether the `client_id` must equal the QWAC's organizationIdentifier
    /// (RULES.md A-16).
    pub client_id_is_orgid: bool,
    /// The origin the consent pages must be served from (ConnectPay's Auth Web App).
    pub consent_origin: Option<String>,
}

const TEN_MINUTES: Duration = Duration::from_secs(600);
const ONE_DAY: Duration = Duration::from_secs(86_400);

impl ProfileData {
    /// The documented defaults of a profile.
    #[must_use]
    pub fn defaults(profile: ProfileId) -> Self {
        let set = |scopes: &[Scope]| Some(scopes.iter().cloned().collect::<ScopeSet>());
        let generic = Self {
            profile,
            redirect_param: "redirect_uri".to_owned(),
            redirect_matching: RedirectMatching::Exact,
            flow_id: None,
            allowed_scopes: AllowedScopes::default(),
            exclusive_scopes: None,
            role_scopes: RoleScopeMap::default(),
            service_scopes: ServiceScopes::generic(),
            code_ttl_max: TEN_MINUTES,
            sca_renewal_window: ONE_DAY * 180,
            refresh_token_lifetime: None,
            default_scope: None,
            client_credentials_default_scope: None,
            revocation_propagation_delay: Duration::ZERO,
            token_endpoint_auth: vec![
                ClientAuthMethod::ClientSecretBasic,
                ClientAuthMethod::TlsClientAuth,
            ],
            client_id_is_orgid: false,
            consent_origin: None,
        };
        match profile {
            ProfileId::Generic => generic,
            ProfileId::Stet => Self {
                allowed_scopes: AllowedScopes {
                    authorize: set(&[
                        Scope::aisp(),
                        Scope::extended_transaction_history(),
                        Scope::cbpii(),
                    ]),
                    client_credentials: set(&[Scope::pisp()]),
                    refresh: None,
                },
                role_scopes: RoleScopeMap::stet(),
                service_scopes: ServiceScopes::stet(),
                token_endpoint_auth: vec![ClientAuthMethod::TlsClientAuth],
                ..generic
            },
            ProfileId::EuroInformation => Self {
                allowed_scopes: AllowedScopes {
                    authorize: set(&[
                        Scope::aisp(),
                        Scope::extended_transaction_history(),
                        Scope::cbpii(),
                    ]),
                    client_credentials: set(&[Scope::pisp()]),
                    refresh: set(&[Scope::aisp(), Scope::cbpii()]),
                },
                role_scopes: RoleScopeMap::stet(),
                service_scopes: ServiceScopes::stet(),
                token_endpoint_auth: vec![ClientAuthMethod::TlsClientAuth],
                ..generic
            },
            ProfileId::ConnectPay => Self {
                redirect_param: "redirect_url".to_owned(),
                redirect_matching: RedirectMatching::HostOnly,
                flow_id: Some(FlowId::get_psd2_auth_code()),
                exclusive_scopes: set(&[Scope::psd2_ais(), Scope::psd2_pis()]),
                service_scopes: ServiceScopes::connectpay(),
                code_ttl_max: ONE_DAY,
                // The seed documents no token-endpoint authentication: the
                // target configuration must say.
                token_endpoint_auth: Vec::new(),
                ..generic
            },
        }
    }

    /// The defaults of `profile` with `overrides` applied.
    ///
    /// # Errors
    /// [`ProfileError::Scope`] when an override holds a malformed scope.
    pub fn with_overrides(
        profile: ProfileId,
        overrides: &ProfileOverrides,
    ) -> Result<Self, ProfileError> {
        let mut data = Self::defaults(profile);
        overrides.apply(&mut data)?;
        Ok(data)
    }
}

/// Overrides of profile parameters from a target configuration (TOML table
/// `[profile]`). Unknown keys are an error that names the key.
///
/// ```
/// use psd2_core::{ProfileData, ProfileId, ProfileOverrides};
/// let overrides: ProfileOverrides = toml::from_str(r#"
///     code_ttl_max_secs = 60
///     default_scope = "aisp"
///     sca_renewal_window_days = 90
/// "#).unwrap();
/// let data = ProfileData::with_overrides(ProfileId::Stet, &overrides)?;
/// assert_eq!(data.code_ttl_max.as_secs(), 60);
/// assert_eq!(data.sca_renewal_window.as_secs(), 90 * 86_400);
/// # Ok::<(), psd2_core::ProfileError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileOverrides {
    /// See [`ProfileData::redirect_param`].
    pub redirect_param: Option<String>,
    /// See [`ProfileData::redirect_matching`].
    pub redirect_matching: Option<RedirectMatching>,
    /// See [`ProfileData::flow_id`].
    pub flow_id: Option<String>,
    /// Scopes accepted at the authorization endpoint.
    pub authorize_scopes: Option<String>,
    /// Scopes accepted for client credentials.
    pub client_credentials_scopes: Option<String>,
    /// Scopes accepted on refresh.
    pub refresh_scopes: Option<String>,
    /// See [`ProfileData::exclusive_scopes`].
    pub exclusive_scopes: Option<String>,
    /// Role to space-separated scopes, e.g. `{ PSP_AI = "aisp" }`.
    pub role_scopes: Option<std::collections::BTreeMap<Psd2Role, String>>,
    /// Service to the scope its resources require, e.g.
    /// `{ account-information = "accounts" }`.
    pub service_scopes: Option<std::collections::BTreeMap<Service, String>>,
    /// See [`ProfileData::code_ttl_max`], in seconds.
    pub code_ttl_max_secs: Option<u64>,
    /// See [`ProfileData::sca_renewal_window`], in days.
    pub sca_renewal_window_days: Option<u64>,
    /// See [`ProfileData::refresh_token_lifetime`], in days.
    pub refresh_token_lifetime_days: Option<u64>,
    /// See [`ProfileData::default_scope`].
    pub default_scope: Option<String>,
    /// See [`ProfileData::client_credentials_default_scope`].
    pub client_credentials_default_scope: Option<String>,
    /// See [`ProfileData::revocation_propagation_delay`], in seconds.
    pub revocation_propagation_delay_secs: Option<u64>,
    /// See [`ProfileData::token_endpoint_auth`].
    pub token_endpoint_auth: Option<Vec<ClientAuthMethod>>,
    /// See [`ProfileData::client_id_is_orgid`].
    pub client_id_is_orgid: Option<bool>,
    /// See [`ProfileData::consent_origin`].
    pub consent_origin: Option<String>,
}

fn scopes(field: &'static str, value: &str) -> Result<ScopeSet, ProfileError> {
    ScopeSet::parse(value).map_err(|source| ProfileError::Scope { field, source })
}

impl ProfileOverrides {
    /// Applies every override that is set.
    ///
    /// # Errors
    /// [`ProfileError::Scope`] naming the override with a malformed scope.
    pub fn apply(&self, data: &mut ProfileData) -> Result<(), ProfileError> {
        if let Some(value) = &self.redirect_param {
            data.redirect_param.clone_from(value);
        }
        if let Some(value) = self.redirect_matching {
            data.redirect_matching = value;
        }
        if let Some(value) = &self.flow_id {
            data.flow_id = Some(FlowId(value.clone()));
        }
        if let Some(value) = &self.authorize_scopes {
            data.allowed_scopes.authorize = Some(scopes("authorize_scopes", value)?);
        }
        if let Some(value) = &self.client_credentials_scopes {
            data.allowed_scopes.client_credentials =
                Some(scopes("client_credentials_scopes", value)?);
        }
        if let Some(value) = &self.refresh_scopes {
            data.allowed_scopes.refresh = Some(scopes("refresh_scopes", value)?);
        }
        if let Some(value) = &self.exclusive_scopes {
            data.exclusive_scopes = Some(scopes("exclusive_scopes", value)?);
        }
        if let Some(table) = &self.role_scopes {
            let mut rows = Vec::with_capacity(table.len());
            for (role, value) in table {
                rows.push((role.clone(), scopes("role_scopes", value)?));
            }
            data.role_scopes = RoleScopeMap::new(rows);
        }
        if let Some(table) = &self.service_scopes {
            for (service, value) in table {
                let scope = Scope::new(value.clone()).map_err(|source| ProfileError::Scope {
                    field: "service_scopes",
                    source,
                })?;
                data.service_scopes.set(*service, scope);
            }
        }
        if let Some(secs) = self.code_ttl_max_secs {
            data.code_ttl_max = Duration::from_secs(secs);
        }
        if let Some(days) = self.sca_renewal_window_days {
            data.sca_renewal_window = ONE_DAY * u32::try_from(days).unwrap_or(u32::MAX);
        }
        if let Some(days) = self.refresh_token_lifetime_days {
            data.refresh_token_lifetime = Some(ONE_DAY * u32::try_from(days).unwrap_or(u32::MAX));
        }
        if let Some(value) = &self.default_scope {
            data.default_scope = Some(scopes("default_scope", value)?);
        }
        if let Some(value) = &self.client_credentials_default_scope {
            data.client_credentials_default_scope =
                Some(scopes("client_credentials_default_scope", value)?);
        }
        if let Some(secs) = self.revocation_propagation_delay_secs {
            data.revocation_propagation_delay = Duration::from_secs(secs);
        }
        if let Some(value) = &self.token_endpoint_auth {
            data.token_endpoint_auth.clone_from(value);
        }
        if let Some(value) = self.client_id_is_orgid {
            data.client_id_is_orgid = value;
        }
        if let Some(value) = &self.consent_origin {
            data.consent_origin = Some(value.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for profile in ProfileId::ALL {
            assert_eq!(profile.name().parse::<ProfileId>(), Ok(profile));
        }
        assert!("bank".parse::<ProfileId>().is_err());
    }

    #[test]
    fn documented_defaults() {
        let cp = ProfileData::defaults(ProfileId::ConnectPay);
        assert_eq!(cp.redirect_param, "redirect_url");
        assert_eq!(cp.redirect_matching, RedirectMatching::HostOnly);
        assert_eq!(cp.code_ttl_max, Duration::from_secs(86_400));
        let ei = ProfileData::defaults(ProfileId::EuroInformation);
        assert_eq!(
            ei.allowed_scopes.refresh.map(|s| s.to_string()).as_deref(),
            Some("aisp cbpii")
        );
        for profile in ProfileId::ALL {
            assert_eq!(
                ProfileData::defaults(profile).sca_renewal_window,
                Duration::from_secs(180 * 86_400)
            );
        }
    }

    #[test]
    fn unknown_override_key_is_named() {
        let err = toml::from_str::<ProfileOverrides>("code_ttl = 5")
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|message| message.contains("code_ttl")));
    }

    #[test]
    fn bad_scope_override_names_the_key() {
        let overrides = ProfileOverrides {
            default_scope: Some("a  b".to_owned()),
            ..ProfileOverrides::default()
        };
        let err = ProfileData::with_overrides(ProfileId::Generic, &overrides);
        assert!(matches!(
            err,
            Err(ProfileError::Scope {
                field: "default_scope",
                ..
            })
        ));
    }

    #[test]
    fn role_table_override() -> Result<(), ProfileError> {
        let overrides: ProfileOverrides = toml::from_str("[role_scopes]\nPSP_AI = \"accounts\"")
            .map_err(|_| ProfileError::UnknownProfile("toml".to_owned()))?;
        let data = ProfileData::with_overrides(ProfileId::Generic, &overrides)?;
        assert_eq!(
            data.role_scopes.scopes_for(&[Psd2Role::PspAi]).to_string(),
            "accounts"
        );
        Ok(())
    }
}
