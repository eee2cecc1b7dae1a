//! Every way a token is refused, each with the exact error.

mod common;

use common::*;
use psd2_core::{ClientId, Secret, X5tS256};
use psd2_token::{Algorithm, Fault, MAX_TOKEN_LEN, Malformation, UnixTime, VerifyError};

fn hs_verifier() -> psd2_token::Verifier {
    verifier([hs256_key("hs").verifying_key()], None)
}

fn access(token: &Secret<String>) -> Result<(), VerifyError> {
    hs_verifier()
        .verify_access(token, &binding(), NOW)
        .map(drop)
}

fn refresh(token: &Secret<String>) -> Result<(), VerifyError> {
    hs_verifier()
        .verify_refresh(token, &client(), NOW)
        .map(drop)
}

fn signed_access(payload: &str) -> Secret<String> {
    forge(HS_ACCESS_HEADER, payload, hmac_with(hs256_secret()))
}

fn valid_claims() -> String {
    access_claims_json(NOW.as_secs(), NOW.as_secs() + ACCESS_LIFETIME, "")
}

fn malformed(field: &'static str, problem: Malformation) -> Result<(), VerifyError> {
    Err(VerifyError::Malformed { field, problem })
}

fn is_malformed_json(result: Result<(), VerifyError>, field: &str) -> bool {
    matches!(result, Err(VerifyError::Malformed { field: f, problem: Malformation::Json(_) }) if f == field)
}

#[test]
fn the_forger_makes_valid_tokens() {
    // Every forged rejection below differs from this one in one respect.
    assert_eq!(access(&signed_access(&valid_claims())), Ok(()));
    let refresh_claims = refresh_claims_json(NOW.as_secs(), NOW.as_secs() + 60, "");
    let token = forge(
        HS_REFRESH_HEADER,
        &refresh_claims,
        hmac_with(hs256_secret()),
    );
    assert_eq!(refresh(&token), Ok(()));
}

#[test]
fn size_limit_before_decoding() {
    let huge = Secret::new("a".repeat(MAX_TOKEN_LEN + 1));
    assert_eq!(
        access(&huge),
        malformed("token", Malformation::TooLong { max: MAX_TOKEN_LEN })
    );
    let padded = valid_claims().replace("}}", &format!("}}{}}}", " ".repeat(MAX_TOKEN_LEN)));
    assert_eq!(
        access(&signed_access(&padded)),
        malformed("token", Malformation::TooLong { max: MAX_TOKEN_LEN })
    );
}

#[test]
fn segments() {
    for text in ["", "abc", "a.b", "a.b.c.d", "..."] {
        assert_eq!(
            access(&Secret::new(text.to_owned())),
            malformed("token", Malformation::Segments),
            "{text}"
        );
    }
}

#[test]
fn base64_is_strict() {
    let good = signed_access(&valid_claims());
    let parts: Vec<&str> = good.expose().split('.').collect();
    let with = |header: &str, payload: &str, signature: &str| {
        Secret::new(format!("{header}.{payload}.{signature}"))
    };
    // Padding, whitespace and the standard alphabet in each segment.
    assert_eq!(
        access(&with(&format!("{}=", parts[0]), parts[1], parts[2])),
        malformed("header", Malformation::Base64)
    );
    assert_eq!(
        access(&with(&format!(" {}", parts[0]), parts[1], parts[2])),
        malformed("header", Malformation::Base64)
    );
    assert_eq!(
        access(&with(parts[0], parts[1], &format!("{}=", parts[2]))),
        malformed("signature", Malformation::Base64)
    );
    assert_eq!(
        access(&with(
            parts[0],
            parts[1],
            &parts[2].replace('_', "/").replace('-', "+")
        )),
        if parts[2].contains(['_', '-']) {
            malformed("signature", Malformation::Base64)
        } else {
            Err(VerifyError::BadSignature)
        }
    );
    // A payload segment that is not base64 but carries a valid signature
    // over its text.
    let header = b64(HS_ACCESS_HEADER.as_bytes());
    let signing_input = format!("{header}.e30+");
    let signature = b64(&hmac_with(hs256_secret())(signing_input.as_bytes()));
    assert_eq!(
        access(&Secret::new(format!("{signing_input}.{signature}"))),
        malformed("payload", Malformation::Base64)
    );
}

