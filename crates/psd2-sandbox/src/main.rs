//! `psd2-sandbox`: run the reference bank on 127.0.0.1.
//!
//! ```text
//! cargo run -p psd2-sandbox -- --profile generic --port 8443 --mtls-port 8444
//! cargo run -p psd2-sandbox -- --list-faults
//! cargo run -p psd2-sandbox -- --fault code-reusable --fault no-iss
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use psd2_core::ProfileId;
use psd2_sandbox::{
    FAULTS, Fault, PsuDirectory, Sandbox, SandboxConfig, StartError, parse_clients,
};

/// A reference PSD2 authorization server over mutual TLS.
#[derive(Parser)]
#[command(name = "psd2-sandbox", version)]
struct Args {
    /// The bank profile: generic, stet, euro-information, connectpay.
    #[arg(long, default_value = "generic")]
    profile: String,
    /// Port of the browser-facing listener (authorize, consent, metadata); 0 picks a free port.
    #[arg(long, default_value_t = 8443)]
    port: u16,
    /// Port of the mTLS listener (token, revocation, introspection, resources, admin); 0 picks a free port.
    #[arg(long, default_value_t = 8444)]
    mtls_port: u16,
    /// Switch a fault on (repeatable); see --list-faults.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<String>,
    /// Print every fault with the rules it breaks, and exit.
    #[arg(long)]
    list_faults: bool,
    /// Registered clients (TOML `[[client]]` tables) instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    clients: Option<PathBuf>,
    /// Test PSUs (TOML `[[person]]` and `[[customer]]`) instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    psus: Option<PathBuf>,
}

fn list_faults() {
    for row in FAULTS {
        let breaks: Vec<String> = row
            .breaks
            .iter()
            .map(|(rule, case)| format!("{rule}/{case}"))
            .collect();
        println!(
            "{:<40} {}\n{:<40} {}",
            row.name,
            breaks.join(", "),
            "",
            row.description
        );
    }
}

fn read_text(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
}

fn configure(args: &Args) -> Result<SandboxConfig, String> {
    let profile: ProfileId = args.profile.parse().map_err(|error| format!("{error}"))?;
    let mut config =
        SandboxConfig::fixtures(profile).map_err(|error: StartError| error.to_string())?;
    config.browser_port = args.port;
    config.mtls_port = args.mtls_port;
    for name in &args.faults {
        let fault: Fault = name.parse().map_err(|error| format!("{error}"))?;
        config.faults.insert(fault);
    }
    if let Some(path) = &args.clients {
        let text = read_text(path)?;
        config.clients =
            parse_clients(&path.display().to_string(), &text).map_err(|error| error.to_string())?;
    }
    if let Some(path) = &args.psus {
        let text = read_text(path)?;
        config.psus = PsuDirectory::parse(&path.display().to_string(), &text)
            .map_err(|error| error.to_string())?;
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.list_faults {
        list_faults();
        return ExitCode::SUCCESS;
    }
    let config = match configure(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("psd2-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let faults: Vec<String> = config
        .faults
        .iter()
        .map(|fault| fault.to_string())
        .collect();
    let running = match Sandbox::start(config).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("psd2-sandbox: {error}");
            return ExitCode::from(2);
        }
    };
    println!("issuer            {}", running.issuer());
    println!(
        "metadata          {}/.well-known/oauth-authorization-server",
        running.issuer()
    );
    println!("mTLS endpoints    https://{}", running.mtls_addr());
    if !faults.is_empty() {
        println!("faults            {}", faults.join(", "));
    }
    println!("press Ctrl-C to stop");
    let _ = tokio::signal::ctrl_c().await;
    running.shutdown().await;
    ExitCode::SUCCESS
}
