//! Test support: fixture loading, a tiny DER writer, and "certificate surgery"
//! that swaps one part of a real fixture (an extension, the subject) so that a
//! test reaches the parser through `Psd2Certificate::from_der` exactly as a
//! bank would. The signature no longer verifies; parsing does not check it.

// Each test binary uses a different part of this module; and a helper that
// fails is a failed test, so unwrap is the right reaction here.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use der::Encode;
use der::asn1::ObjectIdentifier;

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/certs")
        .join(name)
}

pub fn fixture_pem(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(&format!("{name}.pem"))).unwrap()
}

/// DER of the single certificate in `fixtures/certs/{name}.pem`.
pub fn fixture_der(name: &str) -> Vec<u8> {
    let pem = fixture_pem(name);
    let (label, der) = der::pem::decode_vec(&pem).unwrap();
    assert_eq!(label, "CERTIFICATE");
    der
}

/// Every `fixtures/certs/*.pem` certificate (not the CRL), by file stem.
pub fn all_fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_path(""))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".pem") && !name.ends_with(".crl.pem"))
        .map(|name| name.trim_end_matches(".pem").to_owned())
        .collect();
    names.sort();
    names
}

// ---- DER writer ---------------------------------------------------------

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
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

pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub fn set(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}

pub fn oid(dotted: &str) -> Vec<u8> {
    ObjectIdentifier::new(dotted).unwrap().to_der().unwrap()
}

pub fn utf8(text: &str) -> Vec<u8> {
    tlv(0x0C, text.as_bytes())
}

pub fn printable(text: &str) -> Vec<u8> {
    tlv(0x13, text.as_bytes())
}

pub fn teletex(text: &str) -> Vec<u8> {
    tlv(0x14, text.as_bytes())
}

pub fn ia5(text: &str) -> Vec<u8> {
    tlv(0x16, text.as_bytes())
}

pub fn integer(value: u8) -> Vec<u8> {
    tlv(0x02, &[value])
}

// ---- QC statements --------------------------------------------------------

pub const QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";
pub const PSD2: &str = "0.4.0.19495.2";
pub const PSP_AS: &str = "0.4.0.19495.1.1";
pub const PSP_PI: &str = "0.4.0.19495.1.2";
pub const PSP_AI: &str = "0.4.0.19495.1.3";
pub const PSP_IC: &str = "0.4.0.19495.1.4";
pub const PSP_CB: &str = "0.4.0.19495.1.5";
pub const PSP_PA: &str = "0.4.0.19495.1.6";

pub fn statement(id: &str, info: Option<Vec<u8>>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    parts.extend(info);
    seq(&parts)
}

pub fn qc_compliance() -> Vec<u8> {
    statement("0.4.0.1862.1.1", None)
}

pub fn qc_type_web() -> Vec<u8> {
    statement("0.4.0.1862.1.6", Some(seq(&[oid("0.4.0.1862.1.6.3")])))
}

/// `RoleOfPSP` with a UTF8String name.
pub fn role(role_oid: &str, name: &str) -> Vec<u8> {
    seq(&[oid(role_oid), utf8(name)])
}

/// A PSD2 statement from already-encoded parts, so a test can break any one.
pub fn psd2_raw(roles: &[Vec<u8>], nca_name: Vec<u8>, nca_id: Vec<u8>) -> Vec<u8> {
    statement(PSD2, Some(seq(&[seq(roles), nca_name, nca_id])))
}

/// A well-formed PSD2 statement.
pub fn psd2(roles: &[(&str, &str)], nca_name: &str, nca_id: &str) -> Vec<u8> {
    let roles: Vec<Vec<u8>> = roles.iter().map(|(id, name)| role(id, name)).collect();
    psd2_raw(&roles, utf8(nca_name), utf8(nca_id))
}

pub fn all_roles() -> Vec<(&'static str, &'static str)> {
    vec![
        (PSP_AS, "PSP_AS"),
        (PSP_PI, "PSP_PI"),
        (PSP_AI, "PSP_AI"),
        (PSP_IC, "PSP_IC"),
    ]
}

/// QcCompliance + QcType web + the given PSD2 statement, as SEQUENCE OF.
pub fn qwac_statements(psd2_statement: Vec<u8>) -> Vec<u8> {
    seq(&[qc_compliance(), qc_type_web(), psd2_statement])
}

// ---- certificate surgery --------------------------------------------------

