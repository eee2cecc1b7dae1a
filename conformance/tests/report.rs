//! Reports: rows from findings, redaction, exit verdicts, snapshots of the
//! terminal and JSON renderings, and JUnit read back by an independent
//! reader (quick-junit's deserializer).
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "report/support.rs"]
mod support;

use psd2_conformance::report::{
    ExitPolicy, RunVerdict, SCHEMA_VERSION, junit, progress_line, terminal,
};
use psd2_rules::{Evidence, Outcome, RuleId};
use quick_junit::{NonSuccessKind, TestCaseStatus};

use support::{finding, report, sample_findings};

const SECRETS: [&str; 2] = ["tGzv3JOkF0XG5Qx2TlKWIA", "2YotnFZFEjr1zCsicMWpAA"];

#[test]
fn rows_carry_level_outcome_evidence_and_source() {
    let report = report(sample_findings());
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    let row = report
        .rows
        .iter()
        .find(|row| row.rule == "CORE-CC-03")
        .unwrap();
    assert_eq!(row.level, "MUST");
    assert_eq!(row.outcome, "fail");
    assert_eq!(
        row.messages,
        vec!["a token was issued to a client not allowed client_credentials"]
    );
    assert!(
        row.source
            .as_ref()
            .unwrap()
            .citation
            .starts_with("RFC 6749")
    );
    let error = report
        .rows
        .iter()
        .find(|row| row.rule == "CORE-AC-06" && row.case == "no-token")
        .unwrap();
    assert_eq!(error.outcome, "error");
    assert_eq!(error.reason.as_deref(), Some("connection reset"));
    // Skipped cases come from the plan: this target has no PSU.
    let skipped = report
        .rows
        .iter()
        .find(|row| row.rule == "CORE-AC-01" && row.case == "no-token")
        .unwrap();
    assert_eq!(skipped.outcome, "skip");
    assert_eq!(skipped.reason.as_deref(), Some("needs psu"));
    assert_eq!(report.totals.fail, 1);
    assert_eq!(report.totals.warn, 1);
    assert_eq!(report.totals.error, 1);
    assert_eq!(report.coverage.judged, 4);
    assert_eq!(report.coverage.in_profile, 5);
}

#[test]
fn the_worst_finding_leads_the_row() {
    let report = report(vec![
        finding(
            RuleId::CoreMd01,
            "main",
            Outcome::Pass,
            "first seen",
            Evidence::new().field("a", "1"),
        ),
        finding(
            RuleId::CoreMd01,
            "main",
            Outcome::Fail,
            "then broken",
            Evidence::new().field("b", "2"),
        ),
    ]);
    let row = report
        .rows
        .iter()
        .find(|row| row.rule == "CORE-MD-01")
        .unwrap();
    assert_eq!(row.outcome, "fail");
    assert_eq!(row.messages, vec!["then broken", "first seen"]);
    assert_eq!(row.evidence, vec!["b = 2", "a = 1"]);
}

#[test]
fn secrets_never_reach_a_report() {
    let report = report(sample_findings());
    let renderings = [
        terminal::render(&report, terminal::WIDTH),
        report.to_json(),
        junit::render(&report),
        format!("{report:?}"),
    ];
    for rendering in renderings {
        for secret in SECRETS {
            assert!(!rendering.contains(secret), "{secret} leaked:\n{rendering}");
        }
    }
    let row = report
        .rows
        .iter()
        .find(|row| row.rule == "CORE-CC-03")
        .unwrap();
    assert!(
        row.evidence
            .contains(&"refresh_token = [REDACTED]".to_owned()),
        "{:?}",
        row.evidence
    );
}

