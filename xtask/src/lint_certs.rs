//! `cargo xtask lint-certs`: pkilint, an independent linter, over every fixture.
//!
//! The expectations live in `fixtures/certs/pkilint-expected.toml` (data, not
//! code): which pkilint linter and certificate type fits each file, which
//! findings it must report, and which pkilint limitations we tolerate and why.
//! pkilint is installed at the pinned version into `target/pkilint-venv` when
//! missing, because CI runs this on a fresh machine.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use toml::{Table, Value};

use crate::certs::fixture_dir;
use crate::paths::workspace_root;

const EXPECTATIONS: &str = "pkilint-expected.toml";

/// One pkilint finding, as its JSON output reports it.
#[derive(Debug, Clone)]
struct Finding {
    severity: String,
    code: String,
    message: String,
}

/// A finding pattern: a code and, optionally, a substring of the message.
#[derive(Debug, Clone)]
struct Pattern {
    code: String,
    message: Option<String>,
}

impl Pattern {
    fn matches(&self, finding: &Finding) -> bool {
        self.code == finding.code
            && self
                .message
                .as_ref()
                .is_none_or(|needle| finding.message.contains(needle.as_str()))
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.message {
            Some(message) => write!(f, "{} ({message:?})", self.code),
            None => f.write_str(&self.code),
        }
    }
}

pub fn run() -> Result<(), String> {
    let dir = fixture_dir();
    let expectations = read_expectations(&dir)?;
    let version = string_field(&expectations, "pkilint", EXPECTATIONS)?;
    let bin = ensure_pkilint(version)?;
    let linters = expectations
        .get("linters")
        .and_then(Value::as_table)
        .ok_or(format!("{EXPECTATIONS}: no [linters] table"))?;
    let tolerated = patterns(expectations.get("tolerated"), "tolerated")?;
    let mut tolerated_used = vec![false; tolerated.len()];
    let fixtures = expectations
        .get("fixture")
        .and_then(Value::as_array)
        .ok_or(format!("{EXPECTATIONS}: no [[fixture]] entries"))?;

    let mut failures = Vec::new();
    let mut listed = BTreeSet::new();
    for fixture in fixtures {
        let fixture = fixture
            .as_table()
            .ok_or(format!("{EXPECTATIONS}: a [[fixture]] is not a table"))?;
        let file = string_field(fixture, "file", "[[fixture]]")?;
        listed.insert(file.to_owned());
        let linter_name = string_field(fixture, "linter", file)?;
        let linter = linters
            .get(linter_name)
            .and_then(Value::as_table)
            .ok_or(format!("{file}: unknown linter {linter_name:?}"))?;
        let expected = patterns(fixture.get("expect"), file)?;

        let findings = lint(&bin, linter, &dir.join(file))?;
        let mut remaining = Vec::new();
        for finding in findings {
            match tolerated
                .iter()
                .position(|pattern| pattern.matches(&finding))
            {
                Some(index) => tolerated_used[index] = true,
                None => remaining.push(finding),
            }
        }
        let problems = compare(&expected, &remaining);
        let verdict = if expected.is_empty() {
            "pass".to_owned()
        } else {
            let codes: Vec<String> = expected.iter().map(ToString::to_string).collect();
            format!("flagged: {}", codes.join(", "))
        };
        if problems.is_empty() {
            println!("ok    {file:<32} {linter_name:<7} {verdict}");
        } else {
            println!("FAIL  {file:<32} {linter_name:<7} expected {verdict}");
            for problem in &problems {
                println!("        {problem}");
            }
            failures.push(file.to_owned());
        }
    }

    for name in unlisted_fixtures(&dir, &listed)? {
        failures.push(format!("{name} (no entry in {EXPECTATIONS})"));
    }
    for (pattern, used) in tolerated.iter().zip(&tolerated_used) {
        if !used {
            failures.push(format!(
                "tolerated {pattern} matched nothing: remove it from {EXPECTATIONS}"
            ));
        }
    }
    if failures.is_empty() {
        println!("lint-certs: {} files as expected", listed.len());
        Ok(())
    } else {
        Err(format!("lint-certs: {}", failures.join("; ")))
    }
}

