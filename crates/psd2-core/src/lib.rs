//! # psd2-core
//!
//! The vocabulary every other crate of the workspace speaks: OAuth scopes and
//! scope sets (RFC 6749 §3.3), PSD2 services and roles (ETSI TS 119 495), the
//! PSU as a Person + Customer pair, grant and response types, identifiers,
//! IANA-registered error codes, [`Secret`] for anything that must never reach a
//! log, and [`ProfileData`]: the parameters of a bank profile as plain data.
//!
//! This crate does no I/O, reads no clock and draws no randomness except in
//! [`Nonce::new_v4`].
//!
//! ```
//! use psd2_core::{ProfileData, ProfileId, Psd2Role, ScopeSet};
//!
//! let stet = ProfileData::defaults(ProfileId::Stet);
//! let scopes: ScopeSet = "aisp extended_transaction_history".parse()?;
//! // A PSP_AI certificate may ask for both scopes on a STET bank.
//! assert!(stet.role_scopes.allows(&[Psd2Role::PspAi], &scopes));
//! assert!(!stet.role_scopes.allows(&[Psd2Role::PspPi], &scopes));
//! # Ok::<(), psd2_core::ScopeError>(())
//! ```

#[doc(hidden)]
pub use serde as __serde;

mod error_code;
mod grant;
mod ids;
mod open_enum;
mod profile;
mod psu;
mod role;
mod scope;
mod secret;
mod secret_names;
mod service;
mod thumbprint;
mod token_type;

pub use error_code::{ErrorLocation, OAuthErrorCode};
pub use grant::{GrantType, ResponseType};
pub use ids::{ClientId, FlowId, IdError, Nonce, State};
pub use profile::{
    AllowedScopes, ClientAuthMethod, ProfileData, ProfileError, ProfileId, ProfileOverrides,
    RedirectMatching, RoleScopeMap, ServiceScopes,
};
pub use psu::{CustomerId, CustomerKind, PersonId, Psu};
pub use role::Psd2Role;
pub use scope::{Scope, ScopeError, ScopeSet};
pub use secret::Secret;
pub use secret_names::{SECRET_PARAMETERS, is_secret_parameter};
pub use service::Service;
pub use thumbprint::X5tS256;
pub use token_type::TokenType;
