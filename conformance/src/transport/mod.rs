//! The harness's HTTP client: raw hyper 1.x over tokio-rustls (ring), one
//! connection per request, so that every request makes its own TLS
//! handshake with its own client certificate (or none) and the server
//! decides afresh (STACK.md: "a fresh TLS session per test").
//!
//! Nothing here returns an error for what the server did: a refused, reset,
//! silent, oversized or garbled answer becomes a
//! [`TransportFailure`] in the [`Exchange`], evidence for the judges.
//! Requests go out exactly as given (plus `Host` and `Content-Length` when
//! missing, which are then recorded too).

mod failure;
mod tls;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use psd2_rules::exchange::{
    Exchange, HttpRequest, HttpResponse, TransportFailure, TransportOutcome,
};
use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;

pub use tls::{ClientIdentity, TlsSetupError};

use failure::{Phase, classify, classify_io};

/// Timeouts and caps for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// TCP connect.
    pub connect_timeout: Duration,
    /// TLS handshake, after the connection is up.
    pub handshake_timeout: Duration,
    /// From sending the request to the last byte of the body.
    pub response_timeout: Duration,
    /// The largest response body kept; a larger one is a
    /// [`TransportFailure::TooLarge`].
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            response_timeout: Duration::from_secs(30),
            max_body: 1024 * 1024,
        }
    }
}

/// The default number of requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 8;

struct Shared {
    roots: Arc<RootCertStore>,
    anonymous: Arc<ClientConfig>,
    in_flight: Semaphore,
}

/// The HTTP(S) client of a run. Cloning is cheap; clones share the trust
/// anchors and the bound on requests in flight.
#[derive(Clone)]
pub struct Transport {
    shared: Arc<Shared>,
    limits: Limits,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A client that trusts the CA certificates of a PEM bundle for the
    /// server, with at most `concurrency` requests in flight (at least one).
    ///
    /// # Errors
    /// The bundle holds no certificate, or an invalid one.
    pub fn new(ca_pem: &[u8], limits: Limits, concurrency: usize) -> Result<Self, TlsSetupError> {
        let roots = tls::roots_from_pem(ca_pem)?;
        let anonymous = tls::client_config(roots.clone(), None, "client configuration")?;
        Ok(Self {
            shared: Arc::new(Shared {
                roots,
                anonymous,
                in_flight: Semaphore::new(concurrency.max(1)),
            }),
            limits,
        })
    }

    /// [`Transport::new`] from a PEM file.
    ///
    /// # Errors
    /// The file cannot be read, or as [`Transport::new`].
    pub fn from_ca_file(
        path: &Path,
        limits: Limits,
        concurrency: usize,
    ) -> Result<Self, TlsSetupError> {
        Self::new(&tls::read_file(path, "CA bundle")?, limits, concurrency)
    }

    /// The same client (same anchors, same bound) with other limits: a
    /// step's own timeouts.
    #[must_use]
    pub fn with_limits(&self, limits: Limits) -> Self {
        Self {
            shared: self.shared.clone(),
            limits,
        }
    }

    /// The limits in force.
    #[must_use]
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// A client certificate to present, from PEM (the chain, then the key).
    ///
    /// # Errors
    /// The PEM holds no certificate or key, or rustls refuses them.
    pub fn identity(
        &self,
        name: impl Into<String>,
        certificate_pem: &[u8],
        key_pem: &[u8],
    ) -> Result<ClientIdentity, TlsSetupError> {
        let parts = tls::identity_parts(certificate_pem, key_pem)?;
        let config =
            tls::client_config(self.shared.roots.clone(), Some(parts), "client certificate")?;
        Ok(ClientIdentity {
            name: name.into(),
            config,
        })
    }

