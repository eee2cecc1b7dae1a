//! [`Psd2Certificate`]: one parse of a QWAC or QSealC, and what it declares.

use const_oid::ObjectIdentifier;
use der::Decode;
use psd2_core::{Psd2Role, X5tS256};
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::DirectoryString;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, SubjectAltName};
use x509_cert::name::Name;

use crate::error::{ParseError, at, path};
use crate::extensions::{AltName, Validity};
use crate::finding::{Finding, FindingPolicy, ProfileRejection};
use crate::org_id::OrganizationIdentifier;
use crate::psd2::Psd2QcType;
use crate::qc::{QcStatements, QcType};
use crate::{oid, pem, psd2, qc};

/// A parsed eIDAS certificate: the X.509 fields a bank needs, the QC
/// statements, the PSD2 statement and the organizationIdentifier, plus the
/// [`Finding`]s of everything that could be read but deviates from the profile.
///
/// Parsing reads no clock and checks no signature: chain validation is the TLS
/// stack's job (rustls/webpki), and whether the issuing CA is qualified is a
/// Trusted List fact.
#[derive(Debug, Clone)]
pub struct Psd2Certificate {
    der: Vec<u8>,
    certificate: Certificate,
    organization_identifier: Option<OrganizationIdentifier>,
    qc_statements: Option<QcStatements>,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Vec<ObjectIdentifier>,
    subject_alt_names: Vec<AltName>,
    findings: Vec<Finding>,
}

impl Psd2Certificate {
    /// Parses one DER certificate (strict DER: der 0.8 rejects BER forms).
    ///
    /// # Errors
    /// [`ParseError`] naming the field when the structure is corrupt, when an
    /// extension appears twice, or when a unique QC statement repeats.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        let certificate = Certificate::from_der(der).map_err(at(path::CERTIFICATE))?;
        let mut findings = Vec::new();
        let organization_identifier = read_organization_identifier(&certificate, &mut findings)?;

        let mut qc_statements = None;
        let mut key_usage = None;
        let mut extended_key_usage = Vec::new();
        let mut subject_alt_names = Vec::new();
        let extensions = certificate
            .tbs_certificate()
            .extensions()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (index, extension) in extensions.iter().enumerate() {
            let id = extension.extn_id;
            if extensions[..index]
                .iter()
                .any(|earlier| earlier.extn_id == id)
            {
                return Err(ParseError::DuplicateExtension { oid: id });
            }
            let value = extension.extn_value.as_bytes();
            match id {
                oid::QC_STATEMENTS => {
                    if extension.critical {
                        findings.push(Finding::QcStatementsCritical);
                    }
                    qc_statements = Some(qc::decode(value, &mut findings)?);
                }
                oid::CT_PRECERTIFICATE_POISON => findings.push(Finding::Precertificate),
                const_oid::db::rfc5280::ID_CE_KEY_USAGE => {
                    key_usage = Some(KeyUsage::from_der(value).map_err(at(path::KEY_USAGE))?);
                }
                const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE => {
                    extended_key_usage = ExtendedKeyUsage::from_der(value)
                        .map_err(at(path::EXTENDED_KEY_USAGE))?
                        .0;
                }
                const_oid::db::rfc5280::ID_CE_SUBJECT_ALT_NAME => {
                    let names =
                        SubjectAltName::from_der(value).map_err(at(path::SUBJECT_ALT_NAME))?;
                    subject_alt_names = names.0.iter().map(AltName::from_general_name).collect();
                }
                _ => {}
            }
        }

        match qc_statements.as_ref().and_then(|qc| qc.psd2.as_ref()) {
            Some(statement) => {
                psd2::check(statement, organization_identifier.as_ref(), &mut findings);
            }
            None => findings.push(Finding::Psd2StatementMissing),
        }

