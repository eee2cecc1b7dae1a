//! The PSD2 QCStatement (ETSI TS 119 495 §5.1, Annex A).
//!
//! ```text
//! PSD2QcType ::= SEQUENCE {
//!     rolesOfPSP RolesOfPSP,
//!     nCAName    NCAName,
//!     nCAId      NCAId }
//! RolesOfPSP ::= SEQUENCE OF RoleOfPSP
//! RoleOfPSP  ::= SEQUENCE { roleOfPspOid RoleOfPspOid, roleOfPspName RoleOfPspName }
//! RoleOfPspOid  ::= OBJECT IDENTIFIER
//! RoleOfPspName ::= UTF8String (SIZE(1..256))
//! NCAName ::= UTF8String (SIZE (1..256))
//! NCAId   ::= UTF8String (SIZE (1..256))
//! ```
//!
//! Decoded field by field so that a corrupt field is named in the error.
//! Strings are read as UTF8String or PrintableString: the latter is a real
//! encoder bug (a [`Finding`]), anything else is corruption (an error).

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, PrintableStringRef, Utf8StringRef};
use der::{Choice, Reader, Sequence, SliceReader, Tag, Tagged};
use psd2_core::Psd2Role;

use crate::error::{ParseError, at, path};
use crate::finding::Finding;
use crate::oid;
use crate::org_id::OrganizationIdentifier;

/// The PSD2 statement's content: the roles, and the NCA that authorised them.
///
/// ```text
/// PSD2QcType ::= SEQUENCE {
///     rolesOfPSP RolesOfPSP,
///     nCAName    NCAName,      -- UTF8String (SIZE (1..256))
///     nCAId      NCAId }       -- UTF8String (SIZE (1..256))
/// RolesOfPSP ::= SEQUENCE OF RoleOfPSP
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Psd2QcType {
    /// `rolesOfPSP`, in certificate order (order is not significant).
    pub roles_of_psp: Vec<RoleOfPsp>,
    /// `nCAName`, e.g. `Autorite de Controle Prudentiel et de Resolution`.
    pub nca_name: String,
    /// `nCAId`, e.g. `FR-ACPR`.
    pub nca_id: String,
}

/// One role of the PSP.
///
/// ```text
/// RoleOfPSP ::= SEQUENCE {
///     roleOfPspOid  RoleOfPspOid,    -- OBJECT IDENTIFIER
///     roleOfPspName RoleOfPspName }  -- UTF8String (SIZE(1..256))
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleOfPsp {
    /// `roleOfPspOid` as read.
    pub role_of_psp_oid: ObjectIdentifier,
    /// `roleOfPspName` as read, even when it disagrees with the OID.
    pub role_of_psp_name: String,
    /// The role the OID stands for: the OID is trusted, not the name.
    pub role: Psd2Role,
}

/// A string of PSD2QcType: UTF8String by the ASN.1, PrintableString in the wild.
#[derive(Choice, Clone, Copy)]
enum Psd2StringRef<'a> {
    #[asn1(type = "UTF8String")]
    Utf8(Utf8StringRef<'a>),
    #[asn1(type = "PrintableString")]
    Printable(PrintableStringRef<'a>),
}

/// Wire form of `RoleOfPSP`.
#[derive(Sequence)]
struct RoleOfPspRef<'a> {
    role_of_psp_oid: ObjectIdentifier,
    role_of_psp_name: Psd2StringRef<'a>,
}