    /// [`Transport::identity`] from a certificate file and a key file.
    ///
    /// # Errors
    /// A file cannot be read, or as [`Transport::identity`].
    pub fn identity_from_files(
        &self,
        name: impl Into<String>,
        certificate: &Path,
        key: &Path,
    ) -> Result<ClientIdentity, TlsSetupError> {
        let certificate = tls::read_file(certificate, "client certificate")?;
        let key = tls::read_file(key, "private key")?;
        self.identity(name, &certificate, &key)
    }

    /// Sends a request and records it as an exchange labelled `label`, with
    /// `sent_at` measured from `epoch` (the start of the scenario).
    pub async fn exchange(
        &self,
        label: impl Into<String>,
        request: HttpRequest,
        identity: Option<&ClientIdentity>,
        epoch: Instant,
    ) -> Exchange {
        let sent_at = epoch.elapsed();
        let (request, outcome) = self.send(request, identity).await;
        Exchange::new(label, request, outcome).at(sent_at)
    }

    /// Sends a request on a new connection (`http://` over TCP, `https://`
    /// over TLS presenting `identity`, or no certificate), and returns the
    /// request as sent with what became of it.
    pub async fn send(
        &self,
        mut request: HttpRequest,
        identity: Option<&ClientIdentity>,
    ) -> (HttpRequest, TransportOutcome) {
        request.client_certificate = identity.map(|identity| identity.name.clone());
        let target = match Target::parse(&request.url) {
            Ok(target) => target,
            Err(reason) => return (request, TransportFailure::Other { reason }.into()),
        };
        complete_headers(&mut request, &target);
        // A closed semaphore cannot happen (never closed); treat it as "go".
        let _permit = self.shared.in_flight.acquire().await.ok();
        let outcome = match self.round_trip(&request, &target, identity).await {
            Ok(response) => TransportOutcome::Response(response),
            Err(failure) => TransportOutcome::Failed(failure),
        };
        (request, outcome)
    }

    async fn round_trip(
        &self,
        request: &HttpRequest,
        target: &Target,
        identity: Option<&ClientIdentity>,
    ) -> Result<HttpResponse, TransportFailure> {
        let limits = self.limits;
        let tcp = timeout(
            limits.connect_timeout,
            TcpStream::connect((target.host.as_str(), target.port)),
        )
        .await
        .map_err(|_| TransportFailure::Timeout)?
        .map_err(|error| classify_io(&error, Phase::Connect))?;
        // Small requests should leave at once, not wait for Nagle.
        let _ = tcp.set_nodelay(true);
        if !target.tls {
            return exchange_over(tcp, request, target, limits).await;
        }
        let config = identity.map_or_else(|| self.shared.anonymous.clone(), |id| id.config.clone());
        let name =
            ServerName::try_from(target.host.clone()).map_err(|_| TransportFailure::Other {
                reason: format!("{} is not a valid TLS server name", target.host),
            })?;
        let tls = timeout(
            limits.handshake_timeout,
            TlsConnector::from(config).connect(name, tcp),
        )
        .await
        .map_err(|_| TransportFailure::Timeout)?
        .map_err(|error| classify_io(&error, Phase::Handshake))?;
        exchange_over(tls, request, target, limits).await
    }
}

/// Where a URL points.
struct Target {
    tls: bool,
    host: String,
    port: u16,
    authority: String,
    origin_form: String,
}

impl Target {
    fn parse(url: &str) -> Result<Self, String> {
        let parsed = url::Url::parse(url).map_err(|error| format!("invalid URL {url}: {error}"))?;
        let tls = match parsed.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(format!("unsupported URL scheme {other}")),
        };
        let host = match parsed.host() {
            Some(url::Host::Domain(domain)) => domain.to_owned(),
            Some(url::Host::Ipv4(address)) => address.to_string(),
            Some(url::Host::Ipv6(address)) => address.to_string(),
            None => return Err(format!("no host in {url}")),
        };
        let port = parsed
            .port_or_known_default()
            .ok_or_else(|| format!("no port for {url}"))?;
        let authority = match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => host.clone(),
        };
        let mut origin_form = parsed.path().to_owned();
        if let Some(query) = parsed.query() {
            origin_form.push('?');
            origin_form.push_str(query);
        }
        Ok(Self {
            tls,
            host,
            port,
            authority,
            origin_form,
        })
    }
}

