//! TLS client configurations: the server's trust anchors from a PEM bundle,
//! an optional client certificate, the ring provider pinned, ALPN
//! `http/1.1`, and no session resumption.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rustls::client::Resumption;
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// Why a TLS client configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsSetupError {
    /// A PEM file could not be read.
    #[error("cannot read {what} from {path}")]
    Read {
        /// What the file should hold.
        what: &'static str,
        /// The path.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The PEM text held no usable item.
    #[error("no {what} found in the PEM input")]
    Missing {
        /// What was looked for (`CA certificate`, `client certificate`,
        /// `private key`).
        what: &'static str,
    },
    /// The PEM text could not be decoded.
    #[error("invalid PEM in the {what}")]
    Pem {
        /// Which input.
        what: &'static str,
        /// The decoder's error.
        #[source]
        source: rustls_pki_types::pem::Error,
    },
    /// rustls refused a certificate or key.
    #[error("rustls refused the {what}")]
    Rustls {
        /// Which input.
        what: &'static str,
        /// The rustls error.
        #[source]
        source: rustls::Error,
    },
}

pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads every certificate of a PEM bundle into a root store.
pub(crate) fn roots_from_pem(pem: &[u8]) -> Result<Arc<RootCertStore>, TlsSetupError> {
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(pem) {
        let certificate = certificate.map_err(|source| TlsSetupError::Pem {
            what: "CA bundle",
            source,
        })?;
        roots
            .add(certificate)
            .map_err(|source| TlsSetupError::Rustls {
                what: "CA certificate",
                source,
            })?;
    }
    if roots.is_empty() {
        return Err(TlsSetupError::Missing {
            what: "CA certificate",
        });
    }
    Ok(Arc::new(roots))
}

/// A client configuration. Resumption is off: each request is a fresh full
/// handshake, so that a certificate check is never skipped by a resumed
/// session (an mTLS rule must see the server decide again).
pub(crate) fn client_config(
    roots: Arc<RootCertStore>,
    certificate: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    what: &'static str,
) -> Result<Arc<ClientConfig>, TlsSetupError> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|source| TlsSetupError::Rustls { what, source })?
        .with_root_certificates(roots);
    let mut config = match certificate {
        None => builder.with_no_client_auth(),
        Some((chain, key)) => builder
            .with_client_auth_cert(chain, key)
            .map_err(|source| TlsSetupError::Rustls { what, source })?,
    };
    config.resumption = Resumption::disabled();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

pub(crate) fn read_file(path: &Path, what: &'static str) -> Result<Vec<u8>, TlsSetupError> {
    std::fs::read(path).map_err(|source| TlsSetupError::Read {
        what,
        path: path.display().to_string(),
        source,
    })
}

/// A named client certificate and its key, ready to present.
///
/// The name (`tpp-a`, `tpp-b-expired`) is what the exchange log records as
/// [`psd2_rules::exchange::HttpRequest::client_certificate`]. `Debug` shows
/// the name only: the key never reaches a log.
#[derive(Clone)]
pub struct ClientIdentity {
    pub(crate) name: String,
    pub(crate) config: Arc<ClientConfig>,
}

impl ClientIdentity {
    /// The name recorded in the exchange log.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Reads a certificate chain and a private key (PKCS#8, PKCS#1 or SEC1).
pub(crate) fn identity_parts(
    certificate_pem: &[u8],
    key_pem: &[u8],
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), TlsSetupError> {
    let chain = CertificateDer::pem_slice_iter(certificate_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| TlsSetupError::Pem {
            what: "client certificate",
            source,
        })?;
    if chain.is_empty() {
        return Err(TlsSetupError::Missing {
            what: "client certificate",
        });
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|source| match source {
        rustls_pki_types::pem::Error::NoItemsFound => TlsSetupError::Missing {
            what: "private key",
        },
        source => TlsSetupError::Pem {
            what: "private key",
            source,
        },
    })?;
    Ok((chain, key))
}
