//! What the fixture PKI contains: one row per certificate, as data.
//!
//! The README table and the generator both read this list, so a fixture's
//! documented purpose cannot drift from what is generated.

use crate::certs::asn1::{Arcs, Psd2Shape};

/// Who signs a certificate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    SelfSigned,
    QtspCa,
    UntrustedCa,
}

/// When a certificate is valid.
#[derive(Clone, Copy)]
pub enum Window {
    /// 2025-01-01 until 9999-12-31 23:59:59 (RFC 5280 §4.1.2.5: "no well-defined
    /// expiration"), so CI never sees it expire.
    Current,
    /// 2020-01-01 until 2021-01-01.
    Expired,
    /// 9000-01-01 until 9999-12-31 23:59:59.
    NotYetValid,
}

/// A TPP: the legal person behind a QWAC or QSealC.
pub struct Tpp {
    pub organization: &'static str,
    pub country: &'static str,
    pub organization_identifier: &'static str,
    /// Entrust-style PrintableString, or UTF8String: both occur in real QWACs.
    pub organization_identifier_printable: bool,
    pub registration_number: &'static str,
    pub locality: &'static str,
    pub dns_name: &'static str,
    pub nca_name: &'static str,
    pub nca_id: &'static str,
}

pub const TPP_A: Tpp = Tpp {
    organization: "TPP A Test SAS",
    country: "FR",
    organization_identifier: "PSDFR-ACPR-12345",
    organization_identifier_printable: true,
    registration_number: "552100554",
    locality: "Paris",
    dns_name: "tpp-a.example.com",
    nca_name: "Autorite de Controle Prudentiel et de Resolution",
    nca_id: "FR-ACPR",
};

pub const TPP_B: Tpp = Tpp {
    organization: "TPP B Test B.V.",
    country: "NL",
    organization_identifier: "PSDNL-DNB-R161162",
    organization_identifier_printable: false,
    registration_number: "34123456",
    locality: "Amsterdam",
    dns_name: "tpp-b.example.com",
    nca_name: "De Nederlandsche Bank",
    nca_id: "NL-DNB",
};

/// The PSD2 roles of TS 119 495 §5.1 (OID, roleOfPspName).
pub const PSP_AS: (Arcs, &str) = (&[0, 4, 0, 19495, 1, 1], "PSP_AS");
pub const PSP_PI: (Arcs, &str) = (&[0, 4, 0, 19495, 1, 2], "PSP_PI");
pub const PSP_AI: (Arcs, &str) = (&[0, 4, 0, 19495, 1, 3], "PSP_AI");
pub const PSP_IC: (Arcs, &str) = (&[0, 4, 0, 19495, 1, 4], "PSP_IC");
const ALL_ROLES: &[(Arcs, &str)] = &[PSP_AS, PSP_PI, PSP_AI, PSP_IC];

/// How the PSD2 statement appears in the qcStatements extension.
#[derive(Clone, Copy)]
pub enum Psd2 {
    /// Inside the `SEQUENCE OF QCStatement`, in the given shape.
    Statement(Psd2Shape),
    /// The extension holds only the PSD2 QCStatement, not a SEQUENCE OF
    /// (the adorsys generator's output).
    BareStatement,
    /// No PSD2 statement at all.
    Absent,
}

/// What a certificate is for; decides key usage, EKU and extensions.
pub enum Profile {
    Ca {
        common_name: &'static str,
    },
    TlsServer,
    AdminClient,
    Qwac {
        tpp: &'static Tpp,
        roles: &'static [(Arcs, &'static str)],
        psd2: Psd2,
    },
    Qsealc {
        tpp: &'static Tpp,
        roles: &'static [(Arcs, &'static str)],
    },
}

/// One fixture: `<name>.pem` and `<name>.key`.
pub struct Fixture {
    pub name: &'static str,
    pub purpose: &'static str,
    pub signer: Signer,
    pub window: Window,
    pub profile: Profile,
}

const fn qwac(roles: &'static [(Arcs, &'static str)], psd2: Psd2) -> Profile {
    Profile::Qwac {
        tpp: &TPP_A,
        roles,
        psd2,
    }
}

const VALID: Psd2 = Psd2::Statement(Psd2Shape::Valid);

/// The CA that signs everything trusted. Its key signs the CRL too.
pub const QTSP_CA: &str = "qtsp-ca";
/// The CA the reference server does not trust.
pub const UNTRUSTED_CA: &str = "untrusted-ca";
/// The QWAC listed in the CRL.
pub const REVOKED: &str = "tpp-a-revoked";

