//! The fault matrix: for every fault of `psd2_sandbox::FAULTS`, a sandbox
//! with that fault alone, the generic scenarios that feed the rules it
//! breaks, and the assertion that exactly the (rule, case) pairs it
//! declares come out `fail` or `warn` — no fewer (the harness would miss
//! the fault) and no more (a judge or the sandbox overreaches).
//!
//! A pair no scenario judges (no scenario feeds the rule, or the plan skips
//! it for a need the fixture target lacks) fails the test too: a slice that
//! adds a fault adds the scenario that proves it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use psd2_conformance::Report;
use psd2_conformance::scenario::{Plan, RuleStatus, Scenario, ScenarioStatus, Selection};
use psd2_conformance_proof::{Discovery, generic_scenarios, run_sandbox, sandbox_target};
use psd2_rules::{Catalogue, RuleId};
use psd2_sandbox::{FAULTS, FaultSet, FaultSpec};
use tokio::sync::Semaphore;

type Pair = (String, String);

/// What the plan can judge for one fault.
struct Coverage {
    spec: &'static FaultSpec,
    /// Declared pairs some runnable scenario judges.
    judged: BTreeSet<Pair>,
    /// Declared pairs nothing judges yet, with why.
    uncovered: Vec<(Pair, String)>,
    /// The scenarios to run.
    scenarios: Vec<String>,
}

fn pair(rule: RuleId, case: &str) -> Pair {
    (rule.as_str().to_owned(), case.to_owned())
}

fn coverage(plan: &Plan, spec: &'static FaultSpec) -> Coverage {
    let mut judged = BTreeSet::new();
    let mut uncovered = Vec::new();
    let mut scenarios = BTreeSet::new();
    for (rule, case) in spec.breaks {
        let planned = plan.rules.iter().find(|planned| planned.rule == *rule);
        let why = match planned.map(|planned| &planned.status) {
            None => Some("the rule is not planned for the generic profile".to_owned()),
            Some(RuleStatus::NotCovered) => Some("no scenario feeds the rule".to_owned()),
            Some(RuleStatus::Skip { need }) => Some(format!("skipped: needs {need}")),
            Some(RuleStatus::Judged { scenarios: feeding }) => {
                let skip = planned
                    .and_then(|planned| planned.cases.iter().find(|c| c.case == *case))
                    .and_then(|c| c.skip);
                match skip {
                    Some(need) => Some(format!("case skipped: needs {need}")),
                    None => {
                        scenarios.extend(feeding.iter().cloned());
                        None
                    }
                }
            }
            Some(_) => Some("unknown plan status".to_owned()),
        };
        match why {
            Some(why) => uncovered.push((pair(*rule, case), why)),
            None => {
                judged.insert(pair(*rule, case));
            }
        }
    }
    Coverage {
        spec,
        judged,
        uncovered,
        scenarios: scenarios.into_iter().collect(),
    }
}

/// The difference between what the fault declares and what the run shows.
/// The (rule, case) pairs a report shows `fail` or `warn`.
fn tripped(report: &Report) -> BTreeSet<Pair> {
    report
        .rows
        .iter()
        .filter(|row| matches!(row.outcome.as_str(), "fail" | "warn"))
        .map(|row| (row.rule.clone(), row.case.clone()))
        .collect()
}

