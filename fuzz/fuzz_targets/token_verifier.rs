//! psd2-token's verifier, claims decoders and their JSON round trip on
//! arbitrary bytes: `cargo fuzz run token_verifier`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| psd2_token::fuzzing::token_verifier(data));
