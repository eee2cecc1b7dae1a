//! Reading typed parameters out of a [`Form`] by the rules of RFC 6749 §3.1
//! and §3.2, shared by every form-based message.

use psd2_core::{ClientId, IdError, ScopeSet, State};

use crate::{Form, InvalidReason, WireError};

/// A form being read by one message type.
///
/// Construction applies the two rules that hold for the whole form:
/// a pair with an empty value is treated as absent ("Parameters sent without
/// a value MUST be treated as if they were omitted from the request"), and a
/// parameter the message knows may appear once ("Request and response
/// parameters MUST NOT be included more than once"). Parameters the message
/// does not know may repeat: RFC 8707's `resource`, for one, is meant to.
pub(crate) struct Params<'f> {
    pairs: &'f [(String, String)],
    used: Vec<bool>,
}

impl<'f> Params<'f> {
    /// Checks `form` against the names the message knows.
    pub(crate) fn new(form: &'f Form, known: &[&'static str]) -> Result<Self, WireError> {
        let pairs = form.as_pairs();
        let used: Vec<bool> = pairs.iter().map(|(_, value)| value.is_empty()).collect();
        for name in known {
            let mut present = pairs
                .iter()
                .zip(&used)
                .filter(|((n, _), dropped)| n == name && !**dropped);
            if present.next().is_some() && present.next().is_some() {
                return Err(WireError::DuplicateParameter {
                    name: (*name).to_owned(),
                });
            }
        }
        Ok(Self { pairs, used })
    }

    /// The value of `name`, if it was sent with one.
    pub(crate) fn take(&mut self, name: &str) -> Option<&'f str> {
        let index = self
            .pairs
            .iter()
            .zip(&self.used)
            .position(|((n, _), used)| n == name && !*used)?;
        self.used[index] = true;
        Some(self.pairs[index].1.as_str())
    }

    /// The value of `name`, which the message cannot be read without.
    pub(crate) fn require(&mut self, name: &'static str) -> Result<&'f str, WireError> {
        self.take(name).ok_or(WireError::MissingParameter { name })
    }

    /// The pairs nobody took, in order: the message's `extra`.
    pub(crate) fn rest(self) -> Form {
        self.pairs
            .iter()
            .zip(self.used)
            .filter(|(_, used)| !*used)
            .map(|(pair, _)| pair.clone())
            .collect::<Vec<_>>()
            .into()
    }
}

/// Maps a psd2-core identifier error onto the field it came from.
pub(crate) fn identifier(field: &'static str) -> impl FnOnce(IdError) -> WireError {
    move |error| WireError::invalid(field, InvalidReason::Identifier(error))
}

pub(crate) fn client_id(field: &'static str, value: &str) -> Result<ClientId, WireError> {
    ClientId::new(value).map_err(identifier(field))
}

pub(crate) fn state(value: &str) -> Result<State, WireError> {
    State::new(value).map_err(identifier("state"))
}

/// A scope string. The empty string is the empty set, as psd2-core's serde
/// form reads it; a form never gets here with one (empty means absent).
pub(crate) fn scope(field: &'static str, value: &str) -> Result<ScopeSet, WireError> {
    if value.is_empty() {
        return Ok(ScopeSet::new());
    }
    ScopeSet::parse(value).map_err(|error| WireError::invalid(field, InvalidReason::Scope(error)))
}

/// Appends `scope` to a form unless it is absent or empty (an empty value
/// would decode as absent anyway).
pub(crate) fn append_scope(form: &mut Form, name: &str, scope: Option<&ScopeSet>) {
    if let Some(scope) = scope
        && !scope.is_empty()
    {
        form.append(name, scope.to_string());
    }
}

/// Appends an optional value.
pub(crate) fn append_opt(form: &mut Form, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        form.append(name, value);
    }
}

/// `client_id` and `client_secret` in the body (RFC 6749 §2.3.1), as token
/// and revocation requests both carry them.
pub(crate) fn append_client_credentials(
    form: &mut Form,
    client_id: Option<&psd2_core::ClientId>,
    client_secret: Option<&psd2_core::Secret<String>>,
) {
    append_opt(
        form,
        "client_id",
        client_id.map(psd2_core::ClientId::as_str),
    );
    append_opt(
        form,
        "client_secret",
        client_secret.map(|secret| secret.expose().as_str()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Form {
        Form::decode(text.as_bytes()).unwrap()
    }

    #[test]
    fn empty_values_are_absent_and_do_not_count_as_repeats() {
        let form = form("state=&state=xyz&scope=");
        let mut params = Params::new(&form, &["state", "scope"]).unwrap();
        assert_eq!(params.take("state"), Some("xyz"));
        assert_eq!(params.take("scope"), None);
        assert!(params.rest().is_empty());
    }

    #[test]
    fn known_repeats_fail_unknown_repeats_are_kept() {
        let repeated = form("state=a&state=b");
        assert_eq!(
            Params::new(&repeated, &["state"]).err(),
            Some(WireError::DuplicateParameter {
                name: "state".to_owned()
            })
        );
        let resources = form("resource=a&state=s&resource=b");
        let mut params = Params::new(&resources, &["state"]).unwrap();
        assert_eq!(params.take("state"), Some("s"));
        assert_eq!(params.rest().encode(), "resource=a&resource=b");
    }

    #[test]
    fn require_names_the_parameter() {
        let form = form("a=1");
        let mut params = Params::new(&form, &["code"]).unwrap();
        assert_eq!(
            params.require("code"),
            Err(WireError::MissingParameter { name: "code" })
        );
    }
}
