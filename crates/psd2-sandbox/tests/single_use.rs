//! A code is redeemed at most once, even by 32 simultaneous requests; the
//! replay revokes what the first redemption issued (RFC 6749 §4.1.2).
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use psd2_sandbox::FaultSet;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_simultaneous_redemptions_give_exactly_one_token() {
    let sandbox = start(FaultSet::none()).await;
    let code = obtain_code(&sandbox, "accounts", "race", false).await;
    let form = format!(
        "grant_type=authorization_code&code={}&redirect_uri={}&client_id={TPP_A}",
        encode(&code),
        encode(TPP_A_REDIRECT)
    );
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let addr = sandbox.mtls_addr();
    let attempts: Vec<_> = (0..32)
        .map(|_| {
            let tpp = tpp.clone();
            let form = form.clone();
            tokio::spawn(async move { tpp.post_form(addr, "/token", &form, &[]).await })
        })
        .collect();
    let mut successes = Vec::new();
    let mut refusals = 0;
    for attempt in attempts {
        let reply = attempt.await.expect("task").expect("answer");
        match reply.status {
            200 => successes.push(
                reply.json()["access_token"]
                    .as_str()
                    .expect("token")
                    .to_owned(),
            ),
            400 => {
                assert_eq!(reply.json()["error"], "invalid_grant");
                refusals += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(successes.len(), 1, "exactly one redemption succeeds");
    assert_eq!(refusals, 31);
    // The replays revoked the grant: the one token issued no longer works.
    let bearer = format!("Bearer {}", successes[0]);
    let accounts = tpp
        .bearer(addr, hyper::Method::GET, "/accounts", &bearer, "")
        .await;
    assert_eq!(accounts.status, 401);
    sandbox.shutdown().await;
}
