//! psd2-eidas at the token endpoint: parse a four-role QWAC and decide
//! (profile check, QWAC declaration, client match, role, x5t#S256), next to a
//! bare `x509_cert::Certificate::from_der` of the same bytes in the same run.
//!
//! Budget (issue): parse + policy at most 50 µs, and at most 2x the bare decode.
//! Run: `cargo bench --manifest-path bench/Cargo.toml --bench eidas`.

use der::Decode;
use divan::{Bencher, black_box};
use psd2_core::{ClientId, Psd2Role};
use psd2_eidas::{FindingPolicy, MatchPolicy, Psd2Certificate};

fn main() {
    divan::main();
}

const PEM: &[u8] = include_bytes!("../../fixtures/certs/tpp-a-all-roles.pem");

fn der() -> Vec<u8> {
    let (label, der) = der::pem::decode_vec(PEM).expect("fixture PEM");
    assert_eq!(label, "CERTIFICATE");
    der
}

/// The baseline: x509-cert's own decode, nothing else.
#[divan::bench]
fn x509_cert_from_der(bencher: Bencher) {
    let der = der();
    bencher.bench(|| x509_cert::Certificate::from_der(black_box(&der)).expect("decodes"));
}

/// psd2-eidas parsing alone: x509-cert plus orgId, qcStatements, EKU, SAN, findings.
#[divan::bench]
fn psd2_parse(bencher: Bencher) {
    let der = der();
    bencher.bench(|| Psd2Certificate::from_der(black_box(&der)).expect("parses"));
}

/// What a token endpoint does per request: parse, then decide.
#[divan::bench]
fn psd2_parse_and_policy(bencher: Bencher) {
    let der = der();
    let client = ClientId::new("PSDFR-ACPR-12345").expect("client id");
    bencher.bench(|| {
        let certificate = Psd2Certificate::from_der(black_box(&der)).expect("parses");
        let accepted = certificate.check_profile(FindingPolicy::STRICT).is_ok()
            && certificate.declares_qwac()
            && certificate
                .matches_client(&client, MatchPolicy::Direct)
                .is_match()
            && certificate.has_role(&Psd2Role::PspAi);
        assert!(accepted);
        certificate.x5t_s256()
    });
}
