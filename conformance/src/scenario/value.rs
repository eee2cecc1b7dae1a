//! Parameter values with `${name}` references to captured values.

use std::fmt;

use psd2_core::Service;

/// A parameter value that may reference captures: `${code}` is replaced by
/// the value a previous step captured as `code`; `${random}` by a fresh
/// random value (a well-formed token nobody issued); `${psu_username}` and
/// `${psu_password}` by the target's PSU credentials;
/// `${scope.account-information}` (and `payment-initiation`,
/// `funds-confirmation`) by the scope the target's profile names for that
/// service (`service_scopes`), so one scenario runs against banks whose
/// scope vocabularies differ. `$$` is a literal `$`.
#[derive(Clone, PartialEq, Eq)]
pub struct ValueTemplate(String);

/// Names every scenario can reference without capturing them.
const BUILTINS: &[&str] = &["random", "psu_username", "psu_password"];

/// The prefix of a reference to a service's scope: `${scope.<service>}`.
const SCOPE_PREFIX: &str = "scope.";

/// Whether a scenario can reference `name` without capturing it.
pub(crate) fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name) || scope_reference(name).is_some()
}

/// The service whose scope `name` references (`scope.payment-initiation`).
#[must_use]
pub fn scope_reference(name: &str) -> Option<Service> {
    name.strip_prefix(SCOPE_PREFIX).and_then(Service::from_name)
}

impl ValueTemplate {
    /// Wraps the text as written.
    #[must_use]
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The names referenced, in order; an unterminated `${` yields the rest
    /// of the text, which then fails validation as an unknown name.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        let mut rest = self.0.as_str();
        std::iter::from_fn(move || {
            loop {
                let start = rest.find('$')?;
                let after = &rest[start + 1..];
                if let Some(tail) = after.strip_prefix('$') {
                    rest = tail;
                    continue;
                }
                let Some(body) = after.strip_prefix('{') else {
                    rest = after;
                    continue;
                };
                return match body.find('}') {
                    Some(end) => {
                        rest = &body[end + 1..];
                        Some(&body[..end])
                    }
                    None => {
                        rest = "";
                        Some(body)
                    }
                };
            }
        })
    }

    /// The value with every reference replaced by `lookup(name)`.
    ///
    /// # Errors
    /// The first name `lookup` does not know.
    pub fn render(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
        let mut out = String::with_capacity(self.0.len());
        let mut rest = self.0.as_str();
        while let Some(start) = rest.find('$') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            if let Some(tail) = after.strip_prefix('$') {
                out.push('$');
                rest = tail;
                continue;
            }
            let Some(body) = after.strip_prefix('{') else {
                out.push('$');
                rest = after;
                continue;
            };
            let Some(end) = body.find('}') else {
                return Err(body.to_owned());
            };
            let name = &body[..end];
            out.push_str(&lookup(name).ok_or_else(|| name.to_owned())?);
            rest = &body[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

impl fmt::Debug for ValueTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_render() {
        let value = ValueTemplate::new("a${code}b$${x}${random}");
        assert_eq!(
            value.references().collect::<Vec<_>>(),
            vec!["code", "random"]
        );
        let rendered = value.render(&|name| Some(name.to_uppercase()));
        assert_eq!(rendered.as_deref(), Ok("aCODEb${x}RANDOM"));
        assert_eq!(
            ValueTemplate::new("${open").render(&|_| None),
            Err("open".to_owned())
        );
    }

    #[test]
    fn scope_references_name_a_service() {
        assert_eq!(
            scope_reference("scope.account-information"),
            Some(Service::AccountInformation)
        );
        assert!(is_builtin("scope.funds-confirmation"));
        assert!(is_builtin("psu_password"));
        assert!(!is_builtin("scope.accounts"));
        assert!(!is_builtin("scope."));
        assert!(!is_builtin("code"));
    }
}
