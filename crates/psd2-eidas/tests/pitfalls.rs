//! EIDAS.md §5: one test (or more) per pitfall, each through
//! `Psd2Certificate::from_der` on a real fixture with one part swapped.

// Test helpers outside #[test] functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use psd2_core::Psd2Role;
use psd2_eidas::{
    Finding, FindingPolicy, ObjectIdentifier, OrganizationIdentifier, ParseError, Psd2Certificate,
    Severity,
};
use support::*;

/// TPP A's all-roles QWAC with this qcStatements extnValue.
fn with_qc(value: &[u8]) -> Result<Psd2Certificate, ParseError> {
    Psd2Certificate::from_der(&Surgery::fixture("tpp-a-all-roles").qc(value).der())
}

/// TPP A's QWAC with a PSD2 statement built from these parts.
fn with_psd2(statement: Vec<u8>) -> Psd2Certificate {
    with_qc(&qwac_statements(statement)).unwrap()
}

fn codes(certificate: &Psd2Certificate) -> Vec<&'static str> {
    certificate.findings().iter().map(Finding::code).collect()
}

fn error_path(result: Result<Psd2Certificate, ParseError>) -> &'static str {
    match result {
        Err(ParseError::Der { path, .. }) => path,
        other => panic!("expected a DER error, got {other:?}"),
    }
}

// 1. A bare QCStatement (adorsys generator): strict rejects, lenient reads it.
#[test]
fn bare_qc_statement_is_read_and_flagged() {
    let certificate = with_qc(&psd2(&all_roles(), "NCA", "FR-ACPR")).unwrap();
    assert_eq!(codes(&certificate), ["bare-qc-statement"]);
    assert_eq!(certificate.roles().count(), 4);
    let rejection = certificate
        .check_profile(FindingPolicy::STRICT)
        .unwrap_err();
    assert_eq!(rejection.findings, [Finding::BareQcStatement]);
    assert!(certificate.check_profile(FindingPolicy::LENIENT).is_ok());
    // A bare statement that is not well-formed is still an error, named.
    let broken = statement(PSD2, Some(seq(&[utf8("no roles")])));
    assert_eq!(
        error_path(with_qc(&broken)),
        "qcStatements/PSD2QcType/rolesOfPSP"
    );
}

// 2. PrintableString inside PSD2QcType (zlint WrongEncoding).
#[test]
fn printable_strings_are_read_and_flagged_per_field() {
    let statement = psd2_raw(
        &[seq(&[oid(PSP_AI), printable("PSP AI")])],
        printable("ACPR"),
        printable("FR-ACPR"),
    );
    let certificate = with_psd2(statement);
    let psd2 = certificate.psd2().unwrap();
    assert_eq!(
        (psd2.nca_name.as_str(), psd2.nca_id.as_str()),
        ("ACPR", "FR-ACPR")
    );
    let fields: Vec<&str> = certificate
        .findings()
        .iter()
        .filter(|finding| finding.code() == "psd2-string-not-utf8")
        .map(Finding::field)
        .collect();
    assert_eq!(
        fields,
        [
            "qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP/roleOfPspName",
            "qcStatements/PSD2QcType/nCAName",
            "qcStatements/PSD2QcType/nCAId",
        ]
    );
    // Any other string type is corruption, named by field.
    let ia5_name = psd2_raw(&[role(PSP_AI, "PSP_AI")], ia5("ACPR"), utf8("FR-ACPR"));
    assert_eq!(
        error_path(with_qc(&qwac_statements(ia5_name))),
        "qcStatements/PSD2QcType/nCAName"
    );
    let ia5_id = psd2_raw(&[role(PSP_AI, "PSP_AI")], utf8("ACPR"), ia5("FR-ACPR"));
    assert_eq!(
        error_path(with_qc(&qwac_statements(ia5_id))),
        "qcStatements/PSD2QcType/nCAId"
    );
}

