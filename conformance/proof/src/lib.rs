//! # psd2-conformance-proof
//!
//! The one crate allowed to depend on both the reference sandbox and the
//! harness (they otherwise meet only over HTTPS). Its tests prove the
//! harness: the clean sandbox passes every rule the generic scenarios judge
//! (`tests/clean.rs`), and each sandbox fault makes exactly the (rule,
//! case) pairs it declares fail or warn (`tests/fault_matrix.rs`).
//!
//! This library holds only what those tests share: starting a sandbox with
//! some faults and running scenarios against it.

use std::path::{Path, PathBuf};

use psd2_conformance::runner::{self, RunOptions};
use psd2_conformance::scenario::{self, Scenario, Selection};
use psd2_conformance::{Report, Target};
use psd2_core::ProfileId;
use psd2_sandbox::{FaultSet, RunningSandbox, Sandbox, SandboxConfig};

/// Why a proof run could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The sandbox did not start.
    #[error("sandbox: {0}")]
    Sandbox(#[from] psd2_sandbox::StartError),
    /// The fixture target did not load.
    #[error("target: {0}")]
    Target(#[from] psd2_conformance::target::TargetError),
    /// The fixture scenarios did not load.
    #[error("scenarios: {0}")]
    Scenarios(#[from] psd2_conformance::scenario::ScenarioError),
    /// The sandbox's issuer is not a URL.
    #[error("issuer {0:?} is not a URL")]
    Issuer(String),
}

/// The repository's `fixtures/` directory.
#[must_use]
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// The generic scenarios of `fixtures/scenarios/generic/`.
///
/// # Errors
/// [`ProofError::Scenarios`] when a file does not load.
pub fn generic_scenarios() -> Result<Vec<Scenario>, ProofError> {
    Ok(scenario::load_dir(&fixtures().join("scenarios/generic"))?)
}

/// `fixtures/targets/sandbox-generic.toml` pointed at `issuer`.
///
/// # Errors
/// [`ProofError`] when the file does not load or the issuer is no URL.
pub fn sandbox_target(issuer: &str) -> Result<Target, ProofError> {
    let mut target = Target::load(&fixtures().join("targets/sandbox-generic.toml"))?;
    let url = url::Url::parse(issuer).map_err(|_| ProofError::Issuer(issuer.to_owned()))?;
    target.set_issuer(url);
    Ok(target)
}

/// How a proof run finds the sandbox's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Discovery {
    /// RFC 8414 discovery only, as a bank's target file would do.
    Only,
    /// The sandbox's endpoints also written in the target, so that a fault
    /// that breaks the metadata (`metadata-missing`) leaves the other
    /// scenarios something to talk to.
    WithExplicitEndpoints,
    /// No discovery: only the endpoints written in the target (authorization,
    /// token, revocation), as for a bank that publishes no metadata and no
    /// optional endpoint such as RFC 7662 introspection.
    Off,
}

/// Writes the sandbox's endpoints into the target (the paths of
/// `crates/psd2-sandbox/README.md`).
fn explicit_endpoints(target: &mut Target, sandbox: &RunningSandbox) -> Result<(), ProofError> {
    let at = |base: String, path: &str| {
        url::Url::parse(&format!("{base}{path}")).map_err(|_| ProofError::Issuer(base.clone()))
    };
    let mtls = format!("https://{}", sandbox.mtls_addr());
    target.endpoints.authorization = Some(at(sandbox.issuer().to_owned(), "/authorize")?);
    target.endpoints.token = Some(at(mtls.clone(), "/token")?);
    target.endpoints.revocation = Some(at(mtls, "/revoke")?);
    Ok(())
}

/// Starts a generic sandbox with `faults`, runs `scenarios` (only those
/// named in `selection.scenarios` when it names any) and shuts it down.
///
/// # Errors
/// [`ProofError`] when the sandbox or the target cannot start; a run that
/// goes wrong is in the report.
pub async fn run_sandbox(
    faults: FaultSet,
    scenarios: &[Scenario],
    selection: Selection,
    discovery: Discovery,
) -> Result<Report, ProofError> {
    let mut config = SandboxConfig::fixtures(ProfileId::Generic)?;
    config.faults = faults;
    let sandbox = Sandbox::start(config).await?;
    let target = sandbox_target(sandbox.issuer()).and_then(|mut target| {
        if discovery != Discovery::Only {
            explicit_endpoints(&mut target, &sandbox)?;
        }
        target.discovery = discovery != Discovery::Off;
        Ok(target)
    });
    let report = match target {
        Ok(target) => {
            let mut options = RunOptions::default();
            options.selection = selection;
            Ok(runner::run(&target, scenarios, &options).await)
        }
        Err(error) => Err(error),
    };
    sandbox.shutdown().await;
    report
}
