//! What became of a request: a response, or a typed transport failure the
//! harness mapped from rustls and I/O errors.
//!
//! A failure is data a judge reads, not an error: a TLS alert to a request
//! sent without a client certificate is exactly what an mTLS token endpoint
//! should answer, while a timeout leaves the judge unable to decide.

use std::fmt;

use super::HttpResponse;

/// Why no HTTP response came back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// The TCP connection was refused (nothing listens there).
    ConnectionRefused,
    /// The peer reset or closed the connection before a response.
    ConnectionReset,
    /// The server certificate failed validation (chain, validity, host name).
    InvalidServerCertificate {
        /// What the TLS client reported (`expired`, `unknown issuer`,
        /// `not valid for name`).
        reason: String,
    },
    /// Any other failure (name resolution, a protocol error).
    Other {
        /// What happened.
        reason: String,
    },
    /// No response within the step's timeout.
    Timeout,
    /// The server sent a TLS alert during the handshake or after it.
    TlsAlert {
        /// The alert description as named in RFC 8446 §6
        /// (`certificate_required`, `handshake_failure`, `bad_certificate`).
        description: String,
    },
    /// The response exceeded the harness's cap and was dropped.
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
}

impl TransportFailure {
    /// Whether the server refused the TLS session itself: the answer an mTLS
    /// endpoint gives a client that presents no (or no acceptable)
    /// certificate.
    #[must_use]
    pub fn is_tls_refusal(&self) -> bool {
        matches!(self, TransportFailure::TlsAlert { .. })
    }
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportFailure::ConnectionRefused => f.write_str("connection refused"),
            TransportFailure::ConnectionReset => f.write_str("connection reset"),
            TransportFailure::InvalidServerCertificate { reason } => {
                write!(f, "invalid server certificate ({reason})")
            }
            TransportFailure::Other { reason } => write!(f, "transport failure ({reason})"),
            TransportFailure::Timeout => f.write_str("timeout"),
            TransportFailure::TlsAlert { description } => {
                write!(f, "TLS alert {description}")
            }
            TransportFailure::TooLarge { limit } => {
                write!(f, "response over the {limit}-byte cap")
            }
        }
    }
}

/// A response, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportOutcome {
    /// The transport failed.
    Failed(TransportFailure),
    /// An HTTP response came back.
    Response(HttpResponse),
}

impl TransportOutcome {
    /// The response, if one came back.
    #[must_use]
    pub fn response(&self) -> Option<&HttpResponse> {
        match self {
            TransportOutcome::Response(response) => Some(response),
            TransportOutcome::Failed(_) => None,
        }
    }

    /// The failure, if the transport failed.
    #[must_use]
    pub fn failure(&self) -> Option<&TransportFailure> {
        match self {
            TransportOutcome::Failed(failure) => Some(failure),
            TransportOutcome::Response(_) => None,
        }
    }
}

impl From<HttpResponse> for TransportOutcome {
    fn from(response: HttpResponse) -> Self {
        TransportOutcome::Response(response)
    }
}

impl From<TransportFailure> for TransportOutcome {
    fn from(failure: TransportFailure) -> Self {
        TransportOutcome::Failed(failure)
    }
}
