//! The two listeners' TLS behaviour: no CertificateRequest on the browser
//! listener; on the mTLS listener only valid, unrevoked certificates of the
//! QTSP CA, judged at the test clock's time.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use std::time::Duration;

use psd2_sandbox::FaultSet;
use rustls::AlertDescription;
use support::*;

#[tokio::test]
async fn browser_listener_needs_no_certificate() {
    let sandbox = start(FaultSet::none()).await;
    let reply = Client::new(None)
        .get(
            sandbox.browser_addr(),
            "/.well-known/oauth-authorization-server",
        )
        .await
        .expect("metadata without a client certificate");
    assert_eq!(reply.status, 200);
    let metadata = reply.json();
    assert_eq!(metadata["issuer"], sandbox.issuer());
    assert_eq!(metadata["code_challenge_methods_supported"][0], "S256");
    assert_eq!(
        metadata["authorization_response_iss_parameter_supported"],
        true
    );
    assert!(
        metadata["mtls_endpoint_aliases"]["token_endpoint"]
            .as_str()
            .is_some_and(|url| url.ends_with("/token"))
    );
    sandbox.shutdown().await;
}

async fn refused(
    certificate: Option<&str>,
    sandbox: &psd2_sandbox::RunningSandbox,
) -> Option<AlertDescription> {
    let outcome = Client::new(certificate)
        .post_form(
            sandbox.mtls_addr(),
            "/token",
            "grant_type=client_credentials",
            &[],
        )
        .await;
    match outcome {
        Ok(reply) => panic!(
            "{certificate:?} was served: {} {}",
            reply.status,
            reply.text()
        ),
        Err(failure) => failure.alert(),
    }
}

#[tokio::test]
async fn mtls_listener_refuses_missing_untrusted_expired_and_revoked_certificates() {
    let sandbox = start(FaultSet::none()).await;
    assert_eq!(
        refused(None, &sandbox).await,
        Some(AlertDescription::CertificateRequired)
    );
    assert_eq!(
        refused(Some("tpp-a-untrusted-ca"), &sandbox).await,
        Some(AlertDescription::UnknownCA)
    );
    assert_eq!(
        refused(Some("tpp-a-expired"), &sandbox).await,
        Some(AlertDescription::CertificateExpired)
    );
    assert_eq!(
        refused(Some("tpp-a-revoked"), &sandbox).await,
        Some(AlertDescription::CertificateRevoked)
    );
    assert_eq!(
        refused(Some("tpp-a-not-yet-valid"), &sandbox).await,
        Some(AlertDescription::CertificateExpired)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_test_clock_drives_certificate_validity() {
    let sandbox = start(FaultSet::none()).await;
    // tpp-a-not-yet-valid starts on 9000-01-01: move the clock there.
    sandbox
        .clock()
        .advance(Duration::from_secs(6_975 * 366 * 86_400));
    let reply = Client::new(Some("tpp-a-not-yet-valid"))
        .post_form(
            sandbox.mtls_addr(),
            "/token",
            "grant_type=client_credentials",
            &[],
        )
        .await
        .expect("accepted once valid");
    assert_eq!(
        reply.status,
        401,
        "TLS accepted it; the client_id is missing: {}",
        reply.text()
    );
    sandbox.shutdown().await;
}
