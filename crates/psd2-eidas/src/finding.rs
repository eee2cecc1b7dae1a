//! Profile findings: what could be read but deviates from ETSI TS 119 495,
//! EN 319 412 or RFC 5280, with a severity so that a bank picks its policy.

use std::fmt;

use crate::error::path;

/// How serious a [`Finding`] is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Advisory: nothing is wrong by the standard's normative text.
    Info,
    /// A SHOULD is not met, or a real-world quirk with no security effect.
    Warning,
    /// A SHALL/MUST is broken; a strict bank rejects the certificate.
    Error,
}

impl Severity {
    /// Lower-case name: `info`, `warning`, `error`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A deviation found in a certificate that could still be read.
///
/// Each variant has a stable [`code`](Finding::code), a [`severity`](Finding::severity),
/// the [`field`](Finding::field) it concerns and a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Finding {
    /// The qcStatements extension holds one bare `QCStatement` instead of
    /// `QCStatements ::= SEQUENCE OF QCStatement` (RFC 3739 §3.2.6); seen in
    /// certificates from the adorsys generator. Read as a one-element list.
    BareQcStatement,
    /// `nCAId` is not `CC-XXXX` (TS 119 495 GEN-5.2.3-2: two letters, `-`,
    /// two to eight upper-case letters), and not the `NA` of PSP_CB/PSP_PA.
    NcaIdFormat {
        /// The value as read.
        nca_id: String,
    },
    /// `nCAId` disagrees with the country and NCA of the organizationIdentifier
    /// (seen in ING sandbox certificates: `NL-XWG` with `PSDNL-SBX-…`).
    NcaIdMismatch {
        /// The PSD2 statement's nCAId.
        nca_id: String,
        /// What the organizationIdentifier implies (`CC-NCA`).
        implied: String,
    },
    /// A well-formed `nCAId` absent from the EBA list of NCA codes (Annex D,
    /// EBA list v4 2023-02-02). Advisory: the list changes.
    NcaIdNotInEbaList {
        /// The value as read.
        nca_id: String,
    },
    /// A PSP_CB or PSP_PA role with an `nCAId` other than `NA`
    /// (TS 119 495 V1.8.1 GEN-5.2.3-5).
    NcaIdNotNa {
        /// The value as read.
        nca_id: String,
    },
    /// `nCAName` contains non-ASCII characters (GEN-5.2.3-1: "plain text using
    /// Latin alphabet"; pkilint checks ASCII, real certificates say "España").
    NcaNameNotLatin {
        /// The value as read.
        nca_name: String,
    },
    /// The subject has no organizationIdentifier (GEN-5.3-3 for QWACs, same
    /// for QSealCs).
    OrganizationIdentifierMissing,
    /// The subject has several organizationIdentifier attributes; the first
    /// one is used, which makes client matching ambiguous.
    OrganizationIdentifierMultiple {
        /// How many there are.
        count: usize,
    },
    /// The organizationIdentifier is not `PSD{CC}-{NCA}-{number}` (GEN-5.2.1-3
    /// "should"; e.g. `PADFR-ACPR-30748`, `XX:GR-18050`, an LEI).
    OrganizationIdentifierNotPsd {
        /// The value as read.
        value: String,
    },
    /// The organizationIdentifier is a TeletexString or BMPString; RFC 5280
    /// §4.1.2.6 requires PrintableString or UTF8String.
    OrganizationIdentifierStringType {
        /// `TeletexString` or `BMPString`.
        string_type: &'static str,
    },
    /// A Certificate Transparency precertificate (critical poison extension,
    /// RFC 6962 §3.1): never a TLS client certificate.
    Precertificate,
    /// There is no PSD2 QCStatement (TS 119 495 GEN-5.1-1): no roles, no NCA.
    Psd2StatementMissing,
    /// A string inside PSD2QcType is a PrintableString, where the ASN.1 says
    /// UTF8String (zlint's "WrongEncoding": Go's encoding/asn1 without `utf8`).
    Psd2StringNotUtf8 {
        /// Field path, e.g. `qcStatements/PSD2QcType/nCAId`.
        field: &'static str,
    },
    /// A string inside PSD2QcType is outside `SIZE (1..256)`, counted in
    /// characters (der does not enforce SIZE).
    Psd2StringSize {
        /// Field path, e.g. `qcStatements/PSD2QcType/nCAName`.
        field: &'static str,
        /// Its length in characters.
        length: usize,
    },
    /// The qcStatements extension is marked critical (EN 319 412-5 QCS-4.1-02).
    QcStatementsCritical,
    /// QcType does not hold exactly one type (EN 319 412-5 V2.5.1 `SIZE (1..1)`).
    QcTypeNotSingle {
        /// How many types it holds.
        count: usize,
    },
    /// `roleOfPspName` is not the name the standard gives its OID
    /// (GEN-5.2.2-5). The OID is trusted: the role is read by its OID.
    RoleNameMismatch {
        /// Dotted role OID.
        oid: String,
        /// The name in the certificate.
        name: String,
        /// The name the standard gives the OID.
        expected: &'static str,
    },
    /// `rolesOfPSP` is empty (GEN-5.2.2-1: one or more roles, or "Unspecified").
    RolesOfPspEmpty,
    /// A role OID outside TS 119 495 (national or later roles): kept as
    /// [`Psd2Role::Other`](psd2_core::Psd2Role::Other), never matched by
    /// [`has_role`](crate::Psd2Certificate::has_role) for a known role.
    UnknownRoleOid {
        /// Dotted role OID.
        oid: String,
        /// The name in the certificate.
        name: String,
    },
}

