//! Encode then decode gives back the same message, for every message.
//!
//! Messages holding a [`Secret`] have no `PartialEq` (comparing secrets is a
//! constant-time job, not `==`'s), so they are compared through their wire
//! form, [`FormMessage::to_form`] or [`JsonMessage::to_json`], which exposes
//! every field.

// Test helpers outside `#[test]` functions unwrap too; clippy.toml's
// allow-unwrap-in-tests only covers the test functions themselves.
#![allow(clippy::unwrap_used)]

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use psd2_core::{
    ClientId, FlowId, GrantType, OAuthErrorCode, ResponseType, Scope, ScopeSet, Secret, State,
    TokenType,
};
use psd2_wire::{
    Audience, AuthorizationCallback, AuthorizationRequest, AuthorizationServerMetadata,
    BasicCredentials, BearerChallenge, ClientMetadata, CodeChallengeMethod, ErrorResponse,
    FlowIdParam, FlowIdSpelling, Form, FormMessage, Grant, IntrospectionResponse, JsonMessage,
    Members, MtlsEndpointAliases, ParameterLocation, RegistrationRequest, RegistrationResponse,
    RevocationRequest, TokenEndpointAuthMethod, TokenRequest, TokenResponse, TokenTypeHint,
};
use serde_json::{Map, Value};

/// Any non-empty text, control characters included.
fn text() -> impl Strategy<Value = String> {
    "(?s).{1,12}"
}

fn vschar() -> impl Strategy<Value = String> {
    "[ -~]{1,12}"
}

fn client_id() -> impl Strategy<Value = ClientId> {
    vschar().prop_map(|value| ClientId::new(value).unwrap())
}

fn state() -> impl Strategy<Value = State> {
    vschar().prop_map(|value| State::new(value).unwrap())
}

fn secret() -> impl Strategy<Value = Secret<String>> {
    text().prop_map(Secret::new)
}

/// A non-empty scope set (an empty one is written as no parameter).
fn scope() -> impl Strategy<Value = ScopeSet> {
    vec("[!#-\\[\\]-~]{1,8}", 1..4).prop_map(|tokens| ScopeSet::parse(&tokens.join(" ")).unwrap())
}

/// Unknown parameters: `x-` names never collide with a known one.
fn extra_form() -> impl Strategy<Value = Form> {
    vec(("x-[a-z]{1,6}", text()), 0..3).prop_map(Form::from_iter)
}

fn json_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "(?s).{0,8}".prop_map(Value::from),
    ]
}

fn members() -> impl Strategy<Value = Members> {
    vec(("x_[a-z]{1,6}", json_scalar()), 0..3)
        .prop_map(|members| Members(members.into_iter().collect::<Map<_, _>>()))
}

fn flow_id() -> impl Strategy<Value = FlowIdParam> {
    (
        text(),
        prop_oneof![
            Just(FlowIdSpelling::CamelCase),
            Just(FlowIdSpelling::LowerCase)
        ],
    )
        .prop_map(|(value, spelling)| FlowIdParam {
            value: FlowId(value),
            spelling,
        })
}

fn open_value<T: From<String> + std::fmt::Debug + Clone>(
    known: &'static [T],
) -> impl Strategy<Value = T> {
    prop_oneof![
        proptest::sample::select(known),
        "x-[a-z_]{1,8}".prop_map(T::from),
    ]
}

fn authorization_request() -> impl Strategy<Value = AuthorizationRequest> {
    (
        (
            open_value(ResponseType::KNOWN),
            client_id(),
            option::of(text()),
            option::of(scope()),
            option::of(state()),
            option::of(text()),
        ),
        (
            option::of(open_value(CodeChallengeMethod::KNOWN)),
            option::of(text()),
            option::of(flow_id()),
            option::of(text()),
            extra_form(),
        ),
    )
        .prop_map(
            |(
                (response_type, client_id, redirect_uri, scope, state, code_challenge),
                (code_challenge_method, nonce, flow_id, redirect_url, extra),
            )| AuthorizationRequest {
                response_type,
                client_id,
                redirect_uri,
                scope,
                state,
                code_challenge,
                code_challenge_method,
                nonce,
                flow_id,
                redirect_url,
                extra,
            },
        )
}

