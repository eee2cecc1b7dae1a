//! Policy helpers: QWAC/QSealC declarations, roles, client matching, finding policies.

// Test helpers outside #[test] functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{BTreeMap, HashMap};

use psd2_core::{ClientId, Psd2Role};
use psd2_eidas::{
    ClientMatch, Finding, FindingPolicy, MatchPolicy, Psd2Certificate, PsdAuthorisation, Severity,
};
use support::fixture_der;

fn load(name: &str) -> Psd2Certificate {
    Psd2Certificate::from_der(&fixture_der(name)).unwrap()
}

fn client(id: &str) -> ClientId {
    ClientId::new(id).unwrap()
}

#[test]
fn roles_of_single_role_certificates() {
    let table = [
        ("tpp-a-psp-ai", Psd2Role::PspAi),
        ("tpp-a-psp-pi", Psd2Role::PspPi),
        ("tpp-a-psp-ic", Psd2Role::PspIc),
    ];
    for (name, carried) in &table {
        let certificate = load(name);
        for (_, role) in &table {
            assert_eq!(certificate.has_role(role), role == carried, "{name} {role}");
        }
        assert!(!certificate.has_role(&Psd2Role::PspAs), "{name}");
    }
    let all = load("tpp-a-all-roles");
    for role in [
        Psd2Role::PspAs,
        Psd2Role::PspPi,
        Psd2Role::PspAi,
        Psd2Role::PspIc,
    ] {
        assert!(all.has_role(&role));
    }
    assert!(!all.has_role(&Psd2Role::PspCb));
    assert!(!load("tpp-a-no-psd2").has_role(&Psd2Role::PspAi));
}

#[test]
fn declarations() {
    assert!(load("tpp-a-all-roles").declares_qwac());
    assert!(!load("tpp-a-all-roles").declares_qsealc());
    assert!(load("tpp-a-qsealc").declares_qsealc());
    assert!(!load("tpp-a-qsealc").declares_qwac());
    // A QWAC without the PSD2 statement still declares a QWAC; it has no roles.
    assert!(load("tpp-a-no-psd2").declares_qwac());
    assert!(!load("server").declares_qwac());
    assert!(!load("admin-clock-control").declares_qwac());
}

#[test]
fn direct_match_is_the_whole_organization_identifier() {
    let tpp_a = load("tpp-a-all-roles");
    assert_eq!(
        tpp_a.matches_client(&client("PSDFR-ACPR-12345"), MatchPolicy::Direct),
        ClientMatch::WholeIdentifier
    );
    // A bare authorisation number never matches directly: two NCAs may issue it.
    for other in [
        "12345",
        "FR-ACPR-12345",
        "psdfr-acpr-12345",
        "PSDFR-ACPR-123456",
        "PSDNL-DNB-R161162",
    ] {
        let outcome = tpp_a.matches_client(&client(other), MatchPolicy::Direct);
        assert_eq!(outcome, ClientMatch::NoMatch, "{other}");
        assert!(!outcome.is_match());
    }
    let tpp_b = load("tpp-b-all-roles");
    assert!(
        !tpp_b
            .matches_client(&client("PSDFR-ACPR-12345"), MatchPolicy::Direct)
            .is_match()
    );
    assert!(
        tpp_b
            .matches_client(&client("PSDNL-DNB-R161162"), MatchPolicy::Direct)
            .is_match()
    );
    // No organizationIdentifier, no match.
    assert!(
        !load("server")
            .matches_client(&client("localhost"), MatchPolicy::Direct)
            .is_match()
    );
}

#[test]
fn registry_maps_bare_numbers_to_one_regulator() {
    let tpp_a = load("tpp-a-all-roles");
    let mut registry = HashMap::new();
    registry.insert(
        client("12345"),
        PsdAuthorisation::new("FR", "ACPR", "12345").unwrap(),
    );
    // The same number from another regulator.
    registry.insert(
        client("12345-de"),
        PsdAuthorisation::new("DE", "BAFIN", "12345").unwrap(),
    );
    let policy = MatchPolicy::Registry(&registry);
    assert_eq!(
        tpp_a.matches_client(&client("12345"), policy),
        ClientMatch::RegisteredAuthorisation
    );
    assert_eq!(
        tpp_a.matches_client(&client("12345-de"), policy),
        ClientMatch::NoMatch
    );
    assert_eq!(
        tpp_a.matches_client(&client("unknown"), policy),
        ClientMatch::NoMatch
    );
    // The whole identifier still matches under a registry policy.
    assert_eq!(
        tpp_a.matches_client(&client("PSDFR-ACPR-12345"), policy),
        ClientMatch::WholeIdentifier
    );
    // The registry cannot make TPP B's certificate pass for TPP A's number.
    assert_eq!(
        load("tpp-b-all-roles").matches_client(&client("12345"), policy),
        ClientMatch::NoMatch
    );

    let ordered: BTreeMap<ClientId, PsdAuthorisation> = registry.into_iter().collect();
    assert!(
        tpp_a
            .matches_client(&client("12345"), MatchPolicy::Registry(&ordered))
            .is_match()
    );

    assert!(tpp_a.matches_authorisation(&PsdAuthorisation::new("FR", "ACPR", "12345").unwrap()));
    assert!(!tpp_a.matches_authorisation(&PsdAuthorisation::new("DE", "BAFIN", "12345").unwrap()));
}

#[test]
fn finding_policies() {
    let bare = load("malformed-bare-statement");
    let rejection = bare.check_profile(FindingPolicy::STRICT).unwrap_err();
    assert_eq!(rejection.findings, [Finding::BareQcStatement]);
    assert!(rejection.to_string().contains("bare QCStatement"));
    assert!(bare.check_profile(FindingPolicy::LENIENT).is_ok());

    let clean = load("tpp-a-all-roles");
    for policy in [
        FindingPolicy::STRICT,
        FindingPolicy::LENIENT,
        FindingPolicy::rejecting_from(Severity::Info),
    ] {
        assert!(clean.check_profile(policy).is_ok());
    }
    let warning = Finding::NcaIdMismatch {
        nca_id: "NL-DNB".to_owned(),
        implied: "NL-SBX".to_owned(),
    };
    let info = Finding::NcaIdNotInEbaList {
        nca_id: "XY-ABC".to_owned(),
    };
    assert!(!FindingPolicy::STRICT.rejects(&warning));
    assert!(FindingPolicy::rejecting_from(Severity::Warning).rejects(&warning));
    assert!(!FindingPolicy::rejecting_from(Severity::Warning).rejects(&info));
    assert!(FindingPolicy::rejecting_from(Severity::Info).rejects(&info));
    assert!(!FindingPolicy::LENIENT.rejects(&Finding::BareQcStatement));
}
