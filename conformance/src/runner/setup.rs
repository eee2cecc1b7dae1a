//! What the scenarios of a run share, built once from the target: the
//! transport with the target's trust anchors, every client certificate ready
//! to present, the resolved endpoints, the clients, the PSU and the consent
//! driver's configuration. Owned (no borrow of the target) so that
//! scenarios can run as independent tasks.

use std::collections::BTreeMap;
use std::time::Duration;

use psd2_core::{ClientAuthMethod, ProfileData, ScopeSet, Secret};
use url::Url;

use super::pem;
use crate::target::{
    ClientRole, ConsentDriver, EndpointRef, Endpoints, Identity, PsuCredentials, RedirectUris,
    Resources, Target,
};
use crate::transport::{ClientIdentity, Limits, Transport};

/// A client of the target, ready to act.
#[derive(Debug, Clone)]
pub(crate) struct ClientSetup {
    pub(crate) client_id: String,
    pub(crate) auth: ClientAuthMethod,
    pub(crate) secret: Option<Secret<String>>,
    pub(crate) identity: Option<ClientIdentity>,
    pub(crate) scope: Option<ScopeSet>,
}

/// The shared state of a run.
#[derive(Debug)]
pub(crate) struct Harness {
    pub(crate) transport: Transport,
    pub(crate) issuer: Url,
    pub(crate) endpoints: Endpoints,
    pub(crate) clients: BTreeMap<ClientRole, ClientSetup>,
    pub(crate) certificates: BTreeMap<String, ClientIdentity>,
    pub(crate) redirect: RedirectUris,
    pub(crate) consent: Option<ConsentDriver>,
    pub(crate) psu: Option<PsuCredentials>,
    pub(crate) profile: ProfileData,
    pub(crate) resources: Resources,
    pub(crate) clock: Option<(EndpointRef, ClientIdentity)>,
    /// The open-redirector probes, their pages resolved on the issuer.
    pub(crate) probes: Vec<PageProbe>,
    pub(crate) step_timeout: Duration,
    pub(crate) manual_timeout: Duration,
}

/// An open-redirector probe of the target, its page an absolute URL.
#[derive(Debug, Clone)]
pub(crate) struct PageProbe {
    /// The page of the authorization server.
    pub(crate) page: Url,
    /// Its parameters that take a URL.
    pub(crate) parameters: Vec<String>,
}

/// The target's probes, a page given as a path resolved on the origin of
/// the issuer the run uses (after any `--server` override).
///
/// # Errors
/// One line per page that does not make a URL, naming its key.
pub(crate) fn probes(target: &Target) -> Result<Vec<PageProbe>, Vec<String>> {
    let mut probes = Vec::with_capacity(target.capabilities.probes.len());
    let mut problems = Vec::new();
    for (index, probe) in target.capabilities.probes.iter().enumerate() {
        match probe.url.resolve(&target.issuer) {
            Ok(page) => probes.push(PageProbe {
                page,
                parameters: probe.parameters.clone(),
            }),
            Err(error) => problems.push(format!(
                "capabilities.probe[{index}].url: not a URL on the issuer {}: {error}",
                target.issuer
            )),
        }
    }
    if problems.is_empty() {
        Ok(probes)
    } else {
        Err(problems)
    }
}

/// The transport and the identities, before the endpoints are known.
#[derive(Debug)]
pub(crate) struct Credentials {
    pub(crate) transport: Transport,
    pub(crate) clients: BTreeMap<ClientRole, ClientSetup>,
    pub(crate) certificates: BTreeMap<String, ClientIdentity>,
    pub(crate) clock: Option<(EndpointRef, ClientIdentity)>,
}

/// The name an identity is logged under: its certificate file's stem
/// (`tpp-a-all-roles`), which says which credential was presented.
fn identity_name(identity: &Identity) -> String {
    identity.certificate_file.file_stem().map_or_else(
        || "certificate".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    )
}

