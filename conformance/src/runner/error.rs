//! Why a step could not run. Any of these stops its scenario, whose rules
//! are then reported `error` with the reason (unless a judge already saw a
//! violation in what did run): the harness could not judge, the bank is not
//! to blame.

use std::time::Duration;

/// Why a step could not be sent or finished.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StepError {
    /// A `${name}` no earlier step captured (that step failed, or the
    /// server did not send the value).
    #[error("${{{name}}} was never captured")]
    MissingCapture {
        /// The variable.
        name: String,
    },
    /// The target has no endpoint the step needs.
    #[error("the target has no {endpoint} endpoint")]
    NoEndpoint {
        /// Which one (`token`, `revocation`, ...).
        endpoint: &'static str,
    },
    /// The step acts as a client the target does not define.
    #[error("the target has no {role} client")]
    NoClient {
        /// The client role.
        role: &'static str,
    },
    /// The step presents a certificate the target does not define, or one
    /// the TLS stack refused.
    #[error("certificate {name:?} cannot be used: {reason}")]
    Certificate {
        /// The certificate's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The target cannot do what the step asks (no consent driver, no
    /// PSU, no clock control, a client authentication the runner does not
    /// implement).
    #[error("{0}")]
    Unsupported(String),
    /// The consent driver did not reach the redirect URI.
    #[error("consent: {0}")]
    Consent(String),
    /// A request the step needs did not get a usable answer.
    #[error("{0}")]
    Exchange(String),
    /// The step took longer than its timeout.
    #[error("the step did not finish within {} s", .0.as_secs())]
    Timeout(Duration),
}
