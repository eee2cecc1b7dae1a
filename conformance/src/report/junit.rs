//! JUnit XML for CI pipelines: one `<testsuite>` per profile (a run has
//! one), one `<testcase>` per (rule, case). `fail` is a `<failure>`, `error`
//! an `<error>`, `skip` a `<skipped>`; `pass`, `warn`, `info` and
//! `deviation` pass, with the outcome and evidence in `<system-out>` so that
//! the pipeline fails exactly when the exit code does (a baseline's stale
//! entries get a failing testcase of their own).

use std::fmt::Write as _;

use super::{Report, ReportRow};

/// Renders the report as JUnit XML.
#[must_use]
pub fn render(report: &Report) -> String {
    let stale: Vec<_> = report
        .baseline
        .iter()
        .filter(|entry| entry.status == "stale")
        .collect();
    let tests = report.rows.len() + stale.len();
    let failures = report.totals.fail + stale.len();
    let seconds = report.timing.duration_ms as f64 / 1000.0;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"psd2-conform\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{}\" time=\"{seconds:.3}\">",
        report.totals.error, report.totals.skip
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{}\" time=\"{seconds:.3}\">",
        escape(&report.profile),
        report.totals.error,
        report.totals.skip
    );
    let _ = writeln!(out, "    <properties>");
    let _ = writeln!(
        out,
        "      <property name=\"target\" value=\"{}\"/>",
        escape(&report.target)
    );
    let _ = writeln!(
        out,
        "      <property name=\"schema_version\" value=\"{}\"/>",
        report.schema_version
    );
    let _ = writeln!(out, "    </properties>");
    for row in &report.rows {
        testcase(&mut out, &report.profile, row);
    }
    for entry in stale {
        let _ = writeln!(
            out,
            "    <testcase name=\"baseline {} {}\" classname=\"{}.baseline\">",
            escape(&entry.rule),
            escape(&entry.case),
            escape(&report.profile)
        );
        let _ = writeln!(
            out,
            "      <failure type=\"stale-baseline\" message=\"the case now passes: remove the baseline entry\">{}</failure>",
            escape_text(&entry.reason)
        );
        let _ = writeln!(out, "    </testcase>");
    }
    let _ = writeln!(out, "  </testsuite>");
    let _ = writeln!(out, "</testsuites>");
    out
}

fn testcase(out: &mut String, profile: &str, row: &ReportRow) {
    let _ = writeln!(
        out,
        "    <testcase name=\"{} {}\" classname=\"{}.{}\">",
        escape(&row.rule),
        escape(&row.case),
        escape(profile),
        escape(&row.rule)
    );
    let message = row
        .reason
        .clone()
        .or_else(|| row.messages.first().cloned())
        .unwrap_or_default();
    let mut body = row.messages.join("\n");
    for line in &row.evidence {
        body.push('\n');
        body.push_str(line);
    }
    if let Some(source) = &row.source {
        body.push('\n');
        body.push_str(&source.citation);
        if let Some(quote) = &source.quote {
            let _ = write!(body, ": \"{quote}\"");
        }
    }
    match row.outcome.as_str() {
        "fail" => {
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                escape(&row.level),
                escape(&message),
                escape_text(&body)
            );
        }
        "error" => {
            let _ = writeln!(
                out,
                "      <error type=\"error\" message=\"{}\">{}</error>",
                escape(&message),
                escape_text(&body)
            );
        }
        "skip" => {
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(&message));
        }
        outcome => {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape_text(&format!("{outcome} ({}): {body}", row.level))
            );
        }
    }
    let _ = writeln!(out, "    </testcase>");
}

/// Escapes text for an XML attribute: line breaks and tabs become spaces
/// (readers differ on character references), markup is escaped, and
/// characters XML 1.0 cannot carry (most C0 controls) become U+FFFD.
#[must_use]
pub fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// Escapes text for element content: as [`escape`], but line breaks and
/// tabs are kept.
#[must_use]
pub fn escape_text(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' if attribute => out.push(' '),
            '\n' | '\t' => out.push(c),
            '\r' => {}
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
