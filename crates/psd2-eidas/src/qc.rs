//! The qcStatements extension (RFC 3739 §3.2.6, ETSI EN 319 412-5).
//!
//! ```text
//! QCStatements ::= SEQUENCE OF QCStatement
//! QCStatement ::= SEQUENCE {
//!     statementId   QC-STATEMENT.&id({SupportedStatements}),
//!     statementInfo QC-STATEMENT.&Type({SupportedStatements}{@statementId}) OPTIONAL }
//! ```

use std::fmt;

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, Ia5StringRef, PrintableStringRef};
use der::{Decode, Reader, Sequence, SliceReader, Tag, Tagged};

use crate::error::{ParseError, at, path};
use crate::finding::Finding;
use crate::oid;
use crate::psd2::{self, Psd2QcType};

/// The statements of a qcStatements extension, as read; each field is one
/// `QCStatement` by its statementId (RFC 3739 §3.2.6, EN 319 412-5 Annex B).
///
/// ```text
/// QCStatements ::= SEQUENCE OF QCStatement
/// QCStatement ::= SEQUENCE { statementId OBJECT IDENTIFIER, statementInfo ANY OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct QcStatements {
    /// `QcCompliance` (0.4.0.1862.1.1): the issuer claims an EU qualified certificate.
    pub compliance: bool,
    /// `QcType ::= SEQUENCE OF OBJECT IDENTIFIER` (0.4.0.1862.1.6).
    pub qc_types: Vec<QcType>,
    /// `QcSSCD` (0.4.0.1862.1.4): the private key sits in a qualified device.
    pub sscd: bool,
    /// `QcEuRetentionPeriod ::= INTEGER` (0.4.0.1862.1.3), in years.
    pub retention_period: Option<u32>,
    /// `QcEuPDS ::= PdsLocations` (0.4.0.1862.1.5).
    pub pds_locations: Vec<PdsLocation>,
    /// The PSD2 statement (0.4.0.19495.2).
    pub psd2: Option<Psd2QcType>,
    /// Statement ids this crate does not decode (QcLimitValue, QcCClegislation,
    /// pkixQCSyntax, ...), kept in order.
    pub other_statements: Vec<ObjectIdentifier>,
}

/// One `QcType` value (EN 319 412-5 §4.2.3).
///
/// ```text
/// QcType ::= SEQUENCE OF OBJECT IDENTIFIER (id-etsi-qct-esign | id-etsi-qct-eseal | id-etsi-qct-web, ...)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QcType {
    /// `id-etsi-qct-esign` (0.4.0.1862.1.6.1): electronic signatures.
    Esign,
    /// `id-etsi-qct-eseal` (0.4.0.1862.1.6.2): electronic seals (QSealC).
    Eseal,
    /// `id-etsi-qct-web` (0.4.0.1862.1.6.3): website authentication (QWAC).
    Web,
    /// Any other type OID.
    Other(ObjectIdentifier),
}

impl QcType {
    fn from_oid(value: ObjectIdentifier) -> Self {
        match value {
            oid::QCT_ESIGN => QcType::Esign,
            oid::QCT_ESEAL => QcType::Eseal,
            oid::QCT_WEB => QcType::Web,
            other => QcType::Other(other),
        }
    }

    /// `esign`, `eseal`, `web`, or the dotted OID.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            QcType::Esign => "esign".to_owned(),
            QcType::Eseal => "eseal".to_owned(),
            QcType::Web => "web".to_owned(),
            QcType::Other(other) => other.to_string(),
        }
    }
}

impl fmt::Display for QcType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Where a PKI disclosure statement is, and in which language.
///
/// ```text
/// QcEuPDS ::= PdsLocations
/// PdsLocations ::= SEQUENCE SIZE (1..MAX) OF PdsLocation
/// PdsLocation ::= SEQUENCE { url IA5String, language PrintableString (SIZE(2)) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PdsLocation {
    /// Where the PKI disclosure statement is.
    pub url: String,
    /// ISO 639-1 language code.
    pub language: String,
}

/// Wire form of `QCStatement`.
#[derive(Sequence)]
struct QcStatementRef<'a> {
    statement_id: ObjectIdentifier,
    #[asn1(optional = "true")]
    statement_info: Option<AnyRef<'a>>,
}

/// Wire form of `PdsLocation`.
#[derive(Sequence)]
struct PdsLocationRef<'a> {
    url: Ia5StringRef<'a>,
    language: PrintableStringRef<'a>,
}

