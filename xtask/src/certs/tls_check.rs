//! The fixtures work as real TLS certificates: in-memory rustls 0.23 + ring
//! handshakes, with webpki verifying the server for `localhost` and
//! `127.0.0.1` and each client certificate against the QTSP CA and its CRL.

use std::sync::Arc;

use rustls::client::danger::ServerCertVerifier;
use rustls::server::WebPkiClientVerifier;
use rustls::{
    CertificateError, ClientConfig, ClientConnection, Connection, Error, RootCertStore,
    ServerConfig, ServerConnection,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName};

use crate::certs::fixture_dir;

fn cert(name: &str) -> CertificateDer<'static> {
    CertificateDer::from_pem_file(fixture_dir().join(format!("{name}.pem"))).unwrap()
}

fn key(name: &str) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from_pem_file(fixture_dir().join(format!("{name}.key"))).unwrap()
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn qtsp_roots() -> Arc<RootCertStore> {
    let mut roots = RootCertStore::empty();
    roots.add(cert("qtsp-ca")).unwrap();
    Arc::new(roots)
}

/// The reference server's mTLS listener: server.pem, clients of qtsp-ca, CRL checked.
fn server_config() -> Arc<ServerConfig> {
    let crl =
        CertificateRevocationListDer::from_pem_file(fixture_dir().join("qtsp-ca.crl.pem")).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(qtsp_roots(), provider())
        .with_crls([crl])
        .build()
        .unwrap();
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert("server")], key("server"))
        .unwrap();
    Arc::new(config)
}

fn client_config(client: &str) -> Arc<ClientConfig> {
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(qtsp_roots())
        .with_client_auth_cert(vec![cert(client)], key(client))
        .unwrap();
    Arc::new(config)
}

/// Moves every pending TLS record from one side to the other.
fn transfer(from: &mut Connection, to: &mut Connection) {
    let mut buffer = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut buffer).unwrap();
    }
    let mut slice = buffer.as_slice();
    while !slice.is_empty() {
        to.read_tls(&mut slice).unwrap();
    }
}

/// Runs a handshake; returns the first error either side reports.
fn handshake(client: &str, server_name: &str) -> Result<(), Error> {
    let mut client = Connection::Client(
        ClientConnection::new(
            client_config(client),
            ServerName::try_from(server_name.to_owned()).unwrap(),
        )
        .unwrap(),
    );
    let mut server = Connection::Server(ServerConnection::new(server_config()).unwrap());
    for _ in 0..10 {
        transfer(&mut client, &mut server);
        server.process_new_packets()?;
        transfer(&mut server, &mut client);
        client.process_new_packets()?;
        if !client.is_handshaking() && !server.is_handshaking() {
            return Ok(());
        }
    }
    panic!("handshake did not finish");
}

#[test]
fn tpp_and_admin_certificates_complete_mutual_tls() {
    for client in [
        "tpp-a-all-roles",
        "tpp-b-all-roles",
        "tpp-a-psp-ai",
        "tpp-a-psp-pi",
        "tpp-a-psp-ic",
        "tpp-a-no-psd2",
        "admin-clock-control",
        // Malformed PSD2 content is the application's concern, not TLS's.
        "malformed-bare-statement",
        "malformed-printable-psd2",
        "malformed-empty-nca-name",
        "malformed-flattened-roles",
    ] {
        assert_eq!(handshake(client, "localhost"), Ok(()), "{client}");
    }
    assert_eq!(handshake("tpp-a-all-roles", "127.0.0.1"), Ok(()));
}

#[test]
fn invalid_client_certificates_are_refused_by_webpki() {
    let refused = |client: &str| match handshake(client, "localhost") {
        Err(Error::InvalidCertificate(error)) => error,
        other => panic!("{client}: expected a certificate error, got {other:?}"),
    };
    assert!(matches!(
        refused("tpp-a-expired"),
        CertificateError::Expired | CertificateError::ExpiredContext { .. }
    ));
    assert!(matches!(
        refused("tpp-a-not-yet-valid"),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. }
    ));
    assert_eq!(refused("tpp-a-revoked"), CertificateError::Revoked);
    assert_eq!(
        refused("tpp-a-untrusted-ca"),
        CertificateError::UnknownIssuer
    );
}

#[test]
fn server_certificate_is_valid_for_localhost_and_loopback_only() {
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(qtsp_roots(), provider())
            .build()
            .unwrap();
    let now = rustls_pki_types::UnixTime::now();
    for name in ["localhost", "127.0.0.1", "::1"] {
        let server_name = ServerName::try_from(name).unwrap();
        assert!(
            verifier
                .verify_server_cert(&cert("server"), &[], &server_name, &[], now)
                .is_ok(),
            "{name}"
        );
    }
    let other = ServerName::try_from("example.com").unwrap();
    assert!(
        verifier
            .verify_server_cert(&cert("server"), &[], &other, &[], now)
            .is_err()
    );
    // A TPP QWAC is no server certificate for localhost.
    let localhost = ServerName::try_from("localhost").unwrap();
    assert!(
        verifier
            .verify_server_cert(&cert("tpp-a-all-roles"), &[], &localhost, &[], now)
            .is_err()
    );
}

/// webpki accepts a certificate without extKeyUsage for any purpose and does
/// not read keyUsage: the QSealC (nonRepudiation, no EKU) passes the TLS
/// layer, so refusing seals at the token endpoint is the application's job
/// (`Psd2Certificate::declares_qwac`). This test records that fact.
#[test]
fn a_qsealc_passes_tls_and_must_be_refused_by_the_application() {
    assert_eq!(handshake("tpp-a-qsealc", "localhost"), Ok(()));
}
