//! Maps what went wrong on the wire to [`TransportFailure`]: rustls errors
//! hide inside `io::Error`s, which hide inside `hyper::Error`s (STACK.md
//! pitfall 10), so the whole chain is searched.

use std::error::Error as StdError;
use std::io;

use psd2_rules::exchange::TransportFailure;
use rustls::{AlertDescription, CertificateError};

/// The phase a failure happened in, for the reason text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Connect,
    Handshake,
    Response,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Connect => "connect",
            Phase::Handshake => "TLS handshake",
            Phase::Response => "response",
        }
    }
}

/// Classifies an error by the most telling cause in its chain: a rustls
/// error first (an alert explains a reset that follows it), then an I/O
/// kind, then hyper's own view.
pub(crate) fn classify(error: &(dyn StdError + 'static), phase: Phase) -> TransportFailure {
    if let Some(tls) = find_rustls(error) {
        return from_rustls(tls);
    }
    if let Some(kind) = find_io_kind(error) {
        match kind {
            io::ErrorKind::ConnectionRefused => return TransportFailure::ConnectionRefused,
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof => return TransportFailure::ConnectionReset,
            io::ErrorKind::TimedOut => return TransportFailure::Timeout,
            _ => {}
        }
    }
    if let Some(hyper_error) = find::<hyper::Error>(error) {
        if hyper_error.is_incomplete_message() || hyper_error.is_canceled() {
            // The server closed the connection before a complete response.
            return TransportFailure::ConnectionReset;
        }
        if hyper_error.is_parse() || hyper_error.is_parse_status() {
            return TransportFailure::Other {
                reason: format!("HTTP protocol error in the {}: {hyper_error}", phase.name()),
            };
        }
    }
    TransportFailure::Other {
        reason: format!("{} failed: {}", phase.name(), chain_text(error)),
    }
}

/// An I/O error on its own (connect, handshake).
pub(crate) fn classify_io(error: &io::Error, phase: Phase) -> TransportFailure {
    classify(error, phase)
}

fn from_rustls(error: &rustls::Error) -> TransportFailure {
    match error {
        rustls::Error::AlertReceived(alert) => TransportFailure::TlsAlert {
            description: alert_name(*alert),
        },
        rustls::Error::InvalidCertificate(reason) => TransportFailure::InvalidServerCertificate {
            reason: certificate_reason(reason),
        },
        other => TransportFailure::Other {
            reason: format!("TLS error: {other}"),
        },
    }
}

/// The RFC 8446 §6 name of an alert (`certificate_required`), from rustls'
/// `CertificateRequired`.
pub(crate) fn alert_name(alert: AlertDescription) -> String {
    snake_case(&format!("{alert:?}"))
}

fn certificate_reason(reason: &CertificateError) -> String {
    let text = match reason {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => "expired",
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "not valid yet"
        }
        CertificateError::UnknownIssuer => "unknown issuer",
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "not valid for name"
        }
        CertificateError::Revoked => "revoked",
        CertificateError::BadEncoding => "bad encoding",
        CertificateError::BadSignature => "bad signature",
        other => return snake_case(&format!("{other:?}")).replace('_', " "),
    };
    text.to_owned()
}

fn snake_case(camel: &str) -> String {
    // Debug of a unit variant is its name; of a struct variant, name + fields.
    let name = camel.split([' ', '(', '{']).next().unwrap_or_default();
    let mut out = String::with_capacity(name.len() + 4);
    for (index, character) in name.chars().enumerate() {
        if character.is_ascii_uppercase() {
            if index > 0 {
                out.push('_');
            }
            out.push(character.to_ascii_lowercase());
        } else {
            out.push(character);
        }
    }
    out
}

fn find<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}

fn find_rustls<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<rustls::Error>() {
            return Some(found);
        }
        // `io::Error::source` skips the wrapped error itself: look inside.
        if let Some(inner) = error
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            && let Some(found) = find_rustls(inner)
        {
            return Some(found);
        }
        current = error.source();
    }
    None
}

fn find_io_kind(error: &(dyn StdError + 'static)) -> Option<io::ErrorKind> {
    find::<io::Error>(error).map(io::Error::kind)
}

fn chain_text(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut current = error.source();
    while let Some(cause) = current {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        current = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names_follow_rfc_8446() {
        assert_eq!(
            alert_name(AlertDescription::CertificateRequired),
            "certificate_required"
        );
        assert_eq!(
            alert_name(AlertDescription::HandshakeFailure),
            "handshake_failure"
        );
        assert_eq!(
            alert_name(AlertDescription::BadCertificate),
            "bad_certificate"
        );
    }

    #[test]
    fn an_alert_inside_an_io_error_is_found() {
        let io_error = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(AlertDescription::CertificateRequired),
        );
        assert_eq!(
            classify_io(&io_error, Phase::Response),
            TransportFailure::TlsAlert {
                description: "certificate_required".into()
            }
        );
    }

    #[test]
    fn an_invalid_server_certificate_is_named() {
        let io_error = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        );
        assert_eq!(
            classify_io(&io_error, Phase::Handshake),
            TransportFailure::InvalidServerCertificate {
                reason: "unknown issuer".into()
            }
        );
    }

    #[test]
    fn io_kinds_map_to_connection_failures() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(
            classify_io(&refused, Phase::Connect),
            TransportFailure::ConnectionRefused
        );
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(
            classify_io(&reset, Phase::Response),
            TransportFailure::ConnectionReset
        );
        let other = io::Error::other("no route");
        assert!(matches!(
            classify_io(&other, Phase::Connect),
            TransportFailure::Other { reason } if reason.contains("connect") && reason.contains("no route")
        ));
    }
}
