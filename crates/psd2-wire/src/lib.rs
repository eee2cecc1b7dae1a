//! # psd2-wire
//!
//! Codecs for every PSD2 OAuth2 message: what was sent, never whether it is
//! allowed.
//!
//! | message | type | trait or entry point |
//! |---|---|---|
//! | authorization request (RFC 6749 §4.1.1, RFC 7636, ConnectPay) | [`AuthorizationRequest`] | [`FormMessage`], [`AuthorizationRequest::from_url`] |
//! | redirect back to the client (RFC 6749 §4.1.2, RFC 9207) | [`AuthorizationCallback`] | [`AuthorizationCallback::from_redirect_url`] |
//! | token request, per grant (RFC 6749 §4, §6) | [`TokenRequest`], [`Grant`] | [`FormMessage`] |
//! | HTTP Basic client authentication (RFC 6749 §2.3.1) | [`BasicCredentials`] | [`BasicCredentials::decode`] |
//! | token response (RFC 6749 §5.1) | [`TokenResponse`] | [`JsonMessage`] |
//! | error response (RFC 6749 §5.2) | [`ErrorResponse`] | [`JsonMessage`] |
//! | revocation request (RFC 7009 §2.1) | [`RevocationRequest`] | [`FormMessage`] |
//! | introspection request (RFC 7662 §2.1: the revocation request's parameters) | [`IntrospectionRequest`] (= [`RevocationRequest`]) | [`FormMessage`] |
//! | introspection response (RFC 7662 §2.2, RFC 8705 §3.2 `cnf`) | [`IntrospectionResponse`], [`Audience`] | [`JsonMessage`] |
//! | registration (RFC 7591, RFC 7592, RFC 8705 §2.1.2) | [`RegistrationRequest`], [`RegistrationResponse`] | [`JsonMessage`] |
//! | server metadata (RFC 8414, RFC 8705 §5, RFC 9207 §3) | [`AuthorizationServerMetadata`] | [`JsonMessage`] |
//! | `WWW-Authenticate: Bearer` (RFC 6750 §3) | [`BearerChallenge`] | [`BearerChallenge::decode`], [`parse_challenges`] |
//!
//! ## What a decoder does, and does not
//!
//! A decoder answers "what was sent?" and fails only on bad syntax, with a
//! [`WireError`] that names the field. Whether a well-formed message is
//! allowed (a `state` that does not match, a `plain` PKCE method, a missing
//! `iss`) is for `psd2-rules` to judge. Concretely:
//!
//! - **Limits first.** Every decoder refuses an input over its
//!   [`BodyLimit`] ([`BodyLimit::DEFAULT`] is 64 KiB) before parsing it.
//! - **Repeats.** A parameter a message knows may appear once (RFC 6749
//!   §3.1, §3.2); a repeat is [`WireError::DuplicateParameter`]. Unknown
//!   parameters may repeat (RFC 8707's `resource` does) and are kept, in
//!   order, in the message's `extra` [`Form`]. JSON messages keep unknown
//!   members in [`Members`].
//! - **Empty is absent.** A form parameter sent without a value is treated as
//!   omitted (RFC 6749 §3.1).
//! - **Required means readable.** A decoder requires only what the message
//!   cannot be read without: `response_type` and `client_id` of an
//!   authorization request, `grant_type` and the grant's credential of a
//!   token request, `access_token`, `error`, `token`, `issuer`, `active`, a
//!   registration response's `client_id`. Other members the RFCs call
//!   REQUIRED (`token_type`, `response_types_supported`) are `Option`s, so
//!   that a judge can report their absence on a message the harness can still
//!   use.
//! - **Exact text.** URIs (`redirect_uri`, `iss`, `issuer`, endpoints) are
//!   kept as sent, because the RFCs compare them by simple string comparison.
//! - **Open enums.** Unregistered `grant_type`, `error`,
//!   `code_challenge_method` or `token_endpoint_auth_method` values decode.
//! - **Secrets.** Codes, tokens, client secrets, PSU credentials and
//!   registration tokens are [`Secret`](psd2_core::Secret)s; [`Form`] and
//!   [`Members`] redact credential parameters in `Debug`.
//! - **Encoding is mutable.** Every form-based message converts to a
//!   [`Form`], which a conformance harness may edit (repeat, omit or override
//!   a parameter) before encoding it.
//!
//! ```
//! use psd2_core::{ClientId, ResponseType, ScopeSet, State};
//! use psd2_wire::{AuthorizationRequest, FormMessage};
//!
//! let mut request = AuthorizationRequest::new(ResponseType::CODE, ClientId::new("PSDFR-ACPR-12345")?);
//! request.scope = Some(ScopeSet::parse("aisp")?);
//! request.state = Some(State::new("xyz")?);
//! // The harness sends `state` twice on purpose...
//! let mut form = request.to_form();
//! form.append("state", "abc");
//! // ...and the sandbox's decoder names the repeated parameter.
//! let error = AuthorizationRequest::decode(form.encode().as_bytes()).unwrap_err();
//! assert_eq!(error.field(), Some("state"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod authorize;
mod bearer;
mod callback;
mod challenge;
mod client_auth;
mod error;
mod error_response;
mod flow_id;
mod form;
mod introspection;
mod json;
mod limit;
mod message;
mod metadata;
mod params;
mod registration;
mod revocation;
mod token_request;
mod token_response;

#[doc(hidden)]
pub mod fuzzing;

pub use authorize::{AuthorizationRequest, CodeChallengeMethod};
pub use bearer::BearerChallenge;
pub use callback::{AuthorizationCallback, ParameterLocation};
pub use challenge::{Challenge, parse_challenges, parse_challenges_limited};
pub use client_auth::BasicCredentials;
pub use error::{Fault, InvalidReason, WireError};
pub use error_response::ErrorResponse;
pub use flow_id::{FlowIdParam, FlowIdSpelling};
pub use form::Form;
pub use introspection::{Audience, IntrospectionRequest, IntrospectionResponse};
pub use json::Members;
pub use limit::BodyLimit;
pub use message::{FormMessage, JsonMessage};
pub use metadata::{AuthorizationServerMetadata, MtlsEndpointAliases};
pub use registration::{
    ClientMetadata, RegistrationRequest, RegistrationResponse, TokenEndpointAuthMethod,
};
pub use revocation::{RevocationRequest, TokenTypeHint};
pub use token_request::{Grant, TokenRequest};
pub use token_response::TokenResponse;
