//! The runner: what `psd2-conform run` and [`crate::run`] do.
//!
//! 1. **Setup**: the transport with the target's trust anchors and every
//!    client certificate ready to present.
//! 2. **Preflight**: RFC 8414 discovery at the issuer (following
//!    `mtls_endpoint_aliases`) unless the target turns it off, the file's
//!    explicit endpoints on top, and one connection to each endpoint. Any
//!    problem goes to [`Report::preflight`] and nothing else runs (exit 2).
//! 3. **Scenarios**: the runnable scenarios of the [`Plan`], concurrently up
//!    to [`RunOptions::jobs`] (one `exclusive` group at a time), each step
//!    under [`RunOptions::step_timeout`], every exchange logged under its
//!    step's label.
//! 4. **Judging**: each rule a scenario feeds and the plan judges, over
//!    that scenario's log, with the target's facts; the plan's skips join
//!    them, and [`Report::build`] aggregates per (rule, case).
//!
//! Step semantics (what each kind sends, and what `params`, `omit`,
//! `repeat`, `certificate`, `concurrent` and `capture` change) are in the
//! `request` and `journey` modules; a scenario that cannot go on (a driver
//! error, a value never captured, a timeout) reports `error` for its rules
//! with the reason, never a panic or a hang. Secrets stay in the exchange
//! logs and in [`psd2_core::Secret`] captures; the report redacts evidence.

mod captures;
mod command;
mod error;
mod execute;
mod journey;
mod judging;
mod pem;
mod preflight;
mod random;
mod request;
mod schedule;
mod setup;

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use psd2_rules::judge::{JudgeContext, TargetFacts};
use psd2_rules::{Catalogue, Finding, Outcome, aggregate};

pub use command::{RunFlags, default_scenarios, render_plan, run_command};
pub use error::StepError;

use crate::report::{Coverage, PlanSummary, Report, ReportInput, Timing, Totals};
use crate::scenario::{Plan, Scenario, Selection};
use crate::target::Target;
use crate::transport::{DEFAULT_CONCURRENCY, Limits};

/// Called after each scenario with the state of the run.
pub type ProgressSink = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Where a run stands, after a scenario finished.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Scenarios finished.
    pub done: usize,
    /// Scenarios to run.
    pub total: usize,
    /// The scenario that just finished.
    pub scenario: String,
    /// Outcomes of the (rule, case) pairs judged so far.
    pub totals: Totals,
}

/// How a run goes.
#[derive(Clone)]
#[non_exhaustive]
pub struct RunOptions {
    /// `--rule` and `--scenario` filters.
    pub selection: Selection,
    /// Scenarios at once (at least 1).
    pub jobs: usize,
    /// The longest one step may take (a consent journey included).
    pub step_timeout: Duration,
    /// How long the manual consent driver waits for the tester.
    pub manual_timeout: Duration,
    /// Timeouts and caps of each request.
    pub limits: Limits,
    /// Told after each scenario.
    pub progress: Option<ProgressSink>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            selection: Selection::default(),
            jobs: 4,
            step_timeout: Duration::from_secs(60),
            manual_timeout: Duration::from_secs(300),
            limits: Limits::default(),
            progress: None,
        }
    }
}

impl fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunOptions")
            .field("selection", &self.selection)
            .field("jobs", &self.jobs)
            .field("step_timeout", &self.step_timeout)
            .field("manual_timeout", &self.manual_timeout)
            .field("limits", &self.limits)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Runs `scenarios` against `target` and reports. Never fails: a problem
/// that prevents judging is in [`Report::preflight`] (the verdict is then
/// `Broken`, exit 2), a scenario that could not run is `error` rows.
pub async fn run(target: &Target, scenarios: &[Scenario], options: &RunOptions) -> Report {
    let started = Instant::now();
    let catalogue = match Catalogue::builtin() {
        Ok(catalogue) => catalogue,
        Err(error) => {
            return unplanned(target, format!("rule catalogue: {error}"), started);
        }
    };
    let plan = match Plan::build(target, scenarios, catalogue, &options.selection) {
        Ok(plan) => plan,
        Err(error) => return unplanned(target, error.to_string(), started),
    };
    run_plan(target, scenarios, &plan, catalogue, options, started).await
}

