//! Every certificate of `fixtures/certs/` through the public API.

// Test helpers outside #[test] functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use psd2_core::Psd2Role;
use psd2_eidas::{
    AltName, FindingPolicy, OrganizationIdentifier, ParseError, Psd2Certificate, QcType, oid,
};
use support::{all_fixture_names, fixture_der, fixture_pem};

/// What each fixture must read as: roles, orgId, QWAC/QSealC, finding codes.
struct Expect {
    name: &'static str,
    roles: &'static [&'static str],
    org_id: Option<&'static str>,
    qwac: bool,
    qsealc: bool,
    findings: &'static [&'static str],
}

const ALL: &[&str] = &["PSP_AS", "PSP_PI", "PSP_AI", "PSP_IC"];
const NOT_PSD2: &[&str] = &["organization-identifier-missing", "psd2-statement-missing"];

const fn qwac(
    name: &'static str,
    roles: &'static [&'static str],
    findings: &'static [&'static str],
) -> Expect {
    Expect {
        name,
        roles,
        org_id: Some("PSDFR-ACPR-12345"),
        qwac: true,
        qsealc: false,
        findings,
    }
}

const fn plain(name: &'static str) -> Expect {
    Expect {
        name,
        roles: &[],
        org_id: None,
        qwac: false,
        qsealc: false,
        findings: NOT_PSD2,
    }
}

const EXPECTATIONS: &[Expect] = &[
    plain("qtsp-ca"),
    plain("untrusted-ca"),
    plain("server"),
    plain("admin-clock-control"),
    qwac("tpp-a-all-roles", ALL, &[]),
    Expect {
        name: "tpp-b-all-roles",
        roles: ALL,
        org_id: Some("PSDNL-DNB-R161162"),
        qwac: true,
        qsealc: false,
        findings: &[],
    },
    qwac("tpp-a-psp-ai", &["PSP_AI"], &[]),
    qwac("tpp-a-psp-pi", &["PSP_PI"], &[]),
    qwac("tpp-a-psp-ic", &["PSP_IC"], &[]),
    Expect {
        name: "tpp-a-qsealc",
        roles: ALL,
        org_id: Some("PSDFR-ACPR-12345"),
        qwac: false,
        qsealc: true,
        findings: &[],
    },
    qwac("tpp-a-expired", ALL, &[]),
    qwac("tpp-a-not-yet-valid", ALL, &[]),
    qwac("tpp-a-revoked", ALL, &[]),
    qwac("tpp-a-untrusted-ca", ALL, &[]),
    qwac("tpp-a-no-psd2", &[], &["psd2-statement-missing"]),
    // The adorsys shape carries only the PSD2 statement: no QcCompliance, so no QWAC claim.
    Expect {
        name: "malformed-bare-statement",
        roles: ALL,
        org_id: Some("PSDFR-ACPR-12345"),
        qwac: false,
        qsealc: false,
        findings: &["bare-qc-statement"],
    },
    qwac(
        "malformed-printable-psd2",
        ALL,
        &["psd2-string-not-utf8", "psd2-string-not-utf8"],
    ),
    qwac("malformed-empty-nca-name", ALL, &["psd2-string-size"]),
];

fn codes(certificate: &Psd2Certificate) -> Vec<&'static str> {
    certificate
        .findings()
        .iter()
        .map(|finding| finding.code())
        .collect()
}

#[test]
fn every_fixture_reads_as_documented() {
    let mut covered: Vec<&str> = EXPECTATIONS.iter().map(|expect| expect.name).collect();
    covered.push("malformed-flattened-roles");
    covered.sort_unstable();
    assert_eq!(
        covered,
        all_fixture_names(),
        "a fixture without an expectation here"
    );

    for expect in EXPECTATIONS {
        let certificate = Psd2Certificate::from_der(&fixture_der(expect.name)).unwrap();
        let roles: Vec<&str> = certificate.roles().map(Psd2Role::name).collect();
        assert_eq!(roles, expect.roles, "{}", expect.name);
        assert_eq!(
            certificate
                .organization_identifier()
                .map(OrganizationIdentifier::as_str),
            expect.org_id,
            "{}",
            expect.name
        );
        assert_eq!(certificate.declares_qwac(), expect.qwac, "{}", expect.name);
        assert_eq!(
            certificate.declares_qsealc(),
            expect.qsealc,
            "{}",
            expect.name
        );
        assert_eq!(codes(&certificate), expect.findings, "{}", expect.name);
        assert_eq!(
            certificate.check_profile(FindingPolicy::STRICT).is_ok(),
            expect.findings.is_empty(),
            "{}",
            expect.name
        );
        assert!(certificate.check_profile(FindingPolicy::LENIENT).is_ok());
    }
}

#[test]
fn flattened_roles_are_an_error_naming_role_of_psp() {
    let error = Psd2Certificate::from_der(&fixture_der("malformed-flattened-roles")).unwrap_err();
    let ParseError::Der { path, .. } = &error else {
        panic!("unexpected {error:?}");
    };
    assert_eq!(*path, "qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP");
    assert!(
        error
            .to_string()
            .starts_with("qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP: ")
    );
}

