//! Target files: the sandbox fixture loads, and every loader error names the
//! key and the file.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use psd2_conformance::target::{
    ConsentDriver, EndpointRef, FormAction, ProbeUrl, Target, TargetError, metadata_url,
};
use psd2_core::ProfileId;
use psd2_rules::Need;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/targets/sandbox-generic.toml")
}

fn fixture_text() -> String {
    std::fs::read_to_string(fixture()).unwrap()
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn parse(text: &str) -> Result<Target, TargetError> {
    Target::parse(&fixture(), text, &no_env)
}

fn error_of(text: &str) -> String {
    parse(text)
        .expect_err("the target must be rejected")
        .to_string()
}

#[test]
fn the_sandbox_target_loads() {
    let target = Target::load(&fixture()).unwrap();
    assert_eq!(target.profile.profile, ProfileId::Generic);
    assert_eq!(target.clients.main.client_id.as_str(), "PSDFR-ACPR-12345");
    assert_eq!(target.certificates.len(), 9);
    assert_eq!(target.ca_bundle.len(), 1);
    assert_eq!(
        target.redirect.with_query.as_ref().map(url::Url::as_str),
        Some("https://tpp-a.example/callback?tenant=7")
    );
    assert_eq!(
        target.psu.as_ref().unwrap().password.expose(),
        "sandbox-alice-password"
    );
    for need in [
        Need::Psu,
        Need::Mtls,
        Need::ClockControl,
        Need::Resource,
        Need::SecondClient,
        Need::GrantRestrictedClient,
        Need::QueryRedirectUri,
        Need::MultiCustomerPsu,
        Need::PartialConsent,
        Need::TesterCaTrusted,
        Need::ProbeUrls,
    ] {
        assert!(target.meets(need), "{need}");
    }
    for need in [Need::Dcr, Need::Browser, Need::TlsProber, Need::Wait] {
        assert!(!target.meets(need), "{need}");
    }
    assert_eq!(
        target.unmet_need(&[Need::Psu, Need::Dcr, Need::Wait]),
        Some(Need::Dcr)
    );
}

#[test]
fn resource_paths_resolve_on_the_token_endpoint_origin() {
    let target = parse(&fixture_text()).unwrap();
    let accounts = target.capabilities.resources.accounts.clone().unwrap();
    assert_eq!(accounts, EndpointRef::Path("/accounts".to_owned()));
    let token = url::Url::parse("https://127.0.0.1:9444/token").unwrap();
    assert_eq!(
        accounts.resolve(&token).as_str(),
        "https://127.0.0.1:9444/accounts"
    );
}

#[test]
fn the_issuer_can_be_replaced() {
    let mut target = parse(&fixture_text()).unwrap();
    target.set_issuer(url::Url::parse("https://127.0.0.1:40123").unwrap());
    assert_eq!(
        metadata_url(&target.issuer).as_str(),
        "https://127.0.0.1:40123/.well-known/oauth-authorization-server"
    );
}

#[test]
fn a_probe_path_resolves_on_the_issuer_the_run_uses() {
    let mut target = parse(&fixture_text()).unwrap();
    let probe = target.capabilities.probes[0].clone();
    assert_eq!(probe.url, ProbeUrl::Path("/logout".to_owned()));
    assert_eq!(probe.parameters, vec!["return_to".to_owned()]);
    target.set_issuer(url::Url::parse("https://127.0.0.1:40123/tenant/a").unwrap());
    assert_eq!(
        probe.url.resolve(&target.issuer).unwrap().as_str(),
        "https://127.0.0.1:40123/logout"
    );
    let with_query = ProbeUrl::Path("/lang?locale=fr".to_owned());
    assert_eq!(
        with_query.resolve(&target.issuer).unwrap().as_str(),
        "https://127.0.0.1:40123/lang?locale=fr"
    );
}

#[test]
fn an_absolute_probe_url_is_kept() {
    let text = fixture_text().replace(
        "url = \"/logout\"",
        "url = \"https://login.bank.example/logout\"",
    );
    let target = parse(&text).unwrap();
    let issuer = url::Url::parse("https://127.0.0.1:40123").unwrap();
    assert_eq!(
        target.capabilities.probes[0]
            .url
            .resolve(&issuer)
            .unwrap()
            .as_str(),
        "https://login.bank.example/logout"
    );
}

#[test]
fn a_probe_url_that_is_no_url_or_path_names_the_key() {
    for bad in [
        "//evil.example/logout",
        "logout",
        "ftp://bank.example/logout",
    ] {
        let text = fixture_text().replace("url = \"/logout\"", &format!("url = {bad:?}"));
        let message = error_of(&text);
        assert!(message.contains("sandbox-generic.toml"), "{message}");
        assert!(message.contains("capabilities.probe[0].url"), "{message}");
        assert!(message.contains(bad), "{message}");
    }
}

#[test]
fn an_unknown_key_is_named_with_the_file() {
    let text = fixture_text().replace("discovery = true", "discovery = true\nissuerr = \"x\"");
    let message = error_of(&text);
    assert!(message.contains("issuerr"), "{message}");
    assert!(message.contains("sandbox-generic.toml"), "{message}");
}

#[test]
fn an_unknown_profile_override_is_named() {
    let text = fixture_text().replace("[profile]\n", "[profile]\ncode_ttl = 5\n");
    let message = error_of(&text);
    assert!(message.contains("code_ttl"), "{message}");
}

#[test]
fn a_missing_key_is_named_with_the_file() {
    let text = fixture_text().replacen("client_id = \"PSDFR-ACPR-12345\"\n", "", 1);
    let message = error_of(&text);
    assert!(message.contains("client_id"), "{message}");
    assert!(message.contains("sandbox-generic.toml"), "{message}");
}

#[test]
fn a_missing_certificate_file_names_the_key() {
    let text = fixture_text().replace("../certs/tpp-b-all-roles.pem", "../certs/nope.pem");
    let message = error_of(&text);
    assert!(message.contains("clients.second.certificate"), "{message}");
    assert!(message.contains("nope.pem"), "{message}");
}

#[test]
fn psu_credentials_come_from_the_environment() {
    let text = fixture_text().replace(
        "password = \"sandbox-alice-password\"",
        "password = { env = \"BANK_PSU_PASSWORD\" }",
    );
    let env: BTreeMap<&str, &str> = [("BANK_PSU_PASSWORD", "from-the-pipeline")].into();
    let lookup = |name: &str| env.get(name).map(|value| (*value).to_owned());
    let target = Target::parse(&fixture(), &text, &lookup).unwrap();
    let psu = target.psu.as_ref().unwrap();
    assert_eq!(psu.password.expose(), "from-the-pipeline");
    // The secret never shows in Debug output.
    assert!(!format!("{target:?}").contains("from-the-pipeline"));

    let message = error_of(&text);
    assert!(message.contains("psu.password"), "{message}");
    assert!(message.contains("BANK_PSU_PASSWORD"), "{message}");
    assert!(message.contains("sandbox-generic.toml"), "{message}");
}

#[test]
fn an_env_table_with_another_key_is_rejected() {
    let text = fixture_text().replace(
        "password = \"sandbox-alice-password\"",
        "password = { variable = \"X\" }",
    );
    let message = error_of(&text);
    assert!(message.contains("variable"), "{message}");
}

#[test]
fn a_secret_client_needs_its_secret() {
    let text = fixture_text().replace("client_secret = \"sandbox-secret-7d41c0\"\n", "");
    let message = error_of(&text);
    assert!(
        message.contains("clients.grant_restricted.client_secret"),
        "{message}"
    );
}

#[test]
fn a_query_redirect_uri_needs_a_query() {
    let text = fixture_text().replace(
        "https://tpp-a.example/callback?tenant=7",
        "https://tpp-a.example/other",
    );
    let message = error_of(&text);
    assert!(message.contains("redirect.query_uri"), "{message}");
}

#[test]
fn without_discovery_endpoints_are_required() {
    let text = fixture_text().replace("discovery = true", "discovery = false");
    let message = error_of(&text);
    assert!(message.contains("server.endpoints"), "{message}");
}

fn with_form_consent(deny: &str) -> String {
    fixture_text().replace(
        "[consent]\ndriver = \"sandbox\"\n",
        &format!(
            "[consent]\ndriver = \"form\"\n\n[[consent.forms]]\naction_contains = \"/login\"\n\
             fields = {{ username = \"${{username}}\" }}\n{deny}"
        ),
    )
}

#[test]
fn a_form_deny_script_loads_forms_and_links() {
    let text = with_form_consent(
        "[[consent.deny]]\naction_contains = \"/consent\"\nsubmit = \"decision=deny\"\n\n\
         [[consent.deny]]\nlink_contains = \"/abort\"\n",
    );
    let target = parse(&text).unwrap();
    let Some(ConsentDriver::Form { forms, deny, .. }) = &target.consent else {
        panic!("a form driver: {:?}", target.consent);
    };
    assert_eq!(forms.len(), 1);
    let deny = deny.as_ref().expect("a deny script");
    assert_eq!(deny.len(), 2);
    assert!(matches!(
        &deny[0],
        FormAction::Submit(fill) if fill.action_contains == "/consent"
            && fill.submit.as_deref() == Some("decision=deny")
    ));
    assert_eq!(
        deny[1],
        FormAction::FollowLink {
            href_contains: "/abort".to_owned()
        }
    );
}

#[test]
fn a_form_driver_without_deny_script_has_none() {
    let target = parse(&with_form_consent("")).unwrap();
    assert!(matches!(
        &target.consent,
        Some(ConsentDriver::Form {
            deny: None,
            partial: None,
            ..
        })
    ));
    // Without a partial script, a partial grant cannot be driven: the
    // rules that need one are skipped, never judged on a full grant.
    assert!(!target.meets(Need::PartialConsent));
}

#[test]
fn a_form_partial_script_meets_partial_consent() {
    let text = with_form_consent(
        "[[consent.partial]]\naction_contains = \"/consent\"\n\
         fields = { scope_payments = \"\" }\nsubmit = \"decision=allow\"\n",
    );
    let target = parse(&text).unwrap();
    let Some(ConsentDriver::Form { partial, .. }) = &target.consent else {
        panic!("a form driver: {:?}", target.consent);
    };
    assert_eq!(partial.as_ref().map(Vec::len), Some(1));
    assert!(target.meets(Need::PartialConsent));
    let message = error_of(&with_form_consent(
        "[[consent.partial]]\nsubmit = \"x=y\"\n",
    ));
    assert!(message.contains("consent.partial[0]"), "{message}");
}

#[test]
fn a_deny_step_is_a_form_or_a_link() {
    for step in [
        "[[consent.deny]]\naction_contains = \"/consent\"\nlink_contains = \"/abort\"\n",
        "[[consent.deny]]\nsubmit = \"decision=deny\"\n",
        "[[consent.deny]]\nlink_contains = \"/abort\"\nsubmit = \"decision=deny\"\n",
        "[[consent.deny]]\nlink_contains = \"\"\n",
    ] {
        let message = error_of(&with_form_consent(step));
        assert!(message.contains("consent.deny[0]"), "{step}: {message}");
    }
    let text =
        with_form_consent("").replace("driver = \"form\"\n", "driver = \"form\"\ndeny = []\n");
    let message = error_of(&text);
    assert!(message.contains("consent.deny"), "{message}");
}