// 3. SIZE (1..256), in characters, for every string of PSD2QcType.
#[test]
fn size_limits_are_checked_in_characters() {
    let sizes = |statement: Vec<u8>| -> Vec<Finding> {
        with_psd2(statement)
            .findings()
            .iter()
            .filter(|finding| finding.code() == "psd2-string-size")
            .cloned()
            .collect()
    };
    assert_eq!(
        sizes(psd2(&[(PSP_AI, "")], "NCA", "FR-ACPR")),
        [Finding::Psd2StringSize {
            field: "qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP/roleOfPspName",
            length: 0
        }]
    );
    assert_eq!(
        sizes(psd2(&[(PSP_AI, "PSP_AI")], "", "FR-ACPR")),
        [Finding::Psd2StringSize {
            field: "qcStatements/PSD2QcType/nCAName",
            length: 0
        }]
    );
    assert_eq!(
        sizes(psd2(&[(PSP_AI, "PSP_AI")], "NCA", "")),
        [Finding::Psd2StringSize {
            field: "qcStatements/PSD2QcType/nCAId",
            length: 0
        }]
    );
    assert_eq!(
        sizes(psd2(&[(PSP_AI, "PSP_AI")], &"x".repeat(257), "FR-ACPR")),
        [Finding::Psd2StringSize {
            field: "qcStatements/PSD2QcType/nCAName",
            length: 257
        }]
    );
    // 256 characters pass even when they take 512 bytes.
    assert!(sizes(psd2(&[(PSP_AI, "PSP_AI")], &"é".repeat(256), "FR-ACPR")).is_empty());
    assert!(sizes(psd2(&[(PSP_AI, "PSP_AI")], &"x".repeat(256), "FR-ACPR")).is_empty());
}

// 4. A missing roleOfPspName, or a truncated structure: an error, never a panic.
#[test]
fn missing_or_truncated_parts_are_errors_naming_the_field() {
    let no_name = psd2_raw(&[seq(&[oid(PSP_AI)])], utf8("NCA"), utf8("FR-ACPR"));
    assert_eq!(
        error_path(with_qc(&qwac_statements(no_name))),
        "qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP"
    );
    let no_nca_id = statement(
        PSD2,
        Some(seq(&[seq(&[role(PSP_AI, "PSP_AI")]), utf8("NCA")])),
    );
    assert_eq!(
        error_path(with_qc(&qwac_statements(no_nca_id))),
        "qcStatements/PSD2QcType/nCAId"
    );
    let trailing = statement(
        PSD2,
        Some(seq(&[
            seq(&[role(PSP_AI, "PSP_AI")]),
            utf8("NCA"),
            utf8("FR-ACPR"),
            utf8("extra"),
        ])),
    );
    assert_eq!(
        error_path(with_qc(&qwac_statements(trailing))),
        "qcStatements/PSD2QcType"
    );
    assert!(matches!(
        with_qc(&qwac_statements(statement(PSD2, None))),
        Err(ParseError::MissingStatementInfo {
            path: "qcStatements/PSD2QcType"
        })
    ));

    let whole = qwac_statements(psd2(&all_roles(), "NCA", "FR-ACPR"));
    for cut in 1..whole.len() {
        assert!(with_qc(&whole[..cut]).is_err(), "qcStatements cut at {cut}");
    }
    let der = fixture_der("tpp-a-all-roles");
    for cut in (0..der.len()).step_by(7) {
        assert!(
            matches!(
                Psd2Certificate::from_der(&der[..cut]),
                Err(ParseError::Der {
                    path: "certificate",
                    ..
                })
            ),
            "certificate cut at {cut}"
        );
    }
}

// 5. Flattened roles (apple/eidas#24): an error at RoleOfPSP.
#[test]
fn flattened_roles_are_an_error() {
    let flat = seq(&[oid(PSP_AI), utf8("PSP_AI"), oid(PSP_PI), utf8("PSP_PI")]);
    let statement = psd2_raw(&[flat], utf8("NCA"), utf8("FR-ACPR"));
    assert_eq!(
        error_path(with_qc(&qwac_statements(statement))),
        "qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP"
    );
}

// 6. Empty RolesOfPSP decodes, and is a profile error (GEN-5.2.2-1).
#[test]
fn empty_roles_are_a_finding() {
    let certificate = with_psd2(psd2(&[], "NCA", "FR-ACPR"));
    assert_eq!(codes(&certificate), ["roles-of-psp-empty"]);
    assert_eq!(certificate.roles().count(), 0);
    assert!(!certificate.has_role(&Psd2Role::PspAi));
    assert!(certificate.check_profile(FindingPolicy::STRICT).is_err());
}

// 7. A name that disagrees with its OID: trust the OID, flag the name.
#[test]
fn the_oid_decides_the_role_and_the_name_is_flagged() {
    let certificate = with_psd2(psd2(&[(PSP_AI, "PSP_AS")], "NCA", "FR-ACPR"));
    assert!(certificate.has_role(&Psd2Role::PspAi));
    assert!(!certificate.has_role(&Psd2Role::PspAs));
    assert_eq!(
        certificate.findings(),
        [Finding::RoleNameMismatch {
            oid: PSP_AI.to_owned(),
            name: "PSP_AS".to_owned(),
            expected: "PSP_AI"
        }]
    );
    assert_eq!(
        certificate.psd2().unwrap().roles_of_psp[0].role_of_psp_name,
        "PSP_AS"
    );
    // Aliases from other toolkits are not the standard's names either.
    let alias = with_psd2(psd2(&[(PSP_AI, "AISP")], "NCA", "FR-ACPR"));
    assert_eq!(codes(&alias), ["role-name-mismatch"]);
    assert!(alias.has_role(&Psd2Role::PspAi));
}

