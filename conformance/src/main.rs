//! `psd2-conform`: the harness command line.
//!
//! ```text
//! psd2-conform run --config FILE [--server URL] [--scenarios DIR] [--json FILE]
//!                  [--junit FILE] [--baseline FILE] [--rule ID]... [--scenario NAME]...
//!                  [--list] [--jobs N] [--today YYYY-MM-DD]
//! psd2-conform init --profile P [--output FILE]
//! ```
//!
//! Every failure is one line on stderr. Exit codes: 0 no MUST failed outside
//! the baseline, 1 one did (or a baseline entry is stale), 2 the run could
//! not judge (configuration, preflight, too many errors).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use psd2_conformance::baseline::Baseline;
use psd2_conformance::scenario::{self, Plan, RuleStatus, ScenarioStatus, Selection};
use psd2_conformance::target::{self, Target};
use psd2_core::ProfileId;
use psd2_rules::{Catalogue, RuleId};

#[derive(Parser)]
#[command(
    name = "psd2-conform",
    version,
    about = "PSD2 OAuth2 conformance harness"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the scenarios of the target's profile, or lists the plan.
    Run(Box<RunArgs>),
    /// Writes a commented target file for a profile.
    Init {
        /// connectpay, euro-information, generic or stet.
        #[arg(long)]
        profile: String,
        /// Where to write it (default: standard output).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// The target file.
    #[arg(long)]
    config: PathBuf,
    /// Replaces the target's issuer (an in-process sandbox's URL).
    #[arg(long)]
    server: Option<url::Url>,
    /// The scenario directory (default: the target's, else the harness's own
    /// scenarios for the profile).
    #[arg(long)]
    scenarios: Option<PathBuf>,
    /// Writes the JSON report there.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Writes the JUnit XML report there.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// The baseline of known deviations (overrides the target's).
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Only this rule (repeatable).
    #[arg(long = "rule")]
    rules: Vec<RuleId>,
    /// Only this scenario (repeatable).
    #[arg(long = "scenario")]
    scenarios_selected: Vec<String>,
    /// Prints the plan and exits without sending anything.
    #[arg(long)]
    list: bool,
    /// How many scenarios run at once.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// The date baseline expiries are compared with (default: today, UTC).
    #[arg(long, value_parser = parse_date)]
    today: Option<time::Date>,
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, format)
        .map_err(|error| format!("{text:?} is not a date YYYY-MM-DD: {error}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init { profile, output } => init(&profile, output.as_deref()),
        Command::Run(args) => run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("psd2-conform: {message}");
            ExitCode::from(2)
        }
    }
}

fn init(profile: &str, output: Option<&Path>) -> Result<u8, String> {
    let profile: ProfileId = profile.parse().map_err(|error| format!("{error}"))?;
    let text = target::template(profile);
    match output {
        Some(path) => {
            std::fs::write(path, text)
                .map_err(|error| format!("{}: cannot write: {error}", path.display()))?;
        }
        None => print!("{text}"),
    }
    Ok(0)
}

fn run(args: &RunArgs) -> Result<u8, String> {
    let mut target = Target::load(&args.config).map_err(|error| error.to_string())?;
    if let Some(server) = &args.server {
        target.set_issuer(server.clone());
    }
    let scenario_dir = args
        .scenarios
        .clone()
        .or_else(|| target.scenarios.clone())
        .unwrap_or_else(|| default_scenarios(target.profile.profile));
    let scenarios = scenario::load_dir(&scenario_dir).map_err(|error| error.to_string())?;
    let catalogue = Catalogue::builtin().map_err(|error| format!("rule catalogue: {error}"))?;
    let selection = Selection {
        rules: args.rules.clone(),
        scenarios: args.scenarios_selected.clone(),
    };
    let plan = Plan::build(&target, &scenarios, catalogue, &selection)
        .map_err(|error| error.to_string())?;
    // The baseline is read even for --list, so a broken file fails early.
    let baseline_path = args.baseline.clone().or_else(|| target.baseline.clone());
    let baseline = baseline_path
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(|error| error.to_string())?;
    if args.list {
        print!("{}", render_plan(&target, &plan, baseline.as_ref()));
        return Ok(0);
    }
    // Not used until the runner exists; validated now so that a bad value
    // fails the same way before and after.
    if args.jobs == 0 {
        return Err("--jobs: must be at least 1".to_owned());
    }
    let _ = (&args.json, &args.junit, args.today);
    Err("the scenario runner is not built yet: `run --list` shows the plan".to_owned())
}

/// The harness's own scenarios, where a checkout keeps them.
fn default_scenarios(profile: ProfileId) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/scenarios")
        .join(profile.name())
}

fn render_plan(target: &Target, plan: &Plan, baseline: Option<&Baseline>) -> String {
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
            ScenarioStatus::Unusable { reason } => format!("unusable ({reason})"),
            _ => "unusable".to_owned(),
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
            _ => "unknown".to_owned(),
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
