//! `cargo xtask conform`: the conformance harness against the reference
//! server, or against any target.
//!
//! Without `--config` it starts the sandbox in-process (generic profile,
//! fixture PKI, ports picked by the OS on 127.0.0.1), runs every scenario of
//! `fixtures/scenarios/generic/` with `fixtures/targets/sandbox-generic.toml`
//! pointed at the sandbox's issuer, prints the report and exits with its
//! code. With `--config FILE` (or `--server URL` alone, for a sandbox that
//! is already running) no sandbox is started. The other flags are those of
//! `psd2-conform run`.

use std::path::PathBuf;
use std::process::ExitCode;

use psd2_conformance::runner::{RunFlags, run_command};
use psd2_core::ProfileId;
use psd2_sandbox::{Sandbox, SandboxConfig};

use crate::paths::workspace_root;

/// The flags of `cargo xtask conform`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A target file; without it, the in-process reference sandbox.
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    flags: RunFlags,
}

/// Runs the harness; the exit code is the run's (0, 1 or 2).
pub fn run(args: Args) -> ExitCode {
    let code = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(conform(args)),
        Err(error) => Err(format!("cannot start the async runtime: {error}")),
    };
    match code {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("xtask conform: {message}");
            ExitCode::from(2)
        }
    }
}

async fn conform(args: Args) -> Result<u8, String> {
    let Args { config, mut flags } = args;
    let fixture = workspace_root().join("fixtures/targets/sandbox-generic.toml");
    if config.is_some() || flags.server.is_some() {
        return run_command(&config.unwrap_or(fixture), &flags).await;
    }
    let sandbox_config = SandboxConfig::fixtures(ProfileId::Generic)
        .map_err(|error| format!("sandbox configuration: {error}"))?;
    let sandbox = Sandbox::start(sandbox_config)
        .await
        .map_err(|error| format!("cannot start the sandbox: {error}"))?;
    let issuer = url::Url::parse(sandbox.issuer())
        .map_err(|error| format!("the sandbox's issuer {}: {error}", sandbox.issuer()))?;
    eprintln!("reference sandbox at {issuer}");
    flags.server = Some(issuer);
    if flags.scenarios.is_none() {
        flags.scenarios = Some(workspace_root().join("fixtures/scenarios/generic"));
    }
    let result = run_command(&fixture, &flags).await;
    sandbox.shutdown().await;
    result
}
