//! JWS Compact Serialization (RFC 7515 §3.1, §7.1): `header.payload.signature`,
//! each segment base64url. The codec knows syntax and the size limit; which
//! header values are acceptable is decided in [`check_header`], and the
//! signature by the key.

use ring::rand::SecureRandom;
use serde::Serialize;

use crate::alg::Algorithm;
use crate::b64;
use crate::error::{Malformation, MintError, VerifyError};
use crate::header::{self, Header};
use crate::key_set::KeySet;
use crate::keys::{SigningKey, VerifyingKey};
use crate::wire::Object;

/// The longest token accepted, in bytes, checked before anything is decoded.
/// Our tokens are well under 1 KiB; the limit bounds what an attacker can
/// make a verifier allocate and parse.
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// The three segments of a compact JWS, still encoded.
pub(crate) struct Compact<'a> {
    pub(crate) header: &'a [u8],
    pub(crate) payload: &'a [u8],
    pub(crate) signature: &'a [u8],
    /// `header.payload`: what the signature covers.
    pub(crate) signing_input: &'a [u8],
}

/// Splits a token into its segments.
pub(crate) fn split(token: &[u8]) -> Result<Compact<'_>, VerifyError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(malformed(
            "token",
            Malformation::TooLong { max: MAX_TOKEN_LEN },
        ));
    }
    let mut dots = token
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'.')
        .map(|(i, _)| i);
    let (Some(first), Some(second), None) = (dots.next(), dots.next(), dots.next()) else {
        return Err(malformed("token", Malformation::Segments));
    };
    Ok(Compact {
        header: &token[..first],
        payload: &token[first + 1..second],
        signature: &token[second + 1..],
        signing_input: &token[..second],
    })
}

/// Checks the header and the signature, and returns the payload segment (still
/// base64url) of a token of type `typ` signed by a key of `keys`.
///
/// The order matters: nothing of the payload is decoded before the signature
/// has verified, so the claims parser only ever sees bytes we signed.
pub(crate) fn verify<'t>(
    token: &'t [u8],
    keys: &KeySet,
    typ: &'static str,
) -> Result<&'t [u8], VerifyError> {
    let compact = split(token)?;
    let key = match keys.by_minted_header(compact.header, typ) {
        // The exact bytes our minter writes for this key: alg, typ and kid
        // are the key's, so decoding and checking them would change nothing.
        Some(key) => key,
        None => {
            let header_json = b64::decode("header", compact.header)?;
            let Object(header) = serde_json::from_slice::<Object<Header>>(&header_json)
                .map_err(json_error("header"))?;
            check_header(&header, keys, typ)?
        }
    };
    key.verify(compact.signing_input, compact.signature)?;
    Ok(compact.payload)
}

/// The key a header selects, if the header is acceptable: a supported `alg`,
/// the expected `typ`, a `kid` in the set, and the key's algorithm equal to
/// the header's.
fn check_header<'k>(
    header: &Header,
    keys: &'k KeySet,
    typ: &'static str,
) -> Result<&'k VerifyingKey, VerifyError> {
    let Some(alg) = Algorithm::from_name(&header.alg) else {
        return Err(VerifyError::UnsupportedAlgorithm {
            alg: header.alg.clone(),
        });
    };
    match &header.typ {
        Some(found) if header::typ_matches(found, typ) => {}
        _ => return Err(VerifyError::WrongType { expected: typ }),
    }
    let Some(kid) = &header.kid else {
        return Err(malformed("kid", Malformation::Missing));
    };
    let Some(key) = keys.get(kid) else {
        return Err(VerifyError::UnknownKey { kid: kid.clone() });
    };
    if key.algorithm() != alg {
        return Err(VerifyError::AlgorithmMismatch {
            header: alg,
            key: key.algorithm(),
        });
    }
    Ok(key)
}

/// Serializes `claims`, signs `header.payload` with `key`, and returns the
/// compact token. `header_b64` is the already encoded header.
pub(crate) fn sign(
    header_b64: &str,
    claims: &impl Serialize,
    key: &SigningKey,
    rng: &dyn SecureRandom,
) -> Result<String, MintError> {
    let payload = serde_json::to_vec(claims).map_err(|e| MintError::Serialize(e.to_string()))?;
    sign_payload(header_b64, &payload, key, rng)
}

