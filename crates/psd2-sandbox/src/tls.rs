//! The two TLS server configurations (DESIGN.md, "The reference server"):
//! a browser-facing one that never sends a CertificateRequest, and an mTLS one
//! that requires a client certificate chaining to the fixture QTSP CA.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{ServerConfig, crypto::CryptoProvider};

use crate::clock::TestClock;
use crate::config::Pki;
use crate::error::StartError;

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn builder(
    clock: &TestClock,
) -> Result<rustls::ConfigBuilder<ServerConfig, rustls::WantsVerifier>, StartError> {
    ServerConfig::builder_with_details(provider(), Arc::new(clock.clone()))
        .with_safe_default_protocol_versions()
        .map_err(|source| StartError::Tls {
            what: "protocol versions",
            source,
        })
}

fn server_identity(pki: &Pki) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
    (pki.server_chain.clone(), pki.server_key.clone_key())
}

/// The browser-facing listener: authorization endpoint, consent pages, metadata.
pub fn browser_config(pki: &Pki, clock: &TestClock) -> Result<Arc<ServerConfig>, StartError> {
    let (chain, key) = server_identity(pki);
    let mut config = builder(clock)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|source| StartError::Tls {
            what: "server certificate (browser listener)",
            source,
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The mTLS listener: token, revocation, resources, admin. Requires a client
/// certificate from the QTSP CA, not revoked by its CRL, valid at the test
/// clock's time; with `danger_certificate_optional` (the `*-without-auth`
/// faults) it only requests one, as servers that leave client
/// authentication to the endpoints do.
pub fn mtls_config(
    pki: &Pki,
    clock: &TestClock,
    danger_certificate_optional: bool,
) -> Result<Arc<ServerConfig>, StartError> {
    let mut roots = RootCertStore::empty();
    roots
        .add(pki.client_ca.clone())
        .map_err(|source| StartError::Tls {
            what: "client CA",
            source,
        })?;
    let crls: Vec<CertificateRevocationListDer<'static>> = pki.client_crls.clone();
    let mut verifier_builder =
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
            .with_crls(crls)
            // The CRL covers the certificates the CA issued; the CA itself is a
            // trust anchor with no CRL above it.
            .only_check_end_entity_revocation();
    if danger_certificate_optional {
        verifier_builder = verifier_builder.allow_unauthenticated();
    }
    let verifier = verifier_builder
        .build()
        .map_err(|source| StartError::ClientVerifier { source })?;
    let (chain, key) = server_identity(pki);
    let mut config = builder(clock)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|source| StartError::Tls {
            what: "server certificate (mTLS listener)",
            source,
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
