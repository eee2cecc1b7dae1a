//! A small HTTPS client for the sandbox's integration tests: a fresh TLS
//! connection per request, an optional fixture client certificate, and a
//! browser helper that walks the sign-in and consent pages.

#![allow(dead_code)]
// Test support: a broken fixture or a failed request should stop the test loudly.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Method, Request};
use hyper_util::rt::TokioIo;
use psd2_core::ProfileId;
use psd2_sandbox::{FaultSet, RunningSandbox, Sandbox, SandboxConfig};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

pub const CERTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/certs");
pub const TPP_A: &str = "PSDFR-ACPR-12345";
pub const TPP_B: &str = "PSDNL-DNB-R161162";
pub const TPP_A_REDIRECT: &str = "https://tpp-a.example/callback";

pub async fn start(faults: FaultSet) -> RunningSandbox {
    let mut config = SandboxConfig::fixtures(ProfileId::Generic).expect("fixtures load");
    config.faults = faults;
    Sandbox::start(config).await.expect("sandbox starts")
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a request got no HTTP answer.
#[derive(Debug)]
pub enum Failure {
    Tls(rustls::Error),
    Io(std::io::Error),
    Http(String),
}

impl Failure {
    /// The TLS alert the server sent, if that is what happened.
    pub fn alert(&self) -> Option<rustls::AlertDescription> {
        match self {
            Failure::Tls(rustls::Error::AlertReceived(alert)) => Some(*alert),
            Failure::Io(error) => error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                .and_then(|tls| match tls {
                    rustls::Error::AlertReceived(alert) => Some(*alert),
                    _ => None,
                }),
            Failure::Tls(_) | Failure::Http(_) => None,
        }
    }
}

#[derive(Clone)]
pub struct Client {
    config: Arc<ClientConfig>,
}

fn pem(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CERTS}/{name}")).expect("fixture exists")
}

impl Client {
    /// A client presenting `fixtures/certs/{certificate}.pem`, or none.
    pub fn new(certificate: Option<&str>) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(&pem("qtsp-ca.pem")).expect("CA parses"))
            .expect("CA is a trust anchor");
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_root_certificates(roots);
        let mut config = match certificate {
            Some(name) => {
                let chain = vec![
                    CertificateDer::from_pem_slice(&pem(&format!("{name}.pem"))).expect("cert"),
                ];
                let key = PrivateKeyDer::from_pem_slice(&pem(&format!("{name}.key"))).expect("key");
                builder
                    .with_client_auth_cert(chain, key)
                    .expect("client auth")
            }
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            config: Arc::new(config),
        }
    }

    pub async fn send(
        &self,
        addr: SocketAddr,
        method: Method,
        target: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Result<Reply, Failure> {
        let tcp = TcpStream::connect(addr).await.map_err(Failure::Io)?;
        let server = ServerName::try_from("localhost").expect("name");
        let tls = TlsConnector::from(self.config.clone())
            .connect(server, tcp)
            .await
            .map_err(Failure::Io)?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .map_err(|error| Failure::Http(error.to_string()))?;
        tokio::spawn(connection);
        let mut request = Request::builder()
            .method(method)
            .uri(target)
            .header("host", "localhost");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Full::new(body.into())).expect("request");
        let response = sender.send_request(request).await.map_err(|error| {
            // Under TLS 1.3 a refused client certificate surfaces here.
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
            while let Some(current) = source {
                if let Some(io) = current.downcast_ref::<std::io::Error>()
                    && let Some(tls) = io
                        .get_ref()
                        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                {
                    return Failure::Tls(tls.clone());
                }
                source = current.source();
            }
            Failure::Http(error.to_string())
        })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|error| Failure::Http(error.to_string()))?
            .to_bytes();
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// A request with `Authorization: <authorization>` that must be answered.
    pub async fn bearer(
        &self,
        addr: SocketAddr,
        method: Method,
        target: &str,
        authorization: &str,
        body: &'static str,
    ) -> Reply {
        self.send(
            addr,
            method,
            target,
            &[("authorization", authorization)],
            body,
        )
        .await
        .expect("the resource answers")
    }

    /// A token-endpoint request that must be answered.
    pub async fn token(&self, sandbox: &RunningSandbox, form: &str) -> Reply {
        self.post_form(sandbox.mtls_addr(), "/token", form, &[])
            .await
            .expect("the token endpoint answers")
    }

    /// A revocation request that must be answered.
    pub async fn revoke(&self, sandbox: &RunningSandbox, form: &str) -> Reply {
        self.post_form(sandbox.mtls_addr(), "/revoke", form, &[])
            .await
            .expect("the revocation endpoint answers")
    }

    pub async fn get(&self, addr: SocketAddr, target: &str) -> Result<Reply, Failure> {
        self.send(addr, Method::GET, target, &[], Bytes::new())
            .await
    }

    pub async fn post_form(
        &self,
        addr: SocketAddr,
        target: &str,
        form: &str,
        headers: &[(&str, &str)],
    ) -> Result<Reply, Failure> {
        let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        self.send(addr, Method::POST, target, &all, form.to_owned())
            .await
    }
}

