//! Renders `docs/rules.md`: counts per proof kind, one table per section,
//! then every rule with its cases and quoted sources, then the retired ids.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{CATALOGUE_PATH, GENERATED_HEADER};
use crate::Catalogue;
use crate::Level;
use crate::catalogue::{Case, Need, ProfileCode, Proof, ProofKind, Rule, Section, Side, Strength};

/// The contents of `docs/rules.md` for `catalogue`.
#[must_use]
pub fn render_rules_md(catalogue: &Catalogue) -> String {
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(out, "# PSD2 OAuth2 rule catalogue\n");
    let _ = writeln!(
        out,
        "<!-- {GENERATED_HEADER} Source: {CATALOGUE_PATH} -->\n"
    );
    render_summary(&mut out, catalogue);
    for (number, section) in Section::ALL.into_iter().enumerate() {
        let rules: Vec<&Rule> = catalogue
            .rules()
            .iter()
            .filter(|rule| rule.section == section)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {}. {}\n", number + 1, section.title());
        render_table(&mut out, &rules);
        for rule in rules {
            render_rule(&mut out, rule);
        }
    }
    render_retired(&mut out, catalogue);
    out
}

fn render_summary(out: &mut String, catalogue: &Catalogue) {
    let rules = catalogue.rules();
    let count = |side: Side| rules.iter().filter(|rule| rule.side == side).count();
    let _ = writeln!(
        out,
        "{} rules ({} server, {} client) and {} retired id(s).\n",
        rules.len(),
        count(Side::Server),
        count(Side::Client),
        catalogue.retired().len()
    );
    out.push_str("| proof | rules | server | client |\n|---|---|---|---|\n");
    for kind in ProofKind::ALL {
        let of_kind = |side: Side| {
            rules
                .iter()
                .filter(|rule| rule.proof.kind() == kind && rule.side == side)
                .count()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            kind.as_str(),
            of_kind(Side::Server) + of_kind(Side::Client),
            of_kind(Side::Server),
            of_kind(Side::Client)
        );
    }
    let pending = rules
        .iter()
        .filter(|rule| rule.proof.kind() == ProofKind::Pending)
        .count();
    let _ = writeln!(
        out,
        "\nPending: {pending} rule(s) still wait for their proof.\n"
    );
    out.push_str(
        "Legend. Level: the RFC 2119 keyword of the source; `*` marks a level inferred from \
         portal wording; `(+SHOULD)` lists the other levels of the rule's cases; `STET: MUST` \
         is a per-profile override. Profiles: ALL, GEN (generic bank), STET, EI \
         (Euro-Information), CP (ConnectPay), DCR (any profile exposing RFC 7591/7592 \
         registration); `CP: deviation` marks a documented profile deviation. Proof: \
         `pending` until the rule's slice lands, `fault + transcript` once a sandbox fault and \
         golden transcripts prove the rule can fail, `unobservable` while the harness cannot \
         see the behaviour.\n\n",
    );
}

fn render_table(out: &mut String, rules: &[&Rule]) {
    out.push_str("| id | title | side | level | profiles | source | proof |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for rule in rules {
        let _ = writeln!(
            out,
            "| [{id}](#{anchor}) | {title} | {side} | {level} | {profiles} | {source} | {proof} |",
            id = rule.id,
            anchor = rule.id.to_ascii_lowercase(),
            title = cell(&rule.title),
            side = rule.side.as_str(),
            level = cell(&rule_level(rule)),
            profiles = cell(&profiles(rule)),
            source = cell(&citations(rule)),
            proof = cell(&proof_short(&rule.proof)),
        );
    }
    out.push('\n');
}

fn render_rule(out: &mut String, rule: &Rule) {
    let _ = writeln!(out, "### {}\n", rule.id);
    let _ = writeln!(out, "**{}.** {}\n", rule.title, rule.check);
    let _ = writeln!(
        out,
        "- Side: {}. Level: {}. Profiles: {}.",
        rule.side.as_str(),
        rule_level(rule),
        profiles(rule)
    );
    let _ = writeln!(out, "- Needs: {}.", needs(&rule.needs));
    let _ = writeln!(out, "- Proof: {}.", proof_long(&rule.proof));
    for (code, reason) in &rule.deviations {
        let _ = writeln!(out, "- Deviation on {code}: {reason}.");
    }
    if let Some(note) = &rule.note {
        let _ = writeln!(out, "- Note: {note}");
    }
    out.push_str("- Cases:\n");
    for case in &rule.cases {
        let extra: Vec<Need> = case
            .needs
            .iter()
            .filter(|need| !rule.needs.contains(need))
            .copied()
            .collect();
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" Also needs {}.", needs(&extra))
        };
        let _ = writeln!(
            out,
            "  - `{}` ({}): {}{}",
            case.name,
            case_level(case),
            case.check,
            extra
        );
    }
    out.push_str("- Sources:\n");
    for source in &rule.sources {
        let mut line = format!("  - {}", source.citation());
        if let Some(quote) = &source.quote {
            let _ = write!(line, ": \"{quote}\"");
        }
        if let Some(note) = &source.note {
            let _ = write!(line, " ({note})");
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

fn render_retired(out: &mut String, catalogue: &Catalogue) {
    out.push_str("## Retired ids\n\nA retired id is never reused.\n\n");
    out.push_str("| id | title | folded into | reason |\n|---|---|---|---|\n");
    for retired in catalogue.retired() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            retired.id,
            cell(&retired.title),
            retired.folded_into.as_deref().unwrap_or("–"),
            cell(&retired.reason)
        );
    }
}

