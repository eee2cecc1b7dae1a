//! The labels of exchanges: the contract between the scenarios, which send
//! requests under these labels, and the judges, which read them.
//!
//! A label names one step. A *journey* label covers every exchange of one
//! user-agent journey, in order: the authorization request, each redirect
//! followed, each login or consent form submitted; the journey stops at the
//! first redirect to the client's redirect URI (the harness need not fetch
//! it). A *request* label covers a single request. A *prefix* names a family
//! of labels (`authorize-redirect-variant-` + a variant name); a judge reads
//! every label of the family.
//!
//! Unless a label says otherwise, requests authenticate as the main client
//! (its certificate on mTLS profiles, its secret otherwise) and journeys use
//! the main client, its registered redirect URI, a fresh `state` and a scope
//! the client may ask for. `crates/psd2-rules/JUDGES.md` tabulates which
//! rule reads which label.

macro_rules! labels {
    ($( $(#[$doc:meta])* $name:ident = $value:literal; )+) => {
        $( $(#[$doc])* pub const $name: &str = $value; )+

        /// Every label and label prefix above.
        pub const ALL: &[&str] = &[$($value),+];
    };
}

labels! {
    // -- metadata --------------------------------------------------------
    /// Request: `GET` of the RFC 8414 metadata URL built from the issuer
    /// (`/.well-known/oauth-authorization-server` inserted between host and
    /// path).
    METADATA = "metadata";

    // -- authorization journeys -------------------------------------------
    /// Journey: a complete authorization in which the PSU grants everything
    /// asked, without `code_challenge`; it ends at the callback.
    AUTHORIZE_GRANT = "authorize-grant";
    /// Journey: a complete authorization in which the PSU denies.
    AUTHORIZE_DENY = "authorize-deny";
    /// Journey: a complete grant using a registered redirect URI that has a
    /// query component (`query_redirect_uri`).
    AUTHORIZE_QUERY_REDIRECT_URI = "authorize-query-redirect-uri";
    /// Journey: a valid authorization request in a fresh user agent (no
    /// cookie) that only follows redirects and submits no form.
    AUTHORIZE_FRESH_AGENT = "authorize-fresh-agent";
    /// Journey: a registered `client_id` with a `redirect_uri` on a host the
    /// client never registered; the agent follows redirects, submits nothing.
    AUTHORIZE_UNREGISTERED_REDIRECT_URI = "authorize-unregistered-redirect-uri";
    /// Journey: an unknown `client_id` with a well-formed `redirect_uri`.
    AUTHORIZE_UNKNOWN_CLIENT = "authorize-unknown-client";
    /// Journey: no `client_id`, a well-formed `redirect_uri`.
    AUTHORIZE_MISSING_CLIENT = "authorize-missing-client";
    /// Journey: a valid request (client, redirect URI, state) without
    /// `response_type`.
    AUTHORIZE_NO_RESPONSE_TYPE = "authorize-no-response-type";
    /// Journey: a valid request with `response_type=foo`.
    AUTHORIZE_UNKNOWN_RESPONSE_TYPE = "authorize-unknown-response-type";
    /// Journey: a valid request with `state` sent twice (two values).
    AUTHORIZE_REPEATED_STATE = "authorize-repeated-state";
    /// Journey: a valid request with `scope` sent twice.
    AUTHORIZE_REPEATED_SCOPE = "authorize-repeated-scope";
    /// Journey: a valid request without `scope`; the PSU grants whatever is
    /// shown.
    AUTHORIZE_NO_SCOPE = "authorize-no-scope";
    /// Request: the code of [`AUTHORIZE_NO_SCOPE`] redeemed normally (only
    /// when that journey produced a code).
    CODE_EXCHANGE_NO_SCOPE = "code-exchange-no-scope";
    /// Journey: a valid request whose scope adds an unknown token to a valid
    /// one; the PSU grants whatever is shown.
    AUTHORIZE_UNKNOWN_SCOPE = "authorize-unknown-scope";
    /// Prefix: one journey per variant of the registered redirect URI
    /// (extra path segment, trailing slash, path case, added query, other
    /// port, subdomain, userinfo, percent-encoding), e.g.
    /// `authorize-redirect-variant-trailing-slash`; the PSU consents when a
    /// consent page is shown.
    AUTHORIZE_REDIRECT_VARIANT_PREFIX = "authorize-redirect-variant-";
    /// Journey: a request with an `http://` redirect URI that is not
    /// loopback; the PSU consents when a consent page is shown.
    AUTHORIZE_HTTP_REDIRECT_URI = "authorize-http-redirect-uri";
    /// Prefix: one journey per probe of an AS page URL listed in the target
    /// configuration, with one of its listed parameters set to an absolute
    /// URL on an outside host, e.g. `open-redirect-probe-logout-return`.
    OPEN_REDIRECT_PROBE_PREFIX = "open-redirect-probe-";
    /// Journey: a valid authorization request carrying an `Origin` header.
    AUTHORIZE_CORS = "authorize-cors";
    /// Journey: a complete authorization in which the PSU grants strictly
    /// less than the scope requested.
    AUTHORIZE_PARTIAL_GRANT = "authorize-partial-grant";
    /// Journey: a complete grant whose request carries an S256
    /// `code_challenge`.
    AUTHORIZE_PKCE = "authorize-pkce";
    /// Journey: a second complete grant of the PSU, independent of
    /// [`AUTHORIZE_GRANT`], whose tokens serve checks that must not touch
    /// the first grant's.
    AUTHORIZE_SECOND_GRANT = "authorize-second-grant";

    // -- token endpoint: authorization_code --------------------------------
    /// Request: the code of the scenario's grant journey redeemed normally.
    CODE_EXCHANGE = "code-exchange";
    /// Request: the same code redeemed a second time, exactly as in
    /// [`CODE_EXCHANGE`].
    CODE_REPLAY = "code-replay";
    /// Request: a resource call with the access token of [`CODE_EXCHANGE`],
    /// sent after [`CODE_REPLAY`].
    RESOURCE_AFTER_CODE_REPLAY = "resource-after-code-replay";
    /// Request: a code redeemed after waiting longer than the profile's
    /// `code_ttl_max`.
    CODE_EXCHANGE_EXPIRED = "code-exchange-expired";
    /// Request: the main client's code redeemed with the second client's
    /// valid credentials.
    CODE_EXCHANGE_OTHER_CLIENT = "code-exchange-other-client";
    /// Request: a code whose authorization request carried `redirect_uri`,
    /// redeemed without `redirect_uri`.
    CODE_EXCHANGE_REDIRECT_URI_OMITTED = "code-exchange-redirect-uri-omitted";
    /// Request: a code redeemed with a `redirect_uri` other than the one of
    /// its authorization request.
    CODE_EXCHANGE_REDIRECT_URI_DIFFERENT = "code-exchange-redirect-uri-different";
    /// Request: `grant_type=authorization_code` without `code`.
    TOKEN_NO_CODE = "token-no-code";
    /// Request: a token request without `grant_type`.
    TOKEN_NO_GRANT_TYPE = "token-no-grant-type";
    /// Request: a token request with an unknown `grant_type`.
    TOKEN_UNKNOWN_GRANT_TYPE = "token-unknown-grant-type";
    /// Request: a code redemption with one parameter (e.g. `code`) repeated.
    TOKEN_REPEATED_PARAMETER = "token-repeated-parameter";
    /// Request: a token request (e.g. a code redemption with a random
    /// `code`) from a client authenticating with HTTP Basic
    /// (`client_secret_basic`, RFC 6749 §2.3.1) that sends its `client_id`
    /// and a wrong secret in the `Authorization` header.
    TOKEN_WRONG_CLIENT_SECRET = "token-wrong-client-secret";
    /// Prefix: a token request with the grant type named after the prefix
    /// (e.g. `token-grant-probe-password`) and dummy values only, sent to
    /// compare the token endpoint's refusal with `grant_types_supported`.
    TOKEN_GRANT_PROBE_PREFIX = "token-grant-probe-";
    /// Request: the code of [`AUTHORIZE_PARTIAL_GRANT`] redeemed normally.
    CODE_EXCHANGE_PARTIAL_GRANT = "code-exchange-partial-grant";
    /// Request: the code of [`AUTHORIZE_SECOND_GRANT`] redeemed normally.
    CODE_EXCHANGE_SECOND_GRANT = "code-exchange-second-grant";
    /// Request: the code of [`AUTHORIZE_GRANT`] redeemed with a `scope`
    /// that adds a scope the PSU never consented to.
    CODE_EXCHANGE_WIDER_SCOPE = "code-exchange-wider-scope";
    /// Request: the code of [`AUTHORIZE_PKCE`] redeemed without
    /// `code_verifier`.
    CODE_EXCHANGE_NO_VERIFIER = "code-exchange-no-verifier";
    /// Request: a code of an S256 journey redeemed with a wrong
    /// `code_verifier`.
    CODE_EXCHANGE_WRONG_VERIFIER = "code-exchange-wrong-verifier";
    /// Request: the code of [`AUTHORIZE_GRANT`] (no `code_challenge`)
    /// redeemed with a `code_verifier`.
    CODE_EXCHANGE_UNEXPECTED_VERIFIER = "code-exchange-unexpected-verifier";
    /// Request: `grant_type=password` with the PSU's credentials.
    TOKEN_PASSWORD_GRANT = "token-password-grant";

    // -- token endpoint: refresh_token --------------------------------------
    /// Request: the refresh token of [`CODE_EXCHANGE`] used by the second
    /// client with its own valid credentials.
    REFRESH_OTHER_CLIENT = "refresh-other-client";
    /// Request: a refresh asking for the granted scope plus a scope never
    /// granted.
    REFRESH_WIDER_SCOPE = "refresh-wider-scope";
    /// Request: a refresh without `scope`.
    REFRESH_NO_SCOPE = "refresh-no-scope";
    /// Request: a resource call, with the access token of
    /// [`REFRESH_NO_SCOPE`], on a service of the original grant.
    RESOURCE_AFTER_REFRESH = "resource-after-refresh";
    /// Request: a refresh with a random refresh token.
    REFRESH_RANDOM_TOKEN = "refresh-random-token";
    /// Request: a refresh with a refresh token revoked before by
    /// [`REVOKE_REFRESH_TOKEN`].
    REFRESH_AFTER_REVOCATION = "refresh-after-revocation";
    /// Request: a refresh with a refresh token past its lifetime.
    REFRESH_EXPIRED_TOKEN = "refresh-expired-token";
    /// Request: a refresh with a valid refresh token and no client
    /// authentication (no certificate, no secret).
    REFRESH_NO_CLIENT_AUTH = "refresh-no-client-auth";

    // -- token endpoint: client_credentials ---------------------------------
    /// Request: a valid client_credentials request.
    CLIENT_CREDENTIALS = "client-credentials";
    /// Request: client_credentials with no client authentication at all.
    CLIENT_CREDENTIALS_NO_AUTH = "client-credentials-no-auth";
    /// Request: client_credentials from a client not allowed the grant
    /// (`grant_restricted_client`).
    CLIENT_CREDENTIALS_RESTRICTED_CLIENT = "client-credentials-restricted-client";
    /// Request: client_credentials without `scope`.
    CLIENT_CREDENTIALS_NO_SCOPE = "client-credentials-no-scope";
    /// Request: RFC 7662 introspection of the access token of
    /// [`CLIENT_CREDENTIALS_NO_SCOPE`], when the target has an introspection
    /// endpoint and a token was issued.
    CLIENT_CREDENTIALS_NO_SCOPE_INTROSPECTION = "client-credentials-no-scope-introspection";

    // -- revocation ---------------------------------------------------------
    /// Request: revocation of the refresh token of [`CODE_EXCHANGE`].
    REVOKE_REFRESH_TOKEN = "revoke-refresh-token";
    /// Request: a resource call with the access token of [`CODE_EXCHANGE`]
    /// after [`REVOKE_REFRESH_TOKEN`] (and the propagation delay).
    RESOURCE_AFTER_REFRESH_REVOCATION = "resource-after-refresh-revocation";
    /// Request: revocation of the access token of [`CODE_EXCHANGE`].
    REVOKE_ACCESS_TOKEN = "revoke-access-token";
    /// Request: a resource call with that access token, sent at least the
    /// profile's `revocation_propagation_delay` after the revocation.
    RESOURCE_AFTER_ACCESS_REVOCATION = "resource-after-access-revocation";
    /// Request: a refresh with the refresh token of the same grant after
    /// [`REVOKE_ACCESS_TOKEN`].
    REFRESH_AFTER_ACCESS_REVOCATION = "refresh-after-access-revocation";
    /// Request: revocation of a random token.
    REVOKE_UNKNOWN_TOKEN = "revoke-unknown-token";
    /// Request: revocation of a valid refresh token with
    /// `token_type_hint=access_token`.
    REVOKE_HINT_ACCESS_TOKEN = "revoke-hint-access-token";
    /// Request: a refresh with the token of [`REVOKE_HINT_ACCESS_TOKEN`].
    REFRESH_AFTER_HINT_ACCESS_TOKEN = "refresh-after-hint-access-token";
    /// Request: revocation of another valid refresh token with
    /// `token_type_hint=foo`.
    REVOKE_HINT_UNKNOWN = "revoke-hint-unknown";
    /// Request: a refresh with the token of [`REVOKE_HINT_UNKNOWN`].
    REFRESH_AFTER_HINT_UNKNOWN = "refresh-after-hint-unknown";
    /// Request: the second client revokes a token of the main client.
    REVOKE_OTHER_CLIENT = "revoke-other-client";
    /// Request: the main client uses that token afterwards: a refresh for a
    /// refresh token, a resource call for an access token.
    USE_AFTER_OTHER_CLIENT_REVOCATION = "use-after-other-client-revocation";
    /// Request: a revocation without any client authentication.
    REVOKE_NO_CLIENT_AUTH = "revoke-no-client-auth";
    /// Request: the main client uses that token afterwards (refresh or
    /// resource call).
    USE_AFTER_UNAUTHENTICATED_REVOCATION = "use-after-unauthenticated-revocation";

    // -- protected resources ------------------------------------------------
    /// Request: a resource call with no credentials at all.
    RESOURCE_NO_CREDENTIALS = "resource-no-credentials";
    /// Request: a resource call with a syntactically malformed bearer token.
    RESOURCE_MALFORMED_TOKEN = "resource-malformed-token";
    /// Request: a resource call with a well-formed but unknown bearer token.
    RESOURCE_UNKNOWN_TOKEN = "resource-unknown-token";
    /// Request: a resource call with a valid token only in the
    /// `access_token` query parameter.
    RESOURCE_QUERY_TOKEN = "resource-query-token";
    /// Prefix: a resource call with a valid token on an endpoint of a
    /// service outside its scope, e.g. `resource-out-of-scope-ais-on-pis`.
    RESOURCE_OUT_OF_SCOPE_PREFIX = "resource-out-of-scope-";
    /// Request: the access token of [`CODE_EXCHANGE`] presented with the
    /// second client's certificate.
    RESOURCE_OTHER_CERTIFICATE = "resource-other-certificate";

    // -- transport ----------------------------------------------------------
    /// Request: a dummy authorization request to the `http://` form of the
    /// authorization endpoint.
    CLEARTEXT_AUTHORIZE = "cleartext-authorize";
    /// Request: a dummy token request (invented code, no secret) to the
    /// `http://` form of the token endpoint.
    CLEARTEXT_TOKEN = "cleartext-token";
    /// Request: a dummy revocation request to the `http://` form of the
    /// revocation endpoint.
    CLEARTEXT_REVOCATION = "cleartext-revocation";
    /// Request: a dummy registration request to the `http://` form of the
    /// registration endpoint (`dcr`).
    CLEARTEXT_REGISTRATION = "cleartext-registration";
}

/// Prefix of the exchanges of the harness's `advance_clock` steps (`POST`
/// of `advance_secs=N` to the target's `clock_control` URL). Not a request
/// label a scenario may use for anything else: judges that measure a
/// lifetime (CORE-AC-03) add the seconds of those answered 2xx to the real
/// time between two exchanges.
pub const CLOCK_PREFIX: &str = "clock-";

/// Whether `label` is a prefix of a label family rather than a label.
#[must_use]
pub fn is_prefix(label: &str) -> bool {
    label.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for label in ALL {
            assert!(seen.insert(*label), "{label} twice");
            assert!(
                label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{label}"
            );
        }
        assert!(is_prefix(RESOURCE_OUT_OF_SCOPE_PREFIX));
        assert!(!is_prefix(CODE_EXCHANGE));
    }
}
