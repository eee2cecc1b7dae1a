//! Fixed keys, a fixed random generator and a token forger shared by the
//! integration tests. Each test file uses a part of it.
#![allow(dead_code)]
// Helpers of tests, outside any #[test] function: unwrap is how a test says
// "the fixture is broken".
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use psd2_core::{ClientId, CustomerId, PersonId, Psu, Secret, X5tS256};
use psd2_token::{
    AccessGrant, GrantId, KeyId, KeySet, Minter, MinterConfig, SigningKey, Subject, UnixTime,
    Verifier, VerifierConfig, VerifyingKey,
};
use ring::hmac;

pub const ISSUER: &str = "https://bank.example";
pub const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);
pub const ACCESS_LIFETIME: u64 = 300;
pub const REFRESH_LIFETIME: u64 = 30 * 24 * 3600;
pub const LEEWAY: u64 = 30;

/// RFC 7515 Appendix A.1's HS256 key (`k`).
pub const HS256_K: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
/// RFC 7515 Appendix A.3's P-256 key (`x`, `y`, `d`).
pub const ES256_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
pub const ES256_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
pub const ES256_D: &str = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";

/// ring's `SecureRandom` is sealed, so a test cannot write a fixed generator
/// of its own; ring's deprecated test module has the only one. Tests only.
#[allow(deprecated)]
pub type FixedRng = ring::test::rand::FixedByteRandom;

#[allow(deprecated)]
pub fn fixed_rng() -> FixedRng {
    ring::test::rand::FixedByteRandom { byte: 0x42 }
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// A base64url segment parsed as JSON.
pub fn json(segment: &str) -> serde_json::Value {
    serde_json::from_slice(&unb64(segment)).unwrap()
}

pub fn kid(text: &str) -> KeyId {
    KeyId::new(text).unwrap()
}

pub fn es256_point() -> Vec<u8> {
    let mut point = vec![0x04];
    point.extend(unb64(ES256_X));
    point.extend(unb64(ES256_Y));
    point
}

pub fn es256_key(id: &str) -> SigningKey {
    let d = Secret::new(unb64(ES256_D));
    SigningKey::es256_from_components(kid(id), &d, &es256_point(), &fixed_rng()).unwrap()
}

pub fn hs256_secret() -> Vec<u8> {
    unb64(HS256_K)
}

pub fn hs256_key(id: &str) -> SigningKey {
    SigningKey::hs256(kid(id), &Secret::new(hs256_secret())).unwrap()
}

pub fn config() -> MinterConfig {
    MinterConfig {
        issuer: ISSUER.to_owned(),
        access_lifetime: Duration::from_secs(ACCESS_LIFETIME),
        refresh_lifetime: Duration::from_secs(REFRESH_LIFETIME),
    }
}

pub fn minter(key: SigningKey) -> Minter<FixedRng> {
    Minter::new(key, fixed_rng(), config())
}

pub fn verifier(keys: impl IntoIterator<Item = VerifyingKey>, audience: Option<&str>) -> Verifier {
    Verifier::new(
        KeySet::new(keys).unwrap(),
        VerifierConfig {
            issuer: ISSUER.to_owned(),
            audience: audience.map(str::to_owned),
            leeway: Duration::from_secs(LEEWAY),
        },
    )
}

/// The thumbprint of "the" TPP certificate.
pub fn binding() -> X5tS256 {
    X5tS256::from_sha256(&[0x5a; 32])
}

pub fn client() -> ClientId {
    ClientId::new("PSDFR-ACPR-12345").unwrap()
}

pub fn psu() -> Psu {
    Psu::new(PersonId("person-1".into()), CustomerId("customer-A".into()))
}

pub fn grant(grant_id: GrantId) -> AccessGrant {
    AccessGrant {
        grant_id,
        client_id: client(),
        subject: Subject::Psu(psu()),
        scope: "aisp".parse().unwrap(),
        audience: vec![],
        binding: binding(),
    }
}

/// A token made by hand: `header` and `payload` are JSON, encoded as given,
/// and `sign` computes the signature bytes over `header.payload`.
pub fn forge(header: &str, payload: &str, sign: impl Fn(&[u8]) -> Vec<u8>) -> Secret<String> {
    let signing_input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = sign(signing_input.as_bytes());
    Secret::new(format!("{signing_input}.{}", b64(&signature)))
}

/// Signs with HMAC-SHA256 under `secret`.
pub fn hmac_with(secret: Vec<u8>) -> impl Fn(&[u8]) -> Vec<u8> {
    move |message| {
        let key = hmac::Key::new(hmac::HMAC_SHA256, &secret);
        hmac::sign(&key, message).as_ref().to_vec()
    }
}

/// Access claims as JSON, valid at [`NOW`] for [`binding`] and [`client`],
/// with `extra` members appended (a repeated member in `extra` is a
/// duplicate).
pub fn access_claims_json(iat: u64, exp: u64, extra: &str) -> String {
    format!(
        r#"{{"iss":"{ISSUER}","sub":"person-1","customer":"customer-A","client_id":"PSDFR-ACPR-12345","scope":"aisp","grant_id":"{id}","jti":"{id}","iat":{iat},"exp":{exp},"cnf":{{"x5t#S256":"{x5t}"}}{extra}}}"#,
        id = b64(&[7; 16]),
        x5t = binding().as_str(),
    )
}

pub fn refresh_claims_json(iat: u64, exp: u64, extra: &str) -> String {
    format!(
        r#"{{"iss":"{ISSUER}","client_id":"PSDFR-ACPR-12345","grant_id":"{id}","jti":"{id}","iat":{iat},"exp":{exp}{extra}}}"#,
        id = b64(&[7; 16]),
    )
}

pub const HS_ACCESS_HEADER: &str = r#"{"alg":"HS256","typ":"at+jwt","kid":"hs"}"#;
pub const HS_REFRESH_HEADER: &str = r#"{"alg":"HS256","typ":"rt+jwt","kid":"hs"}"#;