/// Adds `Host` and, for a body, `Content-Length`, so the log shows them.
fn complete_headers(request: &mut HttpRequest, target: &Target) {
    if request.header("host").is_none() {
        request
            .headers
            .insert(0, ("Host".to_owned(), target.authority.clone()));
    }
    let needs_length =
        !request.body.is_empty() || matches!(request.method.as_str(), "POST" | "PUT" | "PATCH");
    if needs_length
        && request.header("content-length").is_none()
        && request.header("transfer-encoding").is_none()
    {
        request
            .headers
            .push(("Content-Length".to_owned(), request.body.len().to_string()));
    }
}

fn build(
    request: &HttpRequest,
    target: &Target,
) -> Result<hyper::Request<Full<Bytes>>, TransportFailure> {
    let mut builder = hyper::Request::builder()
        .method(request.method.as_bytes())
        .uri(target.origin_form.as_str());
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(request.body.clone())))
        .map_err(|error| TransportFailure::Other {
            reason: format!("the request cannot be sent: {error}"),
        })
}

async fn exchange_over<S>(
    stream: S,
    request: &HttpRequest,
    target: &Target,
    limits: Limits,
) -> Result<HttpResponse, TransportFailure>
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let outgoing = build(request, target)?;
    let deadline = tokio::time::Instant::now() + limits.response_timeout;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| classify(&error, Phase::Response))?;
    let driver = tokio::spawn(connection);
    let result = tokio::time::timeout_at(deadline, async {
        let response = sender
            .send_request(outgoing)
            .await
            .map_err(|error| classify(&error, Phase::Response))?;
        read_response(response, limits.max_body).await
    })
    .await
    .unwrap_or(Err(TransportFailure::Timeout));
    // One request per connection: drop it whatever the server wanted.
    driver.abort();
    result
}

async fn read_response(
    response: hyper::Response<Incoming>,
    max_body: usize,
) -> Result<HttpResponse, TransportFailure> {
    let (parts, mut body) = response.into_parts();
    let mut collected = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| classify(&error, Phase::Response))?;
        if let Ok(data) = frame.into_data() {
            if collected.len() + data.len() > max_body {
                return Err(TransportFailure::TooLarge { limit: max_body });
            }
            collected.extend_from_slice(&data);
        }
    }
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    Ok(HttpResponse {
        status: parts.status.as_u16(),
        headers,
        body: collected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_keep_the_authority_and_the_query() {
        let target = Target::parse("https://as.example:8443/authorize?a=1#frag").unwrap();
        assert!(target.tls);
        assert_eq!(target.port, 8443);
        assert_eq!(target.authority, "as.example:8443");
        assert_eq!(target.origin_form, "/authorize?a=1");
        let plain = Target::parse("http://[::1]/token").unwrap();
        assert!(!plain.tls);
        assert_eq!((plain.host.as_str(), plain.port), ("::1", 80));
        assert_eq!(plain.authority, "[::1]");
        assert!(Target::parse("ftp://as.example/").is_err());
    }

    #[test]
    fn host_and_length_are_added_and_recorded() {
        let target = Target::parse("https://as.example/token").unwrap();
        let mut request = HttpRequest::new("POST", "https://as.example/token").with_body("a=b");
        complete_headers(&mut request, &target);
        assert_eq!(request.header("host"), Some("as.example"));
        assert_eq!(request.header("content-length"), Some("3"));
        let mut get = HttpRequest::new("GET", "https://as.example/").with_header("Host", "other");
        complete_headers(&mut get, &target);
        assert_eq!(get.header("host"), Some("other"));
        assert_eq!(get.header("content-length"), None);
    }
}
