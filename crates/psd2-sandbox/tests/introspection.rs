//! Token introspection (RFC 7662) over real TLS: what the client a token was
//! issued to learns about it, `{"active":false}` for everything else, and
//! the `client-credentials-default-unreported` fault seen through it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use psd2_sandbox::{Fault, FaultSet, RunningSandbox};
use psd2_wire::{AuthorizationServerMetadata, IntrospectionResponse, JsonMessage};
use serde_json::json;
use support::*;

/// `POST /introspect` with `form` as the body.
async fn introspect(sandbox: &RunningSandbox, tpp: &Client, form: &str) -> Reply {
    tpp.post_form(sandbox.mtls_addr(), "/introspect", form, &[])
        .await
        .expect("the introspection endpoint answers")
}

/// Introspects `token` as `client_id` and checks the RFC 7662 §2.2 framing.
async fn introspect_as(
    sandbox: &RunningSandbox,
    tpp: &Client,
    client_id: &str,
    token: &str,
) -> IntrospectionResponse {
    let reply = introspect(
        sandbox,
        tpp,
        &format!("token={}&client_id={}", encode(token), encode(client_id)),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    IntrospectionResponse::decode(&reply.body).expect("an introspection response")
}

async fn inactive(sandbox: &RunningSandbox, tpp: &Client, client_id: &str, token: &str) {
    let reply = introspect(
        sandbox,
        tpp,
        &format!("token={}&client_id={}", encode(token), encode(client_id)),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    // RFC 7662 §2.2: nothing but `active` about an inactive token.
    assert_eq!(reply.json(), json!({ "active": false }));
}

async fn client_credentials(sandbox: &RunningSandbox, tpp: &Client, scope: Option<&str>) -> Reply {
    let mut form = format!("grant_type=client_credentials&client_id={TPP_A}");
    if let Some(scope) = scope {
        form.push_str(&format!("&scope={}", encode(scope)));
    }
    let reply = tpp.token(sandbox, &form).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply
}

fn access_token(reply: &Reply) -> String {
    reply.json()["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

#[tokio::test]
async fn an_access_token_is_described_to_its_client_only() {
    let sandbox = start(FaultSet::none()).await;
    let tpp_a = Client::new(Some("tpp-a-all-roles"));
    let tpp_b = Client::new(Some("tpp-b-all-roles"));
    let issued = client_credentials(&sandbox, &tpp_a, Some("payments")).await;
    let token = access_token(&issued);

    let answer = introspect_as(&sandbox, &tpp_a, TPP_A, &token).await;
    assert!(answer.active);
    assert_eq!(
        answer.scope.as_ref().map(ToString::to_string).as_deref(),
        Some("payments")
    );
    assert_eq!(answer.client_id.as_ref().map(|id| id.as_str()), Some(TPP_A));
    assert_eq!(
        answer.token_type.as_ref().map(|t| t.as_str()),
        Some("Bearer")
    );
    assert_eq!(answer.iss.as_deref(), Some(sandbox.issuer()));
    // No PSU behind a client_credentials token.
    assert_eq!(answer.sub, None);
    let (exp, iat) = (answer.exp.expect("exp"), answer.iat.expect("iat"));
    let expires_in = issued.json()["expires_in"].as_u64().expect("expires_in");
    assert_eq!(exp - iat, expires_in);
    // RFC 8705 §3.2: the thumbprint of TPP A's certificate, 43 base64url
    // characters.
    let thumbprint = answer.cnf_x5t_s256.clone().expect("cnf.x5t#S256");
    assert_eq!(thumbprint.len(), 43, "{thumbprint}");
    assert!(answer.cnf_extra.is_empty() && answer.extra.is_empty());

    // The hint changes nothing, even when it is wrong (RFC 7662 §2.1).
    let hinted = introspect(
        &sandbox,
        &tpp_a,
        &format!(
            "token={}&token_type_hint=refresh_token&client_id={TPP_A}",
            encode(&token)
        ),
    )
    .await;
    assert_eq!(hinted.json()["active"], true);

    // TPP B may not introspect TPP A's token (RFC 7662 §2.2).
    inactive(&sandbox, &tpp_b, TPP_B, &token).await;
    // A token that was never issued.
    inactive(&sandbox, &tpp_a, TPP_A, "2YotnFZFEjr1zCsicMWpAA").await;
    // A tampered one.
    inactive(&sandbox, &tpp_a, TPP_A, &format!("{token}x")).await;

    // Revoked: inactive.
    let revoked = tpp_a
        .revoke(
            &sandbox,
            &format!("token={}&client_id={TPP_A}", encode(&token)),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    inactive(&sandbox, &tpp_a, TPP_A, &token).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_expired_access_token_is_inactive() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let token = access_token(&client_credentials(&sandbox, &tpp, Some("payments")).await);
    assert!(introspect_as(&sandbox, &tpp, TPP_A, &token).await.active);
    let admin = Client::new(Some("admin-clock-control"));
    let moved = admin
        .post_form(sandbox.mtls_addr(), "/admin/clock", "advance_secs=601", &[])
        .await
        .expect("answer");
    assert_eq!(moved.status, 200, "{}", moved.text());
    inactive(&sandbox, &tpp, TPP_A, &token).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn code_flow_tokens_name_the_psu_and_revocation_ends_them() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let code = obtain_code(&sandbox, "accounts", "introspect", true).await;
    let tokens = tpp
        .token(
            &sandbox,
            &format!(
                "grant_type=authorization_code&code={}&redirect_uri={}&client_id={TPP_A}&code_verifier={VERIFIER}",
                encode(&code),
                encode(TPP_A_REDIRECT)
            ),
        )
        .await;
    assert_eq!(tokens.status, 200, "{}", tokens.text());
    let access = access_token(&tokens);
    let refresh = tokens.json()["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();

    let described = introspect_as(&sandbox, &tpp, TPP_A, &access).await;
    assert!(described.active);
    assert_eq!(described.sub.as_deref(), Some("psu-alice"), "{described:?}");
    assert_eq!(
        described.scope.as_ref().map(ToString::to_string).as_deref(),
        Some("accounts")
    );

    let refreshed = introspect_as(&sandbox, &tpp, TPP_A, &refresh).await;
    assert!(refreshed.active);
    assert_eq!(
        refreshed.scope.as_ref().map(ToString::to_string).as_deref(),
        Some("accounts")
    );
    assert_eq!(
        refreshed.client_id.as_ref().map(|id| id.as_str()),
        Some(TPP_A)
    );
    assert_eq!(refreshed.sub, described.sub);
    assert_eq!(refreshed.iss.as_deref(), Some(sandbox.issuer()));
    // A refresh token has no OAuth token type, and no certificate binding.
    assert_eq!(refreshed.token_type, None);
    assert_eq!(refreshed.cnf_x5t_s256, None);
    assert!(refreshed.exp > described.exp);

    // Another client's refresh token is not described.
    let tpp_b = Client::new(Some("tpp-b-all-roles"));
    inactive(&sandbox, &tpp_b, TPP_B, &refresh).await;

    // Revoking the refresh token ends the grant: both tokens are inactive.
    let revoked = tpp
        .revoke(
            &sandbox,
            &format!("token={}&client_id={TPP_A}", encode(&refresh)),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text());
    inactive(&sandbox, &tpp, TPP_A, &refresh).await;
    inactive(&sandbox, &tpp, TPP_A, &access).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn introspection_needs_client_authentication() {
    let sandbox = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let token = access_token(&client_credentials(&sandbox, &tpp, Some("payments")).await);

    // No client_id, no Authorization header: invalid_client, nothing about
    // the token.
    let anonymous = introspect(&sandbox, &tpp, &format!("token={}", encode(&token))).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text());
    assert_eq!(anonymous.json()["error"], "invalid_client");
    assert!(anonymous.json().get("active").is_none());

    // TPP B's certificate with TPP A's client_id.
    let impostor = introspect(
        &sandbox,
        &Client::new(Some("tpp-b-all-roles")),
        &format!("token={}&client_id={TPP_A}", encode(&token)),
    )
    .await;
    assert_eq!(impostor.status, 401, "{}", impostor.text());
    assert_eq!(impostor.json()["error"], "invalid_client");

    // A wrong HTTP Basic secret: 401 with a Basic challenge.
    let wrong = tpp
        .post_form(
            sandbox.mtls_addr(),
            "/introspect",
            &format!("token={}", encode(&token)),
            &[("authorization", "Basic c2VjcmV0LWNsaWVudC0xOndyb25n")],
        )
        .await
        .expect("answer");
    assert_eq!(wrong.status, 401);
    assert!(
        wrong
            .header("www-authenticate")
            .is_some_and(|value| value.starts_with("Basic"))
    );

    // No token: invalid_request.
    let missing = introspect(&sandbox, &tpp, &format!("client_id={TPP_A}")).await;
    assert_eq!(missing.status, 400, "{}", missing.text());
    assert_eq!(missing.json()["error"], "invalid_request");

    // Not on the browser listener.
    let browser = Client::new(None)
        .post_form(
            sandbox.browser_addr(),
            "/introspect",
            &format!("token={}&client_id={TPP_A}", encode(&token)),
            &[],
        )
        .await
        .expect("answer");
    assert_eq!(browser.status, 404);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn metadata_advertises_the_endpoint() {
    let sandbox = start(FaultSet::none()).await;
    let reply = Client::new(None)
        .get(
            sandbox.browser_addr(),
            "/.well-known/oauth-authorization-server",
        )
        .await
        .expect("metadata answers");
    assert_eq!(reply.status, 200);
    let metadata = AuthorizationServerMetadata::decode(&reply.body).expect("metadata");
    let endpoint = metadata
        .introspection_endpoint
        .clone()
        .expect("introspection_endpoint");
    assert!(endpoint.ends_with("/introspect"), "{endpoint}");
    assert_eq!(
        metadata.introspection_endpoint_for_mtls(),
        Some(endpoint.as_str())
    );
    assert_eq!(
        metadata.introspection_endpoint_auth_methods_supported,
        metadata.revocation_endpoint_auth_methods_supported
    );
    assert!(
        metadata
            .introspection_endpoint_auth_methods_supported
            .is_some()
    );
    // On the mTLS listener, where the endpoint answers.
    assert_eq!(
        endpoint,
        format!("https://{}/introspect", sandbox.mtls_addr())
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn default_scope_unreported_is_still_visible_by_introspection() {
    // Clean: a request without scope gets the documented default, reported.
    let clean = start(FaultSet::none()).await;
    let tpp = Client::new(Some("tpp-a-all-roles"));
    let reply = client_credentials(&clean, &tpp, None).await;
    assert_eq!(reply.json()["scope"], "payments");
    // With a scope asked for, the response says it either way.
    let asked = client_credentials(&clean, &tpp, Some("payments")).await;
    assert_eq!(asked.json()["scope"], "payments");
    clean.shutdown().await;

    let faulty = start(FaultSet::only(Fault::ClientCredentialsDefaultUnreported)).await;
    let reply = client_credentials(&faulty, &tpp, None).await;
    assert!(
        reply.json().get("scope").is_none(),
        "the fault leaves scope out: {}",
        reply.text()
    );
    let described = introspect_as(&faulty, &tpp, TPP_A, &access_token(&reply)).await;
    assert!(described.active);
    assert_eq!(
        described.scope.as_ref().map(ToString::to_string).as_deref(),
        Some("payments"),
        "the documented default was applied"
    );
    // Only the defaulted case is affected.
    let asked = client_credentials(&faulty, &tpp, Some("payments")).await;
    assert_eq!(asked.json()["scope"], "payments");
    faulty.shutdown().await;
}
