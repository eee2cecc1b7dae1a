//! The standard extensions a bank looks at next to the QC statements.

use std::net::IpAddr;
use std::time::SystemTime;

use x509_cert::ext::pkix::name::GeneralName;

/// One `GeneralName` of subjectAltName (RFC 5280 §4.2.1.6), simplified to
/// what a TLS peer check uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AltName {
    /// `dNSName`.
    Dns(String),
    /// `iPAddress` of 4 or 16 octets.
    Ip(IpAddr),
    /// `rfc822Name`.
    Email(String),
    /// `uniformResourceIdentifier`.
    Uri(String),
    /// Any other form (directoryName, otherName, registeredID, an address
    /// that is neither 4 nor 16 octets); not interpreted.
    Other,
}

impl AltName {
    pub(crate) fn from_general_name(name: &GeneralName) -> Self {
        match name {
            GeneralName::DnsName(dns) => AltName::Dns(dns.as_str().to_owned()),
            GeneralName::Rfc822Name(email) => AltName::Email(email.as_str().to_owned()),
            GeneralName::UniformResourceIdentifier(uri) => AltName::Uri(uri.as_str().to_owned()),
            GeneralName::IpAddress(octets) => {
                let bytes = octets.as_bytes();
                if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
                    AltName::Ip(IpAddr::from(v4))
                } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
                    AltName::Ip(IpAddr::from(v6))
                } else {
                    AltName::Other
                }
            }
            _ => AltName::Other,
        }
    }
}

/// `Validity ::= SEQUENCE { notBefore Time, notAfter Time }` (RFC 5280 §4.1.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// First instant of validity.
    pub not_before: SystemTime,
    /// Last instant of validity (inclusive, RFC 5280 §4.1.2.5).
    pub not_after: SystemTime,
}

impl Validity {
    /// Whether `now` lies within the window, both ends inclusive. The caller
    /// supplies the clock: this crate never reads one.
    #[must_use]
    pub fn contains(&self, now: SystemTime) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}
