//! Golden transcripts: every file under `fixtures/transcripts/<RULE-ID>/`
//! is parsed, judged by `judge_exchanges` without any server, and its
//! aggregated outcome per case compared with its `# expect:` line. An
//! unexpected pass fails as much as an unexpected failure, and so does a
//! case the judge produced that `expect` does not list, or the reverse.
//!
//! The same run checks what every finding looks like: messages lower-case
//! without a final period, and no secret of the transcript (code, token,
//! client secret, cookie) quoted in a message or in evidence.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use psd2_core::ProfileId;
use psd2_rules::exchange::{Exchange, is_secret_header, is_secret_parameter};
use psd2_rules::judge::{has_exchange_judge, judge_exchanges};
use psd2_rules::transcript::{ExpectedOutcome, Transcript};
use psd2_rules::{
    Catalogue, Finding, JudgeContext, Level, Outcome, ProfileCode, ProofKind, RuleId, Side,
    aggregate,
};
use psd2_wire::Form;

type TestResult<T> = Result<T, Box<dyn std::error::Error>>;

fn transcripts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/transcripts")
}

/// Every transcript file, as (rule directory, path).
fn transcript_files() -> TestResult<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(transcripts_dir())? {
        let dir = entry?.path();
        if !dir.is_dir() {
            continue;
        }
        let rule = dir
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or("a directory name that is not UTF-8")?
            .to_owned();
        for file in fs::read_dir(&dir)? {
            let path = file?.path();
            if path.extension().is_some_and(|ext| ext == "http") {
                files.push((rule.clone(), path));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn display(path: &Path) -> String {
    path.strip_prefix(transcripts_dir())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Loads and parses every transcript.
fn load_all() -> TestResult<Vec<(String, String, Transcript)>> {
    let mut transcripts = Vec::new();
    for (dir, path) in transcript_files()? {
        let name = display(&path);
        let text = fs::read_to_string(&path)?;
        let transcript = Transcript::parse(&name, &text)?;
        transcripts.push((dir, name, transcript));
    }
    Ok(transcripts)
}

fn judge(transcript: &Transcript) -> TestResult<Vec<Finding>> {
    let catalogue = Catalogue::builtin()?;
    let profile = transcript.profile_data()?;
    let ctx = JudgeContext::with_facts(catalogue, &profile, &transcript.facts);
    Ok(judge_exchanges(transcript.rule, &transcript.log, &ctx))
}

/// Differences between the judged and the expected outcome per case.
fn compare(transcript: &Transcript, findings: &[Finding]) -> Vec<String> {
    let verdicts: BTreeMap<&str, Outcome> = aggregate(findings.iter().cloned())
        .into_iter()
        .map(|verdict| (verdict.case, verdict.outcome))
        .collect();
    let mut problems = Vec::new();
    for expectation in &transcript.expect {
        match verdicts.get(expectation.case) {
            None => problems.push(format!(
                "{}: expected {}, the judge produced nothing",
                expectation.case,
                expectation.outcome.name()
            )),
            Some(outcome) if !expectation.outcome.matches(outcome) => {
                let messages: Vec<&str> = findings
                    .iter()
                    .filter(|f| f.case == expectation.case)
                    .map(|f| f.message.as_str())
                    .collect();
                problems.push(format!(
                    "{}: expected {}, judged {outcome} ({})",
                    expectation.case,
                    expectation.outcome.name(),
                    messages.join("; ")
                ));
            }
            Some(_) => {}
        }
    }
    for (case, outcome) in &verdicts {
        if !transcript.expect.iter().any(|e| e.case == *case) {
            problems.push(format!("{case}: judged {outcome}, not in expect"));
        }
    }
    problems
}

#[test]
fn every_transcript_is_judged_as_expected() -> TestResult<()> {
    let transcripts = load_all()?;
    assert!(!transcripts.is_empty(), "no transcript found");
    let mut failures = Vec::new();
    for (dir, name, transcript) in &transcripts {
        if transcript.rule.as_str() != dir {
            failures.push(format!(
                "{name}: rule {} in the directory of {dir}",
                transcript.rule
            ));
            continue;
        }
        if transcript.expect.is_empty() {
            failures.push(format!("{name}: empty expect"));
            continue;
        }
        let findings = judge(transcript)?;
        for problem in compare(transcript, &findings) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} transcripts judged otherwise than expected:\n{}",
        failures.len(),
        transcripts.len(),
        failures.join("\n")
    );
    Ok(())
}

/// The secret values a transcript carries: credential parameters of
/// queries, form bodies and JSON bodies, credential headers.
fn secrets_of(exchange: &Exchange) -> Vec<String> {
    let mut secrets = Vec::new();
    let from_form = |form: Form, secrets: &mut Vec<String>| {
        for (name, value) in form.iter() {
            if is_secret_parameter(name) {
                secrets.push(value.to_owned());
            }
        }
    };
    if let Ok(form) = exchange.request.query_form() {
        from_form(form, &mut secrets);
    }
    if let Ok(form) = exchange.request.body_form() {
        from_form(form, &mut secrets);
    }
    for (name, value) in &exchange.request.headers {
        if is_secret_header(name) {
            secrets.extend(value.split_ascii_whitespace().skip(1).map(str::to_owned));
        }
    }
    if let Some(response) = exchange.response() {
        if let Ok(serde_json::Value::Object(map)) =
            serde_json::from_slice::<serde_json::Value>(&response.body)
        {
            for (name, value) in map {
                if is_secret_parameter(&name)
                    && let Some(text) = value.as_str()
                {
                    secrets.push(text.to_owned());
                }
            }
        }
        for (name, value) in &response.headers {
            if is_secret_header(name) {
                secrets.push(value.clone());
            }
            if name.eq_ignore_ascii_case("location") {
                let query = value.split_once('?').map_or("", |(_, q)| q);
                let query = query.split('#').next().unwrap_or_default();
                if let Ok(form) = Form::decode(query.as_bytes()) {
                    from_form(form, &mut secrets);
                }
            }
        }
    }
    // Short values (`x`, `1`) would match anything.
    secrets.retain(|secret| secret.len() >= 8);
    secrets
}

#[test]
fn findings_follow_the_message_convention_and_quote_no_secret() -> TestResult<()> {
    let mut failures = Vec::new();
    let mut outcomes = BTreeSet::new();
    for (_, name, transcript) in load_all()? {
        let secrets: Vec<String> = transcript
            .log
            .exchanges()
            .iter()
            .flat_map(secrets_of)
            .collect();
        for finding in judge(&transcript)? {
            outcomes.insert(finding.outcome.name());
            let message = &finding.message;
            if message.chars().next().is_none_or(char::is_uppercase) || message.ends_with('.') {
                failures.push(format!(
                    "{name}: {}/{}: {message:?}",
                    finding.rule, finding.case
                ));
            }
            if !finding.rule.cases().contains(&finding.case) {
                failures.push(format!(
                    "{name}: {} has no case {}",
                    finding.rule, finding.case
                ));
            }
            let shown = format!("{message} {:?}", finding.evidence);
            for secret in &secrets {
                if shown.contains(secret.as_str()) {
                    failures.push(format!(
                        "{name}: {}/{} quotes a secret of {} characters",
                        finding.rule,
                        finding.case,
                        secret.len()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for outcome in ["pass", "fail", "warn", "info"] {
        assert!(
            outcomes.contains(outcome),
            "no {outcome} among the findings"
        );
    }
    Ok(())
}

/// The generic-profile server rules the exchange judges must cover: side
/// server, applicable to the generic profile, observable, not registration.
fn generic_server_rules() -> TestResult<Vec<RuleId>> {
    let catalogue = Catalogue::builtin()?;
    Ok(RuleId::ALL
        .into_iter()
        .filter(|id| {
            catalogue.rule(*id).is_some_and(|rule| {
                rule.side == Side::Server
                    && catalogue.applies(*id, ProfileId::Generic)
                    && rule.proof.kind() != ProofKind::Unobservable
                    && !rule.applicability.profiles.contains(&ProfileCode::Dcr)
            })
        })
        .collect())
}

#[test]
fn every_generic_server_rule_has_a_judge_and_both_transcripts() -> TestResult<()> {
    let transcripts = load_all()?;
    let mut gaps = Vec::new();
    let rules = generic_server_rules()?;
    assert!(
        rules.len() > 40,
        "found the generic server rules: {rules:?}"
    );
    for rule in rules {
        if !has_exchange_judge(rule) {
            gaps.push(format!("{rule}: no exchange judge"));
        }
        let mine: Vec<&Transcript> = transcripts
            .iter()
            .filter(|(_, _, transcript)| transcript.rule == rule)
            .map(|(_, _, transcript)| transcript)
            .collect();
        if !mine.iter().any(|t| t.is_compliant()) {
            gaps.push(format!("{rule}: no compliant transcript"));
        }
        if !mine.iter().any(|t| t.is_violating()) {
            gaps.push(format!("{rule}: no violating transcript"));
        }
    }
    assert!(gaps.is_empty(), "gaps:\n{}", gaps.join("\n"));
    Ok(())
}

#[test]
fn every_case_of_a_judged_rule_is_shown_violated() -> TestResult<()> {
    // A case no transcript shows violated is a case nobody has seen fail:
    // its judge might emit nothing but passes. A MAY case is "violated"
    // when it is reported as info.
    let catalogue = Catalogue::builtin()?;
    let transcripts = load_all()?;
    let mut never = Vec::new();
    for rule in generic_server_rules()? {
        for case in rule.cases() {
            let may = catalogue.level(rule, ProfileId::Generic, case) == Some(Level::May);
            let shown = transcripts.iter().any(|(_, _, transcript)| {
                transcript.rule == rule
                    && transcript.expect.iter().any(|expectation| {
                        expectation.case == *case
                            && (expectation.outcome.is_violation()
                                || (may && expectation.outcome == ExpectedOutcome::Info))
                    })
            });
            if !shown {
                never.push(format!("{rule}/{case}"));
            }
        }
    }
    assert!(
        never.is_empty(),
        "cases no transcript shows violated:\n{}",
        never.join("\n")
    );
    Ok(())
}

#[test]
fn judges_md_documents_every_label_and_judged_rule() -> TestResult<()> {
    let text = fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("JUDGES.md"))?;
    let mut missing: Vec<String> = psd2_rules::exchange::labels::ALL
        .iter()
        .filter(|label| !text.contains(&format!("`{label}")))
        .map(|label| format!("label {label}"))
        .collect();
    missing.extend(
        RuleId::ALL
            .into_iter()
            .filter(|rule| has_exchange_judge(*rule) && !text.contains(rule.as_str()))
            .map(|rule| format!("rule {rule}")),
    );
    assert!(
        missing.is_empty(),
        "JUDGES.md lacks:\n{}",
        missing.join("\n")
    );
    Ok(())
}
