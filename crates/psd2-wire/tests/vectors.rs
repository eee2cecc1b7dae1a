//! Every file of `fixtures/vectors/` is decoded, checked field by field and
//! re-encoded: byte for byte where the example is canonical, parameter for
//! parameter where it is not, as JSON values for JSON bodies. The file list,
//! the table below and the README table must agree.

// Test helpers outside `#[test]` functions unwrap too; clippy.toml's
// allow-unwrap-in-tests only covers the test functions themselves.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use psd2_core::{GrantType, OAuthErrorCode, ResponseType, TokenType};
use psd2_wire::{
    Audience, AuthorizationCallback, AuthorizationRequest, AuthorizationServerMetadata,
    BasicCredentials, BearerChallenge, ErrorResponse, FlowIdSpelling, Form, FormMessage, Grant,
    IntrospectionRequest, IntrospectionResponse, JsonMessage, ParameterLocation,
    RegistrationRequest, RegistrationResponse, RevocationRequest, TokenEndpointAuthMethod,
    TokenRequest, TokenResponse, TokenTypeHint,
};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/vectors")
}

fn read(file: &str) -> String {
    std::fs::read_to_string(vectors_dir().join(file)).unwrap()
}

/// The part of an HTTP example the codecs read.
struct Http {
    start_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Http {
    fn parse(text: &str) -> Self {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut lines = head.lines();
        let start_line = lines.next().unwrap().to_owned();
        let headers = lines
            .map(|line| {
                let (name, value) = line.split_once(": ").unwrap();
                (name.to_owned(), value.to_owned())
            })
            .collect();
        Self {
            start_line,
            headers,
            body: body.strip_suffix('\n').unwrap_or(body).to_owned(),
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .unwrap()
    }

    /// The request-target of a request line.
    fn target(&self) -> &str {
        self.start_line.split(' ').nth(1).unwrap()
    }
}

/// The non-empty pairs of a form, sorted: what "the same parameters" means
/// for an example that is not canonical.
fn parameters(encoded: &str) -> BTreeSet<(String, String)> {
    Form::decode(encoded.as_bytes())
        .unwrap()
        .into_pairs()
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

fn same_json(encoded: &str, example: &str) {
    let encoded: Value = serde_json::from_str(encoded).unwrap();
    let example: Value = serde_json::from_str(example).unwrap();
    assert_eq!(encoded, example);
}

fn basic(http: &Http, client_id: &str, secret: &str) {
    let header = http.header("Authorization");
    let credentials = BasicCredentials::decode(header).unwrap();
    assert_eq!(credentials.client_id.as_str(), client_id);
    assert_eq!(credentials.client_secret.expose(), secret);
    assert_eq!(credentials.to_header_value(), header);
}

fn token_request(http: &Http) -> TokenRequest {
    assert!(http.start_line.starts_with("POST /token "));
    TokenRequest::decode(http.body.as_bytes()).unwrap()
}

fn callback(http: &Http) -> (AuthorizationCallback, &str) {
    let location = http.header("Location");
    (
        AuthorizationCallback::from_redirect_url(location).unwrap(),
        location,
    )
}

/// The redirect URI a callback example was sent to.
fn redirect_base(location: &str) -> &str {
    location.split(['?', '#']).next().unwrap()
}

fn rfc6749_2_3_1_client_password_header(text: &str) {
    let header = text.strip_prefix("Authorization: ").unwrap().trim_end();
    let credentials = BasicCredentials::decode(header).unwrap();
    assert_eq!(credentials.client_id.as_str(), "s6BhdRkqt3");
    assert_eq!(credentials.client_secret.expose(), "7Fjfp0ZBr1KtDRbnfVdmIw");
    assert_eq!(credentials.to_header_value(), header);
}

fn rfc6749_2_3_1_refresh_request(text: &str) {
    let http = Http::parse(text);
    let request = token_request(&http);
    let Grant::RefreshToken {
        refresh_token,
        scope,
    } = &request.grant
    else {
        panic!("{:?}", request.grant);
    };
    assert_eq!(refresh_token.expose(), "tGzv3JOkF0XG5Qx2TlKWIA");
    assert!(scope.is_none());
    assert_eq!(
        request.client_id.as_ref().map(|id| id.as_str()),
        Some("s6BhdRkqt3")
    );
    assert_eq!(
        request
            .client_secret
            .as_ref()
            .map(|secret| secret.expose().as_str()),
        Some("7Fjfp0ZBr1KtDRbnfVdmIw")
    );
    assert_eq!(request.encode(), http.body);
}

fn authorization_request(text: &str, response_type: ResponseType) {
    let http = Http::parse(text);
    assert_eq!(http.header("Host"), "server.example.com");
    let request = AuthorizationRequest::from_url(http.target()).unwrap();
    assert_eq!(request.response_type, response_type);
    assert_eq!(request.client_id.as_str(), "s6BhdRkqt3");
    assert_eq!(request.state.as_ref().map(|s| s.as_str()), Some("xyz"));
    assert_eq!(
        request.redirect_uri.as_deref(),
        Some("https://client.example.com/cb")
    );
    assert!(request.extra.is_empty());
    let query = http.target().split_once('?').unwrap().1;
    assert_eq!(parameters(&request.encode()), parameters(query));
}

fn rfc6749_4_1_1_authorization_request(text: &str) {
    authorization_request(text, ResponseType::CODE);
}

fn rfc6749_4_2_1_authorization_request(text: &str) {
    authorization_request(text, ResponseType::TOKEN);
}

fn rfc6749_4_1_2_authorization_response(text: &str) {
    let http = Http::parse(text);
    assert_eq!(http.start_line, "HTTP/1.1 302 Found");
    let (callback, location) = callback(&http);
    assert_eq!(callback.location, ParameterLocation::Query);
    assert_eq!(
        callback.code.as_ref().map(|code| code.expose().as_str()),
        Some("SplxlOBeZQQYbYS6WxSbIA")
    );
    assert_eq!(callback.state.as_ref().map(|s| s.as_str()), Some("xyz"));
    assert_eq!(callback.to_redirect_url(redirect_base(location)), location);
}

fn error_redirect(text: &str, location_kind: ParameterLocation) {
    let http = Http::parse(text);
    let (callback, location) = callback(&http);
    assert_eq!(callback.location, location_kind);
    assert_eq!(callback.error, Some(OAuthErrorCode::ACCESS_DENIED));
    assert!(callback.code.is_none());
    assert_eq!(callback.state.as_ref().map(|s| s.as_str()), Some("xyz"));
    assert_eq!(callback.to_redirect_url(redirect_base(location)), location);
}

fn rfc6749_4_1_2_1_error_response(text: &str) {
    error_redirect(text, ParameterLocation::Query);
}

fn rfc6749_4_2_2_1_error_response(text: &str) {
    error_redirect(text, ParameterLocation::Fragment);
}

fn rfc6749_4_1_3_token_request(text: &str) {
    let http = Http::parse(text);
    basic(&http, "s6BhdRkqt3", "gX1fBat3bV");
    let request = token_request(&http);
    let Grant::AuthorizationCode {
        code,
        redirect_uri,
        code_verifier,
    } = &request.grant
    else {
        panic!("{:?}", request.grant);
    };
    assert_eq!(code.expose(), "SplxlOBeZQQYbYS6WxSbIA");
    assert_eq!(
        redirect_uri.as_deref(),
        Some("https://client.example.com/cb")
    );
    assert!(code_verifier.is_none());
    assert!(request.client_id.is_none());
    assert_eq!(parameters(&request.encode()), parameters(&http.body));
}

fn rfc6749_4_2_2_access_token_response(text: &str) {
    let http = Http::parse(text);
    let (callback, location) = callback(&http);
    assert_eq!(callback.location, ParameterLocation::Fragment);
    assert_eq!(callback.state.as_ref().map(|s| s.as_str()), Some("xyz"));
    assert_eq!(
        callback.extra.get("access_token"),
        Some("2YotnFZFEjr1zCsicMWpAA")
    );
    assert_eq!(callback.extra.get("token_type"), Some("example"));
    assert_eq!(callback.extra.get("expires_in"), Some("3600"));
    let fragment = location.split_once('#').unwrap().1;
    assert_eq!(
        parameters(&callback.to_form().encode()),
        parameters(fragment)
    );
    let again = AuthorizationCallback::from_redirect_url(
        &callback.to_redirect_url(redirect_base(location)),
    )
    .unwrap();
    assert_eq!(again.location, ParameterLocation::Fragment);
}

fn rfc6749_4_3_2_token_request(text: &str) {
    let http = Http::parse(text);
    basic(&http, "s6BhdRkqt3", "gX1fBat3bV");
    let request = token_request(&http);
    let Grant::Password {
        username,
        password,
        scope,
    } = &request.grant
    else {
        panic!("{:?}", request.grant);
    };
    assert_eq!(username.expose(), "johndoe");
    assert_eq!(password.expose(), "A3ddj3w");
    assert!(scope.is_none());
    assert_eq!(request.encode(), http.body);
}

fn rfc6749_4_4_2_token_request(text: &str) {
    let http = Http::parse(text);
    basic(&http, "s6BhdRkqt3", "gX1fBat3bV");
    let request = token_request(&http);
    assert!(matches!(
        request.grant,
        Grant::ClientCredentials { scope: None }
    ));
    assert_eq!(request.encode(), http.body);
}

fn rfc6749_4_5_token_request(text: &str) {
    let http = Http::parse(text);
    let request = token_request(&http);
    assert_eq!(
        request.grant.grant_type(),
        GrantType::from("urn:ietf:params:oauth:grant-type:saml2-bearer")
    );
    let assertion = request.extra.get("assertion").unwrap();
    assert!(assertion.starts_with("PEFzc2VydGlvbiBJc3N1ZUluc3RhbnQ9IjIwMTEtMDU[...omitted for"));
    assert_eq!(parameters(&request.encode()), parameters(&http.body));
}

fn rfc6749_6_refresh_request(text: &str) {
    let http = Http::parse(text);
    basic(&http, "s6BhdRkqt3", "gX1fBat3bV");
    let request = token_request(&http);
    assert!(matches!(request.grant, Grant::RefreshToken { .. }));
    assert_eq!(request.encode(), http.body);
}

fn token_response(text: &str, refresh: Option<&str>) {
    let response = TokenResponse::decode(text.as_bytes()).unwrap();
    assert_eq!(response.access_token.expose(), "2YotnFZFEjr1zCsicMWpAA");
    assert_eq!(response.token_type, Some(TokenType::new("example")));
    assert_eq!(response.expires_in, Some(3600));
    assert_eq!(
        response
            .refresh_token
            .as_ref()
            .map(|token| token.expose().as_str()),
        refresh
    );
    assert_eq!(
        response.extra.get("example_parameter"),
        Some(&Value::from("example_value"))
    );
    same_json(&response.encode(), text);
}

fn rfc6749_4_4_3_token_response(text: &str) {
    token_response(text, None);
}

fn rfc6749_5_1_token_response(text: &str) {
    token_response(text, Some("tGzv3JOkF0XG5Qx2TlKWIA"));
}

fn rfc6749_5_2_error_response(text: &str) {
    let response = ErrorResponse::decode(text.as_bytes()).unwrap();
    assert_eq!(response.error, OAuthErrorCode::INVALID_REQUEST);
    assert_eq!(response.error_description, None);
    same_json(&response.encode(), text);
}

fn challenge(text: &str) -> (BearerChallenge, String) {
    let http = Http::parse(text);
    assert_eq!(http.start_line, "HTTP/1.1 401 Unauthorized");
    let header = http.header("WWW-Authenticate").to_owned();
    (BearerChallenge::decode(&header).unwrap(), header)
}

fn rfc6750_3_challenge(text: &str) {
    let (challenge, header) = challenge(text);
    assert_eq!(challenge.realm.as_deref(), Some("example"));
    assert_eq!(challenge.error, None);
    assert_eq!(challenge.encode(), header);
}

fn rfc6750_3_challenge_invalid_token(text: &str) {
    let (challenge, header) = challenge(text);
    assert_eq!(challenge.realm.as_deref(), Some("example"));
    assert_eq!(challenge.error, Some(OAuthErrorCode::INVALID_TOKEN));
    assert_eq!(
        challenge.error_description.as_deref(),
        Some("The access token expired")
    );
    assert_eq!(challenge.encode(), header);
}

fn rfc7009_2_1_revocation_request(text: &str) {
    let http = Http::parse(text);
    assert!(http.start_line.starts_with("POST /revoke "));
    basic(&http, "s6BhdRkqt3", "gX1fBat3bV");
    let request = RevocationRequest::decode(http.body.as_bytes()).unwrap();
    assert_eq!(request.token.expose(), "45ghiukldjahdnhzdauz");
    assert_eq!(request.token_type_hint, Some(TokenTypeHint::REFRESH_TOKEN));
    assert_eq!(request.encode(), http.body);
}

fn rfc7662_2_1_introspection_request(text: &str) {
    let http = Http::parse(text);
    assert!(http.start_line.starts_with("POST /introspect "));
    assert_eq!(http.header("Accept"), "application/json");
    basic(&http, "s6BhdRkqt3", "gX1fBat3bV");
    let request = IntrospectionRequest::decode(http.body.as_bytes()).unwrap();
    assert_eq!(request.token.expose(), "mF_9.B5f-4.1JqM");
    assert_eq!(request.token_type_hint, Some(TokenTypeHint::ACCESS_TOKEN));
    assert!(request.client_id.is_none());
    assert_eq!(request.encode(), http.body);
}

fn rfc7662_2_2_introspection_response(text: &str) {
    let response = IntrospectionResponse::decode(text.as_bytes()).unwrap();
    assert!(response.active);
    assert_eq!(
        response.client_id.as_ref().map(|id| id.as_str()),
        Some("l238j323ds-23ij4")
    );
    assert_eq!(response.username.as_deref(), Some("jdoe"));
    assert_eq!(
        response.scope.as_ref().map(ToString::to_string).as_deref(),
        Some("dolphin read write")
    );
    assert_eq!(response.sub.as_deref(), Some("Z5O3upPC88QrAjx00dis"));
    assert_eq!(
        response.aud,
        Some(Audience::One(
            "https://protected.example.net/resource".to_owned()
        ))
    );
    assert_eq!(response.iss.as_deref(), Some("https://server.example.com/"));
    assert_eq!(response.exp, Some(1_419_356_238));
    assert_eq!(response.iat, Some(1_419_350_238));
    assert_eq!(response.token_type, None);
    assert_eq!(response.cnf_x5t_s256, None);
    assert_eq!(
        response.extra.get("extension_field"),
        Some(&Value::from("twenty-seven"))
    );
    // The scope set prints in canonical order, so compare as JSON values
    // after putting the example's order back.
    let mut encoded: Value = serde_json::from_str(&response.encode()).unwrap();
    encoded["scope"] = Value::from("read write dolphin");
    same_json(&encoded.to_string(), text);
}

const JAPANESE_NAME: &str = "\u{30AF}\u{30E9}\u{30A4}\u{30A2}\u{30F3}\u{30C8}\u{540D}";

fn rfc7591_3_1_registration_request(text: &str) {
    let request = RegistrationRequest::decode(text.as_bytes()).unwrap();
    let metadata = &request.metadata;
    assert_eq!(
        metadata.redirect_uris.as_deref(),
        Some(
            &[
                "https://client.example.org/callback".to_owned(),
                "https://client.example.org/callback2".to_owned()
            ][..]
        )
    );
    assert_eq!(metadata.client_name.as_deref(), Some("My Example Client"));
    assert_eq!(
        metadata.extra.get("client_name#ja-Jpan-JP"),
        Some(&Value::from(JAPANESE_NAME))
    );
    assert_eq!(
        metadata.token_endpoint_auth_method,
        Some(TokenEndpointAuthMethod::CLIENT_SECRET_BASIC)
    );
    assert_eq!(
        metadata.extra.get("example_extension_parameter"),
        Some(&Value::from("example_value"))
    );
    same_json(&request.encode(), text);
}

fn rfc7591_3_2_1_registration_response(text: &str) {
    let response = RegistrationResponse::decode(text.as_bytes()).unwrap();
    assert_eq!(response.client_id.as_str(), "s6BhdRkqt3");
    assert_eq!(
        response.client_secret.as_ref().map(|s| s.expose().as_str()),
        Some("cf136dc3c1fc93f31185e5885805d")
    );
    assert_eq!(response.client_id_issued_at, Some(2_893_256_800));
    assert_eq!(response.client_secret_expires_at, Some(2_893_276_800));
    assert_eq!(
        response.metadata.grant_types,
        Some(vec![
            GrantType::AUTHORIZATION_CODE,
            GrantType::REFRESH_TOKEN
        ])
    );
    assert!(response.registration_access_token.is_none());
    same_json(&response.encode(), text);
}

fn rfc7591_3_2_2_error_response(text: &str) {
    let response = ErrorResponse::decode(text.as_bytes()).unwrap();
    assert_eq!(response.error, OAuthErrorCode::INVALID_REDIRECT_URI);
    assert!(
        response
            .error_description
            .as_deref()
            .is_some_and(|text| text.contains("http://sketchy.example.com"))
    );
    same_json(&response.encode(), text);
}

fn rfc7592_2_2_update_request(text: &str) {
    let request = RegistrationRequest::decode(text.as_bytes()).unwrap();
    assert_eq!(
        request.client_id.as_ref().map(|id| id.as_str()),
        Some("s6BhdRkqt3")
    );
    assert_eq!(
        request.client_secret.as_ref().map(|s| s.expose().as_str()),
        Some("cf136dc3c1fc93f31185e5885805d")
    );
    assert_eq!(
        request.metadata.logo_uri.as_deref(),
        Some("https://client.example.org/newlogo.png")
    );
    assert_eq!(
        request.metadata.extra.get("logo_uri#fr"),
        Some(&Value::from("https://client.example.org/fr/newlogo.png"))
    );
    same_json(&request.encode(), text);
}

fn rfc7592_3_client_information_response(text: &str) {
    let response = RegistrationResponse::decode(text.as_bytes()).unwrap();
    assert_eq!(
        response
            .registration_access_token
            .as_ref()
            .map(|token| token.expose().as_str()),
        Some("reg-23410913-abewfq.123483")
    );
    assert_eq!(
        response.registration_client_uri.as_deref(),
        Some("https://server.example.com/register/s6BhdRkqt3")
    );
    assert!(!format!("{response:?}").contains("reg-23410913"));
    same_json(&response.encode(), text);
}

fn rfc8414_3_2_metadata(text: &str) {
    let metadata = AuthorizationServerMetadata::decode(text.as_bytes()).unwrap();
    assert_eq!(metadata.issuer, "https://server.example.com");
    assert_eq!(
        metadata.token_endpoint.as_deref(),
        Some("https://server.example.com/token")
    );
    assert_eq!(
        metadata.token_endpoint_auth_methods_supported,
        Some(vec![
            TokenEndpointAuthMethod::CLIENT_SECRET_BASIC,
            TokenEndpointAuthMethod::PRIVATE_KEY_JWT
        ])
    );
    assert_eq!(metadata.scopes_supported.as_ref().map(Vec::len), Some(6));
    assert_eq!(
        metadata.response_types_supported,
        Some(vec![ResponseType::CODE, ResponseType::from("code token")])
    );
    assert!(metadata.extra.get("userinfo_endpoint").is_some());
    assert!(metadata.mtls_endpoint_aliases.is_none());
    same_json(&metadata.encode(), text);
}

fn rfc8705_5_metadata(text: &str) {
    let metadata = AuthorizationServerMetadata::decode(text.as_bytes()).unwrap();
    assert_eq!(
        metadata.tls_client_certificate_bound_access_tokens,
        Some(true)
    );
    assert_eq!(
        metadata.token_endpoint_for_mtls(),
        Some("https://mtls.example.com/token")
    );
    assert_eq!(
        metadata.revocation_endpoint_for_mtls(),
        Some("https://mtls.example.com/revo")
    );
    assert_eq!(
        metadata
            .mtls_endpoint_aliases
            .as_ref()
            .and_then(|aliases| aliases.introspection_endpoint.as_deref()),
        Some("https://mtls.example.com/introspect")
    );
    assert_eq!(
        metadata
            .token_endpoint_auth_methods_supported
            .as_ref()
            .map(|methods| methods[0].clone()),
        Some(TokenEndpointAuthMethod::TLS_CLIENT_AUTH)
    );
    same_json(&metadata.encode(), text);
}

fn rfc9207_2_1_authorization_response(text: &str) {
    let http = Http::parse(text);
    let (callback, location) = callback(&http);
    assert_eq!(callback.iss.as_deref(), Some("https://honest.as.example"));
    assert_eq!(
        callback.code.as_ref().map(|code| code.expose().as_str()),
        Some("x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58")
    );
    assert_eq!(callback.to_redirect_url(redirect_base(location)), location);
}

fn rfc9207_2_2_error_response(text: &str) {
    let http = Http::parse(text);
    let (callback, location) = callback(&http);
    assert_eq!(callback.error, Some(OAuthErrorCode::ACCESS_DENIED));
    assert_eq!(callback.iss.as_deref(), Some("https://honest.as.example"));
    assert_eq!(callback.to_redirect_url(redirect_base(location)), location);
}

fn connectpay_sample_authorize(text: &str) {
    let query = text.trim_end();
    let request = AuthorizationRequest::from_url(query).unwrap();
    assert_eq!(request.response_type, ResponseType::CODE);
    assert_eq!(
        request.client_id.as_str(),
        "7d3069b2-0155-45c1-9600-7db93c3e5087"
    );
    assert_eq!(
        request.scope.as_ref().map(ToString::to_string).as_deref(),
        Some("psd2-ais psd2-pis")
    );
    let flow = request.flow_id.as_ref().unwrap();
    assert_eq!(flow.value.as_str(), "GetPSD2AuthCode");
    assert_eq!(flow.spelling, FlowIdSpelling::LowerCase);
    // `redirect_url=` was sent without a value: absent (RFC 6749 §3.1).
    assert_eq!(request.redirect_url, None);
    assert_eq!(request.nonce, None);
    assert_eq!(
        request.state.as_ref().map(|s| s.as_str()),
        Some("w4Am91fLZMKhDMT")
    );
    assert!(request.extra.is_empty());
    assert_eq!(
        parameters(&request.encode()),
        parameters(query.trim_start_matches('?'))
    );
}

type Check = fn(&str);

const VECTORS: &[(&str, Check)] = &[
    (
        "rfc6749-2.3.1-client-password-header.txt",
        rfc6749_2_3_1_client_password_header,
    ),
    (
        "rfc6749-2.3.1-refresh-request.txt",
        rfc6749_2_3_1_refresh_request,
    ),
    (
        "rfc6749-4.1.1-authorization-request.txt",
        rfc6749_4_1_1_authorization_request,
    ),
    (
        "rfc6749-4.1.2-authorization-response.txt",
        rfc6749_4_1_2_authorization_response,
    ),
    (
        "rfc6749-4.1.2.1-error-response.txt",
        rfc6749_4_1_2_1_error_response,
    ),
    (
        "rfc6749-4.1.3-token-request.txt",
        rfc6749_4_1_3_token_request,
    ),
    (
        "rfc6749-4.2.1-authorization-request.txt",
        rfc6749_4_2_1_authorization_request,
    ),
    (
        "rfc6749-4.2.2-access-token-response.txt",
        rfc6749_4_2_2_access_token_response,
    ),
    (
        "rfc6749-4.2.2.1-error-response.txt",
        rfc6749_4_2_2_1_error_response,
    ),
    (
        "rfc6749-4.3.2-token-request.txt",
        rfc6749_4_3_2_token_request,
    ),
    (
        "rfc6749-4.4.2-token-request.txt",
        rfc6749_4_4_2_token_request,
    ),
    (
        "rfc6749-4.4.3-token-response.json",
        rfc6749_4_4_3_token_response,
    ),
    ("rfc6749-4.5-token-request.txt", rfc6749_4_5_token_request),
    (
        "rfc6749-5.1-token-response.json",
        rfc6749_5_1_token_response,
    ),
    (
        "rfc6749-5.2-error-response.json",
        rfc6749_5_2_error_response,
    ),
    ("rfc6749-6-refresh-request.txt", rfc6749_6_refresh_request),
    ("rfc6750-3-challenge.txt", rfc6750_3_challenge),
    (
        "rfc6750-3-challenge-invalid-token.txt",
        rfc6750_3_challenge_invalid_token,
    ),
    (
        "rfc7009-2.1-revocation-request.txt",
        rfc7009_2_1_revocation_request,
    ),
    (
        "rfc7591-3.1-registration-request.json",
        rfc7591_3_1_registration_request,
    ),
    (
        "rfc7591-3.2.1-registration-response.json",
        rfc7591_3_2_1_registration_response,
    ),
    (
        "rfc7591-3.2.2-error-response.json",
        rfc7591_3_2_2_error_response,
    ),
    (
        "rfc7592-2.2-update-request.json",
        rfc7592_2_2_update_request,
    ),
    (
        "rfc7592-3-client-information-response.json",
        rfc7592_3_client_information_response,
    ),
    (
        "rfc7662-2.1-introspection-request.txt",
        rfc7662_2_1_introspection_request,
    ),
    (
        "rfc7662-2.2-introspection-response.json",
        rfc7662_2_2_introspection_response,
    ),
    ("rfc8414-3.2-metadata.json", rfc8414_3_2_metadata),
    ("rfc8705-5-metadata.json", rfc8705_5_metadata),
    (
        "rfc9207-2.1-authorization-response.txt",
        rfc9207_2_1_authorization_response,
    ),
    ("rfc9207-2.2-error-response.txt", rfc9207_2_2_error_response),
    (
        "connectpay-sample-authorize.txt",
        connectpay_sample_authorize,
    ),
];

#[test]
fn every_vector_decodes_and_re_encodes() {
    let mut failures = Vec::new();
    for (file, check) in VECTORS {
        let text = read(file);
        if std::panic::catch_unwind(|| check(&text)).is_err() {
            failures.push(*file);
        }
    }
    assert!(failures.is_empty(), "failing vectors: {failures:?}");
}

#[test]
fn the_directory_the_table_and_the_readme_agree() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "README.md")
        .collect();
    let listed: BTreeSet<String> = VECTORS.iter().map(|(file, _)| (*file).to_owned()).collect();
    assert_eq!(
        on_disk, listed,
        "files without a check, or checks without a file"
    );
    let readme = read("README.md");
    for file in &listed {
        assert!(
            readme.contains(&format!("| `{file}` |")),
            "{file} has no row in fixtures/vectors/README.md"
        );
    }
}
