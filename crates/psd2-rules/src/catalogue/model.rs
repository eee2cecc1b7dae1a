//! The typed catalogue: rules, cases, sources, applicability, needs, proofs.
//!
//! Records are `#[non_exhaustive]` with public fields: they are only built by
//! the validating parser and handed out by reference, so every value a caller
//! sees has passed validation.

use std::collections::BTreeMap;
use std::fmt;

use psd2_core::ProfileId;
use serde::Deserialize;

use crate::Level;

/// Who the harness plays when it checks a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The harness is the ASPSP (mock AS and RS) and judges the TPP.
    Client,
    /// The harness is the client and judges the bank's endpoints.
    Server,
}

impl Side {
    /// `client` or `server`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// Whether the source states the level with an RFC 2119 keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Inferred from wording such as "must", "shall", "cannot" or "only" on a
    /// portal page (marked `*` in the docs).
    Inferred,
    /// An RFC 2119 keyword in the source.
    Normative,
}

/// The part of the OAuth flow a rule belongs to; one table per section in
/// `docs/rules.md`.
// Declared in the order of the flow (and of RULES.md), not alphabetically:
// the docs render the sections in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Section {
    /// GET /authorize and the bank's login and consent pages.
    Authorize,
    /// The authorization response at the TPP redirect URI.
    Callback,
    /// The token endpoint, authorization_code grant.
    AuthorizationCode,
    /// The token endpoint, refresh_token grant.
    RefreshToken,
    /// The token endpoint, client_credentials grant.
    ClientCredentials,
    /// RFC 7009 revocation.
    Revocation,
    /// RFC 7591 / 7592 registration.
    Registration,
    /// Protected resources (RFC 6750 and profile rules).
    Resource,
    /// RFC 8414 metadata.
    Metadata,
    /// Transport and TLS.
    Tls,
}

impl Section {
    /// Every section, in document order.
    pub const ALL: [Section; 10] = [
        Section::Authorize,
        Section::Callback,
        Section::AuthorizationCode,
        Section::RefreshToken,
        Section::ClientCredentials,
        Section::Revocation,
        Section::Registration,
        Section::Resource,
        Section::Metadata,
        Section::Tls,
    ];

    /// The heading used in the docs.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Section::Authorize => "authorize",
            Section::Callback => "callback",
            Section::AuthorizationCode => "token / authorization_code",
            Section::RefreshToken => "token / refresh_token",
            Section::ClientCredentials => "token / client_credentials",
            Section::Revocation => "revocation (RFC 7009)",
            Section::Registration => "registration (RFC 7591 / 7592)",
            Section::Resource => "resource access (RFC 6750 and profile rules)",
            Section::Metadata => "metadata (RFC 8414)",
            Section::Tls => "transport / TLS",
        }
    }
}

/// A profile code of the catalogue: a profile, every profile, or every
/// profile that exposes dynamic registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[non_exhaustive]
pub enum ProfileCode {
    /// Every profile, wherever the endpoint concerned exists.
    #[serde(rename = "ALL")]
    All,
    /// ConnectPay.
    #[serde(rename = "CP")]
    Cp,
    /// Any profile exposing RFC 7591/7592 registration (needs `dcr`).
    #[serde(rename = "DCR")]
    Dcr,
    /// Euro-Information.
    #[serde(rename = "EI")]
    Ei,
    /// A generic bank Authorization API.
    #[serde(rename = "GEN")]
    Gen,
    /// STET PSD2 API v1.4.2.
    #[serde(rename = "STET")]
    Stet,
}

impl ProfileCode {
    /// The code as written in the catalogue.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileCode::All => "ALL",
            ProfileCode::Cp => "CP",
            ProfileCode::Dcr => "DCR",
            ProfileCode::Ei => "EI",
            ProfileCode::Gen => "GEN",
            ProfileCode::Stet => "STET",
        }
    }

    /// The single profile this code names, if it names one.
    #[must_use]
    pub fn profile(self) -> Option<ProfileId> {
        match self {
            ProfileCode::Cp => Some(ProfileId::ConnectPay),
            ProfileCode::Ei => Some(ProfileId::EuroInformation),
            ProfileCode::Gen => Some(ProfileId::Generic),
            ProfileCode::Stet => Some(ProfileId::Stet),
            ProfileCode::All | ProfileCode::Dcr => None,
        }
    }

    /// Whether the code covers `profile`. `DCR` covers every profile: whether
    /// registration exists is a capability (`dcr`), not a profile.
    #[must_use]
    pub fn covers(self, profile: ProfileId) -> bool {
        self.profile().is_none_or(|named| named == profile)
    }
}

