//! The `run` command shared by `psd2-conform run` and `cargo xtask
//! conform`: flags, loading, the plan (`--list`), the run with a progress
//! line on stderr, the summary on stdout, the JSON and JUnit files, the
//! baseline, and the exit code.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use psd2_core::ProfileId;
use psd2_rules::{Catalogue, RuleId};

use super::{Progress, ProgressSink, RunOptions, run_plan};
use crate::baseline::Baseline;
use crate::report::{ExitPolicy, junit, progress_line, terminal};
use crate::scenario::{self, Plan, RuleStatus, ScenarioStatus, Selection};
use crate::target::Target;

/// The flags of a run, after `--config`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RunFlags {
    /// Replaces the target's issuer (an in-process sandbox's URL).
    #[arg(long)]
    pub server: Option<url::Url>,
    /// The scenario directory (default: the target's, else the harness's own
    /// scenarios for the profile).
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    /// Writes the JSON report there.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Writes the JUnit XML report there.
    #[arg(long)]
    pub junit: Option<PathBuf>,
    /// The baseline of known deviations (overrides the target's).
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Only this rule (repeatable).
    #[arg(long = "rule")]
    pub rules: Vec<RuleId>,
    /// Only this scenario (repeatable).
    #[arg(long = "scenario")]
    pub scenarios_selected: Vec<String>,
    /// Prints the plan and exits without sending anything.
    #[arg(long)]
    pub list: bool,
    /// How many scenarios run at once.
    #[arg(long, default_value_t = 4)]
    pub jobs: usize,
    /// The date baseline expiries are compared with (default: today, UTC).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<time::Date>,
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, format)
        .map_err(|error| format!("{text:?} is not a date YYYY-MM-DD: {error}"))
}

/// Runs (or with `--list`, plans) the target file `config` and returns the
/// exit code: 0, 1 or 2 by the report's verdict.
///
/// # Errors
/// A one-line message for what stops the run before it starts (the
/// target, scenario or baseline file, the selection, an output file); the
/// caller prints it and exits 2.
pub async fn run_command(config: &Path, flags: &RunFlags) -> Result<u8, String> {
    let mut target = Target::load(config).map_err(|error| error.to_string())?;
    if let Some(server) = &flags.server {
        target.set_issuer(server.clone());
    }
    let scenario_dir = flags
        .scenarios
        .clone()
        .or_else(|| target.scenarios.clone())
        .unwrap_or_else(|| default_scenarios(target.profile.profile));
    let scenarios = scenario::load_dir(&scenario_dir).map_err(|error| error.to_string())?;
    let catalogue = Catalogue::builtin().map_err(|error| format!("rule catalogue: {error}"))?;
    let selection = Selection {
        rules: flags.rules.clone(),
        scenarios: flags.scenarios_selected.clone(),
    };
    let plan = Plan::build(&target, &scenarios, catalogue, &selection)
        .map_err(|error| error.to_string())?;
    // The baseline is read even for --list, so a broken file fails early.
    let baseline_path = flags.baseline.clone().or_else(|| target.baseline.clone());
    let baseline = baseline_path
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(|error| error.to_string())?;
    if flags.list {
        print!("{}", render_plan(&target, &plan, baseline.as_ref()));
        return Ok(0);
    }
    if flags.jobs == 0 {
        return Err("--jobs: must be at least 1".to_owned());
    }
    // Up front, so a tester driving a real bank's consent pages knows what
    // is coming (a consent the server never shows is not asked for).
    eprintln!(
        "plan: {} scenario(s), up to {} PSU consent(s)",
        plan.runnable().count(),
        plan.consents
    );
    // One plain line per scenario: readable in a terminal and in a CI log.
    let progress: ProgressSink = Arc::new(|progress: &Progress| {
        let line = progress_line(
            progress.done,
            progress.total,
            &progress.scenario,
            &progress.totals,
            terminal::WIDTH,
        );
        eprintln!("{line}");
    });
    let options = RunOptions {
        selection,
        jobs: flags.jobs,
        progress: Some(progress),
        ..RunOptions::default()
    };
    let started = Instant::now();
    let mut report = run_plan(&target, &scenarios, &plan, catalogue, &options, started).await;
    if let Some(baseline) = &baseline {
        let today = flags
            .today
            .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
        report.apply_baseline(baseline, today);
    }
    print!("{}", terminal::render(&report, terminal::WIDTH));
    if let Some(path) = &flags.json {
        std::fs::write(path, report.to_json())
            .map_err(|error| format!("{}: cannot write: {error}", path.display()))?;
    }
    if let Some(path) = &flags.junit {
        std::fs::write(path, junit::render(&report))
            .map_err(|error| format!("{}: cannot write: {error}", path.display()))?;
    }
    Ok(report.verdict(ExitPolicy::DEFAULT).code())
}

/// The harness's own scenarios for a profile, where this checkout keeps them.
#[must_use]
pub fn default_scenarios(profile: ProfileId) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/scenarios")
        .join(profile.name())
}

/// The plan as `--list` prints it.
#[must_use]
pub fn render_plan(target: &Target, plan: &Plan, baseline: Option<&Baseline>) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "target: {} (profile {}, issuer {})",
        target.name, plan.profile, target.issuer
    );
    let _ = writeln!(out, "scenarios:");
    for scenario in &plan.scenarios {
        let status = match &scenario.status {
            ScenarioStatus::Run => "run".to_owned(),
            ScenarioStatus::Skip { need } => format!("skip (needs {need})"),
            ScenarioStatus::Unmet { need, reason } => format!("skip (needs {need}: {reason})"),
            ScenarioStatus::Unusable { reason } => format!("unusable ({reason})"),
        };
        let rules: Vec<&str> = scenario.rules.iter().map(|rule| rule.as_str()).collect();
        let _ = writeln!(
            out,
            "  {:<28} {status}; {} consent(s); rules {}",
            scenario.name,
            scenario.consents,
            rules.join(", ")
        );
    }
    let _ = writeln!(out, "rules:");
    for rule in &plan.rules {
        let status = match &rule.status {
            RuleStatus::Judged { scenarios } => format!("judged ({})", scenarios.join(", ")),
            RuleStatus::Skip { need } => format!("skip (needs {need})"),
            RuleStatus::NotCovered => "not covered (no scenario)".to_owned(),
        };
        let _ = writeln!(out, "  {:<11} {status}", rule.rule.as_str());
        for case in rule.cases.iter().filter(|case| case.skip.is_some()) {
            if let (Some(need), RuleStatus::Judged { .. }) = (case.skip, &rule.status) {
                let _ = writeln!(out, "    case {} skip (needs {need})", case.case);
            }
        }
    }
    let judged = plan.judged_rules();
    let _ = writeln!(
        out,
        "judged: {judged} of {} rules selected",
        plan.rules.len()
    );
    let _ = writeln!(out, "psu consents: {}", plan.consents);
    if let Some(baseline) = baseline {
        let _ = writeln!(
            out,
            "baseline: {} entries ({})",
            baseline.entries.len(),
            baseline.file.display()
        );
    }
    out
}
