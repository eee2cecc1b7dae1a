//! Golden transcripts: hand-written HTTP exchanges, judged without any
//! server, that prove a judge reads the RFC as its authors did.
//!
//! A transcript lives in `fixtures/transcripts/<RULE-ID>/<name>.http`:
//!
//! ```text
//! # rule: CORE-AC-01
//! # profile: generic
//! # expect: no-token=fail error-format=warn
//! # source: RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server MUST deny the request"
//! # redirect-uri: https://client.example.com/cb
//!
//! ### code-exchange cert=tpp-a at=12s
//! POST /token HTTP/1.1
//! Host: server.example.com
//! Content-Type: application/x-www-form-urlencoded
//!
//! grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA
//! ---
//! HTTP/1.1 200 OK
//! Content-Type: application/json
//!
//! {"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer"}
//!
//! ### code-replay
//! POST /token HTTP/1.1
//! ...
//! --- transport: tls-alert certificate_required
//! ```
//!
//! - The header block holds `# key: value` lines: `rule`, `profile` and
//!   `expect` once each, `source` at least once (the RFC sentence the
//!   transcript illustrates), and optionally `issuer`, `redirect-uri`
//!   (repeatable) for [`TargetFacts`], `override` (repeatable, one TOML
//!   `key = value` of [`ProfileOverrides`], e.g.
//!   `# override: default_scope = "accounts"`) and `note`. `expect` lists
//!   the aggregated outcome of every case the judge must produce.
//! - Each `### label [cert=NAME] [at=Ns]` section holds an HTTP/1.1 request
//!   (absolute URL, or origin-form with `Host`, which means `https`), its
//!   headers, a blank line and its body up to a line `---`; then the
//!   HTTP/1.1 response up to the next section, or instead of `---` a line
//!   `--- transport: FAILURE`. Consecutive sections with one label form a
//!   journey. Trailing blank lines of bodies are dropped.
//!
//! The parser takes text and never panics; only tests read files.

mod error;
mod parse;

pub use error::{TranscriptError, TranscriptProblem};

use psd2_core::{ProfileData, ProfileError, ProfileId, ProfileOverrides};

use crate::exchange::ExchangeLog;
use crate::judge::TargetFacts;
use crate::{Outcome, RuleId};

/// An expected outcome of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExpectedOutcome {
    /// `deviation`.
    Deviation,
    /// `error`.
    Error,
    /// `fail`.
    Fail,
    /// `info`.
    Info,
    /// `pass`.
    Pass,
    /// `skip`.
    Skip,
    /// `warn`.
    Warn,
}

impl ExpectedOutcome {
    /// Every expected outcome.
    pub const ALL: [ExpectedOutcome; 7] = [
        ExpectedOutcome::Deviation,
        ExpectedOutcome::Error,
        ExpectedOutcome::Fail,
        ExpectedOutcome::Info,
        ExpectedOutcome::Pass,
        ExpectedOutcome::Skip,
        ExpectedOutcome::Warn,
    ];

    /// The name, as [`Outcome::name`] spells it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ExpectedOutcome::Deviation => "deviation",
            ExpectedOutcome::Error => "error",
            ExpectedOutcome::Fail => "fail",
            ExpectedOutcome::Info => "info",
            ExpectedOutcome::Pass => "pass",
            ExpectedOutcome::Skip => "skip",
            ExpectedOutcome::Warn => "warn",
        }
    }

    /// Whether `outcome` is this one (reasons aside).
    #[must_use]
    pub fn matches(self, outcome: &Outcome) -> bool {
        outcome.name() == self.name()
    }

    /// Whether the outcome reports a violation: `fail` or `warn`.
    #[must_use]
    pub fn is_violation(self) -> bool {
        matches!(self, ExpectedOutcome::Fail | ExpectedOutcome::Warn)
    }
}

/// One `case=outcome` of `# expect:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The case, one of the rule's.
    pub case: &'static str,
    /// Its aggregated outcome.
    pub outcome: ExpectedOutcome,
}

/// A parsed transcript.
///
/// ```
/// use psd2_rules::transcript::{ExpectedOutcome, Transcript};
/// use psd2_rules::RuleId;
/// // One string per line: a doc-test line starting with `#` would be hidden.
/// let text = concat!(
///     "# rule: SEC-AC-04\n",
///     "# profile: generic\n",
///     "# expect: main=pass\n",
///     "# source: RFC 9700 §2.4: \"The resource owner password credentials grant MUST NOT be used.\"\n",
///     "\n",
///     "### token-password-grant\n",
///     "POST /token HTTP/1.1\n",
///     "Host: server.example.com\n",
///     "Content-Type: application/x-www-form-urlencoded\n",
///     "\n",
///     "grant_type=password&username=johndoe&password=A3ddj3w\n",
///     "---\n",
///     "HTTP/1.1 400 Bad Request\n",
///     "Content-Type: application/json\n",
///     "\n",
///     "{\"error\":\"unsupported_grant_type\"}\n",
/// );
/// let transcript = Transcript::parse("ok.http", text)?;
/// assert_eq!(transcript.rule, RuleId::SecAc04);
/// assert_eq!(transcript.expect[0].outcome, ExpectedOutcome::Pass);
/// let exchange = transcript.log.first("token-password-grant").ok_or("no exchange")?;
/// assert_eq!(exchange.request.url, "https://server.example.com/token");
/// assert_eq!(exchange.response().map(|r| r.status), Some(400));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The rule the transcript proves.
    pub rule: RuleId,
    /// The profile it is judged under.
    pub profile: ProfileId,
    /// Overrides of the profile's parameters.
    pub overrides: ProfileOverrides,
    /// The outcome of every case the judge must produce.
    pub expect: Vec<Expectation>,
    /// The sentences the transcript illustrates.
    pub sources: Vec<String>,
    /// Free remarks.
    pub notes: Vec<String>,
    /// Target facts for the judge's context.
    pub facts: TargetFacts,
    /// The exchanges.
    pub log: ExchangeLog,
}

impl Transcript {
    /// Parses a transcript; `file` names it in errors.
    ///
    /// # Errors
    /// A [`TranscriptError`] naming the file, the line and the problem.
    pub fn parse(file: &str, text: &str) -> Result<Self, TranscriptError> {
        parse::parse(file, text)
    }

    /// The profile parameters: the profile's defaults with the overrides.
    ///
    /// # Errors
    /// A [`ProfileError`] when an override does not apply (a scope that does
    /// not parse).
    pub fn profile_data(&self) -> Result<ProfileData, ProfileError> {
        ProfileData::with_overrides(self.profile, &self.overrides)
    }

    /// Whether every expected outcome is free of violations (`pass`, `info`
    /// or `deviation`): a compliant transcript.
    #[must_use]
    pub fn is_compliant(&self) -> bool {
        self.expect.iter().all(|expectation| {
            matches!(
                expectation.outcome,
                ExpectedOutcome::Pass | ExpectedOutcome::Info | ExpectedOutcome::Deviation
            )
        })
    }

    /// Whether some expected outcome is a violation (`fail` or `warn`).
    #[must_use]
    pub fn is_violating(&self) -> bool {
        self.expect
            .iter()
            .any(|expectation| expectation.outcome.is_violation())
    }
}
