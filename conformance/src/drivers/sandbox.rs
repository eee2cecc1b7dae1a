//! The reference server's documented sequence: `GET /authorize` → sign-in
//! page (hidden `txn`, a binding cookie) → `POST /login` (`txn`, `username`,
//! `password`) → 303 to `/consent?txn=…` → consent page (`customer` radios,
//! `scope` checkboxes) → `POST /consent` (`decision=grant|deny`) → redirect
//! to the client.

use serde::Deserialize;

use super::{
    ConsentDriver, ConsentRequest, DriveFuture, DriverError, Next, PsuCredentials, form_not_found,
    next, no_callback,
};
use crate::agent::{FormFill, UserAgent};

/// The PSU's answer on the consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Decision {
    /// Refuse: the server must redirect with `access_denied`.
    Deny,
    /// Allow.
    #[default]
    Grant,
}

impl Decision {
    fn value(self) -> &'static str {
        match self {
            Decision::Deny => "deny",
            Decision::Grant => "grant",
        }
    }
}

/// Drives the reference server's sign-in and consent pages.
#[derive(Debug, Clone, Deserialize)]
pub struct SandboxDriver {
    /// Who signs in.
    pub psu: PsuCredentials,
    /// The customer to act for (`customer` radio value); the page's
    /// preselected one when `None`.
    #[serde(default)]
    pub customer: Option<String>,
    /// Grant or deny.
    #[serde(default)]
    pub decision: Decision,
    /// The scopes to leave checked; every offered scope when `None`.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

impl SandboxDriver {
    /// Grants every offered scope for the preselected customer.
    #[must_use]
    pub fn new(psu: PsuCredentials) -> Self {
        Self {
            psu,
            customer: None,
            decision: Decision::Grant,
            scopes: None,
        }
    }

    async fn journey(
        &self,
        agent: &mut UserAgent,
        request: &ConsentRequest,
    ) -> Result<super::Consent, DriverError> {
        let sign_in = match next(agent.get(&request.authorization_url).await?)? {
            Next::Done(consent) => return Ok(consent),
            Next::Page(page) => page,
        };
        let form = sign_in
            .form_with_action("/login")
            .ok_or_else(|| form_not_found(&sign_in, "sign-in (action /login)"))?;
        let fill = FormFill::new()
            .set("username", self.psu.username.clone())
            .set_secret("password", self.psu.password.clone());
        let consent_page = match next(agent.submit(&sign_in, &form, &fill).await?)? {
            Next::Done(consent) => return Ok(consent),
            Next::Page(page) => page,
        };
        let Some(form) = consent_page.form_with_action("/consent") else {
            if consent_page.form_with_action("/login").is_some() {
                return Err(DriverError::SignInRejected {
                    status: consent_page.response.status,
                });
            }
            return Err(form_not_found(&consent_page, "consent (action /consent)"));
        };
        let mut fill = FormFill::new().click("decision", self.decision.value());
        if let Some(customer) = &self.customer {
            fill = fill.choose("customer", [customer.clone()]);
        }
        if let Some(scopes) = &self.scopes {
            fill = fill.choose("scope", scopes.iter().cloned());
        }
        match next(agent.submit(&consent_page, &form, &fill).await?)? {
            Next::Done(consent) => Ok(consent),
            Next::Page(page) => Err(no_callback(&page)),
        }
    }
}

impl ConsentDriver for SandboxDriver {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn drive<'a>(
        &'a self,
        agent: &'a mut UserAgent,
        request: &'a ConsentRequest,
    ) -> DriveFuture<'a> {
        Box::pin(self.journey(agent, request))
    }
}
