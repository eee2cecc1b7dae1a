//! Entry points for `cargo fuzz` (`fuzz/fuzz_targets/token_verifier.rs`).
//! Not part of the API: hidden from the docs and free to change.

use std::sync::OnceLock;

use psd2_core::{ClientId, Secret, X5tS256};
use ring::rand::SystemRandom;

use crate::alg::Algorithm;
use crate::claims::AccessClaims;
use crate::header::{self, ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP};
use crate::ids::KeyId;
use crate::jws;
use crate::key_set::KeySet;
use crate::keys::{SigningKey, VerifyingKey};
use crate::refresh::RefreshClaims;
use crate::time::UnixTime;
use crate::verify::{Verifier, VerifierConfig};

/// The issuer the fixture verifier expects.
pub const ISSUER: &str = "https://bank.example";
/// The fixture's `now`.
pub const NOW: UnixTime = UnixTime::from_secs(1_700_000_100);
/// The fixture's HS256 secret: RFC 7515 Appendix A.1's key, public on purpose.
const HS256_SECRET: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
/// The fixture's ES256 public key: RFC 7515 Appendix A.3's `x` and `y`.
const ES256_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
const ES256_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

struct Fixture {
    verifier: Verifier,
    hs256: SigningKey,
    binding: X5tS256,
    client: ClientId,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| match build() {
        Ok(fixture) => fixture,
        // Constant inputs: this cannot fail unless the code is broken, which
        // is what a fuzzer is for.
        Err(e) => panic!("fuzz fixture: {e}"),
    })
}

fn build() -> Result<Fixture, Box<dyn std::error::Error>> {
    let secret = Secret::new(crate::b64::decode("k", HS256_SECRET.as_bytes())?);
    let hs256 = SigningKey::hs256(KeyId::new("hs")?, &secret)?;
    let mut point = vec![0x04];
    point.extend(crate::b64::decode("x", ES256_X.as_bytes())?);
    point.extend(crate::b64::decode("y", ES256_Y.as_bytes())?);
    let es256 = VerifyingKey::es256(KeyId::new("es")?, &point)?;
    let keys = KeySet::new([hs256.verifying_key(), es256])?;
    let config = VerifierConfig {
        issuer: ISSUER.to_owned(),
        audience: None,
        leeway: std::time::Duration::from_secs(30),
    };
    Ok(Fixture {
        verifier: Verifier::new(keys, config),
        hs256,
        binding: X5tS256::from_sha256(&[0x42; 32]),
        client: ClientId::new("PSDFR-ACPR-12345")?,
    })
}

/// Feeds `data` to the verifier three ways, none of which may panic:
/// as a token; as the payload of a token signed with the fixture's HS256 key
/// (so that the claim checks behind the signature are reached); and to the
/// claims decoders, where whatever decodes must re-encode to JSON that
/// decodes to the same claims.
pub fn token_verifier(data: &[u8]) {
    let fixture = fixture();
    let token = Secret::new(data);
    let _ = fixture
        .verifier
        .verify_access(&token, &fixture.binding, NOW);
    let _ = fixture
        .verifier
        .verify_refresh(&token, &fixture.client, NOW);

    for typ in [ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP] {
        let header = header::encode(Algorithm::Hs256, typ, fixture.hs256.id());
        // HS256 draws no randomness; the generator is only a parameter.
        if let Ok(signed) = jws::sign_payload(&header, data, &fixture.hs256, &SystemRandom::new()) {
            let signed = Secret::new(signed);
            let _ = fixture
                .verifier
                .verify_access(&signed, &fixture.binding, NOW);
            let _ = fixture
                .verifier
                .verify_refresh(&signed, &fixture.client, NOW);
        }
    }

    round_trip::<AccessClaims>(data);
    round_trip::<RefreshClaims>(data);
}

fn round_trip<T>(data: &[u8])
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Ok(claims) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let encoded = match serde_json::to_vec(&claims) {
        Ok(encoded) => encoded,
        Err(e) => panic!("decoded claims do not encode: {e}"),
    };
    match serde_json::from_slice::<T>(&encoded) {
        Ok(again) => assert_eq!(again, claims, "round trip changed the claims"),
        Err(e) => panic!("encoded claims do not decode: {e}"),
    }
}
