//! PSD2 roles of a payment service provider (ETSI TS 119 495 §5.1, Annex A).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A role of a PSD2 payment service provider as carried in the PSD2
/// QCStatement (`RoleOfPSP ::= SEQUENCE { roleOfPspOid, roleOfPspName }`).
///
/// The OID is authoritative: [`Psd2Role::from_oid`] ignores the name that came
/// with it, so a certificate whose `roleOfPspName` disagrees with its OID is
/// read by its OID (a finding in `psd2-eidas` records the disagreement).
///
/// ```
/// use psd2_core::Psd2Role;
/// assert_eq!(Psd2Role::from_oid("0.4.0.19495.1.3", "whatever"), Psd2Role::PspAi);
/// assert_eq!(Psd2Role::PspAi.name(), "PSP_AI");
/// assert_eq!("PSP_PI".parse::<Psd2Role>(), Ok(Psd2Role::PspPi));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Psd2Role {
    /// Account servicing (the bank, ASPSP): `0.4.0.19495.1.1`.
    PspAs,
    /// Payment initiation (PISP): `0.4.0.19495.1.2`.
    PspPi,
    /// Account information (AISP): `0.4.0.19495.1.3`.
    PspAi,
    /// Issuing of card-based payment instruments (PIISP / CBPII): `0.4.0.19495.1.4`.
    PspIc,
    /// International central bank (TS 119 495 V1.8.1): `0.4.0.19495.1.5`.
    PspCb,
    /// International public authority (TS 119 495 V1.8.1): `0.4.0.19495.1.6`.
    PspPa,
    /// Any other role OID ("Unspecified" `0.4.0.19495.1.0`, national roles, later additions).
    Other {
        /// Dotted OID.
        oid: String,
        /// The name the certificate gave it.
        name: String,
    },
}

/// The known roles with their OID and abbreviation, in the order of the standard.
const KNOWN: [(Psd2Role, &str, &str); 6] = [
    (Psd2Role::PspAs, "0.4.0.19495.1.1", "PSP_AS"),
    (Psd2Role::PspPi, "0.4.0.19495.1.2", "PSP_PI"),
    (Psd2Role::PspAi, "0.4.0.19495.1.3", "PSP_AI"),
    (Psd2Role::PspIc, "0.4.0.19495.1.4", "PSP_IC"),
    (Psd2Role::PspCb, "0.4.0.19495.1.5", "PSP_CB"),
    (Psd2Role::PspPa, "0.4.0.19495.1.6", "PSP_PA"),
];

impl Psd2Role {
    /// The role for a dotted OID; `name` is kept only for unknown OIDs.
    #[must_use]
    pub fn from_oid(oid: &str, name: &str) -> Self {
        KNOWN
            .iter()
            .find(|(_, known_oid, _)| *known_oid == oid)
            .map(|(role, _, _)| role.clone())
            .unwrap_or_else(|| Psd2Role::Other {
                oid: oid.to_owned(),
                name: name.to_owned(),
            })
    }

    /// The dotted OID.
    #[must_use]
    pub fn oid(&self) -> &str {
        match self {
            Psd2Role::Other { oid, .. } => oid,
            known => KNOWN
                .iter()
                .find(|(role, _, _)| role == known)
                .map_or("", |(_, oid, _)| oid),
        }
    }

    /// The abbreviation of the standard (`PSP_AI`), or the certificate's name
    /// for an unknown OID.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Psd2Role::Other { name, .. } => name,
            known => KNOWN
                .iter()
                .find(|(role, _, _)| role == known)
                .map_or("", |(_, _, name)| name),
        }
    }

    /// The standard's abbreviation expected for an OID, if the OID is known.
    #[must_use]
    pub fn expected_name_for_oid(oid: &str) -> Option<&'static str> {
        KNOWN
            .iter()
            .find(|(_, known_oid, _)| *known_oid == oid)
            .map(|(_, _, name)| *name)
    }
}

impl fmt::Display for Psd2Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Unknown role name (only the six abbreviations of the standard parse).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("role: {0:?} is not one of PSP_AS, PSP_PI, PSP_AI, PSP_IC, PSP_CB, PSP_PA")]
pub struct UnknownRole(pub String);

impl std::str::FromStr for Psd2Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KNOWN
            .iter()
            .find(|(_, _, name)| *name == s)
            .map(|(role, _, _)| role.clone())
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl Serialize for Psd2Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Deserialized from the abbreviation (`"PSP_AI"`); used by profile tables.
impl<'de> Deserialize<'de> for Psd2Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_and_names_agree() {
        for (role, oid, name) in KNOWN {
            assert_eq!(Psd2Role::from_oid(oid, "ignored"), role);
            assert_eq!(role.oid(), oid);
            assert_eq!(role.name(), name);
            assert_eq!(name.parse::<Psd2Role>(), Ok(role));
        }
    }

    #[test]
    fn unknown_oid_keeps_name() {
        let role = Psd2Role::from_oid("0.4.0.19495.1.0", "Unspecified");
        assert_eq!(role.oid(), "0.4.0.19495.1.0");
        assert_eq!(role.name(), "Unspecified");
        assert!("Unspecified".parse::<Psd2Role>().is_err());
    }

    #[test]
    fn the_oid_wins_over_the_name() {
        // A certificate that calls PSP_AI "PSP_AS" is read as PSP_AI.
        assert_eq!(
            Psd2Role::from_oid("0.4.0.19495.1.3", "PSP_AS"),
            Psd2Role::PspAi
        );
    }
}