impl Finding {
    /// Stable kebab-case identifier, e.g. `bare-qc-statement`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Finding::BareQcStatement => "bare-qc-statement",
            Finding::NcaIdFormat { .. } => "nca-id-format",
            Finding::NcaIdMismatch { .. } => "nca-id-mismatch",
            Finding::NcaIdNotInEbaList { .. } => "nca-id-not-in-eba-list",
            Finding::NcaIdNotNa { .. } => "nca-id-not-na",
            Finding::NcaNameNotLatin { .. } => "nca-name-not-latin",
            Finding::OrganizationIdentifierMissing => "organization-identifier-missing",
            Finding::OrganizationIdentifierMultiple { .. } => "organization-identifier-multiple",
            Finding::OrganizationIdentifierNotPsd { .. } => "organization-identifier-not-psd",
            Finding::OrganizationIdentifierStringType { .. } => {
                "organization-identifier-string-type"
            }
            Finding::Precertificate => "precertificate",
            Finding::Psd2StatementMissing => "psd2-statement-missing",
            Finding::Psd2StringNotUtf8 { .. } => "psd2-string-not-utf8",
            Finding::Psd2StringSize { .. } => "psd2-string-size",
            Finding::QcStatementsCritical => "qc-statements-critical",
            Finding::QcTypeNotSingle { .. } => "qc-type-not-single",
            Finding::RoleNameMismatch { .. } => "role-name-mismatch",
            Finding::RolesOfPspEmpty => "roles-of-psp-empty",
            Finding::UnknownRoleOid { .. } => "unknown-role-oid",
        }
    }

    /// How serious the deviation is.
    #[must_use]
    pub fn severity(&self) -> Severity {
        match self {
            Finding::NcaIdNotInEbaList { .. } => Severity::Info,
            Finding::NcaIdMismatch { .. }
            | Finding::NcaIdNotNa { .. }
            | Finding::NcaNameNotLatin { .. }
            | Finding::OrganizationIdentifierNotPsd { .. }
            | Finding::QcTypeNotSingle { .. }
            | Finding::UnknownRoleOid { .. } => Severity::Warning,
            Finding::BareQcStatement
            | Finding::NcaIdFormat { .. }
            | Finding::OrganizationIdentifierMissing
            | Finding::OrganizationIdentifierMultiple { .. }
            | Finding::OrganizationIdentifierStringType { .. }
            | Finding::Precertificate
            | Finding::Psd2StatementMissing
            | Finding::Psd2StringNotUtf8 { .. }
            | Finding::Psd2StringSize { .. }
            | Finding::QcStatementsCritical
            | Finding::RoleNameMismatch { .. }
            | Finding::RolesOfPspEmpty => Severity::Error,
        }
    }

    /// The field path the finding concerns.
    #[must_use]
    pub fn field(&self) -> &'static str {
        match self {
            Finding::BareQcStatement | Finding::QcStatementsCritical => path::QC_STATEMENTS,
            Finding::NcaIdFormat { .. }
            | Finding::NcaIdMismatch { .. }
            | Finding::NcaIdNotInEbaList { .. }
            | Finding::NcaIdNotNa { .. } => path::NCA_ID,
            Finding::NcaNameNotLatin { .. } => path::NCA_NAME,
            Finding::OrganizationIdentifierMissing
            | Finding::OrganizationIdentifierMultiple { .. }
            | Finding::OrganizationIdentifierNotPsd { .. }
            | Finding::OrganizationIdentifierStringType { .. } => path::ORGANIZATION_IDENTIFIER,
            Finding::Precertificate => path::EXTENSIONS,
            Finding::Psd2StatementMissing => path::PSD2,
            Finding::Psd2StringNotUtf8 { field } | Finding::Psd2StringSize { field, .. } => field,
            Finding::QcTypeNotSingle { .. } => path::QC_TYPE,
            Finding::RoleNameMismatch { .. } | Finding::UnknownRoleOid { .. } => path::ROLE_OF_PSP,
            Finding::RolesOfPspEmpty => path::ROLES_OF_PSP,
        }
    }
}

