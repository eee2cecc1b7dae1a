//! psd2-eidas on arbitrary bytes: the DER and PEM certificate parsers, every
//! accessor of what parses, and the qcStatements decoder on its own (see
//! `psd2_eidas::fuzzing::certificate`). The only expected outcome is no panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| psd2_eidas::fuzzing::certificate(data));
