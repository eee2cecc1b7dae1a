//! Tokens minted here verify here, carry what they were minted with, and
//! have the RFC 9068 shape.

mod common;

use common::*;
use psd2_core::{ClientId, Secret};
use psd2_token::{
    ACCESS_TOKEN_TYP, AccessGrant, GrantId, KeySet, Minter, REFRESH_TOKEN_TYP, SigningKey, Subject,
    SystemRandom, UnixTime, VerifyError,
};
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use serde_json::Value;

/// The header and claims of a token, as JSON values.
fn segments(token: &Secret<String>) -> (Value, Value) {
    let parts: Vec<&str> = token.expose().split('.').collect();
    assert_eq!(parts.len(), 3);
    (json(parts[0]), json(parts[1]))
}

#[test]
fn es256_access_token_round_trip() {
    let minter = minter(es256_key("es-1"));
    let verifier = verifier([minter.verifying_key()], None);
    let grant = grant(minter.new_grant_id().unwrap());
    let minted = minter.mint_access(&grant, NOW).unwrap();

    let verified = verifier
        .verify_access(&minted.token, &binding(), NOW)
        .unwrap();
    assert_eq!(verified.claims(), &minted.claims);
    assert_eq!(verified.psu(), Some(&psu()));
    assert_eq!(verified.client_id(), &client());
    assert_eq!(verified.scope(), &grant.scope);
    assert_eq!(verified.grant_id(), grant.grant_id);
    assert_eq!(verified.token_id(), minted.claims.token_id);
    assert_eq!(minted.claims.issued_at, NOW);
    assert_eq!(minted.expires_in(), ACCESS_LIFETIME);
    assert_eq!(verified.into_claims().binding, binding());
}

#[test]
fn hs256_client_credentials_round_trip() {
    let minter = minter(hs256_key("hs"));
    let verifier = verifier([minter.verifying_key()], Some("https://api.bank.example"));
    let grant = AccessGrant {
        subject: Subject::Client,
        scope: "pisp".parse().unwrap(),
        audience: vec!["https://api.bank.example".into()],
        ..grant(minter.new_grant_id().unwrap())
    };
    let minted = minter.mint_access(&grant, NOW).unwrap();
    let verified = verifier
        .verify_access(&minted.token, &binding(), NOW)
        .unwrap();
    assert_eq!(verified.psu(), None);
    assert_eq!(verified.claims().sub(), "PSDFR-ACPR-12345");

    // RFC 9068 §2.2: without a resource owner, `sub` is the client.
    let (_, claims) = segments(&minted.token);
    assert_eq!(claims["sub"], claims["client_id"]);
    assert!(claims.get("customer").is_none());
    assert_eq!(claims["aud"], "https://api.bank.example");
}

#[test]
fn several_audiences() {
    let minter = minter(hs256_key("hs"));
    let grant = AccessGrant {
        audience: vec!["https://a.example".into(), "https://b.example".into()],
        ..grant(minter.new_grant_id().unwrap())
    };
    let minted = minter.mint_access(&grant, NOW).unwrap();
    for ours in ["https://a.example", "https://b.example"] {
        let verifier = verifier([minter.verifying_key()], Some(ours));
        assert!(
            verifier
                .verify_access(&minted.token, &binding(), NOW)
                .is_ok(),
            "{ours}"
        );
    }
    let (_, claims) = segments(&minted.token);
    assert_eq!(
        claims["aud"],
        serde_json::json!(["https://a.example", "https://b.example"])
    );
}

#[test]
fn refresh_token_round_trip() {
    for key in [es256_key("es-1"), hs256_key("hs")] {
        let minter = minter(key);
        let verifier = verifier([minter.verifying_key()], None);
        let grant_id = minter.new_grant_id().unwrap();
        let minted = minter.mint_refresh(grant_id, &client(), NOW).unwrap();
        let verified = verifier
            .verify_refresh(&minted.token, &client(), NOW)
            .unwrap();
        assert_eq!(verified.claims(), &minted.claims);
        assert_eq!(verified.grant_id(), grant_id);
        assert_eq!(verified.token_id(), minted.claims.token_id);
        assert_eq!(
            minted.claims.expires_at,
            UnixTime::from_secs(NOW.as_secs() + REFRESH_LIFETIME)
        );
        let (header, claims) = segments(&minted.token);
        assert_eq!(header["typ"], REFRESH_TOKEN_TYP);
        assert_eq!(claims["grant_id"], grant_id.to_string());
    }
}

