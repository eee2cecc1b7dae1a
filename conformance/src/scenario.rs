//! Scenarios: data that says what to send, step by step, and nothing about
//! what to expect. Judging is Rust (`psd2_rules::judge`), keyed by rule id,
//! over the exchanges a scenario logs under its steps' labels.
//!
//! A scenario file (`fixtures/scenarios/<profile>/<name>.toml`) lists the
//! rules it feeds, the needs it has beyond those its steps imply, an optional
//! `exclusive` group (scenarios of one group never run at the same time:
//! they consume a shared grant or PSU), its `[[step]]`s and its
//! `[[cleanup]]` steps (run whatever happened). [`load_dir`] validates every
//! file at load: an unknown rule id, step kind or label, a duplicate label,
//! a capture used before it is defined, or a field that does not apply to
//! the step's kind is an error naming the file and the step.
//!
//! [`Plan`] decides what a run does with a target: which scenarios run,
//! which rules and cases are judged or skipped (with the unmet need), and how
//! many PSU consents it takes.

mod file;
mod load;
mod plan;
mod value;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use psd2_rules::{Need, RuleId};

use crate::target::ClientRole;

pub use load::{
    CLEANUP_PREFIX, CLOCK_PREFIX, ScenarioError, ScenarioProblem, is_known_label, load_dir, parse,
};
pub use plan::{
    Plan, PlanError, PlannedCase, PlannedRule, PlannedScenario, RuleStatus, ScenarioStatus,
    Selection,
};
pub use value::{ValueTemplate, scope_reference};

/// One scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scenario {
    /// The file name without `.toml`; `--scenario NAME` selects it.
    pub name: String,
    /// The file it was loaded from.
    pub file: PathBuf,
    /// What it exercises, in one sentence.
    pub description: String,
    /// The rules whose judges read its exchanges.
    pub rules: Vec<RuleId>,
    /// Needs declared in the file, beyond those the steps imply.
    pub requires: Vec<Need>,
    /// Scenarios of the same group never run concurrently.
    pub exclusive: Option<String>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Steps run after the others whatever happened (revoke what was issued).
    pub cleanup: Vec<Step>,
}

impl Scenario {
    /// Every need: the declared ones plus those its steps imply, sorted and
    /// without duplicates.
    #[must_use]
    pub fn needs(&self) -> Vec<Need> {
        let mut needs = self.requires.clone();
        for step in self.steps.iter().chain(&self.cleanup) {
            if !step.optional {
                needs.extend(step.implied_needs());
            }
        }
        needs.sort();
        needs.dedup();
        needs
    }

    /// The scenario as a target that meets `meets` runs it: its steps end
    /// before the first `optional` step whose implied needs are not all met.
    #[must_use]
    pub fn as_run(&self, meets: impl Fn(Need) -> bool) -> Scenario {
        let end = self
            .steps
            .iter()
            .position(|step| step.optional && !step.implied_needs().into_iter().all(&meets))
            .unwrap_or(self.steps.len());
        let mut run = self.clone();
        run.steps.truncate(end);
        run
    }

    /// How many PSU consents one run of the scenario takes.
    #[must_use]
    pub fn consents(&self) -> u32 {
        self.steps
            .iter()
            .chain(&self.cleanup)
            .filter(|step| step.kind == StepKind::Consent)
            .map(|step| step.concurrent)
            .sum()
    }
}

/// What a step sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum StepKind {
    /// Moves the bank's clock (`clock_control`).
    AdvanceClock,
    /// Sends an authorization request and follows redirects, submitting no
    /// form: a journey that ends at a login page, an error or the callback.
    Authorize,
    /// A client_credentials token request.
    ClientCredentials,
    /// Continues the journey of the authorize step with the same label
    /// through the bank's login and consent pages (the consent driver).
    Consent,
    /// RFC 7592 delete of a registered client.
    Delete,
    /// `GET` of the RFC 8414 metadata.
    Metadata,
    /// An RFC 7662 introspection request for a token (`params.token`; by
    /// default the last access token received), authenticated as the
    /// step's client. Judges read it to learn what a token response did not
    /// say (the scope applied). Introspection is optional in every profile:
    /// on a target without an introspection endpoint, or when the token the
    /// step names was never received, the step sends nothing and logs
    /// nothing, and the judges say the token could not be read.
    Introspect,
    /// For each `[[capabilities.probe]]` page of the target and each of its
    /// parameters, a `GET` of the page with that parameter set to an
    /// absolute URL on an outside origin, redirects followed by the user
    /// agent until a `Location` leaves the authorization server (the
    /// outside host is never fetched). The step's label is the label family
    /// `open-redirect-probe-`; each journey is logged under it plus the
    /// parameter's name (`open-redirect-probe-return_to`).
    Probe,
    /// RFC 7592 read of a registered client.
    Read,
    /// A refresh_token token request.
    Refresh,
    /// RFC 7591 registration.
    Register,
    /// A protected resource call.
    Resource,
    /// An RFC 7009 revocation request.
    Revoke,
    /// An authorization_code token request.
    Token,
    /// RFC 7592 update of a registered client.
    Update,
}

