//! The payment service user.

use serde::{Deserialize, Serialize};

/// A physical person who signs in at the bank (ConnectPay "Person").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub String);

/// An entity that holds accounts (ConnectPay "Customer"); a person can belong
/// to several.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomerId(pub String);

/// Whether a customer is a private individual or a company
/// (ConnectPay: "either Personal, either Corporate").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum CustomerKind {
    /// A company or other legal entity.
    Corporate,
    /// A private individual.
    Personal,
}

/// The payment service user: one Person acting for one Customer.
///
/// ConnectPay defines the PSU as "a unique Person and Customer pair"; a token
/// issued to (X, A) must not reach the data of (X, B). Every profile is
/// modelled the same way; on a bank where each person has exactly one
/// customer the pair is simply fixed.
///
/// ```
/// use psd2_core::{CustomerId, PersonId, Psu};
/// let a = Psu::new(PersonId("x".into()), CustomerId("A".into()));
/// let b = Psu::new(PersonId("x".into()), CustomerId("B".into()));
/// assert_ne!(a, b);
/// assert_eq!(a.person, b.person);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Psu {
    /// Who authenticated.
    pub person: PersonId,
    /// Whose accounts the consent covers.
    pub customer: CustomerId,
}

impl Psu {
    /// The pair (person, customer).
    #[must_use]
    pub fn new(person: PersonId, customer: CustomerId) -> Self {
        Self { person, customer }
    }
}
