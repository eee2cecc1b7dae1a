//! Fault switches: each one makes the sandbox break specific (rule, case)
//! pairs of the catalogue, realistically, the way a real bank gets them wrong.
//!
//! The table below is the only place that says which fault breaks which
//! rule; `--list-faults`, the catalogue's `proof` entries and the fault matrix
//! of the conformance proof all read it.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use psd2_rules::{MAIN_CASE, RuleId};

macro_rules! faults {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, $description:literal, [$( ($rule:expr, $case:expr) ),+ $(,)?]; )+) => {
        /// One misbehaviour.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Fault {
            $( $(#[$doc])* $variant, )+
        }

        /// Every fault, in name order.
        pub const FAULTS: &[FaultSpec] = &[
            $( FaultSpec {
                fault: Fault::$variant,
                name: $name,
                description: $description,
                breaks: &[$( ($rule, $case) ),+],
            }, )+
        ];

        impl Fault {
            /// The command-line name.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $( Fault::$variant => $name, )+
                }
            }

            /// Its row of [`FAULTS`].
            #[must_use]
            pub fn spec(self) -> &'static FaultSpec {
                let index = FAULTS.iter().position(|row| row.fault == self);
                // The macro writes one row per variant, so the search always
                // succeeds; the fallback only keeps this free of panics.
                &FAULTS[index.unwrap_or(0)]
            }
        }
    };
}

/// What a fault is and which (rule, case) pairs it breaks.
#[derive(Debug, Clone, Copy)]
pub struct FaultSpec {
    /// The switch.
    pub fault: Fault,
    /// The name on the command line (`--fault NAME`).
    pub name: &'static str,
    /// What the server does wrong.
    pub description: &'static str,
    /// The (rule, case) pairs it breaks, and only those.
    pub breaks: &'static [(RuleId, &'static str)],
}

use RuleId as R;

