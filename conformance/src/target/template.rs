//! The commented target file `psd2-conform init --profile P` writes: every
//! key of the schema, with the profile's defaults filled in where the profile
//! has them and placeholders (`bank.example`) where only the bank knows.

use psd2_core::{ClientAuthMethod, ProfileData, ProfileId};

/// A commented target file for `profile`; it passes the schema check as
/// written, and needs real URLs, certificates and credentials to run.
#[must_use]
pub fn template(profile: ProfileId) -> String {
    let data = ProfileData::defaults(profile);
    let scope = data
        .service_scopes
        .rows()
        .iter()
        .map(|(_, scope)| scope.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mtls = data
        .token_endpoint_auth
        .contains(&ClientAuthMethod::TlsClientAuth);
    let main_auth = if mtls {
        "auth = \"tls_client_auth\"\n"
    } else {
        "auth = \"client_secret_basic\"\nclient_secret = { env = \"BANK_CLIENT_SECRET\" }\n"
    };
    let profile_name = profile.name();
    format!(
        r#"# psd2-conform target file for a bank on the `{profile_name}` profile.
# Written by `psd2-conform init --profile {profile_name}`; edit every value marked
# CHANGE. Unknown keys are errors. Relative paths are relative to this file.
# Any secret can be given as a string or as {{ env = "VARIABLE" }}.

[target]
name = "my bank ({profile_name})"            # CHANGE: shown in reports
profile = "{profile_name}"
# baseline = "baseline.toml"          # known deviations (see conformance/README.md)
# scenarios = "scenarios/{profile_name}"       # default: the harness's own scenarios

# Profile parameters that differ from the profile's documented defaults
# (psd2_core::ProfileOverrides). Examples:
[profile]
# code_ttl_max_secs = 600
# sca_renewal_window_days = 180
# refresh_token_lifetime_days = 90
# default_scope = "{scope}"
# revocation_propagation_delay_secs = 5
# consent_origin = "https://auth.bank.example"

[server]
issuer = "https://bank.example"       # CHANGE; `psd2-conform run --server URL` overrides it
discovery = true                      # RFC 8414 metadata, following mtls_endpoint_aliases
# ca_bundle = "sandbox-ca.pem"        # extra trust anchors for a sandbox's server certificate

# Explicit endpoints: required without discovery, override discovered ones.
[server.endpoints]
# authorization = "https://bank.example/authorize"
# token = "https://api.bank.example/token"
# revocation = "https://api.bank.example/revoke"
# introspection = "https://api.bank.example/introspect"   # RFC 7662, optional
# registration = "https://api.bank.example/register"

# The TPP every scenario acts as.
[clients.main]
client_id = "PSDXX-NCA-0000"          # CHANGE
{main_auth}certificate = "tpp-main.pem"           # CHANGE: QWAC (PEM), leaf first
key = "tpp-main.key"                  # CHANGE: its PKCS#8 private key (PEM)
scope = "{scope}"

# A second, unrelated TPP (rules needing `second_client`).
# [clients.second]
# client_id = "PSDYY-NCA-1111"
# auth = "tls_client_auth"
# certificate = "tpp-second.pem"
# key = "tpp-second.key"

# A client not allowed the client_credentials grant (`grant_restricted_client`).
# [clients.grant_restricted]
# client_id = "restricted-client"
# auth = "client_secret_basic"
# client_secret = {{ env = "BANK_RESTRICTED_SECRET" }}

# Alternate certificates for negative tests, chosen by name in scenarios.
# [certificates.expired]
# certificate = "tpp-expired.pem"
# key = "tpp-expired.key"

[redirect]
uri = "https://tpp.example/callback"  # CHANGE: registered for clients.main
# query_uri = "https://tpp.example/callback?tenant=1"  # a registered URI with a query

# How the PSU's login and consent are driven: "manual" prints the URL and
# waits for the final redirect URL; "form" fills the bank's forms.
[consent]
driver = "manual"

[psu]
username = {{ env = "BANK_PSU_USERNAME" }}
password = {{ env = "BANK_PSU_PASSWORD" }}
# otp = {{ env = "BANK_PSU_OTP" }}
# customer = "customer-1"
# other_customer = "customer-2"       # a second customer of the same person

[capabilities]
tester_ca_trusted = false             # the bank trusts the tester's CA (expired, revoked certs)
dcr = false                           # RFC 7591/7592 registration is exposed
wait = false                          # the run may wait for lifetimes to run out
# clock_control = {{ url = "/admin/clock", certificate = "admin.pem", key = "admin.key" }}

# Resource endpoints: absolute URLs, or paths on the token endpoint's origin.
[capabilities.resources]
# accounts = "https://api.bank.example/accounts"
# payments = "https://api.bank.example/payment-requests"
# funds_confirmation = "https://api.bank.example/funds-confirmations"

# Open-redirector probes: pages of the AS and their URL-valued parameters.
# A url is absolute, or a path on the issuer's origin.
# [[capabilities.probe]]
# url = "/logout"                     # or "https://bank.example/logout"
# parameters = ["return_to"]
"#
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn every_template_passes_the_schema() {
        for profile in ProfileId::ALL {
            let text = template(profile);
            let parsed = crate::target::load::schema(Path::new("init.toml"), &text);
            assert!(parsed.is_ok(), "{profile}: {parsed:?}");
            let parsed = parsed.unwrap();
            assert_eq!(parsed.target.profile, profile);
        }
    }

    #[test]
    fn mtls_profiles_get_a_certificate_client() {
        assert!(template(ProfileId::Stet).contains("auth = \"tls_client_auth\""));
        assert!(template(ProfileId::ConnectPay).contains("client_secret_basic"));
    }
}
