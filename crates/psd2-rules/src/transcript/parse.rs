//! The transcript parser: a line-based reader, header block first, then
//! `###` sections of request, `---`, response.

use std::time::Duration;

use psd2_core::{ProfileId, ProfileOverrides};

use super::{Expectation, ExpectedOutcome, Transcript, TranscriptError, TranscriptProblem};
use crate::RuleId;
use crate::exchange::{Exchange, ExchangeLog, HttpRequest, HttpResponse, TransportFailure};
use crate::judge::TargetFacts;

/// A numbered line.
type Line<'a> = (usize, &'a str);

struct Parser<'a> {
    file: &'a str,
    lines: Vec<Line<'a>>,
    position: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, line: usize, problem: TranscriptProblem) -> TranscriptError {
        TranscriptError {
            file: self.file.to_owned(),
            line,
            problem,
        }
    }

    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.position).copied()
    }

    fn next(&mut self) -> Option<Line<'a>> {
        let line = self.peek()?;
        self.position += 1;
        Some(line)
    }

    fn last_line(&self) -> usize {
        self.lines.len().max(1)
    }
}

/// The header block, before any section.
#[derive(Default)]
struct Header {
    rule: Option<(usize, String)>,
    profile: Option<(usize, String)>,
    expect: Option<(usize, String)>,
    sources: Vec<String>,
    notes: Vec<String>,
    facts: TargetFacts,
    /// `key = value` TOML lines with their line numbers.
    overrides: Vec<(usize, String)>,
}

pub(super) fn parse(file: &str, text: &str) -> Result<Transcript, TranscriptError> {
    let lines: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.strip_suffix('\r').unwrap_or(line)))
        .collect();
    let mut parser = Parser {
        file,
        lines,
        position: 0,
    };
    let header = parse_header(&mut parser)?;
    let first_section = parser
        .peek()
        .map_or(parser.last_line(), |(number, _)| number);
    let mut log = ExchangeLog::new();
    while parser.peek().is_some() {
        log.push(parse_section(&mut parser)?);
    }
    if log.is_empty() {
        return Err(parser.error(parser.last_line(), TranscriptProblem::NoSection));
    }
    let require = |value: Option<(usize, String)>, key: &'static str| {
        value.ok_or_else(|| parser.error(first_section, TranscriptProblem::MissingKey(key)))
    };
    let (rule_line, rule_text) = require(header.rule, "rule")?;
    let rule: RuleId = rule_text
        .parse()
        .map_err(|_| parser.error(rule_line, TranscriptProblem::UnknownRule(rule_text.clone())))?;
    let (profile_line, profile_text) = require(header.profile, "profile")?;
    let profile: ProfileId = profile_text.parse().map_err(|_| {
        parser.error(
            profile_line,
            TranscriptProblem::UnknownProfile(profile_text.clone()),
        )
    })?;
    let (expect_line, expect_text) = require(header.expect, "expect")?;
    let expect =
        parse_expect(rule, &expect_text).map_err(|problem| parser.error(expect_line, problem))?;
    if header.sources.is_empty() {
        return Err(parser.error(first_section, TranscriptProblem::MissingKey("source")));
    }
    let overrides = parse_overrides(&parser, &header.overrides)?;
    Ok(Transcript {
        rule,
        profile,
        overrides,
        expect,
        sources: header.sources,
        notes: header.notes,
        facts: header.facts,
        log,
    })
}

