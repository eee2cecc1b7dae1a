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
        report_unaccounted(&out.join("report.json"), &root.join("docs/interop.md"));
    }
    result
}

/// Prints the checks of the run that did not pass and have no row in
/// `docs/interop.md` (which must account for every one of them). A warning,
/// not an error: the run's exit code stays the harness's.
fn report_unaccounted(report: &std::path::Path, doc: &std::path::Path) {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
    };
    let missing = read(report).and_then(|report| {
        let doc = read(doc)?;
        unaccounted(&report, &doc)
    });
    match missing {
        Ok(missing) if missing.is_empty() => {
            eprintln!("docs/interop.md accounts for every check that did not pass");
        }
        Ok(missing) => {
            eprintln!(
                "docs/interop.md has no row for {} check(s) that did not pass:",
                missing.len()
            );
            for (rule, case, outcome) in missing {
                eprintln!("  {rule} {case} ({outcome})");
            }
        }
        Err(message) => eprintln!("cannot check docs/interop.md: {message}"),
    }
}

/// The (rule, case, outcome) rows of a JSON report that did not pass and
/// have no `| rule | case |` row in `doc`.
fn unaccounted(report: &str, doc: &str) -> Result<Vec<(String, String, String)>, String> {
    let report: serde_json::Value =
        serde_json::from_str(report).map_err(|error| format!("report.json: {error}"))?;
    let rows = report
        .get("rows")
        .and_then(serde_json::Value::as_array)
        .ok_or("report.json has no rows")?;
    let text = |row: &serde_json::Value, key: &str| {
        row.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(rows
        .iter()
        .map(|row| (text(row, "rule"), text(row, "case"), text(row, "outcome")))
        .filter(|(_, _, outcome)| outcome != "pass")
        .filter(|(rule, case, _)| !doc.contains(&format!("| {rule} | {case} |")))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_that_did_not_pass_need_a_doc_row() {
        let report = r#"{"rows":[
            {"rule":"CORE-AC-01","case":"main","outcome":"pass"},
            {"rule":"CORE-AC-08","case":"pragma","outcome":"warn"},
            {"rule":"SEC-RS-01","case":"main","outcome":"skip"}]}"#;
        let doc = "| CORE-AC-08 | pragma | SHOULD warn | ... |\n";
        assert_eq!(
            unaccounted(report, doc).unwrap(),
            vec![("SEC-RS-01".to_owned(), "main".to_owned(), "skip".to_owned())]
        );
        assert!(unaccounted("[]", doc).is_err());
    }
}
