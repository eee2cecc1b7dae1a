//! Verifying a certificate-bound access token: psd2-token next to ring's bare
//! signature check of the same bytes (the floor), and next to the
//! `jsonwebtoken` crate (rust_crypto backend) decoding the same token into
//! the same claims.
//!
//! Run: `cargo bench --manifest-path bench/Cargo.toml --bench token`.
//! Budget: psd2-token's overhead over ring's bare verify at most 10% for
//! ES256 and at most 2 µs for HS256.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use divan::black_box;
use psd2_core::{ClientId, CustomerId, PersonId, Psu, Secret, X5tS256};
use psd2_token::{
    AccessGrant, KeyId, KeySet, Minter, MinterConfig, SigningKey, Subject, SystemRandom, UnixTime,
    Verifier, VerifierConfig,
};
use ring::hmac;
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use serde::Deserialize;

fn main() {
    divan::main();
}

const ISSUER: &str = "https://bank.example";

/// One minted token with everything each contender needs to verify it.
struct Case {
    token: Secret<String>,
    now: UnixTime,
    binding: X5tS256,
    verifier: Verifier,
    /// `header.payload`, and the decoded signature: ring's input.
    signing_input: Vec<u8>,
    signature: Vec<u8>,
    jwt_key: jsonwebtoken::DecodingKey,
    jwt_validation: jsonwebtoken::Validation,
}

/// The same claims, as a `jsonwebtoken` user would declare them.
#[derive(Deserialize)]
#[allow(dead_code)]
struct JwtClaims {
    iss: String,
    sub: String,
    customer: Option<String>,
    client_id: String,
    scope: String,
    grant_id: String,
    jti: String,
    iat: u64,
    exp: u64,
    cnf: JwtConfirmation,
}

#[derive(Deserialize)]
struct JwtConfirmation {
    #[serde(rename = "x5t#S256")]
    x5t_s256: String,
}

fn case(es256: bool) -> Case {
    let rng = SystemRandom::new();
    let kid = KeyId::new("bench").unwrap();
    let secret = Secret::new([0x17u8; 32]);
    let key = if es256 {
        SigningKey::generate_es256(kid, &rng).unwrap().0
    } else {
        SigningKey::hs256(kid, &secret).unwrap()
    };
    let verifying = key.verifying_key();
    let minter = Minter::new(
        key,
        rng,
        MinterConfig {
            issuer: ISSUER.into(),
            access_lifetime: Duration::from_secs(3600),
            refresh_lifetime: Duration::from_secs(86_400),
        },
    );
    // jsonwebtoken reads the system clock, so the token is minted for now.
    let now = UnixTime::from_secs(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    let binding = X5tS256::from_sha256(&[0x5a; 32]);
    let grant = AccessGrant {
        grant_id: minter.new_grant_id().unwrap(),
        client_id: ClientId::new("PSDFR-ACPR-12345").unwrap(),
        subject: Subject::Psu(Psu::new(
            PersonId("7f7c2b9e-person".into()),
            CustomerId("c-0042-customer".into()),
        )),
        scope: "aisp extended_transaction_history".parse().unwrap(),
        audience: vec![],
        binding: binding.clone(),
    };
    let token = minter.mint_access(&grant, now).unwrap().token;

    let (signing_input, signature) = token.expose().rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();

    let (jwt_key, algorithm) = match verifying.public_point() {
        Some(point) => {
            let x = URL_SAFE_NO_PAD.encode(&point[1..33]);
            let y = URL_SAFE_NO_PAD.encode(&point[33..]);
            (
                jsonwebtoken::DecodingKey::from_ec_components(&x, &y).unwrap(),
                jsonwebtoken::Algorithm::ES256,
            )
        }
        None => (
            jsonwebtoken::DecodingKey::from_secret(secret.expose()),
            jsonwebtoken::Algorithm::HS256,
        ),
    };
    let mut jwt_validation = jsonwebtoken::Validation::new(algorithm);
    jwt_validation.set_issuer(&[ISSUER]);
    jwt_validation.validate_aud = false;
    jwt_validation.leeway = 30;

    let verifier = Verifier::new(
        KeySet::new([verifying]).unwrap(),
        VerifierConfig {
            issuer: ISSUER.into(),
            audience: None,
            leeway: Duration::from_secs(30),
        },
    );
    let case = Case {
        signing_input: signing_input.as_bytes().to_vec(),
        signature,
        token,
        now,
        binding,
        verifier,
        jwt_key,
        jwt_validation,
    };
    // Every contender accepts the token before it is timed.
    assert!(ours(&case));
    assert!(jsonwebtoken_decode(&case));
    case
}

fn ours(case: &Case) -> bool {
    case.verifier
        .verify_access(black_box(&case.token), &case.binding, case.now)
        .is_ok()
}

/// jsonwebtoken checks the signature, `exp` and `iss`; the binding it leaves
/// to the caller, so the comparison is added here to do the same work.
fn jsonwebtoken_decode(case: &Case) -> bool {
    match jsonwebtoken::decode::<JwtClaims>(
        black_box(case.token.expose()),
        &case.jwt_key,
        &case.jwt_validation,
    ) {
        Ok(data) => data.claims.cnf.x5t_s256 == case.binding.as_str(),
        Err(_) => false,
    }
}

mod es256 {
    use super::*;

    fn fixture() -> &'static Case {
        static CASE: OnceLock<Case> = OnceLock::new();
        CASE.get_or_init(|| case(true))
    }

    /// psd2-token: parse, check header and key, verify, decode and check claims.
    #[divan::bench]
    fn psd2_token() -> bool {
        ours(fixture())
    }

    /// ring alone: the ECDSA verification of the same signing input.
    #[divan::bench]
    fn ring_bare() -> bool {
        let case = fixture();
        let public = UnparsedPublicKey::new(
            &ECDSA_P256_SHA256_FIXED,
            case.verifier
                .keys()
                .iter()
                .next()
                .unwrap()
                .public_point()
                .unwrap(),
        );
        public
            .verify(black_box(&case.signing_input), black_box(&case.signature))
            .is_ok()
    }

    /// jsonwebtoken 11 (rust_crypto), same token, same claims.
    #[divan::bench]
    fn jsonwebtoken() -> bool {
        jsonwebtoken_decode(fixture())
    }
}

mod hs256 {
    use super::*;

    fn fixture() -> &'static (Case, hmac::Key) {
        static CASE: OnceLock<(Case, hmac::Key)> = OnceLock::new();
        CASE.get_or_init(|| {
            (
                case(false),
                hmac::Key::new(hmac::HMAC_SHA256, &[0x17u8; 32]),
            )
        })
    }

    /// psd2-token: parse, check header and key, verify, decode and check claims.
    #[divan::bench]
    fn psd2_token() -> bool {
        ours(&fixture().0)
    }

    /// ring alone: the HMAC verification of the same signing input.
    #[divan::bench]
    fn ring_bare() -> bool {
        let (case, key) = fixture();
        hmac::verify(
            key,
            black_box(&case.signing_input),
            black_box(&case.signature),
        )
        .is_ok()
    }

    /// jsonwebtoken 11 (rust_crypto), same token, same claims.
    #[divan::bench]
    fn jsonwebtoken() -> bool {
        jsonwebtoken_decode(&fixture().0)
    }
}
