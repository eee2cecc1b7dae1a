//! Loading and validating scenario files. Every problem of a file is
//! reported, each naming the step, not only the first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use psd2_rules::RuleId;
use psd2_rules::exchange::labels;

use super::file::{self, ScenarioFile, StepEntry};
use super::value::is_builtin;
use super::{
    CaptureField, CertificateChoice, ClockAdvance, ConsentAction, ConsentDecision, CustomerChoice,
    ProfileLifetime, RedirectChoice, ResourceCall, ResourceService, Scenario, Step, StepKind,
    ValueTemplate,
};
use crate::target::ClientRole;

/// Labels of cleanup steps start with this, so that no judge ever reads them.
pub const CLEANUP_PREFIX: &str = "cleanup-";
/// Labels of `advance_clock` steps start with this (no judge reads them).
pub const CLOCK_PREFIX: &str = "clock-";

/// A scenario file or directory that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// A file or the directory could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text does not fit the schema (the message names the key).
    #[error("{file}: {message}")]
    Schema {
        /// The scenario file.
        file: PathBuf,
        /// The TOML decoder's message.
        message: String,
    },
    /// The file fits the schema but breaks the rules of scenarios.
    #[error("{file}: {}", join(problems))]
    Invalid {
        /// The scenario file.
        file: PathBuf,
        /// Every problem found.
        problems: Vec<ScenarioProblem>,
    },
}

fn join(problems: &[ScenarioProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// One problem of a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScenarioProblem {
    /// Where: `rules[2]`, `step[3].label`, `cleanup[0].kind`.
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Loads every `*.toml` of `dir`, sorted by name.
///
/// # Errors
/// The first file that cannot be read or is invalid.
pub fn load_dir(dir: &Path) -> Result<Vec<Scenario>, ScenarioError> {
    let read_error = |source| ScenarioError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut scenarios = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| ScenarioError::Read {
            path: path.clone(),
            source,
        })?;
        scenarios.push(parse(&path, &text)?);
    }
    Ok(scenarios)
}

/// Parses and validates one scenario; its name is the file stem.
///
/// # Errors
/// [`ScenarioError::Schema`] or [`ScenarioError::Invalid`] naming the file.
pub fn parse(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    let raw: ScenarioFile = toml::from_str(text).map_err(|error| ScenarioError::Schema {
        file: path.to_path_buf(),
        message: error.to_string().trim_end().replace('\n', " | "),
    })?;
    let mut checker = Checker::default();
    let name = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rules = checker.rules(&raw.rules);
    let steps: Vec<Step> = raw
        .step
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| checker.step(&format!("step[{index}]"), entry, false))
        .collect();
    let cleanup: Vec<Step> = raw
        .cleanup
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| checker.step(&format!("cleanup[{index}]"), entry, true))
        .collect();
    if raw.step.is_empty() {
        checker.problem("step", "the scenario has no step");
    }
    if !checker.problems.is_empty() {
        return Err(ScenarioError::Invalid {
            file: path.to_path_buf(),
            problems: checker.problems,
        });
    }
    Ok(Scenario {
        name,
        file: path.to_path_buf(),
        description: raw.description,
        rules,
        requires: raw.requires,
        exclusive: raw.exclusive,
        steps,
        cleanup,
    })
}

#[derive(Default)]
struct Checker {
    problems: Vec<ScenarioProblem>,
    /// Labels of request steps seen so far.
    labels: BTreeSet<String>,
    /// Labels of authorize steps: a consent step continues one of them.
    journeys: BTreeSet<String>,
    /// Captured variable names and the step that defined them.
    defined: BTreeMap<String, String>,
}

impl Checker {
    fn problem(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.problems.push(ScenarioProblem {
            at: at.into(),
            message: message.into(),
        });
    }

    fn rules(&mut self, raw: &[String]) -> Vec<RuleId> {
        if raw.is_empty() {
            self.problem("rules", "the scenario feeds no rule");
        }
        let mut rules = Vec::with_capacity(raw.len());
        for (index, text) in raw.iter().enumerate() {
            match text.parse::<RuleId>() {
                Ok(rule) if rules.contains(&rule) => {
                    self.problem(format!("rules[{index}]"), format!("{text} is listed twice"));
                }
                Ok(rule) => rules.push(rule),
                Err(_) => self.problem(
                    format!("rules[{index}]"),
                    format!("unknown rule id {text:?}"),
                ),
            }
        }
        rules
    }

