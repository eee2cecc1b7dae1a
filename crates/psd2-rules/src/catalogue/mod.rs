//! The rule catalogue: `catalogue.toml` parsed into typed, validated rules,
//! with the lookups the judges and the reports need.
//!
//! The library carries the catalogue at run time (`include_str!`), so a report
//! can always quote the sentence a verdict enforces.
//!
//! ```
//! use psd2_core::ProfileId;
//! use psd2_rules::{Catalogue, Level, RuleId};
//!
//! let catalogue = Catalogue::builtin()?;
//! let rule = catalogue.rule(RuleId::CoreAc01).ok_or("missing rule")?;
//! assert_eq!(rule.id, "CORE-AC-01");
//! assert_eq!(catalogue.level(RuleId::CoreAc01, ProfileId::Stet, "no-token"), Some(Level::Must));
//! assert_eq!(catalogue.level(RuleId::CoreAc01, ProfileId::Stet, "error-format"), Some(Level::Should));
//! // STET-RT-02 is a MUST on Euro-Information and a SHOULD on STET.
//! assert_eq!(catalogue.level(RuleId::StetRt02, ProfileId::EuroInformation, "main"), Some(Level::Must));
//! assert_eq!(catalogue.level(RuleId::StetRt02, ProfileId::Stet, "main"), Some(Level::Should));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod model;
mod parse;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use psd2_core::ProfileId;

pub use error::{CatalogueError, Problem};
pub use model::{
    Applicability, Case, Need, ProfileCode, Proof, ProofKind, Retired, Rule, Section, Side, Source,
    Strength,
};

use crate::{Level, RuleId};

/// The text of `crates/psd2-rules/catalogue.toml`, compiled into the library.
pub const CATALOGUE_TOML: &str = include_str!("../../catalogue.toml");

/// The name of the single case of a rule that declares no cases.
pub const MAIN_CASE: &str = parse::MAIN_CASE;

/// A validated rule catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    rules: Vec<Rule>,
    retired: Vec<Retired>,
    index: BTreeMap<String, usize>,
}

