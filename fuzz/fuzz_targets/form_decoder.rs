//! Every form-based decoder of psd2-wire on arbitrary bytes: nothing panics,
//! and every message that decodes re-encodes to one that decodes to the same
//! parameters (see `psd2_wire::fuzzing::form_decoder`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| psd2_wire::fuzzing::form_decoder(data));
