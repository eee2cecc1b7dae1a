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
use psd2_conformance::runner::{RunFlags, run_command};
use psd2_conformance::target;
use psd2_core::ProfileId;

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
    #[command(flatten)]
    flags: RunFlags,
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(run_command(&args.config, &args.flags))
}