fn ready(transport: &Transport, identity: &Identity) -> Result<ClientIdentity, String> {
    let name = identity_name(identity);
    transport
        .identity(
            name,
            &pem::certificates(&identity.chain),
            pem::private_key(&identity.key).expose(),
        )
        .map_err(|error| format!("{}: {error}", identity.certificate_file.display()))
}

/// Builds the transport and every identity of the target.
///
/// # Errors
/// One line per problem: no CA bundle, a certificate or key rustls refuses.
pub(crate) fn credentials(
    target: &Target,
    limits: Limits,
    concurrency: usize,
) -> Result<Credentials, Vec<String>> {
    if target.ca_bundle.is_empty() {
        return Err(vec![
            "the target has no server.ca_bundle: the harness trusts only the anchors it is given"
                .to_owned(),
        ]);
    }
    let transport = Transport::new(&pem::certificates(&target.ca_bundle), limits, concurrency)
        .map_err(|error| vec![format!("server.ca_bundle: {error}")])?;
    let mut problems = Vec::new();
    let mut clients = BTreeMap::new();
    for role in [
        ClientRole::Main,
        ClientRole::Second,
        ClientRole::GrantRestricted,
    ] {
        let Some(client) = target.clients.get(role) else {
            continue;
        };
        let identity = match client.identity.as_ref().map(|id| ready(&transport, id)) {
            Some(Ok(identity)) => Some(identity),
            Some(Err(problem)) => {
                problems.push(format!("clients.{}: {problem}", role.as_str()));
                None
            }
            None => None,
        };
        clients.insert(
            role,
            ClientSetup {
                client_id: client.client_id.as_str().to_owned(),
                auth: client.auth,
                secret: client.client_secret.clone(),
                identity,
                scope: client.scope.clone(),
            },
        );
    }
    let mut certificates = BTreeMap::new();
    for (name, identity) in &target.certificates {
        // A certificate rustls refuses to load is left out: the scenarios
        // presenting it fail with that reason, the others still run.
        if let Ok(ready) = ready(&transport, identity) {
            certificates.insert(name.clone(), ready);
        }
    }
    let clock = match target.capabilities.clock_control.as_ref() {
        Some(control) => match ready(&transport, &control.identity) {
            Ok(identity) => Some((control.url.clone(), identity)),
            Err(problem) => {
                problems.push(format!("capabilities.clock_control: {problem}"));
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Credentials {
        transport,
        clients,
        certificates,
        clock,
    })
}

impl Harness {
    /// The harness of a target whose endpoints are resolved.
    pub(crate) fn new(
        target: &Target,
        credentials: Credentials,
        endpoints: Endpoints,
        probes: Vec<PageProbe>,
        step_timeout: Duration,
        manual_timeout: Duration,
    ) -> Self {
        Self {
            transport: credentials.transport,
            issuer: target.issuer.clone(),
            endpoints,
            clients: credentials.clients,
            certificates: credentials.certificates,
            redirect: target.redirect.clone(),
            consent: target.consent.clone(),
            psu: target.psu.clone(),
            profile: target.profile.clone(),
            resources: target.capabilities.resources.clone(),
            clock: credentials.clock,
            probes,
            step_timeout,
            manual_timeout,
        }
    }

    /// The client playing `role`.
    pub(crate) fn client(&self, role: ClientRole) -> Result<&ClientSetup, super::StepError> {
        self.clients.get(&role).ok_or(super::StepError::NoClient {
            role: role.as_str(),
        })
    }

    /// The token endpoint, which other paths (resources, clock) resolve on.
    pub(crate) fn token_endpoint(&self) -> Result<&Url, super::StepError> {
        self.endpoints
            .token
            .as_ref()
            .ok_or(super::StepError::NoEndpoint { endpoint: "token" })
    }
}

/// The issuer as the judges compare it: without the `/` the URL parser adds
/// to an issuer that has no path (RFC 8414 §2 issuers are compared as
/// strings).
pub(crate) fn issuer_text(issuer: &Url) -> String {
    let text = issuer.as_str();
    if issuer.path() == "/" && issuer.query().is_none() && issuer.fragment().is_none() {
        text.trim_end_matches('/').to_owned()
    } else {
        text.to_owned()
    }
}
