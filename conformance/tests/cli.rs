//! The command line: `init`, `run --list`, and the clear exits of the rest.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_psd2-conform"))
}

fn sandbox_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/targets/sandbox-generic.toml")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn init_writes_a_commented_template() {
    let output = run(&["init", "--profile", "generic"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("# psd2-conform target file"), "{text}");
    assert!(text.contains("profile = \"generic\""), "{text}");
    let parsed: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert!(parsed.contains_key("capabilities"));
}

#[test]
fn init_rejects_an_unknown_profile_in_one_line() {
    let output = run(&["init", "--profile", "bank"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("\"bank\""), "{message}");
}

#[test]
fn list_prints_the_plan() {
    let config = sandbox_target();
    let output = run(&["run", "--config", config.to_str().unwrap(), "--list"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("target: reference sandbox (generic)"),
        "{text}"
    );
    assert!(text.contains("authorization-code"), "{text}");
    assert!(
        text.contains("CORE-AC-01  judged (authorization-code)"),
        "{text}"
    );
    // The count follows the scenario files, which keep growing: at least
    // the two journeys of authorization-code and pkce.
    let consents: u32 = text
        .lines()
        .find_map(|line| line.strip_prefix("psu consents: "))
        .and_then(|count| count.parse().ok())
        .unwrap_or_default();
    assert!(consents >= 2, "{text}");
    assert!(text.contains("skip (needs dcr)"), "{text}");
}

#[test]
fn list_follows_the_selection_and_the_server_override() {
    let config = sandbox_target();
    let output = run(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--server",
        "https://127.0.0.1:40443",
        "--rule",
        "CORE-MD-01",
        "--list",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("issuer https://127.0.0.1:40443/"), "{text}");
    assert!(text.contains("  metadata "), "{text}");
    assert!(!text.contains("authorization-code"), "{text}");
    assert!(text.contains("psu consents: 0"), "{text}");
}

#[test]
fn a_run_whose_preflight_fails_exits_2_with_the_problem() {
    // Nothing listens on port 1: discovery cannot even connect.
    let config = sandbox_target();
    let output = run(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--server",
        "https://127.0.0.1:1",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "preflight: discovery at https://127.0.0.1:1/.well-known/oauth-authorization-server"
        ),
        "{text}"
    );
    assert!(text.contains("coverage: 0 of"), "{text}");
}

#[test]
fn a_broken_config_is_one_line_naming_the_file() {
    let output = run(&["run", "--config", "/nonexistent/bank.toml", "--list"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("/nonexistent/bank.toml"), "{message}");
}

#[test]
fn an_unknown_scenario_is_refused() {
    let config = sandbox_target();
    let output = run(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--scenario",
        "nope",
        "--list",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--scenario nope"));
}
