//! The application: routes each request to its endpoint. Handlers stay thin:
//! decode (`psd2-wire`), decide (`psd2-rules` matching, `psd2-eidas`,
//! `psd2-token`), encode.

use std::collections::HashMap;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use psd2_core::{ClientId, ProfileData};
use psd2_token::{Minter, SystemRandom, Verifier};

use crate::clock::TestClock;
use crate::config::{ClientRegistration, Lifetimes, PsuDirectory};
use crate::faults::{Fault, FaultSet};
use crate::http::{self, Body};
use crate::server::{ConnectionInfo, Handler, Limits, ListenerKind};
use crate::store::Store;
use crate::{admin, authorize, consent, introspect, logout, metadata, resources, revoke, token};

/// Everything the endpoints share.
pub struct App {
    /// The profile's parameters.
    pub profile: ProfileData,
    /// Registered clients by id.
    pub clients: HashMap<ClientId, ClientRegistration>,
    /// Test PSUs.
    pub psus: PsuDirectory,
    /// Misbehaviours switched on.
    pub faults: FaultSet,
    /// Lifetimes.
    pub lifetimes: Lifetimes,
    /// Request bounds.
    pub limits: Limits,
    /// The issuer identifier: the browser listener's origin.
    pub issuer: String,
    /// The mTLS listener's origin.
    pub mtls_base: String,
    /// The test clock.
    pub clock: TestClock,
    /// Codes, grants, transactions.
    pub store: Store,
    /// Mints access tokens (ES256).
    pub access_minter: Minter,
    /// Verifies access tokens.
    pub access_verifier: Verifier,
    /// Mints refresh tokens (HS256, a key only this server knows).
    pub refresh_minter: Minter,
    /// Verifies refresh tokens.
    pub refresh_verifier: Verifier,
    /// DER of the certificate allowed on the admin endpoints.
    pub admin_certificate: Vec<u8>,
    /// Random values for codes and transaction ids.
    pub rng: SystemRandom,
}

impl App {
    /// Whether a fault is switched on.
    #[must_use]
    pub fn fault(&self, fault: Fault) -> bool {
        self.faults.has(fault)
    }

    /// Now, on the test clock, in Unix seconds.
    #[must_use]
    pub fn now(&self) -> u64 {
        self.clock.now_unix()
    }

    /// A registered client.
    #[must_use]
    pub fn client(&self, id: &str) -> Option<&ClientRegistration> {
        ClientId::new(id).ok().and_then(|id| self.clients.get(&id))
    }

    /// 32 random bytes, base64url: codes, transaction ids, cookie bindings.
    pub fn random_token(&self) -> Option<String> {
        use base64::Engine as _;
        use ring::rand::SecureRandom as _;
        let mut bytes = [0u8; 32];
        self.rng.fill(&mut bytes).ok()?;
        Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

impl Handler for App {
    async fn handle(
        &self,
        request: Request<Incoming>,
        connection: Arc<ConnectionInfo>,
    ) -> Response<Body> {
        let path = request.uri().path().to_owned();
        let method = request.method().clone();
        match (connection.listener, &method, path.as_str()) {
            (_, &Method::GET, metadata::PATH) => metadata::get(self),
            (ListenerKind::Browser, &Method::GET, authorize::PATH) => {
                authorize::get(self, &request)
            }
            (ListenerKind::Browser, &Method::GET, logout::PATH) => logout::get(self, &request),
            (ListenerKind::Browser, &Method::POST, consent::LOGIN_PATH) => {
                consent::post_login(self, request).await
            }
            (ListenerKind::Browser, &Method::GET, consent::CONSENT_PATH) => {
                consent::get_consent(self, &request)
            }
            (ListenerKind::Browser, &Method::POST, consent::CONSENT_PATH) => {
                consent::post_consent(self, request).await
            }
            (ListenerKind::Mtls, &Method::POST, token::PATH) => {
                token::post(self, request, &connection).await
            }
            (ListenerKind::Mtls, &Method::POST, revoke::PATH) => {
                revoke::post(self, request, &connection).await
            }
            (ListenerKind::Mtls, &Method::POST, introspect::PATH) => {
                introspect::post(self, request, &connection).await
            }
            (ListenerKind::Mtls, &Method::POST, admin::CLOCK_PATH) => {
                admin::post_clock(self, request, &connection).await
            }
            (ListenerKind::Mtls, _, resource_path) if resources::owns(resource_path) => {
                resources::handle(self, request, &connection).await
            }
            _ => http::plain(StatusCode::NOT_FOUND, "not found"),
        }
    }
}