// 8. Unknown role OIDs are kept, never dropped or matched as a known role.
#[test]
fn unknown_role_oids_are_kept() {
    let certificate = with_psd2(psd2(
        &[("0.4.0.19495.1.3.999", "PSP_XX"), (PSP_PI, "PSP_PI")],
        "NCA",
        "FR-ACPR",
    ));
    let roles: Vec<&Psd2Role> = certificate.roles().collect();
    assert_eq!(
        roles[0],
        &Psd2Role::Other {
            oid: "0.4.0.19495.1.3.999".to_owned(),
            name: "PSP_XX".to_owned()
        }
    );
    assert_eq!(roles[1], &Psd2Role::PspPi);
    assert_eq!(codes(&certificate), ["unknown-role-oid"]);
    assert_eq!(certificate.findings()[0].severity(), Severity::Warning);
    assert!(!certificate.has_role(&Psd2Role::PspAi));
    assert!(certificate.check_profile(FindingPolicy::STRICT).is_ok());

    // "Unspecified" (GEN-5.2.2-3A) is a defined entry; another name for it is not.
    let unspecified = with_psd2(psd2(
        &[("0.4.0.19495.1.0", "Unspecified")],
        "NCA",
        "FR-ACPR",
    ));
    assert_eq!(codes(&unspecified), Vec::<&str>::new());
    let unknown_name = with_psd2(psd2(&[("0.4.0.19495.1.0", "Unknown")], "NCA", "FR-ACPR"));
    assert_eq!(codes(&unknown_name), ["role-name-mismatch"]);
}

// 9. TS 119 495 V1.8.1 roles PSP_CB / PSP_PA carry NCAId and NCAName "NA".
#[test]
fn international_roles_carry_na() {
    let central_bank = with_psd2(psd2(&[(PSP_CB, "PSP_CB")], "NA", "NA"));
    assert!(central_bank.has_role(&Psd2Role::PspCb));
    // NCAId "NA" is no format error here; it still disagrees with the PSD orgId
    // only if it is of the CC-XXXX form, which "NA" is not.
    assert_eq!(codes(&central_bank), Vec::<&str>::new());
    let authority = with_psd2(psd2(&[(PSP_PA, "PSP_PA")], "NA", "FR-ACPR"));
    assert_eq!(codes(&authority), ["nca-id-not-na"]);
    // "NA" without such a role is a malformed NCAId.
    let plain = with_psd2(psd2(&[(PSP_AI, "PSP_AI")], "NA", "NA"));
    assert_eq!(codes(&plain), ["nca-id-format"]);
}

// 10. Malformed NCAIds and a non-Latin NCAName.
#[test]
fn nca_id_and_nca_name_checks() {
    for bad in [
        "NLDNB",
        "NL-DMklS32X",
        "DE+BAFIN",
        "BE",
        "FR-ACPR-1",
        "fr-acpr",
    ] {
        let certificate = with_psd2(psd2(&[(PSP_AI, "PSP_AI")], "NCA", bad));
        assert_eq!(
            certificate.findings(),
            [Finding::NcaIdFormat {
                nca_id: bad.to_owned()
            }],
            "{bad}"
        );
        assert!(certificate.check_profile(FindingPolicy::STRICT).is_err());
        // The value is still read for a lenient bank.
        assert_eq!(certificate.psd2().unwrap().nca_id, bad);
    }
    // Well-formed but not an EBA code: advisory, and disagreeing with the orgId.
    let unlisted = with_psd2(psd2(&[(PSP_AI, "PSP_AI")], "NCA", "XY-DNB"));
    assert_eq!(
        codes(&unlisted),
        ["nca-id-not-in-eba-list", "nca-id-mismatch"]
    );
    assert_eq!(unlisted.findings()[0].severity(), Severity::Info);

    let spanish = with_psd2(psd2(&[(PSP_AI, "PSP_AI")], "Banco de España", "FR-ACPR"));
    assert_eq!(codes(&spanish), ["nca-name-not-latin"]);
    assert_eq!(spanish.psd2().unwrap().nca_name, "Banco de España");
    assert!(spanish.check_profile(FindingPolicy::STRICT).is_ok());
    assert!(
        spanish
            .check_profile(FindingPolicy::rejecting_from(Severity::Warning))
            .is_err()
    );
}