/// Decodes the statementInfo of the PSD2 statement, with string findings.
pub(crate) fn decode(
    info: AnyRef<'_>,
    findings: &mut Vec<Finding>,
) -> Result<Psd2QcType, ParseError> {
    info.tag()
        .assert_eq(Tag::Sequence)
        .map_err(at(path::PSD2))?;
    let mut reader = SliceReader::new(info.value()).map_err(at(path::PSD2))?;

    let roles_any: AnyRef<'_> = reader.decode().map_err(at(path::ROLES_OF_PSP))?;
    roles_any
        .tag()
        .assert_eq(Tag::Sequence)
        .map_err(at(path::ROLES_OF_PSP))?;
    let mut roles_reader = SliceReader::new(roles_any.value()).map_err(at(path::ROLES_OF_PSP))?;
    let mut roles_of_psp = Vec::new();
    while !roles_reader.is_finished() {
        let wire: RoleOfPspRef<'_> = roles_reader.decode().map_err(at(path::ROLE_OF_PSP))?;
        let name = read_string(wire.role_of_psp_name, path::ROLE_OF_PSP_NAME, findings);
        let role = role_from_oid(wire.role_of_psp_oid, &name);
        roles_of_psp.push(RoleOfPsp {
            role_of_psp_oid: wire.role_of_psp_oid,
            role_of_psp_name: name,
            role,
        });
    }

    let nca_name: Psd2StringRef<'_> = reader.decode().map_err(at(path::NCA_NAME))?;
    let nca_id: Psd2StringRef<'_> = reader.decode().map_err(at(path::NCA_ID))?;
    reader.finish().map_err(at(path::PSD2))?;

    Ok(Psd2QcType {
        roles_of_psp,
        nca_name: read_string(nca_name, path::NCA_NAME, findings),
        nca_id: read_string(nca_id, path::NCA_ID, findings),
    })
}

/// The role an OID stands for. Known OIDs compare as constants: formatting
/// every OID as dotted text would cost more than the rest of the statement.
fn role_from_oid(role_oid: ObjectIdentifier, name: &str) -> Psd2Role {
    match role_oid {
        oid::PSD2_ROLE_PSP_AS => Psd2Role::PspAs,
        oid::PSD2_ROLE_PSP_PI => Psd2Role::PspPi,
        oid::PSD2_ROLE_PSP_AI => Psd2Role::PspAi,
        oid::PSD2_ROLE_PSP_IC => Psd2Role::PspIc,
        oid::PSD2_ROLE_PSP_CB => Psd2Role::PspCb,
        oid::PSD2_ROLE_PSP_PA => Psd2Role::PspPa,
        other => Psd2Role::from_oid(&other.to_string(), name),
    }
}

/// The text of a PSD2 string; records a wrong string type or a SIZE breach.
fn read_string(
    value: Psd2StringRef<'_>,
    field: &'static str,
    findings: &mut Vec<Finding>,
) -> String {
    let text = match value {
        Psd2StringRef::Utf8(text) => text.as_str(),
        Psd2StringRef::Printable(text) => {
            findings.push(Finding::Psd2StringNotUtf8 { field });
            text.as_str()
        }
    };
    // SIZE of a UTF8String counts characters (X.680 §47.4 on the character
    // abstract values), not bytes: "Banco de España" is 15, not 16.
    let length = text.chars().count();
    if !(1..=256).contains(&length) {
        findings.push(Finding::Psd2StringSize { field, length });
    }
    text.to_owned()
}

/// NCA codes of the EBA list "National identification codes … eIDAS
/// certificate for PSD2", v4 (2023-02-02), as TS 119 495 Annex D refers to it.
const EBA_NCA_IDS: [&str; 30] = [
    "AT-FMA",
    "BE-NBB",
    "BG-BNB",
    "CY-CBC",
    "CZ-CNB",
    "DE-BAFIN",
    "DK-DFSA",
    "EE-FI",
    "ES-BE",
    "FI-FINFSA",
    "FR-ACPR",
    "GR-BOG",
    "HR-HNB",
    "HU-CBH",
    "IE-CBI",
    "IS-CBI",
    "IT-BI",
    "LI-FMA",
    "LT-BL",
    "LU-CSSF",
    "LV-BL",
    "MT-MFSA",
    "NL-DNB",
    "NO-FSA",
    "PL-PFSA",
    "PT-BP",
    "RO-NBR",
    "SE-FINA",
    "SI-BS",
    "SK-NBS",
];

/// `^[A-Z]{2}-[A-Z]{2,8}$` (GEN-5.2.3-2).
fn is_nca_id(value: &str) -> bool {
    let upper = |text: &str| text.bytes().all(|byte| byte.is_ascii_uppercase());
    match value.split_once('-') {
        Some((country, authority)) => {
            country.len() == 2
                && upper(country)
                && (2..=8).contains(&authority.len())
                && upper(authority)
        }
        None => false,
    }
}