impl Catalogue {
    /// Parses and validates a catalogue. It does not check the generated
    /// [`RuleId`] against it; [`Catalogue::builtin`] does.
    ///
    /// # Errors
    /// [`CatalogueError::Toml`] when the text does not fit the schema,
    /// [`CatalogueError::Invalid`] listing every broken rule of the schema.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let (rules, retired) = parse::parse(text)?;
        let index = rules
            .iter()
            .enumerate()
            .map(|(position, rule)| (rule.id.clone(), position))
            .collect();
        Ok(Self {
            rules,
            retired,
            index,
        })
    }

    /// The catalogue compiled into the library, parsed once.
    ///
    /// # Errors
    /// As [`Catalogue::parse`], plus [`CatalogueError::StaleRuleIds`] when the
    /// generated [`RuleId`] no longer matches the catalogue (run
    /// `cargo xtask codegen`).
    pub fn builtin() -> Result<&'static Catalogue, CatalogueError> {
        static BUILTIN: OnceLock<Result<Catalogue, CatalogueError>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let catalogue = Catalogue::parse(CATALOGUE_TOML)?;
                catalogue.check_rule_ids()?;
                Ok(catalogue)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Every rule and case of the catalogue is a [`RuleId`] with the same
    /// cases, and the other way round.
    fn check_rule_ids(&self) -> Result<(), CatalogueError> {
        let generated: Vec<(&str, &[&str])> = RuleId::ALL
            .iter()
            .map(|id| (id.as_str(), id.cases()))
            .collect();
        for (id, cases) in &generated {
            let Some(rule) = self.rule_by_id(id) else {
                return Err(CatalogueError::StaleRuleIds(format!(
                    "{id} is not in the catalogue"
                )));
            };
            let names: Vec<&str> = rule.cases.iter().map(|case| case.name.as_str()).collect();
            if names != *cases {
                return Err(CatalogueError::StaleRuleIds(format!(
                    "{id} has other cases"
                )));
            }
        }
        if generated.len() != self.rules.len() {
            return Err(CatalogueError::StaleRuleIds(format!(
                "{} rules in the catalogue, {} variants",
                self.rules.len(),
                generated.len()
            )));
        }
        Ok(())
    }

    /// Every rule, in catalogue order (by section).
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every retired id.
    #[must_use]
    pub fn retired(&self) -> &[Retired] {
        &self.retired
    }

    /// The rule with that id.
    #[must_use]
    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.rule_by_id(id.as_str())
    }

    /// The rule with that id string (`CORE-AC-01`).
    #[must_use]
    pub fn rule_by_id(&self, id: &str) -> Option<&Rule> {
        self.index
            .get(id)
            .and_then(|position| self.rules.get(*position))
    }

    /// The retired entry for an id, if it was retired.
    #[must_use]
    pub fn retired_id(&self, id: &str) -> Option<&Retired> {
        self.retired.iter().find(|retired| retired.id == id)
    }

    /// The title of a rule.
    #[must_use]
    pub fn title(&self, id: RuleId) -> Option<&str> {
        self.rule(id).map(|rule| rule.title.as_str())
    }

    /// The level of a case of a rule on a profile (profile overrides applied).
    #[must_use]
    pub fn level(&self, id: RuleId, profile: ProfileId, case: &str) -> Option<Level> {
        self.rule(id)?
            .case(case)
            .map(|case| case.level_for(profile))
    }

    /// Whether the rule applies to the profile.
    #[must_use]
    pub fn applies(&self, id: RuleId, profile: ProfileId) -> bool {
        self.rule(id)
            .is_some_and(|rule| rule.applicability.applies_to(profile))
    }

    /// The first quoted source of a rule: the sentence a verdict enforces.
    #[must_use]
    pub fn quote(&self, id: RuleId) -> Option<&Source> {
        self.rule(id)?.primary_quote()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_loads_and_matches_rule_id() {
        let catalogue = Catalogue::builtin().unwrap();
        assert_eq!(catalogue.rules().len(), RuleId::ALL.len());
        for id in RuleId::ALL {
            assert!(catalogue.rule(id).is_some(), "{id}");
        }
    }

    #[test]
    fn a_stale_rule_id_is_detected() {
        let text = CATALOGUE_TOML.replace("id = \"CORE-AZ-01\"", "id = \"CORE-AZ-99\"");
        let catalogue = Catalogue::parse(&text).unwrap();
        assert!(matches!(
            catalogue.check_rule_ids(),
            Err(CatalogueError::StaleRuleIds(message)) if message.contains("CORE-AZ-01")
        ));
    }

    #[test]
    fn lookups_follow_the_data() {
        let catalogue = Catalogue::builtin().unwrap();
        assert!(catalogue.applies(RuleId::CoreCb03, ProfileId::Stet));
        assert!(!catalogue.applies(RuleId::CoreCb03, ProfileId::ConnectPay));
        assert!(catalogue.applies(RuleId::EiCc02, ProfileId::Stet));
        assert!(!catalogue.applies(RuleId::StetAc06, ProfileId::EuroInformation));
        assert_eq!(
            catalogue.level(RuleId::CoreTl03, ProfileId::Generic, "tls12-available"),
            Some(Level::May)
        );
        assert_eq!(
            catalogue.level(RuleId::CoreTl03, ProfileId::Stet, "tls12-available"),
            Some(Level::Must)
        );
        assert_eq!(
            catalogue.level(RuleId::CoreAc01, ProfileId::Stet, "nope"),
            None
        );
        let quote = catalogue
            .quote(RuleId::SecAz02)
            .and_then(|s| s.quote.as_deref());
        assert!(quote.is_some_and(|q| {
            q.contains("MUST NOT allow redirection URIs that use the http scheme")
        }));
        assert!(catalogue.retired_id("SEC-AC-03").is_some());
        let rule = catalogue.rule(RuleId::SecAz01).unwrap();
        assert!(rule.deviation_for(ProfileId::ConnectPay).is_some());
        assert!(rule.deviation_for(ProfileId::Stet).is_none());
    }
}