        Ok(Self {
            der: der.to_vec(),
            certificate,
            organization_identifier,
            qc_statements,
            key_usage,
            extended_key_usage,
            subject_alt_names,
            findings,
        })
    }

    /// Parses every `CERTIFICATE` block of a PEM text, in order (a chain file
    /// yields the leaf first, as TLS sends it). Other blocks are skipped.
    ///
    /// # Errors
    /// [`ParseError::NoCertificate`] without a certificate block; a `pem` error
    /// for broken armour or base64; otherwise the first block's [`ParseError`].
    pub fn from_pem(pem: &[u8]) -> Result<Vec<Self>, ParseError> {
        pem::certificate_blocks(pem)?
            .iter()
            .map(|der| Self::from_der(der))
            .collect()
    }

    /// The DER bytes as parsed (what RFC 8705 hashes).
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The x509-cert structure, for anything this crate does not expose.
    #[must_use]
    pub fn x509(&self) -> &Certificate {
        &self.certificate
    }

    /// Subject distinguished name. Never match on its `Display`: x509-cert
    /// prints organizationIdentifier as hex DER (it has no name for 2.5.4.97).
    #[must_use]
    pub fn subject(&self) -> &Name {
        self.certificate.tbs_certificate().subject()
    }

    /// Issuer distinguished name.
    #[must_use]
    pub fn issuer(&self) -> &Name {
        self.certificate.tbs_certificate().issuer()
    }

    /// Serial number: the big-endian content octets of the INTEGER.
    #[must_use]
    pub fn serial_number(&self) -> &[u8] {
        self.certificate
            .tbs_certificate()
            .serial_number()
            .as_bytes()
    }

    /// notBefore and notAfter.
    #[must_use]
    pub fn validity(&self) -> Validity {
        let validity = self.certificate.tbs_certificate().validity();
        Validity {
            not_before: validity.not_before.to_system_time(),
            not_after: validity.not_after.to_system_time(),
        }
    }

    /// The keyUsage extension, if present.
    #[must_use]
    pub fn key_usage(&self) -> Option<&KeyUsage> {
        self.key_usage.as_ref()
    }

    /// The extKeyUsage purposes (empty when the extension is absent).
    #[must_use]
    pub fn extended_key_usage(&self) -> &[ObjectIdentifier] {
        &self.extended_key_usage
    }

    /// The subjectAltName entries (empty when the extension is absent).
    #[must_use]
    pub fn subject_alt_names(&self) -> &[AltName] {
        &self.subject_alt_names
    }

    /// The first organizationIdentifier of the subject, if any (several are
    /// reported as [`Finding::OrganizationIdentifierMultiple`]).
    #[must_use]
    pub fn organization_identifier(&self) -> Option<&OrganizationIdentifier> {
        self.organization_identifier.as_ref()
    }

    /// The qcStatements extension, if present.
    #[must_use]
    pub fn qc_statements(&self) -> Option<&QcStatements> {
        self.qc_statements.as_ref()
    }

    /// The PSD2 statement, if present.
    #[must_use]
    pub fn psd2(&self) -> Option<&Psd2QcType> {
        self.qc_statements.as_ref()?.psd2.as_ref()
    }

    /// The QcType values (empty without qcStatements or QcType).
    #[must_use]
    pub fn qc_types(&self) -> &[QcType] {
        self.qc_statements
            .as_ref()
            .map(|qc| qc.qc_types.as_slice())
            .unwrap_or_default()
    }

    /// The PSD2 roles, by OID, in certificate order.
    pub fn roles(&self) -> impl Iterator<Item = &Psd2Role> {
        self.psd2()
            .into_iter()
            .flat_map(|statement| statement.roles_of_psp.iter().map(|role| &role.role))
    }

    /// Every deviation found, in the order found.
    #[must_use]
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Applies a [`FindingPolicy`]: `Err` lists the findings it refuses.
    ///
    /// # Errors
    /// [`ProfileRejection`] when any finding is at or above the policy's threshold.
    pub fn check_profile(&self, policy: FindingPolicy) -> Result<(), ProfileRejection> {
        let findings: Vec<Finding> = self
            .findings
            .iter()
            .filter(|finding| policy.rejects(finding))
            .cloned()
            .collect();
        if findings.is_empty() {
            Ok(())
        } else {
            Err(ProfileRejection { findings })
        }
    }

    /// SHA-256 over the DER encoding.
    #[must_use]
    pub fn sha256_thumbprint(&self) -> [u8; 32] {
        let digest = ring::digest::digest(&ring::digest::SHA256, &self.der);
        let mut out = [0u8; 32];
        out.copy_from_slice(digest.as_ref());
        out
    }

    /// The RFC 8705 §3.1 `x5t#S256` confirmation value of this certificate.
    #[must_use]
    pub fn x5t_s256(&self) -> X5tS256 {
        X5tS256::from_sha256(&self.sha256_thumbprint())
    }
}

/// Reads the subject's organizationIdentifier attributes: the first is kept.
fn read_organization_identifier(
    certificate: &Certificate,
    findings: &mut Vec<Finding>,
) -> Result<Option<OrganizationIdentifier>, ParseError> {
    let mut first = None;
    let mut count = 0;
    for attribute in certificate.tbs_certificate().subject().iter() {
        if attribute.oid != oid::ORGANIZATION_IDENTIFIER {
            continue;
        }
        count += 1;
        let value: DirectoryString = attribute
            .value
            .decode_as()
            .map_err(at(path::ORGANIZATION_IDENTIFIER))?;
        if first.is_some() {
            continue;
        }
        match &value {
            DirectoryString::TeletexString(_) => {
                findings.push(Finding::OrganizationIdentifierStringType {
                    string_type: "TeletexString",
                })
            }
            DirectoryString::BmpString(_) => {
                findings.push(Finding::OrganizationIdentifierStringType {
                    string_type: "BMPString",
                })
            }
            DirectoryString::PrintableString(_) | DirectoryString::Utf8String(_) => {}
        }
        let parsed = OrganizationIdentifier::parse(&value.value());
        if let OrganizationIdentifier::Other(other) = &parsed {
            findings.push(Finding::OrganizationIdentifierNotPsd {
                value: other.clone(),
            });
        }
        first = Some(parsed);
    }
    match count {
        0 => findings.push(Finding::OrganizationIdentifierMissing),
        1 => {}
        count => findings.push(Finding::OrganizationIdentifierMultiple { count }),
    }
    Ok(first)
}
