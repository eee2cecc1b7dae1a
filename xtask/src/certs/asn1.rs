//! A small DER writer for the extensions rcgen cannot express.
//!
//! This encoder is deliberately independent of `psd2-eidas`: the fixtures test
//! that crate's decoder, so they must not be produced by its own types. Every
//! function is infallible (it only concatenates bytes), and the malformed
//! variants sit next to the valid ones so that the difference is visible.

/// OBJECT IDENTIFIER arcs, in the form rcgen takes them too.
pub type Arcs = &'static [u64];

pub const ID_PE_QC_STATEMENTS: Arcs = &[1, 3, 6, 1, 5, 5, 7, 1, 3];
pub const ID_CE_CERTIFICATE_POLICIES: Arcs = &[2, 5, 29, 32];
pub const ID_PE_AUTHORITY_INFO_ACCESS: Arcs = &[1, 3, 6, 1, 5, 5, 7, 1, 1];
const ID_AD_OCSP: Arcs = &[1, 3, 6, 1, 5, 5, 7, 48, 1];
const ID_AD_CA_ISSUERS: Arcs = &[1, 3, 6, 1, 5, 5, 7, 48, 2];
const ID_QT_CPS: Arcs = &[1, 3, 6, 1, 5, 5, 7, 2, 1];
pub const ID_CABF_ORGANIZATION_IDENTIFIER: Arcs = &[2, 23, 140, 3, 1];

// EN 319 412-5 Annex B.
const ID_ETSI_QCS_QC_COMPLIANCE: Arcs = &[0, 4, 0, 1862, 1, 1];
const ID_ETSI_QCS_QC_RETENTION_PERIOD: Arcs = &[0, 4, 0, 1862, 1, 3];
const ID_ETSI_QCS_QC_SSCD: Arcs = &[0, 4, 0, 1862, 1, 4];
const ID_ETSI_QCS_QC_PDS: Arcs = &[0, 4, 0, 1862, 1, 5];
const ID_ETSI_QCS_QC_TYPE: Arcs = &[0, 4, 0, 1862, 1, 6];
pub const ID_ETSI_QCT_ESEAL: Arcs = &[0, 4, 0, 1862, 1, 6, 2];
pub const ID_ETSI_QCT_WEB: Arcs = &[0, 4, 0, 1862, 1, 6, 3];

// TS 119 495 Annex A.
const ID_ETSI_PSD2_QC_STATEMENT: Arcs = &[0, 4, 0, 19495, 2];

const TAG_INTEGER: u8 = 0x02;
const TAG_OID: u8 = 0x06;
const TAG_UTF8_STRING: u8 = 0x0C;
const TAG_PRINTABLE_STRING: u8 = 0x13;
const TAG_IA5_STRING: u8 = 0x16;
const TAG_SEQUENCE: u8 = 0x30;
/// `[6] IMPLICIT IA5String`: GeneralName uniformResourceIdentifier.
const TAG_GENERAL_NAME_URI: u8 = 0x86;

/// One TLV with a definite, minimal length (X.690 §10.1).
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|byte| **byte == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

pub fn sequence(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(TAG_SEQUENCE, &parts.concat())
}

pub fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    let (first, second, rest) = match arcs {
        [first, second, rest @ ..] => (*first, *second, rest),
        _ => (0, 0, &[][..]),
    };
    push_base128(&mut body, first * 40 + second);
    for arc in rest {
        push_base128(&mut body, *arc);
    }
    tlv(TAG_OID, &body)
}

fn push_base128(out: &mut Vec<u8>, value: u64) {
    let mut groups = vec![(value & 0x7F) as u8];
    let mut rest = value >> 7;
    while rest > 0 {
        groups.push(0x80 | (rest & 0x7F) as u8);
        rest >>= 7;
    }
    out.extend(groups.iter().rev());
}

pub fn utf8(text: &str) -> Vec<u8> {
    tlv(TAG_UTF8_STRING, text.as_bytes())
}

pub fn printable(text: &str) -> Vec<u8> {
    tlv(TAG_PRINTABLE_STRING, text.as_bytes())
}

fn ia5(text: &str) -> Vec<u8> {
    tlv(TAG_IA5_STRING, text.as_bytes())
}

fn small_integer(value: u8) -> Vec<u8> {
    // A leading zero keeps values >= 0x80 positive (X.690 §8.3).
    if value >= 0x80 {
        tlv(TAG_INTEGER, &[0, value])
    } else {
        tlv(TAG_INTEGER, &[value])
    }
}

/// `QCStatement ::= SEQUENCE { statementId OBJECT IDENTIFIER, statementInfo ANY OPTIONAL }`
fn statement(id: Arcs, info: Option<Vec<u8>>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    parts.extend(info);
    sequence(&parts)
}

/// `QcCompliance`: no statementInfo.
pub fn qc_compliance() -> Vec<u8> {
    statement(ID_ETSI_QCS_QC_COMPLIANCE, None)
}

/// `QcSSCD`: no statementInfo.
pub fn qc_sscd() -> Vec<u8> {
    statement(ID_ETSI_QCS_QC_SSCD, None)
}

/// `QcType ::= SEQUENCE OF OBJECT IDENTIFIER`
pub fn qc_type(type_oid: Arcs) -> Vec<u8> {
    statement(ID_ETSI_QCS_QC_TYPE, Some(sequence(&[oid(type_oid)])))
}