faults! {
    /// Authorization errors use an error code that is not registered for the authorization endpoint.
    AuthorizeErrorUnregisteredCode => "authorize-error-unregistered-code", "authorization errors use an error code that is not registered for the authorization endpoint", [(R::CoreAz03, "registered-code"), (R::CoreAz03, "error-code")];
    /// Authorization error redirects leave out state.
    AuthorizeErrorWithoutState => "authorize-error-without-state", "authorization error redirects leave out state", [(R::CoreAz03, "state")];
    /// A repeated parameter at the authorization endpoint is read as its first value and the flow goes on.
    AuthorizeRepeatedParameterAccepted => "authorize-repeated-parameter-accepted", "a repeated parameter at the authorization endpoint is read as its first value and the flow goes on", [(R::CoreAz03, "no-code"), (R::CoreAz03, "error-code"), (R::CoreAz03, "registered-code")];
    /// Callback parameters are put in the fragment instead of the query.
    CallbackInFragment => "callback-in-fragment", "callback parameters are put in the fragment instead of the query", [(R::CoreCb01, "query")];
    /// The callback's state is cut to 8 characters.
    CallbackStateAltered => "callback-state-altered", "the callback's state is cut to 8 characters", [(R::CoreCb01, "state")];
    /// Client credentials are issued to clients not registered for the grant.
    ClientCredentialsAnyClient => "client-credentials-any-client", "client credentials are issued to clients not registered for the grant", [(R::CoreCc03, MAIN_CASE)];
    /// Client credentials without scope get the documented default scope, but the token response does not say which.
    ClientCredentialsDefaultUnreported => "client-credentials-default-unreported", "client credentials without scope get the documented default scope, but the token response does not say which (no scope member)", [(R::CoreCc04, "default-or-invalid-scope")];
    /// Client credentials without scope fail with 500.
    ClientCredentialsMissingScope500 => "client-credentials-missing-scope-500", "client credentials without scope fail with 500", [(R::CoreCc04, "default-or-invalid-scope")];
    /// Client credentials responses include a refresh token.
    ClientCredentialsRefreshToken => "client-credentials-refresh-token", "client credentials responses include a refresh token", [(R::CoreCc02, MAIN_CASE)];
    /// Client credentials without scope get an undocumented default.
    ClientCredentialsUndocumentedDefault => "client-credentials-undocumented-default", "client credentials without scope get every scope of the client, a default the bank does not document", [(R::CoreCc04, "documented-default")];
    /// Client credentials are issued to a bare client_id without authentication.
    ClientCredentialsWithoutAuth => "client-credentials-without-auth", "client credentials are issued to a bare client_id without authentication", [(R::CoreCc01, MAIN_CASE)];
    /// A code can be redeemed by any authenticated client.
    CodeAnyClient => "code-any-client", "a code can be redeemed by any authenticated client", [(R::CoreAc04, "no-token"), (R::CoreAc04, "error-format")];
    /// Authorization codes live 24 hours.
    CodeLongLived => "code-long-lived", "authorization codes live 24 hours", [(R::CoreAc03, MAIN_CASE)];
    /// The success callback names the code `authCode`.
    CodeParameterMisnamed => "code-parameter-misnamed", "the success callback carries the code as authCode instead of code", [(R::CoreCb01, "code")];
    /// Authorization codes can be redeemed again.
    CodeReusable => "code-reusable", "authorization codes can be redeemed again", [(R::CoreAc01, "no-token"), (R::CoreAc01, "error-format"), (R::CoreAc02, MAIN_CASE)];
    /// The consent POST is answered with 302 instead of 303.
    Consent302 => "consent-302", "the consent POST is answered with a 302 redirect to the client instead of 303", [(R::SecAz06, "see-other")];
    /// The consent POST is answered with 307, which re-posts the form to the client.
    Consent307 => "consent-307", "the consent POST is answered with a 307 redirect to the client, which makes the browser re-post the form there", [(R::SecAz06, "no-307"), (R::SecAz06, "see-other")];
    /// The authorization endpoint answers Access-Control-Allow-Origin: *.
    CorsOnAuthorize => "cors-on-authorize", "the authorization endpoint answers Access-Control-Allow-Origin: *", [(R::SecAz05, MAIN_CASE)];
    /// A denial still carries a code.
    DenyWithCode => "deny-with-code", "a denial comes back with a code beside error=access_denied", [(R::CoreCb02, "no-code")];
    /// A denial is sent back without state.
    DenyWithoutState => "deny-without-state", "a denial comes back without state", [(R::CoreCb02, "state")];
    /// A denial comes back as error=server_error.
    DenyWrongError => "deny-wrong-error", "a denial comes back as error=server_error", [(R::CoreCb02, "access-denied")];
    /// The query of a registered redirect URI is replaced by code and state.
    DropRegisteredQuery => "drop-registered-query", "the query of a registered redirect URI is replaced by code and state", [(R::CoreCb03, MAIN_CASE)];
    /// Sign-in and consent pages send neither X-Frame-Options nor CSP frame-ancestors.
    FrameablePages => "frameable-pages", "sign-in and consent pages send neither X-Frame-Options nor CSP frame-ancestors", [(R::SecAz04, "framing-blocked"), (R::SecAz04, "csp")];
    /// The http:// variant of a registered redirect URI is accepted.
    HttpRedirectAccepted => "http-redirect-accepted", "the http:// variant of a registered https redirect URI is accepted and receives the code", [(R::SecAz02, MAIN_CASE)];
    /// Invalid_client after Basic authentication is a 400 without WWW-Authenticate.
    InvalidClientNoChallenge => "invalid-client-no-challenge", "invalid_client after Basic authentication is a 400 without WWW-Authenticate", [(R::CoreAc06, "invalid-client-401")];
    /// Metadata lists the password grant, which the server refuses.
    MetadataContradiction => "metadata-contradiction", "metadata lists the password grant, which the server refuses", [(R::CoreMd03, MAIN_CASE)];
    /// Metadata issuer has a trailing slash the issuer URL does not have.
    MetadataIssuerMismatch => "metadata-issuer-mismatch", "metadata issuer has a trailing slash the issuer URL does not have", [(R::CoreMd02, "issuer")];
    /// No metadata document is published.
    MetadataMissing => "metadata-missing", "no metadata document is published", [(R::CoreMd01, MAIN_CASE)];
    /// Metadata leaves out code_challenge_methods_supported.
    MetadataNoPkce => "metadata-no-pkce", "metadata leaves out code_challenge_methods_supported", [(R::SecMd01, MAIN_CASE)];
    /// Metadata leaves out response_types_supported.
    MetadataNoResponseTypes => "metadata-no-response-types", "metadata leaves out response_types_supported", [(R::CoreMd02, "required-members")];
    /// Metadata is served as text/plain.
    MetadataNotJson => "metadata-not-json", "metadata is served as text/plain", [(R::CoreMd02, "json-200")];
    /// A missing scope makes the authorization endpoint fail with 500.
    MissingScope500 => "missing-scope-500", "an authorization request without scope fails with 500", [(R::CoreAz04, "default-or-invalid-scope")];
    /// Token responses are sent without Cache-Control: no-store.
    NoCacheControl => "no-cache-control", "token responses are sent without Cache-Control: no-store", [(R::CoreAc08, "no-store")];
    /// Pages send X-Frame-Options but no CSP frame-ancestors.
    NoCspFrameAncestors => "no-csp-frame-ancestors", "pages send X-Frame-Options but no CSP frame-ancestors", [(R::SecAz04, "csp")];
    /// Callbacks lack iss although the metadata promises it (RFC 9207).
    NoIss => "no-iss", "callbacks lack iss although the metadata promises it (RFC 9207)", [(R::CoreCb05, "success"), (R::CoreCb05, "error")];
    /// Token responses are sent without Pragma: no-cache.
    NoPragma => "no-pragma", "token responses are sent without Pragma: no-cache", [(R::CoreAc08, "pragma")];
    /// The authorization endpoint issues a code without any sign-in or consent page.
    NoPsuAuthentication => "no-psu-authentication", "the authorization endpoint issues a code without any sign-in or consent page", [(R::CoreAz05, MAIN_CASE)];
    /// The logout page forwards to any return_to URL.
    OpenRedirect => "open-redirect", "the logout page forwards the browser to any return_to URL", [(R::SecAz03, MAIN_CASE)];
    /// A narrowed grant is issued without scope in the token response.
    PartialScopeUnreported => "partial-scope-unreported", "a narrowed grant is issued without scope in the token response", [(R::CoreAc09, MAIN_CASE)];
    /// The resource owner password grant issues tokens.
    PasswordGrant => "password-grant", "the resource owner password grant issues tokens", [(R::SecAc04, MAIN_CASE)];
    /// A code issued without code_challenge is redeemed with a code_verifier.
    PkceDowngrade => "pkce-downgrade", "a code issued without code_challenge is redeemed with a code_verifier", [(R::SecAc02, MAIN_CASE)];
    /// The code_verifier is not checked against the S256 challenge.
    PkceNotEnforced => "pkce-not-enforced", "the code_verifier is not checked against the S256 challenge", [(R::SecAc01, "no-token"), (R::SecAc01, "wrong-verifier-error"), (R::SecAc01, "error-format")];
    /// Plain HTTP is served on the TLS ports.
    PlaintextHttp => "plaintext-http", "plain HTTP is answered on the TLS ports: the sign-in page is served without TLS", [(R::CoreTl01, "authorize")];
    /// Errors for an unknown or missing client_id are redirected to the given redirect URI.
    RedirectForUnknownClient => "redirect-for-unknown-client", "errors for an unknown or missing client_id are redirected to the given redirect URI", [(R::CoreAz02, "unknown-client"), (R::CoreAz02, "missing-client")];
    /// Redirect URIs match when they start with a registered one.
    RedirectPrefixMatch => "redirect-prefix-match", "redirect URIs match when they start with a registered one", [(R::SecAz01, MAIN_CASE)];
    /// An unregistered redirect URI gets an error redirect instead of an error page.
    RedirectToUnregisteredUri => "redirect-to-unregistered-uri", "an unregistered redirect URI gets an error redirect instead of an error page", [(R::CoreAz01, "no-redirect"), (R::CoreAz01, "error-shown")];
    /// The token endpoint does not compare redirect_uri with the authorization request.
    RedirectUriUnchecked => "redirect-uri-unchecked", "the token endpoint does not compare redirect_uri with the authorization request", [(R::CoreAc05, "no-token-omitted"), (R::CoreAc05, "no-token-different"), (R::CoreAc05, "error-format")];
    /// A refresh token works for any authenticated client.
    RefreshAnyClient => "refresh-any-client", "a refresh token works for any authenticated client", [(R::CoreRt01, "no-token"), (R::CoreRt01, "error-format")];
    /// A bad refresh token gets invalid_request instead of invalid_grant.
    RefreshErrorsInvalidRequest => "refresh-errors-invalid-request", "a bad refresh token is answered 400 invalid_request instead of invalid_grant", [(R::CoreRt04, "error-format"), (R::CoreRt01, "error-format")];
    /// An expired refresh token still refreshes.
    RefreshExpiredAccepted => "refresh-expired-accepted", "an expired refresh token still refreshes", [(R::CoreRt04, "no-token-expired"), (R::CoreRt04, "error-format")];
    /// A refresh without scope drops a scope and does not say so.
    RefreshNarrowsSilently => "refresh-narrows-silently", "a refresh without scope drops a granted scope and leaves scope out of the response", [(R::CoreRt03, "narrowed-reported")];
    /// A revoked refresh token still refreshes.
    RefreshRevokedAccepted => "refresh-revoked-accepted", "a revoked refresh token still refreshes", [(R::CoreRt04, "no-token-revoked"), (R::CoreRt04, "error-format"), (R::CoreRv01, "refresh-fails"), (R::CoreRv04, "hint-access-token"), (R::CoreRv04, "hint-unknown")];
    /// A refresh asking for scopes never granted gets them.
    RefreshScopeWidened => "refresh-scope-widened", "a refresh asking for scopes never granted gets them", [(R::CoreRt02, "no-wider-scope"), (R::CoreRt02, "error-format")];
    /// An unknown refresh token refreshes the client's latest grant.
    RefreshUnknownFallsBack => "refresh-unknown-falls-back", "an unknown or expired refresh token refreshes the client's most recent grant", [(R::CoreRt04, "no-token-random"), (R::CoreRt04, "no-token-expired"), (R::CoreRt04, "error-format")];
    /// A refresh without scope returns every scope the client may have.
    RefreshWidensToClientScopes => "refresh-widens-to-client-scopes", "a refresh without scope is granted every scope the client may have", [(R::CoreRt03, "not-wider")];
    /// A refresh with a bare client_id and no authentication works.
    RefreshWithoutAuth => "refresh-without-auth", "a refresh with a bare client_id and no authentication works", [(R::CoreRt05, MAIN_CASE)];
    /// Replaying a spent code does not revoke the tokens it issued.
    ReplayKeepsTokens => "replay-keeps-tokens", "replaying a spent code does not revoke the tokens it issued", [(R::CoreAc02, MAIN_CASE)];
    /// Resources accept a token over a connection with another certificate.
    ResourceBindingIgnored => "resource-binding-ignored", "resources accept a token over a connection with another certificate", [(R::SecRs01, MAIN_CASE)];
    /// An invalid token is answered 400 invalid_request.
    ResourceInvalidToken400 => "resource-invalid-token-400", "an invalid token is answered 400 invalid_request instead of 401 invalid_token", [(R::CoreRs02, "invalid-token")];
    /// Resources answer 401 without WWW-Authenticate.
    ResourceNoChallenge => "resource-no-challenge", "resources answer 401 without WWW-Authenticate", [(R::CoreRs01, "challenge"), (R::CoreRs02, "challenge"), (R::CoreRs02, "invalid-token"), (R::CoreRs04, "insufficient-scope")];
    /// A request without token is answered with an error code.
    ResourceNoTokenErrorCode => "resource-no-token-error-code", "a resource request without any token is answered with error=invalid_request", [(R::CoreRs01, "no-error-code")];
    /// A token in the query gets a cacheable response.
    ResourceQueryTokenCacheable => "resource-query-token-cacheable", "a response to a token sent in the query has no Cache-Control: private", [(R::CoreRs03, "cache-private")];
    /// Any valid token opens any service's resources.
    ResourceScopeIgnored => "resource-scope-ignored", "any valid token opens any service's resources", [(R::CoreRs04, "no-data"), (R::CoreRs04, "insufficient-scope")];
    /// The token's signature is not checked at the resources.
    ResourceSignatureUnchecked => "resource-signature-unchecked", "resources read the token's claims without checking its signature", [(R::CoreRs02, "no-data"), (R::CoreRs02, "challenge"), (R::CoreRs02, "invalid-token")];
    /// Resources are served without a token.
    ResourceWithoutToken => "resource-without-token", "resources are served without a token", [(R::CoreRs01, "no-data"), (R::CoreRs01, "challenge")];
    /// Revoking an access token answers 200 and does nothing.
    RevokeAccessNoop => "revoke-access-noop", "revoking an access token answers 200 and does nothing", [(R::CoreRv03, "access-token-revoked")];
    /// A client can revoke another client's token.
    RevokeOtherClientsToken => "revoke-other-clients-token", "a client can revoke another client's token", [(R::CoreRv05, "not-revoked")];
    /// Revoking a refresh token answers 204.
    RevokeRefresh204 => "revoke-refresh-204", "revoking a refresh token works but answers 204 instead of 200", [(R::CoreRv01, "status-200")];
    /// Revoking a refresh token leaves the grant's access tokens working.
    RevokeRefreshKeepsAccess => "revoke-refresh-keeps-access", "revoking a refresh token leaves the grant's access tokens working", [(R::CoreRv02, MAIN_CASE)];
    /// Revoking a refresh token answers 200 and does nothing.
    RevokeRefreshNoop => "revoke-refresh-noop", "revoking a refresh token answers 200 and does nothing", [(R::CoreRv01, "refresh-fails"), (R::CoreRv02, MAIN_CASE), (R::CoreRv04, "hint-access-token"), (R::CoreRv04, "hint-unknown"), (R::CoreRt04, "no-token-revoked"), (R::CoreRt04, "error-format")];
    /// Revoking an unknown token answers 400 invalid_request.
    RevokeUnknown400 => "revoke-unknown-400", "revoking an unknown token answers 400 invalid_request", [(R::CoreRv04, "unknown-token-200")];
    /// Revocation works without client authentication.
    RevokeWithoutAuth => "revoke-without-auth", "a revocation request with a bare client_id and no authentication is carried out", [(R::CoreRv06, MAIN_CASE)];
    /// Token endpoint errors are plain text.
    TokenErrorsNotJson => "token-errors-not-json", "token endpoint errors are plain text", [(R::CoreAc06, "error-format"), (R::CoreAc01, "error-format")];
    /// Token responses leave out expires_in.
    TokenNoExpiresIn => "token-no-expires-in", "token responses leave out expires_in", [(R::CoreAc07, "expires-in")];
    /// Token responses leave out token_type.
    TokenNoTokenType => "token-no-token-type", "token responses leave out token_type", [(R::CoreAc07, "success-shape")];
    /// A repeated token-request parameter is read as its first value.
    TokenRepeatedParameterAccepted => "token-repeated-parameter-accepted", "a repeated token-request parameter is read as its first value and tokens are issued", [(R::CoreAc06, "no-token"), (R::CoreAc06, "error-format")];
    /// A scope added to the code exchange is granted on top of the consent.
    TokenScopeWidened => "token-scope-widened", "a scope added to the code exchange is granted on top of the consent", [(R::CoreAc10, "no-wider-scope")];
    /// A missing scope is replaced by an undocumented default.
    UndocumentedDefaultScope => "undocumented-default-scope", "an authorization request without scope gets every scope of the client, a default the bank does not document", [(R::CoreAz04, "documented-default")];
    /// An unknown scope makes the authorization endpoint fail with 500.
    UnknownScope500 => "unknown-scope-500", "an unknown scope makes the authorization endpoint fail with 500", [(R::CoreAz04, "unknown-scope")];
    /// The server presents a certificate clients cannot trust.
    UntrustedServerCertificate => "untrusted-server-certificate", "the server presents a certificate from an untrusted CA for another name", [(R::CoreTl02, MAIN_CASE)];
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// No fault has that name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fault: {0:?} is not a fault name (see --list-faults)")]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FAULTS
            .iter()
            .find(|row| row.name == s)
            .map(|row| row.fault)
            .ok_or_else(|| UnknownFault(s.to_owned()))
    }
}

