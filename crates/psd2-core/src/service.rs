//! PSD2 services.

use serde::{Deserialize, Serialize};

/// A PSD2 payment service, as a bank API groups its resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Service {
    /// Account information (AIS).
    AccountInformation,
    /// Confirmation of funds for card-based payment instrument issuers (PIIS / CBPII).
    FundsConfirmation,
    /// Payment initiation (PIS).
    PaymentInitiation,
}

impl Service {
    /// Every service, in name order.
    pub const ALL: [Service; 3] = [
        Service::AccountInformation,
        Service::FundsConfirmation,
        Service::PaymentInitiation,
    ];

    /// The kebab-case name, as in target files (`service_scopes`) and
    /// scenario references (`${scope.account-information}`).
    ///
    /// ```
    /// use psd2_core::Service;
    /// assert_eq!(Service::FundsConfirmation.as_str(), "funds-confirmation");
    /// assert_eq!(Service::from_name("payment-initiation"), Some(Service::PaymentInitiation));
    /// ```
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Service::AccountInformation => "account-information",
            Service::FundsConfirmation => "funds-confirmation",
            Service::PaymentInitiation => "payment-initiation",
        }
    }

    /// The service named `name` (its [`Service::as_str`]), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Service> {
        Service::ALL
            .into_iter()
            .find(|service| service.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_serde_names() {
        for service in Service::ALL {
            let json = serde_json::to_string(&service).unwrap();
            assert_eq!(json, format!("\"{}\"", service.as_str()));
            assert_eq!(Service::from_name(service.as_str()), Some(service));
        }
        assert_eq!(Service::from_name("accounts"), None);
    }
}