    fn step(&mut self, at: &str, raw: &StepEntry, cleanup: bool) -> Option<Step> {
        let Some(kind) = StepKind::from_name(&raw.kind) else {
            let known: Vec<&str> = StepKind::ALL.iter().map(|kind| kind.as_str()).collect();
            self.problem(
                format!("{at}.kind"),
                format!(
                    "unknown step kind {:?}; expected one of {}",
                    raw.kind,
                    known.join(", ")
                ),
            );
            return None;
        };
        self.label(at, kind, &raw.label, cleanup);
        self.applicability(at, kind, raw);
        let step = Step {
            kind,
            label: raw.label.clone(),
            client: raw.client.unwrap_or(ClientRole::Main),
            certificate: match raw.certificate.as_deref() {
                None => CertificateChoice::Client,
                Some("none") => CertificateChoice::None,
                Some(name) => CertificateChoice::Named(name.to_owned()),
            },
            redirect_uri: match raw.redirect_uri.as_deref() {
                None | Some("registered") => RedirectChoice::Registered,
                Some("query") => RedirectChoice::WithQuery,
                Some(literal) => RedirectChoice::Literal(literal.to_owned()),
            },
            params: raw
                .params
                .iter()
                .map(|(name, value)| (name.clone(), ValueTemplate::new(value.clone())))
                .collect(),
            omit: raw.omit.clone(),
            repeat: raw.repeat.clone(),
            concurrent: raw.concurrent.unwrap_or(1),
            captures: BTreeMap::new(),
            pkce: raw.pkce.unwrap_or(false),
            consent: (kind == StepKind::Consent).then_some(ConsentAction {
                decision: match raw.decision {
                    Some(file::Decision::Deny) => ConsentDecision::Deny,
                    Some(file::Decision::Partial) => ConsentDecision::Partial,
                    Some(file::Decision::Grant) | None => ConsentDecision::Grant,
                },
                customer: match raw.customer {
                    Some(file::Customer::Other) => CustomerChoice::Other,
                    Some(file::Customer::Main) | None => CustomerChoice::Main,
                },
            }),
            resource: None,
            body: None,
            clock: None,
            cleartext: raw.cleartext,
            optional: raw.optional,
        };
        let step = Step {
            resource: self.resource(at, kind, raw),
            body: self.body(at, raw),
            clock: self.clock(at, kind, raw),
            ..step
        };
        if step.concurrent == 0 {
            self.problem(format!("{at}.concurrent"), "must be at least 1");
        }
        for name in step.references() {
            if let Some(service) = name.strip_prefix("scope.")
                && !is_builtin(name)
            {
                let services = psd2_core::Service::ALL.map(psd2_core::Service::as_str);
                self.problem(
                    at.to_owned(),
                    format!(
                        "${{{name}}}: {service:?} is not a service (one of {})",
                        services.join(", ")
                    ),
                );
            } else if !self.defined.contains_key(name) && !is_builtin(name) {
                self.problem(
                    at.to_owned(),
                    format!("${{{name}}} is used before any step captures it"),
                );
            }
        }
        let captures = self.captures(at, kind, &raw.capture);
        Some(Step { captures, ..step })
    }

    fn label(&mut self, at: &str, kind: StepKind, label: &str, cleanup: bool) {
        let at = format!("{at}.label");
        if cleanup {
            if !label.starts_with(CLEANUP_PREFIX) {
                self.problem(
                    at,
                    format!("a cleanup label starts with {CLEANUP_PREFIX:?}"),
                );
            } else if !self.labels.insert(label.to_owned()) {
                self.problem(at, format!("duplicate label {label:?}"));
            }
            return;
        }
        match kind {
            StepKind::Consent => {
                if !self.journeys.contains(label) {
                    self.problem(
                        at,
                        format!("a consent step continues an earlier authorize step, and none is labelled {label:?}"),
                    );
                }
            }
            StepKind::AdvanceClock => {
                if !label.starts_with(CLOCK_PREFIX) {
                    self.problem(
                        at,
                        format!("an advance_clock label starts with {CLOCK_PREFIX:?}"),
                    );
                } else if !self.labels.insert(label.to_owned()) {
                    self.problem(at, format!("duplicate label {label:?}"));
                }
            }
            StepKind::Probe => {
                if label != labels::OPEN_REDIRECT_PROBE_PREFIX {
                    self.problem(
                        at,
                        format!(
                            "a probe label is the label family {:?}, not {label:?}: each \
                             probe is logged under it plus the parameter's name",
                            labels::OPEN_REDIRECT_PROBE_PREFIX
                        ),
                    );
                } else if !self.labels.insert(label.to_owned()) {
                    self.problem(at, format!("duplicate label {label:?}"));
                }
            }
            _ => {
                if !is_known_label(label) {
                    self.problem(
                        at.clone(),
                        format!("unknown label {label:?} (see psd2_rules::exchange::labels)"),
                    );
                }
                if !self.labels.insert(label.to_owned()) {
                    self.problem(at, format!("duplicate label {label:?}"));
                } else if kind == StepKind::Authorize {
                    self.journeys.insert(label.to_owned());
                }
            }
        }
    }

