//! Small local servers for the user-agent, transport and driver tests: a
//! scripted HTTPS (or plain HTTP) server on 127.0.0.1 port 0 with the
//! fixture PKI, optionally requiring a client certificate, and raw TCP
//! servers that misbehave (hang, reset, garbage, huge bodies).

#![allow(dead_code)]
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use psd2_conformance::transport::{Limits, Transport};
use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

pub const CERTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/certs");

pub fn pem(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CERTS}/{name}")).expect("fixture exists")
}

/// Short limits so that hostile servers make the tests fail fast, not hang.
pub fn quick_limits() -> Limits {
    Limits {
        connect_timeout: Duration::from_secs(2),
        handshake_timeout: Duration::from_secs(2),
        response_timeout: Duration::from_secs(2),
        max_body: 64 * 1024,
    }
}

pub fn transport() -> Transport {
    Transport::new(&pem("qtsp-ca.pem"), quick_limits(), 4).unwrap()
}

/// A request as the test server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub client_certificate: bool,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the test server answers.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
    pub fn html(body: &str) -> Self {
        Self::new(200)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(body)
    }
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::new(status).header("Location", location)
    }
}

pub type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

/// A running scripted server and the requests it saw.
pub struct Server {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }
    pub fn http_url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.addr.port())
    }
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Plain,
    Tls,
    MutualTls,
}

fn server_config(mode: Mode) -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = vec![CertificateDer::from_pem_slice(&pem("server.pem")).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(&pem("server.key")).unwrap();
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let mut config = if mode == Mode::MutualTls {
        let mut roots = RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(&pem("qtsp-ca.pem")).unwrap())
            .unwrap();
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
        builder
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .unwrap()
    } else {
        builder
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap()
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

/// Starts a scripted server.
pub async fn serve(mode: Mode, handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler: Handler = Arc::new(handler);
    let acceptor = (mode != Mode::Plain).then(|| TlsAcceptor::from(server_config(mode)));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let handler = handler.clone();
            let log = log.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                match acceptor {
                    None => serve_connection(TokioIo::new(tcp), false, handler, log).await,
                    Some(acceptor) => {
                        let Ok(tls) = acceptor.accept(tcp).await else {
                            return;
                        };
                        let has_cert = tls.get_ref().1.peer_certificates().is_some();
                        serve_connection(TokioIo::new(tls), has_cert, handler, log).await;
                    }
                }
            });
        }
    });
    Server { addr, seen }
}

async fn serve_connection<I>(io: I, has_cert: bool, handler: Handler, log: Arc<Mutex<Vec<Seen>>>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let handler = handler.clone();
        let log = log.clone();
        async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect()
                .await
                .map(|b| b.to_bytes().to_vec())
                .unwrap_or_default();
            let seen = Seen {
                method: parts.method.to_string(),
                target: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
                    .collect(),
                body,
                client_certificate: has_cert,
            };
            let reply = handler(&seen);
            log.lock().unwrap().push(seen);
            let mut response = hyper::Response::builder().status(reply.status);
            for (name, value) in &reply.headers {
                response = response.header(name.as_str(), value.as_str());
            }
            Ok::<_, Infallible>(response.body(Full::new(Bytes::from(reply.body))).unwrap())
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
}

/// How a raw server misbehaves on each connection.
#[derive(Clone, Copy)]
pub enum Hostile {
    /// Accepts and never answers.
    Silent,
    /// Reads the request, then resets the connection.
    Reset,
    /// Answers with bytes that are not HTTP.
    Garbage,
    /// Answers 200 with a body of this many bytes.
    Huge(usize),
    /// Answers the head, then stalls in the middle of the body.
    StallBody,
}

/// Starts a plain-TCP server that misbehaves.
pub async fn hostile(behaviour: Hostile) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(misbehave(tcp, behaviour));
        }
    });
    addr
}

async fn misbehave(mut tcp: TcpStream, behaviour: Hostile) {
    let mut buffer = [0u8; 4096];
    match behaviour {
        Hostile::Silent => {
            let _ = tcp.read(&mut buffer).await;
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Hostile::Reset => {
            let _ = tcp.read(&mut buffer).await;
            // SO_LINGER 0: close sends RST instead of FIN.
            let _ = tcp.set_zero_linger();
            drop(tcp);
        }
        Hostile::Garbage => {
            let _ = tcp.read(&mut buffer).await;
            let _ = tcp
                .write_all(b"\x00\x01garbage that is not HTTP\r\n\r\n")
                .await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Hostile::Huge(size) => {
            let _ = tcp.read(&mut buffer).await;
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n");
            let _ = tcp.write_all(head.as_bytes()).await;
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = size;
            while left > 0 {
                let n = left.min(chunk.len());
                if tcp.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                left -= n;
            }
        }
        Hostile::StallBody => {
            let _ = tcp.read(&mut buffer).await;
            let _ = tcp
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part")
                .await;
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    }
}

/// A TLS listener that accepts TCP and never says a word.
pub async fn silent_tls() -> SocketAddr {
    hostile(Hostile::Silent).await
}