/// RFC 9068 §2.1 and §2.2: `typ` is `at+jwt`, and `iss`, `exp`, `sub`,
/// `client_id`, `iat` and `jti` are present (`aud` only when set, see the
/// README), with integer dates; RFC 8705 §3.1 `cnf.x5t#S256`.
#[test]
fn rfc9068_shape() {
    let minter = minter(es256_key("es-1"));
    let minted = minter
        .mint_access(&grant(minter.new_grant_id().unwrap()), NOW)
        .unwrap();
    let (header, claims) = segments(&minted.token);
    assert_eq!(
        header,
        serde_json::json!({"alg": "ES256", "typ": ACCESS_TOKEN_TYP, "kid": "es-1"})
    );
    for member in ["iss", "exp", "sub", "client_id", "iat", "jti"] {
        assert!(claims.get(member).is_some(), "{member}");
    }
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["sub"], "person-1");
    assert_eq!(claims["customer"], "customer-A");
    assert_eq!(claims["scope"], "aisp");
    assert!(claims["iat"].is_u64() && claims["exp"].is_u64());
    assert_eq!(
        claims["exp"].as_u64(),
        Some(NOW.as_secs() + ACCESS_LIFETIME)
    );
    assert_eq!(claims["cnf"]["x5t#S256"], binding().as_str());
    assert!(claims.get("aud").is_none());
}

/// The ES256 signature is plain JWS ES256: ring verifies it over
/// `header.payload` with the RFC 7515 A.3 public point, without this crate.
#[test]
fn es256_signature_is_standard_jws() {
    let minter = minter(es256_key("es-1"));
    let minted = minter
        .mint_access(&grant(minter.new_grant_id().unwrap()), NOW)
        .unwrap();
    let (signing_input, signature) = minted.token.expose().rsplit_once('.').unwrap();
    let public = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, es256_point());
    assert!(
        public
            .verify(signing_input.as_bytes(), &unb64(signature))
            .is_ok()
    );
}

/// Known answer: with the generator fixed at 0x42, the RFC 7515 A.1 key and
/// fixed claims, the token is exactly this one, computed independently
/// (Python's hmac, hashlib and base64 over the JSON text below).
#[test]
fn hs256_known_answer() {
    let minter = minter(hs256_key("hs-1"));
    let minted = minter
        .mint_access(&grant(minter.new_grant_id().unwrap()), NOW)
        .unwrap();
    let expected = concat!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImhzLTEifQ.",
        "eyJpc3MiOiJodHRwczovL2JhbmsuZXhhbXBsZSIsInN1YiI6InBlcnNvbi0xIiwiY3VzdG9tZXIiOiJjdXN0b21l",
        "ci1BIiwiY2xpZW50X2lkIjoiUFNERlItQUNQUi0xMjM0NSIsInNjb3BlIjoiYWlzcCIsImdyYW50X2lkIjoiUWtK",
        "Q1FrSkNRa0pDUWtKQ1FrSkNRZyIsImp0aSI6IlFrSkNRa0pDUWtKQ1FrSkNRa0pDUWciLCJpYXQiOjE3MDAwMDAw",
        "MDAsImV4cCI6MTcwMDAwMDMwMCwiY25mIjp7Ing1dCNTMjU2IjoiV2xwYVdscGFXbHBhV2xwYVdscGFXbHBhV2xw",
        "YVdscGFXbHBhV2xwYVdsbyJ9fQ.",
        "ybO_hTs-cTKtI2nA2lgGECzFSSmzIytfeI0vEaaPta8"
    );
    assert_eq!(minted.token.expose(), expected);
    let payload = expected.split('.').nth(1).unwrap();
    assert_eq!(
        String::from_utf8(unb64(payload)).unwrap(),
        concat!(
            r#"{"iss":"https://bank.example","sub":"person-1","customer":"customer-A","#,
            r#""client_id":"PSDFR-ACPR-12345","scope":"aisp","grant_id":"QkJCQkJCQkJCQkJCQkJCQg","#,
            r#""jti":"QkJCQkJCQkJCQkJCQkJCQg","iat":1700000000,"exp":1700000300,"#,
            r#""cnf":{"x5t#S256":"WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo"}}"#
        )
    );
}

