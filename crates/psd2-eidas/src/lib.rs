//! # psd2-eidas
//!
//! Reads what a bank's mTLS endpoints need from a TPP's eIDAS certificate
//! (QWAC or QSealC): the PSD2 roles, the NCA that authorised them, the
//! organizationIdentifier and its authorisation number, the QC statements, and
//! the RFC 8705 thumbprint. Built on x509-cert + der (strict DER) and ring;
//! no I/O, no clock.
//!
//! Real certificates deviate from ETSI TS 119 495 in known ways (a bare
//! QCStatement, PrintableString inside PSD2QcType, names that disagree with
//! their role OID, empty or malformed NCA fields). Those are returned as
//! typed [`Finding`]s next to whatever could be read, and the bank chooses a
//! [`FindingPolicy`]. Only structural corruption is a [`ParseError`], and it
//! names the field (`qcStatements/PSD2QcType/nCAName`). Nothing panics.
//!
//! ## At the token endpoint
//!
//! The TLS stack has verified the chain; the handler has the peer
//! certificate's DER and the `client_id` of the request:
//!
//! ```
//! use psd2_core::{ClientId, Psd2Role};
//! use psd2_eidas::{FindingPolicy, MatchPolicy, Psd2Certificate};
//!
//! # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/certs/tpp-a-all-roles.pem"))?;
//! # let peer_der = Psd2Certificate::from_pem(&pem)?[0].as_der().to_vec();
//! let client_id = ClientId::new("PSDFR-ACPR-12345")?;
//! let certificate = Psd2Certificate::from_der(&peer_der)?;
//!
//! let decision = if certificate.check_profile(FindingPolicy::STRICT).is_err() {
//!     Err("invalid_client: certificate does not follow TS 119 495")
//! } else if !certificate.declares_qwac() {
//!     Err("invalid_client: not a QWAC")
//! } else if !certificate.matches_client(&client_id, MatchPolicy::Direct).is_match() {
//!     Err("invalid_client: client_id is not the certificate's organizationIdentifier")
//! } else if !certificate.has_role(&Psd2Role::PspAi) {
//!     Err("unauthorized_client: no PSP_AI role for scope aisp")
//! } else {
//!     // Bind the access token to this certificate: cnf.x5t#S256.
//!     Ok(certificate.x5t_s256())
//! };
//! let thumbprint = decision.map_err(|reason| reason.to_owned())?;
//! assert_eq!(thumbprint.as_str().len(), 43);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Design
//!
//! * Types mirror the ASN.1 of RFC 3739, EN 319 412-5 and TS 119 495, which
//!   each type's documentation quotes; wire forms borrow from the input.
//! * The role is read from `roleOfPspOid`; `roleOfPspName` is kept and a
//!   disagreement is a finding. Unknown role OIDs are kept as
//!   [`Psd2Role::Other`](psd2_core::Psd2Role::Other).
//! * `SIZE (1..256)` is counted in characters and checked here, because der's
//!   derive does not enforce SIZE.

mod certificate;
mod error;
mod extensions;
mod finding;
pub mod oid;
mod org_id;
mod pem;
mod policy;
mod psd2;
mod qc;

#[doc(hidden)]
pub mod fuzzing;

pub use certificate::Psd2Certificate;
pub use error::ParseError;
pub use extensions::{AltName, Validity};
pub use finding::{Finding, FindingPolicy, ProfileRejection, Severity};
pub use org_id::{OrganizationIdentifier, PsdAuthorisation};
pub use policy::{ClientMatch, ClientRegistry, MatchPolicy};
pub use psd2::{Psd2QcType, RoleOfPsp};
pub use qc::{PdsLocation, QcStatements, QcType};

pub use const_oid::ObjectIdentifier;
/// Re-exported so that callers name the same versions this crate returns
/// ([`Psd2Certificate::subject`] is an `x509_cert::name::Name`).
pub use x509_cert;