/// Profile findings on the decoded statement: roles, NCA name and id, and
/// agreement with the organizationIdentifier.
pub(crate) fn check(
    psd2: &Psd2QcType,
    organization_identifier: Option<&OrganizationIdentifier>,
    findings: &mut Vec<Finding>,
) {
    if psd2.roles_of_psp.is_empty() {
        findings.push(Finding::RolesOfPspEmpty);
    }
    for role in &psd2.roles_of_psp {
        let expected = match &role.role {
            Psd2Role::Other { .. } if role.role_of_psp_oid == oid::PSD2_ROLE_UNSPECIFIED => {
                Some("Unspecified")
            }
            Psd2Role::Other { .. } => None,
            known => Psd2Role::expected_name_for_oid(known.oid()),
        };
        match expected {
            Some(expected) if expected != role.role_of_psp_name => {
                findings.push(Finding::RoleNameMismatch {
                    oid: role.role_of_psp_oid.to_string(),
                    name: role.role_of_psp_name.clone(),
                    expected,
                });
            }
            Some(_) => {}
            None => findings.push(Finding::UnknownRoleOid {
                oid: role.role_of_psp_oid.to_string(),
                name: role.role_of_psp_name.clone(),
            }),
        }
    }

    // TS 119 495 V1.8.1 GEN-5.2.3-5: central banks and public authorities
    // carry "NA" for nCAId (and nCAName).
    let international = psd2
        .roles_of_psp
        .iter()
        .any(|role| matches!(role.role, Psd2Role::PspCb | Psd2Role::PspPa));
    if international {
        if psd2.nca_id != "NA" {
            findings.push(Finding::NcaIdNotNa {
                nca_id: psd2.nca_id.clone(),
            });
        }
    } else if !is_nca_id(&psd2.nca_id) {
        findings.push(Finding::NcaIdFormat {
            nca_id: psd2.nca_id.clone(),
        });
    } else if !EBA_NCA_IDS.contains(&psd2.nca_id.as_str()) {
        findings.push(Finding::NcaIdNotInEbaList {
            nca_id: psd2.nca_id.clone(),
        });
    }

    if !psd2.nca_name.is_ascii() {
        findings.push(Finding::NcaNameNotLatin {
            nca_name: psd2.nca_name.clone(),
        });
    }

    if let Some(psd) = organization_identifier.and_then(OrganizationIdentifier::psd) {
        let implied = psd.nca_id();
        if is_nca_id(&psd2.nca_id) && psd2.nca_id != implied {
            findings.push(Finding::NcaIdMismatch {
                nca_id: psd2.nca_id.clone(),
                implied,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nca_id_format() {
        for good in ["FR-ACPR", "DE-BAFIN", "NL-DNB", "XY-ABCDEFGH"] {
            assert!(is_nca_id(good), "{good}");
        }
        // EIDAS.md §5 pitfall 10.
        for bad in [
            "NLDNB",
            "NL-DMklS32X",
            "DE+BAFIN",
            "BE",
            "NL-D",
            "NL-ABCDEFGHI",
            "nl-DNB",
            "NL-DNB-1",
            "",
        ] {
            assert!(!is_nca_id(bad), "{bad}");
        }
    }

    #[test]
    fn role_constants_agree_with_psd2_core() {
        for role in [
            Psd2Role::PspAs,
            Psd2Role::PspPi,
            Psd2Role::PspAi,
            Psd2Role::PspIc,
            Psd2Role::PspCb,
            Psd2Role::PspPa,
        ] {
            let parsed = ObjectIdentifier::new(role.oid()).unwrap();
            assert_eq!(role_from_oid(parsed, "ignored"), role);
        }
        let unknown = ObjectIdentifier::new_unwrap("0.4.0.19495.1.9");
        assert_eq!(
            role_from_oid(unknown, "X"),
            Psd2Role::Other {
                oid: "0.4.0.19495.1.9".to_owned(),
                name: "X".to_owned()
            }
        );
    }

    #[test]
    fn eba_list_is_sorted_and_well_formed() {
        assert!(EBA_NCA_IDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(EBA_NCA_IDS.iter().all(|id| is_nca_id(id)));
    }
}