fn parse_header(parser: &mut Parser<'_>) -> Result<Header, TranscriptError> {
    let mut header = Header::default();
    while let Some((number, line)) = parser.peek() {
        if line.starts_with("###") {
            break;
        }
        parser.next();
        if line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.strip_prefix('#').and_then(|rest| rest.split_once(':'))
        else {
            return Err(parser.error(number, TranscriptProblem::UnexpectedLine(line.to_owned())));
        };
        let key = key.trim();
        let value = value.trim().to_owned();
        let once = |slot: &mut Option<(usize, String)>, name: &'static str| {
            if slot.is_some() {
                return Err(parser.error(number, TranscriptProblem::DuplicateKey(name)));
            }
            *slot = Some((number, value.clone()));
            Ok(())
        };
        match key {
            "rule" => once(&mut header.rule, "rule")?,
            "profile" => once(&mut header.profile, "profile")?,
            "expect" => once(&mut header.expect, "expect")?,
            "source" => header.sources.push(value),
            "note" => header.notes.push(value),
            "issuer" => {
                if header.facts.issuer.is_some() {
                    return Err(parser.error(number, TranscriptProblem::DuplicateKey("issuer")));
                }
                header.facts.issuer = Some(value);
            }
            "redirect-uri" => header.facts.redirect_uris.push(value),
            "override" => header.overrides.push((number, value)),
            other => {
                return Err(parser.error(number, TranscriptProblem::UnknownKey(other.to_owned())));
            }
        }
    }
    Ok(header)
}

/// The `# override:` lines as one TOML table of profile overrides; each
/// line is checked alone first so that an error names its line.
fn parse_overrides(
    parser: &Parser<'_>,
    lines: &[(usize, String)],
) -> Result<ProfileOverrides, TranscriptError> {
    let mut table = String::new();
    for (number, line) in lines {
        toml::from_str::<ProfileOverrides>(line).map_err(|error| {
            parser.error(
                *number,
                TranscriptProblem::BadOverride(error.message().to_owned()),
            )
        })?;
        table.push_str(line);
        table.push('\n');
    }
    toml::from_str(&table).map_err(|error| {
        let line = lines.first().map_or(0, |(number, _)| *number);
        parser.error(
            line,
            TranscriptProblem::BadOverride(error.message().to_owned()),
        )
    })
}

fn parse_expect(rule: RuleId, text: &str) -> Result<Vec<Expectation>, TranscriptProblem> {
    text.split_ascii_whitespace()
        .map(|item| {
            let (case, outcome) = item
                .split_once('=')
                .ok_or_else(|| TranscriptProblem::BadExpectation(item.to_owned()))?;
            let outcome = ExpectedOutcome::ALL
                .into_iter()
                .find(|candidate| candidate.name() == outcome)
                .ok_or_else(|| TranscriptProblem::BadExpectation(item.to_owned()))?;
            let case = rule
                .cases()
                .iter()
                .find(|known| **known == case)
                .ok_or_else(|| TranscriptProblem::UnknownCase {
                    rule: rule.to_string(),
                    case: case.to_owned(),
                })?;
            Ok(Expectation { case, outcome })
        })
        .collect()
}

/// `### label [cert=NAME] [at=Ns]`, the request, `---`, the response.
fn parse_section(parser: &mut Parser<'_>) -> Result<Exchange, TranscriptError> {
    let Some((number, line)) = parser.next() else {
        return Err(parser.error(parser.last_line(), TranscriptProblem::NoSection));
    };
    let Some(title) = line.strip_prefix("###") else {
        return Err(parser.error(number, TranscriptProblem::UnexpectedLine(line.to_owned())));
    };
    let mut words = title.split_ascii_whitespace();
    let label = words
        .next()
        .ok_or_else(|| parser.error(number, TranscriptProblem::MissingLabel))?
        .to_owned();
    let mut certificate = None;
    let mut sent_at = None;
    for attribute in words {
        let bad = || {
            parser.error(
                number,
                TranscriptProblem::BadSectionAttribute(attribute.to_owned()),
            )
        };
        match attribute.split_once('=') {
            Some(("cert", name)) if !name.is_empty() => certificate = Some(name.to_owned()),
            Some(("at", seconds)) => {
                let seconds: u64 = seconds
                    .strip_suffix('s')
                    .and_then(|digits| digits.parse().ok())
                    .ok_or_else(bad)?;
                sent_at = Some(Duration::from_secs(seconds));
            }
            _ => return Err(bad()),
        }
    }
    let mut request = parse_request(parser, &label)?;
    request.client_certificate = certificate;
    let Some((separator_line, separator)) = parser.next() else {
        return Err(parser.error(
            parser.last_line(),
            TranscriptProblem::MissingResponse(label),
        ));
    };
    let mut exchange = match separator.strip_prefix("--- transport:") {
        Some(failure) => {
            let failure = parse_transport(failure.trim()).ok_or_else(|| {
                parser.error(
                    separator_line,
                    TranscriptProblem::BadTransport(failure.trim().to_owned()),
                )
            })?;
            skip_blank_until_section(parser)?;
            Exchange::new(label, request, failure)
        }
        None => {
            let response = parse_response(parser)?;
            Exchange::new(label, request, response)
        }
    };
    exchange.sent_at = sent_at;
    Ok(exchange)
}

