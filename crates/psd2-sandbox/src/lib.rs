//! # psd2-sandbox
//!
//! A reference PSD2 authorization server: a real HTTPS server with mutual TLS
//! that behaves like a bank of the chosen profile, with test PSUs, a test
//! clock, and fault switches that make it break chosen rules on purpose.
//!
//! Two listeners on 127.0.0.1 (DESIGN.md): a browser-facing one (authorize,
//! sign-in and consent pages, metadata) that never asks for a client
//! certificate, and an mTLS one (token, revocation, introspection, resources,
//! admin) that requires a certificate from the fixture QTSP CA.
//!
//! ```no_run
//! # async fn run() -> Result<(), psd2_sandbox::StartError> {
//! use psd2_core::ProfileId;
//! use psd2_sandbox::{Sandbox, SandboxConfig};
//!
//! let config = SandboxConfig::fixtures(ProfileId::Generic)?;
//! let running = Sandbox::start(config).await?;
//! println!("issuer: {}", running.issuer());
//! running.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod admin;
mod app;
mod authorize;
mod client_auth;
mod clock;
mod config;
mod consent;
mod error;
mod faults;
mod fixtures;
mod http;
mod introspect;
mod logout;
mod metadata;
mod oauth_error;
mod pages;
mod resources;
mod revoke;
mod server;
mod store;
mod tls;
mod token;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use psd2_token::{
    KeyId, KeySet, Minter, MinterConfig, SigningKey, SystemRandom, Verifier, VerifierConfig,
};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use clock::TestClock;
pub use config::{
    Account, ClientAuth, ClientRegistration, Customer, Lifetimes, Person, Pki, PsuDirectory,
    SandboxConfig, parse_clients,
};
pub use error::StartError;
pub use faults::{FAULTS, Fault, FaultSet, FaultSpec, UnknownFault};
pub use server::Limits;

/// Starts sandboxes.
#[derive(Debug)]
pub struct Sandbox;

