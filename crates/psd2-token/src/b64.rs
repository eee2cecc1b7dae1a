//! Strict base64url without padding (RFC 7515 §2, RFC 4648 §5).
//!
//! The engine refuses padding, the `+` and `/` alphabet, whitespace and
//! non-zero trailing bits, so every byte string has exactly one accepted
//! encoding: a token cannot be altered into another text that decodes to
//! the same bytes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Malformation, VerifyError};

/// Appends the encoding of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    URL_SAFE_NO_PAD.encode_string(bytes, out);
}

/// Decodes one segment; `field` names it in the error.
pub(crate) fn decode(field: &'static str, segment: &[u8]) -> Result<Vec<u8>, VerifyError> {
    URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| VerifyError::Malformed {
            field,
            problem: Malformation::Base64,
        })
}

/// Decodes a segment that must hold exactly `N` bytes into a stack buffer.
/// `None` for anything else, including a non-canonical encoding.
pub(crate) fn decode_exact<const N: usize>(segment: &[u8]) -> Option<[u8; N]> {
    // Unpadded base64 of N bytes is ceil(4N/3) characters; checking the
    // length first also keeps decode_slice from writing past N.
    if segment.len() != (4 * N).div_ceil(3) {
        return None;
    }
    let mut out = [0u8; N];
    match URL_SAFE_NO_PAD.decode_slice(segment, &mut out) {
        Ok(written) if written == N => Some(out),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decodes(segment: &str) -> bool {
        decode("t", segment.as_bytes()).is_ok()
    }

    #[test]
    fn strict_alphabet_and_padding() {
        assert!(decodes("eyJhbGciOiJFUzI1NiJ9"));
        assert!(!decodes("eyJhbGciOiJFUzI1NiJ9=")); // padding
        assert!(!decodes("ab+/")); // standard alphabet
        assert!(!decodes("ab cd")); // whitespace
        assert!(!decodes("ab\ncd"));
    }

    #[test]
    fn trailing_bits_are_refused() {
        // "QQ" is the canonical encoding of "A"; "QR" differs only in the
        // four unused bits and must not decode to the same byte.
        assert_eq!(decode("t", b"QQ"), Ok(b"A".to_vec()));
        assert!(!decodes("QR"));
    }

    #[test]
    fn exact_length() {
        let mut text = String::new();
        encode_into(&[7u8; 32], &mut text);
        assert_eq!(decode_exact::<32>(text.as_bytes()), Some([7u8; 32]));
        assert_eq!(decode_exact::<16>(text.as_bytes()), None);
        assert_eq!(decode_exact::<32>(&text.as_bytes()[1..]), None);
    }
}