/// Escapes a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Marks an inferred level; escaped so that Markdown never reads it as emphasis.
fn star(strength: Strength) -> &'static str {
    match strength {
        Strength::Inferred => "\\*",
        Strength::Normative => "",
    }
}

/// `STET, EI: MUST` for each level that some profile overrides to.
fn overrides_text<'a>(
    overrides: impl Iterator<Item = (&'a ProfileCode, &'a Level)>,
) -> Vec<String> {
    let mut by_level: BTreeMap<std::cmp::Reverse<Level>, Vec<&str>> = BTreeMap::new();
    for (code, level) in overrides {
        let codes = by_level.entry(std::cmp::Reverse(*level)).or_default();
        if !codes.contains(&code.as_str()) {
            codes.push(code.as_str());
        }
    }
    by_level
        .into_iter()
        .map(|(level, codes)| format!("{}: {}", codes.join(", "), level.0))
        .collect()
}

fn rule_level(rule: &Rule) -> String {
    let mut text = format!("{}{}", rule.level, star(rule.strength));
    let mut others: Vec<Level> = rule
        .cases
        .iter()
        .map(|case| case.level)
        .filter(|level| *level != rule.level)
        .collect();
    others.sort_by(|a, b| b.cmp(a));
    others.dedup();
    let mut extras: Vec<String> = Vec::new();
    if !others.is_empty() {
        let others: Vec<String> = others.iter().map(|level| format!("+{level}")).collect();
        extras.push(others.join(", "));
    }
    extras.extend(overrides_text(
        rule.cases.iter().flat_map(|case| case.overrides.iter()),
    ));
    if !extras.is_empty() {
        let _ = write!(text, " ({})", extras.join("; "));
    }
    text
}

fn case_level(case: &Case) -> String {
    let mut text = format!("{}{}", case.level, star(case.strength));
    let overrides = overrides_text(case.overrides.iter());
    if !overrides.is_empty() {
        let _ = write!(text, "; {}", overrides.join("; "));
    }
    text
}

fn profiles(rule: &Rule) -> String {
    let mut text = rule.applicability.to_string();
    let deviations: Vec<String> = rule
        .deviations
        .keys()
        .map(|code| format!("{code}: deviation"))
        .collect();
    if !deviations.is_empty() {
        let _ = write!(text, " ({})", deviations.join(", "));
    }
    text
}

/// The sources of a rule, numbered sections of one document grouped:
/// `RFC 6749 §3.1, §4.1.2; seed 2 (...), step 3`.
fn citations(rule: &Rule) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for source in &rule.sources {
        let numbered = source
            .section
            .as_deref()
            .filter(|section| section.starts_with(|c: char| c.is_ascii_digit()));
        let (key, part) = match numbered {
            Some(section) => (source.doc.clone(), Some(format!("§{section}"))),
            None => (source.citation(), None),
        };
        match groups.iter_mut().find(|(doc, _)| *doc == key) {
            Some((_, parts)) => {
                if let Some(part) = part
                    && !parts.contains(&part)
                {
                    parts.push(part);
                }
            }
            None => groups.push((key, part.into_iter().collect())),
        }
    }
    groups
        .into_iter()
        .map(|(doc, parts)| {
            if parts.is_empty() {
                doc
            } else {
                format!("{doc} {}", parts.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn needs(needs: &[Need]) -> String {
    if needs.is_empty() {
        return "none".to_owned();
    }
    needs
        .iter()
        .map(|need| format!("`{need}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn proof_short(proof: &Proof) -> String {
    match proof {
        Proof::Pending => "pending".to_owned(),
        Proof::Unobservable { .. } => "unobservable".to_owned(),
        Proof::Proven { faults, transcript } => proven(faults, transcript.as_deref()),
    }
}

fn proof_long(proof: &Proof) -> String {
    match proof {
        Proof::Unobservable { reason } => format!("unobservable ({reason})"),
        other => proof_short(other),
    }
}

fn proven(faults: &[String], transcript: Option<&str>) -> String {
    let mut parts = Vec::new();
    if !faults.is_empty() {
        let names: Vec<String> = faults.iter().map(|fault| format!("`{fault}`")).collect();
        let noun = if faults.len() == 1 { "fault" } else { "faults" };
        parts.push(format!("{noun} {}", names.join(" ")));
    }
    if let Some(transcript) = transcript {
        parts.push(format!("transcript `{transcript}`"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn levels_show_cases_and_overrides() {
        let catalogue = Catalogue::builtin().unwrap();
        let rule = |id: &str| catalogue.rule_by_id(id).unwrap();
        assert_eq!(rule_level(rule("CORE-AC-01")), "MUST (+SHOULD)");
        assert_eq!(rule_level(rule("STET-RT-02")), "SHOULD\\* (EI: MUST)");
        assert_eq!(
            rule_level(rule("CORE-TL-03")),
            "MUST (+MAY; EI, STET: MUST)"
        );
        assert_eq!(profiles(rule("CORE-CB-03")), "ALL except CP");
        assert_eq!(profiles(rule("SEC-AZ-01")), "ALL (CP: deviation)");
        assert_eq!(rule_level(rule("CP-AZ-01")), "MUST\\* (+SHOULD, +MAY)");
        assert_eq!(
            citations(rule("CORE-AZ-03")),
            "RFC 6749 §3.1.1, §3.1, §4.1.2.1, §11.4"
        );
    }
}