impl fmt::Display for ProfileCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which profiles a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Applicability {
    /// The profiles included.
    pub profiles: Vec<ProfileCode>,
    /// The profiles excluded from them.
    pub except: Vec<ProfileCode>,
}

impl Applicability {
    /// Whether a rule with this applicability runs on `profile`.
    #[must_use]
    pub fn applies_to(&self, profile: ProfileId) -> bool {
        self.profiles.iter().any(|code| code.covers(profile))
            && !self.except.iter().any(|code| code.covers(profile))
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |codes: &[ProfileCode]| {
            codes
                .iter()
                .map(|code| code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        f.write_str(&join(&self.profiles))?;
        if !self.except.is_empty() {
            write!(f, " except {}", join(&self.except))?;
        }
        Ok(())
    }
}

/// A capability of the target a rule (or case) needs; a rule whose needs are
/// unmet is skipped with that need as the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Need {
    /// A real-browser user agent (none exists yet).
    Browser,
    /// A way to move the bank's clock (sandbox hooks): lifetimes too long to wait for.
    ClockControl,
    /// The expected consent origin (ConnectPay Auth Web App) in the target configuration.
    ConsentOrigin,
    /// RFC 7591/7592 dynamic client registration.
    Dcr,
    /// A registered client that may not use the grant under test.
    GrantRestrictedClient,
    /// Test client certificates (QWACs or sandbox certificates).
    Mtls,
    /// A PSU who belongs to two Customers (ConnectPay).
    MultiCustomerPsu,
    /// A consent step that can grant strictly fewer scopes than asked (the
    /// bank's consent page lets the PSU choose, and the driver can do it).
    PartialConsent,
    /// Probe URLs and parameter names for open-redirector checks in the target configuration.
    ProbeUrls,
    /// A PSU consent step (or, for client rules, a PSU journey at the TPP).
    Psu,
    /// A registered redirect URI that has a query component.
    QueryRedirectUri,
    /// A protected resource endpoint.
    Resource,
    /// A second registered client with its own credentials.
    SecondClient,
    /// The bank's trust store accepts the tester's CA (for expired, revoked,
    /// role-less or QSealC certificates).
    TesterCaTrusted,
    /// A raw TLS ClientHello prober (legacy versions).
    TlsProber,
    /// Waiting for a lifetime to run out (lifetimes are profile parameters).
    Wait,
}

impl Need {
    /// The name as written in the catalogue.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Browser => "browser",
            Need::ClockControl => "clock_control",
            Need::ConsentOrigin => "consent_origin",
            Need::Dcr => "dcr",
            Need::GrantRestrictedClient => "grant_restricted_client",
            Need::Mtls => "mtls",
            Need::MultiCustomerPsu => "multi_customer_psu",
            Need::PartialConsent => "partial_consent",
            Need::ProbeUrls => "probe_urls",
            Need::Psu => "psu",
            Need::QueryRedirectUri => "query_redirect_uri",
            Need::Resource => "resource",
            Need::SecondClient => "second_client",
            Need::TesterCaTrusted => "tester_ca_trusted",
            Need::TlsProber => "tls_prober",
            Need::Wait => "wait",
        }
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a rule is proven able to fail.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Proof {
    /// Not proven yet: the slice that builds the rule replaces this.
    Pending,
    /// A sandbox fault makes exactly this rule fail, and hand-written
    /// transcripts judge compliant and violating exchanges.
    Proven {
        /// The sandbox faults (`--fault NAME`) that break the rule's cases.
        faults: Vec<String>,
        /// The transcript directory under `fixtures/transcripts/`.
        transcript: Option<String>,
    },
    /// The harness cannot observe the behaviour yet.
    Unobservable {
        /// What is missing.
        reason: String,
    },
}

/// The kinds of [`Proof`], for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ProofKind {
    /// [`Proof::Pending`].
    Pending,
    /// [`Proof::Proven`].
    Proven,
    /// [`Proof::Unobservable`].
    Unobservable,
}

impl Proof {
    /// The kind of proof.
    #[must_use]
    pub fn kind(&self) -> ProofKind {
        match self {
            Proof::Pending => ProofKind::Pending,
            Proof::Proven { .. } => ProofKind::Proven,
            Proof::Unobservable { .. } => ProofKind::Unobservable,
        }
    }
}

