//! The catalogue's `proof` entries and the sandbox's fault table tell the
//! same story: a rule's `faults` are exactly the faults that declare they
//! break it, and its transcript directory holds hand-written exchanges.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use psd2_rules::{Catalogue, Proof};
use psd2_sandbox::FAULTS;

#[test]
fn catalogue_proofs_match_the_fault_table_and_the_transcripts() {
    let catalogue = Catalogue::builtin().expect("catalogue parses");
    let mut breaking: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for row in FAULTS {
        for (rule, _) in row.breaks {
            breaking
                .entry(rule.as_str().to_owned())
                .or_default()
                .insert(row.name);
        }
    }
    let transcripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/transcripts");
    let mut problems = Vec::new();
    for rule in catalogue.rules() {
        let id = rule.id.as_str();
        let expected = breaking.get(id).cloned().unwrap_or_default();
        match &rule.proof {
            Proof::Proven { faults, transcript } => {
                let named: BTreeSet<&str> = faults.iter().map(String::as_str).collect();
                if named != expected {
                    problems.push(format!(
                        "{id}: catalogue names faults {named:?}, the fault table {expected:?}"
                    ));
                }
                let dir = transcript.as_deref().map(|dir| transcripts.join(dir));
                if !dir.as_ref().is_some_and(|dir| dir.is_dir()) {
                    problems.push(format!(
                        "{id}: transcript directory {transcript:?} is missing"
                    ));
                }
            }
            _ if !expected.is_empty() => {
                let list: Vec<String> = expected.iter().map(|name| format!("{name:?}")).collect();
                let has_transcripts = transcripts.join(id).is_dir();
                if has_transcripts {
                    problems.push(format!(
                        "{id}: proven by faults and transcripts, but the catalogue says otherwise; set proof = {{ faults = [{}], transcript = \"{id}\" }}",
                        list.join(", ")
                    ));
                }
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
