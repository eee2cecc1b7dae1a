//! Arbitrary input never panics any decoder.
//!
//! Random bytes seldom get past the first check, so each decoder is also fed
//! input built from its own alphabet: known parameter names, separators and
//! escapes for forms; quotes, commas and equals signs for headers; JSON
//! objects whose members are the known names with values of any type.

// Test helpers outside `#[test]` functions unwrap too; clippy.toml's
// allow-unwrap-in-tests only covers the test functions themselves.
#![allow(clippy::unwrap_used)]

use proptest::collection::vec;
use proptest::prelude::*;
use psd2_wire::{
    AuthorizationCallback, AuthorizationRequest, AuthorizationServerMetadata, BasicCredentials,
    BearerChallenge, ErrorResponse, Form, FormMessage, IntrospectionResponse, JsonMessage,
    RegistrationRequest, RegistrationResponse, RevocationRequest, TokenRequest, TokenResponse,
    fuzzing, parse_challenges,
};
use serde_json::{Map, Value};

const FORM_NAMES: &[&str] = &[
    "response_type",
    "client_id",
    "client_secret",
    "redirect_uri",
    "redirect_url",
    "scope",
    "state",
    "code",
    "code_challenge",
    "code_challenge_method",
    "code_verifier",
    "nonce",
    "flowId",
    "flowid",
    "grant_type",
    "refresh_token",
    "username",
    "password",
    "token",
    "token_type_hint",
    "error",
    "iss",
    "access_token",
];

const FORM_VALUES: &[&str] = &[
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "password",
    "code",
    "aisp pisp",
    "a  b",
    "%FF",
    "%zz",
    "%",
    "+",
    "",
    "x",
    "\u{e9}",
];

/// A form from known names and awkward values, with stray separators.
fn form_text() -> impl Strategy<Value = String> {
    vec(
        (
            proptest::sample::select(FORM_NAMES),
            prop_oneof![
                proptest::sample::select(FORM_VALUES).prop_map(str::to_owned),
                "(?s).{0,6}",
            ],
            prop_oneof![Just("&"), Just("&&"), Just("="), Just("#"), Just("?")],
        ),
        0..8,
    )
    .prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(name, value, separator)| format!("{name}={value}{separator}"))
            .collect()
    })
}

fn header_text() -> impl Strategy<Value = String> {
    "[ \\t,=\"\\\\a-zA-Z0-9:+/_~.\u{e9}\\x00\\x7f-]{0,40}"
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "(?s).{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::from),
            vec(("[a-z_]{1,6}", inner), 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

const JSON_NAMES: &[&str] = &[
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
    "error",
    "error_description",
    "client_id",
    "client_secret",
    "client_id_issued_at",
    "redirect_uris",
    "grant_types",
    "response_types",
    "jwks",
    "token_endpoint_auth_method",
    "tls_client_certificate_bound_access_tokens",
    "registration_access_token",
    "issuer",
    "scopes_supported",
    "code_challenge_methods_supported",
    "mtls_endpoint_aliases",
    "authorization_response_iss_parameter_supported",
    "active",
    "aud",
    "exp",
    "cnf",
    "introspection_endpoint_auth_methods_supported",
];

/// A JSON object of known names with values of any type, or (sometimes)
/// with a name repeated.
fn json_text() -> impl Strategy<Value = Vec<u8>> {
    (
        vec((proptest::sample::select(JSON_NAMES), json_value()), 0..6),
        any::<bool>(),
    )
        .prop_map(|(members, repeat)| {
            let mut text: String = members
                .iter()
                .map(|(name, value)| format!("{}:{value}", Value::from(*name)))
                .collect::<Vec<_>>()
                .join(",");
            if repeat && let Some((name, value)) = members.first() {
                text.push_str(&format!(",{}:{value}", Value::from(*name)));
            }
            format!("{{{text}}}").into_bytes()
        })
}

fn decode_every_form(input: &[u8]) {
    let _ = Form::decode(input);
    let _ = AuthorizationRequest::decode(input);
    let _ = TokenRequest::decode(input);
    let _ = RevocationRequest::decode(input);
    if let Ok(text) = std::str::from_utf8(input) {
        let _ = AuthorizationRequest::from_url(text);
        let _ = AuthorizationCallback::from_redirect_url(text);
    }
}

fn decode_every_json(input: &[u8]) {
    let _ = TokenResponse::decode(input);
    let _ = ErrorResponse::decode(input);
    let _ = IntrospectionResponse::decode(input);
    let _ = RegistrationRequest::decode(input);
    let _ = RegistrationResponse::decode(input);
    let _ = AuthorizationServerMetadata::decode(input);
}

fn decode_every_header(text: &str) {
    let _ = parse_challenges(text);
    let _ = BearerChallenge::decode(text);
    let _ = BasicCredentials::decode(text);
}

proptest! {
    #[test]
    fn arbitrary_bytes(input in vec(any::<u8>(), 0..256)) {
        decode_every_form(&input);
        decode_every_json(&input);
        fuzzing::form_decoder(&input);
    }

    #[test]
    fn arbitrary_strings(text in "(?s).{0,64}") {
        decode_every_form(text.as_bytes());
        decode_every_header(&text);
        fuzzing::form_decoder(text.as_bytes());
    }

    #[test]
    fn form_shaped_input(text in form_text()) {
        decode_every_form(text.as_bytes());
        fuzzing::form_decoder(text.as_bytes());
        let url = format!("https://client.example/cb?{text}");
        let _ = AuthorizationCallback::from_redirect_url(&url);
    }

    #[test]
    fn header_shaped_input(text in header_text()) {
        decode_every_header(&text);
        decode_every_header(&format!("Bearer {text}"));
        decode_every_header(&format!("Basic {text}"));
    }

    #[test]
    fn json_shaped_input(body in json_text()) {
        decode_every_json(&body);
    }

    #[test]
    fn basic_shaped_input(user_pass in vec(any::<u8>(), 0..32)) {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(user_pass);
        let _ = BasicCredentials::decode(&format!("Basic {encoded}"));
        fuzzing::form_decoder(format!("Basic {encoded}").as_bytes());
    }
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let body = vec![b'a'; 64 * 1024 + 1];
    let too_large = |result: Result<(), psd2_wire::WireError>| {
        matches!(result, Err(psd2_wire::WireError::BodyTooLarge { .. }))
    };
    assert!(too_large(Form::decode(&body).map(drop)));
    assert!(too_large(TokenRequest::decode(&body).map(drop)));
    assert!(too_large(TokenResponse::decode(&body).map(drop)));
    let text = String::from_utf8(body).unwrap();
    assert!(too_large(BearerChallenge::decode(&text).map(drop)));
    assert!(too_large(BasicCredentials::decode(&text).map(drop)));
    assert!(too_large(
        AuthorizationCallback::from_redirect_url(&text).map(drop)
    ));
    let mut map = Map::new();
    map.insert("issuer".to_owned(), Value::from(text));
    assert!(too_large(
        AuthorizationServerMetadata::decode(Value::Object(map).to_string().as_bytes()).map(drop)
    ));
}
