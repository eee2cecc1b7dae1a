//! From TOML text to validated rules: serde reads the shape (unknown keys are
//! errors), then every cross-field rule of the schema is checked and every
//! problem reported, not only the first.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::error::{CatalogueError, Problem};
use super::model::{
    Applicability, Case, Need, ProfileCode, Proof, Retired, Rule, Section, Side, Source, Strength,
};
use crate::Level;

/// The name of the case of a rule that declares none.
pub(crate) const MAIN_CASE: &str = "main";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    retired: Vec<RawRetired>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    section: Section,
    title: String,
    check: String,
    side: Side,
    level: Level,
    strength: Strength,
    profiles: Vec<ProfileCode>,
    #[serde(default)]
    except: Vec<ProfileCode>,
    #[serde(default)]
    overrides: BTreeMap<ProfileCode, Level>,
    #[serde(default)]
    deviations: BTreeMap<ProfileCode, String>,
    needs: Vec<Need>,
    // Optional here so that a missing proof is reported with the rule's id
    // rather than as a bare TOML error.
    proof: Option<RawProof>,
    note: Option<String>,
    #[serde(default)]
    case: Vec<RawCase>,
    #[serde(default)]
    source: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    check: String,
    level: Option<Level>,
    strength: Option<Strength>,
    overrides: Option<BTreeMap<ProfileCode, Level>>,
    #[serde(default)]
    needs: Vec<Need>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    doc: String,
    section: Option<String>,
    quote: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawProof {
    Word(String),
    Table(RawProofTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProofTable {
    unobservable: Option<String>,
    /// One fault, or `faults` for a rule whose cases different faults break.
    fault: Option<String>,
    #[serde(default)]
    faults: Vec<String>,
    transcript: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetired {
    id: String,
    title: String,
    reason: String,
    folded_into: Option<String>,
}

/// Parses and validates a catalogue.
pub(crate) fn parse(text: &str) -> Result<(Vec<Rule>, Vec<Retired>), CatalogueError> {
    let raw: RawCatalogue =
        toml::from_str(text).map_err(|error| CatalogueError::Toml(error.to_string()))?;
    let mut problems = Vec::new();
    check_ids(&raw, &mut problems);
    let rules: Vec<Rule> = raw
        .rule
        .into_iter()
        .map(|rule| build_rule(rule, &mut problems))
        .collect();
    let active: BTreeSet<&str> = rules.iter().map(|rule| rule.id.as_str()).collect();
    let retired: Vec<Retired> = raw
        .retired
        .into_iter()
        .map(|retired| build_retired(retired, &active, &mut problems))
        .collect();
    if problems.is_empty() {
        Ok((rules, retired))
    } else {
        Err(CatalogueError::Invalid(problems))
    }
}

fn check_ids(raw: &RawCatalogue, problems: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    let ids = raw
        .rule
        .iter()
        .map(|rule| &rule.id)
        .chain(raw.retired.iter().map(|retired| &retired.id));
    for id in ids {
        if !is_rule_id(id) {
            problems.push(Problem::BadId { id: id.clone() });
        }
        if !seen.insert(id.as_str()) {
            problems.push(Problem::DuplicateId { id: id.clone() });
        }
    }
}

/// `PREFIX-XX-NN`: upper-case prefix, two upper-case letters, two digits.
fn is_rule_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    match parts.as_slice() {
        [prefix, area, number] => {
            !prefix.is_empty()
                && prefix.bytes().all(|b| b.is_ascii_uppercase())
                && area.len() == 2
                && area.bytes().all(|b| b.is_ascii_uppercase())
                && number.len() == 2
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn is_case_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn require_text(rule: &str, field: &'static str, value: &str, problems: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        problems.push(Problem::EmptyText {
            rule: rule.to_owned(),
            field,
        });
    }
}

fn build_rule(raw: RawRule, problems: &mut Vec<Problem>) -> Rule {
    // Cases read the rule's level, overrides and needs: build them first.
    let cases = build_cases(&raw.id, &raw, problems);
    let RawRule {
        id,
        section,
        title,
        check,
        side,
        level,
        strength,
        profiles,
        except,
        overrides,
        deviations,
        needs,
        proof,
        note,
        case: _,
        source,
    } = raw;
    require_text(&id, "title", &title, problems);
    require_text(&id, "check", &check, problems);
    let applicability = Applicability { profiles, except };
    check_applicability(&id, &applicability, &needs, problems);
    check_profile_keys(&id, "overrides", overrides.keys(), &applicability, problems);
    check_profile_keys(
        &id,
        "deviations",
        deviations.keys(),
        &applicability,
        problems,
    );
    let proof = build_proof(&id, side, proof, problems);
    let sources = build_sources(&id, source, problems);
    Rule {
        id,
        section,
        title,
        check,
        side,
        level,
        overrides,
        strength,
        applicability,
        deviations,
        needs,
        proof,
        note,
        cases,
        sources,
    }
}

fn check_applicability(
    id: &str,
    applicability: &Applicability,
    needs: &[Need],
    problems: &mut Vec<Problem>,
) {
    if applicability.profiles.is_empty() {
        problems.push(Problem::NoProfiles {
            rule: id.to_owned(),
        });
    }
    if applicability.profiles.contains(&ProfileCode::Dcr) && !needs.contains(&Need::Dcr) {
        problems.push(Problem::DcrWithoutNeed {
            rule: id.to_owned(),
        });
    }
    for code in &applicability.except {
        if code.profile().is_none() {
            problems.push(Problem::NotASingleProfile {
                rule: id.to_owned(),
                field: "except",
                code: code.as_str().to_owned(),
            });
        }
    }
}

fn check_profile_keys<'a>(
    id: &str,
    field: &'static str,
    codes: impl Iterator<Item = &'a ProfileCode>,
    applicability: &Applicability,
    problems: &mut Vec<Problem>,
) {
    for code in codes {
        match code.profile() {
            None => problems.push(Problem::NotASingleProfile {
                rule: id.to_owned(),
                field,
                code: code.as_str().to_owned(),
            }),
            Some(profile) if !applicability.applies_to(profile) => {
                problems.push(Problem::OutsideApplicability {
                    rule: id.to_owned(),
                    field,
                    code: code.as_str().to_owned(),
                });
            }
            Some(_) => {}
        }
    }
}

fn build_proof(id: &str, side: Side, raw: Option<RawProof>, problems: &mut Vec<Problem>) -> Proof {
    let bad = |detail: &str, problems: &mut Vec<Problem>| {
        problems.push(Problem::BadProof {
            rule: id.to_owned(),
            detail: detail.to_owned(),
        });
        Proof::Pending
    };
    match raw {
        None => {
            problems.push(Problem::MissingProof {
                rule: id.to_owned(),
            });
            Proof::Pending
        }
        Some(RawProof::Word(word)) if word == "pending" => Proof::Pending,
        Some(RawProof::Word(word)) => bad(
            &format!(
                "{word:?} is not \"pending\", {{ unobservable = ... }} or {{ fault = ..., transcript = ... }}"
            ),
            problems,
        ),
        Some(RawProof::Table(table)) => match (
            table.unobservable,
            table
                .fault
                .into_iter()
                .chain(table.faults)
                .collect::<Vec<_>>(),
            table.transcript,
        ) {
            (Some(reason), faults, None) if faults.is_empty() && !reason.trim().is_empty() => {
                Proof::Unobservable { reason }
            }
            (Some(_), faults, None) if faults.is_empty() => {
                bad("unobservable needs a reason", problems)
            }
            (Some(_), _, _) => bad("cannot be unobservable and proven at once", problems),
            (None, faults, None) if faults.is_empty() => bad("table is empty", problems),
            (None, faults, transcript) => {
                if side == Side::Server && (faults.is_empty() || transcript.is_none()) {
                    // Two independent proofs per server rule (DESIGN.md): the
                    // fault matrix and the golden transcripts.
                    return bad("of a server rule needs both fault and transcript", problems);
                }
                Proof::Proven { faults, transcript }
            }
        },
    }
}

fn build_cases(id: &str, raw: &RawRule, problems: &mut Vec<Problem>) -> Vec<Case> {
    let inherit_needs = |own: &[Need]| {
        let mut needs = raw.needs.clone();
        for need in own {
            if !needs.contains(need) {
                needs.push(*need);
            }
        }
        needs
    };
    if raw.case.is_empty() {
        return vec![Case {
            name: MAIN_CASE.to_owned(),
            check: raw.check.clone(),
            level: raw.level,
            overrides: raw.overrides.clone(),
            strength: raw.strength,
            needs: raw.needs.clone(),
        }];
    }
    let mut seen = BTreeSet::new();
    let applicability = Applicability {
        profiles: raw.profiles.clone(),
        except: raw.except.clone(),
    };
    raw.case
        .iter()
        .map(|case| {
            if !is_case_name(&case.name) {
                problems.push(Problem::BadCaseName {
                    rule: id.to_owned(),
                    case: case.name.clone(),
                });
            }
            if !seen.insert(case.name.as_str()) {
                problems.push(Problem::DuplicateCase {
                    rule: id.to_owned(),
                    case: case.name.clone(),
                });
            }
            require_text(id, "case.check", &case.check, problems);
            // A case with a level of its own does not inherit the rule's
            // overrides: they were written for the rule's level.
            let (level, overrides) = match case.level {
                Some(level) => (level, case.overrides.clone().unwrap_or_default()),
                None => (
                    raw.level,
                    case.overrides
                        .clone()
                        .unwrap_or_else(|| raw.overrides.clone()),
                ),
            };
            check_profile_keys(
                id,
                "case.overrides",
                overrides.keys(),
                &applicability,
                problems,
            );
            Case {
                name: case.name.clone(),
                check: case.check.clone(),
                level,
                overrides,
                strength: case.strength.unwrap_or(raw.strength),
                needs: inherit_needs(&case.needs),
            }
        })
        .collect()
}

fn build_sources(id: &str, raw: Vec<RawSource>, problems: &mut Vec<Problem>) -> Vec<Source> {
    if raw.is_empty() {
        problems.push(Problem::NoSource {
            rule: id.to_owned(),
        });
    }
    raw.into_iter()
        .enumerate()
        .map(|(index, source)| {
            require_text(id, "source.doc", &source.doc, problems);
            let has = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
            if !has(&source.quote) && !has(&source.note) {
                problems.push(Problem::SourceWithoutQuote {
                    rule: id.to_owned(),
                    index,
                    doc: source.doc.clone(),
                });
            }
            Source {
                doc: source.doc,
                section: source.section,
                quote: source.quote,
                note: source.note,
            }
        })
        .collect()
}

fn build_retired(raw: RawRetired, active: &BTreeSet<&str>, problems: &mut Vec<Problem>) -> Retired {
    require_text(&raw.id, "title", &raw.title, problems);
    require_text(&raw.id, "reason", &raw.reason, problems);
    if let Some(target) = &raw.folded_into
        && !active.contains(target.as_str())
    {
        problems.push(Problem::BadFoldedInto {
            id: raw.id.clone(),
            target: target.clone(),
        });
    }
    Retired {
        id: raw.id,
        title: raw.title,
        reason: raw.reason,
        folded_into: raw.folded_into,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"
[[rule]]
id = "CORE-XX-01"
section = "authorize"
title = "t"
check = "c"
side = "server"
level = "MUST"
strength = "normative"
profiles = ["ALL"]
needs = []
proof = "pending"
[[rule.source]]
doc = "RFC 6749"
section = "3.1"
quote = "q"
"#;

    fn problems(text: &str) -> Vec<Problem> {
        match parse(text) {
            Err(CatalogueError::Invalid(problems)) => problems,
            other => panic!(
                "expected problems, got {:?}",
                other.map(|(rules, _)| rules.len())
            ),
        }
    }

    #[test]
    fn a_minimal_rule_has_one_main_case() {
        let (rules, retired) = parse(RULE).unwrap();
        assert_eq!(rules.len(), 1);
        assert!(retired.is_empty());
        assert_eq!(rules[0].cases.len(), 1);
        assert_eq!(rules[0].cases[0].name, MAIN_CASE);
        assert_eq!(rules[0].cases[0].level, Level::Must);
    }

    #[test]
    fn duplicate_ids_and_reused_retired_ids_are_refused() {
        let text = format!(
            "{RULE}{RULE}\n[[retired]]\nid = \"CORE-XX-01\"\ntitle = \"t\"\nreason = \"r\"\n"
        );
        let found = problems(&text);
        let duplicates = found
            .iter()
            .filter(|p| matches!(p, Problem::DuplicateId { id } if id == "CORE-XX-01"))
            .count();
        assert_eq!(duplicates, 2, "{found:?}");
    }

    #[test]
    fn bad_ids_and_case_names_are_named() {
        let text = RULE.replace("CORE-XX-01", "core-1").replace(
            "[[rule.source]]",
            "[[rule.case]]\nname = \"No_Token\"\ncheck = \"x\"\n[[rule.case]]\nname = \"No_Token\"\ncheck = \"y\"\n[[rule.source]]",
        );
        let found = problems(&text);
        assert!(
            found.contains(&Problem::BadId {
                id: "core-1".to_owned()
            }),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| matches!(p, Problem::BadCaseName { .. })),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| matches!(p, Problem::DuplicateCase { .. })),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_levels_profiles_needs_and_keys_are_toml_errors() {
        for (from, to) in [
            ("level = \"MUST\"", "level = \"MUSTN'T\""),
            ("profiles = [\"ALL\"]", "profiles = [\"BANK\"]"),
            ("needs = []", "needs = [\"psychic\"]"),
            ("title = \"t\"", "title = \"t\"\ncolour = \"red\""),
        ] {
            let text = RULE.replace(from, to);
            assert!(matches!(parse(&text), Err(CatalogueError::Toml(_))), "{to}");
        }
    }

    #[test]
    fn a_server_rule_without_proof_is_named() {
        let text = RULE.replace("proof = \"pending\"\n", "");
        assert_eq!(
            problems(&text),
            vec![Problem::MissingProof {
                rule: "CORE-XX-01".to_owned()
            }]
        );
    }

    #[test]
    fn a_server_proof_needs_fault_and_transcript() {
        let text = RULE.replace(
            "proof = \"pending\"",
            "proof = { fault = \"double_redeem\" }",
        );
        assert!(matches!(
            problems(&text).as_slice(),
            [Problem::BadProof { .. }]
        ));
        let text = RULE.replace(
            "proof = \"pending\"",
            "proof = { fault = \"double_redeem\", transcript = \"CORE-XX-01\" }",
        );
        let (rules, _) = parse(&text).unwrap();
        assert!(matches!(rules[0].proof, Proof::Proven { .. }));
    }

    #[test]
    fn overrides_must_name_an_applicable_single_profile() {
        let text = RULE.replace("needs = []", "needs = []\noverrides = { ALL = \"SHOULD\" }");
        assert!(matches!(
            problems(&text).as_slice(),
            [Problem::NotASingleProfile { .. }]
        ));
        let text = RULE
            .replace("profiles = [\"ALL\"]", "profiles = [\"EI\"]")
            .replace("needs = []", "needs = []\noverrides = { CP = \"SHOULD\" }");
        assert!(matches!(
            problems(&text).as_slice(),
            [Problem::OutsideApplicability { .. }]
        ));
    }

    #[test]
    fn dcr_rules_need_dcr_and_sources_need_quotes() {
        let text = RULE
            .replace("profiles = [\"ALL\"]", "profiles = [\"DCR\"]")
            .replace("quote = \"q\"", "");
        let found = problems(&text);
        assert!(found.contains(&Problem::DcrWithoutNeed {
            rule: "CORE-XX-01".to_owned()
        }));
        assert!(
            found
                .iter()
                .any(|p| matches!(p, Problem::SourceWithoutQuote { index: 0, .. }))
        );
    }

    #[test]
    fn case_levels_inherit_or_replace_overrides() {
        let text = RULE
            .replace("profiles = [\"ALL\"]", "profiles = [\"STET\", \"EI\"]")
            .replace("needs = []", "needs = []\noverrides = { EI = \"SHOULD\" }")
            .replace(
                "[[rule.source]]",
                "[[rule.case]]\nname = \"a\"\ncheck = \"x\"\n[[rule.case]]\nname = \"b\"\nlevel = \"MAY\"\ncheck = \"y\"\n[[rule.source]]",
            );
        let (rules, _) = parse(&text).unwrap();
        let rule = &rules[0];
        let level = |case: &str, profile| rule.case(case).unwrap().level_for(profile);
        use psd2_core::ProfileId;
        assert_eq!(level("a", ProfileId::Stet), Level::Must);
        assert_eq!(level("a", ProfileId::EuroInformation), Level::Should);
        assert_eq!(level("b", ProfileId::EuroInformation), Level::May);
    }

    #[test]
    fn folded_into_must_exist() {
        let text = format!(
            "{RULE}\n[[retired]]\nid = \"CORE-XX-02\"\ntitle = \"t\"\nreason = \"r\"\nfolded_into = \"CORE-XX-09\"\n"
        );
        assert!(matches!(
            problems(&text).as_slice(),
            [Problem::BadFoldedInto { .. }]
        ));
    }
}
