//! The parser never panics: arbitrary bytes, and mutations of real certificates.

// Test helpers outside #[test] functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use proptest::prelude::*;
use psd2_eidas::{FindingPolicy, Psd2Certificate};
use support::{all_fixture_names, fixture_der, fixture_pem};

/// Touches everything a caller can ask of a parsed certificate.
fn exercise(certificate: &Psd2Certificate) {
    let _ = certificate.check_profile(FindingPolicy::STRICT);
    assert_eq!(certificate.x5t_s256().as_str().len(), 43);
    for finding in certificate.findings() {
        assert!(!finding.to_string().is_empty());
    }
    let _ = (
        certificate.declares_qwac(),
        certificate.roles().count(),
        certificate.validity(),
    );
}

fn fixtures() -> Vec<Vec<u8>> {
    all_fixture_names()
        .iter()
        .map(|name| fixture_der(name))
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, mask: u8 },
    Set { at: usize, value: u8 },
    Truncate { at: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Remove { at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Mutation::Set { at, value }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..16).prop_map(|(at, len)| Mutation::Remove { at, len }),
    ]
}

fn apply(der: &mut Vec<u8>, mutation: &Mutation) {
    let len = der.len();
    match mutation {
        Mutation::Flip { at, mask } => der[at % len] ^= mask,
        Mutation::Set { at, value } => der[at % len] = *value,
        Mutation::Truncate { at } => der.truncate(at % len),
        Mutation::Insert { at, bytes } => {
            let at = at % (len + 1);
            der.splice(at..at, bytes.iter().copied());
        }
        Mutation::Remove { at, len: count } => {
            let start = at % len;
            let end = (start + count).min(len);
            der.drain(start..end);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(certificate) = Psd2Certificate::from_der(&bytes) {
            exercise(&certificate);
        }
        let _ = Psd2Certificate::from_pem(&bytes);
        psd2_eidas::fuzzing::certificate(&bytes);
    }

    #[test]
    fn mutated_certificates_never_panic(
        index in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let all = fixtures();
        let mut der = all[index % all.len()].clone();
        for mutation in &mutations {
            if der.is_empty() {
                break;
            }
            apply(&mut der, mutation);
        }
        if let Ok(certificate) = Psd2Certificate::from_der(&der) {
            exercise(&certificate);
            // What was parsed is exactly what was given: the thumbprint covers it.
            prop_assert_eq!(certificate.as_der(), der.as_slice());
        }
        psd2_eidas::fuzzing::certificate(&der);
    }

    #[test]
    fn mutated_pem_never_panics(index in any::<usize>(), at in any::<usize>(), value in any::<u8>()) {
        let names = all_fixture_names();
        let mut pem = fixture_pem(&names[index % names.len()]);
        let len = pem.len();
        pem[at % len] = value;
        if let Ok(certificates) = Psd2Certificate::from_pem(&pem) {
            certificates.iter().for_each(exercise);
        }
    }
}
