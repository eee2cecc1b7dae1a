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