fn grant() -> impl Strategy<Value = Grant> {
    prop_oneof![
        (secret(), option::of(text()), option::of(secret())).prop_map(
            |(code, redirect_uri, code_verifier)| Grant::AuthorizationCode {
                code,
                redirect_uri,
                code_verifier,
            }
        ),
        option::of(scope()).prop_map(|scope| Grant::ClientCredentials { scope }),
        "urn:x-[a-z:]{1,12}".prop_map(|grant_type| Grant::Other {
            grant_type: GrantType::from(grant_type),
        }),
        (secret(), secret(), option::of(scope())).prop_map(|(username, password, scope)| {
            Grant::Password {
                username,
                password,
                scope,
            }
        }),
        (secret(), option::of(scope())).prop_map(|(refresh_token, scope)| {
            Grant::RefreshToken {
                refresh_token,
                scope,
            }
        }),
    ]
}

fn token_request() -> impl Strategy<Value = TokenRequest> {
    (
        grant(),
        option::of(client_id()),
        option::of(secret()),
        extra_form(),
    )
        .prop_map(|(grant, client_id, client_secret, extra)| TokenRequest {
            grant,
            client_id,
            client_secret,
            extra,
        })
}

fn revocation_request() -> impl Strategy<Value = RevocationRequest> {
    (
        secret(),
        option::of(open_value(TokenTypeHint::KNOWN)),
        option::of(client_id()),
        option::of(secret()),
        extra_form(),
    )
        .prop_map(
            |(token, token_type_hint, client_id, client_secret, extra)| RevocationRequest {
                token,
                token_type_hint,
                client_id,
                client_secret,
                extra,
            },
        )
}

fn callback() -> impl Strategy<Value = AuthorizationCallback> {
    (
        (
            prop_oneof![
                Just(ParameterLocation::Query),
                Just(ParameterLocation::Fragment)
            ],
            option::of(secret()),
            option::of(state()),
            option::of(open_value(OAuthErrorCode::KNOWN)),
            option::of(text()),
        ),
        (
            option::of(text()),
            option::of(text()),
            option::of(flow_id()),
            extra_form(),
        ),
    )
        .prop_map(
            |(
                (location, code, state, error, error_description),
                (error_uri, iss, flow_id, extra),
            )| AuthorizationCallback {
                location,
                code,
                state,
                error,
                error_description,
                error_uri,
                iss,
                flow_id,
                extra,
            },
        )
        // A fragment is told apart from a redirect URI's own fragment by the
        // response parameters in it.
        .prop_filter(
            "a fragment response needs a response parameter",
            |callback| {
                callback.location == ParameterLocation::Query
                    || !callback
                        .to_form()
                        .iter()
                        .all(|(name, _)| name.starts_with("x-"))
            },
        )
}

fn token_response() -> impl Strategy<Value = TokenResponse> {
    (
        "(?s).{0,12}",
        option::of(text().prop_map(TokenType::new)),
        option::of(any::<u64>()),
        option::of(secret()),
        option::of(scope()),
        members(),
    )
        .prop_map(
            |(access_token, token_type, expires_in, refresh_token, scope, extra)| TokenResponse {
                access_token: Secret::new(access_token),
                token_type,
                expires_in,
                refresh_token,
                scope,
                extra,
            },
        )
}

fn audience() -> impl Strategy<Value = Audience> {
    prop_oneof![
        "(?s).{0,12}".prop_map(Audience::One),
        vec("(?s).{0,8}", 0..3).prop_map(Audience::Many),
    ]
}

