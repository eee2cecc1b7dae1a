#![allow(dead_code)]
//! Shared by the report and baseline tests: a report built from a plan of
//! the sandbox target and hand-made findings.

use std::path::Path;
use std::time::Duration;

use psd2_conformance::report::{Report, ReportInput};
use psd2_conformance::scenario::{self, Plan, Selection};
use psd2_conformance::target::Target;
use psd2_rules::{Catalogue, Evidence, Finding, Outcome, RuleId};

pub fn finding(
    rule: RuleId,
    case: &'static str,
    outcome: Outcome,
    message: &str,
    evidence: Evidence,
) -> Finding {
    Finding {
        rule,
        case,
        outcome,
        message: message.to_owned(),
        evidence,
    }
}

/// Scenarios of this test's own, so that the snapshots do not follow
/// the fixture scenarios.
const METADATA: &str = "description = \"metadata\"\nrules = [\"CORE-MD-01\", \"CORE-MD-02\"]\n\
    [[step]]\nkind = \"metadata\"\nlabel = \"metadata\"\n";
const TOKEN: &str = "description = \"token\"\nrules = [\"CORE-AC-06\", \"CORE-CC-03\"]\n\
    [[step]]\nkind = \"token\"\nlabel = \"token-no-grant-type\"\nomit = [\"grant_type\"]\n\
    [[step]]\nkind = \"client_credentials\"\nlabel = \"client-credentials-restricted-client\"\nclient = \"grant_restricted\"\n";
const CODE: &str = "description = \"code\"\nrules = [\"CORE-AC-01\"]\n\
    [[step]]\nkind = \"authorize\"\nlabel = \"authorize-grant\"\n\
    [[step]]\nkind = \"consent\"\nlabel = \"authorize-grant\"\ncapture = { code = \"code\" }\n\
    [[step]]\nkind = \"token\"\nlabel = \"code-replay\"\nparams = { code = \"${code}\" }\n";

/// The sandbox target without a PSU (so the report has skip rows), five
/// rules selected (so the report does not grow with the catalogue).
pub fn plan() -> Plan {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let path = root.join("targets/sandbox-generic.toml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let start = text.find("[psu]").expect("psu table");
    let end = text.find("[capabilities]").expect("capabilities table");
    let text = format!("{}{}", &text[..start], &text[end..]);
    let target = Target::parse(&path, &text, &|_| None).expect("target");
    let scenarios = vec![
        scenario::parse(Path::new("metadata.toml"), METADATA).expect("metadata scenario"),
        scenario::parse(Path::new("code.toml"), CODE).expect("code scenario"),
        scenario::parse(Path::new("token.toml"), TOKEN).expect("token scenario"),
    ];
    let catalogue = Catalogue::builtin().expect("catalogue");
    let selection = Selection {
        rules: vec![
            RuleId::CoreAc01,
            RuleId::CoreAc06,
            RuleId::CoreCc03,
            RuleId::CoreMd01,
            RuleId::CoreMd02,
        ],
        scenarios: Vec::new(),
    };
    Plan::build(&target, &scenarios, catalogue, &selection).expect("plan")
}

pub fn report(findings: Vec<Finding>) -> Report {
    let catalogue = Catalogue::builtin().expect("catalogue");
    let plan = plan();
    let mut input = ReportInput::new("reference sandbox (generic)", catalogue, &plan);
    input.findings = findings;
    input.duration = Duration::from_millis(1234);
    Report::build(input)
}

/// Findings covering every outcome but deviation, and a leaked secret.
pub fn sample_findings() -> Vec<Finding> {
    vec![
        finding(
            RuleId::CoreMd01,
            "main",
            Outcome::Pass,
            "metadata is published",
            Evidence::new().field("status", "200"),
        ),
        finding(
            RuleId::CoreMd02,
            "issuer",
            Outcome::Warn,
            "issuer differs from the configured issuer",
            Evidence::new().field("issuer", "https://127.0.0.1:8443/"),
        ),
        finding(
            RuleId::CoreCc03,
            "main",
            Outcome::Fail,
            "a token was issued to a client not allowed client_credentials",
            Evidence::new()
                .field("refresh_token", "tGzv3JOkF0XG5Qx2TlKWIA")
                .note("response body {\"access_token\": \"2YotnFZFEjr1zCsicMWpAA\"}"),
        ),
        finding(
            RuleId::CoreAc06,
            "no-token",
            Outcome::Error {
                reason: "connection reset".to_owned(),
            },
            "could not judge",
            Evidence::new(),
        ),
        finding(
            RuleId::CoreAc06,
            "error-format",
            Outcome::Info,
            "status 401 & error <invalid_client>",
            Evidence::new().field("status", "401"),
        ),
    ]
}
