//! The transcript parser never panics: arbitrary arrangements of
//! transcript-like lines either parse or give an error naming a line of the
//! input.

use proptest::prelude::*;
use psd2_rules::transcript::Transcript;

const LINES: &[&str] = &[
    "# rule: CORE-AC-01",
    "# profile: generic",
    "# expect: no-token=pass",
    "# source: RFC 6749",
    "# override: default_scope = \"a\"",
    "# redirect-uri: https://c.example/cb",
    "### code-exchange",
    "### code-replay cert=tpp-a at=3s",
    "### x at=s",
    "POST /token HTTP/1.1",
    "GET https://as.example/a?b=c HTTP/1.1",
    "Host: as.example",
    "Content-Type: application/json",
    "grant_type=authorization_code&code=c",
    "---",
    "--- transport: tls-alert certificate_required",
    "--- transport: too-large x",
    "HTTP/1.1 200 OK",
    "HTTP/1.1 99 Nope",
    "{\"access_token\":\"a\"}",
    "",
    "#",
    ":",
    "\u{feff}é",
];

proptest! {
    #[test]
    fn parsing_never_panics(picks in proptest::collection::vec(0..LINES.len(), 0..40)) {
        let text: Vec<&str> = picks.iter().map(|index| LINES[*index]).collect();
        let text = text.join("\n");
        if let Err(error) = Transcript::parse("fuzz.http", &text) {
            let lines = text.lines().count().max(1);
            prop_assert!(error.line >= 1 && error.line <= lines, "{error} for {text:?}");
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = Transcript::parse("fuzz.http", &text);
    }
}