/// Splits DER content into its top-level TLVs (single-byte tags only, which
/// is all an X.509 certificate uses at these levels).
pub fn split_tlvs(mut content: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let first_len = content[1];
        let (header, len) = if first_len < 0x80 {
            (2, first_len as usize)
        } else {
            let count = (first_len & 0x7F) as usize;
            let len = content[2..2 + count]
                .iter()
                .fold(0usize, |acc, byte| (acc << 8) | *byte as usize);
            (2 + count, len)
        };
        out.push(content[..header + len].to_vec());
        content = &content[header + len..];
    }
    out
}

/// The content octets of one TLV.
pub fn content_of(element: &[u8]) -> Vec<u8> {
    let first_len = element[1];
    let header = if first_len < 0x80 {
        2
    } else {
        2 + (first_len & 0x7F) as usize
    };
    element[header..].to_vec()
}

/// A certificate taken apart: TBSCertificate fields, signature algorithm, signature.
pub struct Surgery {
    pub tbs: Vec<Vec<u8>>,
    algorithm: Vec<u8>,
    signature: Vec<u8>,
}

/// TBSCertificate field indices (the fixtures all carry an explicit version).
pub const ISSUER: usize = 3;
pub const SUBJECT: usize = 5;

impl Surgery {
    pub fn of(der: &[u8]) -> Self {
        let outer = split_tlvs(&content_of(der));
        assert_eq!(outer.len(), 3);
        Self {
            tbs: split_tlvs(&content_of(&outer[0])),
            algorithm: outer[1].clone(),
            signature: outer[2].clone(),
        }
    }

    pub fn fixture(name: &str) -> Self {
        Self::of(&fixture_der(name))
    }

    fn extensions(&self) -> Vec<Vec<u8>> {
        let wrapper = self.tbs.last().unwrap();
        assert_eq!(wrapper[0], 0xA3, "fixture has extensions");
        split_tlvs(&content_of(&split_tlvs(&content_of(wrapper))[0]))
    }

    fn set_extensions(&mut self, extensions: Vec<Vec<u8>>) -> &mut Self {
        let last = self.tbs.len() - 1;
        self.tbs[last] = tlv(0xA3, &seq(&extensions));
        self
    }

    fn extension(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
        let mut parts = vec![oid(id)];
        if critical {
            parts.push(tlv(0x01, &[0xFF]));
        }
        parts.push(tlv(0x04, value));
        seq(&parts)
    }

    /// Replaces (or adds) the extension `id` with this extnValue content.
    pub fn set_extension(&mut self, id: &str, critical: bool, value: &[u8]) -> &mut Self {
        let id_tlv = oid(id);
        let mut extensions = self.extensions();
        let new = Self::extension(id, critical, value);
        match extensions
            .iter()
            .position(|extension| split_tlvs(&content_of(extension))[0] == id_tlv)
        {
            Some(index) => extensions[index] = new,
            None => extensions.push(new),
        }
        self.set_extensions(extensions)
    }

    /// Appends an extension even if one with the same id exists.
    pub fn push_extension(&mut self, id: &str, critical: bool, value: &[u8]) -> &mut Self {
        let mut extensions = self.extensions();
        extensions.push(Self::extension(id, critical, value));
        self.set_extensions(extensions)
    }

    /// Drops the extension `id`.
    pub fn remove_extension(&mut self, id: &str) -> &mut Self {
        let id_tlv = oid(id);
        let extensions = self
            .extensions()
            .into_iter()
            .filter(|extension| split_tlvs(&content_of(extension))[0] != id_tlv)
            .collect();
        self.set_extensions(extensions)
    }

    /// The qcStatements extension's value.
    pub fn qc(&mut self, value: &[u8]) -> &mut Self {
        self.set_extension(QC_STATEMENTS, false, value)
    }

    pub fn field(&mut self, index: usize, value: Vec<u8>) -> &mut Self {
        self.tbs[index] = value;
        self
    }

    pub fn der(&self) -> Vec<u8> {
        seq(&[
            seq(&self.tbs),
            self.algorithm.clone(),
            self.signature.clone(),
        ])
    }
}

/// `Name` from RDNs, each RDN a list of (attribute OID, encoded value).
pub fn name(rdns: &[&[(&str, Vec<u8>)]]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = rdns
        .iter()
        .map(|rdn| {
            let mut attributes: Vec<Vec<u8>> = rdn
                .iter()
                .map(|(id, value)| seq(&[oid(id), value.clone()]))
                .collect();
            // DER SET OF: elements in ascending order of their encodings.
            attributes.sort();
            set(&attributes)
        })
        .collect();
    seq(&rdns)
}

pub const C: &str = "2.5.4.6";
pub const O: &str = "2.5.4.10";
pub const CN: &str = "2.5.4.3";
pub const ORG_ID: &str = "2.5.4.97";
