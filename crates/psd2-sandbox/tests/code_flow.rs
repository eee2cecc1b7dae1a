//! The authorization-code flow end to end over real TLS: consent pages,
//! callback, PKCE, certificate-bound tokens, resources, refresh, revocation.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use psd2_sandbox::FaultSet;
use support::*;

async fn redeem(
    sandbox: &psd2_sandbox::RunningSandbox,
    tpp: &Client,
    client_id: &str,
    code: &str,
    verifier: Option<&str>,
) -> Reply {
    let mut form = format!(
        "grant_type=authorization_code&code={}&redirect_uri={}&client_id={}",
        encode(code),
        encode(TPP_A_REDIRECT),
        encode(client_id)
    );
    if let Some(verifier) = verifier {
        form.push_str(&format!("&code_verifier={verifier}"));
    }
    tpp.post_form(sandbox.mtls_addr(), "/token", &form, &[])
        .await
        .expect("token endpoint answers")
}

#[tokio::test]
async fn consent_code_token_and_accounts_of_the_chosen_customer_only() {
    let sandbox = start(FaultSet::none()).await;
    let query = authorize_query(TPP_A, TPP_A_REDIRECT, "accounts", "state-123", true);
    let callback = browser_flow(
        &sandbox,
        &query,
        "alice",
        "sandbox-alice-password",
        "cust-alice-personal",
        "grant",
    )
    .await;
    assert!(
        callback.starts_with("https://tpp-a.example/callback?"),
        "{callback}"
    );
    assert_eq!(param(&callback, "state").as_deref(), Some("state-123"));
    assert_eq!(
        param(&callback, "iss").as_deref(),
        Some(sandbox.issuer()),
        "RFC 9207 iss"
    );
    let code = param(&callback, "code").expect("code in the callback");

    let tpp = Client::new(Some("tpp-a-all-roles"));
    let tokens = redeem(&sandbox, &tpp, TPP_A, &code, Some(VERIFIER)).await;
    assert_eq!(tokens.status, 200, "{}", tokens.text());
    assert_eq!(tokens.header("cache-control"), Some("no-store"));
    assert_eq!(tokens.header("pragma"), Some("no-cache"));
    let body = tokens.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "accounts");
    let access = body["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let refresh = body["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();

    let bearer = format!("Bearer {access}");
    let accounts = tpp
        .send(
            sandbox.mtls_addr(),
            hyper::Method::GET,
            "/accounts",
            &[("authorization", &bearer)],
            "",
        )
        .await
        .expect("accounts answer");
    assert_eq!(accounts.status, 200, "{}", accounts.text());
    let ids: Vec<String> = accounts.json()["accounts"]
        .as_array()
        .expect("list")
        .iter()
        .map(|account| {
            account["resource_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["acc-alice-current", "acc-alice-savings"]);
    // Same person, other customer: not served (ConnectPay's Person + Customer rule).
    let other = tpp
        .bearer(
            sandbox.mtls_addr(),
            hyper::Method::GET,
            "/accounts/acc-atelier-business",
            &bearer,
            "",
        )
        .await;
    assert_eq!(other.status, 404);

    // Another TPP's certificate: the token is bound to TPP A's (RFC 8705 §3).
    let thief = Client::new(Some("tpp-b-all-roles"));
    let stolen = thief
        .bearer(
            sandbox.mtls_addr(),
            hyper::Method::GET,
            "/accounts",
            &bearer,
            "",
        )
        .await;
    assert_eq!(stolen.status, 401);
    assert!(
        stolen
            .header("www-authenticate")
            .is_some_and(|value| value.contains("invalid_token"))
    );

    // A payment needs the payments scope: 403 insufficient_scope.
    let payment = tpp
        .bearer(
            sandbox.mtls_addr(),
            hyper::Method::POST,
            "/payment-requests",
            &bearer,
            "{}",
        )
        .await;
    assert_eq!(payment.status, 403);
    assert!(
        payment
            .header("www-authenticate")
            .is_some_and(|value| value.contains("insufficient_scope"))
    );

    // Refresh, then revoke the refresh token: its access tokens die with it.
    let refreshed = tpp
        .token(
            &sandbox,
            &format!("grant_type=refresh_token&refresh_token={refresh}&client_id={TPP_A}"),
        )
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text());
    let wider = tpp.token(&sandbox, &format!("grant_type=refresh_token&refresh_token={refresh}&client_id={TPP_A}&scope=accounts%20payments")).await;
    assert_eq!(wider.status, 400);
    assert_eq!(wider.json()["error"], "invalid_scope");
    let revoked = tpp
        .revoke(
            &sandbox,
            &format!("token={refresh}&token_type_hint=refresh_token&client_id={TPP_A}"),
        )
        .await;
    assert_eq!(revoked.status, 200);
    let after = tpp
        .bearer(
            sandbox.mtls_addr(),
            hyper::Method::GET,
            "/accounts",
            &bearer,
            "",
        )
        .await;
    assert_eq!(after.status, 401, "access token of a revoked grant");
    let refresh_again = tpp
        .token(
            &sandbox,
            &format!("grant_type=refresh_token&refresh_token={refresh}&client_id={TPP_A}"),
        )
        .await;
    assert_eq!(refresh_again.json()["error"], "invalid_grant");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn pkce_wrong_verifier_and_downgrade_are_refused() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let code = obtain_code(&sandbox, "accounts", "s1", true).await;
    let wrong = redeem(
        &sandbox,
        &tpp,
        TPP_A,
        &code,
        Some("wrong-verifier-wrong-verifier-wrong-verifier"),
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.json()["error"].clone()),
        (400, "invalid_grant".into())
    );

    let code = obtain_code(&sandbox, "accounts", "s2", false).await;
    let downgrade = redeem(&sandbox, &tpp, TPP_A, &code, Some(VERIFIER)).await;
    assert_eq!(
        (downgrade.status, downgrade.json()["error"].clone()),
        (400, "invalid_grant".into())
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn denial_comes_back_as_access_denied_with_state() {
    let sandbox = start(FaultSet::none()).await;
    let query = authorize_query(TPP_A, TPP_A_REDIRECT, "accounts", "deny-state", false);
    let callback = browser_flow(
        &sandbox,
        &query,
        "alice",
        "sandbox-alice-password",
        "cust-alice-personal",
        "deny",
    )
    .await;
    assert_eq!(param(&callback, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&callback, "state").as_deref(), Some("deny-state"));
    assert_eq!(param(&callback, "code"), None);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn registered_query_is_kept_in_the_callback() {
    let sandbox = start(FaultSet::none()).await;
    let redirect = "https://tpp-a.example/callback?tenant=7";
    let query = authorize_query(TPP_A, redirect, "accounts", "q", false);
    let callback = browser_flow(
        &sandbox,
        &query,
        "alice",
        "sandbox-alice-password",
        "cust-alice-personal",
        "grant",
    )
    .await;
    assert!(
        callback.starts_with("https://tpp-a.example/callback?tenant=7&"),
        "{callback}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn errors_before_a_trusted_redirect_are_shown_not_redirected() {
    let sandbox = start(FaultSet::none()).await;
    let browser = Client::new(None);
    let unregistered = authorize_query(TPP_A, "https://evil.example/cb", "accounts", "s", false);
    let page = browser
        .get(
            sandbox.browser_addr(),
            &format!("/authorize?{unregistered}"),
        )
        .await
        .expect("answer");
    assert_eq!(page.status, 400);
    assert!(page.header("location").is_none());
    let unknown = authorize_query("nobody", TPP_A_REDIRECT, "accounts", "s", false);
    let page = browser
        .get(sandbox.browser_addr(), &format!("/authorize?{unknown}"))
        .await
        .expect("answer");
    assert_eq!(page.status, 400);
    assert!(page.header("location").is_none());
    // Trailing slash: not the registered URI (RFC 9700 §2.1 exact matching).
    let variant = authorize_query(
        TPP_A,
        "https://tpp-a.example/callback/",
        "accounts",
        "s",
        false,
    );
    let page = browser
        .get(sandbox.browser_addr(), &format!("/authorize?{variant}"))
        .await
        .expect("answer");
    assert_eq!(page.status, 400);
    // After the redirect URI is trusted, errors go back with state and iss.
    let bad_type = format!(
        "response_type=token&client_id={TPP_A}&redirect_uri={}&state=xyz",
        encode(TPP_A_REDIRECT)
    );
    let redirect = browser
        .get(sandbox.browser_addr(), &format!("/authorize?{bad_type}"))
        .await
        .expect("answer");
    let location = redirect.header("location").expect("error redirect");
    assert_eq!(
        param(location, "error").as_deref(),
        Some("unsupported_response_type")
    );
    assert_eq!(param(location, "state").as_deref(), Some("xyz"));
    assert_eq!(param(location, "iss").as_deref(), Some(sandbox.issuer()));
    let repeated = format!(
        "{}&state=again",
        authorize_query(TPP_A, TPP_A_REDIRECT, "accounts", "first", false)
    );
    let redirect = browser
        .get(sandbox.browser_addr(), &format!("/authorize?{repeated}"))
        .await
        .expect("answer");
    let location = redirect.header("location").expect("error redirect");
    assert_eq!(param(location, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(location, "code"), None);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn client_credentials_secret_client_and_wrong_secret() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let token = tpp
        .token(
            &sandbox,
            &format!("grant_type=client_credentials&client_id={TPP_A}&scope=payments"),
        )
        .await;
    assert_eq!(token.status, 200, "{}", token.text());
    assert!(token.json().get("refresh_token").is_none());
    // The secret client is not registered for client_credentials.
    let basic = "Basic c2VjcmV0LWNsaWVudC0xOnNhbmRib3gtc2VjcmV0LTdkNDFjMA==";
    let refused = tpp
        .post_form(
            sandbox.mtls_addr(),
            "/token",
            "grant_type=client_credentials&scope=accounts",
            &[("authorization", basic)],
        )
        .await
        .expect("answer");
    assert_eq!(
        (refused.status, refused.json()["error"].clone()),
        (400, "unauthorized_client".into())
    );
    let wrong = "Basic c2VjcmV0LWNsaWVudC0xOndyb25n";
    let unauthorized = tpp
        .post_form(
            sandbox.mtls_addr(),
            "/token",
            "grant_type=client_credentials&scope=accounts",
            &[("authorization", wrong)],
        )
        .await
        .expect("answer");
    assert_eq!(unauthorized.status, 401);
    assert!(
        unauthorized
            .header("www-authenticate")
            .is_some_and(|value| value.starts_with("Basic"))
    );
    // TPP B's certificate with TPP A's client_id: invalid_client.
    let impostor = Client::new(Some("tpp-b-all-roles"))
        .post_form(
            sandbox.mtls_addr(),
            "/token",
            &format!("grant_type=client_credentials&client_id={TPP_A}&scope=payments"),
            &[],
        )
        .await
        .expect("answer");
    assert_eq!(
        (impostor.status, impostor.json()["error"].clone()),
        (401, "invalid_client".into())
    );
    let password = tpp
        .token(
            &sandbox,
            &format!("grant_type=password&username=alice&password=x&client_id={TPP_A}"),
        )
        .await;
    assert_eq!(password.json()["error"], "unsupported_grant_type");
    sandbox.shutdown().await;
}
