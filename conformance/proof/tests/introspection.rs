//! The optional `introspect` step through the runner: CORE-CC-04 reads the
//! scope a client_credentials response leaves out from the introspection
//! of the token when the target has the endpoint, and is not judged when it
//! has none (the step sends nothing, it does not stop the scenario).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use psd2_conformance::scenario::Selection;
use psd2_conformance_proof::{Discovery, generic_scenarios, run_sandbox};
use psd2_sandbox::{Fault, FaultSet};

async fn cc04(discovery: Discovery) -> Vec<(String, String, Option<String>, Vec<String>)> {
    let selection = Selection {
        scenarios: vec!["client-credentials".to_owned()],
        ..Selection::default()
    };
    let report = run_sandbox(
        FaultSet::only(Fault::ClientCredentialsDefaultUnreported),
        &generic_scenarios().unwrap(),
        selection,
        discovery,
    )
    .await
    .unwrap();
    report
        .rows
        .into_iter()
        .filter(|row| row.rule == "CORE-CC-04" || row.rule == "CORE-CC-02")
        .map(|row| {
            (
                format!("{} {}", row.rule, row.case),
                row.outcome,
                row.reason,
                row.evidence,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreported_default_is_read_by_introspection_or_left_unjudged() {
    // Discovered: the sandbox publishes its introspection endpoint, which
    // shows the documented default the token response left out.
    let rows = cc04(Discovery::Only).await;
    let row = |rows: &[(String, String, Option<String>, Vec<String>)], key: &str| {
        rows.iter().find(|row| row.0 == key).cloned().unwrap()
    };
    let found = row(&rows, "CORE-CC-04 default-or-invalid-scope");
    assert_eq!(found.1, "fail", "{found:?}");
    assert!(
        found
            .3
            .iter()
            .any(|line| line == "introspected scope = payments"),
        "{found:?}"
    );
    assert_eq!(row(&rows, "CORE-CC-04 documented-default").1, "pass");

    // No endpoint: the same response cannot be judged, and the rest of the
    // scenario still is.
    let rows = cc04(Discovery::Off).await;
    let unjudged = row(&rows, "CORE-CC-04 default-or-invalid-scope");
    assert_eq!(unjudged.1, "error", "{unjudged:?}");
    assert!(
        unjudged
            .2
            .as_deref()
            .is_some_and(|reason| reason.contains("not introspected")),
        "{unjudged:?}"
    );
    assert_eq!(row(&rows, "CORE-CC-02 main").1, "pass");
}