/// `{field}: {what}`, lower-case, no final period.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.field())?;
        match self {
            Finding::BareQcStatement => {
                f.write_str("a bare QCStatement instead of SEQUENCE OF QCStatement")
            }
            Finding::NcaIdFormat { nca_id } => {
                write!(f, "{nca_id:?} is not of the form CC-XXXX (GEN-5.2.3-2)")
            }
            Finding::NcaIdMismatch { nca_id, implied } => write!(
                f,
                "{nca_id:?} disagrees with the organizationIdentifier, which implies {implied:?}"
            ),
            Finding::NcaIdNotInEbaList { nca_id } => {
                write!(
                    f,
                    "{nca_id:?} is not in the EBA list of NCA codes (v4, 2023)"
                )
            }
            Finding::NcaIdNotNa { nca_id } => {
                write!(f, "{nca_id:?} with role PSP_CB or PSP_PA, expected \"NA\"")
            }
            Finding::NcaNameNotLatin { nca_name } => {
                write!(f, "{nca_name:?} is not plain ASCII (GEN-5.2.3-1)")
            }
            Finding::OrganizationIdentifierMissing => f.write_str("absent from the subject"),
            Finding::OrganizationIdentifierMultiple { count } => {
                write!(f, "{count} attributes in the subject; the first is used")
            }
            Finding::OrganizationIdentifierNotPsd { value } => {
                write!(f, "{value:?} is not of the form PSDCC-NCA-number")
            }
            Finding::OrganizationIdentifierStringType { string_type } => {
                write!(f, "a {string_type}, not PrintableString or UTF8String")
            }
            Finding::Precertificate => {
                f.write_str("a CT precertificate (critical poison extension)")
            }
            Finding::Psd2StatementMissing => f.write_str("no PSD2 QCStatement"),
            Finding::Psd2StringNotUtf8 { .. } => f.write_str("PrintableString, not UTF8String"),
            Finding::Psd2StringSize { length, .. } => {
                write!(f, "{length} characters, outside SIZE (1..256)")
            }
            Finding::QcStatementsCritical => f.write_str("marked critical (QCS-4.1-02)"),
            Finding::QcTypeNotSingle { count } => write!(f, "{count} types, expected one"),
            Finding::RoleNameMismatch {
                oid,
                name,
                expected,
            } => write!(
                f,
                "{oid} is named {name:?}, expected {expected:?}; the OID is trusted"
            ),
            Finding::RolesOfPspEmpty => f.write_str("no role"),
            Finding::UnknownRoleOid { oid, name } => {
                write!(f, "{oid} ({name:?}) is not a TS 119 495 role")
            }
        }
    }
}

/// Which findings make a certificate unacceptable: a policy as a value, not a flag.
///
/// ```
/// use psd2_eidas::{FindingPolicy, Severity};
/// assert_eq!(FindingPolicy::STRICT.rejects_from(), Some(Severity::Error));
/// assert_eq!(FindingPolicy::LENIENT.rejects_from(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingPolicy {
    reject_from: Option<Severity>,
}

impl FindingPolicy {
    /// Rejects any finding of severity [`Severity::Error`]: every SHALL of the
    /// profile holds, but SHOULDs and real-world quirks without security effect pass.
    pub const STRICT: Self = Self {
        reject_from: Some(Severity::Error),
    };
    /// Rejects nothing: whatever could be read is accepted, the findings are
    /// only reported (for banks that must accept non-conforming QTSPs).
    pub const LENIENT: Self = Self { reject_from: None };

    /// Rejects every finding at or above `severity`
    /// (`Severity::Warning` for a pedantic test bench).
    #[must_use]
    pub const fn rejecting_from(severity: Severity) -> Self {
        Self {
            reject_from: Some(severity),
        }
    }