/// Signs `payload` (JSON bytes, not yet encoded) under `header_b64`.
pub(crate) fn sign_payload(
    header_b64: &str,
    payload: &[u8],
    key: &SigningKey,
    rng: &dyn SecureRandom,
) -> Result<String, MintError> {
    let mut token = String::with_capacity(header_b64.len() + payload.len() * 4 / 3 + 96);
    token.push_str(header_b64);
    token.push('.');
    b64::encode_into(payload, &mut token);
    let mut signature = String::with_capacity(88);
    key.sign_into(rng, token.as_bytes(), &mut signature)?;
    token.push('.');
    token.push_str(&signature);
    if token.len() > MAX_TOKEN_LEN {
        return Err(MintError::TooLong {
            len: token.len(),
            max: MAX_TOKEN_LEN,
        });
    }
    Ok(token)
}

/// Decodes the payload segment and parses it as `T`.
pub(crate) fn decode_payload<T: serde::de::DeserializeOwned>(
    payload: &[u8],
) -> Result<T, VerifyError> {
    let json = b64::decode("payload", payload)?;
    serde_json::from_slice::<Object<T>>(&json)
        .map(|Object(claims)| claims)
        .map_err(json_error("claims"))
}

fn malformed(field: &'static str, problem: Malformation) -> VerifyError {
    VerifyError::Malformed { field, problem }
}

fn json_error(field: &'static str) -> impl Fn(serde_json::Error) -> VerifyError {
    move |e| malformed(field, Malformation::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::KeyId;
    use psd2_core::Secret;

    fn segments(token: &str) -> Result<(usize, usize, usize), VerifyError> {
        split(token.as_bytes()).map(|c| (c.header.len(), c.payload.len(), c.signature.len()))
    }

    #[test]
    fn three_segments_only() {
        assert_eq!(segments("a.bc.def"), Ok((1, 2, 3)));
        assert_eq!(segments(".."), Ok((0, 0, 0)));
        for bad in ["", "a", "a.b", "a.b.c.d", "a.b.c.d.e"] {
            assert_eq!(
                segments(bad),
                Err(malformed("token", Malformation::Segments)),
                "{bad}"
            );
        }
        let long = "a".repeat(MAX_TOKEN_LEN + 1);
        assert_eq!(
            segments(&long),
            Err(malformed(
                "token",
                Malformation::TooLong { max: MAX_TOKEN_LEN }
            ))
        );
    }

    /// RFC 7515 Appendix A.1: the HS256 example, header `{"typ":"JWT",
    /// "alg":"HS256"}` with CRLF line breaks, and the symmetric key of its
    /// JWK. Checked at the JWS layer: the header is not ours (no `kid`,
    /// `typ` JWT), but the signature must verify over the exact bytes.
    #[test]
    fn rfc7515_a1_hs256_signature() -> Result<(), Box<dyn std::error::Error>> {
        let token = concat!(
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9",
            ".",
            "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ",
            ".",
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        let k = b64::decode(
            "k",
            b"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
        )?;
        let key = VerifyingKey::hs256(KeyId::new("a1")?, &Secret::new(k))?;
        let compact = split(token.as_bytes())?;
        assert_eq!(key.verify(compact.signing_input, compact.signature), Ok(()));
        let header: Header = serde_json::from_slice(&b64::decode("header", compact.header)?)?;
        assert_eq!(header.alg, "HS256");
        // Through the full check it is refused for its type, before any key
        // lookup: a generic JWT is not an access token.
        let keys = KeySet::from(key);
        assert_eq!(
            verify(token.as_bytes(), &keys, header::ACCESS_TOKEN_TYP),
            Err(VerifyError::WrongType { expected: "at+jwt" })
        );
        Ok(())
    }

    /// RFC 7515 Appendix A.3: the ES256 example, verified with the public
    /// point of its JWK (`x`, `y`).
    #[test]
    fn rfc7515_a3_es256_signature() -> Result<(), Box<dyn std::error::Error>> {
        let signing_input = concat!(
            "eyJhbGciOiJFUzI1NiJ9",
            ".",
            "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        );
        let signature = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
        let mut point = vec![0x04];
        point.extend(b64::decode(
            "x",
            b"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        )?);
        point.extend(b64::decode(
            "y",
            b"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
        )?);
        let key = VerifyingKey::es256(KeyId::new("a3")?, &point)?;
        assert_eq!(
            key.verify(signing_input.as_bytes(), signature.as_bytes()),
            Ok(())
        );
        let mut tampered = signing_input.to_owned();
        tampered.push('A');
        assert_eq!(
            key.verify(tampered.as_bytes(), signature.as_bytes()),
            Err(VerifyError::BadSignature)
        );
        Ok(())
    }
}
