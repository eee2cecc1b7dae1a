//! Values kept between the steps of one scenario: what a step captured
//! under a variable name (`${code}`), and what the harness generated for the
//! journeys (verifier, state) and received last (tokens, registration), so
//! that a later step can send it without the scenario naming it.

use std::collections::BTreeMap;

use psd2_core::{Secret, ServiceScopes};

use super::StepError;
use super::random;
use crate::scenario::{CaptureField, ValueTemplate};

/// A captured value: secrets stay wrapped until they go on the wire.
#[derive(Debug, Clone)]
enum Value {
    Plain(String),
    Secret(Secret<String>),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Plain(text) => text.clone(),
            Value::Secret(secret) => secret.expose().clone(),
        }
    }
}

/// What a scenario has captured so far.
#[derive(Debug, Default)]
pub(crate) struct Captures {
    variables: BTreeMap<String, Value>,
    /// The last value received per field, whatever the scenario captured:
    /// the defaults of later steps (a token step redeems the last code).
    last: BTreeMap<CaptureField, Value>,
}

impl Captures {
    /// Records that `field` was received with `value`, under `variable` too
    /// when the step captures it.
    pub(crate) fn receive(&mut self, field: CaptureField, value: String, variable: Option<&str>) {
        let value = if field.is_secret() {
            Value::Secret(Secret::new(value))
        } else {
            Value::Plain(value)
        };
        if let Some(variable) = variable {
            self.variables.insert(variable.to_owned(), value.clone());
        }
        self.last.insert(field, value);
    }

    /// Captures seeded with the target's PSU credentials as
    /// `${psu_username}` and `${psu_password}` (secrets, like every capture
    /// of a credential), and with the scope of each service the profile
    /// offers as `${scope.<service>}`.
    pub(crate) fn seeded(
        psu: Option<&crate::target::PsuCredentials>,
        service_scopes: &ServiceScopes,
    ) -> Self {
        let mut captures = Self::default();
        if let Some(psu) = psu {
            captures.variables.insert(
                "psu_username".to_owned(),
                Value::Secret(psu.username.clone()),
            );
            captures.variables.insert(
                "psu_password".to_owned(),
                Value::Secret(psu.password.clone()),
            );
        }
        for (service, scope) in service_scopes.rows() {
            captures.variables.insert(
                format!("scope.{}", service.as_str()),
                Value::Plain(scope.as_str().to_owned()),
            );
        }
        captures
    }

    /// Forgets the last value of `field` (a new journey has no code yet).
    pub(crate) fn forget(&mut self, field: CaptureField) {
        self.last.remove(&field);
    }

    /// The last value of `field` received in this scenario.
    pub(crate) fn last(&self, field: CaptureField) -> Option<String> {
        self.last.get(&field).map(Value::text)
    }

    /// The value of a variable, `${random}` being fresh each time.
    fn lookup(&self, name: &str) -> Option<String> {
        if name == "random" {
            return random::token();
        }
        self.variables.get(name).map(Value::text)
    }

    /// A parameter value with its references replaced.
    ///
    /// # Errors
    /// [`StepError::MissingCapture`] naming the first variable no earlier
    /// step captured (its step failed or the server did not send it).
    pub(crate) fn render(&self, template: &ValueTemplate) -> Result<String, StepError> {
        template
            .render(&|name| self.lookup(name))
            .map_err(|name| StepError::MissingCapture { name })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_values_render_and_secrets_stay_wrapped() {
        let mut captures = Captures::default();
        captures.receive(CaptureField::Code, "c0de".to_owned(), Some("code"));
        captures.receive(CaptureField::State, "st".to_owned(), None);
        assert_eq!(
            captures.render(&ValueTemplate::new("x-${code}")).unwrap(),
            "x-c0de"
        );
        assert_eq!(captures.last(CaptureField::State).as_deref(), Some("st"));
        assert!(!format!("{captures:?}").contains("c0de"));
        let missing = captures.render(&ValueTemplate::new("${state}"));
        assert!(matches!(missing, Err(StepError::MissingCapture { name }) if name == "state"));
        let random = captures.render(&ValueTemplate::new("${random}")).unwrap();
        let seeded = Captures::seeded(None, &ServiceScopes::stet());
        assert_eq!(
            seeded
                .render(&ValueTemplate::new("${scope.account-information} x"))
                .unwrap(),
            "aisp x"
        );
        let connectpay = Captures::seeded(None, &ServiceScopes::connectpay());
        assert!(
            connectpay
                .render(&ValueTemplate::new("${scope.funds-confirmation}"))
                .is_err()
        );
        assert_eq!(random.len(), 43);
        captures.forget(CaptureField::State);
        assert_eq!(captures.last(CaptureField::State), None);
    }
}
