//! The `inspect` example's output contract: one JSON object per line per
//! certificate, with exactly the documented keys.

// Test helpers outside #[test] functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use support::fixture_path;

/// `cargo test` builds the examples next to the test binaries' `deps/` directory.
fn inspect_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = profile_dir.join("examples").join("inspect");
    assert!(
        binary.exists(),
        "{} not built; run `cargo test -p psd2-eidas`",
        binary.display()
    );
    binary
}

fn run(files: &[PathBuf]) -> (bool, Vec<Value>) {
    let output = Command::new(inspect_binary()).args(files).output().unwrap();
    let lines = String::from_utf8(output.stdout).unwrap();
    let values = lines
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (output.status.success(), values)
}

const KEYS: [&str; 11] = [
    "eku",
    "findings",
    "nca_id",
    "nca_name",
    "org_id",
    "org_id_parsed",
    "qc_compliance",
    "qc_sscd",
    "qc_types",
    "roles",
    "sha256_fingerprint",
];

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn prints_exactly_the_documented_keys() {
    let (ok, values) = run(&[
        fixture_path("tpp-a-all-roles.pem"),
        fixture_path("tpp-a-qsealc.pem"),
        fixture_path("server.pem"),
    ]);
    assert!(ok);
    assert_eq!(values.len(), 3);
    for value in &values {
        assert_eq!(keys(value), KEYS);
    }
    let tpp_a = &values[0];
    assert_eq!(
        tpp_a["roles"],
        serde_json::json!(["PSP_AS", "PSP_PI", "PSP_AI", "PSP_IC"])
    );
    assert_eq!(tpp_a["nca_id"], "FR-ACPR");
    assert_eq!(tpp_a["org_id"], "PSDFR-ACPR-12345");
    assert_eq!(
        tpp_a["org_id_parsed"],
        serde_json::json!({"country": "FR", "nca": "ACPR", "authorisation_number": "12345"})
    );
    assert_eq!(tpp_a["qc_types"], serde_json::json!(["web"]));
    assert_eq!(tpp_a["qc_compliance"], true);
    assert_eq!(tpp_a["qc_sscd"], false);
    assert_eq!(
        tpp_a["eku"],
        serde_json::json!(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"])
    );
    assert_eq!(tpp_a["findings"], serde_json::json!([]));
    let fingerprint = tpp_a["sha256_fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 64);
    assert!(
        fingerprint
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
    );

    assert_eq!(values[1]["qc_types"], serde_json::json!(["eseal"]));
    assert_eq!(values[1]["qc_sscd"], true);
    let server = &values[2];
    assert_eq!(server["org_id_parsed"], Value::Null);
    assert_eq!(server["nca_name"], Value::Null);
    let codes: Vec<&str> = server["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            let mut finding_keys: Vec<&str> = finding
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            finding_keys.sort_unstable();
            assert_eq!(finding_keys, ["code", "message", "severity"]);
            finding["code"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        codes,
        ["organization-identifier-missing", "psd2-statement-missing"]
    );
}

#[test]
fn fatal_errors_print_error_only() {
    let (ok, values) = run(&[
        fixture_path("malformed-flattened-roles.pem"),
        fixture_path("tpp-a-psp-ai.pem"),
    ]);
    assert!(!ok);
    assert_eq!(keys(&values[0]), ["error"]);
    assert!(
        values[0]["error"]
            .as_str()
            .unwrap()
            .contains("qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP")
    );
    assert_eq!(values[1]["roles"], serde_json::json!(["PSP_AI"]));
}
