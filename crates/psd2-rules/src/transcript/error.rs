//! Transcript parse errors: which file, which line, what was wrong.

/// A transcript that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {problem}")]
pub struct TranscriptError {
    /// The file name given to the parser.
    pub file: String,
    /// The 1-based line where the problem is (the last line for problems
    /// of the whole file).
    pub line: usize,
    /// What is wrong.
    pub problem: TranscriptProblem,
}

/// What is wrong with a transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TranscriptProblem {
    /// An `# expect:` item is not `case=outcome`, or names an unknown outcome.
    #[error("expect: {0:?} is not case=pass|fail|warn|info|error|deviation|skip")]
    BadExpectation(String),
    /// A header line is not `Name: value`.
    #[error("header: expected `Name: value`, found {0:?}")]
    BadHeaderLine(String),
    /// An `# override:` line is not a TOML `key = value` of the profile
    /// overrides.
    #[error("override: {0}")]
    BadOverride(String),
    /// A request line is not `METHOD target HTTP/1.1`.
    #[error("request line: expected `METHOD target HTTP/1.1`, found {0:?}")]
    BadRequestLine(String),
    /// A `### label` line carries an attribute other than `cert=` or `at=`.
    #[error("section attribute: {0:?} is not cert=NAME or at=SECONDSs")]
    BadSectionAttribute(String),
    /// A response status line is not `HTTP/1.1 NNN reason`.
    #[error("status line: expected `HTTP/1.1 NNN reason`, found {0:?}")]
    BadStatusLine(String),
    /// A `--- transport:` line names no known failure.
    #[error(
        "transport: {0:?} is not tls-alert DESCRIPTION, connection-refused, connection-reset, timeout, too-large BYTES, invalid-server-certificate REASON or other REASON"
    )]
    BadTransport(String),
    /// A header key was given twice.
    #[error("header block: {0} given twice")]
    DuplicateKey(&'static str),
    /// An origin-form request target without a `Host` header.
    #[error("request: an origin-form target needs a Host header")]
    MissingHost,
    /// A required header key is missing.
    #[error("header block: no `# {0}:` line")]
    MissingKey(&'static str),
    /// A `### ` line without a label.
    #[error("section: `###` without a label")]
    MissingLabel,
    /// A request without `---` and a response.
    #[error("section {0}: no `---` line and response after the request")]
    MissingResponse(String),
    /// The file has no `###` section.
    #[error("no `### label` section")]
    NoSection,
    /// Text that belongs nowhere (outside the header block and sections).
    #[error("unexpected line {0:?}")]
    UnexpectedLine(String),
    /// An `# expect:` case is not a case of the rule.
    #[error("expect: {rule} has no case {case:?}")]
    UnknownCase {
        /// The rule.
        rule: String,
        /// The case named.
        case: String,
    },
    /// A header key the format does not define.
    #[error("header block: unknown key {0:?}")]
    UnknownKey(String),
    /// A profile name that is not one of the profiles.
    #[error("profile: {0:?} is not one of connectpay, euro-information, generic, stet")]
    UnknownProfile(String),
    /// A rule id that is not in the catalogue.
    #[error("rule: {0:?} is not a rule id")]
    UnknownRule(String),
}
