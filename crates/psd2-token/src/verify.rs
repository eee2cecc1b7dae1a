//! Verification: the resource server's side for access tokens, the token
//! endpoint's for refresh tokens.

use std::time::Duration;

use psd2_core::{ClientId, Psu, ScopeSet, Secret, X5tS256};

use crate::claims::{AccessClaims, AccessIn};
use crate::ct::ct_eq;
use crate::error::VerifyError;
use crate::header::{ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP};
use crate::ids::{GrantId, TokenId};
use crate::jws;
use crate::key_set::KeySet;
use crate::refresh::RefreshClaims;
use crate::time::UnixTime;

/// What a [`Verifier`] expects. No `Default`: each value is a decision of the
/// server's operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierConfig {
    /// The `iss` every token must carry, compared exactly (RFC 9068 §4).
    pub issuer: String,
    /// This resource server's identifier. `Some`: `aud` must contain it.
    /// `None`: `aud` must be absent, so that a token addressed to another
    /// resource server is not accepted by one that has no name.
    pub audience: Option<String>,
    /// Clock skew tolerated on `exp` and `iat`, in whole seconds; keep it
    /// short (a minute or less).
    pub leeway: Duration,
}

/// Verifies tokens signed by the keys of a [`KeySet`].
///
/// Every check runs on every call; the result is a proof type that only
/// this verifier constructs. The checks, in order: size and syntax; a
/// supported `alg` (never `none`); the expected `typ`; a `kid` of the set;
/// the key's algorithm equal to `alg`; the signature; then, on the
/// authenticated claims, `iss`, `iat` and `exp` with the leeway, `aud`, and
/// the certificate binding (access) or the client (refresh). The binding and
/// client comparisons run in constant time; the issuer and audience are
/// public values.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: KeySet,
    config: VerifierConfig,
}

/// An access token whose signature, type, issuer, lifetime, audience and
/// certificate binding have been checked. Only [`Verifier::verify_access`]
/// makes one: a handler that takes a `&VerifiedAccessToken` cannot be
/// reached with an unchecked token.
#[derive(Debug, Clone)]
#[must_use = "a verified token is the proof the request may proceed"]
pub struct VerifiedAccessToken {
    claims: AccessClaims,
}

/// A refresh token whose signature, type, issuer, lifetime and client have
/// been checked. Only [`Verifier::verify_refresh`] makes one. Whether its
/// grant is still live, and whether its `jti` is the grant's current refresh
/// token, the server decides from its store.
#[derive(Debug, Clone)]
#[must_use = "a verified token is the proof the request may proceed"]
pub struct VerifiedRefreshToken {
    claims: RefreshClaims,
}

impl Verifier {
    /// A verifier trusting `keys`.
    #[must_use]
    pub fn new(keys: KeySet, config: VerifierConfig) -> Self {
        Self { keys, config }
    }

    /// The keys trusted.
    #[must_use]
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// Verifies an access token presented on a connection whose client
    /// certificate has thumbprint `presented`, at `now`.
    ///
    /// # Errors
    /// The first check that fails; see [`VerifyError`].
    pub fn verify_access<T: AsRef<[u8]>>(
        &self,
        token: &Secret<T>,
        presented: &X5tS256,
        now: UnixTime,
    ) -> Result<VerifiedAccessToken, VerifyError> {
        let payload = jws::verify(token.expose().as_ref(), &self.keys, ACCESS_TOKEN_TYP)?;
        let claims = jws::decode_payload::<AccessIn>(payload)?.into_claims()?;
        self.check_issuer(&claims.issuer)?;
        self.check_times(claims.issued_at, claims.expires_at, now)?;
        self.check_audience(&claims.audience)?;
        if !ct_eq(
            claims.binding.as_str().as_bytes(),
            presented.as_str().as_bytes(),
        ) {
            return Err(VerifyError::WrongBinding);
        }
        Ok(VerifiedAccessToken { claims })
    }