/// `clean`: what the clean sandbox already trips (`tests/clean.rs` reports
/// those); a fault is not blamed for them.
fn mismatch(coverage: &Coverage, report: &Report, clean: &BTreeSet<Pair>) -> Option<String> {
    if !report.preflight.is_empty() {
        return Some(format!("preflight failed: {:?}", report.preflight));
    }
    let outcome: BTreeMap<Pair, &str> = report
        .rows
        .iter()
        .map(|row| ((row.rule.clone(), row.case.clone()), row.outcome.as_str()))
        .collect();
    let tripped = tripped(report);
    let missed: Vec<String> = coverage
        .judged
        .difference(&tripped)
        .map(|(rule, case)| {
            let seen = outcome
                .get(&(rule.clone(), case.clone()))
                .copied()
                .unwrap_or("no row");
            format!("{rule} {case} came out {seen}")
        })
        .collect();
    let extra: Vec<String> = tripped
        .difference(&coverage.judged)
        // A declared pair the plan cannot judge may still trip; it is not
        // an overreach.
        .filter(|pair| !coverage.uncovered.iter().any(|(other, _)| other == *pair))
        .filter(|pair| !clean.contains(*pair))
        .map(|(rule, case)| {
            let row = report
                .rows
                .iter()
                .find(|row| &row.rule == rule && &row.case == case);
            let message = row
                .and_then(|row| row.messages.first().cloned())
                .unwrap_or_default();
            format!("{rule} {case} tripped too: {message}")
        })
        .collect();
    if missed.is_empty() && extra.is_empty() {
        return None;
    }
    Some([missed, extra].concat().join("; "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_trips_exactly_its_declared_pairs() {
    let scenarios: Arc<Vec<Scenario>> = Arc::new(generic_scenarios().unwrap());
    // Planning only reads the target's capabilities: any issuer will do.
    let target = sandbox_target("https://127.0.0.1:1").unwrap();
    let catalogue = Catalogue::builtin().unwrap();
    let plan = Plan::build(&target, &scenarios, catalogue, &Selection::default()).unwrap();
    for scenario in &plan.scenarios {
        if scenario.status != ScenarioStatus::Run {
            eprintln!(
                "fault matrix: scenario {} does not run against the fixture target: {:?}",
                scenario.name, scenario.status
            );
        }
    }
    let covered: Vec<Coverage> = FAULTS.iter().map(|spec| coverage(&plan, spec)).collect();
    let clean = run_sandbox(
        FaultSet::none(),
        &scenarios,
        Selection::default(),
        Discovery::WithExplicitEndpoints,
    )
    .await
    .unwrap();
    let clean = tripped(&clean);
    if !clean.is_empty() {
        eprintln!("fault matrix: the clean sandbox already trips {clean:?} (see tests/clean.rs)");
    }

    // One sandbox per fault, a few faults at a time (CI has two cores).
    let slots = Arc::new(Semaphore::new(3));
    let mut runs = tokio::task::JoinSet::new();
    for (index, coverage) in covered.iter().enumerate() {
        if coverage.judged.is_empty() {
            continue;
        }
        let selection = Selection {
            rules: Vec::new(),
            scenarios: coverage.scenarios.clone(),
        };
        let (fault, scenarios, slots) = (coverage.spec.fault, scenarios.clone(), slots.clone());
        runs.spawn(async move {
            let _slot = slots.acquire_owned().await.unwrap();
            let report = run_sandbox(
                FaultSet::only(fault),
                &scenarios,
                selection,
                Discovery::WithExplicitEndpoints,
            )
            .await;
            (index, report)
        });
    }
    let mut proven = Vec::new();
    let mut mismatches = Vec::new();
    while let Some(joined) = runs.join_next().await {
        let (index, report) = joined.unwrap();
        let coverage = &covered[index];
        let report = report.unwrap();
        match mismatch(coverage, &report, &clean) {
            None => proven.push(coverage.spec.name),
            Some(problem) => mismatches.push(format!("{}: {problem}", coverage.spec.name)),
        }
    }
    proven.sort_unstable();
    mismatches.sort();
    let uncovered: Vec<String> = covered
        .iter()
        .filter(|coverage| !coverage.uncovered.is_empty())
        .map(|coverage| {
            let pairs: Vec<String> = coverage
                .uncovered
                .iter()
                .map(|((rule, case), why)| format!("{rule} {case} ({why})"))
                .collect();
            format!("{}: {}", coverage.spec.name, pairs.join(", "))
        })
        .collect();
    eprintln!(
        "fault matrix: {} of {} faults proven: {}",
        proven.len(),
        FAULTS.len(),
        proven.join(", ")
    );
    assert!(
        uncovered.is_empty(),
        "faults with pairs no scenario judges:\n{}",
        uncovered.join("\n")
    );
    assert!(
        mismatches.is_empty(),
        "faults that trip other pairs than they declare:\n{}",
        mismatches.join("\n")
    );
}