/// A report for a run that could not even be planned (the catalogue does
/// not load, the selection names nothing known): no rows, the problem as a
/// preflight failure, so the verdict is `Broken`.
fn unplanned(target: &Target, problem: String, started: Instant) -> Report {
    Report {
        schema_version: crate::report::SCHEMA_VERSION,
        tool: format!("psd2-conform {}", env!("CARGO_PKG_VERSION")),
        target: target.name.clone(),
        profile: target.profile.profile.name().to_owned(),
        rows: Vec::new(),
        totals: Totals::default(),
        coverage: Coverage {
            judged: 0,
            in_profile: 0,
        },
        timing: Timing {
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        },
        plan: PlanSummary {
            scenarios: Vec::new(),
            consents: 0,
        },
        baseline: Vec::new(),
        preflight: vec![problem],
    }
}

/// Runs a plan already built (the CLI builds it to print `--list`).
pub async fn run_plan(
    target: &Target,
    scenarios: &[Scenario],
    plan: &Plan,
    catalogue: &Catalogue,
    options: &RunOptions,
    started: Instant,
) -> Report {
    let report = |findings: Vec<Finding>, preflight: Vec<String>| {
        let mut input = ReportInput::new(&target.name, catalogue, plan);
        input.findings = findings;
        input.preflight = preflight;
        input.duration = started.elapsed();
        Report::build(input)
    };
    let runnable: BTreeSet<&str> = plan.runnable().map(|s| s.name.as_str()).collect();
    let to_run: Vec<Scenario> = scenarios
        .iter()
        .filter(|scenario| runnable.contains(scenario.name.as_str()))
        .map(|scenario| scenario.as_run(|need| target.meets(need)))
        .collect();
    let jobs = options.jobs.max(1);
    let credentials =
        match setup::credentials(target, options.limits, (jobs * 4).max(DEFAULT_CONCURRENCY)) {
            Ok(credentials) => credentials,
            Err(problems) => return report(Vec::new(), problems),
        };
    let endpoints = match preflight::endpoints(target, &credentials).await {
        Ok(endpoints) => endpoints,
        Err(problems) => return report(Vec::new(), problems),
    };
    let problems = preflight::reach(&endpoints, &credentials).await;
    if !problems.is_empty() {
        return report(Vec::new(), problems);
    }
    let probes = match setup::probes(target) {
        Ok(probes) => probes,
        Err(problems) => return report(Vec::new(), problems),
    };
    let harness = Arc::new(setup::Harness::new(
        target,
        credentials,
        endpoints,
        probes,
        options.step_timeout,
        options.manual_timeout,
    ));
    let mut facts = TargetFacts::default();
    facts.issuer = Some(setup::issuer_text(&target.issuer));
    facts
        .redirect_uris
        .push(target.redirect.registered.to_string());
    if let Some(with_query) = &target.redirect.with_query {
        facts.redirect_uris.push(with_query.to_string());
    }
    let ctx = JudgeContext::with_facts(catalogue, &target.profile, &facts);
    let names: Vec<String> = to_run.iter().map(|s| s.name.clone()).collect();
    let rules: Vec<Vec<psd2_rules::RuleId>> = to_run
        .iter()
        .map(|scenario| {
            plan.scenarios
                .iter()
                .find(|planned| planned.name == scenario.name)
                .map(|planned| planned.rules.clone())
                .unwrap_or_default()
        })
        .collect();
    let total = to_run.len();
    let mut findings: Vec<Finding> = Vec::new();
    let mut finished = 0;
    // Judging is pure and quick: each scenario is judged as it finishes,
    // so the progress line shows real outcomes.
    let runs = schedule::run_all(harness, to_run, jobs, |index, run| {
        finished += 1;
        if let Some(rules) = rules.get(index) {
            findings.extend(judging::judge(plan, rules, run, &ctx));
        }
        if let Some(sink) = &options.progress {
            sink(&Progress {
                done: finished,
                total,
                scenario: names.get(index).cloned().unwrap_or_default(),
                totals: totals_of(&findings),
            });
        }
    })
    .await;
    drop(runs);
    report(findings, Vec::new())
}

/// Outcomes per (rule, case) of the findings so far.
fn totals_of(findings: &[Finding]) -> Totals {
    let mut totals = Totals::default();
    for verdict in aggregate(findings.iter().cloned()) {
        match verdict.outcome {
            Outcome::Pass => totals.pass += 1,
            Outcome::Fail => totals.fail += 1,
            Outcome::Warn => totals.warn += 1,
            Outcome::Info => totals.info += 1,
            Outcome::Skip { .. } => totals.skip += 1,
            Outcome::Error { .. } => totals.error += 1,
            _ => totals.deviation += 1,
        }
    }
    totals
}
