//! Consent drivers: how the harness gets a PSU through a bank's sign-in and
//! consent pages to the final redirect to the client's redirect URI.
//!
//! - [`SandboxDriver`]: the reference server's documented form sequence;
//! - [`FormDriver`]: a scripted list of GETs and form submissions, for a
//!   third-party server's pages;
//! - [`ManualDriver`]: a person does it in a browser; the final redirect URL
//!   is pasted on standard input or caught by a loopback listener.
//!
//! Every driver returns the decoded callback; [`run`] also hands back every
//! exchange made on the way, failure or not, as evidence.

mod form;
mod manual;
mod sandbox;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use psd2_core::Secret;
use psd2_rules::exchange::{Exchange, redact_url};
use psd2_wire::{AuthorizationCallback, WireError};
use serde::Deserialize;

use crate::agent::{AgentError, Landing, Page, Stop, StopRule, UserAgent};

pub use form::{FieldTemplate, FormDriver, FormSelector, FormStep};
pub use manual::{ManualDriver, ManualInput};
pub use sandbox::{Decision, SandboxDriver};

/// What a driver is asked to do: take the PSU from the authorization URL to
/// the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRequest {
    /// The full authorization request URL.
    pub authorization_url: String,
    /// The client's redirect URI, where the journey stops.
    pub redirect_uri: String,
}

/// The PSU's sign-in credentials. `Debug` hides the password.
#[derive(Debug, Clone, Deserialize)]
pub struct PsuCredentials {
    /// The username.
    pub username: String,
    /// The password.
    pub password: Secret<String>,
}

/// The final redirect and what it carried.
#[derive(Debug, Clone)]
pub struct Consent {
    /// The redirect URL as received (a secret: it holds the code).
    pub redirect_url: Secret<String>,
    /// The decoded authorization response (`code`, `state`, `iss`,
    /// `error`).
    pub callback: AuthorizationCallback,
}

impl Consent {
    /// Decodes a URL that points to the redirect URI.
    ///
    /// # Errors
    /// [`DriverError::Callback`] when it is not a valid authorization
    /// response.
    pub fn from_redirect_url(url: String) -> Result<Self, DriverError> {
        let callback = AuthorizationCallback::from_redirect_url(&url)
            .map_err(|source| DriverError::Callback { source })?;
        Ok(Self {
            redirect_url: Secret::new(url),
            callback,
        })
    }

    fn from_stop(stop: &Stop) -> Result<Self, DriverError> {
        Self::from_redirect_url(stop.resolved.expose().clone())
    }
}

/// Why a driver did not reach the redirect URI.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DriverError {
    /// The user agent failed (transport failure, redirect cap or loop).
    #[error("the user agent failed: {0}")]
    Agent(#[from] AgentError),
    /// The redirect to the redirect URI is not a valid authorization
    /// response.
    #[error("the redirect to the redirect URI is not a valid authorization response")]
    Callback {
        /// The decoder's error.
        #[source]
        source: WireError,
    },
    /// The page has no form the driver can use.
    #[error("no {expected} form on the page at {url} (status {status})")]
    FormNotFound {
        /// Which form was expected.
        expected: String,
        /// The page URL (redacted).
        url: String,
        /// The page's status.
        status: u16,
    },
    /// The page has no link the driver can follow.
    #[error("no {expected} on the page at {url} (status {status})")]
    LinkNotFound {
        /// Which link was expected.
        expected: String,
        /// The page URL (redacted).
        url: String,
        /// The page's status.
        status: u16,
    },
    /// Input or output failed (the manual driver's terminal or listener).
    #[error("{what} failed")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The journey ended on a page instead of at the redirect URI.
    #[error(
        "the journey ended on a page (status {status} at {url}) instead of a redirect to the redirect URI"
    )]
    NoCallback {
        /// The page URL (redacted).
        url: String,
        /// The page's status.
        status: u16,
    },
    /// Nothing more will come from the tester (standard input closed).
    #[error("no redirect URL was entered")]
    NoInput,
    /// What the tester entered does not point to the redirect URI.
    #[error("{url} does not point to the redirect URI {redirect_uri}")]
    NotRedirectUri {
        /// What was entered (redacted).
        url: String,
        /// The expected redirect URI.
        redirect_uri: String,
    },
    /// The redirect URI cannot be used as configured.
    #[error("the redirect URI {redirect_uri} cannot be used: {reason}")]
    RedirectUri {
        /// The redirect URI.
        redirect_uri: String,
        /// Why.
        reason: &'static str,
    },
    /// The sign-in page came back: the credentials were refused.
    #[error("the sign-in was refused (status {status})")]
    SignInRejected {
        /// The page's status.
        status: u16,
    },
    /// The tester or the listener took too long.
    #[error("no redirect arrived within {seconds} s")]
    Timeout {
        /// The timeout.
        seconds: u64,
    },
}

/// A driver's future.
pub type DriveFuture<'a> = Pin<Box<dyn Future<Output = Result<Consent, DriverError>> + Send + 'a>>;

/// A way of getting through the consent pages.
pub trait ConsentDriver: Send + Sync + fmt::Debug {
    /// The driver's name in target files (`sandbox`, `form`, `manual`).
    fn name(&self) -> &'static str;

    /// Takes the PSU from `request.authorization_url` to the redirect URI,
    /// with `agent` (its stop rule already set to the redirect URI by
    /// [`run`]).
    fn drive<'a>(
        &'a self,
        agent: &'a mut UserAgent,
        request: &'a ConsentRequest,
    ) -> DriveFuture<'a>;
}

/// The result of a consent journey and the exchanges it made.
#[derive(Debug)]
pub struct ConsentRun {
    /// The callback, or why there is none.
    pub result: Result<Consent, DriverError>,
    /// Every exchange made, in order, whatever the result.
    pub exchanges: Vec<Exchange>,
}

/// Runs a driver: stops `agent` at the redirect URI, drives, and collects
/// the exchanges.
pub async fn run(
    driver: &dyn ConsentDriver,
    agent: &mut UserAgent,
    request: &ConsentRequest,
) -> ConsentRun {
    agent.set_stop(StopRule::RedirectUri(request.redirect_uri.clone()));
    let result = driver.drive(agent, request).await;
    ConsentRun {
        result,
        exchanges: agent.take_exchanges(),
    }
}

/// A landing seen by a driver: a page to act on, or the end.
enum Next {
    Page(Page),
    Done(Consent),
}

fn next(landing: Landing) -> Result<Next, DriverError> {
    match landing {
        Landing::Stopped(stop) => Consent::from_stop(&stop).map(Next::Done),
        Landing::Page(page) => Ok(Next::Page(page)),
    }
}

fn no_callback(page: &Page) -> DriverError {
    DriverError::NoCallback {
        url: redact_url(page.url.as_str()),
        status: page.response.status,
    }
}

fn form_not_found(page: &Page, expected: impl Into<String>) -> DriverError {
    DriverError::FormNotFound {
        expected: expected.into(),
        url: redact_url(page.url.as_str()),
        status: page.response.status,
    }
}

fn link_not_found(page: &Page, expected: impl Into<String>) -> DriverError {
    DriverError::LinkNotFound {
        expected: expected.into(),
        url: redact_url(page.url.as_str()),
        status: page.response.status,
    }
}
