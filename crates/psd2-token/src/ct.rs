//! Comparisons whose running time does not depend on where the inputs differ.

/// Whether `a == b`, reading every byte whatever the first difference.
///
/// The length is not hidden: every value compared here has a length that is
/// public (a thumbprint is 43 characters, a client id is sent in clear).
/// `black_box` keeps the optimiser from turning the fold back into an early
/// exit.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::ct_eq;

    #[test]
    fn equal_and_unequal() {
        assert!(ct_eq(b"", b""));
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"xbc"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