impl StepKind {
    /// Every kind, as in [`StepKind::as_str`] order.
    pub const ALL: [StepKind; 15] = [
        StepKind::AdvanceClock,
        StepKind::Authorize,
        StepKind::ClientCredentials,
        StepKind::Consent,
        StepKind::Delete,
        StepKind::Introspect,
        StepKind::Metadata,
        StepKind::Probe,
        StepKind::Read,
        StepKind::Refresh,
        StepKind::Register,
        StepKind::Resource,
        StepKind::Revoke,
        StepKind::Token,
        StepKind::Update,
    ];

    /// The name used in scenario files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::AdvanceClock => "advance_clock",
            StepKind::Authorize => "authorize",
            StepKind::ClientCredentials => "client_credentials",
            StepKind::Consent => "consent",
            StepKind::Delete => "delete",
            StepKind::Introspect => "introspect",
            StepKind::Metadata => "metadata",
            StepKind::Probe => "probe",
            StepKind::Read => "read",
            StepKind::Refresh => "refresh",
            StepKind::Register => "register",
            StepKind::Resource => "resource",
            StepKind::Revoke => "revoke",
            StepKind::Token => "token",
            StepKind::Update => "update",
        }
    }

    /// The kind named `name` in a scenario file.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// What a step of this kind can capture.
    #[must_use]
    pub fn captures(self) -> &'static [CaptureField] {
        use CaptureField as C;
        match self {
            StepKind::Authorize | StepKind::Consent => &[C::Code, C::CodeVerifier, C::State],
            StepKind::ClientCredentials | StepKind::Refresh | StepKind::Token => {
                &[C::AccessToken, C::RefreshToken]
            }
            StepKind::Read | StepKind::Register | StepKind::Update => &[
                C::ClientId,
                C::ClientSecret,
                C::RegistrationAccessToken,
                C::RegistrationClientUri,
            ],
            StepKind::AdvanceClock
            | StepKind::Delete
            | StepKind::Introspect
            | StepKind::Metadata
            | StepKind::Probe
            | StepKind::Resource
            | StepKind::Revoke => &[],
        }
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value a step can keep for later steps (`capture = { code = "code" }`
/// keeps the authorization code as `${code}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum CaptureField {
    /// `access_token` of a token response.
    AccessToken,
    /// `client_id` of a registration response.
    ClientId,
    /// `client_secret` of a registration response.
    ClientSecret,
    /// `code` of the callback.
    Code,
    /// The PKCE `code_verifier` the harness generated for the journey.
    CodeVerifier,
    /// `refresh_token` of a token response.
    RefreshToken,
    /// `registration_access_token` of a registration response.
    RegistrationAccessToken,
    /// `registration_client_uri` of a registration response.
    RegistrationClientUri,
    /// The `state` the harness sent.
    State,
}

impl CaptureField {
    /// Every field.
    pub const ALL: [CaptureField; 9] = [
        CaptureField::AccessToken,
        CaptureField::ClientId,
        CaptureField::ClientSecret,
        CaptureField::Code,
        CaptureField::CodeVerifier,
        CaptureField::RefreshToken,
        CaptureField::RegistrationAccessToken,
        CaptureField::RegistrationClientUri,
        CaptureField::State,
    ];

    /// The name used in scenario files (the protocol member's name).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureField::AccessToken => "access_token",
            CaptureField::ClientId => "client_id",
            CaptureField::ClientSecret => "client_secret",
            CaptureField::Code => "code",
            CaptureField::CodeVerifier => "code_verifier",
            CaptureField::RefreshToken => "refresh_token",
            CaptureField::RegistrationAccessToken => "registration_access_token",
            CaptureField::RegistrationClientUri => "registration_client_uri",
            CaptureField::State => "state",
        }
    }

    /// The field named `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == name)
    }

    /// Whether the captured value is a secret (every field but `client_id`,
    /// `state` and `registration_client_uri`): the runner keeps it in a
    /// `psd2_core::Secret`.
    #[must_use]
    pub fn is_secret(self) -> bool {
        !matches!(
            self,
            CaptureField::ClientId | CaptureField::RegistrationClientUri | CaptureField::State
        )
    }
}

