//! Turns a catalogue row into rcgen parameters and signs it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    CustomExtension, DistinguishedName, DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, RevocationReason, RevokedCertParams, SanType,
    SerialNumber,
};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::certs::asn1::{self, Arcs, Psd2Shape};
use crate::certs::catalogue::{Fixture, Profile, Psd2, Tpp, Window};

// Subject attributes rcgen has no name for (EN 319 412-1, CA/B Forum EV §9.2).
const ORGANIZATION_IDENTIFIER: Arcs = &[2, 5, 4, 97];
const SERIAL_NUMBER: Arcs = &[2, 5, 4, 5];
const BUSINESS_CATEGORY: Arcs = &[2, 5, 4, 15];
const JURISDICTION_COUNTRY: Arcs = &[1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3];

// Certificate policies: CA/B Forum EV, EN 319 411-2 QEVCP-w and QCP-l, TS 119 495 qcp-web-psd2.
const POLICY_EV: Arcs = &[2, 23, 140, 1, 1];
const POLICY_QEVCP_W: Arcs = &[0, 4, 0, 194112, 1, 4];
const POLICY_QCP_L: Arcs = &[0, 4, 0, 194112, 1, 1];
const POLICY_QCP_WEB_PSD2: Arcs = &[0, 4, 0, 19495, 3, 1];

const QTSP_BASE: &str = "http://pki.qtsp.example.com";
const PDS_URL: &str = "https://pki.qtsp.example.com/pds/en.pdf";

fn at(year: i32, month: Month, day: u8, hms: (u8, u8, u8)) -> Result<OffsetDateTime, String> {
    let date = Date::from_calendar_date(year, month, day).map_err(|error| error.to_string())?;
    let time = Time::from_hms(hms.0, hms.1, hms.2).map_err(|error| error.to_string())?;
    Ok(PrimitiveDateTime::new(date, time).assume_utc())
}

fn window(window: Window) -> Result<(OffsetDateTime, OffsetDateTime), String> {
    let forever = at(9999, Month::December, 31, (23, 59, 59))?;
    Ok(match window {
        Window::Current => (at(2025, Month::January, 1, (0, 0, 0))?, forever),
        Window::Expired => (
            at(2020, Month::January, 1, (0, 0, 0))?,
            at(2021, Month::January, 1, (0, 0, 0))?,
        ),
        Window::NotYetValid => (at(9000, Month::January, 1, (0, 0, 0))?, forever),
    })
}

/// A fixed serial that still looks like CSPRNG output (CA/B BR §7.1 wants 64
/// bits of entropy): the first 16 bytes of SHA-256 over the fixture name,
/// positive and without a leading zero byte.
pub fn serial_for(name: &str) -> SerialNumber {
    let digest = ring::digest::digest(&ring::digest::SHA256, name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    bytes[0] = (bytes[0] & 0x7F) | 0x40;
    SerialNumber::from_slice(&bytes)
}

fn printable(text: &str) -> Result<DnValue, String> {
    Ok(DnValue::PrintableString(
        text.try_into()
            .map_err(|error| format!("{text:?}: {error}"))?,
    ))
}

fn dns(name: &str) -> Result<SanType, String> {
    Ok(SanType::DnsName(
        name.try_into()
            .map_err(|error| format!("{name:?}: {error}"))?,
    ))
}

fn custom(arcs: Arcs) -> DnType {
    DnType::CustomDnType(arcs.to_vec())
}

/// The subject of a QWAC or QSealC: EV fields, then the EN 319 412-1 legal person.
fn tpp_subject(tpp: &Tpp) -> Result<DistinguishedName, String> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, printable(tpp.country)?);
    dn.push(custom(JURISDICTION_COUNTRY), printable(tpp.country)?);
    dn.push(
        custom(BUSINESS_CATEGORY),
        printable("Private Organization")?,
    );
    dn.push(custom(SERIAL_NUMBER), printable(tpp.registration_number)?);
    dn.push(DnType::LocalityName, tpp.locality);
    dn.push(DnType::OrganizationName, tpp.organization);
    let organization_identifier = if tpp.organization_identifier_printable {
        printable(tpp.organization_identifier)?
    } else {
        DnValue::Utf8String(tpp.organization_identifier.to_owned())
    };
    dn.push(custom(ORGANIZATION_IDENTIFIER), organization_identifier);
    // No commonName: EV Guidelines §9.2.3 discourage it and the SAN carries the name.
    Ok(dn)
}

fn qc_statements(
    qc_type: Arcs,
    tpp: &Tpp,
    roles: &[(Arcs, &str)],
    psd2: Psd2,
    sscd: bool,
) -> Vec<u8> {
    let psd2_statement = |shape| asn1::psd2_statement(roles, tpp.nca_name, tpp.nca_id, shape);
    let statement = match psd2 {
        Psd2::BareStatement => return psd2_statement(Psd2Shape::Valid),
        Psd2::Statement(shape) => Some(psd2_statement(shape)),
        Psd2::Absent => None,
    };
    let mut statements = vec![asn1::qc_compliance(), asn1::qc_type(qc_type)];
    if sscd {
        statements.push(asn1::qc_sscd());
        statements.push(asn1::qc_retention_period(15));
    }
    statements.push(asn1::qc_pds(PDS_URL, "en"));
    statements.extend(statement);
    asn1::qc_statements(&statements)
}

/// The orgId `PSD{CC}-{rest}` as the CA/B extension {"PSD", CC, rest}.
fn cabf_organization_identifier(tpp: &Tpp) -> Result<CustomExtension, String> {
    let id = tpp.organization_identifier;
    let (scheme, country, reference) = match (id.get(..3), id.get(3..5), id.get(6..)) {
        (Some(scheme), Some(country), Some(reference)) => (scheme, country, reference),
        _ => return Err(format!("{id}: not of the form PSDCC-...")),
    };
    Ok(CustomExtension::from_oid_content(
        asn1::ID_CABF_ORGANIZATION_IDENTIFIER,
        asn1::cabf_organization_identifier(scheme, country, reference),
    ))
}

