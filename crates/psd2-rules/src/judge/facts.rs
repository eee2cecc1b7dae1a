//! Target facts the exchange judges cannot read from the log itself.
//!
//! Most of what a judge compares comes from the log: the `state` and
//! `redirect_uri` sent are in the authorization request URL, the issuer used
//! to build the metadata URL is in that URL, and what the metadata promises
//! is in its response. What remains comes from the target configuration.

/// Facts about the target from its configuration.
///
/// Every field is optional: a judge that needs a missing fact reports
/// `error` rather than guessing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TargetFacts {
    /// The issuer identifier of the authorization server (RFC 8414 §2), as
    /// configured; the metadata URL must be built from it.
    pub issuer: Option<String>,
    /// The redirect URIs registered for the main client, exactly as
    /// registered (SEC-AZ-01 matches variants against them; a journey whose
    /// request omits `redirect_uri` falls back to the first).
    pub redirect_uris: Vec<String>,
}

/// The facts of a context built without any.
static NO_FACTS: TargetFacts = TargetFacts {
    issuer: None,
    redirect_uris: Vec::new(),
};

impl TargetFacts {
    /// No facts.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A shared empty value for contexts built without facts.
    pub(crate) fn none() -> &'static TargetFacts {
        &NO_FACTS
    }
}
