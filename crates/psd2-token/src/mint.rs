//! Minting: the authorization server's side.

use std::fmt;
use std::time::Duration;

use psd2_core::{ClientId, ScopeSet, Secret, X5tS256};
use ring::rand::{SecureRandom, SystemRandom};

use crate::claims::{AccessClaims, Subject};
use crate::error::MintError;
use crate::header::{self, ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP};
use crate::ids::{GrantId, TokenId};
use crate::jws;
use crate::keys::{SigningKey, VerifyingKey};
use crate::refresh::RefreshClaims;
use crate::time::UnixTime;

/// What a [`Minter`] writes into every token. No `Default`: each value is a
/// decision of the server's operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinterConfig {
    /// The `iss` of every token: the issuer identifier of the authorization
    /// server's metadata (RFC 8414 §2).
    pub issuer: String,
    /// How long an access token lives (`exp - iat`); at least one second.
    pub access_lifetime: Duration,
    /// How long a refresh token lives; at least one second.
    pub refresh_lifetime: Duration,
}

/// What the authorization server decided to grant, to be written into an
/// access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessGrant {
    /// The authorization this token belongs to; the same for every access
    /// and refresh token issued under it (see [`Minter::new_grant_id`]).
    pub grant_id: GrantId,
    /// The TPP the token is issued to.
    pub client_id: ClientId,
    /// The PSU, or [`Subject::Client`] for `client_credentials`.
    pub subject: Subject,
    /// The granted scopes.
    pub scope: ScopeSet,
    /// The resource servers the token is for; empty for none.
    pub audience: Vec<String>,
    /// The thumbprint of the client certificate of the TLS connection the
    /// token was requested on (RFC 8705 §3).
    pub binding: X5tS256,
}

/// A freshly minted access token and the claims it carries.
#[derive(Debug, Clone)]
pub struct MintedAccessToken {
    /// The compact JWT, for the `access_token` member of the token response.
    pub token: Secret<String>,
    /// What it says, for the server's records (`jti`, `exp`).
    pub claims: AccessClaims,
}

impl MintedAccessToken {
    /// Seconds from issue to expiry: the `expires_in` of the token response.
    #[must_use]
    pub fn expires_in(&self) -> u64 {
        self.claims.expires_at.as_secs() - self.claims.issued_at.as_secs()
    }
}

/// A freshly minted refresh token and the claims it carries.
#[derive(Debug, Clone)]
pub struct MintedRefreshToken {
    /// The compact JWT, for the `refresh_token` member of the token response.
    pub token: Secret<String>,
    /// What it says; the server records `jti` as the grant's live refresh
    /// token.
    pub claims: RefreshClaims,
}

/// Mints access and refresh tokens with one signing key.
///
/// The random generator is part of the minter: it draws token ids, grant ids
/// and the ES256 nonces. Production passes [`SystemRandom`]; a test may pass
/// a fixed generator to get the same tokens on every run.
pub struct Minter<R = SystemRandom> {
    key: SigningKey,
    rng: R,
    config: MinterConfig,
    // Fixed for the key: encoded once.
    access_header: String,
    refresh_header: String,
}

impl<R: SecureRandom> Minter<R> {
    /// A minter signing with `key`.
    pub fn new(key: SigningKey, rng: R, config: MinterConfig) -> Self {
        let access_header = header::encode(key.algorithm(), ACCESS_TOKEN_TYP, key.id());
        let refresh_header = header::encode(key.algorithm(), REFRESH_TOKEN_TYP, key.id());
        Self {
            key,
            rng,
            config,
            access_header,
            refresh_header,
        }
    }

    /// The `iss` written into every token.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// The key that verifies this minter's tokens, for a [`KeySet`](crate::KeySet).
    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// A fresh grant id, drawn when the PSU consents (or a
    /// `client_credentials` request succeeds) and stored with the
    /// authorization code.
    ///
    /// # Errors
    /// [`MintError::Random`].
    pub fn new_grant_id(&self) -> Result<GrantId, MintError> {
        GrantId::generate(&self.rng)
    }

    /// An access token for `grant`, issued at `now`.
    ///
    /// # Errors
    /// [`MintError::Lifetime`], [`MintError::Random`], [`MintError::Signing`],
    /// or [`MintError::TooLong`] when the claims make a token longer than
    /// verifiers accept.
    pub fn mint_access(
        &self,
        grant: &AccessGrant,
        now: UnixTime,
    ) -> Result<MintedAccessToken, MintError> {
        let claims = AccessClaims {
            issuer: self.config.issuer.clone(),
            subject: grant.subject.clone(),
            client_id: grant.client_id.clone(),
            scope: grant.scope.clone(),
            audience: grant.audience.clone(),
            grant_id: grant.grant_id,
            token_id: TokenId::generate(&self.rng)?,
            issued_at: now,
            expires_at: expiry(now, self.config.access_lifetime)?,
            binding: grant.binding.clone(),
        };
        let token = jws::sign(&self.access_header, &claims, &self.key, &self.rng)?;
        Ok(MintedAccessToken {
            token: Secret::new(token),
            claims,
        })
    }

    /// A refresh token for grant `grant_id`, usable by `client_id` only,
    /// issued at `now`.
    ///
    /// # Errors
    /// As [`Minter::mint_access`].
    pub fn mint_refresh(
        &self,
        grant_id: GrantId,
        client_id: &ClientId,
        now: UnixTime,
    ) -> Result<MintedRefreshToken, MintError> {
        let claims = RefreshClaims {
            issuer: self.config.issuer.clone(),
            client_id: client_id.clone(),
            grant_id,
            token_id: TokenId::generate(&self.rng)?,
            issued_at: now,
            expires_at: expiry(now, self.config.refresh_lifetime)?,
        };
        let token = jws::sign(&self.refresh_header, &claims, &self.key, &self.rng)?;
        Ok(MintedRefreshToken {
            token: Secret::new(token),
            claims,
        })
    }
}

impl<R> fmt::Debug for Minter<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Minter")
            .field("key", &self.key)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// `now + lifetime`, refusing a lifetime under one second (a token that is
/// expired when issued) and an overflow.
fn expiry(now: UnixTime, lifetime: Duration) -> Result<UnixTime, MintError> {
    match now.as_secs().checked_add(lifetime.as_secs()) {
        Some(exp) if lifetime.as_secs() > 0 => Ok(UnixTime::from_secs(exp)),
        _ => Err(MintError::Lifetime),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_bounds() {
        let now = UnixTime::from_secs(100);
        assert_eq!(
            expiry(now, Duration::from_secs(60)),
            Ok(UnixTime::from_secs(160))
        );
        assert_eq!(
            expiry(now, Duration::from_millis(999)),
            Err(MintError::Lifetime)
        );
        assert_eq!(
            expiry(UnixTime::from_secs(u64::MAX), Duration::from_secs(1)),
            Err(MintError::Lifetime)
        );
    }
}
