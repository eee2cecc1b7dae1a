//! Fatal parse errors: the bytes are not a certificate this crate can read.
//!
//! Deviations that real QWACs show (a bare QCStatement, PrintableString inside
//! PSD2QcType, empty strings, ...) are not errors but [`Finding`](crate::Finding)s;
//! an error means the structure itself is corrupt, and it names where.

use const_oid::ObjectIdentifier;

/// Why a certificate could not be read. Every variant names the field path,
/// in ASN.1 names, e.g. `qcStatements/PSD2QcType/nCAName`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// DER decoding failed at `path` (der reports the kind and the offset).
    #[error("{path}: {source}")]
    Der {
        /// Field path, e.g. `qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP`.
        path: &'static str,
        /// The der error, with its position inside that field.
        source: der::Error,
    },
    /// One extension appears twice (RFC 5280 §4.2: "A certificate MUST NOT
    /// include more than one instance of a particular extension").
    #[error("extensions: {oid} appears more than once")]
    DuplicateExtension {
        /// The repeated extension.
        oid: ObjectIdentifier,
    },
    /// A QC statement that must be unique appears twice (two PSD2 statements
    /// would make the roles ambiguous).
    #[error("{path}: appears more than once")]
    DuplicateStatement {
        /// Which statement, e.g. `qcStatements/PSD2QcType`.
        path: &'static str,
    },
    /// A statement whose syntax requires statementInfo came without one.
    #[error("{path}: statementInfo is missing")]
    MissingStatementInfo {
        /// Which statement, e.g. `qcStatements/QcType`.
        path: &'static str,
    },
    /// The PEM input holds no `CERTIFICATE` block.
    #[error("pem: no CERTIFICATE block")]
    NoCertificate,
}

/// Field paths used in errors and findings.
pub(crate) mod path {
    pub const CERTIFICATE: &str = "certificate";
    pub const PEM: &str = "pem";
    pub const ORGANIZATION_IDENTIFIER: &str = "tbsCertificate/subject/organizationIdentifier";
    pub const EXTENSIONS: &str = "tbsCertificate/extensions";
    pub const KEY_USAGE: &str = "extensions/keyUsage";
    pub const EXTENDED_KEY_USAGE: &str = "extensions/extKeyUsage";
    pub const SUBJECT_ALT_NAME: &str = "extensions/subjectAltName";
    pub const QC_STATEMENTS: &str = "qcStatements";
    pub const QC_STATEMENT: &str = "qcStatements/QCStatement";
    pub const QC_COMPLIANCE: &str = "qcStatements/QcCompliance";
    pub const QC_SSCD: &str = "qcStatements/QcSSCD";
    pub const QC_TYPE: &str = "qcStatements/QcType";
    pub const QC_RETENTION_PERIOD: &str = "qcStatements/QcRetentionPeriod";
    pub const QC_PDS: &str = "qcStatements/QcPDS";
    pub const PSD2: &str = "qcStatements/PSD2QcType";
    pub const ROLES_OF_PSP: &str = "qcStatements/PSD2QcType/rolesOfPSP";
    pub const ROLE_OF_PSP: &str = "qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP";
    pub const ROLE_OF_PSP_NAME: &str = "qcStatements/PSD2QcType/rolesOfPSP/RoleOfPSP/roleOfPspName";
    pub const NCA_NAME: &str = "qcStatements/PSD2QcType/nCAName";
    pub const NCA_ID: &str = "qcStatements/PSD2QcType/nCAId";
}

/// Attaches a field path to a der error: `.map_err(at(path::NCA_NAME))`.
pub(crate) fn at(path: &'static str) -> impl FnOnce(der::Error) -> ParseError {
    move |source| ParseError::Der { path, source }
}
