//! The catalogue as a whole: the draft's ids are all accounted for, every
//! server rule carries a proof, retired ids stay retired.

use std::collections::BTreeSet;

use psd2_rules::{Catalogue, Proof, ProofKind, RuleId, Side};

const RULES_MD_IDS: &str = include_str!("data/rules_md_ids.txt");

fn draft_ids() -> Vec<&'static str> {
    RULES_MD_IDS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

#[test]
fn every_rules_md_id_is_a_rule_or_retired() {
    let catalogue = Catalogue::builtin().unwrap();
    let ids = draft_ids();
    assert_eq!(ids.len(), 118, "the draft has 118 rows");
    let missing: Vec<&str> = ids
        .into_iter()
        .filter(|id| catalogue.rule_by_id(id).is_none() && catalogue.retired_id(id).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "ids of RULES.md missing from catalogue.toml: {missing:?}"
    );
}

#[test]
fn every_server_rule_has_a_proof() {
    let catalogue = Catalogue::builtin().unwrap();
    for rule in catalogue
        .rules()
        .iter()
        .filter(|rule| rule.side == Side::Server)
    {
        match &rule.proof {
            Proof::Pending => {}
            Proof::Unobservable { reason } => assert!(!reason.trim().is_empty(), "{}", rule.id),
            Proof::Proven { faults, transcript } => {
                assert!(
                    !faults.is_empty() && transcript.is_some(),
                    "{}: fault and transcript",
                    rule.id
                );
            }
            other => panic!("{}: unexpected proof {other:?}", rule.id),
        }
    }
    // The parser refuses a server rule without proof, naming it.
    let text = psd2_rules::CATALOGUE_TOML;
    let proof_at = text.find("proof = ").unwrap();
    let id_at = text[..proof_at].rfind("id = \"").unwrap() + "id = \"".len();
    let id = &text[id_at..id_at + text[id_at..].find('"').unwrap()];
    let line_end = proof_at + text[proof_at..].find('\n').unwrap() + 1;
    let without_proof = format!("{}{}", &text[..proof_at], &text[line_end..]);
    let error = Catalogue::parse(&without_proof).unwrap_err();
    assert!(
        error.to_string().contains(&format!("{id}: no proof")),
        "{error}"
    );
}

#[test]
fn retired_ids_are_not_rules_and_do_not_parse() {
    let catalogue = Catalogue::builtin().unwrap();
    assert!(!catalogue.retired().is_empty());
    for retired in catalogue.retired() {
        assert!(
            catalogue.rule_by_id(&retired.id).is_none(),
            "{}",
            retired.id
        );
        assert!(retired.id.parse::<RuleId>().is_err(), "{}", retired.id);
    }
}

#[test]
fn the_corrections_of_rules_md_are_in_the_data() {
    let catalogue = Catalogue::builtin().unwrap();
    let rule = |id: &str| catalogue.rule_by_id(id).unwrap();
    // Unobservable until a real browser and a raw TLS prober exist.
    assert_eq!(rule("CP-AZ-07").proof.kind(), ProofKind::Unobservable);
    assert_eq!(rule("CORE-TL-03").proof.kind(), ProofKind::Unobservable);
    // Security outcome (MUST) split from the error format (SHOULD).
    for id in [
        "CORE-AC-01",
        "CORE-AC-04",
        "CORE-AC-05",
        "CORE-AC-06",
        "CORE-RT-01",
        "CORE-RT-02",
        "CORE-RT-04",
        "SEC-AC-01",
        "STET-AC-02",
    ] {
        let levels: BTreeSet<String> = rule(id)
            .cases
            .iter()
            .map(|case| case.level.to_string())
            .collect();
        assert!(
            levels.contains("MUST") && levels.contains("SHOULD"),
            "{id}: {levels:?}"
        );
    }
    // The RFC 9207 rule was added.
    assert!(
        rule("CORE-CB-05")
            .sources
            .iter()
            .any(|source| source.doc == "RFC 9207")
    );
    // Certificates the bank must accept from the tester's CA.
    let needs = |id: &str| {
        rule(id)
            .cases
            .iter()
            .flat_map(|case| case.needs.clone())
            .collect::<Vec<_>>()
    };
    for id in [
        "STET-AC-03",
        "STET-AC-04",
        "STET-AZ-01",
        "EI-CC-02",
        "EI-RG-02",
        "EI-RG-04",
    ] {
        assert!(
            needs(id).contains(&psd2_rules::Need::TesterCaTrusted),
            "{id}"
        );
    }
}

#[test]
fn ids_are_stable_and_unique() {
    let catalogue = Catalogue::builtin().unwrap();
    let mut seen = BTreeSet::new();
    for rule in catalogue.rules() {
        assert!(seen.insert(rule.id.as_str()), "{}", rule.id);
        let parsed: RuleId = rule.id.parse().unwrap();
        assert_eq!(parsed.as_str(), rule.id);
        assert_eq!(parsed.to_string(), rule.id);
    }
}
