//! `cargo xtask interop`: the conformance harness against a real
//! third-party authorization server, panva's oidc-provider
//! (`../shared/peers/oidc-provider`, run from a copy under
//! `target/peers/`).
//!
//! It starts the peer with its `run.sh` on a free loopback port (issuer
//! `https://127.0.0.1:PORT`), runs every generic scenario with
//! `fixtures/targets/oidc-provider.toml` and `--server` that issuer, writes
//! `target/interop/report.json` and `target/interop/junit.xml`, prints the
//! summary, stops the peer with its `stop.sh` (also when the run fails) and
//! exits with the harness's code: 0, 1 or 2. Needs Node.js and npm; not run
//! in CI.

use std::process::ExitCode;

use psd2_conformance::runner::{RunFlags, run_command};

use crate::paths::workspace_root;
use crate::peer::{self, Peer};

/// The flags of `cargo xtask interop`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The flags of `psd2-conform run`; `--server`, `--json` and `--junit`
    /// are set by this command unless given.
    #[command(flatten)]
    flags: RunFlags,
}

/// Runs the peer and the harness; the exit code is the run's (0, 1 or 2).
pub fn run(args: Args) -> ExitCode {
    match interop(args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("xtask interop: {message}");
            ExitCode::from(2)
        }
    }
}

fn interop(args: Args) -> Result<u8, String> {
    let Args { mut flags } = args;
    let root = workspace_root();
    let out = root.join("target/interop");
    std::fs::create_dir_all(&out).map_err(|error| format!("{}: {error}", out.display()))?;
    let dir = peer::copy(&root)?;
    let port = peer::free_port()?;
    let issuer = format!("https://127.0.0.1:{port}");
    let server = url::Url::parse(&issuer).map_err(|error| format!("{issuer}: {error}"))?;
    eprintln!(
        "starting oidc-provider at {issuer} (from {})",
        dir.display()
    );
    // Dropped at the end of this function, whatever happens: stop.sh.
    let peer = Peer::start(&dir, port, None)?;
    eprintln!(
        "peer ready; log: {}",
        peer.dir().join("server.log").display()
    );
    flags.server.get_or_insert(server);
    flags.json.get_or_insert_with(|| out.join("report.json"));
    flags.junit.get_or_insert_with(|| out.join("junit.xml"));
    if flags.scenarios.is_none() {
        flags.scenarios = Some(root.join("fixtures/scenarios/generic"));
    }
    let config = root.join("fixtures/targets/oidc-provider.toml");
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))
        .and_then(|runtime| runtime.block_on(run_command(&config, &flags)));
    drop(peer);
    if result.is_ok() {
        eprintln!("reports: {}", out.display());
    }
    result
}