#[test]
fn tpp_a_all_fields() {
    let certificate = Psd2Certificate::from_der(&fixture_der("tpp-a-all-roles")).unwrap();
    let psd2 = certificate.psd2().unwrap();
    assert_eq!(psd2.nca_id, "FR-ACPR");
    assert_eq!(
        psd2.nca_name,
        "Autorite de Controle Prudentiel et de Resolution"
    );
    let psd = certificate
        .organization_identifier()
        .and_then(OrganizationIdentifier::psd)
        .unwrap();
    assert_eq!(
        (psd.country(), psd.nca(), psd.authorisation_number()),
        ("FR", "ACPR", "12345")
    );
    let qc = certificate.qc_statements().unwrap();
    assert!(qc.compliance && !qc.sscd);
    assert_eq!(qc.qc_types, [QcType::Web]);
    assert_eq!(qc.pds_locations.len(), 1);
    assert_eq!(qc.pds_locations[0].language, "en");
    assert!(qc.pds_locations[0].url.starts_with("https://"));
    assert_eq!(
        certificate.extended_key_usage(),
        [oid::KP_SERVER_AUTH, oid::KP_CLIENT_AUTH]
    );
    assert!(certificate.has_extended_key_usage(oid::KP_CLIENT_AUTH));
    assert_eq!(
        certificate.subject_alt_names(),
        [AltName::Dns("tpp-a.example.com".to_owned())]
    );
    let key_usage = certificate.key_usage().unwrap();
    assert!(key_usage.digital_signature() && !key_usage.key_cert_sign());
    assert_eq!(certificate.serial_number().len(), 16);
    assert!(
        certificate
            .issuer()
            .to_string()
            .contains("PSD2 Toolkit Test QTSP CA")
    );
    assert_ne!(certificate.subject(), certificate.issuer());
}

#[test]
fn qsealc_fields() {
    let certificate = Psd2Certificate::from_der(&fixture_der("tpp-a-qsealc")).unwrap();
    let qc = certificate.qc_statements().unwrap();
    assert!(qc.sscd);
    assert_eq!(qc.retention_period, Some(15));
    assert_eq!(qc.qc_types, [QcType::Eseal]);
    assert!(certificate.extended_key_usage().is_empty());
    assert!(certificate.key_usage().unwrap().non_repudiation());
}

#[test]
fn server_certificate_names_localhost() {
    let certificate = Psd2Certificate::from_der(&fixture_der("server")).unwrap();
    assert_eq!(
        certificate.subject_alt_names(),
        [
            AltName::Dns("localhost".to_owned()),
            AltName::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            AltName::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        ]
    );
    assert_eq!(certificate.extended_key_usage(), [oid::KP_SERVER_AUTH]);
}

#[test]
fn validity_windows() {
    let now = UNIX_EPOCH + Duration::from_secs(1_780_000_000); // 2026-05-28
    let year_9999_end = UNIX_EPOCH + Duration::from_secs(253_402_300_799); // 9999-12-31T23:59:59Z
    let valid = Psd2Certificate::from_der(&fixture_der("tpp-a-all-roles"))
        .unwrap()
        .validity();
    assert!(valid.contains(now));
    assert_eq!(valid.not_after, year_9999_end);
    let expired = Psd2Certificate::from_der(&fixture_der("tpp-a-expired"))
        .unwrap()
        .validity();
    assert!(!expired.contains(now) && expired.not_after < now);
    let future = Psd2Certificate::from_der(&fixture_der("tpp-a-not-yet-valid"))
        .unwrap()
        .validity();
    assert!(!future.contains(now) && future.not_before > now);
    assert!(future.contains(year_9999_end));
    assert!(!future.contains(SystemTime::UNIX_EPOCH));
}

#[test]
fn from_pem_reads_every_certificate_block_and_skips_keys() {
    let mut bundle = fixture_pem("tpp-a-psp-ai");
    bundle.extend(std::fs::read(support::fixture_path("tpp-a-psp-ai.key")).unwrap());
    bundle.extend(b"comment between blocks\n");
    bundle.extend(fixture_pem("qtsp-ca"));
    let certificates = Psd2Certificate::from_pem(&bundle).unwrap();
    assert_eq!(certificates.len(), 2);
    assert!(certificates[0].has_role(&Psd2Role::PspAi));
    assert_eq!(certificates[1].as_der(), fixture_der("qtsp-ca"));

    let key_only = std::fs::read(support::fixture_path("tpp-a-psp-ai.key")).unwrap();
    assert_eq!(
        Psd2Certificate::from_pem(&key_only).unwrap_err(),
        ParseError::NoCertificate
    );
    assert_eq!(
        Psd2Certificate::from_pem(b"").unwrap_err(),
        ParseError::NoCertificate
    );
    let truncated = &fixture_pem("qtsp-ca")[..200];
    assert!(matches!(
        Psd2Certificate::from_pem(truncated),
        Err(ParseError::Der { path: "pem", .. })
    ));
}

#[test]
fn thumbprint_is_sha256_of_the_der_in_base64url() {
    use base64::Engine as _;
    let der = fixture_der("tpp-a-all-roles");
    let certificate = Psd2Certificate::from_der(&der).unwrap();
    let digest = ring::digest::digest(&ring::digest::SHA256, &der);
    assert_eq!(certificate.sha256_thumbprint(), digest.as_ref());
    let x5t = certificate.x5t_s256();
    assert_eq!(
        x5t.as_str(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
    );
    assert!(!x5t.as_str().contains(['=', '+', '/']));
    assert_eq!(x5t.digest(), certificate.sha256_thumbprint());
    // Another certificate of the same TPP has another thumbprint.
    let other = Psd2Certificate::from_der(&fixture_der("tpp-a-psp-ai")).unwrap();
    assert_ne!(other.x5t_s256(), x5t);
}
