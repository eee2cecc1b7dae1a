//! What the sandbox is started with: profile, PKI, registered clients, test
//! PSUs, faults and limits. Files are TOML; unknown keys are errors that
//! name the key and the file.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use psd2_core::{
    ClientId, CustomerId, CustomerKind, GrantType, PersonId, ProfileData, ScopeSet, Secret,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer};
use serde::Deserialize;

use crate::error::StartError;
use crate::faults::FaultSet;
use crate::server::Limits;

/// Everything [`crate::Sandbox::start`] needs.
#[derive(Debug)]
pub struct SandboxConfig {
    /// The bank profile the sandbox behaves as.
    pub profile: ProfileData,
    /// Port of the browser-facing listener on 127.0.0.1 (0 = any free port).
    pub browser_port: u16,
    /// Port of the mTLS listener on 127.0.0.1 (0 = any free port).
    pub mtls_port: u16,
    /// Server identity, client CA and CRLs.
    pub pki: Pki,
    /// Registered OAuth clients.
    pub clients: Vec<ClientRegistration>,
    /// Test PSUs: persons, the customers they act for, their accounts.
    pub psus: PsuDirectory,
    /// Misbehaviours switched on.
    pub faults: FaultSet,
    /// Bounds on slow or large requests.
    pub limits: Limits,
    /// Lifetimes of what the server issues.
    pub lifetimes: Lifetimes,
}

/// Lifetimes of codes, tokens and sessions.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Authorization codes (at most the profile's `code_ttl_max`).
    pub code: Duration,
    /// Access tokens.
    pub access_token: Duration,
    /// Browser sessions of the consent pages.
    pub consent_session: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            code: Duration::from_secs(60),
            access_token: Duration::from_secs(600),
            consent_session: Duration::from_secs(900),
        }
    }
}

/// Binds only ever go to loopback.
pub(crate) fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// The server's TLS identity and what it trusts for client certificates.
pub struct Pki {
    /// Server certificate chain, leaf first (SAN 127.0.0.1 and localhost).
    pub server_chain: Vec<CertificateDer<'static>>,
    /// Server private key.
    pub server_key: PrivateKeyDer<'static>,
    /// The CA client certificates must chain to (the fixture QTSP CA).
    pub client_ca: CertificateDer<'static>,
    /// CRLs of that CA.
    pub client_crls: Vec<CertificateRevocationListDer<'static>>,
    /// The certificate allowed to use the admin endpoints (clock control).
    pub admin_certificate: CertificateDer<'static>,
}

impl std::fmt::Debug for Pki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key never reaches a log.
        f.debug_struct("Pki")
            .field("server_chain", &self.server_chain.len())
            .field("client_crls", &self.client_crls.len())
            .finish_non_exhaustive()
    }
}

impl Pki {
    /// Reads PEM inputs.
    ///
    /// # Errors
    /// [`StartError::Pem`] naming the input that held no usable object.
    pub fn from_pem(
        server_chain: &[u8],
        server_key: &[u8],
        client_ca: &[u8],
        client_crls: &[&[u8]],
        admin_certificate: &[u8],
    ) -> Result<Self, StartError> {
        let chain = certificates("server certificate chain", server_chain)?;
        let key = PrivateKeyDer::from_pem_slice(server_key).map_err(|error| StartError::Pem {
            what: "server private key",
            message: error.to_string(),
        })?;
        let ca = first_certificate("client CA", client_ca)?;
        let mut crls = Vec::with_capacity(client_crls.len());
        for pem in client_crls {
            let crl = CertificateRevocationListDer::from_pem_slice(pem).map_err(|error| {
                StartError::Pem {
                    what: "client CA CRL",
                    message: error.to_string(),
                }
            })?;
            crls.push(crl);
        }
        let admin = first_certificate("admin certificate", admin_certificate)?;
        Ok(Self {
            server_chain: chain,
            server_key: key,
            client_ca: ca,
            client_crls: crls,
            admin_certificate: admin,
        })
    }
}

fn certificates(
    what: &'static str,
    pem: &[u8],
) -> Result<Vec<CertificateDer<'static>>, StartError> {
    let mut out = Vec::new();
    for item in CertificateDer::pem_slice_iter(pem) {
        out.push(item.map_err(|error| StartError::Pem {
            what,
            message: error.to_string(),
        })?);
    }
    if out.is_empty() {
        return Err(StartError::Pem {
            what,
            message: "no CERTIFICATE block".to_owned(),
        });
    }
    Ok(out)
}

