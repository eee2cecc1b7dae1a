//! Faults that act below the OAuth messages: the conformance fault matrix
//! sees them only once the harness can send plain HTTP or probe pages, so
//! their effect is pinned here, over real sockets.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use psd2_sandbox::{Fault, FaultSet};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn plain_http(addr: std::net::SocketAddr, target: &str) -> String {
    let mut tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    tcp.write_all(
        format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tcp.read_to_end(&mut answer),
    )
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn plain_http_is_refused_unless_the_fault_serves_it() {
    let query = authorize_query(TPP_A, TPP_A_REDIRECT, "accounts", "s", false);
    let clean = start(FaultSet::none()).await;
    let answer = plain_http(clean.browser_addr(), &format!("/authorize?{query}")).await;
    assert!(
        !answer.contains("Sign in"),
        "a TLS listener served plain HTTP: {answer}"
    );
    clean.shutdown().await;

    let faulty = start(FaultSet::only(Fault::PlaintextHttp)).await;
    let answer = plain_http(faulty.browser_addr(), &format!("/authorize?{query}")).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("Sign in"));
    // TLS still works beside it.
    let reply = Client::new(None)
        .get(
            faulty.browser_addr(),
            "/.well-known/oauth-authorization-server",
        )
        .await
        .expect("TLS");
    assert_eq!(reply.status, 200);
    faulty.shutdown().await;
}

#[tokio::test]
async fn an_untrusted_server_certificate_fails_the_client_handshake() {
    let sandbox = start(FaultSet::only(Fault::UntrustedServerCertificate)).await;
    let failure = Client::new(None)
        .get(
            sandbox.browser_addr(),
            "/.well-known/oauth-authorization-server",
        )
        .await
        .expect_err("the client must not trust it");
    assert!(
        matches!(failure, Failure::Io(_) | Failure::Tls(_)),
        "{failure:?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn logout_forwards_only_to_own_pages_and_registered_uris() {
    let browser = Client::new(None);
    let clean = start(FaultSet::none()).await;
    let outside = browser
        .get(
            clean.browser_addr(),
            "/logout?return_to=https%3A%2F%2Fevil.example%2F",
        )
        .await
        .expect("answer");
    assert_eq!(outside.status, 400);
    assert!(outside.header("location").is_none());
    let registered = browser
        .get(
            clean.browser_addr(),
            &format!("/logout?return_to={}", encode(TPP_A_REDIRECT)),
        )
        .await
        .expect("answer");
    assert_eq!(
        (registered.status, registered.header("location")),
        (303, Some(TPP_A_REDIRECT))
    );
    let scheme_relative = browser
        .get(clean.browser_addr(), "/logout?return_to=%2F%2Fevil.example")
        .await
        .expect("answer");
    assert_eq!(scheme_relative.status, 400);
    clean.shutdown().await;

    let faulty = start(FaultSet::only(Fault::OpenRedirect)).await;
    let outside = browser
        .get(
            faulty.browser_addr(),
            "/logout?return_to=https%3A%2F%2Fevil.example%2F",
        )
        .await
        .expect("answer");
    assert_eq!(
        (outside.status, outside.header("location")),
        (303, Some("https://evil.example/"))
    );
    faulty.shutdown().await;
}

#[tokio::test]
async fn list_faults_names_every_fault_with_the_rules_it_breaks() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_psd2-sandbox"))
        .arg("--list-faults")
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for row in psd2_sandbox::FAULTS {
        assert!(text.contains(row.name), "{} missing", row.name);
        for (rule, case) in row.breaks {
            assert!(
                text.contains(&format!("{rule}/{case}")),
                "{rule}/{case} missing"
            );
        }
    }
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_psd2-sandbox"))
        .args([
            "--fault",
            "no-such-fault",
            "--port",
            "0",
            "--mtls-port",
            "0",
        ])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-fault"));
}
