//! The transport against local servers, friendly and hostile: every failure
//! comes back typed, within the limits, never as a hang or a panic.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support_ua;

use std::time::{Duration, Instant};

use psd2_conformance::transport::{TlsSetupError, Transport};
use psd2_rules::exchange::{HttpRequest, TransportFailure, TransportOutcome};
use support_ua::{Hostile, Mode, Reply, hostile, pem, quick_limits, serve, transport};

fn failure(outcome: &TransportOutcome) -> TransportFailure {
    outcome
        .failure()
        .cloned()
        .unwrap_or_else(|| panic!("expected a failure, got {outcome:?}"))
}

#[tokio::test]
async fn an_https_get_is_recorded_as_sent() {
    let server = serve(Mode::Tls, |_| Reply::html("<p>hello</p>")).await;
    let (request, outcome) = transport()
        .send(HttpRequest::new("GET", server.url("/page?a=1")), None)
        .await;
    let response = outcome.response().expect("a response");
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "<p>hello</p>");
    assert_eq!(
        request.header("host"),
        Some(format!("localhost:{}", server.addr.port()).as_str())
    );
    assert_eq!(request.client_certificate, None);
    assert_eq!(server.seen()[0].target, "/page?a=1");
}

#[tokio::test]
async fn plain_http_goes_over_tcp() {
    let server = serve(Mode::Plain, |_| Reply::new(204)).await;
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", server.http_url("/token")), None)
        .await;
    assert_eq!(outcome.response().map(|r| r.status), Some(204));
}

#[tokio::test]
async fn a_post_body_arrives_with_its_length() {
    let server = serve(Mode::Tls, |seen| Reply::new(200).body(seen.body.clone())).await;
    let request = HttpRequest::new("POST", server.url("/token"))
        .with_header("Content-Type", "application/x-www-form-urlencoded")
        .with_body("grant_type=client_credentials");
    let (sent, outcome) = transport().send(request, None).await;
    assert_eq!(sent.header("content-length"), Some("29"));
    assert_eq!(
        outcome.response().unwrap().body,
        b"grant_type=client_credentials"
    );
    assert_eq!(server.seen()[0].header("content-length"), Some("29"));
}

#[tokio::test]
async fn a_client_certificate_is_presented_and_named() {
    let server = serve(Mode::MutualTls, |seen| {
        Reply::new(if seen.client_certificate { 200 } else { 500 })
    })
    .await;
    let transport = transport();
    let identity = transport
        .identity(
            "tpp-a",
            &pem("tpp-a-all-roles.pem"),
            &pem("tpp-a-all-roles.key"),
        )
        .unwrap();
    assert!(!format!("{identity:?}").contains("PRIVATE"));
    let (request, outcome) = transport
        .send(
            HttpRequest::new("GET", server.url("/accounts")),
            Some(&identity),
        )
        .await;
    assert_eq!(outcome.response().map(|r| r.status), Some(200));
    assert_eq!(request.client_certificate.as_deref(), Some("tpp-a"));
}

#[tokio::test]
async fn no_certificate_on_an_mtls_endpoint_is_a_tls_alert() {
    let server = serve(Mode::MutualTls, |_| Reply::new(200)).await;
    let (_, outcome) = transport()
        .send(
            HttpRequest::new("POST", server.url("/token")).with_body("a=b"),
            None,
        )
        .await;
    let failure = failure(&outcome);
    assert_eq!(
        failure,
        TransportFailure::TlsAlert {
            description: "certificate_required".into()
        }
    );
    assert!(failure.is_tls_refusal());
}

#[tokio::test]
async fn a_certificate_from_an_untrusted_ca_is_refused_with_an_alert() {
    let server = serve(Mode::MutualTls, |_| Reply::new(200)).await;
    let transport = transport();
    let identity = transport
        .identity(
            "tpp-a-untrusted",
            &pem("tpp-a-untrusted-ca.pem"),
            &pem("tpp-a-untrusted-ca.key"),
        )
        .unwrap();
    let (_, outcome) = transport
        .send(HttpRequest::new("GET", server.url("/")), Some(&identity))
        .await;
    assert!(failure(&outcome).is_tls_refusal(), "{outcome:?}");
}

