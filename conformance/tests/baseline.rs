//! The baseline: parsing errors name the key and the file; applied entries
//! turn failures into deviations; passing cases make entries stale; skipped
//! cases do not; expired entries no longer apply.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "report/support.rs"]
mod support;

use std::path::Path;

use psd2_conformance::baseline::{Baseline, EntryStatus};
use psd2_conformance::report::{ExitPolicy, RunVerdict};
use psd2_rules::{Evidence, Outcome, RuleId};
use time::macros::date;

use support::{finding, report, sample_findings};

fn parse(text: &str) -> Baseline {
    Baseline::parse(Path::new("baseline.toml"), text).unwrap()
}

fn error_of(text: &str) -> String {
    Baseline::parse(Path::new("baseline.toml"), text)
        .expect_err("the baseline must be rejected")
        .to_string()
}

#[test]
fn entries_parse_with_optional_case_and_expiry() {
    let baseline = parse(
        "[[entry]]\nrule = \"CORE-CC-02\"\nreason = \"ticket 1\"\nexpires = 2026-06-30\n\
         [[entry]]\nrule = \"CORE-AC-06\"\ncase = \"error-format\"\nreason = \"ticket 2\"\n",
    );
    assert_eq!(baseline.entries.len(), 2);
    assert_eq!(baseline.entries[0].case, "main");
    assert_eq!(baseline.entries[0].expires, Some(date!(2026 - 06 - 30)));
    assert_eq!(baseline.entries[1].expires, None);
}

#[test]
fn errors_name_the_key_and_the_file() {
    let cases = [
        (
            "[[entry]]\nrule = \"CORE-ZZ-01\"\nreason = \"r\"\n",
            "entry[0].rule",
        ),
        (
            "[[entry]]\nrule = \"CORE-AC-06\"\nreason = \"r\"\n",
            "entry[0].case",
        ),
        (
            "[[entry]]\nrule = \"CORE-AC-06\"\ncase = \"nope\"\nreason = \"r\"\n",
            "entry[0].case",
        ),
        (
            "[[entry]]\nrule = \"CORE-CC-02\"\nreason = \" \"\n",
            "entry[0].reason",
        ),
        (
            "[[entry]]\nrule = \"CORE-CC-02\"\nreason = \"r\"\nexpires = 2026-06-30T10:00:00Z\n",
            "entry[0].expires",
        ),
        (
            "[[entry]]\nrule = \"CORE-CC-02\"\nreason = \"r\"\n[[entry]]\nrule = \"CORE-CC-02\"\nreason = \"s\"\n",
            "entry[1].rule",
        ),
        (
            "[[entry]]\nrule = \"CORE-CC-02\"\nreason = \"r\"\nwhy = \"x\"\n",
            "why",
        ),
    ];
    for (text, key) in cases {
        let message = error_of(text);
        assert!(message.contains(key), "{key}: {message}");
        assert!(message.contains("baseline.toml"), "{message}");
    }
}

#[test]
fn apply_classifies_each_entry() {
    let baseline = parse(
        "[[entry]]\nrule = \"CORE-CC-02\"\nreason = \"failing\"\n\
         [[entry]]\nrule = \"CORE-MD-01\"\nreason = \"now passes\"\n\
         [[entry]]\nrule = \"CORE-AC-01\"\ncase = \"no-token\"\nreason = \"skipped\"\n\
         [[entry]]\nrule = \"CORE-MD-02\"\ncase = \"issuer\"\nreason = \"expired\"\nexpires = 2025-12-31\n\
         [[entry]]\nrule = \"CORE-AC-06\"\ncase = \"no-token\"\nreason = \"not run\"\n",
    );
    let outcome_of = |rule: RuleId, _case: &str| match rule {
        RuleId::CoreCc02 => Some(Outcome::Fail),
        RuleId::CoreMd01 => Some(Outcome::Pass),
        RuleId::CoreAc01 => Some(Outcome::Skip {
            need: psd2_rules::Need::Psu,
        }),
        RuleId::CoreMd02 => Some(Outcome::Warn),
        _ => None,
    };
    let statuses: Vec<EntryStatus> = baseline
        .apply(date!(2026 - 01 - 15), &outcome_of)
        .into_iter()
        .map(|applied| applied.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            EntryStatus::Applied,
            EntryStatus::Stale,
            EntryStatus::Unchanged,
            EntryStatus::Expired,
            EntryStatus::NotRun,
        ]
    );
    // The day of expiry itself still applies.
    let on_the_day = baseline.apply(date!(2025 - 12 - 31), &outcome_of);
    assert_eq!(on_the_day[3].status, EntryStatus::Applied);
}

#[test]
fn a_baselined_failure_does_not_fail_the_run() {
    let mut report = report(sample_findings());
    assert_eq!(report.verdict(ExitPolicy::DEFAULT), RunVerdict::Failed);
    report.apply_baseline(
        &parse("[[entry]]\nrule = \"CORE-CC-03\"\nreason = \"fixed in release 42\"\n"),
        date!(2026 - 01 - 15),
    );
    let row = report
        .rows
        .iter()
        .find(|row| row.rule == "CORE-CC-03")
        .unwrap();
    assert_eq!(row.outcome, "deviation");
    assert_eq!(
        row.reason.as_deref(),
        Some("baseline (fail): fixed in release 42")
    );
    assert_eq!(report.totals.fail, 0);
    assert_eq!(report.totals.deviation, 1);
    assert_eq!(report.verdict(ExitPolicy::DEFAULT), RunVerdict::Passed);
}

#[test]
fn a_stale_entry_fails_the_run_and_a_skipped_one_does_not() {
    let findings = vec![finding(
        RuleId::CoreMd01,
        "main",
        Outcome::Pass,
        "published",
        Evidence::new(),
    )];
    let mut stale = report(findings.clone());
    stale.apply_baseline(
        &parse("[[entry]]\nrule = \"CORE-MD-01\"\nreason = \"was missing\"\n"),
        date!(2026 - 01 - 15),
    );
    assert_eq!(stale.baseline[0].status, "stale");
    assert_eq!(stale.verdict(ExitPolicy::DEFAULT), RunVerdict::Failed);

    let mut skipped = report(findings);
    // CORE-AC-01 is skipped: this target has no PSU.
    skipped.apply_baseline(
        &parse("[[entry]]\nrule = \"CORE-AC-01\"\ncase = \"no-token\"\nreason = \"r\"\n"),
        date!(2026 - 01 - 15),
    );
    assert_eq!(skipped.baseline[0].status, "unchanged");
    assert_eq!(skipped.verdict(ExitPolicy::DEFAULT), RunVerdict::Passed);
}

#[test]
fn an_expired_entry_no_longer_applies() {
    let mut report = report(sample_findings());
    report.apply_baseline(
        &parse("[[entry]]\nrule = \"CORE-CC-03\"\nreason = \"r\"\nexpires = 2025-12-31\n"),
        date!(2026 - 01 - 01),
    );
    assert_eq!(report.baseline[0].status, "expired");
    assert_eq!(report.verdict(ExitPolicy::DEFAULT), RunVerdict::Failed);
}
