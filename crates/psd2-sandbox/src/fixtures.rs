//! The built-in configuration: the fixture PKI, clients and PSUs of the
//! repository, compiled in so that the sandbox starts with no files at hand.

use psd2_core::{ProfileData, ProfileId, ProfileOverrides};

use crate::config::{Lifetimes, Pki, PsuDirectory, SandboxConfig, parse_clients};
use crate::error::StartError;
use crate::faults::FaultSet;
use crate::server::Limits;

macro_rules! fixture {
    ($path:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/",
            $path
        ))
    };
}

/// The built-in clients file.
pub const CLIENTS_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/sandbox/clients.toml"
));
/// What the sandbox documents per profile, beyond the profile's defaults.
pub const PROFILES_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/sandbox/profiles.toml"
));

/// The built-in PSUs file.
pub const PSUS_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/sandbox/psus.toml"
));

impl Pki {
    /// The fixture PKI: `fixtures/certs/server.pem`, the QTSP CA and its CRL,
    /// and the admin certificate.
    ///
    /// # Errors
    /// [`StartError::Pem`] if a compiled-in file is broken.
    pub fn fixtures() -> Result<Self, StartError> {
        Pki::from_pem(
            fixture!("certs/server.pem"),
            fixture!("certs/server.key"),
            fixture!("certs/qtsp-ca.pem"),
            &[fixture!("certs/qtsp-ca.crl.pem")],
            fixture!("certs/admin-clock-control.pem"),
        )
    }
}

impl Pki {
    /// The identity the `untrusted-server-certificate` fault presents: a
    /// certificate from the untrusted CA, issued to a TPP, not to this host.
    ///
    /// # Errors
    /// [`StartError::Pem`] if a compiled-in file is broken.
    pub fn untrusted_server_identity(&self) -> Result<Self, StartError> {
        let other = Pki::from_pem(
            fixture!("certs/tpp-a-untrusted-ca.pem"),
            fixture!("certs/tpp-a-untrusted-ca.key"),
            fixture!("certs/qtsp-ca.pem"),
            &[],
            fixture!("certs/admin-clock-control.pem"),
        )?;
        Ok(Self {
            server_chain: other.server_chain,
            server_key: other.server_key,
            client_ca: self.client_ca.clone(),
            client_crls: self.client_crls.clone(),
            admin_certificate: self.admin_certificate.clone(),
        })
    }
}

/// The profile's defaults with what the sandbox documents for it
/// (`fixtures/sandbox/profiles.toml`).
fn documented_profile(profile: ProfileId) -> Result<ProfileData, StartError> {
    let file = "fixtures/sandbox/profiles.toml";
    let config_error = |message: String| StartError::Config {
        file: file.to_owned(),
        message,
    };
    let tables: std::collections::BTreeMap<String, ProfileOverrides> =
        toml::from_str(PROFILES_TOML)
            .map_err(|error| config_error(error.to_string().trim_end().to_owned()))?;
    match tables.get(profile.name()) {
        Some(overrides) => ProfileData::with_overrides(profile, overrides)
            .map_err(|error| config_error(error.to_string())),
        None => Ok(ProfileData::defaults(profile)),
    }
}

impl SandboxConfig {
    /// The built-in configuration of a profile: fixture PKI, clients and
    /// PSUs, no fault, any free ports.
    ///
    /// # Errors
    /// [`StartError`] if a compiled-in file is broken.
    pub fn fixtures(profile: ProfileId) -> Result<Self, StartError> {
        Ok(Self {
            profile: documented_profile(profile)?,
            browser_port: 0,
            mtls_port: 0,
            pki: Pki::fixtures()?,
            clients: parse_clients("fixtures/sandbox/clients.toml", CLIENTS_TOML)?,
            psus: PsuDirectory::parse("fixtures/sandbox/psus.toml", PSUS_TOML)?,
            faults: FaultSet::none(),
            limits: Limits::default(),
            lifetimes: Lifetimes::default(),
        })
    }
}