pub const FIXTURES: &[Fixture] = &[
    Fixture {
        name: QTSP_CA,
        purpose: "Test QTSP root CA: the trust anchor of the reference server's mTLS listener; signs every other certificate except `tpp-a-untrusted-ca`, and signs `qtsp-ca.crl.pem`",
        signer: Signer::SelfSigned,
        window: Window::Current,
        profile: Profile::Ca {
            common_name: "PSD2 Toolkit Test QTSP CA",
        },
    },
    Fixture {
        name: UNTRUSTED_CA,
        purpose: "A root CA nobody trusts: issues `tpp-a-untrusted-ca`",
        signer: Signer::SelfSigned,
        window: Window::Current,
        profile: Profile::Ca {
            common_name: "PSD2 Toolkit Untrusted CA",
        },
    },
    Fixture {
        name: "server",
        purpose: "TLS server certificate of the reference server: SAN DNS `localhost`, IP `127.0.0.1` and `::1`; EKU serverAuth",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: Profile::TlsServer,
    },
    Fixture {
        name: "tpp-a-all-roles",
        purpose: "TPP A QWAC with PSP_AS, PSP_PI, PSP_AI, PSP_IC; orgId `PSDFR-ACPR-12345` (PrintableString), NCAId `FR-ACPR`",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, VALID),
    },
    Fixture {
        name: "tpp-b-all-roles",
        purpose: "TPP B (unrelated to A) QWAC with all four roles; orgId `PSDNL-DNB-R161162` (UTF8String), NCAId `NL-DNB`",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: Profile::Qwac {
            tpp: &TPP_B,
            roles: ALL_ROLES,
            psd2: VALID,
        },
    },
    Fixture {
        name: "tpp-a-psp-ai",
        purpose: "TPP A QWAC with PSP_AI only (account information)",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(&[PSP_AI], VALID),
    },
    Fixture {
        name: "tpp-a-psp-pi",
        purpose: "TPP A QWAC with PSP_PI only (payment initiation)",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(&[PSP_PI], VALID),
    },
    Fixture {
        name: "tpp-a-psp-ic",
        purpose: "TPP A QWAC with PSP_IC only (card-based payment instruments)",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(&[PSP_IC], VALID),
    },
    Fixture {
        name: "tpp-a-qsealc",
        purpose: "TPP A QSealC: QcType eseal, QcSSCD, keyUsage nonRepudiation, no EKU; all four roles (not a TLS certificate)",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: Profile::Qsealc {
            tpp: &TPP_A,
            roles: ALL_ROLES,
        },
    },
    Fixture {
        name: "tpp-a-expired",
        purpose: "TPP A QWAC (all roles) valid 2020-01-01 to 2021-01-01: TLS must reject it",
        signer: Signer::QtspCa,
        window: Window::Expired,
        profile: qwac(ALL_ROLES, VALID),
    },
    Fixture {
        name: "tpp-a-not-yet-valid",
        purpose: "TPP A QWAC (all roles) valid from 9000-01-01: TLS must reject it",
        signer: Signer::QtspCa,
        window: Window::NotYetValid,
        profile: qwac(ALL_ROLES, VALID),
    },
    Fixture {
        name: "tpp-a-no-psd2",
        purpose: "TPP A QWAC without the PSD2 QCStatement (QcCompliance, QcType web and QcPDS only): no roles",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, Psd2::Absent),
    },
    Fixture {
        name: REVOKED,
        purpose: "TPP A QWAC (all roles) listed as revoked (keyCompromise) in `qtsp-ca.crl.pem`",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, VALID),
    },
    Fixture {
        name: "tpp-a-untrusted-ca",
        purpose: "TPP A QWAC (all roles) issued by `untrusted-ca`: the mTLS handshake must fail",
        signer: Signer::UntrustedCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, VALID),
    },
    Fixture {
        name: "admin-clock-control",
        purpose: "ADMIN client certificate for the reference server's clock-control endpoint; EKU clientAuth, no PSD2 statement; never a TPP",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: Profile::AdminClient,
    },
    Fixture {
        name: "malformed-bare-statement",
        purpose: "MALFORMED: the qcStatements extension holds one bare PSD2 QCStatement instead of a SEQUENCE OF (adorsys generator)",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, Psd2::BareStatement),
    },
    Fixture {
        name: "malformed-printable-psd2",
        purpose: "MALFORMED: PrintableString instead of UTF8String for nCAName and nCAId (Go encoding/asn1 without the utf8 tag)",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, Psd2::Statement(Psd2Shape::PrintableStrings)),
    },
    Fixture {
        name: "malformed-empty-nca-name",
        purpose: "MALFORMED: empty nCAName (outside SIZE (1..256))",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, Psd2::Statement(Psd2Shape::EmptyNcaName)),
    },
    Fixture {
        name: "malformed-flattened-roles",
        purpose: "MALFORMED: rolesOfPSP flattened into one RoleOfPSP of eight components (apple/eidas#24)",
        signer: Signer::QtspCa,
        window: Window::Current,
        profile: qwac(ALL_ROLES, Psd2::Statement(Psd2Shape::FlattenedRoles)),
    },
];
