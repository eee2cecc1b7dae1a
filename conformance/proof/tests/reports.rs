//! `psd2_conformance::run` inside `cargo test`, as a bank would call it:
//! the report it returns renders as JSON and JUnit that parse, and no
//! secret of the target reaches either.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use psd2_conformance_proof::{generic_scenarios, sandbox_target};
use psd2_core::ProfileId;
use psd2_sandbox::{Sandbox, SandboxConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_renders_as_json_and_junit_without_secrets() {
    let sandbox = Sandbox::start(SandboxConfig::fixtures(ProfileId::Generic).unwrap())
        .await
        .unwrap();
    let target = sandbox_target(sandbox.issuer()).unwrap();
    let scenarios = generic_scenarios().unwrap();
    let report = psd2_conformance::run(&target, &scenarios).await;
    sandbox.shutdown().await;

    let json = report.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema_version"], 1);
    let rows = value["rows"].as_array().unwrap();
    assert_eq!(rows.len(), report.rows.len());
    assert!(rows.iter().any(|row| row["outcome"] == "pass"));
    assert_eq!(
        value["plan"]["scenarios"].as_array().unwrap().len(),
        scenarios.len()
    );

    let xml = psd2_conformance::report::junit::render(&report);
    let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let cases: usize = parsed
        .test_suites
        .iter()
        .map(|suite| suite.test_cases.len())
        .sum();
    assert_eq!(cases, report.rows.len());

    // The PSU's password and the secret client's secret are sent during the
    // run; neither may appear in a report.
    for secret in ["sandbox-alice-password", "sandbox-secret-7d41c0"] {
        assert!(!json.contains(secret), "{secret} in the JSON report");
        assert!(!xml.contains(secret), "{secret} in the JUnit report");
    }
}
