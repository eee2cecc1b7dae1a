//! PEM text from the DER the target loader keeps: the transport builds its
//! rustls configurations from PEM (the form a tester's files come in), and
//! the loader has already read and checked those files, so the runner
//! re-encodes rather than reading them a second time.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use psd2_core::Secret;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// One PEM block with lines of 64 characters (RFC 7468 §2).
fn block(label: &str, der: &[u8]) -> String {
    let encoded = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    let mut rest = encoded.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Certificates as one PEM bundle, in order.
pub(crate) fn certificates(chain: &[CertificateDer<'_>]) -> Vec<u8> {
    chain
        .iter()
        .map(|certificate| block("CERTIFICATE", certificate.as_ref()))
        .collect::<String>()
        .into_bytes()
}

/// A private key as PEM, with the label of its encoding.
pub(crate) fn private_key(key: &Secret<PrivateKeyDer<'static>>) -> Secret<Vec<u8>> {
    let label = match key.expose() {
        PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
        PrivateKeyDer::Sec1(_) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    };
    Secret::new(block(label, key.expose().secret_der()).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls_pki_types::pem::PemObject;

    #[test]
    fn round_trips_through_the_pem_reader() {
        let der: Vec<u8> = (0..=200u8).collect();
        let pem = certificates(&[CertificateDer::from(der.clone())]);
        let text = String::from_utf8(pem.clone()).unwrap();
        assert!(text.lines().all(|line| line.len() <= 64));
        let back = CertificateDer::from_pem_slice(&pem).unwrap();
        assert_eq!(back.as_ref(), der.as_slice());
        let key = Secret::new(PrivateKeyDer::Pkcs8(der.clone().into()));
        let pem = private_key(&key);
        let back = PrivateKeyDer::from_pem_slice(pem.expose()).unwrap();
        assert_eq!(back.secret_der(), der.as_slice());
    }
}