/// `QcEuRetentionPeriod ::= INTEGER` (years)
pub fn qc_retention_period(years: u8) -> Vec<u8> {
    statement(ID_ETSI_QCS_QC_RETENTION_PERIOD, Some(small_integer(years)))
}

/// `QcEuPDS ::= PdsLocations ::= SEQUENCE SIZE (1..MAX) OF PdsLocation`,
/// `PdsLocation ::= SEQUENCE { url IA5String, language PrintableString (SIZE(2)) }`
pub fn qc_pds(url: &str, language: &str) -> Vec<u8> {
    let location = sequence(&[ia5(url), printable(language)]);
    statement(ID_ETSI_QCS_QC_PDS, Some(sequence(&[location])))
}

/// The PSD2 statement in the shapes the fixtures need.
#[derive(Clone, Copy)]
pub enum Psd2Shape {
    /// Annex A of TS 119 495, as specified.
    Valid,
    /// nCAName and nCAId as PrintableString instead of UTF8String (zlint's
    /// "WrongEncoding" case: Go's encoding/asn1 without the `utf8` tag picks
    /// PrintableString for any string it can hold; role names keep UTF8String
    /// because `_` is not a PrintableString character).
    PrintableStrings,
    /// `nCAName` of length 0, outside `SIZE (1..256)`.
    EmptyNcaName,
    /// `rolesOfPSP` as one RoleOfPSP holding every OID and name in a row
    /// (apple/eidas#24: an older generator's output).
    FlattenedRoles,
}

/// `PSD2QcType ::= SEQUENCE { rolesOfPSP RolesOfPSP, nCAName NCAName, nCAId NCAId }`,
/// `RoleOfPSP ::= SEQUENCE { roleOfPspOid OBJECT IDENTIFIER, roleOfPspName UTF8String }`
pub fn psd2_statement(
    roles: &[(Arcs, &str)],
    nca_name: &str,
    nca_id: &str,
    shape: Psd2Shape,
) -> Vec<u8> {
    let string = |text: &str| match shape {
        Psd2Shape::PrintableStrings => printable(text),
        _ => utf8(text),
    };
    let roles_of_psp = match shape {
        Psd2Shape::FlattenedRoles => {
            let flat: Vec<Vec<u8>> = roles
                .iter()
                .flat_map(|(role_oid, name)| [oid(role_oid), utf8(name)])
                .collect();
            sequence(&[sequence(&flat)])
        }
        _ => {
            let each: Vec<Vec<u8>> = roles
                .iter()
                .map(|(role_oid, name)| sequence(&[oid(role_oid), utf8(name)]))
                .collect();
            sequence(&each)
        }
    };
    let nca_name = match shape {
        Psd2Shape::EmptyNcaName => utf8(""),
        _ => string(nca_name),
    };
    statement(
        ID_ETSI_PSD2_QC_STATEMENT,
        Some(sequence(&[roles_of_psp, nca_name, string(nca_id)])),
    )
}

/// `QCStatements ::= SEQUENCE OF QCStatement`: the extnValue content.
pub fn qc_statements(statements: &[Vec<u8>]) -> Vec<u8> {
    sequence(statements)
}

/// `certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation`; the
/// first policy carries the CPS pointer the EV Guidelines §9.3.4 require.
pub fn certificate_policies(policies: &[Arcs], cps_uri: &str) -> Vec<u8> {
    let each: Vec<Vec<u8>> = policies
        .iter()
        .enumerate()
        .map(|(index, policy)| {
            if index == 0 {
                let qualifier = sequence(&[oid(ID_QT_CPS), ia5(cps_uri)]);
                sequence(&[oid(policy), sequence(&[qualifier])])
            } else {
                sequence(&[oid(policy)])
            }
        })
        .collect();
    sequence(&each)
}

/// CA/B Forum `cabfOrganizationIdentifier` (EV Guidelines §9.8.2), the
/// structured copy of the subject's organizationIdentifier:
/// `SEQUENCE { registrationSchemeIdentifier PrintableString (SIZE(3)),
/// registrationCountry PrintableString (SIZE(2)), registrationStateOrProvince
/// [0] IMPLICIT PrintableString OPTIONAL, registrationReference UTF8String }`
pub fn cabf_organization_identifier(scheme: &str, country: &str, reference: &str) -> Vec<u8> {
    sequence(&[printable(scheme), printable(country), utf8(reference)])
}

/// `AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription`
pub fn authority_info_access(ocsp_uri: &str, ca_issuers_uri: &str) -> Vec<u8> {
    let uri = |text: &str| tlv(TAG_GENERAL_NAME_URI, text.as_bytes());
    sequence(&[
        sequence(&[oid(ID_AD_OCSP), uri(ocsp_uri)]),
        sequence(&[oid(ID_AD_CA_ISSUERS), uri(ca_issuers_uri)]),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_encoding_matches_the_eidas_note() {
        // EIDAS.md §1.1: id-etsi-psd2-qcStatement body is 04 00 81 98 27 02.
        assert_eq!(
            oid(ID_ETSI_PSD2_QC_STATEMENT),
            [0x06, 0x06, 0x04, 0x00, 0x81, 0x98, 0x27, 0x02]
        );
    }

    #[test]
    fn long_lengths_are_minimal() {
        let encoded = tlv(TAG_SEQUENCE, &[0; 300]);
        assert_eq!(&encoded[..4], &[0x30, 0x82, 0x01, 0x2C]);
        assert_eq!(tlv(TAG_SEQUENCE, &[0; 128])[..3], [0x30, 0x81, 0x80]);
    }
}
