//! The preflight: before any scenario, find the endpoints (RFC 8414
//! discovery at the issuer, following RFC 8705 §5 `mtls_endpoint_aliases`,
//! then the target file's explicit endpoints on top) and open a TLS
//! connection to each. Any problem here makes the run exit 2: scenarios
//! against endpoints the harness cannot reach would only produce errors.
//! Discovery that fails is no problem when the target file itself names
//! the authorization and token endpoints: the metadata rules then report
//! what is wrong with the metadata.

use std::time::Instant;

use psd2_rules::Need;
use psd2_rules::exchange::{HttpRequest, TransportFailure, TransportOutcome, redact_url};
use psd2_wire::{AuthorizationServerMetadata, JsonMessage as _};
use url::Url;

use super::setup::Credentials;
use crate::target::{ClientRole, Endpoints, Target, metadata_url};

/// The endpoints of the run.
///
/// # Errors
/// One line per problem: metadata unreachable, not JSON, an endpoint that
/// is not a URL, or a required endpoint missing.
pub(crate) async fn endpoints(
    target: &Target,
    credentials: &Credentials,
) -> Result<Endpoints, Vec<String>> {
    let explicit = &target.endpoints;
    let discovered = if target.discovery {
        match discover(target, credentials).await {
            Ok(discovered) => discovered,
            // Broken metadata is a finding (CORE-MD-01, -02), not a reason
            // to stop, when the target file names the endpoints the
            // scenarios need; without them nothing could run.
            Err(_) if explicit.authorization.is_some() && explicit.token.is_some() => {
                Endpoints::default()
            }
            Err(problems) => return Err(problems),
        }
    } else {
        Endpoints::default()
    };
    let endpoints = discovered.overridden_by(explicit);
    let mut problems = Vec::new();
    if endpoints.authorization.is_none() {
        problems.push("no authorization endpoint (neither discovered nor configured)".to_owned());
    }
    if endpoints.token.is_none() {
        problems.push("no token endpoint (neither discovered nor configured)".to_owned());
    }
    if problems.is_empty() {
        Ok(endpoints)
    } else {
        Err(problems)
    }
}

async fn discover(target: &Target, credentials: &Credentials) -> Result<Endpoints, Vec<String>> {
    let url = metadata_url(&target.issuer);
    let request = HttpRequest::new("GET", url.as_str()).with_header("Accept", "application/json");
    let (_, outcome) = credentials.transport.send(request, None).await;
    let problem = |what: String| vec![format!("discovery at {url}: {what}")];
    let response = match outcome {
        TransportOutcome::Response(response) => response,
        TransportOutcome::Failed(failure) => return Err(problem(failure.to_string())),
        _ => return Err(problem("no response".to_owned())),
    };
    if response.status != 200 {
        return Err(problem(format!("status {}", response.status)));
    }
    let metadata = AuthorizationServerMetadata::decode(&response.body)
        .map_err(|error| problem(format!("the metadata cannot be read: {error}")))?;
    // Every PSD2 client authenticates with its certificate: the aliases are
    // where it must go whenever the main client has one.
    Endpoints::from_metadata(&metadata, target.meets(Need::Mtls))
        .map_err(|error| problem(error.to_string()))
}

/// Opens a connection to each endpoint (with the main client's certificate
/// where one is configured: an mTLS listener refuses others) and reports
/// those that cannot be reached. Any HTTP status is fine here, and so is
/// an untrusted server certificate: judging those is the scenarios'
/// business.
pub(crate) async fn reach(endpoints: &Endpoints, credentials: &Credentials) -> Vec<String> {
    let identity = credentials
        .clients
        .get(&ClientRole::Main)
        .and_then(|client| client.identity.as_ref());
    let checks: [(&str, Option<&Url>, bool); 5] = [
        ("authorization", endpoints.authorization.as_ref(), false),
        ("token", endpoints.token.as_ref(), true),
        ("revocation", endpoints.revocation.as_ref(), true),
        ("introspection", endpoints.introspection.as_ref(), true),
        ("registration", endpoints.registration.as_ref(), true),
    ];
    let epoch = Instant::now();
    let mut problems = Vec::new();
    for (name, url, mtls) in checks {
        let Some(url) = url else { continue };
        let request = HttpRequest::new("GET", url.as_str());
        let exchange = credentials
            .transport
            .exchange("preflight", request, identity.filter(|_| mtls), epoch)
            .await;
        // A certificate the harness does not trust is the bank's violation
        // (CORE-TL-02), which the scenarios record and judge: only an
        // endpoint that cannot be reached at all stops the run here.
        let failure = exchange.failure().filter(|failure| {
            !matches!(failure, TransportFailure::InvalidServerCertificate { .. })
        });
        if let Some(failure) = failure {
            problems.push(format!(
                "{name} endpoint {}: {failure}",
                redact_url(url.as_str())
            ));
        }
    }
    problems
}
