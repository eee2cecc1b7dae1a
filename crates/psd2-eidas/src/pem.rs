//! PEM input with one or many blocks (RFC 7468).

use crate::error::{ParseError, at, path};

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// The DER of every `CERTIFICATE` block, in order. Blocks with other labels
/// (a private key in the same file, say) are skipped; text between blocks is
/// ignored, as RFC 7468 §5.2 allows.
pub(crate) fn certificate_blocks(input: &[u8]) -> Result<Vec<Vec<u8>>, ParseError> {
    let mut blocks = Vec::new();
    let mut rest = input;
    while let Some(start) = find(rest, BEGIN) {
        let from_begin = &rest[start..];
        let Some(end_marker) = find(from_begin, END) else {
            return Err(at(path::PEM)(der::Error::from(
                der::pem::Error::PostEncapsulationBoundary,
            )));
        };
        let after_end = &from_begin[end_marker + END.len()..];
        let Some(end_dashes) = find(after_end, DASHES) else {
            return Err(at(path::PEM)(der::Error::from(
                der::pem::Error::PostEncapsulationBoundary,
            )));
        };
        let block_len = end_marker + END.len() + end_dashes + DASHES.len();
        let block = &from_begin[..block_len];
        let (label, der) =
            der::pem::decode_vec(block).map_err(|error| at(path::PEM)(error.into()))?;
        if label == "CERTIFICATE" {
            blocks.push(der);
        }
        rest = &from_begin[block_len..];
    }
    if blocks.is_empty() {
        return Err(ParseError::NoCertificate);
    }
    Ok(blocks)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
