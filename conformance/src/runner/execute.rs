//! One scenario, step by step: each step under its timeout, its exchanges
//! appended to the scenario's log under its label, its captures kept for
//! the next steps. The first step that cannot run stops the scenario (the
//! reason is kept for the report); cleanup steps run whatever happened.

use std::time::Instant;

use psd2_rules::exchange::{Exchange, ExchangeLog};
use psd2_wire::AuthorizationCallback;
use tokio::task::JoinSet;

use super::StepError;
use super::captures::Captures;
use super::journey::{self, Ended, Journey};
use super::request::{self, Prepared};
use super::setup::Harness;
use crate::scenario::{CaptureField, Scenario, Step, StepKind};
use std::sync::Arc;

/// What running a scenario produced.
#[derive(Debug, Default)]
pub(crate) struct ScenarioRun {
    /// Every exchange, in order (cleanup included).
    pub(crate) log: ExchangeLog,
    /// Why the scenario stopped early, if it did.
    pub(crate) stopped: Option<String>,
}

struct Runner<'a> {
    harness: &'a Arc<Harness>,
    epoch: Instant,
    log: ExchangeLog,
    captures: Captures,
    /// An `authorize` step whose `consent` step comes next: the driver
    /// sends its request, so that the journey is one run of exchanges.
    pending: Option<Journey>,
    /// How the last consent journey that did not reach the redirect URI
    /// ended: the PSU consents "when a consent page is shown", and a server
    /// that rightly shows an error page instead is no reason to stop.
    consent_ended: Option<String>,
}

/// Runs `scenario` with `harness`.
pub(crate) async fn execute(harness: &Arc<Harness>, scenario: &Scenario) -> ScenarioRun {
    let mut runner = Runner {
        harness,
        epoch: Instant::now(),
        log: ExchangeLog::new(),
        captures: Captures::seeded(harness.psu.as_ref(), &harness.profile.service_scopes),
        pending: None,
        consent_ended: None,
    };
    let mut stopped = None;
    for (index, step) in scenario.steps.iter().enumerate() {
        let next = scenario.steps.get(index + 1);
        if let Err(error) = runner.step(step, next).await {
            // A value missing because a consent journey ended on a page is
            // best explained by that page.
            let because = match (&error, &runner.consent_ended) {
                (StepError::MissingCapture { .. }, Some(ended)) => format!(" ({ended})"),
                _ => String::new(),
            };
            stopped = Some(format!(
                "scenario {} stopped at step {} ({}): {error}{because}",
                scenario.name, step.label, step.kind
            ));
            break;
        }
    }
    for step in &scenario.cleanup {
        // Cleanup is best effort: a value never captured means there is
        // nothing to clean up.
        let _ = runner.step(step, None).await;
    }
    ScenarioRun {
        log: runner.log,
        stopped,
    }
}