#[test]
fn ids_are_fresh_with_the_system_generator() {
    let key = SigningKey::hs256(kid("hs"), &Secret::new(hs256_secret())).unwrap();
    let minter = Minter::new(key, SystemRandom::new(), config());
    let grant_id = minter.new_grant_id().unwrap();
    assert_ne!(grant_id, minter.new_grant_id().unwrap());
    let first = minter.mint_access(&grant(grant_id), NOW).unwrap();
    let second = minter.mint_access(&grant(grant_id), NOW).unwrap();
    assert_ne!(first.claims.token_id, second.claims.token_id);
    assert_ne!(first.token.expose(), second.token.expose());
    assert_eq!(first.claims.grant_id, second.claims.grant_id);
}

/// Rotation: while both keys are in the set, tokens of either verify; once
/// the old key is retired, its tokens are refused by `kid`.
#[test]
fn key_rotation() {
    let old = minter(es256_key("2026-04"));
    let new = minter(hs256_key("2026-05"));
    let both = verifier([old.verifying_key(), new.verifying_key()], None);
    let only_new = verifier([new.verifying_key()], None);
    let old_token = old
        .mint_access(&grant(old.new_grant_id().unwrap()), NOW)
        .unwrap();
    let new_token = new
        .mint_access(&grant(new.new_grant_id().unwrap()), NOW)
        .unwrap();
    assert!(
        both.verify_access(&old_token.token, &binding(), NOW)
            .is_ok()
    );
    assert!(
        both.verify_access(&new_token.token, &binding(), NOW)
            .is_ok()
    );
    assert!(
        only_new
            .verify_access(&new_token.token, &binding(), NOW)
            .is_ok()
    );
    assert_eq!(
        only_new
            .verify_access(&old_token.token, &binding(), NOW)
            .err(),
        Some(VerifyError::UnknownKey {
            kid: "2026-04".into()
        })
    );
    assert_eq!(both.keys().iter().count(), 2);
}

#[test]
fn a_key_reloaded_from_pkcs8_verifies_old_tokens() {
    let rng = SystemRandom::new();
    let (key, pkcs8) = SigningKey::generate_es256(kid("k"), &rng).unwrap();
    let first = Minter::new(key, rng, config());
    let token = first.mint_refresh(GrantId::generate(&fixed_rng()).unwrap(), &client(), NOW);
    let reloaded = SigningKey::es256_from_pkcs8(kid("k"), &pkcs8, &fixed_rng()).unwrap();
    let verifier = verifier([reloaded.verifying_key()], None);
    assert!(
        verifier
            .verify_refresh(&token.unwrap().token, &client(), NOW)
            .is_ok()
    );
    assert_eq!(KeySet::from(reloaded.verifying_key()).iter().count(), 1);
}

#[test]
fn tokens_and_keys_never_print() {
    let minter = minter(hs256_key("hs"));
    let minted = minter
        .mint_access(&grant(minter.new_grant_id().unwrap()), NOW)
        .unwrap();
    let printed = format!("{minted:?} {minter:?} {:?}", hs256_key("hs"));
    assert!(!printed.contains("eyJ"), "{printed}");
    assert!(!printed.contains(&HS256_K[..12]), "{printed}");
    assert!(printed.contains("REDACTED"));
}

#[test]
fn client_id_in_refresh_is_the_one_given() {
    let minter = minter(es256_key("es"));
    let other = ClientId::new("550e8400-e29b-41d4-a716-446655440000").unwrap();
    let minted = minter
        .mint_refresh(minter.new_grant_id().unwrap(), &other, NOW)
        .unwrap();
    assert_eq!(minted.claims.client_id, other);
    let verifier = verifier([minter.verifying_key()], None);
    assert!(verifier.verify_refresh(&minted.token, &other, NOW).is_ok());
}

/// A header our minter would not write byte for byte (other member order,
/// spacing, the full media type) takes the full header check, and passes it.
#[test]
fn headers_written_differently_still_verify() {
    let claims = access_claims_json(NOW.as_secs(), NOW.as_secs() + ACCESS_LIFETIME, "");
    let verifier = verifier([hs256_key("hs").verifying_key()], None);
    for header in [
        r#"{"kid":"hs","typ":"at+jwt","alg":"HS256"}"#,
        r#"{ "alg" : "HS256", "typ" : "at+jwt", "kid" : "hs" }"#,
        r#"{"alg":"HS256","typ":"application/at+jwt","kid":"hs"}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"\u0068s"}"#,
    ] {
        let token = forge(header, &claims, hmac_with(hs256_secret()));
        assert!(
            verifier.verify_access(&token, &binding(), NOW).is_ok(),
            "{header}"
        );
    }
}
