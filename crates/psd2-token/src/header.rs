//! The JOSE header (RFC 7515 §4.1) of the tokens this crate mints.

use serde::Deserialize;

use crate::alg::Algorithm;
use crate::b64;
use crate::ids::KeyId;

/// The `typ` of access tokens (RFC 9068 §2.1). On input, RFC 9068 §4 also
/// accepts `application/at+jwt`.
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";

/// The `typ` of refresh tokens. Not registered: it is private to this crate,
/// whose authorization server is the only reader, and exists so that an
/// access token can never pass for a refresh token or the reverse
/// (explicit typing, RFC 8725 §3.11).
pub const REFRESH_TOKEN_TYP: &str = "rt+jwt";

/// The members a header may have. Anything else is refused, in particular
/// `jwk`, `jku`, `x5c` and `x5u` (a key chosen by the token), `crit`
/// (extensions we would have to understand) and `b64` (RFC 7797 unencoded
/// payloads). A repeated member is refused by the derive.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Header {
    pub(crate) alg: String,
    #[serde(default)]
    pub(crate) typ: Option<String>,
    #[serde(default)]
    pub(crate) kid: Option<String>,
}

/// The base64url header for tokens of type `typ` signed by key `kid`.
///
/// Written by hand rather than through serde: the members are fixed and the
/// [`KeyId`] alphabet needs no JSON escaping, so minting skips one
/// serialization per token (the result is computed once per minter anyway).
pub(crate) fn encode(alg: Algorithm, typ: &str, kid: &KeyId) -> String {
    let json = format!(
        r#"{{"alg":"{}","typ":"{}","kid":"{}"}}"#,
        alg.name(),
        typ,
        kid.as_str()
    );
    let mut out = String::new();
    b64::encode_into(json.as_bytes(), &mut out);
    out
}

/// Whether the header's `typ` is `expected`. RFC 7515 §4.1.9: media type
/// names compare without regard to case, and `application/` may be left out.
pub(crate) fn typ_matches(typ: &str, expected: &str) -> bool {
    const PREFIX: &str = "application/";
    let bare = match typ.get(..PREFIX.len()) {
        Some(head) if head.eq_ignore_ascii_case(PREFIX) => &typ[PREFIX.len()..],
        _ => typ,
    };
    bare.eq_ignore_ascii_case(expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Object;

    #[test]
    fn typ_forms() {
        assert!(typ_matches("at+jwt", ACCESS_TOKEN_TYP));
        assert!(typ_matches("application/at+jwt", ACCESS_TOKEN_TYP));
        assert!(typ_matches("Application/AT+JWT", ACCESS_TOKEN_TYP));
        assert!(!typ_matches("JWT", ACCESS_TOKEN_TYP));
        assert!(!typ_matches("application/jwt", ACCESS_TOKEN_TYP));
        assert!(!typ_matches("rt+jwt", ACCESS_TOKEN_TYP));
        assert!(!typ_matches("at+jwt ", ACCESS_TOKEN_TYP));
        assert!(!typ_matches("application/", ACCESS_TOKEN_TYP));
        assert!(!typ_matches("é", ACCESS_TOKEN_TYP));
    }

    #[test]
    fn encoded_header_is_what_serde_reads() -> Result<(), Box<dyn std::error::Error>> {
        let encoded = encode(Algorithm::Es256, ACCESS_TOKEN_TYP, &KeyId::new("k-1")?);
        let json = b64::decode("header", encoded.as_bytes())?;
        assert_eq!(json, br#"{"alg":"ES256","typ":"at+jwt","kid":"k-1"}"#);
        let header: Header = serde_json::from_slice(&json)?;
        assert_eq!(header.alg, "ES256");
        assert_eq!(header.typ.as_deref(), Some("at+jwt"));
        assert_eq!(header.kid.as_deref(), Some("k-1"));
        Ok(())
    }

    #[test]
    fn strict_members() {
        let refused = [
            r#"{"alg":"ES256","alg":"HS256","typ":"at+jwt","kid":"k"}"#,
            r#"{"alg":"ES256","typ":"at+jwt","kid":"k","jwk":{}}"#,
            r#"{"alg":"ES256","typ":"at+jwt","kid":"k","jku":"https://x"}"#,
            r#"{"alg":"ES256","typ":"at+jwt","kid":"k","x5c":[]}"#,
            r#"{"alg":"ES256","typ":"at+jwt","kid":"k","crit":["exp"]}"#,
            r#"{"alg":"ES256","typ":"at+jwt","kid":"k"} x"#,
            r#"{"typ":"at+jwt","kid":"k"}"#,
            r#"{"alg":1,"typ":"at+jwt","kid":"k"}"#,
            r#"["ES256","at+jwt","k"]"#,
            r#""ES256""#,
        ];
        for json in refused {
            assert!(
                serde_json::from_str::<Object<Header>>(json).is_err(),
                "{json}"
            );
        }
    }
}