/// The extensions every subscriber certificate of the test QTSP carries.
fn subscriber_common(params: &mut CertificateParams, policies: &[Arcs]) {
    params.use_authority_key_identifier_extension = true;
    params.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec![format!("{QTSP_BASE}/crl/qtsp-ca.crl")],
    }];
    params
        .custom_extensions
        .push(CustomExtension::from_oid_content(
            asn1::ID_PE_AUTHORITY_INFO_ACCESS,
            asn1::authority_info_access(
                &format!("{QTSP_BASE}/ocsp"),
                &format!("{QTSP_BASE}/qtsp-ca.cer"),
            ),
        ));
    if !policies.is_empty() {
        params
            .custom_extensions
            .push(CustomExtension::from_oid_content(
                asn1::ID_CE_CERTIFICATE_POLICIES,
                asn1::certificate_policies(policies, &format!("{QTSP_BASE}/cps")),
            ));
    }
}

/// rcgen parameters for one fixture.
pub fn params(fixture: &Fixture) -> Result<CertificateParams, String> {
    let mut params = CertificateParams::default();
    // Default holds CN "rcgen self signed cert" (STACK.md pitfall 5).
    params.distinguished_name = DistinguishedName::new();
    params.serial_number = Some(serial_for(fixture.name));
    (params.not_before, params.not_after) = window(fixture.window)?;
    params.key_identifier_method = KeyIdMethod::Sha256;
    // ExplicitNoCa writes basicConstraints cA=FALSE and, with it, a subject key
    // identifier (RFC 5280 §4.2.1.2 SHOULD for end entities).
    params.is_ca = IsCa::ExplicitNoCa;
    match &fixture.profile {
        Profile::Ca { common_name } => {
            params
                .distinguished_name
                .push(DnType::CountryName, printable("FR")?);
            params
                .distinguished_name
                .push(DnType::OrganizationName, "PSD2 Toolkit Test QTSP");
            params
                .distinguished_name
                .push(DnType::CommonName, *common_name);
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        }
        Profile::TlsServer => {
            params
                .distinguished_name
                .push(DnType::CommonName, "localhost");
            params.subject_alt_names = vec![
                dns("localhost")?,
                SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
                SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            ];
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            subscriber_common(&mut params, &[]);
        }
        Profile::AdminClient => {
            params
                .distinguished_name
                .push(DnType::OrganizationName, "PSD2 Toolkit Test");
            params
                .distinguished_name
                .push(DnType::CommonName, "PSD2 Toolkit admin (clock control)");
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            subscriber_common(&mut params, &[]);
        }
        Profile::Qwac { tpp, roles, psd2 } => {
            // CA/B BR §7.1.2.7.6: no subject key identifier in a TLS subscriber
            // certificate (pkilint warns either way; the QWAC follows the BR).
            params.is_ca = IsCa::NoCa;
            params.distinguished_name = tpp_subject(tpp)?;
            params.subject_alt_names = vec![dns(tpp.dns_name)?];
            // digitalSignature only: TLS 1.3 has no RSA key transport.
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            // TS 119 495 V1.7.1 §5.3 Note 3: serverAuth and clientAuth for mTLS.
            params.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ];
            subscriber_common(
                &mut params,
                &[POLICY_EV, POLICY_QEVCP_W, POLICY_QCP_WEB_PSD2],
            );
            params
                .custom_extensions
                .push(cabf_organization_identifier(tpp)?);
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(
                    asn1::ID_PE_QC_STATEMENTS,
                    qc_statements(asn1::ID_ETSI_QCT_WEB, tpp, roles, *psd2, false),
                ));
        }
        Profile::Qsealc { tpp, roles } => {
            params.distinguished_name = tpp_subject(tpp)?;
            // EN 319 412-3 LEG-4.2.1-2: a legal person's seal names it in commonName.
            params
                .distinguished_name
                .push(DnType::CommonName, tpp.organization);
            params.key_usages = vec![KeyUsagePurpose::ContentCommitment];
            subscriber_common(&mut params, &[POLICY_QCP_L]);
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(
                    asn1::ID_PE_QC_STATEMENTS,
                    qc_statements(
                        asn1::ID_ETSI_QCT_ESEAL,
                        tpp,
                        roles,
                        Psd2::Statement(Psd2Shape::Valid),
                        true,
                    ),
                ));
        }
    }
    Ok(params)
}

/// The QTSP CA's CRL: version 2, CRL number 1, listing `revoked_serial`.
pub fn crl(issuer: &Issuer<'_, &KeyPair>, revoked_serial: SerialNumber) -> Result<Vec<u8>, String> {
    let params = CertificateRevocationListParams {
        this_update: at(2025, Month::June, 1, (0, 0, 0))?,
        next_update: at(9999, Month::December, 31, (23, 59, 59))?,
        crl_number: SerialNumber::from_slice(&[1]),
        issuing_distribution_point: None,
        revoked_certs: vec![RevokedCertParams {
            serial_number: revoked_serial,
            revocation_time: at(2025, Month::June, 1, (0, 0, 0))?,
            reason_code: Some(RevocationReason::KeyCompromise),
            invalidity_date: None,
        }],
        key_identifier_method: KeyIdMethod::Sha256,
    };
    let crl = params
        .signed_by(issuer)
        .map_err(|error| format!("qtsp-ca.crl: {error}"))?;
    Ok(crl.der().to_vec())
}