    fn applicability(&mut self, at: &str, kind: StepKind, raw: &StepEntry) {
        let only = |applies: bool, key: &str, kinds: &str| {
            (!applies).then(|| (key.to_owned(), kinds.to_owned()))
        };
        let is = |kinds: &[StepKind]| kinds.contains(&kind);
        let misplaced = [
            only(
                raw.pkce.is_none() || is(&[StepKind::Authorize]),
                "pkce",
                "authorize",
            ),
            only(
                (raw.decision.is_none() && raw.customer.is_none()) || is(&[StepKind::Consent]),
                "decision/customer",
                "consent",
            ),
            only(
                (raw.service.is_none() && raw.path.is_none() && raw.bearer.is_none())
                    || is(&[StepKind::Resource]),
                "service/path/bearer",
                "resource",
            ),
            only(
                raw.body.is_none() || is(&[StepKind::Register, StepKind::Update]),
                "body",
                "register and update",
            ),
            only(
                (raw.seconds.is_none() && raw.past.is_none()) || is(&[StepKind::AdvanceClock]),
                "seconds/past",
                "advance_clock",
            ),
            only(
                raw.redirect_uri.is_none() || is(&[StepKind::Authorize, StepKind::Token]),
                "redirect_uri",
                "authorize and token",
            ),
        ];
        for (key, kinds) in misplaced.into_iter().flatten() {
            self.problem(
                format!("{at}.{key}"),
                format!("applies only to {kinds} steps, not {kind}"),
            );
        }
        if kind == StepKind::Probe {
            // What a probe sends comes from the target's probes alone.
            let set = [
                ("client", raw.client.is_some()),
                ("certificate", raw.certificate.is_some()),
                ("params", !raw.params.is_empty()),
                ("omit", !raw.omit.is_empty()),
                ("repeat", !raw.repeat.is_empty()),
                ("concurrent", raw.concurrent.is_some()),
                ("cleartext", raw.cleartext),
            ];
            for (key, _) in set.into_iter().filter(|(_, set)| *set) {
                self.problem(
                    format!("{at}.{key}"),
                    "does not apply to probe steps (the target's [[capabilities.probe]] say what is sent)",
                );
            }
        }
    }

    fn resource(&mut self, at: &str, kind: StepKind, raw: &StepEntry) -> Option<ResourceCall> {
        if kind != StepKind::Resource {
            return None;
        }
        let Some(service) = raw.service else {
            self.problem(
                format!("{at}.service"),
                "missing: a resource step names its service",
            );
            return None;
        };
        Some(ResourceCall {
            service: match service {
                file::Service::Accounts => ResourceService::Accounts,
                file::Service::FundsConfirmation => ResourceService::FundsConfirmation,
                file::Service::Payments => ResourceService::Payments,
            },
            path: raw.path.clone(),
            bearer: raw.bearer.clone().map(ValueTemplate::new),
        })
    }

    fn body(&mut self, at: &str, raw: &StepEntry) -> Option<serde_json::Value> {
        let table = raw.body.as_ref()?;
        match serde_json::to_value(table) {
            Ok(value) => Some(value),
            Err(error) => {
                self.problem(format!("{at}.body"), error.to_string());
                None
            }
        }
    }

    fn clock(&mut self, at: &str, kind: StepKind, raw: &StepEntry) -> Option<ClockAdvance> {
        if kind != StepKind::AdvanceClock {
            return None;
        }
        match (raw.seconds, raw.past) {
            (Some(seconds), None) => Some(ClockAdvance::Seconds(seconds)),
            (None, Some(lifetime)) => Some(ClockAdvance::Past(match lifetime {
                file::Lifetime::CodeTtlMax => ProfileLifetime::CodeTtlMax,
                file::Lifetime::RefreshToken => ProfileLifetime::RefreshTokenLifetime,
                file::Lifetime::RevocationPropagationDelay => {
                    ProfileLifetime::RevocationPropagationDelay
                }
                file::Lifetime::ScaRenewalWindow => ProfileLifetime::ScaRenewalWindow,
            })),
            _ => {
                self.problem(
                    at.to_owned(),
                    "an advance_clock step has exactly one of `seconds` and `past`",
                );
                None
            }
        }
    }

    fn captures(
        &mut self,
        at: &str,
        kind: StepKind,
        raw: &BTreeMap<String, String>,
    ) -> BTreeMap<CaptureField, String> {
        let mut captures = BTreeMap::new();
        for (field_name, variable) in raw {
            let key = format!("{at}.capture.{field_name}");
            let Some(field) = CaptureField::from_name(field_name) else {
                self.problem(key, format!("unknown capture field {field_name:?}"));
                continue;
            };
            if !kind.captures().contains(&field) {
                self.problem(key, format!("a {kind} step cannot capture {field_name}"));
                continue;
            }
            if is_builtin(variable) {
                self.problem(key, format!("{variable:?} is a built-in name"));
                continue;
            }
            if let Some(previous) = self.defined.get(variable) {
                self.problem(
                    key,
                    format!("{variable:?} is already captured by {previous}"),
                );
                continue;
            }
            self.defined.insert(variable.clone(), at.to_owned());
            captures.insert(field, variable.clone());
        }
        captures
    }
}

/// Whether `label` is a label of the judges' vocabulary, or a member of one
/// of its prefix families (`authorize-redirect-variant-trailing-slash`).
#[must_use]
pub fn is_known_label(label: &str) -> bool {
    labels::ALL.iter().any(|known| {
        if labels::is_prefix(known) {
            label.len() > known.len() && label.starts_with(known)
        } else {
            label == *known
        }
    })
}