#[test]
fn exit_verdicts() {
    let failing = report(sample_findings());
    assert_eq!(failing.verdict(ExitPolicy::DEFAULT), RunVerdict::Failed);
    assert_eq!(RunVerdict::Failed.code(), 1);

    let passing = report(vec![finding(
        RuleId::CoreMd01,
        "main",
        Outcome::Pass,
        "ok",
        Evidence::new(),
    )]);
    assert_eq!(passing.verdict(ExitPolicy::DEFAULT), RunVerdict::Passed);
    assert_eq!(RunVerdict::Passed.code(), 0);

    let mut preflight = passing.clone();
    preflight
        .preflight
        .push("discovery: connection refused".to_owned());
    assert_eq!(preflight.verdict(ExitPolicy::DEFAULT), RunVerdict::Broken);
    assert_eq!(RunVerdict::Broken.code(), 2);

    let error = |rule| {
        finding(
            rule,
            "main",
            Outcome::Error {
                reason: "timeout".to_owned(),
            },
            "x",
            Evidence::new(),
        )
    };
    let broken = report(vec![
        error(RuleId::CoreCc01),
        error(RuleId::CoreCc02),
        finding(
            RuleId::CoreMd03,
            "main",
            Outcome::Pass,
            "ok",
            Evidence::new(),
        ),
    ]);
    assert_eq!(broken.verdict(ExitPolicy::DEFAULT), RunVerdict::Broken);
    let tolerant = ExitPolicy {
        max_error_share: 0.9,
    };
    assert_eq!(broken.verdict(tolerant), RunVerdict::Passed);
}

#[test]
fn junit_reads_back_with_an_independent_reader() {
    let report = report(sample_findings());
    let xml = junit::render(&report);
    let parsed = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit");
    assert_eq!(parsed.test_suites.len(), 1);
    let suite = &parsed.test_suites[0];
    assert_eq!(suite.name.as_str(), "generic");
    assert_eq!(suite.test_cases.len(), report.rows.len());
    let failures = suite
        .test_cases
        .iter()
        .filter(|case| {
            matches!(
                case.status,
                TestCaseStatus::NonSuccess {
                    kind: NonSuccessKind::Failure,
                    ..
                }
            )
        })
        .count();
    let errors = suite
        .test_cases
        .iter()
        .filter(|case| {
            matches!(
                case.status,
                TestCaseStatus::NonSuccess {
                    kind: NonSuccessKind::Error,
                    ..
                }
            )
        })
        .count();
    let skipped = suite
        .test_cases
        .iter()
        .filter(|case| matches!(case.status, TestCaseStatus::Skipped { .. }))
        .count();
    assert_eq!(failures, report.totals.fail);
    assert_eq!(errors, report.totals.error);
    assert_eq!(skipped, report.totals.skip);
    let failed = suite
        .test_cases
        .iter()
        .find(|case| case.name.as_str() == "CORE-CC-03 main")
        .unwrap();
    match &failed.status {
        TestCaseStatus::NonSuccess { message, ty, .. } => {
            assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("MUST"));
            assert_eq!(
                message.as_ref().map(|m| m.as_str()),
                Some("a token was issued to a client not allowed client_credentials")
            );
        }
        other => panic!("{other:?}"),
    }
    // Markup in messages survives the round trip.
    let info = suite
        .test_cases
        .iter()
        .find(|case| case.name.as_str() == "CORE-AC-06 error-format")
        .unwrap();
    let out = info.system_out.as_ref().unwrap();
    assert!(
        out.as_str().contains("status 401 & error <invalid_client>"),
        "{}",
        out.as_str()
    );
}

#[test]
fn junit_counts_a_stale_baseline_entry_as_a_failure() {
    let mut report = report(vec![finding(
        RuleId::CoreMd01,
        "main",
        Outcome::Pass,
        "ok",
        Evidence::new(),
    )]);
    let baseline = psd2_conformance::baseline::Baseline::parse(
        std::path::Path::new("b.toml"),
        "[[entry]]\nrule = \"CORE-MD-01\"\nreason = \"old\"\n",
    )
    .unwrap();
    report.apply_baseline(&baseline, time::macros::date!(2026 - 01 - 01));
    let parsed = quick_junit::Report::deserialize_from_str(&junit::render(&report)).unwrap();
    assert_eq!(parsed.test_suites[0].failures, 1);
}

#[test]
fn the_terminal_summary_fits_its_width() {
    let report = report(sample_findings());
    let text = terminal::render(&report, 80);
    assert!(
        text.lines().all(|line| line.chars().count() <= 80),
        "{text}"
    );
    assert!(text.contains("coverage: 4 of "), "{text}");
    assert!(progress_line(1, 2, "metadata", &report.totals, 80).starts_with("[1/2] metadata"));
}

#[test]
fn terminal_snapshot() {
    let report = report(sample_findings());
    insta::assert_snapshot!(terminal::render(&report, terminal::WIDTH));
}

#[test]
fn json_snapshot() {
    let report = report(sample_findings());
    let value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    insta::assert_snapshot!(report.to_json());
}