fn with_subject(rdns: &[&[(&str, Vec<u8>)]]) -> Psd2Certificate {
    Psd2Certificate::from_der(
        &Surgery::fixture("tpp-a-all-roles")
            .field(SUBJECT, name(rdns))
            .der(),
    )
    .unwrap()
}

// 11. organizationIdentifiers that are not of the PSD form.
#[test]
fn non_psd_organization_identifiers_are_other() {
    for value in [
        "PADFR-ACPR-30748",
        "XX:GR-18050",
        "EI:SE-5567971433",
        "LEIXG-724500VKKSH9QOLTFR81",
    ] {
        let certificate = with_subject(&[&[(C, printable("FR"))], &[(ORG_ID, utf8(value))]]);
        assert_eq!(
            certificate.organization_identifier(),
            Some(&OrganizationIdentifier::Other(value.to_owned()))
        );
        assert_eq!(
            certificate.findings(),
            [Finding::OrganizationIdentifierNotPsd {
                value: value.to_owned()
            }],
            "{value}"
        );
        assert_eq!(certificate.findings()[0].severity(), Severity::Warning);
    }
}

// 12. PrintableString (Entrust) and UTF8String orgIds; absent; several; Teletex.
#[test]
fn organization_identifier_string_types_and_counts() {
    for value in [printable("PSDFR-ACPR-12345"), utf8("PSDFR-ACPR-12345")] {
        let certificate = with_subject(&[&[(ORG_ID, value)]]);
        assert_eq!(
            certificate
                .organization_identifier()
                .map(OrganizationIdentifier::as_str),
            Some("PSDFR-ACPR-12345")
        );
        assert_eq!(codes(&certificate), Vec::<&str>::new());
    }
    let absent = with_subject(&[&[(CN, utf8("tpp"))]]);
    assert_eq!(absent.organization_identifier(), None);
    assert_eq!(codes(&absent), ["organization-identifier-missing"]);

    let several = with_subject(&[
        &[(ORG_ID, utf8("PSDFR-ACPR-12345"))],
        &[(ORG_ID, utf8("PSDDE-BAFIN-99999"))],
    ]);
    assert_eq!(
        several
            .organization_identifier()
            .map(OrganizationIdentifier::as_str),
        Some("PSDFR-ACPR-12345")
    );
    assert_eq!(
        several.findings(),
        [Finding::OrganizationIdentifierMultiple { count: 2 }]
    );
    assert!(several.check_profile(FindingPolicy::STRICT).is_err());

    let teletex = with_subject(&[&[(ORG_ID, teletex("PSDFR-ACPR-12345"))]]);
    assert_eq!(codes(&teletex), ["organization-identifier-string-type"]);
    assert!(teletex.organization_identifier().is_some());

    // Not a DirectoryString at all: an error naming the attribute.
    let broken = Surgery::fixture("tpp-a-all-roles")
        .field(SUBJECT, name(&[&[(ORG_ID, integer(5))]]))
        .der();
    assert_eq!(
        error_path(Psd2Certificate::from_der(&broken)),
        "tbsCertificate/subject/organizationIdentifier"
    );
}

// 13. NCAId disagreeing with the organizationIdentifier (ING sandbox).
#[test]
fn nca_id_disagreeing_with_the_organization_identifier() {
    let der = Surgery::fixture("tpp-a-all-roles")
        .field(SUBJECT, name(&[&[(ORG_ID, utf8("PSDNL-SBX-1234567890"))]]))
        .qc(&qwac_statements(psd2(
            &[(PSP_AI, "PSP_AI")],
            "Sandbox NCA",
            "NL-DNB",
        )))
        .der();
    let certificate = Psd2Certificate::from_der(&der).unwrap();
    assert_eq!(
        certificate.findings(),
        [Finding::NcaIdMismatch {
            nca_id: "NL-DNB".to_owned(),
            implied: "NL-SBX".to_owned()
        }]
    );
    assert_eq!(certificate.findings()[0].severity(), Severity::Warning);
}

