//! The clean reference sandbox passes every rule the generic scenarios
//! judge: no fail, no warn, no error, and every skip names an unmet need.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;

use psd2_conformance::scenario::Selection;
use psd2_conformance::{ExitPolicy, RunVerdict};
use psd2_conformance_proof::{Discovery, generic_scenarios, run_sandbox};
use psd2_sandbox::FaultSet;

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
    let bad: Vec<String> = report
        .rows
        .iter()
        .filter(|row| matches!(row.outcome.as_str(), "fail" | "warn" | "error"))
        .map(|row| {
            format!(
                "{} {} {}: {:?}",
                row.rule, row.case, row.outcome, row.messages
            )
        })
        .collect();
    assert!(bad.is_empty(), "the clean sandbox broke: {bad:#?}");
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
    assert_eq!(report.verdict(ExitPolicy::DEFAULT), RunVerdict::Passed);
}
