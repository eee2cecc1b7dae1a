//! # psd2-conformance
//!
//! The conformance harness: loads a target (a bank's endpoints, clients and
//! certificates), replays the scenarios of its profile as a real user agent
//! over TLS, judges every exchange with the `psd2-rules` judges, and reports
//! by rule in the terminal, as JSON and as JUnit XML.
//!
//! The harness never imports the reference server: the two meet only over
//! HTTPS, exactly as a bank and the harness do.

pub mod agent;
pub mod baseline;
pub mod drivers;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod target;
pub mod transport;

pub use report::{ExitPolicy, Report, RunVerdict};
pub use runner::{RunOptions, run as run_with};
pub use scenario::{Plan, Scenario};
pub use target::Target;

/// Runs `scenarios` against `target` with the default [`RunOptions`] and
/// returns the report: the entry point for a bank's own `cargo test`.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use psd2_conformance::{ExitPolicy, RunVerdict, Target, scenario};
/// let target = Target::load("bank.toml".as_ref())?;
/// let scenarios = scenario::load_dir("fixtures/scenarios/generic".as_ref())?;
/// let report = psd2_conformance::run(&target, &scenarios).await;
/// assert_eq!(report.verdict(ExitPolicy::DEFAULT), RunVerdict::Passed);
/// # Ok(())
/// # }
/// ```
pub async fn run(target: &Target, scenarios: &[Scenario]) -> Report {
    runner::run(target, scenarios, &RunOptions::default()).await
}
