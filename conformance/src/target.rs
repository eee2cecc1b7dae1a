//! The target: the bank (or the sandbox) under test, as described by a TOML
//! file — profile and overrides, issuer and endpoints, clients with their
//! certificates, the PSU, the consent driver and the capabilities that decide
//! which rules can run.
//!
//! [`Target::load`] reads the file, resolves paths relative to it, reads every
//! PEM file and environment variable it names, and fails with an error that
//! names the file and the key. [`template`] writes the commented starting
//! point of `psd2-conform init`.

mod endpoints;
mod error;
mod file;
mod load;
mod needs;
mod template;

use std::collections::BTreeMap;
use std::path::PathBuf;

use psd2_core::{ClientAuthMethod, ClientId, ProfileData, ScopeSet, Secret};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use url::Url;

pub use endpoints::{EndpointError, Endpoints, metadata_url};
pub use error::TargetError;
pub use template::template;

/// A loaded, validated target.
#[derive(Debug)]
#[non_exhaustive]
pub struct Target {
    /// The file it was loaded from.
    pub file: PathBuf,
    /// A name for reports.
    pub name: String,
    /// The profile's parameters with the file's `[profile]` overrides applied.
    pub profile: ProfileData,
    /// The issuer identifier (RFC 8414 §2); `--server` replaces it.
    pub issuer: Url,
    /// Whether endpoints come from RFC 8414 discovery (following
    /// `mtls_endpoint_aliases`); explicit endpoints override discovered ones.
    pub discovery: bool,
    /// Endpoints given in the file (`[server.endpoints]`).
    pub endpoints: Endpoints,
    /// Extra trust anchors for the bank's server certificates (sandboxes).
    pub ca_bundle: Vec<CertificateDer<'static>>,
    /// The registered clients the scenarios act as.
    pub clients: Clients,
    /// Named alternate certificates for negative tests (`expired`,
    /// `untrusted-ca`, ...), chosen by a step's `certificate`.
    pub certificates: BTreeMap<String, Identity>,
    /// The main client's registered redirect URIs.
    pub redirect: RedirectUris,
    /// How the PSU's login and consent are driven; `None`: no consent runs.
    pub consent: Option<ConsentDriver>,
    /// The PSU's credentials; `None`: no consent runs.
    pub psu: Option<PsuCredentials>,
    /// What the target lets the harness do beyond the plain flows.
    pub capabilities: Capabilities,
    /// The baseline of known deviations (`--baseline` overrides it).
    pub baseline: Option<PathBuf>,
    /// The scenario directory (`--scenarios` overrides it).
    pub scenarios: Option<PathBuf>,
}

/// The clients of a target.
#[derive(Debug)]
#[non_exhaustive]
pub struct Clients {
    /// The TPP every scenario uses unless a step says otherwise.
    pub main: Client,
    /// A second, unrelated TPP (`second_client`).
    pub second: Option<Client>,
    /// A client that may not use client_credentials (`grant_restricted_client`).
    pub grant_restricted: Option<Client>,
}

/// Which client of the target a step acts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClientRole {
    /// [`Clients::grant_restricted`].
    GrantRestricted,
    /// [`Clients::main`].
    Main,
    /// [`Clients::second`].
    Second,
}

impl ClientRole {
    /// The name used in scenario files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ClientRole::GrantRestricted => "grant_restricted",
            ClientRole::Main => "main",
            ClientRole::Second => "second",
        }
    }
}

impl Clients {
    /// The client playing `role`, if the target has one.
    #[must_use]
    pub fn get(&self, role: ClientRole) -> Option<&Client> {
        match role {
            ClientRole::GrantRestricted => self.grant_restricted.as_ref(),
            ClientRole::Main => Some(&self.main),
            ClientRole::Second => self.second.as_ref(),
        }
    }
}

/// A registered client and how it authenticates.
#[derive(Debug)]
#[non_exhaustive]
pub struct Client {
    /// Its `client_id`.
    pub client_id: ClientId,
    /// How it authenticates at the token, revocation and resource endpoints.
    pub auth: ClientAuthMethod,
    /// Its secret (`client_secret_basic` / `client_secret_post`).
    pub client_secret: Option<Secret<String>>,
    /// The TLS client certificate it presents (on mTLS listeners even a
    /// secret client needs one).
    pub identity: Option<Identity>,
    /// The scope it asks for when a step names none.
    pub scope: Option<ScopeSet>,
}

/// A certificate chain and its private key, read from PEM files.
#[derive(Debug)]
#[non_exhaustive]
pub struct Identity {
    /// The certificate file, for messages.
    pub certificate_file: PathBuf,
    /// The chain, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The private key.
    pub key: Secret<PrivateKeyDer<'static>>,
}

/// The main client's registered redirect URIs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedirectUris {
    /// The redirect URI every journey uses.
    pub registered: Url,
    /// A registered redirect URI with a query component (`query_redirect_uri`).
    pub with_query: Option<Url>,
}

