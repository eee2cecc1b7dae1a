//! Properties over generated input: nothing panics, nothing forged verifies,
//! everything minted verifies to what it was minted with.

// The strategies below build values from static regexes and from input
// generated to fit the grammar: an unwrap there fails only if a strategy is
// wrong, which is a test bug to see at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use proptest::prelude::*;
use psd2_core::{ClientId, CustomerId, PersonId, Psu, Scope, ScopeSet, Secret, X5tS256};
use psd2_token::{AccessGrant, GrantId, Subject};

fn vschar(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[ -~]{{1,{max}}}")).unwrap()
}

fn scope_set() -> impl Strategy<Value = ScopeSet> {
    proptest::collection::vec(
        proptest::string::string_regex("[!#-\\[\\]-~]{1,12}").unwrap(),
        0..5,
    )
    .prop_map(|tokens| tokens.into_iter().map(|t| Scope::new(t).unwrap()).collect())
}

prop_compose! {
    fn access_grant()(
        grant_bytes in any::<[u8; 16]>(),
        client in vschar(40),
        person in ".{1,30}",
        customer in proptest::option::of(".{0,30}"),
        scope in scope_set(),
        audience in proptest::collection::vec(".{1,20}", 0..3),
        digest in any::<[u8; 32]>(),
    ) -> AccessGrant {
        let grant_id = GrantId::parse(&b64(&grant_bytes)).unwrap();
        AccessGrant {
            grant_id,
            client_id: ClientId::new(client).unwrap(),
            subject: match customer {
                Some(customer) => Subject::Psu(Psu::new(PersonId(person), CustomerId(customer))),
                None => Subject::Client,
            },
            scope,
            audience,
            binding: X5tS256::from_sha256(&digest),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_nor_verify(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let verifier = verifier([hs256_key("hs").verifying_key(), es256_key("es").verifying_key()], None);
        let token = Secret::new(data.as_slice());
        prop_assert!(verifier.verify_access(&token, &binding(), NOW).is_err());
        prop_assert!(verifier.verify_refresh(&token, &client(), NOW).is_err());
    }

    #[test]
    fn token_shaped_text_never_verifies(text in "[A-Za-z0-9_-]{0,60}\\.[A-Za-z0-9_-]{0,200}\\.[A-Za-z0-9_-]{0,90}") {
        let verifier = verifier([hs256_key("hs").verifying_key(), es256_key("es").verifying_key()], None);
        let token = Secret::new(text);
        prop_assert!(verifier.verify_access(&token, &binding(), NOW).is_err());
        prop_assert!(verifier.verify_refresh(&token, &client(), NOW).is_err());
    }

    /// The fuzz entry point, over JSON-ish text: no panic, and its
    /// decode-encode-decode assertions hold.
    #[test]
    fn fuzz_entry_never_panics(text in r#"\{("[a-z_#S0-9]{1,9}":("[ -~]{0,24}"|[0-9]{1,11}|\[\]|\{\})[,]?){0,12}\}"#) {
        psd2_token::fuzzing::token_verifier(text.as_bytes());
    }

    #[test]
    fn minted_access_tokens_verify_to_their_grant(grant in access_grant(), es in any::<bool>()) {
        let key = if es { es256_key("k") } else { hs256_key("k") };
        let minter = minter(key);
        let audience = grant.audience.first().cloned();
        let verifier = verifier([minter.verifying_key()], audience.as_deref());
        let minted = minter.mint_access(&grant, NOW).unwrap();
        let verified = verifier.verify_access(&minted.token, &grant.binding, NOW).unwrap();
        prop_assert_eq!(verified.claims(), &minted.claims);
        prop_assert_eq!(&verified.claims().subject, &grant.subject);
        prop_assert_eq!(&verified.claims().scope, &grant.scope);
        prop_assert_eq!(&verified.claims().audience, &grant.audience);
        prop_assert_eq!(verified.client_id(), &grant.client_id);
    }

    /// Any change to one byte of a minted token makes it fail: the base64 is
    /// canonical, so no other text decodes to the signed bytes.
    #[test]
    fn one_changed_byte_never_verifies(position in any::<prop::sample::Index>(), byte in any::<u8>(), es in any::<bool>()) {
        let minter = minter(if es { es256_key("k") } else { hs256_key("k") });
        let verifier = verifier([minter.verifying_key()], None);
        let minted = minter.mint_access(&grant(minter.new_grant_id().unwrap()), NOW).unwrap();
        let mut bytes = minted.token.expose().clone().into_bytes();
        let index = position.index(bytes.len());
        prop_assume!(bytes[index] != byte);
        bytes[index] = byte;
        prop_assert!(verifier.verify_access(&Secret::new(bytes), &binding(), NOW).is_err());
    }
}