// 14. Multi-valued RDNs: read in either order. x509-cert 0.3 sorts a SET OF
// on decode instead of rejecting a non-DER order (checked here, so that a
// change of that behaviour shows up); the signature and the thumbprint still
// cover the bytes as sent.
#[test]
fn multi_valued_rdns() {
    let certificate = with_subject(&[&[
        (O, utf8("TPP A Test SAS")),
        (ORG_ID, utf8("PSDFR-ACPR-12345")),
    ]]);
    assert_eq!(
        certificate
            .organization_identifier()
            .map(OrganizationIdentifier::as_str),
        Some("PSDFR-ACPR-12345")
    );
    let mut attributes = vec![
        seq(&[oid(O), utf8("TPP A Test SAS")]),
        seq(&[oid(ORG_ID), utf8("PSDFR-ACPR-12345")]),
    ];
    attributes.sort();
    attributes.reverse();
    let unsorted = seq(&[set(&attributes)]);
    let der = Surgery::fixture("tpp-a-all-roles")
        .field(SUBJECT, unsorted)
        .der();
    let certificate = Psd2Certificate::from_der(&der).unwrap();
    assert_eq!(
        certificate
            .organization_identifier()
            .map(OrganizationIdentifier::as_str),
        Some("PSDFR-ACPR-12345")
    );
    assert_eq!(certificate.as_der(), der);
    // C="Germany" (adorsys) is read: Name does not check attribute syntax.
    let germany = with_subject(&[
        &[(C, printable("Germany"))],
        &[(ORG_ID, utf8("PSDDE-FAKENCA-87B2AC"))],
    ]);
    assert!(germany.organization_identifier().is_some());
}

// 15. Precertificates are read but flagged; an empty issuer Name is read.
#[test]
fn precertificates_and_empty_issuers() {
    let der = Surgery::fixture("tpp-a-all-roles")
        .push_extension("1.3.6.1.4.1.11129.2.4.3", true, &[0x05, 0x00])
        .field(ISSUER, seq(&[]))
        .der();
    let certificate = Psd2Certificate::from_der(&der).unwrap();
    assert_eq!(codes(&certificate), ["precertificate"]);
    assert!(certificate.issuer().is_empty());
    assert!(certificate.check_profile(FindingPolicy::STRICT).is_err());
}

// 16. Duplicate PSD2 statements and duplicate extensions are rejected.
#[test]
fn duplicates_are_rejected() {
    let statement = psd2(&all_roles(), "NCA", "FR-ACPR");
    let twice = seq(&[qc_compliance(), statement.clone(), statement]);
    assert_eq!(
        with_qc(&twice).unwrap_err(),
        ParseError::DuplicateStatement {
            path: "qcStatements/PSD2QcType"
        }
    );
    let twice_type = seq(&[qc_type_web(), qc_type_web()]);
    assert_eq!(
        with_qc(&twice_type).unwrap_err(),
        ParseError::DuplicateStatement {
            path: "qcStatements/QcType"
        }
    );
    let value = qwac_statements(psd2(&all_roles(), "NCA", "FR-ACPR"));
    let der = Surgery::fixture("tpp-a-all-roles")
        .push_extension(QC_STATEMENTS, false, &value)
        .der();
    assert_eq!(
        Psd2Certificate::from_der(&der).unwrap_err(),
        ParseError::DuplicateExtension {
            oid: ObjectIdentifier::new_unwrap(QC_STATEMENTS)
        }
    );
}

// Beyond §5: criticality, statements we do not decode, and QcType cardinality.
#[test]
fn critical_qc_statements_and_unknown_statements() {
    let value = seq(&[
        qc_compliance(),
        statement("0.4.0.1862.1.7", Some(seq(&[printable("GB")]))), // QcCClegislation
        qc_type_web(),
        psd2(&all_roles(), "NCA", "FR-ACPR"),
    ]);
    let der = Surgery::fixture("tpp-a-all-roles")
        .set_extension(QC_STATEMENTS, true, &value)
        .der();
    let certificate = Psd2Certificate::from_der(&der).unwrap();
    assert_eq!(codes(&certificate), ["qc-statements-critical"]);
    assert_eq!(
        certificate.qc_statements().unwrap().other_statements,
        [ObjectIdentifier::new_unwrap("0.4.0.1862.1.7")]
    );

    let two_types = seq(&[
        qc_compliance(),
        statement(
            "0.4.0.1862.1.6",
            Some(seq(&[oid("0.4.0.1862.1.6.3"), oid("0.4.0.1862.1.6.2")])),
        ),
        psd2(&all_roles(), "NCA", "FR-ACPR"),
    ]);
    let certificate = with_qc(&two_types).unwrap();
    assert_eq!(codes(&certificate), ["qc-type-not-single"]);
    assert!(certificate.declares_qwac() && certificate.declares_qsealc());

    let without = Surgery::fixture("tpp-a-all-roles")
        .remove_extension(QC_STATEMENTS)
        .der();
    let certificate = Psd2Certificate::from_der(&without).unwrap();
    assert!(certificate.qc_statements().is_none());
    assert_eq!(codes(&certificate), ["psd2-statement-missing"]);
    assert!(!certificate.declares_qwac());
}