    /// The lowest severity this policy rejects, if any.
    #[must_use]
    pub fn rejects_from(&self) -> Option<Severity> {
        self.reject_from
    }

    /// Whether this finding makes the certificate unacceptable.
    #[must_use]
    pub fn rejects(&self, finding: &Finding) -> bool {
        self.reject_from
            .is_some_and(|threshold| finding.severity() >= threshold)
    }
}

/// The findings a [`FindingPolicy`] refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("certificate rejected: {}", .findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct ProfileRejection {
    /// Every refused finding, in the order found.
    pub findings: Vec<Finding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each variant; the match below fails to compile when a variant
    /// is added without an example here.
    fn examples() -> Vec<Finding> {
        let all = vec![
            Finding::BareQcStatement,
            Finding::NcaIdFormat {
                nca_id: "BE".to_owned(),
            },
            Finding::NcaIdMismatch {
                nca_id: "NL-XWG".to_owned(),
                implied: "NL-SBX".to_owned(),
            },
            Finding::NcaIdNotInEbaList {
                nca_id: "XY-ABC".to_owned(),
            },
            Finding::NcaIdNotNa {
                nca_id: "FR-ACPR".to_owned(),
            },
            Finding::NcaNameNotLatin {
                nca_name: "Banco de España".to_owned(),
            },
            Finding::OrganizationIdentifierMissing,
            Finding::OrganizationIdentifierMultiple { count: 2 },
            Finding::OrganizationIdentifierNotPsd {
                value: "XX:GR-18050".to_owned(),
            },
            Finding::OrganizationIdentifierStringType {
                string_type: "BMPString",
            },
            Finding::Precertificate,
            Finding::Psd2StatementMissing,
            Finding::Psd2StringNotUtf8 {
                field: path::NCA_ID,
            },
            Finding::Psd2StringSize {
                field: path::NCA_NAME,
                length: 0,
            },
            Finding::QcStatementsCritical,
            Finding::QcTypeNotSingle { count: 2 },
            Finding::RoleNameMismatch {
                oid: "0.4.0.19495.1.3".to_owned(),
                name: "PSP_AS".to_owned(),
                expected: "PSP_AI",
            },
            Finding::RolesOfPspEmpty,
            Finding::UnknownRoleOid {
                oid: "0.4.0.19495.1.9".to_owned(),
                name: "X".to_owned(),
            },
        ];
        for finding in &all {
            match finding {
                Finding::BareQcStatement
                | Finding::NcaIdFormat { .. }
                | Finding::NcaIdMismatch { .. }
                | Finding::NcaIdNotInEbaList { .. }
                | Finding::NcaIdNotNa { .. }
                | Finding::NcaNameNotLatin { .. }
                | Finding::OrganizationIdentifierMissing
                | Finding::OrganizationIdentifierMultiple { .. }
                | Finding::OrganizationIdentifierNotPsd { .. }
                | Finding::OrganizationIdentifierStringType { .. }
                | Finding::Precertificate
                | Finding::Psd2StatementMissing
                | Finding::Psd2StringNotUtf8 { .. }
                | Finding::Psd2StringSize { .. }
                | Finding::QcStatementsCritical
                | Finding::QcTypeNotSingle { .. }
                | Finding::RoleNameMismatch { .. }
                | Finding::RolesOfPspEmpty
                | Finding::UnknownRoleOid { .. } => {}
            }
        }
        all
    }

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut codes: Vec<&str> = examples().iter().map(Finding::code).collect();
        assert!(codes.iter().all(|code| {
            code.bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        }));
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count, "duplicate finding code");
    }

    /// clippy's message convention: start lower-case, no final period.
    #[test]
    fn messages_follow_the_convention() {
        for finding in examples() {
            let message = finding.to_string();
            let (field, text) = message.split_once(": ").unwrap();
            assert_eq!(field, finding.field());
            // ASN.1 type names keep their case.
            let first_word = text.split([' ', ',']).next().unwrap_or_default();
            let lower = !first_word.starts_with(|c: char| c.is_ascii_uppercase());
            assert!(lower || first_word == "PrintableString", "{message}");
            assert!(!message.ends_with('.'), "{message}");
        }
    }

    #[test]
    fn strict_rejects_errors_only() {
        for finding in examples() {
            assert_eq!(
                FindingPolicy::STRICT.rejects(&finding),
                finding.severity() == Severity::Error,
                "{finding}"
            );
            assert!(!FindingPolicy::LENIENT.rejects(&finding));
        }
    }
}