fn first_certificate(
    what: &'static str,
    pem: &[u8],
) -> Result<CertificateDer<'static>, StartError> {
    certificates(what, pem).map(|mut chain| chain.swap_remove(0))
}

/// How a registered client authenticates at the token, revocation and
/// resource endpoints.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ClientAuth {
    /// RFC 8705 §2.1: the certificate's organizationIdentifier must equal this
    /// value (RULES.md A-16: the identifier registered for the client).
    TlsClientAuth {
        /// The QWAC organizationIdentifier, e.g. `PSDFR-ACPR-12345`.
        organization_identifier: String,
    },
    /// RFC 6749 §2.3.1: HTTP Basic with the client secret.
    ClientSecretBasic {
        /// The secret.
        client_secret: Secret<String>,
    },
}

/// A registered OAuth client.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRegistration {
    /// The `client_id`.
    pub client_id: ClientId,
    /// Shown on the consent page.
    pub name: String,
    /// Registered redirect URIs, compared exactly (RFC 9700 §2.1).
    pub redirect_uris: Vec<String>,
    /// Authentication at the mTLS endpoints.
    pub auth: ClientAuth,
    /// Grants the client may use.
    pub grant_types: Vec<GrantType>,
    /// Scopes the client may obtain.
    pub scopes: ScopeSet,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientsFile {
    client: Vec<ClientRegistration>,
}

/// Reads `[[client]]` tables.
///
/// # Errors
/// [`StartError::Config`] naming the file and the offending key.
pub fn parse_clients(file: &str, text: &str) -> Result<Vec<ClientRegistration>, StartError> {
    toml::from_str::<ClientsFile>(text)
        .map(|parsed| parsed.client)
        .map_err(|error| StartError::Config {
            file: file.to_owned(),
            message: error.to_string().trim_end().to_owned(),
        })
}

/// A bank account of a test customer.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The id used in resource paths.
    pub resource_id: String,
    /// The IBAN.
    pub iban: String,
    /// A label.
    pub name: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// Balance as a decimal string.
    pub balance: String,
}

/// A test customer: the entity that holds accounts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Identifier.
    pub id: CustomerId,
    /// Personal or corporate.
    pub kind: CustomerKind,
    /// Display name.
    pub name: String,
    /// Its accounts.
    #[serde(default)]
    pub accounts: Vec<Account>,
}

/// A test person who signs in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Identifier (the token `sub`).
    pub id: PersonId,
    /// Sign-in name.
    pub username: String,
    /// Sign-in password.
    pub password: Secret<String>,
    /// The customers this person may act for.
    pub customers: Vec<CustomerId>,
}

/// The test PSUs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PsuDirectory {
    /// Persons.
    pub person: Vec<Person>,
    /// Customers.
    pub customer: Vec<Customer>,
}

impl PsuDirectory {
    /// Reads and cross-checks a PSU file: every customer a person names must exist.
    ///
    /// # Errors
    /// [`StartError::Config`] naming the file and the key.
    pub fn parse(file: &str, text: &str) -> Result<Self, StartError> {
        let directory: Self = toml::from_str(text).map_err(|error| StartError::Config {
            file: file.to_owned(),
            message: error.to_string().trim_end().to_owned(),
        })?;
        for person in &directory.person {
            for customer in &person.customers {
                if directory.customer(customer).is_none() {
                    return Err(StartError::Config {
                        file: file.to_owned(),
                        message: format!(
                            "person.customers: person {:?} names unknown customer {:?}",
                            person.id.0, customer.0
                        ),
                    });
                }
            }
        }
        Ok(directory)
    }

    /// A person by sign-in name.
    #[must_use]
    pub fn person_by_username(&self, username: &str) -> Option<&Person> {
        self.person
            .iter()
            .find(|person| person.username == username)
    }

    /// A customer by id.
    #[must_use]
    pub fn customer(&self, id: &CustomerId) -> Option<&Customer> {
        self.customer.iter().find(|customer| &customer.id == id)
    }
}