/// The last character of an HS256 signature (32 bytes, 43 characters) has 2
/// unused bits: a decoder that ignores them accepts 4 spellings of one
/// signature.
#[test]
fn signature_trailing_bits() {
    let good = signed_access(&valid_claims());
    let (rest, signature) = good.expose().rsplit_once('.').unwrap();
    let last = signature.chars().last().unwrap();
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let index = ALPHABET.find(last).unwrap();
    let sibling = ALPHABET.as_bytes()[index ^ 1] as char; // same top 2 bits
    let mut altered = signature[..signature.len() - 1].to_owned();
    altered.push(sibling);
    assert_eq!(
        access(&Secret::new(format!("{rest}.{altered}"))),
        malformed("signature", Malformation::Base64)
    );
}

#[test]
fn header_json_is_strict() {
    let claims = valid_claims();
    for header in [
        "not json",
        r#"["HS256","at+jwt","hs"]"#,
        r#"{"alg":"HS256","alg":"HS256","typ":"at+jwt","kid":"hs"}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs","jwk":{"kty":"oct","k":"AAAA"}}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs","jku":"https://evil.example/jwks"}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs","x5u":"https://evil.example/cert"}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs","x5c":["MIIB"]}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs","crit":["exp"]}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs","b64":false}"#,
        r#"{"typ":"at+jwt","kid":"hs"}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":7}"#,
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs"}trailing"#,
    ] {
        let token = forge(header, &claims, hmac_with(hs256_secret()));
        assert!(is_malformed_json(access(&token), "header"), "{header}");
    }
}

