//! Running scenarios concurrently: at most `jobs` at once, and never two
//! of one `exclusive` group at the same time (they consume a shared grant
//! or the PSU's consents). Each scenario is its own task, so a panic in one
//! is reported as that scenario's error and the others go on.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::{Mutex, Semaphore};
use tokio::task::JoinSet;

use super::execute::{ScenarioRun, execute};
use super::setup::Harness;
use crate::scenario::Scenario;

/// Runs every scenario; `done` is called as each one finishes, with its
/// index in `scenarios`. Returns the runs in the order of `scenarios`.
pub(crate) async fn run_all(
    harness: Arc<Harness>,
    scenarios: Vec<Scenario>,
    jobs: usize,
    mut done: impl FnMut(usize, &ScenarioRun),
) -> Vec<ScenarioRun> {
    let slots = Arc::new(Semaphore::new(jobs.max(1)));
    let mut groups: BTreeMap<String, Arc<Mutex<()>>> = BTreeMap::new();
    let mut set = JoinSet::new();
    let mut index_of = BTreeMap::new();
    let names: Vec<String> = scenarios.iter().map(|s| s.name.clone()).collect();
    for (index, scenario) in scenarios.into_iter().enumerate() {
        let group = scenario
            .exclusive
            .as_ref()
            .map(|name| groups.entry(name.clone()).or_default().clone());
        let (harness, slots) = (harness.clone(), slots.clone());
        let handle = set.spawn(async move {
            // The group first: a scenario waiting for its group must not
            // hold a slot another scenario could use.
            let _group = match &group {
                Some(group) => Some(group.lock().await),
                None => None,
            };
            let _slot = slots.acquire_owned().await.ok();
            (index, execute(&harness, &scenario).await)
        });
        index_of.insert(handle.id(), index);
    }
    let mut runs: Vec<Option<ScenarioRun>> = names.iter().map(|_| None).collect();
    while let Some(result) = set.join_next_with_id().await {
        let (index, run) = match result {
            Ok((_, (index, run))) => (index, run),
            Err(error) => {
                let Some(index) = index_of.get(&error.id()).copied() else {
                    continue;
                };
                let run = ScenarioRun {
                    stopped: Some(format!(
                        "scenario {} did not finish: {error}",
                        names.get(index).map_or("?", String::as_str)
                    )),
                    ..ScenarioRun::default()
                };
                (index, run)
            }
        };
        done(index, &run);
        if let Some(slot) = runs.get_mut(index) {
            *slot = Some(run);
        }
    }
    runs.into_iter().map(Option::unwrap_or_default).collect()
}