    /// Verifies a refresh token sent by the authenticated client `client`, at
    /// `now`.
    ///
    /// The refresh token is not bound to the certificate: a TPP renews its
    /// QWAC while its refresh tokens live on, and the token endpoint already
    /// authenticated the client with the new certificate (RFC 8705 §4 binds
    /// refresh tokens of public clients only).
    ///
    /// # Errors
    /// The first check that fails; see [`VerifyError`].
    pub fn verify_refresh<T: AsRef<[u8]>>(
        &self,
        token: &Secret<T>,
        client: &ClientId,
        now: UnixTime,
    ) -> Result<VerifiedRefreshToken, VerifyError> {
        let payload = jws::verify(token.expose().as_ref(), &self.keys, REFRESH_TOKEN_TYP)?;
        let claims = jws::decode_payload::<RefreshClaims>(payload)?.checked()?;
        self.check_issuer(&claims.issuer)?;
        self.check_times(claims.issued_at, claims.expires_at, now)?;
        if !ct_eq(
            claims.client_id.as_str().as_bytes(),
            client.as_str().as_bytes(),
        ) {
            return Err(VerifyError::WrongClient);
        }
        Ok(VerifiedRefreshToken { claims })
    }

    fn check_issuer(&self, issuer: &str) -> Result<(), VerifyError> {
        if issuer != self.config.issuer {
            return Err(VerifyError::WrongIssuer);
        }
        Ok(())
    }

    /// Valid while `iat <= now + leeway` and `now < exp + leeway` (RFC 7519
    /// §4.1.4: the current time "MUST be before" `exp`).
    fn check_times(
        &self,
        issued_at: UnixTime,
        expires_at: UnixTime,
        now: UnixTime,
    ) -> Result<(), VerifyError> {
        let leeway = self.config.leeway.as_secs();
        if issued_at.as_secs() > now.as_secs().saturating_add(leeway) {
            return Err(VerifyError::IssuedInFuture { issued_at, now });
        }
        if now.as_secs() >= expires_at.as_secs().saturating_add(leeway) {
            return Err(VerifyError::Expired { expires_at, now });
        }
        Ok(())
    }

    fn check_audience(&self, audience: &[String]) -> Result<(), VerifyError> {
        let accepted = match &self.config.audience {
            Some(ours) => audience.iter().any(|aud| aud == ours),
            None => audience.is_empty(),
        };
        if !accepted {
            return Err(VerifyError::WrongAudience);
        }
        Ok(())
    }
}

impl VerifiedAccessToken {
    /// All the claims.
    #[must_use]
    pub fn claims(&self) -> &AccessClaims {
        &self.claims
    }

    /// The claims, giving up the proof.
    #[must_use]
    pub fn into_claims(self) -> AccessClaims {
        self.claims
    }

    /// The PSU, unless the token was issued to the client itself.
    #[must_use]
    pub fn psu(&self) -> Option<&Psu> {
        self.claims.psu()
    }

    /// The client the token was issued to.
    #[must_use]
    pub fn client_id(&self) -> &ClientId {
        &self.claims.client_id
    }

    /// The granted scopes.
    #[must_use]
    pub fn scope(&self) -> &ScopeSet {
        &self.claims.scope
    }

    /// The grant, to check against the server's revocations.
    #[must_use]
    pub fn grant_id(&self) -> GrantId {
        self.claims.grant_id
    }

    /// The `jti`, to check against the server's revocations.
    #[must_use]
    pub fn token_id(&self) -> TokenId {
        self.claims.token_id
    }
}

impl VerifiedRefreshToken {
    /// All the claims.
    #[must_use]
    pub fn claims(&self) -> &RefreshClaims {
        &self.claims
    }

    /// The grant to refresh, or to revoke with every token issued under it.
    #[must_use]
    pub fn grant_id(&self) -> GrantId {
        self.claims.grant_id
    }

    /// The `jti`, to compare with the grant's current refresh token.
    #[must_use]
    pub fn token_id(&self) -> TokenId {
        self.claims.token_id
    }
}
