//! Object identifiers this crate reads.
//!
//! const-oid 0.10's database has neither organizationIdentifier nor the QC
//! statement arcs, so they are declared here, each with its source.

use const_oid::ObjectIdentifier;

/// `id-at-organizationIdentifier` (X.520; EN 319 412-1 §5.1.4).
pub const ORGANIZATION_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.97");

/// `id-pe-qcStatements` (RFC 3739 §3.2.6).
pub const QC_STATEMENTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.3");

/// `id-etsi-qcs-QcCompliance` (EN 319 412-5 §4.2.1).
pub const QC_COMPLIANCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.1");
/// `id-etsi-qcs-QcRetentionPeriod` (EN 319 412-5 §4.3.3).
pub const QC_RETENTION_PERIOD: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.3");
/// `id-etsi-qcs-QcSSCD` (EN 319 412-5 §4.2.2).
pub const QC_SSCD: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.4");
/// `id-etsi-qcs-QcPDS` (EN 319 412-5 §4.3.4).
pub const QC_PDS: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.5");
/// `id-etsi-qcs-QcType` (EN 319 412-5 §4.2.3).
pub const QC_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6");
/// `id-etsi-qct-esign`: certificate for electronic signatures.
pub const QCT_ESIGN: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.1");
/// `id-etsi-qct-eseal`: certificate for electronic seals (QSealC).
pub const QCT_ESEAL: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.2");
/// `id-etsi-qct-web`: certificate for website authentication (QWAC).
pub const QCT_WEB: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.3");

/// `id-etsi-psd2-qcStatement` (TS 119 495 Annex A).
pub const PSD2_QC_STATEMENT: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.2");
/// `id-psd2-role-psp-unspecified`: a role left unspecified (GEN-5.2.2-3A).
pub const PSD2_ROLE_UNSPECIFIED: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.1.0");

/// `id-kp-serverAuth` (RFC 5280 §4.2.1.12).
pub const KP_SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
/// `id-kp-clientAuth` (RFC 5280 §4.2.1.12).
pub const KP_CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// Certificate Transparency precertificate poison (RFC 6962 §3.1).
pub const CT_PRECERTIFICATE_POISON: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.3");

/// `id-psd2-role-psp-as`: account servicing (TS 119 495 §5.1).
pub const PSD2_ROLE_PSP_AS: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.1.1");
/// `id-psd2-role-psp-pi`: payment initiation.
pub const PSD2_ROLE_PSP_PI: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.1.2");
/// `id-psd2-role-psp-ai`: account information.
pub const PSD2_ROLE_PSP_AI: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.1.3");
/// `id-psd2-role-psp-ic`: issuing of card-based payment instruments.
pub const PSD2_ROLE_PSP_IC: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.1.4");
/// PSP_CB: international central bank (TS 119 495 V1.8.1).
pub const PSD2_ROLE_PSP_CB: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.1.5");
/// PSP_PA: international public authority (TS 119 495 V1.8.1).
pub const PSD2_ROLE_PSP_PA: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19495.1.6");