#[tokio::test]
async fn an_untrusted_server_certificate_is_named() {
    let server = serve(Mode::Tls, |_| Reply::new(200)).await;
    let distrustful = Transport::new(&pem("untrusted-ca.pem"), quick_limits(), 1).unwrap();
    let (_, outcome) = distrustful
        .send(HttpRequest::new("GET", server.url("/")), None)
        .await;
    assert_eq!(
        failure(&outcome),
        TransportFailure::InvalidServerCertificate {
            reason: "unknown issuer".into()
        }
    );
}

#[tokio::test]
async fn a_closed_port_is_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let (_, outcome) = transport()
        .send(
            HttpRequest::new("GET", format!("https://127.0.0.1:{port}/")),
            None,
        )
        .await;
    assert_eq!(failure(&outcome), TransportFailure::ConnectionRefused);
}

#[tokio::test]
async fn a_silent_server_times_out_instead_of_hanging() {
    let addr = hostile(Hostile::Silent).await;
    let started = Instant::now();
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", format!("http://{addr}/")), None)
        .await;
    assert_eq!(failure(&outcome), TransportFailure::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
    // Over TLS the handshake itself never completes.
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", format!("https://{addr}/")), None)
        .await;
    assert_eq!(failure(&outcome), TransportFailure::Timeout);
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    let addr = hostile(Hostile::StallBody).await;
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", format!("http://{addr}/")), None)
        .await;
    assert_eq!(failure(&outcome), TransportFailure::Timeout);
}

#[tokio::test]
async fn a_reset_is_reported() {
    let addr = hostile(Hostile::Reset).await;
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", format!("http://{addr}/")), None)
        .await;
    assert_eq!(failure(&outcome), TransportFailure::ConnectionReset);
}

#[tokio::test]
async fn garbage_is_a_protocol_error() {
    let addr = hostile(Hostile::Garbage).await;
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", format!("http://{addr}/")), None)
        .await;
    assert!(
        matches!(failure(&outcome), TransportFailure::Other { ref reason } if reason.contains("HTTP protocol error")),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_ten_megabyte_body_hits_the_cap() {
    let addr = hostile(Hostile::Huge(10 * 1024 * 1024)).await;
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", format!("http://{addr}/")), None)
        .await;
    assert_eq!(
        failure(&outcome),
        TransportFailure::TooLarge {
            limit: quick_limits().max_body
        }
    );
}

#[tokio::test]
async fn exchanges_carry_the_label_and_the_offset() {
    let server = serve(Mode::Tls, |_| Reply::new(200)).await;
    let epoch = Instant::now();
    let exchange = transport()
        .exchange(
            "metadata",
            HttpRequest::new("GET", server.url("/.well-known/x")),
            None,
            epoch,
        )
        .await;
    assert_eq!(exchange.label, "metadata");
    assert!(exchange.sent_at.is_some());
    assert_eq!(exchange.response().map(|r| r.status), Some(200));
}

#[tokio::test]
async fn unusable_urls_fail_without_a_connection() {
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", "ftp://x/"), None)
        .await;
    assert!(matches!(failure(&outcome), TransportFailure::Other { .. }));
    let (_, outcome) = transport()
        .send(HttpRequest::new("GET", "not a url"), None)
        .await;
    assert!(matches!(failure(&outcome), TransportFailure::Other { .. }));
}

#[test]
fn bad_pem_is_refused_with_a_reason() {
    assert!(matches!(
        Transport::new(b"", quick_limits(), 1),
        Err(TlsSetupError::Missing { .. })
    ));
    let transport = transport();
    assert!(matches!(
        transport.identity("x", &pem("tpp-a-all-roles.pem"), b""),
        Err(TlsSetupError::Missing {
            what: "private key"
        })
    ));
    assert!(matches!(
        transport.identity("x", b"", &pem("tpp-a-all-roles.key")),
        Err(TlsSetupError::Missing { .. })
    ));
}