const TAG_OBJECT_IDENTIFIER: u8 = 0x06;

/// Decodes the extnValue contents of qcStatements.
pub(crate) fn decode(
    extn_value: &[u8],
    findings: &mut Vec<Finding>,
) -> Result<QcStatements, ParseError> {
    let outer = AnyRef::from_der(extn_value).map_err(at(path::QC_STATEMENTS))?;
    outer
        .tag()
        .assert_eq(Tag::Sequence)
        .map_err(at(path::QC_STATEMENTS))?;
    let mut statements = QcStatements::default();

    // A SEQUENCE OF QCStatement starts with a SEQUENCE; a bare QCStatement
    // starts with its statementId (adorsys generator, EIDAS.md §5 pitfall 1).
    if outer.value().first() == Some(&TAG_OBJECT_IDENTIFIER) {
        findings.push(Finding::BareQcStatement);
        let statement = QcStatementRef::from_der(extn_value).map_err(at(path::QC_STATEMENT))?;
        apply(&mut statements, statement, findings)?;
        return Ok(statements);
    }

    let mut reader = SliceReader::new(outer.value()).map_err(at(path::QC_STATEMENTS))?;
    let mut seen = Vec::new();
    while !reader.is_finished() {
        let statement: QcStatementRef<'_> = reader.decode().map_err(at(path::QC_STATEMENT))?;
        record_once(&mut seen, statement.statement_id)?;
        apply(&mut statements, statement, findings)?;
    }
    Ok(statements)
}

/// Reads one statement into `statements`.
fn apply(
    statements: &mut QcStatements,
    statement: QcStatementRef<'_>,
    findings: &mut Vec<Finding>,
) -> Result<(), ParseError> {
    let info = statement.statement_info;
    let required = |path: &'static str| info.ok_or(ParseError::MissingStatementInfo { path });
    match statement.statement_id {
        oid::QC_COMPLIANCE => {
            statements.compliance = true;
        }
        oid::QC_SSCD => {
            statements.sscd = true;
        }
        oid::QC_TYPE => {
            let types: Vec<ObjectIdentifier> = required(path::QC_TYPE)?
                .decode_as()
                .map_err(at(path::QC_TYPE))?;
            if types.len() != 1 {
                findings.push(Finding::QcTypeNotSingle { count: types.len() });
            }
            statements.qc_types = types.into_iter().map(QcType::from_oid).collect();
        }
        oid::QC_RETENTION_PERIOD => {
            let years: u32 = required(path::QC_RETENTION_PERIOD)?
                .decode_as()
                .map_err(at(path::QC_RETENTION_PERIOD))?;
            statements.retention_period = Some(years);
        }
        oid::QC_PDS => {
            let locations: Vec<PdsLocationRef<'_>> = required(path::QC_PDS)?
                .decode_as()
                .map_err(at(path::QC_PDS))?;
            statements.pds_locations = locations
                .into_iter()
                .map(|location| PdsLocation {
                    url: location.url.as_str().to_owned(),
                    language: location.language.as_str().to_owned(),
                })
                .collect();
        }
        oid::PSD2_QC_STATEMENT => {
            statements.psd2 = Some(psd2::decode(required(path::PSD2)?, findings)?);
        }
        other => statements.other_statements.push(other),
    }
    Ok(())
}

/// Statements that may appear once: a second copy would be ambiguous.
const UNIQUE: [(ObjectIdentifier, &str); 6] = [
    (oid::QC_COMPLIANCE, path::QC_COMPLIANCE),
    (oid::QC_SSCD, path::QC_SSCD),
    (oid::QC_TYPE, path::QC_TYPE),
    (oid::QC_RETENTION_PERIOD, path::QC_RETENTION_PERIOD),
    (oid::QC_PDS, path::QC_PDS),
    (oid::PSD2_QC_STATEMENT, path::PSD2),
];

/// Fails on the second copy of a unique statement.
fn record_once(seen: &mut Vec<ObjectIdentifier>, id: ObjectIdentifier) -> Result<(), ParseError> {
    let Some((_, path)) = UNIQUE.iter().find(|(unique, _)| *unique == id) else {
        return Ok(());
    };
    if seen.contains(&id) {
        return Err(ParseError::DuplicateStatement { path });
    }
    seen.push(id);
    Ok(())
}
