//! # psd2-rules
//!
//! The PSD2 OAuth2 rule catalogue as data, and the judges that apply it.
//!
//! - [`Catalogue`]: `catalogue.toml` (compiled in) parsed into typed,
//!   validated rules with their cases, levels per profile, needs, proofs and
//!   quoted sources. [`RuleId`] is generated from it by `cargo xtask codegen`.
//! - [`Finding`], [`Outcome`], [`Level`]: what a judge reports; a violated
//!   check at level L is `fail` / `warn` / `info` ([`Level::violated`]), and
//!   [`aggregate`] keeps the worst outcome per (rule, case) with all evidence.
//! - [`judge`]: pure functions to findings: message-level judges over
//!   decoded messages, and [`judge::judge_exchanges`], one judge per
//!   generic-profile server rule over a scenario's exchange log
//!   (`JUDGES.md` tabulates the labels each reads).
//! - [`exchange`]: the exchange model those judges read: requests, responses,
//!   typed transport failures, labelled exchanges in order, and the labels
//!   that are the contract with the scenarios.
//! - [`transcript`]: the parser of the hand-written golden transcripts in
//!   `fixtures/transcripts/<RULE-ID>/`, which prove each judge without a
//!   server.
//! - [`codegen`]: renders `src/rule_id.rs` and `docs/rules.md`.
//!
//! **Architecture invariant:** no I/O, no clock, no randomness (time is an
//! argument), and no dependency on tokio, hyper, rustls or ring; a test reads
//! `Cargo.lock` to keep it so.
//!
//! ```
//! use psd2_core::{ProfileData, ProfileId};
//! use psd2_rules::{judge, Catalogue, JudgeContext, Outcome, RuleId};
//!
//! let catalogue = Catalogue::builtin()?;
//! let profile = ProfileData::defaults(ProfileId::Stet);
//! let ctx = JudgeContext::new(catalogue, &profile);
//! // The bank registered a redirect URI with a fragment: CORE-RG-02 fails.
//! let findings = judge::judge_registered_redirect_uris(&["https://tpp.example/cb#x"], &ctx);
//! assert!(findings
//!     .iter()
//!     .any(|f| f.rule == RuleId::CoreRg02 && f.case == "fragment" && f.outcome == Outcome::Fail));
//! # Ok::<(), psd2_rules::CatalogueError>(())
//! ```

pub mod catalogue;
pub mod codegen;
pub mod exchange;
mod finding;
pub mod judge;
mod level;
mod outcome;
#[rustfmt::skip]
mod rule_id;
pub mod transcript;
mod verdict;

pub use catalogue::{
    CATALOGUE_TOML, Catalogue, CatalogueError, MAIN_CASE, Need, ProfileCode, Proof, ProofKind,
    Rule, Section, Side, Source, Strength,
};
pub use finding::{Evidence, EvidenceItem, Finding};
pub use judge::JudgeContext;
pub use level::{Level, UnknownLevel};
pub use outcome::Outcome;
pub use rule_id::{RuleId, UnknownRuleId};
pub use verdict::{CaseVerdict, aggregate};
