//! The subject's organizationIdentifier (EN 319 412-1 §5.1.4, TS 119 495 §5.2.1).

use std::fmt;

/// An authorisation number in the structure of TS 119 495 GEN-5.2.1-3:
/// `PSD` + 2-letter country of the NCA + `-` + 2-8 letter NCA identifier
/// + `-` + the number as the NCA issued it.
///
/// Split on the first two hyphens only: the number keeps any further
/// hyphens or spaces (`PSDFI-FINFSA-2858394-9`, `PSDMT-MFSA-A 12345`).
///
/// ```
/// use psd2_eidas::PsdAuthorisation;
/// let psd = PsdAuthorisation::parse("PSDFI-FINFSA-2858394-9").unwrap();
/// assert_eq!((psd.country(), psd.nca(), psd.authorisation_number()), ("FI", "FINFSA", "2858394-9"));
/// assert_eq!(psd.nca_id(), "FI-FINFSA");
/// assert!(PsdAuthorisation::parse("PADFR-ACPR-30748").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PsdAuthorisation {
    /// The whole identifier; the parts are slices of it.
    value: String,
    /// Byte offset of the hyphen after the NCA identifier.
    second_hyphen: usize,
}

impl PsdAuthorisation {
    /// Parses `^PSD([A-Z]{2})-([A-Z]{2,8})-(.+)$` (the expression pkilint uses).
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        let rest = value.strip_prefix("PSD")?;
        let (country, rest) = (rest.get(..2)?, rest.get(2..)?);
        let rest = rest.strip_prefix('-')?;
        let (nca, number) = rest.split_once('-')?;
        let upper = |text: &str| text.bytes().all(|byte| byte.is_ascii_uppercase());
        if !upper(country) || !(2..=8).contains(&nca.len()) || !upper(nca) || number.is_empty() {
            return None;
        }
        Some(Self {
            value: value.to_owned(),
            second_hyphen: 6 + nca.len(),
        })
    }

    /// Builds the identifier from its parts, e.g. from a bank's client registry.
    /// `None` if a part breaks the structure.
    #[must_use]
    pub fn new(country: &str, nca: &str, authorisation_number: &str) -> Option<Self> {
        // Parsing the joined text and comparing the parts back rejects an NCA
        // part with a hyphen, which would otherwise shift into the number.
        Self::parse(&format!("PSD{country}-{nca}-{authorisation_number}"))
            .filter(|psd| psd.country() == country && psd.nca() == nca)
    }

    /// Country of the competent authority (ISO 3166-1 alpha-2), e.g. `FR`.
    #[must_use]
    pub fn country(&self) -> &str {
        self.value.get(3..5).unwrap_or_default()
    }

    /// The competent authority's identifier without country, e.g. `ACPR`.
    #[must_use]
    pub fn nca(&self) -> &str {
        self.value.get(6..self.second_hyphen).unwrap_or_default()
    }

    /// The authorisation number as the NCA issued it, e.g. `12345`.
    #[must_use]
    pub fn authorisation_number(&self) -> &str {
        self.value.get(self.second_hyphen + 1..).unwrap_or_default()
    }

    /// The `nCAId` this identifier implies: `{country}-{nca}`, e.g. `FR-ACPR`.
    #[must_use]
    pub fn nca_id(&self) -> String {
        format!("{}-{}", self.country(), self.nca())
    }

    /// The whole identifier, e.g. `PSDFR-ACPR-12345`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for PsdAuthorisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// The subject's `organizationIdentifier` (2.5.4.97), a DirectoryString read
/// whether it is a UTF8String or a PrintableString (Entrust uses the latter).
///
/// ```
/// use psd2_eidas::OrganizationIdentifier;
/// let psd = OrganizationIdentifier::parse("PSDES-BDE-3DFD21");
/// assert_eq!(psd.psd().map(|p| p.authorisation_number()), Some("3DFD21"));
/// let lei = OrganizationIdentifier::parse("LEIXG-724500VKKSH9QOLTFR81");
/// assert_eq!(lei, OrganizationIdentifier::Other("LEIXG-724500VKKSH9QOLTFR81".to_owned()));
/// assert_eq!(lei.as_str(), "LEIXG-724500VKKSH9QOLTFR81");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrganizationIdentifier {
    /// A PSD authorisation number.
    Psd(PsdAuthorisation),
    /// Any other form (`NTRFR-…`, `VATDE-…`, `XX:GR-18050`, an LEI, `PADFR-…`).
    Other(String),
}

impl OrganizationIdentifier {
    /// Classifies a value; never fails.
    #[must_use]
    pub fn parse(value: &str) -> Self {
        match PsdAuthorisation::parse(value) {
            Some(psd) => OrganizationIdentifier::Psd(psd),
            None => OrganizationIdentifier::Other(value.to_owned()),
        }
    }

    /// The raw value as the certificate carries it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            OrganizationIdentifier::Psd(psd) => psd.as_str(),
            OrganizationIdentifier::Other(value) => value,
        }
    }

    /// The parsed authorisation number, if the value has the PSD structure.
    #[must_use]
    pub fn psd(&self) -> Option<&PsdAuthorisation> {
        match self {
            OrganizationIdentifier::Psd(psd) => Some(psd),
            OrganizationIdentifier::Other(_) => None,
        }
    }
}

impl fmt::Display for OrganizationIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_the_first_two_hyphens_only() {
        let psd = PsdAuthorisation::parse("PSDFI-FINFSA-2858394-9").unwrap();
        assert_eq!(psd.country(), "FI");
        assert_eq!(psd.nca(), "FINFSA");
        assert_eq!(psd.authorisation_number(), "2858394-9");
        let spaced = PsdAuthorisation::parse("PSDMT-MFSA-A 12345").unwrap();
        assert_eq!(spaced.authorisation_number(), "A 12345");
    }

    #[test]
    fn rejects_what_is_not_the_psd_structure() {
        for value in [
            "PADFR-ACPR-30748",
            "XX:GR-18050",
            "EI:SE-5567971433",
            "LEIXG-724500VKKSH9QOLTFR81",
            "PSDFR-ACPR-",
            "PSDFR-A-1",
            "PSDFR-ABCDEFGHI-1",
            "PSDfr-ACPR-1",
            "PSDFR-acpr-1",
            "PSDFR_ACPR_1",
            "PSDFRACPR-1",
            "PSD",
            "",
            "PSDÉÉ-ACPR-1",
        ] {
            assert!(PsdAuthorisation::parse(value).is_none(), "{value}");
            assert_eq!(
                OrganizationIdentifier::parse(value),
                OrganizationIdentifier::Other(value.to_owned())
            );
        }
    }

    #[test]
    fn new_and_parse_agree() {
        let built = PsdAuthorisation::new("FR", "ACPR", "12345").unwrap();
        assert_eq!(
            Some(built.clone()),
            PsdAuthorisation::parse("PSDFR-ACPR-12345")
        );
        assert_eq!(built.to_string(), "PSDFR-ACPR-12345");
        assert_eq!(built.nca_id(), "FR-ACPR");
        assert!(PsdAuthorisation::new("FR", "AC-PR", "1").is_none());
        assert!(PsdAuthorisation::new("FRA", "ACPR", "1").is_none());
    }
}
