//! The admin clock endpoint and what the clock drives: code and token expiry.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use psd2_sandbox::FaultSet;
use support::*;

#[tokio::test]
async fn only_the_admin_certificate_moves_the_clock() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let denied = tpp
        .post_form(sandbox.mtls_addr(), "/admin/clock", "advance_secs=60", &[])
        .await
        .expect("answer");
    assert_eq!(denied.status, 403);
    let admin = Client::new(Some("admin-clock-control"));
    let moved = admin
        .post_form(sandbox.mtls_addr(), "/admin/clock", "advance_secs=60", &[])
        .await
        .expect("answer");
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(moved.json()["offset_secs"], 60);
    let bad = admin
        .post_form(sandbox.mtls_addr(), "/admin/clock", "advance_secs=-5", &[])
        .await
        .expect("answer");
    assert_eq!(bad.status, 400);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn codes_and_access_tokens_expire_on_the_test_clock() {
    let sandbox = start(FaultSet::none()).await;
    let admin = Client::new(Some("admin-clock-control"));
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let code = obtain_code(&sandbox, "accounts", "late", false).await;
    admin
        .post_form(sandbox.mtls_addr(), "/admin/clock", "advance_secs=601", &[])
        .await
        .expect("answer");
    let late = tpp
        .token(
            &sandbox,
            &format!(
                "grant_type=authorization_code&code={}&redirect_uri={}&client_id={TPP_A}",
                encode(&code),
                encode(TPP_A_REDIRECT)
            ),
        )
        .await;
    assert_eq!(late.json()["error"], "invalid_grant");

    let token = tpp
        .token(
            &sandbox,
            &format!("grant_type=client_credentials&client_id={TPP_A}&scope=payments"),
        )
        .await;
    let bearer = format!(
        "Bearer {}",
        token.json()["access_token"].as_str().expect("token")
    );
    let fresh = tpp
        .bearer(
            sandbox.mtls_addr(),
            hyper::Method::POST,
            "/payment-requests",
            &bearer,
            "{}",
        )
        .await;
    assert_eq!(fresh.status, 201);
    admin
        .post_form(sandbox.mtls_addr(), "/admin/clock", "advance_secs=601", &[])
        .await
        .expect("answer");
    let expired = tpp
        .bearer(
            sandbox.mtls_addr(),
            hyper::Method::POST,
            "/payment-requests",
            &bearer,
            "{}",
        )
        .await;
    assert_eq!(expired.status, 401);
    assert!(
        expired
            .header("www-authenticate")
            .is_some_and(|value| value.contains("invalid_token"))
    );
    sandbox.shutdown().await;
}
