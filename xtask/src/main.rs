//! `cargo xtask`: the project's build automation (the rust-analyzer pattern).
//!
//! Every subcommand lives in its own module; this file only parses flags and
//! dispatches. Nothing here is needed by the other crates at run time.

mod bench;
mod certs;
mod codegen;
mod conform;
mod interop;
mod lint_certs;
mod load;
mod paths;
mod peer;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project automation for the PSD2 workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `RuleId` and `docs/rules.md` from `crates/psd2-rules/catalogue.toml`.
    Codegen {
        /// Fail instead of writing when a generated file is stale.
        #[arg(long)]
        check: bool,
    },
    /// Regenerate the fixture PKI in `fixtures/certs/` (byte-reproducible).
    Certs {
        /// Fail instead of writing when a fixture would change.
        #[arg(long)]
        check: bool,
    },
    /// Lint every fixture certificate with pkilint (ETSI TS 119 495 linter).
    LintCerts,
    /// Load the reference server's token endpoint over mTLS with oha (not in CI).
    Load {
        /// Seconds per measurement.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Concurrent connections.
        #[arg(long, default_value_t = 16)]
        connections: u32,
        /// Also measure the oidc-provider peer the same way.
        #[arg(long)]
        with_peer: bool,
    },
    /// Run the conformance harness against the in-process reference sandbox
    /// (or, with `--config`, against any target); exits 0, 1 or 2.
    Conform(Box<conform::Args>),
    /// Run the harness against the oidc-provider peer (started from
    /// `../shared/peers/oidc-provider` with Node.js, stopped afterwards);
    /// reports in `target/interop/`; exits 0, 1 or 2 (not in CI).
    Interop(Box<interop::Args>),
    /// Run the benchmarks of the `bench/` workspace (not built by `cargo test`).
    Bench {
        /// Only the benchmark target with this name (e.g. `eidas`, `token`).
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Conform(args) => return conform::run(*args),
        Command::Interop(args) => return interop::run(*args),
        Command::Codegen { check } => codegen::run(check),
        Command::Certs { check } => certs::run(check),
        Command::LintCerts => lint_certs::run(),
        Command::Bench { name } => bench::run(name.as_deref()),
        Command::Load {
            seconds,
            connections,
            with_peer,
        } => load::run_load(&load::Options {
            seconds,
            connections,
            with_peer,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
