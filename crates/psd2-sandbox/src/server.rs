//! Listeners: accept, TLS handshake, HTTP/1.1, with every wait bounded.
//!
//! A slow or hostile client can hold at most one of [`Limits::max_connections`]
//! slots, for at most the handshake timeout, then the header timeout per
//! request; bodies are read under a size cap and a deadline (see `http.rs`).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::ServerConfig;
use rustls::pki_types::CertificateDer;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::http::Body;

/// Bounds on what one client can make the server hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once per listener; more wait in the backlog.
    pub max_connections: usize,
    /// Time allowed for the TLS handshake.
    pub handshake_timeout: Duration,
    /// Time allowed to send the request head, per request.
    pub header_timeout: Duration,
    /// Largest request head (request line and headers) in bytes.
    pub max_header_bytes: usize,
    /// Largest request body in bytes.
    pub max_body_bytes: usize,
    /// Time allowed to send the request body.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 256,
            handshake_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            max_header_bytes: 16 * 1024,
            max_body_bytes: 64 * 1024,
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// Which listener a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerKind {
    /// No CertificateRequest: authorization endpoint, consent pages, metadata.
    Browser,
    /// Client certificate required: token, revocation, introspection, resources, admin.
    Mtls,
}

/// What the TLS layer knows about the client of one connection.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    /// Which listener.
    pub listener: ListenerKind,
    /// The client's end-entity certificate, already verified by rustls
    /// against the QTSP CA at the test clock's time (mTLS listener only).
    pub client_certificate: Option<CertificateDer<'static>>,
}

/// Something that answers requests.
pub trait Handler: Send + Sync + 'static {
    /// Answers one request. Never fails: every problem is an HTTP answer.
    fn handle(
        &self,
        request: Request<Incoming>,
        connection: Arc<ConnectionInfo>,
    ) -> impl Future<Output = Response<Body>> + Send;
}

/// Runs one listener until `shutdown` turns true, then lets open connections
/// finish their current request. `plaintext` (the `plaintext-http` fault)
/// also answers connections that do not start with a TLS handshake.
pub async fn serve<H: Handler>(
    listener: TcpListener,
    kind: ListenerKind,
    tls: Arc<ServerConfig>,
    handler: Arc<H>,
    limits: Limits,
    plaintext: bool,
    mut shutdown: watch::Receiver<bool>,
) {
    let acceptor = TlsAcceptor::from(tls);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = shutdown.changed() => break,
        };
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                // Accept errors (EMFILE, a reset during accept) concern one
                // client; keep serving the others.
                Err(_) => continue,
            },
            _ = shutdown.changed() => break,
        };
        let acceptor = acceptor.clone();
        let handler = handler.clone();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            let _permit = permit;
            accept_connection(tcp, kind, acceptor, handler, limits, plaintext, shutdown).await;
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
    while connections.join_next().await.is_some() {}
}

/// The first byte of every TLS connection: a handshake record.
const TLS_HANDSHAKE_RECORD: u8 = 0x16;

async fn accept_connection<H: Handler>(
    tcp: tokio::net::TcpStream,
    kind: ListenerKind,
    acceptor: TlsAcceptor,
    handler: Arc<H>,
    limits: Limits,
    plaintext: bool,
    shutdown: watch::Receiver<bool>,
) {
    let _ = tcp.set_nodelay(true);
    if plaintext {
        let mut first = [0u8; 1];
        let peeked = tokio::time::timeout(limits.handshake_timeout, tcp.peek(&mut first)).await;
        if matches!(peeked, Ok(Ok(1))) && first[0] != TLS_HANDSHAKE_RECORD {
            let info = Arc::new(ConnectionInfo {
                listener: kind,
                client_certificate: None,
            });
            serve_http(TokioIo::new(tcp), info, handler, limits, shutdown).await;
            return;
        }
    }
    let stream = match tokio::time::timeout(limits.handshake_timeout, acceptor.accept(tcp)).await {
        Ok(Ok(stream)) => stream,
        // A failed handshake (no certificate, an untrusted or expired one)
        // has already been answered with a TLS alert by rustls.
        Ok(Err(_)) | Err(_) => return,
    };
    let client_certificate = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|certificate| certificate.clone().into_owned());
    let info = Arc::new(ConnectionInfo {
        listener: kind,
        client_certificate,
    });
    serve_http(TokioIo::new(stream), info, handler, limits, shutdown).await;
}

async fn serve_http<H, IO>(
    io: TokioIo<IO>,
    info: Arc<ConnectionInfo>,
    handler: Arc<H>,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) where
    H: Handler,
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| {
        let handler = handler.clone();
        let info = info.clone();
        async move { Ok::<_, Infallible>(handler.handle(request, info).await) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192))
        .serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = shutdown.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(limits.header_timeout, connection).await;
        }
    }
}