/// The faults switched on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultSet(BTreeSet<Fault>);

impl FaultSet {
    /// No fault: a compliant bank.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }
    /// One fault.
    #[must_use]
    pub fn only(fault: Fault) -> Self {
        Self(BTreeSet::from([fault]))
    }
    /// Switches a fault on.
    pub fn insert(&mut self, fault: Fault) {
        self.0.insert(fault);
    }
    /// Whether a fault is on.
    #[must_use]
    pub fn has(&self, fault: Fault) -> bool {
        self.0.contains(&fault)
    }
    /// The faults switched on.
    pub fn iter(&self) -> impl Iterator<Item = Fault> + '_ {
        self.0.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_sorted_and_parse_back() {
        for pair in FAULTS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} then {}",
                pair[0].name,
                pair[1].name
            );
        }
        for row in FAULTS {
            assert_eq!(row.name.parse::<Fault>(), Ok(row.fault));
            assert_eq!(row.fault.spec().name, row.name);
        }
    }

    #[test]
    fn every_case_a_fault_breaks_exists_in_the_catalogue() {
        let catalogue = psd2_rules::Catalogue::builtin().expect("the built-in catalogue parses");
        for row in FAULTS {
            assert!(!row.breaks.is_empty(), "{} breaks nothing", row.name);
            for (rule, case) in row.breaks {
                let entry = catalogue
                    .rule(*rule)
                    .expect("every RuleId is in the catalogue");
                assert!(
                    *case == MAIN_CASE || entry.case(case).is_some(),
                    "{}: {rule} has no case {case:?}",
                    row.name
                );
            }
        }
    }
}