/// Expected patterns each need one finding; every finding needs a pattern.
fn compare(expected: &[Pattern], findings: &[Finding]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut matched = vec![false; findings.len()];
    for pattern in expected {
        let hit = findings
            .iter()
            .enumerate()
            .find(|(index, finding)| !matched[*index] && pattern.matches(finding));
        match hit {
            Some((index, _)) => matched[index] = true,
            None => problems.push(format!("missing   {pattern}")),
        }
    }
    for (finding, was_matched) in findings.iter().zip(matched) {
        if !was_matched {
            problems.push(format!(
                "unexpected {} {}: {}",
                finding.severity, finding.code, finding.message
            ));
        }
    }
    problems
}

fn read_expectations(dir: &Path) -> Result<Table, String> {
    let path = dir.join(EXPECTATIONS);
    let text =
        std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    text.parse::<Table>()
        .map_err(|error| format!("{}: {error}", path.display()))
}

fn string_field<'t>(table: &'t Table, key: &str, context: &str) -> Result<&'t str, String> {
    table
        .get(key)
        .and_then(Value::as_str)
        .ok_or(format!("{context}: missing string {key:?}"))
}

fn patterns(value: Option<&Value>, context: &str) -> Result<Vec<Pattern>, String> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let items = value
        .as_array()
        .ok_or(format!("{context}: expected an array"))?;
    items
        .iter()
        .map(|item| {
            let table = item
                .as_table()
                .ok_or(format!("{context}: a pattern is not a table"))?;
            Ok(Pattern {
                code: string_field(table, "code", context)?.to_owned(),
                message: table
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

/// Certificates and CRLs in the fixture directory without an expectation.
fn unlisted_fixtures(dir: &Path, listed: &BTreeSet<String>) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut unlisted = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| format!("{}: {error}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".pem") && !listed.contains(&name) {
            unlisted.push(name);
        }
    }
    unlisted.sort();
    Ok(unlisted)
}

/// Runs one pkilint linter and returns its findings of severity WARNING and above.
fn lint(bin: &Path, linter: &Table, file: &Path) -> Result<Vec<Finding>, String> {
    let command = string_field(linter, "command", "linter")?;
    let args: Vec<&str> = linter
        .get("args")
        .and_then(Value::as_array)
        .map(|args| args.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let output = Command::new(bin.join(command))
        .args(&args)
        .args(["-s", "WARNING", "-f", "JSON"])
        .arg(file)
        .output()
        .map_err(|error| format!("{command}: {error}"))?;
    // pkilint exits non-zero whenever it reports a finding; its JSON on stdout
    // is the result, and an empty stdout is the real failure.
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|error| {
        format!(
            "{command} {}: no JSON ({error}); stderr: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let mut findings = Vec::new();
    let results = json["results"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    for result in results {
        let descriptions = result["finding_descriptions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for description in descriptions {
            findings.push(Finding {
                severity: description["severity"].as_str().unwrap_or("").to_owned(),
                code: description["code"].as_str().unwrap_or("").to_owned(),
                message: description["message"].as_str().unwrap_or("").to_owned(),
            });
        }
    }
    Ok(findings)
}

/// The venv's `bin/`, with pkilint `version` installed.
fn ensure_pkilint(version: &str) -> Result<PathBuf, String> {
    let venv = workspace_root().join("target/pkilint-venv");
    let bin = venv.join("bin");
    let marker = venv.join(format!(".pkilint-{version}"));
    if marker.exists() {
        return Ok(bin);
    }
    println!(
        "lint-certs: installing pkilint {version} into {}",
        venv.display()
    );
    run_checked(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    )?;
    run_checked(
        Command::new(bin.join("python")).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            &format!("pkilint=={version}"),
        ]),
        "pip install pkilint",
    )?;
    std::fs::write(&marker, version).map_err(|error| format!("{}: {error}", marker.display()))?;
    Ok(bin)
}

fn run_checked(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|error| format!("{what}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what}: exited with {status}"))
    }
}
