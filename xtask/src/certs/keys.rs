//! Fixture private keys: checked in, loaded as they are, created only when missing.
//!
//! Every fixture key is RSA-2048. RSA PKCS#1 v1.5 signatures are deterministic,
//! so the same key and the same to-be-signed bytes always give the same
//! certificate (ECDSA in ring draws a random nonce, so it would not). Ed25519
//! would be deterministic too, but the CA/B Forum rules that pkilint applies to
//! QWACs allow only RSA and ECDSA keys. ring cannot generate RSA keys, so a
//! missing key is created once with `openssl genpkey` and then checked in:
//! after that, regeneration never needs openssl.

use std::path::Path;
use std::process::Command;

use rcgen::KeyPair;

/// A fixture key: its PKCS#8 PEM text (written back unchanged) and the parsed key.
pub struct FixtureKey {
    pub pem: String,
    pub pair: KeyPair,
}

/// Loads `<dir>/<name>.key`; in write mode a missing key is generated first.
pub fn load_or_create(dir: &Path, name: &str, may_create: bool) -> Result<FixtureKey, String> {
    let path = dir.join(format!("{name}.key"));
    let pem = match std::fs::read_to_string(&path) {
        Ok(pem) => pem,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && may_create => {
            generate_rsa_pem()?
        }
        Err(error) => {
            return Err(format!(
                "{}: {error} (keys are checked in; `cargo xtask certs` creates missing ones)",
                path.display()
            ));
        }
    };
    let pair = KeyPair::from_pem(&pem).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(FixtureKey { pem, pair })
}

fn generate_rsa_pem() -> Result<String, String> {
    let output = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ])
        .output()
        .map_err(|error| format!("openssl genpkey (needed once per new key): {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "openssl genpkey failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|error| format!("openssl genpkey: {error}"))
}