fn introspection_response() -> impl Strategy<Value = IntrospectionResponse> {
    (
        (
            any::<bool>(),
            // An empty `scope` string decodes as an empty set, and back.
            option::of(prop_oneof![Just(ScopeSet::new()), scope()]),
            option::of(client_id()),
            option::of(text()),
            option::of(text().prop_map(TokenType::new)),
            option::of(any::<u64>()),
            option::of(any::<u64>()),
            option::of(any::<u64>()),
        ),
        (
            option::of(text()),
            option::of(audience()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
            members(),
            members(),
        ),
    )
        .prop_map(
            |(
                (active, scope, client_id, username, token_type, exp, iat, nbf),
                (sub, aud, iss, jti, cnf_x5t_s256, cnf_extra, extra),
            )| IntrospectionResponse {
                active,
                scope,
                client_id,
                username,
                token_type,
                exp,
                iat,
                nbf,
                sub,
                aud,
                iss,
                jti,
                cnf_x5t_s256,
                cnf_extra,
                extra,
            },
        )
}

fn error_response() -> impl Strategy<Value = ErrorResponse> {
    (
        open_value(OAuthErrorCode::KNOWN),
        option::of(text()),
        option::of(text()),
        members(),
    )
        .prop_map(
            |(error, error_description, error_uri, extra)| ErrorResponse {
                error,
                error_description,
                error_uri,
                extra,
            },
        )
}

fn strings() -> impl Strategy<Value = Vec<String>> {
    vec("(?s).{0,8}", 0..3)
}

fn client_metadata() -> impl Strategy<Value = ClientMetadata> {
    (
        (
            option::of(strings()),
            option::of(open_value(TokenEndpointAuthMethod::KNOWN)),
            option::of(vec(open_value(GrantType::KNOWN), 0..3)),
            option::of(vec(open_value(ResponseType::KNOWN), 0..2)),
            option::of(text()),
            option::of(scope()),
            option::of(strings()),
        ),
        (
            option::of(text()),
            option::of(vec(("[a-z]{1,4}", json_scalar()), 0..3)),
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(any::<bool>()),
            members(),
        ),
    )
        .prop_map(
            |(
                (redirect_uris, method, grant_types, response_types, client_name, scope, contacts),
                (jwks_uri, jwks, software_statement, subject_dn, san_dns, san_ip, bound, extra),
            )| ClientMetadata {
                redirect_uris,
                token_endpoint_auth_method: method,
                grant_types,
                response_types,
                client_name,
                scope,
                contacts,
                jwks_uri,
                jwks: jwks.map(|keys| keys.into_iter().collect()),
                software_statement,
                tls_client_auth_subject_dn: subject_dn,
                tls_client_auth_san_dns: san_dns,
                tls_client_auth_san_ip: san_ip,
                tls_client_certificate_bound_access_tokens: bound,
                extra,
                ..ClientMetadata::default()
            },
        )
}

fn registration_request() -> impl Strategy<Value = RegistrationRequest> {
    (
        option::of(client_id()),
        option::of(secret()),
        client_metadata(),
    )
        .prop_map(|(client_id, client_secret, metadata)| RegistrationRequest {
            client_id,
            client_secret,
            metadata,
        })
}

fn registration_response() -> impl Strategy<Value = RegistrationResponse> {
    (
        client_id(),
        option::of(secret()),
        option::of(any::<u64>()),
        option::of(any::<u64>()),
        option::of(secret()),
        option::of(text()),
        client_metadata(),
    )
        .prop_map(
            |(
                client_id,
                client_secret,
                client_id_issued_at,
                client_secret_expires_at,
                registration_access_token,
                registration_client_uri,
                metadata,
            )| RegistrationResponse {
                client_id,
                client_secret,
                client_id_issued_at,
                client_secret_expires_at,
                registration_access_token,
                registration_client_uri,
                metadata,
            },
        )
}

fn metadata() -> impl Strategy<Value = AuthorizationServerMetadata> {
    (
        (
            text(),
            option::of(text()),
            option::of(text()),
            option::of(vec(
                "[!#-\\[\\]-~]{1,8}".prop_map(|token: String| token.parse::<Scope>().unwrap()),
                0..3,
            )),
            option::of(vec(open_value(ResponseType::KNOWN), 0..2)),
            option::of(vec(open_value(GrantType::KNOWN), 0..3)),
        ),
        (
            option::of(vec(open_value(TokenEndpointAuthMethod::KNOWN), 0..3)),
            option::of(vec(open_value(CodeChallengeMethod::KNOWN), 0..2)),
            option::of(any::<bool>()),
            option::of((option::of(text()), option::of(text()), members())),
            members(),
        ),
    )
        .prop_map(
            |(
                (issuer, authorization_endpoint, token_endpoint, scopes, response_types, grants),
                (methods, pkce, iss_supported, aliases, extra),
            )| AuthorizationServerMetadata {
                authorization_endpoint,
                token_endpoint,
                scopes_supported: scopes,
                response_types_supported: response_types,
                grant_types_supported: grants,
                introspection_endpoint_auth_methods_supported: methods.clone(),
                token_endpoint_auth_methods_supported: methods,
                code_challenge_methods_supported: pkce,
                authorization_response_iss_parameter_supported: iss_supported,
                mtls_endpoint_aliases: aliases.map(|(token, revocation, extra)| {
                    MtlsEndpointAliases {
                        token_endpoint: token,
                        revocation_endpoint: revocation,
                        extra,
                        ..MtlsEndpointAliases::default()
                    }
                }),
                extra,
                ..AuthorizationServerMetadata::new(issuer)
            },
        )
}

/// Values a quoted-string can carry: anything but control characters other
/// than HTAB.
fn qdtext() -> impl Strategy<Value = String> {
    "[^\\x00-\\x08\\x0a-\\x1f\\x7f]{0,12}"
}

fn bearer_challenge() -> impl Strategy<Value = BearerChallenge> {
    (
        option::of(qdtext()),
        option::of(scope()),
        option::of(open_value(OAuthErrorCode::KNOWN)),
        option::of(qdtext()),
        option::of(qdtext()),
        vec(("x[a-z_]{0,6}", qdtext()), 0..3),
    )
        .prop_map(
            |(realm, scope, error, error_description, error_uri, extra)| BearerChallenge {
                realm,
                scope,
                error,
                error_description,
                error_uri,
                extra,
            },
        )
        .prop_filter("auth-param names are unique", |challenge| {
            let mut names: Vec<&str> = challenge.extra.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_unstable();
            names.windows(2).all(|pair| pair[0] != pair[1])
        })
}

fn form_round_trip<M: FormMessage>(message: &M) -> Result<(), TestCaseError> {
    match M::decode(message.encode().as_bytes()) {
        Ok(again) => {
            prop_assert_eq!(again.to_form(), message.to_form());
            Ok(())
        }
        Err(error) => Err(TestCaseError::fail(format!("does not decode: {error}"))),
    }
}

fn json_round_trip<M: JsonMessage>(message: &M) -> Result<M, TestCaseError> {
    let again = M::decode(message.encode().as_bytes());
    match again {
        Ok(again) => {
            prop_assert_eq!(again.to_json(), message.to_json());
            Ok(again)
        }
        Err(error) => Err(TestCaseError::fail(format!("does not decode: {error}"))),
    }
}

fn exposed(secret: Option<&Secret<String>>) -> Option<String> {
    secret.map(|secret| secret.expose().clone())
}

/// Every field of a token request, secrets in clear, independently of
/// `to_form` (which a round trip through `to_form` alone could not check).
fn token_request_fields(request: &TokenRequest) -> Vec<Option<String>> {
    let mut fields = vec![Some(request.grant.grant_type().to_string())];
    match &request.grant {
        Grant::AuthorizationCode {
            code,
            redirect_uri,
            code_verifier,
        } => fields.extend([
            exposed(Some(code)),
            redirect_uri.clone(),
            exposed(code_verifier.as_ref()),
        ]),
        Grant::ClientCredentials { scope } => fields.push(scope.as_ref().map(ToString::to_string)),
        Grant::Password {
            username,
            password,
            scope,
        } => fields.extend([
            exposed(Some(username)),
            exposed(Some(password)),
            scope.as_ref().map(ToString::to_string),
        ]),
        Grant::RefreshToken {
            refresh_token,
            scope,
        } => fields.extend([
            exposed(Some(refresh_token)),
            scope.as_ref().map(ToString::to_string),
        ]),
        other => fields.push(Some(format!("{other:?}"))),
    }
    fields.extend([
        request.client_id.as_ref().map(ToString::to_string),
        exposed(request.client_secret.as_ref()),
        Some(request.extra.encode()),
    ]);
    fields
}

fn revocation_fields(request: &RevocationRequest) -> Vec<Option<String>> {
    vec![
        exposed(Some(&request.token)),
        request.token_type_hint.as_ref().map(ToString::to_string),
        request.client_id.as_ref().map(ToString::to_string),
        exposed(request.client_secret.as_ref()),
        Some(request.extra.encode()),
    ]
}

fn callback_fields(callback: &AuthorizationCallback) -> Vec<Option<String>> {
    vec![
        Some(format!("{:?}", callback.location)),
        exposed(callback.code.as_ref()),
        callback.state.as_ref().map(ToString::to_string),
        callback.error.as_ref().map(ToString::to_string),
        callback.error_description.clone(),
        callback.error_uri.clone(),
        callback.iss.clone(),
        callback.flow_id.as_ref().map(|flow| format!("{flow:?}")),
        Some(callback.extra.encode()),
    ]
}

fn token_response_fields(response: &TokenResponse) -> Vec<Option<String>> {
    vec![
        exposed(Some(&response.access_token)),
        response.token_type.as_ref().map(|t| t.as_str().to_owned()),
        response.expires_in.map(|seconds| seconds.to_string()),
        exposed(response.refresh_token.as_ref()),
        response.scope.as_ref().map(ToString::to_string),
        Some(format!("{:?}", response.extra.0)),
    ]
}

fn registration_fields(
    client_id: Option<&ClientId>,
    secrets: [Option<&Secret<String>>; 2],
    numbers: [Option<u64>; 2],
    uri: Option<&String>,
) -> Vec<Option<String>> {
    vec![
        client_id.map(ToString::to_string),
        exposed(secrets[0]),
        exposed(secrets[1]),
        numbers[0].map(|n| n.to_string()),
        numbers[1].map(|n| n.to_string()),
        uri.cloned(),
    ]
}

proptest! {
    #[test]
    fn form(pairs in vec(("(?s).{0,8}", "(?s).{0,8}"), 0..6)) {
        let form = Form::from_iter(pairs);
        prop_assert_eq!(Form::decode(form.encode().as_bytes()), Ok(form));
    }

    #[test]
    fn authorization_request_round_trips(request in authorization_request()) {
        form_round_trip(&request)?;
        let again = AuthorizationRequest::decode(request.encode().as_bytes()).unwrap();
        prop_assert_eq!(again, request);
    }

    #[test]
    fn authorization_request_through_a_url(request in authorization_request()) {
        let endpoint = url::Url::parse("https://bank.example/authorize").unwrap();
        let again = AuthorizationRequest::from_url(request.to_url(&endpoint).as_str()).unwrap();
        prop_assert_eq!(again, request);
    }

    #[test]
    fn token_request_round_trips(request in token_request()) {
        form_round_trip(&request)?;
        let again = TokenRequest::decode(request.encode().as_bytes()).unwrap();
        prop_assert_eq!(token_request_fields(&again), token_request_fields(&request));
    }

    #[test]
    fn revocation_request_round_trips(request in revocation_request()) {
        form_round_trip(&request)?;
        let again = RevocationRequest::decode(request.encode().as_bytes()).unwrap();
        prop_assert_eq!(revocation_fields(&again), revocation_fields(&request));
    }

    #[test]
    fn callback_round_trips(callback in callback()) {
        let url = callback.to_redirect_url("https://client.example/cb");
        match AuthorizationCallback::from_redirect_url(&url) {
            Ok(again) => {
                prop_assert_eq!(again.to_form(), callback.to_form());
                prop_assert_eq!(callback_fields(&again), callback_fields(&callback));
            }
            Err(error) => prop_assert!(false, "{url}: {error}"),
        }
    }

    #[test]
    fn basic_credentials_round_trip(client_id in client_id(), secret in "(?s).{0,12}") {
        let credentials = BasicCredentials::new(client_id, Secret::new(secret));
        let again = BasicCredentials::decode(&credentials.to_header_value()).unwrap();
        prop_assert_eq!(&again.client_id, &credentials.client_id);
        prop_assert_eq!(again.client_secret.expose(), credentials.client_secret.expose());
    }

    #[test]
    fn token_response_round_trips(response in token_response()) {
        let again = json_round_trip(&response)?;
        prop_assert_eq!(token_response_fields(&again), token_response_fields(&response));
    }

    #[test]
    fn introspection_response_round_trips(response in introspection_response()) {
        let again = json_round_trip(&response)?;
        prop_assert_eq!(again, response);
    }

    #[test]
    fn error_response_round_trips(response in error_response()) {
        let again = json_round_trip(&response)?;
        prop_assert_eq!(again, response);
    }

    #[test]
    fn registration_request_round_trips(request in registration_request()) {
        let again = json_round_trip(&request)?;
        prop_assert_eq!(
            registration_fields(again.client_id.as_ref(), [again.client_secret.as_ref(), None], [None; 2], None),
            registration_fields(request.client_id.as_ref(), [request.client_secret.as_ref(), None], [None; 2], None)
        );
        prop_assert_eq!(again.metadata, request.metadata);
    }

    #[test]
    fn registration_response_round_trips(response in registration_response()) {
        let again = json_round_trip(&response)?;
        let fields = |r: &RegistrationResponse| {
            registration_fields(
                Some(&r.client_id),
                [r.client_secret.as_ref(), r.registration_access_token.as_ref()],
                [r.client_id_issued_at, r.client_secret_expires_at],
                r.registration_client_uri.as_ref(),
            )
        };
        prop_assert_eq!(fields(&again), fields(&response));
        prop_assert_eq!(again.metadata, response.metadata);
    }

    #[test]
    fn metadata_round_trips(metadata in metadata()) {
        let again = json_round_trip(&metadata)?;
        prop_assert_eq!(again, metadata);
    }

    #[test]
    fn bearer_challenge_round_trips(challenge in bearer_challenge()) {
        let header = challenge.encode();
        prop_assert_eq!(BearerChallenge::decode(&header), Ok(challenge.clone()));
        // Behind another challenge too.
        let behind = format!(r#"Basic realm="x", {header}"#);
        prop_assert_eq!(BearerChallenge::decode(&behind), Ok(challenge));
    }
}