/// The request: request line, headers, blank line, body up to `---`. Stops
/// before the `---` line.
fn parse_request(parser: &mut Parser<'_>, label: &str) -> Result<HttpRequest, TranscriptError> {
    // Blank lines between the title and the request line are allowed.
    while parser
        .peek()
        .is_some_and(|(_, line)| line.trim().is_empty())
    {
        parser.next();
    }
    let Some((number, line)) = parser.next() else {
        return Err(parser.error(
            parser.last_line(),
            TranscriptProblem::MissingResponse(label.to_owned()),
        ));
    };
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, "HTTP/1.1"] = parts.as_slice() else {
        return Err(parser.error(number, TranscriptProblem::BadRequestLine(line.to_owned())));
    };
    if method.is_empty() || target.is_empty() {
        return Err(parser.error(number, TranscriptProblem::BadRequestLine(line.to_owned())));
    }
    let headers = parse_headers(parser, is_separator)?;
    let url = if target.starts_with("http://") || target.starts_with("https://") {
        (*target).to_owned()
    } else if target.starts_with('/') {
        let host = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("host"))
            .map(|(_, value)| value.clone())
            .ok_or_else(|| parser.error(number, TranscriptProblem::MissingHost))?;
        format!("https://{host}{target}")
    } else {
        return Err(parser.error(number, TranscriptProblem::BadRequestLine(line.to_owned())));
    };
    let body = parse_body(parser, is_separator);
    if parser.peek().is_none() {
        return Err(parser.error(
            parser.last_line(),
            TranscriptProblem::MissingResponse(label.to_owned()),
        ));
    }
    Ok(HttpRequest {
        method: (*method).to_owned(),
        url,
        headers,
        body,
        client_certificate: None,
    })
}

fn is_separator(line: &str) -> bool {
    line == "---" || line.starts_with("--- transport:")
}

fn is_section(line: &str) -> bool {
    line.starts_with("###")
}