/// A sandbox that is serving.
#[derive(Debug)]
pub struct RunningSandbox {
    browser_addr: SocketAddr,
    mtls_addr: SocketAddr,
    issuer: String,
    clock: TestClock,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds both listeners on 127.0.0.1 and starts serving.
    ///
    /// # Errors
    /// [`StartError`] when a port cannot be bound or the TLS configuration is
    /// refused.
    pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, StartError> {
        // rustls panics later if no provider is installed and another crate
        // asks for the default; installing ring here is harmless when one is
        // already installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let browser_listener = bind(config.browser_port).await?;
        let mtls_listener = bind(config.mtls_port).await?;
        let browser_addr = local_addr(&browser_listener, config.browser_port)?;
        let mtls_addr = local_addr(&mtls_listener, config.mtls_port)?;
        let issuer = format!("https://{browser_addr}");
        let mtls_base = format!("https://{mtls_addr}");
        let clock = TestClock::new();
        let identity;
        let pki = if config.faults.has(Fault::UntrustedServerCertificate) {
            identity = config.pki.untrusted_server_identity()?;
            &identity
        } else {
            &config.pki
        };
        let browser_tls = tls::browser_config(pki, &clock)?;
        let certificate_optional = [
            Fault::ClientCredentialsWithoutAuth,
            Fault::RefreshWithoutAuth,
            Fault::RevokeWithoutAuth,
        ]
        .into_iter()
        .any(|fault| config.faults.has(fault));
        let mtls_tls = tls::mtls_config(pki, &clock, certificate_optional)?;
        let plaintext = config.faults.has(Fault::PlaintextHttp);

        let rng = SystemRandom::new();
        let signing_error = |error: &dyn std::fmt::Display| StartError::SigningKey {
            message: error.to_string(),
        };
        let access_id = KeyId::new("sandbox-access-1").map_err(|e| signing_error(&e))?;
        let (access_key, _) =
            SigningKey::generate_es256(access_id, &rng).map_err(|e| signing_error(&e))?;
        let mut refresh_secret = [0u8; 32];
        ring::rand::SecureRandom::fill(&rng, &mut refresh_secret).map_err(|_| {
            StartError::SigningKey {
                message: "no randomness for the refresh key".to_owned(),
            }
        })?;
        let refresh_id = KeyId::new("sandbox-refresh-1").map_err(|e| signing_error(&e))?;
        let refresh_key = SigningKey::hs256(refresh_id, &psd2_core::Secret::new(refresh_secret))
            .map_err(|e| signing_error(&e))?;
        let minter_config = MinterConfig {
            issuer: issuer.clone(),
            access_lifetime: config.lifetimes.access_token,
            // A refresh token never outlives the SCA renewal window; a bank
            // may document a shorter life (seed 2: 90 days).
            refresh_lifetime: config
                .profile
                .refresh_token_lifetime
                .map_or(config.profile.sca_renewal_window, |documented| {
                    documented.min(config.profile.sca_renewal_window)
                }),
        };
        let access_minter = Minter::new(access_key, SystemRandom::new(), minter_config.clone());
        let refresh_minter = Minter::new(refresh_key, SystemRandom::new(), minter_config);
        let verifier_config = || VerifierConfig {
            issuer: issuer.clone(),
            audience: None,
            leeway: Duration::ZERO,
        };
        let access_verifier = Verifier::new(
            KeySet::new([access_minter.verifying_key()]).map_err(|e| signing_error(&e))?,
            verifier_config(),
        );
        let refresh_verifier = Verifier::new(
            KeySet::new([refresh_minter.verifying_key()]).map_err(|e| signing_error(&e))?,
            verifier_config(),
        );

        let clients: HashMap<_, _> = config
            .clients
            .into_iter()
            .map(|client| (client.client_id.clone(), client))
            .collect();
        let app = Arc::new(app::App {
            profile: config.profile,
            clients,
            psus: config.psus,
            faults: config.faults,
            lifetimes: config.lifetimes,
            limits: config.limits,
            issuer: issuer.clone(),
            mtls_base,
            clock: clock.clone(),
            store: store::Store::default(),
            access_minter,
            access_verifier,
            refresh_minter,
            refresh_verifier,
            admin_certificate: config.pki.admin_certificate.as_ref().to_vec(),
            rng,
        });
        let (shutdown, receiver) = watch::channel(false);
        let limits = config.limits;
        let tasks = vec![
            tokio::spawn(server::serve(
                browser_listener,
                server::ListenerKind::Browser,
                browser_tls,
                app.clone(),
                limits,
                plaintext,
                receiver.clone(),
            )),
            tokio::spawn(server::serve(
                mtls_listener,
                server::ListenerKind::Mtls,
                mtls_tls,
                app,
                limits,
                plaintext,
                receiver,
            )),
        ];
        Ok(RunningSandbox {
            browser_addr,
            mtls_addr,
            issuer,
            clock,
            shutdown,
            tasks,
        })
    }
}

async fn bind(port: u16) -> Result<TcpListener, StartError> {
    let addr = config::loopback(port);
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })
}

fn local_addr(listener: &TcpListener, port: u16) -> Result<SocketAddr, StartError> {
    listener.local_addr().map_err(|source| StartError::Bind {
        addr: config::loopback(port),
        source,
    })
}

impl RunningSandbox {
    /// The issuer identifier (the browser listener's origin).
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
    /// The browser-facing listener's address.
    #[must_use]
    pub fn browser_addr(&self) -> SocketAddr {
        self.browser_addr
    }
    /// The mTLS listener's address.
    #[must_use]
    pub fn mtls_addr(&self) -> SocketAddr {
        self.mtls_addr
    }
    /// The test clock (shared with the running server).
    #[must_use]
    pub fn clock(&self) -> &TestClock {
        &self.clock
    }
    /// Stops accepting, lets open requests finish, and waits for the listeners.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
