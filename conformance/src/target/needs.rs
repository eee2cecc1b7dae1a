//! Which needs of the catalogue a target meets: a rule or case whose needs
//! are unmet is skipped with the first unmet need as the reason.

use psd2_rules::Need;

use super::Target;

impl Target {
    /// Whether the target meets `need`.
    ///
    /// `browser` and `tls_prober` are never met: the harness has neither a
    /// real-browser driver nor a raw ClientHello prober yet. A need this
    /// harness does not know is unmet, so that a newer catalogue skips rather
    /// than misjudges.
    #[must_use]
    pub fn meets(&self, need: Need) -> bool {
        let capabilities = &self.capabilities;
        match need {
            Need::ClockControl => capabilities.clock_control.is_some(),
            Need::ConsentOrigin => self.profile.consent_origin.is_some(),
            Need::Dcr => capabilities.dcr,
            Need::GrantRestrictedClient => self.clients.grant_restricted.is_some(),
            Need::Mtls => self.clients.main.identity.is_some(),
            Need::MultiCustomerPsu => self
                .psu
                .as_ref()
                .is_some_and(|psu| psu.other_customer.is_some()),
            Need::PartialConsent => {
                self.psu.is_some()
                    && match &self.consent {
                        Some(super::ConsentDriver::Form { partial, .. }) => partial.is_some(),
                        Some(_) => true,
                        None => false,
                    }
            }
            Need::ProbeUrls => !capabilities.probes.is_empty(),
            Need::Psu => self.psu.is_some() && self.consent.is_some(),
            Need::QueryRedirectUri => self.redirect.with_query.is_some(),
            Need::Resource => !capabilities.resources.is_empty(),
            Need::SecondClient => self.clients.second.is_some(),
            Need::TesterCaTrusted => capabilities.tester_ca_trusted,
            Need::Wait => capabilities.wait,
            Need::Browser | Need::TlsProber => false,
            _ => false,
        }
    }

    /// The first of `needs` the target does not meet.
    #[must_use]
    pub fn unmet_need(&self, needs: &[Need]) -> Option<Need> {
        needs.iter().copied().find(|need| !self.meets(*need))
    }
}