impl ProofKind {
    /// Every kind.
    pub const ALL: [ProofKind; 3] = [
        ProofKind::Pending,
        ProofKind::Proven,
        ProofKind::Unobservable,
    ];

    /// The name used in the docs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ProofKind::Pending => "pending",
            ProofKind::Proven => "fault + transcript",
            ProofKind::Unobservable => "unobservable",
        }
    }
}

/// Where a rule comes from: a document, a section, and the sentence enforced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Source {
    /// The document (`RFC 6749`, `seed 2 (STET Get your token)`).
    pub doc: String,
    /// The section or step (`4.1.2`, `step 5`).
    pub section: Option<String>,
    /// The sentence, verbatim up to whitespace.
    pub quote: Option<String>,
    /// Why there is no quote, or how the quote was obtained.
    pub note: Option<String>,
}

impl Source {
    /// `RFC 6749 §4.1.2`, or `seed 2 (...), step 5` for non-numbered sections.
    #[must_use]
    pub fn citation(&self) -> String {
        match &self.section {
            Some(section) if section.starts_with(|c: char| c.is_ascii_digit()) => {
                format!("{} §{section}", self.doc)
            }
            Some(section) => format!("{}, {section}", self.doc),
            None => self.doc.clone(),
        }
    }
}

/// A named sub-check of a rule; checks, faults and baselines key on (rule, case).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Case {
    /// Kebab-case name, unique in the rule (`no-token`).
    pub name: String,
    /// What this case checks.
    pub check: String,
    /// The level of the case (inherited from the rule when not given).
    pub level: Level,
    /// Level per profile (inherited from the rule when the case has no level of its own).
    pub overrides: BTreeMap<ProfileCode, Level>,
    /// Normative or inferred.
    pub strength: Strength,
    /// The rule's needs plus the case's own.
    pub needs: Vec<Need>,
}

impl Case {
    /// The level of this case on `profile`.
    #[must_use]
    pub fn level_for(&self, profile: ProfileId) -> Level {
        self.overrides
            .iter()
            .find(|(code, _)| code.profile() == Some(profile))
            .map_or(self.level, |(_, level)| *level)
    }
}

/// One rule of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rule {
    /// The opaque, stable id (`CORE-AC-01`).
    pub id: String,
    /// Where the rule sits in the flow.
    pub section: Section,
    /// A short name.
    pub title: String,
    /// One sentence: what is sent, what is a violation.
    pub check: String,
    /// Who the harness plays.
    pub side: Side,
    /// The rule's headline level.
    pub level: Level,
    /// Level per profile.
    pub overrides: BTreeMap<ProfileCode, Level>,
    /// Normative or inferred.
    pub strength: Strength,
    /// Which profiles the rule applies to.
    pub applicability: Applicability,
    /// Documented deviations per profile: a violation there is a `deviation`.
    pub deviations: BTreeMap<ProfileCode, String>,
    /// Capabilities the rule needs.
    pub needs: Vec<Need>,
    /// How the rule is proven able to fail.
    pub proof: Proof,
    /// A remark (ambiguity references).
    pub note: Option<String>,
    /// The sub-checks; a rule without explicit cases has one, `main`.
    pub cases: Vec<Case>,
    /// Where the rule comes from, primary source first.
    pub sources: Vec<Source>,
}

impl Rule {
    /// The case with that name.
    #[must_use]
    pub fn case(&self, name: &str) -> Option<&Case> {
        self.cases.iter().find(|case| case.name == name)
    }

    /// The documented deviation of `profile`, if any.
    #[must_use]
    pub fn deviation_for(&self, profile: ProfileId) -> Option<&str> {
        self.deviations
            .iter()
            .find(|(code, _)| code.profile() == Some(profile))
            .map(|(_, reason)| reason.as_str())
    }

    /// The first quoted sentence of the sources.
    #[must_use]
    pub fn primary_quote(&self) -> Option<&Source> {
        self.sources.iter().find(|source| source.quote.is_some())
    }
}

/// A retired id: never reused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Retired {
    /// The id.
    pub id: String,
    /// What the rule was.
    pub title: String,
    /// Why it was retired.
    pub reason: String,
    /// The rule that now covers it, if any.
    pub folded_into: Option<String>,
}