#[test]
fn unsupported_algorithms() {
    let claims = valid_claims();
    // alg none with an empty signature: RFC 7518 §3.6's unsecured JWS.
    let none = forge(
        r#"{"alg":"none","typ":"at+jwt","kid":"hs"}"#,
        &claims,
        |_| Vec::new(),
    );
    assert_eq!(
        access(&none),
        Err(VerifyError::UnsupportedAlgorithm { alg: "none".into() })
    );
    for alg in ["RS256", "es256", "HS512", "None", ""] {
        let header = format!(r#"{{"alg":"{alg}","typ":"at+jwt","kid":"hs"}}"#);
        let token = forge(&header, &claims, hmac_with(hs256_secret()));
        assert_eq!(
            access(&token),
            Err(VerifyError::UnsupportedAlgorithm { alg: alg.into() }),
            "{alg}"
        );
    }
}

/// The classic confusion: the verifier holds an ES256 public key, and the
/// attacker signs with HMAC keyed by that public key's bytes, hoping the
/// verifier follows the header's `alg`.
#[test]
fn algorithm_confusion() {
    let es_verifier = verifier([es256_key("es").verifying_key()], None);
    let header = r#"{"alg":"HS256","typ":"at+jwt","kid":"es"}"#;
    for public_bytes in [es256_point(), b64(&es256_point()).into_bytes()] {
        let token = forge(header, &valid_claims(), hmac_with(public_bytes));
        assert_eq!(
            es_verifier.verify_access(&token, &binding(), NOW).err(),
            Some(VerifyError::AlgorithmMismatch {
                header: Algorithm::Hs256,
                key: Algorithm::Es256
            })
        );
    }
    // The reverse: an ES256 header naming an HS256 key.
    let token = forge(
        r#"{"alg":"ES256","typ":"at+jwt","kid":"hs"}"#,
        &valid_claims(),
        |_| vec![0; 64],
    );
    assert_eq!(
        access(&token),
        Err(VerifyError::AlgorithmMismatch {
            header: Algorithm::Es256,
            key: Algorithm::Hs256
        })
    );
}

#[test]
fn token_types() {
    let claims = valid_claims();
    for typ in [
        None,
        Some("JWT"),
        Some("jwt"),
        Some("rt+jwt"),
        Some("application/jwt"),
        Some(""),
    ] {
        let header = match typ {
            Some(typ) => format!(r#"{{"alg":"HS256","typ":"{typ}","kid":"hs"}}"#),
            None => r#"{"alg":"HS256","kid":"hs"}"#.to_owned(),
        };
        let token = forge(&header, &claims, hmac_with(hs256_secret()));
        assert_eq!(
            access(&token),
            Err(VerifyError::WrongType { expected: "at+jwt" }),
            "{typ:?}"
        );
    }
    // RFC 9068 §4 accepts the full media type, in any case.
    for typ in ["application/at+jwt", "AT+JWT"] {
        let header = format!(r#"{{"alg":"HS256","typ":"{typ}","kid":"hs"}}"#);
        assert_eq!(
            access(&forge(&header, &claims, hmac_with(hs256_secret()))),
            Ok(()),
            "{typ}"
        );
    }

    // A minted refresh token is not an access token, and the reverse.
    let minter = minter(hs256_key("hs"));
    let grant_id = minter.new_grant_id().unwrap();
    let refresh_token = minter.mint_refresh(grant_id, &client(), NOW).unwrap().token;
    let access_token = minter.mint_access(&grant(grant_id), NOW).unwrap().token;
    assert_eq!(
        access(&refresh_token),
        Err(VerifyError::WrongType { expected: "at+jwt" })
    );
    assert_eq!(
        refresh(&access_token),
        Err(VerifyError::WrongType { expected: "rt+jwt" })
    );
    // Even with the type changed, the claims of one do not parse as the other.
    let as_refresh = forge(HS_REFRESH_HEADER, &claims, hmac_with(hs256_secret()));
    assert!(is_malformed_json(refresh(&as_refresh), "claims"));
}

#[test]
fn key_ids() {
    let claims = valid_claims();
    let no_kid = forge(
        r#"{"alg":"HS256","typ":"at+jwt"}"#,
        &claims,
        hmac_with(hs256_secret()),
    );
    assert_eq!(access(&no_kid), malformed("kid", Malformation::Missing));
    let unknown = forge(
        r#"{"alg":"HS256","typ":"at+jwt","kid":"hs2"}"#,
        &claims,
        hmac_with(hs256_secret()),
    );
    assert_eq!(
        access(&unknown),
        Err(VerifyError::UnknownKey { kid: "hs2".into() })
    );
}

#[test]
fn bad_signatures() {
    let claims = valid_claims();
    // Another secret under the same kid.
    let other = forge(HS_ACCESS_HEADER, &claims, hmac_with(vec![0x11; 32]));
    assert_eq!(access(&other), Err(VerifyError::BadSignature));
    // A signature of the wrong length.
    let short = forge(HS_ACCESS_HEADER, &claims, |_| vec![0; 31]);
    assert_eq!(access(&short), Err(VerifyError::BadSignature));
    // A payload spliced from another token.
    let good = signed_access(&claims);
    let parts: Vec<&str> = good.expose().split('.').collect();
    let changed = claims.replace("aisp", "pisp");
    let spliced = format!("{}.{}.{}", parts[0], b64(changed.as_bytes()), parts[2]);
    assert_eq!(
        access(&Secret::new(spliced)),
        Err(VerifyError::BadSignature)
    );
    // An ES256 token with one bit of its signature flipped.
    let es = minter(es256_key("es"));
    let token = es
        .mint_access(&grant(es.new_grant_id().unwrap()), NOW)
        .unwrap()
        .token;
    let (rest, signature) = token.expose().rsplit_once('.').unwrap();
    let mut raw = unb64(signature);
    raw[10] ^= 1;
    let flipped = Secret::new(format!("{rest}.{}", b64(&raw)));
    let es_verifier = verifier([es.verifying_key()], None);
    assert_eq!(
        es_verifier.verify_access(&flipped, &binding(), NOW).err(),
        Some(VerifyError::BadSignature)
    );
}

#[test]
fn claims_json_is_strict() {
    let (iat, exp) = (NOW.as_secs(), NOW.as_secs() + ACCESS_LIFETIME);
    for payload in [
        access_claims_json(iat, exp, r#","exp":1"#), // repeated member
        access_claims_json(iat, exp, r#","nbf":1"#), // unknown member
        access_claims_json(iat, exp, r#","acr":"1""#),
        access_claims_json(iat, exp, "")
            .replace(&format!(r#""iat":{iat}"#), &format!(r#""iat":{iat}.0"#)),
        access_claims_json(iat, exp, "").replace(&format!(r#""exp":{exp}"#), r#""exp":-1"#),
        access_claims_json(iat, exp, "").replace(&format!(r#""exp":{exp}"#), r#""exp":1e10"#),
        access_claims_json(iat, exp, "").replace(r#""scope":"aisp""#, r#""scope":" aisp""#),
        access_claims_json(iat, exp, "").replace(r#""scope":"aisp""#, r#""scope":"""#),
        access_claims_json(iat, exp, "")
            .replace(r#""client_id":"PSDFR-ACPR-12345""#, r#""client_id":"a\nb""#),
        access_claims_json(iat, exp, "").replace(r#","jti":"BwcHBwcHBwcHBwcHBwcHBw""#, ""),
        access_claims_json(iat, exp, "").replace(binding().as_str(), "too-short"),
        "[]".to_owned(),
        "null".to_owned(),
        String::new(),
    ] {
        assert!(
            is_malformed_json(access(&signed_access(&payload)), "claims"),
            "{payload}"
        );
    }
}

/// RFC 8705 §3.1, Figure 2, signed with our key: it has `nbf`, no
/// `client_id`, `iat` or `jti`, and a non-canonical thumbprint. Whatever
/// signed it, it is not an access token of this profile.
#[test]
fn rfc8705_example_claims_are_not_ours() {
    let figure_2 = r#"{
      "iss": "https://server.example.com",
      "sub": "ty.webb@example.com",
      "exp": 1493726400,
      "nbf": 1493722800,
      "cnf":{
        "x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"
      }
    }"#;
    assert!(is_malformed_json(
        access(&signed_access(figure_2)),
        "claims"
    ));
}

#[test]
fn claims_that_parse_but_break_a_rule() {
    let (iat, exp) = (NOW.as_secs(), NOW.as_secs() + ACCESS_LIFETIME);
    let stranger = access_claims_json(iat, exp, "").replace(r#""customer":"customer-A","#, "");
    assert_eq!(
        access(&signed_access(&stranger)),
        malformed(
            "sub",
            Malformation::Invalid("neither the client_id nor paired with a customer")
        )
    );
    let empty_sub = access_claims_json(iat, exp, "").replace(r#""sub":"person-1""#, r#""sub":"""#);
    assert_eq!(
        access(&signed_access(&empty_sub)),
        malformed("sub", Malformation::Invalid("empty"))
    );
    let backwards = access_claims_json(iat, iat, "");
    assert_eq!(
        access(&signed_access(&backwards)),
        malformed("exp", Malformation::Invalid("not after iat"))
    );
    let refresh_backwards = forge(
        HS_REFRESH_HEADER,
        &refresh_claims_json(iat, iat - 1, ""),
        hmac_with(hs256_secret()),
    );
    assert_eq!(
        refresh(&refresh_backwards),
        malformed("exp", Malformation::Invalid("not after iat"))
    );
}

#[test]
fn issuer() {
    let (iat, exp) = (NOW.as_secs(), NOW.as_secs() + ACCESS_LIFETIME);
    for issuer in [
        "https://evil.example",
        "https://bank.example/",
        "HTTPS://BANK.EXAMPLE",
    ] {
        let claims = access_claims_json(iat, exp, "").replace(ISSUER, issuer);
        assert_eq!(
            access(&signed_access(&claims)),
            Err(VerifyError::WrongIssuer),
            "{issuer}"
        );
    }
    let refresh_claims = refresh_claims_json(iat, exp, "").replace(ISSUER, "https://evil.example");
    let token = forge(
        HS_REFRESH_HEADER,
        &refresh_claims,
        hmac_with(hs256_secret()),
    );
    assert_eq!(refresh(&token), Err(VerifyError::WrongIssuer));
}

/// Valid while `now < exp + leeway`: the boundary second is refused.
#[test]
fn expiry_with_leeway() {
    let minter = minter(hs256_key("hs"));
    let minted = minter
        .mint_access(&grant(minter.new_grant_id().unwrap()), NOW)
        .unwrap();
    let exp = NOW.as_secs() + ACCESS_LIFETIME;
    let verifier = hs_verifier();
    let at =
        |secs: u64| verifier.verify_access(&minted.token, &binding(), UnixTime::from_secs(secs));
    assert!(at(exp - 1).is_ok());
    assert!(at(exp).is_ok(), "inside the leeway");
    assert!(at(exp + LEEWAY - 1).is_ok());
    assert_eq!(
        at(exp + LEEWAY).err(),
        Some(VerifyError::Expired {
            expires_at: UnixTime::from_secs(exp),
            now: UnixTime::from_secs(exp + LEEWAY)
        })
    );
    assert!(matches!(at(u64::MAX), Err(VerifyError::Expired { .. })));

    let refresh_token = minter
        .mint_refresh(minted.claims.grant_id, &client(), NOW)
        .unwrap();
    let late = UnixTime::from_secs(NOW.as_secs() + REFRESH_LIFETIME + LEEWAY);
    assert!(matches!(
        verifier.verify_refresh(&refresh_token.token, &client(), late),
        Err(VerifyError::Expired { .. })
    ));
}

#[test]
fn issued_in_the_future() {
    let verifier = hs_verifier();
    let minter = minter(hs256_key("hs"));
    let future = UnixTime::from_secs(NOW.as_secs() + LEEWAY + 1);
    let minted = minter
        .mint_access(&grant(minter.new_grant_id().unwrap()), future)
        .unwrap();
    assert_eq!(
        verifier.verify_access(&minted.token, &binding(), NOW).err(),
        Some(VerifyError::IssuedInFuture {
            issued_at: future,
            now: NOW
        })
    );
    let within = minter
        .mint_access(
            &grant(minter.new_grant_id().unwrap()),
            UnixTime::from_secs(NOW.as_secs() + LEEWAY),
        )
        .unwrap();
    assert!(
        verifier
            .verify_access(&within.token, &binding(), NOW)
            .is_ok()
    );
    let refresh_token = minter
        .mint_refresh(minted.claims.grant_id, &client(), future)
        .unwrap();
    assert_eq!(
        verifier
            .verify_refresh(&refresh_token.token, &client(), NOW)
            .err(),
        Some(VerifyError::IssuedInFuture {
            issued_at: future,
            now: NOW
        })
    );
}

#[test]
fn audience() {
    let (iat, exp) = (NOW.as_secs(), NOW.as_secs() + ACCESS_LIFETIME);
    let key = || hs256_key("hs").verifying_key();
    let with_aud =
        |aud: &str| signed_access(&access_claims_json(iat, exp, &format!(r#","aud":{aud}"#)));
    let without = signed_access(&access_claims_json(iat, exp, ""));
    let ours = verifier([key()], Some("https://api.bank.example"));
    let nameless = verifier([key()], None);
    let check = |v: &psd2_token::Verifier, token: &Secret<String>| {
        v.verify_access(token, &binding(), NOW).map(drop)
    };

    assert_eq!(
        check(&ours, &with_aud(r#""https://api.bank.example""#)),
        Ok(())
    );
    assert_eq!(
        check(
            &ours,
            &with_aud(r#"["https://x.example","https://api.bank.example"]"#)
        ),
        Ok(())
    );
    assert_eq!(
        check(&ours, &with_aud(r#""https://x.example""#)),
        Err(VerifyError::WrongAudience)
    );
    assert_eq!(
        check(&ours, &with_aud(r#""https://api.bank.example/""#)),
        Err(VerifyError::WrongAudience)
    );
    assert_eq!(check(&ours, &without), Err(VerifyError::WrongAudience));
    assert_eq!(
        check(&nameless, &with_aud(r#""https://x.example""#)),
        Err(VerifyError::WrongAudience)
    );
    assert_eq!(check(&nameless, &without), Ok(()));
}

#[test]
fn certificate_binding() {
    let minter = minter(es256_key("es"));
    let verifier = verifier([minter.verifying_key()], None);
    let minted = minter
        .mint_access(&grant(minter.new_grant_id().unwrap()), NOW)
        .unwrap();
    let mut digest = [0x5a; 32];
    digest[31] ^= 1;
    for other in [
        X5tS256::from_sha256(&digest),
        X5tS256::from_sha256(&[0; 32]),
    ] {
        assert_eq!(
            verifier.verify_access(&minted.token, &other, NOW).err(),
            Some(VerifyError::WrongBinding)
        );
    }
}

#[test]
fn refresh_client() {
    let minter = minter(hs256_key("hs"));
    let minted = minter
        .mint_refresh(minter.new_grant_id().unwrap(), &client(), NOW)
        .unwrap();
    for other in ["PSDFR-ACPR-12346", "PSDFR-ACPR-1234", "psdfr-acpr-12345"] {
        assert_eq!(
            hs_verifier()
                .verify_refresh(&minted.token, &ClientId::new(other).unwrap(), NOW)
                .err(),
            Some(VerifyError::WrongClient),
            "{other}"
        );
    }
}

#[test]
fn faults_follow_the_variant() {
    assert_eq!(
        access(&Secret::new("x".into())).unwrap_err().fault(),
        Fault::Syntax
    );
    let forged = forge(HS_ACCESS_HEADER, &valid_claims(), hmac_with(vec![1; 32]));
    assert_eq!(access(&forged).unwrap_err().fault(), Fault::Authenticity);
    let stale = signed_access(&access_claims_json(1, 2, ""));
    assert_eq!(access(&stale).unwrap_err().fault(), Fault::Validity);
}