/// One request (or journey) of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Step {
    /// What is sent.
    pub kind: StepKind,
    /// The label its exchanges are logged under (the judges' contract,
    /// `psd2_rules::exchange::labels`).
    pub label: String,
    /// Which client of the target it acts as.
    pub client: ClientRole,
    /// Which TLS client certificate it presents.
    pub certificate: CertificateChoice,
    /// Which redirect URI an authorize or token step sends.
    pub redirect_uri: RedirectChoice,
    /// Parameters set or overridden (values may use `${capture}`).
    pub params: BTreeMap<String, ValueTemplate>,
    /// Parameters left out of the request.
    pub omit: Vec<String>,
    /// Parameters sent twice.
    pub repeat: Vec<String>,
    /// How many identical copies are sent at once (at least 1).
    pub concurrent: u32,
    /// What to keep from the response, under which variable name.
    pub captures: BTreeMap<CaptureField, String>,
    /// Authorize: send an S256 `code_challenge` (and keep its verifier).
    pub pkce: bool,
    /// Consent: what the PSU does.
    pub consent: Option<ConsentAction>,
    /// Resource: which endpoint and which token.
    pub resource: Option<ResourceCall>,
    /// Register / update: the client metadata sent (JSON object).
    pub body: Option<serde_json::Value>,
    /// Advance_clock: by how much.
    pub clock: Option<ClockAdvance>,
    /// On a target that does not meet the needs this step implies (a clock
    /// step's `clock_control`, a `grant_restricted` client), the scenario
    /// ends before this step (its cleanup still runs) instead of being
    /// skipped whole, so that the checks before it are still made. The
    /// catalogue cases that read this step and the later ones need what it
    /// needs (or their judges treat its label as conditional), so the plan
    /// skips them on such a target.
    pub optional: bool,
    /// Send to the `http://` form of the endpoint (CORE-TL-01), over plain
    /// TCP: the scenario must send dummy values only, never a live code or
    /// secret.
    pub cleartext: bool,
}

impl Step {
    /// The needs this step implies.
    #[must_use]
    pub fn implied_needs(&self) -> Vec<Need> {
        let mut needs = Vec::new();
        match self.kind {
            StepKind::AdvanceClock => needs.push(Need::ClockControl),
            StepKind::Consent => needs.push(Need::Psu),
            StepKind::Delete | StepKind::Read | StepKind::Register | StepKind::Update => {
                needs.push(Need::Dcr);
            }
            StepKind::Probe => needs.push(Need::ProbeUrls),
            StepKind::Resource => needs.push(Need::Resource),
            _ => {}
        }
        match self.client {
            ClientRole::GrantRestricted => needs.push(Need::GrantRestrictedClient),
            ClientRole::Second => needs.push(Need::SecondClient),
            _ => {}
        }
        if self.redirect_uri == RedirectChoice::WithQuery {
            needs.push(Need::QueryRedirectUri);
        }
        if self
            .consent
            .as_ref()
            .is_some_and(|consent| consent.customer == CustomerChoice::Other)
        {
            needs.push(Need::MultiCustomerPsu);
        }
        if self
            .consent
            .as_ref()
            .is_some_and(|consent| consent.decision == ConsentDecision::Partial)
        {
            needs.push(Need::PartialConsent);
        }
        needs
    }

    /// Every `${name}` the step reads.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.params
            .values()
            .chain(self.resource.iter().filter_map(|call| call.bearer.as_ref()))
            .flat_map(ValueTemplate::references)
    }
}

/// Which certificate a step presents.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateChoice {
    /// The acting client's own certificate (if it has one).
    Client,
    /// A named alternate certificate of the target (`[certificates.NAME]`).
    Named(String),
    /// No certificate at all.
    None,
}

/// Which redirect URI a step sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectChoice {
    /// A literal URI (a variant of the registered one, another host).
    Literal(String),
    /// The registered redirect URI of the target.
    Registered,
    /// The registered redirect URI that has a query (`query_redirect_uri`).
    WithQuery,
}

/// What the PSU does on the consent pages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConsentAction {
    /// Grant, deny, or grant part of the scope.
    pub decision: ConsentDecision,
    /// Which customer the PSU acts for.
    pub customer: CustomerChoice,
}

/// The PSU's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConsentDecision {
    /// Deny.
    Deny,
    /// Grant everything asked.
    Grant,
    /// Grant strictly less than asked.
    Partial,
}

/// Which customer of the PSU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CustomerChoice {
    /// `psu.customer`.
    Main,
    /// `psu.other_customer` (`multi_customer_psu`).
    Other,
}

/// A protected resource call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResourceCall {
    /// The service whose endpoint is called.
    pub service: ResourceService,
    /// A path appended to the endpoint (`/acc-1/balances`), if any.
    pub path: Option<String>,
    /// The bearer token sent (`${access_token}`); none sends no credentials.
    pub bearer: Option<ValueTemplate>,
}

/// The resource endpoints of the target (`[capabilities.resources]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResourceService {
    /// `accounts`.
    Accounts,
    /// `funds_confirmation`.
    FundsConfirmation,
    /// `payments`.
    Payments,
}

/// How far an `advance_clock` step moves the bank's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClockAdvance {
    /// Just past a profile lifetime (`code_ttl_max`, `refresh_token_lifetime`,
    /// `sca_renewal_window`, `revocation_propagation_delay`).
    Past(ProfileLifetime),
    /// A number of seconds.
    Seconds(u64),
}

/// A lifetime of the profile data an `advance_clock` step can go past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileLifetime {
    /// `ProfileData::code_ttl_max`.
    CodeTtlMax,
    /// `ProfileData::refresh_token_lifetime`, or the SCA renewal window when
    /// the bank documents no lifetime (a refresh token cannot outlive it).
    RefreshTokenLifetime,
    /// `ProfileData::revocation_propagation_delay`.
    RevocationPropagationDelay,
    /// `ProfileData::sca_renewal_window`.
    ScaRenewalWindow,
}