/// The path and query of an absolute URL.
pub fn target_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("/".to_owned(), |index| after_scheme[index..].to_owned())
}

fn hidden_txn(page: &str) -> String {
    let marker = "name=\"txn\" value=\"";
    let start = page.find(marker).expect("page has a txn field") + marker.len();
    page[start..].split('"').next().expect("value").to_owned()
}

/// A PKCE pair from RFC 7636 Appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// Walks authorize → sign-in → consent as a browser would and returns the
/// final redirect's Location (the callback to the client).
pub async fn browser_flow(
    sandbox: &RunningSandbox,
    authorize_query: &str,
    username: &str,
    password: &str,
    customer: &str,
    decision: &str,
) -> String {
    let browser = Client::new(None);
    let addr = sandbox.browser_addr();
    let page = browser
        .get(addr, &format!("/authorize?{authorize_query}"))
        .await
        .expect("authorize answers");
    assert_eq!(page.status, 200, "sign-in page: {}", page.text());
    let cookie = page
        .header("set-cookie")
        .expect("binding cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let txn = hidden_txn(&page.text());
    let login = browser
        .post_form(
            addr,
            "/login",
            &format!("txn={txn}&username={username}&password={password}"),
            &[("cookie", &cookie)],
        )
        .await
        .expect("login answers");
    assert_eq!(login.status, 303, "login: {}", login.text());
    let consent_target = login.header("location").expect("location").to_owned();
    let consent = browser
        .send(
            addr,
            Method::GET,
            &consent_target,
            &[("cookie", &cookie)],
            Bytes::new(),
        )
        .await
        .expect("consent page");
    assert_eq!(consent.status, 200, "consent page: {}", consent.text());
    let scopes: Vec<String> = consent
        .text()
        .split("name=\"scope\" value=\"")
        .skip(1)
        .filter_map(|rest| {
            rest.split('"')
                .next()
                .map(|scope| format!("&scope={scope}"))
        })
        .collect();
    let answer = browser
        .post_form(
            addr,
            "/consent",
            &format!(
                "txn={txn}&customer={customer}{}&decision={decision}",
                scopes.concat()
            ),
            &[("cookie", &cookie)],
        )
        .await
        .expect("consent answers");
    assert!(
        matches!(answer.status, 302 | 303),
        "consent: {} {}",
        answer.status,
        answer.text()
    );
    answer
        .header("location")
        .expect("callback location")
        .to_owned()
}

/// Alice's consent to TPP A for `scope`: the code of the callback.
pub async fn obtain_code(sandbox: &RunningSandbox, scope: &str, state: &str, pkce: bool) -> String {
    let query = authorize_query(TPP_A, TPP_A_REDIRECT, scope, state, pkce);
    let callback = browser_flow(
        sandbox,
        &query,
        "alice",
        "sandbox-alice-password",
        "cust-alice-personal",
        "grant",
    )
    .await;
    param(&callback, "code").expect("code in the callback")
}

/// The value of a query parameter of a callback URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

pub fn authorize_query(
    client_id: &str,
    redirect_uri: &str,
    scope: &str,
    state: &str,
    pkce: bool,
) -> String {
    let mut query = format!(
        "response_type=code&client_id={}&redirect_uri={}&scope={}&state={}",
        encode(client_id),
        encode(redirect_uri),
        encode(scope),
        encode(state)
    );
    if pkce {
        query.push_str(&format!(
            "&code_challenge={CHALLENGE}&code_challenge_method=S256"
        ));
    }
    query
}
