//! The plain-text summary printed at the end of a run: one block per
//! (rule, case) — id, case, level, outcome, the deciding evidence on one
//! line, the source sentence — then totals, coverage and the baseline.
//! Stable (no colours, no clock) and cut to a width, so it reads the same in
//! a terminal and a CI log.

use std::fmt::Write as _;

use super::Report;

/// The default width of the summary.
pub const WIDTH: usize = 100;

const INDENT: &str = "            ";

/// Renders the summary, no line longer than `width` characters (at least 60).
#[must_use]
pub fn render(report: &Report, width: usize) -> String {
    let width = width.max(60);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        truncate(
            &format!(
                "psd2-conform: {} (profile {})",
                report.target, report.profile
            ),
            width
        )
    );
    for row in &report.rows {
        let detail = row
            .reason
            .clone()
            .or_else(|| row.messages.first().cloned())
            .unwrap_or_default();
        let evidence = row
            .evidence
            .first()
            .map(|line| format!(" [{line}]"))
            .unwrap_or_default();
        let head = format!(
            "{:<11} {:<18} {:<6} {:<9} {detail}{evidence}",
            row.rule, row.case, row.level, row.outcome
        );
        let _ = writeln!(out, "{}", truncate(&head, width));
        // A skipped row judged nothing: its source would only be noise.
        if let Some(source) = row.source.as_ref().filter(|_| row.outcome != "skip") {
            let text = match &source.quote {
                Some(quote) => format!("{}: \"{quote}\"", source.citation),
                None => source.citation.clone(),
            };
            for line in wrap(&text, width - INDENT.len()) {
                let _ = writeln!(out, "{INDENT}{line}");
            }
        }
    }
    let _ = writeln!(out, "totals: {}", report.totals.summary());
    let percent = report.coverage.judged * 100 / report.coverage.in_profile.max(1);
    let _ = writeln!(
        out,
        "coverage: {} of {} rules judged ({percent}%)",
        report.coverage.judged, report.coverage.in_profile
    );
    for entry in &report.baseline {
        let line = format!(
            "baseline: {} {} {}: {}",
            entry.rule, entry.case, entry.status, entry.reason
        );
        let _ = writeln!(out, "{}", truncate(&line, width));
    }
    for problem in &report.preflight {
        let _ = writeln!(out, "{}", truncate(&format!("preflight: {problem}"), width));
    }
    out
}

/// `text` cut to `width` characters, the last one `…` when cut.
#[must_use]
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Word-wraps `text` to lines of at most `width` characters; a word longer
/// than the width is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word = truncate(word, width);
        let needed = if line.is_empty() {
            0
        } else {
            line.chars().count() + 1
        };
        if needed + word.chars().count() > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_width() {
        let lines = wrap("the quick brown fox jumps over the lazy dog", 10);
        assert_eq!(
            lines,
            vec!["the quick", "brown fox", "jumps over", "the lazy", "dog"]
        );
        assert!(
            wrap("abcdefghijklmnop", 5)
                .iter()
                .all(|l| l.chars().count() <= 5)
        );
    }
}
