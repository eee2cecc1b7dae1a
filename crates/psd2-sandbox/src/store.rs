//! In-memory state: consent transactions, authorization codes and grants.
//!
//! One mutex guards everything. Every operation is a short critical section
//! with no await inside, which is what makes "a code is redeemed at most
//! once" hold under any concurrency: the first `take_code` removes it.
//! Entries carry an expiry on the test clock and are swept on insertion;
//! counts are capped so that a flood of `/authorize` calls cannot grow memory
//! without bound.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use psd2_core::{ClientId, Psu, ScopeSet, Secret, X5tS256};
use psd2_token::{GrantId, TokenId};

/// The most consent transactions kept at once.
pub const MAX_TRANSACTIONS: usize = 10_000;
/// The most unredeemed codes kept at once.
pub const MAX_CODES: usize = 10_000;

/// An authorization request that passed validation and waits for the PSU.
#[derive(Debug, Clone)]
pub struct Transaction {
    /// The client that asked.
    pub client_id: ClientId,
    /// The redirect URI the callback goes to (the registered one that matched).
    pub redirect_uri: String,
    /// Whether the request carried `redirect_uri` (RFC 6749 §4.1.3: then the
    /// token request must carry the same value).
    pub redirect_uri_sent: bool,
    /// The scopes asked for (after applying the default scope).
    pub scope: ScopeSet,
    /// The client's `state`, echoed in the callback.
    pub state: Option<String>,
    /// PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// A secret bound to the browser by cookie: the consent forms are only
    /// accepted from the browser that started the transaction.
    pub browser_binding: Secret<String>,
    /// Who signed in, once they did, and when (the SCA time).
    pub signed_in: Option<(psd2_core::PersonId, u64)>,
    /// When this transaction is forgotten.
    pub expires_at: u64,
}

/// An issued, unredeemed authorization code.
#[derive(Debug, Clone)]
pub struct PendingCode {
    /// The grant the code's tokens will belong to.
    pub grant_id: GrantId,
    /// The client it was issued to.
    pub client_id: ClientId,
    /// The redirect URI of the authorization request.
    pub redirect_uri: String,
    /// Whether the authorization request carried `redirect_uri`.
    pub redirect_uri_sent: bool,
    /// What the PSU granted.
    pub scope: ScopeSet,
    /// What the client asked for.
    pub requested_scope: ScopeSet,
    /// The PSU.
    pub psu: Psu,
    /// PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// When the PSU authenticated.
    pub sca_at: u64,
    /// Expiry.
    pub expires_at: u64,
}

/// A grant: what one consent produced, across code, access and refresh tokens.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The PSU, for authorization-code grants.
    pub psu: Option<Psu>,
    /// The scopes granted.
    pub scope: ScopeSet,
    /// When the PSU last authenticated (SCA renewal window).
    pub sca_at: u64,
    /// Revoked: every token of the grant stops working.
    pub revoked: bool,
    /// The refresh token was revoked (with `revoked` unless a fault keeps
    /// the access tokens alive).
    pub refresh_revoked: bool,
}

/// What redeeming a code found.
#[derive(Debug)]
pub enum CodeRedemption {
    /// The code was valid and is now spent.
    Fresh(PendingCode),
    /// The code was spent before: its grant id, so the caller can revoke what
    /// it issued (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
    Replayed(GrantId),
    /// No such code (never issued, or forgotten).
    Unknown,
}

#[derive(Default)]
struct Inner {
    transactions: HashMap<String, Transaction>,
    codes: HashMap<String, PendingCode>,
    spent_codes: HashMap<String, (GrantId, u64)>,
    grants: HashMap<GrantId, Grant>,
    revoked_access: HashSet<TokenId>,
    bindings: HashMap<[u8; 32], (X5tS256, u64)>,
    latest_grant: HashMap<ClientId, GrantId>,
}

/// The store.
#[derive(Default)]
pub struct Store {
    inner: Mutex<Inner>,
}