/// Header lines up to a blank line (consumed) or a line that ends the part
/// (not consumed).
fn parse_headers(
    parser: &mut Parser<'_>,
    ends: fn(&str) -> bool,
) -> Result<Vec<(String, String)>, TranscriptError> {
    let mut headers = Vec::new();
    while let Some((number, line)) = parser.peek() {
        if ends(line) {
            break;
        }
        parser.next();
        if line.trim().is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(parser.error(number, TranscriptProblem::BadHeaderLine(line.to_owned())));
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(parser.error(number, TranscriptProblem::BadHeaderLine(line.to_owned())));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    Ok(headers)
}

/// Body lines up to a line that ends the part (not consumed), trailing
/// blank lines dropped.
fn parse_body(parser: &mut Parser<'_>, ends: fn(&str) -> bool) -> Vec<u8> {
    let mut lines: Vec<&str> = Vec::new();
    while let Some((_, line)) = parser.peek() {
        if ends(line) {
            break;
        }
        parser.next();
        lines.push(line);
    }
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n").into_bytes()
}

fn parse_response(parser: &mut Parser<'_>) -> Result<HttpResponse, TranscriptError> {
    let Some((number, line)) = parser.next() else {
        return Err(parser.error(
            parser.last_line(),
            TranscriptProblem::BadStatusLine(String::new()),
        ));
    };
    let mut parts = line.splitn(3, ' ');
    let status = match (parts.next(), parts.next()) {
        (Some("HTTP/1.1"), Some(code)) if code.len() == 3 => code.parse::<u16>().ok(),
        _ => None,
    };
    let status = status
        .filter(|status| (100..600).contains(status))
        .ok_or_else(|| parser.error(number, TranscriptProblem::BadStatusLine(line.to_owned())))?;
    let headers = parse_headers(parser, is_section)?;
    let body = parse_body(parser, is_section);
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn skip_blank_until_section(parser: &mut Parser<'_>) -> Result<(), TranscriptError> {
    while let Some((number, line)) = parser.peek() {
        if is_section(line) {
            break;
        }
        if !line.trim().is_empty() {
            return Err(parser.error(number, TranscriptProblem::UnexpectedLine(line.to_owned())));
        }
        parser.next();
    }
    Ok(())
}

fn parse_transport(text: &str) -> Option<TransportFailure> {
    let (kind, detail) = match text.split_once(' ') {
        Some((kind, detail)) => (kind, detail.trim()),
        None => (text, ""),
    };
    let reason = || (!detail.is_empty()).then(|| detail.to_owned());
    Some(match kind {
        "connection-refused" if detail.is_empty() => TransportFailure::ConnectionRefused,
        "connection-reset" if detail.is_empty() => TransportFailure::ConnectionReset,
        "timeout" if detail.is_empty() => TransportFailure::Timeout,
        "tls-alert" => TransportFailure::TlsAlert {
            description: reason()?,
        },
        "too-large" => TransportFailure::TooLarge {
            limit: detail.parse().ok()?,
        },
        "invalid-server-certificate" => {
            TransportFailure::InvalidServerCertificate { reason: reason()? }
        }
        "other" => TransportFailure::Other { reason: reason()? },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "# rule: CORE-AC-01\n# profile: generic\n# expect: no-token=pass error-format=pass\n# source: RFC 6749 §4.1.2\n\n";

    fn parse_text(text: &str) -> Result<Transcript, TranscriptError> {
        parse("t.http", text)
    }

    #[test]
    fn a_journey_and_a_transport_failure() {
        let text = format!(
            "{HEADER}### authorize-grant\nGET https://as.example/authorize?state=a HTTP/1.1\n---\nHTTP/1.1 302 Found\nLocation: /login\n\n### authorize-grant\nGET /login HTTP/1.1\nHost: as.example\n\n---\nHTTP/1.1 200 OK\nContent-Type: text/html\n\n<html>\n\n<p>x</p>\n\n\n### code-exchange cert=tpp-a at=3s\nPOST /token HTTP/1.1\nHost: as.example\n\ngrant_type=authorization_code&code=c\n--- transport: tls-alert certificate_required\n\n"
        );
        let transcript = parse_text(&text).unwrap();
        assert_eq!(transcript.log.journey("authorize-grant").len(), 2);
        let login = &transcript.log.journey("authorize-grant")[1];
        assert_eq!(login.request.url, "https://as.example/login");
        assert_eq!(login.response().unwrap().body, b"<html>\n\n<p>x</p>");
        let token = transcript.log.first("code-exchange").unwrap();
        assert_eq!(token.request.client_certificate.as_deref(), Some("tpp-a"));
        assert_eq!(token.sent_at, Some(Duration::from_secs(3)));
        assert_eq!(token.request.body, b"grant_type=authorization_code&code=c");
        assert_eq!(
            token.failure(),
            Some(&TransportFailure::TlsAlert {
                description: "certificate_required".to_owned()
            })
        );
    }

    #[test]
    fn errors_name_the_line() {
        let cases: [(&str, usize, TranscriptProblem); 8] = [
            (
                "# rule: CORE-XX-01\n# profile: generic\n# expect: main=pass\n# source: s\n### a\nGET https://a.example/ HTTP/1.1\n---\nHTTP/1.1 200 OK\n",
                1,
                TranscriptProblem::UnknownRule("CORE-XX-01".to_owned()),
            ),
            (
                "# rule: CORE-AC-01\n# profile: generic\n# expect: nope=pass\n# source: s\n### a\nGET https://a.example/ HTTP/1.1\n---\nHTTP/1.1 200 OK\n",
                3,
                TranscriptProblem::UnknownCase {
                    rule: "CORE-AC-01".to_owned(),
                    case: "nope".to_owned(),
                },
            ),
            (
                "# rule: CORE-AC-01\n# profile: generic\n# expect: no-token=maybe\n# source: s\n### a\nGET https://a.example/ HTTP/1.1\n---\nHTTP/1.1 200 OK\n",
                3,
                TranscriptProblem::BadExpectation("no-token=maybe".to_owned()),
            ),
            (
                &format!("{HEADER}### a\nGET /x HTTP/1.1\n---\nHTTP/1.1 200 OK\n"),
                7,
                TranscriptProblem::MissingHost,
            ),
            (
                &format!("{HEADER}### a\nGET https://a.example/ HTTP/1.0\n---\nHTTP/1.1 200 OK\n"),
                7,
                TranscriptProblem::BadRequestLine("GET https://a.example/ HTTP/1.0".to_owned()),
            ),
            (
                &format!(
                    "{HEADER}### a\nGET https://a.example/ HTTP/1.1\nbroken header\n---\nHTTP/1.1 200 OK\n"
                ),
                8,
                TranscriptProblem::BadHeaderLine("broken header".to_owned()),
            ),
            (
                &format!(
                    "{HEADER}### a\nGET https://a.example/ HTTP/1.1\n--- transport: eaten-by-a-grue\n"
                ),
                8,
                TranscriptProblem::BadTransport("eaten-by-a-grue".to_owned()),
            ),
            (
                &format!("{HEADER}### a\nGET https://a.example/ HTTP/1.1\n---\nHTTP/1.1 2000 OK\n"),
                9,
                TranscriptProblem::BadStatusLine("HTTP/1.1 2000 OK".to_owned()),
            ),
        ];
        for (text, line, problem) in cases {
            let error = parse_text(text).unwrap_err();
            assert_eq!((error.line, &error.problem), (line, &problem), "{text}");
            assert!(error.to_string().starts_with(&format!("t.http:{line}: ")));
        }
    }

    #[test]
    fn structural_errors() {
        assert_eq!(
            parse_text(HEADER).unwrap_err().problem,
            TranscriptProblem::NoSection
        );
        let missing = parse_text(&format!(
            "{HEADER}### a\nGET https://a.example/ HTTP/1.1\nHost: a\n"
        ))
        .unwrap_err();
        assert_eq!(
            missing.problem,
            TranscriptProblem::MissingResponse("a".to_owned())
        );
        let no_source = "# rule: CORE-AC-01\n# profile: generic\n# expect: no-token=pass\n### a\nGET https://a.example/ HTTP/1.1\n---\nHTTP/1.1 200 OK\n";
        assert_eq!(
            parse_text(no_source).unwrap_err().problem,
            TranscriptProblem::MissingKey("source")
        );
        let stray = format!("{HEADER}stray\n");
        assert!(matches!(
            parse_text(&stray).unwrap_err().problem,
            TranscriptProblem::UnexpectedLine(_)
        ));
        let twice = "# rule: CORE-AC-01\n# rule: CORE-AC-01\n";
        assert_eq!(
            parse_text(twice).unwrap_err().problem,
            TranscriptProblem::DuplicateKey("rule")
        );
        let attribute = format!(
            "{HEADER}### a when=now\nGET https://a.example/ HTTP/1.1\n---\nHTTP/1.1 200 OK\n"
        );
        assert!(matches!(
            parse_text(&attribute).unwrap_err().problem,
            TranscriptProblem::BadSectionAttribute(_)
        ));
    }

    #[test]
    fn arbitrary_text_never_panics() {
        for text in [
            "",
            "###",
            "### a\n",
            "### a\nGET",
            "#:\n### a b=c",
            "---\n###\n---",
            "\r\n\r\n### x\r\nGET / HTTP/1.1\r\n---\r\n",
        ] {
            let _ = parse_text(text);
        }
    }
}