impl Runner<'_> {
    async fn step(&mut self, step: &Step, next: Option<&Step>) -> Result<(), StepError> {
        let limit = match step.kind {
            StepKind::Consent => journey::consent_timeout(self.harness),
            _ => self.harness.step_timeout,
        };
        // The transport bounds every request; this bounds the step as a
        // whole (a driver's page sequence, concurrent copies).
        tokio::time::timeout(limit, self.step_inner(step, next))
            .await
            .unwrap_or(Err(StepError::Timeout(limit)))
    }

    async fn step_inner(&mut self, step: &Step, next: Option<&Step>) -> Result<(), StepError> {
        match step.kind {
            StepKind::Authorize => {
                let journey = journey::build(self.harness, step, &self.captures)?;
                self.begin_journey(&journey);
                let continued = next
                    .is_some_and(|next| next.kind == StepKind::Consent && next.label == step.label);
                if continued {
                    self.pending = Some(journey);
                    return Ok(());
                }
                let copies = step.concurrent.max(1);
                for _ in 0..copies {
                    let ended = journey::follow(self.harness, &journey, self.epoch).await;
                    self.end_journey(step, ended)?;
                }
                Ok(())
            }
            StepKind::Consent => {
                let journey = match self.pending.take() {
                    Some(journey) if journey.label == step.label => journey,
                    // A consent step without its authorize step: a plain
                    // authorization request of the same label.
                    _ => {
                        let journey = journey::build(self.harness, step, &self.captures)?;
                        self.begin_journey(&journey);
                        journey
                    }
                };
                let copies = step.concurrent.max(1);
                let mut set = JoinSet::new();
                for copy in 0..copies {
                    let harness = self.harness.clone();
                    let (step, journey, epoch) = (step.clone(), journey.clone(), self.epoch);
                    set.spawn(async move {
                        (
                            copy,
                            journey::consent(&harness, &step, &journey, epoch).await,
                        )
                    });
                }
                let mut ended = collect(set).await?;
                ended.sort_by_key(|(copy, _)| *copy);
                for (_, mut ended) in ended {
                    match ended.problem.take() {
                        // The driver could not go on through the pages: the
                        // log holds where the journey ended, for the judges.
                        Some(StepError::Consent(reason)) => {
                            self.consent_ended =
                                Some(format!("consent of {}: {reason}", step.label));
                        }
                        other => ended.problem = other,
                    }
                    self.end_journey(step, ended)?;
                }
                Ok(())
            }
            StepKind::Probe => {
                let probes = journey::probes(&self.harness.probes, &step.label);
                if probes.is_empty() {
                    return Err(StepError::Unsupported(
                        "the target lists no [[capabilities.probe]]".into(),
                    ));
                }
                for probe in probes {
                    let ended = journey::probe(self.harness, &probe, self.epoch).await;
                    self.end_journey(step, ended)?;
                }
                Ok(())
            }
            _ => {
                let prepared = match request::prepare(self.harness, step, &self.captures) {
                    Ok(prepared) => prepared,
                    // Introspection is an observation, made when there is
                    // something to observe: without the endpoint, or when
                    // the token it names was never received (the grant was
                    // refused), the step sends nothing, and the judges that
                    // wanted it say so.
                    Err(StepError::NoEndpoint { .. } | StepError::MissingCapture { .. })
                        if step.kind == StepKind::Introspect =>
                    {
                        return Ok(());
                    }
                    Err(other) => return Err(other),
                };
                let exchanges = self.send(step, prepared).await?;
                for exchange in exchanges {
                    self.capture_response(step, &exchange);
                    self.log.push(exchange);
                }
                Ok(())
            }
        }
    }

    /// A new journey: its verifier and state replace the last ones, and the
    /// last code is forgotten (it belonged to the previous journey).
    fn begin_journey(&mut self, journey: &Journey) {
        self.captures.forget(CaptureField::Code);
        self.captures.forget(CaptureField::CodeVerifier);
        if let Some(state) = &journey.state {
            self.captures
                .receive(CaptureField::State, state.clone(), None);
        }
        if let Some(verifier) = &journey.verifier {
            self.captures
                .receive(CaptureField::CodeVerifier, verifier.expose().clone(), None);
        }
    }

    fn end_journey(&mut self, step: &Step, ended: Ended) -> Result<(), StepError> {
        for exchange in ended.exchanges {
            self.log.push(exchange);
        }
        if let Some(callback) = &ended.callback {
            self.capture_callback(callback);
        }
        // The variables a step captures from the journey it continues.
        for (field, variable) in &step.captures {
            if let Some(value) = self.captures.last(*field) {
                self.captures.receive(*field, value, Some(variable));
            }
        }
        match ended.problem {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    fn capture_callback(&mut self, callback: &AuthorizationCallback) {
        if let Some(code) = &callback.code {
            self.captures
                .receive(CaptureField::Code, code.expose().clone(), None);
        }
    }

    /// Sends a prepared request, `concurrent` copies at once.
    async fn send(&self, step: &Step, prepared: Prepared) -> Result<Vec<Exchange>, StepError> {
        let copies = step.concurrent.max(1);
        if copies == 1 {
            let exchange = self
                .harness
                .transport
                .exchange(
                    step.label.clone(),
                    prepared.request,
                    prepared.identity.as_ref(),
                    self.epoch,
                )
                .await;
            return Ok(vec![exchange]);
        }
        let mut set = JoinSet::new();
        for copy in 0..copies {
            let transport = self.harness.transport.clone();
            let (label, prepared, epoch) = (step.label.clone(), prepared.clone(), self.epoch);
            set.spawn(async move {
                let exchange = transport
                    .exchange(label, prepared.request, prepared.identity.as_ref(), epoch)
                    .await;
                (copy, exchange)
            });
        }
        let mut exchanges = collect(set).await?;
        // In the order they were sent, so the log reads like a timeline.
        exchanges.sort_by_key(|(_, exchange)| exchange.sent_at);
        Ok(exchanges
            .into_iter()
            .map(|(_, exchange)| exchange)
            .collect())
    }

    /// Captures what a response carries: tokens and registration values
    /// from a JSON body.
    fn capture_response(&mut self, step: &Step, exchange: &Exchange) {
        let Some(response) = exchange.response() else {
            return;
        };
        let Ok(serde_json::Value::Object(body)) =
            serde_json::from_slice::<serde_json::Value>(&response.body)
        else {
            return;
        };
        for field in step.kind.captures() {
            let Some(value) = body.get(field.as_str()).and_then(|value| value.as_str()) else {
                continue;
            };
            let variable = step.captures.get(field).map(String::as_str);
            self.captures.receive(*field, value.to_owned(), variable);
        }
    }
}

/// Waits for every task of `set`; a task that panicked is a step error, not
/// a crashed run.
async fn collect<T: 'static>(mut set: JoinSet<(u32, T)>) -> Result<Vec<(u32, T)>, StepError> {
    let mut done = Vec::new();
    while let Some(result) = set.join_next().await {
        match result {
            Ok(item) => done.push(item),
            Err(error) => {
                return Err(StepError::Exchange(format!(
                    "a concurrent copy did not finish: {error}"
                )));
            }
        }
    }
    Ok(done)
}
