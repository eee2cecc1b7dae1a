//! # psd2-token
//!
//! Certificate-bound signed access and refresh tokens for PSD2 authorization
//! servers: RFC 9068 JWT access tokens carrying the RFC 8705 `cnf`
//! (`x5t#S256`) binding to the TPP's certificate, and signed refresh tokens
//! carrying the grant id. ES256 (the default) and HS256 on ring; JSON with
//! serde_json. No I/O, no clock: `now` is an argument.
//!
//! ## Minting and verifying a bound access token
//!
//! ```
//! use std::time::Duration;
//! use psd2_core::{ClientId, CustomerId, PersonId, Psu, X5tS256};
//! use psd2_token::{
//!     AccessGrant, KeyId, KeySet, Minter, MinterConfig, SigningKey, Subject, SystemRandom,
//!     UnixTime, Verifier, VerifierConfig, VerifyError,
//! };
//!
//! // The authorization server: one ES256 key (store the PKCS#8 to reload it).
//! let rng = SystemRandom::new();
//! let (key, _pkcs8) = SigningKey::generate_es256(KeyId::new("2026-05")?, &rng)?;
//! let minter = Minter::new(key, rng, MinterConfig {
//!     issuer: "https://bank.example".into(),
//!     access_lifetime: Duration::from_secs(300),
//!     refresh_lifetime: Duration::from_secs(90 * 24 * 3600),
//! });
//!
//! // The SHA-256 of the DER client certificate of the mTLS connection.
//! let tpp_certificate = X5tS256::from_sha256(&[0x5a; 32]);
//! let grant = AccessGrant {
//!     grant_id: minter.new_grant_id()?,
//!     client_id: ClientId::new("PSDFR-ACPR-12345")?,
//!     subject: Subject::Psu(Psu::new(PersonId("person-1".into()), CustomerId("customer-A".into()))),
//!     scope: "aisp".parse()?,
//!     audience: vec![],
//!     binding: tpp_certificate.clone(),
//! };
//! let now = UnixTime::from_secs(1_700_000_000);
//! let minted = minter.mint_access(&grant, now)?;
//! assert_eq!(minted.expires_in(), 300);
//!
//! // The resource server: the public key, the issuer, a leeway.
//! let verifier = Verifier::new(KeySet::new([minter.verifying_key()])?, VerifierConfig {
//!     issuer: "https://bank.example".into(),
//!     audience: None,
//!     leeway: Duration::from_secs(30),
//! });
//! let verified = verifier.verify_access(&minted.token, &tpp_certificate, now)?;
//! assert_eq!(verified.psu(), Some(&Psu::new(PersonId("person-1".into()), CustomerId("customer-A".into()))));
//! assert!(verified.scope().contains("aisp"));
//!
//! // Presented over a connection with another certificate: refused.
//! let thief = X5tS256::from_sha256(&[0x66; 32]);
//! assert_eq!(
//!     verifier.verify_access(&minted.token, &thief, now).err(),
//!     Some(VerifyError::WrongBinding),
//! );
//! // Too late, even with the leeway: refused.
//! let later = UnixTime::from_secs(now.as_secs() + 300 + 30);
//! assert!(matches!(
//!     verifier.verify_access(&minted.token, &tpp_certificate, later),
//!     Err(VerifyError::Expired { .. }),
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Refreshing
//!
//! ```
//! use std::time::Duration;
//! use psd2_core::{ClientId, Secret};
//! use psd2_token::{
//!     KeyId, KeySet, Minter, MinterConfig, SigningKey, SystemRandom, UnixTime, Verifier,
//!     VerifierConfig, VerifyError,
//! };
//!
//! // Only the authorization server reads refresh tokens: a secret HS256 key will do.
//! let key = SigningKey::hs256(KeyId::new("rt-1")?, &Secret::new([0x17u8; 32]))?;
//! let minter = Minter::new(key, SystemRandom::new(), MinterConfig {
//!     issuer: "https://bank.example".into(),
//!     access_lifetime: Duration::from_secs(300),
//!     refresh_lifetime: Duration::from_secs(90 * 24 * 3600),
//! });
//! let verifier = Verifier::new(KeySet::from(minter.verifying_key()), VerifierConfig {
//!     issuer: "https://bank.example".into(),
//!     audience: None,
//!     leeway: Duration::from_secs(0),
//! });
//!
//! let tpp = ClientId::new("PSDFR-ACPR-12345")?;
//! let grant_id = minter.new_grant_id()?;
//! let now = UnixTime::from_secs(1_700_000_000);
//! let refresh = minter.mint_refresh(grant_id, &tpp, now)?;
//!
//! let verified = verifier.verify_refresh(&refresh.token, &tpp, now)?;
//! assert_eq!(verified.grant_id(), grant_id); // look the grant up: revoked? current jti?
//!
//! let other = ClientId::new("PSDFR-ACPR-99999")?;
//! assert_eq!(verifier.verify_refresh(&refresh.token, &other, now).err(), Some(VerifyError::WrongClient));
//! // A refresh token is not an access token, whatever the key.
//! let anyone = psd2_core::X5tS256::from_sha256(&[0; 32]);
//! assert_eq!(
//!     verifier.verify_access(&refresh.token, &anyone, now).err(),
//!     Some(VerifyError::WrongType { expected: "at+jwt" }),
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Design
//!
//! - **The algorithm belongs to the key.** The header's `kid` selects a key
//!   of the verifier's [`KeySet`]; the header's `alg` must then equal that
//!   key's algorithm ([`VerifyError::AlgorithmMismatch`] otherwise). `none`
//!   does not exist here, and headers that carry or point to a key (`jwk`,
//!   `jku`, `x5c`, `x5u`) are refused as unknown members.
//! - **The codec apart from the signing.** The JWS layer splits and decodes
//!   (size limit [`MAX_TOKEN_LEN`] first, canonical unpadded base64url,
//!   strict JSON: unknown or repeated members are refused); keys sign and
//!   verify; the verifier judges the claims, and only after the signature
//!   has verified.
//! - **Proof types.** [`VerifiedAccessToken`] and [`VerifiedRefreshToken`]
//!   have no public constructor.
//! - **Explicit typing.** Access tokens are `typ: at+jwt` (RFC 9068 §2.1),
//!   refresh tokens `typ: rt+jwt`; each verification demands its own.
//! - **Secrets.** Tokens and private keys travel in [`psd2_core::Secret`].
//! - **The random generator is part of the [`Minter`]**: it draws `jti`,
//!   grant ids and ES256 nonces, so a test can fix it.

mod alg;
mod b64;
mod claims;
mod ct;
mod error;
mod header;
mod ids;
mod jws;
mod key_set;
mod keys;
mod mint;
mod refresh;
mod time;
mod verify;
mod wire;

#[doc(hidden)]
pub mod fuzzing;

pub use alg::Algorithm;
pub use claims::{AccessClaims, Subject};
pub use error::{Fault, KeyError, Malformation, MintError, VerifyError};
pub use header::{ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP};
pub use ids::{GrantId, KeyId, MAX_KEY_ID_LEN, TokenId};
pub use jws::MAX_TOKEN_LEN;
pub use key_set::KeySet;
pub use keys::{SigningKey, VerifyingKey};
pub use mint::{AccessGrant, MintedAccessToken, MintedRefreshToken, Minter, MinterConfig};
pub use refresh::RefreshClaims;
pub use ring::rand::{SecureRandom, SystemRandom};
pub use time::UnixTime;
pub use verify::{VerifiedAccessToken, VerifiedRefreshToken, Verifier, VerifierConfig};
