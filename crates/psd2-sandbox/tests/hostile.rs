//! Hostile clients get a clear answer or a closed connection, never a hang,
//! a panic or a grown server.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use psd2_sandbox::{FaultSet, Limits, Sandbox, SandboxConfig};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let huge = format!(
        "grant_type=client_credentials&pad={}",
        "a".repeat(200 * 1024)
    );
    let reply = tpp
        .post_form(sandbox.mtls_addr(), "/token", &huge, &[])
        .await;
    match reply {
        Ok(reply) => assert_eq!(reply.status, 413, "{}", reply.text()),
        // The server may close the connection while the client still writes.
        Err(Failure::Http(_) | Failure::Io(_)) => {}
        Err(other) => panic!("unexpected failure {other:?}"),
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_get_oauth_errors() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let addr = sandbox.mtls_addr();
    for (form, error) in [
        ("", "invalid_request"),
        ("grant_type=authorization_code", "invalid_request"),
        (
            "grant_type=client_credentials&grant_type=client_credentials",
            "invalid_request",
        ),
    ] {
        let reply = tpp
            .post_form(addr, "/token", form, &[])
            .await
            .expect("answer");
        assert_eq!(
            (reply.status, reply.json()["error"].clone()),
            (400, error.into()),
            "{form}"
        );
    }
    let unknown = tpp
        .post_form(
            addr,
            "/token",
            &format!("grant_type=foo&client_id={TPP_A}"),
            &[],
        )
        .await
        .expect("answer");
    assert_eq!(unknown.json()["error"], "unsupported_grant_type");
    // A broken escape is kept as sent (WHATWG form decoding): an unknown grant.
    let broken = tpp
        .post_form(
            addr,
            "/token",
            &format!("grant_type=%ZZ&client_id={TPP_A}"),
            &[],
        )
        .await
        .expect("answer");
    assert_eq!(broken.json()["error"], "unsupported_grant_type");
    let binary = tpp
        .send(
            addr,
            hyper::Method::POST,
            "/token",
            &[("content-type", "application/x-www-form-urlencoded")],
            vec![0xff, 0xfe, 0x00, 0x80],
        )
        .await
        .expect("answer");
    assert_eq!(binary.status, 400);
    let browser = Client::new(None);
    let page = browser
        .get(sandbox.browser_addr(), "/authorize?%%%&&&==")
        .await
        .expect("answer");
    assert_eq!(page.status, 400);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let mut config = SandboxConfig::fixtures(psd2_core::ProfileId::Generic).expect("fixtures");
    config.limits = Limits {
        header_timeout: Duration::from_millis(300),
        handshake_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let sandbox = Sandbox::start(config).await.expect("starts");
    // Plain TCP that never says a word: the TLS handshake times out.
    let mut silent = tokio::net::TcpStream::connect(sandbox.browser_addr())
        .await
        .expect("connect");
    let started = Instant::now();
    let mut buffer = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buffer)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "closed: {read:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    // Garbage instead of a ClientHello: closed at once.
    let mut garbage = tokio::net::TcpStream::connect(sandbox.browser_addr())
        .await
        .expect("connect");
    garbage
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let read = tokio::time::timeout(Duration::from_secs(5), garbage.read(&mut buffer)).await;
    assert!(
        read.is_ok(),
        "the server answers or closes instead of hanging"
    );
    // The server still serves well-behaved clients.
    let reply = Client::new(None)
        .get(
            sandbox.browser_addr(),
            "/.well-known/oauth-authorization-server",
        )
        .await
        .expect("still serving");
    assert_eq!(reply.status, 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_consent_form_only_works_from_the_browser_that_started_it() {
    let sandbox = start(FaultSet::none()).await;
    let browser = Client::new(None);
    let query = authorize_query(TPP_A, TPP_A_REDIRECT, "accounts", "s", false);
    let page = browser
        .get(sandbox.browser_addr(), &format!("/authorize?{query}"))
        .await
        .expect("answer");
    let text = page.text();
    let marker = "name=\"txn\" value=\"";
    let start = text.find(marker).expect("txn") + marker.len();
    let txn = text[start..].split('"').next().expect("value");
    // No cookie: a forged POST from another site.
    let forged = browser
        .post_form(
            sandbox.browser_addr(),
            "/login",
            &format!("txn={txn}&username=alice&password=sandbox-alice-password"),
            &[],
        )
        .await
        .expect("answer");
    assert_eq!(forged.status, 400);
    assert!(forged.header("location").is_none());
    sandbox.shutdown().await;
}
