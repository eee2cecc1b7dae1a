//! Entry points for the fuzz targets in `fuzz/fuzz_targets/`. Not part of the
//! API: hidden from the docs and free to change.
//!
//! Each function decodes arbitrary bytes with every form-based decoder. A
//! decode error is a fine outcome; a panic is a bug, and so is a message that
//! decodes but whose own encoding does not decode back to the same
//! parameters (checked with `assert!`, which is how a fuzzer learns of it).

use crate::{
    AuthorizationCallback, AuthorizationRequest, BasicCredentials, Form, FormMessage,
    RevocationRequest, TokenRequest,
};

/// The `form_decoder` target: [`Form`], then every message read from a form
/// or a form-encoded URL component.
pub fn form_decoder(data: &[u8]) {
    if let Ok(form) = Form::decode(data) {
        let again = Form::decode(form.encode().as_bytes());
        assert_eq!(again.as_ref(), Ok(&form), "Form: encode then decode");
    }
    round_trip::<AuthorizationRequest>(data);
    round_trip::<TokenRequest>(data);
    round_trip::<RevocationRequest>(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(callback) = AuthorizationCallback::from_redirect_url(text) {
        let url = callback.to_redirect_url("https://client.example/cb");
        match AuthorizationCallback::from_redirect_url(&url) {
            Ok(again) => {
                assert_eq!(again.location, callback.location, "callback location");
                assert_eq!(again.to_form(), callback.to_form(), "callback parameters");
            }
            Err(error) => panic!("callback: {url:?} does not decode: {error}"),
        }
    }
    if let Ok(credentials) = BasicCredentials::decode(text) {
        match BasicCredentials::decode(&credentials.to_header_value()) {
            Ok(again) => {
                assert_eq!(again.client_id, credentials.client_id, "Basic client_id");
                assert_eq!(
                    again.client_secret.expose(),
                    credentials.client_secret.expose(),
                    "Basic client_secret"
                );
            }
            Err(error) => panic!("Basic: re-encoded credentials do not decode: {error}"),
        }
    }
}

fn round_trip<M: FormMessage + std::fmt::Debug>(data: &[u8]) {
    let Ok(message) = M::decode(data) else {
        return;
    };
    let encoded = message.encode();
    match M::decode(encoded.as_bytes()) {
        Ok(again) => assert_eq!(again.to_form(), message.to_form(), "{message:?}"),
        Err(error) => panic!("{message:?}: encoding {encoded:?} does not decode: {error}"),
    }
}
