//! Errors starting the sandbox. Request-time problems never surface as Rust
//! errors: they become HTTP answers.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A listener could not bind.
    #[error("bind {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The client-certificate verifier could not be built from the CA and CRLs.
    #[error("client certificate verifier: {source}")]
    ClientVerifier {
        /// rustls' reason.
        source: rustls::server::VerifierBuilderError,
    },
    /// A configuration file could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A configuration file is not valid.
    #[error("{file}: {message}")]
    Config {
        /// Which file (or built-in fixture) it was.
        file: String,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A PEM file did not hold what it should.
    #[error("{what}: {message}")]
    Pem {
        /// Which input.
        what: &'static str,
        /// What is wrong.
        message: String,
    },
    /// rustls refused part of the TLS configuration.
    #[error("TLS {what}: {source}")]
    Tls {
        /// Which part.
        what: &'static str,
        /// rustls' reason.
        source: rustls::Error,
    },
    /// The signing key for tokens could not be created.
    #[error("token signing key: {message}")]
    SigningKey {
        /// What failed.
        message: String,
    },
}
