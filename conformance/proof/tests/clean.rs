//! The clean reference sandbox passes every rule the generic scenarios
//! judge: no fail, no warn, no error, and every skip names an unmet need.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;

use psd2_conformance::scenario::Selection;
use psd2_conformance::{ExitPolicy, RunVerdict};
use psd2_conformance_proof::{Discovery, generic_scenarios, run_sandbox};
use psd2_sandbox::FaultSet;

/// (rule, case) pairs the clean sandbox is known to trip, reported to the
/// owners with what is wrong. A listed pair that passes again is reported
/// (remove it); `PROOF_STRICT=1` fails on both.
const KNOWN: &[(&str, &str, &str)] = &[];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clean_sandbox_passes_every_judged_rule() {
    let scenarios = generic_scenarios().unwrap();
    let report = run_sandbox(
        FaultSet::none(),
        &scenarios,
        Selection::default(),
        Discovery::Only,
    )
    .await
    .unwrap();
    assert!(report.preflight.is_empty(), "{:?}", report.preflight);
    let strict = std::env::var("PROOF_STRICT").is_ok_and(|value| value == "1");
    let known = |rule: &str, case: &str| KNOWN.iter().any(|(r, c, _)| *r == rule && *c == case);
    let broken: Vec<_> = report
        .rows
        .iter()
        .filter(|row| matches!(row.outcome.as_str(), "fail" | "warn" | "error"))
        .collect();
    for row in &broken {
        eprintln!(
            "clean sandbox: {} {} {}: {:?}",
            row.rule, row.case, row.outcome, row.messages
        );
    }
    let bad: Vec<String> = broken
        .iter()
        .filter(|row| strict || !known(&row.rule, &row.case))
        .map(|row| {
            format!(
                "{} {} {}: {:?}",
                row.rule, row.case, row.outcome, row.messages
            )
        })
        .collect();
    assert!(bad.is_empty(), "the clean sandbox broke: {bad:#?}");
    let stale: Vec<&str> = KNOWN
        .iter()
        .filter(|(rule, case, _)| {
            !broken
                .iter()
                .any(|row| row.rule == *rule && row.case == *case)
        })
        .map(|(rule, _, _)| *rule)
        .collect();
    for rule in &stale {
        eprintln!("clean sandbox: {rule} passes again: remove it from KNOWN");
    }
    assert!(
        !strict || stale.is_empty(),
        "PROOF_STRICT=1: KNOWN pairs that pass again: {stale:?}"
    );
    for row in report.rows.iter().filter(|row| row.outcome == "skip") {
        let reason = row.reason.as_deref().unwrap_or_default();
        assert!(
            reason.starts_with("needs "),
            "{} {}: {reason}",
            row.rule,
            row.case
        );
    }
    // Every rule a scenario that ran feeds was judged, and passed.
    let fed: BTreeSet<&str> = report
        .plan
        .scenarios
        .iter()
        .filter(|scenario| scenario.status == "run")
        .flat_map(|scenario| scenario.rules.iter().map(String::as_str))
        .collect();
    assert!(!fed.is_empty());
    for rule in fed {
        let rows: Vec<_> = report.rows.iter().filter(|row| row.rule == rule).collect();
        let judged = rows.iter().any(|row| row.outcome != "skip");
        if judged {
            assert!(
                rows.iter().any(|row| row.outcome == "pass"),
                "{rule}: {rows:#?}"
            );
        }
    }
    assert!(report.coverage.judged > 0);
    // A known SHOULD (warn) leaves the verdict alone; a MUST would not.
    assert_eq!(report.verdict(ExitPolicy::DEFAULT), RunVerdict::Passed);
}