/// The store is full: answer 503 rather than grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many pending {0}")]
pub struct Full(pub &'static str);

impl Store {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps half-updated
        // (every update is a single insert or remove), so a poisoned lock is
        // still consistent.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps a new transaction under `id`.
    pub fn put_transaction(
        &self,
        id: String,
        transaction: Transaction,
        now: u64,
    ) -> Result<(), Full> {
        let mut inner = self.lock();
        inner.transactions.retain(|_, kept| kept.expires_at > now);
        if inner.transactions.len() >= MAX_TRANSACTIONS {
            return Err(Full("consent transactions"));
        }
        inner.transactions.insert(id, transaction);
        Ok(())
    }

    /// A live transaction.
    pub fn transaction(&self, id: &str, now: u64) -> Option<Transaction> {
        let inner = self.lock();
        inner
            .transactions
            .get(id)
            .filter(|kept| kept.expires_at > now)
            .cloned()
    }

    /// Records the sign-in of a transaction.
    pub fn sign_in(&self, id: &str, person: psd2_core::PersonId, now: u64) -> bool {
        let mut inner = self.lock();
        match inner.transactions.get_mut(id) {
            Some(kept) if kept.expires_at > now => {
                kept.signed_in = Some((person, now));
                true
            }
            _ => false,
        }
    }

    /// Ends a transaction (consent given or refused): it cannot be replayed.
    pub fn finish_transaction(&self, id: &str) -> Option<Transaction> {
        self.lock().transactions.remove(id)
    }

    /// Keeps a new code and creates its grant (not yet usable: no token yet).
    pub fn put_code(&self, code: String, pending: PendingCode, now: u64) -> Result<(), Full> {
        let mut inner = self.lock();
        inner.codes.retain(|_, kept| kept.expires_at > now);
        if inner.codes.len() >= MAX_CODES {
            return Err(Full("authorization codes"));
        }
        inner.codes.insert(code, pending);
        Ok(())
    }

    /// Redeems a code: exactly one caller ever gets [`CodeRedemption::Fresh`].
    /// `reusable` keeps the code for another redemption (a fault switch).
    pub fn take_code(&self, code: &str, now: u64, reusable: bool) -> CodeRedemption {
        let mut inner = self.lock();
        if let Some((grant_id, _)) = inner.spent_codes.get(code) {
            return CodeRedemption::Replayed(*grant_id);
        }
        let Some(pending) = inner.codes.remove(code) else {
            return CodeRedemption::Unknown;
        };
        if reusable {
            inner.codes.insert(code.to_owned(), pending.clone());
        } else {
            // Remember spent codes until they would have expired, so a replay
            // is recognised and its grant revoked.
            inner.spent_codes.retain(|_, (_, until)| *until > now);
            inner.spent_codes.insert(
                code.to_owned(),
                (pending.grant_id, pending.expires_at.max(now + 1)),
            );
        }
        CodeRedemption::Fresh(pending)
    }

    /// Creates or replaces a grant.
    pub fn put_grant(&self, id: GrantId, grant: Grant) {
        self.lock().grants.insert(id, grant);
    }

    /// A grant by id.
    pub fn grant(&self, id: &GrantId) -> Option<Grant> {
        self.lock().grants.get(id).cloned()
    }

    /// Revokes a grant and every token of it; returns whether it existed.
    pub fn revoke_grant(&self, id: &GrantId) -> bool {
        match self.lock().grants.get_mut(id) {
            Some(grant) => {
                grant.revoked = true;
                grant.refresh_revoked = true;
                true
            }
            None => false,
        }
    }

    /// Revokes only the refresh token of a grant.
    pub fn revoke_refresh_only(&self, id: &GrantId) -> bool {
        match self.lock().grants.get_mut(id) {
            Some(grant) => {
                grant.refresh_revoked = true;
                true
            }
            None => false,
        }
    }

    /// Remembers which certificate an access token was bound to, by the
    /// SHA-256 of the token: the faults that accept a token over another
    /// connection (`resource-binding-ignored`, `revoke-other-clients-token`)
    /// must still verify its signature.
    pub fn remember_binding(
        &self,
        token_digest: [u8; 32],
        binding: X5tS256,
        expires_at: u64,
        now: u64,
    ) {
        let mut inner = self.lock();
        inner.bindings.retain(|_, (_, until)| *until > now);
        if inner.bindings.len() < MAX_CODES {
            inner.bindings.insert(token_digest, (binding, expires_at));
        }
    }

    /// The certificate an access token was issued for.
    pub fn binding_of(&self, token_digest: &[u8; 32]) -> Option<X5tS256> {
        self.lock()
            .bindings
            .get(token_digest)
            .map(|(binding, _)| binding.clone())
    }

    /// Records the grant a client was last issued tokens under.
    pub fn note_latest_grant(&self, client: ClientId, grant: GrantId) {
        self.lock().latest_grant.insert(client, grant);
    }

    /// The grant a client was last issued tokens under (for the
    /// `refresh-unknown-falls-back` fault).
    pub fn latest_grant(&self, client: &ClientId) -> Option<GrantId> {
        self.lock().latest_grant.get(client).copied()
    }

    /// Revokes one access token.
    pub fn revoke_access(&self, jti: TokenId) {
        self.lock().revoked_access.insert(jti);
    }

    /// Whether an access token was revoked on its own.
    pub fn access_revoked(&self, jti: &TokenId) -> bool {
        self.lock().revoked_access.contains(jti)
    }
}