/// How the PSU's login and consent pages are driven.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConsentDriver {
    /// Scripted form submissions: for each page whose form action contains
    /// `action_contains`, fill `fields` (`${username}`, `${password}`,
    /// `${otp}`, `${customer}` are replaced) and press `submit`.
    Form {
        /// The forms, in the order they appear.
        forms: Vec<FormFill>,
        /// The steps that refuse consent (`[[consent.deny]]`), run instead
        /// of `forms` when a scenario's PSU denies; `None` when the target
        /// has no such script, and a deny then cannot be driven.
        deny: Option<Vec<FormAction>>,
        /// The steps that grant strictly fewer scopes than asked
        /// (`[[consent.partial]]`), run instead of `forms` when a
        /// scenario's PSU grants partially; `None` when the bank's pages
        /// offer no such choice or the target does not script it: rules
        /// that need `partial_consent` are then skipped.
        partial: Option<Vec<FormAction>>,
    },
    /// Print the authorization URL; the tester pastes the final redirect URL,
    /// or a listener on a loopback redirect URI receives it.
    Manual {
        /// The loopback address to listen on, if any.
        listen: Option<String>,
    },
    /// The reference server's login and consent forms.
    Sandbox,
}

/// One scripted form of the `form` consent driver.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormFill {
    /// A substring of the form's `action` that picks it.
    pub action_contains: String,
    /// Field values to set (hidden inputs are kept as served).
    pub fields: BTreeMap<String, String>,
    /// The `name=value` of the submit button to press, if any.
    pub submit: Option<String>,
}

/// One step of the `form` consent driver's deny script.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormAction {
    /// Fill and submit a form, as a step of the grant script.
    Submit(FormFill),
    /// `GET` the `href` of the first link (`<a>`) of the current page whose
    /// `href` contains this text (a "cancel" or "abort" link).
    FollowLink {
        /// A substring of the link's `href` that picks it.
        href_contains: String,
    },
}

/// The PSU the consent driver signs in as.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PsuCredentials {
    /// Sign-in name.
    pub username: Secret<String>,
    /// Sign-in password.
    pub password: Secret<String>,
    /// A one-time password, for banks whose sandbox accepts a fixed one.
    pub otp: Option<Secret<String>>,
    /// The customer the PSU acts for.
    pub customer: Option<String>,
    /// A second customer of the same person (`multi_customer_psu`).
    pub other_customer: Option<String>,
}

/// What the target lets the harness do beyond the plain flows; matched
/// against the rules' needs ([`Target::unmet_need`]).
#[derive(Debug)]
#[non_exhaustive]
pub struct Capabilities {
    /// The bank's clock can be moved (sandbox hooks).
    pub clock_control: Option<ClockControl>,
    /// The bank's trust store accepts the tester's CA.
    pub tester_ca_trusted: bool,
    /// RFC 7591/7592 registration is exposed.
    pub dcr: bool,
    /// The run may wait for lifetimes to run out.
    pub wait: bool,
    /// Protected resource endpoints.
    pub resources: Resources,
    /// Pages and parameters to probe for open redirectors.
    pub probes: Vec<Probe>,
}

/// How to move the bank's clock.
#[derive(Debug)]
#[non_exhaustive]
pub struct ClockControl {
    /// The endpoint: an absolute URL, or a path on the origin of the (mTLS)
    /// token endpoint.
    pub url: EndpointRef,
    /// The certificate allowed to call it.
    pub identity: Identity,
}

/// Protected resource endpoints, one per PSD2 service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Resources {
    /// Account information.
    pub accounts: Option<EndpointRef>,
    /// Payment initiation.
    pub payments: Option<EndpointRef>,
    /// Funds confirmation.
    pub funds_confirmation: Option<EndpointRef>,
}

impl Resources {
    /// Whether no resource endpoint is configured.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.accounts.is_none() && self.payments.is_none() && self.funds_confirmation.is_none()
    }
}

/// A URL given absolutely, or as a path on the origin of the token endpoint
/// (whose port a sandbox only knows once it runs and metadata is read).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointRef {
    /// An absolute `https` URL.
    Absolute(Url),
    /// A path starting with `/`.
    Path(String),
}

impl EndpointRef {
    /// The absolute URL, with a path resolved against `token_endpoint`'s origin.
    #[must_use]
    pub fn resolve(&self, token_endpoint: &Url) -> Url {
        match self {
            EndpointRef::Absolute(url) => url.clone(),
            EndpointRef::Path(path) => {
                let mut url = token_endpoint.clone();
                url.set_query(None);
                url.set_fragment(None);
                url.set_path(path);
                url
            }
        }
    }
}

/// One open-redirector probe (`probe_urls`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Probe {
    /// A page of the authorization server.
    pub url: ProbeUrl,
    /// Parameters of that page that take a URL.
    pub parameters: Vec<String>,
}

/// Where a probed page is: an absolute URL, or a path (with any query) on
/// the issuer's origin, which an in-process sandbox only knows once it runs
/// (`--server`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProbeUrl {
    /// An absolute `http(s)` URL.
    Absolute(Url),
    /// A path starting with a single `/`, optionally with a query.
    Path(String),
}

impl ProbeUrl {
    /// The absolute URL of the page, a path resolved against the origin of
    /// `issuer` (the issuer's own path, query and fragment are dropped).
    ///
    /// # Errors
    /// The URL parser's error when the path does not make a URL on that
    /// origin.
    pub fn resolve(&self, issuer: &Url) -> Result<Url, url::ParseError> {
        match self {
            ProbeUrl::Absolute(url) => Ok(url.clone()),
            ProbeUrl::Path(path) => issuer.join(path),
        }
    }
}

impl Target {
    /// Replaces the issuer (`--server URL`): the in-process sandbox only
    /// knows its ports once it runs.
    pub fn set_issuer(&mut self, issuer: Url) {
        self.issuer = issuer;
    }
}
